"""The Classic Aruba Central API gateway, on its own origin: OAuth, the MSP API with TenantID, monitoring reads.

From the Aruba Central API Reference Guide and what is known of the live gateway:
* POST /oauth2/token?client_id&client_secret&grant_type=refresh_token&refresh_token (or authorization_code&code):
  a new access token (expires_in 7200) and a new refresh token; the old refresh token and the access token it
  went with stop working. An unused refresh token is revoked after 15 days (the simulator's clock can be moved).
* The OAuth grant: POST /oauth2/authorize/central/api/login?client_id (JSON username/password; Set-Cookie csrftoken
  and session), POST /oauth2/authorize/central/api/?client_id&response_type=code&scope=all (Cookie session,
  X-CSRF-Token; JSON customer_id) -> auth_code valid 300 s, once. Those two allow 1 call per second.
* API calls: Authorization: Bearer; TenantID: <customer id> runs the call in that customer. The 7 calls/s and
  the daily quota are the MSP account's, whichever customer a call is for; every answer carries
  X-RateLimit-Limit/Remaining-second and -day.
* Admin API under /_sim (loopback only): stats, reset, faults (rules, random failures and paging anomalies as for
  GLP; token actions: issue_token, expire_access_tokens, revoke_refresh_tokens, advance_clock,
  reset_after_refresh, spend_quota; config), truth.
"""
import hmac
import json
import secrets
import threading
import time

from .admin import AdminError, is_loopback, json_body
from .classic_dataset import KINDS
from .faults import FaultError, Faults, RateLimiter
from .messages import Response, json_response
from .stats import Stats

ACCESS_TTL = 7200
REFRESH_IDLE_REVOKE = 15 * 86400
AUTH_CODE_TTL = 300
DEFAULT_CONFIG = {'rate_limit': 7, 'daily_quota': 5000, 'access_ttl': ACCESS_TTL, 'latency_ms': 0}
CONFIG_TYPES = {'rate_limit': int, 'daily_quota': int, 'access_ttl': int, 'latency_ms': int}

# path -> (dataset kind, largest limit, whether the call needs a customer (TenantID) or the MSP scope)
ROUTES = {
    'msp_api/v1/customers': ('customers', 50, 'msp'),
    'central/v2/sites': ('sites', 1000, 'any'),
    'monitoring/v2/aps': ('aps', 1000, 'any'),
    'monitoring/v1/switches': ('switches', 1000, 'any'),
    'monitoring/v1/gateways': ('gateways', 1000, 'any'),
    'monitoring/v2/clients': ('clients', 1000, 'any'),
    'central/v1/notifications': ('notifications', 1000, 'any'),
}
FILTERS = {'sites': (), 'aps': ('group', 'site', 'status'), 'switches': ('group', 'site', 'status'),
           'gateways': ('group', 'site', 'status'), 'clients': ('group', 'site'),
           'notifications': ('group', 'severity')}
FILTER_FIELDS = {'group': 'group_name', 'site': 'site', 'status': 'status', 'severity': 'severity'}


def classic_error(status, description, code='0001', service='API Gateway', headers=None):
    """The body Classic's services answer with: description, error_code, service_name."""
    return json_response(status, {'description': description, 'error_code': code, 'service_name': service}, headers)


def oauth_error(status, error, description):
    return json_response(status, {'error': error, 'error_description': description},
                         {'Cache-Control': 'no-store', 'Pragma': 'no-cache'})


def canned(status, body_kind, headers=None):
    if body_kind == 'html':
        return Response(status, f'<html><head><title>{status} Error</title></head></html>'.encode(), 'text/html',
                        dict(headers or {}), fault=True)
    if body_kind == 'empty':
        return Response(status, b'', '', dict(headers or {}), fault=True)
    if status == 429:
        response = json_response(429, {'message': 'API rate limit exceeded'}, headers)
    else:
        response = classic_error(status, f'Injected failure: HTTP {status}', headers=headers)
    response.fault = True
    return response


class ClassicTokens:
    """Access and refresh tokens of the one MSP application, with rotation and the 15-day idle revocation."""

    def __init__(self):
        self._lock = threading.Lock()
        self.clear()

    def clear(self):
        self.access = {}        # token -> {'expires_at', 'revoked'}
        self.refresh = {}       # token -> {'state': live|rotated|revoked, 'issued_at', 'access'}
        self.codes = {}         # auth code -> expires_at
        self.sessions = {}      # session -> csrf token
        self.issued = []        # every token, code and session value handed out, for leak scans
        self.offset = 0.0       # seconds the simulator's clock runs ahead (to age refresh tokens)

    def now(self):
        return time.time() + self.offset

    def issue(self, ttl):
        with self._lock:
            access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(32)
            now = self.now()
            self.access[access] = {'expires_at': now + ttl, 'revoked': False}
            self.refresh[refresh] = {'state': 'live', 'issued_at': now, 'access': access}
            self.issued += [access, refresh]
        return {'access_token': access, 'refresh_token': refresh, 'token_type': 'bearer', 'expires_in': ttl}

    def access_ok(self, token):
        with self._lock:
            record = self.access.get(token)
            return record is not None and not record['revoked'] and self.now() < record['expires_at']

    def rotate(self, refresh, ttl):
        """(new bundle, None) or (None, why): why is 'unknown', 'rotated', 'revoked' or 'idle'."""
        with self._lock:
            record = self.refresh.get(refresh)
            if record is None:
                return None, 'unknown'
            if record['state'] == 'live' and self.now() - record['issued_at'] >= REFRESH_IDLE_REVOKE:
                record['state'] = 'revoked'
                return None, 'idle'
            if record['state'] != 'live':
                return None, record['state']
            record['state'] = 'rotated'
            if record['access'] in self.access:
                self.access[record['access']]['revoked'] = True
        return self.issue(ttl), None

    def expire_access(self):
        with self._lock:
            for record in self.access.values():
                record['expires_at'] = min(record['expires_at'], self.now() - 1)
            return len(self.access)

    def revoke_refresh(self):
        with self._lock:
            live = [r for r in self.refresh.values() if r['state'] == 'live']
            for record in live:
                record['state'] = 'revoked'
            return len(live)

    def new_session(self):
        with self._lock:
            session, csrf = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
            self.sessions[session] = csrf
            self.issued += [session, csrf]
        return session, csrf

    def new_code(self):
        with self._lock:
            code = secrets.token_urlsafe(12)
            self.codes[code] = self.now() + AUTH_CODE_TTL
            self.issued.append(code)
        return code

    def take_code(self, code):
        with self._lock:
            expires_at = self.codes.pop(code, None)
        return expires_at is not None and self.now() < expires_at


class DailyQuota:
    def __init__(self):
        self._lock = threading.Lock()
        self.used = 0

    def take(self, quota):
        """(allowed, remaining)."""
        with self._lock:
            if self.used >= quota:
                return False, 0
            self.used += 1
            return True, quota - self.used


class ClassicApp:
    def __init__(self, dataset, config=None):
        self.dataset = dataset
        self.base_config = dict(DEFAULT_CONFIG, **(config or {}))
        self.config = dict(self.base_config)
        self.tokens = ClassicTokens()
        self.faults = Faults()
        self.stats = Stats()
        self.limiter = RateLimiter()
        self.quota = DailyQuota()
        self.grant_limiter = RateLimiter()
        self._lock = threading.Lock()
        self.counters = {}
        self.reset_after_refresh = 0
        # The bundle a user would download from the UI at start-up.
        self.initial_bundle = self.tokens.issue(self.config['access_ttl'])

    def count(self, name):
        with self._lock:
            self.counters[name] = self.counters.get(name, 0) + 1

    def reset(self, tokens=False):
        self.stats.reset()
        self.faults.clear()
        self.limiter.clear()
        self.grant_limiter.clear()
        self.quota.used = 0
        self.config = dict(self.base_config)
        self.reset_after_refresh = 0
        with self._lock:
            self.counters = {}
        if tokens:
            self.tokens.clear()

    # ---- pipeline ------------------------------------------------------------------------------------------

    def handle(self, req):
        if req.path == '/_sim' or req.path.startswith('/_sim/'):
            return self.admin(req)
        if self.config['latency_ms']:
            time.sleep(self.config['latency_ms'] / 1000)
        response, scope = self._serve(req)
        self.stats.record(req.method, req.path, req.query, response.status, scope, response.fault,
                          req.path.startswith('/oauth2/'))
        return response

    def _serve(self, req):
        rule = self.faults.take_rule(req.method, req.path)
        if rule is not None:
            if rule.delay_ms:
                time.sleep(rule.delay_ms / 1000)
            if rule.reset_connection:
                return Response(0, reset_connection=True, fault=True), None
            if rule.status is not None:
                headers = dict(rule.headers)
                if rule.retry_after is not None:
                    headers['Retry-After'] = str(rule.retry_after)
                return canned(rule.status, rule.body, headers), None
        kind = self.faults.take_random()
        if kind == 'reset':
            return Response(0, reset_connection=True, fault=True), None
        if kind:
            return canned(int(kind), 'json'), None
        path = req.path.lstrip('/')
        if path == 'oauth2/token':
            return self._token(req), None
        if path == 'oauth2/authorize/central/api/login':
            return self._login(req), None
        if path == 'oauth2/authorize/central/api/':
            return self._authorize(req), None
        route = ROUTES.get(path)
        if route is None:
            return classic_error(404, f'{req.path} not found'), None
        if req.method != 'GET':
            return classic_error(405, f'{req.method} is not allowed on {req.path}'), None
        return self._api(req, path, route)

    # ---- OAuth ---------------------------------------------------------------------------------------------

    def _client_ok(self, params):
        ds = self.dataset
        return hmac.compare_digest(params.get('client_id', '').encode(), ds.client_id.encode()) and \
            hmac.compare_digest(params.get('client_secret', '').encode(), ds.client_secret.encode())

    def _token(self, req):
        if req.method != 'POST':
            return oauth_error(405, 'invalid_request', 'POST only')
        params = req.params()
        if not self._client_ok(params):
            return oauth_error(401, 'invalid_client', 'Invalid client credentials')
        grant = params.get('grant_type')
        ttl = self.config['access_ttl']
        if grant == 'refresh_token':
            bundle, why = self.tokens.rotate(params.get('refresh_token', ''), ttl)
            if why == 'rotated':
                # The mistake this collection must never make: sending a refresh token that was rotated out.
                self.count('rotated_refresh_token_uses')
            if bundle is None:
                self.count('refresh_refused')
                return oauth_error(400, 'invalid_grant', 'Invalid refresh_token')
            self.count('refreshes')
            if self.reset_after_refresh > 0:
                # Rotated on the server, answer lost on the way: the half-way failure.
                self.reset_after_refresh -= 1
                return Response(0, reset_connection=True, fault=True)
            return json_response(200, bundle, {'Cache-Control': 'no-store'})
        if grant == 'authorization_code':
            if not self.tokens.take_code(params.get('code', '')):
                return oauth_error(400, 'invalid_grant', 'Invalid or expired authorization code')
            self.count('grants')
            return json_response(200, self.tokens.issue(ttl), {'Cache-Control': 'no-store'})
        return oauth_error(400, 'unsupported_grant_type', f'grant_type {grant!r} is not supported')

    def _grant_step_limited(self, client_id):
        allowed = self.grant_limiter.hit(('grant', client_id), 1, 1)[0]
        if not allowed:
            self.count('grant_rate_limited')
            return json_response(429, {'message': 'API rate limit exceeded'})
        return None

    def _json(self, req):
        try:
            body = json.loads(req.body or b'{}')
        except ValueError:
            body = None
        return body if isinstance(body, dict) else None

    def _login(self, req):
        params = req.params()
        if req.method != 'POST':
            return json_response(405, {'message': 'POST only'})
        if params.get('client_id') != self.dataset.client_id:
            return json_response(400, {'extra': {}, 'message': 'Invalid client_id'})
        limited = self._grant_step_limited(params['client_id'])
        if limited:
            return limited
        body = self._json(req)
        ds = self.dataset
        if body is None or not isinstance(body.get('username'), str) or not isinstance(body.get('password'), str):
            return json_response(400, {'extra': {}, 'message': 'username and password are required (JSON)'})
        if not (hmac.compare_digest(body['username'].encode(), ds.username.encode())
                and hmac.compare_digest(body['password'].encode(), ds.password.encode())):
            self.count('login_refused')
            return json_response(401, {'message': 'Auth failure', 'status': False})
        session, csrf = self.tokens.new_session()
        self.count('logins')
        # Two Set-Cookie lines (header names differ only in case, which HTTP ignores).
        return json_response(200, {'status': True}, {'Set-Cookie': f'csrftoken={csrf}; Path=/; Secure',
                                                     'set-cookie': f'session={session}; Path=/; Secure; HttpOnly'})

    def _authorize(self, req):
        params = req.params()
        if req.method != 'POST':
            return json_response(405, {'message': 'POST only'})
        if params.get('client_id') != self.dataset.client_id or params.get('response_type') != 'code' or \
                params.get('scope') not in ('all', 'read'):
            return json_response(400, {'extra': {}, 'message': 'client_id, response_type=code and scope (all or read) '
                                                               'are required'})
        limited = self._grant_step_limited(params['client_id'])
        if limited:
            return limited
        cookies = dict(part.strip().split('=', 1) for part in req.headers.get('cookie', '').split(';') if '=' in part)
        csrf = self.tokens.sessions.get(cookies.get('session', ''))
        if csrf is None or not hmac.compare_digest(req.headers.get('x-csrf-token', '').encode(), csrf.encode()):
            return json_response(401, {'message': 'Auth failure', 'status': False})
        body = self._json(req)
        if body is None or body.get('customer_id') != self.dataset.msp_customer_id:
            return json_response(400, {'extra': {}, 'message': 'customer_id is not the account of this user'})
        return json_response(200, {'auth_code': self.tokens.new_code()})

    # ---- API -----------------------------------------------------------------------------------------------

    def _api(self, req, path, route):
        kind, max_limit, scope_needed = route
        header = req.headers.get('authorization', '')
        token = header[7:].strip() if header[:7].lower() == 'bearer ' else ''
        if not token or not self.tokens.access_ok(token):
            return oauth_error(401, 'invalid_token', 'Invalid access token'), None
        tenant = req.headers.get('tenantid')
        ds = self.dataset
        scope = 'msp' if tenant is None else f'customer:{tenant}'
        headers = self._limits()
        if isinstance(headers, Response):
            return headers, scope
        if tenant is not None:
            if not ds.customer(tenant) or tenant != tenant.lower():
                return classic_error(403, f'TenantID {tenant} is not a customer of this MSP', headers=headers), scope
            if scope_needed == 'msp':
                return classic_error(403, 'MSP APIs are called in the MSP scope, without TenantID', headers=headers), scope
        params = req.params()
        try:
            offset = int(params.get('offset', 0))
            limit = int(params.get('limit', 100 if kind != 'customers' else 50))
        except ValueError:
            return classic_error(400, 'offset and limit must be integers', headers=headers), scope
        if limit > max_limit:
            if kind == 'customers':
                return classic_error(400, f'limit {limit} is above the maximum of {max_limit}',
                                     'LIMIT_REQUEST_EXCEEDED', 'MSP', headers), scope
            return classic_error(400, f'Invalid value for limit: at most {max_limit}', service='Monitoring',
                                 headers=headers), scope
        if offset < 0 or limit < 1:
            return classic_error(400, 'offset must be >= 0 and limit >= 1', headers=headers), scope
        if kind == 'customers':
            items = list(ds.customers)
            if params.get('customer_name'):
                items = [c for c in items if params['customer_name'].lower() in c['customer_name'].lower()]
            page, total, anomaly = self._page(req, items, offset, limit)
            response = json_response(200, {'customers': page, 'total': total}, headers)
            response.fault = anomaly is not None
            return response, scope
        items = ds.items(tenant or ds.msp_customer_id, kind)
        if kind == 'clients':
            client_type = params.get('client_type')
            if client_type not in ('WIRELESS', 'WIRED'):
                return classic_error(400, 'client_type is required: WIRELESS or WIRED', service='Monitoring',
                                     headers=headers), scope
            items = [c for c in items if c['client_type'] == client_type]
        for name in FILTERS.get(kind, ()):
            if params.get(name):
                items = [item for item in items if str(item.get(FILTER_FIELDS[name])) == params[name]]
        page, total, anomaly = self._page(req, items, offset, limit)
        body = {kind: page, 'count': len(page)}
        if params.get('calculate_total') == 'true':
            body['total'] = total
        response = json_response(200, body, headers)
        response.fault = anomaly is not None
        return response, scope

    def _page(self, req, items, offset, limit):
        """(the page, the total to report, the paging anomaly applied): the same anomalies as GLP's offset lists."""
        anomaly = self.faults.take_paging(req.path)
        start = 0 if anomaly == 'next_repeats' else offset
        page, total = items[start:start + limit], len(items)
        if anomaly == 'total_changes':
            total += offset // limit
        elif anomaly == 'empty_page' and offset > 0:
            page = []
        return page, total, anomaly

    def _limits(self):
        """Rate-limit headers for this call, or the 429 answer. Both limits are the MSP account's."""
        quota = self.config['daily_quota']
        limit = self.config['rate_limit']
        headers = {'X-RateLimit-Limit-day': str(quota)}
        if limit:
            allowed, remaining = self.limiter.hit('msp', limit, 1)[:2]
            headers.update({'X-RateLimit-Limit-second': str(limit), 'X-RateLimit-Remaining-second': str(remaining)})
            if not allowed:
                self.count('rate_limited')
                headers['X-RateLimit-Remaining-day'] = str(max(0, quota - self.quota.used))
                return json_response(429, {'message': 'API rate limit exceeded'}, headers)
        allowed, left = self.quota.take(quota)
        headers['X-RateLimit-Remaining-day'] = str(left)
        if not allowed:
            self.count('quota_refused')
            return json_response(429, {'message': 'API rate limit exceeded'}, headers)
        return headers

    # ---- admin ---------------------------------------------------------------------------------------------

    def admin(self, req):
        if not is_loopback(req.client_ip):
            return classic_error(403, 'the simulator admin API answers loopback clients only')
        parts = [p for p in req.path[len('/_sim'):].split('/') if p]
        route = (req.method, parts[0] if parts else '')
        try:
            if route == ('GET', 'stats'):
                with_log = req.params().get('log', '1') not in ('0', 'false', 'no')
                data = self.stats.snapshot(self.tokens.issued, with_log)
                with self._lock:
                    data['classic'] = dict(self.counters)
                data['daily_used'] = self.quota.used
                return json_response(200, data)
            if route == ('POST', 'reset'):
                self.reset(tokens=bool(json_body(req).get('tokens')))
                return json_response(200, {'reset': True})
            if route == ('POST', 'faults'):
                return json_response(200, dict(self._fault(json_body(req)), ok=True))
            if route == ('GET', 'truth'):
                return self._truth(parts[1:])
        except (AdminError, FaultError, ValueError, TypeError) as err:
            return classic_error(400, str(err))
        return classic_error(404, f'no admin endpoint {req.method} {req.path}')

    def _fault(self, body):
        action = body.get('action')
        if action is None:
            if 'path' not in body:
                raise AdminError('a fault rule needs "path" (a regex), or give an "action"')
            rule = self.faults.add_rule(body)
            return {'rule': {'path': rule.path.pattern, 'method': rule.method, 'count': rule.remaining}}
        if action == 'paging_anomaly':
            self.faults.add_paging(body.get('path', '.'), body.get('kind'), body.get('count', -1))
            return {'paging_anomaly': body.get('kind')}
        if action == 'random_failures':
            self.faults.set_random(body.get('rate', 0), body.get('seed', 1),
                                   body.get('kinds', ('429', '500', '502', '503', 'reset')))
            return {'rate': self.faults.random_rate}
        if action == 'config':
            unknown = set(body) - set(CONFIG_TYPES) - {'action'}
            if unknown:
                raise AdminError(f"unknown config keys {sorted(unknown)}; known: {', '.join(CONFIG_TYPES)}")
            for name, kind in CONFIG_TYPES.items():
                if name in body:
                    self.config[name] = kind(body[name])
            return {'config': self.config}
        if action == 'issue_token':
            # A new token bundle, as "Download Token" in the UI gives.
            return {'token': self.tokens.issue(self.config['access_ttl'])}
        if action == 'expire_access_tokens':
            return {'expired': self.tokens.expire_access()}
        if action == 'revoke_refresh_tokens':
            return {'revoked': self.tokens.revoke_refresh()}
        if action == 'advance_clock':
            self.tokens.offset += float(body.get('seconds', 0))
            return {'offset': self.tokens.offset}
        if action == 'reset_after_refresh':
            self.reset_after_refresh = int(body.get('count', 1))
            return {'reset_after_refresh': self.reset_after_refresh}
        if action == 'spend_quota':
            self.quota.used = self.config['daily_quota']
            return {'daily_used': self.quota.used}
        raise AdminError(f'unknown action {action!r}')

    def _truth(self, parts):
        ds = self.dataset
        if not parts:
            return json_response(200, {
                'msp_customer_id': ds.msp_customer_id, 'customers': ds.customers,
                'counts': {c['customer_id']: {kind: len(ds.items(c['customer_id'], kind)) for kind in KINDS}
                           for c in ds.customers}})
        customer = ds.customer(parts[0])
        if customer is None:
            return classic_error(404, f'no customer {parts[0]!r}')
        if len(parts) == 1:
            return json_response(200, {'customer': customer, 'provisioned': ds.provisioned(parts[0]),
                                       **{kind: ds.items(customer['customer_id'], kind) for kind in KINDS}})
        if parts[1] not in KINDS:
            return classic_error(404, f"unknown kind {parts[1]!r}: use one of {', '.join(KINDS)}")
        return json_response(200, ds.items(customer['customer_id'], parts[1]))
