# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP transport: one pooled requests.Session per process, bounded retries, one error shape."""

from __future__ import annotations

import base64
import email.utils
import errno
import heapq
import ipaddress
import itertools
import math
import os
import random
import re
import socket
import threading
import time
from datetime import datetime, timezone
from urllib.parse import unquote, unquote_plus, urlsplit

from ansible_collections.central.msp.plugins.module_utils.errors import ApiError, ConfigError

try:
    import requests
    from requests.adapters import HTTPAdapter
    HAS_REQUESTS = True
except ImportError:
    HAS_REQUESTS = False


# Statuses worth another try: rate limited, or a transient server/CDN failure.
RETRY_STATUSES = frozenset((429, 500, 502, 503, 504))
SAFE_METHODS = frozenset(('GET', 'HEAD', 'OPTIONS'))
BACKOFF_BASE = 0.5
BACKOFF_CAP = 30.0
# A server asking for a longer pause than this is treated as a failure rather than waited out.
MAX_SERVER_WAIT = 300.0
# No API answer is anywhere near this; a bigger one is a broken or hostile server, not data.
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
_TITLE = re.compile(r'<title[^>]*>(.*?)</title>', re.IGNORECASE | re.DOTALL)


def retry_wait(response, attempt):
    """Seconds to wait before retrying: Retry-After, else a rate-limit reset header, else backoff with jitter."""
    headers = response.headers if response is not None else {}
    for name in ('Retry-After', 'ratelimit-reset', 'X-RateLimit-Reset'):
        seconds = _header_seconds(headers.get(name))
        if seconds is not None:
            # Never earlier than the server allows; a little jitter so forks don't return in lockstep.
            return seconds + random.uniform(0.0, 0.1 + seconds * 0.1)
    return min(BACKOFF_CAP, BACKOFF_BASE * (2 ** attempt)) * random.uniform(1.0, 1.5)


def _header_seconds(value):
    """Seconds from a delay, an epoch time, an RFC 3339 date-time or an HTTP date; None for anything else.

    Proxies and CDNs merge repeated headers into one ("1, 1"): the longest wait of the parts counts."""
    if value in (None, ''):
        return None
    value = str(value).strip()
    parts = [part.strip() for part in value.split(',')]
    if len(parts) > 1 and all(_number(part) is not None for part in parts):
        return max(_delay(_number(part)) for part in parts)
    seconds = _number(value)
    if seconds is not None:
        return _delay(seconds)
    # Central's X-RateLimit-Reset is an RFC 3339 date-time; Retry-After may be an HTTP date.
    parsed = _moment(value)
    if parsed is None:
        return None
    try:
        return max(0.0, parsed.timestamp() - time.time())
    except (OverflowError, ValueError):
        return None


def _number(text):
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _delay(seconds):
    if seconds > 1e9:  # an epoch timestamp rather than a delay
        seconds -= time.time()
    return max(0.0, seconds)


def _moment(value):
    """An RFC 3339 date-time or an HTTP date as an aware datetime, or None."""
    try:
        if ',' in value:
            parsed = email.utils.parsedate_to_datetime(value)
            return parsed if parsed is not None and parsed.tzinfo is not None else None
        parsed = datetime.fromisoformat(value.replace('Z', '+00:00').replace('z', '+00:00'))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)


def error_from_response(call, response, hint=None, redact=None):
    """An ApiError from any failed response: GLP/Central JSON, OAuth JSON, HTML or empty."""
    redact = redact or (lambda text: text)
    code = message = debug_id = None
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        # GLP and New Central, OAuth (RFC 6749), and Classic Central's error_code/description bodies.
        code = body.get('errorCode') or body.get('error') or body.get('error_code')
        message = body.get('message') or body.get('error_description') or body.get('detail') or body.get('description')
        debug_id = body.get('debugId')
        if message is None and not code:
            message = 'unexpected error body with keys %s' % ', '.join(sorted(body)[:8])
    elif response.content:
        kind = response.headers.get('Content-Type', 'no content type').split(';')[0]
        title = _TITLE.search(response.text or '')
        message = 'non-JSON %s response (%d bytes)%s' % (
            kind, len(response.content), ': ' + ' '.join(title.group(1).split())[:120] if title else '')
    else:
        message = 'empty response body'
    return ApiError(call, response.status_code, redact(str(code)) if code else None,
                    redact(str(message)) if message else None, redact(str(debug_id)) if debug_id else None, hint)


class HttpClient:
    """Sends requests with retries; never logs or raises anything that contains a token."""

    def __init__(self, settings, warn=None, sleep=time.sleep):
        if not HAS_REQUESTS:
            raise ConfigError('The Python library requests is required on the controller: pip install requests.')
        self.timeout = settings.timeout
        self.max_retries = settings.max_retries
        self.sleep = sleep
        self.retries = 0  # retries made (any reason), reported in module results
        self.rate_limited = 0  # of which after a 429
        self.waited = 0.0  # seconds slept before retries
        self._redactor = Redactor()
        self._redactor.add(settings.client_secret)
        # The HTTP Basic header of the token request: base64 of client_id:client_secret, whole.
        for encoding in ('utf-8', 'latin-1'):
            try:
                pair = ('%s:%s' % (settings.client_id, settings.client_secret)).encode(encoding)
            except UnicodeEncodeError:
                continue
            self._redactor.add_literal(base64.b64encode(pair).decode('ascii'))
        self.session = requests.Session()
        # Enough pooled connections for concurrent tenants without reconnecting.
        adapter = _WatchedAdapter(pool_connections=4, pool_maxsize=64, max_retries=0)
        self.session.mount('https://', adapter)
        self.session.mount('http://', adapter)
        self.session.verify = settings.verify
        # No .netrc or REQUESTS_CA_BUNDLE behind the user's back (netrc would replace the bearer token);
        # proxies from HTTPS_PROXY / NO_PROXY are still honoured, per request, in send().
        self.session.trust_env = False
        if not settings.validate_certs:
            if warn:
                warn('validate_certs is false: TLS certificates are not verified, so tokens could be sent to an '
                     'impostor. Use ca_path for a private CA instead.')
            try:
                from urllib3.exceptions import InsecureRequestWarning
                import urllib3
                urllib3.disable_warnings(InsecureRequestWarning)
            except ImportError:  # pragma: no cover
                pass

    def add_sensitive(self, value):
        """Remember a token so no error message can echo it, in any encoding."""
        self._redactor.add(value)

    def redact(self, text):
        return self._redactor.redact(text)

    def redact_data(self, data):
        """Decoded JSON with every known secret masked in its strings (keys too)."""
        return self._redactor.redact_data(data)

    def send(self, method, url, call, retry_unsafe=False, pace=None, final=None, **kwargs):
        """Send with bounded retries; return the final response, its body read, whatever its status.

        Unsafe methods are retried only when the server certainly did not act (429) unless ``retry_unsafe``
        (token requests, which have no side effects). ``timeout`` bounds each attempt as a whole (connecting,
        through any proxy, the status line, headers and body), not one socket read, so a server or proxy dripping
        bytes cannot hold the task. ``pace()``, when given, runs before every attempt (a rate budget shared with
        other processes); ``final(response)`` true means no retry can help."""
        method = method.upper()
        idempotent = retry_unsafe or method in SAFE_METHODS
        check_headers(kwargs.get('headers'))
        attempt = 0
        while True:
            if pace is not None:
                pace()
            _ATTEMPT.watch = watch = _AttemptWatch(self.timeout)
            try:
                response = self.session.request(method, url, timeout=self.timeout, allow_redirects=False,
                                                proxies=_proxies(url), stream=True, **kwargs)
                _read_body(response, watch, call)
            except requests.exceptions.SSLError as exc:
                if watch.fired:  # the deadline cut a TLS handshake that kept dripping
                    exc = watch.timeout()
                else:
                    raise ApiError(call, message='TLS verification failed (%s)' % self.redact(_reason(exc)),
                                   hint='Set ca_path to the CA bundle that signs the server certificate '
                                        '(env CENTRAL_CA_PATH); validate_certs: false only for testing') from None
                response = self._failed(exc, attempt, idempotent, call)
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                    requests.exceptions.ChunkedEncodingError, _WholeResponseTimeout) as exc:
                response = self._failed(watch.timeout() if watch.fired else exc, attempt, idempotent, call)
            except (requests.exceptions.InvalidHeader, UnicodeError) as exc:
                # A header value requests or http.client cannot send; never shown (it may be a token).
                raise ApiError(call, message='the request could not be sent: a header value is not valid '
                                             '(%s)' % type(exc).__name__) from None
            finally:
                watch.stop()
                _ATTEMPT.watch = None
            if response is None:  # a failed attempt that may be tried again
                attempt += 1
                continue
            if response.status_code in RETRY_STATUSES and attempt < self.max_retries and (
                    idempotent or response.status_code == 429) and not (final is not None and final(response)):
                wait = retry_wait(response, attempt)
                if wait > MAX_SERVER_WAIT:
                    return response
                response.close()
                self._pause(wait, rate_limited=response.status_code == 429)
                attempt += 1
                continue
            return response

    def _failed(self, exc, attempt, idempotent, call):
        """After an attempt that got no response: pause and return None to try again, or raise the error."""
        unreachable = _unreachable(exc)
        if unreachable:
            # Another try cannot resolve a name or open a closed port: say so at once.
            raise ApiError(call, message='%s (%s)' % (unreachable, self.redact(_reason(exc))),
                           hint='Check base_url / cluster_name, glp_base_url and auth_url, and any '
                                'HTTPS_PROXY / NO_PROXY in the environment') from None
        if attempt < self.max_retries and idempotent:
            self._pause(retry_wait(None, attempt))
            return None
        timed_out = isinstance(exc, (requests.exceptions.Timeout, _WholeResponseTimeout))
        raise ApiError(call, message='%s after %d attempt%s: %s' % (
            'timed out' if timed_out else 'connection failed',
            attempt + 1, '' if attempt == 0 else 's', self.redact(_reason(exc)))) from None

    def _pause(self, seconds, rate_limited=False):
        self.retries += 1
        self.rate_limited += bool(rate_limited)
        self.waited += seconds
        self.sleep(seconds)

    def retry_summary(self):
        """What retrying cost so far, for a result (None when nothing was retried)."""
        if not self.retries:
            return None
        return {'count': self.retries, 'rate_limited': self.rate_limited, 'waited_seconds': round(self.waited, 1),
                'msg': 'retried %d %s (%d after a rate limit), waited %.1f s in all' % (
                    self.retries, 'request' if self.retries == 1 else 'requests', self.rate_limited, self.waited)}


class _WholeResponseTimeout(Exception):
    """The response did not arrive in full within ``timeout``."""


# The watch of the attempt this thread is sending, for the connections it uses.
_ATTEMPT = threading.local()


class _AttemptWatch:
    """The deadline of one attempt. When it passes, the watchdog shuts down the sockets of the connections the
    attempt uses, so nothing sent slowly (a proxy's CONNECT answer, a TLS handshake, a status line, headers or a body)
    holds the attempt past ``timeout``: socket timeouts alone bound one read at a time."""

    def __init__(self, seconds):
        self.fired = False
        self.phase = 'connect'
        self.received = 0  # body bytes in hand
        self._connections = []
        self._stopped = False
        self._lock = threading.Lock()
        _WATCHDOG.watch(time.monotonic() + seconds, self)

    def use(self, connection, phase):
        with self._lock:
            self.phase = phase
            if not any(known is connection for known in self._connections):
                self._connections.append(connection)
            late = self.fired and not self._stopped
        if late:  # the deadline passed while the socket was being opened
            _shut(connection)

    def cut(self):
        """The deadline passed (the watchdog's thread): end every socket the attempt uses."""
        with self._lock:
            if self._stopped:
                return
            self.fired = True
            connections = list(self._connections)
        for connection in connections:
            _shut(connection)

    def stop(self):
        """Before the connection goes back to the pool, where another attempt may take it."""
        with self._lock:
            self._stopped = True
            self._connections = []  # the heap keeps this watch until its deadline; not the connections

    @property
    def stopped(self):
        return self._stopped

    def timeout(self):
        if self.phase == 'body':
            return _WholeResponseTimeout('the whole response took longer than timeout (%d bytes in hand)'
                                         % self.received)
        if self.phase == 'headers':
            return _WholeResponseTimeout('the status line and headers took longer than timeout')
        return _WholeResponseTimeout('connecting (through any proxy, with the TLS handshake) took longer than timeout')


class _Watchdog:
    """One thread that cuts the attempts whose deadline passed, for every attempt of the process: a timer thread per
    attempt would start (and wait for) a thread on every request's path.

    The thread starts with the first attempt, not at import (Ansible imports plugins before it forks workers), and
    again in a forked child, which inherits the state but not the thread."""

    def __init__(self):
        self._reset()
        if hasattr(os, 'register_at_fork'):
            os.register_at_fork(after_in_child=self._reset)

    def _reset(self):
        self._wake = threading.Condition(threading.Lock())
        self._deadlines = []  # heap of (deadline, sequence number, watch)
        self._sequence = itertools.count()
        self._thread = None

    def watch(self, deadline, watch):
        with self._wake:
            heapq.heappush(self._deadlines, (deadline, next(self._sequence), watch))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name='central-msp-deadlines', daemon=True)
                self._thread.start()
            elif self._deadlines[0][2] is watch:  # sooner than the one the thread waits for
                self._wake.notify()

    def _run(self):
        while True:
            due = []
            with self._wake:
                while not due:
                    now = time.monotonic()
                    # Stopped attempts (nearly all) leave the heap when their deadline comes: no search per stop.
                    while self._deadlines and (self._deadlines[0][0] <= now or self._deadlines[0][2].stopped):
                        entry = heapq.heappop(self._deadlines)
                        if not entry[2].stopped:
                            due.append(entry[2])
                    if not due:
                        self._wake.wait(self._deadlines[0][0] - now if self._deadlines else None)
            for watch in due:
                watch.cut()


_WATCHDOG = _Watchdog()


def _shut(connection):
    # The plain socket's shutdown, also for a TLS socket: it ends a read blocked in another thread at once.
    for sock in (getattr(connection, 'sock', None), getattr(connection, '_attempt_socket', None)):
        if sock is not None:
            try:
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except (OSError, TypeError, ValueError):
                pass


def _watched_connection(connection_class):
    """A urllib3 connection class that puts itself under the watch of the attempt using it."""

    class Watched(connection_class):
        def _new_conn(self, *args, **kwargs):
            watch = getattr(_ATTEMPT, 'watch', None)
            sock = super()._new_conn(*args, **kwargs)
            self._attempt_socket = sock
            if watch is not None:
                watch.use(self, 'connect')
            return sock

        def request(self, *args, **kwargs):  # pylint: disable=arguments-differ
            watch = getattr(_ATTEMPT, 'watch', None)
            if watch is not None:
                watch.use(self, 'headers')
            return super().request(*args, **kwargs)

        def getresponse(self, *args, **kwargs):  # pylint: disable=arguments-differ
            watch = getattr(_ATTEMPT, 'watch', None)
            if watch is not None:
                watch.use(self, 'headers')
            return super().getresponse(*args, **kwargs)

    Watched.__name__ = 'Watched' + connection_class.__name__
    return Watched


_WATCHED_POOLS = {}


def _watched_pools(manager):
    """Give a urllib3 pool manager (direct, HTTP(S) proxy or SOCKS) pools whose connections are watched."""
    classes = getattr(manager, 'pool_classes_by_scheme', None)
    if not isinstance(classes, dict):
        return manager
    watched = {}
    for scheme, pool_class in classes.items():
        if getattr(pool_class, 'attempt_watched', False):
            watched[scheme] = pool_class
            continue
        if pool_class not in _WATCHED_POOLS:
            _WATCHED_POOLS[pool_class] = type('Watched' + pool_class.__name__, (pool_class,), {
                'ConnectionCls': _watched_connection(pool_class.ConnectionCls), 'attempt_watched': True})
        watched[scheme] = _WATCHED_POOLS[pool_class]
    manager.pool_classes_by_scheme = watched
    return manager


if HAS_REQUESTS:
    class _WatchedAdapter(HTTPAdapter):
        """Pooled connections, direct and through proxies, all under the watch of their attempt."""

        def init_poolmanager(self, *args, **kwargs):
            super().init_poolmanager(*args, **kwargs)
            _watched_pools(self.poolmanager)

        def proxy_manager_for(self, proxy, **proxy_kwargs):
            return _watched_pools(super().proxy_manager_for(proxy, **proxy_kwargs))


def _read_body(response, watch, call):
    """Read the body of a streamed response, until the watch's deadline cuts it or past MAX_RESPONSE_BYTES."""
    if response._content is not False:  # already read
        return
    watch.phase = 'body'
    raw = response.raw
    if hasattr(raw, 'read1') and hasattr(raw, 'release_conn'):
        # urllib3 2: read1 returns what one socket read brings (decoded, as requests would).
        def read(amount):
            return raw.read1(amount, decode_content=True)
    else:  # urllib3 < 2, or a plain file
        pieces = response.iter_content(8192)

        def read(_amount):
            return next(pieces, b'')
    chunks = []
    try:
        while True:
            chunk = read(65536)
            if not chunk:
                break
            chunks.append(chunk)
            watch.received += len(chunk)
            if watch.received > MAX_RESPONSE_BYTES:
                raise ApiError(call, response.status_code, message='the response is larger than %d MiB; refused as '
                               'broken' % (MAX_RESPONSE_BYTES // (1024 * 1024)))
        if watch.fired:  # a body that ends with the connection ended where the deadline cut it
            raise watch.timeout()
    except (ApiError, _WholeResponseTimeout):
        response.close()
        raise
    except Exception as exc:  # urllib3's own errors mid-body: a broken connection, like requests would say
        response.close()
        raise requests.exceptions.ChunkedEncodingError(str(exc)) from None
    watch.stop()  # before the connection goes back to the pool
    response._content = b''.join(chunks)
    response._content_consumed = True
    release = getattr(raw, 'release_conn', None)
    if release:
        release()


def _proxies(url):
    """Proxies for this URL from the environment; none for loopback (http to loopback stays on this machine)."""
    host = urlsplit(url).hostname or ''
    if _is_loopback(host):
        return {'http': None, 'https': None}
    return requests.utils.get_environ_proxies(url)


def _is_loopback(host):
    if host == 'localhost':
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _unreachable(exc):
    """What makes a host unreachable for sure (a name that does not resolve, a refused connection), or None."""
    seen, current = set(), exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        name = type(current).__name__
        if name in ('NameResolutionError', 'LocationParseError') or isinstance(current, socket.gaierror):
            return 'the host name does not resolve'
        if isinstance(current, ConnectionRefusedError) or getattr(current, 'errno', None) == errno.ECONNREFUSED:
            return 'the connection was refused'
        nested = getattr(current, 'reason', None)
        if nested is None and current.args and isinstance(current.args[0], BaseException):
            nested = current.args[0]
        current = nested if isinstance(nested, BaseException) else (current.__context__ or current.__cause__)
    return None


_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


def check_headers(headers):
    """Refuse header names and values that HTTP cannot carry (CR/LF, controls, non-ASCII), naming the header."""
    for name, value in (headers or {}).items():
        if not isinstance(name, str) or not _HEADER_NAME.match(name):
            raise ConfigError('Header name %r is not a valid HTTP header name (letters, digits and !#$%%&\'*+.^_`|~- '
                              'only).' % (name,))
        text = value if isinstance(value, str) else str(value)
        if any(ord(char) < 32 and char != '\t' or ord(char) == 127 for char in text) or not text.isascii():
            what = 'the token' if name.lower() == 'authorization' else 'the value of header %s' % name
            raise ConfigError('%s holds a line break, a control character or a non-ASCII character, which HTTP '
                              'headers cannot carry; fix the value.' % (what[:1].upper() + what[1:]))


class Redactor:
    """Masks secrets and tokens in text in every form they travel in: as is, base64 (HTTP Basic),
    percent- and form-encoded, JSON-escaped (\\uXXXX) and any mix of those."""

    MASK = '********'
    MIN_LENGTH = 6  # shorter values would mask ordinary words

    def __init__(self):
        self._values = set()
        self._literals = set()
        self._ordered = []
        self._patterns = {}

    def add(self, value):
        if not isinstance(value, str) or not value or value in self._literals:
            return
        self._literals.add(value)
        if len(value) >= self.MIN_LENGTH:
            self._values.add(value)
            self._literals.update(_base64_cores(value.encode('utf-8')))
        self._ordered = None  # sorted when next needed: adding happens per token, masking rarely

    def add_literal(self, text):
        if text and len(text) >= self.MIN_LENGTH:
            self._literals.add(text)
            self._ordered = None

    def redact(self, text):
        text = str(text)
        if self._ordered is None:
            self._ordered = sorted(self._literals, key=len, reverse=True)  # a longer form before its parts
        for literal in self._ordered:
            if literal in text:
                text = text.replace(literal, self.MASK)
        if '%' in text or '\\' in text or '+' in text:
            views = _decoded_views(text)
            for value in self._values:
                if any(value in view for view in views):
                    text = self._pattern(value).sub(self.MASK, text)
        return text

    def redact_data(self, data):
        if isinstance(data, str):
            return self.redact(data)
        if isinstance(data, list):
            return [self.redact_data(item) for item in data]
        if isinstance(data, dict):
            return {self.redact(key) if isinstance(key, str) else key: self.redact_data(value)
                    for key, value in data.items()}
        return data

    def _pattern(self, value):
        pattern = self._patterns.get(value)
        if pattern is None:
            pattern = re.compile(''.join(_any_encoding(char) for char in value))
            self._patterns[value] = pattern
        return pattern


_JSON_ESCAPE = re.compile(r'\\(u[0-9a-fA-F]{4}|["\\/bfnrt])')
_JSON_SIMPLE = {'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}


def _json_unescape(text):
    return _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1)[0] == 'u' and len(m.group(1)) == 5
                            else _JSON_SIMPLE.get(m.group(1), m.group(0)), text)


def _decoded_views(text):
    unescaped = _json_unescape(text)
    return {text, unescaped, unquote(text), unquote_plus(text), unquote(unescaped), unquote_plus(unescaped)}


def _any_encoding(char):
    """A regex for one character as is, percent-encoded (any case), form-encoded or JSON-escaped."""
    forms = [re.escape(char)]
    forms += [''.join('%%(?:%s|%s)' % ('%02X' % byte, '%02x' % byte) for byte in char.encode('utf-8'))]
    if ord(char) <= 0xFFFF:
        forms.append('\\\\u(?i:%04x)' % ord(char))
    if char == ' ':
        forms.append('\\+')
    if char == '/':
        forms.append('\\\\/')
    return '(?:%s)' % '|'.join(forms)


def _base64_cores(data):
    """The parts of base64 text that depend only on ``data``, wherever it starts in the encoded stream."""
    cores = set()
    for offset in range(3):
        encoded = base64.b64encode(b'\0' * offset + data).decode('ascii')
        first = (offset * 8 + 5) // 6  # characters that still hold bits of what comes before
        last = (offset + len(data)) * 8 // 6  # characters made of whole bits of the data
        core = encoded[first:last]
        if len(core) >= 8:
            cores.add(core)
            cores.add(core.replace('+', '-').replace('/', '_'))  # base64url
    return cores


def _reason(exc):
    """The useful part of a requests exception ("Caused by ..."), without urllib3's pool noise."""
    text = str(exc)
    return text.split('Caused by ', 1)[1].rstrip(')') + ')' if 'Caused by ' in text else text
