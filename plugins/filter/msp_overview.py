# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: msp_overview
short_description: Turn per-tenant sites, devices, clients and alerts into the MSP overview report
version_added: 0.1.0
description:
  - Builds the cross-tenant report that C(playbooks/msp_overview.yml) writes as JSON, CSV and HTML, made of
    fleet totals plus one entry per tenant with its summaries, its active alerts and (optionally) its detail lists.
  - Each input record is one tenant's, as M(central.msp.tenant_overview_info) returns it in its C(tenants). A record
    with an C(error) key (see O(_input)) becomes a tenant with RV(_value.tenants[].status=failed); it is left out of
    the fleet totals and the other tenants are unaffected.
  - Counting rules. A site is V(poor) when any of its devices is in Poor health (what Central calls a degraded site),
    else V(fair) when any is Fair, else V(good). Alert summaries count the V(Active) alerts by severity;
    V(Cleared) and V(Deferred) ones are only in the totals by status. Counts are keyed by the values Central sends
    (V(ACCESS_POINT), V(ONLINE), V(Wireless), V(Connected), V(Critical)...); a missing or empty value is counted
    under V(UNKNOWN).
  - Failed clients are those Central listed in the clients' time window (O(clients_window)); the report says which.
  - The layout is documented field by field in the collection's C(docs/reports.md).
author:
  - central.msp contributors (@central-msp)
positional: kinds
options:
  _input:
    description:
      - One record per tenant, as M(central.msp.tenant_overview_info) returns them (C(plugins/module_utils/overview.py)
        names the record).
      - C(tenant) is the tenant record of the P(central.msp.tenants#inventory) inventory (host variable
        C(msp_tenant)) or of M(central.msp.msp_tenant_info); C(error) says why reading the tenant failed.
      - C(sites), C(devices), C(clients) and C(alerts) are the item lists, shaped as
        M(central.msp.tenant_site_info), M(central.msp.tenant_device_info), M(central.msp.tenant_client_info)
        and M(central.msp.tenant_alert_info) return them; a kind that was not fetched is null or absent.
    type: list
    elements: dict
    required: true
  kinds:
    description:
      - The kinds that were fetched; summaries of the other kinds are null.
    type: list
    elements: str
    choices: [sites, devices, clients, alerts]
    default: [sites, devices, clients, alerts]
  details:
    description:
      - Include each tenant's detail lists (RV(_value.tenants[].details)). Summaries and active alerts are always there.
    type: bool
    default: true
  generated_at:
    description:
      - Time stamp written into the report. Defaults to now (UTC), ISO 8601.
    type: str
  clients_window:
    description:
      - The window the clients were read with (C(start_at), C(end_at), as given to M(central.msp.tenant_client_info));
        empty values mean Central's default, the three hours before each read. Written into RV(_value.clients_window).
    type: dict
'''

EXAMPLES = r'''
- name: Build the report from what tenant_overview_info read
  ansible.builtin.set_fact:
    report: "{{ overview.tenants | central.msp.msp_overview(['sites', 'alerts'], details=false) }}"

- name: Fleet totals of a hand-made record
  ansible.builtin.debug:
    msg: >-
      {{ ([{'tenant': {'name': 'Acme', 'workspace_id': '5b1f2c4e-8f5e-4c1a-9a55-3c2f9d0b7a11'},
            'alerts': [{'severity': 'Critical', 'status': 'Active', 'name': 'Device Disconnected'}]}]
          | central.msp.msp_overview(['alerts'])).totals.alerts }}
'''

RETURN = r'''
_value:
  description: The report. C(docs/reports.md) describes every field.
  type: dict
  contains:
    schema_version:
      description: Version of this layout; changes only when a field changes meaning or goes away.
      type: int
      sample: 1
    generated_at:
      description: When the report was made.
      type: str
      sample: "2025-11-20T12:00:00Z"
    clients_window:
      description:
        - The window failed clients were read from - C(start_at), C(end_at) (null - Central's default) and
          C(description), a sentence saying it.
      type: dict
    kinds:
      description: The kinds fetched.
      type: list
      elements: str
      sample: [sites, devices, clients, alerts]
    totals:
      description:
        - Fleet totals. C(tenants) counts tenants by status and by health; C(sites), C(devices), C(clients) and
          C(alerts) add up the summaries of the tenants that were read (status V(ok)).
      type: dict
    tenants:
      description: One entry per tenant, sorted by name (case-insensitive), then workspace ID.
      type: list
      elements: dict
      contains:
        name:
          description: The tenant's workspace name in GreenLake.
          type: str
        workspace_id:
          description: The tenant's GreenLake workspace ID, as the inventory gave it.
          type: str
        status:
          description: V(ok), V(failed) (see C(error)) or V(not_provisioned) (not in Central, nothing to read).
          type: str
        error:
          description: Why the tenant could not be read; null otherwise.
          type: str
        health:
          description:
            - V(critical) (active Critical alerts or a poor site), V(warning) (active Major alerts, a fair site or an
              OFFLINE device), V(healthy), or the status when it is not V(ok).
          type: str
        summary:
          description: Counts per kind (C(sites), C(devices), C(clients), C(alerts)); a kind not fetched is null.
          type: dict
        active_alerts:
          description: The tenant's active alerts, most severe and newest first.
          type: list
          elements: dict
        details:
          description: Selected fields of every site, device, client and alert; only with O(details=true).
          type: dict
'''

from datetime import datetime, timezone

from ansible.errors import AnsibleFilterError

from ansible_collections.central.msp.plugins.module_utils import vocabulary

SCHEMA_VERSION = 2
KINDS = ('sites', 'devices', 'clients', 'alerts')
SEVERITIES = vocabulary.ALERT_SEVERITIES
CRITICAL = SEVERITIES[0]
MAJOR = SEVERITIES[1]
HEALTH_LEVELS = tuple(level.lower() for level in vocabulary.HEALTH_LEVELS)
UNKNOWN = 'UNKNOWN'

# Values that always appear in the count dictionaries, so that consumers (the CSV columns, the HTML bars)
# can rely on the keys whatever the data holds. Other values found are added beside them.
DEVICE_TYPES = vocabulary.DEVICE_TYPES
CONNECTION_TYPES = tuple(reversed(vocabulary.CONNECTION_TYPES))     # Wireless first
DEVICE_STATUSES = vocabulary.DEVICE_STATUSES
CLIENT_STATUSES = vocabulary.CLIENT_FILTER_STATUSES
ALERT_STATUSES = vocabulary.ALERT_STATUSES
OFFLINE = 'OFFLINE'

# Central's MSP-level summary of a tenant: these fields of its tenant record.
CENTRAL_FIELDS = ('sites_total', 'sites_degraded', 'device_health', 'alerts', 'last_updated')

# The fields kept for the detail lists: enough for the drill-down, small enough for thousands of items.
DETAIL_FIELDS = {
    'sites': ('id', 'siteName', 'address', 'health', 'health_good', 'health_fair', 'health_poor', 'devices_total',
              'devices_good', 'devices_fair', 'devices_poor', 'clients_total', 'alerts_total', 'alerts_critical',
              'alerts_major', 'alerts_minor', 'reasons'),
    'devices': ('serialNumber', 'deviceName', 'deviceType', 'model', 'status', 'siteName', 'firmwareVersion',
                'macAddress', 'ipv4', 'isProvisioned'),
    'clients': ('clientName', 'macAddress', 'ipv4', 'status', 'clientConnectionType', 'siteName', 'connectedTo',
                'wlanName', 'vlanId', 'wirelessBand', 'userName', 'lastSeenAt'),
    # Live alerts name no site, device or serial number: the summary says which device.
    'alerts': ('id', 'name', 'severity', 'priority', 'status', 'summary', 'category', 'deviceType', 'createdAt'),
}


def count_by(items, field, known=()):
    """``{value: count}`` over ``items``; every ``known`` value present (0 when absent), empty values as UNKNOWN."""
    counts = dict.fromkeys(known, 0)
    for item in items:
        value = item.get(field)
        key = UNKNOWN if value in (None, '') else str(value)
        counts[key] = counts.get(key, 0) + 1
    return counts


def site_level(site):
    """good, fair or poor: the worst health present at the site (flat keys from tenant_site_info).

    Device counts come first: Central's health shares are rounded percentages, in which one poor device among
    hundreds can round to 0."""
    for level in ('poor', 'fair'):
        if site.get('devices_' + level) or site.get('health_' + level):
            return level
    return 'good'


def summarize_sites(sites):
    levels = [site_level(site) for site in sites]
    summary = {'total': len(sites)}
    summary.update({level: levels.count(level) for level in HEALTH_LEVELS})
    # Device health as Central rates it, added up over the sites: the data behind a tenant's health bar.
    summary['device_health'] = {level: sum(site.get('devices_' + level) or 0 for site in sites)
                                for level in HEALTH_LEVELS}
    return summary


def summarize_devices(devices):
    return {'total': len(devices),
            'by_type': count_by(devices, 'deviceType', DEVICE_TYPES),
            'by_status': count_by(devices, 'status', DEVICE_STATUSES)}


def summarize_clients(clients):
    return {'total': len(clients),
            'by_connection_type': count_by(clients, 'clientConnectionType', CONNECTION_TYPES),
            'by_status': count_by(clients, 'status', CLIENT_STATUSES)}


def is_active(alert):
    return vocabulary.is_value(alert.get('status'), 'Active')


def summarize_alerts(alerts):
    active = [alert for alert in alerts if is_active(alert)]
    return {'total': len(alerts), 'active': len(active),
            'by_status': count_by(alerts, 'status', ALERT_STATUSES),
            'by_severity': count_by(active, 'severity', SEVERITIES)}


SUMMARIZE = {'sites': summarize_sites, 'devices': summarize_devices, 'clients': summarize_clients,
             'alerts': summarize_alerts}


def pick(item, fields):
    """The item with exactly these fields (missing ones null), so every row of a list has the same keys."""
    return {name: item.get(name) for name in fields}


def detail(kind, items):
    rows = []
    for item in items:
        row = pick(item, DETAIL_FIELDS[kind])
        if kind == 'sites':
            row['health'] = site_level(item)
        rows.append(row)
    return rows


def severity_rank(alert):
    for rank, severity in enumerate(SEVERITIES):
        if vocabulary.is_value(alert.get('severity'), severity):
            return rank
    return len(SEVERITIES)


def active_alerts(alerts):
    chosen = [pick(alert, DETAIL_FIELDS['alerts']) for alert in alerts if is_active(alert)]
    # Newest first, then most severe first (sorts are stable).
    chosen.sort(key=lambda alert: str(alert.get('createdAt') or ''), reverse=True)
    chosen.sort(key=severity_rank)
    return chosen


def tenant_health(summary):
    """One word for sorting and colouring: critical, warning or healthy."""
    sites = summary.get('sites') or {}
    devices = summary.get('devices') or {}
    severity = (summary.get('alerts') or {}).get('by_severity') or {}
    if severity.get(CRITICAL) or sites.get('poor'):
        return 'critical'
    if severity.get(MAJOR) or sites.get('fair') or (devices.get('by_status') or {}).get(OFFLINE):
        return 'warning'
    return 'healthy'


def tenant_of(record):
    """The tenant record inside an overview record."""
    return record.get('tenant') or {}


def tenant_status(record):
    if record.get('error'):
        return 'failed'
    if tenant_of(record).get('central_provisioned') is False:
        return 'not_provisioned'
    return 'ok'


def central_summary(tenant):
    """Central's MSP-level figures for the tenant, or None when Central has none (not provisioned, or unknown)."""
    central = {key: tenant.get(key) for key in CENTRAL_FIELDS}
    if all(value is None for value in central.values()):
        return None
    return central


# The flat counts of a site (tenant_site_info): numbers, or the site's health cannot be judged.
SITE_COUNTS = ('health_good', 'health_fair', 'health_poor', 'devices_total', 'devices_good', 'devices_fair',
               'devices_poor', 'clients_total', 'alerts_total', 'alerts_critical', 'alerts_major', 'alerts_minor')


def malformed(kind, items):
    """Why these items cannot be counted, or None: every item an object, a site's counts numbers."""
    if not isinstance(items, (list, tuple)):
        return '%s is a %s, not a list' % (kind, type(items).__name__)
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            return '%s item %d is a %s, not an object' % (kind, index, type(item).__name__)
        if kind == 'sites':
            for field in SITE_COUNTS:
                value = item.get(field)
                if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                    return 'site %r has %s of the wrong type (%s)' % (
                        str(item.get('siteName') or item.get('id'))[:60], field, type(value).__name__)
    return None


def summarize_tenant(entry, record, kinds, details):
    """Fill the entry's summaries, details and active alerts; the reason when the tenant's data is malformed."""
    for kind in kinds:
        items = record.get(kind) or []
        problem = malformed(kind, items)
        if problem:
            return problem
        items = list(items)
        entry['summary'][kind] = SUMMARIZE[kind](items)
        if details:
            entry['details'][kind] = detail(kind, items)
    if 'alerts' in kinds:
        entry['active_alerts'] = active_alerts(record.get('alerts') or [])
    return None


def tenant_entry(record, kinds, details):
    status = tenant_status(record)
    tenant = tenant_of(record)
    entry = {
        'name': tenant.get('name'),
        'workspace_id': tenant.get('workspace_id'),
        'central_tenant_id': tenant.get('central_tenant_id'),
        'central_provisioned': tenant.get('central_provisioned'),
        'inventory_ownership': tenant.get('inventory_ownership'),
        'status': status,
        'error': str(record['error']) if status == 'failed' else None,
        'central': central_summary(tenant),
        'summary': dict.fromkeys(KINDS),
        'active_alerts': [],
    }
    if details:
        entry['details'] = dict.fromkeys(KINDS)
    if status == 'ok':
        try:
            problem = summarize_tenant(entry, record, kinds, details)
        except (TypeError, ValueError, AttributeError, KeyError) as exc:  # a shape no check above foresaw
            problem = 'unexpected data (%s: %s)' % (type(exc).__name__, str(exc)[:200])
        if problem:
            # That tenant's failure, reported as such; the others and the totals are unaffected.
            status = 'failed'
            entry.update(status=status, error='malformed data from Central: %s' % problem,
                         summary=dict.fromkeys(KINDS), active_alerts=[])
            if details:
                entry['details'] = dict.fromkeys(KINDS)
    entry['health'] = tenant_health(entry['summary']) if status == 'ok' else status
    return entry


def add_counts(total, part):
    """Add the numbers of ``part`` into ``total``, key by key, at any depth."""
    for key, value in part.items():
        if isinstance(value, dict):
            add_counts(total.setdefault(key, {}), value)
        elif isinstance(value, int) and not isinstance(value, bool):
            total[key] = total.get(key, 0) + value


def fleet_totals(entries, kinds):
    statuses = [entry['status'] for entry in entries]
    health = [entry['health'] for entry in entries]
    totals = {'tenants': {'total': len(entries), 'ok': statuses.count('ok'), 'failed': statuses.count('failed'),
                          'not_provisioned': statuses.count('not_provisioned'), 'critical': health.count('critical'),
                          'warning': health.count('warning'), 'healthy': health.count('healthy')}}
    for kind in KINDS:
        if kind not in kinds:
            totals[kind] = None
            continue
        # Start from an empty tenant's summary so that every key exists even when no tenant could be read.
        totals[kind] = SUMMARIZE[kind]([])
        for entry in entries:
            if entry['status'] == 'ok':
                add_counts(totals[kind], entry['summary'][kind])
    return totals


def sort_key(record):
    tenant = tenant_of(record)
    return (str(tenant.get('name') or '').casefold(), str(tenant.get('workspace_id') or ''))


def window_description(window):
    start, end = window.get('start_at'), window.get('end_at')
    if not start and not end:
        return ('Failed clients: those Central listed in its default window, the %d hours before each tenant was '
                'read.' % vocabulary.CLIENT_DEFAULT_WINDOW_HOURS)
    return 'Failed clients: those Central listed between %s and %s.' % (
        start or '%d hours before the end' % vocabulary.CLIENT_DEFAULT_WINDOW_HOURS, end or 'the time of each read')


def msp_overview(tenants, kinds=None, details=True, generated_at=None, clients_window=None):
    """The report: schema_version, generated_at, clients_window, kinds, totals, tenants."""
    if not isinstance(tenants, (list, tuple)):
        raise AnsibleFilterError('msp_overview expects a list of tenant records, got %s' % type(tenants).__name__)
    kinds = list(KINDS if kinds is None else kinds)
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        raise AnsibleFilterError('msp_overview: unknown kinds %s; choose from %s' % (unknown, ', '.join(KINDS)))
    bad = [record for record in tenants if not isinstance(record, dict)]
    if bad:
        raise AnsibleFilterError('msp_overview: every tenant record must be a dict, got %r' % (bad[0],))
    entries = [tenant_entry(record, kinds, details) for record in sorted(tenants, key=sort_key)]
    return dict(report_header(kinds, generated_at, clients_window), totals=fleet_totals(entries, kinds),
                tenants=entries)


def report_header(kinds, generated_at=None, clients_window=None):
    """The report without its totals and tenants: what a report written one tenant at a time starts from."""
    given = clients_window if isinstance(clients_window, dict) else {}
    window = {'start_at': given.get('start_at') or None, 'end_at': given.get('end_at') or None}
    window['description'] = window_description(window)
    return {
        'schema_version': SCHEMA_VERSION,
        'generated_at': generated_at or datetime.now(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
        'clients_window': window,
        'kinds': [kind for kind in KINDS if kind in kinds],
    }


def entry_sort_key(entry):
    """sort_key for a tenant entry (it carries the tenant's name and workspace id)."""
    return (str(entry.get('name') or '').casefold(), str(entry.get('workspace_id') or ''))


class FilterModule:
    def filters(self):
        return {'msp_overview': msp_overview}
