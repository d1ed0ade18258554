"""playbooks/verify_contract.yml, the live-contract probe, run by real ansible-playbook against the simulator: it
passes on the simulator as it is, fails naming the endpoint and the field when one value is wrong, reports an
endpoint that fails while probing the others, and leaks no name, id, serial, MAC, token or secret, however
hostile the tenants are."""

from __future__ import annotations

import json
import os
import stat

import pytest

from tests.helpers import ROOT, ansible_env, run_playbook
from tests.integration.module_checks import assert_nothing_leaked

from ansible_collections.central.msp.plugins.module_utils import contract

PLAYBOOK = os.path.join(ROOT, 'playbooks', 'verify_contract.yml')
PROBE_TASK = 'Probe every endpoint against the contract'
# Each tenant-level endpoint, and the GLP ones that answer both tokens twice.
PAGES = sum(2 if endpoint.scope == 'any' else 1 for endpoint in contract.ENDPOINTS.values())


def verify(sim, tmp_path, *args, env=None, **extra_vars):
    output = str(tmp_path / 'reports' / 'contract_probe.json')
    run = run_playbook(PLAYBOOK, ansible_env(dict(sim.env(), CENTRAL_MAX_RETRIES='0', **(env or {})),
                                             tmp=str(tmp_path)),
                       extra_vars=dict({'verify_contract_output': output}, **extra_vars), args=args)
    assert_nothing_leaked(run, sim)
    report = None
    if os.path.exists(output):
        with open(output, encoding='utf-8') as handle:
            report = json.load(handle)
    return run, run.one(PROBE_TASK), report, output


@pytest.fixture
def sim(simulator):
    simulator.reset(tokens=True, dataset=True)
    yield simulator
    simulator.reset(dataset=True)


def test_the_simulator_matches_the_contract(sim, tmp_path):
    run, task, report, output = verify(sim, tmp_path)
    assert run.rc == 0 and task['status'] == 'ok', run.output[-3000:]
    assert stat.S_IMODE(os.stat(output).st_mode) == 0o600
    probed = [entry for entry in report['endpoints'] if entry['app'] != 'classic']
    assert sorted({entry['endpoint'] for entry in probed}) == sorted(contract.ENDPOINTS) and len(probed) == PAGES
    assert report['summary'] == dict(task['result']['summary'], ok=PAGES, mismatch=0, failed=0, mismatches=0)
    assert {entry['status'] for entry in probed} == {200} and report['mismatches'] == []
    assert 'The live API matches the contract: %d endpoint pages checked' % PAGES in run.stdout
    assert 'Report: %s' % output in run.stdout

    # Check mode: the same probe, nothing written.
    os.unlink(output)
    run, task, report, _output = verify(sim, tmp_path, '--check')
    assert run.rc == 0 and task['result']['written'] is False and report is None
    assert task['result']['summary']['ok'] == PAGES and 'No report written (check mode)' in run.stdout


def test_one_wrong_enum_value_fails_naming_endpoint_and_field(sim, tmp_path):
    sim.fault(action='item_value', endpoint='devices', field='status', value='BROKEN', index=3)
    run, task, report, output = verify(sim, tmp_path)
    expected = "GET /network-monitoring/v1/devices: items[3].status: 'BROKEN' is not one of ONLINE, OFFLINE"
    assert run.rc != 0 and task['status'] == 'failed'
    result = task['result']
    assert expected in result['msg'] and 'Report: %s' % output in result['msg']
    assert result['mismatches'] == [expected] and report['mismatches'] == [expected]
    devices = next(entry for entry in report['endpoints'] if entry['endpoint'] == 'devices')
    assert devices['result'] == 'mismatch' and devices['fields']['items[].status']['enum_seen']['BROKEN'] == 1
    assert report['summary']['ok'] == PAGES - 1


def test_an_endpoint_answering_500_is_reported_and_the_others_are_probed(sim, tmp_path):
    sim.fault(path='sites-health$', status=500, count=-1)
    run, task, report, _output = verify(sim, tmp_path)
    assert run.rc != 0 and task['status'] == 'failed'
    assert 'GET /network-monitoring/v1/sites-health: the API answered with an error: HTTP 500 ' \
        'HPE_GL_ERROR_INTERNAL_SERVER_ERROR' in task['result']['msg']
    by_name = {(entry['endpoint'], entry['scope']): entry for entry in report['endpoints']}
    assert by_name[('sites', 'tenant')]['result'] == 'failed' and by_name[('sites', 'tenant')]['status'] == 500
    others = [entry for key, entry in by_name.items() if key != ('sites', 'tenant') and entry['app'] != 'classic']
    assert len(others) == PAGES - 1 and {entry['result'] for entry in others} == {'ok'}
    # The endpoints after it in the plan were read too.
    paths = [entry['path'] for entry in sim.stats()['requests_log']]
    assert '/network-notifications/v1/alerts' in paths and '/audit-log/v2beta1/logs' in paths


def test_hostile_tenants_and_values_never_reach_the_report_or_the_output(simulator_factory, tmp_path):
    """The tenant probed is named with the client secret; another's name is markup and quotes; a device's status is
    served as the secret. Neither they, nor any tenant's name or id, nor the probed tenant's devices, sites or
    clients, nor any token, appear in the report, the task's result or the -vvv output."""
    sim = simulator_factory('--dataset', 'demo')
    secret = sim.info['client_secret']
    hostile = sim.fault(action='add_tenant', name=secret, devices=6)
    sim.fault(action='add_tenant', name='Evil\'" <script>alert(1)</script> Corp', devices=3)
    sim.fault(action='item_value', endpoint='devices', field='status', value=secret, index=0)
    run, task, report, output = verify(sim, tmp_path, '-vvv', verify_contract_tenant=secret)
    assert run.rc != 0 and task['status'] == 'failed' and report is not None
    assert task['result']['tenant']['chosen_by'] == 'tenant'
    assert task['result']['mismatches'] == [
        'GET /network-monitoring/v1/devices: items[0].status: a string of %d characters is not one of ONLINE, '
        'OFFLINE' % len(secret)]

    private = {secret, sim.info['client_id'], sim.info['workspace_id']} | set(sim.stats(log=False)['issued_tokens'])
    for tenant in sim.truth()['tenants']:
        private |= {tenant['name'], tenant['id'], tenant['hex'], tenant['central_id'] or ''}
    for kind, keys in (('devices', ('serialNumber', 'macAddress', 'deviceName', 'id', 'siteId', 'siteName')),
                       ('clients', ('macAddress', 'clientName', 'id', 'ipv4')), ('sites-health', ('id', 'siteName')),
                       ('alerts', ('id', 'summary')), ('glp-devices', ('id', 'serialNumber'))):
        for item in sim.truth(hostile['id'], kind):
            private |= {str(item.get(key)) for key in keys if item.get(key)}
    private = {value for value in private if len(value) >= 6}
    with open(output, encoding='utf-8') as handle:
        report_text = handle.read()
    for value in private:
        assert value not in report_text and json.dumps(value)[1:-1] not in report_text, \
            'a private value leaked into the report'
    # The output and the results: the same, except the connection's own ids, which -vvv shows in every task's
    # invocation (client_id and workspace_id come from the environment) as for every module.
    shown = private - {sim.info['client_id'], sim.info['workspace_id']}
    everything = run.output + json.dumps(run.results)
    for value in shown:
        assert value not in everything, 'a private value leaked into the playbook output or results'


def test_make_probe_runner(tmp_path):
    """What `make probe` runs: simulator up (TLS, rate limits on, so the headers are checked), the playbook, a line
    per endpoint, where the report is; and it needs only what `make demo` installs."""
    import subprocess
    import sys

    from tests.integration.test_overview import BLOCK_TOOLCHAIN, TEST_TOOLCHAIN

    output = tmp_path / 'probe.json'
    env = {k: v for k, v in os.environ.items() if not k.startswith(('GLP_', 'CENTRAL_', 'ANSIBLE_'))}
    runner = os.path.join(ROOT, 'tests', 'demo', 'run_probe.py')
    proc = subprocess.run([sys.executable, runner, '--output', str(output)], capture_output=True, text=True,
                          timeout=300, env=env, cwd=ROOT, check=False)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    report = json.loads(output.read_text())
    assert report['summary']['ok'] == PAGES and 'Report (redacted, mode 0600): %s' % output in proc.stdout
    central = [entry for entry in report['endpoints'] if entry['app'] == 'central']
    assert {value for entry in central for value in entry['rate_limit_headers'].values()} == {'sent'}
    for entry in report['endpoints']:
        assert any(line.strip().startswith(entry['label'] + '  ') for line in proc.stdout.splitlines()), entry['label']
    plan = subprocess.run(['make', '--no-print-directory', '-n', 'probe', 'VENV=' + str(tmp_path / 'venv')],
                          cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert [line for line in plan.splitlines() if 'pip install' in line] == [
        '%s/bin/pip install --quiet -r requirements-demo.txt' % (tmp_path / 'venv')]
    blocked = subprocess.run([sys.executable, '-c', BLOCK_TOOLCHAIN.replace('run_demo.py', 'run_probe.py')
                              % (TEST_TOOLCHAIN, runner)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert blocked.returncode == 0 and 'usage: run_probe.py' in blocked.stdout, blocked.stderr[-3000:]
