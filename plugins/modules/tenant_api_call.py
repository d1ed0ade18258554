#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: tenant_api_call
short_description: Call any HPE Aruba Networking Central or HPE GreenLake API path as the MSP or inside a tenant
version_added: 0.1.0
description:
  - Sends one request to a Central (O(app=central)) or GLP (O(app=glp)) API path, in a tenant workspace
    (O(tenant) or O(tenant_workspace_id), entered by token exchange) or in the MSP workspace (neither given).
  - The token comes from the connection layer and its shared cache and is renewed once on a 401. An
    C(Authorization) header in O(headers) is ignored, and no authentication material is ever returned.
  - O(path) is relative to the API base URL. Absolute URLs, C(//host) references and C(.)/C(..) segments are
    refused, so the token can only go to the configured hosts.
  - V(GET) reports RV(ignore:changed=false). Other methods report RV(ignore:changed=true) and are not sent in
    check mode; RV(request) then shows what would have been sent.
author:
  - central.msp contributors (@central-msp)
extends_documentation_fragment:
  - central.msp.connection.modules
  - central.msp.tenants.single
attributes:
  check_mode:
    support: full
    description: V(GET) runs normally; other methods are not sent and report a change.
  diff_mode:
    support: none
    description: Nothing to diff.
options:
  app:
    description:
      - Which API O(path) belongs to. V(central) needs O(base_url) or O(cluster_name).
    type: str
    choices: [central, glp]
    default: central
  method:
    description:
      - HTTP method, one of V(GET), V(POST), V(PUT), V(PATCH), V(DELETE) (any case).
    type: str
    default: GET
  path:
    description:
      - API path relative to the base URL, for example V(network-monitoring/v1/devices) or V(devices/v1/devices).
        A leading C(/) is allowed. Put query parameters in O(params), not in the path.
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
      - Extra request headers. C(Authorization) cannot be set (the module sends the token).
    type: dict
  status_code:
    description:
      - HTTP statuses that count as success. Any other fails the task, still returning the response.
    type: list
    elements: int
    default: [200, 201, 202, 204]
  paginate:
    description:
      - For a V(GET) of a list endpoint, fetch every page and return all items in C(items) of RV(json).
      - The paging style is read from the first response, C(next) cursors (Central monitoring) or
        C(offset)/C(total) (GLP, Central sites-health). A C(limit) in O(params) sets the page size and a C(next)
        the first cursor; an endpoint whose first cursor is not the default gets it from the module
        (C(network-msp/v1/list-tenants) starts at V(1), and takes a C(limit) of at most 100). An C(offset) is
        ignored, reading starts at the first item.
      - O(params) are sent as given. Central answers a query parameter an endpoint does not take, and a filter with
        C(or), C(not) or an operator other than C(eq) / C(in), with HTTP 400.
    type: bool
    default: false
'''

EXAMPLES = r'''
- name: Devices of a tenant, every page
  central.msp.tenant_api_call:
    tenant: Acme Retail Group
    path: network-monitoring/v1/devices
    params:
      filter: "deviceType eq 'SWITCH'"
    paginate: true
  register: switches

- name: The MSP's tenants as GLP lists them (MSP scope)
  central.msp.tenant_api_call:
    app: glp
    path: workspaces/v1/msp-tenants
    paginate: true

- name: Acknowledge an alert in a tenant given by workspace ID (skipped in check mode)
  central.msp.tenant_api_call:
    tenant_workspace_id: 4e94f932-a912-4e70-94f9-6eba8a6805da
    method: POST
    path: network-notifications/v1/alerts/acknowledge
    body:
      ids: [a-0001]
    status_code: [200, 202]
'''

RETURN = r'''
tenant:
  description: The tenant the call was made in; null in MSP scope.
  returned: always
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
status:
  description: HTTP status of the (last) response.
  returned: when the request was sent
  type: int
  sample: 200
json:
  description:
    - The response body, when it is JSON. A token or the client secret in it is masked as C(********), also when the
      server escaped it (C(\u0061...)).
    - With O(paginate), C({items, count, total}) over every page (C(total) as the API reported it, or null).
  returned: when the request was sent and the body is JSON
  type: raw
  sample: {items: [{serialNumber: CNK7JSS2XY, deviceName: acme-hq-ap-01}], count: 1, total: 1, next: null}
content:
  description: The response body as text, when it is not empty and not JSON.
  returned: when the request was sent and the body is not JSON
  type: str
  sample: "<html><title>502 Bad Gateway</title></html>"
headers:
  description:
    - Response headers of the (last) response, names in lower case.
    - Headers that could carry authentication or session material (C(set-cookie), C(www-authenticate), any
      name with C(auth), C(token), C(cookie), C(secret), C(session) or C(key)) are left out, and a token or the
      client secret inside any other value (C(location), C(link), a debug header) is masked as C(********).
  returned: when the request was sent
  type: dict
  sample: {content-type: application/json, x-ratelimit-remaining: "9"}
pages:
  description: How many requests were sent (more than 1 only with O(paginate)).
  returned: when the request was sent
  type: int
  sample: 3
msg:
  description: What check mode did not send.
  returned: in check mode, for methods other than V(GET)
  type: str
  sample: "Check mode: POST central network-notifications/v1/alerts/acknowledge (MSP scope) not sent."
request:
  description: The request check mode did not send, as the module would have sent it (no headers, no token).
  returned: in check mode, for methods other than V(GET)
  type: dict
  contains:
    method:
      description: HTTP method.
      type: str
      sample: POST
    app:
      description: V(central) or V(glp).
      type: str
      sample: central
    path:
      description: The API path, relative to the app's base URL.
      type: str
      sample: network-notifications/v1/alerts/acknowledge
    params:
      description: Query parameters.
      type: dict
      sample: {}
    body:
      description: The JSON body; null when there is none.
      type: raw
      sample: {ids: [a-0001]}
retries:
  description:
    - What retrying cost, when a request had to be retried (rate limits, transient server or connection
      failures); absent otherwise. Every central.msp module returns it.
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
from ansible_collections.central.msp.plugins.module_utils.module import TENANT_OPTIONS
from ansible_collections.central.msp.plugins.module_utils.msp_client import APPS, ENDPOINTS
from ansible_collections.central.msp.plugins.module_utils.runner import TaskSpec
from ansible_collections.central.msp.plugins.module_utils.paging import paginate_next, paginate_offset


class ApiCall(ApiRequest):
    """One tenant_api_call task: validate everything, then send (or page through) the request."""

    def __init__(self, task):
        super().__init__(task, request_headers(task))
        params = task.params
        self.app = params['app']
        self.client.base_url(self.app)  # a missing Central gateway fails before any token is fetched
        self.tenant = None
        if params['tenant'] or params['tenant_workspace_id']:
            self.tenant = self.client.resolve_tenant(params['tenant'], params['tenant_workspace_id'])
        self.workspace = self.tenant['workspace_id'] if self.tenant else None
        self.call = self.client.describe(self.method, self.app, self.path, self.workspace)

    def scope(self):
        return {'tenant': self.tenant}

    def preview(self):
        return {'request': {'method': self.method, 'app': self.app, 'path': self.path, 'params': self.params,
                            'body': self.body}}

    def send(self):
        return self.client.request(self.app, self.method, self.path, self.workspace, self.params or None, self.body,
                                   self.headers)

    def every_page(self):
        self.params.pop('offset', None)
        # An endpoint the collection knows to start at another cursor (list-tenants: 1) starts there.
        known = [endpoint for endpoint in ENDPOINTS.values()
                 if (endpoint.app, endpoint.path) == (self.app, self.path.strip('/')) and endpoint.first_cursor]
        if known and self.params.get('next') in (None, ''):
            self.params['next'] = known[0].first_cursor
        pages = JsonPages(self.client, self.call, lambda query: self.client.call(
            self.app, 'GET', self.path, self.workspace, query, headers=self.headers, expected=self.expected))
        first = pages.first(dict(self.params))
        limit = self.params.pop('limit', None)
        if isinstance(first, dict) and isinstance(first.get('items'), list) and 'next' in first:
            cursor = self.params.pop('next', None)
            paged = paginate_next(pages.next_page, self.call, limit, self.params, None,
                                  None if cursor is None else str(cursor))
        elif isinstance(first, dict) and isinstance(first.get('items'), list) and isinstance(first.get('total'), int):
            paged = paginate_offset(pages.next_page, self.call, limit, self.params)
        else:
            return pages.as_is(self.task, first, 'items with next, or with total')
        return pages.result(self.task, paged)


TASK = TaskSpec(
    dict(TENANT_OPTIONS, app=dict(type='str', choices=list(APPS), default='central'), **REQUEST_OPTIONS),
    lambda task: ApiCall(task).run(),
    mutually_exclusive=[['tenant', 'tenant_workspace_id']],
)


def main():
    TASK.run_module()


if __name__ == '__main__':
    main()
