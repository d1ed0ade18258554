#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: msp_tenant_devices
short_description: Devices of the MSP's GLP inventory in a tenant, with Central, region and subscription, as desired state
version_added: 0.2.0
description:
  - Makes a set of devices, by serial number, belong to a tenant with the HPE Aruba Networking Central application,
    a region and optionally a subscription (O(state=present)), or puts them back in the MSP workspace's pool, with no
    application or subscription (O(state=absent)).
  - Uses GLP C(PATCH devices/v1/devices) in the MSP workspace, as HPE's onboarding workflow does, one operation per
    call (first application, region and tenant, then the subscription), at most five devices a call. Each call is
    asynchronous; the module follows every C(devices/v1/async-operations/{id}) to its end, for at most
    O(wait_timeout) seconds, and reports per device what changed and what failed.
  - Devices already as desired are not sent. A device that fails (or whose operation does not end in time) is
    reported in RV(devices) with the call and operation that failed; the task then fails, and a re-run retries
    what is still not as desired.
  - Only MSP-owned devices (in the MSP workspace's inventory) can move, between the pool and any tenant with
    C(MSP_OWNED_INVENTORY). Devices a customer owns live in the customer's workspace and are reported as such.
author:
  - central.msp contributors (@central-msp)
extends_documentation_fragment:
  - central.msp.connection.modules
attributes:
  check_mode:
    support: full
    description: Reads only, sends no write, and returns per device what would change.
  diff_mode:
    support: full
    description: Per device, tenant, application, region and subscription before and after.
options:
  serial_numbers:
    description:
      - Serial numbers of the devices.
    type: list
    elements: str
    required: true
  tenant:
    description:
      - Name of the tenant the devices belong in (exact). Required with O(state=present) unless
        O(tenant_workspace_id) is given.
      - With O(state=absent), only devices in this tenant are moved back; others are left as they are.
    type: str
  tenant_workspace_id:
    description:
      - GLP workspace ID of the tenant, dashed or not, instead of O(tenant).
    type: str
  state:
    description:
      - V(present) puts the devices in the tenant with Central; V(absent) puts them back in the MSP pool.
    type: str
    choices: [present, absent]
    default: present
  region:
    description:
      - Region of the Central application the devices are assigned in, for example V(us-west). Required with
        O(state=present).
    type: str
  subscription_id:
    description:
      - ID of the GLP subscription to apply to every device (C(subscription[].id) of a GLP device). Left out, the
        devices' subscriptions are not managed.
    type: str
  application_id:
    description:
      - ID of the Central application (GLP service manager). By default the one provisioned in the MSP workspace,
        when it has exactly one.
    type: str
  wait_timeout:
    description:
      - Seconds to wait for each asynchronous operation to end. V(0) sends the calls and reads each operation once.
    type: int
    default: 300
'''

EXAMPLES = r'''
- name: Three access points into a customer's workspace, in Central with a subscription
  central.msp.msp_tenant_devices:
    tenant: Acme Retail
    serial_numbers: [CNKJL0001, CNKJL0002, CNKJL0003]
    region: us-west
    subscription_id: 7c261618-e490-5c62-beec-700876a2ebb6
  register: moved

- name: Back to the MSP pool
  central.msp.msp_tenant_devices:
    serial_numbers: [CNKJL0003]
    state: absent
'''

RETURN = r'''
devices:
  description: One report per serial number, in the order given.
  returned: always
  type: list
  elements: dict
  contains:
    serial_number:
      description: The device's serial number.
      type: str
      sample: CNKJL0001
    changed:
      description: Whether the device was (in check mode, would be) changed.
      type: bool
      sample: true
    failed:
      description: Whether a change of this device failed or did not end within O(wait_timeout).
      type: bool
      sample: false
    msg:
      description: Why the device failed, naming the call and the async operation.
      type: str
      returned: when failed
      sample: "PATCH glp devices/v1/devices (MSP scope) operation 91593bfc-...: device CNKJL0001 ..."
    before:
      description: Tenant, application, region and subscription before; null when not in the MSP's inventory.
      type: dict
      sample: {tenant_workspace_id: null, application_id: null, region: null, subscription_ids: []}
    after:
      description: The same after the task (in check mode, as it would be).
      type: dict
    operations:
      description: IDs of the async operations that changed the device.
      type: list
      elements: str
      returned: when a write was sent
tenant:
  description: The tenant (null with O(state=absent) and no tenant given).
  returned: always
  type: dict
  sample: {name: Acme Retail, workspace_id: 5b1f2c4e-8f5e-4c1a-9a55-3c2f9d0b7a11, inventory_ownership: MSP_OWNED_INVENTORY}
changed_count:
  description: Number of devices changed.
  returned: always
  type: int
  sample: 3
failed_count:
  description: Number of devices that failed.
  returned: always
  type: int
  sample: 0
'''

from ansible_collections.central.msp.plugins.module_utils.errors import CentralMspError, TaskFailed
from ansible_collections.central.msp.plugins.module_utils.runner import TaskSpec
from ansible_collections.central.msp.plugins.module_utils import onboarding
from ansible_collections.central.msp.plugins.module_utils.settings import dashed_id

NOT_IN_INVENTORY = ('device %s is not in the MSP workspace\'s inventory: add it with central.msp.msp_device_inventory; '
                    'a device the customer owns (customer-owned inventory) stays in the customer\'s workspace and '
                    'cannot be moved by the MSP')


class TenantDevices:
    def __init__(self, task):
        self.params = task.params
        self.client = task.client
        self.check_mode = task.check_mode

    def target(self):
        params = self.params
        if not (params['tenant'] or params['tenant_workspace_id']):
            if params['state'] == 'present':
                raise CentralMspError('Name the tenant the devices belong in: set tenant or tenant_workspace_id.')
            return None
        item = onboarding.find_tenant(self.client, params['tenant'], params['tenant_workspace_id'])
        if item is None:
            raise CentralMspError('No tenant %s in MSP workspace %s; create it with central.msp.msp_tenant first.' % (
                params['tenant'] or dashed_id(params['tenant_workspace_id']), dashed_id(self.client.settings.workspace_id)))
        return {'name': item['workspaceName'], 'workspace_id': dashed_id(item['id']),
                'inventory_ownership': item.get('inventoryOwnership')}

    def run(self):
        params = self.params
        if params['state'] == 'present' and not params['region']:
            raise CentralMspError('Set region: the region of the Central application the devices are assigned in '
                                  '(for example us-west).')
        serials = list(dict.fromkeys(serial.strip() for serial in params['serial_numbers'] if serial and serial.strip()))
        if not serials:
            raise CentralMspError('serial_numbers is empty: give the serial numbers of the devices.')
        tenant = self.target()
        app_id = onboarding.central_application_id(self.client, params['application_id']) \
            if params['state'] == 'present' else None
        found = onboarding.msp_devices(self.client, serials)
        reports, plans = [], {}
        for serial in serials:
            report = {'serial_number': serial, 'changed': False, 'failed': False}
            reports.append(report)
            state = onboarding.device_state(found.get(serial))
            report['before'] = onboarding.shown(state)
            if state is None:
                report.update(failed=True, after=None, msg=NOT_IN_INVENTORY % serial)
                continue
            if params['state'] == 'present':
                steps, desired = onboarding.plan_device(state, tenant['workspace_id'], app_id, params['region'],
                                                        params['subscription_id'])
                if steps and steps[0][0] == 'assign' and tenant['inventory_ownership'] == 'CUSTOMER_OWNED_INVENTORY':
                    report.update(failed=True, after=report['before'], msg=(
                        'device %s cannot move into tenant %s: the tenant has customer-owned inventory '
                        '(CUSTOMER_OWNED_INVENTORY), so its devices come from the customer, not from the MSP pool'
                        % (serial, tenant['name'])))
                    continue
            elif tenant and state['tenant_workspace_id'] != tenant['workspace_id']:
                steps, desired = [], state  # in another tenant or the pool: not this task's business
            else:
                steps, desired = onboarding.plan_device(state)
            report['after'] = onboarding.shown(desired)
            if steps:
                if self.check_mode:
                    report['changed'] = True
                else:
                    plans[serial] = {'id': state['id'], 'steps': steps, 'report': report}
        onboarding.apply_device_steps(self.client, plans, params['wait_timeout'])
        for report in reports:
            if report['failed'] and report['serial_number'] in plans:
                # What was reached before the failure is unknown from here: the next run reads it again.
                report['after'] = None
        return self.finish(tenant, reports)

    def finish(self, tenant, reports):
        failed = [report for report in reports if report['failed']]
        changed = [report for report in reports if report['changed']]
        result = {'changed': bool(changed), 'tenant': tenant, 'devices': reports, 'changed_count': len(changed),
                  'failed_count': len(failed),
                  'diff': {'before': {r['serial_number']: r['before'] for r in reports if r['changed'] or r['failed']},
                           'after': {r['serial_number']: r['after'] for r in reports if r['changed'] or r['failed']}}}
        if failed:
            raise TaskFailed('%d of %d device(s) are not as desired: %s' % (
                len(failed), len(reports), '; '.join(report['msg'] for report in failed)), result)
        return result


TASK = TaskSpec(dict(
    serial_numbers=dict(type='list', elements='str', required=True),
    tenant=dict(type='str'),
    tenant_workspace_id=dict(type='str'),
    state=dict(type='str', choices=['present', 'absent'], default='present'),
    region=dict(type='str'),
    subscription_id=dict(type='str'),
    application_id=dict(type='str'),
    wait_timeout=dict(type='int', default=300),
), lambda task: TenantDevices(task).run(), mutually_exclusive=[['tenant', 'tenant_workspace_id']])


def main():
    TASK.run_module()


if __name__ == '__main__':
    main()
