"""Pytest fixtures that run the simulator in a subprocess: `simulator`, `simulator_tls`, `simulator_factory`.

    def test_something(simulator):
        simulator.reset()
        env = simulator.env()          # GLP_CLIENT_ID, GLP_BASE_URL, CENTRAL_BASE_URL, ...
        simulator.fault(path='device-inventory', status=503, count=2)
        assert simulator.stats()['exchanges'] == 1

`simulator` and `simulator_tls` are shared by a test module: reset() what a test changes.
"""
import pytest

# Also imported from here by tests and tools (start_simulator, Simulator).
from tests.simulator.process import Simulator, start_simulator


@pytest.fixture(scope='module')
def simulator():
    with start_simulator('--dataset', 'demo') as sim:
        yield sim


@pytest.fixture(scope='module')
def simulator_tls():
    with start_simulator('--dataset', 'demo', '--tls') as sim:
        yield sim


@pytest.fixture
def simulator_factory():
    """factory(*args) starts a simulator with these options; all are stopped when the test ends."""
    started = []

    def factory(*args, **kwargs):
        sim = Simulator(*args, **kwargs)
        started.append(sim)
        return sim.start()

    yield factory
    for sim in started:
        sim.stop()
