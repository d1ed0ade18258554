"""Fixtures for the simulator's own tests: a freshly reset shared simulator and a plain client for it."""
import pytest

from tests.simulator.client import SimClient


@pytest.fixture
def sim(simulator):
    """The module's demo simulator, with stats, faults and config reset and every token forgotten."""
    simulator.reset(tokens=True, dataset=True)
    return simulator


@pytest.fixture
def client(sim):
    return SimClient(sim.info)


@pytest.fixture
def tenants(sim):
    """Ground truth of the demo tenants, by name."""
    return {t['name']: t for t in sim.truth()['tenants']}
