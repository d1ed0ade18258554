"""classic_overview_record: Classic items in the vocabulary of the msp_overview report."""
import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.central.msp.plugins.filter.classic_overview_record import classic_overview_record
from ansible_collections.central.msp.plugins.filter.msp_overview import msp_overview

CID = '267958b55d5a463e94a302c20f4a6b68'
DEVICES = [
    {'serial': 'AP1', 'name': 'ap-1', 'device_type': 'AP', 'status': 'Up', 'site': 'hq', 'model': 'AP-515'},
    {'serial': 'SW1', 'name': 'sw-1', 'device_type': 'SWITCH', 'status': 'Down', 'site': 'hq'},
    {'serial': 'AP2', 'name': 'ap-2', 'device_type': 'AP', 'status': 'Up', 'site': 'branch'},
]
RECORD = {
    'name': 'Acme', 'customer_id': CID, 'provision_status': 'provisioned', 'error': None,
    'sites': [{'site_id': 1, 'site_name': 'hq'}, {'site_id': 2, 'site_name': 'branch'}],
    'devices': DEVICES,
    'clients': [{'macaddr': 'aa', 'client_type': 'WIRELESS', 'associated_device_name': 'ap-1'},
                {'macaddr': 'bb', 'client_type': 'WIRED'}],
    'alerts': [{'id': 'n1', 'type': 'AP disconnected', 'severity': 'Critical', 'acknowledged': False,
                'timestamp': 1700000000000, 'device_id': 'AP1', 'details': {'site': 'hq'}},
               {'id': 'n2', 'type': 'High CPU', 'severity': 'Major', 'acknowledged': True, 'timestamp': 1700000060000}],
}


def test_record_maps_every_kind():
    record = classic_overview_record(RECORD)
    assert record['tenant']['workspace_id'] == CID and record['tenant']['central_tenant_id'] == CID
    assert record['tenant']['central_provisioned'] is True
    assert record['sites'][0] == {'id': 1, 'siteName': 'hq', 'address': None, 'devices_total': 2, 'devices_good': 1,
                                  'devices_fair': 0, 'devices_poor': 1}
    assert [d['status'] for d in record['devices']] == ['ONLINE', 'OFFLINE', 'ONLINE']
    assert [d['deviceType'] for d in record['devices']] == ['ACCESS_POINT', 'SWITCH', 'ACCESS_POINT']
    assert record['clients'][0]['connectedTo'] == 'ap-1' and record['clients'][1]['status'] == 'Connected'
    assert [c['clientConnectionType'] for c in record['clients']] == ['Wireless', 'Wired']
    assert record['alerts'][0] == {'id': 'n1', 'name': 'AP disconnected', 'severity': 'Critical', 'priority': None,
                                   'status': 'Active', 'summary': '(ap-1)', 'category': None, 'deviceType': None,
                                   'siteName': 'hq', 'createdAt': '2023-11-14T22:13:20Z'}
    assert record['alerts'][1]['status'] == 'Cleared'


def test_report_from_classic_records():
    report = msp_overview([classic_overview_record(RECORD),
                           classic_overview_record({'name': 'Lab', 'customer_id': 'f' * 32,
                                                    'provision_status': 'not_provisioned'}),
                           classic_overview_record({'name': 'Down', 'customer_id': 'e' * 32,
                                                    'provision_status': 'provisioned', 'error': 'HTTP 403'})],
                          generated_at='2026-12-01T00:00:00Z')
    acme = report['tenants'][0]
    assert acme['name'] == 'Acme' and acme['health'] == 'critical'
    assert acme['summary']['sites'] == {'total': 2, 'good': 1, 'fair': 0, 'poor': 1,
                                        'device_health': {'good': 2, 'fair': 0, 'poor': 1}}
    assert acme['summary']['devices']['by_type'] == {'ACCESS_POINT': 2, 'SWITCH': 1, 'GATEWAY': 0}
    assert acme['summary']['alerts']['active'] == 1
    assert [t['status'] for t in report['tenants']] == ['ok', 'failed', 'not_provisioned']


def test_not_fetched_kinds_stay_null_and_bad_input_is_refused():
    record = classic_overview_record({'name': 'x', 'customer_id': CID})
    assert record['sites'] is None and record['alerts'] is None and record['tenant']['central_provisioned'] is None
    with pytest.raises(AnsibleFilterError, match='devices must be a list'):
        classic_overview_record({'devices': 'many'})
    with pytest.raises(AnsibleFilterError, match='expects a dict'):
        classic_overview_record(['x'])
