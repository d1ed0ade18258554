"""The simulator's onboarding write APIs: validation, limits, asynchronous operations, consistency with the reads."""
import json

import pytest


@pytest.fixture
def api(sim, client):
    """(send, MSP token): send(method, path, token, body=None, params=None, content_type=None) -> response."""
    sim.fault(action='config', async_poll_seconds=0)
    base = sim.info['glp_base_url']

    def send(method, path, token, body=None, params=None, content_type=None):
        headers = {'Authorization': f'Bearer {token}'}
        if content_type:
            headers['Content-Type'] = content_type
        data = json.dumps(body) if body is not None else None
        if data is not None and not content_type:
            headers['Content-Type'] = 'application/json'
        return client.session.request(method, f'{base}/{path}', data=data, params=params, headers=headers, timeout=30)
    return send, client.msp_token()


def patch(send, token, ids, body):
    return send('PATCH', 'devices/v1/devices', token, body, [('id', i) for i in ids], 'application/merge-patch+json')


def follow(send, token, response):
    assert response.status_code == 202, response.text
    location = response.headers['Location'].lstrip('/')
    states = []
    while not states or states[-1]['status'] not in ('SUCCEEDED', 'FAILED'):
        states.append(send('GET', location, token).json())
    return states


def test_tenant_body_validation(api):
    send, token = api
    cases = [({}, 422, 'workspaceName is required'),
             ({'workspaceName': 'X', 'colour': 'red'}, 422, 'unknown properties: colour'),
             ({'workspaceName': 'X', 'email': 'not-an-email'}, 422, 'not an email address'),
             ({'workspaceName': 'X', 'address': {'city': 'Y'}}, 422, 'countryCode is required'),
             ({'workspaceName': 'X', 'address': {'countryCode': 'US', 'zip': '12345678901'}}, 422, 'at most 10'),
             ({'workspaceName': 'X', 'inventoryOwnership': 'MINE'}, 422, 'inventoryOwnership must be')]
    for body, status, text in cases:
        answer = send('POST', 'workspaces/v1/msp-tenants', token, body)
        assert (answer.status_code, text in answer.json()['message']) == (status, True), (body, answer.text)


def test_tenant_lifecycle_shows_in_every_listing(sim, api, client):
    send, token = api
    created = send('POST', 'workspaces/v1/msp-tenants', token, {'workspaceName': 'New Co', 'phoneNumber': '1'})
    assert created.status_code == 201
    tenant_id = created.headers['Location'].rsplit('/', 1)[1]
    listed = client.get('glp', 'workspaces/v1/msp-tenants', token, filter="workspaceName eq 'New Co'").json()
    assert [t['id'] for t in listed['items']] == [tenant_id]
    assert send('GET', f'workspaces/v1/workspaces/{tenant_id}/contact', token).json()['phoneNumber'] == '1'
    # A tenant token cannot create tenants, and sees only its own workspace.
    tenant_token = client.exchange(tenant_id)
    assert send('POST', 'workspaces/v1/msp-tenants', tenant_token, {'workspaceName': 'Y'}).status_code == 403
    assert send('GET', f'workspaces/v1/workspaces/{sim.info["workspace_id"]}', tenant_token).status_code == 404
    # PUT replaces: the phone number left out is cleared.
    assert send('PUT', f'workspaces/v1/msp-tenants/{tenant_id}', token, {'workspaceName': 'New Co 2'}).status_code == 200
    assert 'phoneNumber' not in send('GET', f'workspaces/v1/workspaces/{tenant_id}/contact', token).json()
    # Central in the tenant: then Central's list-tenants has it.
    app_id = sim.admin('GET', 'writes')['central_app_id']
    provision = {'serviceManagerId': app_id, 'region': 'us-west'}
    assert send('POST', 'service-catalog/v1/service-manager-provisions', tenant_token, provision).status_code == 201
    assert send('POST', 'service-catalog/v1/service-manager-provisions', tenant_token, provision).status_code == 409
    central = client.get('central', 'network-msp/v1/list-tenants', token, limit=100, next=1).json()['items']
    assert 'New Co 2' in [t['tenantName'] for t in central]
    assert send('DELETE', f'workspaces/v1/msp-tenants/{tenant_id}', token).status_code == 204
    assert send('DELETE', f'workspaces/v1/msp-tenants/{tenant_id}', token).status_code == 404
    assert tenant_id not in [t['id'] for t in sim.truth()['tenants']]
    assert 'New Co 2' not in [t['tenantName'] for t in client.get('central', 'network-msp/v1/list-tenants', token,
                                                                  limit=100, next=1).json()['items']]
    # Its tokens die with it.
    assert client.get('glp', 'devices/v1/devices', tenant_token).status_code == 401


def test_delete_refused_while_devices_are_held(api, tenants):
    send, token = api
    answer = send('DELETE', f"workspaces/v1/msp-tenants/{tenants['Acme Retail Group']['id']}", token)
    assert answer.status_code == 409 and 'still holds' in answer.json()['message']


def test_patch_validation(sim, api, client):
    send, token = api
    pool = client.get('glp', 'devices/v1/devices', token).json()['items']
    ids = [d['id'] for d in pool]
    app_id = sim.admin('GET', 'writes')['central_app_id']
    assign = {'application': {'id': app_id}, 'region': 'us-west'}
    assert patch(send, token, ids[:6], assign).status_code == 400                       # six devices
    assert patch(send, token, [], assign).status_code == 400
    assert patch(send, token, ['00000000-0000-4000-8000-000000000000'], assign).status_code == 404
    assert send('PATCH', 'devices/v1/devices', token, assign, [('id', ids[0])]).status_code == 415  # not merge-patch
    mixed = dict(assign, subscription=[])
    assert 'only one operation' in patch(send, token, ids[:1], mixed).json()['message']
    assert patch(send, token, ids[:1], {'application': {'id': app_id}}).status_code == 400     # no region
    assert patch(send, token, ids[:1], dict(assign, region='mars-1')).status_code == 400
    bistro = [t for t in sim.truth()['tenants'] if t['name'] == "Bistro d'Or"][0]
    owned = patch(send, token, ids[:1], dict(assign, tenantPlatformCustomerId=bistro['hex']))
    assert owned.status_code == 400 and 'customer-owned' in owned.json()['message']
    dry = send('PATCH', 'devices/v1/devices', token, assign, [('id', ids[0]), ('dry-run', 'true')],
               'application/merge-patch+json')
    assert dry.status_code == 202 and 'Location' not in dry.headers
    assert sim.admin('GET', 'writes')['operations'] == {}


def test_async_operation_advances_when_read_and_changes_show_at_the_end(sim, api, client, tenants):
    send, token = api
    sim.fault(action='config', async_polls=2)
    acme = tenants['Acme Retail Group']
    pool = [d for d in client.get('glp', 'devices/v1/devices', token).json()['items'] if d['deviceType'] == 'AP'][:2]
    app_id = sim.admin('GET', 'writes')['central_app_id']
    answer = patch(send, token, [d['id'] for d in pool],
                   {'application': {'id': app_id}, 'region': 'us-west', 'tenantPlatformCustomerId': acme['hex']})
    location = answer.headers['Location'].lstrip('/')
    assert answer.json()['transactionId'] == location.rsplit('/', 1)[1]
    before = len(sim.truth(acme['id'], 'glp-devices'))
    assert send('GET', location, token).json()['status'] == 'RUNNING'
    assert len(sim.truth(acme['id'], 'glp-devices')) == before   # nothing shows before the end
    assert send('GET', location, token).json()['status'] == 'RUNNING'
    final = send('GET', location, token).json()
    assert final['status'] == 'SUCCEEDED' and final['progressPercent'] == 100
    assert {e['serialNumber'] for e in final['result']['succeeded']} == {d['serialNumber'] for d in pool}
    assert len(sim.truth(acme['id'], 'glp-devices')) == before + 2
    moved = {d['serialNumber']: d for d in client.get('glp', 'devices/v1/devices', token).json()['items']}
    assert moved[pool[0]['serialNumber']]['tenantWorkspaceId'] == acme['hex']
    inventory = client.get('central', 'network-monitoring/v1/device-inventory', client.exchange(acme['id']), limit=1000).json()
    assert pool[0]['serialNumber'] in {d['serialNumber'] for d in inventory['items']}
    # Another workspace's token does not see the operation.
    assert send('GET', location, client.exchange(acme['id'])).status_code == 404


def test_subscription_needs_an_application_and_the_right_device_type(sim, api, client):
    send, token = api
    pool = client.get('glp', 'devices/v1/devices', token).json()['items']
    state = sim.admin('GET', 'writes')
    ap_sub = next(s['id'] for s in state['subscriptions'] if s['deviceType'] == 'AP')
    states = follow(send, token, patch(send, token, [pool[0]['id']], {'subscription': [{'id': ap_sub}]}))
    assert states[-1]['status'] == 'FAILED'
    assert 'not assigned to an application' in states[-1]['result']['failed'][0]['message']
    assert patch(send, token, [pool[0]['id']], {'subscription': [{'id': 'nope'}]}).status_code == 400


def test_add_devices(sim, api, client, tenants):
    send, token = api
    empty = {'network': [], 'compute': [], 'storage': []}
    assert send('POST', 'devices/v1/devices', token, {'network': []}).status_code == 400       # all three arrays
    six = dict(empty, network=[{'serialNumber': f'CNX{i}', 'macAddress': f'20:4c:00:00:00:0{i}'} for i in range(6)])
    assert send('POST', 'devices/v1/devices', token, six).status_code == 400
    bad_mac = dict(empty, network=[{'serialNumber': 'CNX1', 'macAddress': 'nope'}])
    assert send('POST', 'devices/v1/devices', token, bad_mac).status_code == 400
    taken = sim.truth(tenants['Acme Retail Group']['id'], 'glp-devices')[0]['serialNumber']
    body = dict(empty, network=[{'serialNumber': 'CNX1', 'macAddress': '20:4c:00:00:00:01'},
                                {'serialNumber': taken, 'macAddress': '20:4c:00:00:00:02'}])
    states = follow(send, token, send('POST', 'devices/v1/devices', token, body))
    assert states[0]['status'] == 'RUNNING' and states[-1]['status'] == 'FAILED'
    assert [e['serialNumber'] for e in states[-1]['result']['succeeded']] == ['CNX1']
    assert 'already in a workspace inventory' in states[-1]['result']['failed'][0]['message']
    listed = client.get('glp', 'devices/v1/devices', token, filter="serialNumber eq 'CNX1'").json()['items']
    assert listed[0]['assignedState'] == 'UNASSIGNED' and listed[0]['tenantWorkspaceId'] is None


def test_write_rate_limits_per_workspace(sim, api, client):
    send, token = api
    ids = [client.get('glp', 'devices/v1/devices', token).json()['items'][0]['id']]
    body = {'subscription': []}
    answers = [patch(send, token, ids, body) for _i in range(41)]
    assert [a.status_code for a in answers[:40]] == [202] * 40
    assert answers[40].status_code == 429 and int(answers[40].headers['ratelimit-reset']) >= 1
    assert sim.stats(log=False)['rate_limited'] == 1


def test_reset_undoes_every_write(sim, api, tenants):
    send, token = api
    acme = tenants['Acme Retail Group']
    send('PUT', f"workspaces/v1/msp-tenants/{acme['id']}", token, {'workspaceName': 'Renamed'})
    send('POST', 'workspaces/v1/msp-tenants', token, {'workspaceName': 'Temporary'})
    assert 'Renamed' in [t['name'] for t in sim.truth()['tenants']]
    sim.reset(dataset=True)
    names = [t['name'] for t in sim.truth()['tenants']]
    assert names == list(tenants) and sim.admin('GET', 'writes')['devices'] == []


def test_a_tenants_own_writes_stay_out_of_the_msp_pool(sim, api, client, tenants):
    send, token = api
    bistro = client.exchange(tenants["Bistro d'Or"]['id'])
    own = client.get('glp', 'devices/v1/devices', bistro).json()['items'][0]
    follow(send, bistro, patch(send, bistro, [own['id']], {'subscription': []}))
    body = {'network': [{'serialNumber': 'CNBIS00001', 'macAddress': '20:4c:00:00:09:01'}], 'compute': [], 'storage': []}
    follow(send, bistro, send('POST', 'devices/v1/devices', bistro, body))
    msp_serials = {d['serialNumber'] for d in client.get('glp', 'devices/v1/devices', token).json()['items']}
    assert not {own['serialNumber'], 'CNBIS00001'} & msp_serials
    bistro_serials = {d['serialNumber'] for d in client.get('glp', 'devices/v1/devices', bistro).json()['items']}
    assert {own['serialNumber'], 'CNBIS00001'} <= bistro_serials
    assert patch(send, bistro, [own['id']], {'application': None, 'region': None,
                                             'tenantPlatformCustomerId': None}).status_code == 403


def test_added_devices_are_listed_as_glp_lists_them(sim, api, client, tenants):
    send, token = api
    empty = {'network': [], 'compute': [], 'storage': []}
    long_serial = dict(empty, network=[{'serialNumber': 'CN' + '0' * 15, 'macAddress': '20:4c:00:00:00:01'}])
    assert send('POST', 'devices/v1/devices', token, long_serial).status_code == 400
    bad_tag = dict(empty, network=[{'serialNumber': 'CNX1', 'macAddress': '20:4c:00:00:00:01', 'tags': {'a': 1}}])
    assert send('POST', 'devices/v1/devices', token, bad_tag).status_code == 400
    body = dict(empty, network=[{'serialNumber': 'CNX1', 'macAddress': '20-4C-00-00-00-01', 'partNumber': 'X' * 20}],
                compute=[{'serialNumber': 'CZX1', 'partNumber': 'P19568-B21', 'tags': {'rack': 'A1', 'old': None}}])
    follow(send, token, send('POST', 'devices/v1/devices', token, body))
    listed = client.get('glp', 'devices/v1/devices', token, filter="serialNumber in ('CNX1', 'CZX1')")
    assert listed.status_code == 200, listed.text     # a compute device once broke the page: a 500
    by_serial = {d['serialNumber']: d for d in listed.json()['items']}
    assert (by_serial['CNX1']['macAddress'], by_serial['CNX1']['partNumber']) == ('20:4C:00:00:00:01', 'R2H28A')
    assert (by_serial['CZX1']['macAddress'], by_serial['CZX1']['tags']) == (None, {'rack': 'A1'})
    # Both assigned to Central in a tenant: its inventory lists the access point only.
    acme = tenants['Acme Retail Group']
    assign = {'application': {'id': sim.admin('GET', 'writes')['central_app_id']}, 'region': 'us-west',
              'tenantPlatformCustomerId': acme['id'].replace('-', '')}
    follow(send, token, patch(send, token, [d['id'] for d in by_serial.values()], assign))
    inventory = client.collect('central', 'network-monitoring/v1/device-inventory', client.exchange(acme['id']), 1000)
    assert {'CNX1', 'CZX1'} & {d['serialNumber'] for d in inventory} == {'CNX1'}
