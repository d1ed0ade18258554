#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: tenant_alert_info
short_description: List the alerts of one or more MSP tenants in HPE Aruba Networking Central
version_added: 0.1.0
description:
  - Reads C(network-notifications/v1/alerts) in a tenant (customer) workspace, entering it with the MSP credential
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
  severity:
    description:
      - Only alerts of these severities - V(critical), V(major), V(minor), in any case (Central's C(Critical),
        C(Major), C(Minor)).
      - Central's alerts filter has no severity, so every alert is read and the module keeps those of these
        severities.
    type: list
    elements: str
  status:
    description:
      - Only alerts with this status - V(active), V(cleared) or V(deferred), in any case (Central's C(Active),
        C(Cleared), C(Deferred)). Central filters on it.
    type: str
  filter:
    description:
      - A raw filter, joined with V(and) to the filters above. Central takes only C(and) and C(eq) / C(in) on
        C(siteId), C(typeId), C(status), C(category) and C(deviceType), for example V(category eq 'System').
    type: str
  sort:
    description:
      - Sort expression, for example V(createdAt desc).
    type: str
  limit:
    description:
      - Alerts per page (at most 100). All pages are fetched whatever the size.
    type: int
    default: 100
'''

EXAMPLES = r'''
- name: Active critical alerts of one tenant
  central.msp.tenant_alert_info:
    tenant: Acme Retail Group
    severity: [critical]
    status: active
  register: acme_alerts

- name: Critical and major alerts of every tenant, newest first
  central.msp.tenant_alert_info:
    all_tenants: true
    severity: [critical, major]
    sort: createdAt desc
  register: fleet_alerts
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
alerts:
  description: The alerts, with Central's field names.
  returned: when one tenant was chosen
  type: list
  elements: dict
  sample:
    - id: "22071893000:47765082406"
      name: Device Disconnected
      summary: Device Disconnected on Access Point CHI-AP01 (CN0010002X)
      severity: Critical
      priority: Very High
      status: Active
      category: System
      deviceType: Access Point
      createdAt: "2025-06-01T11:58:00.000Z"
count:
  description: Number of alerts returned (over all tenants when several were read).
  returned: always
  type: int
  sample: 6
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
    alerts:
      description: The tenant's alerts; empty when it failed.
      type: list
      elements: dict
    count:
      description: Number of alerts of this tenant.
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
    'alerts', 'alerts',
    dict(
        severity=dict(type='list', elements='str'),
        status=dict(type='str'),
        limit=dict(type='int', default=100),
    ),
    dict(severity=Match('severity', vocabulary.ALERT_SEVERITIES), status=Match('status', vocabulary.ALERT_STATUSES)),
)


def main():
    TASK.run_module()


if __name__ == '__main__':
    main()
