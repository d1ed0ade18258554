#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: msp_device_inventory
short_description: Devices present in the MSP workspace's HPE GreenLake inventory
version_added: 0.2.0
description:
  - Adds the devices that are not yet in the MSP workspace's GLP inventory, with C(POST devices/v1/devices), at
    most five a call. Each call is asynchronous (202 and a C(Location)); the module follows every
    C(devices/v1/async-operations/{id}) to its end, for at most O(wait_timeout) seconds, and reports per device.
  - Devices already in the MSP's inventory are left as they are (their tenant, if any, is unchanged), so a second
    run changes nothing. A device GLP refuses (for example one already in another workspace's inventory) is
    reported with the call and operation, and fails the task.
  - Put the added devices in a tenant with M(central.msp.msp_tenant_devices). Removing devices from the inventory
    is not supported.
author:
  - central.msp contributors (@central-msp)
extends_documentation_fragment:
  - central.msp.connection.modules
attributes:
  check_mode:
    support: full
    description: Reads only, sends no write, and returns which devices would be added.
  diff_mode:
    support: full
    description: The serial numbers of the inventory's devices among those given, before and after.
options:
  devices:
    description:
      - The devices to have in the inventory.
    type: list
    elements: dict
    required: true
    suboptions:
      serial_number:
        description: Serial number.
        type: str
        required: true
      mac_address:
        description: MAC address; required for network devices.
        type: str
      part_number:
        description: Part number; required for compute and storage devices.
        type: str
      category:
        description: Which GLP device family the device is added as.
        type: str
        choices: [network, compute, storage]
        default: network
      tags:
        description: Tags to set on the device (key to value).
        type: dict
  wait_timeout:
    description:
      - Seconds to wait for each asynchronous operation to end. V(0) sends the calls and reads each operation once.
    type: int
    default: 300
'''

EXAMPLES = r'''
- name: Two new access points in the MSP's inventory
  central.msp.msp_device_inventory:
    devices:
      - serial_number: CNKJL0001
        mac_address: "20:4c:03:00:00:01"
      - serial_number: CNKJL0002
        mac_address: "20:4c:03:00:00:02"
        tags: {customer: acme}
'''

RETURN = r'''
devices:
  description: One report per device, in the order given.
  returned: always
  type: list
  elements: dict
  contains:
    serial_number:
      description: The device's serial number.
      type: str
      sample: CNKJL0001
    changed:
      description: Whether the device was (in check mode, would be) added.
      type: bool
      sample: true
    failed:
      description: Whether adding the device failed or did not end within O(wait_timeout).
      type: bool
      sample: false
    msg:
      description: Why the device failed, naming the call and the async operation.
      type: str
      returned: when failed
      sample: "POST glp devices/v1/devices (MSP scope) operation 91593bfc-...: device CNKJL0001 is already ..."
    operations:
      description: ID of the async operation that added the device.
      type: list
      elements: str
      returned: when a write was sent
changed_count:
  description: Number of devices added.
  returned: always
  type: int
  sample: 2
failed_count:
  description: Number of devices that failed.
  returned: always
  type: int
  sample: 0
'''

from ansible_collections.central.msp.plugins.module_utils.errors import CentralMspError, TaskFailed
from ansible_collections.central.msp.plugins.module_utils.runner import TaskSpec
from ansible_collections.central.msp.plugins.module_utils import onboarding

REQUIRED = {'network': 'mac_address', 'compute': 'part_number', 'storage': 'part_number'}


def entry_of(device):
    """A device as the POST devices/v1/devices body lists it."""
    entry = {'serialNumber': device['serial_number']}
    if device['mac_address']:
        entry['macAddress'] = device['mac_address']
    if device['part_number']:
        entry['partNumber'] = device['part_number']
    if device['tags']:
        entry['tags'] = {str(key): None if value is None else str(value) for key, value in device['tags'].items()}
    return entry


def add_devices(task):
    params = task.params
    wanted = {}
    for device in params['devices']:
        serial = (device['serial_number'] or '').strip()
        if not serial:
            raise CentralMspError('devices: every device needs a serial_number.')
        if serial in wanted:
            raise CentralMspError('devices: serial number %s is given twice.' % serial)
        need = REQUIRED[device['category']]
        if not device[need]:
            raise CentralMspError('devices: %s (a %s device) needs %s.' % (serial, device['category'], need))
        wanted[serial] = dict(device, serial_number=serial)
    present = onboarding.msp_devices(task.client, list(wanted))
    reports = {serial: {'serial_number': serial, 'changed': False, 'failed': False} for serial in wanted}
    missing = [serial for serial in wanted if serial not in present]
    if missing and task.check_mode:
        for serial in missing:
            reports[serial]['changed'] = True
    elif missing:
        by_category = {}
        for serial in missing:
            by_category.setdefault(wanted[serial]['category'], []).append({'serial': serial})

        for category, devices in by_category.items():
            def body(batch, category=category):
                lists = {'network': [], 'compute': [], 'storage': []}
                lists[category] = [entry_of(wanted[device['serial']]) for device in batch]
                return lists
            outcome = onboarding.send_batches(task.client, 'POST', devices, body, params['wait_timeout'])
            for serial, (ok, message, op_id) in outcome.items():
                report = reports[serial]
                if op_id:
                    report['operations'] = [op_id]
                report['changed'] = bool(ok) or ok is None
                if not ok:
                    report.update(failed=True, msg=message)
    ordered = [reports[serial] for serial in wanted]
    failed = [report for report in ordered if report['failed']]
    changed = [report for report in ordered if report['changed']]
    result = {'changed': bool(changed), 'devices': ordered, 'changed_count': len(changed),
              'failed_count': len(failed),
              'diff': {'before': {'devices': sorted(present)},
                       'after': {'devices': sorted(set(present) | {r['serial_number'] for r in changed if not r['failed']})}}}
    if failed:
        raise TaskFailed('%d of %d device(s) could not be added to the MSP inventory: %s' % (
            len(failed), len(ordered), '; '.join(report['msg'] for report in failed)), result)
    return result


TASK = TaskSpec(dict(
    devices=dict(type='list', elements='dict', required=True, options=dict(
        serial_number=dict(type='str', required=True),
        mac_address=dict(type='str'),
        part_number=dict(type='str'),
        category=dict(type='str', choices=['network', 'compute', 'storage'], default='network'),
        tags=dict(type='dict'),
    )),
    wait_timeout=dict(type='int', default=300),
), add_devices)


def main():
    TASK.run_module()


if __name__ == '__main__':
    main()
