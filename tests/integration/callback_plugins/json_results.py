# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: append every task result as one JSON line to $CENTRAL_MSP_TEST_RESULTS."""

from __future__ import annotations

DOCUMENTATION = r'''
name: json_results
type: aggregate
short_description: Record task results as JSON lines for the integration tests
description:
  - Appends one JSON object per task result to the file named by E(CENTRAL_MSP_TEST_RESULTS).
requirements:
  - enabled in callbacks_enabled
'''

import json
import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'json_results'
    CALLBACK_NEEDS_ENABLED = True

    def _record(self, result, status):
        path = os.environ.get('CENTRAL_MSP_TEST_RESULTS')
        if not path:
            return
        entry = {'host': result._host.get_name(), 'task': result._task.get_name(), 'status': status,
                 'result': self._convert(result._result)}
        with open(path, 'a', encoding='utf-8') as handle:
            handle.write(json.dumps(entry, default=str) + '\n')

    @staticmethod
    def _convert(value):
        return json.loads(json.dumps(value, default=str))

    def v2_runner_on_ok(self, result):
        self._record(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, 'failed')

    def v2_runner_on_skipped(self, result):
        self._record(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._record(result, 'unreachable')
