"""module_utils/onboarding.py below the HTTP layer: planning device changes, batching, following async operations."""

import pytest

from ansible_collections.central.msp.plugins.module_utils import onboarding
from ansible_collections.central.msp.plugins.module_utils.errors import ApiError, TenantError
from ansible_collections.central.msp.plugins.module_utils.msp_client import MspClient

from tests.unit.fakes import response

TENANT = '5b1f2c4e-8f5e-4c1a-9a55-3c2f9d0b7a11'
APP = '0892c36d-40df-4f26-923b-76b5d213b420'
SUB = '7c261618-e490-5c62-beec-700876a2ebb6'


def state(tenant=None, app=None, region=None, subs=()):
    return {'id': 'dev-1', 'tenant_workspace_id': tenant, 'application_id': app, 'region': region,
            'subscription_ids': list(subs), 'subscription_keys': []}


class FakeClient:
    """The MspClient methods onboarding uses, answering from scripts and recording every write."""

    describe = staticmethod(MspClient.describe)

    def __init__(self, operations=None, tenants=()):
        self.operations = operations or {}   # op id -> list of bodies, one per read (the last repeats)
        self.tenants = list(tenants)
        self.writes = []
        self.reads = []
        self.next_op = 0

    def call(self, app, method, path, tenant=None, params=None, body=None, headers=None, expected=(200,)):
        self.writes.append((method, path, params, body, headers))
        self.next_op += 1
        return response(202, {'transactionId': 'op-%d' % self.next_op},
                        {'Location': '/devices/v1/async-operations/op-%d' % self.next_op})

    def get_json(self, app, path, tenant=None, params=None):
        self.reads.append(path)
        script = self.operations[path.rsplit('/', 1)[-1]]
        return script.pop(0) if len(script) > 1 else script[0]

    def glp_tenants(self, name=None):
        return [t for t in self.tenants if name is None or t['workspaceName'] == name]


def test_plan_into_a_tenant_then_subscription():
    steps, desired = onboarding.plan_device(state(region='us-west'), TENANT, APP, 'us-west', SUB)
    assert steps == [('assign', {'application': {'id': APP}, 'region': 'us-west',
                                 'tenantPlatformCustomerId': TENANT.replace('-', '')}),
                     ('subscribe', {'subscription': [{'id': SUB}]})]
    assert (desired['tenant_workspace_id'], desired['application_id'], desired['subscription_ids']) == (TENANT, APP, [SUB])


def test_plan_nothing_when_as_desired_and_subscription_left_alone():
    done = state(TENANT, APP, 'us-west', [SUB])
    assert onboarding.plan_device(done, TENANT, APP, 'us-west', SUB)[0] == []
    assert onboarding.plan_device(done, TENANT, APP, 'us-west', None)[0] == []
    # Another region is a change of assignment only.
    assert [name for name, _body in onboarding.plan_device(done, TENANT, APP, 'eu-central', SUB)[0]] == ['assign']


def test_plan_back_to_the_pool():
    steps, desired = onboarding.plan_device(state(TENANT, APP, 'us-west', [SUB]))
    assert steps == [('unsubscribe', {'subscription': []}),
                     ('release', {'application': None, 'region': None, 'tenantPlatformCustomerId': None})]
    assert desired['tenant_workspace_id'] is None and desired['subscription_ids'] == []
    # In the pool already; the region GLP keeps on an unassigned device is no reason to write.
    assert onboarding.plan_device(state(region='us-west'))[0] == []


def test_wait_operation_is_bounded_by_the_clock_and_honours_the_suggested_pause():
    running = {'status': 'RUNNING', 'suggestedPollingIntervalSeconds': 7}
    client = FakeClient({'op': [running]})
    now = [0.0]
    pauses = []

    def sleep(seconds):
        pauses.append(seconds)
        now[0] += seconds

    body = onboarding.wait_operation(client, 'op', 20, sleep=sleep, clock=lambda: now[0])
    assert body['status'] == 'RUNNING'
    assert pauses == [7, 7, 6]  # never past the deadline
    assert len(client.reads) == 4


def test_wait_operation_returns_at_the_end():
    client = FakeClient({'op': [{'status': 'INITIALIZED'}, {'status': 'SUCCEEDED', 'result': {}}]})
    body = onboarding.wait_operation(client, 'op', 300, poll_seconds=0, sleep=lambda s: None)
    assert body['status'] == 'SUCCEEDED' and len(client.reads) == 2


def test_batches_of_five_sent_before_any_wait_and_reported_per_device():
    devices = [{'serial': 'S%d' % i, 'id': 'id-%d' % i} for i in range(7)]
    ops = {'op-1': [{'status': 'FAILED', 'result': {
        'succeeded': [{'serialNumber': 'S0'}, {'serialNumber': 'S1'}, {'serialNumber': 'S2'}, {'serialNumber': 'S4'}],
        'failed': [{'serialNumber': 'S3', 'message': 'quota exceeded'}]}}],
        'op-2': [{'status': 'SUCCEEDED'}]}
    client = FakeClient(ops)
    outcome = onboarding.send_batches(client, 'PATCH', devices, {'subscription': []}, 10, poll_seconds=0)
    assert [len(w[2]['id']) for w in client.writes] == [5, 2]
    assert client.writes[0][4] == {'Content-Type': 'application/merge-patch+json'}
    assert outcome['S0'] == (True, None, 'op-1') and outcome['S6'] == (True, None, 'op-2')
    assert outcome['S3'][0] is False and 'PATCH glp devices/v1/devices (MSP scope) operation op-1: quota exceeded' \
        == outcome['S3'][1]


def test_an_operation_still_running_is_neither_success_nor_failure():
    client = FakeClient({'op-1': [{'status': 'RUNNING'}]})
    outcome = onboarding.send_batches(client, 'PATCH', [{'serial': 'S', 'id': 'i'}], {}, 0)
    ok, message, op_id = outcome['S']
    assert ok is None and 'still RUNNING after 0s' in message and op_id == 'op-1'


def test_a_refused_call_fails_its_devices_only():
    client = FakeClient({'op-2': [{'status': 'SUCCEEDED'}]})
    calls = []

    def call(*args, **kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise ApiError('PATCH glp devices/v1/devices (MSP scope)', 400, message='bad')
        return FakeClient.call(client, *args, **kwargs)

    client.call = call
    client.next_op = 1
    devices = [{'serial': 'S%d' % i, 'id': 'i%d' % i} for i in range(6)]
    outcome = onboarding.send_batches(client, 'PATCH', devices, {}, 5, poll_seconds=0)
    assert [outcome['S%d' % i][0] for i in range(6)] == [False] * 5 + [True]
    assert 'HTTP 400' in outcome['S0'][1]


def test_apply_device_steps_skips_later_steps_of_a_failed_device():
    half = {'succeeded': [{'serialNumber': 'A'}], 'failed': [{'serialNumber': 'B', 'message': 'no'}]}
    ops = {'op-1': [{'status': 'FAILED', 'result': half}], 'op-2': [{'status': 'SUCCEEDED'}]}
    client = FakeClient(ops)
    steps = [('assign', {'region': 'us-west'}), ('subscribe', {'subscription': [{'id': SUB}]})]
    plans = {serial: {'id': serial.lower(), 'steps': steps, 'report': {'changed': False, 'failed': False}}
             for serial in 'AB'}
    onboarding.apply_device_steps(client, plans, 5, poll_seconds=0)
    assert plans['A']['report'] == {'changed': True, 'failed': False, 'operations': ['op-1', 'op-2']}
    assert plans['B']['report']['failed'] and plans['B']['report']['operations'] == ['op-1']
    assert [w[2]['id'] for w in client.writes] == [['a', 'b'], ['a']]


def test_find_tenant_ambiguous_lists_the_ids():
    client = FakeClient(tenants=[{'id': TENANT, 'workspaceName': 'Acme'},
                                 {'id': APP, 'workspaceName': 'Acme'}])
    with pytest.raises(TenantError) as caught:
        onboarding.find_tenant(client, 'Acme')
    assert sorted(caught.value.candidates) == sorted([TENANT, APP]) and 'tenant_workspace_id' in str(caught.value)
    assert onboarding.find_tenant(client, workspace_id=TENANT.replace('-', ''))['id'] == TENANT
    assert onboarding.find_tenant(client, 'Nobody') is None


def test_tenant_body_and_state_round_trip():
    item = {'id': TENANT, 'workspaceName': 'Acme', 'inventoryOwnership': 'MSP_OWNED_INVENTORY'}
    current = onboarding.tenant_state(item, {'email': 'a@b.example', 'address': {'countryCode': 'US', 'city': 'X'}})
    assert current['address']['country_code'] == 'US' and current['address']['zip'] is None
    assert onboarding.tenant_body(current, 'desc') == {
        'workspaceName': 'Acme', 'description': 'desc', 'email': 'a@b.example',
        'inventoryOwnership': 'MSP_OWNED_INVENTORY', 'address': {'city': 'X', 'countryCode': 'US'}}
