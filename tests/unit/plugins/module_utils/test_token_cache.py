"""The on-disk token cache: one fetch across processes, freshness, eviction, permissions, corruption."""

import json
import multiprocessing
import os
import shutil
import stat
import tempfile
import time


from ansible_collections.central.msp.plugins.module_utils.token_cache import CachedToken, TokenCache, cache_key


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
    assert set(json.loads(path.read_text())) == {'access_token', 'issued_at', 'expires_at'}


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
