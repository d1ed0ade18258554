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

from ansible_collections.central.msp.plugins.module_utils import vocabulary
from ansible_collections.central.msp.plugins.module_utils.errors import CentralMspError, DataError
from ansible_collections.central.msp.plugins.module_utils.queries import Match, plan_list
from ansible_collections.central.msp.plugins.module_utils.settings import dashed_id

KINDS = ('sites', 'devices', 'clients', 'alerts')
DEVICE_SOURCES = {'inventory': 'device_inventory', 'monitoring': 'devices'}
# The flat keys' suffixes: Central's health levels and severities, lower case.
HEALTH_LEVELS = tuple(level.lower() for level in vocabulary.HEALTH_LEVELS)
SEVERITIES = tuple(severity.lower() for severity in vocabulary.ALERT_SEVERITIES)


def _wrong(site, field, value):
    return DataError('Central sent site %r with %s of the wrong type (%s: %r); its health cannot be read.'
                     % (str(site.get('siteName') or site.get('id'))[:60], field, type(value).__name__,
                        str(value)[:40]))


def _count(site, field, value):
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _wrong(site, field, value)
    return value


def _object(site, field, value):
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _wrong(site, field, value)
    return value


def group_values(site, field, container, levels, value_key):
    """``{level: n}`` from Central's ``{"groups": [{"name": "Good", <value_key>: n}]}``; 0 for a missing group."""
    values = dict.fromkeys(levels, 0)
    groups = _object(site, field, container).get('groups') or []
    if not isinstance(groups, list):
        raise _wrong(site, field + '.groups', groups)
    for group in groups:
        group = _object(site, field + '.groups[]', group)
        level = str(group.get('name', '')).lower()
        if level in values:
            values[level] = _count(site, '%s.groups[%s].%s' % (field, level, value_key), group.get(value_key))
    return values


def flatten_site(site):
    """The site as Central sent it, plus flat counts, so templates and filters need no nested lookups.

    A field of the wrong type is a DataError: that tenant's failure, never a crash or a made-up count."""
    flat = dict(site)
    devices = _object(site, 'devices', site.get('devices'))
    clients = _object(site, 'clients', site.get('clients'))
    alerts = _object(site, 'alerts', site.get('alerts'))
    groups = (('health', 'health', site.get('health'), HEALTH_LEVELS, 'value'),
              ('devices', 'devices.health', devices.get('health'), HEALTH_LEVELS, 'value'),
              ('clients', 'clients.health', clients.get('health'), HEALTH_LEVELS, 'value'),
              ('alerts', 'alerts', alerts, SEVERITIES, 'count'))
    for prefix, field, container, levels, value_key in groups:
        for level, value in group_values(site, field, container, levels, value_key).items():
            flat['%s_%s' % (prefix, level)] = value
    flat['devices_total'] = _count(site, 'devices.count', devices.get('count'))
    flat['clients_total'] = _count(site, 'clients.count', clients.get('count'))
    flat['alerts_total'] = _count(site, 'alerts.totalCount', alerts.get('totalCount'))
    return flat


def overview_record(tenant, error=None, items=None):
    """One tenant's record for the msp_overview filter."""
    record = {'tenant': tenant, 'error': error}
    record.update({kind: (items or {}).get(kind) for kind in KINDS})
    return record


# The clients the overview counts: connected ones, and the failed ones of the time window.
CLIENT_STATUSES = ['connected', 'failed']


def read_kind(client, workspace_id, kind, device_source='inventory', clients_window=None):
    """Every item of one kind in one tenant, shaped as the tenant_*_info module of that kind returns it."""
    if kind == 'sites':
        return [flatten_site(site) for site in client.get_all('sites', workspace_id).items]
    if kind == 'clients':
        window = clients_window or {}
        plan = plan_list('clients', {'status': CLIENT_STATUSES},
                         {'status': Match('status', vocabulary.CLIENT_FILTER_STATUSES)},
                         extra={'start-at': window.get('start_at'), 'end-at': window.get('end_at')})
        items = []
        for query in plan.queries:
            items.extend(client.get_all('clients', workspace_id, query).items)
        return plan.apply(items)
    endpoint = DEVICE_SOURCES[device_source] if kind == 'devices' else kind
    return client.get_all(endpoint, workspace_id).items


def read_tenant(client, tenant, kinds, device_source='inventory', clients_window=None):
    """The record of one tenant: its kinds read one after the other; the first failure ends it with ``error``.

    A tenant Central does not manage (central_provisioned false) has nothing to read."""
    if tenant.get('central_provisioned') is False:
        return overview_record(tenant)
    items = {}
    for kind in KINDS:
        if kind not in kinds:
            continue
        try:
            items[kind] = read_kind(client, tenant['workspace_id'], kind, device_source, clients_window)
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


def clients_window(params):
    return {'start_at': params.get('clients_start_at') or None, 'end_at': params.get('clients_end_at') or None}


def read_overview(task):
    """The work of tenant_overview_info: every given tenant, ``concurrency`` at a time."""
    params = task.params
    tenants = checked_tenants(params['tenant_records'])
    # With a record sink (the report writer) each record goes there as soon as it is read, in its thread.
    keep = task.record_sink or (lambda record: record)
    wanted = [index for index, tenant in enumerate(tenants) if tenant.get('central_provisioned') is not False]
    records = [None if tenant.get('central_provisioned') is not False else keep(overview_record(tenant))
               for tenant in tenants]
    if wanted:
        client = task.client
        entries = client.for_each_tenant(
            [tenants[index] for index in wanted],
            lambda tenant: keep(read_tenant(client, tenant, params['kinds'], params['device_source'],
                                            clients_window(params))),
            params['concurrency'])
        for index, entry in zip(wanted, entries):
            records[index] = entry['result'] or keep(overview_record(tenants[index], entry['msg']))
    failed = sum(bool(record['error']) for record in records)
    return {'tenants': records, 'count': len(records), 'failed_tenants': failed}
