# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""On-disk token cache shared by every task and fork on a controller.

Every Ansible task is its own process, so an in-memory cache dies with the task. Here each token
lives in its own 0600 file in a 0700 directory, keyed by a hash of who asked for it. A per-key
file lock makes concurrent processes that miss at once fetch once: the first fetches, the rest wait
and read. Only access tokens and their expiry are stored, never the client secret.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import stat
import tempfile
import threading
import time
from contextlib import contextmanager

# Renew ahead of expiry: a tenth of the lifetime, at most a minute (900 s tokens renew at 840 s).
MAX_RENEW_MARGIN = 60.0


def default_cache_dir():
    base = os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
    return os.path.join(base, 'central.msp', 'tokens')


def cache_key(*parts):
    """A stable file name for a token; secrets in ``parts`` must already be hashed."""
    return hashlib.sha256('\0'.join(str(part) for part in parts).encode('utf-8')).hexdigest()


def secret_digest(secret):
    return hashlib.sha256(('central.msp:' + secret).encode('utf-8')).hexdigest()


def renew_margin(issued_at, expires_at):
    return min(MAX_RENEW_MARGIN, max(0.0, expires_at - issued_at) / 10.0)


class CachedToken:
    __slots__ = ('access_token', 'issued_at', 'expires_at')

    def __init__(self, access_token, issued_at, expires_at):
        self.access_token = access_token
        self.issued_at = issued_at
        self.expires_at = expires_at

    def fresh(self, now=None):
        now = time.time() if now is None else now
        return now < self.expires_at - renew_margin(self.issued_at, self.expires_at)


class TokenCache:
    """Tokens by key, in memory for this process and, when enabled, on disk for all processes."""

    def __init__(self, directory=None, enabled=True, warn=None):
        self._warn = warn or (lambda message: None)
        self._memory = {}
        self._locks = {}
        self._guard = threading.Lock()
        self.directory = None
        if enabled:
            self.directory = self._prepare(directory or default_cache_dir())

    @property
    def on_disk(self):
        return self.directory is not None

    def _prepare(self, directory):
        """The cache directory, private to this user; None (memory only) when that cannot be had."""
        try:
            os.makedirs(directory, mode=0o700, exist_ok=True)
            info = os.stat(directory)
        except OSError as exc:
            self._warn('Token cache disabled: cannot create %s (%s). Every task will fetch its own tokens; '
                       'set token_cache_dir to a writable directory.' % (directory, exc.strerror))
            return None
        if info.st_uid != os.getuid():
            self._warn('Token cache disabled: %s belongs to another user. Set token_cache_dir to a directory '
                       'of your own.' % directory)
            return None
        if stat.S_IMODE(info.st_mode) & 0o077:
            try:
                os.chmod(directory, 0o700)
            except OSError:
                self._warn('Token cache disabled: %s is readable by other users and cannot be made private.'
                           % directory)
                return None
            self._warn('Token cache directory %s was readable by other users; its permissions were set to 0700.'
                       % directory)
        if not os.access(directory, os.W_OK | os.X_OK):
            self._warn('Token cache disabled: %s is not writable. Every task will fetch its own tokens; '
                       'set token_cache_dir to a writable directory.' % directory)
            return None
        return directory

    def _thread_lock(self, key):
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def _path(self, key):
        return os.path.join(self.directory, key + '.json')

    def _read(self, key):
        try:
            with open(self._path(key), encoding='utf-8') as handle:
                data = json.load(handle)
            return CachedToken(str(data['access_token']), float(data['issued_at']), float(data['expires_at']))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            self._warn('Discarded a corrupt token cache entry in %s; it will be rewritten.' % self.directory)
            self._remove(key)
            return None

    def _write(self, key, token):
        try:
            handle, tmp = tempfile.mkstemp(dir=self.directory, prefix='.tmp-', suffix='.json')
            try:
                os.fchmod(handle, 0o600)
                with os.fdopen(handle, 'w', encoding='utf-8') as out:
                    json.dump({'access_token': token.access_token, 'issued_at': token.issued_at,
                               'expires_at': token.expires_at}, out)
                os.replace(tmp, self._path(key))
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise
        except OSError as exc:
            self._warn('Could not write the token cache in %s (%s); continuing without it.'
                       % (self.directory, exc.strerror))

    def _remove(self, key):
        try:
            os.unlink(self._path(key))
        except OSError:
            pass

    @contextmanager
    def _file_lock(self, key):
        try:
            fd = os.open(os.path.join(self.directory, key + '.lock'), os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            yield
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _usable(self, token, stale):
        return token is not None and token.fresh() and token.access_token != stale

    def get(self, key, fetch, stale=None):
        """The access token for ``key``, calling ``fetch() -> (access_token, expires_in)`` at most once
        across threads and processes. ``stale`` is a token the caller saw rejected: never returned again."""
        with self._thread_lock(key):
            token = self._memory.get(key)
            if self._usable(token, stale):
                return token.access_token
            if not self.on_disk:
                token = self._fetch(fetch)
                self._memory[key] = token
                return token.access_token
            token = self._read(key)
            if not self._usable(token, stale):
                with self._file_lock(key):
                    # Another process may have fetched while we waited for the lock.
                    token = self._read(key)
                    if not self._usable(token, stale):
                        token = self._fetch(fetch)
                        self._write(key, token)
            self._memory[key] = token
            return token.access_token

    @staticmethod
    def _fetch(fetch):
        issued_at = time.time()
        access_token, expires_in = fetch()
        return CachedToken(access_token, issued_at, issued_at + float(expires_in))
