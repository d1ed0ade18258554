#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: classic_customer_info
short_description: List the customers of a Classic Aruba Central MSP account
version_added: 0.2.0
description:
  - Reads C(msp_api/v1/customers) in the MSP scope, every page (at most 50 customers a page, the gateway's limit).
  - Each customer comes back with the fields an MSP groups by (customer ID, name, group, provision status, region).
  - The token comes from the shared token store and is renewed under its lock (see C(docs/classic.md)).
author:
  - central.msp contributors (@central-msp)
extends_documentation_fragment:
  - central.msp.classic_connection.modules
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
      - Only the customers with exactly this name (case-sensitive). Several customers may share a name.
    type: str
  customer_id:
    description:
      - Only the customer with this ID (32 hex digits).
    type: str
seealso:
  - plugin: central.msp.classic_customers
    plugin_type: inventory
'''

EXAMPLES = r'''
- name: Every customer of the MSP account
  central.msp.classic_customer_info:
  register: classic

- name: Their names
  ansible.builtin.debug:
    msg: "{{ classic.customers | map(attribute='name') | list }}"

- name: One customer by its exact name
  central.msp.classic_customer_info:
    name: Acme Retail
    region: US-2
'''

RETURN = r'''
customers:
  description: The customers, sorted by name (case-insensitive), then ID.
  returned: always
  type: list
  elements: dict
  contains:
    customer_id:
      description: Customer ID, the value of the C(TenantID) header for calls in this customer.
      type: str
      sample: 267958b55d5a463e94a302c20f4a6b68
    name:
      description: Customer name.
      type: str
      sample: Acme Retail
    description:
      description: Customer description.
      type: str
    group_id:
      description: ID of the MSP customer group the customer is in.
      type: int
      sample: 100
    group_name:
      description: Name of that group.
      type: str
      sample: Retail
    account_status:
      description: Account status as Central reports it.
      type: str
      sample: active
    provision_status:
      description: Whether Central is provisioned for the customer (of its Central application instance).
      type: str
      sample: provisioned
    region:
      description: Region of the customer's Central application instance.
      type: str
      sample: US-2
    created_at:
      description: Creation time (epoch seconds).
      type: int
    updated_at:
      description: Last update (epoch seconds).
      type: int
count:
  description: Number of customers returned.
  returned: always
  type: int
  sample: 55
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

from ansible_collections.central.msp.plugins.module_utils.classic import customer_id_of
from ansible_collections.central.msp.plugins.module_utils.classic_module import classic_task_spec


def work(task):
    customers = task.client.customers()
    if task.params['name'] is not None:
        customers = [c for c in customers if c['name'] == task.params['name']]
    if task.params['customer_id']:
        wanted = customer_id_of(task.params['customer_id'])
        customers = [c for c in customers if c['customer_id'] == wanted]
    return {'customers': customers, 'count': len(customers)}


TASK = classic_task_spec(dict(name=dict(type='str'), customer_id=dict(type='str')), work)


def main():
    TASK.run_module()


if __name__ == '__main__':
    main()
