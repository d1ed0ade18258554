# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""central.msp.msp_overview_report: the MSP overview's files, written on the controller (see the module's doc)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.central.msp.plugins.plugin_utils.overview_report import (
    HISTORY_RUNS, OverviewError, write_overview)

# The report is checked apart (a dict, then by write_overview): the validator deep-copies what it validates, which
# costs half a minute for a report of 1,000 tenants with their detail lists.
ARGUMENT_SPEC = {
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
        args = dict(self._task.args)
        if 'report' not in args:
            raise AnsibleActionFail('msp_overview_report: missing required argument "report" (the report made by the '
                                    'central.msp.msp_overview filter)')
        report = args.pop('report')
        if not isinstance(report, Mapping):
            kind = 'str' if isinstance(report, str) else 'list' if isinstance(report, Sequence) else type(report).__name__
            raise AnsibleActionFail('msp_overview_report: "report" must be the dict made by the central.msp.msp_overview '
                                    'filter, got %s' % kind)
        unknown = sorted(set(args) - set(ARGUMENT_SPEC))
        if unknown:
            raise AnsibleActionFail('msp_overview_report: unsupported parameters %s; the parameters are %s'
                                    % (', '.join(unknown), ', '.join(sorted(list(ARGUMENT_SPEC) + ['report']))))
        validation = ArgumentSpecValidator(ARGUMENT_SPEC).validate(args)
        if validation.error_messages:
            raise AnsibleActionFail('msp_overview_report: %s' % '; '.join(validation.error_messages))
        options = validation.validated_parameters
        try:
            written = write_overview(dict(report), options['output_dir'], history_runs=options['history_runs'],
                                     check_mode=self._task.check_mode)
        except OverviewError as err:
            raise AnsibleActionFail('msp_overview_report: %s' % err) from None
        result.update(written)
        result['changed'] = True
        return result
