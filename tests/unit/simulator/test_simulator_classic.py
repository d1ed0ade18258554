"""The Classic gateway over HTTP: rotation and its counter, the OAuth grant, TenantID scoping, limits, rate headers."""
import requests

import pytest


@pytest.fixture
def classic(simulator):
    simulator.classic('POST', 'reset', {'tokens': True})
    info = simulator.info['classic']
    session = requests.Session()
    session.trust_env = False
    return simulator, info, session


def bundle(sim):
    return sim.classic('POST', 'faults', {'action': 'issue_token'})['token']


def refresh(info, session, token, **override):
    query = dict({'client_id': info['client_id'], 'client_secret': info['client_secret'],
                  'grant_type': 'refresh_token', 'refresh_token': token}, **override)
    return session.post(info['base_url'] + '/oauth2/token', params=query)


def get(info, session, path, token, tenant=None, **params):
    headers = {'Authorization': 'Bearer ' + token}
    if tenant:
        headers['TenantID'] = tenant
    return session.get(info['base_url'] + '/' + path, headers=headers, params=params)


def counters(sim):
    return sim.classic('GET', 'stats?log=0')['classic']


def test_refresh_rotates_and_counts_a_rotated_out_token(classic):
    sim, info, session = classic
    first = bundle(sim)
    answer = refresh(info, session, first['refresh_token'])
    assert answer.status_code == 200
    new = answer.json()
    assert new['expires_in'] == 7200 and new['token_type'] == 'bearer'
    assert new['refresh_token'] != first['refresh_token'] and new['access_token'] != first['access_token']
    # The old access token went with the old refresh token.
    assert get(info, session, 'msp_api/v1/customers', first['access_token']).status_code == 401
    assert get(info, session, 'msp_api/v1/customers', new['access_token']).status_code == 200
    again = refresh(info, session, first['refresh_token'])
    assert again.status_code == 400 and again.json() == {'error': 'invalid_grant', 'error_description': 'Invalid refresh_token'}
    assert counters(sim) == {'refreshes': 1, 'rotated_refresh_token_uses': 1, 'refresh_refused': 1}
    bad_client = refresh(info, session, new['refresh_token'], client_secret='nope')
    assert bad_client.status_code == 401 and bad_client.json()['error'] == 'invalid_client'


def test_idle_refresh_token_is_revoked_after_15_days(classic):
    sim, info, session = classic
    token = bundle(sim)
    sim.classic('POST', 'faults', {'action': 'advance_clock', 'seconds': 15 * 86400})
    assert refresh(info, session, token['refresh_token']).status_code == 400
    assert counters(sim).get('rotated_refresh_token_uses', 0) == 0


def test_oauth_grant_login_authorize_token(classic):
    sim, info, session = classic
    base = info['base_url'] + '/oauth2/authorize/central/api'
    refused = session.post(base + '/login', params={'client_id': info['client_id']},
                           json={'username': info['username'], 'password': 'wrong'})
    assert refused.status_code == 401 and refused.json() == {'message': 'Auth failure', 'status': False}
    # One call per second on the grant's steps.
    assert session.post(base + '/login', params={'client_id': info['client_id']},
                        json={'username': info['username'], 'password': info['password']}).status_code == 429
    sim.classic('POST', 'reset', {})
    login = session.post(base + '/login', params={'client_id': info['client_id']},
                         json={'username': info['username'], 'password': info['password']})
    assert login.status_code == 200 and login.json() == {'status': True}
    csrf, cookie = login.cookies['csrftoken'], login.cookies['session']
    session.cookies.clear()
    sim.classic('POST', 'reset', {})
    query = {'client_id': info['client_id'], 'response_type': 'code', 'scope': 'all'}
    no_csrf = session.post(base + '/', params=query, headers={'Cookie': 'session=' + cookie},
                           json={'customer_id': info['msp_customer_id']})
    assert no_csrf.status_code == 401
    sim.classic('POST', 'reset', {})
    code = session.post(base + '/', params=query, headers={'Cookie': 'session=' + cookie, 'X-CSRF-Token': csrf},
                        json={'customer_id': info['msp_customer_id']})
    assert code.status_code == 200
    auth_code = code.json()['auth_code']
    token = session.post(info['base_url'] + '/oauth2/token', params={
        'client_id': info['client_id'], 'client_secret': info['client_secret'], 'grant_type': 'authorization_code',
        'code': auth_code})
    assert token.status_code == 200 and token.json()['refresh_token']
    # An authorization code works once.
    assert session.post(info['base_url'] + '/oauth2/token', params={
        'client_id': info['client_id'], 'client_secret': info['client_secret'], 'grant_type': 'authorization_code',
        'code': auth_code}).status_code == 400


def test_tenantid_scopes_calls_and_limits_are_enforced(classic):
    sim, info, session = classic
    token = bundle(sim)['access_token']
    sim.classic('POST', 'faults', {'action': 'config', 'rate_limit': 0})  # many calls in a row here
    truth = sim.classic('GET', 'truth')
    acme = next(c for c in truth['customers'] if c['customer_name'] == 'Acme Retail')['customer_id']
    aps = get(info, session, 'monitoring/v2/aps', token, acme, calculate_total='true', limit=2)
    assert aps.status_code == 200
    body = aps.json()
    assert body['total'] == len(sim.classic('GET', 'truth/%s/aps' % acme)) and body['count'] == 2
    assert 'total' not in get(info, session, 'monitoring/v2/aps', token, acme).json()
    assert get(info, session, 'monitoring/v2/aps', token).json()['aps'] == []
    assert get(info, session, 'monitoring/v2/aps', token, 'f' * 32).status_code == 403
    assert get(info, session, 'msp_api/v1/customers', token, acme).status_code == 403
    too_many = get(info, session, 'msp_api/v1/customers', token, limit=51)
    assert too_many.status_code == 400 and too_many.json()['error_code'] == 'LIMIT_REQUEST_EXCEEDED'
    assert get(info, session, 'monitoring/v2/aps', token, acme, limit=1001).status_code == 400
    no_type = get(info, session, 'monitoring/v2/clients', token, acme)
    assert no_type.status_code == 400 and 'client_type is required' in no_type.json()['description']
    page = get(info, session, 'msp_api/v1/customers', token, limit=50, offset=50).json()
    assert page['total'] == 55 and len(page['customers']) == 5
    assert get(info, session, 'monitoring/v2/aps', 'not-a-token').json()['error'] == 'invalid_token'


def test_rate_limit_headers_per_second_and_daily_quota(classic):
    sim, info, session = classic
    token = bundle(sim)['access_token']
    sim.classic('POST', 'faults', {'action': 'config', 'daily_quota': 9})
    statuses = [get(info, session, 'central/v2/sites', token) for call in range(8)]
    first = statuses[0].headers
    assert first['X-RateLimit-Limit-second'] == '7' and first['X-RateLimit-Limit-day'] == '9'
    assert first['X-RateLimit-Remaining-day'] == '8'
    # Requests fast enough to fall in one second: the eighth is refused unless a second boundary passed.
    refused = [r for r in statuses if r.status_code == 429]
    for response in refused:
        assert response.json() == {'message': 'API rate limit exceeded'}
        assert response.headers['X-RateLimit-Remaining-second'] == '0'
    sim.classic('POST', 'faults', {'action': 'spend_quota'})
    sim.classic('POST', 'faults', {'action': 'config', 'rate_limit': 0})
    spent = get(info, session, 'central/v2/sites', token)
    assert spent.status_code == 429 and spent.headers['X-RateLimit-Remaining-day'] == '0'
    assert counters(sim)['quota_refused'] == 1


def test_faults_answer_before_the_gateway(classic):
    sim, info, session = classic
    token = bundle(sim)
    sim.classic('POST', 'faults', {'path': '^/oauth2/token$', 'status': 503, 'count': 1})
    assert refresh(info, session, token['refresh_token']).status_code == 503
    # The injected failure did not rotate: the refresh token still works.
    assert refresh(info, session, token['refresh_token']).status_code == 200
    sim.classic('POST', 'faults', {'path': 'sites', 'status': 502, 'body': 'html', 'count': 1})
    answer = get(info, session, 'central/v2/sites', token['access_token'])
    assert answer.status_code == 502 and answer.headers['Content-Type'] == 'text/html'


def test_paging_anomalies_as_for_glp(classic):
    sim, info, session = classic
    token = bundle(sim)['access_token']
    sim.classic('POST', 'faults', {'action': 'config', 'rate_limit': 0})
    sim.classic('POST', 'faults', {'action': 'paging_anomaly', 'path': 'customers', 'kind': 'next_repeats', 'count': 1})
    repeated = get(info, session, 'msp_api/v1/customers', token, limit=50, offset=50).json()
    first = get(info, session, 'msp_api/v1/customers', token, limit=50, offset=0).json()
    assert repeated['customers'] == first['customers']
    sim.classic('POST', 'faults', {'action': 'paging_anomaly', 'path': 'customers', 'kind': 'total_changes', 'count': 1})
    assert get(info, session, 'msp_api/v1/customers', token, limit=50, offset=50).json()['total'] == 56
    sim.classic('POST', 'faults', {'action': 'paging_anomaly', 'path': 'customers', 'kind': 'empty_page', 'count': 1})
    assert get(info, session, 'msp_api/v1/customers', token, limit=50, offset=50).json()['customers'] == []
    assert sim.classic('GET', 'stats?log=0')['faults_injected'] == 3
