# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""On-disk token cache shared by every task and fork on a controller.

Every Ansible task is its own process, so an in-memory cache dies with the task. Here each token
lives in its own 0600 file in a 0700 directory, keyed by a hash of who asked for it. A per-key
file lock makes concurrent processes that miss at once fetch once: the first fetches, the rest wait
and read. When the first fails, the ones that waited for it fail with its error instead of trying
again one after another. Only access tokens and their expiry are stored, never the client secret.

Nothing in the directory is trusted blindly: a symlinked directory or one in a world-writable parent is
not used, an entry that is not a regular file of this user is skipped, and an entry holds the key it was
written for, so a file copied under another tenant's name is refused.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import math
import os
import stat
import tempfile
import threading
import time
from contextlib import contextmanager

from ansible_collections.central.msp.plugins.module_utils.errors import CentralMspError

# Renew ahead of expiry: a tenth of the lifetime, at most a minute (900 s tokens renew at 840 s).
MAX_RENEW_MARGIN = 60.0
# A token entry is a few kilobytes; anything bigger is not one of ours.
MAX_ENTRY_BYTES = 64 * 1024


class _Refused(ValueError):
    """A cache entry that is there but must not be used; the message says why."""


class SharedFailure(CentralMspError):
    """The process (or thread) that was fetching this token failed while this one waited for it."""


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


def private_directory(directory, warn, what, option, example, without=''):
    """``directory`` made (or found) private to this user, 0700, for files only this user may read; None, with a
    warning saying why, when that cannot be had: a world-writable parent (someone could swap it), a symbolic
    link (not followed, never chmod-ed through), another user's directory, one shared with other users (sticky or
    world-writable: its mode is not ours to change), or one that cannot be written. ``what`` names the cache,
    ``option`` the setting that moves it, ``without`` what happens without it."""
    directory = os.path.abspath(os.path.expanduser(directory))
    parent = os.path.dirname(directory)
    try:
        os.makedirs(parent, mode=0o700, exist_ok=True)
        parent_mode = os.stat(parent).st_mode
        if parent_mode & stat.S_IWOTH:
            warn('%s disabled: %s is inside %s, which every user can write to, so another user could put '
                 'something else in its place. Set %s to a directory in a private parent, such as %s.'
                 % (what, directory, parent, option, example))
            return None
        try:
            os.mkdir(directory, 0o700)
        except FileExistsError:
            pass
        info = os.lstat(directory)
    except OSError as exc:
        warn('%s disabled: cannot create %s (%s). %sset %s to a writable directory.'
             % (what, directory, exc.strerror, without, option))
        return None
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        warn('%s disabled: %s is %s, not a directory of its own; it is not followed. Set %s to a real directory.'
             % (what, directory, 'a symbolic link' if stat.S_ISLNK(info.st_mode) else 'not a directory', option))
        return None
    if info.st_uid != os.getuid():
        warn('%s disabled: %s belongs to another user. Set %s to a directory of your own.' % (what, directory, option))
        return None
    mode = stat.S_IMODE(info.st_mode)
    if mode & (stat.S_IWOTH | stat.S_ISVTX):
        warn('%s disabled: %s is shared with other users (mode %04o), so it is left as it is. Set %s to a '
             'directory of your own, such as %s.' % (what, directory, mode, option, example))
        return None
    if mode & 0o077:
        try:
            os.chmod(directory, 0o700)  # a real directory: lstat said so above
        except OSError:
            warn('%s disabled: %s is readable by other users and cannot be made private.' % (what, directory))
            return None
        warn('%s directory %s was readable by other users; its permissions were set to 0700.' % (what, directory))
    if not os.access(directory, os.W_OK | os.X_OK):
        warn('%s disabled: %s is not writable. %sset %s to a writable directory.' % (what, directory, without, option))
        return None
    return directory


class TokenCache:
    """Tokens by key, in memory for this process and, when enabled, on disk for all processes."""

    def __init__(self, directory=None, enabled=True, warn=None):
        self._warn = warn or (lambda message: None)
        self._memory = {}
        self._failures = {}  # key -> (when, error) of this process's last failed fetch
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
        return private_directory(directory, self._warn, 'Token cache', 'token_cache_dir',
                                 '~/.cache/central.msp/tokens', 'Every task will fetch its own tokens; ')

    def _thread_lock(self, key):
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def _path(self, key):
        return os.path.join(self.directory, key + '.json')

    def _open_entry(self, path):
        """A read handle on a regular file of this user, never following a link nor blocking on a FIFO; None
        when there is nothing there; raises ValueError for anything else."""
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise _Refused('cannot be opened (%s)' % exc.strerror) from None
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_size > MAX_ENTRY_BYTES:
            os.close(fd)
            raise _Refused('is not a regular file of this user')
        return os.fdopen(fd, 'rb')

    def _read(self, key):
        try:
            handle = self._open_entry(self._path(key))
            if handle is None:
                return None
            with handle:
                data = json.loads(handle.read(MAX_ENTRY_BYTES + 1).decode('utf-8'))
            if not isinstance(data, dict) or data.get('key') != key:
                # Written for another owner or tenant (a copied file): never used for this one.
                raise _Refused('belongs to another credential or tenant')
            token, issued_at, expires_at = data['access_token'], data['issued_at'], data['expires_at']
            if not isinstance(token, str) or not token or not all(
                    isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
                    for value in (issued_at, expires_at)):
                raise _Refused('has values of the wrong type')
            return CachedToken(token, float(issued_at), float(expires_at))
        except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            if isinstance(exc, _Refused):
                self._warn('Discarded a token cache entry in %s that %s; it will be rewritten.' % (self.directory, exc))
            else:
                self._warn('Discarded a corrupt token cache entry in %s; it will be rewritten.' % self.directory)
            self._remove(key)
            return None

    def _write(self, key, token):
        try:
            handle, tmp = tempfile.mkstemp(dir=self.directory, prefix='.tmp-', suffix='.json')
            try:
                os.fchmod(handle, 0o600)
                with os.fdopen(handle, 'w', encoding='utf-8') as out:
                    json.dump({'key': key, 'access_token': token.access_token, 'issued_at': token.issued_at,
                               'expires_at': token.expires_at}, out)
                os.replace(tmp, self._path(key))
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise
        except OSError as exc:
            self._warn('Could not write the token cache in %s (%s); continuing without it.'
                       % (self.directory, exc.strerror))

    def _write_record(self, key, record):
        """Replace an entry atomically (a 0600 temporary file, fsync, rename): readers see old or new, never half."""
        handle, tmp = tempfile.mkstemp(dir=self.directory, prefix='.tmp-', suffix='.json')
        try:
            os.fchmod(handle, 0o600)
            with os.fdopen(handle, 'w', encoding='utf-8') as out:
                json.dump(dict(record, key=key), out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self._path(key))
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def read_record(self, key):
        """The JSON object stored under ``key`` by update_record (no lock: writes are atomic), or None."""
        try:
            handle = self._open_entry(self._path(key))
            if handle is None:
                return None
            with handle:
                record = json.loads(handle.read(MAX_ENTRY_BYTES + 1).decode('utf-8'))
        except (OSError, ValueError, UnicodeDecodeError):
            return None
        if not isinstance(record, dict) or record.get('key') != key:
            return None
        record.pop('key')
        return record

    def update_record(self, key, change):
        """Read-modify-write of one entry under its thread and file lock, for state several processes share.

        ``change(record or None) -> (new record or None, result)``: a new record is written atomically before the
        lock is released (None writes nothing), and ``result`` is returned. If ``change`` raises, nothing is
        written. Needs the cache on disk."""
        if not self.on_disk:
            raise OSError('the token cache is not on disk')
        with self._thread_lock(key):
            with self._file_lock(key):
                record, result = change(self.read_record(key))
                if record is not None:
                    self._write_record(key, record)
                return result

    def _failure_path(self, key):
        return os.path.join(self.directory, key + '.failed')

    def _write_failure(self, key, error):
        """Tell the processes waiting for this key that the fetch failed, and why (a secret-free message)."""
        try:
            handle, tmp = tempfile.mkstemp(dir=self.directory, prefix='.tmp-', suffix='.failed')
            with os.fdopen(handle, 'w', encoding='utf-8') as out:
                json.dump({'key': key, 'at': time.time(), 'message': str(error)}, out)
            os.replace(tmp, self._failure_path(key))
        except OSError:
            pass

    def _read_failure(self, key, since):
        """The message of a failure recorded for ``key`` after ``since``, else None."""
        try:
            handle = self._open_entry(self._failure_path(key))
            if handle is None:
                return None
            with handle:
                data = json.loads(handle.read(MAX_ENTRY_BYTES + 1).decode('utf-8'))
        except (OSError, ValueError, UnicodeDecodeError):
            return None
        if isinstance(data, dict) and data.get('key') == key and isinstance(data.get('at'), (int, float)) \
                and data['at'] >= since and isinstance(data.get('message'), str):
            return data['message']
        return None

    def _remove(self, key, suffix='.json'):
        try:
            os.unlink(os.path.join(self.directory, key + suffix))
        except OSError:
            pass

    @contextmanager
    def _file_lock(self, key):
        try:
            fd = os.open(os.path.join(self.directory, key + '.lock'),
                         os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o600)
        except OSError:
            yield
            return
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)  # a FIFO or device put there: not something to lock on
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
        across threads and processes. ``stale`` is a token the caller saw rejected: never returned again.

        If the thread or process that was fetching fails while this one waits, this one fails with its error
        (a SharedFailure in another process) rather than fetching again: a hanging issuer costs one wait."""
        waiting_since = time.time()
        with self._thread_lock(key):
            failure = self._failures.get(key)
            if failure is not None and failure[0] >= waiting_since:
                raise failure[1]
            token = self._memory.get(key)
            if self._usable(token, stale):
                return token.access_token
            if not self.on_disk:
                token = self._fetch_once(key, fetch)
                self._memory[key] = token
                return token.access_token
            token = self._read(key)
            if not self._usable(token, stale):
                with self._file_lock(key):
                    # Another process may have fetched while we waited for the lock, or failed to.
                    message = self._read_failure(key, waiting_since)
                    if message is not None:
                        raise SharedFailure('%s (another task fetching the same token at the same time failed like '
                                            'this; not tried again)' % message)
                    token = self._read(key)
                    if not self._usable(token, stale):
                        try:
                            token = self._fetch_once(key, fetch)
                        except CentralMspError as exc:
                            self._write_failure(key, exc)
                            raise
                        self._remove(key, '.failed')
                        self._write(key, token)
            self._memory[key] = token
            return token.access_token

    def _fetch_once(self, key, fetch):
        try:
            return self._fetch(fetch)
        except CentralMspError as exc:
            # Threads queued behind this one learn of it instead of fetching again, one after another.
            self._failures[key] = (time.time(), exc)
            raise

    @staticmethod
    def _fetch(fetch):
        issued_at = time.time()
        access_token, expires_in = fetch()
        return CachedToken(access_token, issued_at, issued_at + float(expires_in))
