# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs central.msp.tenant_overview_info in the controller (plugins/plugin_utils/module_action.py, docs/execution.md),
and with O(report) turns its records into the MSP overview report there, with the msp_overview filter: the
items read stay in the controller's process and only the report travels on through Ansible."""

from __future__ import annotations

import json

from ansible.parsing.ajson import AnsibleJSONEncoder

from ansible_collections.central.msp.plugins.plugin_utils.module_action import ModuleAction


from ansible_collections.central.msp.plugins.filter.msp_overview import msp_overview


class ActionModule(ModuleAction):

    def on_controller(self, result, params):
        if params.get('report'):
            report = msp_overview(result.pop('tenants'), params['kinds'], details=params['details'],
                                  clients_window={'start_at': params.get('clients_start_at') or '',
                                                  'end_at': params.get('clients_end_at') or ''})
            result['report'] = report
            # Encoded here, from plain data: to_json over the report's lazy templating containers costs fifty times
            # as much (seconds per hundred tenants).
            result['report_json'] = json.dumps(report, cls=AnsibleJSONEncoder)
