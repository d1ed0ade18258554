#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: classic_site_info
short_description: List the sites of Classic Aruba Central customers
version_added: 0.2.0
description:
  - Reads C(central/v2/sites) in each chosen customer (the MSP token with the customer's C(TenantID)), every page
    (at most 1000 sites a page).
  - Several customers are read concurrently; they share the MSP's rate budget.
author:
  - central.msp contributors (@central-msp)
extends_documentation_fragment:
  - central.msp.classic_connection.modules
  - central.msp.classic_connection.customers
attributes:
  check_mode:
    support: full
    description: Only reads; runs normally in check mode.
  diff_mode:
    support: none
    description: Nothing to diff.
'''

EXAMPLES = r'''
- name: Sites of one customer
  central.msp.classic_site_info:
    customer: Acme Retail
  register: acme_sites

- name: Sites of every customer
  central.msp.classic_site_info:
    all_customers: true
    allow_partial: true
'''

RETURN = r'''
customer:
  description: The customer read, when one was chosen.
  returned: with O(customer) or O(customer_id)
  type: dict
  sample: {name: Acme Retail, customer_id: 267958b55d5a463e94a302c20f4a6b68}
sites:
  description: The customer's sites as Central returns them.
  returned: with O(customer) or O(customer_id)
  type: list
  elements: dict
  sample: [{site_id: 1001, site_name: acme-hq, city: Austin, country: United States, associated_device_count: 4}]
customers:
  description: One entry per customer with O(customers) or O(all_customers), with C(sites), C(count), C(failed), C(msg).
  returned: with O(customers) or O(all_customers)
  type: list
  elements: dict
count:
  description: Number of sites returned (over all customers).
  returned: always
  type: int
failed_customers:
  description: How many customers could not be read.
  returned: with O(customers) or O(all_customers)
  type: int
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

from ansible_collections.central.msp.plugins.module_utils.classic_module import customer_list_spec

TASK = customer_list_spec('sites', dict(limit=dict(type='int', default=1000)), lambda params: [('sites', {}, None)])


def main():
    TASK.run_module()


if __name__ == '__main__':
    main()
