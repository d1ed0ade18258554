"""Every page the simulator serves conforms to our contract (plugins/module_utils/contract.py): every endpoint,
several page sizes, both datasets. The check is made here, on what came over the wire, independently of the
simulator's own check before sending."""
import copy

import pytest

from ansible_collections.central.msp.plugins.module_utils.contract import ENDPOINTS, check

from tests.simulator.client import SimClient
from tests.simulator.pytest_plugin import start_simulator

# Failed clients are listed only in a window; a week back from the simulator's present holds them all.
EXTRA = {'clients': {'filter': "status in ('Connected', 'Failed')", 'start-at': '2025-11-14T12:00:00Z'}}


def every_page(client, endpoint, token, limit):
    """Every page of one endpoint at one page size, following the endpoint's own cursor."""
    params = {'next': '1'} if endpoint.paging == 'next' else {'offset': 0}
    for _i in range(5000):
        response = client.get(endpoint.app, endpoint.path, token, limit=limit, **params, **EXTRA.get(endpoint.name, {}))
        assert response.status_code == 200, response.text
        page = response.json()
        yield page
        if endpoint.paging == 'next':
            if page['next'] is None:
                return
            params = {'next': page['next']}
        else:
            params = {'offset': params['offset'] + page['count']}
            if not page['items'] or params['offset'] >= page['total']:
                return
    raise AssertionError(f'{endpoint.path}: paging did not end')


@pytest.fixture(scope='module', params=['demo', 'scale'])
def served(request):
    args = ('--dataset', 'demo') if request.param == 'demo' else \
        ('--dataset', 'scale', '--tenants', 30, '--devices-per-tenant', 40, '--big-tenants', 1, '--big-tenant-devices', 400)
    with start_simulator(*args) as sim:
        client = SimClient(sim.info)
        msp = client.msp_token()
        truth = sim.truth()
        central = [t for t in truth['tenants'] if t['central_id']]
        # The biggest tenant pages everywhere; a GLP-only one and the MSP itself have GLP data only.
        tenants = [client.exchange(t['id'], msp) for t in central[:3]]
        glp_only = [client.exchange(t['id'], msp) for t in truth['tenants'] if not t['central_id']][:1]
        yield client, msp, tenants, glp_only


@pytest.mark.parametrize('name', sorted(ENDPOINTS))
def test_every_page_conforms(served, name):
    client, msp, tenants, glp_only = served
    endpoint = ENDPOINTS[name]
    tokens = {'msp': [msp], 'tenant': tenants, 'any': [msp] + tenants + glp_only}[endpoint.scope]
    pages = 0
    for token in tokens:
        for limit in sorted({1, 7, endpoint.default_limit, endpoint.max_limit}):
            for page in every_page(client, endpoint, token, limit):
                assert check(endpoint.page, page) == [], (name, limit)
                assert len(page['items']) <= limit
                pages += 1
    assert pages > len(tokens) * 2


def test_the_check_catches_what_breaks_the_contract(served):
    """The checks above can fail: a missing required key, a wrong type, a value outside an enum, a null."""
    client, _msp, tenants, _glp_only = served
    cases = {
        # The model the simulator once served: 38 characters, where the definitions allow 32.
        'devices': [('deviceType', 'AP'), ('serialNumber', None), ('status', 'online'),
                    ('model', '6200F 24G Class4 PoE 4SFP+ 370W Switch'), ('lastSeenAt', '20 Nov 2025')],
        'device_inventory': [('isProvisioned', True), ('id', 12), ('model', '6200F 24G Class4 PoE 4SFP+ 370W Switch')],
        'glp_devices': [('macAddress', '204c00000001'), ('id', 'CN0010001A')],
        'alerts': [('severity', 'CRITICAL'), ('status', 'ACTIVE'), ('deviceType', 'AP')],
        'clients': [('status', 'CONNECTED'), ('clientConnectionType', 'WIRELESS'), ('vlanId', 10)],
        'sites': [('reasons', ['1 device(s) offline'])],
        'central_tenants': [('deviceOwnership', 'MSP_OWNED'), ('lastUpdatedTime', '2025-11-20T12:00:00.000Z')],
    }
    for name, breaks in cases.items():
        endpoint = ENDPOINTS[name]
        token = tenants[0] if endpoint.scope == 'tenant' else client.msp_token()
        page = next(every_page(client, endpoint, token, 5))
        assert page['items'] and check(endpoint.page, page) == []
        for key, value in breaks:
            broken = copy.deepcopy(page)
            broken['items'][0][key] = value
            assert check(endpoint.page, broken), (name, key, value)
        required = [key for key, schema in endpoint.page['properties']['items']['items']['properties'].items()
                    if schema['required']]
        if required:
            broken = copy.deepcopy(page)
            del broken['items'][-1][required[0]]
            assert any('required key missing' in problem for problem in check(endpoint.page, broken))
        broken = dict(page, count='5')
        assert check(endpoint.page, broken) == ["body.count: '5' is not an integer"]
