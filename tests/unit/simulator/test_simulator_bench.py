"""The simulator must not be what the benchmarks measure: at least 1,500 small GETs per second on loopback."""
from tests.simulator.bench_rps import measure

REQUIRED = 1500


def test_serves_1500_small_gets_per_second(sim):
    rates = []
    for _attempt in range(3):   # best of three: a busy machine can spoil one run
        rates.append(measure(sim.info, processes=4, threads=2, seconds=2))
        if rates[-1] >= REQUIRED:
            break
    print(f'simulator: {max(rates):.0f} requests/s')
    assert max(rates) >= REQUIRED, rates
    assert set(sim.stats(log=False)['by_status']) == {'200'}
