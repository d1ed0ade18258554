"""Every way of getting a module's input or configuration wrong: one clear message, never a traceback."""

from __future__ import annotations

from tests.integration.module_checks import failed, ok, run_tasks, tenants


def test_tenant_and_configuration_errors(simulator):
    sim = simulator
    sim.reset(dataset=True)
    # A second tenant with an existing name makes that name ambiguous.
    twin = sim.fault(action='add_tenant', name="Bistro d'Or")
    bistro = next(t for t in sim.truth()['tenants'] if t['name'] == "Bistro d'Or" and not t['added'])
    run = run_tasks(sim, '''
        - name: unknown tenant
          central.msp.tenant_device_info:
            tenant: Acme Retial Group
        - name: unknown tenant in a list
          central.msp.tenant_alert_info:
            tenants: [Acme Retail Group, Northwind]
        - name: unknown workspace id in a list
          central.msp.tenant_site_info:
            tenants: ["00000000-0000-4000-8000-000000000000"]
        - name: ambiguous tenant
          central.msp.tenant_client_info:
            tenant: "Bistro d'Or"
        - name: ambiguous tenant in tenant_api_call
          central.msp.tenant_api_call:
            tenant: "Bistro d'Or"
            path: network-monitoring/v1/devices
        - name: not a workspace id
          central.msp.tenant_device_info:
            tenant_workspace_id: acme
        - name: no tenant chosen
          central.msp.tenant_alert_info:
        - name: two ways of choosing
          central.msp.tenant_device_info:
            tenant: Acme Retail Group
            all_tenants: true
        - name: tenant not provisioned in Central
          central.msp.tenant_device_info:
            tenant: Harbor View Dental
        - name: base_url and cluster_name
          central.msp.msp_tenant_info:
            base_url: https://us5.api.central.arubanetworks.com
            cluster_name: US-WEST-5
        - name: unknown cluster_name
          central.msp.tenant_api_call:
            base_url: ""
            cluster_name: Mars-1
            path: network-monitoring/v1/devices
        - name: no Central gateway
          central.msp.tenant_site_info:
            base_url: ""
            tenant: Acme Retail Group
        - name: missing credential
          central.msp.tenant_alert_info:
            client_secret: ""
            tenant: Acme Retail Group
        - name: wrong secret
          central.msp.msp_tenant_info:
            client_secret: not-the-secret
        - name: tenant workspace id as the MSP workspace
          central.msp.msp_tenant_info:
            workspace_id: "{{ acme_hex }}"
            with_central: false
    ''', extra_vars={'acme_hex': tenants(sim)['Acme Retail Group']['hex']}, ignore_errors=True)
    assert run.rc == 0, run.output[-3000:]  # every failure below is expected and ignored

    unknown = failed(run, 'unknown tenant', "No tenant named 'Acme Retial Group'", "Closest names: 'Acme Retail Group'")
    assert unknown['candidates'][0] == 'Acme Retail Group'
    assert failed(run, 'unknown tenant in a list', "No tenant named 'Northwind'")['candidates'] == ['Northwind Logistics']
    failed(run, 'unknown workspace id in a list', '00000000-0000-4000-8000-000000000000 is not a tenant')

    ids = sorted([twin['id'], bistro['id']])
    ambiguous = failed(run, 'ambiguous tenant', "Tenant name \"Bistro d'Or\" is ambiguous: 2 tenant workspaces",
                       ids[0], ids[1], 'tenant_workspace_id')
    assert ambiguous['candidates'] == ids
    assert failed(run, 'ambiguous tenant in tenant_api_call', 'is ambiguous')['candidates'] == ids

    failed(run, 'not a workspace id', "'acme' is not a GLP workspace id")
    failed(run, 'no tenant chosen', 'Choose the tenants')
    failed(run, 'two ways of choosing', 'mutually exclusive', 'tenant', 'all_tenants')
    failed(run, 'tenant not provisioned in Central', 'network-monitoring/v1/device-inventory', 'HTTP 403',
           'not provisioned')
    failed(run, 'base_url and cluster_name', 'Both base_url and cluster_name are set')
    failed(run, 'unknown cluster_name', "Unknown cluster_name 'Mars-1'", 'US-WEST-5')
    failed(run, 'no Central gateway', 'No Central API gateway is configured')
    failed(run, 'missing credential', 'Missing client_secret', 'GLP_CLIENT_SECRET')
    failed(run, 'wrong secret', 'MSP token request', 'HTTP 401', 'invalid_client', 'client_secret')
    failed(run, 'tenant workspace id as the MSP workspace', 'MSP token request')
    sim.reset(dataset=True)


def test_tenant_names_match_in_any_case_when_unique(simulator):
    sim = simulator
    sim.reset(dataset=True)
    truth = tenants(sim)
    # "BISTRO D'OR" in any case then names two tenants: ambiguous, as an exact duplicate would be.
    twin = sim.fault(action='add_tenant', name="BISTRO D'OR")
    run = run_tasks(sim, '''
        - name: lower case
          central.msp.tenant_device_info:
            tenant: acme retail group
        - name: lower case in a list
          central.msp.tenant_site_info:
            tenants: [ZÜRICH KLINIKEN, northwind logistics]
        - name: two tenants in other cases
          central.msp.tenant_device_info:
            tenant: bistro d'or
        - name: the exact one of two
          central.msp.tenant_device_info:
            tenant: "BISTRO D'OR"
    ''', ignore_errors=True)
    acme = ok(run, 'lower case')
    assert acme['tenant'] == {'name': 'Acme Retail Group', 'workspace_id': truth['Acme Retail Group']['id']}
    assert acme['count'] == truth['Acme Retail Group']['counts']['device-inventory']
    listed = ok(run, 'lower case in a list')
    assert [t['name'] for t in listed['tenants']] == ['Zürich Kliniken', 'Northwind Logistics']
    ambiguous = failed(run, 'two tenants in other cases', "Tenant name \"bistro d'or\" is ambiguous")
    assert sorted(ambiguous['candidates']) == sorted([twin['id'], truth["Bistro d'Or"]['id']])
    assert ok(run, 'the exact one of two')['tenant']['workspace_id'] == twin['id']
    sim.reset(dataset=True)
