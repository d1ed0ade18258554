"""A hostile or broken server, and values that could be turned against the user, through real plays against the
simulator: echoed credentials never come back in any encoding, a dripping answer or a hanging issuer cannot hold a
run, retry headers and lying pages of every kind end cleanly, and every bad option or answer is a clear error."""

from __future__ import annotations

import base64
import email.utils
import json
import math
import os
import socket
import time
import urllib.parse

from tests.helpers import ansible_env
from tests.integration.fault_checks import (TENANTS_SOURCE, Listener, assert_absent, failure, fresh, ids, inventory,
                                            play, requests_to, result, retries_of, secrets_of, tenants_by_name,
                                            warnings, write)

FAIL_ON_UNPARSED = {'ANSIBLE_INVENTORY_UNPARSED_FAILED': 'true'}


def strings(value):
    """Every string inside decoded JSON, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def encodings(value):
    """The forms a secret or token travels in, and an echo may show it in."""
    return {value, urllib.parse.quote(value, safe=''), urllib.parse.quote_plus(value),
            ''.join('\\u%04x' % ord(char) for char in value), base64.b64encode(value.encode()).decode()}


def assert_no_encoding(sim, run):
    basic = base64.b64encode(('%s:%s' % (sim.info['client_id'], sim.info['client_secret'])).encode()).decode()
    forms = {basic}
    for secret in secrets_of(sim):
        forms |= encodings(secret)
    texts = [run.stdout, run.stderr] + list(strings(run.results))
    for form in forms:
        assert not any(form in text for text in texts), 'a secret or token leaked in an encoded form'


def closed_port():
    sock = socket.create_server(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def token_path(hex_id):
    return 'oauth2/%s/token$' % hex_id


def test_echoed_credentials_and_tokens_never_come_back_in_any_encoding(simulator, tmp_path):
    sim = fresh(simulator)
    truth = tenants_by_name(sim)
    acme = truth['Acme Retail Group']
    msp_hex = sim.truth()['msp']['hex']
    # The issuer echoes the client-credentials request (HTTP Basic header, form body), once.
    sim.fault(path=token_path(msp_hex), method='POST', status=401, body='echo', count=1)
    # Then, in a task whose MSP token comes from the cache, the exchange echoes it (form-encoded subject_token).
    sim.fault(path=token_path(acme['hex']), method='POST', status=400, body='echo', count=1)
    # And an API answers 200 with the request echoed: bearer token in the body (as is and \\u-escaped), in
    # Location, Link and X-Debug-Echo.
    sim.fault(path='network-monitoring/v1/devices$', status=200, body='echo', count=1)
    run = play(sim, '''
        - name: MSP token request echoed
          central.msp.msp_tenant_info: {with_central: false}
        - name: warm the cache
          central.msp.msp_tenant_info: {with_central: false}
        - name: exchange echoed
          central.msp.tenant_device_info: {tenant_workspace_id: "{{ acme }}"}
        - name: api call echoed
          central.msp.tenant_api_call: {tenant_workspace_id: "{{ acme }}", path: network-monitoring/v1/devices}
    ''', tmp_path, extra_vars={'acme': acme['id']})
    assert_no_encoding(sim, run)

    assert '********' in failure(run, 'MSP token request echoed', 'MSP token request', 'HTTP 401', 'authorization=')
    assert 'authorization=Basic ********' in failure(run, 'MSP token request echoed')
    assert 'subject_token=********' in failure(run, 'exchange echoed', 'token exchange into tenant workspace')
    echoed = result(run, 'api call echoed')
    assert echoed['json']['echo'].startswith('Bearer ********') and 'Bearer ********' in echoed['json']['message']
    headers = echoed['headers']
    assert headers['x-debug-echo'] == 'Bearer ********'
    assert '********' in headers['location'] and '********' in headers['link']


def test_a_dripping_answer_is_cut_off_at_timeout(simulator, tmp_path):
    sim = fresh(simulator)
    acme = tenants_by_name(sim)['Acme Retail Group']
    # A byte every 0.2 s: each read is well within the 2 s timeout, the whole page would take many minutes.
    sim.fault(path='sites-health$', drip_ms=200, count=-1)
    run = play(sim, '''
        - name: dripping sites
          central.msp.tenant_site_info: {tenant_workspace_id: "{{ acme }}", timeout: 2, max_retries: 0}
    ''', tmp_path, extra_vars={'acme': acme['id']})
    failure(run, 'dripping sites', 'sites-health in tenant', 'timed out after 1 attempt',
            'the whole response took longer than timeout')


def settled_log(sim, pattern, quiet=3.0, limit=60.0):
    """The request log once requests matching ``pattern`` stopped arriving (the simulator logs a delayed request
    when it answers it, after the client has gone)."""
    deadline = time.monotonic() + limit
    seen, since = None, time.monotonic()
    while time.monotonic() < deadline:
        entries = requests_to(sim, pattern)
        if len(entries) != seen:
            seen, since = len(entries), time.monotonic()
        elif time.monotonic() - since >= quiet:
            return entries
        time.sleep(0.3)
    return requests_to(sim, pattern)


def test_a_hanging_issuer_fails_every_fork_together_with_one_holders_attempts(simulator, tmp_path):
    sim = fresh(simulator)
    msp_hex = sim.truth()['msp']['hex']
    sim.fault(path=token_path(msp_hex), method='POST', delay_ms=4000, count=-1)  # longer than any attempt waits
    hosts = ['fork%d' % number for number in range(6)]
    run = play(sim, '''
        - name: tenants
          central.msp.msp_tenant_info: {with_central: false, timeout: 2, max_retries: 1}
    ''', tmp_path, hosts='all', inventory=','.join(hosts) + ',', args=('-f', '6'))
    entries = run.task('tenants')
    assert len(entries) == 6 and all(entry['status'] == 'failed' for entry in entries), run.output[-3000:]
    messages = [entry['result']['msg'] for entry in entries]
    assert all('MSP token request' in message and 'timed out' in message for message in messages), messages
    shared = sum('another task fetching the same token at the same time failed' in message for message in messages)
    token_requests = settled_log(sim, token_path(msp_hex))
    # Before: each fork took the lock after the previous one failed and tried again (6 x 2 attempts in series).
    # Now the forks that waited share the holder's failure; only forks that started after it try on their own.
    assert shared >= 1 and len(token_requests) <= 2 * (6 - shared), (shared, len(token_requests))


def test_unreachable_hosts_fail_at_once_with_what_to_check(simulator, tmp_path):
    sim = fresh(simulator)
    port = closed_port()
    run = play(sim, '''
        - name: refused
          central.msp.msp_tenant_info:
            with_central: false
            auth_url: "http://127.0.0.1:{{ port }}/oauth2"
        - name: unresolvable
          central.msp.msp_tenant_info:
            with_central: false
            glp_base_url: "https://central-msp-test.invalid"
    ''', tmp_path, extra_vars={'port': port})
    refused = failure(run, 'refused', 'MSP token request', 'the connection was refused', 'Check base_url / cluster_name')
    assert 'attempts' not in refused
    failure(run, 'unresolvable', 'workspaces/v1/msp-tenants', 'the host name does not resolve', 'HTTPS_PROXY')


def test_plain_http_to_loopback_never_goes_through_the_proxy(simulator, tmp_path):
    sim = fresh(simulator)
    with Listener() as proxy:
        run = play(sim, '''
            - name: tenants
              central.msp.msp_tenant_info: {with_central: true}
        ''', tmp_path, env={'HTTP_PROXY': proxy.url, 'http_proxy': proxy.url, 'HTTPS_PROXY': proxy.url,
                            'NO_PROXY': '', 'no_proxy': ''})
        assert result(run, 'tenants')['count'] == len(sim.truth()['tenants'])
        assert proxy.seen == [], 'the credential went to the proxy in clear: %s' % proxy.seen


def test_options_parse_alike_in_modules_and_the_inventory_plugin(simulator, tmp_path):
    sim = fresh(simulator)
    source = write(tmp_path / 'tenants.central_msp.yml', TENANTS_SOURCE)
    for value in ('ture', 'enabled', '2'):
        env = ansible_env(dict(sim.env(), CENTRAL_VALIDATE_CERTS=value, **FAIL_ON_UNPARSED), tmp=str(tmp_path))
        run = inventory([source], env)
        assert run.rc != 0 and "validate_certs '%s' is not a boolean" % value in ' '.join(run.stderr.split()), \
            run.output[-2000:]
    file_value = write(tmp_path / 'file.central_msp.yml', TENANTS_SOURCE + 'validate_certs: ture\n')
    run = inventory([file_value], ansible_env(dict(sim.env(), **FAIL_ON_UNPARSED), tmp=str(tmp_path)))
    assert run.rc != 0 and "validate_certs 'ture' is not a boolean" in ' '.join(run.stderr.split())
    for value in ('0', '-3'):
        env = ansible_env(dict(sim.env(), CENTRAL_TIMEOUT=value, **FAIL_ON_UNPARSED), tmp=str(tmp_path))
        run = inventory([source], env)
        assert run.rc != 0 and "timeout '%s' is not valid" % value in ' '.join(run.stderr.split()), run.output[-2000:]
    assert sim.stats(log=False)['requests'] == 0, 'a refused option still sent the credential'

    run = play(sim, '''
        - name: misspelt boolean
          central.msp.msp_tenant_info: {with_central: false}
        - name: zero timeout
          central.msp.msp_tenant_info: {with_central: false, timeout: 0}
    ''', tmp_path, env={'CENTRAL_VALIDATE_CERTS': 'ture'})
    failure(run, 'misspelt boolean', 'ture')
    failure(run, 'zero timeout')
    assert sim.stats(log=False)['requests'] == 0


def test_retry_headers_in_every_form_are_used_when_understood_never_a_crash(simulator, tmp_path):
    sim = fresh(simulator)
    truth = tenants_by_name(sim)
    acme, northwind = truth['Acme Retail Group'], truth['Northwind Logistics']
    soon = email.utils.formatdate(time.time() + 2, usegmt=True)
    sim.fault(path='sites-health$', status=429, count=1, headers={'Retry-After': '1, 1'})      # CDN + origin
    sim.fault(path='v1/alerts$', status=503, count=1, headers={'Retry-After': 'soon, please'})  # garbage
    sim.fault(path='device-inventory$', status=429, count=1, headers={'Retry-After': soon})    # an HTTP date
    run = play(sim, '''
        - name: merged
          central.msp.tenant_site_info: {tenant_workspace_id: "{{ acme }}"}
        - name: garbage
          central.msp.tenant_alert_info: {tenant_workspace_id: "{{ northwind }}"}
        - name: date
          central.msp.tenant_device_info: {tenant_workspace_id: "{{ acme }}"}
    ''', tmp_path, extra_vars={'acme': acme['id'], 'northwind': northwind['id']}, ignore_errors=False)
    assert run.rc == 0, run.output[-3000:]
    assert ids(result(run, 'merged')['sites'], 'id') == ids(sim.truth(acme['id'], 'sites-health'), 'id')
    assert ids(result(run, 'garbage')['alerts'], 'id') == ids(sim.truth(northwind['id'], 'alerts'), 'id')
    assert len(result(run, 'date')['devices']) == len(sim.truth(acme['id'], 'device-inventory'))
    (refused, retry), = retries_of(requests_to(sim, 'sites-health$'))
    assert retry['t'] - refused['t'] >= 1.0, 'the merged Retry-After was not honoured'
    assert len(retries_of(requests_to(sim, 'v1/alerts$'))) == 1


def test_lying_pages_are_read_whole_or_cut_off_with_a_warning(simulator, tmp_path):
    sim = fresh(simulator)
    acme = tenants_by_name(sim)['Acme Retail Group']
    sim.fault(action='paging_anomaly', path='device-inventory$', kind='total_too_low')
    sim.fault(action='paging_anomaly', path='v1/clients$', kind='endless')
    sim.fault(action='paging_anomaly', path='v1/alerts$', kind='oversize')
    sim.fault(action='paging_anomaly', path='sites-health$', kind='total_too_low')
    sim.fault(action='paging_anomaly', path='devices/v1/devices$', kind='endless')
    run = play(sim, '''
        - name: total too low
          central.msp.tenant_device_info: {tenant_workspace_id: "{{ acme }}", limit: 10}
        - name: endless cursors
          central.msp.tenant_client_info: {tenant_workspace_id: "{{ acme }}", limit: 50}
        - name: oversize page
          central.msp.tenant_alert_info: {tenant_workspace_id: "{{ acme }}", limit: 2}
        - name: offset total too low
          central.msp.tenant_site_info: {tenant_workspace_id: "{{ acme }}", limit: 1}
        - name: endless full offset pages
          central.msp.tenant_api_call:
            {app: glp, path: devices/v1/devices, tenant_workspace_id: "{{ acme }}", params: {limit: 5}, paginate: true}
    ''', tmp_path, extra_vars={'acme': acme['id']}, ignore_errors=False)
    assert run.rc == 0, run.output[-3000:]
    devices = sim.truth(acme['id'], 'device-inventory')
    assert ids(result(run, 'total too low')['devices'], 'serialNumber') == ids(devices, 'serialNumber')
    assert any('after the reported total (%d) was reached' % (len(devices) // 2) in warning
               for warning in warnings(run, 'total too low'))
    clients = sim.truth(acme['id'], 'clients')
    needed = math.ceil(len(clients) / 50)
    bound = max(2 * needed, needed + 10)
    assert len(requests_to(sim, 'v1/clients$')) == bound
    assert any('stopped after %d pages: the server kept sending new cursors' % bound in warning
               for warning in warnings(run, 'endless cursors'))
    assert ids(result(run, 'oversize page')['alerts'], 'id') == ids(sim.truth(acme['id'], 'alerts'), 'id')
    assert any('held %d items although 2 were asked for' % len(sim.truth(acme['id'], 'alerts')) in warning
               for warning in warnings(run, 'oversize page'))
    # Offset paging: full pages at and past a total that is too low are followed, warned; endless ones are cut off
    # at the same bound as cursors.
    sites = sim.truth(acme['id'], 'sites-health')
    assert len(sites) >= 2, 'the fixture needs a total that halves to something below the truth'
    assert ids(result(run, 'offset total too low')['sites'], 'id') == ids(sites, 'id')
    assert any('after the reported total (%d) was reached' % (len(sites) // 2) in warning
               for warning in warnings(run, 'offset total too low'))
    glp_devices = sim.truth(acme['id'], 'glp-devices')
    needed = max(1, math.ceil(len(glp_devices) / 5))
    bound = max(2 * needed, needed + 10)
    assert len(requests_to(sim, 'devices/v1/devices$')) == bound
    assert any('stopped after %d pages: the server kept sending full pages past the total' % bound in warning
               for warning in warnings(run, 'endless full offset pages'))


def test_unusable_token_answers_headers_and_paths_are_clear_errors(simulator, tmp_path):
    sim = fresh(simulator)
    acme = tenants_by_name(sim)['Acme Retail Group']
    msp_hex = sim.truth()['msp']['hex']
    for body in ({'access_token': 'abc\r\nX-Injected: yes', 'expires_in': 900},
                 {'access_token': 12345, 'expires_in': 900},
                 {'access_token': 'well-formed-token', 'expires_in': 1e300}):
        sim.fault(path=token_path(msp_hex), method='POST', status=200, body='custom', json=body, count=1)
    run = play(sim, '''
        - name: token with CR/LF
          central.msp.msp_tenant_info: {with_central: false}
        - name: token not a string
          central.msp.msp_tenant_info: {with_central: false}
        - name: absurd expires_in
          central.msp.msp_tenant_info: {with_central: false}
        - name: header with CR/LF
          central.msp.tenant_api_call:
            tenant_workspace_id: "{{ acme }}"
            path: network-monitoring/v1/devices
            headers: {X-Note: "a\\r\\nX-Injected: yes"}
        - name: header with non-ASCII
          central.msp.tenant_api_call:
            tenant_workspace_id: "{{ acme }}"
            path: network-monitoring/v1/devices
            headers: {X-Note: "caf\\u00e9"}
        - name: dot-dot-semicolon
          central.msp.tenant_api_call: {path: "network-monitoring/..;/..;/_sim/stats"}
        - name: encoded dot-dot-semicolon
          central.msp.tenant_api_call: {path: "network-monitoring/%2e%2e%3b/_sim/stats"}
    ''', tmp_path, extra_vars={'acme': acme['id']})
    assert 'Injected' not in failure(run, 'token with CR/LF', 'not a usable bearer token', 'a header cannot carry')
    failure(run, 'token not a string', 'not a usable bearer token (not a string but int)')
    failure(run, 'absurd expires_in', 'unusable expires_in')
    assert 'Injected' not in failure(run, 'header with CR/LF', 'The value of header X-Note holds a line break')
    failure(run, 'header with non-ASCII', 'The value of header X-Note holds', 'non-ASCII')
    failure(run, 'dot-dot-semicolon', "'.' and '..' segments")
    failure(run, 'encoded dot-dot-semicolon', "'.' and '..' segments")
    assert not requests_to(sim, 'network-monitoring/v1/devices$'), 'a header HTTP cannot carry was sent'


def test_a_symlinked_token_cache_directory_is_not_used(simulator, tmp_path):
    sim = fresh(simulator)
    target = tmp_path / 'somewhere-else'
    target.mkdir()
    os.chmod(target, 0o755)
    link = tmp_path / 'token-cache-link'
    link.symlink_to(target)
    run = play(sim, '''
        - name: tenants
          central.msp.msp_tenant_info: {with_central: false}
    ''', tmp_path, env={'CENTRAL_TOKEN_CACHE_DIR': str(link)})
    assert result(run, 'tenants')['count'] == len(sim.truth()['tenants'])
    assert any('is a symbolic link' in warning for warning in warnings(run, 'tenants'))
    assert os.listdir(target) == [] and oct(os.stat(target).st_mode & 0o777) == '0o755'
    assert_absent(secrets_of(sim), {'the results': json.dumps(run.results)})
