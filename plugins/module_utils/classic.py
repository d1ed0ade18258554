# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Classic Aruba Central (API gateway) for an MSP: one token bundle, TenantID-scoped calls, a shared rate budget.

On Classic one MSP access token (2 h) reaches every customer: a call in a customer's scope carries the header
``TenantID: <customer id>``. Tokens are renewed with a refresh token that *rotates*: each refresh returns a new
refresh token and the old one stops working, so the bundle lives in the on-disk token store (one entry per
gateway, MSP customer id and client id) and is only ever renewed under that entry's lock, after re-reading it.
The 7 calls/s limit is the MSP's for all customers together, so every process paces itself on one shared budget.
"""

from __future__ import annotations

import datetime
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import quote, quote_plus


from ansible_collections.central.msp.plugins.module_utils.errors import ApiError, AuthError, CentralMspError, ConfigError, TenantError
from ansible_collections.central.msp.plugins.module_utils.msp_client import safe_api_path
from ansible_collections.central.msp.plugins.module_utils.paging import paginate_offset
from ansible_collections.central.msp.plugins.module_utils.settings import check_url, load_token_yaml
from ansible_collections.central.msp.plugins.module_utils.token_cache import TokenCache, cache_key, renew_margin, secret_digest
from ansible_collections.central.msp.plugins.module_utils.transport import HttpClient, error_from_response

# The Classic API gateways by region (Aruba Central API Reference Guide, "Domain URL").
GATEWAYS = {
    'US-1': 'https://app1-apigw.central.arubanetworks.com',
    'US-2': 'https://apigw-prod2.central.arubanetworks.com',
    'US-WEST-4': 'https://apigw-uswest4.central.arubanetworks.com',
    'EU-1': 'https://eu-apigw.central.arubanetworks.com',
    'EU-3': 'https://apigw-eucentral3.central.arubanetworks.com',
    'Canada-1': 'https://apigw-ca.central.arubanetworks.com',
    'China-1': 'https://apigw.central.arubanetworks.com.cn',
    'APAC-1': 'https://api-ap.central.arubanetworks.com',
    'APAC-EAST1': 'https://apigw-apaceast.central.arubanetworks.com',
    'APAC-SOUTH1': 'https://apigw-apacsouth.central.arubanetworks.com',
}

# name -> (argument_spec entry, environment variables in order of preference); documented in
# plugins/doc_fragments/classic_connection.py.
CLASSIC_OPTIONS = {
    'base_url': (dict(type='str'), ['CLASSIC_CENTRAL_BASE_URL']),
    'region': (dict(type='str'), ['CLASSIC_CENTRAL_REGION']),
    'client_id': (dict(type='str'), ['CLASSIC_CENTRAL_CLIENT_ID']),
    'client_secret': (dict(type='str', no_log=True), ['CLASSIC_CENTRAL_CLIENT_SECRET']),
    'msp_customer_id': (dict(type='str'), ['CLASSIC_CENTRAL_CUSTOMER_ID']),
    'access_token': (dict(type='str', no_log=True), ['CLASSIC_CENTRAL_ACCESS_TOKEN']),
    'refresh_token': (dict(type='str', no_log=True), ['CLASSIC_CENTRAL_REFRESH_TOKEN']),
    'username': (dict(type='str'), ['CLASSIC_CENTRAL_USERNAME']),
    'password': (dict(type='str', no_log=True), ['CLASSIC_CENTRAL_PASSWORD']),
    'token_file': (dict(type='path'), ['CLASSIC_CENTRAL_TOKEN_FILE']),
    'validate_certs': (dict(type='bool', default=True), ['CLASSIC_CENTRAL_VALIDATE_CERTS', 'CENTRAL_VALIDATE_CERTS']),
    'ca_path': (dict(type='path'), ['CLASSIC_CENTRAL_CA_PATH', 'CENTRAL_CA_PATH']),
    'timeout': (dict(type='int', default=30), ['CLASSIC_CENTRAL_TIMEOUT', 'CENTRAL_TIMEOUT']),
    'max_retries': (dict(type='int', default=5), ['CLASSIC_CENTRAL_MAX_RETRIES', 'CENTRAL_MAX_RETRIES']),
    'token_cache_dir': (dict(type='path'), ['CLASSIC_CENTRAL_TOKEN_CACHE_DIR', 'CENTRAL_TOKEN_CACHE_DIR']),
    'rate_limit': (dict(type='int', default=7), ['CLASSIC_CENTRAL_RATE_LIMIT']),
}

# pycentral 1.x token file: central_info {base_url, client_id, client_secret, customer_id, username, password,
# token: {access_token, refresh_token}}; our option names for its keys.
TOKEN_FILE_KEYS = {'base_url': 'base_url', 'client_id': 'client_id', 'client_secret': 'client_secret',
                   'customer_id': 'msp_customer_id', 'username': 'username', 'password': 'password'}
CUSTOMER_ID = re.compile(r'^[0-9a-fA-F]{32}$')
TOKEN_PATH = 'oauth2/token'
LOGIN_PATH = 'oauth2/authorize/central/api/login'
AUTHORIZE_PATH = 'oauth2/authorize/central/api/'
# Classic's OAuth grant allows one call per second on its login and authorize steps.
GRANT_STEP_INTERVAL = 1.0
# A refresh token unused for this long is revoked by Central.
REFRESH_TOKEN_LIFETIME = 15 * 86400
# Digests of rotated-out refresh tokens kept in the store, so a stale seed is never sent again.
RETIRED_KEPT = 50
RATE_WINDOW = 1.0


@dataclass(frozen=True)
class ClassicSettings:
    """Everything the Classic connection needs, validated (attribute names shared with HttpClient's)."""

    base_url: str
    client_id: str
    client_secret: str
    msp_customer_id: str
    access_token: str | None
    refresh_token: str | None
    username: str | None
    password: str | None
    validate_certs: bool
    ca_path: str | None
    timeout: int
    max_retries: int
    token_cache_dir: str | None
    rate_limit: int

    @property
    def verify(self):
        if not self.validate_certs:
            return False
        return self.ca_path or True

    @property
    def has_grant(self):
        return bool(self.username and self.password)


def gateway_url(region):
    for name, url in GATEWAYS.items():
        if name.lower() == str(region).strip().lower():
            return url
    raise ConfigError('Unknown Classic Central region %r. Valid regions: %s. Or set base_url to the API gateway '
                      '(env CLASSIC_CENTRAL_BASE_URL).' % (region, ', '.join(GATEWAYS)))


def customer_id_of(value, what='customer id'):
    text = str(value or '').strip().lower()
    if not CUSTOMER_ID.match(text):
        raise ConfigError('%s %r is not a Classic Central customer id: expected 32 hex digits, such as '
                          "'267958b55d5a463e94a302c20f4a6b68' (Account Home > Customer ID, or classic_customer_info)."
                          % (what, value))
    return text


def read_token_file(path):
    """The connection values in a pycentral 1.x token file (its ``central_info`` block)."""
    data = load_token_yaml(path, "a pycentral 1.x token file with a 'central_info' block",
                           CLASSIC_OPTIONS['token_file'][1][0], 'a pycentral 1.x token file')
    info = data.get('central_info') if isinstance(data, dict) else None
    if not isinstance(info, dict):
        raise ConfigError("token_file %s has no 'central_info' block: expected pycentral 1.x's central_info {base_url, "
                          'client_id, client_secret, customer_id, token: {access_token, refresh_token}}.' % path)
    values = {ours: info[theirs] for theirs, ours in TOKEN_FILE_KEYS.items() if info.get(theirs) not in (None, '')}
    if info.get('cluster_name') and 'base_url' not in values:
        values['region'] = info['cluster_name']
    token = info.get('token') if isinstance(info.get('token'), dict) else {}
    for name in ('access_token', 'refresh_token'):
        if token.get(name):
            values[name] = token[name]
    if isinstance(data.get('ssl_verify'), bool):
        values['validate_certs'] = data['ssl_verify']
    return values


def resolve_classic_settings(options):
    """Validate merged options (explicit or env) and fill gaps from the pycentral token file."""
    values = {key: value for key, value in options.items() if key in CLASSIC_OPTIONS and value not in (None, '')}
    if values.get('token_file'):
        from_file = read_token_file(values['token_file'])
        if 'base_url' in values or 'region' in values:
            from_file.pop('base_url', None)
            from_file.pop('region', None)
        if values.get('access_token') or values.get('refresh_token'):
            # A token pair is one thing: never half from the options and half from the file.
            from_file.pop('access_token', None)
            from_file.pop('refresh_token', None)
        for key, value in from_file.items():
            values.setdefault(key, value)

    missing = [key for key in ('client_id', 'client_secret', 'msp_customer_id') if not values.get(key)]
    if missing:
        raise ConfigError('Missing %s for Classic Central. Set the option%s, the environment variable%s %s, or a '
                          'pycentral token_file (central_info block).' % (
                              ', '.join(missing), 's' if len(missing) > 1 else '', 's' if len(missing) > 1 else '',
                              ', '.join(CLASSIC_OPTIONS[key][1][0] for key in missing)))
    if values.get('base_url') and values.get('region'):
        raise ConfigError('Both base_url and region are set for Classic Central; they name the same gateway. Keep '
                          'one (check CLASSIC_CENTRAL_BASE_URL and CLASSIC_CENTRAL_REGION too).')
    if values.get('base_url'):
        base_url = check_url(values['base_url'], 'base_url')
    elif values.get('region'):
        base_url = gateway_url(values['region'])
    else:
        raise ConfigError('No Classic Central API gateway: set region (env CLASSIC_CENTRAL_REGION; one of %s) or '
                          'base_url (env CLASSIC_CENTRAL_BASE_URL).' % ', '.join(GATEWAYS))
    if bool(values.get('username')) != bool(values.get('password')):
        raise ConfigError('The OAuth grant needs both username and password (a non-SSO Central user); only %s is set.'
                          % ('username' if values.get('username') else 'password'))
    ca_path = values.get('ca_path')
    if ca_path and not os.path.isfile(ca_path):
        raise ConfigError('ca_path %s does not exist or is not a file. Point it at a PEM bundle of the CA '
                          'that signs the API gateway certificate.' % ca_path)
    rate_limit = int(values.get('rate_limit', 7))
    if rate_limit < 1:
        raise ConfigError('rate_limit must be at least 1 call per second, not %d.' % rate_limit)
    return ClassicSettings(
        base_url=base_url,
        client_id=str(values['client_id']),
        client_secret=str(values['client_secret']),
        msp_customer_id=customer_id_of(values['msp_customer_id'], 'msp_customer_id (the MSP account)'),
        access_token=values.get('access_token'),
        refresh_token=values.get('refresh_token'),
        username=values.get('username'),
        password=values.get('password'),
        validate_certs=_as_bool(values.get('validate_certs', True)),
        ca_path=ca_path,
        timeout=int(values.get('timeout', 30)),
        max_retries=max(0, int(values.get('max_retries', 5))),
        token_cache_dir=values.get('token_cache_dir'),
        rate_limit=rate_limit,
    )


@dataclass(frozen=True)
class ClassicEndpoint:
    """A Classic list endpoint: offset/limit paging, its largest page, the key naming its items in the body
    and the field that identifies an item."""

    path: str
    max_limit: int
    items_key: str
    key: str | None
    total_param: bool = True  # needs calculate_total=true to report a total


ENDPOINTS = {
    'customers': ClassicEndpoint('msp_api/v1/customers', 50, 'customers', 'customer_id', total_param=False),
    'sites': ClassicEndpoint('central/v2/sites', 1000, 'sites', 'site_id'),
    'aps': ClassicEndpoint('monitoring/v2/aps', 1000, 'aps', 'serial'),
    'switches': ClassicEndpoint('monitoring/v1/switches', 1000, 'switches', 'serial'),
    'gateways': ClassicEndpoint('monitoring/v1/gateways', 1000, 'gateways', 'serial'),
    'clients': ClassicEndpoint('monitoring/v2/clients', 1000, 'clients', 'macaddr'),
    'notifications': ClassicEndpoint('central/v1/notifications', 1000, 'notifications', 'id'),
}


def _as_bool(value):
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ('1', 'true', 'yes', 'on')


def next_utc_midnight(now=None):
    now = datetime.datetime.fromtimestamp(time.time() if now is None else now, datetime.timezone.utc)
    return (now + datetime.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def quota_message(limit, until, now=None):
    now = time.time() if now is None else now
    left = max(0, int(until - now))
    when = datetime.datetime.fromtimestamp(until, datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')
    return ('The daily API quota%s of this Classic Central MSP account is spent (it is shared by all customers). '
            'It resets at %s, in %dh %02dm; run again after that, or ask HPE for a larger quota.' % (
                ' of %s calls' % limit if limit else '', when, left // 3600, left % 3600 // 60))


def header_int(headers, name):
    try:
        return int(str(headers.get(name)).strip())
    except (TypeError, ValueError):
        return None


class QuotaError(ApiError):
    """The daily quota is spent: retrying today cannot help."""


class ClassicClient:
    """One Classic MSP credential: its token bundle in the shared store, and calls in MSP or customer scope."""

    def __init__(self, settings, warn=None, http=None, cache=None, sleep=time.sleep):
        self.settings = settings
        self.warn = warn or (lambda message: None)
        self.sleep = sleep
        self.http = http or HttpClient(settings, self.warn)
        for value in (settings.client_secret, settings.password, settings.access_token, settings.refresh_token):
            self._sensitive(value)
        self.cache = cache or TokenCache(settings.token_cache_dir, True, self.warn)
        if not self.cache.on_disk:
            raise ConfigError('Classic Central needs the on-disk token store: its refresh token rotates, and a rotation '
                              'kept only in memory would be lost with this task. Set token_cache_dir (env '
                              'CLASSIC_CENTRAL_TOKEN_CACHE_DIR) to a private, writable directory.')
        # One store per (gateway, MSP customer id, client id): one token serves every customer.
        self.store_key = cache_key('classic-token', settings.base_url, settings.msp_customer_id, settings.client_id)
        # One rate budget per MSP account on a gateway, whatever client or process spends it.
        self.budget_key = cache_key('classic-rate', settings.base_url, settings.msp_customer_id)
        self._bundle = None
        self._customers = None

    def _sensitive(self, value):
        if value:
            for form in (value, quote(value, safe=''), quote_plus(value)):
                self.http.add_sensitive(form)

    # ---- the token bundle ---------------------------------------------------------------------------------

    @staticmethod
    def _fresh(bundle, stale=None):
        if not bundle or not bundle.get('access_token') or bundle['access_token'] == stale:
            return False
        expires_at = bundle.get('expires_at')
        if expires_at is None:  # a seeded token of unknown age: used until the gateway refuses it
            return True
        return time.time() < expires_at - renew_margin(bundle.get('issued_at') or expires_at, expires_at)

    def access_token(self, stale=None):
        """A valid access token; renewed under the store's lock when expired or when ``stale`` was just refused."""
        if self._fresh(self._bundle, stale):
            return self._bundle['access_token']
        bundle = self.cache.read_record(self.store_key)
        if not self._fresh(bundle, stale):
            bundle = self.cache.update_record(self.store_key, lambda current: self._renew(current, stale))
        self._bundle = bundle
        self._sensitive(bundle.get('access_token'))
        self._sensitive(bundle.get('refresh_token'))
        return bundle['access_token']

    def refresh_now(self, older_than=0.0):
        """Rotate the refresh token now unless another process did within ``older_than`` seconds (the keep-alive).

        Returns ``(refreshed, bundle)``."""
        def change(current):
            if current and current.get('refreshed_at') and time.time() - current['refreshed_at'] < older_than:
                return None, (False, current)
            new = self._renew(current, stale=None, force=True)[0]
            return new, (True, new)
        refreshed, bundle = self.cache.update_record(self.store_key, change)
        self._bundle = bundle
        return refreshed, bundle

    def store_state(self):
        """What the store holds, without any token: for the keep-alive's report."""
        bundle = self.cache.read_record(self.store_key) or {}
        refreshed_at = bundle.get('refreshed_at')
        return {
            'has_token': bool(bundle.get('access_token')),
            'access_token_expires_at': _iso(bundle.get('expires_at')),
            'refreshed_at': _iso(refreshed_at),
            'refresh_token_revoked_after': _iso(refreshed_at + REFRESH_TOKEN_LIFETIME) if refreshed_at else None,
            'source': bundle.get('source'),
        }

    def _seed(self):
        """The token bundle from the credential (options, env or token file), as a store record."""
        settings = self.settings
        if not (settings.access_token or settings.refresh_token):
            return None
        return {'access_token': settings.access_token, 'refresh_token': settings.refresh_token, 'issued_at': None,
                'expires_at': None, 'refreshed_at': None, 'retired': [], 'source': 'credential',
                'seed': secret_digest(settings.refresh_token) if settings.refresh_token else None}

    def _renew(self, current, stale, force=False):
        """Under the store's lock: ``(record to write or None, the bundle to use)``.

        Another process may have renewed while this one waited, so the record just read is used when it is
        good. A failed renewal raises and writes nothing: the store keeps what it had."""
        if not force and self._fresh(current, stale):
            return None, current
        seed = self._seed()
        if current is None and seed is not None and seed['access_token'] and not force and \
                seed['access_token'] != stale:
            # First use of this store: the bundle from the credential, as it is.
            return seed, seed
        record = current or seed
        retired = list((current or {}).get('retired') or [])
        tried = []
        if record and record.get('refresh_token'):
            refreshed = self._refresh_or_dead(record['refresh_token'], tried,
                                              "the store's" if current else "the credential's")
            if refreshed is not None:
                return self._rotated(record, refreshed, record['refresh_token'], retired)
        # The store's refresh token is dead. A seed the store has never held is a newer one (a bundle pasted
        # after regenerating it in Central); one it has held was rotated out and is never sent again.
        if seed and seed.get('refresh_token') and current is not None and \
                seed['seed'] not in retired + [secret_digest(current.get('refresh_token') or ''), current.get('seed')]:
            refreshed = self._refresh_or_dead(seed['refresh_token'], tried, "the credential's")
            if refreshed is not None:
                return self._rotated(dict(current, seed=seed['seed']), refreshed, seed['refresh_token'], retired)
        if self.settings.has_grant:
            granted = self._grant()
            new = self._rotated(current or {}, granted, None, retired)[0]
            new.update(source='grant', seed=(seed or {}).get('seed') or (current or {}).get('seed'))
            if current and current.get('refresh_token'):
                new['retired'] = (retired + [secret_digest(current['refresh_token'])])[-RETIRED_KEPT:]
            return new, new
        if not tried:
            raise ConfigError('No Classic Central refresh token: the token store (token_cache_dir) holds none and none '
                              'is configured. Set access_token and refresh_token (the token bundle from Organization > '
                              'Platform Integration > REST API; env CLASSIC_CENTRAL_ACCESS_TOKEN and '
                              'CLASSIC_CENTRAL_REFRESH_TOKEN), or username and password for the OAuth grant.')
        raise AuthError('Classic Central token refresh', 400, 'invalid_grant', 'the refresh token was refused (%s)'
                        % ', '.join(tried),
                        'It was revoked, unused for 15 days, or rotated by a process that did not share this token '
                        'store. Generate a new token in Central (Organization > Platform Integration > REST API) and '
                        'set access_token and refresh_token (env CLASSIC_CENTRAL_ACCESS_TOKEN, '
                        'CLASSIC_CENTRAL_REFRESH_TOKEN), or configure username and password (a non-SSO user) so the '
                        'OAuth grant can recover by itself; run the keep-alive (classic_token_refresh) at least '
                        'weekly and keep token_cache_dir on persistent storage')

    def _rotated(self, record, tokens, old_refresh, retired):
        now = time.time()
        if old_refresh:
            retired = (retired + [secret_digest(old_refresh)])[-RETIRED_KEPT:]
        new = {'access_token': tokens['access_token'], 'refresh_token': tokens['refresh_token'], 'issued_at': now,
               'expires_at': now + tokens['expires_in'], 'refreshed_at': now, 'retired': retired,
               'source': 'refresh' if old_refresh else record.get('source'), 'seed': record.get('seed')}
        return new, new

    def _refresh_or_dead(self, refresh_token, tried, whose):
        """New tokens from a refresh; None when Central says the refresh token is no good (any other failure raises)."""
        call = 'Classic Central token refresh'
        tried.append(whose)
        response = self._token_request(call, {'grant_type': 'refresh_token', 'refresh_token': refresh_token})
        if response.status_code == 200:
            return self._tokens_from(call, response)
        error = error_from_response(call, response, None, self.http.redact)
        if response.status_code in (400, 401) and (error.error_code or '') in ('invalid_grant', 'invalid_request',
                                                                               'invalid_token'):
            return None
        raise self._auth_error(call, response, 'The token store is unchanged; run again. Check client_id and '
                                               'client_secret (Organization > Platform Integration > REST API)')

    def _token_request(self, call, query):
        """POST oauth2/token with the client credentials; as the guide says, everything in the query string."""
        query = dict(query, client_id=self.settings.client_id, client_secret=self.settings.client_secret)
        # Not retried on a connection error: the gateway may have rotated the token before the answer was lost,
        # and sending the old refresh token again would be a use of a rotated-out token.
        return self.http.send('POST', '%s/%s' % (self.settings.base_url, TOKEN_PATH), call, params=query,
                              headers={'Accept': 'application/json'})

    def _tokens_from(self, call, response):
        try:
            body = response.json()
            tokens = {'access_token': str(body['access_token']), 'refresh_token': str(body['refresh_token']),
                      'expires_in': float(body.get('expires_in') or 7200)}
        except (ValueError, KeyError, TypeError):
            raise ApiError(call, response.status_code,
                           message='the token response has no access_token and refresh_token') from None
        self._sensitive(tokens['access_token'])
        self._sensitive(tokens['refresh_token'])
        return tokens

    def _auth_error(self, call, response, hint):
        error = error_from_response(call, response, hint, self.http.redact)
        return AuthError(call, error.status, error.error_code, error.api_message, error.debug_id, hint)

    def _grant(self):
        """login -> authorization code -> token (the guide's OAuth grant), at most one step per second."""
        settings = self.settings
        hint = ('Check username and password (a Central user that signs in without SSO) and that client_id belongs to '
                'that user\'s application')
        call = 'Classic Central OAuth login (user %s)' % settings.username
        login = self.http.send('POST', '%s/%s' % (settings.base_url, LOGIN_PATH), call,
                               params={'client_id': settings.client_id}, headers={'Accept': 'application/json'},
                               json={'username': settings.username, 'password': settings.password})
        cookies = {name: login.cookies.get(name) for name in ('csrftoken', 'session')}
        self.http.session.cookies.clear()  # the session is sent explicitly below, never kept for API calls
        if login.status_code != 200 or not all(cookies.values()):
            raise self._auth_error(call, login, hint)
        for value in cookies.values():
            self._sensitive(value)
        self.sleep(GRANT_STEP_INTERVAL)
        call = 'Classic Central OAuth authorization code'
        code = self.http.send('POST', '%s/%s' % (settings.base_url, AUTHORIZE_PATH), call,
                              params={'client_id': settings.client_id, 'response_type': 'code', 'scope': 'all'},
                              headers={'Accept': 'application/json', 'X-CSRF-Token': cookies['csrftoken'],
                                       'Cookie': 'session=%s' % cookies['session']},
                              json={'customer_id': settings.msp_customer_id})
        self.http.session.cookies.clear()
        try:
            auth_code = code.json()['auth_code'] if code.status_code == 200 else None
        except (ValueError, KeyError, TypeError):
            auth_code = None
        if not auth_code:
            raise self._auth_error(call, code, hint + '; msp_customer_id must be that user\'s MSP account')
        self._sensitive(auth_code)
        call = 'Classic Central token request (authorization code)'
        response = self._token_request(call, {'grant_type': 'authorization_code', 'code': auth_code})
        if response.status_code != 200:
            raise self._auth_error(call, response, hint)
        return self._tokens_from(call, response)

    # ---- the shared rate budget ---------------------------------------------------------------------------

    def _pace(self):
        """Wait for a slot in the MSP's per-second budget, shared with every fork through the store."""
        limit = self.settings.rate_limit
        while True:
            def take(state):
                state = state or {}
                now = time.time()
                if state.get('quota_until', 0) > now:
                    return None, ('quota', state)
                if state.get('hold_until', 0) > now:
                    return None, ('wait', state['hold_until'] - now)
                sent = [t for t in state.get('sent', []) if now - t < RATE_WINDOW]
                if len(sent) < limit:
                    state['sent'] = sent + [now]
                    return state, ('go', 0)
                return None, ('wait', sent[0] + RATE_WINDOW - now)
            verdict, value = self.cache.update_record(self.budget_key, take)
            if verdict == 'go':
                return
            if verdict == 'quota':
                raise QuotaError('Classic Central API call', 429, message=quota_message(
                    value.get('quota_limit'), value['quota_until']))
            self.sleep(max(0.01, value))

    def _after(self, response):
        """Share what the gateway said about the budget: no slot left this second, or no quota left today."""
        headers = response.headers
        day = header_int(headers, 'X-RateLimit-Remaining-day')
        second = header_int(headers, 'X-RateLimit-Remaining-second')
        if response.status_code == 429 and day == 0:
            until = next_utc_midnight()
            limit = header_int(headers, 'X-RateLimit-Limit-day')

            def spent(state):
                return dict(state or {}, quota_until=until, quota_limit=limit), None
            self.cache.update_record(self.budget_key, spent)
            return
        if second == 0 or response.status_code == 429:
            def hold(state):
                return dict(state or {}, hold_until=time.time() + RATE_WINDOW), None
            self.cache.update_record(self.budget_key, hold)

    def _final(self, response):
        self._after(response)
        return response.status_code == 429 and header_int(response.headers, 'X-RateLimit-Remaining-day') == 0

    # ---- calls --------------------------------------------------------------------------------------------

    @staticmethod
    def describe(method, path, customer=None):
        return '%s classic %s%s' % (method.upper(), path, ' for customer %s' % customer if customer else ' (MSP scope)')

    def request(self, method, path, customer=None, params=None, body=None, headers=None):
        """Send one call (``customer``: a customer id for its scope, via TenantID) and return the response.

        A 401 means the access token is no longer valid: it is renewed under the store's lock and the call is
        sent once more."""
        path = safe_api_path(path)
        url = '%s/%s' % (self.settings.base_url, quote(path, safe="/:@!$&'()*+,;=-._~%"))
        call = self.describe(method, path, customer)
        extra = {key: value for key, value in (headers or {}).items()
                 if key.lower() not in ('authorization', 'tenantid', 'cookie')}
        if customer:
            extra['TenantID'] = customer_id_of(customer)
        token = self.access_token()
        for attempt in (1, 2):
            sent = dict(extra, Accept='application/json', Authorization='Bearer %s' % token)
            response = self.http.send(method, url, call, headers=sent, params=params, json=body, pace=self._pace,
                                      final=self._final)
            self._after(response)
            if response.status_code == 429:
                if header_int(response.headers, 'X-RateLimit-Remaining-day') == 0:
                    raise QuotaError(call, 429, message=quota_message(
                        header_int(response.headers, 'X-RateLimit-Limit-day'), next_utc_midnight()))
            if response.status_code != 401 or attempt == 2:
                return response
            response.close()
            token = self.access_token(stale=token)
        return response  # pragma: no cover

    def error(self, call, response):
        hint = None
        if response.status_code == 401:
            hint = 'The access token was refused even after renewal; check the token bundle and msp_customer_id'
        elif response.status_code == 403:
            hint = ('Not allowed: check the path, that the customer id belongs to this MSP (classic_customer_info), '
                    'and the role of the token\'s user')
        elif response.status_code == 429:
            hint = ('Rate limited even after %d retries: the 7 calls/s are shared by every customer; lower forks or '
                    'concurrency, or raise max_retries' % self.settings.max_retries)
        return error_from_response(call, response, hint, self.http.redact)

    def call(self, method, path, customer=None, params=None, body=None, headers=None, expected=(200,)):
        response = self.request(method, path, customer, params, body, headers)
        if response.status_code not in expected:
            raise self.error(self.describe(method, safe_api_path(path), customer), response)
        return response

    def get_json(self, path, customer=None, params=None):
        response = self.call('GET', path, customer, params)
        try:
            return response.json()
        except ValueError:
            raise ApiError(self.describe('GET', path, customer), response.status_code,
                           message='expected a JSON body, got %s' % (
                               response.headers.get('Content-Type') or 'no content type')) from None

    def get_all(self, endpoint, customer=None, params=None, limit=None):
        """Every item of a list endpoint (a :class:`ClassicEndpoint` or a name in ENDPOINTS), as a PagedResult."""
        if isinstance(endpoint, str):
            endpoint = ENDPOINTS[endpoint]
        limit = min(int(limit or endpoint.max_limit), endpoint.max_limit)
        params = {key: value for key, value in (params or {}).items() if value not in (None, '')}
        if endpoint.total_param:
            params.setdefault('calculate_total', 'true')
        result = paginate_offset(lambda query: self.get_json(endpoint.path, customer, query),
                                 self.describe('GET', endpoint.path, customer), limit, params, endpoint.key,
                                 endpoint.items_key)
        for message in result.warnings:
            self.warn(message)
        return result

    # ---- customers ----------------------------------------------------------------------------------------

    def customers(self):
        """Every customer of the MSP (GET msp_api/v1/customers, 50 a page), read once per client."""
        if self._customers is None:
            self._customers = [customer_record(item) for item in self.get_all('customers').items]
            self._customers.sort(key=lambda record: (record['name'].casefold(), record['customer_id']))
        return self._customers

    def resolve_customer(self, name=None, customer_id=None):
        """``{'name', 'customer_id'}`` of one customer, by exact name (one listing) or by id.

        An id is taken as given, its name then None: the gateway refuses a TenantID that is not a customer of
        this MSP, and listing every customer for every task would spend the shared daily quota."""
        if customer_id:
            return {'name': None, 'customer_id': customer_id_of(customer_id)}
        if not name:
            raise TenantError('Choose a customer: set customer (its name) or customer_id.')
        return self._pick(name, is_id=False)

    def _pick(self, wanted, is_id=None):
        everyone = self.customers()
        if is_id is None:
            is_id = bool(CUSTOMER_ID.match(str(wanted).strip()))
        if is_id:
            ident = customer_id_of(wanted)
            matches = [c for c in everyone if c['customer_id'] == ident]
            if not matches:
                raise TenantError('Customer id %s is not a customer of this MSP account; classic_customer_info lists '
                                  'them.' % ident)
        else:
            matches = [c for c in everyone if c['name'] == wanted]
        if len(matches) > 1:
            ids = sorted(c['customer_id'] for c in matches)
            raise TenantError('Customer name %r is ambiguous: %d customers have it (%s). Use customer_id to pick one.'
                              % (wanted, len(ids), ', '.join(ids)), ids)
        if not matches:
            close = sorted(c['name'] for c in everyone if str(wanted).casefold() in c['name'].casefold())[:5]
            raise TenantError('No customer named %r in this MSP account.%s Names are exact and case-sensitive; '
                              'classic_customer_info lists them all.' % (
                                  wanted, ' Close names: %s.' % ', '.join(repr(n) for n in close) if close else ''),
                              close)
        return {'name': matches[0]['name'], 'customer_id': matches[0]['customer_id']}

    def resolve_customers(self, names_or_ids=None, everyone=False):
        if everyone:
            return [{'name': c['name'], 'customer_id': c['customer_id']} for c in self.customers()]
        chosen = []
        wanted_all = list(names_or_ids or [])
        if all(CUSTOMER_ID.match(str(wanted).strip()) for wanted in wanted_all):
            # Ids only: no listing needed (see resolve_customer).
            for wanted in wanted_all:
                customer = self.resolve_customer(customer_id=wanted)
                if customer not in chosen:
                    chosen.append(customer)
            return chosen
        for wanted in wanted_all:
            customer = self._pick(wanted)
            if customer not in chosen:
                chosen.append(customer)
        return chosen

    @staticmethod
    def for_each_customer(customers, work, concurrency=4):
        """``work(customer)`` for each customer, ``concurrency`` at a time; one failure hides no other's data.

        They share the MSP's rate budget, so more than a few threads only wait."""
        def run(customer):
            entry = {'name': customer['name'], 'customer_id': customer['customer_id'], 'failed': False, 'msg': ''}
            try:
                entry['result'] = work(customer)
            except CentralMspError as exc:
                entry.update(failed=True, msg=str(exc), result=None)
            return entry

        with ThreadPoolExecutor(max_workers=max(1, min(int(concurrency), 16))) as pool:
            return list(pool.map(run, customers))


def _iso(timestamp):
    if not timestamp:
        return None
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def customer_record(item):
    """One customer the way the modules and the inventory present it."""
    group = item.get('group') if isinstance(item.get('group'), dict) else {}
    instances = item.get('application_instances') if isinstance(item.get('application_instances'), list) else []
    central = next((app for app in instances if isinstance(app, dict)), {})
    return {
        'customer_id': str(item.get('customer_id') or ''),
        'name': str(item.get('customer_name') or ''),
        'description': item.get('description'),
        'group_id': group.get('id'),
        'group_name': group.get('name'),
        'account_status': item.get('account_status'),
        'provision_status': central.get('provision_status'),
        'region': central.get('region'),
        'created_at': item.get('created_at'),
        'updated_at': item.get('updated_at'),
    }
