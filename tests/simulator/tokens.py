"""Issued access tokens: opaque, unguessable, scoped to the MSP workspace or to one tenant."""
import secrets
import threading
import time
from dataclasses import dataclass


@dataclass
class TokenRecord:
    token: str
    client_id: str
    tenant_id: str | None      # dashed GLP id of the tenant; None for an MSP token
    issued_at: float
    expires_at: float
    revoked: bool = False

    @property
    def scope(self):
        """The scope as the request log shows it: 'msp' or 'tenant:<dashed id>'."""
        return 'msp' if self.tenant_id is None else f'tenant:{self.tenant_id}'

    def problem(self, now=None):
        """Why the token cannot be used ('revoked' or 'expired'), or None when it is valid."""
        if self.revoked:
            return 'revoked'
        if (now or time.time()) >= self.expires_at:
            return 'expired'
        return None


class TokenStore:
    def __init__(self):
        self._lock = threading.Lock()
        self._tokens = {}
        self.issued = []        # every access token handed out, so leak tests can search for them

    def issue(self, client_id, ttl, tenant_id=None):
        now = time.time()
        record = TokenRecord(secrets.token_urlsafe(48), client_id, tenant_id, now, now + ttl)
        with self._lock:
            self._tokens[record.token] = record
            self.issued.append(record.token)
        return record

    def get(self, token):
        with self._lock:
            return self._tokens.get(token)

    def revoke_all(self):
        with self._lock:
            for record in self._tokens.values():
                record.revoked = True
            return len(self._tokens)

    def expire(self, tenant_id=None, msp=False):
        """Expire now every MSP token (msp=True) or every token of one tenant; returns how many."""
        now = time.time()
        count = 0
        with self._lock:
            for record in self._tokens.values():
                if (msp and record.tenant_id is None) or (tenant_id and record.tenant_id == tenant_id):
                    record.expires_at = min(record.expires_at, now - 1)
                    count += 1
        return count

    def clear(self):
        with self._lock:
            self._tokens.clear()
            self.issued = []
