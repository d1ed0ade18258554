"""What the module integration tests share: a play around tasks, the simulator's tenants, result checks."""

from __future__ import annotations

import json
import textwrap

from tests.helpers import ansible_env, run_playbook

PLAY = '''---
- name: central.msp module checks
  hosts: localhost
  connection: local
  gather_facts: false
  ignore_errors: {ignore_errors}
  tasks:
'''


def run_tasks(sim, tasks, env=None, extra_vars=None, ignore_errors=False):
    """Run these tasks (YAML, a list at column 0) in one playbook against ``sim``; a fresh token cache each run.

    ``ignore_errors``: every task runs, so one playbook can check many failures."""
    playbook = PLAY.format(ignore_errors=str(ignore_errors).lower()) + textwrap.indent(textwrap.dedent(tasks), '    ')
    run = run_playbook(playbook, ansible_env(dict(sim.env(), **(env or {}))), extra_vars=extra_vars)
    assert_nothing_leaked(run, sim)
    return run


def tenants(sim):
    """The simulator's tenants by name: its ground truth (id, hex, glp record, central summary, counts)."""
    return {tenant['name']: tenant for tenant in sim.truth()['tenants']}


def ok(run, name):
    entry = run.one(name)
    assert entry['status'] == 'ok', 'task %r: %s' % (name, json.dumps(entry['result'])[:3000])
    return entry['result']


def failed(run, name, *fragments):
    """The result of a task that must fail with a message containing every fragment (and no traceback)."""
    entry = run.one(name)
    result = entry['result']
    assert entry['status'] == 'failed', 'task %r should fail: %s' % (name, json.dumps(result)[:3000])
    for fragment in fragments:
        assert fragment in result['msg'], 'task %r: %r not in %r' % (name, fragment, result['msg'])
    assert 'module_stderr' not in result and 'Traceback' not in result['msg'], result
    return result


def assert_nothing_leaked(run, sim):
    """No client secret and no token the simulator ever issued appears in the output or any task result."""
    secrets = [sim.info['client_secret']] + sim.stats(log=False)['issued_tokens']
    everything = run.output + json.dumps(run.results)
    for secret in secrets:
        assert secret not in everything, 'a secret or token leaked into the playbook output or results'
