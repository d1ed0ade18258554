"""Benchmark: `ansible-inventory --list` of the central.msp.tenants inventory over the scale simulator.

    python -m tests.performance.bench_inventory [--tenants 1000] [--runs 3] [--device-counts] [--budget 5]

Starts the simulator with the scale dataset, runs ansible-inventory with an inventory file that holds only
`plugin: central.msp.tenants` (credential from the environment, as AWX does), each run with a fresh token
cache so every run pays for its MSP token, and prints the wall time of each run, the median and the
simulator's request counts. Exits 1 if the median exceeds the budget (default 5 s for 1,000 tenants).
Not a unit test: wall time depends on the machine and its load.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

from tests.helpers import BIN, ROOT, ansible_env
from tests.simulator.pytest_plugin import start_simulator


def time_inventory(inventory, env):
    start = time.perf_counter()
    proc = subprocess.run([os.path.join(BIN, 'ansible-inventory'), '-i', inventory, '--list'], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0 or 'WARNING' in proc.stderr:
        sys.exit('ansible-inventory failed (rc %d):\n%s' % (proc.returncode, proc.stderr[-3000:]))
    return elapsed, proc.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', 1)[0])
    parser.add_argument('--tenants', type=int, default=1000)
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--device-counts', action='store_true', help='with_device_counts: true (one exchange per tenant)')
    parser.add_argument('--budget', type=float, default=5.0, help='seconds the median may take')
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix='central-msp-bench-inventory-')
    inventory = os.path.join(workdir, 'bench.central_msp.yml')
    with open(inventory, 'w', encoding='utf-8') as handle:
        handle.write('plugin: central.msp.tenants\n' + ('with_device_counts: true\nconcurrency: 16\n'
                                                        if args.device_counts else ''))

    with start_simulator('--dataset', 'scale', '--tenants', args.tenants) as sim:
        times = []
        for run in range(args.runs):
            sim.reset()
            # A fresh token cache per run: each run fetches its own MSP token, as a first AWX update would.
            env = ansible_env(sim.env(), tmp=os.path.join(workdir, 'run%d' % run))
            elapsed, output = time_inventory(inventory, env)
            hosts = output.count('"msp_workspace_id"')
            if hosts != args.tenants:
                sys.exit('expected %d tenant hosts, got %d' % (args.tenants, hosts))
            stats = sim.stats(log=False)
            times.append(elapsed)
            print('run %d: %.2f s wall, %d hosts, %d requests (%d token, %d API)'
                  % (run + 1, elapsed, hosts, stats['requests'], stats['token_requests'], stats['api_requests']))

    median = statistics.median(times)
    print('ansible-inventory --list, %d tenants%s: median %.2f s wall (best %.2f s, budget %.1f s)'
          % (args.tenants, ', with device counts' if args.device_counts else '', median, min(times), args.budget))
    return 0 if median <= args.budget else 1


if __name__ == '__main__':
    sys.exit(main())
