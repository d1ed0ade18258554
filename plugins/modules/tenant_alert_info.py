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
      - Only alerts of these severities, for example V(CRITICAL), V(MAJOR), V(MINOR).
    type: list
    elements: str
  status:
    description:
      - Only alerts with this status, for example V(ACTIVE) or V(CLEARED).
    type: str
  filter:
    description:
      - A raw OData filter, combined with V(and) with the filters above, for example V(category eq 'SYSTEM').
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
    tenant: Acme Retail
    severity: [CRITICAL]
    status: ACTIVE
  register: acme_alerts

- name: Critical and major alerts of every tenant, newest first
  central.msp.tenant_alert_info:
    all_tenants: true
    severity: [CRITICAL, MAJOR]
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
      sample: Acme Retail
    workspace_id:
      description: Tenant GLP workspace ID (dashed).
      type: str
      sample: 5b1f2c4e-8f5e-4c1a-9a55-3c2f9d0b7a11
alerts:
  description: The alerts, with Central's field names.
  returned: when one tenant was chosen
  type: list
  elements: dict
  sample:
    - id: "a-0001"
      name: Device disconnected
      summary: Access point acme-hq-ap-01 is down
      severity: CRITICAL
      status: ACTIVE
      category: DEVICE
      deviceType: AP
      createdAt: "2025-06-01T11:58:00Z"
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
    'alerts', 'alerts',
    dict(
        severity=dict(type='list', elements='str'),
        status=dict(type='str'),
        limit=dict(type='int', default=100),
    ),
    dict(severity='severity', status='status'),
)


def main():
    TASK.run_module()


if __name__ == '__main__':
    main()
