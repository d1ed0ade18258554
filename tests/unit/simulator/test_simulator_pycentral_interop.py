"""The real SDK against the simulator: pycentral 2.0's MSPBase authenticates, lists tenants in Central and GLP,
resolves a tenant by name, exchanges, and pages the device inventory, and gets exactly the simulator's data.

The simulator serves GLP and Central on two origins with no path prefix, as the real hosts are, so the one
test-only adjustment is pycentral's token issuer constant, pointed at the simulator's token endpoint.
"""
import pytest
from pycentral import MSPBase
from pycentral.exceptions import LoginError
from pycentral.new_monitoring import MonitoringDevices
from pycentral.utils import constants as pycentral_constants


@pytest.fixture(params=['http', 'https'])
def sdk_sim(request, monkeypatch):
    """A demo simulator (plain or TLS) with pycentral pointed at it; TLS is verified with the simulator's CA."""
    sim = request.getfixturevalue('simulator' if request.param == 'http' else 'simulator_tls')
    sim.reset(tokens=True, dataset=True)
    monkeypatch.setitem(pycentral_constants.AUTHENTICATION, 'OAUTH_GLOBAL', sim.info['auth_url'])
    if sim.info['ca_file']:
        monkeypatch.setenv('SSL_CERT_FILE', sim.info['ca_file'])          # httpx (API calls)
        monkeypatch.setenv('REQUESTS_CA_BUNDLE', sim.info['ca_file'])     # requests-oauthlib (token calls)
    else:
        monkeypatch.setenv('OAUTHLIB_INSECURE_TRANSPORT', '1')
    return sim


def msp_base(sim, client_secret=None):
    info = sim.info
    return MSPBase(token_info={'unified': {'client_id': info['client_id'], 'client_secret': client_secret or info['client_secret'],
                                           'workspace_id': info['workspace_id'], 'base_url': info['central_base_url'],
                                           'glp_base_url': info['glp_base_url']}}, log_level='CRITICAL')


def test_msp_base_end_to_end(sdk_sim):
    sim = sdk_sim
    truth = sim.truth()
    by_name = {t['name']: t for t in truth['tenants']}
    with msp_base(sim) as msp:
        central = msp.command('GET', 'network-msp/v1/list-tenants', api_params={'limit': 100, 'next': 1})
        assert central['code'] == 200
        assert central['msg']['items'] == [t['central'] for t in truth['tenants'] if t['central']]
        glp = msp.command('GET', 'workspaces/v1/msp-tenants', app_name='glp')
        assert glp['code'] == 200 and glp['msg']['items'] == [t['glp'] for t in truth['tenants']]

        for name in ("Bistro d'Or", 'Z\u00fcrich Kliniken'):
            assert msp.get_tenant_id(name) == by_name[name]['id']
        with pytest.raises(ValueError, match='No tenant'):
            msp.get_tenant_id('Nobody Inc')

        zurich = msp.get_tenant_connection(tenant_name='Z\u00fcrich Kliniken')
        inventory = MonitoringDevices.get_all_device_inventory(central_conn=zurich)
        assert inventory == sim.truth(by_name['Z\u00fcrich Kliniken']['id'], 'device-inventory')
        audit = zurich.command('GET', 'audit-log/v2beta1/logs', app_name='glp')
        assert audit['msg']['items'][:3] == sim.truth(by_name['Z\u00fcrich Kliniken']['id'], 'audit-logs')[:3]

    stats = sim.stats()
    assert stats['msp_tokens'] == 1
    assert stats['exchanges_by_tenant'] == {by_name['Z\u00fcrich Kliniken']['id']: 1}
    assert stats['by_status'] == {'200': stats['requests']}


def test_sdk_pages_a_big_inventory_and_renews_tokens(sdk_sim):
    sim = sdk_sim
    big = sim.fault(action='add_tenant', name='Big Box Retail', devices=2500)
    with msp_base(sim) as msp:
        tenant = msp.get_tenant_connection(tenant_workspace_id=big['id'])
        inventory = MonitoringDevices.get_all_device_inventory(central_conn=tenant)
        assert inventory == sim.truth(big['id'], 'device-inventory') and len(inventory) == 2500
        pages = [e['query'] for e in sim.stats()['requests_log'] if e['path'].endswith('device-inventory')]
        assert pages == ['limit=1000&next=1', 'limit=1000&next=2', 'limit=1000&next=3']

        # An expired tenant token: pycentral renews the MSP token, exchanges again and retries.
        sim.fault(action='expire_tenant_tokens', tenant=big['id'])
        again = tenant.command('GET', 'network-monitoring/v1/device-inventory', api_params={'limit': 5, 'next': 1})
        assert again['code'] == 200 and again['msg']['items'] == inventory[:5]
    stats = sim.stats()
    assert stats['msp_tokens'] == 2 and stats['exchanges'] == 2 and stats['by_status']['401'] == 1


def test_sdk_sees_ambiguous_names_and_wrong_credentials(sdk_sim):
    sim = sdk_sim
    sim.fault(action='add_tenant', name='Northwind Logistics', devices=2)
    with msp_base(sim) as msp:
        with pytest.raises(ValueError, match='Multiple tenants'):
            msp.get_tenant_connection(tenant_name='Northwind Logistics')
    with pytest.raises(LoginError, match='client authentication failed'):
        msp_base(sim, client_secret='wrong')
