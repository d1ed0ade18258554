"""tenant_device_info, tenant_site_info, tenant_client_info and tenant_alert_info against the simulator.

Every answer is compared with the simulator's ground truth, item for item and in the API's order."""

from __future__ import annotations

from tests.integration.module_checks import failed, ok, run_tasks, tenants


def where(items, **wanted):
    """The items whose fields have the wanted values (a list or tuple means "any of these")."""
    def matches(item):
        return all(item.get(field) in (value if isinstance(value, (list, tuple)) else (value,))
                   for field, value in wanted.items())
    return [item for item in items if matches(item)]


def flat_site(site):
    """A sites-health item as tenant_site_info returns it: Central's fields plus flat counts."""
    def group(container, name, key='value'):
        return next(g[key] for g in container['groups'] if g['name'] == name)
    flat = dict(site)
    for level in ('Good', 'Fair', 'Poor'):
        flat['health_' + level.lower()] = group(site['health'], level)
        flat['devices_' + level.lower()] = group(site['devices']['health'], level)
        flat['clients_' + level.lower()] = group(site['clients']['health'], level)
    for severity in ('Critical', 'Major', 'Minor'):
        flat['alerts_' + severity.lower()] = group(site['alerts'], severity, 'count')
    flat.update(devices_total=site['devices']['count'], clients_total=site['clients']['count'],
                alerts_total=site['alerts']['totalCount'])
    return flat


def test_one_tenant(simulator):
    sim = simulator
    sim.reset()
    truth = tenants(sim)
    acme, bistro, zurich, northwind = (truth[name] for name in (
        'Acme Retail Group', "Bistro d'Or", 'Zürich Kliniken', 'Northwind Logistics'))
    acme_inventory = sim.truth(acme['id'], 'device-inventory')
    run = run_tasks(sim, '''
        - name: inventory by name
          central.msp.tenant_device_info:
            tenant: Acme Retail Group
        - name: inventory by name in check mode
          central.msp.tenant_device_info:
            tenant: Acme Retail Group
          check_mode: true
        - name: monitored by dashed id, small pages
          central.msp.tenant_device_info:
            tenant_workspace_id: "{{ northwind_id }}"
            source: monitoring
            limit: 7
        - name: filtered by compact id
          central.msp.tenant_device_info:
            tenant_workspace_id: "{{ zurich_hex }}"
            device_type: [switch, GATEWAY]
            status: online
        - name: by serial
          central.msp.tenant_device_info:
            tenant: Acme Retail Group
            serial: "{{ acme_serials }}"
        - name: by site, raw filter and sort
          central.msp.tenant_device_info:
            tenant: Northwind Logistics
            source: monitoring
            site: Northwind Hub Reno
            filter: "deviceType eq 'ACCESS_POINT'"
            sort: deviceName desc
        - name: sites, two per page
          central.msp.tenant_site_info:
            tenant: Northwind Logistics
            limit: 2
        - name: one site by name
          central.msp.tenant_site_info:
            tenant_workspace_id: "{{ bistro_hex }}"
            site: ["Bistro d'Or Lyon"]
        - name: wireless clients of two sites
          central.msp.tenant_client_info:
            tenant: Zürich Kliniken
            connection_type: wireless
            site: [Praxis Oerlikon, Labor Altstetten]
            limit: 10
        - name: failed clients
          central.msp.tenant_client_info:
            tenant: Acme Retail Group
            status: failed
        - name: failed clients of the last week
          central.msp.tenant_client_info:
            tenant: Acme Retail Group
            status: [Failed]
            start_at: "2025-11-13T12:00:00Z"
        - name: clients by default
          central.msp.tenant_client_info:
            tenant: Acme Retail Group
        - name: every alert, three per page
          central.msp.tenant_alert_info:
            tenant: Northwind Logistics
            limit: 3
        - name: active critical and major alerts
          central.msp.tenant_alert_info:
            tenant_workspace_id: "{{ northwind_id }}"
            severity: [critical, Major]
            status: active
    ''', extra_vars={'northwind_id': northwind['id'], 'zurich_hex': zurich['hex'], 'bistro_hex': bistro['hex'],
                     'acme_serials': [device['serialNumber'] for device in acme_inventory[5:7]]})
    assert run.rc == 0, run.output[-3000:]

    by_name = ok(run, 'inventory by name')
    assert by_name['tenant'] == {'name': 'Acme Retail Group', 'workspace_id': acme['id']}
    assert by_name['devices'] == acme_inventory
    assert by_name['count'] == acme['counts']['device-inventory'] == 42
    assert by_name['changed'] is False
    assert ok(run, 'inventory by name in check mode')['devices'] == by_name['devices']

    monitored = ok(run, 'monitored by dashed id, small pages')
    assert monitored['tenant'] == {'name': None, 'workspace_id': northwind['id']}
    assert monitored['devices'] == sim.truth(northwind['id'], 'devices')
    assert monitored['count'] == northwind['counts']['devices'] > 7

    zurich_devices = sim.truth(zurich['id'], 'device-inventory')
    filtered = where(zurich_devices, deviceType=('SWITCH', 'GATEWAY'), status='ONLINE')
    assert 0 < len(filtered) < len(zurich_devices)
    assert ok(run, 'filtered by compact id')['devices'] == filtered

    assert ok(run, 'by serial')['devices'] == acme_inventory[5:7]

    reno_aps = where(sim.truth(northwind['id'], 'devices'), siteName='Northwind Hub Reno', deviceType='ACCESS_POINT')
    assert len(reno_aps) > 1
    assert ok(run, 'by site, raw filter and sort')['devices'] == sorted(
        reno_aps, key=lambda device: device['deviceName'], reverse=True)

    sites = ok(run, 'sites, two per page')
    assert sites['sites'] == [flat_site(site) for site in sim.truth(northwind['id'], 'sites-health')]
    assert sites['count'] == 5
    # The flat counts agree with Central's MSP summary of the tenant.
    assert sum(site['devices_poor'] for site in sites['sites']) == northwind['central']['deviceHealthStatus']['poor']
    assert sum(site['devices_poor'] > 0 for site in sites['sites']) == northwind['central']['degradedSites']
    assert ok(run, 'one site by name')['sites'] == [
        flat_site(site) for site in where(sim.truth(bistro['id'], 'sites-health'), siteName="Bistro d'Or Lyon")]

    # One read per site (Central's site-name parameter), in the order the sites were given; connected clients only.
    zurich_clients = sim.truth(zurich['id'], 'clients')
    wireless = [client for site in ('Praxis Oerlikon', 'Labor Altstetten')
                for client in where(zurich_clients, clientConnectionType='Wireless', siteName=site, status='Connected')]
    assert len(wireless) > 10
    assert ok(run, 'wireless clients of two sites')['clients'] == wireless
    acme_clients = sim.truth(acme['id'], 'clients')
    failing = where(acme_clients, status='Failed')
    # Central's default window: the 3 hours before its present (the simulator's is 2025-11-20T12:00Z).
    recent = [client for client in failing if client['lastSeenAt'] >= '2025-11-20T09:00:00']
    assert recent and len(recent) < len(failing)
    assert ok(run, 'failed clients')['clients'] == recent
    assert ok(run, 'failed clients of the last week')['clients'] == failing
    assert ok(run, 'clients by default')['clients'] == where(acme_clients, status='Connected')

    alerts = ok(run, 'every alert, three per page')
    assert alerts['alerts'] == sim.truth(northwind['id'], 'alerts')
    assert alerts['count'] == northwind['counts']['alerts'] > 3
    serious = where(alerts['alerts'], severity=('Critical', 'Major'), status='Active')
    assert len(serious) == northwind['central']['alerts']['critical'] + northwind['central']['alerts']['major']
    assert ok(run, 'active critical and major alerts')['alerts'] == serious
    # Live alerts carry no site, device name or serial number.
    assert not {'siteName', 'deviceName', 'serialNumber'} & {key for alert in alerts['alerts'] for key in alert}

    stats = sim.stats(log=False)
    # Not one request the live API would refuse.
    assert not [status for status in stats['by_status'] if status.startswith('4')], stats['by_status']
    # One MSP token for every task, one exchange per tenant: the token cache at work.
    assert stats['msp_tokens'] == 1
    assert sorted(stats['exchanges_by_tenant'].values()) == [1, 1, 1, 1]


def test_several_tenants_and_partial_failure(simulator):
    sim = simulator
    sim.reset()
    truth = tenants(sim)
    acme, bistro = truth['Acme Retail Group'], truth["Bistro d'Or"]
    # Bistro's token exchange is refused; Harbor View Dental is not provisioned in Central (its API answers 403).
    sim.fault(action='fail_exchange', tenant=bistro['id'], count=-1)
    run = run_tasks(sim, '''
        - name: two tenants, one failing
          central.msp.tenant_device_info:
            tenants: [Acme Retail Group, "{{ bistro_hex }}"]
        - name: two tenants, partial accepted
          central.msp.tenant_client_info:
            tenants: ["{{ acme_id }}", "Bistro d'Or"]
            allow_partial: true
        - name: every tenant
          central.msp.tenant_alert_info:
            all_tenants: true
            concurrency: 3
        - name: every tenant, partial accepted
          central.msp.tenant_site_info:
            all_tenants: true
            allow_partial: true
          check_mode: true
    ''', extra_vars={'acme_id': acme['id'], 'bistro_hex': bistro['hex']}, ignore_errors=True)

    strict = failed(run, 'two tenants, one failing', '1 of 2 tenants failed', "Bistro d'Or", 'allow_partial')
    assert [t['name'] for t in strict['tenants']] == ['Acme Retail Group', "Bistro d'Or"]
    good, bad = strict['tenants']
    assert good == {'name': 'Acme Retail Group', 'workspace_id': acme['id'], 'failed': False, 'msg': '',
                    'devices': sim.truth(acme['id'], 'device-inventory'), 'count': 42, 'central_provisioned': True}
    assert bad['failed'] is True and bad['devices'] == [] and bad['count'] == 0
    assert bad['central_provisioned'] is None, 'a refused exchange says nothing about Central'
    assert 'token exchange into tenant workspace %s failed: HTTP 403' % bistro['id'] in bad['msg']
    assert (strict['count'], strict['failed_tenants']) == (42, 1)

    partial = ok(run, 'two tenants, partial accepted')
    assert partial['tenants'][0]['clients'] == where(sim.truth(acme['id'], 'clients'), status='Connected')
    assert partial['tenants'][1]['failed'] is True
    assert any('1 of 2 tenants failed' in warning for warning in partial['warnings'])

    # A GreenLake-only tenant is reported as not provisioned, not as a failure: only Bistro fails.
    everyone = failed(run, 'every tenant', '1 of 5 tenants failed')
    assert "Bistro d'Or" in everyone['msg'] and 'Harbor View Dental' not in everyone['msg']
    assert [t['name'] for t in everyone['tenants']] == [t['glp']['workspaceName'] for t in truth.values()]
    for entry in everyone['tenants']:
        if entry['name'] == "Bistro d'Or":
            assert entry['failed'] is True
        elif entry['name'] != 'Harbor View Dental':
            assert entry['alerts'] == sim.truth(entry['workspace_id'], 'alerts'), entry['name']
            assert entry['central_provisioned'] is True
    harbor = next(t for t in everyone['tenants'] if t['name'] == 'Harbor View Dental')
    assert (harbor['failed'], harbor['central_provisioned'], harbor['alerts'], harbor['count']) == (False, False, [], 0)
    assert 'not provisioned in Central' in harbor['msg']

    sites = ok(run, 'every tenant, partial accepted')
    assert sites['failed_tenants'] == 1
    assert sites['count'] == sum(t['counts']['sites-health'] or 0 for t in truth.values()
                                 if t['name'] not in ("Bistro d'Or", 'Harbor View Dental'))
    sim.reset()


def test_fields_keep_only_the_chosen_keys(simulator):
    sim = simulator
    sim.reset()
    truth = tenants(sim)
    acme, zurich = truth['Acme Retail Group'], truth['Zürich Kliniken']
    run = run_tasks(sim, '''
        - name: three keys of every device of two tenants
          central.msp.tenant_device_info:
            tenants: [Acme Retail Group, Zürich Kliniken]
            fields: [serialNumber, deviceType, status]
        - name: a flat site key and a misspelt one
          central.msp.tenant_site_info:
            tenant: Acme Retail Group
            fields: [siteName, health_poor, sitename]
    ''')
    assert run.rc == 0, run.output[-3000:]
    devices = ok(run, 'three keys of every device of two tenants')
    for entry, tenant in zip(devices['tenants'], (acme, zurich)):
        assert entry['devices'] == [{key: device[key] for key in ('serialNumber', 'deviceType', 'status')}
                                    for device in sim.truth(tenant['id'], 'device-inventory')]
    assert not devices.get('warnings')
    sites = ok(run, 'a flat site key and a misspelt one')
    assert sites['sites'] == [{'siteName': site['siteName'], 'health_poor': flat_site(site)['health_poor']}
                              for site in sim.truth(acme['id'], 'sites-health')]
    assert any('no item has sitename' in warning and 'siteName' in warning for warning in sites['warnings'])


def test_status_in_any_case_and_values_that_cannot_exist(simulator):
    """status: offline returns the offline devices whichever source is read (the inventory cannot filter on it, so
    the module does); a misspelt value fails and lists the valid ones; nothing sent is refused by the API."""
    sim = simulator
    sim.reset()
    truth = tenants(sim)
    northwind = truth['Northwind Logistics']
    run = run_tasks(sim, '''
        - name: offline devices, inventory
          central.msp.tenant_device_info:
            tenant: Northwind Logistics
            status: offline
        - name: offline access points, monitoring
          central.msp.tenant_device_info:
            tenant: Northwind Logistics
            source: monitoring
            device_type: [ap]
            status: OFFLINE
        - name: critical alerts
          central.msp.tenant_alert_info:
            tenant: Northwind Logistics
            severity: [critical]
        - name: misspelt status
          central.msp.tenant_device_info:
            tenant: Northwind Logistics
            status: offlne
        - name: a severity that cannot exist
          central.msp.tenant_alert_info:
            tenant: Northwind Logistics
            severity: [urgent]
    ''', ignore_errors=True)
    inventory = sim.truth(northwind['id'], 'device-inventory')
    offline = where(inventory, status='OFFLINE')
    assert len(offline) == northwind['central']['deviceHealthStatus']['poor'] > 0
    assert ok(run, 'offline devices, inventory')['devices'] == offline
    assert ok(run, 'offline access points, monitoring')['devices'] == where(
        sim.truth(northwind['id'], 'devices'), status='OFFLINE', deviceType='ACCESS_POINT')
    critical = where(sim.truth(northwind['id'], 'alerts'), severity='Critical')
    assert critical and ok(run, 'critical alerts')['alerts'] == critical
    failed(run, 'misspelt status', "status: 'offlne' is not a value the API knows; use one of online, offline")
    failed(run, 'a severity that cannot exist', "use one of critical, major, minor")
    assert not [status for status in sim.stats(log=False)['by_status'] if status.startswith('4')]


def test_greenlake_only_tenants_are_not_provisioned_not_failures(simulator):
    """all_tenants / tenants without allow_partial: a tenant Central does not manage does not fail the task."""
    sim = simulator
    sim.reset()
    truth = tenants(sim)
    run = run_tasks(sim, '''
        - name: every tenant
          central.msp.tenant_device_info:
            all_tenants: true
        - name: a GreenLake-only tenant in a list
          central.msp.tenant_site_info:
            tenants: [Harbor View Dental, Acme Retail Group]
    ''')
    everyone = ok(run, 'every tenant')
    assert everyone['failed_tenants'] == 0
    by_name = {entry['name']: entry for entry in everyone['tenants']}
    for name, tenant in truth.items():
        assert by_name[name]['central_provisioned'] is bool(tenant['central_id']), name
    assert everyone['count'] == sum(t['counts']['device-inventory'] or 0 for t in truth.values())
    listed = ok(run, 'a GreenLake-only tenant in a list')
    assert [(t['name'], t['central_provisioned'], t['failed']) for t in listed['tenants']] == [
        ('Harbor View Dental', False, False), ('Acme Retail Group', True, False)]
    assert not listed.get('warnings')
    sim.reset()
