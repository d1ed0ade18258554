#!/usr/bin/env python
"""Run the GLP + Central simulator: python tests/simulator/server.py --dataset demo [options].

GLP and Central are served on two ports, as two origins with no path prefix, the way the real hosts are.
Prints one JSON line (URLs, credentials, CA file, pid) once both sockets listen, and writes the same to
--info-file. Stops cleanly on SIGINT or SIGTERM. See docs/simulator.md.
"""
import argparse
import json
import os
import shutil
import shlex
import signal
import socket
import ssl
import struct
import sys
import tempfile
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

if __package__ in (None, ''):
    # Run as a script: make the repository root importable instead of this directory, whose module
    # names must not shadow anything.
    sys.path[0] = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests.simulator.app import SimApp
from tests.simulator.classic import ClassicApp
from tests.simulator.classic_dataset import ClassicDataset
from tests.simulator.dataset import CACHE_ITEMS, Dataset
from tests.simulator.messages import Request, glp_error
from tests.simulator.process import collection_env


MAX_LINE = 65536
MAX_HEADERS = 100


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'       # keep-alive
    disable_nagle_algorithm = True      # one write per response; no delayed-ACK stalls
    timeout = 300                       # idle keep-alive connections are closed eventually
    server_version = 'central-msp-simulator'

    def log_message(self, format, *args):
        if self.server.verbose:
            super().log_message(format, *args)

    def handle_one_request(self):
        """Read and answer one request. A small parser instead of http.server's email-based one: the simulator
        must not be what the benchmarks measure."""
        try:
            line = self.rfile.readline(MAX_LINE + 1)
        except OSError:
            line = b''
        if not line:
            self.close_connection = True
            return
        self.requestline = line.decode('latin-1').rstrip('\r\n')
        words = self.requestline.split()
        headers = {}
        while len(words) == 3:
            raw = self.rfile.readline(MAX_LINE + 1)
            if raw in (b'\r\n', b'\n', b''):
                break
            name, colon, value = raw.decode('latin-1').partition(':')
            if not colon or len(headers) >= MAX_HEADERS or len(raw) > MAX_LINE:
                words = []
                break
            headers[name.strip().lower()] = value.strip()
        if len(words) != 3 or not words[2].startswith('HTTP/1.') or len(line) > MAX_LINE:
            self.command, self.request_version, self.close_connection = 'GET', 'HTTP/1.1', True
            self.send(glp_error(400, 'malformed HTTP request'))
            return
        self.command, self.path, self.request_version = words
        connection = headers.get('connection', '').lower()
        self.close_connection = connection == 'close' or (self.request_version == 'HTTP/1.0' and connection != 'keep-alive')
        length = headers.get('content-length', '0')
        if not length.isdigit() or 'chunked' in headers.get('transfer-encoding', '').lower():
            self.close_connection = True
            self.send(glp_error(411, 'send the request body with a valid Content-Length'))
            return
        if headers.get('expect', '').lower() == '100-continue':
            self.wfile.write(b'HTTP/1.1 100 Continue\r\n\r\n')
        body = self.rfile.read(int(length)) if int(length) else b''
        url = urlsplit(self.path)
        try:
            response = self.server.app.handle(Request(self.command, url.path, url.query, headers, body,
                                                      self.client_address[0], self.server.origin))
        except Exception:  # a bug in the simulator must not look like a network failure
            if self.server.verbose:
                traceback.print_exc()
            response = glp_error(500, 'simulator error (run with --verbose to see the traceback)')
        if response.reset_connection:
            self.reset_connection()
        else:
            self.send(response)

    def send(self, response):
        self.log_request(response.status, len(response.body))
        lines = [f'HTTP/1.1 {response.status} {self.responses.get(response.status, ("",))[0]}',
                 f'Date: {self.date_time_string()}', f'Content-Length: {len(response.body)}']
        if response.content_type:
            lines.append(f'Content-Type: {response.content_type}')
        lines.extend(f'{name}: {value}' for name, value in response.headers.items())
        if self.close_connection:
            lines.append('Connection: close')
        elif self.request_version == 'HTTP/1.0':
            lines.append('Connection: keep-alive')
        head = ('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1')
        if response.drip_ms and self.command != 'HEAD':
            self.drip(head, response.body, response.drip_ms / 1000)
            return
        self.wfile.write(head if self.command == 'HEAD' else head + response.body)

    def drip(self, head, body, gap):
        """A broken server: the head at once, then the body a byte at a time (until the client gives up)."""
        try:
            self.wfile.write(head)
            for index in range(len(body)):
                time.sleep(gap)
                self.wfile.write(body[index:index + 1])
                self.wfile.flush()
        except OSError:
            self.close_connection = True

    def reset_connection(self):
        """Drop the connection with a TCP RST, as a failing load balancer does."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        self.rfile.close()
        self.connection.close()


class SimServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address, app, ssl_context=None, verbose=False, origin='glp'):
        self.app = app
        self.origin = origin
        self.ssl_context = ssl_context
        self.verbose = verbose
        super().__init__(address, Handler)

    def finish_request(self, request, client_address):
        # The TLS handshake happens here, in the connection's own thread, so one slow client cannot stall accept().
        if self.ssl_context is None:
            super().finish_request(request, client_address)
            return
        try:
            request.settimeout(30)
            tls = self.ssl_context.wrap_socket(request, server_side=True)
        except (OSError, ssl.SSLError):
            return
        try:
            super().finish_request(tls, client_address)
        finally:
            tls.close()


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Local GLP + HPE Aruba Networking Central API simulator')
    parser.add_argument('--dataset', choices=('demo', 'scale'), default='demo')
    parser.add_argument('--tenants', type=int, default=100, help='scale: number of tenants')
    parser.add_argument('--devices-per-tenant', type=int, default=100, help='scale: devices in each tenant')
    parser.add_argument('--big-tenants', type=int, default=0, help='scale: how many tenants are big (the first ones)')
    parser.add_argument('--big-tenant-devices', type=int, default=2500, help='scale: devices in each big tenant')
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--cache-items', type=int, default=CACHE_ITEMS,
                        help='built items kept in memory; raise it so a big dataset is built once, not on every pass')
    parser.add_argument('--latency-ms', type=int, default=0, help='added to every API and token request')
    parser.add_argument('--token-ttl', type=int, default=900, help='expires_in of issued tokens, seconds')
    parser.add_argument('--tls', action='store_true', help='serve HTTPS with a CA made at start-up')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=0, help='the GLP origin\'s port (0 picks a free port)')
    parser.add_argument('--central-port', type=int, default=0, help='the Central origin\'s port (0 picks a free port)')
    parser.add_argument('--info-file', help='also write the start-up JSON here (atomically)')
    parser.add_argument('--central-rate-limit', type=int, default=0, help='Central requests per second per token (0: off)')
    parser.add_argument('--glp-rate-limit', type=int, default=0, help='GLP requests per minute per client and endpoint (0: off)')
    parser.add_argument('--retry-after', action='store_true', help='send Retry-After with 429 answers')
    parser.add_argument('--classic-customers', type=int, default=55, help='customers of the Classic Central MSP')
    parser.add_argument('--classic-rate-limit', type=int, default=7, help='Classic calls per second per MSP (0: off)')
    parser.add_argument('--verbose', action='store_true', help='log every request to stderr')
    parser.add_argument('--exports', action='store_true',
                        help='print shell export lines (GLP_*, CENTRAL_*) for the collection instead of the JSON line')
    return parser.parse_args(argv)


def shell_exports(info):
    """Lines to paste into a shell: the collection then talks to this simulator, as with a real account."""
    lines = ['# central.msp -> this simulator (pid %d); paste into your shell:' % info['pid']]
    lines += ['export %s=%s' % (name, shlex.quote(value)) for name, value in collection_env(info).items()]
    lines.append('export NO_PROXY=127.0.0.1,localhost,::1  # the simulator is on loopback')
    return '\n'.join(lines)


def write_info(path, info):
    directory = os.path.dirname(os.path.abspath(path))
    handle, tmp = tempfile.mkstemp(dir=directory, prefix='.sim-info-')
    with os.fdopen(handle, 'w') as out:
        json.dump(info, out)
    os.replace(tmp, path)


def main(argv=None):
    args = parse_args(argv)
    dataset = Dataset.create(args.dataset, seed=args.seed, tenants=args.tenants, devices_per_tenant=args.devices_per_tenant,
                             big_tenants=args.big_tenants, big_tenant_devices=args.big_tenant_devices,
                             cache_items=args.cache_items)
    app = SimApp(dataset, {'token_ttl': args.token_ttl, 'latency_ms': args.latency_ms, 'retry_after': args.retry_after,
                           'central_rate_limit': args.central_rate_limit, 'glp_rate_limit': args.glp_rate_limit})
    cert_dir = ssl_context = None
    if args.tls:
        from tests.simulator.certs import make_certificates
        cert_dir = tempfile.mkdtemp(prefix='central-msp-sim-tls-')
        paths = make_certificates(cert_dir)
        ssl_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ssl_context.load_cert_chain(paths['server.pem'], paths['server.key'])
    servers = [SimServer((args.host, args.port), app, ssl_context, args.verbose, 'glp'),
               SimServer((args.host, args.central_port), app, ssl_context, args.verbose, 'central')]

    def root(server):
        host, port = server.server_address[:2]
        return f"{'https' if args.tls else 'http'}://{'127.0.0.1' if host in ('0.0.0.0', '127.0.0.1') else host}:{port}"
    glp, central = root(servers[0]), root(servers[1])
    info = {'auth_url': f'{glp}/authorization/v2/oauth2', 'glp_base_url': glp, 'central_base_url': central,
            'admin_url': f'{glp}/_sim',
            'ca_file': os.path.join(cert_dir, 'ca.pem') if cert_dir else None,
            'client_id': dataset.client_id, 'client_secret': dataset.client_secret,
            'workspace_id': dataset.msp.id, 'pid': os.getpid()}
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *args: stop.set())
    # Classic Central's API gateway on an origin of its own (tests/simulator/classic.py).
    classic = ClassicApp(ClassicDataset(args.seed, args.classic_customers),
                         {'rate_limit': args.classic_rate_limit, 'latency_ms': args.latency_ms})
    servers.append(SimServer((args.host, 0), classic, ssl_context, args.verbose, 'classic'))
    classic_root = root(servers[-1])
    info['classic'] = {'base_url': classic_root, 'admin_url': f'{classic_root}/_sim',
                       'client_id': classic.dataset.client_id, 'client_secret': classic.dataset.client_secret,
                       'msp_customer_id': classic.dataset.msp_customer_id, 'username': classic.dataset.username,
                       'password': classic.dataset.password, 'token': classic.initial_bundle}
    for server in servers:
        threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.2}, daemon=True).start()
    if args.info_file:
        write_info(args.info_file, info)
    if args.exports:
        print(shell_exports(info), flush=True)
    else:
        print(json.dumps(info), flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
        if cert_dir:
            shutil.rmtree(cert_dir, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
