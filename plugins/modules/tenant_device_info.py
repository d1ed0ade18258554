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
      - Only devices of these types, Central's C(deviceType) - V(access_point) (or V(ap)), V(switch) or V(gateway),
        in any case; they are sent as Central spells them (C(ACCESS_POINT), C(SWITCH), C(GATEWAY)).
      - A value that is none of these fails the task with the list of valid ones.
    type: list
    elements: str
  status:
    description:
      - Only devices with this status - V(online) or V(offline), in any case (Central's C(ONLINE), C(OFFLINE)).
      - The monitoring view filters on it in Central. The device inventory cannot (its filter has no C(status)), so
        with O(source=inventory) every device is read and the module keeps those with this status.
    type: str
  site:
    description:
      - Only devices of the site with this name (exact).
    type: str
  serial:
    description:
      - Only these serial numbers.
    type: list
    elements: str
  filter:
    description:
      - A raw filter, joined with V(and) to the filters above, for example V(model eq 'AP-635'). Central takes only
        C(and) and C(eq) / C(in), on the fields each view lists (inventory - siteId, siteName, serialNumber, deviceName,
        deviceType, model, firmwareVersion, deviceFunction, isProvisioned, deviceGroupName; monitoring - siteId,
        siteName, serialNumber, deviceName, deviceType, status, model, firmwareVersion, deployment, clusterName).
        A quote inside a value is written V(\\').
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
    tenant: Acme Retail Group
  register: acme

- name: Offline access points of a tenant host from the central.msp.tenants inventory
  central.msp.tenant_device_info:
    tenant_workspace_id: "{{ msp_workspace_id }}"
    device_type: [ap]
    status: offline

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
        tenants: [Acme Retail Group, "Bistro d'Or"]
        device_type: [switch]
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
      sample: Acme Retail Group
    workspace_id:
      description: Tenant GLP workspace ID (dashed).
      type: str
      sample: 4e94f932-a912-4e70-94f9-6eba8a6805da
devices:
  description: The devices, with Central's field names.
  returned: when one tenant was chosen
  type: list
  elements: dict
  sample:
    - serialNumber: CNK7JSS2XY
      deviceName: acme-hq-ap-01
      deviceType: ACCESS_POINT
      model: AP-635
      macAddress: "20:4c:03:1a:2b:3c"
      status: ONLINE
      isProvisioned: "Yes"
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
      description: Why it failed, or that Central does not manage the tenant; empty otherwise.
      type: str
    central_provisioned:
      description:
        - Whether Central manages the tenant. V(false) for a GreenLake-only tenant, which is not a failure (its
          list is empty); null when it failed for another reason.
      type: bool
      version_added: 0.1.0
failed_tenants:
  description: How many tenants failed.
  returned: when several tenants were chosen
  type: int
  sample: 0
retries:
  description:
    - What retrying cost, when a request had to be retried (rate limits, transient server or connection
      failures); absent otherwise.
  returned: when a request was retried
  type: dict
  contains:
    count:
      description: Requests retried.
      type: int
      sample: 2
    rate_limited:
      description: Of which after a rate limit (HTTP 429).
      type: int
      sample: 2
    waited_seconds:
      description: Seconds waited before the retries, in all.
      type: float
      sample: 3.4
    msg:
      description: The same in words.
      type: str
      sample: retried 2 requests (2 after a rate limit), waited 3.4 s in all
'''

from ansible_collections.central.msp.plugins.module_utils import vocabulary
from ansible_collections.central.msp.plugins.module_utils.module import tenant_list_spec
from ansible_collections.central.msp.plugins.module_utils.queries import Match


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
    dict(device_type=Match('deviceType', vocabulary.DEVICE_TYPES), status=Match('status', vocabulary.DEVICE_STATUSES),
         site=Match('siteName'), serial=Match('serialNumber')),
)


def main():
    TASK.run_module()


if __name__ == '__main__':
    main()
