"""`filter` (the OData subset) and `sort`, directly and through the APIs."""
import pytest

from tests.simulator.odata import QueryError, compile_filter, sort_items

ITEMS = [{'name': "Bistro d'Or", 'n': 1, 'ok': True, 'address': {'city': 'Lyon'}},
         {'name': 'Acme', 'n': 2, 'ok': False, 'address': {'city': None}},
         {'name': 'Z\u00fcrich Kliniken', 'n': None, 'ok': True, 'address': {}}]
FIELDS = ('name', 'n', 'ok', 'address.city')


@pytest.mark.parametrize('text,names', [
    ("name eq 'Bistro d''Or'", ["Bistro d'Or"]),
    ("name eq 'Z\u00fcrich Kliniken'", ['Z\u00fcrich Kliniken']),
    ("name ne 'Acme'", ["Bistro d'Or", 'Z\u00fcrich Kliniken']),
    ("name in ('Acme', 'Bistro d''Or')", ["Bistro d'Or", 'Acme']),
    ('n gt 1', ['Acme']), ('n ge 1', ["Bistro d'Or", 'Acme']), ('n lt 2', ["Bistro d'Or"]), ('n le 2', ["Bistro d'Or", 'Acme']),
    ('n eq null', ['Z\u00fcrich Kliniken']), ('ok eq true', ["Bistro d'Or", 'Z\u00fcrich Kliniken']),
    ("name gt 'B'", ["Bistro d'Or", 'Z\u00fcrich Kliniken']),
    ("not name eq 'Acme'", ["Bistro d'Or", 'Z\u00fcrich Kliniken']),
    ("n eq 1 or n eq 2 and name eq 'Acme'", ["Bistro d'Or", 'Acme']),
    ("(n eq 1 or n eq 2) and not (name eq 'Acme')", ["Bistro d'Or"]),
    ("address.city eq 'Lyon' AND ok eq true", ["Bistro d'Or"]),
])
def test_filter_expressions(text, names):
    predicate = compile_filter(text, FIELDS)
    assert [i['name'] for i in ITEMS if predicate(i)] == names


@pytest.mark.parametrize('text', ['', 'color eq 1', "name eq 'open", 'name eq', 'name like 1', '(n eq 1',
                                  'n eq 1 n', "name in 'Acme'", 'n eq 1 and', '= 1'])
def test_bad_filters_are_rejected(text):
    with pytest.raises(QueryError):
        compile_filter(text, FIELDS)


def test_sort():
    assert [i['n'] for i in sort_items(ITEMS, 'n desc', FIELDS)] == [None, 2, 1]
    assert [i['n'] for i in sort_items(ITEMS, 'n', FIELDS)] == [1, 2, None]
    assert [i['name'] for i in sort_items(ITEMS, 'ok desc, name asc', FIELDS)][0] == "Bistro d'Or"
    for bad in ('color', 'n sideways', 'n asc desc', ','):
        with pytest.raises(QueryError):
            sort_items(ITEMS, bad, FIELDS)


def test_tenant_name_lookup_with_quotes_and_non_ascii(sim, client, tenants):
    msp = client.msp_token()
    for name in ("Bistro d'Or", 'Z\u00fcrich Kliniken', 'Harbor View Dental'):
        quoted = name.replace("'", "''")
        page = client.get('glp', 'workspaces/v1/msp-tenants', msp, filter=f"workspaceName eq '{quoted}'").json()
        assert [t['id'] for t in page['items']] == [tenants[name]['id']] and page['total'] == 1
    unescaped = client.get('glp', 'workspaces/v1/msp-tenants', msp, filter="workspaceName eq 'Bistro d'Or'")
    assert unescaped.status_code == 400
    both = client.get('glp', 'workspaces/v1/msp-tenants', msp,
                      filter="workspaceName in ('Acme Retail Group', 'Northwind Logistics')").json()
    assert [t['workspaceName'] for t in both['items']] == ['Acme Retail Group', 'Northwind Logistics']
    assert client.get('glp', 'workspaces/v1/msp-tenants', msp, filter="workspaceName eq 'acme retail group'").json()['total'] == 0
    sim.fault(action='add_tenant', name="Bistro d'Or", devices=3)
    dupes = client.get('glp', 'workspaces/v1/msp-tenants', msp, filter="workspaceName eq 'Bistro d''Or'").json()
    assert dupes['total'] == 2


# The fields each case below filters on, to evaluate it against the ground truth.
FIELDS_FOR = {'device-inventory': ('deviceType',), 'devices': ('status', 'health', 'siteName', 'deviceType'),
              'clients': ('clientConnectionType', 'wlanName', 'status'), 'alerts': ('severity', 'status'),
              'sites-health': ('address.city',)}


@pytest.mark.parametrize('path,text', [
    ('network-monitoring/v1/device-inventory', "deviceType eq 'SWITCH'"),
    ('network-monitoring/v1/devices', "status eq 'OFFLINE' or health eq 'Fair'"),
    ('network-monitoring/v1/devices', "siteName eq 'Northwind DC Memphis' and deviceType in ('AP', 'GATEWAY')"),
    ('network-monitoring/v1/clients', "clientConnectionType eq 'WIRED'"),
    ('network-monitoring/v1/clients', "wlanName eq 'NW-Scanners' and not status eq 'FAILED'"),
    ('network-notifications/v1/alerts', "severity eq 'CRITICAL' and status eq 'ACTIVE'"),
    ('network-monitoring/v1/sites-health', "address.city ne 'Memphis'"),
])
def test_central_filters_match_the_truth(sim, client, tenants, path, text):
    northwind = tenants['Northwind Logistics']
    token = client.exchange(northwind['id'])
    kind = path.rsplit('/', 1)[1]
    expected = [item for item in sim.truth(northwind['id'], kind) if compile_filter(text, FIELDS_FOR[kind])(item)]
    got = client.collect('central', path, token, 7, filter=text)
    assert got == expected and expected


def test_sort_and_bad_queries_through_the_api(sim, client, tenants):
    token = client.exchange(tenants['Zürich Kliniken']['id'])
    path = 'network-monitoring/v1/device-inventory'
    got = client.collect('central', path, token, 10, sort='siteName asc, serialNumber desc')
    truth = sim.truth(tenants['Zürich Kliniken']['id'], 'device-inventory')
    assert got == sorted(sorted(truth, key=lambda d: d['serialNumber'], reverse=True),
                         key=lambda d: (d['siteName'] is None, d['siteName'] or ''))
    for params in ({'filter': "color eq 'red'"}, {'filter': 'deviceType eq'}, {'sort': 'color asc'}, {'sort': 'siteName up'}):
        response = client.get('central', path, token, **params)
        assert response.status_code == 400 and response.json()['errorCode'] == 'HPE_GL_ERROR_BAD_REQUEST'
