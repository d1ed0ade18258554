# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs central.msp.tenant_overview_info in the controller (plugins/plugin_utils/module_action.py, docs/execution.md).

With O(report) or O(output_dir) it turns the records into the MSP overview report there, with the msp_overview
filter, so the items read stay in the controller's process; with O(output_dir) it also writes the report's files
(as msp_overview_report does), so that only what was written travels on through Ansible's results. On the
controller-side path each tenant goes to the report writer as soon as it is read: its detail lists are spooled to
disk, not held until the last tenant is read (docs/reports.md, "Large fleets")."""

from __future__ import annotations

import os

from ansible_collections.central.msp.plugins.filter.msp_overview import entry_sort_key, msp_overview, report_header, \
    tenant_entry
from ansible_collections.central.msp.plugins.plugin_utils.module_action import ModuleAction
from ansible_collections.central.msp.plugins.plugin_utils.overview_report import OverviewError, OverviewWriter, \
    check_output_dir, write_overview


def clients_window(params):
    return {'start_at': params.get('clients_start_at') or '', 'end_at': params.get('clients_end_at') or ''}


class ActionModule(ModuleAction):
    _writer = None

    def run(self, tmp=None, task_vars=None):
        if self._task.async_val and self._task.args.get('output_dir'):
            return dict(super(ModuleAction, self).run(tmp, task_vars), failed=True,
                        msg='tenant_overview_info: output_dir cannot be used with async (the files are written when '
                            'the reads end, by the task itself); drop async, or drop output_dir and write the '
                            'report with central.msp.msp_overview_report')
        output_dir = self._task.args.get('output_dir')
        if isinstance(output_dir, str) and output_dir:
            try:  # before any tenant is read, on either path
                check_output_dir(os.path.expanduser(output_dir))
            except OverviewError as err:
                return dict(super(ModuleAction, self).run(tmp, task_vars), failed=True,
                            msg='tenant_overview_info: %s' % err)
        return super().run(tmp, task_vars)

    def prepare_task(self, task):
        params = task.params
        if not params.get('output_dir') or params.get('report'):
            return None
        try:
            self._writer = OverviewWriter(report_header(params['kinds'], clients_window=clients_window(params)),
                                          params['output_dir'], history_runs=params['history_runs'],
                                          check_mode=bool(self._task.check_mode))
        except OverviewError as err:
            return 'tenant_overview_info: %s' % err
        kinds, details, writer = params['kinds'], params['details'], self._writer

        def keep(record):
            # Masked here, as the files are written before the result is; what is kept is then clean.
            kept = writer.add(tenant_entry(task.masked(record), kinds, details))
            task.clean_parts[id(kept)] = kept
            return kept
        task.record_sink = keep
        return None

    def on_controller(self, result, params):
        if not (params.get('report') or params.get('output_dir')):
            return
        try:
            if self._writer is not None:
                written = self._writer.finish(sorted(result.pop('tenants'), key=entry_sort_key))
            else:
                report = msp_overview(result.pop('tenants'), params['kinds'], details=params['details'],
                                      clients_window=clients_window(params))
                if params.get('report'):
                    result['report'] = report
                if not params.get('output_dir'):
                    return
                written = write_overview(report, params['output_dir'], history_runs=params['history_runs'],
                                         check_mode=bool(self._task.check_mode))
        except OverviewError as err:
            result.update(failed=True, msg='tenant_overview_info: %s' % err)
            return
        result.update(written, changed=True)
