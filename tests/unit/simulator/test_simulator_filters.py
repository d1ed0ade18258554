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
FIELDS_FOR = {'device-inventory': ('deviceType',), 'devices': ('status', 'siteName', 'deviceType'),
              'clients': ('clientConnectionType', 'wlanName', 'status'), 'alerts': ('deviceType', 'status'),
              'sites-health': ('siteName',)}


@pytest.mark.parametrize('path,text', [
    ('network-monitoring/v1/device-inventory', "deviceType eq 'SWITCH'"),
    ('network-monitoring/v1/devices', "status eq 'OFFLINE'"),
    ('network-monitoring/v1/devices', "siteName eq 'Northwind DC Memphis' and deviceType in ('ACCESS_POINT', 'GATEWAY')"),
    ('network-monitoring/v1/clients', "clientConnectionType eq 'Wired'"),
    ('network-monitoring/v1/clients', "wlanName eq 'NW-Scanners' and status eq 'Connected'"),
    ('network-notifications/v1/alerts', "status eq 'Active' and deviceType in ('Switch', 'Gateway')"),
    ('network-monitoring/v1/sites-health', "siteName in ('Northwind DC Memphis', 'Northwind Hub Reno')"),
])
def test_central_filters_match_the_truth(sim, client, tenants, path, text):
    northwind = tenants['Northwind Logistics']
    token = client.exchange(northwind['id'])
    kind = path.rsplit('/', 1)[1]
    predicate = compile_filter(text, FIELDS_FOR[kind])
    expected = [item for item in sim.truth(northwind['id'], kind) if predicate(item)]
    if kind == 'clients' and 'status' not in text:
        expected = [item for item in expected if item['status'] == 'Connected']   # the live default filter
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
        assert response.status_code == 400
        assert response.json()['errorCode'] == 'HPE_GL_NETWORK_MONITORING_INVALID_INPUT'


LIVE_400 = {'httpStatusCode', 'errorCode', 'message', 'debugId'}


def central_400(response, error_code, *words):
    """The live Central 400: exactly the four keys, the endpoint's errorCode, a message naming the problem."""
    assert response.status_code == 400, response.text
    body = response.json()
    assert set(body) == LIVE_400 and body['httpStatusCode'] == 400 and body['errorCode'] == error_code
    assert body['debugId'] and all(word in body['message'] for word in words), body['message']


MONITORING = 'HPE_GL_NETWORK_MONITORING_INVALID_INPUT'
NOTIFICATIONS = 'HPE_GL_NETWORK_NOTIFICATIONS_BAD_REQUEST'
MSP = 'HPE_GL_NETWORK_SERVICES_INVALID_INPUT'


@pytest.mark.parametrize('path,params,code,words', [
    # joins and operators Central does not take
    ('network-monitoring/v1/devices', {'filter': "status eq 'OFFLINE' or deviceType eq 'SWITCH'"}, MONITORING, ("'or'",)),
    ('network-monitoring/v1/devices', {'filter': "not status eq 'OFFLINE'"}, MONITORING, ("'not'",)),
    ('network-monitoring/v1/devices', {'filter': "model gt 'AP-5'"}, MONITORING, ("'gt'", 'model')),
    ('network-monitoring/v1/devices', {'filter': "status ne 'OFFLINE'"}, MONITORING, ("'ne'",)),
    # fields the endpoint does not filter on
    ('network-monitoring/v1/device-inventory', {'filter': "status eq 'OFFLINE'"}, MONITORING, ("'status'",)),
    ('network-notifications/v1/alerts', {'filter': "severity eq 'Critical'"}, NOTIFICATIONS, ("'severity'",)),
    ('network-monitoring/v1/clients', {'filter': "siteName eq 'Northwind Hub Reno'"}, MONITORING, ("'siteName'",)),
    ('network-monitoring/v1/sites-health', {'filter': "address.city eq 'Memphis'"}, MONITORING, ("'address.city'",)),
    # query parameters the endpoint does not take
    ('network-monitoring/v1/devices', {'site-name': 'Northwind Hub Reno'}, MONITORING, ("'site-name'",)),
    ('network-notifications/v1/alerts', {'severity': 'Critical'}, NOTIFICATIONS, ("'severity'",)),
    ('network-monitoring/v1/sites-health', {'next': '1'}, MONITORING, ("'next'",)),
    # limits out of range
    ('network-notifications/v1/alerts', {'limit': 101}, NOTIFICATIONS, ('limit', '100')),
    ('network-monitoring/v1/sites-health', {'limit': 1001}, MONITORING, ('limit', '1000')),
    ('network-monitoring/v1/device-inventory', {'site-assigned': 'SOMETIMES'}, MONITORING, ('site-assigned',)),
    # a quote doubled the GLP way is not Central's escape (\')
    ('network-monitoring/v1/devices', {'filter': "siteName eq 'Bistro d''Or Lyon'"}, MONITORING, ('filter',)),
    # the clients' time window
    ('network-monitoring/v1/clients', {'start-at': '2025-11-20T12:00:00Z', 'end-at': '2025-11-20T11:00:00Z'}, MONITORING,
     ('start-at',)),
    ('network-monitoring/v1/clients', {'start-at': '2025-11-01T00:00:00Z'}, MONITORING, ('7 days',)),
    ('network-monitoring/v1/clients', {'start-at': 'yesterday'}, MONITORING, ('RFC 3339',)),
])
def test_refusals_get_the_live_400_body(sim, client, tenants, path, params, code, words):
    token = client.exchange(tenants['Northwind Logistics']['id'])
    central_400(client.get('central', path, token, **params), code, *words)


def test_list_tenants_refusals(sim, client):
    msp = client.msp_token()
    path = 'network-msp/v1/list-tenants'
    central_400(client.get('central', path, msp, limit=101, next=1), MSP, 'limit')
    central_400(client.get('central', path, msp, limit=10, next=1, filter="tenantName in ('Acme Retail Group')"), MSP,
                "'in'", 'tenantName')
    central_400(client.get('central', path, msp, limit=10, next=1, filter="deviceOwnership eq 'MSP'"), MSP, "'eq'")
    page = client.get('central', path, msp, limit=10, next=1, filter="tenantName eq 'Bistro d\\'Or'").json()
    assert [t['tenantName'] for t in page['items']] == ["Bistro d'Or"]
    mine = client.get('central', path, msp, limit=10, next=1, filter="deviceOwnership in ('TENANT')").json()
    assert [t['tenantName'] for t in mine['items']] == ["Bistro d'Or"]


def test_glp_refusal_has_error_details(sim, client):
    response = client.get('glp', 'workspaces/v1/msp-tenants', client.msp_token(), limit=301)
    assert response.status_code == 400
    body = response.json()
    assert body['errorCode'] == 'HPE_GL_ERROR_BAD_REQUEST'
    assert body['errorDetails'][0]['issues'][0]['subject'] == 'limit'


def test_clients_default_filter_window_and_site_parameters(sim, client, tenants):
    """Connected clients unless a status is asked for; failed ones only inside start-at/end-at (default: the 3 hours
    before the simulator's present, 2025-11-20T12:00Z); the site chosen by site-id / site-name."""
    acme = tenants['Acme Retail Group']
    token = client.exchange(acme['id'])
    truth = sim.truth(acme['id'], 'clients')
    failed = [c for c in truth if c['status'] == 'Failed']
    recent = [c for c in failed if c['lastSeenAt'] >= '2025-11-20T09:00:00']
    assert failed and recent and len(recent) < len(failed), 'the dataset must put failed clients on both sides of the window'
    path = 'network-monitoring/v1/clients'
    assert client.collect('central', path, token, 100) == [c for c in truth if c['status'] == 'Connected']
    assert client.collect('central', path, token, 100, filter="status eq 'Failed'") == recent
    week = client.collect('central', path, token, 100, filter="status eq 'Failed'", **{'start-at': '2025-11-14T12:00:00Z'})
    assert week == failed
    both = client.collect('central', path, token, 100, filter="status in ('Connected', 'Failed')")
    assert both == [c for c in truth if c['status'] == 'Connected' or c in recent]
    site = truth[0]['siteName']
    by_name = client.collect('central', path, token, 100, **{'site-name': site})
    by_id = client.collect('central', path, token, 100, **{'site-id': truth[0]['siteId']})
    assert by_name == by_id == [c for c in truth if c['siteName'] == site and c['status'] == 'Connected']
