#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: msp_tenant
short_description: A tenant (customer workspace) of the MSP in HPE GreenLake as desired state, with Central provisioned
version_added: 0.2.0
description:
  - Creates, updates or deletes a tenant workspace of the MSP workspace through GLP C(workspaces/v1/msp-tenants)
    (POST, PUT, DELETE), and provisions the HPE Aruba Networking Central application in it
    (C(service-catalog/v1/service-manager-provisions) in the tenant's scope) when O(central_region) is set.
  - The tenant is found by O(tenant_workspace_id), else by its exact O(name). A name several tenants share fails
    with their IDs (in RV(candidates)).
  - Only what differs from the current state is sent; a second run with the same options changes nothing.
    Options left out keep their current values.
  - GLP returns the tenant's O(description) in none of its read APIs, so it cannot be compared. It is sent when
    the tenant is created and with every update; give it in every task that sets it, or an update clears it.
  - O(state=absent) refuses to delete a tenant that still holds devices unless O(release_devices=true), which first
    moves the MSP-owned ones back to the MSP pool (devices the customer owns cannot be moved and make it fail).
author:
  - central.msp contributors (@central-msp)
extends_documentation_fragment:
  - central.msp.connection.modules
attributes:
  check_mode:
    support: full
    description: Reads only, sends no write, and returns what would change.
  diff_mode:
    support: full
    description: The tenant before and after (name, inventory ownership, contact, address, Central region).
options:
  name:
    description:
      - Name of the tenant workspace (GLP C(workspaceName)). Exact and case-sensitive.
      - Required to create a tenant. With O(tenant_workspace_id), a different name renames the tenant.
    type: str
  tenant_workspace_id:
    description:
      - GLP workspace ID of an existing tenant, dashed or not. The tenant must exist; it is never created by ID.
    type: str
  state:
    description:
      - V(present) creates or updates the tenant, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  description:
    description:
      - Description of the tenant. Write-only in GLP (see the module description).
    type: str
  email:
    description:
      - Primary email address of the workspace.
    type: str
  phone_number:
    description:
      - Phone number of the workspace.
    type: str
  address:
    description:
      - Company address. Sub-options left out keep their current values.
    type: dict
    suboptions:
      street_address:
        description: Street address.
        type: str
      street_address_complement:
        description: Apartment, suite or building (at most 60 characters).
        type: str
      city:
        description: City (at most 40 characters).
        type: str
      state_or_region:
        description: State or region (at most 220 characters).
        type: str
      zip:
        description: Postal code (at most 10 characters).
        type: str
      country_code:
        description: ISO 3166-1 alpha-2 country code, for example V(US) or V(DE).
        type: str
        required: true
  inventory_ownership:
    description:
      - Who owns the tenant's devices and subscriptions. GLP creates a tenant with V(MSP_OWNED_INVENTORY) when this
        is not given. Only V(MSP_OWNED_INVENTORY) tenants can receive devices from the MSP's pool.
    type: str
    choices: [MSP_OWNED_INVENTORY, CUSTOMER_OWNED_INVENTORY]
  central_region:
    description:
      - Provision HPE Aruba Networking Central in the tenant in this region (for example V(us-west)), so the
        C(tenant_*_info) modules can read it. Left out, Central provisioning is not managed.
      - Central provisioned in another region fails the task; this module does not move or remove a provision.
    type: str
  application_id:
    description:
      - ID of the Central application (GLP service manager). By default the one provisioned in the MSP workspace,
        when it has exactly one.
    type: str
  release_devices:
    description:
      - With O(state=absent), move the tenant's MSP-owned devices back to the MSP pool before deleting it.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait for each asynchronous device operation of O(release_devices).
    type: int
    default: 300
'''

EXAMPLES = r'''
- name: A customer workspace, Central provisioned in us-west
  central.msp.msp_tenant:
    name: Acme Retail
    description: Retail chain, 40 stores
    email: it@acme-retail.example
    address:
      city: Chicago
      country_code: US
    central_region: us-west
  register: acme

- name: Rename a tenant found by its ID
  central.msp.msp_tenant:
    tenant_workspace_id: 5b1f2c4e-8f5e-4c1a-9a55-3c2f9d0b7a11
    name: Acme Retail Group

- name: Offboard a customer, its MSP-owned devices back to the pool first
  central.msp.msp_tenant:
    name: Acme Retail Group
    state: absent
    release_devices: true
'''

RETURN = r'''
tenant:
  description: The tenant after the task (in check mode, as it would be); null after O(state=absent).
  returned: always
  type: dict
  contains:
    name:
      description: Tenant workspace name.
      type: str
      sample: Acme Retail
    workspace_id:
      description: GLP workspace ID (dashed); null in check mode for a tenant not created yet.
      type: str
      sample: 5b1f2c4e-8f5e-4c1a-9a55-3c2f9d0b7a11
    inventory_ownership:
      description: Who owns the tenant's devices.
      type: str
      sample: MSP_OWNED_INVENTORY
    email:
      description: Workspace email.
      type: str
      sample: it@acme-retail.example
    phone_number:
      description: Workspace phone number.
      type: str
      sample: "+1 312 555 0100"
    address:
      description: Address (the O(address) sub-options).
      type: dict
      sample: {city: Chicago, country_code: US}
    central_region:
      description: Region Central is provisioned in; null when not provisioned or not managed (no O(central_region)).
      type: str
      sample: us-west
created:
  description: Whether the tenant was (in check mode, would be) created.
  returned: always
  type: bool
  sample: true
deleted:
  description: Whether the tenant was (in check mode, would be) deleted.
  returned: always
  type: bool
  sample: false
central_provisioned:
  description: Whether Central was (in check mode, would be) provisioned by this task.
  returned: always
  type: bool
  sample: true
devices:
  description: With O(release_devices), the devices moved back to the MSP pool, one report each.
  returned: when O(state=absent) and the tenant held devices
  type: list
  elements: dict
  sample: [{serial_number: CN12345678, changed: true, failed: false}]
candidates:
  description: The workspace IDs of the tenants that share an ambiguous O(name).
  returned: on failure, when O(name) is ambiguous
  type: list
  elements: str
'''

from ansible_collections.central.msp.plugins.module_utils.errors import CentralMspError, TaskFailed
from ansible_collections.central.msp.plugins.module_utils.runner import TaskSpec
from ansible_collections.central.msp.plugins.module_utils import onboarding
from ansible_collections.central.msp.plugins.module_utils.settings import dashed_id


def desired_state(current, params):
    """The tenant as the options want it: current values where an option is left out."""
    desired = dict(current) if current else {'name': None, 'workspace_id': None, 'inventory_ownership': None,
                                             'email': None, 'phone_number': None, 'address': None}
    if params['name'] is not None:
        desired['name'] = params['name']
    for option in ('inventory_ownership', 'email', 'phone_number'):
        if params[option] is not None:
            desired[option] = params[option]
    if params['address'] is not None:
        address = dict((current or {}).get('address') or dict.fromkeys(onboarding.ADDRESS_FIELDS))
        address.update({key: value for key, value in params['address'].items() if value is not None})
        desired['address'] = address
    if current is None and desired['inventory_ownership'] is None:
        desired['inventory_ownership'] = 'MSP_OWNED_INVENTORY'  # what GLP creates
    return desired


class Tenant:
    def __init__(self, task):
        self.params = task.params
        self.client = task.client
        self.check = task.check_mode
        self.result = {'changed': False, 'created': False, 'deleted': False, 'central_provisioned': False}

    def run(self):
        params = self.params
        if not params['name'] and not params['tenant_workspace_id']:
            raise CentralMspError('Name the tenant: set name (to find or create it) or tenant_workspace_id.')
        item = onboarding.find_tenant(self.client, params['name'], params['tenant_workspace_id'])
        if item is None and params['tenant_workspace_id'] and params['state'] == 'present':
            raise CentralMspError('No tenant has workspace id %s in MSP workspace %s; a tenant is created by name '
                                  '(leave tenant_workspace_id out), never by id.' % (
                                      dashed_id(params['tenant_workspace_id']),
                                      dashed_id(self.client.settings.workspace_id)))
        current = None
        if item is not None:
            current = onboarding.tenant_state(item, onboarding.tenant_contact(self.client, item['id']))
        if params['state'] == 'absent':
            return self.absent(current)
        return self.present(current)

    def present(self, current):
        params = self.params
        desired = desired_state(current, params)
        before = dict(current, central_region=None) if current else {}
        if current is None:
            self.result.update(changed=True, created=True)
            if not self.check:
                desired['workspace_id'] = onboarding.create_tenant(
                    self.client, onboarding.tenant_body(desired, params['description']))
        elif desired != current:
            self.result['changed'] = True
            if not self.check:
                onboarding.update_tenant(self.client, current['workspace_id'],
                                         onboarding.tenant_body(desired, params['description']))
        desired['central_region'] = None
        if params['central_region']:
            self.central(current, desired, before)
        self.result['tenant'] = desired
        self.result['diff'] = {'before': before, 'after': desired}
        return self.result

    def central(self, current, desired, before):
        region = self.params['central_region']
        app_id = onboarding.central_application_id(self.client, self.params['application_id'])
        existing = onboarding.central_provision(self.client, current['workspace_id'], app_id) if current else None
        if existing is not None:
            before['central_region'] = existing.get('region')
            if existing.get('region') != region:
                raise CentralMspError('Central is provisioned in tenant %s in region %s, not %s; this module does not '
                                      'move a provision: set central_region: %s.' % (
                                          desired['name'], existing.get('region'), region, existing.get('region')))
        else:
            self.result.update(changed=True, central_provisioned=True)
            if not self.check:
                onboarding.provision_central(self.client, desired['workspace_id'], app_id, region)
        desired['central_region'] = region

    def absent(self, current):
        self.result['tenant'] = None
        if current is None:
            self.result['diff'] = {'before': {}, 'after': {}}
            return self.result
        workspace_id = current['workspace_id']
        held = onboarding.tenant_devices(self.client, workspace_id)
        if held:
            self.release(current, held)
        self.result.update(changed=True, deleted=True, diff={'before': current, 'after': {}})
        if not self.check:
            onboarding.delete_tenant(self.client, workspace_id)
        return self.result

    def release(self, current, held):
        serials = [item['serialNumber'] for item in held]
        if not self.params['release_devices']:
            raise CentralMspError('Tenant %s (%s) still holds %d device(s) (%s); it is not deleted. Set '
                                  'release_devices: true to move its MSP-owned devices back to the MSP pool first, or '
                                  'move them with central.msp.msp_tenant_devices.' % (
                                      current['name'], current['workspace_id'], len(serials),
                                      ', '.join(sorted(serials)[:10]) + (', ...' if len(serials) > 10 else '')))
        owned = onboarding.msp_devices(self.client, serials)
        reports = onboarding.release_devices(self.client, [owned[s] for s in serials if s in owned],
                                             self.params['wait_timeout'], self.check)
        for serial in serials:
            if serial not in owned:
                reports.append({'serial_number': serial, 'changed': False, 'failed': True,
                                'msg': 'device %s is not in the MSP workspace\'s inventory: the customer owns it '
                                       '(customer-owned inventory), so the MSP cannot move it out of tenant %s'
                                       % (serial, current['name'])})
        self.result['devices'] = reports
        failed = [report for report in reports if report['failed']]
        if any(report['changed'] for report in reports):
            self.result['changed'] = True
        if failed:
            raise TaskFailed('Tenant %s is not deleted: %d of its %d device(s) could not be moved back to the MSP '
                             'pool: %s' % (current['name'], len(failed), len(reports), '; '.join(
                                 report['msg'] for report in failed)), self.result)


ADDRESS_OPTIONS = dict(
    street_address=dict(type='str'),
    street_address_complement=dict(type='str'),
    city=dict(type='str'),
    state_or_region=dict(type='str'),
    zip=dict(type='str'),
    country_code=dict(type='str', required=True),
)
TASK = TaskSpec(dict(
    name=dict(type='str'),
    tenant_workspace_id=dict(type='str'),
    state=dict(type='str', choices=['present', 'absent'], default='present'),
    description=dict(type='str'),
    email=dict(type='str'),
    phone_number=dict(type='str'),
    address=dict(type='dict', options=ADDRESS_OPTIONS),
    inventory_ownership=dict(type='str', choices=['MSP_OWNED_INVENTORY', 'CUSTOMER_OWNED_INVENTORY']),
    central_region=dict(type='str'),
    application_id=dict(type='str'),
    release_devices=dict(type='bool', default=False),
    wait_timeout=dict(type='int', default=300),
), lambda task: Tenant(task).run())


def main():
    TASK.run_module()


if __name__ == '__main__':
    main()
