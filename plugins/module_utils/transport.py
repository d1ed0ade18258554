# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP transport: one pooled requests.Session per process, bounded retries, one error shape."""

from __future__ import annotations

import email.utils
import random
import re
import time

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
    if value in (None, ''):
        return None
    value = str(value).strip()
    try:
        seconds = float(value)
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if ',' in value else None
        if parsed is None:
            return None
        seconds = parsed.timestamp() - time.time()
    else:
        if seconds > 1e9:  # an epoch timestamp rather than a delay
            seconds -= time.time()
    return max(0.0, seconds)


def error_from_response(call, response, hint=None, redact=None):
    """An ApiError from any failed response: GLP/Central JSON, OAuth JSON, HTML or empty."""
    redact = redact or (lambda text: text)
    code = message = debug_id = None
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        code = body.get('errorCode') or body.get('error')
        message = body.get('message') or body.get('error_description') or body.get('detail')
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
        self._sensitive = {settings.client_secret}
        self.session = requests.Session()
        # Enough pooled connections for concurrent tenants without reconnecting.
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=64, max_retries=0)
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
        """Remember a token so no error message can echo it."""
        if value:
            self._sensitive.add(value)

    def redact(self, text):
        text = str(text)
        for value in self._sensitive:
            if value and value in text:
                text = text.replace(value, '********')
        return text

    def send(self, method, url, call, retry_unsafe=False, **kwargs):
        """Send with bounded retries; return the final response whatever its status.

        Unsafe methods are retried only when the server certainly did not act (429) unless ``retry_unsafe``
        (token requests, which have no side effects)."""
        method = method.upper()
        idempotent = retry_unsafe or method in SAFE_METHODS
        attempt = 0
        while True:
            try:
                response = self.session.request(method, url, timeout=self.timeout, allow_redirects=False,
                                                proxies=requests.utils.get_environ_proxies(url), **kwargs)
            except requests.exceptions.SSLError as exc:
                raise ApiError(call, message='TLS verification failed (%s)' % _reason(exc),
                               hint='Set ca_path to the CA bundle that signs the server certificate '
                                    '(env CENTRAL_CA_PATH); validate_certs: false only for testing') from None
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                    requests.exceptions.ChunkedEncodingError) as exc:
                if attempt < self.max_retries and idempotent:
                    self.sleep(retry_wait(None, attempt))
                    attempt += 1
                    continue
                raise ApiError(call, message='%s after %d attempt%s: %s' % (
                    'timed out' if isinstance(exc, requests.exceptions.Timeout) else 'connection failed',
                    attempt + 1, '' if attempt == 0 else 's', self.redact(_reason(exc)))) from None
            if response.status_code in RETRY_STATUSES and attempt < self.max_retries and (
                    idempotent or response.status_code == 429):
                wait = retry_wait(response, attempt)
                if wait > MAX_SERVER_WAIT:
                    return response
                response.close()
                self.sleep(wait)
                attempt += 1
                continue
            return response


def _reason(exc):
    """The useful part of a requests exception ("Caused by ..."), without urllib3's pool noise."""
    text = str(exc)
    return text.split('Caused by ', 1)[1].rstrip(')') + ')' if 'Caused by ' in text else text
