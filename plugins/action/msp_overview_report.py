# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""central.msp.msp_overview_report: the MSP overview's files, written on the controller (see the module's doc)."""

from __future__ import annotations

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.central.msp.plugins.plugin_utils.overview_report import (
    HISTORY_RUNS, OverviewError, write_overview)

ARGUMENT_SPEC = {
    'report': {'type': 'dict', 'required': True},
    'output_dir': {'type': 'path', 'required': True},
    'history_runs': {'type': 'int', 'default': HISTORY_RUNS},
}


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        if args['history_runs'] < 1:
            raise AnsibleActionFail('history_runs must be at least 1 (got %d): it counts this run too'
                                    % args['history_runs'])
        try:
            written = write_overview(args['report'], args['output_dir'], history_runs=args['history_runs'],
                                     check_mode=self._task.check_mode)
        except OverviewError as err:
            raise AnsibleActionFail('msp_overview_report: %s' % err) from None
        result.update(written)
        result['changed'] = True
        return result
