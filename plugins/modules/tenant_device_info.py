#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: tenant_device_info
short_description: List the devices of one or more MSP tenants in HPE Aruba Networking Central
version_added: 0.1.0
description:
  - Reads the devices of a tenant (customer) workspace, entering it with the MSP credential by token exchange.
  - Either the device inventory (every device the tenant owns) or the monitored view (devices Central
    monitors, with IP addresses, uptime and configuration status).
  - Every page is fetched. Several tenants are read concurrently with one MSP token and the shared token cache.
author:
  - central.msp contributors (@central-msp)
extends_documentation_fragment:
  - central.msp.connection.modules
  - central.msp.tenants
attributes:
  check_mode:
    support: full
    description: Only reads; runs normally in check mode.
  diff_mode:
    support: none
    description: Nothing to diff.
options:
  source:
    description:
      - V(inventory) reads C(network-monitoring/v1/device-inventory); V(monitoring) reads C(network-monitoring/v1/devices).
    type: str
    choices: [inventory, monitoring]
    default: inventory
  device_type:
    description:
      - Only devices of these types, for example V(AP), V(SWITCH), V(GATEWAY).
    type: list
    elements: str
  status:
    description:
      - Only devices with this status, for example V(ONLINE) or V(OFFLINE).
    type: str
  site:
    description:
      - Only devices of the site with this name.
    type: str
  serial:
    description:
      - Only these serial numbers.
    type: list
    elements: str
  filter:
    description:
      - A raw OData filter, combined with V(and) with the filters above, for example V(model eq 'AP-635').
    type: str
  sort:
    description:
      - Sort expression, for example V(deviceName asc).
    type: str
  limit:
    description:
      - Devices per page (at most 1000). All pages are fetched whatever the size.
    type: int
    default: 1000
'''

EXAMPLES = r'''
- name: Devices of one tenant, by name
  central.msp.tenant_device_info:
    tenant: Acme Retail
  register: acme

- name: Offline access points of a tenant host from the central.msp.tenants inventory
  central.msp.tenant_device_info:
    tenant_workspace_id: "{{ msp_workspace_id }}"
    device_type: [AP]
    status: OFFLINE

- name: Monitored devices of every tenant, eight tenants at a time, keeping partial results
  central.msp.tenant_device_info:
    all_tenants: true
    source: monitoring
    allow_partial: true
  register: fleet

- name: Connection settings for every task of a play
  module_defaults:
    group/central.msp.msp:
      cluster_name: US-WEST-5
  block:
    - name: Switches of two tenants
      central.msp.tenant_device_info:
        tenants: [Acme Retail, "Bistro d'Or"]
        device_type: [SWITCH]
'''

RETURN = r'''
tenant:
  description: The tenant read, when one was chosen with O(tenant) or O(tenant_workspace_id).
  returned: when one tenant was chosen
  type: dict
  contains:
    name:
      description: Tenant name; null when the tenant was given by workspace id.
      type: str
      sample: Acme Retail
    workspace_id:
      description: Tenant GLP workspace ID (dashed).
      type: str
      sample: 5b1f2c4e-8f5e-4c1a-9a55-3c2f9d0b7a11
devices:
  description: The devices, with Central's field names.
  returned: when one tenant was chosen
  type: list
  elements: dict
  sample:
    - serialNumber: CNK7JSS2XY
      deviceName: acme-hq-ap-01
      deviceType: AP
      model: AP-635
      macAddress: "20:4c:03:1a:2b:3c"
      status: ONLINE
      siteName: Acme HQ
      firmwareVersion: 10.7.1.0
count:
  description: Number of devices returned (over all tenants when several were read).
  returned: always
  type: int
  sample: 42
tenants:
  description: One entry per tenant when O(tenants) or O(all_tenants) was used.
  returned: when several tenants were chosen
  type: list
  elements: dict
  contains:
    name:
      description: Tenant name.
      type: str
    workspace_id:
      description: Tenant GLP workspace ID (dashed).
      type: str
    devices:
      description: The tenant's devices; empty when it failed.
      type: list
      elements: dict
    count:
      description: Number of devices of this tenant.
      type: int
    failed:
      description: Whether reading this tenant failed.
      type: bool
    msg:
      description: Why it failed; empty otherwise.
      type: str
failed_tenants:
  description: How many tenants failed.
  returned: when several tenants were chosen
  type: int
  sample: 0
'''

from ansible_collections.central.msp.plugins.module_utils.module import tenant_list_spec

TASK = tenant_list_spec(
    'devices',
    lambda params: 'device_inventory' if params['source'] == 'inventory' else 'devices',
    dict(
        source=dict(type='str', choices=['inventory', 'monitoring'], default='inventory'),
        device_type=dict(type='list', elements='str'),
        status=dict(type='str'),
        site=dict(type='str'),
        serial=dict(type='list', elements='str'),
        limit=dict(type='int', default=1000),
    ),
    dict(device_type='deviceType', status='status', site='siteName', serial='serialNumber'),
)


def main():
    TASK.run_module()


if __name__ == '__main__':
    main()
