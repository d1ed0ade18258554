#!/usr/bin/env python
"""How many small GET requests per second the simulator serves on loopback, with keep-alive connections, and how
that compares with a bare standard-library HTTP server measured the same way on the same machine.

    python tests/simulator/bench_rps.py [--processes 4] [--threads 2] [--seconds 3] [--info-file INFO.json] [--tls]

Without --info-file it starts its own demo simulator. Each client thread has its own requests.Session (one
keep-alive connection) and asks for a one-item page of a tenant's device inventory. The threads are spread
over a few processes because one Python process of requests clients is itself the bottleneck (its GIL).
The reference answers every GET with a fixed small JSON body and does nothing else: the ratio of the two rates
is what the simulator's own work costs, whatever the speed of the machine.
"""
import argparse
import json
import multiprocessing
import os
import sys
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

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


class ReferenceHandler(BaseHTTPRequestHandler):
    """The least an HTTP/1.1 keep-alive server can do: the standard library's parser and one fixed answer."""

    protocol_version = 'HTTP/1.1'
    disable_nagle_algorithm = True
    BODY = json.dumps({'items': [{'serialNumber': 'REF0000001'}], 'count': 1, 'total': 1, 'next': None}).encode()

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(self.BODY)))
        self.end_headers()
        self.wfile.write(self.BODY)

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass


def _serve_reference(port_queue):
    server = ThreadingHTTPServer(('127.0.0.1', 0), ReferenceHandler)
    server.daemon_threads = True
    port_queue.put(server.server_address[1])
    server.serve_forever(poll_interval=0.2)


@contextmanager
def reference_server():
    """A bare server in a process of its own (as the simulator is), yielding its URL for ``measure_url``."""
    context = multiprocessing.get_context('spawn')
    ports = context.Queue()
    process = context.Process(target=_serve_reference, args=(ports,), daemon=True)
    process.start()
    try:
        yield 'http://127.0.0.1:%d%s' % (ports.get(timeout=60), PATH)
    finally:
        process.kill()
        process.join(10)


def measure(info, processes=4, threads=2, seconds=3.0):
    """Requests per second the simulator answers, over all client processes and threads."""
    client = SimClient(info)
    tenant_id = client.get('glp', 'workspaces/v1/msp-tenants', client.msp_token(), limit=1).json()['items'][0]['id']
    return measure_url(info['central_base_url'] + PATH, client.exchange(tenant_id), client.verify, processes, threads,
                       seconds)


def measure_url(url, token, verify, processes=4, threads=2, seconds=3.0):
    """Requests per second answered 200 at ``url``, over all client processes and threads."""
    context = multiprocessing.get_context('spawn')
    ready, results = context.Barrier(processes + 1), context.Queue()
    args = (url, token, verify, threads, seconds, ready, results)
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
    with reference_server() as url:
        reference = measure_url(url, 'reference', True, args.processes, args.threads, args.seconds)
    print(f'{rate:.0f} requests/s ({args.processes} x {args.threads} keep-alive clients, {args.seconds:g} s); '
          f'a bare standard-library server: {reference:.0f} requests/s (ratio {rate / reference:.2f})')


if __name__ == '__main__':
    main()
