"""Tokens go only to the configured hosts. A second loopback listener stands in for any other host; paths, query
parameters and headers that try to reach it and redirects from the API to it never make the collection connect
to it, from a module or from the inventory plugin. (Proxies from HTTPS_PROXY/NO_PROXY are honoured by design, as
the user's own configuration; see docs/authentication.md.)"""

from __future__ import annotations

import re
import urllib.request

from tests.helpers import ansible_env
from tests.integration.fault_checks import (TENANTS_SOURCE, Listener, assert_absent, failure, fresh, inventory, play,
                                            requests_to, result, secrets_of, tenants_by_name, write)

# Ways of writing "the other host" into a path; {} is host:port of the listener. Refused before anything is sent:
REFUSED = (
    'http://{}/steal', 'HTTPS://{}/steal', '//{}/steal', '///{}/steal', r'\\{}\steal', r'/\{}/steal',
    '%2F%2F{}/steal', '%252F%252F{}/steal', 'http:%2F%2F{}/steal', '%68ttp://{}/steal', 'localhost:{}/steal',
    'network-monitoring/%2e%2e/%2e%2e/%2e%2e/{}/steal', 'network-monitoring/v1/devices#@{}',
)
# Accepted as paths, but they stay on the configured hosts (the simulator answers 404): tried under both base URLs.
ACCEPTED = ('@{}/steal', '{}/steal', 'network-monitoring/v1/@{}')
STATUSES = [200, 201, 202, 204, 404]


def test_no_request_ever_reaches_another_host(simulator, tmp_path):
    sim = fresh(simulator)
    truth = tenants_by_name(sim)
    with Listener() as trap:
        # The trap works: a request sent to it is seen.
        urllib.request.urlopen(trap.url + '/control', timeout=5).close()
        assert trap.seen == ['GET /control HTTP/1.1']
        trap.seen.clear()

        other = trap.url.split('//', 1)[1]
        for status, path, method in ((302, 'device-inventory$', ''), (307, 'msp-tenants$', ''),
                                     (301, 'oauth2/%s/token$' % truth['Northwind Logistics']['hex'], 'POST'),
                                     (308, 'alerts/acknowledge$', 'POST')):
            sim.fault(path=path, method=method, status=status, count=-1, headers={'Location': trap.url + '/steal'})
        sim.fault(path='sites-health$', status=302, count=-1, headers={'Location': '//%s/steal' % other})
        run = play(sim, '''
            - name: paths naming another host
              central.msp.tenant_api_call:
                app: "{{ item[0] }}"
                tenant_workspace_id: "{{ acme }}"
                path: "{{ item[1] }}"
                status_code: "{{ statuses }}"
              loop: "{{ calls }}"
            - name: parameters and headers naming another host
              central.msp.tenant_api_call:
                tenant_workspace_id: "{{ acme }}"
                path: network-monitoring/v1/devices
                params: {url: "{{ trap }}", callback: "//{{ other }}", redirect_uri: "{{ trap }}/cb", limit: 1}
                headers: {Host: "{{ other }}", X-Forwarded-Host: "{{ other }}", Forwarded: "host={{ other }}"}
                # Central refuses query parameters it does not know, so the answer is a 400 - from the simulator.
                status_code: [200, 400]
            - name: redirect from a list endpoint
              central.msp.tenant_device_info: {tenant_workspace_id: "{{ acme }}"}
            - name: protocol-relative redirect
              central.msp.tenant_site_info: {tenant_workspace_id: "{{ acme }}"}
            - name: redirect from the tenant list
              central.msp.msp_tenant_info: {}
            - name: redirect from the token exchange
              central.msp.tenant_alert_info: {tenant_workspace_id: "{{ northwind }}"}
            - name: redirect of a write
              central.msp.tenant_api_call:
                tenant_workspace_id: "{{ acme }}"
                method: POST
                path: network-notifications/v1/alerts/acknowledge
                body: {ids: [a-1]}
        ''', tmp_path, extra_vars={
            'acme': truth['Acme Retail Group']['id'], 'northwind': truth['Northwind Logistics']['id'],
            'calls': [['central', path.format(other)] for path in REFUSED + ACCEPTED]
            + [['glp', path.format(other)] for path in ACCEPTED], 'statuses': STATUSES, 'trap': trap.url,
            'other': other})
        assert run.rc == 0, run.output[-3000:]

        # The MSP token request carries the client secret: redirect it too, for the inventory plugin on a cold cache.
        sim.fault(path='oauth2/%s/token$' % sim.info['workspace_id'].replace('-', ''), status=302, count=-1,
                  headers={'Location': trap.url + '/token'})
        source = write(tmp_path / 'tenants.central_msp.yml', TENANTS_SOURCE)
        env = ansible_env(sim.env(), tmp=str(tmp_path / 'inventory'))
        listed = inventory([source], dict(env, ANSIBLE_INVENTORY_UNPARSED_FAILED='true'))
        assert trap.seen == [], trap.seen

    for item in result(run, 'paths naming another host', 'failed')['results']:
        if item.get('failed'):
            assert 'is refused' in item['msg'], item
        else:
            assert item['status'] == 404, item  # sent, but to the simulator
    refused = [item for item in result(run, 'paths naming another host', 'failed')['results'] if item.get('failed')]
    assert len(refused) == len(REFUSED)
    naming = result(run, 'parameters and headers naming another host')
    assert naming['status'] == 400 and 'unknown query parameter' in naming['json']['message']
    failure(run, 'redirect from a list endpoint', 'network-monitoring/v1/device-inventory', 'HTTP 302')
    failure(run, 'protocol-relative redirect', 'network-monitoring/v1/sites-health', 'HTTP 302')
    failure(run, 'redirect from the tenant list', 'workspaces/v1/msp-tenants', 'HTTP 307')
    failure(run, 'redirect from the token exchange', 'token exchange into tenant workspace', 'HTTP 301')
    failure(run, 'redirect of a write', 'POST central network-notifications/v1/alerts/acknowledge', 'HTTP 308')
    assert listed.rc != 0 and 'MSP token request' in listed.output and 'HTTP 302' in listed.output, listed.output
    assert_absent(secrets_of(sim), {'the inventory output': listed.output})
    # The odd paths that were accepted went to the simulator, under both base URLs.
    assert len(requests_to(sim, re.escape(other))) == 2 * len(ACCEPTED)
