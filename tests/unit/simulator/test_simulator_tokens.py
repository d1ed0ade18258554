"""Token rules: both client-auth styles, RFC 6749 errors, the exchange and its dash rule, scopes, expiry, revocation."""
import time

import pytest

from tests.simulator.client import CLIENT_CREDENTIALS, EXCHANGE

INVENTORY = 'network-monitoring/v1/device-inventory'


def oauth_error(response, status, error):
    assert response.status_code == status, response.text
    assert response.json()['error'] == error and response.json()['error_description']
    assert '"access_token"' not in response.text


def test_client_credentials_with_basic_or_form_body(sim, client):
    info = sim.info
    basic = client.post_token(info['workspace_id'], CLIENT_CREDENTIALS, (info['client_id'], info['client_secret']))
    form = client.post_token(info['workspace_id'].replace('-', ''),
                             dict(CLIENT_CREDENTIALS, client_id=info['client_id'], client_secret=info['client_secret']))
    for response in (basic, form):
        assert response.status_code == 200 and response.headers['Cache-Control'] == 'no-store'
        body = response.json()
        assert body['token_type'] == 'Bearer' and body['expires_in'] == 900 and body['scope']
        assert len(body['access_token']) >= 40
    assert basic.json()['access_token'] != form.json()['access_token']
    stats = sim.stats()
    assert stats['msp_tokens'] == 2 and stats['token_requests'] == 2
    assert stats['issued_tokens'] == [basic.json()['access_token'], form.json()['access_token']]


@pytest.mark.parametrize('style', ['basic', 'form'])
@pytest.mark.parametrize('which', ['secret', 'id'])
def test_wrong_credentials_are_invalid_client(sim, client, style, which):
    info = sim.info
    client_id = info['client_id'] if which == 'secret' else 'not-a-client'
    secret = info['client_secret'] + 'x' if which == 'secret' else info['client_secret']
    if style == 'basic':
        response = client.post_token(info['workspace_id'], CLIENT_CREDENTIALS, (client_id, secret))
        oauth_error(response, 401, 'invalid_client')
        assert response.headers['WWW-Authenticate'].startswith('Basic')
    else:
        response = client.post_token(info['workspace_id'], dict(CLIENT_CREDENTIALS, client_id=client_id, client_secret=secret))
        oauth_error(response, 400, 'invalid_client')
    assert sim.stats()['issued_tokens'] == []


def test_malformed_token_requests(sim, client):
    info = sim.info
    ws, auth = info['workspace_id'], (info['client_id'], info['client_secret'])
    oauth_error(client.post_token(ws, {}, auth), 400, 'invalid_request')
    oauth_error(client.post_token(ws, {'grant_type': 'password'}, auth), 400, 'unsupported_grant_type')
    oauth_error(client.post_token(ws, CLIENT_CREDENTIALS), 401, 'invalid_client')
    both = dict(CLIENT_CREDENTIALS, client_id=info['client_id'], client_secret=info['client_secret'])
    oauth_error(client.post_token(ws, both, auth), 400, 'invalid_request')
    as_json = client.session.post(client.token_url(ws), json=CLIENT_CREDENTIALS, auth=auth)
    oauth_error(as_json, 400, 'invalid_request')
    assert client.session.get(client.token_url(ws)).status_code == 405
    assert sim.stats()['token_requests'] == 5


def test_client_credentials_only_for_the_msp_workspace(sim, client, tenants):
    info = sim.info
    auth = (info['client_id'], info['client_secret'])
    for workspace in (tenants['Acme Retail Group']['hex'], tenants['Acme Retail Group']['id'], '0' * 32):
        oauth_error(client.post_token(workspace, CLIENT_CREDENTIALS, auth), 400, 'unauthorized_client')


def test_exchange_with_or_without_basic(sim, client, tenants):
    info = sim.info
    msp = client.msp_token()
    acme = tenants['Acme Retail Group']
    plain = client.post_token(acme['hex'], dict(EXCHANGE, subject_token=msp))
    basic = client.post_token(acme['hex'], dict(EXCHANGE, subject_token=msp), (info['client_id'], info['client_secret']))
    for response in (plain, basic):
        assert response.status_code == 200, response.text
        body = response.json()
        assert body['expires_in'] == 900 and body['token_type'] == 'Bearer' and acme['id'] in body['scope']
        assert body['access_token'] != msp
    wrong = client.post_token(acme['hex'], dict(EXCHANGE, subject_token=msp), (info['client_id'], 'wrong'))
    oauth_error(wrong, 401, 'invalid_client')
    stats = sim.stats()
    assert stats['exchanges'] == 2 and stats['exchanges_by_tenant'] == {acme['id']: 2}
    tenant_token = plain.json()['access_token']
    assert client.get('central', INVENTORY, tenant_token).json()['total'] == acme['counts']['device-inventory']


def test_exchange_refusals(sim, client, tenants):
    msp = client.msp_token()
    acme = tenants['Acme Retail Group']
    dashed = client.post_token(acme['id'], dict(EXCHANGE, subject_token=msp))
    oauth_error(dashed, 400, 'invalid_request')
    assert 'dash' in dashed.json()['error_description']
    oauth_error(client.post_token('f' * 32, dict(EXCHANGE, subject_token=msp)), 403, 'access_denied')
    oauth_error(client.post_token(sim.info['workspace_id'].replace('-', ''), dict(EXCHANGE, subject_token=msp)),
                400, 'invalid_request')
    oauth_error(client.post_token(acme['hex'], dict(EXCHANGE, subject_token='made-up')), 400, 'invalid_grant')
    oauth_error(client.post_token(acme['hex'], {'grant_type': EXCHANGE['grant_type'], 'subject_token': msp}),
                400, 'invalid_request')
    oauth_error(client.post_token(acme['hex'], dict(EXCHANGE)), 400, 'invalid_request')
    tenant_token = client.exchange(acme['id'], msp)
    oauth_error(client.post_token(acme['hex'], dict(EXCHANGE, subject_token=tenant_token)), 400, 'invalid_grant')
    sim.fault(action='revoke_all_tokens')
    oauth_error(client.post_token(acme['hex'], dict(EXCHANGE, subject_token=msp)), 400, 'invalid_grant')
    assert sim.stats()['exchanges'] == 1


def test_scopes(sim, client, tenants):
    msp = client.msp_token()
    acme = client.exchange(tenants['Acme Retail Group']['id'], msp)
    harbor = client.exchange(tenants['Harbor View Dental']['id'], msp)
    denied = client.get('central', INVENTORY, msp)
    assert denied.status_code == 403 and 'exchange' in denied.json()['message']
    assert denied.json()['errorCode'] == 'HPE_GL_ERROR_FORBIDDEN' and denied.json()['debugId']
    assert client.get('central', 'network-msp/v1/list-tenants', acme, next=1, limit=100).status_code == 403
    quirk = client.get('glp', 'workspaces/v1/msp-tenants', acme)
    assert quirk.status_code == 200 and quirk.json()['items'] == [] and quirk.json()['total'] == 0
    assert client.get('glp', 'workspaces/v1/msp-tenants', msp).json()['total'] == len(tenants)
    assert client.get('central', INVENTORY, harbor).status_code == 403
    harbor_devices = client.get('glp', 'devices/v1/devices', harbor).json()
    assert harbor_devices['total'] == tenants['Harbor View Dental']['counts']['glp-devices']
    msp_devices = client.get('glp', 'devices/v1/devices', msp).json()
    assert msp_devices['items'] == sim.truth(sim.info['workspace_id'], 'glp-devices')
    log = [(e['path'].rsplit('/', 1)[-1], e['scope']) for e in sim.stats()['requests_log'] if 'oauth2' not in e['path']]
    assert ('device-inventory', 'msp') in log and ('device-inventory', f"tenant:{tenants['Harbor View Dental']['id']}") in log


def test_bad_bearer_tokens_are_401(sim, client):
    for headers in ({}, {'Authorization': 'Bearer'}, {'Authorization': 'Bearer nope'}, {'Authorization': 'Basic eDp5'}):
        response = client.session.get(f"{sim.info['glp_base_url']}/workspaces/v1/msp-tenants", headers=headers)
        assert response.status_code == 401
        assert response.json()['errorCode'] == 'HPE_GL_ERROR_UNAUTHORIZED' and response.json()['httpStatusCode'] == 401


def test_tokens_expire_after_expires_in(sim, client, tenants):
    sim.fault(action='config', token_ttl=1)
    msp_response = client.client_credentials()
    assert msp_response.json()['expires_in'] == 1
    msp = msp_response.json()['access_token']
    tenant = client.exchange(tenants['Acme Retail Group']['id'], msp)
    assert client.get('central', INVENTORY, tenant).status_code == 200
    time.sleep(1.1)
    assert client.get('central', INVENTORY, tenant).status_code == 401
    assert client.get('glp', 'workspaces/v1/msp-tenants', msp).status_code == 401
    expired = client.post_token(tenants['Acme Retail Group']['hex'], dict(EXCHANGE, subject_token=msp))
    oauth_error(expired, 400, 'invalid_grant')
    assert 'expired' in expired.json()['error_description']


def test_revocation_and_forced_expiry(sim, client, tenants):
    msp = client.msp_token()
    acme = client.exchange(tenants['Acme Retail Group']['id'], msp)
    bistro = client.exchange(tenants["Bistro d'Or"]['id'], msp)
    sim.fault(action='expire_tenant_tokens', tenant=tenants['Acme Retail Group']['hex'])
    assert client.get('central', INVENTORY, acme).status_code == 401
    assert client.get('central', INVENTORY, bistro).status_code == 200
    assert client.get('glp', 'workspaces/v1/msp-tenants', msp).status_code == 200
    sim.fault(action='expire_msp_tokens')
    assert client.get('glp', 'workspaces/v1/msp-tenants', msp).status_code == 401
    assert client.get('central', INVENTORY, bistro).status_code == 200
    fresh = client.msp_token()
    sim.fault(action='revoke_all_tokens')
    assert client.get('central', INVENTORY, bistro).status_code == 401
    assert client.get('glp', 'workspaces/v1/msp-tenants', fresh).status_code == 401
    assert client.get('glp', 'workspaces/v1/msp-tenants', client.msp_token()).status_code == 200
