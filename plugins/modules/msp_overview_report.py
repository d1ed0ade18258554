#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: msp_overview_report
short_description: Write the MSP overview report set (index page, a page per tenant, JSON, CSVs, run history)
version_added: 0.2.0
description:
  - Writes, on the controller, the files of the MSP overview from the report made by the
    P(central.msp.msp_overview#filter) filter, every file atomically (a reader never sees half a file, and the
    tenant pages are swapped as one folder).
  - Or, with O(hosts), from what M(central.msp.tenant_overview_info) read on each of those hosts (its result
    registered as O(result_var)), without the report passing through a template. This is for C(msp_overview_per_host)
    and AWX job slicing, where the report of 1,000 tenants made in a template would cost Ansible minutes.
  - C(msp_overview.html), the page to open first, ranks the tenants worst first by a health score, shows what
    changed since the previous run and a trend of the fleet's figures, lists the fleet's active alerts
    (critical first) and searches devices, clients and sites across every tenant. Each tenant has its own page
    (C(tenants/<workspace id>.html)) with its sites, devices, clients and alerts.
  - Also writes C(msp_overview.json) (the report plus the score, rank and changes of each tenant and the fleet's
    changes), C(msp_overview.csv) (one row per tenant), C(msp_overview_devices.csv) and C(msp_overview_alerts.csv)
    (one row per device / active alert of the fleet, tenant columns first), C(msp_overview_summary.txt) (the
    run in a few lines, also returned as RV(summary)), and a small dated summary of the run in C(history/), of
    which the last O(history_runs) are kept.
  - The files, the score formula and the changes are documented in the collection's C(docs/reports.md).
  - This is an action plugin, so it runs on the controller whatever host the task targets.
author:
  - central.msp contributors (@central-msp)
attributes:
  check_mode:
    support: full
    description: Computes everything (ranking, changes) and writes nothing.
  diff_mode:
    support: none
    description: The files are too large to diff; RV(changes) says what changed in the fleet.
  action:
    support: full
    description: Runs on the controller only.
options:
  report:
    description:
      - The report made by the P(central.msp.msp_overview#filter) filter.
      - Required unless O(hosts) is given; the two are mutually exclusive.
    type: dict
  hosts:
    description:
      - The hosts whose M(central.msp.tenant_overview_info) results make the report, such as
        C("{{ ansible_play_hosts }}"). Each of them adds every tenant record in its result registered as O(result_var). A
        host without that result (its read was skipped) adds no tenant.
      - The records are made into the report here, as the P(central.msp.msp_overview#filter) filter would, one
        tenant at a time (docs/reports.md, "Large fleets").
    type: list
    elements: str
  result_var:
    description:
      - With O(hosts), the variable each host registered the M(central.msp.tenant_overview_info) result as.
    type: str
    default: msp_overview_read_host
  kinds:
    description:
      - With O(hosts), the kinds that were read, as the P(central.msp.msp_overview#filter) filter takes them.
    type: list
    elements: str
    choices: [sites, devices, clients, alerts]
    default: [sites, devices, clients, alerts]
  details:
    description:
      - With O(hosts), whether the report keeps each tenant's detail lists (its pages' tables, the devices CSV).
    type: bool
    default: true
  clients_start_at:
    description:
      - With O(hosts), the start of the failed clients' time window the reads used (RFC 3339), to say so in the
        report.
    type: str
  clients_end_at:
    description:
      - With O(hosts), the end of that window (RFC 3339).
    type: str
  output_dir:
    description:
      - The folder the files go to, on the controller; created when missing. Other files in it are left alone.
    type: path
    required: true
  history_runs:
    description:
      - How many dated run summaries to keep in C(history/), this run's included. The changes compare this
        run with the newest one kept.
    type: int
    default: 30
'''

EXAMPLES = r'''
- name: Write the overview pages and files
  central.msp.msp_overview_report:
    report: "{{ msp_overview_report }}"
    output_dir: /srv/reports
  delegate_to: localhost
  run_once: true

- name: Write the overview from what each tenant host read (registered as msp_overview_read_host)
  central.msp.msp_overview_report:
    hosts: "{{ ansible_play_hosts }}"
    result_var: msp_overview_read_host
    kinds: [sites, devices, clients, alerts]
    output_dir: /srv/reports
  delegate_to: localhost
  run_once: true

- name: Keep a quarter of daily runs
  central.msp.msp_overview_report:
    report: "{{ ansible_play_hosts_all | map('extract', hostvars, 'msp_overview_tenant') | list
                | central.msp.msp_overview }}"
    output_dir: "{{ playbook_dir }}/reports"
    history_runs: 90
  run_once: true
'''

RETURN = r'''
output_dir:
  description: The folder written, absolute.
  returned: always
  type: str
  sample: /srv/reports
files:
  description: The files written at the top of O(output_dir) (or that would be, in check mode).
  returned: always
  type: list
  elements: str
  sample: [msp_overview.csv, msp_overview.html, msp_overview.json, msp_overview_alerts.csv, msp_overview_devices.csv,
           msp_overview_summary.txt]
tenant_pages:
  description: How many tenant pages C(tenants/) holds.
  returned: always
  type: int
  sample: 5
index_bytes:
  description: The size of C(msp_overview.html) in bytes.
  returned: always
  type: int
  sample: 81234
history_file:
  description: This run's summary, relative to O(output_dir).
  returned: always
  type: str
  sample: history/msp_overview-20251120T120000Z.json
previous_run:
  description: When the run compared with was made; null on the first run in O(output_dir).
  returned: always
  type: str
  sample: "2025-11-19T06:00:00Z"
changes:
  description:
    - The fleet's changes since RV(previous_run), as in the JSON's C(changes); counts are null when there is no
      previous run or that kind was not read in both runs.
  returned: always
  type: dict
  sample: {since: "2025-11-19T06:00:00Z", tenants_added: [], tenants_removed: [], new_critical_alerts: 1,
           cleared_critical_alerts: 0, devices_offline: 1, devices_back: 0, sites_degraded: 1, sites_recovered: 0}
ranking:
  description: The tenants' workspace ids, worst first (the index page's default order).
  returned: always
  type: list
  elements: str
totals:
  description: The report's fleet totals, as the C(totals) of C(msp_overview.json).
  returned: always
  type: dict
  sample: {tenants: {total: 12, ok: 11, failed: 1, not_provisioned: 0, critical: 2, warning: 3, healthy: 6}}
summary:
  description:
    - The run in a few lines, as C(msp_overview_summary.txt) holds them (in check mode, not written).
    - The fleet, one line per tenant, what changed since the previous run and where the files are.
  returned: always
  type: list
  elements: str
  sample:
    - "Fleet: 2 tenants (2 read, 0 failed, 0 not in Central) · 3 sites (1 poor) · 40 devices (2 offline) · ..."
    - "Acme Retail Group: CRITICAL · 2 sites (1 poor) · 30 devices (2 offline) · ..."
    - "First run in /srv/reports: the next run shows what changed."
    - "Reports: /srv/reports/msp_overview.html (open this), msp_overview.csv, ..., tenants/ (2 pages)"
'''
