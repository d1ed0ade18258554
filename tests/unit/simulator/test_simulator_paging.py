"""Paging as the contract describes it: every item exactly once across pages, for every paged endpoint and
several page sizes; limits above the maximum are rejected; `next` is a string and null on the last page."""
from types import SimpleNamespace

import pytest

from ansible_collections.central.msp.plugins.module_utils.contract import ENDPOINTS as CONTRACT

from tests.simulator.api import KINDS
from tests.simulator.client import SimClient
from tests.simulator.pytest_plugin import start_simulator

# (family, path, truth kind or MSP-level source, paging, max limit), from the contract
ENDPOINTS = [(e.app, e.path, KINDS.get(e.name, 'glp' if e.name == 'msp_tenants' else 'central'), e.paging, e.max_limit)
             for e in CONTRACT.values()]
IDS = [e[1].rsplit('/', maxsplit=1)[-1] for e in ENDPOINTS]
# Every client, failed ones too: the clients endpoint shows Connected ones unless asked, failed ones in a window.
EVERY_CLIENT = {'filter': "status in ('Connected', 'Failed')", 'start-at': '2025-11-14T12:00:00Z'}


def extra_params(path):
    return EVERY_CLIENT if path.endswith('/clients') else {}


@pytest.fixture(scope='module')
def big():
    """310 tenants (more than one msp-tenants page) and a first tenant big enough to page everywhere."""
    with start_simulator('--dataset', 'scale', '--tenants', 310, '--devices-per-tenant', 3, '--big-tenants', 1,
                         '--big-tenant-devices', 2100, '--seed', 5) as sim:
        client = SimClient(sim.info)
        truth = sim.truth()
        tenant = truth['tenants'][0]
        msp = client.msp_token()
        yield SimpleNamespace(sim=sim, client=client, truth=truth, msp=msp, tenant=client.exchange(tenant['id'], msp))


def expected_items(sim, truth, source):
    if source in ('glp', 'central'):
        return [t[source] for t in truth['tenants'] if t[source] is not None]
    return sim.truth(truth['tenants'][0]['id'], source)


def page_through(client, family, path, token, limit, paging):
    """Follow the API's own cursor, checking every page's envelope on the way."""
    items, params, pages = [], {'next': '1'} if paging == 'next' else {'offset': 0}, 0
    while True:
        response = client.get(family, path, token, limit=limit, **params, **extra_params(path))
        assert response.status_code == 200, response.text
        page = response.json()
        pages += 1
        chunk = page['items']
        assert len(chunk) <= limit
        assert page['count'] == len(chunk)
        items.extend(chunk)
        if paging == 'next':
            assert page['next'] is None or page['next'] == str(pages + 1)
            if page['next'] is None:
                return items, page['total'], pages
            params = {'next': page['next']}
        else:
            assert page['offset'] == params['offset']
            if params['offset'] + len(chunk) >= page['total']:
                return items, page['total'], pages
            params = {'offset': params['offset'] + len(chunk)}


@pytest.mark.parametrize('family,path,source,paging,max_limit', ENDPOINTS, ids=IDS)
def test_every_item_exactly_once(big, family, path, source, paging, max_limit):
    sim, client, truth, msp, tenant = big.sim, big.client, big.truth, big.msp, big.tenant
    token = msp if source in ('glp', 'central') else tenant
    expected = expected_items(sim, truth, source)
    assert len(expected) > min(max_limit, 100), 'the dataset must make this endpoint page'
    sizes = {max_limit, max_limit - 1, 100 if max_limit > 100 else 33, 7 if len(expected) < 1500 else 333}
    for limit in sorted(sizes):
        items, total, pages = page_through(client, family, path, token, limit, paging)
        assert items == expected, f'limit {limit}'
        assert total == len(expected) and pages == -(-len(expected) // limit)


@pytest.mark.parametrize('family,path,source,paging,max_limit', ENDPOINTS, ids=IDS)
def test_limits_are_enforced(big, family, path, source, paging, max_limit):
    sim, client, msp, tenant = big.sim, big.client, big.msp, big.tenant
    token = msp if source in ('glp', 'central') else tenant
    cursor = {'next': 1} if paging == 'next' else {}
    if path.endswith('list-tenants'):
        cursor['limit'] = 10
    code = next(e.error_code for e in CONTRACT.values() if e.path == path)
    for bad in ({'limit': max_limit + 1}, {'limit': 0}, {'limit': 'ten'}, {'limit': -5}):
        response = client.get(family, path, token, **dict(cursor, **bad))
        assert response.status_code == 400, (bad, response.text)
        body = response.json()
        assert body['errorCode'] == code and 'limit' in body['message'] and body['debugId']
    bad_cursor = {'next': 0} if paging == 'next' else {'offset': -1}
    assert client.get(family, path, token, **dict(cursor, **bad_cursor)).status_code == 400
    assert client.get(family, path, token, **dict(cursor, limit=max_limit)).status_code == 200
    assert sim.stats(log=False)['by_status']['400'] >= 5


def test_list_tenants_needs_next(big):
    client, truth, msp = big.client, big.truth, big.msp
    response = client.get('central', 'network-msp/v1/list-tenants', msp, limit=10)
    assert response.status_code == 400 and 'next' in response.json()['message']
    response = client.get('central', 'network-msp/v1/list-tenants', msp, next=1)
    assert response.status_code == 400 and 'limit' in response.json()['message']
    first = client.get('central', 'network-msp/v1/list-tenants', msp, next=1, limit=100).json()
    assert first['count'] == 100 and first['next'] == '2'
    assert first['total'] == sum(1 for t in truth['tenants'] if t['central'])


def test_beyond_the_end_is_an_empty_last_page(big):
    client, msp, tenant = big.client, big.msp, big.tenant
    page = client.get('central', 'network-monitoring/v1/device-inventory', tenant, limit=1000, next=99).json()
    assert page['items'] == [] and page['next'] is None and page['total'] == 2100
    page = client.get('glp', 'workspaces/v1/msp-tenants', msp, offset=5000).json()
    assert page['items'] == [] and page['total'] == 310 and page['offset'] == 5000


def test_default_page_sizes(big):
    client, msp, tenant = big.client, big.msp, big.tenant
    """The definitions' defaults: msp-tenants 300, device-inventory 20, clients 100, alerts 20, sites-health 100."""
    assert client.get('glp', 'workspaces/v1/msp-tenants', msp).json()['count'] == 300
    assert client.get('central', 'network-monitoring/v1/device-inventory', tenant).json()['count'] == 20
    assert client.get('central', 'network-monitoring/v1/clients', tenant).json()['count'] == 100
    assert client.get('central', 'network-notifications/v1/alerts', tenant).json()['count'] == 20
    assert client.get('central', 'network-monitoring/v1/sites-health', tenant).json()['count'] == 100


def test_filtered_and_sorted_lists_page_consistently(big):
    sim, client, truth, tenant = big.sim, big.client, big.truth, big.tenant
    devices = sim.truth(truth['tenants'][0]['id'], 'devices')
    aps = sorted((d for d in devices if d['deviceType'] == 'ACCESS_POINT' and d['status'] == 'ONLINE'),
                 key=lambda d: d['deviceName'], reverse=True)
    got = client.collect('central', 'network-monitoring/v1/devices', tenant, 50,
                         filter="deviceType eq 'ACCESS_POINT' and status eq 'ONLINE'", sort='deviceName desc')
    assert got == aps and len(aps) > 100
