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
      - Only clients of the sites with these names (exact). Central chooses the site by its C(site-name) query
        parameter, so each site is one read.
    type: list
    elements: str
  status:
    description:
      - Only clients with these statuses - V(connected), V(failed), in any case (Central's C(Connected), C(Failed)).
      - Without it Central returns connected clients only. Failed clients are listed only inside the time window
        (O(start_at), O(end_at)).
    type: list
    elements: str
  connection_type:
    description:
      - Only clients connected this way - V(wireless) or V(wired), in any case (Central's C(clientConnectionType)
        C(Wireless), C(Wired)).
    type: str
  start_at:
    description:
      - Start of the window failed clients are read from, an RFC 3339 date-time such as V(2025-11-20T09:00:00Z).
      - Central's default is three hours before O(end_at). The window holds at most 7 days (one month with O(site)).
      - Connected clients are listed whatever the window.
    type: str
  end_at:
    description:
      - End of the window failed clients are read from (RFC 3339). Central's default is now.
    type: str
  filter:
    description:
      - A raw filter, joined with V(and) to the filters above, for example V(vlanId eq '10'). Central takes only
        C(and) and C(eq) / C(in) on clientConnectionType, status, wlanName, vlanId, tunnelType and role.
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
    tenant: Acme Retail Group
    connection_type: wireless
  register: acme_clients

- name: Clients of two sites of a tenant given by workspace ID
  central.msp.tenant_client_info:
    tenant_workspace_id: 4e94f932a9124e7094f96eba8a6805da
    site: [Acme HQ, Acme Warehouse]

- name: Connected and failed clients of every tenant; failed ones of the last 24 hours
  central.msp.tenant_client_info:
    all_tenants: true
    status: [connected, failed]
    start_at: "{{ '%Y-%m-%dT%H:%M:%SZ' | strftime(now(utc=true).timestamp() - 86400, utc=true) }}"
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
      sample: Acme Retail Group
    workspace_id:
      description: Tenant GLP workspace ID (dashed).
      type: str
      sample: 4e94f932-a912-4e70-94f9-6eba8a6805da
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
      status: Connected
      clientConnectionType: Wireless
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
from ansible_collections.central.msp.plugins.module_utils.queries import Match, QueryParam


TASK = tenant_list_spec(
    'clients', 'clients',
    dict(
        site=dict(type='list', elements='str'),
        status=dict(type='list', elements='str'),
        connection_type=dict(type='str'),
        start_at=dict(type='str'),
        end_at=dict(type='str'),
        limit=dict(type='int', default=1000),
    ),
    dict(site=QueryParam('site-name'), status=Match('status', vocabulary.CLIENT_FILTER_STATUSES),
         connection_type=Match('clientConnectionType', vocabulary.CONNECTION_TYPES)),
    query_params={'start-at': 'start_at', 'end-at': 'end_at'},
)


def main():
    TASK.run_module()


if __name__ == '__main__':
    main()
