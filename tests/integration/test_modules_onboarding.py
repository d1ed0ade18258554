"""Onboarding as desired state against the simulator: msp_tenant, msp_device_inventory, msp_tenant_devices and
playbooks/onboard_tenants.yml, through ansible-playbook."""

from __future__ import annotations

import json
import os

from tests.helpers import ROOT, ansible_env, run_playbook
from tests.integration.module_checks import assert_nothing_leaked, failed, ok, run_tasks, tenants

PLAYBOOK = os.path.join(ROOT, 'playbooks', 'onboard_tenants.yml')
EXAMPLE = os.path.join(ROOT, 'playbooks', 'examples', 'onboard_one_customer.yml')


def fresh(sim):
    """The demo dataset as built, no token, and asynchronous operations that suggest no pause between reads."""
    sim.reset(tokens=True, dataset=True)
    sim.fault(action='config', async_poll_seconds=0)
    return sim.admin('GET', 'writes')


def writes_sent(sim):
    """Every API write the simulator received (token requests are not writes)."""
    return [entry for entry in sim.stats()['requests_log']
            if entry['method'] != 'GET' and not entry['path'].endswith('/token')]


def pool(sim, device_type='AP'):
    """The MSP pool's devices of one type, as the MSP scope lists them."""
    return [d for d in sim.truth(sim.info['workspace_id'], 'glp-devices') if d['deviceType'] == device_type]


def subscription(state, device_type='AP'):
    return next(s['id'] for s in state['subscriptions'] if s['deviceType'] == device_type)


def glp_tenant(sim, name):
    return [t for t in sim.truth()['tenants'] if t['name'] == name]


TENANT = '''
- name: {task}
  central.msp.msp_tenant:
    name: Lakeside Dental
    email: {email}
    phone_number: "+1 608 555 0142"
    address: {{city: Madison, zip: "53703", country_code: US}}
    central_region: us-west
'''


def test_tenant_create_rerun_update_delete(simulator):
    sim = simulator
    fresh(sim)
    # Check mode first: nothing is sent, the result says what would be created.
    run = run_playbook_tasks(sim, TENANT.format(task='would create', email='it@lakeside.example'), check=True)
    would = ok(run, 'would create')
    assert (would['changed'], would['created'], would['central_provisioned']) == (True, True, True)
    assert would['tenant']['workspace_id'] is None and would['diff']['before'] == {}
    assert writes_sent(sim) == [] and not glp_tenant(sim, 'Lakeside Dental')

    run = run_tasks(sim, TENANT.format(task='create', email='it@lakeside.example')
                    + TENANT.format(task='again', email='it@lakeside.example'))
    created, again = ok(run, 'create'), ok(run, 'again')
    assert (created['changed'], created['created'], created['central_provisioned']) == (True, True, True)
    assert again['changed'] is False and again['tenant'] == created['tenant']
    workspace_id = created['tenant']['workspace_id']
    [truth] = glp_tenant(sim, 'Lakeside Dental')
    assert truth['id'] == workspace_id and truth['glp']['inventoryOwnership'] == 'MSP_OWNED_INVENTORY'
    # Provisioned: Central's list-tenants has it, so the tenant_*_info modules can read it.
    assert truth['central'] is not None and truth['central']['tenantName'] == 'Lakeside Dental'
    methods = [(entry['method'], entry['path'].lstrip('/')) for entry in writes_sent(sim)]
    assert methods == [('POST', 'workspaces/v1/msp-tenants'), ('POST', 'service-catalog/v1/service-manager-provisions')]

    # Update one field, with --diff: only a PUT, and the diff shows the change.
    sim.reset()
    sim.fault(action='config', async_poll_seconds=0)
    run = run_playbook_tasks(sim, TENANT.format(task='update', email='helpdesk@lakeside.example'), diff=True)
    updated = ok(run, 'update')
    assert updated['changed'] is True and updated['created'] is False
    assert updated['diff']['before']['email'] == 'it@lakeside.example'
    assert updated['diff']['after']['email'] == 'helpdesk@lakeside.example'
    assert '-    "email": "it@lakeside.example"' in run.stdout and '+    "email": "helpdesk@lakeside.example"' in run.stdout
    assert [(e['method'], e['path'].rsplit('/', 1)[-1]) for e in writes_sent(sim)] == [('PUT', workspace_id)]
    contact = sim.admin('GET', 'writes')['contacts'][workspace_id.replace('-', '')]
    assert contact['email'] == 'helpdesk@lakeside.example' and contact['address'] == {
        'city': 'Madison', 'zip': '53703', 'countryCode': 'US'}

    run = run_tasks(sim, '''
        - name: rename by id
          central.msp.msp_tenant:
            tenant_workspace_id: "{{ workspace_id }}"
            name: Lakeside Dental Group
        - name: delete, check mode
          central.msp.msp_tenant:
            name: Lakeside Dental Group
            state: absent
          check_mode: true
        - name: delete
          central.msp.msp_tenant:
            name: Lakeside Dental Group
            state: absent
        - name: delete again
          central.msp.msp_tenant:
            name: Lakeside Dental Group
            state: absent
    ''', extra_vars={'workspace_id': workspace_id})
    assert ok(run, 'rename by id')['tenant']['name'] == 'Lakeside Dental Group'
    assert ok(run, 'delete, check mode')['deleted'] is True
    assert ok(run, 'delete')['deleted'] is True and ok(run, 'delete again')['changed'] is False
    # Gone from every listing: GLP's tenants and Central's list-tenants.
    assert all(t['id'] != workspace_id for t in sim.truth()['tenants'])
    listed = run_tasks(sim, '''
        - name: tenants
          central.msp.msp_tenant_info:
    ''')
    assert all(t['workspace_id'] != workspace_id for t in ok(listed, 'tenants')['tenants'])


def run_playbook_tasks(sim, tasks, check=False, diff=False, extra_vars=None):
    args = (['--check'] if check else []) + (['--diff'] if diff else [])
    playbook = '''---
- name: onboarding checks
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
''' + '\n'.join('    ' + line for line in tasks.strip('\n').splitlines())
    run = run_playbook(playbook, ansible_env(sim.env()), extra_vars=extra_vars, args=args)
    assert_nothing_leaked(run, sim)
    return run


def test_tenant_errors(simulator):
    sim = simulator
    fresh(sim)
    sim.fault(action='add_tenant', name='Acme Retail Group', devices=1)
    truth = tenants(sim)
    run = run_tasks(sim, '''
        - name: ambiguous
          central.msp.msp_tenant:
            name: Acme Retail Group
            email: it@acme.example
        - name: unknown id
          central.msp.msp_tenant:
            tenant_workspace_id: 00000000-0000-4000-8000-000000000000
            name: Nobody
        - name: holds devices
          central.msp.msp_tenant:
            name: Northwind Logistics
            state: absent
        - name: customer-owned devices cannot be released
          central.msp.msp_tenant:
            name: Bistro d'Or
            state: absent
            release_devices: true
        - name: bad country
          central.msp.msp_tenant:
            name: Nowhere Ltd
            address: {country_code: XX}
    ''', ignore_errors=True)
    ids = sorted(t['id'] for t in sim.truth()['tenants'] if t['name'] == 'Acme Retail Group')
    ambiguous = failed(run, 'ambiguous', 'ambiguous', *ids)
    assert sorted(ambiguous['candidates']) == ids
    failed(run, 'unknown id', '00000000-0000-4000-8000-000000000000', 'never by id')
    failed(run, 'holds devices', 'still holds %d device(s)' % truth['Northwind Logistics']['counts']['glp-devices'],
           'release_devices: true')
    bistro = failed(run, 'customer-owned devices cannot be released', 'is not deleted', 'customer-owned inventory')
    assert bistro['devices'] and all(d['failed'] for d in bistro['devices'])
    failed(run, 'bad country', 'POST glp workspaces/v1/msp-tenants (MSP scope) failed: HTTP 422', 'countryCode')
    assert {t['name'] for t in sim.truth()['tenants']} >= {'Northwind Logistics', "Bistro d'Or"}
    assert [e['method'] for e in writes_sent(sim)] == ['POST']  # only the refused create was sent


MOVE = '''
- name: {task}
  central.msp.msp_tenant_devices:
    tenant: {tenant}
    serial_numbers: "{{{{ serials }}}}"
    region: us-west
    subscription_id: "{{{{ subscription }}}}"
'''
BACK = '''
- name: {task}
  central.msp.msp_tenant_devices:
    serial_numbers: "{{{{ serials }}}}"
    state: absent
'''


def test_devices_in_rerun_and_back(simulator):
    sim = simulator
    state = fresh(sim)
    aps = pool(sim)[:3]
    serials = [d['serialNumber'] for d in aps]
    northwind = tenants(sim)['Northwind Logistics']
    before_inventory = len(sim.truth(northwind['id'], 'device-inventory'))
    variables = {'serials': serials, 'subscription': subscription(state)}

    run = run_playbook_tasks(sim, MOVE.format(task='would move', tenant='Northwind Logistics'), check=True,
                             extra_vars=variables)
    would = ok(run, 'would move')
    assert would['changed_count'] == 3 and writes_sent(sim) == []

    run = run_tasks(sim, MOVE.format(task='move', tenant='Northwind Logistics')
                    + MOVE.format(task='again', tenant='Northwind Logistics'), extra_vars=variables)
    moved, again = ok(run, 'move'), ok(run, 'again')
    assert moved['changed'] is True and moved['changed_count'] == 3 and moved['failed_count'] == 0
    for report in moved['devices']:
        assert report['before']['tenant_workspace_id'] is None
        assert report['after'] == {'tenant_workspace_id': northwind['id'], 'application_id': state['central_app_id'],
                                   'region': 'us-west', 'subscription_ids': [subscription(state)]}
        assert len(report['operations']) == 2  # application + region + tenant, then the subscription
    assert again['changed'] is False and again['changed_count'] == 0
    # Two PATCHes for one batch of three: GLP takes one operation per call.
    assert [e['method'] for e in writes_sent(sim)] == ['PATCH', 'PATCH']
    # The tenant's own inventories now list them: GLP in its scope, and Central's device inventory.
    tenant_glp = {d['serialNumber']: d for d in sim.truth(northwind['id'], 'glp-devices')}
    assert set(serials) <= set(tenant_glp)
    assert tenant_glp[serials[0]]['subscription'][0]['id'] == subscription(state)
    inventory = sim.truth(northwind['id'], 'device-inventory')
    assert len(inventory) == before_inventory + 3 and set(serials) <= {d['serialNumber'] for d in inventory}
    listed = run_tasks(sim, '''
        - name: inventory
          central.msp.tenant_device_info:
            tenant: Northwind Logistics
    ''')
    assert set(serials) <= {d['serialNumber'] for d in ok(listed, 'inventory')['devices']}

    # MSP-owned devices move between tenants too.
    run = run_tasks(sim, '''
        - name: to another tenant
          central.msp.msp_tenant_devices:
            tenant: Acme Retail Group
            serial_numbers: "{{ serials[:1] }}"
            region: us-west
        - name: absent from Northwind leaves the device in Acme alone
          central.msp.msp_tenant_devices:
            tenant: Northwind Logistics
            serial_numbers: "{{ serials[:1] }}"
            state: absent
    ''', extra_vars=variables)
    across = ok(run, 'to another tenant')['devices'][0]
    assert across['changed'] and across['before']['tenant_workspace_id'] == northwind['id']
    assert across['after']['tenant_workspace_id'] == tenants(sim)['Acme Retail Group']['id']
    assert across['after']['subscription_ids'] == [subscription(state)]  # subscription not managed: kept
    assert ok(run, 'absent from Northwind leaves the device in Acme alone')['changed'] is False
    assert serials[0] not in {d['serialNumber'] for d in sim.truth(northwind['id'], 'glp-devices')}

    run = run_tasks(sim, BACK.format(task='back') + BACK.format(task='back again'), extra_vars=variables)
    back, back_again = ok(run, 'back'), ok(run, 'back again')
    assert back['changed_count'] == 3 and back_again['changed'] is False
    assert all(report['after'] == {'tenant_workspace_id': None, 'application_id': None, 'region': None,
                                   'subscription_ids': []} for report in back['devices'])
    assert not set(serials) & {d['serialNumber'] for d in sim.truth(northwind['id'], 'glp-devices')}
    assert len(sim.truth(northwind['id'], 'device-inventory')) == before_inventory
    assert not set(serials) & {d['serialNumber'] for d in sim.truth(tenants(sim)['Acme Retail Group']['id'], 'glp-devices')}


def test_check_mode_and_diff_send_no_write(simulator):
    sim = simulator
    state = fresh(sim)
    serials = [d['serialNumber'] for d in pool(sim)[:2]]
    tasks = MOVE.format(task='move', tenant='Acme Retail Group') + '''
- name: add
  central.msp.msp_device_inventory:
    devices:
      - {serial_number: CNCHK00001, mac_address: "20:4c:11:00:00:01"}
''' + TENANT.format(task='tenant', email='it@lakeside.example')
    run = run_playbook(
        '---\n- name: check\n  hosts: localhost\n  connection: local\n  gather_facts: false\n  vars:\n'
        '    serials: %s\n    subscription: %s\n  tasks:\n' % (json.dumps(serials), state['subscriptions'][0]['id'])
        + '\n'.join('    ' + line for line in tasks.strip('\n').splitlines()),
        ansible_env(sim.env()), args=('--check', '--diff'))
    assert run.rc == 0, run.output[-3000:]
    assert_nothing_leaked(run, sim)
    move, add, tenant = ok(run, 'move'), ok(run, 'add'), ok(run, 'tenant')
    assert move['changed'] and move['changed_count'] == 2 and all(not d.get('operations') for d in move['devices'])
    assert add['changed'] and add['devices'] == [{'serial_number': 'CNCHK00001', 'changed': True, 'failed': False}]
    assert tenant['created'] and tenant['changed']
    assert writes_sent(sim) == []  # the simulator's request log: reads only
    # --diff shows what would change, per device.
    assert serials[0] in run.stdout and '"tenant_workspace_id": null' in run.stdout
    assert sim.admin('GET', 'writes')['devices'] == []


def test_async_operation_failing_half_way_then_rerun(simulator):
    sim = simulator
    state = fresh(sim)
    serials = [d['serialNumber'] for d in pool(sim)[:5]]
    # The subscription operation (the second of the two) fails for two of the five devices of one batch, once.
    sim.fault(action='fail_devices', serials=serials[1:3], operation='subscription', message='subscription quota exceeded')
    variables = {'serials': serials, 'subscription': subscription(state)}
    run = run_tasks(sim, MOVE.format(task='move', tenant='Acme Retail Group'), extra_vars=variables, ignore_errors=True)
    result = failed(run, 'move', '2 of 5 device(s) are not as desired', 'subscription quota exceeded',
                    'PATCH glp devices/v1/devices (MSP scope) operation')
    reports = {r['serial_number']: r for r in result['devices']}
    assert [s for s in serials if reports[s]['failed']] == serials[1:3]
    assert all(reports[s]['changed'] for s in serials)
    assert result['changed'] is True and result['failed_count'] == 2
    done = {d['serialNumber']: d for d in sim.admin('GET', 'writes')['devices']}
    assert done[serials[1]]['subscription'] == [] and done[serials[0]]['subscription']
    op_failed = [op for op, status in sim.admin('GET', 'writes')['operations'].items() if status == 'FAILED']
    assert len(op_failed) == 1 and op_failed[0] in reports[serials[1]]['msg']

    sim.reset()
    sim.fault(action='config', async_poll_seconds=0)
    run = run_tasks(sim, MOVE.format(task='complete', tenant='Acme Retail Group'), extra_vars=variables)
    complete = ok(run, 'complete')
    assert [r['serial_number'] for r in complete['devices'] if r['changed']] == serials[1:3]
    patches = [e for e in writes_sent(sim) if e['method'] == 'PATCH']
    assert len(patches) == 1 and patches[0]['query'].count('id=') == 2


def test_bounded_wait_customer_owned_and_unknown(simulator):
    sim = simulator
    state = fresh(sim)
    sim.fault(action='config', async_polls=1000)
    aps = [d['serialNumber'] for d in pool(sim)]
    run = run_tasks(sim, '''
        - name: slow
          central.msp.msp_tenant_devices:
            tenant: Acme Retail Group
            serial_numbers: "{{ aps[:1] }}"
            region: us-west
            wait_timeout: 0
        - name: customer owned
          central.msp.msp_tenant_devices:
            tenant: Bistro d'Or
            serial_numbers: "{{ aps[1:2] }}"
            region: eu-central
        - name: unknown serial
          central.msp.msp_tenant_devices:
            tenant: Acme Retail Group
            serial_numbers: [NOSUCHSERIAL]
            region: us-west
        - name: no region
          central.msp.msp_tenant_devices:
            tenant: Acme Retail Group
            serial_numbers: "{{ aps[:1] }}"
    ''', extra_vars={'aps': aps}, ignore_errors=True)
    slow = failed(run, 'slow', 'still RUNNING after 0s', 'wait_timeout', 're-run')
    assert slow['devices'][0]['changed'] is True and slow['devices'][0]['failed'] is True
    owned = failed(run, 'customer owned', 'customer-owned inventory', "Bistro d'Or")
    assert owned['changed'] is False
    failed(run, 'unknown serial', "NOSUCHSERIAL is not in the MSP workspace's inventory", 'msp_device_inventory')
    failed(run, 'no region', 'Set region')
    assert [e['method'] for e in writes_sent(sim)] == ['PATCH']  # the slow one only
    assert state['central_app_id']


def test_device_inventory_add(simulator):
    sim = simulator
    fresh(sim)
    existing = pool(sim)[0]['serialNumber']
    northwind_serial = sim.truth(tenants(sim)['Northwind Logistics']['id'], 'glp-devices')[0]['serialNumber']
    run = run_tasks(sim, '''
        - name: add
          central.msp.msp_device_inventory:
            devices:
              - {serial_number: CNADD00001, mac_address: "20:4c:12:00:00:01", tags: {customer: lakeside}}
              - {serial_number: SGADD00002, mac_address: "20:4c:12:00:00:02"}
              - {serial_number: "{{ existing }}", mac_address: "20:4c:12:00:00:03"}
        - name: again
          central.msp.msp_device_inventory:
            devices:
              - {serial_number: CNADD00001, mac_address: "20:4c:12:00:00:01"}
        - name: elsewhere
          central.msp.msp_device_inventory:
            devices:
              - {serial_number: "{{ elsewhere }}", mac_address: "20:4c:12:00:00:04"}
        - name: no mac
          central.msp.msp_device_inventory:
            devices:
              - {serial_number: CNADD00009}
    ''', extra_vars={'existing': existing, 'elsewhere': northwind_serial}, ignore_errors=True)
    added = ok(run, 'add')
    assert [r['changed'] for r in added['devices']] == [True, True, False] and added['changed_count'] == 2
    assert ok(run, 'again')['changed'] is False
    failed(run, 'elsewhere', 'already in a workspace inventory', 'POST glp devices/v1/devices (MSP scope) operation')
    failed(run, 'no mac', 'CNADD00009', 'mac_address')
    msp = {d['serialNumber']: d for d in sim.truth(sim.info['workspace_id'], 'glp-devices')}
    assert msp['CNADD00001']['tags'] == {'customer': 'lakeside'} and msp['SGADD00002']['deviceType'] == 'SWITCH'


def customers(state, pool_ap):
    sub = subscription(state)
    return [
        {'name': 'Lakeside Dental', 'email': 'it@lakeside.example', 'central_region': 'us-west',
         'address': {'city': 'Madison', 'country_code': 'US'},
         'devices': [{'serial_number': 'CNLKD00001', 'mac_address': '20:4c:13:00:00:01', 'subscription_id': sub},
                     {'serial_number': pool_ap, 'subscription_id': sub}]},
        {'name': 'Granite Law Partners', 'central_region': 'eu-central',
         'devices': [{'serial_number': 'SGGLP00001', 'mac_address': '20:4c:13:00:01:01'}]},
        {'name': 'Harbor Point Hotels', 'central_region': 'us-east', 'inventory_ownership': 'MSP_OWNED_INVENTORY',
         'devices': [{'serial_number': 'CNHPH00001', 'mac_address': '20:4c:13:00:02:01', 'subscription_id': sub},
                     {'serial_number': 'CNHPH00002', 'mac_address': '20:4c:13:00:02:02', 'subscription_id': sub}]},
    ]


def test_onboarding_playbook_from_empty_then_idempotent(simulator):
    sim = simulator
    state = fresh(sim)
    batch = customers(state, pool(sim)[0]['serialNumber'])
    env = ansible_env(sim.env())
    first = run_playbook(PLAYBOOK, env, extra_vars={'onboarding_customers': batch}, args=('-f', '3'))
    assert first.rc == 0, first.output[-3000:]
    assert_nothing_leaked(first, sim)
    assert '3 of 3 customer(s) onboarded, 3 changed; failed: none.' in first.stdout
    truth = tenants(sim)
    for customer in batch:
        tenant = truth[customer['name']]
        assert tenant['central'] is not None  # provisioned: in Central's list-tenants
        held = {d['serialNumber']: d for d in sim.truth(tenant['id'], 'glp-devices')}
        assert set(held) == {d['serial_number'] for d in customer['devices']}
        for device in customer['devices']:
            assert [s['id'] for s in held[device['serial_number']]['subscription']] == \
                ([device['subscription_id']] if 'subscription_id' in device else [])

    sim.reset()
    sim.fault(action='config', async_poll_seconds=0)
    second = run_playbook(PLAYBOOK, env, extra_vars={'onboarding_customers': batch}, args=('-f', '3'))
    assert second.rc == 0, second.output[-3000:]
    assert all(' changed=0 ' in line for line in second.stdout.splitlines() if ' : ok=' in line)
    assert '3 of 3 customer(s) onboarded, 0 changed; failed: none.' in second.stdout
    assert writes_sent(sim) == []


def test_onboarding_playbook_one_customer_fails(simulator):
    sim = simulator
    state = fresh(sim)
    batch = customers(state, pool(sim)[0]['serialNumber'])
    # A switch with an access point subscription: GLP refuses it in the async operation.
    batch[1]['devices'][0]['subscription_id'] = subscription(state)
    run = run_playbook(PLAYBOOK, ansible_env(sim.env()), extra_vars={'onboarding_customers': batch}, args=('-f', '3'))
    assert run.rc == 2, run.output[-3000:]
    assert_nothing_leaked(run, sim)
    assert '2 of 3 customer(s) onboarded, 2 changed; failed: Granite Law Partners.' in run.stdout
    truth = tenants(sim)
    assert {d['serialNumber'] for d in sim.truth(truth['Harbor Point Hotels']['id'], 'glp-devices')} == \
        {'CNHPH00001', 'CNHPH00002'}
    granite = [r for r in run.results if r['host'] == 'customer-002' and r['status'] == 'failed']
    assert granite and 'does not apply to a SWITCH device' in json.dumps(granite[0]['result'])


def shown_devices(run):
    return [item['msg'] for item in run.one('Show where the devices are')['result']['results']]


def test_example_runs_as_documented_and_is_idempotent(simulator):
    sim = simulator
    state = fresh(sim)
    env = ansible_env(sim.env())
    example_vars = {'subscription_id': subscription(state)}
    first = run_playbook(EXAMPLE, env, extra_vars=example_vars, args=('-c', 'local'))
    assert first.rc == 0, first.output[-3000:]
    assert_nothing_leaked(first, sim)
    assert shown_devices(first) == ['CNLKD00001: moved', 'CNLKD00002: moved']
    sim.reset()
    second = run_playbook(EXAMPLE, env, extra_vars=example_vars, args=('-c', 'local'))
    assert second.rc == 0 and 'changed=0' in second.stdout, second.output[-3000:]
    assert shown_devices(second) == ['CNLKD00001: already there', 'CNLKD00002: already there']
    assert writes_sent(sim) == []
