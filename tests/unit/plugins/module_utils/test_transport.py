"""Retries (how long, how often, for what) and the one error shape."""

import base64
import io
import json
import os
import socket
import threading
import time
import urllib.parse

import pytest
import requests
import urllib3

from ansible_collections.central.msp.plugins.module_utils import transport
from ansible_collections.central.msp.plugins.module_utils.errors import ApiError, ConfigError
from ansible_collections.central.msp.plugins.module_utils.transport import HttpClient, error_from_response, retry_wait
from ansible_collections.central.msp.plugins.module_utils.settings import resolve_settings

from tests.unit.fakes import ScriptedSession, response
from tests.unit.local_servers import DripServer, Proxy

SETTINGS = resolve_settings(dict(client_id='cid', client_secret='the-secret', workspace_id='0' * 32, max_retries=3))


def client(*script, settings=SETTINGS):
    sleeps = []
    http = HttpClient(settings, sleep=sleeps.append)
    http.session = ScriptedSession(*script)
    return http, sleeps


@pytest.mark.parametrize('headers, low, high', [
    ({'Retry-After': '2'}, 2.0, 2.31),
    ({'ratelimit-reset': '7'}, 7.0, 7.81),
    ({'X-RateLimit-Reset': '1'}, 1.0, 1.21),
    ({'Retry-After': '3', 'X-RateLimit-Reset': '9'}, 3.0, 3.41),
])
def test_retry_wait_honours_server_headers_and_never_goes_earlier(headers, low, high):
    for _unused in range(50):
        assert low <= retry_wait(response(429, headers=headers), 0) <= high


def test_retry_wait_accepts_epoch_and_http_dates():
    assert 9 <= retry_wait(response(429, headers={'X-RateLimit-Reset': str(int(time.time()) + 10)}), 0) <= 11.1
    date = time.strftime('%a, %d %b %Y %H:%M:%S GMT', time.gmtime(time.time() + 5))
    assert 3.9 <= retry_wait(response(429, headers={'Retry-After': date}), 0) <= 5.7


def test_retry_wait_accepts_centrals_rfc3339_reset():
    """Central's X-RateLimit-Reset is an RFC 3339 date-time (UTC); fractions and offsets parse too."""
    soon = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(time.time() + 6))
    assert 4.9 <= retry_wait(response(429, headers={'X-RateLimit-Reset': soon}), 0) <= 7.8
    offset = time.strftime('%Y-%m-%dT%H:%M:%S.500+00:00', time.gmtime(time.time() + 3))
    assert 2.4 <= retry_wait(response(429, headers={'X-RateLimit-Reset': offset}), 0) <= 4.5
    past = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(time.time() - 60))
    assert retry_wait(response(429, headers={'X-RateLimit-Reset': past}), 0) <= 0.11


def test_backoff_without_headers_grows_with_jitter_and_is_capped():
    assert 0.5 <= retry_wait(response(503), 0) <= 0.75
    assert 4.0 <= retry_wait(response(503), 3) <= 6.0
    assert retry_wait(response(503), 20) <= 45.0


def test_429_then_success_is_retried_after_the_server_wait():
    http, sleeps = client(response(429, headers={'Retry-After': '2'}), response(200, {'ok': True}))
    assert http.send('GET', 'https://h/x', 'GET x').json() == {'ok': True}
    assert len(sleeps) == 1 and sleeps[0] >= 2.0


def test_retries_are_bounded_by_max_retries():
    http, sleeps = client(*[response(503) for _unused in range(4)])
    assert http.send('GET', 'https://h/x', 'GET x').status_code == 503
    assert len(sleeps) == 3 and http.session.script == []


def test_unsafe_methods_are_retried_only_on_429():
    http, sleeps = client(response(503))
    assert http.send('POST', 'https://h/x', 'POST x').status_code == 503 and sleeps == []
    http, sleeps = client(response(429), response(201))
    assert http.send('POST', 'https://h/x', 'POST x').status_code == 201 and len(sleeps) == 1
    http, sleeps = client(response(502), response(200))
    assert http.send('POST', 'https://h/token', 'token', retry_unsafe=True).status_code == 200


def test_connection_errors_are_retried_then_reported_by_call():
    reset = requests.exceptions.ConnectionError('Connection reset by peer')
    http, sleeps = client(reset, response(200))
    assert http.send('GET', 'https://h/x', 'GET x').status_code == 200
    http, sleeps = client(reset, reset, reset, reset)
    with pytest.raises(ApiError, match='GET central devices failed: connection failed after 4 attempts'):
        http.send('GET', 'https://h/x', 'GET central devices')


def test_tls_failure_says_what_to_set():
    http, _sleeps = client(requests.exceptions.SSLError('CERTIFICATE_VERIFY_FAILED'))
    with pytest.raises(ApiError, match='TLS verification failed.*ca_path'):
        http.send('GET', 'https://h/x', 'GET x')


def test_no_redirects_are_followed_and_timeout_is_set():
    http, _sleeps = client(response(200))
    http.send('GET', 'https://h/x', 'GET x')
    assert http.session.sent[0]['allow_redirects'] is False and http.session.sent[0]['timeout'] == 30


@pytest.mark.parametrize('resp, expected', [
    (response(404, {'httpStatusCode': 404, 'errorCode': 'HPE_GL_ERROR_NOT_FOUND', 'message': 'no such site',
                    'debugId': 'dbg-1'}),
     'GET x failed: HTTP 404 HPE_GL_ERROR_NOT_FOUND: no such site (debugId dbg-1)'),
    (response(401, {'error': 'invalid_client', 'error_description': 'bad credentials'}),
     'GET x failed: HTTP 401 invalid_client: bad credentials'),
    (response(502, raw='<html><head><title>502 Bad\n Gateway</title></head></html>', headers={'Content-Type': 'text/html'}),
     'GET x failed: HTTP 502: non-JSON text/html response (57 bytes): 502 Bad Gateway'),
    (response(503), 'GET x failed: HTTP 503: empty response body'),
])
def test_error_messages_have_one_shape(resp, expected):
    assert str(error_from_response('GET x', resp)) == expected


def test_errors_never_echo_a_token_or_the_secret():
    http, _sleeps = client()
    http.add_sensitive('tok-abc')
    resp = response(400, {'errorCode': 'BAD', 'message': 'token tok-abc and the-secret are bad'})
    message = str(error_from_response('GET x', resp, redact=http.redact))
    assert 'tok-abc' not in message and 'the-secret' not in message and '********' in message


def test_proxies_come_from_the_environment_and_honour_no_proxy(monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', 'http://proxy.example.com:3128')
    monkeypatch.setenv('NO_PROXY', 'internal.example.com')
    http, _sleeps = client(response(200), response(200))
    http.send('GET', 'https://api.example.com/x', 'GET x')
    http.send('GET', 'https://internal.example.com/x', 'GET y')
    assert http.session.sent[0]['proxies'].get('https') == 'http://proxy.example.com:3128'
    assert not http.session.sent[1]['proxies'].get('https')
    assert HttpClient(SETTINGS).session.trust_env is False  # no .netrc replacing the bearer token


# ---- hostile or broken servers (issue 15) ------------------------------------------------------------------

@pytest.mark.parametrize('value, low, high', [
    ('1, 1', 1.0, 1.21),            # a CDN and the origin, merged into one header
    ('2,5', 5.0, 5.61),             # the longest wait of the parts counts
    ('garbage', 0.5, 0.75),         # ignored: backoff
    ('1, soon', 0.5, 0.75),
    ('nan', 0.5, 0.75),
    ('inf', 0.5, 0.75),
    ('-3', 0.0, 0.11),
    ('Mon, 32 Foo 2024 99:99:99 GMT', 0.5, 0.75),
    (', ,', 0.5, 0.75),
])
def test_retry_after_in_every_form_is_used_when_understood_and_never_crashes(value, low, high):
    for _unused in range(20):
        assert low <= retry_wait(response(429, headers={'Retry-After': value}), 0) <= high


def test_a_merged_retry_after_is_waited_out_then_retried():
    http, sleeps = client(response(429, headers={'Retry-After': '1, 1'}), response(200, {'ok': True}))
    assert http.send('GET', 'https://h/x', 'GET x').json() == {'ok': True}
    assert len(sleeps) == 1 and sleeps[0] >= 1.0


def _streamed(status, body):
    """A response whose body is read by send() itself, as from the network."""
    resp = response(status)
    resp._content = False
    resp.raw = io.BytesIO(body)
    return resp


def test_an_oversize_response_is_refused_not_held_in_memory(monkeypatch):
    monkeypatch.setattr(transport, 'MAX_RESPONSE_BYTES', 1000)
    http, _sleeps = client(_streamed(200, b'x' * 200000))
    with pytest.raises(ApiError, match='GET x failed: HTTP 200: the response is larger than'):
        http.send('GET', 'https://h/x', 'GET x')
    http, _sleeps = client(_streamed(200, b'{"items": []}'))
    assert http.send('GET', 'https://h/x', 'GET x').json() == {'items': []}


class DrippingServer:
    """A loopback HTTP server that sends its headers at once, then the body one byte at a time."""

    def __init__(self, body_bytes=100, gap=0.2):
        self.body_bytes, self.gap = body_bytes, gap
        self.sent = 0
        self.socket = socket.create_server(('127.0.0.1', 0))
        self.url = 'http://127.0.0.1:%d/x' % self.socket.getsockname()[1]
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        connection, _address = self.socket.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n'
                               % self.body_bytes)
            try:
                for _unused in range(self.body_bytes):
                    connection.sendall(b' ')
                    self.sent += 1
                    time.sleep(self.gap)
            except OSError:
                pass  # the client gave up: what the test wants

    def close(self):
        self.socket.close()


def test_timeout_bounds_the_whole_response_not_one_socket_read():
    # Each byte arrives well within the 1 s timeout, the whole body would take 20 s: the call gives up.
    server = DrippingServer(body_bytes=100, gap=0.2)
    try:
        settings = resolve_settings(dict(client_id='cid', client_secret='the-secret', workspace_id='0' * 32,
                                         max_retries=0, timeout=1))
        http = HttpClient(settings)
        with pytest.raises(ApiError, match='GET x failed: timed out after 1 attempt: the whole response took longer'):
            http.send('GET', server.url, 'GET x')
        assert server.sent < server.body_bytes
    finally:
        server.close()


def test_a_refused_connection_fails_at_once_with_what_to_check():
    closed = socket.create_server(('127.0.0.1', 0))
    port = closed.getsockname()[1]
    closed.close()
    http = HttpClient(SETTINGS, sleep=lambda seconds: pytest.fail('a refused connection was retried'))
    with pytest.raises(ApiError, match=r'GET x failed: the connection was refused .*Check base_url / cluster_name'):
        http.send('GET', 'http://127.0.0.1:%d/x' % port, 'GET x')
    assert http.retries == 0


def test_a_name_that_does_not_resolve_fails_at_once():
    pool = urllib3.HTTPSConnectionPool('central.invalid', 443)
    cause = urllib3.exceptions.NameResolutionError('central.invalid', None, socket.gaierror(-2, 'Name unknown'))
    error = requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(pool, '/x', cause))
    http, sleeps = client(error, response(200))
    with pytest.raises(ApiError, match='GET x failed: the host name does not resolve.*Check base_url'):
        http.send('GET', 'https://central.invalid/x', 'GET x')
    assert sleeps == [] and len(http.session.script) == 1


def test_plain_http_to_loopback_never_goes_through_a_proxy(monkeypatch):
    monkeypatch.setenv('HTTP_PROXY', 'http://proxy.example.com:3128')
    monkeypatch.setenv('HTTPS_PROXY', 'http://proxy.example.com:3128')
    monkeypatch.delenv('NO_PROXY', raising=False)
    monkeypatch.delenv('no_proxy', raising=False)
    http, _sleeps = client(response(200), response(200), response(200))
    for url in ('http://127.0.0.1:8080/x', 'http://localhost/x', 'http://[::1]:9/x'):
        http.send('GET', url, 'GET x')
    assert all(not any(sent['proxies'].values()) for sent in http.session.sent)


@pytest.mark.parametrize('headers, fragment', [
    ({'X-Note': 'a\r\nInjected: yes'}, 'The value of header X-Note holds a line break'),
    ({'X-Note': 'caf\u00e9'}, 'The value of header X-Note holds'),
    ({'Authorization': 'Bearer tok\nsecret-part'}, 'The token holds a line break'),
    ({'Bad Name': 'x'}, "Header name 'Bad Name' is not a valid HTTP header name"),
])
def test_headers_http_cannot_carry_are_refused_without_echoing_them(headers, fragment):
    http, _sleeps = client(response(200))
    with pytest.raises(ConfigError) as caught:
        http.send('GET', 'https://h/x', 'GET x', headers=headers)
    assert fragment in str(caught.value) and 'secret-part' not in str(caught.value) and 'Injected' not in str(caught.value)
    assert http.session.sent == []


SECRET = 'S3cr/t+x y=z'
TOKEN = 'eyJhbGciOi.tok/en+part=='


@pytest.mark.parametrize('text', [
    SECRET,
    'Authorization: Basic ' + base64.b64encode(('cid:' + SECRET).encode()).decode(),
    'client_secret=' + urllib.parse.quote_plus(SECRET),
    '/path/' + urllib.parse.quote(SECRET, safe=''),
    json.dumps({'echo': SECRET}).replace('/', '\\/'),
    '"' + ''.join('\\u%04X' % ord(char) for char in SECRET) + '"',
    '"' + ''.join('\\u%04x' % ord(char) if index % 2 else char for index, char in enumerate(TOKEN)) + '"',
    'subject_token=' + urllib.parse.quote_plus(TOKEN) + '&subject_token_type=x',
    'x-echo: ' + base64.b64encode(b'prefix:' + TOKEN.encode() + b':suffix').decode(),
    base64.urlsafe_b64encode(b'?' + TOKEN.encode()).decode(),
])
def test_secrets_and_tokens_are_masked_in_every_encoding_they_travel_in(text):
    settings = resolve_settings(dict(client_id='cid', client_secret=SECRET, workspace_id='0' * 32))
    http = HttpClient(settings)
    http.add_sensitive(TOKEN)
    masked = http.redact(text)
    assert '********' in masked
    for probe in (SECRET, TOKEN):
        for form in (probe, urllib.parse.quote_plus(probe), urllib.parse.quote(probe, safe=''),
                     base64.b64encode(probe.encode()).decode()[:12]):
            assert form not in masked
    assert SECRET not in json.dumps(json.loads(masked)) if masked.startswith(('{', '"')) else True


def test_decoded_json_is_masked_after_decoding_keys_and_values():
    http, _sleeps = client()
    http.add_sensitive(TOKEN)
    decoded = json.loads(json.dumps({'a': [TOKEN, {TOKEN: 'x ' + TOKEN}], 'n': 1}, ensure_ascii=True)
                         .replace('tok', '\\u0074ok'))
    assert http.redact_data(decoded) == {'a': ['********', {'********': 'x ********'}], 'n': 1}


def test_a_compressed_body_is_decoded_as_requests_would():
    import gzip
    body = json.dumps({'items': [{'id': str(n)} for n in range(500)]}).encode()
    packed = gzip.compress(body)
    listener = socket.create_server(('127.0.0.1', 0))

    def serve():
        connection, _address = listener.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n'
                               b'Content-Length: %d\r\n\r\n' % len(packed) + packed)
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        http = HttpClient(SETTINGS)
        answer = http.send('GET', 'http://127.0.0.1:%d/x' % listener.getsockname()[1], 'GET x')
        assert answer.json() == json.loads(body)
    finally:
        listener.close()


def test_timeout_bounds_a_status_line_and_headers_that_drip():
    listener = socket.create_server(('127.0.0.1', 0))
    sent = []

    def serve():
        connection, _address = listener.accept()
        with connection:
            connection.recv(65536)
            head = b'HTTP/1.1 200 OK\r\n' + b''.join(b'X-Pad-%d: %s\r\n' % (n, b'x' * 20) for n in range(20))
            try:
                for index in range(len(head)):  # one byte every 0.1 s: the head alone would take a minute
                    connection.sendall(head[index:index + 1])
                    sent.append(1)
                    time.sleep(0.1)
            except OSError:
                pass
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        settings = resolve_settings(dict(client_id='cid', client_secret='the-secret', workspace_id='0' * 32,
                                         max_retries=0, timeout=1))
        with pytest.raises(ApiError, match='GET x failed: timed out after 1 attempt: the status line and headers '
                                           'took longer than timeout'):
            HttpClient(settings).send('GET', 'http://127.0.0.1:%d/x' % listener.getsockname()[1], 'GET x')
        thread.join(5)
        assert len(sent) < 500
    finally:
        listener.close()


# A head that would take over two minutes at 0.3 s a byte; timeout 2 s must end the attempt after about 2 s.
DRIPPED_HEAD = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n' + b''.join(
    b'X-Pad-%d: %s\r\n' % (n, b'x' * 30) for n in range(10)) + b'Content-Length: 2\r\n\r\n'
DRIP_GAP = 0.3
DRIP_TIMEOUT = 2


def _drip_settings(**extra):
    return resolve_settings(dict(client_id='cid', client_secret='the-secret', workspace_id='0' * 32,
                                 max_retries=0, timeout=DRIP_TIMEOUT, **extra))


def _timed_failure(http, url, match):
    started = time.monotonic()
    with pytest.raises(ApiError, match=match):
        http.send('GET', url, 'GET x')
    return time.monotonic() - started


def _proxy_env(monkeypatch, proxy):
    for name in ('HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy'):
        monkeypatch.setenv(name, proxy.url)
    for name in ('NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy'):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize('scheme', ['http', 'https'])
def test_timeout_bounds_dripping_headers_through_a_proxy_as_on_the_direct_path(scheme, tmp_path, monkeypatch):
    # http: the proxy forwards the absolute URI; https: a CONNECT tunnel to a TLS server. The host name is not
    # loopback (loopback never goes through a proxy) and resolves nowhere: only the proxy knows where it is.
    tls = None
    if scheme == 'https':
        from tests.simulator.certs import make_certificates
        paths = make_certificates(str(tmp_path))
        tls = (paths['server.pem'], paths['server.key'])
    server = DripServer(DRIPPED_HEAD, b'{}', drip='head', gap=DRIP_GAP, tls=tls)
    proxy = Proxy(server.address)
    _proxy_env(monkeypatch, proxy)
    try:
        http = HttpClient(_drip_settings(validate_certs=False) if tls else _drip_settings())
        elapsed = _timed_failure(http, '%s://central.drip.test/x' % scheme, 'GET x failed: timed out after 1 '
                                 'attempt: the status line and headers took longer than timeout')
        assert proxy.seen and proxy.seen[0].split(' ')[0] == ('CONNECT' if tls else 'GET'), proxy.seen
        # Cut at the deadline, not per read: the head would need len(DRIPPED_HEAD) * 0.3 s (over two minutes).
        # Five times the timeout leaves room for a slow machine and is still a tenth of the drip.
        assert DRIP_TIMEOUT * 0.9 <= elapsed < DRIP_TIMEOUT * 5, elapsed
        assert server.sent < len(DRIPPED_HEAD) / 4, server.sent
    finally:
        proxy.close()
        server.close()


def test_timeout_bounds_a_proxy_dripping_its_connect_answer(tmp_path, monkeypatch):
    from tests.simulator.certs import make_certificates
    paths = make_certificates(str(tmp_path))
    server = DripServer(DRIPPED_HEAD, b'{}', drip='body', gap=0, tls=(paths['server.pem'], paths['server.key']))
    proxy = Proxy(server.address, connect_gap=DRIP_GAP)
    _proxy_env(monkeypatch, proxy)
    try:
        http = HttpClient(_drip_settings(validate_certs=False))
        elapsed = _timed_failure(http, 'https://central.drip.test/x', 'GET x failed: timed out after 1 attempt: '
                                 'connecting \\(through any proxy, with the TLS handshake\\) took longer than timeout')
        assert DRIP_TIMEOUT * 0.9 <= elapsed < DRIP_TIMEOUT * 5, elapsed
    finally:
        proxy.close()
        server.close()


def test_timeout_bounds_a_dripping_body_through_a_proxy(monkeypatch):
    server = DripServer(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n',
                        b' ' * 400, drip='body', gap=DRIP_GAP)
    proxy = Proxy(server.address)
    _proxy_env(monkeypatch, proxy)
    try:
        elapsed = _timed_failure(HttpClient(_drip_settings()), 'http://central.drip.test/x',
                                 'GET x failed: timed out after 1 attempt: the whole response took longer than '
                                 'timeout')
        assert DRIP_TIMEOUT * 0.9 <= elapsed < DRIP_TIMEOUT * 5, elapsed
        assert server.sent < 100, server.sent
    finally:
        proxy.close()
        server.close()


def test_one_attempt_is_bounded_by_timeout_not_headers_plus_body():
    # The head comes just before the deadline, then the body stalls: a deadline for the head and a socket
    # timeout for the body would let this attempt run close to twice the timeout (5.7 s); one deadline ends it
    # at 3 s. The bound sits between the two, 1.5 s above the deadline for a slow machine.
    timeout = 3
    server = DripServer(b'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n', b'x' * 10, drip='body', gap=60,
                        pause=timeout - 0.3)
    try:
        settings = resolve_settings(dict(client_id='cid', client_secret='the-secret', workspace_id='0' * 32,
                                         max_retries=0, timeout=timeout))
        elapsed = _timed_failure(HttpClient(settings), 'http://127.0.0.1:%d/x' % server.address[1],
                                 'GET x failed: timed out after 1 attempt: the whole response took longer than '
                                 'timeout \\(1 bytes in hand\\)')
        assert timeout * 0.9 <= elapsed < timeout + 1.5, elapsed
    finally:
        server.close()


def _deadline_threads():
    return [thread for thread in threading.enumerate() if thread.name == 'central-msp-deadlines']


def test_every_attempt_of_a_process_shares_one_deadline_thread(monkeypatch):
    # A thread per attempt would be started (and waited for) on every request's path.
    server = DripServer(b'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n', b'{}', drip='body',
                        gap=0)
    try:
        http = HttpClient(resolve_settings(dict(client_id='cid', client_secret='the-secret', workspace_id='0' * 32,
                                                max_retries=0, timeout=30)))
        started = []
        monkeypatch.setattr(threading.Thread, 'start', lambda thread, start=threading.Thread.start: (
            started.append(getattr(thread._target, '__self__', None)), start(thread))[1])
        for _unused in range(25):
            assert http.send('GET', 'http://127.0.0.1:%d/x' % server.address[1], 'GET x').status_code == 200
        assert len(_deadline_threads()) == 1
        # The server's own thread per connection aside, the 25 attempts started at most the deadline thread.
        assert len([owner for owner in started if owner is not server]) <= 1
    finally:
        server.close()


def test_a_short_deadline_is_not_held_up_by_a_longer_one_that_came_first():
    stalled = DripServer(b'HTTP/1.1 200 OK\r\n\r\n', pause=60)
    try:
        def client(timeout):
            return HttpClient(resolve_settings(dict(client_id='cid', client_secret='the-secret',
                                                    workspace_id='0' * 32, max_retries=0, timeout=timeout)))
        url = 'http://127.0.0.1:%d/x' % stalled.address[1]
        # The first attempt's deadline is 20 s away when the second one's (1 s) comes in.
        threading.Thread(target=lambda: pytest.raises(ApiError, client(20).send, 'GET', url, 'GET x'),
                         daemon=True).start()
        time.sleep(0.2)
        elapsed = _timed_failure(client(1), url, 'GET x failed: timed out after 1 attempt: the status line and '
                                                 'headers took longer than timeout')
        assert 0.9 <= elapsed < 2.5, elapsed
    finally:
        stalled.close()


def test_a_forked_child_gets_its_own_deadline_thread():
    # Ansible forks its workers from a controller that may have sent requests already (the inventory plugin):
    # the child inherits the deadlines but not the thread that enforces them.
    stalled = DripServer(b'HTTP/1.1 200 OK\r\n\r\n', pause=60)
    try:
        http = HttpClient(resolve_settings(dict(client_id='cid', client_secret='the-secret', workspace_id='0' * 32,
                                                max_retries=0, timeout=1)))
        url = 'http://127.0.0.1:%d/x' % stalled.address[1]
        with pytest.raises(ApiError):
            http.send('GET', url, 'GET x')  # the parent's thread is running now
        assert len(_deadline_threads()) == 1
        pid = os.fork()
        if pid == 0:  # the child: exit 0 only when its attempt was cut off at its deadline
            code = 1
            try:
                started = time.monotonic()
                try:
                    http.send('GET', url, 'GET x')
                except ApiError as exc:
                    code = 0 if 'timed out' in str(exc) and time.monotonic() - started < 2.5 else 2
            finally:
                os._exit(code)
        _unused, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
    finally:
        stalled.close()
