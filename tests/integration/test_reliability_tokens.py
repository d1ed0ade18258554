"""Tokens through real plays: they expire mid-play (the MSP overview stays exact), revocation costs one renewal
chain, 50 forks on a cold cache fetch one MSP token, and the cache heals or steps aside when its files or its
directory are wrong."""

from __future__ import annotations

import json
import os
import stat
import sys
import time

from tests.helpers import ansible_env
from tests.integration.fault_checks import TENANTS_SOURCE, fresh, ids, play, result, warnings, write
from tests.integration.test_overview import check_reports, run_overview

# Tokens live 2 s and every request takes 1.2 s (the simulator's latency, a sleep before it answers): the play
# outlives its tokens by construction, on any machine. A tenant host reads sites, devices, clients and alerts in
# four tasks, one after the other, each at least one request, so its tenant token (issued at the end of the first
# task's exchange) is at least 4 x 1.2 s = 4.8 s old before the last read: it must be renewed, proactively or after
# a 401; the MSP token, fetched before the listings, likewise. The play takes at least 1.2 s for the MSP token,
# 1.2 s for the listings and 5 x 1.2 s per host: 8.4 s > 3 x 2 s. A token is always used within 1.2 s of being
# issued (latency < TTL), so a renewed one is never refused: the test cannot loop on renewals either.
# (A token refused on its way, 401, is renewed too: test_revoked_tokens_cost_one_renewal_chain.)
SHORT_TTL = 2
LATENCY_MS = 1200
FORKS = 50


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def cached_tokens(directory):
    """{file name: access token} of every entry in a token cache directory, each checked to be 0600."""
    tokens = {}
    for name in sorted(os.listdir(directory)):
        if name.endswith('.json'):
            path = os.path.join(directory, name)
            assert mode(path) == 0o600, name
            with open(path, encoding='utf-8') as handle:
                tokens[name] = json.load(handle)['access_token']
    return tokens


def test_tokens_expiring_mid_play_leave_the_overview_exact(simulator, tmp_path):
    sim = fresh(simulator)
    sim.fault(action='config', token_ttl=SHORT_TTL, latency_ms=LATENCY_MS)
    started = time.monotonic()
    run, out = run_overview(sim, tmp_path, args=('-f', '10'))
    assert run.rc == 0, run.output[-4000:]
    assert time.monotonic() - started > 3 * SHORT_TTL
    check_reports(sim, out, sim.truth()['tenants'])
    stats = sim.stats(log=False)
    # The play outlived its tokens: the MSP token and tenant tokens were renewed on the way.
    assert stats['msp_tokens'] >= 2 and max(stats['exchanges_by_tenant'].values()) >= 2, stats


def test_revoked_tokens_cost_one_renewal_chain(simulator, tmp_path):
    sim = fresh(simulator)
    source = write(tmp_path / 'tenants.central_msp.yml', TENANTS_SOURCE)
    provisioned = {t['id']: t for t in sim.truth()['tenants'] if t['central']}
    tasks = '''
        - name: devices
          central.msp.tenant_device_info: {tenant_workspace_id: "{{ msp_workspace_id }}"}
        - name: alerts
          central.msp.tenant_alert_info: {tenant_workspace_id: "{{ msp_workspace_id }}"}
    '''
    warm = play(sim, tasks, tmp_path, hosts='central_provisioned', inventory=source, args=('-f', '10'),
                ignore_errors=False)
    assert warm.rc == 0, warm.output[-3000:]

    sim.reset()
    sim.fault(action='revoke_all_tokens')
    run = play(sim, tasks, tmp_path, hosts='central_provisioned', inventory=source, args=('-f', '10'),
               ignore_errors=False)
    assert run.rc == 0, run.output[-3000:]
    for entry in run.task('devices'):
        workspace = entry['result']['tenant']['workspace_id']
        assert ids(entry['result']['devices'], 'serialNumber') == \
            ids(sim.truth(workspace, 'device-inventory'), 'serialNumber')
    stats = sim.stats(log=False)
    # One new MSP token (the inventory's first call is refused), one new exchange per tenant (each tenant's first
    # call is refused), and nothing else refused.
    assert stats['msp_tokens'] == 1, stats
    assert stats['exchanges_by_tenant'] == dict.fromkeys(provisioned, 1), stats
    assert stats['by_status'].get('401') == 1 + len(provisioned), stats['by_status']


def test_fifty_forks_on_a_cold_cache_fetch_one_msp_token(simulator_factory, tmp_path):
    sim = simulator_factory('--dataset', 'scale', '--tenants', FORKS + 10, '--devices-per-tenant', 3)
    tenants = [t for t in sim.truth()['tenants'] if t['central']][:FORKS]
    assert len(tenants) == FORKS
    hosts = {'tenant%02d' % number: {'workspace': tenant['id']} for number, tenant in enumerate(tenants)}
    source = write(tmp_path / 'hosts.json', json.dumps({'all': {'hosts': hosts, 'vars': {
        'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}}}))
    run = play(sim, '''
        - name: devices
          central.msp.tenant_device_info: {tenant_workspace_id: "{{ workspace }}"}
    ''', tmp_path, hosts='all', inventory=source, args=('-f', str(FORKS)), ignore_errors=False)
    assert run.rc == 0, run.output[-3000:]
    counts = {entry['result']['tenant']['workspace_id']: entry['result']['count'] for entry in run.task('devices')}
    assert counts == {t['id']: t['counts']['device-inventory'] for t in tenants}

    stats = sim.stats(log=False)
    assert stats['msp_tokens'] == 1, stats
    assert stats['exchanges_by_tenant'] == {t['id']: 1 for t in tenants}, stats
    assert stats['token_requests'] == FORKS + 1
    # Every token is in the cache, one 0600 file each, in a 0700 directory.
    cache = ansible_env(tmp=str(tmp_path))['CENTRAL_TOKEN_CACHE_DIR']
    assert mode(cache) == 0o700
    assert sorted(cached_tokens(cache).values()) == sorted(stats['issued_tokens'])


def test_cache_heals_corrupt_entries_and_open_directories_and_steps_aside_when_unusable(simulator, tmp_path):
    sim = fresh(simulator)
    cache = ansible_env(tmp=str(tmp_path))['CENTRAL_TOKEN_CACHE_DIR']
    tasks = '''
        - name: tenants
          central.msp.msp_tenant_info: {with_central: false}
    '''
    warm = play(sim, tasks, tmp_path, ignore_errors=False)
    assert warm.rc == 0, warm.output[-3000:]
    entries = list(cached_tokens(cache))
    assert len(entries) == 1, entries  # the MSP token
    entry = entries[0]
    write(os.path.join(cache, entry), '{"access_token": "half a fi')
    os.chmod(cache, 0o755)
    not_a_directory = write(tmp_path / 'a-file', '')
    foreign = tmp_path / 'foreign'
    foreign.mkdir(mode=0o700)
    os.chown(foreign, 65534, 65534)
    sim.reset()

    run = play(sim, tasks + '''
        - name: cache directory that cannot be created
          central.msp.msp_tenant_info: {with_central: false, token_cache_dir: "{{ uncreatable }}"}
        - name: cache directory that cannot be created, again
          central.msp.msp_tenant_info: {with_central: false, token_cache_dir: "{{ uncreatable }}"}
        - name: cache directory of another user
          central.msp.msp_tenant_info: {with_central: false, token_cache_dir: "{{ foreign }}"}
    ''', tmp_path, extra_vars={'uncreatable': os.path.join(not_a_directory, 'tokens'), 'foreign': str(foreign)},
               ignore_errors=False)
    assert run.rc == 0, run.output[-3000:]

    # The corrupt entry was discarded and rewritten, the directory made private again, both with a warning.
    said = ' '.join(warnings(run, 'tenants'))
    assert 'Discarded a corrupt token cache entry' in said and 'set to 0700' in said, said
    assert mode(cache) == 0o700
    assert list(cached_tokens(cache)) == [entry]
    assert cached_tokens(cache)[entry] in sim.stats(log=False)['issued_tokens']

    # An unusable directory: the task still works, without the cache (each task fetches its own token), and warns.
    everyone = sorted(t['id'] for t in sim.truth()['tenants'])
    for name, fragment in (('cache directory that cannot be created', 'cannot create'),
                           ('cache directory that cannot be created, again', 'cannot create'),
                           ('cache directory of another user', 'belongs to another user')):
        assert sorted(t['workspace_id'] for t in result(run, name)['tenants']) == everyone, name
        assert any('Token cache disabled' in text and fragment in text for text in warnings(run, name)), name
    assert os.listdir(foreign) == []
    assert sim.stats(log=False)['msp_tokens'] == 4
