"""The msp_overview and msp_overview_csv filters: counting rules, failed tenants, stable CSV columns."""

import csv
import io

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.central.msp.plugins.filter.msp_overview import msp_overview
from ansible_collections.central.msp.plugins.filter.msp_overview_csv import COLUMN_NAMES, msp_overview_csv
from ansible_collections.central.msp.plugins.module_utils.overview import overview_record


def site(name, good=0, fair=0, poor=0, **extra):
    return dict({'id': name.lower(), 'siteName': name, 'devices_good': good, 'devices_fair': fair,
                 'devices_poor': poor, 'devices_total': good + fair + poor}, **extra)


def device(dtype, status):
    return {'serialNumber': 'SN-%s-%s' % (dtype, status), 'deviceType': dtype, 'status': status, 'model': 'm'}


def alert(severity, status='ACTIVE', created='2025-11-20T10:00:00.000Z'):
    return {'id': severity + created, 'name': 'n', 'severity': severity, 'status': status, 'createdAt': created}


def record(name, workspace_id, error=None, **fields):
    """An overview record (plugins/module_utils/overview.py): the tenant record, the error, the item lists."""
    items = {kind: fields.pop(kind) for kind in ('sites', 'devices', 'clients', 'alerts') if kind in fields}
    return overview_record(dict(fields, name=name, workspace_id=workspace_id), error, items)


ACME = record(
    'Acme', 'ws-acme', central_tenant_id='c1', central_provisioned=True,
    sites=[site('HQ', good=3), site('Store', good=2, fair=1), site('Depot', good=1, poor=1)],
    devices=[device('AP', 'ONLINE'), device('AP', 'OFFLINE'), device('SWITCH', 'ONLINE'),
             device('GATEWAY', None), device('SENSOR', 'ONLINE')],
    clients=[{'clientConnectionType': 'WIRELESS', 'status': 'CONNECTED'},
             {'clientConnectionType': 'WIRED', 'status': 'FAILED'},
             {'clientConnectionType': 'WIRELESS', 'status': 'CONNECTED'}],
    alerts=[alert('MINOR', created='2025-11-20T11:00:00.000Z'), alert('CRITICAL'), alert('MAJOR', 'CLEARED'),
            alert('CRITICAL', created='2025-11-19T10:00:00.000Z')],
)
BROKEN = record('broken', 'ws-b', 'POST token exchange failed: HTTP 400 invalid_grant', central_provisioned=True,
                sites=[site('X', good=1)])
DENTAL = record('Dental', 'ws-d', central_provisioned=False)


def test_tenant_summaries_follow_the_counting_rules():
    report = msp_overview([ACME], generated_at='t0')
    entry = report['tenants'][0]
    assert entry['status'] == 'ok' and entry['error'] is None
    summary = entry['summary']
    assert summary['sites'] == {'total': 3, 'good': 1, 'fair': 1, 'poor': 1,
                                'device_health': {'good': 6, 'fair': 1, 'poor': 1}}
    assert summary['devices'] == {
        'total': 5, 'by_type': {'AP': 2, 'SWITCH': 1, 'GATEWAY': 1, 'SENSOR': 1},
        'by_status': {'ONLINE': 3, 'OFFLINE': 1, 'UNKNOWN': 1}}
    assert summary['clients'] == {'total': 3, 'by_connection_type': {'WIRELESS': 2, 'WIRED': 1},
                                  'by_status': {'CONNECTED': 2, 'FAILED': 1}}
    # Severities count the active alerts only; the cleared one is in by_status.
    assert summary['alerts'] == {'total': 4, 'active': 3, 'by_status': {'ACTIVE': 3, 'CLEARED': 1},
                                 'by_severity': {'CRITICAL': 2, 'MAJOR': 0, 'MINOR': 1}}
    assert [(a['severity'], a['createdAt'][:10]) for a in entry['active_alerts']] == [
        ('CRITICAL', '2025-11-20'), ('CRITICAL', '2025-11-19'), ('MINOR', '2025-11-20')]
    assert entry['health'] == 'critical'
    assert [row['health'] for row in entry['details']['sites']] == ['good', 'fair', 'poor']
    assert report['generated_at'] == 't0' and report['schema_version'] == 1


def test_site_level_falls_back_to_health_shares():
    report = msp_overview([record('a', 'ws-a', sites=[{'health_fair': 20, 'health_good': 80}])], ['sites'])
    assert report['tenants'][0]['summary']['sites']['fair'] == 1


def test_failed_and_unprovisioned_tenants_are_kept_but_not_counted():
    report = msp_overview([BROKEN, DENTAL, ACME])
    by_name = {entry['name']: entry for entry in report['tenants']}
    assert [entry['name'] for entry in report['tenants']] == ['Acme', 'broken', 'Dental']
    assert by_name['broken']['status'] == 'failed' and by_name['broken']['health'] == 'failed'
    assert by_name['broken']['error'].startswith('POST token exchange failed')
    assert by_name['broken']['summary'] == dict.fromkeys(('sites', 'devices', 'clients', 'alerts'))
    assert by_name['Dental']['status'] == 'not_provisioned' and by_name['Dental']['error'] is None
    totals = report['totals']
    assert totals['tenants'] == {'total': 3, 'ok': 1, 'failed': 1, 'not_provisioned': 1,
                                 'critical': 1, 'warning': 0, 'healthy': 0}
    assert totals['sites']['total'] == 3 and totals['devices']['total'] == 5


def test_totals_add_up_tenants():
    other = dict(ACME, tenant=dict(ACME['tenant'], name='Beta', workspace_id='ws-beta'))
    totals = msp_overview([ACME, other])['totals']
    assert totals['devices']['by_type'] == {'AP': 4, 'SWITCH': 2, 'GATEWAY': 2, 'SENSOR': 2}
    assert totals['alerts']['by_severity'] == {'CRITICAL': 4, 'MAJOR': 0, 'MINOR': 2}
    assert totals['sites']['device_health'] == {'good': 12, 'fair': 2, 'poor': 2}


def test_empty_fleet_still_has_every_key():
    totals = msp_overview([])['totals']
    assert totals['devices'] == {'total': 0, 'by_type': {'AP': 0, 'SWITCH': 0, 'GATEWAY': 0},
                                 'by_status': {'ONLINE': 0, 'OFFLINE': 0}}
    assert totals['alerts']['by_severity'] == {'CRITICAL': 0, 'MAJOR': 0, 'MINOR': 0}


def test_kinds_and_details_options():
    report = msp_overview([ACME], ['alerts'], details=False)
    entry = report['tenants'][0]
    assert report['kinds'] == ['alerts'] and 'details' not in entry
    assert entry['summary']['sites'] is None and report['totals']['sites'] is None
    assert len(entry['active_alerts']) == 3
    with pytest.raises(AnsibleFilterError, match='unknown kinds'):
        msp_overview([ACME], ['routers'])
    with pytest.raises(AnsibleFilterError):
        msp_overview({'name': 'not a list'})


def test_detail_rows_have_the_same_keys():
    rows = msp_overview([ACME])['tenants'][0]['details']['devices']
    assert len({tuple(row) for row in rows}) == 1
    assert rows[0]['firmwareVersion'] is None


def parse_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_stable_columns_and_one_row_per_tenant():
    text = msp_overview_csv(msp_overview([ACME, BROKEN, DENTAL], ['devices', 'alerts']))
    assert text.splitlines()[0].split(',') == list(COLUMN_NAMES)
    rows = {row['tenant']: row for row in parse_csv(text)}
    acme = rows['Acme']
    assert (acme['devices_ap'], acme['devices_other_type'], acme['devices_other_status']) == ('2', '1', '1')
    assert (acme['alerts_critical'], acme['alerts_cleared'], acme['sites_total']) == ('2', '1', '')
    assert rows['broken']['status'] == 'failed' and 'invalid_grant' in rows['broken']['error']
    assert rows['broken']['devices_total'] == '' and rows['Dental']['status'] == 'not_provisioned'


def test_csv_quotes_and_defuses_formulas():
    text = msp_overview_csv(msp_overview([record('=HYPERLINK("x")', 'w'), record('Bistro d\'Or, "Lyon"\nnord', 'v')]))
    names = [row['tenant'] for row in parse_csv(text)]
    assert names == ['\'=HYPERLINK("x")', 'Bistro d\'Or, "Lyon"\nnord']
    with pytest.raises(AnsibleFilterError):
        msp_overview_csv([])


def test_central_summary_is_null_when_central_has_none():
    empty = record('Dental', 'ws-d', central_provisioned=False, sites_total=None, device_health=None)
    assert msp_overview([empty])['tenants'][0]['central'] is None


def test_central_summary_has_the_central_fields_of_the_tenant_record():
    known = record('Acme', 'ws-acme', sites_total=3, device_health=None, created_at='2024-01-01')
    assert msp_overview([known])['tenants'][0]['central'] == {
        'sites_total': 3, 'sites_degraded': None, 'device_health': None, 'alerts': None, 'last_updated': None}
