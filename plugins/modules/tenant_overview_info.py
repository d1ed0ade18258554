#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: tenant_overview_info
short_description: Read the sites, devices, clients and alerts of many MSP tenants for the MSP overview
version_added: 0.1.0
description:
  - Reads, for each tenant record given, the kinds chosen (sites with their health, devices, clients, alerts),
    O(concurrency) tenants at a time, entering each tenant by token exchange with the shared token cache.
  - Returns one record per tenant, in the order given, ready for the P(central.msp.msp_overview#filter) filter
    that makes the MSP overview report (C(playbooks/msp_overview.yml)).
  - The tenant records are what the P(central.msp.tenants#inventory) inventory puts in each host's C(msp_tenant)
    variable, or the items of RV(central.msp.msp_tenant_info#module:tenants), so the tenants are not listed again.
  - A tenant that cannot be read does not fail the task; its record says why in RV(tenants[].error) and the
    others are complete. A tenant Central does not manage (C(central_provisioned=false)) is not read.
author:
  - central.msp contributors (@central-msp)
extends_documentation_fragment:
  - central.msp.connection.modules
attributes:
  check_mode:
    support: full
    description: Only reads; runs normally in check mode.
  diff_mode:
    support: none
    description: Nothing to diff.
options:
  tenant_records:
    description:
      - The tenants to read, as tenant records; each needs at least C(workspace_id), and is returned unchanged
        in RV(tenants[].tenant).
    type: list
    elements: dict
    required: true
  kinds:
    description:
      - What to read in each tenant.
    type: list
    elements: str
    choices: [sites, devices, clients, alerts]
    default: [sites, devices, clients, alerts]
  device_source:
    description:
      - V(inventory) reads the device inventory, V(monitoring) the devices Central monitors (as
        O(central.msp.tenant_device_info#module:source)).
    type: str
    choices: [inventory, monitoring]
    default: inventory
  concurrency:
    description:
      - How many tenants are read at once.
    type: int
    default: 16
  clients_start_at:
    description:
      - Failed clients from this time (RFC 3339), as O(central.msp.tenant_client_info#module:start_at). Connected
        clients are always read; unset, Central's own window (the three hours before each read).
    type: str
  clients_end_at:
    description:
      - Failed clients until this time (RFC 3339); unset, now.
    type: str
  report:
    description:
      - Return the MSP overview report (RV(report)) instead of the records (RV(tenants)). The report is made on
        the controller by the P(central.msp.msp_overview#filter) filter, so the items read never travel through
        Ansible's results, only the report does.
    type: bool
    default: false
  details:
    description:
      - With O(report) or O(output_dir), include each tenant's detail lists (as the filter's
        O(central.msp.msp_overview#filter:details)).
    type: bool
    default: true
  output_dir:
    description:
      - Make the MSP overview report and write its files into this folder on the controller, as
        M(central.msp.msp_overview_report) does, in the same task. Neither the items read nor the report travel
        through Ansible's results; the task returns what was written (RV(files), RV(summary), RV(totals)...).
      - In check mode nothing is written; RV(summary) says so.
      - Not with C(async) (the files are written when the reads end, by the task itself).
    type: path
  history_runs:
    description:
      - With O(output_dir), how many run summaries to keep in its C(history/) folder (as
        O(central.msp.msp_overview_report#module:history_runs)).
    type: int
    default: 30
'''

EXAMPLES = r'''
- name: Read every tenant host of the play in one task on the controller
  central.msp.tenant_overview_info:
    tenant_records: "{{ ansible_play_hosts | map('extract', hostvars, 'msp_tenant') | list }}"
    kinds: [sites, alerts]
  run_once: true
  register: overview

- name: The report from the records
  ansible.builtin.set_fact:
    report: "{{ overview.tenants | central.msp.msp_overview(['sites', 'alerts']) }}"
  run_once: true

- name: The report itself, made on the controller (the items read stay there)
  central.msp.tenant_overview_info:
    tenant_records: "{{ ansible_play_hosts | map('extract', hostvars, 'msp_tenant') | list }}"
    report: true
    details: false
  run_once: true
  register: overview

- name: Read every tenant and write the overview's files, in one task on the controller
  central.msp.tenant_overview_info:
    tenant_records: "{{ ansible_play_hosts | map('extract', hostvars, 'msp_tenant') | list }}"
    output_dir: /srv/reports
  run_once: true
  delegate_to: localhost
  register: overview

- name: Print the run's summary
  ansible.builtin.debug:
    msg: "{{ overview.summary }}"
  run_once: true

- name: Tenants from msp_tenant_info instead of the inventory
  central.msp.tenant_overview_info:
    tenant_records: "{{ msp.tenants }}"
    kinds: [devices]
'''

RETURN = r'''
report:
  description: The MSP overview report, as the P(central.msp.msp_overview#filter) filter makes it from RV(tenants).
  returned: with O(report)
  type: dict
totals:
  description: The report's fleet totals, as the C(totals) of C(msp_overview.json).
  returned: with O(output_dir)
  type: dict
  sample: {tenants: {total: 12, ok: 11, failed: 1, not_provisioned: 0, critical: 2, warning: 3, healthy: 6}}
summary:
  description: The run in a few lines, as RV(central.msp.msp_overview_report#module:summary).
  returned: with O(output_dir)
  type: list
  elements: str
output_dir:
  description: The folder written, absolute.
  returned: with O(output_dir)
  type: str
  sample: /srv/reports
files:
  description: The files written at the top of O(output_dir), as RV(central.msp.msp_overview_report#module:files).
  returned: with O(output_dir)
  type: list
  elements: str
tenant_pages:
  description: How many tenant pages C(tenants/) holds.
  returned: with O(output_dir)
  type: int
  sample: 12
index_bytes:
  description: The size of C(msp_overview.html) in bytes.
  returned: with O(output_dir)
  type: int
history_file:
  description: This run's summary, relative to O(output_dir).
  returned: with O(output_dir)
  type: str
previous_run:
  description: When the run compared with was made; null on the first run in O(output_dir).
  returned: with O(output_dir)
  type: str
changes:
  description: The fleet's changes since RV(previous_run), as RV(central.msp.msp_overview_report#module:changes).
  returned: with O(output_dir)
  type: dict
ranking:
  description: The tenants' workspace ids, worst first.
  returned: with O(output_dir)
  type: list
  elements: str
tenants:
  description: One record per tenant given, in the same order.
  returned: without O(report) and O(output_dir)
  type: list
  elements: dict
  contains:
    tenant:
      description: The tenant record as given.
      type: dict
    error:
      description: Why the tenant could not be read (the kind, then the API's message); null otherwise.
      type: str
    sites:
      description:
        - The sites, as RV(central.msp.tenant_site_info#module:sites) returns them; null when not read.
      type: list
      elements: dict
    devices:
      description: The devices, as RV(central.msp.tenant_device_info#module:devices); null when not read.
      type: list
      elements: dict
    clients:
      description: The clients, as RV(central.msp.tenant_client_info#module:clients); null when not read.
      type: list
      elements: dict
    alerts:
      description: The alerts, as RV(central.msp.tenant_alert_info#module:alerts); null when not read.
      type: list
      elements: dict
count:
  description: Number of tenant records returned.
  returned: always
  type: int
  sample: 12
failed_tenants:
  description: How many tenants could not be read.
  returned: always
  type: int
  sample: 0
'''

from ansible_collections.central.msp.plugins.module_utils.overview import DEVICE_SOURCES, KINDS, read_overview
from ansible_collections.central.msp.plugins.module_utils.runner import TaskSpec

TASK = TaskSpec(dict(
    tenant_records=dict(type='list', elements='dict', required=True),
    kinds=dict(type='list', elements='str', choices=list(KINDS), default=list(KINDS)),
    device_source=dict(type='str', choices=list(DEVICE_SOURCES), default='inventory'),
    concurrency=dict(type='int', default=16),
    clients_start_at=dict(type='str'),
    clients_end_at=dict(type='str'),
    # Used by the action plugin, on the controller (plugins/action/tenant_overview_info.py).
    report=dict(type='bool', default=False),
    details=dict(type='bool', default=True),
    output_dir=dict(type='path'),
    history_runs=dict(type='int', default=30),
), read_overview)


def main():
    TASK.run_module()


if __name__ == '__main__':
    main()
