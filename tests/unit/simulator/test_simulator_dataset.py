"""The data itself: deterministic, realistic, lazily built, and Central's summaries agree with tenant data."""

import pytest

from tests.simulator.dataset import CENTRAL_KINDS, HEALTH, KINDS, Dataset


def summary_from_items(ds, tenant):
    """Central's list-tenants numbers, recomputed from the tenant-level items."""
    sites = ds.items(tenant, 'sites-health')
    devices = ds.items(tenant, 'devices')
    active = [a['severity'] for a in ds.items(tenant, 'alerts') if a['status'] == 'Active']
    # Device health is not in the devices API; sites-health counts it per site.
    health = {h.lower(): sum(g['value'] for s in sites for g in s['devices']['health']['groups'] if g['name'] == h)
              for h in HEALTH}
    return {'totalSites': len(sites),
            'degradedSites': sum(1 for s in sites if s['devices']['health']['groups'][2]['value'] > 0),
            'deviceHealthStatus': dict(total=len(devices), **health),
            'alerts': {'total': len(active), 'critical': active.count('Critical'), 'major': active.count('Major'),
                       'minor': active.count('Minor')}}


def assert_consistent(ds, tenant):
    counts = ds.counts(tenant)
    for kind in KINDS:
        if counts[kind] is not None:
            assert len(ds.items(tenant, kind)) == counts[kind], kind
    summary = ds.central_summary(tenant)
    if summary:
        assert {k: summary[k] for k in ('totalSites', 'degradedSites', 'deviceHealthStatus', 'alerts')} == \
            summary_from_items(ds, tenant)
        sites = ds.items(tenant, 'sites-health')
        for site in sites:
            site_devices = [d for d in ds.items(tenant, 'devices') if d['siteId'] == site['id']]
            assert site['devices']['count'] == len(site_devices)
        # Poor devices are the OFFLINE ones.
        offline = sum(d['status'] == 'OFFLINE' for d in ds.items(tenant, 'devices'))
        assert offline == summary['deviceHealthStatus']['poor']


def test_demo_looks_like_a_real_msp():
    ds = Dataset.create('demo', seed=1)
    tenants = ds.tenants()
    names = [t.name for t in tenants]
    assert 4 <= len(tenants) <= 5
    assert all(' ' in n for n in names if n != "Bistro d'Or")
    assert "Bistro d'Or" in names and any(not n.isascii() for n in names)
    assert [t.name for t in tenants if not t.central_id] == ['Harbor View Dental']
    summaries = [ds.central_summary(t) for t in tenants if t.central_id]
    assert any(s['degradedSites'] for s in summaries) and any(s['degradedSites'] == 0 for s in summaries)
    assert any(s['alerts']['critical'] for s in summaries)
    for tenant in tenants:
        assert tenant.central_id != tenant.hex
        assert_consistent(ds, tenant)
    devices = [d for t in tenants for d in ds.items(t, 'devices')]
    assert {d['deviceType'] for d in devices} == {'ACCESS_POINT', 'SWITCH', 'GATEWAY'}
    inventory = [d for t in tenants for d in ds.items(t, 'device-inventory')]
    assert {d['isProvisioned'] for d in inventory} == {'Yes', 'No'}
    clients = [c for t in tenants for c in ds.items(t, 'clients')]
    assert len({c['wlanName'] for c in clients if c['wlanName']}) >= 6
    assert {c['clientConnectionType'] for c in clients} == {'Wired', 'Wireless'}
    assert {c['status'] for c in clients} == {'Connected', 'Failed'}
    alerts = [a for t in tenants for a in ds.items(t, 'alerts')]
    assert {a['status'] for a in alerts} == {'Active', 'Cleared', 'Deferred'}
    assert {a['severity'] for a in alerts} == {'Critical', 'Major', 'Minor'}
    assert {s['deviceOwnership'] for s in summaries} == {'MSP', 'TENANT'}
    assert all(isinstance(s['lastUpdatedTime'], int) and s['lastUpdatedTime'] > 1.7e9 for s in summaries)
    reasons = [r for t in tenants for s in ds.items(t, 'sites-health') for r in s['reasons']]
    assert reasons and all(set(r) == {'health', 'reason', 'data'} for r in reasons)


def test_every_device_and_client_is_unique():
    ds = Dataset.create('scale', seed=3, tenants=30, devices_per_tenant=40, big_tenants=1, big_tenant_devices=700)
    serials = [d['serialNumber'] for t in ds.tenants() for d in ds.items(t, 'device-inventory')]
    macs = [c['macAddress'] for t in ds.tenants() for c in ds.items(t, 'clients')]
    assert len(serials) == len(set(serials)) == 29 * 40 + 700
    assert len(macs) == len(set(macs))


def test_same_seed_same_data_in_any_build_order():
    first = Dataset.create('scale', seed=7, tenants=5, devices_per_tenant=30)
    second = Dataset.create('scale', seed=7, tenants=5, devices_per_tenant=30)
    for tenant in reversed(second.tenants()):
        for kind in reversed(KINDS):
            second.items(tenant, kind)
    assert first.client_secret == second.client_secret and len(first.client_secret) >= 40
    for a, b in zip(first.tenants(), second.tenants()):
        assert (a.id, a.name, a.central_id) == (b.id, b.name, b.central_id)
        for kind in KINDS:
            assert first.items(a, kind) == second.items(b, kind)
    other = Dataset.create('scale', seed=8, tenants=5, devices_per_tenant=30)
    assert other.tenants()[0].id != first.tenants()[0].id and other.client_id != first.client_id


def test_a_small_cache_evicts_and_rebuilds_the_same_items():
    small = Dataset.create('scale', seed=7, tenants=5, devices_per_tenant=30, cache_items=100)
    first = [small.items(tenant, 'device-inventory') for tenant in small.tenants()]
    held = sum(len(items) for items in small._cache.values())  # pylint: disable=protected-access
    assert held <= 100 or len(small._cache) == 1  # pylint: disable=protected-access
    again = [small.items(tenant, 'device-inventory') for tenant in small.tenants()]
    assert again == first and again[0] is not first[0]  # rebuilt, not kept
    roomy = Dataset.create('scale', seed=7, tenants=5, devices_per_tenant=30)
    kept = [roomy.items(tenant, 'device-inventory') for tenant in roomy.tenants()]
    assert kept == first and roomy.items(roomy.tenants()[0], 'device-inventory') is kept[0]


def test_scale_builds_lazily():
    # What keeps a start fast on any machine: 1,000 tenants and their Central summaries build no device list.
    ds = Dataset.create('scale', seed=1, tenants=1000, devices_per_tenant=1000, big_tenants=3, big_tenant_devices=2500)
    summaries = [ds.central_summary(t) for t in ds.tenants()]
    assert not ds._cache  # pylint: disable=protected-access
    assert len(summaries) == 1000 and sum(s is None for s in summaries) == 10
    assert [ds.counts(t)['device-inventory'] for t in ds.tenants()[:4]] == [2500, 2500, 2500, 1000]
    for tenant in (ds.tenants()[0], ds.tenants()[500]):
        assert_consistent(ds, tenant)
    odd = [t.name for t in ds.tenants() if "'" in t.name or not t.name.isascii()]
    assert len(odd) >= 20


@pytest.mark.parametrize('devices', [0, 1, 2, 5, 60])
def test_small_and_empty_tenants_are_consistent(devices):
    ds = Dataset.create('demo', seed=2)
    tenant = ds.add_tenant(f'Tiny {devices}', devices=devices)
    assert tenant.added and ds.tenant(tenant.hex) is tenant and ds.tenant(tenant.id.upper()) is tenant
    assert_consistent(ds, tenant)


def test_glp_only_tenant_has_glp_data_only():
    ds = Dataset.create('demo')
    harbor = next(t for t in ds.tenants() if not t.central_id)
    assert all(ds.items(harbor, kind) == [] for kind in CENTRAL_KINDS)
    assert {d['assignedState'] for d in ds.items(harbor, 'glp-devices')} == {'UNASSIGNED'}
    assert ds.items(ds.msp, 'glp-devices') and ds.items(ds.msp.id, 'audit-logs')


def test_tenant_listings_follow_added_and_removed_tenants():
    ds = Dataset.create('demo')
    assert [t['workspaceName'] for t in ds.listing('glp')][-1] == 'Harbor View Dental'
    ds.add_tenant('First Added')
    assert ds.listing('glp')[-1]['workspaceName'] == 'First Added' == ds.listing('central')[-1]['tenantName']
    ds.remove_added_tenants()
    ds.add_tenant('Second Added', central=False)
    assert ds.listing('glp')[-1]['workspaceName'] == 'Second Added'
    assert ds.listing('central')[-1]['tenantName'] == 'Northwind Logistics'


def test_two_tenants_may_share_a_name():
    """GLP allows it: each keeps its own id, Central tenant id and data."""
    ds = Dataset.create('demo')
    twin = ds.add_tenant('Acme Retail Group', devices=7)
    acme = next(t for t in ds.tenants() if t.name == 'Acme Retail Group' and not t.added)
    assert (twin.id, twin.central_id) != (acme.id, acme.central_id)
    names = [item['tenantName'] for item in ds.listing('central')]
    assert names.count('Acme Retail Group') == 2
    assert len(ds.items(twin, 'device-inventory')) == 7 != len(ds.items(acme, 'device-inventory'))


def test_device_status_changes_keep_both_levels_consistent():
    ds = Dataset.create('demo')
    acme = next(t for t in ds.tenants() if t.name == 'Acme Retail Group')
    before, clients = ds.central_summary(acme), len(ds.items(acme, 'clients'))
    device = next(d for d in ds.items(acme, 'devices') if d['status'] == 'ONLINE' and d['deviceType'] == 'ACCESS_POINT')
    connected = [c for c in ds.items(acme, 'clients') if c['connectedDeviceSerial'] == device['serialNumber']]
    assert connected and before['degradedSites'] == 0
    went = ds.set_device_status(acme.id, device['serialNumber'], 'OFFLINE')
    now = next(d for d in ds.items(acme, 'devices') if d['serialNumber'] == device['serialNumber'])
    assert now['status'] == 'OFFLINE'
    raised = [a for a in ds.items(acme, 'alerts') if a['id'] in went['raised']]
    assert [(a['severity'], a['status']) for a in raised] == [('Critical', 'Active')]
    assert ds.items(acme, 'alert-devices')[raised[0]['id']] == device['serialNumber']
    assert ds.items(acme, 'alert-sites')[raised[0]['id']] == device['siteId']
    assert ds.items(acme, 'alerts')[0] == raised[0]  # the newest alert
    assert not [c for c in ds.items(acme, 'clients') if c['connectedDeviceSerial'] == device['serialNumber']]
    after = ds.central_summary(acme)
    assert after['degradedSites'] == 1 and after['alerts']['critical'] == before['alerts']['critical'] + 1
    assert [t['degradedSites'] for t in ds.listing('central') if t['tenantName'] == acme.name] == [1]
    assert_consistent(ds, acme)
    came = ds.set_device_status(acme.id, device['serialNumber'], 'ONLINE')
    assert came['cleared'] == went['raised']
    assert {a['status'] for a in ds.items(acme, 'alerts') if a['id'] in went['raised']} == {'Cleared'}
    assert ds.central_summary(acme)['degradedSites'] == 0 and len(ds.items(acme, 'clients')) == clients
    assert_consistent(ds, acme)
    with pytest.raises(ValueError, match='already ONLINE'):
        ds.set_device_status(acme.id, device['serialNumber'], 'ONLINE')
    with pytest.raises(ValueError, match='no monitored device'):
        ds.set_device_status(acme.id, 'NOPE', 'OFFLINE')
    ds.remove_added_tenants()  # a dataset reset also undoes run-time changes
    assert ds.central_summary(acme) == before
