"""Rate limits: Central per token per second, GLP per API client and endpoint per minute, with their headers."""
import time
from datetime import datetime, timezone

from tests.simulator.client import SimClient

INVENTORY = 'network-monitoring/v1/device-inventory'
TENANTS = 'workspaces/v1/msp-tenants'


def test_limits_are_off_by_default(sim, client, tenants):
    token = client.exchange(tenants['Acme Retail Group']['id'])
    responses = [client.get('central', INVENTORY, token, limit=1) for _i in range(30)]
    assert {r.status_code for r in responses} == {200}
    assert 'X-RateLimit-Limit' not in responses[0].headers


def test_central_limit_per_token_per_second(simulator_factory):
    sim = simulator_factory('--central-rate-limit', 5)
    client = SimClient(sim.info)
    acme = sim.truth()['tenants'][0]['id']
    first, second = client.exchange(acme), client.exchange(acme)
    responses = [client.get('central', INVENTORY, first, limit=1) for _i in range(7)]
    statuses = [r.status_code for r in responses]
    assert statuses.count(200) == 5 and statuses[-1] == 429, statuses
    ok, limited = responses[0], responses[-1]
    assert ok.headers['X-RateLimit-Limit'] == '5' and ok.headers['X-RateLimit-Remaining'] == '4'
    assert limited.headers['X-RateLimit-Remaining'] == '0'
    # Central's reset is an RFC 3339 date-time (UTC, 20 characters), a second or so ahead.
    reset = limited.headers['X-RateLimit-Reset']
    assert len(reset) == 20 and reset.endswith('Z')
    ahead = (datetime.strptime(reset, '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=timezone.utc) - datetime.now(timezone.utc))
    assert -1 <= ahead.total_seconds() <= 2
    assert limited.json()['errorCode'] == 'HPE_GL_ERROR_TOO_MANY_REQUESTS' and 'Retry-After' not in limited.headers
    assert client.get('central', INVENTORY, second, limit=1).status_code == 200   # another token, another budget
    time.sleep(1.05)
    assert client.get('central', INVENTORY, first, limit=1).status_code == 200
    stats = sim.stats()
    assert stats['rate_limited'] == statuses.count(429) and stats['by_status']['429'] == statuses.count(429)


def test_glp_limit_per_client_and_endpoint_per_minute(simulator_factory):
    sim = simulator_factory('--glp-rate-limit', 3, '--retry-after')
    client = SimClient(sim.info)
    msp = client.msp_token()
    acme = client.exchange(sim.truth()['tenants'][0]['id'], msp)
    responses = [client.get('glp', TENANTS, msp) for _i in range(3)] + [client.get('glp', TENANTS, acme)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]   # the tenant token is the same API client
    assert [r.headers['ratelimit-remaining'] for r in responses] == ['2', '1', '0', '0']
    limited = responses[-1]
    assert limited.headers['ratelimit-limit'] == '3' and 50 <= int(limited.headers['ratelimit-reset']) <= 60
    assert limited.headers['Retry-After'] == limited.headers['ratelimit-reset']
    assert limited.json()['serverErrorDetails'][0]['retryAfterSeconds'] == int(limited.headers['Retry-After'])
    assert client.get('glp', 'devices/v1/devices', msp).status_code == 200   # another endpoint, another budget
    assert client.get('central', 'network-msp/v1/list-tenants', msp, next=1, limit=100).status_code == 200   # no limit
    sim.fault(action='config', glp_rate_limit=0)
    assert client.get('glp', TENANTS, msp).status_code == 200
    sim.fault(action='config', glp_rate_limit=100, retry_after=False)
    sim.reset()   # back to the start-up limits, with fresh windows
    assert client.get('glp', TENANTS, msp).headers['ratelimit-remaining'] == '2'
