"""The admin API: stats, reset, truth, and that it stays out of the numbers."""
import json
import urllib.request

import pytest

STATS_KEYS = {'requests', 'token_requests', 'msp_tokens', 'exchanges', 'exchanges_by_tenant', 'api_requests', 'by_path',
              'by_status', 'faults_injected', 'rate_limited', 'issued_tokens', 'requests_log'}


def test_stats_count_by_kind_path_and_status(sim, client, tenants):
    msp = client.msp_token()
    acme = client.exchange(tenants['Acme Retail Group']['id'], msp)
    client.get('central', 'network-monitoring/v1/device-inventory', acme, limit=5, next=2)
    client.get('central', 'network-monitoring/v1/device-inventory', msp)
    client.get('glp', 'nowhere', msp)
    sim.truth()
    stats = sim.stats()
    assert STATS_KEYS <= set(stats)
    assert (stats['requests'], stats['token_requests'], stats['api_requests']) == (5, 2, 3)
    assert (stats['msp_tokens'], stats['exchanges'], stats['faults_injected'], stats['rate_limited']) == (1, 1, 0, 0)
    assert stats['by_path']['GET /network-monitoring/v1/device-inventory'] == 2
    assert stats['by_path']['GET /nowhere'] == 1
    assert stats['by_status'] == {'200': 3, '403': 1, '404': 1}
    assert stats['issued_tokens'] == [msp, acme]
    entry = stats['requests_log'][2]
    assert entry['method'] == 'GET' and entry['path'] == '/network-monitoring/v1/device-inventory'
    assert entry['query'] == 'limit=5&next=2' and entry['status'] == 200 and entry['fault'] is False
    assert entry['scope'] == f"tenant:{tenants['Acme Retail Group']['id']}" and entry['t'] > 1.7e9
    assert [e['scope'] for e in stats['requests_log']] == [None, None, entry['scope'], 'msp', None]
    assert sim.stats(log=False)['requests_log'] == []


def test_reset_keeps_tokens_unless_asked(sim, client):
    msp = client.msp_token()
    sim.reset()
    stats = sim.stats()
    assert stats['requests'] == 0 and stats['issued_tokens'] == [msp]
    assert client.get('glp', 'workspaces/v1/msp-tenants', msp).status_code == 200
    sim.reset(tokens=True)
    assert sim.stats()['issued_tokens'] == []
    assert client.get('glp', 'workspaces/v1/msp-tenants', msp).status_code == 401


def test_add_tenant_and_reset_dataset(sim, client, tenants):
    added = sim.fault(action='add_tenant', name='Acme Retail Group', central=False, devices=4)
    assert added['id'] not in {t['id'] for t in tenants.values()} and added['central_id'] is None
    truth = sim.truth(added['id'])
    assert truth['added'] and truth['central'] is None and truth['counts']['glp-devices'] == 4
    msp = client.msp_token()
    same_name = client.get('glp', 'workspaces/v1/msp-tenants', msp, filter="workspaceName eq 'Acme Retail Group'")
    assert same_name.json()['total'] == 2
    central = client.get('central', 'network-msp/v1/list-tenants', msp, next=1, limit=100).json()
    assert [t['tenantName'] for t in central['items']].count('Acme Retail Group') == 1
    sim.reset(dataset=True)
    assert len(sim.truth()['tenants']) == len(tenants)


def test_truth(sim, tenants):
    truth = sim.truth()
    assert truth['dataset'] == 'demo' and truth['msp']['id'] == sim.info['workspace_id']
    northwind = tenants['Northwind Logistics']
    assert northwind['central']['tenantName'] == 'Northwind Logistics'
    assert northwind['central']['tenantId'] == northwind['central_id'] != northwind['hex']
    assert northwind['glp']['id'] == northwind['id']
    assert sim.truth(northwind['hex']) == northwind
    for kind, count in northwind['counts'].items():
        assert len(sim.truth(northwind['id'], kind)) == count
    with pytest.raises(RuntimeError, match='404'):
        sim.truth(tenants['Harbor View Dental']['id'], 'devices')
    with pytest.raises(RuntimeError, match='404'):
        sim.truth(northwind['id'], 'widgets')
    with pytest.raises(RuntimeError, match='404'):
        sim.truth('f' * 32)
    assert sim.stats()['requests'] == 0


def test_admin_errors(sim):
    with pytest.raises(RuntimeError, match='404'):
        sim.admin('GET', 'nothing')
    request = urllib.request.Request(f"{sim.info['admin_url']}/faults", data=b'not json', method='POST')
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request)
    assert err.value.code == 400 and 'JSON' in json.load(err.value)['message']


def test_admin_is_loopback_only():
    from tests.simulator.admin import handle, is_loopback
    from tests.simulator.messages import Request
    assert is_loopback('127.0.0.1') and is_loopback('::1') and not is_loopback('10.1.2.3')
    response = handle(None, Request('GET', '/_sim/stats', '', {}, b'', '192.0.2.10'))
    assert response.status == 403


def test_device_status_action(sim, tenants):
    bistro = tenants["Bistro d'Or"]
    offline = next(d for d in sim.truth(bistro['id'], 'devices') if d['status'] == 'OFFLINE')
    came = sim.fault(action='device_status', tenant=bistro['id'], serial=offline['serialNumber'], status='online')
    assert came['status'] == 'ONLINE' and came['cleared'] and came['raised'] == []
    assert sim.truth(bistro['id'])['central']['degradedSites'] == 0
    with pytest.raises(RuntimeError, match='400.*already ONLINE'):
        sim.fault(action='device_status', tenant=bistro['id'], serial=offline['serialNumber'], status='ONLINE')
    with pytest.raises(RuntimeError, match='400.*status must be OFFLINE or ONLINE'):
        sim.fault(action='device_status', tenant=bistro['id'], serial=offline['serialNumber'], status='DOWN')
    sim.reset(dataset=True)
    assert sim.truth(bistro['id'])['central']['degradedSites'] == 1
