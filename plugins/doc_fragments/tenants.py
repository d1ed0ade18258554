# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tenant selection options: ``central.msp.tenants`` (one or several tenants, the _info modules)
and ``central.msp.tenants.single`` (one tenant or MSP scope, tenant_api_call)."""

from __future__ import annotations


class ModuleDocFragment:
    # One tenant or several (the tenant_*_info modules).
    DOCUMENTATION = r'''
options:
  tenant:
    description:
      - Name of the tenant (customer workspace) to act in, looked up in GLP. An exact match wins; otherwise the name in any case, when only one tenant has it.
      - An unknown name fails with the closest names; a name that several tenants share fails with their IDs.
      - Mutually exclusive with O(tenant_workspace_id).
    type: str
  tenant_workspace_id:
    description:
      - GLP workspace ID of the tenant, dashed or not (for example V({{ msp_workspace_id }}) on a host of the
        C(central.msp.tenants) inventory). Saves the name lookup.
      - Mutually exclusive with O(tenant).
    type: str
  tenants:
    description:
      - Several tenants, each a name or a workspace ID, read concurrently.
      - Results come back in RV(tenants), one entry per tenant.
    type: list
    elements: str
  all_tenants:
    description:
      - Read every tenant of the MSP workspace, concurrently. Results come back in RV(tenants).
    type: bool
    default: false
  concurrency:
    description:
      - How many tenants are read at once with O(tenants) or O(all_tenants).
    type: int
    default: 8
  allow_partial:
    description:
      - With O(tenants) or O(all_tenants), succeed with a warning when some tenants fail. Otherwise the task
        fails, still returning every tenant's data and error.
    type: bool
    default: false
  fields:
    description:
      - Return only these keys of each item (the API's field names, for example V(serialNumber), V(deviceType),
        V(status)). An item without a key simply lacks it; a key that no returned item has is warned about.
      - Across many tenants this keeps the result small, and Ansible handles a module result in time
        proportional to its size. By default every key is returned.
    type: list
    elements: str
'''

    # One tenant, or MSP scope when neither is given (tenant_api_call).
    SINGLE = r'''
options:
  tenant:
    description:
      - Name of the tenant (customer workspace) to act in, looked up in GLP. An exact match wins; otherwise the name in any case, when only one tenant has it.
      - An unknown name fails with the closest names; a name that several tenants share fails with their IDs.
      - Mutually exclusive with O(tenant_workspace_id).
    type: str
  tenant_workspace_id:
    description:
      - GLP workspace ID of the tenant, dashed or not (for example V({{ msp_workspace_id }}) on a host of the
        C(central.msp.tenants) inventory). Saves the name lookup.
      - Mutually exclusive with O(tenant).
    type: str
'''
