#!/usr/bin/env python
"""How many small GET requests per second the simulator serves on loopback, with keep-alive connections.

    python tests/simulator/bench_rps.py [--processes 4] [--threads 2] [--seconds 3] [--info-file INFO.json] [--tls]

Without --info-file it starts its own demo simulator. Each client thread has its own requests.Session (one
keep-alive connection) and asks for a one-item page of a tenant's device inventory. The threads are spread
over a few processes because one Python process of requests clients is itself the bottleneck (its GIL).
"""
import argparse
import json
import multiprocessing
import os
import sys
import threading
import time

if __package__ in (None, ''):
    sys.path[0] = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import requests

from tests.simulator.client import SimClient
from tests.simulator.pytest_plugin import start_simulator

PATH = '/network-monitoring/v1/device-inventory?limit=1&next=1'


def client_process(url, token, verify, threads, seconds, ready, results):
    """Run `threads` clients for `seconds` once every process is ready; puts (200 answers, other statuses)."""
    counts, errors = [0] * threads, []
    sessions = [requests.Session() for _i in range(threads)]
    for session in sessions:
        session.trust_env = False   # no proxy or netrc look-ups per request
    ready.wait(120)
    deadline = time.monotonic() + seconds

    def worker(index):
        # Prepared once: the per-request work left is the HTTP exchange itself, not requests' bookkeeping.
        prepared = sessions[index].prepare_request(requests.Request('GET', url, headers={'Authorization': f'Bearer {token}'}))
        while time.monotonic() < deadline:
            response = sessions[index].send(prepared, verify=verify, timeout=10)
            if response.status_code != 200:
                errors.append(response.status_code)
                return
            counts[index] += 1

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    results.put((sum(counts), errors))


def measure(info, processes=4, threads=2, seconds=3.0):
    """Requests per second over all client processes and threads."""
    client = SimClient(info)
    tenant_id = client.get('glp', 'workspaces/v1/msp-tenants', client.msp_token(), limit=1).json()['items'][0]['id']
    context = multiprocessing.get_context('spawn')
    ready, results = context.Barrier(processes + 1), context.Queue()
    args = (info['central_base_url'] + PATH, client.exchange(tenant_id), client.verify, threads, seconds, ready, results)
    children = [context.Process(target=client_process, args=args, daemon=True) for _i in range(processes)]
    for child in children:
        child.start()
    try:
        ready.wait(120)
        answers = [results.get(timeout=seconds + 60) for _i in children]
    finally:
        for child in children:
            child.join(10)
            if child.is_alive():
                child.kill()
    errors = [status for answer in answers for status in answer[1]]
    if errors:
        raise RuntimeError(f'the benchmark got HTTP {errors[0]}')
    return sum(answer[0] for answer in answers) / seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--processes', type=int, default=4)
    parser.add_argument('--threads', type=int, default=2, help='client threads per process')
    parser.add_argument('--seconds', type=float, default=3.0)
    parser.add_argument('--info-file', help="a running simulator's info file (default: start one)")
    parser.add_argument('--tls', action='store_true', help='start the simulator with --tls')
    args = parser.parse_args()
    if args.info_file:
        with open(args.info_file) as handle:
            rate = measure(json.load(handle), args.processes, args.threads, args.seconds)
    else:
        with start_simulator('--dataset', 'demo', *(['--tls'] if args.tls else [])) as sim:
            rate = measure(sim.info, args.processes, args.threads, args.seconds)
    print(f'{rate:.0f} requests/s ({args.processes} x {args.threads} keep-alive clients, {args.seconds:g} s)')


if __name__ == '__main__':
    main()
