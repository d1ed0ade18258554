"""What the reliability and security tests share: plays against the simulator, its request log, leak checks.

Plays run as real ansible-playbook / ansible-inventory processes (tests/helpers.py); faults are set up through
the simulator's admin API before a play, so one play can hold many cases (one endpoint or tenant per case)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import textwrap
import threading

from tests.helpers import BIN, ROOT, Run, ansible_env, run_playbook

PLAY = '''---
- name: central.msp reliability checks
  hosts: {hosts}
  connection: local
  gather_facts: false
  ignore_errors: {ignore_errors}
  tasks:
'''
# Inventory sources that only hold `plugin:` take everything else from the environment.
TENANTS_SOURCE = 'plugin: central.msp.tenants\n'


def write(path, text, mode=None):
    path = str(path)
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write(text)
    if mode is not None:
        os.chmod(path, mode)
    return path


def play(sim, tasks, tmp, env=None, hosts='localhost', inventory='localhost,', args=(), extra_vars=None,
         ignore_errors=True):
    """Run ``tasks`` (YAML list at column 0) in one play against ``sim``; ``tmp`` holds the token cache and logs.

    Whatever the play does, no secret or issued token may show in its output or results."""
    text = PLAY.format(hosts=hosts, ignore_errors=str(ignore_errors).lower())
    text += textwrap.indent(textwrap.dedent(tasks), '    ')
    environment = ansible_env(dict(sim.env(), **(env or {})), tmp=str(tmp))
    run = run_playbook(text, environment, inventory=inventory, extra_vars=extra_vars, args=args)
    assert_absent(secrets_of(sim), {'the output': run.output, 'the task results': json.dumps(run.results)})
    return run


def inventory(sources, env, args=('--list',)):
    """ansible-inventory over one or more sources; stdout is left as text (it is not JSON at -vvvv)."""
    command = [os.path.join(BIN, 'ansible-inventory')]
    for source in sources:
        command += ['-i', str(source)]
    proc = subprocess.run(command + list(args), env=env, capture_output=True, text=True, timeout=300, cwd=ROOT,
                          check=False)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def fresh(simulator):
    """A module's shared simulator with no faults, default config, zeroed stats and no tokens issued yet."""
    simulator.reset(tokens=True)
    return simulator


def tenants_by_name(sim):
    return {tenant['name']: tenant for tenant in sim.truth()['tenants']}


def result(run, name, status='ok'):
    """The result of the single task ``name``, which must have ended with ``status``."""
    entry = run.one(name)
    assert entry['status'] == status, 'task %r: expected %s, got %s: %s' % (
        name, status, entry['status'], json.dumps(entry['result'])[:3000])
    return entry['result']


def failure(run, name, *fragments):
    """A failed task's message, checked for every fragment and for the absence of a traceback."""
    message = result(run, name, 'failed')['msg']
    for fragment in fragments:
        assert fragment in message, 'task %r: %r not in %r' % (name, fragment, message)
    assert 'Traceback' not in message and 'module_stderr' not in result(run, name, 'failed'), message
    return message


def warnings(run, name):
    return result(run, name).get('warnings') or []


def ids(items, key):
    values = [item[key] for item in items]
    assert len(values) == len(set(values)), 'duplicate %s in %r' % (key, values)
    return values


# ---- the simulator's request log ------------------------------------------------------------------------------

def requests_to(sim, pattern, log=None):
    """Log entries (t, method, path, query, status, scope, fault) whose path matches the regex."""
    log = sim.stats()['requests_log'] if log is None else log
    return [entry for entry in log if re.search(pattern, entry['path'])]


def retries_of(entries):
    """(refused entry, the next attempt of the same request) pairs: same method, path, query and, for API calls,
    scope. An injected fault has no scope (it is answered before the token is read), so it pairs by query only."""
    pairs = []
    for index, entry in enumerate(entries):
        if entry['status'] < 429 and entry['status'] != 0:
            continue
        for later in entries[index + 1:]:
            if (later['method'], later['path'], later['query']) == (entry['method'], entry['path'], entry['query']) \
                    and (entry['scope'] is None or later['scope'] in (None, entry['scope'])):
                pairs.append((entry, later))
                break
    return pairs


def attempts(entries, by_scope=False):
    """How many times each distinct request (method, path, query and, with ``by_scope``, token scope) was sent."""
    counts = {}
    for entry in entries:
        key = (entry['method'], entry['path'], entry['query'], entry['scope'] if by_scope else None)
        counts[key] = counts.get(key, 0) + 1
    return counts


# ---- secrets ---------------------------------------------------------------------------------------------------

def secrets_of(sim, *extra):
    """The client secret, every token the simulator issued and any extra value that must never be shown."""
    values = [sim.info['client_secret'], *extra] + sim.stats(log=False)['issued_tokens']
    return [value for value in values if value]


def classic_secrets(sim):
    """The Classic gateway's client secret, the user's password and every token and code it issued."""
    info = sim.info['classic']
    return [info['client_secret'], info['password']] + sim.classic('GET', 'stats?log=0')['issued_tokens']


def assert_absent(secrets, texts):
    """No secret in any of ``texts`` ({label: text}); the assertion names where, never the secret."""
    for label, text in texts.items():
        for secret in secrets:
            assert secret not in text, 'a secret or token leaked into %s' % label


class Listener:
    """A loopback listener that records every connection made to it: somewhere tokens must never go.

    with Listener() as trap: ... trap.url ... assert trap.seen == []"""

    def __init__(self):
        self.seen = []
        self._socket = socket.create_server(('127.0.0.1', 0))
        self._socket.settimeout(0.2)
        self.port = self._socket.getsockname()[1]
        self.url = 'http://127.0.0.1:%d' % self.port
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(5)
        self._socket.close()

    def _serve(self):
        while not self._stop.is_set():
            try:
                connection, _address = self._socket.accept()
            except socket.timeout:
                continue
            with connection:
                connection.settimeout(2)
                try:
                    first = connection.recv(65536)
                except OSError:
                    first = b''
                # Recorded before answering, so a client that has its answer can count on it being seen.
                self.seen.append(first.split(b'\r\n', 1)[0].decode('latin-1'))
                try:
                    connection.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}')
                except OSError:
                    pass
