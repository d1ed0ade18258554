# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs central.msp.tenant_overview_info in the controller (plugins/plugin_utils/module_action.py, docs/execution.md).

With O(report) or O(output_dir) it turns the records into the MSP overview report there, with the msp_overview
filter, so the items read stay in the controller's process; with O(output_dir) it also writes the report's files
(as msp_overview_report does), so that only what was written travels on through Ansible's results."""

from __future__ import annotations

from ansible_collections.central.msp.plugins.filter.msp_overview import msp_overview
from ansible_collections.central.msp.plugins.plugin_utils.module_action import ModuleAction
from ansible_collections.central.msp.plugins.plugin_utils.overview_report import OverviewError, write_overview


class ActionModule(ModuleAction):

    def run(self, tmp=None, task_vars=None):
        if self._task.async_val and self._task.args.get('output_dir'):
            return dict(super(ModuleAction, self).run(tmp, task_vars), failed=True,
                        msg='tenant_overview_info: output_dir cannot be used with async (the files are written when '
                            'the reads end, by the task itself); drop async, or drop output_dir and write the '
                            'report with central.msp.msp_overview_report')
        return super().run(tmp, task_vars)

    def on_controller(self, result, params):
        if not (params.get('report') or params.get('output_dir')):
            return
        report = msp_overview(result.pop('tenants'), params['kinds'], details=params['details'],
                              clients_window={'start_at': params.get('clients_start_at') or '',
                                              'end_at': params.get('clients_end_at') or ''})
        if params.get('report'):
            result['report'] = report
        if params.get('output_dir'):
            try:
                written = write_overview(report, params['output_dir'], history_runs=params['history_runs'],
                                         check_mode=bool(self._task.check_mode))
            except OverviewError as err:
                result.update(failed=True, msg='tenant_overview_info: %s' % err)
                return
            result.update(written, changed=True)
