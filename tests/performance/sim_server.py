#!/usr/bin/env python
"""The simulator's server.py with a dataset cache that holds a whole benchmark dataset.

    python tests/performance/sim_server.py --dataset scale --tenants 1000 ... (server.py's options)

The simulator keeps built items in an LRU cache of tests.simulator.dataset.CACHE_ITEMS (400,000) items. At
1,000 tenants of 200 devices the benchmark's working set is about 420,000 (every device as a core record and as
an inventory record), so each full pass over the tenants would evict what the next pass needs and the
simulator would rebuild every tenant's devices in every run, on the same cores as the client it measures.
"""
import os
import sys

if __package__ in (None, ''):
    sys.path[0] = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests.simulator import dataset, server  # noqa: E402  pylint: disable=wrong-import-position

CACHE_ITEMS = 2_000_000

if __name__ == '__main__':
    dataset.CACHE_ITEMS = CACHE_ITEMS
    sys.exit(server.main())
