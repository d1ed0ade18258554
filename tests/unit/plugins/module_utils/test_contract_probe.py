"""The live-contract probe (plugins/module_utils/contract_probe.py): that it covers every endpoint of the contract,
what it finds wrong in a page (fields, enums, lengths, formats, paging, rate-limit headers), that its report and
messages carry no value that could be customer data, and whole probes against the simulator, in process."""

import json
import os
import stat

import pytest
import requests

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.central.msp.plugins.module_utils import contract, contract_probe as probe
from ansible_collections.central.msp.plugins.modules.msp_contract_probe import TASK

DEVICES = contract.ENDPOINTS['devices']
HEADERS = requests.structures.CaseInsensitiveDict


def device(**fields):
    """A monitored device as the contract wants it."""
    item = {'id': 'CN00000001', 'type': 'network-monitoring/device-monitoring', 'serialNumber': 'CN00000001',
            'deviceName': 'hq-ap-01', 'deviceType': 'ACCESS_POINT', 'macAddress': '20:4c:03:00:00:01',
            'siteId': '1234', 'status': 'ONLINE', 'ipv4': '10.0.0.1', 'lastSeenAt': '2025-11-20T11:59:00Z'}
    item.update(fields)
    return item


def devices_page(items, **fields):
    return dict({'items': items, 'count': len(items), 'total': len(items), 'next': None}, **fields)


def inspect(body, endpoint=DEVICES, headers=None, limit=1000):
    query = probe.first_page_query(endpoint, limit)
    return probe.inspect_page(endpoint, 'tenant', 200, HEADERS(headers or {}), body, query)


# ---- coverage -------------------------------------------------------------------------------------------------

def test_the_plan_is_every_endpoint_of_the_contract_in_each_scope_it_answers():
    plan = probe.probe_plan()
    assert {endpoint.name for endpoint, _scope in plan} == set(contract.ENDPOINTS)
    for name, endpoint in contract.ENDPOINTS.items():
        scopes = [scope for planned, scope in plan if planned.name == name]
        assert scopes == {'msp': ['msp'], 'tenant': ['tenant'], 'any': ['msp', 'tenant']}[endpoint.scope], name


def test_an_endpoint_added_to_the_contract_is_probed_without_another_change():
    added = contract.Endpoint('new_list', 'central', 'network-monitoring/v1/new', 'tenant', 'next', 100, 10, 'id',
                              contract.next_page(contract.obj({'id': contract.req(contract.string())})),
                              contract.NEXT_PARAMS)
    assert ('new_list', 'tenant') in {(endpoint.name, scope)
                                      for endpoint, scope in probe.probe_plan(dict(contract.ENDPOINTS, new_list=added))}


def test_the_first_page_is_asked_as_each_endpoint_pages():
    assert probe.first_page_query(contract.ENDPOINTS['central_tenants']) == {'limit': 100, 'next': '1'}
    assert probe.first_page_query(contract.ENDPOINTS['sites'], 50) == {'limit': 50, 'offset': 0}
    assert probe.first_page_query(contract.ENDPOINTS['alerts'], 5000) == {'limit': 100}


# ---- what is checked -----------------------------------------------------------------------------------------

def test_a_conforming_page_passes_and_its_shape_is_kept():
    entry = inspect(devices_page([device(), device(id='CN00000002', status='OFFLINE')]))
    assert entry['result'] == 'ok' and entry['mismatches'] == [] and entry['items'] == 2
    assert entry['fields']['items[].status']['enum_seen'] == {'ONLINE': 1, 'OFFLINE': 1}
    assert entry['fields']['items[].deviceName'] == {'types': ['string'], 'present': 2, 'longest': 8,
                                                     'max_length': 256}
    assert entry['fields']['items[].ipv4']['format'] == {'name': 'ipv4', 'conforming': 2, 'not_conforming': 0}
    assert entry['page'] == {'count': 2, 'total': 2, 'next': 'null'}


def test_a_wrong_enum_value_is_named_with_its_item_and_field():
    items = [device(id='CN%08d' % number) for number in range(5)]
    items[3]['status'] = 'BROKEN'
    entry = inspect(devices_page(items))
    assert entry['result'] == 'mismatch'
    assert entry['mismatches'] == ["items[3].status: 'BROKEN' is not one of ONLINE, OFFLINE"]
    assert entry['fields']['items[].status']['enum_seen'] == {'ONLINE': 4, 'BROKEN': 1}


@pytest.mark.parametrize('change,message', [
    ({'deviceType': None}, 'items[0].deviceType: null, expected string'),
    ({'uptimeInMillis': -5}, 'items[0].uptimeInMillis: -5 is below the minimum 0'),
    ({'lastSeenAt': 'yesterday'}, 'items[0].lastSeenAt: a string of 9 characters is not a valid date-time'),
    ({'model': 'M' * 40}, 'items[0].model: a string of 40 characters is 40 characters long, at most 32 allowed'),
    ({'siteId': 1234}, 'items[0].siteId: a number is not a string'),
])
def test_types_lengths_formats_and_ranges(change, message):
    assert inspect(devices_page([device(**change)]))['mismatches'] == [message]


def test_a_required_field_missing_is_named_and_counted():
    item = device()
    del item['serialNumber']
    entry = inspect(devices_page([item, device()]))
    assert entry['mismatches'] == ['items[0].serialNumber: required key missing']
    assert entry['fields']['items[].serialNumber']['missing'] == 1


@pytest.mark.parametrize('endpoint,body,query,message', [
    ('devices', {'items': [device()], 'count': 2, 'total': 1, 'next': None}, None,
     'count: 2, but the page holds 1 items'),
    ('devices', {'items': [], 'count': 0, 'total': 5, 'next': '2'}, None, 'next: a cursor on an empty page'),
    ('devices', {'items': [device()], 'count': 1, 'total': 1, 'next': '2'}, None,
     'next: a cursor, although all 1 items of total are on this page'),
    ('devices', {'items': [device()], 'count': 1, 'total': 9, 'next': None}, None,
     'next: null on the first page, although total is 9 and the page holds 1 items'),
    ('devices', {'items': [device(), device(id='2')], 'count': 2, 'total': 1, 'next': None}, None,
     'total: 1, fewer than the 2 items of this page'),
    ('devices', {'items': [device(), device(id='2')], 'count': 2, 'total': 2, 'next': None}, 1,
     'items: 2 items, more than the limit 1 asked for'),
    ('glp_devices', {'items': [], 'count': 0, 'offset': 10, 'total': 0}, None, 'offset: 10, but offset 0 was asked for'),
    ('audit_logs', {'items': [], 'count': 0, 'offset': 0, 'total': 3, 'remainingRecords': False}, None,
     'remainingRecords: false, but 0 of total 3 items are read at offset 0'),
])
def test_paging_fields_mean_what_the_contract_says(endpoint, body, query, message):
    assert message in inspect(body, contract.ENDPOINTS[endpoint], limit=query)['mismatches']


def test_the_paging_of_a_sound_first_page_passes():
    sound = {'items': [device()], 'count': 1, 'total': 4, 'next': '2'}
    assert contract.check_paging(DEVICES, sound, 1) == []
    audit = {'items': [], 'count': 0, 'offset': 0, 'total': 0, 'remainingRecords': False}
    assert contract.check_paging(contract.ENDPOINTS['audit_logs'], audit, 50) == []


def test_rate_limit_headers_are_checked_when_sent():
    good = {'X-RateLimit-Limit': '10', 'X-RateLimit-Remaining': '9', 'X-RateLimit-Reset': '2025-11-20T12:00:05Z'}
    entry = inspect(devices_page([device()]), headers=good)
    assert entry['result'] == 'ok' and set(entry['rate_limit_headers'].values()) == {'sent'}
    absent = inspect(devices_page([device()]))
    assert absent['result'] == 'ok' and set(absent['rate_limit_headers'].values()) == {'absent'}

    wrong = inspect(devices_page([device()]), headers=dict(good, **{'X-RateLimit-Reset': '5'}))
    assert wrong['mismatches'] == ['header X-RateLimit-Reset: a string of 1 character is not a valid date-time']
    half = inspect(devices_page([device()]), headers={'x-ratelimit-limit': '10'})
    assert half['mismatches'] == [
        'header X-RateLimit-Remaining: missing, although X-RateLimit-Limit is sent',
        'header X-RateLimit-Reset: missing, although X-RateLimit-Limit is sent']
    glp = contract.check_rate_limit_headers('glp', HEADERS({'ratelimit-limit': '160', 'ratelimit-remaining': '-1',
                                                            'ratelimit-reset': 'soon'}), probe.described)
    assert glp[1] == ['header ratelimit-remaining: -1 is below the minimum 0',
                      'header ratelimit-reset: a string of 4 characters is not an integer']


# ---- what is never kept ----------------------------------------------------------------------------------------

HOSTILE = ['Acme Retail Group secret-7c1e', 'CN7HOSTILE1', '20:4c:03:de:ad:01', 'hostile-site-id-991',
           'who@acme.example', 'VERY LONG free text ' * 20, 'tag-customer-acme', 'Bistro: d\'Or <b>']


def test_the_report_keeps_shapes_not_values():
    """Values that break their schema are described by type and size; names, ids, serials, MACs, tags, unknown keys
    that are not identifiers and free text never appear, neither in the entry nor in its messages."""
    items = [device(id=HOSTILE[1], serialNumber=HOSTILE[1], macAddress=HOSTILE[2], siteId=HOSTILE[3],
                    deviceName=HOSTILE[5], model=HOSTILE[0], status=HOSTILE[7], ipv4=HOSTILE[4],
                    **{'customField': HOSTILE[6], HOSTILE[0]: HOSTILE[4]})]
    entry = inspect(devices_page(items))
    text = json.dumps(entry)
    for value in HOSTILE:
        assert value not in text and json.dumps(value)[1:-1] not in text, value
    assert entry['result'] == 'mismatch' and len(entry['mismatches']) == 4
    assert 'items[0].status: a string of 16 characters is not one of ONLINE, OFFLINE' in entry['mismatches']
    assert entry['fields']['items[].status']['enum_seen'] == {probe.OTHER_VALUE: 1}
    assert entry['fields']['items[].customField'] == {'types': ['string'], 'present': 1, 'unlisted': True}
    assert entry['fields']['items[]']['unnamed_keys'] == 1


def test_free_form_objects_are_counted_not_named():
    glp = contract.ENDPOINTS['glp_devices']
    item = {'id': '6f1c2a9e-0000-4000-8000-000000000001', 'type': 'devices/device', 'serialNumber': 'S',
            'partNumber': 'P', 'tags': {HOSTILE[6]: HOSTILE[0], 'site': HOSTILE[3]}}
    entry = inspect({'items': [item], 'count': 1, 'offset': 0, 'total': 1}, glp)
    assert entry['result'] == 'ok' and entry['fields']['items[].tags'] == {'types': ['object'], 'present': 1,
                                                                           'keys': 2}
    for value in (HOSTILE[0], HOSTILE[3], HOSTILE[6], 'site'):
        assert value not in json.dumps(entry)


def test_a_failed_read_keeps_the_status_and_error_code_only():
    from ansible_collections.central.msp.plugins.module_utils.errors import ApiError
    error = ApiError('GET central network-monitoring/v1/devices in tenant 6f1c2a9e-0000-4000-8000-000000000001', 500,
                     'HPE_GL_ERROR_INTERNAL_SERVER_ERROR', 'Acme Retail Group exploded', 'debug-123')
    failure = probe._failure(error)
    assert failure == {'status': 500, 'error_code': 'HPE_GL_ERROR_INTERNAL_SERVER_ERROR',
                       'reason': 'the API answered with an error: HTTP 500 HPE_GL_ERROR_INTERNAL_SERVER_ERROR'}
    assert probe._failure(ApiError('call', message='timed out after 1 attempt'))['reason'] == \
        'no answer (timed out, or the connection failed)'


def test_the_report_file_is_private_and_replaced_whole(tmp_path):
    path = tmp_path / 'new' / 'probe.json'
    probe.write_report(str(path), {'a': 1})
    probe.write_report(str(path), {'a': 2})
    assert json.loads(path.read_text()) == {'a': 2}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert os.listdir(path.parent) == ['probe.json']


# ---- whole probes against the simulator ----------------------------------------------------------------------

def run_probe(simulator, check_mode=False, without=(), **options):
    env = {key: value for key, value in dict(os.environ, **simulator.env()).items() if key not in without}
    args = dict({'token_cache': False, 'max_retries': 0}, **options)
    validation = ArgumentSpecValidator(TASK.argument_spec(env), mutually_exclusive=TASK.mutually_exclusive).validate(args)
    assert not validation.error_messages
    task = TASK.new_task(validation.validated_parameters, check_mode=check_mode, environ=env)
    failed, result = TASK.execute(task)
    return failed, result


@pytest.fixture
def sim(simulator):
    simulator.reset(tokens=True, dataset=True)
    yield simulator
    simulator.reset()


def test_the_simulator_passes_and_every_endpoint_is_reported(sim, tmp_path):
    failed, result = run_probe(sim, output=str(tmp_path / 'probe.json'))
    assert not failed, result.get('msg')
    report = json.loads((tmp_path / 'probe.json').read_text())
    assert report['summary'] == result['summary']
    probed = [entry for entry in report['endpoints'] if entry['app'] != 'classic']
    assert sorted({entry['endpoint'] for entry in probed}) == sorted(contract.ENDPOINTS)
    assert {entry['result'] for entry in probed} == {'ok'} and {entry['status'] for entry in probed} == {200}
    assert report['tenant']['chosen_by'] == 'first listed in GLP and Central'
    assert {entry['result'] for entry in report['endpoints'] if entry['app'] == 'classic'} == {'skipped'}
    devices = next(entry for entry in probed if entry['endpoint'] == 'devices')
    assert devices['items'] > 3 and set(devices['fields']['items[].status']['enum_seen']) <= {'ONLINE', 'OFFLINE'}
    # One request per endpoint and scope, and the MSP token, one exchange.
    stats = sim.stats()
    assert stats['api_requests'] == len(probed) and stats['exchanges'] == 1


def test_in_check_mode_it_probes_and_writes_nothing(sim, tmp_path):
    failed, result = run_probe(sim, check_mode=True, output=str(tmp_path / 'probe.json'))
    assert not failed and result['written'] is False and result['summary']['ok'] == 12
    assert not (tmp_path / 'probe.json').exists()


def test_a_wrong_enum_value_fails_naming_endpoint_and_field(sim, tmp_path):
    sim.fault(action='item_value', endpoint='devices', field='status', value='BROKEN', index=3)
    failed, result = run_probe(sim, output=str(tmp_path / 'probe.json'))
    expected = "GET /network-monitoring/v1/devices: items[3].status: 'BROKEN' is not one of ONLINE, OFFLINE"
    assert failed and expected in result['msg'] and result['mismatches'] == [expected]
    report = json.loads((tmp_path / 'probe.json').read_text())
    assert report['mismatches'] == [expected] and report['summary']['ok'] == 11


def test_one_endpoint_failing_is_reported_and_the_others_are_still_probed(sim):
    sim.fault(path='sites-health$', status=500, count=-1)
    sim.fault(path='alerts$', delay_ms=2500, count=-1)
    failed, result = run_probe(sim, timeout=1)
    assert failed and result['summary']['failed'] == 2 and result['summary']['ok'] == 10
    by_name = {entry['endpoint']: entry for entry in result['endpoints']}
    assert by_name['sites']['error']['status'] == 500 and by_name['sites']['result'] == 'failed'
    assert by_name['alerts']['error']['reason'] == 'no answer (timed out, or the connection failed)'
    assert 'GET /network-monitoring/v1/sites-health: the API answered with an error: HTTP 500' in result['msg']


def test_a_secret_served_as_a_value_or_a_key_is_masked_everywhere(sim, tmp_path):
    """A value is described, never shown; a key shaped like a field name is named, so the client's redaction of
    every secret and token it knows must catch it (the simulator's secret has that shape)."""
    secret = sim.info['client_secret']
    assert probe.FIELD_NAME.match(secret)
    sim.fault(action='item_value', endpoint='alerts', field='severity', value=secret)
    sim.fault(action='item_value', endpoint='devices', field=secret, value=1)
    failed, result = run_probe(sim, output=str(tmp_path / 'probe.json'))
    assert failed and secret not in json.dumps(result) and secret not in (tmp_path / 'probe.json').read_text()
    assert 'GET /network-notifications/v1/alerts: items[0].severity: a string of %d characters is not one of ' \
        'Critical, Major, Minor' % len(secret) in result['mismatches']
    devices = next(entry for entry in result['endpoints'] if entry['endpoint'] == 'devices')
    assert devices['result'] == 'ok' and devices['fields']['items[].********']['unlisted'] is True


def test_a_tenant_that_cannot_be_found_leaves_nothing_unchecked_silently(sim):
    failed, result = run_probe(sim, tenant='Nobody At All')
    assert failed and result['tenant']['chosen_by'] is None
    assert result['summary']['skipped'] == 7 + 8   # Classic's, and every tenant-scope page
    assert 'GET /network-monitoring/v1/devices: not probed, the tenant given could not be found' in result['msg']


def test_without_a_central_gateway_the_glp_endpoints_are_still_probed(sim):
    failed, result = run_probe(sim, without=('CENTRAL_BASE_URL',))
    central = [entry for entry in result['endpoints'] if entry['app'] == 'central']
    glp = [entry for entry in result['endpoints'] if entry['app'] == 'glp']
    assert failed and {entry['result'] for entry in central} == {'failed'} and len(central) == 6
    assert {entry['result'] for entry in glp} == {'ok'}
    assert central[0]['error']['reason'].startswith('No Central API gateway is configured.')
