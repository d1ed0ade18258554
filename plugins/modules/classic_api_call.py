#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: classic_api_call
short_description: Call any Classic Aruba Central API path as the MSP or in a customer (TenantID)
version_added: 0.2.0
description:
  - Sends one request to a path of the Classic Central API gateway, in a customer's scope (O(customer) or
    O(customer_id); the MSP token with the header C(TenantID)) or in the MSP's own scope (neither given).
  - The token comes from the shared token store and is renewed under its lock, once more after a 401. The call
    waits for a slot in the MSP's shared rate budget. C(Authorization), C(TenantID) and C(Cookie) in O(headers) are
    ignored, and no authentication material is ever returned.
  - O(path) is relative to the gateway. Absolute URLs, C(//host) references and C(.)/C(..) segments are refused,
    so the token can only go to the configured gateway.
  - V(GET) reports RV(ignore:changed=false). Other methods report RV(ignore:changed=true) and are not sent in
    check mode.
author:
  - central.msp contributors (@central-msp)
extends_documentation_fragment:
  - central.msp.classic_connection.modules
  - central.msp.classic_connection.customer
attributes:
  check_mode:
    support: full
    description: V(GET) runs normally; other methods are not sent and report a change.
  diff_mode:
    support: none
    description: Nothing to diff.
options:
  method:
    description:
      - HTTP method, one of V(GET), V(POST), V(PUT), V(PATCH), V(DELETE) (any case).
    type: str
    default: GET
  path:
    description:
      - API path relative to the gateway, for example V(monitoring/v2/aps) or V(msp_api/v1/customers). A leading
        C(/) is allowed. Put query parameters in O(params), not in the path.
    type: str
    required: true
  params:
    description:
      - Query parameters. A list value repeats the parameter.
    type: dict
  body:
    description:
      - Request body, sent as JSON. A dict or a list, or a string holding JSON text.
    type: raw
  headers:
    description:
      - Extra request headers.
    type: dict
  status_code:
    description:
      - HTTP statuses that count as success. Any other fails the task, still returning the response.
    type: list
    elements: int
    default: [200, 201, 202, 204]
  paginate:
    description:
      - For a V(GET) of a Classic list endpoint (a body with one list, such as C(aps), and C(total) or C(count)),
        fetch every page with C(offset)/C(limit) and return all items in C(items) of RV(json).
      - A C(limit) in O(params) sets the page size (keep it within the endpoint's maximum, 50 for
        C(msp_api/v1/customers)); an C(offset) is ignored, reading starts at the first item. Monitoring
        endpoints report C(total) only with C(calculate_total=true), which is added.
    type: bool
    default: false
'''

EXAMPLES = r'''
- name: Access points of a customer, every page
  central.msp.classic_api_call:
    customer: Acme Retail
    path: monitoring/v2/aps
    params:
      limit: 100
    paginate: true
  register: aps

- name: The MSP's customers (MSP scope, 50 a page)
  central.msp.classic_api_call:
    path: msp_api/v1/customers
    params:
      limit: 50
    paginate: true

- name: Acknowledge a notification in a customer given by ID (skipped in check mode)
  central.msp.classic_api_call:
    customer_id: 267958b55d5a463e94a302c20f4a6b68
    method: POST
    path: central/v1/notifications/AWT0001
    body:
      acknowledged: true
'''

RETURN = r'''
customer:
  description: The customer the call was made in; null in MSP scope.
  returned: always
  type: dict
  sample: {name: Acme Retail, customer_id: 267958b55d5a463e94a302c20f4a6b68}
status:
  description: HTTP status of the (last) response.
  returned: when the request was sent
  type: int
  sample: 200
json:
  description:
    - The response body, when it is JSON.
    - With O(paginate), C({items, count, total}) over every page (C(total) as the API reported it, or null).
  returned: when the request was sent and the body is JSON
  type: raw
  sample: {items: [{serial: CNK7JSS2XY, name: acme-ap-01}], count: 1, total: 1}
content:
  description: The response body as text, when it is not empty and not JSON.
  returned: when the request was sent and the body is not JSON
  type: str
headers:
  description:
    - Response headers of the (last) response, names in lower case, without any that could carry
      authentication or session material.
  returned: when the request was sent
  type: dict
  sample: {content-type: application/json, x-ratelimit-remaining-second: "6"}
pages:
  description: How many requests were sent (more than 1 only with O(paginate)).
  returned: when the request was sent
  type: int
  sample: 3
msg:
  description: What check mode did not send.
  returned: in check mode, for methods other than V(GET)
  type: str
  sample: "Check mode: POST classic central/v1/notifications/AWT0001 for customer 267958b55d5a463e94a302c20f4a6b68 not sent."
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

from ansible_collections.central.msp.plugins.module_utils.api_call import (
    REQUEST_OPTIONS, ApiRequest, JsonPages, request_headers)
from ansible_collections.central.msp.plugins.module_utils.classic_module import CUSTOMER_OPTIONS, classic_task_spec
from ansible_collections.central.msp.plugins.module_utils.paging import paginate_offset

SCOPE_HEADERS = ('tenantid', 'cookie')


def list_key(body):
    """The key of the one list in a Classic list page, or None when the body is not such a page."""
    if not isinstance(body, dict):
        return None
    lists = [key for key, value in body.items() if isinstance(value, list)]
    counted = isinstance(body.get('total'), int) or isinstance(body.get('count'), int)
    return lists[0] if len(lists) == 1 and counted else None


class ClassicApiCall(ApiRequest):
    """One classic_api_call task: validate everything, then send (or page through) the request."""

    def __init__(self, task):
        headers = {}
        for name, value in request_headers(task).items():
            if name.strip().lower() in SCOPE_HEADERS:
                task.warn('The %s header in headers is ignored: customer or customer_id sets the scope.' % name)
                continue
            headers[name] = value
        super().__init__(task, headers)
        params = task.params
        self.customer = None
        if params['customer'] or params['customer_id']:
            self.customer = self.client.resolve_customer(params['customer'], params['customer_id'])
        self.customer_id = self.customer['customer_id'] if self.customer else None
        self.call = self.client.describe(self.method, self.path, self.customer_id)

    def scope(self):
        return {'customer': self.customer}

    def send(self):
        return self.client.request(self.method, self.path, self.customer_id, self.params or None, self.body,
                                   self.headers)

    def every_page(self):
        self.params.pop('offset', None)
        limit = self.params.pop('limit', None)
        self.params.setdefault('calculate_total', 'true')
        pages = JsonPages(self.client, self.call, lambda query: self.client.call(
            'GET', self.path, self.customer_id, query, headers=self.headers, expected=self.expected))
        first = pages.first(dict(self.params, offset=0, **({'limit': limit} if limit else {})))
        key = list_key(first)
        if key is None:
            return pages.as_is(self.task, first, 'one list with total or count')
        # Without a limit the first page's size is the page size the endpoint chose.
        paged = paginate_offset(pages.next_page, self.call, int(limit or len(first[key]) or 1), self.params, None, key)
        return pages.result(self.task, paged)


TASK = classic_task_spec(
    dict(CUSTOMER_OPTIONS, **REQUEST_OPTIONS),
    lambda task: ClassicApiCall(task).run(),
    mutually_exclusive=[['customer', 'customer_id']],
)


def main():
    TASK.run_module()


if __name__ == '__main__':
    main()
