"""The on-disk token cache: one fetch across processes, freshness, eviction, permissions, corruption."""

import json
import multiprocessing
import os
import shutil
import stat
import tempfile
import threading
import time

import pytest

from ansible_collections.central.msp.plugins.module_utils.errors import ApiError
from ansible_collections.central.msp.plugins.module_utils.token_cache import (CachedToken, SharedFailure, TokenCache,
                                                                              cache_key)


class Fetcher:
    def __init__(self, tokens=('tok-1', 'tok-2', 'tok-3'), expires_in=900):
        self.tokens = list(tokens)
        self.expires_in = expires_in
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.tokens.pop(0), self.expires_in


def test_fetches_once_then_serves_from_memory_and_disk(tmp_path):
    fetch = Fetcher()
    cache = TokenCache(str(tmp_path / 'c'))
    assert cache.get('k', fetch) == 'tok-1'
    assert cache.get('k', fetch) == 'tok-1'
    # A new process (a new cache object) reads the file instead of fetching.
    assert TokenCache(str(tmp_path / 'c')).get('k', fetch) == 'tok-1'
    assert fetch.calls == 1


def test_files_are_private_and_hold_no_secret(tmp_path):
    directory = tmp_path / 'c'
    TokenCache(str(directory)).get(cache_key('issuer', 'client', 'secret-digest', 'ws'), Fetcher())
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
    entries = [name for name in os.listdir(directory) if name.endswith('.json')]
    assert len(entries) == 1
    path = directory / entries[0]
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert set(json.loads(path.read_text())) == {'key', 'access_token', 'issued_at', 'expires_at'}


def test_stale_token_is_never_returned_again(tmp_path):
    fetch = Fetcher()
    cache = TokenCache(str(tmp_path))
    first = cache.get('k', fetch)
    assert cache.get('k', fetch, stale=first) == 'tok-2'
    assert cache.get('k', fetch, stale=first) == 'tok-2'
    assert fetch.calls == 2


def test_renews_ahead_of_expiry():
    token = CachedToken('t', issued_at=1000.0, expires_at=1900.0)
    assert token.fresh(now=1839.0)
    assert not token.fresh(now=1841.0)  # within the 60 s margin
    short = CachedToken('t', issued_at=0.0, expires_at=5.0)
    assert short.fresh(now=4.4) and not short.fresh(now=4.6)  # margin is a tenth of a short lifetime


def test_expired_entry_on_disk_is_refetched(tmp_path):
    fetch = Fetcher(expires_in=0.2)
    cache = TokenCache(str(tmp_path))
    assert cache.get('k', fetch) == 'tok-1'
    time.sleep(0.25)
    assert TokenCache(str(tmp_path)).get('k', fetch) == 'tok-2'


def test_a_token_another_process_renewed_is_taken_rather_than_fetched(tmp_path):
    fetch = Fetcher()
    one, two = TokenCache(str(tmp_path)), TokenCache(str(tmp_path))
    old = one.get('k', fetch)
    new = two.get('k', fetch, stale=old)  # another process found it refused and renewed it
    assert one.get('k', fetch, stale=old) == new


def test_a_stale_token_is_fetched_once(tmp_path):
    fetch = Fetcher()
    one, two = TokenCache(str(tmp_path)), TokenCache(str(tmp_path))
    old = one.get('k', fetch)
    two.get('k', fetch, stale=old)
    one.get('k', fetch, stale=old)
    assert fetch.calls == 2


def test_corrupt_entry_is_discarded_and_rewritten(tmp_path):
    warnings = []
    cache = TokenCache(str(tmp_path), warn=warnings.append)
    (tmp_path / 'k.json').write_text('{not json')
    assert cache.get('k', Fetcher()) == 'tok-1'
    assert json.loads((tmp_path / 'k.json').read_text())['access_token'] == 'tok-1'
    assert any('corrupt' in warning for warning in warnings)


def test_directory_readable_by_others_is_fixed_with_a_warning(tmp_path):
    directory = tmp_path / 'open'
    directory.mkdir(mode=0o755)
    os.chmod(directory, 0o755)
    warnings = []
    cache = TokenCache(str(directory), warn=warnings.append)
    assert cache.on_disk
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
    assert any('0700' in warning for warning in warnings)


def test_directory_that_cannot_be_created_falls_back_to_memory(tmp_path):
    blocker = tmp_path / 'file'
    blocker.write_text('')
    warnings = []
    cache = TokenCache(str(blocker / 'tokens'), warn=warnings.append)
    assert not cache.on_disk
    fetch = Fetcher()
    assert cache.get('k', fetch) == cache.get('k', fetch) == 'tok-1'
    assert fetch.calls == 1
    assert any('disabled' in warning for warning in warnings)


def _unwritable_probe(directory, queue):
    if os.geteuid() == 0:
        os.setuid(65534)  # as root every directory is writable: probe as 'nobody'
    warnings = []
    cache = TokenCache(directory, warn=warnings.append)
    queue.put((cache.on_disk, cache.get('k', Fetcher()), warnings))


def test_unwritable_directory_falls_back_to_memory():
    base = tempfile.mkdtemp(prefix='central-msp-ro-')
    try:
        os.chmod(base, 0o755)
        directory = os.path.join(base, 'tokens')
        os.mkdir(directory, 0o500)
        if os.geteuid() == 0:
            os.chown(directory, 65534, 65534)
        context = multiprocessing.get_context('fork')
        queue = context.Queue()
        proc = context.Process(target=_unwritable_probe, args=(directory, queue))
        proc.start()
        on_disk, token, warnings = queue.get(timeout=30)
        proc.join(30)
        assert (on_disk, token) == (False, 'tok-1')
        assert any('not writable' in warning for warning in warnings)
        assert os.listdir(directory) == []
    finally:
        shutil.rmtree(base)


def test_disabled_cache_writes_nothing(tmp_path):
    cache = TokenCache(str(tmp_path / 'never'), enabled=False)
    assert cache.get('k', Fetcher()) == 'tok-1'
    assert not (tmp_path / 'never').exists()


def _racer(directory, counter, barrier):
    def fetch():
        with counter.get_lock():
            counter.value += 1
        time.sleep(0.2)  # a slow issuer: every other process is waiting on the lock meanwhile
        return 'shared-token', 900
    barrier.wait()
    assert TokenCache(directory).get('k', fetch) == 'shared-token'


def test_sixteen_processes_on_a_cold_cache_fetch_once(tmp_path):
    context = multiprocessing.get_context('fork')
    counter = context.Value('i', 0)
    barrier = context.Barrier(16)
    procs = [context.Process(target=_racer, args=(str(tmp_path), counter, barrier)) for _unused in range(16)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(30)
    assert [proc.exitcode for proc in procs] == [0] * 16
    assert counter.value == 1


# ---- a hostile file system and a hanging issuer (issue 15) --------------------------------------------------

def test_a_symlinked_cache_directory_is_refused_not_chmod_ed_through(tmp_path):
    target = tmp_path / 'elsewhere'
    target.mkdir(mode=0o755)
    os.chmod(target, 0o755)
    link = tmp_path / 'tokens'
    link.symlink_to(target)
    warnings = []
    cache = TokenCache(str(link), warn=warnings.append)
    assert not cache.on_disk and any('is a symbolic link' in warning for warning in warnings)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o755
    assert cache.get('k', Fetcher()) == 'tok-1' and os.listdir(target) == []


def test_a_cache_directory_in_a_world_writable_parent_is_refused(tmp_path):
    parent = tmp_path / 'shared'
    parent.mkdir()
    os.chmod(parent, 0o1777)
    warnings = []
    cache = TokenCache(str(parent / 'tokens'), warn=warnings.append)
    assert not cache.on_disk and any('which every user can write to' in warning for warning in warnings)
    assert not (parent / 'tokens').exists()


def test_a_shared_cache_directory_of_ours_is_refused_and_left_as_it_is(tmp_path):
    # Running as root, /tmp-like folders are "ours": chmod-ing one to 0700 would lock everyone else out of it.
    shared = tmp_path / 'tmp-like'
    shared.mkdir()
    for mode in (0o1777, 0o777, 0o1755):
        os.chmod(shared, mode)
        warnings = []
        cache = TokenCache(str(shared), warn=warnings.append)
        assert not cache.on_disk and any('is shared with other users (mode %04o)' % mode in warning
                                         for warning in warnings), warnings
        assert stat.S_IMODE(os.stat(shared).st_mode) == mode and os.listdir(shared) == []


def _entry_path(directory, key):
    return os.path.join(directory, key + '.json')


def test_a_fifo_or_a_symlink_in_place_of_an_entry_is_skipped_without_hanging(tmp_path):
    directory = str(tmp_path / 'c')
    warnings = []
    cache = TokenCache(directory, warn=warnings.append)
    os.mkfifo(_entry_path(directory, 'fifo'))
    assert cache.get('fifo', Fetcher()) == 'tok-1'
    secret_elsewhere = tmp_path / 'not-a-token.json'
    secret_elsewhere.write_text(json.dumps({'key': 'link', 'access_token': 'planted', 'issued_at': time.time(),
                                            'expires_at': time.time() + 900}))
    os.symlink(secret_elsewhere, _entry_path(directory, 'link'))
    assert TokenCache(directory, warn=warnings.append).get('link', Fetcher()) == 'tok-1'
    assert sum('cannot be opened' in w or 'not a regular file' in w for w in warnings) == 2


def test_an_entry_copied_to_another_tenants_name_is_never_used_for_it(tmp_path):
    directory = str(tmp_path / 'c')
    tenant_a = cache_key('issuer', 'client', 'digest', 'msp', 'tenant-a')
    tenant_b = cache_key('issuer', 'client', 'digest', 'msp', 'tenant-b')
    TokenCache(directory).get(tenant_a, Fetcher(['token-of-a']))
    shutil.copy(_entry_path(directory, tenant_a), _entry_path(directory, tenant_b))
    warnings = []
    assert TokenCache(directory, warn=warnings.append).get(tenant_b, Fetcher(['token-of-b'])) == 'token-of-b'
    assert any('belongs to another credential or tenant' in warning for warning in warnings)


@pytest.mark.skipif(os.geteuid() != 0, reason='giving a file to another user needs root')
def test_an_entry_of_another_user_is_never_used(tmp_path):
    # Its content is a valid, fresh entry for this very key: only the owner tells it apart.
    directory = str(tmp_path / 'c')
    TokenCache(directory).get('k', Fetcher(['planted']))
    os.chown(_entry_path(directory, 'k'), 65534, 65534)
    warnings = []
    assert TokenCache(directory, warn=warnings.append).get('k', Fetcher(['own'])) == 'own'
    assert any('not a regular file of this user' in warning for warning in warnings), warnings


def test_entries_not_utf8_or_of_the_wrong_types_are_discarded(tmp_path):
    directory = str(tmp_path / 'c')
    TokenCache(directory)
    bad = {
        'binary': b'\xff\xfe\x00garbage',
        'types': json.dumps({'key': 'types', 'access_token': ['x'], 'issued_at': 'now', 'expires_at': True}).encode(),
        'nan': b'{"key": "nan", "access_token": "t", "issued_at": 0, "expires_at": NaN}',
        'list': b'[1, 2, 3]',
    }
    for key, content in bad.items():
        with open(_entry_path(directory, key), 'wb') as handle:
            handle.write(content)
        warnings = []
        assert TokenCache(directory, warn=warnings.append).get(key, Fetcher(['fresh-' + key])) == 'fresh-' + key, key
        assert len(warnings) == 1 and 'Discarded a ' in warnings[0] and 'token cache entry' in warnings[0], key


def test_threads_waiting_for_a_failed_fetch_share_its_error_instead_of_fetching_again(tmp_path):
    release = threading.Event()
    calls = []

    def failing_fetch():
        calls.append(1)
        release.wait(10)
        raise ApiError('MSP token request', message='timed out after 6 attempts')

    cache = TokenCache(str(tmp_path / 'c'))
    errors, started = [], []

    def worker():
        started.append(1)
        try:
            cache.get('k', failing_fetch)
        except ApiError as exc:
            errors.append(str(exc))

    threads = [threading.Thread(target=worker) for _unused in range(6)]
    for thread in threads:
        thread.start()
    while not calls or len(started) < 6:
        time.sleep(0.01)
    time.sleep(0.1)  # the five others queue behind the holder (had they not, they would fetch: calls > 1)
    release.set()
    for thread in threads:
        thread.join(10)
    assert len(calls) == 1 and len(errors) == 6
    assert set(errors) == {'MSP token request failed: timed out after 6 attempts'}
    # A later call is a new attempt, not the old failure replayed.
    assert cache.get('k', Fetcher(['recovered'])) == 'recovered'


def _failing_racer(directory, counter, barrier, outcomes):
    def fetch():
        with counter.get_lock():
            counter.value += 1
        time.sleep(0.5)  # a hanging issuer: every other process queues on the lock meanwhile
        raise ApiError('MSP token request', message='timed out after 6 attempts')
    barrier.wait()
    try:
        TokenCache(directory).get('k', fetch)
    except SharedFailure as exc:
        outcomes.put(('shared', str(exc)))
    except ApiError as exc:
        outcomes.put(('own', str(exc)))


def test_processes_waiting_for_a_failed_fetch_fail_with_its_error_at_once(tmp_path):
    context = multiprocessing.get_context('fork')
    counter = context.Value('i', 0)
    barrier = context.Barrier(6)
    outcomes = context.Queue()
    procs = [context.Process(target=_failing_racer, args=(str(tmp_path / 'c'), counter, barrier, outcomes))
             for _unused in range(6)]
    for proc in procs:
        proc.start()
    results = [outcomes.get(timeout=60) for _unused in procs]
    for proc in procs:
        proc.join(30)
    # Some processes may reach the lock only after the holder failed and try once themselves; never all six.
    assert counter.value == sum(kind == 'own' for kind, _message in results)
    assert counter.value < 6 and any(kind == 'shared' for kind, _message in results)
    for kind, message in results:
        assert 'MSP token request failed: timed out after 6 attempts' in message
        assert kind == 'own' or 'another task fetching the same token at the same time failed' in message


def test_update_record_is_a_locked_read_modify_write_that_writes_nothing_on_error(tmp_path):
    cache = TokenCache(str(tmp_path))
    assert cache.update_record('k', lambda current: ({'n': 1}, current)) is None
    assert cache.read_record('k') == {'n': 1}

    def boom(current):
        raise RuntimeError('half-way')
    with pytest.raises(RuntimeError):
        cache.update_record('k', boom)
    assert cache.read_record('k') == {'n': 1}
    # Processes incrementing at once lose no update: the file lock serialises them.
    procs = [multiprocessing.Process(target=_increment, args=(str(tmp_path), 25)) for proc in range(4)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
    assert cache.read_record('k') == {'n': 101}
    assert stat.S_IMODE(os.stat(os.path.join(str(tmp_path), 'k.json')).st_mode) == 0o600


def _increment(directory, times):
    cache = TokenCache(directory)
    for step in range(times):
        cache.update_record('k', lambda current: (dict(current, n=current['n'] + 1), None))
