"""What the simulator saw: counters per kind, path and status, and a bounded request log."""
import threading
import time
from collections import Counter, deque

LOG_SIZE = 200_000
COUNTERS = ('requests', 'token_requests', 'msp_tokens', 'exchanges', 'api_requests', 'faults_injected', 'rate_limited')


class Stats:
    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self.counters = Counter()
            self.exchanges_by_tenant = Counter()
            self.by_path = Counter()
            self.by_status = Counter()
            self.log = deque(maxlen=LOG_SIZE)

    def count(self, name, tenant_id=None):
        with self._lock:
            self.counters[name] += 1
            if tenant_id:
                self.exchanges_by_tenant[tenant_id] += 1

    def record(self, method, path, query, status, scope, fault, token_request):
        with self._lock:
            self.counters['requests'] += 1
            self.counters['token_requests' if token_request else 'api_requests'] += 1
            if fault:
                self.counters['faults_injected'] += 1
            self.by_path[f'{method} {path}'] += 1
            self.by_status[str(status)] += 1
            self.log.append((time.time(), method, path, query, status, scope, fault))

    def snapshot(self, issued_tokens, with_log=True):
        with self._lock:
            data = {name: self.counters[name] for name in COUNTERS}
            data.update(exchanges_by_tenant=dict(self.exchanges_by_tenant), by_path=dict(self.by_path),
                        by_status=dict(self.by_status), issued_tokens=list(issued_tokens))
            keys = ('t', 'method', 'path', 'query', 'status', 'scope', 'fault')
            data['requests_log'] = [dict(zip(keys, entry)) for entry in self.log] if with_log else []
        return data
