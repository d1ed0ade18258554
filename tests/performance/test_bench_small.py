"""make bench in small (N = 10): the request-economy figures, asserted exactly. Counts, never timings.

10 tenants of 200 devices, the first with 2,500 (three pages of 1,000): the fewest requests for reading every
inventory are 1 MSP token + 10 exchanges + 1 listing page + 12 data pages = 24; warm, 13.
"""

import pytest

from tests.performance.scenarios import Bench, bench_simulator, result_handling

FIGURES = ('requests', 'token_requests', 'msp_tokens', 'exchanges', 'listing', 'data')
COLD = dict(requests=24, token_requests=11, msp_tokens=1, exchanges=10, listing=1, data=12)
WARM = dict(requests=13, token_requests=0, msp_tokens=0, exchanges=0, listing=1, data=12)


@pytest.fixture(scope='module')
def bench(tmp_path_factory):
    with bench_simulator(10) as sim:
        yield Bench(sim, str(tmp_path_factory.mktemp('bench')))


def figures(result):
    assert result.check == 'ok', result.check
    return {name: getattr(result, name) for name in FIGURES}


def assert_cold_then_warm(bench, run):
    """``run(cache_dir, warm)``: a run on an empty token cache makes the ideal requests; the next one on the
    same cache, inside the token lifetime, makes them without a token request."""
    cache = bench.fresh_cache()
    cold = run(cache, False)
    assert figures(cold) == COLD and cold.ideal_requests == 24
    warm = run(cache, True)
    assert figures(warm) == WARM and warm.ideal_requests == 13


def test_scenario_1_tenant_hosts_make_the_ideal_requests_and_none_for_tokens_when_warm(bench):
    assert_cold_then_warm(bench, lambda cache, warm: bench.tenant_hosts(10, cache, warm=warm))


def test_scenario_2_all_tenants_makes_the_ideal_requests_and_none_for_tokens_when_warm(bench):
    assert_cold_then_warm(bench, lambda cache, warm: bench.all_tenants(8, cache, warm=warm))


def test_scenario_2_with_few_fields_makes_the_same_requests(bench):
    assert_cold_then_warm(bench, lambda cache, warm: bench.all_tenants(32, cache, warm=warm, fields=['status']))


def test_fifty_forks_on_a_cold_cache_fetch_one_msp_token(bench):
    # 50 hosts over 10 tenants: one MSP token, one exchange per tenant, one read per host (5 x 12 pages).
    result = bench.cold_start(50)
    assert figures(result) == dict(requests=71, token_requests=11, msp_tokens=1, exchanges=10, listing=0, data=60)
    assert result.ideal_requests == 71


def test_the_floor_row_carries_scenario_2s_whole_result_without_a_request(bench):
    result = bench.result_floor()
    assert result.check == 'ok', result.check
    assert result.requests == 0


def test_the_result_stages_are_each_timed_for_every_key_and_for_few_fields(bench):
    handling = result_handling(bench)
    assert handling['devices'] == sum(tenant.devices or 0 for tenant in bench.tenants)
    for fields in ('all_keys', 'few_fields'):
        assert set(handling[fields]) == {'no_log_scan', 'pickle', 'unpickle', 'callback_copy', 'callback_transform',
                                         'register_copy'}
