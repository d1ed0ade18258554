"""Run real ansible-playbook / ansible-inventory against the simulator and read what happened."""

from __future__ import annotations

import base64
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

from tests.measured import Usage, run_measured

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)
CALLBACKS = os.path.join(ROOT, 'tests', 'integration', 'callback_plugins')


def ansible_env(extra=None, tmp=None):
    """A clean environment for ansible commands: this collection, this Python, no user config."""
    tmp = tmp or tempfile.mkdtemp(prefix='central-msp-')
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(('ANSIBLE_', 'GLP_', 'CENTRAL_'))}
    env.update({
        'PATH': BIN + os.pathsep + env.get('PATH', ''),
        'ANSIBLE_COLLECTIONS_PATH': os.path.join(ROOT, 'build', 'dev'),
        'ANSIBLE_CALLBACK_PLUGINS': CALLBACKS,
        'ANSIBLE_CALLBACKS_ENABLED': 'json_results',
        'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
        'ANSIBLE_LOCALHOST_WARNING': 'false',
        'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'false',
        'ANSIBLE_HOME': os.path.join(tmp, 'ansible-home'),
        'ANSIBLE_LOCAL_TEMP': os.path.join(tmp, 'ansible-tmp'),
        'ANSIBLE_NOCOLOR': '1',
        'ANSIBLE_FORCE_COLOR': '0',
        'ANSIBLE_RETRY_FILES_ENABLED': 'false',
        # The simulator is on loopback: never through a proxy the machine may have configured.
        'NO_PROXY': '127.0.0.1,localhost,::1',
        'CENTRAL_TOKEN_CACHE_DIR': os.path.join(tmp, 'token-cache'),
        'CENTRAL_MSP_TEST_RESULTS': os.path.join(tmp, 'results.jsonl'),
    })
    env.update(extra or {})
    return env


@dataclass
class Run:
    rc: int
    stdout: str
    stderr: str
    results: list = field(default_factory=list)
    usage: Usage | None = None  # run_playbook(measure=True): wall, CPU and peak RSS of the playbook's processes

    def task(self, name):
        """Every result of the task with this name (one per host)."""
        return [entry for entry in self.results if entry['task'] == name]

    def one(self, name, host=None):
        """The single result of a task (on ``host`` when given)."""
        matches = [entry for entry in self.task(name) if host is None or entry['host'] == host]
        assert len(matches) == 1, 'expected one result for %r, got %d; rc=%s stderr=%s stdout=%s' % (
            name, len(matches), self.rc, self.stderr[-2000:], self.stdout[-3000:])
        return matches[0]

    @property
    def output(self):
        return self.stdout + self.stderr


def run_playbook(playbook, env, inventory='localhost,', extra_vars=None, args=(), timeout=900, measure=False):
    """Run a playbook (a path, or YAML text written to a temporary file) and collect every task result;
    ``measure``: its Usage too (tests/measured.py)."""
    workdir = tempfile.mkdtemp(prefix='central-msp-play-')
    if '\n' in playbook:
        path = os.path.join(workdir, 'playbook.yml')
        with open(path, 'w', encoding='utf-8') as handle:
            handle.write(playbook)
    else:
        path = playbook
    results_file = env.get('CENTRAL_MSP_TEST_RESULTS') or os.path.join(workdir, 'results.jsonl')
    env = dict(env, CENTRAL_MSP_TEST_RESULTS=results_file)
    if os.path.exists(results_file):
        os.unlink(results_file)
    command = [os.path.join(BIN, 'ansible-playbook'), '-i', inventory, path]
    if extra_vars:
        command += ['-e', json.dumps(extra_vars)]
    command += list(args)
    usage = None
    if measure:
        proc, usage = run_measured(command, env=env, cwd=ROOT, timeout=timeout)
    else:
        proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False)
    results = []
    if os.path.exists(results_file):
        with open(results_file, encoding='utf-8') as handle:
            results = [json.loads(line) for line in handle if line.strip()]
    return Run(proc.returncode, proc.stdout, proc.stderr, results, usage)


def run_inventory(inventory, env, args=('--list',), timeout=300):
    """Run ansible-inventory; for --list the parsed JSON is in ``results``."""
    command = [os.path.join(BIN, 'ansible-inventory'), '-i', inventory] + list(args)
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False)
    parsed = []
    if proc.returncode == 0 and '--list' in args:
        parsed = json.loads(proc.stdout)
    return Run(proc.returncode, proc.stdout, proc.stderr, parsed)


def index_islands(page):
    """The compressed data of the overview's index page (its tenant rows and search data), decoded: what a reader of
    the page sees, which a plain-text check of the file would miss."""
    found = {}
    for name in ('tenant-rows', 'search-data'):
        match = re.search(r'<script type="application/json" id="%s">(.*?)</script>' % name, page)
        assert match, 'the index page has no %s' % name
        found[name] = gzip.decompress(base64.b64decode(json.loads(match.group(1)))).decode('utf-8')
    return found
