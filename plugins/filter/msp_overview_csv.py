# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: msp_overview_csv
short_description: The MSP overview report as CSV text, one row per tenant
version_added: 0.1.0
description:
  - Turns the report made by P(central.msp.msp_overview#filter) into CSV text with a header line and one row per
    tenant, in the report's order. The columns are always the same, in the same order, whatever the data or the
    kinds fetched, so spreadsheets and scripts can rely on them; C(docs/reports.md) lists them.
  - A count is empty when its kind was not fetched or the tenant was not read (status V(failed) or
    V(not_provisioned)); the C(error) column then says why.
  - Text that a spreadsheet would take for a formula (starting with C(=), C(+), C(-) or C(@)) gets a leading
    apostrophe, so opening the file never runs anything from the API.
author:
  - central.msp contributors (@central-msp)
options:
  _input:
    description: The report from P(central.msp.msp_overview#filter).
    type: dict
    required: true
'''

EXAMPLES = r'''
- name: Write the overview as CSV
  ansible.builtin.copy:
    content: "{{ report | central.msp.msp_overview_csv }}"
    dest: reports/msp_overview.csv
    mode: "0644"
'''

RETURN = r'''
_value:
  description: CSV text (RFC 4180 quoting, CRLF line ends as spreadsheets expect), header line first.
  type: str
  sample: |
    tenant,workspace_id,central_tenant_id,status,health,error,sites_total,sites_good,...
    Acme Retail Group,3f0b6c1e-...,9a1c...,ok,warning,,3,0,3,0,...
'''

import csv
import io

from ansible.errors import AnsibleFilterError


def value_at(*keys):
    """A column reading a nested key of the tenant entry; None as soon as a level is missing."""
    def read(entry):
        value = entry
        for key in keys:
            if not isinstance(value, dict):
                return None
            value = value.get(key)
        return value
    return read


def rest(kind, total_keys, part_key, known):
    """A column with what the ``known`` values of a count dictionary leave of the total."""
    def read(entry):
        summary = (entry.get('summary') or {}).get(kind)
        if not summary:
            return None
        counts = summary.get(part_key) or {}
        return value_at(*total_keys)(summary) - sum(counts.get(value, 0) for value in known)
    return read


def summary_at(kind, *keys):
    return value_at('summary', kind, *keys)


COLUMNS = (
    ('tenant', value_at('name')),
    ('workspace_id', value_at('workspace_id')),
    ('central_tenant_id', value_at('central_tenant_id')),
    ('status', value_at('status')),
    ('health', value_at('health')),
    ('error', value_at('error')),
    ('sites_total', summary_at('sites', 'total')),
    ('sites_good', summary_at('sites', 'good')),
    ('sites_fair', summary_at('sites', 'fair')),
    ('sites_poor', summary_at('sites', 'poor')),
    ('device_health_good', summary_at('sites', 'device_health', 'good')),
    ('device_health_fair', summary_at('sites', 'device_health', 'fair')),
    ('device_health_poor', summary_at('sites', 'device_health', 'poor')),
    ('devices_total', summary_at('devices', 'total')),
    ('devices_ap', summary_at('devices', 'by_type', 'ACCESS_POINT')),
    ('devices_switch', summary_at('devices', 'by_type', 'SWITCH')),
    ('devices_gateway', summary_at('devices', 'by_type', 'GATEWAY')),
    ('devices_other_type', rest('devices', ('total',), 'by_type', ('ACCESS_POINT', 'SWITCH', 'GATEWAY'))),
    ('devices_online', summary_at('devices', 'by_status', 'ONLINE')),
    ('devices_offline', summary_at('devices', 'by_status', 'OFFLINE')),
    ('devices_other_status', rest('devices', ('total',), 'by_status', ('ONLINE', 'OFFLINE'))),
    ('clients_total', summary_at('clients', 'total')),
    ('clients_wireless', summary_at('clients', 'by_connection_type', 'Wireless')),
    ('clients_wired', summary_at('clients', 'by_connection_type', 'Wired')),
    ('clients_connected', summary_at('clients', 'by_status', 'Connected')),
    ('clients_failed', summary_at('clients', 'by_status', 'Failed')),
    ('alerts_total', summary_at('alerts', 'total')),
    ('alerts_active', summary_at('alerts', 'active')),
    ('alerts_cleared', summary_at('alerts', 'by_status', 'Cleared')),
    ('alerts_deferred', summary_at('alerts', 'by_status', 'Deferred')),
    ('alerts_critical', summary_at('alerts', 'by_severity', 'Critical')),
    ('alerts_major', summary_at('alerts', 'by_severity', 'Major')),
    ('alerts_minor', summary_at('alerts', 'by_severity', 'Minor')),
)

COLUMN_NAMES = tuple(column[0] for column in COLUMNS)
COLUMN_READERS = tuple(column[1] for column in COLUMNS)
FORMULA_START = ('=', '+', '-', '@', '\t', '\r')


def cell(value):
    if value is None:
        return ''
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    # OWASP's advice against CSV injection: a quote mark makes the spreadsheet show the text, not evaluate it.
    return "'" + text if text.startswith(FORMULA_START) else text


def msp_overview_csv(report):
    if not isinstance(report, dict) or not isinstance(report.get('tenants'), list):
        raise AnsibleFilterError('msp_overview_csv expects the report made by central.msp.msp_overview')
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMN_NAMES)
    for entry in report['tenants']:
        writer.writerow([cell(read(entry)) for read in COLUMN_READERS])
    return out.getvalue()


class FilterModule:
    def filters(self):
        return {'msp_overview_csv': msp_overview_csv}
