"""The msp_overview and msp_overview_csv filters: counting rules, failed tenants, stable CSV columns."""

import csv
import io

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.central.msp.plugins.filter.msp_overview import KINDS, msp_overview
from ansible_collections.central.msp.plugins.module_utils.overview import overview_record
from ansible_collections.central.msp.plugins.filter.msp_overview_csv import COLUMN_NAMES, msp_overview_csv


def as_record(flat):
    """The tests' flat tenant (name, ids, Central fields, item lists, error) as an overview record
    (plugins/module_utils/overview.py): the tenant record under ``tenant``."""
    if not isinstance(flat, dict) or 'tenant' in flat:
        return flat
    tenant = {key: value for key, value in flat.items() if key not in KINDS + ('error', 'central')}
    tenant.update(flat.get('central') or {})
    return overview_record(tenant, flat.get('error'), {kind: flat[kind] for kind in KINDS if kind in flat})


def overview(records, *args, **kwargs):
    """msp_overview over the tests' flat tenants."""
    if isinstance(records, (list, tuple)):
        records = [as_record(record) for record in records]
    return msp_overview(records, *args, **kwargs)


def site(name, good=0, fair=0, poor=0, **extra):
    return dict({'id': name.lower(), 'siteName': name, 'devices_good': good, 'devices_fair': fair,
                 'devices_poor': poor, 'devices_total': good + fair + poor}, **extra)


def device(dtype, status):
    return {'serialNumber': 'SN-%s-%s' % (dtype, status), 'deviceType': dtype, 'status': status, 'model': 'm'}


def alert(severity, status='Active', created='2025-11-20T10:00:00.000Z'):
    return {'id': severity + created, 'name': 'n', 'severity': severity, 'status': status, 'createdAt': created}


ACME = {
    'name': 'Acme', 'workspace_id': 'ws-acme', 'central_tenant_id': 'c1', 'central_provisioned': True,
    'sites': [site('HQ', good=3), site('Store', good=2, fair=1), site('Depot', good=1, poor=1)],
    'devices': [device('ACCESS_POINT', 'ONLINE'), device('ACCESS_POINT', 'OFFLINE'), device('SWITCH', 'ONLINE'),
                device('GATEWAY', None), device('SENSOR', 'ONLINE')],
    'clients': [{'clientConnectionType': 'Wireless', 'status': 'Connected'},
                {'clientConnectionType': 'Wired', 'status': 'Failed'},
                {'clientConnectionType': 'Wireless', 'status': 'Connected'}],
    'alerts': [alert('Minor', created='2025-11-20T11:00:00.000Z'), alert('Critical'), alert('Major', 'Cleared'),
               alert('Critical', created='2025-11-19T10:00:00.000Z'), alert('Major', 'Deferred')],
}
BROKEN = {'name': 'broken', 'workspace_id': 'ws-b', 'central_provisioned': True, 'sites': [site('X', good=1)],
          'error': 'POST token exchange failed: HTTP 400 invalid_grant'}
DENTAL = {'name': 'Dental', 'workspace_id': 'ws-d', 'central_provisioned': False}


def test_tenant_summaries_follow_the_counting_rules():
    report = overview([ACME], generated_at='t0')
    entry = report['tenants'][0]
    assert entry['status'] == 'ok' and entry['error'] is None
    summary = entry['summary']
    assert summary['sites'] == {'total': 3, 'good': 1, 'fair': 1, 'poor': 1,
                                'device_health': {'good': 6, 'fair': 1, 'poor': 1}}
    assert summary['devices'] == {
        'total': 5, 'by_type': {'ACCESS_POINT': 2, 'SWITCH': 1, 'GATEWAY': 1, 'SENSOR': 1},
        'by_status': {'ONLINE': 3, 'OFFLINE': 1, 'UNKNOWN': 1}}
    assert summary['clients'] == {'total': 3, 'by_connection_type': {'Wireless': 2, 'Wired': 1},
                                  'by_status': {'Connected': 2, 'Failed': 1}}
    # Severities count the active alerts only; the cleared and deferred ones are in by_status.
    assert summary['alerts'] == {'total': 5, 'active': 3, 'by_status': {'Active': 3, 'Cleared': 1, 'Deferred': 1},
                                 'by_severity': {'Critical': 2, 'Major': 0, 'Minor': 1}}
    assert [(a['severity'], a['createdAt'][:10]) for a in entry['active_alerts']] == [
        ('Critical', '2025-11-20'), ('Critical', '2025-11-19'), ('Minor', '2025-11-20')]
    assert entry['health'] == 'critical'
    assert [row['health'] for row in entry['details']['sites']] == ['good', 'fair', 'poor']
    assert report['generated_at'] == 't0' and report['schema_version'] == 2
    assert report['clients_window'] == {'start_at': None, 'end_at': None, 'description': (
        'Failed clients: those Central listed in its default window, the 3 hours before each tenant was read.')}


def test_live_values_judge_health():
    """Central's own spellings decide health: a Major alert warns, an OFFLINE device warns, Critical is critical."""
    def health(**record):
        return overview([dict({'name': 'x', 'workspace_id': 'w'}, **record)])['tenants'][0]['health']
    assert health(alerts=[alert('Critical')]) == 'critical'
    assert health(alerts=[alert('Major')]) == 'warning'
    assert health(alerts=[alert('Critical', 'Cleared')], devices=[device('ACCESS_POINT', 'ONLINE')]) == 'healthy'
    assert health(devices=[device('ACCESS_POINT', 'OFFLINE')]) == 'warning'


def test_clients_window_is_stated():
    window = overview([], clients_window={'start_at': '2025-11-19T12:00:00Z', 'end_at': ''})['clients_window']
    assert window['start_at'] == '2025-11-19T12:00:00Z' and window['end_at'] is None
    assert window['description'] == 'Failed clients: those Central listed between 2025-11-19T12:00:00Z and the time of each read.'


def test_site_level_falls_back_to_health_shares():
    report = overview([{'name': 'a', 'sites': [{'health_fair': 20, 'health_good': 80}]}], ['sites'])
    assert report['tenants'][0]['summary']['sites']['fair'] == 1


def test_failed_and_unprovisioned_tenants_are_kept_but_not_counted():
    report = overview([BROKEN, DENTAL, ACME])
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
    other = dict(ACME, name='Beta', workspace_id='ws-beta')
    totals = overview([ACME, other])['totals']
    assert totals['devices']['by_type'] == {'ACCESS_POINT': 4, 'SWITCH': 2, 'GATEWAY': 2, 'SENSOR': 2}
    assert totals['alerts']['by_severity'] == {'Critical': 4, 'Major': 0, 'Minor': 2}
    assert totals['sites']['device_health'] == {'good': 12, 'fair': 2, 'poor': 2}


def test_empty_fleet_still_has_every_key():
    totals = overview([])['totals']
    assert totals['devices'] == {'total': 0, 'by_type': {'ACCESS_POINT': 0, 'SWITCH': 0, 'GATEWAY': 0},
                                 'by_status': {'ONLINE': 0, 'OFFLINE': 0}}
    assert totals['alerts']['by_severity'] == {'Critical': 0, 'Major': 0, 'Minor': 0}


def test_kinds_and_details_options():
    report = overview([ACME], ['alerts'], details=False)
    entry = report['tenants'][0]
    assert report['kinds'] == ['alerts'] and 'details' not in entry
    assert entry['summary']['sites'] is None and report['totals']['sites'] is None
    assert len(entry['active_alerts']) == 3
    with pytest.raises(AnsibleFilterError, match='unknown kinds'):
        overview([ACME], ['routers'])
    with pytest.raises(AnsibleFilterError):
        overview({'name': 'not a list'})


def test_detail_rows_have_the_same_keys():
    rows = overview([ACME])['tenants'][0]['details']['devices']
    assert len({tuple(row) for row in rows}) == 1
    assert rows[0]['firmwareVersion'] is None


def parse_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_stable_columns_and_one_row_per_tenant():
    text = msp_overview_csv(overview([ACME, BROKEN, DENTAL], ['devices', 'alerts']))
    assert text.splitlines()[0].split(',') == list(COLUMN_NAMES)
    rows = {row['tenant']: row for row in parse_csv(text)}
    acme = rows['Acme']
    assert (acme['devices_ap'], acme['devices_other_type'], acme['devices_other_status']) == ('2', '1', '1')
    assert (acme['alerts_critical'], acme['alerts_cleared'], acme['sites_total']) == ('2', '1', '')
    assert rows['broken']['status'] == 'failed' and 'invalid_grant' in rows['broken']['error']
    assert rows['broken']['devices_total'] == '' and rows['Dental']['status'] == 'not_provisioned'


def test_csv_quotes_and_defuses_formulas():
    text = msp_overview_csv(overview([{'name': '=HYPERLINK("x")', 'workspace_id': 'w'},
                                      {'name': 'Bistro d\'Or, "Lyon"\nnord', 'workspace_id': 'v'}]))
    names = [row['tenant'] for row in parse_csv(text)]
    assert names == ['\'=HYPERLINK("x")', 'Bistro d\'Or, "Lyon"\nnord']
    with pytest.raises(AnsibleFilterError):
        msp_overview_csv([])


def test_central_summary_is_null_when_central_has_none():
    empty = dict(DENTAL, central={'sites_total': None, 'device_health': None})
    known = dict(ACME, central={'sites_total': 3, 'device_health': None})
    entries = overview([empty, known])['tenants']
    assert entries[1]['central'] is None
    assert entries[0]['central'] == {'sites_total': 3, 'sites_degraded': None, 'device_health': None, 'alerts': None,
                                     'last_updated': None}


# ---- malformed data from one tenant (issue 15) ---------------------------------------------------------------

@pytest.mark.parametrize('bad, fragment', [
    ({'sites': ['HQ']}, 'sites item 0 is a str, not an object'),
    ({'sites': [site('HQ', good=3, devices_good='3')]}, "site 'HQ' has devices_good of the wrong type (str)"),
    ({'sites': [site('HQ', health_poor={'value': 1})]}, "site 'HQ' has health_poor of the wrong type (dict)"),
    ({'sites': [site('HQ', alerts_total=True)]}, 'alerts_total of the wrong type (bool)'),
    ({'devices': 'many'}, 'devices is a str, not a list'),
    ({'alerts': [alert('CRITICAL'), 7]}, 'alerts item 1 is a int, not an object'),
    ({'clients': [None]}, 'clients item 0 is a NoneType, not an object'),
])
def test_a_tenant_with_malformed_items_is_failed_and_reported_the_others_complete(bad, fragment):
    hostile = dict(ACME, name=None, workspace_id='ws-hostile', **bad)
    numbered = dict(ACME, name=42, workspace_id='ws-numbered')
    report = overview([ACME, hostile, numbered, DENTAL])
    by_id = {entry['workspace_id']: entry for entry in report['tenants']}
    entry = by_id['ws-hostile']
    assert entry['status'] == 'failed' == entry['health'] and fragment in entry['error']
    assert entry['error'].startswith('malformed data from Central: ')
    assert entry['summary'] == dict.fromkeys(('sites', 'devices', 'clients', 'alerts')) and entry['active_alerts'] == []
    assert by_id['ws-acme'] == by_id['ws-numbered'] | {'name': 'Acme', 'workspace_id': 'ws-acme'}
    assert by_id['ws-acme']['status'] == 'ok' and by_id['ws-d']['status'] == 'not_provisioned'
    assert report['totals']['tenants'] == {'total': 4, 'ok': 2, 'failed': 1, 'not_provisioned': 1, 'critical': 2,
                                           'warning': 0, 'healthy': 0}
    # Two good tenants counted, the hostile one not.
    assert report['totals']['sites']['total'] == 6 and report['totals']['devices']['total'] == 10
    text = msp_overview_csv(report)
    assert len(list(csv.reader(io.StringIO(text)))) == 5
