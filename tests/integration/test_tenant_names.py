"""Two tenants with one name (GLP allows it): neither is shown the other's Central data, by msp_tenant_info or
the inventory, each is read in its own scope, and the existing host keeps its name when the namesake appears."""

import json
import os

from tests.helpers import ROOT, ansible_env, run_inventory
from tests.integration.module_checks import ok, run_tasks

INVENTORY = os.path.join(ROOT, 'playbooks', 'inventory', 'simulator.central_msp.yml')
NAME = 'Northwind Logistics'


def hosts(sim, tmp_path):
    run = run_inventory(INVENTORY, ansible_env(sim.env(), tmp=str(tmp_path)), ('--list',))
    assert run.rc == 0, run.output
    inventory = json.loads(run.stdout)
    return inventory['_meta']['hostvars'], run.stderr


def plain(value):
    return value['__ansible_unsafe'] if isinstance(value, dict) and '__ansible_unsafe' in value else value


def test_two_tenants_with_one_name(simulator_factory, tmp_path):
    sim = simulator_factory('--dataset', 'demo')
    before, _stderr = hosts(sim, tmp_path)
    original = next(t for t in sim.truth()['tenants'] if t['name'] == NAME)
    assert plain(before['Northwind_Logistics']['msp_workspace_id']) == original['id']
    assert before['Northwind_Logistics']['msp_alerts'] == original['central']['alerts']

    twin = sim.fault(action='add_tenant', name=NAME, devices=6)
    twin_truth = sim.truth(twin['id'])
    assert twin_truth['central']['alerts'] != original['central']['alerts'] or \
        twin_truth['central']['totalSites'] != original['central']['totalSites']
    after, stderr = hosts(sim, tmp_path)
    # The existing host keeps its name; the newcomer gets its short workspace id.
    twin_host = 'Northwind_Logistics_' + twin['hex'][:8]
    assert set(after) == set(before) | {twin_host}
    assert plain(after['Northwind_Logistics']['msp_workspace_id']) == original['id']
    assert plain(after[twin_host]['msp_workspace_id']) == twin['id']
    # Neither shows Central figures that may be the other's; the inventory says why.
    for host in ('Northwind_Logistics', twin_host):
        hostvars = after[host]
        assert hostvars['msp_central_provisioned'] is None and hostvars['msp_central_tenant_id'] is None
        assert hostvars['msp_alerts'] is None and hostvars['msp_sites_total'] is None
        # Whether Central manages it is unknown, so its devices are not counted either (null, not {}).
        assert hostvars['msp_device_counts'] is None
    assert "'Northwind Logistics'" in ' '.join(stderr.split()) and 'more than one tenant' in ' '.join(stderr.split())
    # The other tenants are joined as before.
    assert before['Acme_Retail_Group']['msp_alerts'] is not None
    assert after['Acme_Retail_Group']['msp_alerts'] == before['Acme_Retail_Group']['msp_alerts']

    run = run_tasks(sim, '''
        - name: every tenant
          central.msp.msp_tenant_info:
        - name: the original, by workspace id
          central.msp.tenant_alert_info:
            tenant_workspace_id: "{{ original }}"
        - name: the twin, by workspace id
          central.msp.tenant_alert_info:
            tenant_workspace_id: "{{ twin }}"
    ''', extra_vars={'original': original['id'], 'twin': twin['id']})
    assert run.rc == 0, run.output[-3000:]
    listed = ok(run, 'every tenant')
    namesakes = [t for t in listed['tenants'] if t['name'] == NAME]
    assert sorted(t['workspace_id'] for t in namesakes) == sorted([original['id'], twin['id']])
    assert all(t['central_provisioned'] is None and t['alerts'] is None for t in namesakes)
    assert any('more than one tenant' in warning for warning in listed['warnings'])
    assert ok(run, 'the original, by workspace id')['alerts'] == sim.truth(original['id'], 'alerts')
    assert ok(run, 'the twin, by workspace id')['alerts'] == sim.truth(twin['id'], 'alerts')
