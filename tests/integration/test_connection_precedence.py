"""Options beat the environment: an explicit base_url or cluster_name overrides the other's environment variable,
as it must when an AWX credential (docs/awx/credential_type.yml) injects CENTRAL_BASE_URL for every job."""

from __future__ import annotations

import os

from tests.helpers import ansible_env, run_inventory
from tests.integration.module_checks import failed, ok, run_tasks, tenants

FAIL_ON_UNPARSED = {'ANSIBLE_INVENTORY_UNPARSED_FAILED': 'true'}


def inventory_file(directory, text):
    path = os.path.join(str(directory), 'tenants.central_msp.yml')
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write(text)
    return path


def test_a_tasks_base_url_beats_an_exported_cluster_name(simulator):
    sim = simulator
    sim.reset()
    gateway = sim.info['central_base_url']
    # CENTRAL_CLUSTER_NAME points at a real cluster no test may reach; the task's own base_url must win.
    env = {'CENTRAL_BASE_URL': '', 'CENTRAL_CLUSTER_NAME': 'EU-1', 'CENTRAL_MAX_RETRIES': '0'}
    run = run_tasks(sim, '''
        - name: explicit base_url
          central.msp.tenant_device_info:
            tenant: Acme Retail Group
            base_url: "%s"
        - name: both from the task
          central.msp.tenant_device_info:
            tenant: Acme Retail Group
            base_url: "%s"
            cluster_name: US-WEST-5
        ''' % (gateway, gateway), env=env, ignore_errors=True)
    acme = tenants(sim)['Acme Retail Group']
    assert ok(run, 'explicit base_url')['count'] == acme['counts']['device-inventory']
    failed(run, 'both from the task', 'Both base_url and cluster_name are set')


def test_a_tasks_cluster_name_beats_the_injected_base_url(simulator):
    """The credential type injects CENTRAL_BASE_URL; a task naming a cluster goes to that cluster (here an
    unknown name, so the message proves which value was used without reaching a real gateway)."""
    sim = simulator
    sim.reset()
    run = run_tasks(sim, '''
        - name: explicit cluster_name
          central.msp.tenant_device_info:
            tenant: Acme Retail Group
            cluster_name: Mars-1
        ''', ignore_errors=True)
    result = failed(run, 'explicit cluster_name', "Unknown cluster_name 'Mars-1'")
    assert 'Both base_url and cluster_name' not in result['msg']


def test_an_inventory_files_gateway_beats_the_environment(simulator, tmp_path):
    sim = simulator
    sim.reset()
    env = ansible_env(dict(sim.env(), CENTRAL_CLUSTER_NAME='EU-1', CENTRAL_BASE_URL='https://gw.invalid'),
                      tmp=str(tmp_path))
    path = inventory_file(tmp_path, 'plugin: central.msp.tenants\nbase_url: %s\n' % sim.info['central_base_url'])
    run = run_inventory(path, dict(env, **FAIL_ON_UNPARSED))
    assert run.rc == 0, run.stderr
    hostvars = run.results['_meta']['hostvars']
    assert len(hostvars) == len(sim.truth()['tenants'])
    assert all(isinstance(v['msp_central_provisioned'], bool) for v in hostvars.values()), 'Central was read'

    # A cluster_name in the file beside the injected CENTRAL_BASE_URL: no conflict (GreenLake only here).
    glp_only = inventory_file(tmp_path, 'plugin: central.msp.tenants\ncluster_name: US-WEST-5\nwith_central: false\n')
    run = run_inventory(glp_only, dict(ansible_env(sim.env(), tmp=str(tmp_path)), **FAIL_ON_UNPARSED))
    assert run.rc == 0, run.stderr
    assert len(run.results['_meta']['hostvars']) == len(sim.truth()['tenants'])
