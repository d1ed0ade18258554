"""Every kind of injected fault, and that the stats count them."""
import time

import pytest
import requests

INVENTORY = 'network-monitoring/v1/device-inventory'
TENANTS = 'workspaces/v1/msp-tenants'


@pytest.fixture
def tokens(sim, client, tenants):
    """An MSP token and an Acme token, taken before the test starts counting."""
    msp = client.msp_token()
    tenant = client.exchange(tenants['Acme Retail Group']['id'], msp)
    sim.reset()
    return msp, tenant


@pytest.mark.parametrize('body,content_type', [('json', 'application/json'), ('html', 'text/html'), ('empty', None)])
def test_next_n_matching_requests_fail(sim, client, tokens, body, content_type):
    msp, tenant = tokens
    sim.fault(path='device-inventory$', count=2, status=503, body=body)
    for _i in range(2):
        assert client.get('glp', TENANTS, msp).status_code == 200   # not matching: untouched
        response = client.get('central', INVENTORY, tenant)
        assert response.status_code == 503
        assert response.headers.get('Content-Type') == content_type
        if body == 'json':
            assert response.json()['errorCode'] == 'HPE_GL_ERROR_SERVICE_UNAVAILABLE' and response.json()['httpStatusCode'] == 503
        elif body == 'html':
            assert response.text.startswith('<html>')
        else:
            assert response.content == b''
    assert client.get('central', INVENTORY, tenant).status_code == 200
    stats = sim.stats()
    assert stats['faults_injected'] == 2 and stats['by_status']['503'] == 2
    assert [e['fault'] for e in stats['requests_log'] if e['path'].endswith('device-inventory')] == [True, True, False]


def test_fault_method_headers_and_rate_limit_hints(sim, client, tokens):
    msp, tenant = tokens
    sim.fault(path='^/authorization/', method='POST', count=1, status=429, retry_after=2, reset_header=3, headers={'X-Test': 'yes'})
    assert client.get('glp', TENANTS, msp).status_code == 200
    limited = client.client_credentials()
    assert limited.status_code == 429 and limited.json()['errorCode'] == 'HPE_GL_ERROR_TOO_MANY_REQUESTS'
    assert (limited.headers['Retry-After'], limited.headers['ratelimit-reset'], limited.headers['X-Test']) == ('2', '3', 'yes')
    sim.fault(path='inventory', status=429, reset_header=4)
    central = client.get('central', INVENTORY, tenant)
    assert central.headers['X-RateLimit-Reset'] == '4' and 'Retry-After' not in central.headers
    assert sim.stats()['token_requests'] == 1
    # A rule for one origin leaves the other alone.
    sim.fault(path='.', origin='central', status=502, count=-1)
    assert client.get('glp', TENANTS, msp).status_code == 200 and client.get('central', INVENTORY, tenant).status_code == 502


def test_always_failing_rule_until_reset(sim, client, tokens):
    msp = tokens[0]
    sim.fault(path=TENANTS, count=-1, status=500)
    assert [client.get('glp', TENANTS, msp).status_code for _i in range(5)] == [500] * 5
    sim.reset()
    assert client.get('glp', TENANTS, msp).status_code == 200


def test_delay_and_connection_reset(sim, client, tokens):
    msp, tenant = tokens
    sim.fault(path=TENANTS, delay_ms=300)
    started = time.monotonic()
    assert client.get('glp', TENANTS, msp).status_code == 200
    assert time.monotonic() - started >= 0.3
    sim.fault(path='device-inventory', reset_connection=True, count=1)
    with pytest.raises(requests.ConnectionError):
        client.get('central', INVENTORY, tenant)
    assert client.get('central', INVENTORY, tenant).status_code == 200
    assert sim.stats()['faults_injected'] == 2


def test_fail_exchange(sim, client, tenants):
    acme, bistro = tenants['Acme Retail Group'], tenants["Bistro d'Or"]
    msp = client.msp_token()
    sim.fault(action='fail_exchange', tenant=acme['id'], count=1)
    refused = client.post_token(acme['hex'], dict(grant_type='urn:ietf:params:oauth:grant-type:token-exchange',
                                                  subject_token=msp,
                                                  subject_token_type='urn:ietf:params:oauth:token-type:access_token'))
    assert refused.status_code == 403 and refused.json()['error'] == 'access_denied'
    assert client.exchange(acme['id'], msp)
    sim.fault(action='fail_exchange', tenant=bistro['hex'], count=-1, status=400, error='invalid_target')
    for _i in range(3):
        with pytest.raises(requests.HTTPError) as err:
            client.exchange(bistro['id'], msp)
        assert err.value.response.json()['error'] == 'invalid_target'
    stats = sim.stats()
    assert stats['exchanges_by_tenant'] == {acme['id']: 1} and stats['faults_injected'] == 4


@pytest.mark.parametrize('kind,status', [('429', 429), ('500', 500), ('502', 502), ('503', 503), ('reset', None)])
def test_random_failures_of_each_kind(sim, client, tokens, kind, status):
    msp = tokens[0]
    sim.fault(action='random_failures', rate=1, seed=3, kinds=[kind])
    for call in (lambda: client.get('glp', TENANTS, msp), client.client_credentials):
        if status is None:
            with pytest.raises(requests.ConnectionError):
                call()
        else:
            assert call().status_code == status
    sim.fault(action='random_failures', rate=0)
    assert client.get('glp', TENANTS, msp).status_code == 200
    assert sim.stats()['faults_injected'] == 2


def test_random_failure_rate_is_seeded(sim, client, tokens):
    msp = tokens[0]
    outcomes = []
    for _i in range(2):
        sim.fault(action='random_failures', rate=0.3, seed=11, kinds=['500', '503'])
        outcomes.append([client.get('glp', TENANTS, msp).status_code for _i in range(40)])
    assert outcomes[0] == outcomes[1] and 5 <= sum(s != 200 for s in outcomes[0]) <= 20


def test_paging_anomalies(sim, client, tenants):
    token = client.exchange(tenants['Zürich Kliniken']['id'])
    total = tenants['Zürich Kliniken']['counts']['device-inventory']
    sim.fault(action='paging_anomaly', path='device-inventory', kind='total_changes')
    pages = [client.get('central', INVENTORY, token, limit=10, next=n).json() for n in (1, 2, 3)]
    assert [p['total'] for p in pages] == [total, total + 1, total + 2]
    sim.reset()
    sim.fault(action='paging_anomaly', path='device-inventory', kind='next_repeats')
    assert [client.get('central', INVENTORY, token, limit=10, next=n).json()['next'] for n in (1, 2, 7)] == ['1', '2', '7']
    sim.reset()
    sim.fault(action='paging_anomaly', path='device-inventory', kind='empty_page')
    first, second = (client.get('central', INVENTORY, token, limit=10, next=n).json() for n in (1, 2))
    assert len(first['items']) == 10 and second['items'] == [] and second['next'] == '3' and second['total'] == total
    sim.reset()
    sim.fault(action='paging_anomaly', path='sites-health', kind='next_repeats', count=1)
    repeated = client.get('central', 'network-monitoring/v1/sites-health', token, limit=2, offset=2).json()
    assert repeated['items'] == client.get('central', 'network-monitoring/v1/sites-health', token, limit=2).json()['items']
    assert sim.stats()['faults_injected'] == 1
    sim.reset()
    sites = client.get('central', 'network-monitoring/v1/sites-health', token, limit=100).json()['items']
    sim.fault(action='paging_anomaly', path='sites-health', kind='total_too_low')
    low = client.get('central', 'network-monitoring/v1/sites-health', token, limit=1, offset=len(sites) // 2).json()
    assert low['total'] == len(sites) // 2 and low['items'] == sites[len(sites) // 2:len(sites) // 2 + 1]
    sim.reset()
    sim.fault(action='paging_anomaly', path='sites-health', kind='endless')
    beyond = client.get('central', 'network-monitoring/v1/sites-health', token, limit=2, offset=len(sites) + 4).json()
    assert len(beyond['items']) == 2 and not {site['id'] for site in beyond['items']} & {site['id'] for site in sites}


def test_runtime_config(sim, client, tokens):
    msp = tokens[0]
    sim.fault(action='config', latency_ms=150)
    started = time.monotonic()
    client.get('glp', TENANTS, msp)
    assert time.monotonic() - started >= 0.15
    sim.fault(action='config', token_ttl=60)
    assert client.client_credentials().json()['expires_in'] == 60
    with pytest.raises(RuntimeError):
        sim.fault(action='config', colour='blue')
    sim.reset()
    assert sim.admin('GET', 'config')['latency_ms'] == 0


@pytest.mark.parametrize('spec', [{'path': '('}, {'path': 'x'}, {'path': 'x', 'status': 500, 'body': 'xml'},
                                  {'path': 'x', 'status': 500, 'count': 0}, {'action': 'nope'},
                                  {'action': 'fail_exchange', 'tenant': 'unknown'},
                                  {'action': 'random_failures', 'rate': 2}, {'action': 'paging_anomaly', 'kind': 'odd'}])
def test_bad_fault_definitions(sim, spec):
    with pytest.raises(RuntimeError, match='400'):
        sim.fault(**spec)


# ---- hostile and broken answers (issue 15) ------------------------------------------------------------------

def test_echo_answers_repeat_the_request_in_the_body_escaped_and_in_headers(sim, client, tokens):
    _msp, tenant = tokens
    sim.fault(path='device-inventory$', status=400, body='echo')
    response = client.get('central', INVENTORY, tenant)
    assert response.status_code == 400
    assert f'authorization=Bearer {tenant}' in response.json()['message']
    assert '\\u0042\\u0065\\u0061\\u0072\\u0065\\u0072' in response.text  # "Bearer", JSON-escaped in the raw text
    assert response.json()['echo'].startswith(f'Bearer {tenant}')
    assert response.headers['X-Debug-Echo'] == f'Bearer {tenant}'
    assert tenant in requests.utils.unquote(response.headers['Location'])
    assert tenant in requests.utils.unquote(response.headers['Link'])
    sim.fault(path='oauth2', method='POST', status=401, body='echo')
    basic = client.client_credentials()
    assert 'authorization=Basic ' in basic.json()['message'] and 'grant_type=client_credentials' in basic.json()['message']


def test_custom_bodies_are_served_as_given_with_any_status(sim, client, tokens):
    msp, _tenant = tokens
    sim.fault(path='msp-tenants', status=200, body='custom', json={'items': ['a string', {'id': None}], 'total': 2})
    assert client.get('glp', TENANTS, msp).json() == {'items': ['a string', {'id': None}], 'total': 2}
    assert client.get('glp', TENANTS, msp).json()['total'] > 2  # count 1: the real list again
    with pytest.raises(RuntimeError, match='needs the answer in'):
        sim.fault(path='x', status=200, body='custom')


def test_a_rule_for_one_tenant_leaves_the_others_alone(sim, client, tenants):
    msp = client.msp_token()
    acme = client.exchange(tenants['Acme Retail Group']['id'], msp)
    other_name = next(name for name, t in tenants.items() if t['central_id'] and name != 'Acme Retail Group')
    other = client.exchange(tenants[other_name]['id'], msp)
    sim.fault(path='device-inventory$', status=503, count=-1, tenant=tenants['Acme Retail Group']['id'])
    assert client.get('central', INVENTORY, other).status_code == 200
    assert client.get('central', INVENTORY, acme).status_code == 503
    assert client.get('central', INVENTORY, msp).status_code != 503  # no tenant token: not the rule's


def test_a_dripping_answer_sends_its_body_a_byte_at_a_time(sim, client, tokens):
    _msp, tenant = tokens
    sim.fault(path='device-inventory$', drip_ms=20)
    started = time.monotonic()
    response = client.get('central', INVENTORY, tenant, limit=1)
    # At least one gap per byte after the first: the body cannot have come in one piece.
    assert response.status_code == 200 and time.monotonic() - started >= 0.02 * (len(response.content) - 1)
    assert response.json()['items']


@pytest.mark.parametrize('kind', ['total_too_low', 'endless', 'oversize'])
def test_lying_paging(sim, client, tokens, tenants, kind):
    _msp, tenant = tokens
    truth = sim.truth(tenants['Acme Retail Group']['id'], 'device-inventory')
    assert len(truth) > 4
    sim.fault(action='paging_anomaly', path='device-inventory$', kind=kind)
    first = client.get('central', INVENTORY, tenant, limit=2).json()
    if kind == 'total_too_low':
        assert first['total'] == len(truth) // 2 and first['next'] == '2'
    elif kind == 'oversize':
        assert len(first['items']) == len(truth) and first['next'] is None
    else:
        past = client.get('central', INVENTORY, tenant, limit=2, next=str(len(truth) + 5)).json()
        assert len(past['items']) == 2 and past['next'] == str(len(truth) + 6)
        # Made up, yet well-formed: new serial numbers of the real ones' length (the page passes the contract).
        real = {item['serialNumber'] for item in truth}
        assert all(item['serialNumber'] not in real and len(item['serialNumber']) == len(truth[0]['serialNumber'])
                   for item in past['items'])


def test_item_value_changes_one_field_of_served_items(sim, client, tokens, tenants):
    """What the contract forbids, served on purpose: one field's value, in one item or every item of the page; the
    dataset (the truth) and the other endpoints keep theirs, and the stats count it as a fault."""
    msp, tenant = tokens
    sim.fault(action='item_value', endpoint='devices', field='status', value='BROKEN', index=3)
    sim.fault(action='item_value', endpoint='alerts', field='severity', value=None, count=1)
    devices = client.get('central', 'network-monitoring/v1/devices', tenant).json()['items']
    assert [item['status'] == 'BROKEN' for item in devices] == [index == 3 for index in range(len(devices))]
    alerts = client.get('central', 'network-notifications/v1/alerts', tenant).json()['items']
    assert alerts and all(item['severity'] is None for item in alerts)
    again = client.get('central', 'network-notifications/v1/alerts', tenant).json()['items']
    assert all(item['severity'] in ('Critical', 'Major', 'Minor') for item in again)   # count 1: once only
    assert client.get('central', 'network-monitoring/v1/devices', tenant).json()['items'][3]['status'] == 'BROKEN'
    inventory = client.get('central', INVENTORY, tenant).json()['items']
    assert 'BROKEN' not in {item['status'] for item in inventory}
    acme = tenants['Acme Retail Group']['id']
    assert 'BROKEN' not in {item['status'] for item in sim.truth(acme, 'devices')}
    assert sim.stats()['faults_injected'] == 3
    sim.reset()
    assert 'BROKEN' not in {item['status'] for item in client.get('central', 'network-monitoring/v1/devices',
                                                                  tenant).json()['items']}


@pytest.mark.parametrize('spec', [{'endpoint': 'nowhere', 'field': 'status', 'value': 'x'},
                                  {'endpoint': 'devices', 'value': 'x'},
                                  {'endpoint': 'devices', 'field': 'status'},
                                  {'endpoint': 'devices', 'field': 'status', 'value': 'x', 'index': -1},
                                  {'endpoint': 'devices', 'field': 'status', 'value': 'x', 'count': 0}])
def test_bad_item_value_faults(sim, spec):
    with pytest.raises(RuntimeError, match='400'):
        sim.fault(action='item_value', **spec)
