#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: tenant_site_info
short_description: List the sites of one or more MSP tenants with their health in HPE Aruba Networking Central
version_added: 0.1.0
description:
  - Reads C(network-monitoring/v1/sites-health) in a tenant (customer) workspace, entering it with the MSP
    credential by token exchange.
  - Each site keeps Central's fields and gains flat keys (RV(sites[].devices_good), RV(sites[].devices_poor),
    RV(sites[].alerts_critical), ...) so playbooks and templates need no nested lookups.
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
      - Only the sites with these names (exact).
    type: list
    elements: str
  filter:
    description:
      - A raw filter, joined with V(and) to O(site). Central takes only C(and) and C(eq) / C(in) on C(siteId) and
        C(siteName), for example V(siteId in ('10001001', '10001002')).
    type: str
  sort:
    description:
      - Sort expression, for example V(siteName asc).
    type: str
  limit:
    description:
      - Sites per page (at most 1000). All pages are fetched whatever the size.
    type: int
    default: 100
'''

EXAMPLES = r'''
- name: Sites of one tenant
  central.msp.tenant_site_info:
    tenant: Acme Retail Group
  register: acme_sites

- name: Sites with poor health
  ansible.builtin.debug:
    msg: "{{ acme_sites.sites | selectattr('devices_poor', 'gt', 0) | map(attribute='siteName') | list }}"

- name: Sites of every tenant, accepting that some tenants fail
  central.msp.tenant_site_info:
    all_tenants: true
    allow_partial: true
  register: all_sites
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
sites:
  description: The sites, with Central's field names plus the flat counts below.
  returned: when one tenant was chosen
  type: list
  elements: dict
  contains:
    id:
      description: Central site ID.
      type: str
      sample: "30001"
    siteName:
      description: Site name.
      type: str
      sample: Acme HQ
    address:
      description: Postal address (address, city, state, zipCode, country).
      type: dict
    health:
      description: Central's site health, C(groups) of C({name, value}).
      type: dict
    devices:
      description: Central's device count and health groups for the site.
      type: dict
    clients:
      description: Central's client count and health groups for the site.
      type: dict
    alerts:
      description: Central's count of open alerts at the site and its C(groups) of C({name, count}) by severity.
      type: dict
    health_good:
      description: The C(Good) value of RV(sites[].health), as Central reports it (a share of the site's devices,
        in percent); 0 when absent.
      type: int
      sample: 89
    health_fair:
      description: The C(Fair) value of RV(sites[].health); 0 when absent.
      type: int
      sample: 11
    health_poor:
      description: The C(Poor) value of RV(sites[].health); 0 when absent.
      type: int
      sample: 0
    devices_total:
      description: Number of devices at the site.
      type: int
      sample: 9
    devices_good:
      description: Devices in good health.
      type: int
      sample: 8
    devices_fair:
      description: Devices in fair health.
      type: int
      sample: 1
    devices_poor:
      description: Devices in poor health.
      type: int
      sample: 0
    clients_total:
      description: Number of clients at the site.
      type: int
      sample: 120
    clients_good:
      description: Clients in good health.
      type: int
      sample: 110
    clients_fair:
      description: Clients in fair health.
      type: int
      sample: 7
    clients_poor:
      description: Clients in poor health.
      type: int
      sample: 3
    alerts_total:
      description: Number of open alerts at the site.
      type: int
      sample: 2
    alerts_critical:
      description: Open critical alerts at the site.
      type: int
      sample: 0
    alerts_major:
      description: Open major alerts at the site.
      type: int
      sample: 1
    alerts_minor:
      description: Open minor alerts at the site.
      type: int
      sample: 1
count:
  description: Number of sites returned (over all tenants when several were read).
  returned: always
  type: int
  sample: 4
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
    sites:
      description: The tenant's sites, shaped as RV(sites); empty when it failed.
      type: list
      elements: dict
    count:
      description: Number of sites of this tenant.
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

from ansible_collections.central.msp.plugins.module_utils.module import tenant_list_spec
from ansible_collections.central.msp.plugins.module_utils.overview import flatten_site

TASK = tenant_list_spec(
    'sites', 'sites',
    dict(site=dict(type='list', elements='str'), limit=dict(type='int', default=100)),
    dict(site='siteName'),
    shape=flatten_site,
)


def main():
    TASK.run_module()


if __name__ == '__main__':
    main()
