"""Real loopback servers for transport tests: a server that drips its answer, and a small HTTP proxy in front of it.

Both are plain sockets on threads, so the collection's whole HTTP stack (requests, urllib3, http.client, ssl)
runs as it does against a real network."""

import select
import socket
import ssl
import threading
import time


class DripServer:
    """Answers every connection with ``head`` (then ``body``), sending the bytes of the part named by ``drip``
    ('head' or 'body') one at a time, ``gap`` seconds apart; ``pause`` seconds of silence come before the head.
    ``tls``: (certificate, key) paths to speak HTTPS. ``sent`` counts the dripped bytes that went out."""

    def __init__(self, head, body=b'', drip='head', gap=0.3, pause=0.0, tls=None):
        self.head, self.body, self.drip, self.gap, self.pause = head, body, drip, gap, pause
        self.sent = 0
        self.context = None
        if tls:
            self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.context.load_cert_chain(*tls)
        self.socket = socket.create_server(('127.0.0.1', 0))
        self.address = self.socket.getsockname()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _address = self.socket.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection):
        try:
            if self.context is not None:
                connection = self.context.wrap_socket(connection, server_side=True)
            with connection:
                connection.recv(65536)
                time.sleep(self.pause)
                dripped = self.head if self.drip == 'head' else self.body
                if self.drip != 'head':
                    connection.sendall(self.head)
                for index in range(len(dripped)):
                    connection.sendall(dripped[index:index + 1])
                    self.sent += 1
                    time.sleep(self.gap)
                if self.drip == 'head':
                    connection.sendall(self.body)
        except (OSError, ssl.SSLError):
            pass  # the client gave up: what the tests want

    def close(self):
        self.socket.close()


class Proxy:
    """An HTTP proxy: CONNECT tunnels and absolute-URI (plain http) requests, every target host sent to
    ``upstream`` (host, port) — the proxy resolves names, not the client. ``connect_gap`` > 0 drips the proxy's
    own answer to CONNECT. ``seen`` lists the request lines it received."""

    def __init__(self, upstream, connect_gap=0.0):
        self.upstream, self.connect_gap = upstream, connect_gap
        self.seen = []
        self.socket = socket.create_server(('127.0.0.1', 0))
        self.url = 'http://127.0.0.1:%d' % self.socket.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                client, _address = self.socket.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _handle(self, client):
        try:
            with client:
                head = b''
                while b'\r\n\r\n' not in head:
                    data = client.recv(65536)
                    if not data:
                        return
                    head += data
                line = head.split(b'\r\n', 1)[0].decode('latin-1')
                self.seen.append(line)
                method, target, _version = line.split(' ', 2)
                with socket.create_connection(self.upstream) as server:
                    if method == 'CONNECT':
                        answer = b'HTTP/1.1 200 Connection established\r\nX-Proxy: local\r\n\r\n'
                        if self.connect_gap:
                            for index in range(len(answer)):
                                client.sendall(answer[index:index + 1])
                                time.sleep(self.connect_gap)
                        else:
                            client.sendall(answer)
                        rest = head.split(b'\r\n\r\n', 1)[1]
                    else:  # plain http: the absolute URI becomes a path
                        path = '/' + target.split('://', 1)[-1].split('/', 1)[-1] if '://' in target else target
                        rest = head.replace(target.encode('latin-1'), path.encode('latin-1'), 1)
                    if rest:
                        server.sendall(rest)
                    self._relay(client, server)
        except (OSError, ValueError):
            pass

    @staticmethod
    def _relay(client, server):
        sockets = [client, server]
        while True:
            readable, _writable, _failed = select.select(sockets, [], [], 30)
            if not readable:
                return
            for source in readable:
                data = source.recv(65536)
                if not data:
                    return
                (server if source is client else client).sendall(data)

    def close(self):
        self.socket.close()
