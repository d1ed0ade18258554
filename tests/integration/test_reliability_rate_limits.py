"""429 storms through real plays: every request eventually succeeds, no retry comes earlier than the server allowed
(checked on the simulator's request log), and a storm longer than the retry budget fails with a clear message."""

from __future__ import annotations

from tests.integration.fault_checks import (attempts, failure, fresh, ids, play, requests_to, result, retries_of,
                                            tenants_by_name)

# The documented backoff without any header: 0.5 s doubling (times 1 to 1.5 for jitter).
BACKOFF_BASE = 0.5
STORM = 3  # 429s in a row for each header style; within the default budget of 5 retries


def assert_waited(entries, least):
    """Every retry in ``entries`` came at least ``least(refused, n)`` seconds after the n-th refusal."""
    pairs = retries_of(entries)
    assert pairs, 'no retries found'
    for number, (refused, retry) in enumerate(pairs):
        assert retry['t'] - refused['t'] >= least(refused, number), (refused, retry)
    return pairs


def test_429_storms_with_and_without_headers(simulator, tmp_path):
    sim = fresh(simulator)
    truth = tenants_by_name(sim)
    acme, northwind, zurich = truth['Acme Retail Group'], truth['Northwind Logistics'], truth['Zürich Kliniken']
    sim.fault(path='device-inventory$', status=429, retry_after=1, count=STORM)          # Retry-After
    sim.fault(path='sites-health$', status=429, reset_header=1, count=STORM)              # X-RateLimit-Reset only
    sim.fault(path='msp-tenants$', status=429, reset_header=1, count=STORM)               # GLP ratelimit-reset only
    sim.fault(path='alerts$', status=429, count=STORM)                                    # no header at all
    sim.fault(path='v1/clients$', status=429, retry_after=0, count=-1)                    # longer than the budget
    run = play(sim, '''
        - name: devices behind Retry-After
          central.msp.tenant_device_info:
            tenant_workspace_id: "{{ acme }}"
        - name: sites behind X-RateLimit-Reset
          central.msp.tenant_site_info:
            tenant_workspace_id: "{{ northwind }}"
        - name: tenants behind ratelimit-reset
          central.msp.msp_tenant_info:
            with_central: false
        - name: alerts behind nothing but backoff
          central.msp.tenant_alert_info:
            tenant_workspace_id: "{{ zurich }}"
        - name: clients rate limited beyond the budget
          central.msp.tenant_client_info:
            tenant_workspace_id: "{{ zurich }}"
            max_retries: 2
    ''', tmp_path, extra_vars={'acme': acme['id'], 'northwind': northwind['id'], 'zurich': zurich['id']})
    assert run.rc == 0, run.output[-3000:]

    # Everything inside the budget arrived complete.
    got = ids(result(run, 'devices behind Retry-After')['devices'], 'serialNumber')
    assert got == ids(sim.truth(acme['id'], 'device-inventory'), 'serialNumber')
    assert ids(result(run, 'sites behind X-RateLimit-Reset')['sites'], 'id') == \
        ids(sim.truth(northwind['id'], 'sites-health'), 'id')
    assert sorted(t['workspace_id'] for t in result(run, 'tenants behind ratelimit-reset')['tenants']) == \
        sorted(truth_entry['id'] for truth_entry in truth.values())
    assert ids(result(run, 'alerts behind nothing but backoff')['alerts'], 'id') == \
        ids(sim.truth(zurich['id'], 'alerts'), 'id')

    log = sim.stats()['requests_log']
    for pattern, least in (('device-inventory$', lambda refused, n: 1.0), ('sites-health$', lambda refused, n: 1.0),
                           ('msp-tenants$', lambda refused, n: 1.0),
                           ('alerts$', lambda refused, n: BACKOFF_BASE * 2 ** n)):
        entries = requests_to(sim, pattern, log)
        # STORM refusals, each retried once, then the answer: STORM + 1 sends of the one request.
        assert [entry['status'] for entry in entries] == [429] * STORM + [200], pattern
        assert len(assert_waited(entries, least)) == STORM

    # Beyond the budget: max_retries retries, then a message naming the call and what to change.
    failure(run, 'clients rate limited beyond the budget',
            'GET central network-monitoring/v1/clients in tenant %s failed: HTTP 429' % zurich['id'],
            'HPE_GL_ERROR_TOO_MANY_REQUESTS', 'Rate limited even after 2 retries', 'max_retries')
    assert list(attempts(requests_to(sim, 'v1/clients$', log)).values()) == [3]

    # Each result says what retrying cost: how many retries, how many for rate limits, how long it waited.
    devices = result(run, 'devices behind Retry-After')['retries']
    assert (devices['count'], devices['rate_limited']) == (STORM, STORM)
    assert STORM * 1.0 <= devices['waited_seconds'] <= STORM * 1.3, devices  # Retry-After: 1 plus jitter
    assert devices['msg'] == 'retried %d requests (%d after a rate limit), waited %.1f s in all' % (
        STORM, STORM, devices['waited_seconds'])
    backoff = result(run, 'alerts behind nothing but backoff')['retries']
    assert backoff['waited_seconds'] >= BACKOFF_BASE * (1 + 2 + 4), backoff
    beyond = result(run, 'clients rate limited beyond the budget', 'failed')['retries']
    assert (beyond['count'], beyond['rate_limited']) == (2, 2)


def test_retries_show_with_v_and_not_without_a_retry(simulator, tmp_path):
    sim = fresh(simulator)
    acme = tenants_by_name(sim)['Acme Retail Group']
    sim.fault(path='device-inventory$', status=429, retry_after=0, count=1)
    run = play(sim, '''
        - name: devices after one 429
          central.msp.tenant_device_info:
            tenant_workspace_id: "{{ acme }}"
        - name: devices at once
          central.msp.tenant_device_info:
            tenant_workspace_id: "{{ acme }}"
    ''', tmp_path, extra_vars={'acme': acme['id']}, args=('-v',))
    assert run.rc == 0, run.output[-3000:]
    assert result(run, 'devices after one 429')['retries']['count'] == 1
    assert 'retries' not in result(run, 'devices at once')
    assert 'retried 1 request (1 after a rate limit), waited' in run.stdout


def test_rate_limiter_storm_across_tenants(simulator, tmp_path):
    """The simulator's own limiter (3 requests per second per token, Retry-After sent): two tenants read in parallel
    in pages of 20 run into it over and over; every page arrives, each retry after the second the server asked."""
    sim = fresh(simulator)
    truth = tenants_by_name(sim)
    names = ['Acme Retail Group', 'Zürich Kliniken']
    sim.fault(action='config', central_rate_limit=3, retry_after=True)
    run = play(sim, '''
        - name: clients of two tenants through the limiter
          central.msp.tenant_client_info:
            tenants: "{{ names }}"
            concurrency: 2
            limit: 20
    ''', tmp_path, extra_vars={'names': names}, ignore_errors=False)
    assert run.rc == 0, run.output[-3000:]
    for entry in result(run, 'clients of two tenants through the limiter')['tenants']:
        connected = [c for c in sim.truth(truth[entry['name']]['id'], 'clients') if c['status'] == 'Connected']
        assert ids(entry['clients'], 'id') == ids(connected, 'id')

    stats = sim.stats()
    assert stats['rate_limited'] >= 2, stats['rate_limited']
    entries = requests_to(sim, 'v1/clients$', stats['requests_log'])
    pairs = assert_waited(entries, lambda refused, n: 1.0)  # Retry-After: 1 on every 429 of a 1 s window
    assert len(pairs) == stats['rate_limited']
    # Within the budget: no single page needed more than the default 5 retries.
    assert max(attempts(entries, by_scope=True).values()) <= 6


def test_centrals_rfc3339_reset_is_waited_for(simulator, tmp_path):
    """Central's limiter without Retry-After: the 429s carry only X-RateLimit-Reset, an RFC 3339 date-time. The
    client waits until that moment (the next whole second or later) rather than backing off blindly, and gets
    every page."""
    sim = fresh(simulator)
    acme = tenants_by_name(sim)['Acme Retail Group']
    sim.fault(action='config', central_rate_limit=2, retry_after=False)
    run = play(sim, '''
        - name: devices through the limiter
          central.msp.tenant_device_info:
            tenant_workspace_id: "{{ acme }}"
            limit: 5
    ''', tmp_path, extra_vars={'acme': acme['id']}, ignore_errors=False)
    assert run.rc == 0, run.output[-3000:]
    got = ids(result(run, 'devices through the limiter')['devices'], 'serialNumber')
    assert got == ids(sim.truth(acme['id'], 'device-inventory'), 'serialNumber')
    stats = sim.stats()
    assert stats['rate_limited'] >= 1
    entries = requests_to(sim, 'device-inventory$', stats['requests_log'])
    # The reset is at least a second after the refusal (the limiter's window, rounded up to a whole second); blind
    # backoff would have retried after 0.5 to 0.75 s.
    pairs = assert_waited(entries, lambda refused, n: 0.9)
    assert len(pairs) == stats['rate_limited']
