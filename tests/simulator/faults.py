"""Injected faults and rate limits: what makes the simulator as unfriendly as the real services."""
import math
import random
import re
import threading
import time
from dataclasses import dataclass, field

RANDOM_KINDS = ('429', '500', '502', '503', 'reset')
PAGING_KINDS = ('total_changes', 'next_repeats', 'empty_page', 'total_too_low', 'endless', 'oversize')
# echo: a WAF/issuer error that echoes the request (headers and body, also escaped and in response headers);
# custom: the rule's `json` value as the body (a hostile or malformed answer, with any status).
BODY_KINDS = ('json', 'html', 'empty', 'echo', 'custom')


class FaultError(ValueError):
    """A fault definition the admin API rejects."""


@dataclass
class FaultRule:
    """The next `remaining` requests matching path/method get this answer (-1: until reset)."""
    path: re.Pattern
    method: str | None
    remaining: int
    status: int | None = None
    body: str = 'json'
    headers: dict = field(default_factory=dict)
    retry_after: float | None = None
    reset_header: float | None = None
    delay_ms: int = 0
    reset_connection: bool = False
    origin: str | None = None       # 'glp' or 'central': only requests to that origin
    json: object = None             # the body of a 'custom' answer
    drip_ms: int = 0                # send the body one byte at a time, this many ms apart
    tenant: str | None = None       # only requests made with this tenant's token (dashed id)

    def matches(self, method, path, origin=None, tenant_of=None):
        if not ((self.method is None or self.method == method) and (self.origin is None or self.origin == origin)
                and self.path.search(path) is not None):
            return False
        return self.tenant is None or (tenant_of is not None and tenant_of() == self.tenant)


def compile_path(pattern):
    try:
        return re.compile(pattern)
    except (re.error, TypeError) as err:
        raise FaultError(f'bad path regex {pattern!r}: {err}')


def _count(spec, default=1):
    count = int(spec.get('count', default))
    if count == 0 or count < -1:
        raise FaultError('count must be a positive number or -1 (always)')
    return count


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self.clear()

    def clear(self):
        with self._lock:
            self.rules = []
            self.exchange_failures = {}     # dashed tenant id -> [remaining, status, error]
            self.paging = []                # [regex, kind, remaining]
            self.item_values = []           # [endpoint name, field, value, index or None, remaining]
            self.random_rate = 0.0
            self.random_kinds = RANDOM_KINDS
            self.random = random.Random(1)

    def add_rule(self, spec):
        status = spec.get('status')
        if status is None and not spec.get('reset_connection') and not spec.get('delay_ms') and not spec.get('drip_ms'):
            raise FaultError('a fault needs a status, reset_connection, delay_ms or drip_ms')
        if spec.get('body', 'json') not in BODY_KINDS:
            raise FaultError(f"body must be one of {', '.join(BODY_KINDS)}")
        if spec.get('body') == 'custom' and 'json' not in spec:
            raise FaultError('body "custom" needs the answer in "json"')
        rule = FaultRule(compile_path(spec['path']), spec.get('method', '').upper() or None, _count(spec),
                         int(status) if status is not None else None, spec.get('body', 'json'),
                         dict(spec.get('headers') or {}), spec.get('retry_after'), spec.get('reset_header'),
                         int(spec.get('delay_ms', 0)), bool(spec.get('reset_connection', False)),
                         spec.get('origin') or None, spec.get('json'), int(spec.get('drip_ms', 0)), spec.get('tenant'))
        if rule.origin not in (None, 'glp', 'central'):
            raise FaultError('origin must be glp or central')
        with self._lock:
            self.rules.append(rule)
        return rule

    def take_rule(self, method, path, origin=None, tenant_of=None):
        """The first rule matching this request, consuming one of its uses. ``tenant_of()``: the dashed id of the
        tenant whose token the request carries, for rules limited to one tenant."""
        if not self.rules:
            return None
        with self._lock:
            for rule in self.rules:
                if rule.matches(method, path, origin, tenant_of):
                    if rule.remaining > 0:
                        rule.remaining -= 1
                        if rule.remaining == 0:
                            self.rules.remove(rule)
                    return rule
        return None

    def set_exchange_failure(self, tenant_id, spec):
        with self._lock:
            self.exchange_failures[tenant_id] = [_count(spec), int(spec.get('status', 403)),
                                                 spec.get('error', 'access_denied')]

    def take_exchange_failure(self, tenant_id):
        """(status, error) when this tenant's exchange must fail now."""
        with self._lock:
            entry = self.exchange_failures.get(tenant_id)
            if not entry:
                return None
            if entry[0] > 0:
                entry[0] -= 1
                if entry[0] == 0:
                    del self.exchange_failures[tenant_id]
            return entry[1], entry[2]

    def set_random(self, rate, seed=1, kinds=RANDOM_KINDS):
        kinds = tuple(str(k) for k in kinds)
        unknown = set(kinds) - set(RANDOM_KINDS)
        if unknown or not kinds or not 0 <= float(rate) <= 1:
            raise FaultError(f"random_failures needs 0 <= rate <= 1 and kinds from {', '.join(RANDOM_KINDS)}")
        with self._lock:
            self.random_rate = float(rate)
            self.random_kinds = kinds
            self.random = random.Random(seed)

    def take_random(self):
        """A failure kind ('429', '500', ..., 'reset') for this request, or None."""
        if not self.random_rate:
            return None
        with self._lock:
            if self.random.random() < self.random_rate:
                return self.random.choice(self.random_kinds)
        return None

    def add_paging(self, pattern, kind, count=-1):
        if kind not in PAGING_KINDS:
            raise FaultError(f"paging_anomaly kind must be one of {', '.join(PAGING_KINDS)}")
        with self._lock:
            self.paging.append([compile_path(pattern), kind, _count({'count': count})])

    def take_paging(self, path):
        if not self.paging:
            return None
        with self._lock:
            for entry in self.paging:
                if entry[0].search(path):
                    if entry[2] > 0:
                        entry[2] -= 1
                        if entry[2] == 0:
                            self.paging.remove(entry)
                    return entry[1]
        return None

    def add_item_value(self, spec, endpoints):
        """Served pages of one endpoint (a name of ``endpoints``, contract.ENDPOINTS) get ``value`` in ``field`` of
        their items (of the item at ``index`` only, when given): a value the live API should never send."""
        endpoint, name = spec.get('endpoint'), spec.get('field')
        if endpoint not in endpoints:
            raise FaultError(f"item_value needs endpoint, one of {', '.join(endpoints)}")
        if not isinstance(name, str) or not name:
            raise FaultError('item_value needs field, the name of an item field')
        if 'value' not in spec:
            raise FaultError('item_value needs value (any JSON value, null included)')
        index = spec.get('index')
        if index is not None and (not isinstance(index, int) or isinstance(index, bool) or index < 0):
            raise FaultError('index must be an item position on the page, 0 or more')
        with self._lock:
            self.item_values.append([endpoint, name, spec['value'], index, _count(spec, -1)])

    def take_item_value(self, endpoint):
        """(field, value, index) to change in this endpoint's page now, or None."""
        if not self.item_values:
            return None
        with self._lock:
            for entry in self.item_values:
                if entry[0] == endpoint:
                    if entry[4] > 0:
                        entry[4] -= 1
                        if entry[4] == 0:
                            self.item_values.remove(entry)
                    return entry[1], entry[2], entry[3]
        return None


class RateLimiter:
    """Fixed windows: `limit` requests per `period` seconds for each key."""

    def __init__(self):
        self._lock = threading.Lock()
        self._windows = {}

    def hit(self, key, limit, period):
        """(allowed, remaining, seconds until the window resets, rounded up)."""
        now = time.monotonic()
        with self._lock:
            start, used = self._windows.get(key, (now, 0))
            if now - start >= period:
                start, used = now, 0
            allowed = used < limit
            if allowed:
                used += 1
            self._windows[key] = (start, used)
        reset = max(1, math.ceil(start + period - now))
        return allowed, max(0, limit - used), reset

    def clear(self):
        with self._lock:
            self._windows.clear()
