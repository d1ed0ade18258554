"""The two ways a central.msp task runs give the same results.

Every module runs the same tasks twice against the simulator: in the controller (the action plugin, the
default) and as a module process (``central_msp_execution: module``). Successes, check mode, warnings, partial
failures with their data, validation errors, env fallbacks from the task's ``environment:``, module_defaults
through the ``msp`` action group and no_log masking in the invocation must come out the same. -vvv tells which
path ran: only a module run transfers an AnsiballZ file. The fallback cases (async, become, a connection that
is not local) run the module."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys

import pytest

from tests.helpers import ROOT, ansible_env, run_playbook
from tests.integration.fault_checks import assert_absent, classic_secrets
from tests.integration.module_checks import assert_nothing_leaked

# The modules on the TaskSpec path: all but the overview writer (its action is the work); the GreenLake/New
# Central ones and the Classic ones run in plays of their own (their own connections).
ON_TASK_PATH = sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, 'plugins', 'modules'))
                      if name.endswith('.py') and name != 'msp_overview_report.py')
MODULES = [name for name in ON_TASK_PATH if not name.startswith('classic_')]
CLASSIC_MODULES = [name for name in ON_TASK_PATH if name.startswith('classic_')]
CONNECTION_PLUGINS = os.path.join(ROOT, 'tests', 'integration', 'connection_plugins')

PLAY = '''---
- name: central.msp parity
  hosts: localhost
  connection: local
  gather_facts: false
  ignore_errors: true
  tasks:
'''

# name -> task body (YAML, indented under the task). Every module appears; the comments say what is compared.
TASKS = [
    ('tenants', '''
      central.msp.msp_tenant_info:
      register: listing'''),
    ('tenants by glob, GLP only', '''
      central.msp.msp_tenant_info: {name: "*o*", with_central: false}'''),
    # The secret given as an option: masked in the invocation on both paths.
    ('tenants, secret as an option', '''
      central.msp.msp_tenant_info: {client_secret: "{{ lookup('ansible.builtin.env', 'GLP_CLIENT_SECRET') }}"}'''),
    ('devices of one tenant', '''
      central.msp.tenant_device_info: {tenant: Acme Retail Group}'''),
    ('devices in check mode', '''
      central.msp.tenant_device_info: {tenant: Acme Retail Group, source: monitoring, device_type: [AP]}
      check_mode: true'''),
    # A misspelt field: a warning; the GLP-only tenant: not provisioned.
    ('devices of every tenant, partial, fields', '''
      central.msp.tenant_device_info: {all_tenants: true, allow_partial: true, fields: [serialNumber, serialnumber]}'''),
    ('devices of every tenant, not partial', '''
      central.msp.tenant_device_info: {all_tenants: true, fields: [serialNumber]}'''),
    ('sites of two tenants', '''
      central.msp.tenant_site_info: {tenants: [Acme Retail Group, Northwind Logistics], limit: 2}'''),
    ('clients', '''
      central.msp.tenant_client_info: {tenant: Acme Retail Group, limit: 50, fields: [macAddress, status]}'''),
    ('alerts', '''
      central.msp.tenant_alert_info: {tenant: "Bistro d'Or", severity: [CRITICAL, MAJOR]}'''),
    ('api call, every page', '''
      central.msp.tenant_api_call: {path: network-msp/v1/list-tenants, params: {next: 1, limit: 2}, paginate: true}'''),
    ('api call, a write in check mode, Authorization ignored', '''
      central.msp.tenant_api_call:
        tenant: Acme Retail Group
        method: POST
        path: network-notifications/v1/alerts/acknowledge
        body: {ids: [a-1]}
        headers: {Authorization: Bearer mine}
      check_mode: true'''),
    # Failed with the API's response in the result.
    ('api call refused', '''
      central.msp.tenant_api_call: {app: glp, path: devices/v1/devices, tenant: Acme Retail Group,
                                    status_code: [201]}'''),
    # Records of the listing above: the GLP-only tenant is not read; with report, the action makes the report.
    ('overview records', '''
      central.msp.tenant_overview_info: {tenant_records: "{{ listing.tenants }}", kinds: [sites, alerts]}'''),
    ('overview report', '''
      central.msp.tenant_overview_info:
        tenant_records: "{{ listing.tenants[:3] }}"
        device_source: monitoring
        report: true
        concurrency: 2'''),
    # With output_dir the action writes the files too; in check mode nothing is written, the summary says so.
    ('overview written, check mode', '''
      central.msp.tenant_overview_info:
        tenant_records: "{{ listing.tenants[:3] }}"
        output_dir: /nonexistent/central-msp-parity
        details: false
      check_mode: true'''),
    ('overview written into a file', '''
      central.msp.tenant_overview_info:
        tenant_records: "{{ listing.tenants[:1] }}"
        output_dir: /dev/null'''),
    ('overview of a record without a workspace id', '''
      central.msp.tenant_overview_info: {tenant_records: [{name: nobody}]}'''),
    # The writes in check mode: what would change, with the diff; a device not in the inventory fails with data.
    ('tenant created in check mode', '''
      central.msp.msp_tenant: {name: Parity Newco, central_region: us-west}
      check_mode: true
      diff: true'''),
    ('inventory devices in check mode', '''
      central.msp.msp_device_inventory: {devices: [{serial_number: PAR0000001, mac_address: "20:4c:03:00:00:01"}]}
      check_mode: true'''),
    ('tenant devices not in the inventory', '''
      central.msp.msp_tenant_devices: {tenant: Acme Retail Group, serial_numbers: [PAR0000001], region: us-west}
      check_mode: true'''),
    # The contract probe: every endpoint, shapes only; in check mode no report is written.
    ('contract probe in check mode', '''
      central.msp.msp_contract_probe: {limit: 5, output: /nonexistent/central-msp-parity/probe.json}
      check_mode: true'''),
    ('contract probe of an unknown tenant', '''
      central.msp.msp_contract_probe: {tenant: Nobody At All, limit: 5}'''),
    ('unsupported option', '''
      central.msp.tenant_site_info: {tenant: Acme Retail Group, colour: blue}'''),
    ('mutually exclusive', '''
      central.msp.tenant_alert_info: {tenant: Acme Retail Group, all_tenants: true}'''),
    ('wrong type', '''
      central.msp.tenant_client_info: {tenant: Acme Retail Group, limit: many}'''),
    ('no tenant chosen', '''
      central.msp.tenant_device_info: {}'''),
    ('missing required option', '''
      central.msp.tenant_api_call: {app: glp}'''),
    # The task's environment wins over the process's, and an empty variable counts as unset.
    ('secret from the task environment', '''
      central.msp.msp_tenant_info:
      environment: {GLP_CLIENT_SECRET: not-the-secret}'''),
    ('client id emptied by the task environment', '''
      central.msp.msp_tenant_info:
      environment: {GLP_CLIENT_ID: ""}'''),
]

MODULE_DEFAULTS = '''
    - name: module_defaults for the msp group
      module_defaults:
        group/central.msp.msp:
          base_url: "{{ central_base_url }}"
        central.msp.msp_tenant_info:
          with_central: false
      environment:
        CENTRAL_BASE_URL: ""
      block:
        - name: defaults, devices
          central.msp.tenant_device_info: {tenant: Acme Retail Group, fields: [serialNumber]}
        - name: defaults, tenants without Central
          central.msp.msp_tenant_info:
        - name: defaults, an explicit option wins
          central.msp.tenant_api_call: {path: network-msp/v1/list-tenants, params: {next: 1}, base_url: "http://127.0.0.1:9/x"}
    - name: module_defaults with a wrong cluster
      module_defaults:
        group/central.msp.msp: {cluster_name: Atlantis}
      environment: {CENTRAL_BASE_URL: ""}
      central.msp.tenant_site_info: {tenant: Acme Retail Group}
'''


# The Classic Central modules, with the Classic simulator's gateway. Reads of several customers go one at a time
# (concurrency 1), so that the one failed read of the fault below is the same customer's on both paths.
CLASSIC_TASKS = [
    ('classic customers', '''
      central.msp.classic_customer_info:'''),
    ('classic customer by name', '''
      central.msp.classic_customer_info: {name: Acme Retail}'''),
    ('classic, secret as an option', '''
      central.msp.classic_customer_info:
        name: Bistro Group
        client_secret: "{{ lookup('ansible.builtin.env', 'CLASSIC_CENTRAL_CLIENT_SECRET') }}"'''),
    ('classic sites of one customer', '''
      central.msp.classic_site_info: {customer: Acme Retail}'''),
    ('classic devices in check mode', '''
      central.msp.classic_device_info: {customer: Acme Retail, device_type: [ap], status: Up}
      check_mode: true'''),
    # The first switch read and the first client read fail (the faults set before the play): the first customer's,
    # with the other's data.
    ('classic devices of two customers, partial', '''
      central.msp.classic_device_info: {customers: [Acme Retail, Bistro Group], concurrency: 1, allow_partial: true}'''),
    ('classic clients of two customers, not partial', '''
      central.msp.classic_client_info: {customers: [Acme Retail, Bistro Group], concurrency: 1}'''),
    ('classic clients', '''
      central.msp.classic_client_info: {customer: Bistro Group, client_type: [WIRELESS]}'''),
    ('classic alerts of every customer', '''
      central.msp.classic_alert_info: {all_customers: true, severity: Critical, concurrency: 1}'''),
    ('classic api call, TenantID ignored', '''
      central.msp.classic_api_call: {path: monitoring/v2/aps, customer: Acme Retail, headers: {TenantID: x}}'''),
    ('classic api call, every page', '''
      central.msp.classic_api_call: {path: central/v2/sites, customer: Acme Retail, params: {limit: 2}, paginate: true}'''),
    ('classic api call, a write in check mode', '''
      central.msp.classic_api_call: {method: POST, path: central/v2/sites, customer: Acme Retail, body: {site_name: x}}
      check_mode: true'''),
    # Failed with the API's response in the result.
    ('classic api call refused', '''
      central.msp.classic_api_call: {path: monitoring/v1/nothing-here}'''),
    ('classic keep-alive in check mode', '''
      central.msp.classic_token_refresh: {older_than_hours: 0}
      check_mode: true'''),
    ('classic keep-alive', '''
      central.msp.classic_token_refresh: {older_than_hours: 0}'''),
    ('classic keep-alive, refreshed recently', '''
      central.msp.classic_token_refresh: {older_than_hours: 24}'''),
    ('classic unsupported option', '''
      central.msp.classic_site_info: {customer: Acme Retail, colour: blue}'''),
    ('classic mutually exclusive', '''
      central.msp.classic_alert_info: {customer: Acme Retail, all_customers: true}'''),
    ('classic wrong type', '''
      central.msp.classic_client_info: {customer: Acme Retail, limit: many}'''),
    ('classic no customer chosen', '''
      central.msp.classic_device_info: {}'''),
    ('classic missing required option', '''
      central.msp.classic_api_call: {customer: Acme Retail}'''),
    ('classic, msp customer id emptied by the task environment', '''
      central.msp.classic_customer_info:
      environment: {CLASSIC_CENTRAL_CUSTOMER_ID: ""}'''),
    ('classic, region from the task environment', '''
      central.msp.classic_customer_info:
      environment: {CLASSIC_CENTRAL_BASE_URL: "", CLASSIC_CENTRAL_REGION: Atlantis}'''),
]

CLASSIC_MODULE_DEFAULTS = '''
    - name: classic module_defaults for the msp group
      module_defaults:
        group/central.msp.msp:
          base_url: "{{ classic_base_url }}"
        central.msp.classic_site_info:
          customer: Bistro Group
      environment:
        CLASSIC_CENTRAL_BASE_URL: ""
      block:
        - name: classic defaults, sites
          central.msp.classic_site_info:
        - name: classic defaults, an explicit option wins
          central.msp.classic_api_call: {path: central/v2/sites, base_url: "http://127.0.0.1:9/x"}
    - name: classic module_defaults with a wrong region
      module_defaults:
        group/central.msp.classic: {region: Atlantis}
      environment: {CLASSIC_CENTRAL_BASE_URL: ""}
      central.msp.classic_customer_info:
'''
CLASSIC_DEFAULTS_TASKS = ['classic defaults, sites', 'classic defaults, an explicit option wins',
                          'classic module_defaults with a wrong region']


def playbook(tasks, extra=''):
    body = ''.join('    - name: %s%s\n' % (name, task) for name, task in tasks)
    return PLAY + body + extra


def modules_transferred(run):
    """The modules whose AnsiballZ file this run transferred (-vvv), by name."""
    return set(re.findall(r'AnsiballZ_(\w+)\.py', run.output))


def results_by_task(run):
    return {entry['task']: {'status': entry['status'], 'result': entry['result']} for entry in run.results}


def comparable(result):
    """A result without what differs from one run to the next: debug ids (the simulator makes one per error, as
    the live API does), the response's Date header and the report's time stamp (and the history file named by it)."""
    result = json.loads(json.dumps(result))
    text = re.sub(r'debugId [0-9a-f]+', 'debugId <id>', json.dumps(result))
    # And the times of the Classic token bundle, which each run gets anew, and what is left of Classic's budget of
    # calls in the current second.
    text = re.sub(r'"(debug_id|debugId|date|generated_at|history_file|access_token_expires_at|refreshed_at|'
                  r'refresh_token_revoked_after|x-ratelimit-remaining-second)": "[^"]*"', r'"\1": "<varies>"', text)
    result = json.loads(text)
    # Whether a request had to wait for the rate limit depends on the machine's timing, not on the path.
    (result.get('result') or {}).pop('retries', None)
    return result


def differences(one, two, path=''):
    """Where two JSON values differ, as paths with both values."""
    if isinstance(one, dict) and isinstance(two, dict):
        found = []
        for key in sorted(set(one) | set(two), key=str):
            if key not in one or key not in two:
                found.append('%s.%s: only in %s' % (path, key, 'the first' if key in one else 'the second'))
            else:
                found.extend(differences(one[key], two[key], '%s.%s' % (path, key)))
        return found
    if isinstance(one, list) and isinstance(two, list) and len(one) == len(two):
        return [diff for index, (a, b) in enumerate(zip(one, two)) for diff in differences(a, b, '%s[%d]' % (path, index))]
    return [] if one == two else ['%s: %r != %r' % (path, one, two)]


@pytest.fixture(scope='module')
def runs(simulator, tmp_path_factory):
    """The parity playbook, once per path, each on a fresh simulator state and token cache (in the same place:
    the invocation shows its path)."""
    found = {}
    tmp = str(tmp_path_factory.mktemp('parity'))
    for execution in ('controller', 'module'):
        simulator.reset()
        env = ansible_env(simulator.env(), tmp=tmp)
        shutil.rmtree(env['CENTRAL_TOKEN_CACHE_DIR'], ignore_errors=True)
        found[execution] = run_playbook(playbook(TASKS, MODULE_DEFAULTS), env, args=('-vvv',),
                                        extra_vars={'central_msp_execution': execution,
                                                    'central_base_url': simulator.info['central_base_url']})
        assert_nothing_leaked(found[execution], simulator)
    return found


@pytest.fixture(scope='module')
def classic_runs(simulator, tmp_path_factory):
    """The Classic parity playbook, once per path, each on a fresh Classic gateway (a new token bundle) and token
    store (in the same place), with the first switch read and the first client read refused."""
    found = {}
    tmp = str(tmp_path_factory.mktemp('classic-parity'))
    for execution in ('controller', 'module'):
        simulator.classic('POST', 'reset', {'tokens': True})
        for path in ('monitoring/v1/switches$', 'monitoring/v2/clients$'):
            simulator.classic('POST', 'faults', {'path': path, 'status': 404, 'count': 1})
        env = ansible_env(simulator.classic_env(), tmp=tmp)
        shutil.rmtree(env['CENTRAL_TOKEN_CACHE_DIR'], ignore_errors=True)
        run = run_playbook(playbook(CLASSIC_TASKS, CLASSIC_MODULE_DEFAULTS), env, args=('-vvv',),
                           extra_vars={'central_msp_execution': execution,
                                       'classic_base_url': simulator.info['classic']['base_url']})
        assert_absent(classic_secrets(simulator), {'the output': run.output, 'the results': json.dumps(run.results)})
        found[execution] = (run, simulator.classic('GET', 'stats?log=0')['classic'])
    return found


def test_every_classic_module_gives_the_same_results_on_both_paths(classic_runs):
    controller_run, module_run = classic_runs['controller'][0], classic_runs['module'][0]
    controller, module = results_by_task(controller_run), results_by_task(module_run)

    assert modules_transferred(controller_run) == set()
    assert modules_transferred(module_run) == set(CLASSIC_MODULES)
    names = [name for name, _task in CLASSIC_TASKS] + CLASSIC_DEFAULTS_TASKS
    assert sorted(controller) == sorted(names)
    for name in names:
        found = differences(comparable(controller[name]), comparable(module[name]))
        assert not found, '%s:\n%s' % (name, '\n'.join(found))


@pytest.mark.parametrize('execution', ['controller', 'module'])
def test_the_classic_refresh_token_is_used_once_on_either_path(classic_runs, execution):
    """The keep-alive rotated the bundle once, under the token store's lock; no task sent a rotated-out token."""
    stats = classic_runs[execution][1]
    assert (stats.get('refreshes'), stats.get('rotated_refresh_token_uses', 0)) == (1, 0), stats


def test_the_classic_cases_are_what_they_say(classic_runs, simulator):
    found = results_by_task(classic_runs['controller'][0])

    def result(name, status='ok'):
        assert found[name]['status'] == status, (name, found[name])
        return found[name]['result']

    customers = simulator.classic('GET', 'truth')['customers']
    truth = {c['customer_name']: c for c in customers}
    acme, bistro = truth['Acme Retail']['customer_id'], truth['Bistro Group']['customer_id']
    assert result('classic customers')['count'] == len(customers)
    assert result('classic, secret as an option')['invocation']['module_args']['client_secret'] == \
        'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert result('classic customers')['invocation']['module_args']['refresh_token'] == \
        'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert result('classic sites of one customer')['sites'] == simulator.classic('GET', 'truth/%s/sites' % acme)
    assert result('classic devices in check mode')['count'] > 0
    partial = result('classic devices of two customers, partial')
    assert [(entry['customer_id'], entry['failed']) for entry in partial['customers']] == [(acme, True), (bistro, False)]
    assert len(partial['warnings']) == 1
    refused = result('classic clients of two customers, not partial', 'failed')
    assert [(entry['customer_id'], entry['failed']) for entry in refused['customers']] == [(acme, True), (bistro, False)]
    assert refused['customers'][1]['count'] > 0
    assert 'set allow_partial: true' in refused['msg']
    assert 'TenantID header in headers is ignored' in result('classic api call, TenantID ignored')['warnings'][0]
    paged = result('classic api call, every page')
    assert (paged['json']['count'], paged['pages'] > 1) == (len(simulator.classic('GET', 'truth/%s/sites' % acme)), True)
    assert result('classic api call, a write in check mode')['msg'].startswith('Check mode: POST')
    assert result('classic api call refused', 'failed')['status'] == 404
    assert result('classic keep-alive in check mode')['changed'] is True
    assert result('classic keep-alive')['refreshed'] is True
    assert result('classic keep-alive, refreshed recently')['refreshed'] is False
    assert 'Unsupported parameters for (central.msp.classic_site_info) module: colour' in result(
        'classic unsupported option', 'failed')['msg']
    assert 'mutually exclusive' in result('classic mutually exclusive', 'failed')['msg']
    assert 'limit' in result('classic wrong type', 'failed')['msg']
    assert 'Choose the customers' in result('classic no customer chosen', 'failed')['msg']
    assert 'missing required arguments: path' in result('classic missing required option', 'failed')['msg']
    assert 'Missing msp_customer_id' in result('classic, msp customer id emptied by the task environment',
                                               'failed')['msg']
    assert 'Unknown Classic Central region' in result('classic, region from the task environment', 'failed')['msg']
    assert result('classic defaults, sites')['customer']['customer_id'] == bistro
    assert 'connection was refused' in result('classic defaults, an explicit option wins', 'failed')['msg']
    assert 'Unknown Classic Central region' in result('classic module_defaults with a wrong region', 'failed')['msg']


def test_every_module_gives_the_same_results_on_both_paths(runs):
    tasks = list(TASKS)
    controller, module = (results_by_task(runs[name]) for name in ('controller', 'module'))

    assert modules_transferred(runs['controller']) == set()
    assert modules_transferred(runs['module']) == set(MODULES)
    names = [name for name, _task in tasks] + ['defaults, devices', 'defaults, tenants without Central',
                                               'defaults, an explicit option wins', 'module_defaults with a wrong cluster']
    assert sorted(controller) == sorted(names)
    for name in names:
        found = differences(comparable(controller[name]), comparable(module[name]))
        assert not found, '%s:\n%s' % (name, '\n'.join(found))


def test_the_cases_are_what_they_say(runs, simulator):
    """The parity above compares like with like; here the controller's results are checked for what each case
    must show, so that two identical wrong answers cannot pass."""
    found = results_by_task(runs['controller'])
    secret = simulator.info['client_secret']

    def result(name, status='ok'):
        assert found[name]['status'] == status, (name, found[name])
        return found[name]['result']

    assert result('tenants')['count'] == len(simulator.truth()['tenants'])
    assert result('tenants, secret as an option')['invocation']['module_args']['client_secret'] == \
        'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert result('tenants')['invocation']['module_args']['client_secret'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert result('devices in check mode')['count'] > 0
    probe = result('contract probe in check mode')
    assert probe['written'] is False and probe['summary']['mismatches'] == 0 and probe['summary']['ok'] > 10
    assert 'the tenant given could not be found' in result('contract probe of an unknown tenant', 'failed')['msg']
    partial = result('devices of every tenant, partial, fields')
    assert [entry['name'] for entry in partial['tenants'] if entry['central_provisioned'] is False] == [
        'Harbor View Dental']
    assert len(partial['warnings']) == 1
    # A GreenLake-only tenant is not a failure: without allow_partial the task succeeds too.
    assert result('devices of every tenant, not partial')['count'] == partial['count']
    write = result('api call, a write in check mode, Authorization ignored')
    assert write['msg'].startswith('Check mode: POST')
    assert 'Authorization header' in write['warnings'][0]
    api_refused = result('api call refused', 'failed')
    assert api_refused['status'] == 200
    assert 'Unsupported parameters for (central.msp.tenant_site_info) module: colour' in result(
        'unsupported option', 'failed')['msg']
    assert 'mutually exclusive' in result('mutually exclusive', 'failed')['msg']
    assert 'limit' in result('wrong type', 'failed')['msg']
    assert 'Choose the tenants' in result('no tenant chosen', 'failed')['msg']
    assert 'missing required arguments: path' in result('missing required option', 'failed')['msg']
    assert 'MSP token request' in result('secret from the task environment', 'failed')['msg']
    assert 'Missing client_id' in result('client id emptied by the task environment', 'failed')['msg']
    assert result('defaults, devices')['count'] > 0
    assert result('defaults, tenants without Central')['tenants'][0]['central_provisioned'] is None
    assert 'the connection was refused' in result('defaults, an explicit option wins', 'failed')['msg']
    assert 'Unknown cluster_name' in result('module_defaults with a wrong cluster', 'failed')['msg']
    records = result('overview records')['tenants']
    assert [record['tenant']['name'] for record in records] == [tenant['name'] for tenant in result('tenants')['tenants']]
    assert [record['sites'] is None for record in records] == [
        tenant['central_provisioned'] is False for tenant in result('tenants')['tenants']]
    report = result('overview report')
    assert report['report']['totals']['tenants']['total'] == 3
    written = result('overview written, check mode')
    assert written['totals']['tenants']['total'] == 3
    assert written['summary'][0].startswith('Fleet: 3 tenants'), written['summary']
    assert written['summary'][-1].startswith('Check mode: no report was written'), written['summary']
    assert 'tenants' not in written and 'report' not in written
    assert not os.path.exists('/nonexistent/central-msp-parity')
    assert 'output_dir /dev/null exists and is not a folder' in result('overview written into a file', 'failed')['msg']
    assert 'tenant_records[0] is not a tenant record' in result('overview of a record without a workspace id',
                                                                'failed')['msg']
    assert secret not in json.dumps(found)


FALLBACK = '''---
- name: central.msp fallbacks
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: in the controller
      central.msp.tenant_device_info: {tenant: Acme Retail Group, fields: [serialNumber]}
      register: here
    - name: async
      central.msp.tenant_site_info: {tenant: Acme Retail Group}
      async: 120
      poll: 1
      register: async_run
    - name: become
      central.msp.tenant_alert_info: {tenant: Acme Retail Group}
      become: true
      become_method: ansible.builtin.su
      become_user: root
      register: become_run
    - name: delegated to a host that is not local
      central.msp.tenant_client_info: {tenant: Acme Retail Group, fields: [macAddress]}
      delegate_to: elsewhere
      register: delegated
    - name: asked for by the variable
      central.msp.msp_tenant_info:
      vars:
        central_msp_execution: module
      register: asked
    - name: a wrong choice
      central.msp.msp_tenant_info:
      vars:
        central_msp_execution: somewhere
      ignore_errors: true
    - name: overview files with async
      central.msp.tenant_overview_info: {tenant_records: [{workspace_id: x}], output_dir: /nonexistent/overview}
      async: 120
      poll: 1
      ignore_errors: true
    - name: classic in the controller
      central.msp.classic_customer_info:
    - name: classic async
      central.msp.classic_site_info: {customer: Acme Retail}
      async: 120
      poll: 1
    - name: classic become
      central.msp.classic_alert_info: {customer: Acme Retail}
      become: true
      become_method: ansible.builtin.su
      become_user: root
    - name: classic delegated to a host that is not local
      central.msp.classic_client_info: {customer: Acme Retail}
      delegate_to: elsewhere
    - name: classic asked for by the variable
      central.msp.classic_token_refresh: {older_than_hours: 0}
      vars:
        central_msp_execution: module
'''


def test_fallbacks_run_the_module(simulator, tmp_path):
    sim = simulator
    sim.reset()
    sim.classic('POST', 'reset', {'tokens': True})
    inventory = tmp_path / 'hosts.yml'
    inventory.write_text(json.dumps({'all': {'hosts': {
        'localhost': {'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable},
        'elsewhere': {'ansible_connection': 'not_local', 'ansible_python_interpreter': sys.executable}}}}))
    env = ansible_env(dict(sim.env(), **sim.classic_env(), ANSIBLE_CONNECTION_PLUGINS=CONNECTION_PLUGINS))
    run = run_playbook(FALLBACK, env, inventory=str(inventory), args=('-vvv',))
    assert run.rc == 0, run.output[-3000:]
    assert_nothing_leaked(run, sim)
    assert_absent(classic_secrets(sim), {'the output': run.output, 'the results': json.dumps(run.results)})
    assert modules_transferred(run) == {'tenant_site_info', 'tenant_alert_info', 'tenant_client_info',
                                        'msp_tenant_info', 'async_status', 'classic_site_info', 'classic_alert_info',
                                        'classic_client_info', 'classic_token_refresh'}
    for name in ('in the controller', 'async', 'become', 'delegated to a host that is not local',
                 'asked for by the variable', 'classic in the controller', 'classic async', 'classic become',
                 'classic delegated to a host that is not local', 'classic asked for by the variable'):
        assert run.one(name)['status'] == 'ok', run.one(name)
    truth = sim.truth()['tenants']
    acme = next(tenant for tenant in truth if tenant['name'] == 'Acme Retail Group')
    assert run.one('in the controller')['result']['count'] == len(sim.truth(acme['id'], 'device-inventory'))
    assert run.one('async')['result']['count'] == len(sim.truth(acme['id'], 'sites-health'))
    # Which clients Central lists depends on its time window; the module read some, as the controller would.
    assert run.one('delegated to a host that is not local')['result']['count'] > 0
    assert run.one('asked for by the variable')['result']['count'] == len(truth)
    classic_sites = sim.classic('GET', 'truth/%s/sites' % run.one('classic async')['result']['customer']['customer_id'])
    assert run.one('classic async')['result']['sites'] == classic_sites
    assert run.one('classic asked for by the variable')['result']['refreshed'] is True
    wrong = run.one('a wrong choice')
    assert wrong['status'] == 'failed'
    assert 'central_msp_execution must be one of controller, module' in wrong['result']['msg']
    overview = run.one('overview files with async')
    assert overview['status'] == 'failed'
    assert 'output_dir cannot be used with async' in overview['result']['msg']
