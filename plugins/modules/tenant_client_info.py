#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: tenant_client_info
short_description: List the network clients of one or more MSP tenants in HPE Aruba Networking Central
version_added: 0.1.0
description:
  - Reads C(network-monitoring/v1/clients) in a tenant (customer) workspace, entering it with the MSP credential
    by token exchange.
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
  site:
    description:
      - Only clients of the sites with these names (exact).
    type: list
    elements: str
  status:
    description:
      - Only clients with this status, for example V(CONNECTED) or V(FAILED).
    type: str
  connection_type:
    description:
      - Only clients connected this way, for example V(WIRELESS) or V(WIRED) (Central's C(clientConnectionType)).
    type: str
  filter:
    description:
      - A raw OData filter, combined with V(and) with the filters above, for example V(vlanId eq '10').
    type: str
  sort:
    description:
      - Sort expression, for example V(clientName asc).
    type: str
  limit:
    description:
      - Clients per page (at most 1000). All pages are fetched whatever the size.
    type: int
    default: 1000
'''

EXAMPLES = r'''
- name: Wireless clients of one tenant
  central.msp.tenant_client_info:
    tenant: Acme Retail
    connection_type: WIRELESS
  register: acme_clients

- name: Clients of two sites of a tenant given by workspace ID
  central.msp.tenant_client_info:
    tenant_workspace_id: 5b1f2c4e8f5e4c1a9a553c2f9d0b7a11
    site: [Acme HQ, Acme Warehouse]

- name: Connected clients of every tenant
  central.msp.tenant_client_info:
    all_tenants: true
    status: CONNECTED
  register: fleet_clients
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
clients:
  description: The clients, with Central's field names.
  returned: when one tenant was chosen
  type: list
  elements: dict
  sample:
    - id: "c-0001"
      clientName: pos-terminal-07
      macAddress: "a4:83:e7:11:22:33"
      ipv4: 10.1.20.57
      status: CONNECTED
      clientConnectionType: WIRELESS
      connectedDeviceSerial: CNK7JSS2XY
      siteName: Acme HQ
      vlanId: "20"
      wlanName: acme-staff
count:
  description: Number of clients returned (over all tenants when several were read).
  returned: always
  type: int
  sample: 250
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
    clients:
      description: The tenant's clients; empty when it failed.
      type: list
      elements: dict
    count:
      description: Number of clients of this tenant.
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
    'clients', 'clients',
    dict(
        site=dict(type='list', elements='str'),
        status=dict(type='str'),
        connection_type=dict(type='str'),
        limit=dict(type='int', default=1000),
    ),
    dict(site='siteName', status='status', connection_type='clientConnectionType'),
)


def main():
    TASK.run_module()


if __name__ == '__main__':
    main()
