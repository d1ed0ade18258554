"""ClassicClient (module_utils/classic.py) against the simulator's Classic gateway: the token store, rotation, recovery,
TenantID, paging, rate budget and quota. Runs in-process (no ansible-playbook), so it reaches the corner cases."""
import json
import os
import threading
import time

import pytest

from ansible_collections.central.msp.plugins.module_utils import classic
from ansible_collections.central.msp.plugins.module_utils.classic import (ClassicClient, QuotaError, read_token_file,
                                                                          resolve_classic_settings)
from ansible_collections.central.msp.plugins.module_utils.errors import ApiError, AuthError, ConfigError, TenantError

from tests.simulator.pytest_plugin import start_simulator


@pytest.fixture(scope='module')
def sim():
    with start_simulator('--dataset', 'demo') as server:
        yield server


@pytest.fixture
def fresh(sim):
    sim.classic('POST', 'reset', {})
    return sim


def options(sim, tmp_path, token=None, grant=False, **extra):
    info = sim.info['classic']
    values = {'base_url': info['base_url'], 'client_id': info['client_id'], 'client_secret': info['client_secret'],
              'msp_customer_id': info['msp_customer_id'], 'token_cache_dir': str(tmp_path / 'store'), 'max_retries': 5}
    if token is None:
        token = sim.classic('POST', 'faults', {'action': 'issue_token'})['token']
    if token:
        values.update(access_token=token['access_token'], refresh_token=token['refresh_token'])
    if grant:
        values.update(username=info['username'], password=info['password'])
    values.update(extra)
    return values


def client(values, sleep=None):
    return ClassicClient(resolve_classic_settings(values), sleep=sleep or (lambda s: None))


def store_file(tmp_path):
    files = [name for name in os.listdir(tmp_path / 'store') if name.endswith('.json')]
    by_content = [name for name in files if 'refresh_token' in (tmp_path / 'store' / name).read_text()]
    assert len(by_content) == 1, files
    return tmp_path / 'store' / by_content[0]


def counters(sim):
    return sim.classic('GET', 'stats?log=0')['classic']


def test_settings_region_and_errors(sim, tmp_path):
    values = options(sim, tmp_path, token={'access_token': 'a', 'refresh_token': 'r'})
    values.pop('base_url')
    assert resolve_classic_settings(dict(values, region='eu-1')).base_url == 'https://eu-apigw.central.arubanetworks.com'
    with pytest.raises(ConfigError, match='Unknown Classic Central region .*Valid regions: US-1'):
        resolve_classic_settings(dict(values, region='Mars'))
    with pytest.raises(ConfigError, match='No Classic Central API gateway'):
        resolve_classic_settings(values)
    with pytest.raises(ConfigError, match='both username and password'):
        resolve_classic_settings(dict(values, region='US-2', username='u'))
    with pytest.raises(ConfigError, match='not a Classic Central customer id'):
        resolve_classic_settings(dict(values, region='US-2', msp_customer_id='acme'))
    bare = {k: v for k, v in values.items() if k not in ('access_token', 'refresh_token')}
    with pytest.raises(ConfigError, match='No Classic Central refresh token: the token store .* holds none'):
        client(dict(bare, base_url=sim.info['classic']['base_url'])).customers()


def test_pycentral_token_file(sim, tmp_path):
    info = sim.info['classic']
    path = tmp_path / 'token.yaml'
    path.write_text('central_info:\n  base_url: %s\n  client_id: %s\n  client_secret: %s\n  customer_id: %s\n'
                    '  token:\n    access_token: AT\n    refresh_token: RT\nssl_verify: false\n' % (
                        info['base_url'], info['client_id'], info['client_secret'], info['msp_customer_id']))
    assert read_token_file(str(path))['refresh_token'] == 'RT'
    settings = resolve_classic_settings({'token_file': str(path), 'access_token': 'A2', 'refresh_token': 'R2'})
    # Options beat the file, and a token pair is never mixed from both.
    assert (settings.access_token, settings.refresh_token, settings.validate_certs) == ('A2', 'R2', False)
    path.write_text('unified: {}\n')
    with pytest.raises(ConfigError, match="no 'central_info' block"):
        read_token_file(str(path))


def test_seed_then_rotation_keeps_store_consistent(fresh, tmp_path):
    values = options(fresh, tmp_path)
    first = client(values)
    customers = first.customers()
    assert len(customers) == 55  # 2 pages of at most 50
    # The seed was used as is: no refresh yet.
    assert counters(fresh).get('refreshes', 0) == 0
    fresh.classic('POST', 'faults', {'action': 'expire_access_tokens'})
    second = client(values)
    second.get_json('central/v2/sites', customers[0]['customer_id'])
    assert counters(fresh)['refreshes'] == 1
    record = json.loads(store_file(tmp_path).read_text())
    assert record['refresh_token'] != values['refresh_token'] and record['source'] == 'refresh'
    assert oct(os.stat(store_file(tmp_path)).st_mode & 0o777) == '0o600'
    # A new process with the same (now rotated-out) seed uses the store, never the seed.
    fresh.classic('POST', 'faults', {'action': 'expire_access_tokens'})
    client(values).get_json('central/v2/sites', customers[0]['customer_id'])
    stats = counters(fresh)
    assert stats['refreshes'] == 2 and stats.get('rotated_refresh_token_uses', 0) == 0


def test_concurrent_threads_refresh_once(fresh, tmp_path):
    values = options(fresh, tmp_path)
    client(values).customers()
    fresh.classic('POST', 'faults', {'action': 'expire_access_tokens'})
    errors = []

    def work():
        try:
            client(values).get_json('msp_api/v1/customers', params={'limit': 5})
        except Exception as exc:  # pylint: disable=broad-except
            errors.append(exc)

    threads = [threading.Thread(target=work) for thread in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    stats = counters(fresh)
    assert stats['refreshes'] == 1 and stats.get('rotated_refresh_token_uses', 0) == 0


def test_tenant_scope_uses_tenantid(fresh, tmp_path):
    one = client(options(fresh, tmp_path))
    acme = one.resolve_customer('Acme Retail')
    truth = fresh.classic('GET', 'truth/%s/aps' % acme['customer_id'])
    assert one.get_all('aps', acme['customer_id'], limit=2).items == truth
    # Without TenantID the same call reads the MSP account itself, which has no devices.
    assert one.get_all('aps').items == []
    with pytest.raises(TenantError, match='ambiguous: 2 customers'):
        one.resolve_customer('Initech')
    with pytest.raises(TenantError, match="No customer named 'acme retail'.*'Acme Retail'"):
        one.resolve_customer('acme retail')
    with pytest.raises(ApiError, match='HTTP 403.*not a customer of this MSP'):
        one.get_json('central/v2/sites', 'f' * 32)


def test_revoked_refresh_recovers_through_grant(fresh, tmp_path):
    values = options(fresh, tmp_path, grant=True)
    slept = []
    client(values).customers()
    fresh.classic('POST', 'faults', {'action': 'revoke_refresh_tokens'})
    fresh.classic('POST', 'faults', {'action': 'expire_access_tokens'})
    recovered = client(values, sleep=lambda seconds: (slept.append(seconds), time.sleep(seconds)))
    assert len(recovered.customers()) == 55
    stats = counters(fresh)
    assert stats['grants'] == 1 and stats['logins'] == 1 and stats.get('grant_rate_limited', 0) == 0
    assert classic.GRANT_STEP_INTERVAL in slept
    assert json.loads(store_file(tmp_path).read_text())['source'] == 'grant'


def test_revoked_without_grant_says_what_to_do(fresh, tmp_path):
    values = options(fresh, tmp_path)
    client(values).customers()
    before = store_file(tmp_path).read_text()
    fresh.classic('POST', 'faults', {'action': 'revoke_refresh_tokens'})
    fresh.classic('POST', 'faults', {'action': 'expire_access_tokens'})
    with pytest.raises(AuthError) as err:
        client(values).customers()
    message = str(err.value)
    assert 'refresh token was refused' in message and 'Generate a new token in Central' in message
    assert 'username and password' in message and values['refresh_token'] not in message
    # The credential's seed is the one the store started from: it is not sent again.
    assert counters(fresh).get('rotated_refresh_token_uses', 0) == 0
    assert store_file(tmp_path).read_text() == before
    # A newer bundle in the credential (generated again in Central) recovers.
    newer = options(fresh, tmp_path)
    assert len(client(newer).customers()) == 55
    assert counters(fresh)['refreshes'] == 1


def test_connection_reset_during_refresh_loses_nothing(fresh, tmp_path):
    values = options(fresh, tmp_path)
    client(values).customers()
    fresh.classic('POST', 'faults', {'action': 'expire_access_tokens'})
    before = store_file(tmp_path).read_text()
    fresh.classic('POST', 'faults', {'path': '^/oauth2/token$', 'reset_connection': True, 'count': 1})
    with pytest.raises(ApiError, match='token refresh failed: connection failed'):
        client(values).customers()
    assert store_file(tmp_path).read_text() == before
    assert len(client(values).customers()) == 55
    stats = counters(fresh)
    assert stats['refreshes'] == 1 and stats.get('rotated_refresh_token_uses', 0) == 0


def test_answer_lost_after_rotation_recovers_through_grant(fresh, tmp_path):
    values = options(fresh, tmp_path, grant=True)
    client(values).customers()
    fresh.classic('POST', 'faults', {'action': 'expire_access_tokens'})
    fresh.classic('POST', 'faults', {'action': 'reset_after_refresh', 'count': 1})
    with pytest.raises(ApiError, match='connection failed'):
        client(values).customers()
    assert len(client(values).customers()) == 55
    assert counters(fresh)['grants'] == 1


def test_daily_quota_stops_with_reset_time(fresh, tmp_path):
    one = client(options(fresh, tmp_path))
    one.customers()
    fresh.classic('POST', 'faults', {'action': 'spend_quota'})
    with pytest.raises(QuotaError, match=r'daily API quota of 5000 calls .* resets at \d{4}-\d\d-\d\d 00:00 UTC'):
        one.get_json('central/v2/sites', one.customers()[0]['customer_id'])
    requests_before = fresh.classic('GET', 'stats?log=0')['requests']
    # Every other process stops without calling: the store knows the quota is spent.
    with pytest.raises(QuotaError, match='resets at'):
        client(options(fresh, tmp_path, token=False)).get_json('central/v2/sites')
    assert fresh.classic('GET', 'stats?log=0')['requests'] == requests_before


def test_shared_budget_paces_below_the_limit(fresh, tmp_path):
    values = options(fresh, tmp_path)
    client(values).customers()
    fresh.classic('POST', 'reset', {})
    errors = []

    def work():
        try:
            for call in range(3):
                client(values, sleep=time.sleep).get_json('central/v2/sites')
        except Exception as exc:  # pylint: disable=broad-except
            errors.append(exc)

    threads = [threading.Thread(target=work) for thread in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    stats = fresh.classic('GET', 'stats')
    ok = sorted(entry['t'] for entry in stats['requests_log'] if entry['status'] == 200)
    assert len(ok) == 24
    # The budget is the store's: the 24 calls went out at most 7 a second, so the gateway refused few if any
    # (without it, 17 of them; one may be, when a thread is descheduled between its slot and its send).
    assert stats['classic'].get('rate_limited', 0) <= 6


def test_paging_anomalies_warn_and_never_loop(fresh, tmp_path):
    warnings = []
    one = ClassicClient(resolve_classic_settings(options(fresh, tmp_path)), warn=warnings.append,
                        sleep=lambda s: None)
    fresh.classic('POST', 'faults', {'action': 'paging_anomaly', 'path': 'customers', 'kind': 'next_repeats'})
    assert len(one.get_all('customers').items) == 50
    assert 'held only items already received' in warnings[-1]
    fresh.classic('POST', 'reset', {})
    fresh.classic('POST', 'faults', {'action': 'paging_anomaly', 'path': 'customers', 'kind': 'empty_page'})
    assert len(one.get_all('customers').items) == 50
    assert 'came back empty at offset 50 of 55' in warnings[-1]


def test_random_server_errors_are_retried_and_the_data_is_exact(fresh, tmp_path):
    one = client(options(fresh, tmp_path, max_retries=8))
    one.access_token()
    fresh.classic('POST', 'faults', {'action': 'random_failures', 'rate': 0.3, 'seed': 7, 'kinds': ['500', '502', '503', '429']})
    acme = one.resolve_customer('Acme Retail')['customer_id']
    assert one.get_all('clients', acme, {'client_type': 'WIRED'}, limit=1).items == [
        c for c in fresh.classic('GET', 'truth/%s/clients' % acme) if c['client_type'] == 'WIRED']
    assert fresh.classic('GET', 'stats?log=0')['faults_injected'] > 0
