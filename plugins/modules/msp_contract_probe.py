#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: msp_contract_probe
short_description: Check that the live GLP and Central APIs still answer as the collection expects
version_added: 0.2.0
description:
  - Reads one page of every endpoint the collection uses (every endpoint of its contract,
    C(plugins/module_utils/contract.py)) with the MSP credential and checks each page against that contract -
    required fields, JSON types, enum values, lengths, formats and patterns, ranges, the paging fields (C(count),
    C(total), the C(next) cursor or the echoed C(offset)) and, when the answer carries them, the rate-limit headers.
  - MSP-level endpoints (GLP C(workspaces/v1/msp-tenants), Central C(network-msp/v1/list-tenants)) are read with
    the MSP token; tenant-level ones with a token for one tenant (RFC 8693 token exchange), chosen with O(tenant)
    or O(tenant_workspace_id), by default the first tenant GLP lists that Central lists too. GLP endpoints that
    answer both tokens (C(devices/v1/devices), C(audit-log/v2beta1/logs), C(workspaces/v1/msp-tenants)) are read
    in both scopes. Classic Central endpoints are listed as skipped - the collection models no item schema for
    them.
  - Only reads. Any mismatch, and any endpoint that could not be read (an HTTP error, a timeout), fails the task
    after every other endpoint was still probed; RV(mismatches) and RV(failed_endpoints) list them all.
  - Writes a redacted JSON report to O(output) (mode 0600, atomically) for a bug report - the shapes of the
    answers and the enum values seen, never a name, ID, serial number, MAC address, free text, token or secret.
  - The collection's C(docs/contract-probe.md) says what is checked and how to read a failure;
    C(playbooks/verify_contract.yml) runs it.
author:
  - central.msp contributors (@central-msp)
extends_documentation_fragment:
  - central.msp.connection.modules
attributes:
  check_mode:
    support: full
    description: Only reads, so it probes fully in check mode; the report file is not written (RV(written) is false), the report is still returned.
  diff_mode:
    support: none
    description: Nothing to diff.
options:
  tenant:
    description:
      - Name of the tenant whose token reads the tenant-level endpoints, looked up in GLP (exactly, or in any case
        when only one tenant has it).
      - By default the first tenant of GLP's first page of tenants that Central's list-tenants also lists by name
        (so its Central endpoints answer), else GLP's first.
      - Mutually exclusive with O(tenant_workspace_id).
    type: str
  tenant_workspace_id:
    description:
      - GLP workspace ID of that tenant, dashed or not, instead of O(tenant).
    type: str
  output:
    description:
      - Where to write the JSON report, a file path; its folder is made (mode 0700) if missing. Without it no file
        is written and the report is only returned.
      - Written whether the probe passes or fails, before the task fails, so the file is there to attach.
    type: path
  limit:
    description:
      - Items asked for per page, at most each endpoint's largest page (the default - more values checked).
    type: int
'''

EXAMPLES = r'''
- name: Check the live APIs against the collection's contract, report for a bug report
  central.msp.msp_contract_probe:
    output: "{{ playbook_dir }}/reports/contract_probe.json"

- name: Probe the tenant-level endpoints in a tenant of my choice, small pages
  central.msp.msp_contract_probe:
    tenant: Acme Retail Group
    limit: 50
    output: /tmp/contract_probe.json
  register: probe

- name: Keep going when the contract does not match, and show what differs
  central.msp.msp_contract_probe:
    output: /tmp/contract_probe.json
  register: probe
  ignore_errors: true

- name: What differs
  ansible.builtin.debug:
    var: probe.mismatches + probe.failed_endpoints
  when: probe is failed
'''

RETURN = r'''
output:
  description: The path of the report file given in O(output); null without it.
  returned: always
  type: str
  sample: /home/noc/reports/contract_probe.json
written:
  description: Whether the report file was written (false in check mode and without O(output)).
  returned: always
  type: bool
  sample: true
format:
  description: What the report is.
  returned: always
  type: str
  sample: central.msp contract probe
version:
  description: The report's format version.
  returned: always
  type: int
  sample: 1
generated_at:
  description: When the probe ran (UTC, RFC 3339).
  returned: always
  type: str
  sample: "2025-11-20T12:00:00Z"
tenant:
  description: How the tenant of the tenant-level endpoints was chosen - never which tenant it is.
  returned: always
  type: dict
  contains:
    chosen_by:
      description: V(tenant), V(tenant_workspace_id), V(first listed in GLP and Central), V(first listed in GLP), or null when none could be entered.
      type: str
      sample: first listed in GLP and Central
    problem:
      description: Why no tenant could be chosen; null otherwise.
      type: str
      sample: null
summary:
  description: The endpoints by result, and how many mismatches were found in all.
  returned: always
  type: dict
  contains:
    endpoints:
      description: Entries in RV(endpoints).
      type: int
      sample: 19
    ok:
      description: Endpoints whose page matched the contract.
      type: int
      sample: 12
    mismatch:
      description: Endpoints whose page did not.
      type: int
      sample: 0
    failed:
      description: Endpoints that could not be read.
      type: int
      sample: 0
    skipped:
      description: Endpoints not probed (Classic Central; tenant-level ones when no tenant could be entered).
      type: int
      sample: 7
    mismatches:
      description: Mismatches found, over every endpoint.
      type: int
      sample: 0
endpoints:
  description: One entry per endpoint and scope probed, then Classic Central's, skipped.
  returned: always
  type: list
  elements: dict
  contains:
    endpoint:
      description: The endpoint's name in the contract (C(contract.ENDPOINTS)), C(classic_<name>) for Classic's.
      type: str
      sample: devices
    label:
      description: How messages name it - the method, the path and, for an endpoint read in both scopes, the scope.
      type: str
      sample: GET /network-monitoring/v1/devices
    method:
      description: Always V(GET).
      type: str
      sample: GET
    app:
      description: V(glp), V(central) or V(classic).
      type: str
      sample: central
    path:
      description: The API path.
      type: str
      sample: network-monitoring/v1/devices
    scope:
      description: V(msp) or V(tenant), the token the page was read with.
      type: str
      sample: tenant
    paging:
      description: V(next) (a string cursor) or V(offset), as the contract states.
      type: str
      sample: next
    result:
      description: V(ok), V(mismatch), V(failed) or V(skipped).
      type: str
      sample: ok
    status:
      description: The HTTP status of the answer; null when there was none (a timeout) or it was skipped.
      type: int
      sample: 200
    items:
      description: Items on the page read.
      type: int
      sample: 42
    limit:
      description: The page size asked for.
      type: int
      sample: 1000
    page:
      description:
        - The page's other fields as the contract names them - numbers and booleans as sent (C(count), C(total),
          C(offset), C(remainingRecords)), anything else only by its JSON type (the C(next) cursor is V(string) or
          V(null)), V(absent) when missing.
      type: dict
      sample: {count: 42, total: 42, next: "null"}
    fields:
      description:
        - Every field seen, by path (C(items[].status)), with C(types) (the JSON types seen), C(present) (how
          many values), for strings C(longest) and the contract's C(max_length), for enum fields C(enum) (the
          contract's values) and C(enum_seen) (each value seen and how often; a value that is not a short word is
          counted as V((other value))), C(format) / C(pattern) with their C(conforming) and C(not_conforming)
          counts, C(range) for bounded numbers, C(missing) for a required field that items lacked, C(unlisted)
          for a field the contract does not list (its type only) and C(keys) for free-form objects (tags).
      type: dict
      sample:
        items[].status: {types: [string], present: 42, longest: 7, enum: [ONLINE, OFFLINE], enum_seen: {ONLINE: 39, OFFLINE: 3}}
        items[].deviceName: {types: [string], present: 42, longest: 24, max_length: 256}
    rate_limit_headers:
      description: Each rate-limit header of the origin, V(sent) or V(absent) (they are optional; when sent they are checked).
      type: dict
      sample: {X-RateLimit-Limit: sent, X-RateLimit-Remaining: sent, X-RateLimit-Reset: sent}
    mismatch_count:
      description: Mismatches found on this page.
      type: int
      sample: 0
    mismatches:
      description: The first 100 of them, each naming the field (C(items[3].status)) and what is wrong.
      type: list
      elements: str
      sample: ["items[3].status: 'BROKEN' is not one of ONLINE, OFFLINE"]
    error:
      description: Why the endpoint could not be read - C(status), C(error_code) and C(reason) (never the API's message).
      type: dict
      sample:
        status: 500
        error_code: HPE_GL_ERROR_INTERNAL_SERVER_ERROR
        reason: "the API answered with an error: HTTP 500 HPE_GL_ERROR_INTERNAL_SERVER_ERROR"
    skipped:
      description: Why the endpoint was not probed.
      type: str
      sample: Classic Central is not modelled in contract.py (no item schemas to check against)
mismatches:
  description: Every mismatch kept, over every endpoint, each led by its endpoint's label (see the sample).
  returned: always
  type: list
  elements: str
  sample: ["GET /network-monitoring/v1/devices: items[3].status: 'BROKEN' is not one of ONLINE, OFFLINE"]
failed_endpoints:
  description: Every endpoint that could not be read or was not probed though it should have been, with why.
  returned: always
  type: list
  elements: str
  sample: ["GET /network-monitoring/v1/sites-health: the API answered with an error: HTTP 500 HPE_GL_ERROR_INTERNAL_SERVER_ERROR"]
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

from ansible_collections.central.msp.plugins.module_utils.contract_probe import work
from ansible_collections.central.msp.plugins.module_utils.runner import TaskSpec

TASK = TaskSpec(
    dict(
        tenant=dict(type='str'),
        tenant_workspace_id=dict(type='str'),
        output=dict(type='path'),
        limit=dict(type='int'),
    ),
    work,
    mutually_exclusive=[['tenant', 'tenant_workspace_id']],
)


def main():
    TASK.run_module()


if __name__ == '__main__':
    main()
