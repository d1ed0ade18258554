#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: classic_device_info
short_description: List the access points, switches and gateways of Classic Aruba Central customers
version_added: 0.2.0
description:
  - Reads C(monitoring/v2/aps), C(monitoring/v1/switches) and C(monitoring/v1/gateways) in each chosen customer
    (the MSP token with the customer's C(TenantID)), every page (at most 1000 devices a page).
  - Each device keeps Central's fields and gains C(device_type) (V(AP), V(SWITCH) or V(GATEWAY)).
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
  device_type:
    description:
      - Which kinds of device to read; one endpoint each.
    type: list
    elements: str
    choices: [ap, switch, gateway]
    default: [ap, switch, gateway]
  group:
    description:
      - Only devices of this configuration group (Central's C(group) parameter).
    type: str
  site:
    description:
      - Only devices of this site, by name (Central's C(site) parameter).
    type: str
  status:
    description:
      - Only devices in this status.
    type: str
    choices: [Up, Down]
'''

EXAMPLES = r'''
- name: Switches of one customer that are down
  central.msp.classic_device_info:
    customer: Acme Retail
    device_type: [switch]
    status: Down
  register: down

- name: Every device of every customer
  central.msp.classic_device_info:
    all_customers: true
'''

RETURN = r'''
customer:
  description: The customer read, when one was chosen.
  returned: with O(customer) or O(customer_id)
  type: dict
  sample: {name: Acme Retail, customer_id: 267958b55d5a463e94a302c20f4a6b68}
devices:
  description: APs, then switches, then gateways, as Central returns them, each with C(device_type).
  returned: with O(customer) or O(customer_id)
  type: list
  elements: dict
  sample: [{serial: APACM00001, name: acme-ap-01, model: AP-515, status: Up, site: acme-site-1, device_type: AP}]
customers:
  description: One entry per customer with O(customers) or O(all_customers), with C(devices), C(count), C(failed), C(msg).
  returned: with O(customers) or O(all_customers)
  type: list
  elements: dict
count:
  description: Number of devices returned (over all customers).
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

# device_type choice -> (list endpoint, the device_type value added to each item)
KINDS = {'ap': ('aps', 'AP'), 'switch': ('switches', 'SWITCH'), 'gateway': ('gateways', 'GATEWAY')}


def reads(params):
    query = {'group': params['group'], 'site': params['site'], 'status': params['status']}
    chosen = [kind for kind in KINDS if kind in params['device_type']]
    return [(KINDS[kind][0], query, lambda item, label=KINDS[kind][1]: dict(item, device_type=label))
            for kind in chosen]


TASK = customer_list_spec('devices', dict(
    device_type=dict(type='list', elements='str', choices=list(KINDS), default=list(KINDS)),
    group=dict(type='str'),
    site=dict(type='str'),
    status=dict(type='str', choices=['Up', 'Down']),
    limit=dict(type='int', default=1000),
), reads)


def main():
    TASK.run_module()


if __name__ == '__main__':
    main()
