"""Leak scan: every module, the inventory plugin and the MSP overview at -vvvv, through renewals, revocation,
refused calls and failed exchanges. Nothing they print, return, log or write holds the client secret or any token
the simulator issued; tokens live only in the token cache, in 0600 files of a 0700 directory."""

from __future__ import annotations

import json
import os
import stat

from tests.helpers import ROOT, ansible_env, run_playbook
from tests.integration.fault_checks import assert_absent, fresh, inventory, play, secrets_of, tenants_by_name, write

PLAYBOOK = os.path.join(ROOT, 'playbooks', 'msp_overview.yml')
SOURCE = os.path.join(ROOT, 'playbooks', 'inventory', 'simulator.central_msp.yml')
VERBOSE = '-vvvv'
WRONG_SECRET = 'wrong-secret-3b7e1c'

MODULES = '''
- name: tenants, secret given as an option
  central.msp.msp_tenant_info: {client_secret: "{{ lookup('ansible.builtin.env', 'GLP_CLIENT_SECRET') }}"}
- name: tenants, credential from a token file
  central.msp.msp_tenant_info: {client_id: "", client_secret: "", workspace_id: "", token_file: "{{ token_file }}"}
- name: devices of every tenant
  central.msp.tenant_device_info: {all_tenants: true, allow_partial: true}
- name: sites
  central.msp.tenant_site_info: {tenants: [Acme Retail Group, Northwind Logistics]}
- name: clients
  central.msp.tenant_client_info: {tenant: Acme Retail Group, limit: 50}
- name: alerts
  central.msp.tenant_alert_info: {tenant_workspace_id: "{{ bistro }}"}
- name: any path, MSP scope
  central.msp.tenant_api_call: {path: network-msp/v1/list-tenants, params: {next: 1, limit: 100}, paginate: true}
- name: a write
  central.msp.tenant_api_call:
    {tenant: Acme Retail Group, method: POST, path: network-notifications/v1/alerts/acknowledge, body: {ids: [a]}}
- name: a tenant, Central provisioned
  central.msp.msp_tenant: {name: Leak Check Ltd, email: it@leak-check.example, central_region: us-west}
- name: a device in the MSP inventory
  central.msp.msp_device_inventory: {devices: [{serial_number: CNLEAK0001, mac_address: "20:4c:14:00:00:01"}]}
- name: the device in the tenant
  central.msp.msp_tenant_devices: {tenant: Leak Check Ltd, serial_numbers: [CNLEAK0001], region: us-west}
- name: the tenant deleted, its device back in the pool first
  central.msp.msp_tenant: {name: Leak Check Ltd, state: absent, release_devices: true}
- name: every token revoked
  ansible.builtin.uri: {url: "{{ admin }}/faults", method: POST, body_format: json, body: {action: revoke_all_tokens}}
- name: devices after the revocation
  central.msp.tenant_device_info: {tenant: Acme Retail Group}
- name: refused even after renewal
  central.msp.tenant_api_call: {app: glp, path: audit-log/v2beta1/logs, tenant: Acme Retail Group}
- name: exchange refused
  central.msp.tenant_site_info: {tenant: Zürich Kliniken}
- name: wrong secret
  central.msp.msp_tenant_info: {client_secret: "{{ lookup('ansible.builtin.env', 'WRONG_SECRET') }}"}
'''


def files_under(top, skip):
    """{path: text} of every file below ``top``, except under ``skip``."""
    found = {}
    for folder, subfolders, names in os.walk(top):
        subfolders[:] = [name for name in subfolders if os.path.join(folder, name) != skip]
        for name in names:
            path = os.path.join(folder, name)
            with open(path, encoding='utf-8', errors='replace') as handle:
                found[path] = handle.read()
    return found


def test_nothing_leaks_at_the_highest_verbosity(simulator, tmp_path):
    sim = fresh(simulator)
    truth = tenants_by_name(sim)
    sim.fault(action='config', token_ttl=3, async_poll_seconds=0)  # renewals on the way: more tokens that must not show
    sim.fault(action='fail_exchange', tenant=truth['Zürich Kliniken']['id'], count=-1)
    sim.fault(path='alerts/acknowledge$', method='POST', status=202, count=-1)
    sim.fault(path='audit-log/v2beta1/logs$', status=401, count=-1)
    work = tmp_path / 'run'  # everything the runs write goes below here
    log = str(work / 'ansible.log')
    env = ansible_env(dict(sim.env(), ANSIBLE_LOG_PATH=log), tmp=str(work))
    credentials = tmp_path / 'credentials'
    credentials.mkdir()
    token_file = write(credentials / 'token.yaml', 'unified:\n  client_id: %s\n  client_secret: %s\n  workspace_id: %s\n'
                       % (sim.info['client_id'], sim.info['client_secret'], sim.info['workspace_id']), 0o600)

    listed = inventory([SOURCE], env, ('--list', VERBOSE, '--output', str(work / 'inventory.json')))
    assert listed.rc == 0, listed.output[-3000:]
    overview = run_playbook(PLAYBOOK, env, inventory=SOURCE, args=(VERBOSE, '-f', '10'),
                            extra_vars={'msp_overview_output_dir': str(work / 'reports')})
    assert overview.rc == 0, overview.output[-3000:]
    with open(work / 'reports' / 'msp_overview.json', encoding='utf-8') as handle:
        report = json.load(handle)
    assert [tenant['name'] for tenant in report['tenants'] if tenant['status'] == 'failed'] == ['Zürich Kliniken']
    # Secrets come from the environment: -vvvv prints extra vars, as it should. Each task runs in the controller
    # (the action plugin), then again as a module process.
    module_runs = {}
    for execution in ('controller', 'module'):
        modules = play(sim, MODULES, work, env={'ANSIBLE_LOG_PATH': log, 'WRONG_SECRET': WRONG_SECRET},
                       args=(VERBOSE,), extra_vars={'token_file': token_file, 'bistro': truth["Bistro d'Or"]['id'],
                                                    'admin': sim.info['admin_url'], 'central_msp_execution': execution})
        assert modules.rc == 0, modules.output[-3000:]
        statuses = {entry['task']: entry['status'] for entry in modules.results}
        assert [task for task, status in statuses.items() if status == 'failed'] == [
            'refused even after renewal', 'exchange refused', 'wrong secret'], statuses
        module_runs[execution] = modules
    assert 'AnsiballZ_tenant_device_info' not in module_runs['controller'].output
    assert 'AnsiballZ_tenant_device_info' in module_runs['module'].output
    assert sim.stats(log=False)['by_status'].get('401', 0) > 1  # the revocation and the refusals happened

    secrets = secrets_of(sim, WRONG_SECRET)
    assert len(secrets) > 8  # the secret, the wrong one and every token: the MSP's, exchanges, renewals
    runs = {'ansible-inventory': listed, 'the overview': overview, 'the play in the controller': module_runs['controller'],
            'the play as modules': module_runs['module']}
    texts = {'%s %s' % (label, part): getattr(run, part) for label, run in runs.items() for part in ('stdout', 'stderr')}
    texts.update({'%s results' % label: json.dumps(run.results) for label, run in runs.items()})
    cache = env['CENTRAL_TOKEN_CACHE_DIR']
    written = files_under(str(work), skip=cache)
    assert {log, str(work / 'inventory.json')} | {str(work / 'reports' / name) for name in (
        'msp_overview.json', 'msp_overview.csv', 'msp_overview.html')} <= set(written)
    texts.update(written)
    assert_absent(secrets, texts)
    for label, text in texts.items():
        assert 'Traceback' not in text, label

    # The one place tokens are kept: the cache, private to this user.
    assert stat.S_IMODE(os.stat(cache).st_mode) == 0o700
    cached = files_under(cache, skip=None)
    assert cached
    for path, text in cached.items():
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
        assert sim.info['client_secret'] not in text
        if path.endswith('.json'):
            assert json.loads(text)['access_token'] in secrets
