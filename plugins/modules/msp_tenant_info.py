#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: msp_tenant_info
short_description: List the tenants (customer workspaces) an MSP manages in HPE GreenLake and Aruba Central
version_added: 0.1.0
description:
  - Lists the tenant workspaces of the MSP workspace from HPE GreenLake (GLP C(workspaces/v1/msp-tenants)) and
    joins them by name with Central's MSP summary (C(network-msp/v1/list-tenants)) - sites, device health and
    alerts per tenant.
  - GLP is the list of record. A tenant Central does not know has RV(tenants[].central_provisioned=false).
  - When Central cannot be read but GLP can, the task still succeeds with a warning, the GLP data,
    RV(tenants[].central_provisioned=null) and the reason in RV(central_error).
  - Needs only the MSP token; no token exchange into the tenants.
author:
  - central.msp contributors (@central-msp)
extends_documentation_fragment:
  - central.msp.connection.modules
attributes:
  check_mode:
    support: full
    description: Only reads; runs normally in check mode.
  diff_mode:
    support: none
    description: Nothing to diff.
options:
  name:
    description:
      - Only tenants with this name. Exact and case-sensitive, or a shell-style glob such as V(Acme*)
        (C(*), C(?) and C([...]) are glob characters).
      - No match is not an error; RV(tenants) is then empty.
    type: str
  tenant_workspace_id:
    description:
      - Only the tenant with this GLP workspace ID, dashed or not.
      - Named so because O(workspace_id) is the MSP's own workspace.
    type: str
  with_central:
    description:
      - Join Central's per-tenant summary. V(false) reads GLP only (no Central gateway needed); the Central
        fields are then null.
    type: bool
    default: true
'''

EXAMPLES = r'''
- name: Every tenant, with Central's summary
  central.msp.msp_tenant_info:
  register: msp

- name: Tenants whose name starts with Acme, GLP data only
  central.msp.msp_tenant_info:
    name: Acme*
    with_central: false
  register: acme

- name: Tenants not provisioned in Central yet
  ansible.builtin.debug:
    msg: "{{ msp.tenants | selectattr('central_provisioned', 'false') | map(attribute='name') | list }}"
'''

RETURN = r'''
tenants:
  description: The tenants, sorted by name (case-insensitive), then workspace ID.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Tenant workspace name in GLP.
      type: str
      sample: Acme Retail Group
    workspace_id:
      description: Tenant GLP workspace ID (dashed). Use it as O(central.msp.tenant_device_info#module:tenant_workspace_id).
      type: str
      sample: 4e94f932-a912-4e70-94f9-6eba8a6805da
    inventory_ownership:
      description: Who owns the tenant's device inventory in GLP.
      type: str
      sample: MSP_OWNED_INVENTORY
    created_at:
      description: When the tenant workspace was created (GLP C(createdAt)).
      type: str
      sample: "2024-03-01T10:00:00Z"
    updated_at:
      description: When the tenant workspace was last changed (GLP C(updatedAt)).
      type: str
      sample: "2025-01-15T08:30:00Z"
    central_provisioned:
      description:
        - V(true) when Central's tenant list has a tenant of this name, V(false) when it has none.
        - Null when Central was not asked (O(with_central=false)) or could not be read, and when more than one tenant
          has this name (in GLP or in Central), since joined by name one could be shown another's figures; their Central
          fields stay null and the task warns.
      type: bool
      sample: true
    central_tenant_id:
      description: Central's own tenant ID (not the GLP workspace ID); null when not provisioned or unknown.
      type: str
      sample: "7201"
    sites_total:
      description: Number of sites in Central.
      type: int
      sample: 4
    sites_degraded:
      description: Number of sites Central rates degraded.
      type: int
      sample: 1
    device_health:
      description: Devices by health in Central.
      type: dict
      sample: {total: 40, good: 35, fair: 3, poor: 2}
    alerts:
      description: Open alerts by severity in Central.
      type: dict
      sample: {total: 6, critical: 1, major: 2, minor: 3}
    last_updated:
      description: When Central last refreshed this summary (its C(lastUpdatedTime), epoch seconds, as ISO 8601 UTC).
      type: str
      sample: "2025-11-20T11:58:59Z"
count:
  description: Number of tenants returned.
  returned: always
  type: int
  sample: 12
central_error:
  description: Why Central's summary could not be read; the GLP data was returned without it.
  returned: when O(with_central=true) and Central failed
  type: str
  sample: "GET central network-msp/v1/list-tenants (MSP scope) failed: HTTP 503 ..."
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

from ansible_collections.central.msp.plugins.module_utils.runner import TaskSpec


def list_tenants(task):
    params = task.params
    tenants, central_error = task.client.tenant_overview(params['with_central'], params['name'],
                                                         params['tenant_workspace_id'])
    result = {'tenants': tenants, 'count': len(tenants)}
    if central_error is not None:
        # GLP answered: the tenant list is still worth having without Central's figures.
        result['central_error'] = str(central_error)
        task.warn('Central tenant summary unavailable, returning GLP data only: %s' % central_error)
    return result


TASK = TaskSpec(dict(
    name=dict(type='str'),
    tenant_workspace_id=dict(type='str'),
    with_central=dict(type='bool', default=True),
), list_tenants)


def main():
    TASK.run_module()


if __name__ == '__main__':
    main()
