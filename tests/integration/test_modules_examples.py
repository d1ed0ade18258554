"""The module examples in playbooks/examples/ run as documented against the simulator."""

from __future__ import annotations

import os

from tests.helpers import ROOT, ansible_env, run_playbook
from tests.integration.module_checks import assert_nothing_leaked, ok, tenants

MODULES = ('msp_tenant_info', 'tenant_device_info', 'tenant_site_info', 'tenant_client_info', 'tenant_alert_info',
           'tenant_api_call', 'tenant_overview_info')


def test_examples_run(simulator):
    sim = simulator
    sim.reset()
    truth = tenants(sim)
    playbooks = [os.path.join(ROOT, 'playbooks', 'examples', module + '.yml') for module in MODULES]
    # One ansible-playbook run for all of them; -c local because the inventory names localhost explicitly.
    run = run_playbook(playbooks[0], ansible_env(sim.env()), args=playbooks[1:] + ['-c', 'local'])
    assert run.rc == 0, run.output[-3000:]
    assert_nothing_leaked(run, sim)
    assert run.results and all(entry['status'] == 'ok' for entry in run.results)

    assert ok(run, 'Show the tenants not provisioned in Central')['msg'] == ['Harbor View Dental']
    acme = truth['Acme Retail Group']
    assert ok(run, "Read the tenant's device inventory")['devices'] == sim.truth(acme['id'], 'device-inventory')
    assert ok(run, "Read the tenant's sites")['count'] == truth['Northwind Logistics']['counts']['sites-health']
    active = [alert for alert in sim.truth(truth['Northwind Logistics']['id'], 'alerts')
              if alert['status'] == 'Active' and alert['severity'] in ('Critical', 'Major')]
    northwind = next(entry for entry in ok(run, 'Read the active critical and major alerts of every tenant')['tenants']
                     if entry['name'] == 'Northwind Logistics')
    assert northwind['alerts'] == active
    switches = [device for device in sim.truth(acme['id'], 'devices') if device['deviceType'] == 'SWITCH']
    assert ok(run, "Read the tenant's switches from Central (every page)")['json']['items'] == switches
    report = ok(run, 'Read the sites and alerts of every tenant')['report']
    shown = [entry['msg'] for entry in ok(run, "Show each tenant's health and active critical alerts")['results']]
    critical = {name: sum(str(alert['status']).upper() == 'ACTIVE' and str(alert['severity']).upper() == 'CRITICAL'
                          for alert in sim.truth(tenant['id'], 'alerts')) for name, tenant in truth.items()
                if tenant['central']}
    assert [entry['name'] for entry in report['tenants']] == sorted(truth, key=str.casefold)
    assert shown == ['%s: %s%s' % (entry['name'], entry['health'], ', %d active critical alerts' % critical[entry['name']]
                                   if entry['name'] in critical else '') for entry in report['tenants']]


def test_module_docs_name_real_tenants_of_the_demo_data(simulator):
    """Every tenant an EXAMPLES task or a RETURN sample names is a tenant of the demo dataset (name and workspace
    ID agree), so an example copied against the simulator does what it says."""
    import yaml

    from ansible.utils.plugin_docs import read_docstring

    sim = simulator
    truth = tenants(sim)
    ids = {tenant['id'].replace('-', ''): name for name, tenant in truth.items()}
    named, given_ids = set(), set()
    for module in MODULES:
        docs = read_docstring(os.path.join(ROOT, 'plugins', 'modules', module + '.py'))
        for task in yaml.safe_load(docs['plainexamples']):
            options = task.get('central.msp.' + module) or {}
            if isinstance(options.get('tenant'), str) and '{{' not in options['tenant']:
                named.add(options['tenant'])
            # Names in a tenants list (a workspace ID there is 32 hex digits, dashes optional).
            named.update(name for name in options.get('tenants') or []
                         if '{{' not in name and len(name.replace('-', '')) != 32)
            if options.get('tenant_workspace_id') and '{{' not in str(options['tenant_workspace_id']):
                given_ids.add(str(options['tenant_workspace_id']).replace('-', ''))
        tenant_doc = (docs['returndocs'] or {}).get('tenant', {}).get('contains', {})
        for key, target in (('name', named), ('workspace_id', given_ids)):
            sample = tenant_doc.get(key, {}).get('sample')
            if sample:
                target.add(sample if key == 'name' else sample.replace('-', ''))
    assert named and given_ids
    assert named <= set(truth), named - set(truth)
    assert given_ids <= set(ids), given_ids - set(ids)
