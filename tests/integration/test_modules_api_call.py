"""tenant_api_call against the simulator: scopes, both paging styles, writes and check mode, refused input."""

from __future__ import annotations

import math

from tests.integration.module_checks import failed, ok, run_tasks, tenants


def test_reads_and_paging(simulator):
    sim = simulator
    sim.reset()
    truth = tenants(sim)
    acme, bistro = truth['Acme Retail Group'], truth["Bistro d'Or"]
    run = run_tasks(sim, '''
        - name: one page in a tenant
          central.msp.tenant_api_call:
            tenant: Acme Retail Group
            path: /network-monitoring/v1/devices
            params: {limit: 5, filter: "deviceType eq 'ACCESS_POINT'"}
            headers: {Authorization: Bearer not-mine, X-Trace: abc}
        - name: every page, next cursors
          central.msp.tenant_api_call:
            tenant_workspace_id: "{{ acme_hex }}"
            path: network-monitoring/v1/devices
            params: {limit: 7}
            paginate: true
        - name: every page, offset and total (GLP, tenant scope)
          central.msp.tenant_api_call:
            app: glp
            tenant_workspace_id: "{{ bistro_id }}"
            path: devices/v1/devices
            params: {limit: 4, offset: 2}
            paginate: true
          check_mode: true
        - name: MSP scope, GLP tenants
          central.msp.tenant_api_call:
            app: glp
            path: workspaces/v1/msp-tenants
            params: {limit: 2}
            paginate: true
        - name: MSP scope, Central tenants from cursor 1
          central.msp.tenant_api_call:
            path: network-msp/v1/list-tenants
            params: {limit: 3, next: 1}
            paginate: true
        - name: accepted error status
          central.msp.tenant_api_call:
            path: network-msp/v1/list-tenants
            status_code: [400]
        - name: MSP scope, Central tenants, the module starts the cursor
          central.msp.tenant_api_call:
            path: network-msp/v1/list-tenants
            params: {limit: 3}
            paginate: true
        - name: unexpected error status
          central.msp.tenant_api_call:
            path: network-msp/v1/list-tenants
        - name: GLP path under Central
          central.msp.tenant_api_call:
            path: workspaces/v1/msp-tenants
    ''', extra_vars={'acme_hex': acme['hex'], 'bistro_id': bistro['id']}, ignore_errors=True)
    assert run.rc == 0, run.output[-3000:]

    aps = [device for device in sim.truth(acme['id'], 'devices') if device['deviceType'] == 'ACCESS_POINT']
    page = ok(run, 'one page in a tenant')
    assert page['json'] == {'items': aps[:5], 'count': 5, 'total': len(aps), 'next': '2'}
    assert (page['status'], page['pages'], page['changed']) == (200, 1, False)
    assert page['tenant'] == {'name': 'Acme Retail Group', 'workspace_id': acme['id']}
    assert page['headers']['content-type'].startswith('application/json')
    # The user's Authorization header was dropped (else the simulator would have answered 401), with a warning.
    assert any('Authorization header' in warning for warning in page['warnings'])

    devices = sim.truth(acme['id'], 'devices')
    every = ok(run, 'every page, next cursors')
    assert every['json'] == {'items': devices, 'count': len(devices), 'total': len(devices)}
    assert every['pages'] == math.ceil(len(devices) / 7) > 1

    glp_devices = sim.truth(bistro['id'], 'glp-devices')
    offset = ok(run, 'every page, offset and total (GLP, tenant scope)')
    # paginate reads from the first item whatever offset says; GET runs in check mode too.
    assert offset['json'] == {'items': glp_devices, 'count': len(glp_devices), 'total': len(glp_devices)}
    assert offset['pages'] == math.ceil(len(glp_devices) / 4) > 1
    assert offset['tenant'] == {'name': None, 'workspace_id': bistro['id']}

    workspaces = ok(run, 'MSP scope, GLP tenants')
    assert workspaces['json']['items'] == [tenant['glp'] for tenant in truth.values()]
    assert (workspaces['pages'], workspaces['tenant']) == (3, None)
    central = ok(run, 'MSP scope, Central tenants from cursor 1')
    assert central['json']['items'] == [tenant['central'] for tenant in truth.values() if tenant['central']]
    assert central['pages'] == 2
    # list-tenants refuses a first page without a cursor (see 'unexpected error status'); paginate starts it at 1.
    started = ok(run, 'MSP scope, Central tenants, the module starts the cursor')
    assert (started['json'], started['pages']) == (central['json'], 2)

    accepted = ok(run, 'accepted error status')
    assert accepted['status'] == 400 and accepted['json']['errorCode'] == 'HPE_GL_NETWORK_SERVICES_INVALID_INPUT'
    rejected = failed(run, 'unexpected error status', 'GET central network-msp/v1/list-tenants (MSP scope) failed',
                      'HTTP 400', 'limit and next are required')
    assert rejected['status'] == 400
    wrong_base = failed(run, 'GLP path under Central', 'HTTP 404', 'served by the glp base URL')
    assert wrong_base['json']['httpStatusCode'] == 404 and wrong_base['status'] == 404

    stats = sim.stats(log=False)
    assert stats['msp_tokens'] == 1 and sorted(stats['exchanges_by_tenant'].values()) == [1, 1]


def test_writes_and_refused_input(simulator):
    sim = simulator
    sim.reset()
    # The simulator serves reads only: a rule answers the write as a real API would accept it.
    sim.fault(path='network-notifications/v1/alerts/acknowledge$', method='POST', status=202, count=1,
              headers={'Set-Cookie': 'session=s3cr3t', 'X-Auth-Token': 'abc', 'X-Request-Id': 'req-42'})
    run = run_tasks(sim, '''
        - name: POST in check mode
          central.msp.tenant_api_call:
            tenant: Acme Retail Group
            method: post
            path: network-notifications/v1/alerts/acknowledge
            body: {ids: [a-1]}
            params: {note: from-check-mode}
          check_mode: true
        - name: POST
          central.msp.tenant_api_call:
            tenant: Acme Retail Group
            method: POST
            path: network-notifications/v1/alerts/acknowledge
            body: '{"ids": ["a-1"]}'
        - name: PUT refused by the API
          central.msp.tenant_api_call:
            method: PUT
            app: glp
            path: workspaces/v1/msp-tenants
            body: [1, 2]
        - name: DELETE with its status accepted
          central.msp.tenant_api_call:
            method: DELETE
            app: glp
            path: workspaces/v1/msp-tenants
            status_code: [405]
        - name: bad method
          central.msp.tenant_api_call:
            method: TRACE
            path: network-monitoring/v1/devices
        - name: absolute URL
          central.msp.tenant_api_call:
            tenant: Acme Retail Group
            path: https://attacker.example/network-monitoring/v1/devices
        - name: protocol-relative path
          central.msp.tenant_api_call:
            path: //attacker.example/steal
        - name: dot-dot path
          central.msp.tenant_api_call:
            path: network-monitoring/../../_sim/stats
        - name: encoded dot-dot path
          central.msp.tenant_api_call:
            path: network-monitoring/%2e%2e/%2E%2E/_sim/stats
        - name: query in path
          central.msp.tenant_api_call:
            path: network-monitoring/v1/devices?limit=1
        - name: string body that is not JSON
          central.msp.tenant_api_call:
            method: POST
            path: network-notifications/v1/alerts/acknowledge
            body: "ids=a-1"
        - name: body JSON cannot carry
          central.msp.tenant_api_call:
            method: PATCH
            path: network-notifications/v1/alerts/acknowledge
            body: "{{ {'threshold': 'nan' | float} }}"
        - name: paginate a write
          central.msp.tenant_api_call:
            method: POST
            path: network-notifications/v1/alerts/acknowledge
            paginate: true
    ''', ignore_errors=True)
    assert run.rc == 0, run.output[-3000:]

    check = ok(run, 'POST in check mode')
    assert check['changed'] is True and 'status' not in check
    assert check['msg'].startswith('Check mode: POST central network-notifications/v1/alerts/acknowledge in tenant')
    assert check['request'] == {'method': 'POST', 'app': 'central', 'path': 'network-notifications/v1/alerts/acknowledge',
                                'params': {'note': 'from-check-mode'}, 'body': {'ids': ['a-1']}}

    posted = ok(run, 'POST')
    assert (posted['changed'], posted['status'], posted['pages']) == (True, 202, 1)
    assert posted['headers']['x-request-id'] == 'req-42'
    assert not {'set-cookie', 'x-auth-token'} & set(posted['headers'])

    put = failed(run, 'PUT refused by the API', 'PUT glp workspaces/v1/msp-tenants (MSP scope) failed', 'HTTP 405')
    assert (put['status'], put['changed']) == (405, False)
    deleted = ok(run, 'DELETE with its status accepted')
    assert (deleted['status'], deleted['changed']) == (405, True)

    failed(run, 'bad method', "method 'TRACE' is not supported", 'GET, POST, PUT, PATCH, DELETE')
    for name in ('absolute URL', 'protocol-relative path'):
        failed(run, name, 'is refused', 'relative to the API base URL')
    for name in ('dot-dot path', 'encoded dot-dot path'):
        failed(run, name, 'is refused', "'..' segments")
    failed(run, 'query in path', 'is refused', 'params')
    failed(run, 'string body that is not JSON', 'body is a string that is not JSON')
    failed(run, 'body JSON cannot carry', 'body cannot be sent as JSON', 'Out of range float')
    failed(run, 'paginate a write', 'paginate applies to GET')

    # The only writes that reached the simulator are the POST, the PUT and the DELETE; nothing went anywhere odd.
    log = sim.stats()['requests_log']
    writes = [(entry['method'], entry['path']) for entry in log
              if entry['method'] != 'GET' and '/token' not in entry['path']]
    assert writes == [('POST', '/network-notifications/v1/alerts/acknowledge'),
                      ('PUT', '/workspaces/v1/msp-tenants'), ('DELETE', '/workspaces/v1/msp-tenants')]
    assert not [entry for entry in log if '_sim' in entry['path'] or 'attacker' in entry['path']]
    sim.reset()
