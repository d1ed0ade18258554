"""Every value the simulator serves passes HPE's published definitions themselves, not only our contract.

tests/simulator/spec_schemas.json holds, for each endpoint of contract.ENDPOINTS, the schema of its 200 page as
the definitions give it (tests/simulator/spec_schemas.py extracts it from ../shared/specs). Here the pages of
both datasets, after writes and run-time changes that make every kind of item the simulator can serve, are
validated against it with a small validator of the keywords it keeps. One reading is ours: the definitions type
almost nothing as nullable though their own examples answer null (contract.py, "inferred: null"), so a null
passes where the definitions or our contract make the field nullable.
"""
import copy
import functools
import ipaddress
import json
import os
import re
from datetime import datetime

import pytest

from ansible_collections.central.msp.plugins.module_utils.contract import ENDPOINTS

from tests.simulator import spec_schemas
from tests.simulator.client import SimClient
from tests.simulator.pytest_plugin import start_simulator
from tests.unit.simulator.test_simulator_contract import every_page

with open(spec_schemas.OUTPUT, encoding='utf-8') as _handle:
    DEFINITIONS = json.load(_handle)

# ---- the validator --------------------------------------------------------------------------------------------

_DATE_TIME = re.compile(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)\Z')
_UUID = re.compile(r'[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z')


def _date_time(text):
    """RFC 3339, and a real moment (no 30 February)."""
    if not _DATE_TIME.match(text):
        return False
    try:
        datetime.strptime(text[:19], '%Y-%m-%dT%H:%M:%S')
    except ValueError:
        return False
    return True


def _address(kind):
    def test(text):
        try:
            kind(text)
        except ValueError:
            return False
        return True
    return test


STRING_FORMATS = {'date-time': _date_time, 'uuid': _UUID.match, 'email': re.compile(r'[^@\s]+@[^@\s]+\Z').match,
                  'ipv4': _address(ipaddress.IPv4Address), 'ipv6': _address(ipaddress.IPv6Address)}
INTEGER_FORMATS = {'int32': 2 ** 31, 'int64': 2 ** 63}
# Formats that constrain nothing: the definitions put 'const' on plain strings; double and float are widths.
FREE_FORMATS = {'const', 'double', 'float'}
TYPES = {'string': lambda v: isinstance(v, str), 'boolean': lambda v: isinstance(v, bool),
         'integer': lambda v: isinstance(v, int) and not isinstance(v, bool),
         'number': lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
         'object': lambda v: isinstance(v, dict), 'array': lambda v: isinstance(v, list)}


def validate(spec, value, ours=None, where='body'):
    """Every way ``value`` breaks the definitions' ``spec``; ``ours`` is the contract's schema of the same
    value, which says where a null is our reading."""
    if value is None:
        return [] if spec.get('nullable') or (ours or {}).get('nullable') else [f'{where}: null']
    if 'anyOf' in spec and all(validate(option, value, ours, where) for option in spec['anyOf']):
        return [f'{where}: {value!r} matches none of its anyOf']
    kind = spec.get('type')
    if kind is not None and not TYPES[kind](value):
        return [f'{where}: {value!r} is not of type {kind}']
    problems = []
    if 'enum' in spec and value not in spec['enum']:
        problems.append(f'{where}: {value!r} is not in its enum')
    if isinstance(value, str):
        if 'maxLength' in spec and len(value) > spec['maxLength']:
            problems.append(f"{where}: {value!r} is longer than {spec['maxLength']}")
        if 'minLength' in spec and len(value) < spec['minLength']:
            problems.append(f"{where}: {value!r} is shorter than {spec['minLength']}")
        if 'pattern' in spec and not re.search(spec['pattern'], value):
            problems.append(f"{where}: {value!r} does not match {spec['pattern']}")
        if spec.get('format') in STRING_FORMATS and not STRING_FORMATS[spec['format']](value):
            problems.append(f"{where}: {value!r} is not a {spec['format']}")
    if TYPES['number'](value):
        for key, fits in (('minimum', lambda bound: value >= bound), ('maximum', lambda bound: value <= bound),
                          ('exclusiveMinimum', lambda bound: value > bound),
                          ('exclusiveMaximum', lambda bound: value < bound)):
            if key in spec and not fits(spec[key]):
                problems.append(f'{where}: {value!r} breaks its {key} {spec[key]}')
        bound = INTEGER_FORMATS.get(spec.get('format'))
        if bound and not -bound <= value < bound:
            problems.append(f"{where}: {value!r} is not an {spec['format']}")
    if isinstance(value, dict):
        mine = (ours or {}).get('properties', {})
        extra = spec.get('additionalProperties')
        problems += [f'{where}.{name}: required key missing' for name in spec.get('required', ()) if name not in value]
        for name, item in value.items():
            sub = spec.get('properties', {}).get(name, extra if isinstance(extra, dict) else None)
            if sub is not None:
                problems += validate(sub, item, mine.get(name), f'{where}.{name}')
            elif extra is False:
                problems.append(f'{where}.{name}: not allowed')
    if isinstance(value, list):
        if len(value) > spec.get('maxItems', len(value)) or len(value) < spec.get('minItems', 0):
            problems.append(f'{where}: {len(value)} items, outside its minItems / maxItems')
        for index, item in enumerate(value):
            problems += validate(spec.get('items', {}), item, (ours or {}).get('items'), f'{where}[{index}]')
    return problems


def _formats(node):
    if isinstance(node, dict):
        yield from ([node['format']] if isinstance(node.get('format'), str) else [])
        for value in node.values():
            yield from _formats(value)
    elif isinstance(node, list):
        for value in node:
            yield from _formats(value)


def test_the_validator_knows_every_format_the_definitions_use():
    assert set(_formats(DEFINITIONS)) <= set(STRING_FORMATS) | set(INTEGER_FORMATS) | FREE_FORMATS


def test_the_validator_catches_what_the_definitions_refuse():
    spec = {'type': 'object', 'required': ['a'], 'properties': {
        'a': {'type': 'string', 'maxLength': 3}, 'b': {'type': 'string', 'format': 'date-time'},
        'c': {'type': 'integer', 'format': 'int32', 'minimum': 0}, 'd': {'type': 'string', 'enum': ['X']},
        'e': {'type': 'object', 'additionalProperties': {'type': 'string'}},
        'f': {'type': 'string', 'pattern': '^[a-f]+$'}, 'g': {'type': 'string', 'nullable': True}}}
    good = {'a': 'abc', 'b': '2025-11-20T12:00:00.000Z', 'c': 5, 'd': 'X', 'e': {'k': 'v'}, 'f': 'abc', 'g': None}
    assert validate(spec, good) == []
    for key, bad in (('a', 'abcd'), ('b', '2025-02-30T12:00:00Z'), ('b', '2025-11-20 12:00'), ('c', 2 ** 31),
                     ('c', -1), ('c', True), ('d', 'Y'), ('e', {'k': 1}), ('f', 'abg'), ('a', None)):
        assert validate(spec, dict(good, **{key: bad})), (key, bad)
    assert validate(spec, {'b': good['b']}) == ['body.a: required key missing']
    # A null passes where our contract reads the field as nullable, and nowhere else.
    assert validate(spec, dict(good, a=None), {'properties': {'a': {'nullable': True}}}) == []


def test_the_committed_schemas_are_what_the_definitions_give():
    directory = spec_schemas.specs_dir()
    if not os.path.isdir(directory):
        pytest.skip(f'HPE definitions not found at {directory} (set CENTRAL_MSP_SPECS): cannot regenerate')
    with open(spec_schemas.OUTPUT, encoding='utf-8') as handle:
        committed = handle.read()
    assert spec_schemas.render(spec_schemas.extract(directory)) == committed, \
        'tests/simulator/spec_schemas.json is stale: run python tests/simulator/spec_schemas.py'


# ---- what the simulator serves --------------------------------------------------------------------------------

# Failed clients are listed only in a window; a week back from the simulator's present holds them all.


def _send(client, sim, method, path, token, body=None, params=None, content_type='application/json'):
    headers = {'Authorization': f'Bearer {token}', 'Content-Type': content_type}
    return client.session.request(method, f"{sim.info['glp_base_url']}/{path}", params=params, headers=headers,
                                  data=json.dumps(body), timeout=30)


def _done(client, sim, token, response):
    """Follow an asynchronous operation to its end; it must succeed for every device."""
    assert response.status_code == 202, response.text
    location = response.headers['Location'].lstrip('/')
    for _i in range(20):
        state = _send(client, sim, 'GET', location, token).json()
        if state['status'] in ('SUCCEEDED', 'FAILED'):
            assert state['status'] == 'SUCCEEDED', state
            return
    raise AssertionError('the operation did not end')


def make_every_variant(sim, client, msp):
    """Writes and run-time changes after which the demo serves every kind of item the simulator makes: devices
    added (network ones with their MAC address in each spelling GLP takes, and a compute one with tags), moved into
    a tenant, assigned to Central with a subscription each, and a device gone offline (a raised alert, fewer
    clients)."""
    sim.fault(action='config', async_poll_seconds=0)
    send = functools.partial(_send, client, sim)
    network = [{'serialNumber': 'CNSPEC0001', 'macAddress': '20-4c-00-00-99-01'},
               {'serialNumber': 'SGSPEC0001', 'macAddress': '204c00009902'},
               {'serialNumber': 'CKSPEC0001', 'macAddress': '20:4c:00:00:99:03'}]
    compute = [{'serialNumber': 'CZSPEC0001', 'partNumber': 'P19568-B21', 'tags': {'rack': 'A1', 'unset': None}}]
    _done(client, sim, msp, send('POST', 'devices/v1/devices', msp,
                                 {'network': network, 'compute': compute, 'storage': []}))
    serials = ', '.join(f"'{d['serialNumber']}'" for d in network + compute)
    added = client.get('glp', 'devices/v1/devices', msp, filter=f'serialNumber in ({serials})').json()['items']
    assert len(added) == 4
    acme = next(t for t in sim.truth()['tenants'] if t['name'] == 'Acme Retail Group')
    writes = sim.admin('GET', 'writes')
    assign = {'application': {'id': writes['central_app_id']}, 'region': 'us-west',
              'tenantPlatformCustomerId': acme['id'].replace('-', '')}
    _done(client, sim, msp, send('PATCH', 'devices/v1/devices', msp, assign, [('id', d['id']) for d in added],
                                 'application/merge-patch+json'))
    for device in added:
        if device['deviceType'] == 'COMPUTE':
            continue
        subscription = next(s for s in writes['subscriptions'] if s['deviceType'] == device['deviceType'])
        _done(client, sim, msp, send('PATCH', 'devices/v1/devices', msp, {'subscription': [{'id': subscription['id']}]},
                                     [('id', device['id'])], 'application/merge-patch+json'))
    online = next(d for d in sim.truth(acme['id'], 'devices') if d['status'] == 'ONLINE')
    assert sim.fault(action='device_status', tenant=acme['id'], serial=online['serialNumber'], status='OFFLINE')['raised']


def serve_all(sim, dataset):
    """endpoint name -> every page it serves, at its largest page size: to the MSP and to a sample of tenants
    (in the demo every one with Central; in the scale dataset the big one, two others and some with odd names),
    and where GLP takes their token, to a GLP-only tenant."""
    client = SimClient(sim.info)
    msp = client.msp_token()
    if dataset == 'demo':
        make_every_variant(sim, client, msp)
    tenants = sim.truth()['tenants']
    central = [t for t in tenants if t['central_id']]
    odd = [t for t in central if not t['name'].isascii() or "'" in t['name']]
    sample = {t['id']: t for t in central[:4] + odd[:3]}
    tokens = [client.exchange(tenant_id, msp) for tenant_id in sample]
    glp_only = [client.exchange(t['id'], msp) for t in tenants if not t['central_id']][:1]
    assert glp_only, 'the dataset has no GLP-only tenant'
    pages = {}
    for name, endpoint in ENDPOINTS.items():
        scoped = {'msp': [msp], 'tenant': tokens, 'any': [msp] + tokens + glp_only}[endpoint.scope]
        pages[name] = [page for token in scoped for page in every_page(client, endpoint, token, endpoint.max_limit)]
    return pages


@pytest.fixture(scope='module', params=['demo', 'scale'])
def served(request):
    args = ('--dataset', 'demo') if request.param == 'demo' else \
        ('--dataset', 'scale', '--tenants', 100, '--devices-per-tenant', 30, '--big-tenants', 1,
         '--big-tenant-devices', 1200)
    with start_simulator(*args) as sim:
        yield request.param, serve_all(sim, request.param), sim


@pytest.mark.parametrize('name', sorted(ENDPOINTS))
def test_every_served_value_passes_the_definitions(served, name):
    _dataset, pages, _sim = served
    spec, ours = DEFINITIONS[name]['page'], ENDPOINTS[name].page
    problems = [problem for page in pages[name] for problem in validate(spec, page, ours)]
    assert problems == [], (name, len(problems), problems[:10])
    assert sum(len(page['items']) for page in pages[name]) > 0


SOME, EMPTY = 'some value', 'an empty list'
# What the pages must have shown between them, so that the check above met every kind of item: a field's values,
# SOME for any value but null, EMPTY for an empty list.
VARIANTS = {
    'device_inventory': {'deviceType': {'ACCESS_POINT', 'SWITCH', 'GATEWAY'}, 'status': {'ONLINE', 'OFFLINE', None},
                         'isProvisioned': {'Yes', 'No'}, 'siteId': {None, SOME}},
    'devices': {'deviceType': {'ACCESS_POINT', 'SWITCH', 'GATEWAY'}, 'status': {'ONLINE', 'OFFLINE'},
                'clusterName': {None, SOME}},
    'clients': {'status': {'Connected', 'Failed'}, 'clientConnectionType': {'Wired', 'Wireless'}, 'ipv4': {None, SOME},
                'wlanName': {None, SOME}},
    'alerts': {'severity': {'Critical', 'Major', 'Minor'}, 'status': {'Active', 'Cleared', 'Deferred'},
               'deviceType': {'Access Point', 'Switch', 'Gateway'}, 'updatedBy': {None, SOME},
               'clearedReason': {None, SOME}},
    'glp_devices': {'assignedState': {'ASSIGNED_TO_SERVICE', 'UNASSIGNED'}, 'application': {None, SOME},
                    'subscription': {EMPTY, SOME}, 'deviceType': {'AP', 'SWITCH', 'GATEWAY'}},
    'sites': {'reasons': {EMPTY, SOME}},
    'central_tenants': {'tenantName': {SOME}},
    'audit_logs': {'hasDetails': {True, False}},
}
# The demo also has a tenant with its own inventory, and what make_every_variant adds.
DEMO_VARIANTS = {
    'msp_tenants': {'inventoryOwnership': {'MSP_OWNED_INVENTORY', 'CUSTOMER_OWNED_INVENTORY'}},
    'central_tenants': {'deviceOwnership': {'MSP', 'TENANT'}},
    'glp_devices': {'deviceType': {'COMPUTE'}, 'tenantWorkspaceId': {None, SOME}, 'tags': {EMPTY, SOME}},
}


def _kind(value, wanted):
    if isinstance(value, (list, dict)):
        return SOME if value else EMPTY
    return value if value is None or value in wanted else SOME


def test_the_pages_hold_every_kind_of_item(served):
    dataset, pages, _sim = served
    missing = []
    for name in sorted(set(VARIANTS) | set(DEMO_VARIANTS)):
        wanted = {field: set(values) for field, values in VARIANTS.get(name, {}).items()}
        for field, values in (DEMO_VARIANTS.get(name, {}) if dataset == 'demo' else {}).items():
            wanted[field] = wanted.get(field, set()) | values
        items = [item for page in pages[name] for item in page['items']]
        for field, values in wanted.items():
            seen = {_kind(item.get(field), values) for item in items}
            missing += [(name, field, value) for value in values - seen]
    assert missing == []


@pytest.mark.parametrize('name', sorted(ENDPOINTS))
def test_made_up_items_of_a_lying_api_pass_the_definitions_too(served, name):
    """The 'endless' paging anomaly serves made-up items past the last page: well-formed ones."""
    _dataset, _pages, sim = served
    endpoint = ENDPOINTS[name]
    client = SimClient(sim.info)
    token = client.msp_token()
    if endpoint.scope == 'tenant':
        token = client.exchange(next(t for t in sim.truth()['tenants'] if t['central_id'])['id'], token)
    sim.fault(action='paging_anomaly', path=re.escape(endpoint.path) + '$', kind='endless')
    try:
        past = {'next': '999'} if endpoint.paging == 'next' else {'offset': 99_999}
        response = client.get(endpoint.app, endpoint.path, token, limit=3, **past)
    finally:
        sim.reset()
    assert response.status_code == 200, response.text
    page = response.json()
    assert len(page['items']) == 3
    assert validate(DEFINITIONS[name]['page'], page, endpoint.page) == []


def test_a_page_that_breaks_the_definitions_is_caught(served):
    """The checks above can fail: values our contract once let through, and a few more, on a served page."""
    _dataset, pages, _sim = served
    cases = {'device_inventory': [('model', '6200F 24G Class4 PoE 4SFP+ 370W Switch'), ('serialNumber', 'X' * 17),
                                  ('siteName', 5), ('deviceType', 'AP')],
             'devices': [('lastSeenAt', '2025-11-20 12:00'), ('uptimeInMillis', -1), ('siteId', None)],
             'glp_devices': [('macAddress', '204c00009902'), ('id', 'not-a-uuid'), ('createdAt', 'yesterday')],
             'alerts': [('createdAt', None)]}
    for name, breaks in cases.items():
        page = pages[name][0]
        assert validate(DEFINITIONS[name]['page'], page, ENDPOINTS[name].page) == []
        for key, value in breaks:
            broken = copy.deepcopy(page)
            broken['items'][0][key] = value
            assert validate(DEFINITIONS[name]['page'], broken, ENDPOINTS[name].page), (name, key, value)
    page = copy.deepcopy(pages['glp_devices'][0])
    page['items'][0]['subscription'] = [{'id': page['items'][0]['id'], 'resourceUri': '/x', 'tier': 'ADVANCED'}]
    assert validate(DEFINITIONS['glp_devices']['page'], page, ENDPOINTS['glp_devices'].page)
