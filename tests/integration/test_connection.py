"""The connection layer against the simulator: one MSP token across processes, warm re-runs,
renewal after revocation and waiting out a 429 exactly as long as the server asks."""

import multiprocessing

import pytest

from ansible_collections.central.msp.plugins.module_utils.msp_client import MspClient
from ansible_collections.central.msp.plugins.module_utils.settings import resolve_settings


def make_client(sim, cache_dir, **options):
    values = {
        'client_id': sim.info['client_id'], 'client_secret': sim.info['client_secret'],
        'workspace_id': sim.info['workspace_id'], 'auth_url': sim.info['auth_url'],
        'glp_base_url': sim.info['glp_base_url'], 'base_url': sim.info['central_base_url'],
        'ca_path': sim.info['ca_file'], 'token_cache_dir': str(cache_dir),
    }
    values.update(options)
    return MspClient(resolve_settings(values))


@pytest.fixture
def sim(simulator):
    simulator.reset(tokens=True)
    return simulator


@pytest.fixture
def tenants(sim):
    return sorted(sim.truth()['tenants'], key=lambda tenant: tenant['name'])


def _one_process(info_holder, cache_dir, tenant_id, barrier, results):
    sim = info_holder
    barrier.wait()
    client = make_client(sim, cache_dir)
    items = client.get_all('device_inventory', tenant_id).items
    results.put(len(items))


def test_sixteen_processes_on_a_cold_cache_make_one_msp_token_and_one_exchange(sim, tenants, tmp_path):
    tenant = next(tenant for tenant in tenants if tenant['central'])
    expected = len(sim.truth(tenant['id'], 'device-inventory'))
    context = multiprocessing.get_context('fork')
    barrier, results = context.Barrier(16), context.Queue()
    procs = [context.Process(target=_one_process, args=(sim, tmp_path, tenant['id'], barrier, results))
             for _unused in range(16)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(60)
    assert [proc.exitcode for proc in procs] == [0] * 16
    assert sorted(results.get(timeout=5) for _unused in range(16)) == [expected] * 16
    stats = sim.stats(log=False)
    assert (stats['msp_tokens'], stats['exchanges'], stats['token_requests']) == (1, 1, 2)

    # A second run inside the token lifetime: no token request at all.
    sim.reset()
    assert len(make_client(sim, tmp_path).get_all('device_inventory', tenant['id']).items) == expected
    assert sim.stats(log=False)['token_requests'] == 0


def test_revoked_tokens_mid_run_cost_exactly_one_renewal_chain(sim, tenants, tmp_path):
    tenant = next(tenant for tenant in tenants if tenant['central'])
    client = make_client(sim, tmp_path)
    first = client.get_all('device_inventory', tenant['id']).items
    sim.reset()
    sim.fault(action='revoke_all_tokens')
    # A fresh process: it reads the revoked tokens from the cache, is refused, renews once.
    again = make_client(sim, tmp_path).get_all('device_inventory', tenant['id']).items
    assert again == first
    stats = sim.stats(log=False)
    assert (stats['msp_tokens'], stats['exchanges']) == (1, 1)
    assert stats['by_status'].get('401') == 1


def test_429_with_retry_after_is_not_retried_early(sim, tenants, tmp_path):
    tenant = next(tenant for tenant in tenants if tenant['central'])
    client = make_client(sim, tmp_path)
    client.tenant_token(tenant['id'])
    sim.reset()
    sim.fault(path='device-inventory', count=1, status=429, retry_after=2)
    items = client.get_all('device_inventory', tenant['id']).items
    assert len(items) == len(sim.truth(tenant['id'], 'device-inventory'))
    log = [entry for entry in sim.stats()['requests_log'] if 'device-inventory' in entry['path']]
    assert [entry['status'] for entry in log[:2]] == [429, 200]
    assert log[1]['t'] - log[0]['t'] >= 2.0


def test_expired_tenant_token_is_renewed_transparently(sim, tenants, tmp_path):
    tenant = next(tenant for tenant in tenants if tenant['central'])
    client = make_client(sim, tmp_path)
    first = client.get_all('device_inventory', tenant['id']).items
    sim.reset()
    sim.fault(action='expire_tenant_tokens', tenant=tenant['id'])
    assert client.get_all('device_inventory', tenant['id']).items == first
    stats = sim.stats(log=False)
    assert (stats['msp_tokens'], stats['exchanges']) == (0, 1)


def test_tls_with_the_simulator_ca(simulator_tls, tmp_path):
    simulator_tls.reset(tokens=True)
    client = make_client(simulator_tls, tmp_path)
    assert client.glp_tenants()
    wrong = make_client(simulator_tls, tmp_path / 'other', ca_path=None)
    with pytest.raises(Exception, match='TLS verification failed.*ca_path'):
        wrong.glp_tenants()
