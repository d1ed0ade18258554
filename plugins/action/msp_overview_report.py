# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""central.msp.msp_overview_report: the MSP overview's files, written on the controller (see the module's doc)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.central.msp.plugins.filter.msp_overview import entry_sort_key, report_header, tenant_entry
from ansible_collections.central.msp.plugins.module_utils.overview import KINDS
from ansible_collections.central.msp.plugins.plugin_utils.overview_report import (
    HISTORY_RUNS, OverviewError, OverviewWriter, write_overview)

# The report is checked apart (a dict, then by write_overview): the validator deep-copies what it validates, which
# costs half a minute for a report of 1,000 tenants with their detail lists.
ARGUMENT_SPEC = {
    'output_dir': {'type': 'path', 'required': True},
    'history_runs': {'type': 'int', 'default': HISTORY_RUNS},
    'hosts': {'type': 'list', 'elements': 'str'},
    'result_var': {'type': 'str', 'default': 'msp_overview_read_host'},
    'kinds': {'type': 'list', 'elements': 'str', 'choices': list(KINDS), 'default': list(KINDS)},
    'details': {'type': 'bool', 'default': True},
    'clients_start_at': {'type': 'str'},
    'clients_end_at': {'type': 'str'},
}


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = dict(self._task.args)
        report = args.pop('report', None)
        if report is None and args.get('hosts') is None:
            raise AnsibleActionFail('msp_overview_report: give "report" (the report made by the central.msp.msp_overview '
                                    'filter) or "hosts" (the hosts whose tenant_overview_info results make it)')
        if report is not None and args.get('hosts') is not None:
            raise AnsibleActionFail('msp_overview_report: "report" and "hosts" are mutually exclusive: give one')
        if report is not None and not isinstance(report, Mapping):
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
            if report is not None:
                written = write_overview(dict(report), options['output_dir'], history_runs=options['history_runs'],
                                         check_mode=self._task.check_mode)
            else:
                written = self._write_from_hosts(options, (task_vars or {}).get('hostvars'))
        except OverviewError as err:
            raise AnsibleActionFail('msp_overview_report: %s' % err) from None
        result.update(written)
        result['changed'] = True
        return result

    def _write_from_hosts(self, options, hostvars):
        """The report of the tenant records the hosts' registered results hold, made one tenant at a time."""
        window = {'start_at': options['clients_start_at'] or '', 'end_at': options['clients_end_at'] or ''}
        writer = OverviewWriter(report_header(options['kinds'], clients_window=window), options['output_dir'],
                                history_runs=options['history_runs'], check_mode=self._task.check_mode)
        kept = []
        for host in options['hosts']:
            # The registered value as it is stored: templating it would copy every item of every tenant.
            read = hostvars.raw_get(host).get(options['result_var']) if hostvars is not None else None
            if not isinstance(read, Mapping) or read.get('tenants') is None:
                continue
            for index, record in enumerate(read['tenants']):
                if not isinstance(record, Mapping):
                    raise OverviewError('%s of host %s holds tenants[%d] that is not a tenant record (a %s): give the '
                                        'variable tenant_overview_info\'s result was registered as'
                                        % (options['result_var'], host, index, type(record).__name__))
                kept.append(writer.add(tenant_entry(record, options['kinds'], options['details'])))
        return writer.finish(sorted(kept, key=entry_sort_key))
