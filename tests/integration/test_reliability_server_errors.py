"""Transient server failures through a real play: 500/502/503 with JSON, HTML and empty bodies and connection resets
are retried a bounded number of times (max_retries), then fail with a message naming the call; a short outage is
ridden out; a write is never re-sent after a 5xx; a 4xx is not retried."""

from __future__ import annotations

from tests.integration.fault_checks import attempts, failure, fresh, ids, play, requests_to, result, tenants_by_name

MAX_RETRIES = 2


def test_bounded_retries_then_a_clear_error(simulator, tmp_path):
    sim = fresh(simulator)
    truth = tenants_by_name(sim)
    acme, bistro, northwind, zurich = (truth[name]['id'] for name in (
        'Acme Retail Group', "Bistro d'Or", 'Northwind Logistics', 'Zürich Kliniken'))
    # One endpoint (or one tenant's token URL) per case, so the request log tells the cases apart.
    sim.fault(path='sites-health$', status=502, body='html', count=MAX_RETRIES)
    sim.fault(path='device-inventory$', status=500, count=-1)
    sim.fault(path='v1/clients$', status=503, body='empty', count=-1)
    sim.fault(path='v1/alerts$', status=502, body='html', count=-1)
    sim.fault(path='network-monitoring/v1/devices$', reset_connection=True, count=-1)
    sim.fault(path='oauth2/%s/token$' % truth['Northwind Logistics']['hex'], status=503, count=-1)
    sim.fault(path='alerts/acknowledge$', method='POST', status=503, count=-1)
    sim.fault(path='audit-log/v2beta1/logs$', status=403, body='html', count=-1)
    run = play(sim, '''
        - name: sites after a short outage
          central.msp.tenant_site_info:
            tenant_workspace_id: "{{ acme }}"
        - name: devices, 500 with a JSON error
          central.msp.tenant_device_info:
            tenant_workspace_id: "{{ acme }}"
        - name: clients, 503 with an empty body
          central.msp.tenant_client_info:
            tenant_workspace_id: "{{ bistro }}"
        - name: alerts, 502 HTML from a CDN
          central.msp.tenant_alert_info:
            tenant_workspace_id: "{{ bistro }}"
        - name: monitored devices, connection reset
          central.msp.tenant_device_info:
            tenant_workspace_id: "{{ zurich }}"
            source: monitoring
        - name: token exchange, 503
          central.msp.tenant_site_info:
            tenant_workspace_id: "{{ northwind }}"
        - name: a write is not re-sent after a 503
          central.msp.tenant_api_call:
            tenant_workspace_id: "{{ zurich }}"
            method: POST
            path: network-notifications/v1/alerts/acknowledge
            body: {ids: [a-1]}
        - name: a 403 HTML page is not retried
          central.msp.tenant_api_call:
            app: glp
            path: audit-log/v2beta1/logs
    ''', tmp_path, env={'CENTRAL_MAX_RETRIES': str(MAX_RETRIES)},
               extra_vars={'acme': acme, 'bistro': bistro, 'northwind': northwind, 'zurich': zurich})
    assert run.rc == 0, run.output[-3000:]
    log = sim.stats()['requests_log']

    def sent(pattern):
        return sorted(attempts(requests_to(sim, pattern, log)).values())

    assert ids(result(run, 'sites after a short outage')['sites'], 'id') == ids(sim.truth(acme, 'sites-health'), 'id')
    assert sent('sites-health$') == [MAX_RETRIES + 1]

    every_try = MAX_RETRIES + 1
    failure(run, 'devices, 500 with a JSON error',
            'GET central network-monitoring/v1/device-inventory in tenant %s failed: HTTP 500' % acme,
            'Injected failure: HTTP 500', 'debugId')
    failure(run, 'clients, 503 with an empty body',
            'GET central network-monitoring/v1/clients in tenant %s failed: HTTP 503: empty response body' % bistro)
    failure(run, 'alerts, 502 HTML from a CDN',
            'GET central network-notifications/v1/alerts in tenant %s failed: HTTP 502: non-JSON text/html' % bistro)
    failure(run, 'monitored devices, connection reset',
            'GET central network-monitoring/v1/devices in tenant %s failed: connection failed after %d attempts'
            % (zurich, every_try))
    failure(run, 'token exchange, 503', 'token exchange into tenant workspace %s failed: HTTP 503' % northwind)
    for pattern in ('device-inventory$', 'v1/clients$', 'v1/alerts$', 'network-monitoring/v1/devices$',
                    'oauth2/%s/token$' % truth['Northwind Logistics']['hex']):
        assert sent(pattern) == [every_try], pattern

    failure(run, 'a write is not re-sent after a 503',
            'POST central network-notifications/v1/alerts/acknowledge in tenant %s failed: HTTP 503' % zurich)
    assert sent('alerts/acknowledge$') == [1]
    failure(run, 'a 403 HTML page is not retried', 'GET glp audit-log/v2beta1/logs (MSP scope) failed: HTTP 403',
            'non-JSON text/html')
    assert sent('audit-log/v2beta1/logs$') == [1]
