# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The MSP overview's input, named once: one record per tenant, read by tenant_overview_info.

A record is ``{tenant, error, sites, devices, clients, alerts}``: ``tenant`` is the tenant record as the
central.msp.tenants inventory hands it over (host variable ``msp_tenant``) and msp_tenant_info returns it
(msp_client.tenant_record); the four kinds are the item lists the tenant_*_info modules return, null when not
read. The msp_overview filter turns a list of them into the report.
"""

from __future__ import annotations

from ansible_collections.central.msp.plugins.module_utils.errors import CentralMspError
from ansible_collections.central.msp.plugins.module_utils.settings import dashed_id

KINDS = ('sites', 'devices', 'clients', 'alerts')
DEVICE_SOURCES = {'inventory': 'device_inventory', 'monitoring': 'devices'}
HEALTH_LEVELS = ('good', 'fair', 'poor')
SEVERITIES = ('critical', 'major', 'minor')


def group_values(container, levels, value_key):
    """``{level: n}`` from Central's ``{"groups": [{"name": "Good", <value_key>: n}]}``; 0 for a missing group."""
    values = dict.fromkeys(levels, 0)
    for group in (container or {}).get('groups') or []:
        level = str(group.get('name', '')).lower()
        if level in values:
            values[level] = group.get(value_key) or 0
    return values


def flatten_site(site):
    """The site as Central sent it, plus flat counts, so templates and filters need no nested lookups."""
    flat = dict(site)
    devices = site.get('devices') or {}
    clients = site.get('clients') or {}
    alerts = site.get('alerts') or {}
    groups = (('health', site.get('health'), HEALTH_LEVELS, 'value'),
              ('devices', devices.get('health'), HEALTH_LEVELS, 'value'),
              ('clients', clients.get('health'), HEALTH_LEVELS, 'value'),
              ('alerts', alerts, SEVERITIES, 'count'))
    for prefix, container, levels, value_key in groups:
        for level, value in group_values(container, levels, value_key).items():
            flat['%s_%s' % (prefix, level)] = value
    flat['devices_total'] = devices.get('count') or 0
    flat['clients_total'] = clients.get('count') or 0
    flat['alerts_total'] = alerts.get('totalCount') or 0
    return flat


def overview_record(tenant, error=None, items=None):
    """One tenant's record for the msp_overview filter."""
    record = {'tenant': tenant, 'error': error}
    record.update({kind: (items or {}).get(kind) for kind in KINDS})
    return record


def read_kind(client, workspace_id, kind, device_source='inventory'):
    """Every item of one kind in one tenant, shaped as the tenant_*_info module of that kind returns it."""
    if kind == 'sites':
        return [flatten_site(site) for site in client.get_all('sites', workspace_id).items]
    endpoint = DEVICE_SOURCES[device_source] if kind == 'devices' else kind
    return client.get_all(endpoint, workspace_id).items


def read_tenant(client, tenant, kinds, device_source='inventory'):
    """The record of one tenant: its kinds read one after the other; the first failure ends it with ``error``.

    A tenant Central does not manage (central_provisioned false) has nothing to read."""
    if tenant.get('central_provisioned') is False:
        return overview_record(tenant)
    items = {}
    for kind in KINDS:
        if kind not in kinds:
            continue
        try:
            items[kind] = read_kind(client, tenant['workspace_id'], kind, device_source)
        except CentralMspError as exc:
            return overview_record(tenant, '%s: %s' % (kind, exc))
    return overview_record(tenant, items=items)


def checked_tenants(tenants):
    """The tenant records given, each with a dashed workspace_id, or a CentralMspError saying which is wrong."""
    checked = []
    for index, tenant in enumerate(tenants or []):
        if not isinstance(tenant, dict) or not tenant.get('workspace_id'):
            raise CentralMspError('tenant_records[%d] is not a tenant record: give the host variable msp_tenant of '
                                  'the central.msp.tenants inventory, or an item of msp_tenant_info\'s tenants '
                                  '(each needs at least workspace_id).' % index)
        checked.append(dict(tenant, workspace_id=dashed_id(tenant['workspace_id'], 'tenant_records[%d].workspace_id'
                                                           % index)))
    return checked


def read_overview(task):
    """The work of tenant_overview_info: every given tenant, ``concurrency`` at a time."""
    params = task.params
    tenants = checked_tenants(params['tenant_records'])
    records = [overview_record(tenant) for tenant in tenants]
    wanted = [index for index, tenant in enumerate(tenants) if tenant.get('central_provisioned') is not False]
    if wanted:
        client = task.client
        entries = client.for_each_tenant(
            [tenants[index] for index in wanted],
            lambda tenant: read_tenant(client, tenant, params['kinds'], params['device_source']),
            params['concurrency'])
        for index, entry in zip(wanted, entries):
            records[index] = entry['result'] or overview_record(tenants[index], entry['msg'])
    failed = sum(bool(record['error']) for record in records)
    return {'tenants': records, 'count': len(records), 'failed_tenants': failed}
