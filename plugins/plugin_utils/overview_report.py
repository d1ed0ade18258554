# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The MSP overview report set, written on the controller from the report dict alone.

The one entry point is :func:`write_overview`::

    from ansible_collections.central.msp.plugins.plugin_utils.overview_report import write_overview
    result = write_overview(report, '/srv/reports')          # report: the central.msp.msp_overview filter's output

It ranks the tenants (:func:`tenant_score`), compares the run with the previous one kept in ``history/``
(:func:`compare_tenant`), and writes the index page, a page per tenant, the JSON, the CSVs and the run's summary,
every file atomically. ``docs/reports.md`` documents the files, the score and the deltas.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
import threading

from ansible_collections.central.msp.plugins.filter.msp_overview import fleet_totals
from ansible_collections.central.msp.plugins.filter.msp_overview_csv import cell, msp_overview_csv
from ansible_collections.central.msp.plugins.plugin_utils import overview_html

HISTORY_DIR = 'history'
TENANT_DIR = 'tenants'
HISTORY_RUNS = 30
SUMMARY_SCHEMA = 1
FILES = {'index': 'msp_overview.html', 'json': 'msp_overview.json', 'csv': 'msp_overview.csv',
         'devices_csv': 'msp_overview_devices.csv', 'alerts_csv': 'msp_overview_alerts.csv',
         'summary': 'msp_overview_summary.txt'}

# The score's parts and their weights (docs/reports.md, "Health score"); a part whose kind was not read is
# left out and the others keep their proportions.
SCORE_WEIGHTS = {'sites': 0.30, 'devices': 0.25, 'clients': 0.15, 'alerts': 0.30}
ALERT_WEIGHTS = {'CRITICAL': 10, 'MAJOR': 3, 'MINOR': 1}
DEVICE_FIELDS = ('serialNumber', 'deviceName', 'deviceType', 'model', 'status', 'siteName', 'firmwareVersion',
                 'macAddress', 'ipv4', 'isProvisioned')
# What Central's alerts carry (no site or device name: the summary names the device).
ALERT_FIELDS = ('severity', 'priority', 'name', 'summary', 'category', 'deviceType', 'createdAt', 'status', 'id')
CHANGE_KINDS = ('new_critical_alerts', 'cleared_critical_alerts', 'devices_offline', 'devices_back',
                'sites_degraded', 'sites_recovered')


class OverviewError(ValueError):
    """The report or the output folder cannot be used; the message says what to change."""


def word(value):
    """An API enum value in one spelling whatever case the API used (CRITICAL, Critical, critical)."""
    return str(value or '').strip().upper()


def by_word(counts):
    """A count dictionary keyed by :func:`word`."""
    found = {}
    for key, value in (counts or {}).items():
        found[word(key)] = found.get(word(key), 0) + (value or 0)
    return found


# ---- ranking ----------------------------------------------------------------------------------------------

def score_parts(summary):
    """``{part: badness in [0, 1]}`` for the kinds the tenant's summary holds."""
    parts = {}
    sites = summary.get('sites')
    devices = summary.get('devices')
    clients = summary.get('clients')
    alerts = summary.get('alerts')
    if sites and sites.get('total'):
        parts['sites'] = (sites.get('poor', 0) + 0.5 * sites.get('fair', 0)) / sites['total']
    health = (sites or {}).get('device_health') or {}
    rated = sum(health.get(level, 0) for level in ('good', 'fair', 'poor'))
    if rated:
        parts['devices'] = (health.get('poor', 0) + 0.5 * health.get('fair', 0)) / rated
    elif devices and devices.get('total'):
        parts['devices'] = by_word(devices.get('by_status')).get('OFFLINE', 0) / devices['total']
    if clients and clients.get('total'):
        parts['clients'] = by_word(clients.get('by_status')).get('FAILED', 0) / clients['total']
    if alerts is not None:
        severity = by_word(alerts.get('by_severity'))
        size = max(10, rated or (devices or {}).get('total') or 0)
        pressure = sum(weight * severity.get(level, 0) for level, weight in ALERT_WEIGHTS.items()) / size
        parts['alerts'] = pressure / (1 + pressure)
    return parts


def tenant_score(entry):
    """0 (worst) to 100 (nothing wrong), one decimal; None when the tenant was not read or nothing was."""
    if entry.get('status') != 'ok':
        return None
    parts = score_parts(entry.get('summary') or {})
    if not parts:
        return None
    weight = sum(SCORE_WEIGHTS[part] for part in parts)
    badness = sum(SCORE_WEIGHTS[part] * value for part, value in parts.items()) / weight
    return round(100 * (1 - badness), 1)


def critical_count(entry):
    return by_word(((entry.get('summary') or {}).get('alerts') or {}).get('by_severity')).get('CRITICAL', 0)


def rank_key(entry):
    """Worst first: tenants that could not be read, then by score (ties: more critical alerts first), then the
    ones with nothing to read."""
    status = entry.get('status')
    group = {'failed': 0, 'ok': 1}.get(status, 2)
    score = entry.get('score')
    return (group, 101 if score is None else score, -critical_count(entry), str(entry.get('name') or '').casefold(),
            str(entry.get('workspace_id') or ''))


# ---- one run's summary and the comparison with the previous one ------------------------------------------

def detail_list(entry, kind):
    return ((entry.get('details') or {}).get(kind))


def tenant_summary(entry):
    """What the next run needs to say what changed: ids and labels of the things that can change."""
    kinds = [kind for kind, value in (entry.get('summary') or {}).items() if value is not None]
    record = {'name': entry.get('name'), 'status': entry.get('status'), 'health': entry.get('health'),
              'score': entry.get('score'), 'kinds': kinds,
              'critical_alerts': None, 'offline_devices': None, 'poor_sites': None}
    if entry.get('status') != 'ok':
        return record
    if 'alerts' in kinds:
        record['critical_alerts'] = {
            str(alert.get('id')): [alert.get('name'), alert.get('summary')]
            for alert in entry.get('active_alerts') or [] if word(alert.get('severity')) == 'CRITICAL'}
    devices = detail_list(entry, 'devices')
    if devices is not None:
        record['offline_devices'] = {str(device.get('serialNumber')): device.get('deviceName')
                                     for device in devices if word(device.get('status')) == 'OFFLINE'}
    sites = detail_list(entry, 'sites')
    if sites is not None:
        record['poor_sites'] = {site_key(site): site.get('siteName') for site in sites if site.get('health') == 'poor'}
    return record


def site_key(site):
    return str(site.get('id') if site.get('id') not in (None, '') else site.get('siteName'))


def fleet_kpis(report):
    totals = report.get('totals') or {}
    tenants = totals.get('tenants') or {}
    scores = [entry['score'] for entry in report['tenants'] if entry.get('score') is not None]
    alerts = totals.get('alerts')
    devices = totals.get('devices')
    clients = totals.get('clients')
    return {
        'tenants': tenants.get('total'), 'tenants_failed': tenants.get('failed'),
        'tenants_critical': tenants.get('critical'),
        'score_average': round(sum(scores) / len(scores), 1) if scores else None,
        'score_lowest': min(scores) if scores else None,
        'sites_poor': (totals.get('sites') or {}).get('poor'),
        'devices_offline': by_word(devices.get('by_status')).get('OFFLINE') if devices else None,
        'clients_failed': by_word(clients.get('by_status')).get('FAILED') if clients else None,
        'alerts_active': alerts.get('active') if alerts else None,
        'alerts_critical': by_word(alerts.get('by_severity')).get('CRITICAL') if alerts else None,
    }


def run_summary(report, summaries=None):
    """The dated summary kept in history/ (small: ids of what can change, not the detail lists); ``summaries``:
    each tenant's tenant_summary, in the report's order, when its entries no longer hold their detail lists."""
    if summaries is None:
        summaries = [tenant_summary(entry) for entry in report['tenants']]
    return {'schema_version': SUMMARY_SCHEMA, 'generated_at': report.get('generated_at'), 'kpis': fleet_kpis(report),
            'tenants': {str(entry.get('workspace_id')): summary for entry, summary in zip(report['tenants'], summaries)}}


def _keyed_change(now, before, wanted):
    """Items of ``now`` not in ``before`` (both {key: label}), as {key: label} rows."""
    return [{'key': key, 'label': label} for key, label in now.items() if key not in before] if wanted else None


def compare_tenant(entry, current, previous):
    """The tenant's changes since ``previous`` (its summary in the previous run, or None)."""
    changes = dict.fromkeys(CHANGE_KINDS)
    changes.update(compared=False, reason=None, score_before=None, health_before=None)
    if previous is None:
        changes['reason'] = 'new since the previous run'
        return changes
    changes.update(score_before=previous.get('score'), health_before=previous.get('health'))
    if current['status'] != 'ok':
        changes['reason'] = 'not read in this run'
        return changes
    if previous.get('status') != 'ok':
        changes['reason'] = 'not read in the previous run'
        return changes
    changes['compared'] = True
    pairs = (('critical_alerts', 'new_critical_alerts', 'cleared_critical_alerts'),
             ('offline_devices', 'devices_offline', None), ('poor_sites', 'sites_degraded', 'sites_recovered'))
    for field, appeared, gone in pairs:
        now, before = current.get(field), previous.get(field)
        if now is None or before is None:
            continue  # that kind (or its detail list) was not read in one of the two runs
        changes[appeared] = [dict(row, label=_label(field, row['label'])) for row in _keyed_change(now, before, True)]
        if gone:
            changes[gone] = [dict(row, label=_label(field, row['label'])) for row in _keyed_change(before, now, True)
                             if field == 'critical_alerts' or row['key'] in present_sites(entry)]
    if current.get('offline_devices') is not None and previous.get('offline_devices') is not None:
        online = {str(device.get('serialNumber')): device.get('deviceName')
                  for device in detail_list(entry, 'devices') or [] if word(device.get('status')) == 'ONLINE'}
        changes['devices_back'] = [{'key': key, 'label': online[key]}
                                   for key in previous['offline_devices'] if key in online]
    return changes


def present_sites(entry):
    return {site_key(site) for site in detail_list(entry, 'sites') or []}


def _label(field, label):
    if field == 'critical_alerts' and isinstance(label, list):
        name, summary = (list(label) + [None, None])[:2]
        return str(summary or name or '')  # the summary names the alert and its device
    return label


# ---- history ----------------------------------------------------------------------------------------------

STAMP = re.compile(r'^msp_overview-(\d{8}T\d{6}Z)(-\d+)?\.json$')


def history_name(generated_at):
    digits = re.sub(r'[^0-9]', '', str(generated_at or ''))[:14].ljust(14, '0')
    return 'msp_overview-%sT%sZ.json' % (digits[:8], digits[8:14])


def read_history(folder):
    """The run summaries kept in ``folder``, oldest first; unreadable files are skipped (and left alone)."""
    runs = []
    if not os.path.isdir(folder):
        return runs
    for name in sorted(os.listdir(folder)):
        if not STAMP.match(name):
            continue
        try:
            with open(os.path.join(folder, name), encoding='utf-8') as handle:
                summary = json.load(handle)
        except (OSError, ValueError):
            continue
        if isinstance(summary, dict) and isinstance(summary.get('tenants'), dict):
            runs.append((name, summary))
    return runs


# ---- CSV exports ------------------------------------------------------------------------------------------

def _csv(header, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return out.getvalue()


def devices_csv(report):
    """Every device of every tenant read with detail lists, tenant columns first."""
    rows = []
    for entry in report['tenants']:
        for device in detail_list(entry, 'devices') or []:
            rows.append([entry.get('name'), entry.get('workspace_id')] + [device.get(name) for name in DEVICE_FIELDS])
    return _csv(('tenant', 'workspace_id') + DEVICE_FIELDS, rows)


def fleet_alerts(report):
    """Every active alert of the fleet with its tenant: critical first, then major, minor, then newest first."""
    rows = []
    for index, entry in enumerate(report['tenants']):
        for alert in entry.get('active_alerts') or []:
            rows.append((index, alert))
    rows.sort(key=lambda row: str(row[1].get('createdAt') or ''), reverse=True)
    order = {'CRITICAL': 0, 'MAJOR': 1, 'MINOR': 2}
    rows.sort(key=lambda row: order.get(word(row[1].get('severity')), 3))
    return rows


def alerts_csv(report, alerts):
    rows = [[report['tenants'][index].get('name'), report['tenants'][index].get('workspace_id')]
            + [alert.get(name) for name in ALERT_FIELDS] for index, alert in alerts]
    return _csv(('tenant', 'workspace_id') + ALERT_FIELDS, rows)


# ---- writing ----------------------------------------------------------------------------------------------

def page_name(entry, taken):
    """The tenant page's file name: its workspace id when that is a plain id, else a safe stand-in; unique."""
    ident = str(entry.get('workspace_id') or '')
    base = ident if re.match(r'^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$', ident) else \
        'tenant-' + re.sub(r'[^a-z0-9]+', '-', str(entry.get('name') or '').lower()).strip('-')[:40]
    name, number = base, 1
    while name.lower() in taken:
        number += 1
        name = '%s-%d' % (base, number)
    taken.add(name.lower())
    return name + '.html'


def check_report(report):
    if not isinstance(report, dict) or not isinstance(report.get('tenants'), list) \
            or not isinstance(report.get('totals'), dict):
        raise OverviewError('the report must be the dict made by the central.msp.msp_overview filter '
                            '(with "totals" and a "tenants" list), got %s' % type(report).__name__)
    bad = [entry for entry in report['tenants'] if not isinstance(entry, dict)]
    if bad:
        raise OverviewError('every entry of report["tenants"] must be a dict, got %r' % (bad[0],))


class OverviewWriter:
    """Writes the report set one tenant at a time: what the index, the CSVs and the next run's comparison need of a
    tenant is kept (its summaries, active alerts, search values); its whole entry, detail lists and all, goes to a
    spool file in the output folder and comes back one tenant at a time for its page, the JSON and the devices CSV.
    Memory follows the number of tenants, not of devices and clients (docs/reports.md, "Large fleets").

    ``header``: the report without totals and tenants (the msp_overview filter's report_header). :meth:`add` takes each
    tenant's entry (msp_overview's tenant_entry), from any thread; :meth:`finish` writes the files with the tenants
    in the order given (the report's) and returns what write_overview returns. ``history``: the earlier run
    summaries, oldest first, instead of those in the output folder (render_index)."""

    def __init__(self, header, output_dir, history_runs=HISTORY_RUNS, check_mode=False, history=None):
        if not isinstance(history_runs, int) or isinstance(history_runs, bool) or history_runs < 1:
            raise OverviewError('history_runs must be a whole number of at least 1, got %r' % (history_runs,))
        self.header = dict(header)
        self.output_dir = os.path.abspath(str(output_dir))
        self.history_runs = history_runs
        self.check_mode = check_mode
        self.history_dir = os.path.join(self.output_dir, HISTORY_DIR)
        self.own_name = history_name(self.header.get('generated_at'))
        if history is None:
            check_output_dir(self.output_dir)
            # A rewrite of the same run (same generated_at) compares with the run before it, not with itself.
            history = [(name, run) for name, run in read_history(self.history_dir) if name != self.own_name]
        self.history = list(history)
        self.previous = self.history[-1][1] if self.history else None
        self._lock = threading.Lock()
        self._spool = None
        self._spool_error = None

    def add(self, entry):
        """Keep what the report set needs of one tenant's entry and spool the rest; returns the kept part, for
        :meth:`finish`."""
        entry = dict(entry, score=tenant_score(entry))
        summary = tenant_summary(entry)
        previous = ((self.previous or {}).get('tenants') or {}).get(str(entry.get('workspace_id')))
        kept = {key: value for key, value in entry.items() if key != 'details'}
        kept['changes'] = compare_tenant(entry, summary, previous) if self.previous else dict(
            dict.fromkeys(CHANGE_KINDS), compared=False, reason='first run', score_before=None, health_before=None)
        # The fields the alert feed and its CSV show; the spool keeps every field.
        kept['active_alerts'] = [{name: alert.get(name) for name in ALERT_FIELDS if name in alert}
                                 for alert in entry.get('active_alerts') or []]
        own = {'summary': summary, 'search': overview_html.search_block(entry), 'at': None}
        if not self.check_mode:
            del entry['score']  # the JSON's entry has the filter's keys, then score, page, changes and rank
            text = json.dumps(entry, ensure_ascii=False, separators=(',', ':')).encode('utf-8')
            with self._lock:
                try:
                    if self._spool is None:
                        os.makedirs(self.output_dir, exist_ok=True)
                        # Unlinked at once where the system allows: nothing is left behind if the run is killed.
                        self._spool = tempfile.TemporaryFile(prefix='.msp_overview.spool-', dir=self.output_dir)
                    own['at'] = (self._spool.seek(0, os.SEEK_END), len(text))
                    self._spool.write(text)
                except OSError as err:  # said by finish, for the whole run
                    self._spool_error = self._spool_error or err
        kept[_OWN] = own
        return kept

    def compose(self, tenants, totals=None):
        """(report, rank order, fleet alerts, index page) for the kept entries ``tenants``, in the report's order;
        ``totals``: the report's, else made from the entries."""
        if totals is None:
            totals = fleet_totals(tenants, self.header.get('kinds') or ())
        report = dict(self.header, totals=totals, tenants=tenants)
        taken = set()
        for entry in tenants:
            entry['page'] = TENANT_DIR + '/' + page_name(entry, taken)
        report['changes'] = self._fleet_changes(tenants)
        order = sorted(range(len(tenants)), key=lambda index: rank_key(tenants[index]))
        for rank, index in enumerate(order, start=1):
            tenants[index]['rank'] = rank
        history = self.history[-(self.history_runs - 1):] if self.history_runs > 1 else []
        alerts = fleet_alerts(report)
        trend = [run.get('kpis', run) for _name, run in history] + [fleet_kpis(report)]
        index = overview_html.index_page(report, order, alerts, trend, [entry[_OWN]['search'] for entry in tenants])
        return report, order, alerts, index

    def finish(self, tenants, totals=None):
        """Write every file (none in check mode) for the kept entries ``tenants``, in the report's order."""
        try:
            return self._finish(list(tenants), totals)
        except OSError as err:
            raise OverviewError('cannot write the reports in %s: %s' % (self.output_dir, err)) from err
        finally:
            if self._spool is not None:
                self._spool.close()

    def _finish(self, tenants, totals):
        report, order, alerts, index = self.compose(tenants, totals)
        result = {'output_dir': self.output_dir,
                  'files': sorted(FILES[key] for key in ('index', 'json', 'csv', 'devices_csv', 'alerts_csv',
                                                         'summary')),
                  'tenant_pages': len(tenants), 'index_bytes': len(index.encode('utf-8')),
                  'history_file': HISTORY_DIR + '/' + self.own_name,
                  'previous_run': (self.previous or {}).get('generated_at'), 'changes': report['changes'],
                  'totals': report['totals'], 'ranking': [tenants[index].get('workspace_id') for index in order]}
        result['summary'] = summary_lines(report, result, self.check_mode)
        if self.check_mode:
            return result
        if self._spool_error:
            raise self._spool_error
        os.makedirs(self.history_dir, exist_ok=True)  # the output folder too, when no tenant was added
        head = json.dumps({key: value for key, value in report.items() if key not in ('tenants', 'changes')},
                          ensure_ascii=False, separators=(',', ':'))
        with _AtomicFile(os.path.join(self.output_dir, FILES['json'])) as json_out, \
                _AtomicFile(os.path.join(self.output_dir, FILES['devices_csv'])) as devices_out, \
                _TenantPages(self.output_dir) as pages:
            # Compact: indenting makes Python's JSON encoder run in Python (four times slower) and the file half
            # again as large, for a file that scripts read (jq pretty-prints it).
            json_out.write(head[:-1] + ',"tenants":[')
            devices = csv.writer(devices_out)
            devices.writerow(('tenant', 'workspace_id') + DEVICE_FIELDS)
            for position, entry in enumerate(tenants):
                whole = self._spooled(entry)
                whole.update((key, entry[key]) for key in ('score', 'page', 'changes', 'rank'))
                json_out.write((',' if position else '') + json.dumps(whole, ensure_ascii=False, separators=(',', ':')))
                for device in detail_list(whole, 'devices') or []:
                    devices.writerow([cell(value) for value in [whole.get('name'), whole.get('workspace_id')]
                                      + [device.get(name) for name in DEVICE_FIELDS]])
                pages.write(entry['page'], overview_html.tenant_page(report, whole))
            json_out.write('],"changes":%s}\n' % json.dumps(report['changes'], ensure_ascii=False,
                                                            separators=(',', ':')))
            for name, text in ((FILES['csv'], msp_overview_csv(report)), (FILES['alerts_csv'], alerts_csv(report, alerts)),
                               (FILES['index'], index), (FILES['summary'], '\n'.join(result['summary']) + '\n')):
                _atomic_write(os.path.join(self.output_dir, name), text)
        _atomic_write(os.path.join(self.history_dir, self.own_name),
                      json.dumps(run_summary(report, [entry[_OWN]['summary'] for entry in tenants]),
                                 ensure_ascii=False) + '\n')
        kept = [name for name, _run in read_history(self.history_dir)]
        for name in kept[:-self.history_runs]:
            os.unlink(os.path.join(self.history_dir, name))
        return result

    def _spooled(self, kept):
        """The tenant's whole entry as add was given it, from the spool."""
        offset, length = kept[_OWN]['at']
        self._spool.seek(offset)
        return json.loads(self._spool.read(length).decode('utf-8'))

    def _fleet_changes(self, tenants):
        """The fleet part of ``changes`` (each tenant's own is made by :meth:`add`)."""
        previous = self.previous
        fleet = {'since': (previous or {}).get('generated_at'), 'tenants_added': None, 'tenants_removed': None}
        fleet.update({kind: None for kind in CHANGE_KINDS})
        if previous is None:
            return fleet
        before = previous.get('tenants') or {}
        now = {str(entry.get('workspace_id')) for entry in tenants}
        fleet['tenants_added'] = [{'workspace_id': entry.get('workspace_id'), 'name': entry.get('name')}
                                  for entry in tenants if str(entry.get('workspace_id')) not in before]
        fleet['tenants_removed'] = [{'workspace_id': key, 'name': value.get('name')} for key, value in before.items()
                                    if key not in now]
        for kind in CHANGE_KINDS:
            lists = [entry['changes'][kind] for entry in tenants if entry['changes'][kind] is not None]
            fleet[kind] = sum(len(rows) for rows in lists) if lists else None
        return fleet


def check_output_dir(output_dir):
    """An OverviewError when ``output_dir`` cannot be the reports' folder (before anything is read for it)."""
    output_dir = os.path.abspath(str(output_dir))
    if os.path.exists(output_dir) and not os.path.isdir(output_dir):
        raise OverviewError('output_dir %s exists and is not a folder; choose a folder' % output_dir)


# The writer's own part of a kept entry (its summary for history/, search values, place in the spool): never
# written as it is.
_OWN = '_writer'


def _header(report):
    """The report without its totals and tenants."""
    return {key: value for key, value in report.items() if key not in ('totals', 'tenants')}


def render_index(report, history=()):
    """The index page alone, as write_overview makes it (``history``: earlier run summaries, oldest first), and
    the report as the files have it (with score, rank, page and changes). For size checks and benchmarks: writes
    nothing."""
    check_report(report)
    writer = OverviewWriter(_header(report), '.', check_mode=True,
                            history=[('', run) for run in history])
    kept = [writer.add(entry) for entry in report['tenants']]
    prepared, _order, _alerts, index = writer.compose(kept, report['totals'])
    prepared['tenants'] = [dict(entry, **{key: kept_entry[key] for key in ('score', 'page', 'changes', 'rank')})
                           for entry, kept_entry in zip(report['tenants'], kept)]
    return index, prepared


# ---- the few lines of text for the play's output --------------------------------------------------------

def _plural(count, noun):
    return '%s %s%s' % (count, noun, '' if count == 1 else 's')


def _counts_text(summary):
    """'3 sites (1 poor) · 40 devices (2 offline) · ...' from a tenant's summary or the fleet totals."""
    sites, devices, clients, alerts = (summary.get(kind) for kind in ('sites', 'devices', 'clients', 'alerts'))
    return ' · '.join([
        '%s (%s poor)' % (_plural(sites['total'], 'site'), sites.get('poor', 0)) if sites else '- sites',
        '%s (%s offline)' % (_plural(devices['total'], 'device'), by_word(devices.get('by_status')).get('OFFLINE', 0))
        if devices else '- devices',
        '%s (%s failed)' % (_plural(clients['total'], 'client'), by_word(clients.get('by_status')).get('FAILED', 0))
        if clients else '- clients',
        '%s (%s critical)' % (_plural(alerts['active'], 'active alert'),
                              by_word(alerts.get('by_severity')).get('CRITICAL', 0)) if alerts else '- alerts',
    ])


def _changes_text(changes):
    def number(key):
        value = changes.get(key)
        return '-' if value is None else value
    return ('Since %s: %s new critical alerts, %s cleared · %s devices gone offline, %s back · %s sites degraded, '
            '%s recovered · %d tenants added, %d removed' % (
                changes['since'], number('new_critical_alerts'), number('cleared_critical_alerts'),
                number('devices_offline'), number('devices_back'), number('sites_degraded'),
                number('sites_recovered'), len(changes.get('tenants_added') or ()),
                len(changes.get('tenants_removed') or ())))


def summary_lines(report, written, check_mode=False):
    """The run in a few lines: the fleet, one line per tenant, what changed and where the files are (or, in check
    mode, that none was written). ``written``: what write_overview returns for the report."""
    tenants = report['totals']['tenants']
    lines = ['Fleet: %s (%s read, %s failed, %s not in Central) · %s' % (
        _plural(tenants['total'], 'tenant'), tenants['ok'], tenants['failed'], tenants['not_provisioned'],
        _counts_text(report['totals']))]
    if report['totals'].get('clients'):
        lines.append(report['clients_window']['description'])
    for entry in report['tenants']:
        health = {'not_provisioned': 'not provisioned in Central'}.get(entry['health'], entry['health'])
        line = '%s: %s' % (entry['name'], str(health).upper())
        if entry['status'] == 'ok':
            line += ' · ' + _counts_text(entry['summary'])
        elif entry['status'] == 'failed':
            line += ' · %s' % entry['error']
        lines.append(line)
    if check_mode:
        lines.append('Check mode: no report was written (without --check they go to %s and beside it)'
                     % os.path.join(written['output_dir'], FILES['index']))
        return lines
    changes = written['changes']
    lines.append(_changes_text(changes) if changes.get('since') else
                 'First run in %s: the next run shows what changed.' % written['output_dir'])
    others = [name for name in written['files'] if name != FILES['index']]
    lines.append('Reports: %s (open this), %s, %s/ (%d pages)' % (
        os.path.join(written['output_dir'], FILES['index']), ', '.join(others), TENANT_DIR, written['tenant_pages']))
    return lines


class _AtomicFile:
    """A text file written beside its final name and moved there only when complete."""

    def __init__(self, path):
        self.path = path
        handle, self.temporary = tempfile.mkstemp(prefix='.' + os.path.basename(path) + '.', dir=os.path.dirname(path))
        self.out = os.fdopen(handle, 'w', encoding='utf-8', newline='')

    def __enter__(self):
        return self.out

    def __exit__(self, kind, _value, _traceback):
        self.out.close()
        if kind is None:
            os.chmod(self.temporary, 0o644)
            os.replace(self.temporary, self.path)
        elif os.path.exists(self.temporary):
            os.unlink(self.temporary)


def _atomic_write(path, text):
    with _AtomicFile(path) as out:
        out.write(text)


class _TenantPages:
    """The tenant pages, written into a new folder that replaces the old one when complete: no mix of two runs."""

    def __init__(self, output_dir):
        self.final = os.path.join(output_dir, TENANT_DIR)
        self.output_dir = output_dir
        self.staging = tempfile.mkdtemp(prefix='.%s.new-' % TENANT_DIR, dir=output_dir)

    def __enter__(self):
        return self

    def write(self, name, text):
        path = os.path.join(self.staging, os.path.basename(name))
        with open(path, 'w', encoding='utf-8', newline='') as out:
            out.write(text)
        os.chmod(path, 0o644)

    def __exit__(self, kind, _value, _traceback):
        if kind is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            return
        try:
            os.chmod(self.staging, 0o755)
            old = None
            if os.path.isdir(self.final):
                old = tempfile.mkdtemp(prefix='.%s.old-' % TENANT_DIR, dir=self.output_dir)
                os.rmdir(old)
                os.rename(self.final, old)
            os.rename(self.staging, self.final)
        except BaseException:
            shutil.rmtree(self.staging, ignore_errors=True)
            raise
        if old:
            shutil.rmtree(old, ignore_errors=True)


def write_overview(report, output_dir, history_runs=HISTORY_RUNS, check_mode=False):
    """Write the report set for ``report`` (the msp_overview filter's output) into ``output_dir``.

    Compares the run with the newest summary in ``output_dir/history`` and keeps the last ``history_runs``
    summaries. With ``check_mode`` nothing is written. Returns a dict: ``output_dir``, ``files`` (relative paths
    written, or that would be), ``tenant_pages``, ``index_bytes``, ``previous_run`` (generated_at or None),
    ``changes`` (the fleet's changes), ``totals`` (the report's), ``ranking`` (workspace ids, worst first) and
    ``summary`` (:func:`summary_lines`); outside check mode ``msp_overview_summary.txt`` holds the summary.
    For a report made one tenant at a time, use :class:`OverviewWriter` itself."""
    check_report(report)
    writer = OverviewWriter(_header(report), output_dir, history_runs=history_runs, check_mode=check_mode)
    return writer.finish([writer.add(entry) for entry in report['tenants']], report['totals'])
