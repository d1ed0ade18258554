#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: classic_client_info
short_description: List the wireless and wired clients of Classic Aruba Central customers
version_added: 0.2.0
description:
  - Reads C(monitoring/v2/clients) in each chosen customer (the MSP token with the customer's C(TenantID)), every
    page (at most 1000 clients a page). That endpoint needs C(client_type), so each type is one listing.
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
options:
  client_type:
    description:
      - Which clients to read.
    type: list
    elements: str
    choices: [WIRELESS, WIRED]
    default: [WIRELESS, WIRED]
  group:
    description:
      - Only clients of this configuration group.
    type: str
  site:
    description:
      - Only clients of this site, by name.
    type: str
'''

EXAMPLES = r'''
- name: Wireless clients of one customer
  central.msp.classic_client_info:
    customer: Acme Retail
    client_type: [WIRELESS]
  register: wireless
'''

RETURN = r'''
customer:
  description: The customer read, when one was chosen.
  returned: with O(customer) or O(customer_id)
  type: dict
  sample: {name: Acme Retail, customer_id: 267958b55d5a463e94a302c20f4a6b68}
clients:
  description: Wireless, then wired clients, as Central returns them (C(client_type) says which).
  returned: with O(customer) or O(customer_id)
  type: list
  elements: dict
  sample: [{macaddr: "3c:22:fb:00:00:01", name: laptop-01, client_type: WIRELESS, site: acme-site-1}]
customers:
  description: One entry per customer with O(customers) or O(all_customers), with C(clients), C(count), C(failed), C(msg).
  returned: with O(customers) or O(all_customers)
  type: list
  elements: dict
count:
  description: Number of clients returned (over all customers).
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

CLIENT_TYPES = ['WIRELESS', 'WIRED']


def reads(params):
    return [('clients', {'client_type': kind, 'group': params['group'], 'site': params['site']}, None)
            for kind in CLIENT_TYPES if kind in params['client_type']]


TASK = customer_list_spec('clients', dict(
    client_type=dict(type='list', elements='str', choices=CLIENT_TYPES, default=CLIENT_TYPES),
    group=dict(type='str'),
    site=dict(type='str'),
    limit=dict(type='int', default=1000),
), reads)


def main():
    TASK.run_module()


if __name__ == '__main__':
    main()
