"""Retries (how long, how often, for what) and the one error shape."""

import time

import pytest
import requests

from ansible_collections.central.msp.plugins.module_utils.errors import ApiError
from ansible_collections.central.msp.plugins.module_utils.transport import HttpClient, error_from_response, retry_wait
from ansible_collections.central.msp.plugins.module_utils.settings import resolve_settings

from tests.unit.fakes import ScriptedSession, response

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
