"""The simulator's request pipeline, independent of HTTP: latency, injected faults, routing, bearer
authentication, rate limits, scope checks, then the API itself. Admin requests (/_sim) skip all of it.

GLP and Central are two origins, as the real hosts are: each request says which one it came to (the server
listens on one port for each) and its path is the API path itself, with no prefix. The token endpoint is on
the GLP origin (/authorization/v2/oauth2/<workspace>/token)."""
import re
import time
from datetime import datetime, timedelta, timezone

from ansible_collections.central.msp.plugins.module_utils import contract

from . import admin
from .api import ROUTES, ApiError, scope_error, serve
from .faults import Faults, RateLimiter
from .messages import Response, canned_response, glp_error
from .oauth import handle_token_request
from .stats import Stats
from .tokens import TokenStore
from .writes import DEFAULTS as WRITE_DEFAULTS, Writes

ORIGINS = ('glp', 'central')
TOKEN_PATH = re.compile(r'^/authorization/v2/oauth2/([^/]+)/token$')
DEFAULT_CONFIG = dict({'token_ttl': 900, 'latency_ms': 0, 'central_rate_limit': 0, 'glp_rate_limit': 0,
                       'retry_after': False}, **WRITE_DEFAULTS)
# Rate-limit header names per origin: (limit, remaining, reset)
LIMIT_HEADERS = contract.RATE_LIMIT_HEADERS


def reset_value(family, seconds):
    """The reset header's value in the origin's form: GLP seconds, Central an RFC 3339 date-time (UTC)."""
    if contract.RATE_LIMIT_RESET_FORM[family] == 'seconds':
        return str(int(seconds))
    moment = datetime.now(timezone.utc) + timedelta(seconds=seconds)
    # Whole seconds, rounded up: a client waiting until then is never early.
    moment = moment.replace(microsecond=0) + timedelta(seconds=1 if moment.microsecond else 0)
    return moment.strftime('%Y-%m-%dT%H:%M:%SZ')


class SimApp:
    def __init__(self, dataset, config=None):
        self.dataset = dataset
        self.base_config = dict(DEFAULT_CONFIG, **(config or {}))
        self.config = dict(self.base_config)
        self.tokens = TokenStore()
        self.faults = Faults()
        self.stats = Stats()
        self.limiter = RateLimiter()
        self.writes = Writes(self)

    def reset(self, tokens=False, dataset=False):
        self.stats.reset()
        self.faults.clear()
        self.limiter.clear()
        self.config = dict(self.base_config)
        if tokens:
            self.tokens.clear()
        if dataset:
            self.dataset.remove_added_tenants()
            self.writes.reset()

    def handle(self, req):
        if req.path == '/_sim' or req.path.startswith('/_sim/'):
            return admin.handle(self, req)
        if self.config['latency_ms']:
            time.sleep(self.config['latency_ms'] / 1000)
        response, scope = self._serve(req)
        self.stats.record(req.method, req.path, req.query, response.status, scope, response.fault,
                          req.method == 'POST' and TOKEN_PATH.match(req.path) is not None)
        return response

    def _serve(self, req):
        family, api_path = req.origin, req.path[1:]
        injected, delayed, drip_ms = self._injected(req, family)
        if injected:
            return injected, None
        response, scope = self._route(req, family, api_path)
        response.fault = response.fault or delayed
        response.drip_ms = drip_ms
        return response, scope

    def _route(self, req, family, api_path):
        token_path = TOKEN_PATH.match(req.path) if family == 'glp' else None
        if token_path:
            if req.method != 'POST':
                return glp_error(405, 'the token endpoint accepts POST only', {'Allow': 'POST'}), None
            response, injected = handle_token_request(self, req, token_path.group(1))
            response.fault = injected
            return response, None
        written = self.writes.route(req, family, api_path)
        if written is not None:
            return written
        route = ROUTES.get((family, api_path))
        if route is None:
            return self._not_found(family, api_path, req.path), None
        if req.method != 'GET':
            return glp_error(405, f'{req.method} is not allowed on {req.path}', {'Allow': 'GET'}), None
        record = self._bearer(req)
        if isinstance(record, Response):
            return record, None
        limit_headers, limited = self._rate_limit(family, route, record)
        if limited:
            return limited, record.scope
        response = scope_error(route, record, self.dataset)
        if response is None:
            try:
                response = serve(self, route, record, req)
            except ApiError as err:
                response = err.response
        response.headers.update(limit_headers)
        return response, record.scope

    def _token_tenant(self, req):
        """The dashed tenant id of the request's bearer token, or None."""
        header = req.headers.get('authorization', '')
        record = self.tokens.get(header[7:].strip()) if header[:7].lower() == 'bearer ' else None
        return getattr(record, 'tenant_id', None) if record else None

    def _injected(self, req, family):
        """(the answer of an injected fault or None to serve the request, whether a fault touched it, the drip of
        its body in ms)."""
        rule = self.faults.take_rule(req.method, req.path, family, lambda: self._token_tenant(req))
        if rule is not None:
            if rule.delay_ms:
                time.sleep(rule.delay_ms / 1000)
            if rule.reset_connection:
                return Response(0, reset_connection=True, fault=True), True, 0
            if rule.status is not None:
                headers = dict(rule.headers)
                if rule.retry_after is not None:
                    headers['Retry-After'] = str(rule.retry_after)
                if rule.reset_header is not None:
                    headers[LIMIT_HEADERS[family][2]] = str(rule.reset_header)
                response = canned_response(rule.status, rule.body, headers, req, rule.json)
                response.drip_ms = rule.drip_ms
                return response, True, 0
        kind = self.faults.take_random()
        if kind == 'reset':
            return Response(0, reset_connection=True, fault=True), True, 0
        if kind:
            headers = {}
            if kind == '429':
                headers[LIMIT_HEADERS[family][2]] = reset_value(family, 1)
                if self.config['retry_after']:
                    headers['Retry-After'] = '1'
            return canned_response(int(kind), 'json', headers), True, 0
        return None, rule is not None, rule.drip_ms if rule is not None else 0

    def _not_found(self, family, api_path, path):
        other = {'glp': 'central', 'central': 'glp'}[family]
        if (other, api_path) in ROUTES or (other == 'glp' and TOKEN_PATH.match(path)):
            return glp_error(404, f'{path} not found: it is served by the {other} base URL, not {family}')
        return glp_error(404, f'{path} not found')

    def _bearer(self, req):
        """The token record of a valid bearer token, or the 401 response."""
        header = req.headers.get('authorization', '')
        if header[:7].lower() != 'bearer ' or not header[7:].strip():
            return glp_error(401, 'Unauthorized: an access token is required (Authorization: Bearer <token>)',
                             {'WWW-Authenticate': 'Bearer'})
        record = self.tokens.get(header[7:].strip())
        # A tenant token also dies with its tenant (an added tenant removed by a dataset reset).
        if record is None or record.problem() or (record.tenant_id and not self.dataset.tenant(record.tenant_id)):
            return glp_error(401, 'Unauthorized: the access token is invalid or has expired',
                             {'WWW-Authenticate': 'Bearer error="invalid_token"'})
        return record

    def _rate_limit(self, family, route, record):
        """(rate-limit headers for the response, the 429 response or None). GLP counts per API client and
        endpoint per minute; Central per token per second."""
        if family == 'glp':
            limit, key, period = self.config['glp_rate_limit'], (record.client_id, route.path), 60
        else:
            limit, key, period = self.config['central_rate_limit'], record.token, 1
        if not limit:
            return {}, None
        allowed, remaining, reset = self.limiter.hit(key, int(limit), period)
        names = LIMIT_HEADERS[family]
        headers = {names[0]: str(limit), names[1]: str(remaining), names[2]: reset_value(family, reset)}
        if allowed:
            return headers, None
        self.stats.count('rate_limited')
        details = {}
        if self.config['retry_after']:
            headers['Retry-After'] = str(reset)
            details['serverErrorDetails'] = [{'type': 'hpe.greenlake.rate_limit', 'retryAfterSeconds': reset}]
        return headers, glp_error(429, f'Too many requests: {limit} per {"minute" if period == 60 else "second"} '
                                       f'allowed for this {"API client" if family == "glp" else "token"}', headers, **details)
