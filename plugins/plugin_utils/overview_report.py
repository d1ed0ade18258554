# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The MSP overview report set, written on the controller from the report dict alone.

The one entry point is :func:`write_overview`::

    from ansible_collections.central.msp.plugins.plugin_utils.overview_report import write_overview
    result = write_overview(report, '/srv/reports')          # report: the central.msp.msp_overview filter's output

It ranks the tenants (:func:`tenant_score`), compares the run with the previous one kept in ``history/``
(:func:`compare_runs`), and writes the index page, a page per tenant, the JSON, the CSVs and the run's summary,
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


def run_summary(report):
    """The dated summary kept in history/ (small: ids of what can change, not the detail lists)."""
    return {'schema_version': SUMMARY_SCHEMA, 'generated_at': report.get('generated_at'), 'kpis': fleet_kpis(report),
            'tenants': {str(entry.get('workspace_id')): tenant_summary(entry) for entry in report['tenants']}}


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


def compare_runs(report, previous):
    """``changes`` for the JSON (fleet part) and each tenant's ``changes``, from ``previous`` (a run summary or
    None). Fills ``entry['changes']`` in place and returns the fleet part."""
    current = run_summary(report)
    before = (previous or {}).get('tenants') or {}
    fleet = {'since': (previous or {}).get('generated_at'), 'tenants_added': None, 'tenants_removed': None}
    fleet.update({kind: None for kind in CHANGE_KINDS})
    for entry in report['tenants']:
        key = str(entry.get('workspace_id'))
        entry['changes'] = compare_tenant(entry, current['tenants'][key], before.get(key)) if previous else dict(
            dict.fromkeys(CHANGE_KINDS), compared=False, reason='first run', score_before=None, health_before=None)
    if previous is None:
        return fleet
    fleet['tenants_added'] = [{'workspace_id': entry.get('workspace_id'), 'name': entry.get('name')}
                              for entry in report['tenants'] if str(entry.get('workspace_id')) not in before]
    fleet['tenants_removed'] = [{'workspace_id': key, 'name': value.get('name')} for key, value in before.items()
                                if key not in current['tenants']]
    for kind in CHANGE_KINDS:
        lists = [entry['changes'][kind] for entry in report['tenants'] if entry['changes'][kind] is not None]
        fleet[kind] = sum(len(rows) for rows in lists) if lists else None
    return fleet


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


def prepare(report, previous):
    """A copy of the report with score, rank order, page names and changes: what every file is made from."""
    report = dict(report, tenants=[dict(entry) for entry in report['tenants']])
    for entry in report['tenants']:
        entry['score'] = tenant_score(entry)
    taken = set()
    for entry in report['tenants']:
        entry['page'] = TENANT_DIR + '/' + page_name(entry, taken)
    report['changes'] = compare_runs(report, previous)
    order = sorted(range(len(report['tenants'])), key=lambda index: rank_key(report['tenants'][index]))
    for rank, index in enumerate(order, start=1):
        report['tenants'][index]['rank'] = rank
    return report, order


def render(report, order, history):
    """{relative path: text} of every file of the set."""
    alerts = fleet_alerts(report)
    trend = [run['kpis'] for _name, run in history] + [fleet_kpis(report)]
    files = {
        # Compact: indenting makes Python's JSON encoder run in Python (four times slower) and the file half again
        # as large, for a file that scripts read (jq pretty-prints it).
        FILES['json']: json.dumps(report, ensure_ascii=False, separators=(',', ':')) + '\n',
        FILES['csv']: msp_overview_csv(report),
        FILES['devices_csv']: devices_csv(report),
        FILES['alerts_csv']: alerts_csv(report, alerts),
        FILES['index']: overview_html.index_page(report, order, alerts, trend),
    }
    for entry in report['tenants']:
        files[entry['page']] = overview_html.tenant_page(report, entry)
    return files


def render_index(report, history=()):
    """The index page alone, as write_overview makes it (``history``: earlier run summaries, oldest first), and
    the prepared report (with score, rank, page and changes). For size checks and benchmarks: writes nothing."""
    check_report(report)
    history = list(history)
    prepared, order = prepare(report, history[-1] if history else None)
    trend = list(history) + [fleet_kpis(prepared)]
    return overview_html.index_page(prepared, order, fleet_alerts(prepared), [run.get('kpis', run) for run in trend]), \
        prepared


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


def _atomic_write(path, text):
    folder = os.path.dirname(path)
    handle, temporary = tempfile.mkstemp(prefix='.' + os.path.basename(path) + '.', dir=folder)
    try:
        with os.fdopen(handle, 'w', encoding='utf-8', newline='') as out:
            out.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _replace_tenant_pages(output_dir, pages):
    """Writes every tenant page into a new folder, then swaps it for the old one: no mix of two runs."""
    final = os.path.join(output_dir, TENANT_DIR)
    staging = tempfile.mkdtemp(prefix='.%s.new-' % TENANT_DIR, dir=output_dir)
    try:
        for name, text in pages.items():
            with open(os.path.join(staging, os.path.basename(name)), 'w', encoding='utf-8', newline='') as out:
                out.write(text)
            os.chmod(os.path.join(staging, os.path.basename(name)), 0o644)
        os.chmod(staging, 0o755)
        old = None
        if os.path.isdir(final):
            old = tempfile.mkdtemp(prefix='.%s.old-' % TENANT_DIR, dir=output_dir)
            os.rmdir(old)
            os.rename(final, old)
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if old:
        shutil.rmtree(old, ignore_errors=True)


def write_overview(report, output_dir, history_runs=HISTORY_RUNS, check_mode=False):
    """Write the report set for ``report`` (the msp_overview filter's output) into ``output_dir``.

    Compares the run with the newest summary in ``output_dir/history`` and keeps the last ``history_runs``
    summaries. With ``check_mode`` nothing is written. Returns a dict: ``output_dir``, ``files`` (relative paths
    written, or that would be), ``tenant_pages``, ``index_bytes``, ``previous_run`` (generated_at or None),
    ``changes`` (the fleet's changes), ``totals`` (the report's), ``ranking`` (workspace ids, worst first) and
    ``summary`` (:func:`summary_lines`); outside check mode ``msp_overview_summary.txt`` holds the summary."""
    check_report(report)
    if not isinstance(history_runs, int) or isinstance(history_runs, bool) or history_runs < 1:
        raise OverviewError('history_runs must be a whole number of at least 1, got %r' % (history_runs,))
    output_dir = os.path.abspath(str(output_dir))
    if os.path.exists(output_dir) and not os.path.isdir(output_dir):
        raise OverviewError('output_dir %s exists and is not a folder; choose a folder' % output_dir)
    history_dir = os.path.join(output_dir, HISTORY_DIR)
    own_name = history_name(report.get('generated_at'))
    # A rewrite of the same run (same generated_at) compares with the run before it, not with itself.
    history = [(name, run) for name, run in read_history(history_dir) if name != own_name]
    previous = history[-1][1] if history else None
    prepared, order = prepare(report, previous)
    files = render(prepared, order, history[-(history_runs - 1):] if history_runs > 1 else [])
    history_summary = run_summary(prepared)
    # The summary text is made from this result (it names the files), then added to the files written.
    top_level = [name for name in files if '/' not in name] + [FILES['summary']]
    result = {'output_dir': output_dir, 'files': sorted(top_level),
              'tenant_pages': len(prepared['tenants']), 'index_bytes': len(files[FILES['index']].encode('utf-8')),
              'history_file': HISTORY_DIR + '/' + own_name, 'previous_run': (previous or {}).get('generated_at'),
              'changes': prepared['changes'], 'totals': report['totals'],
              'ranking': [prepared['tenants'][index].get('workspace_id') for index in order]}
    result['summary'] = summary_lines(prepared, result, check_mode)
    if check_mode:
        return result
    files[FILES['summary']] = '\n'.join(result['summary']) + '\n'
    try:
        os.makedirs(history_dir, exist_ok=True)
        _replace_tenant_pages(output_dir, {name: text for name, text in files.items() if '/' in name})
        for name, text in files.items():
            if '/' not in name:
                _atomic_write(os.path.join(output_dir, name), text)
        _atomic_write(os.path.join(history_dir, own_name), json.dumps(history_summary, ensure_ascii=False) + '\n')
    except OSError as err:
        raise OverviewError('cannot write the reports in %s: %s' % (output_dir, err)) from err
    kept = [name for name, _run in read_history(history_dir)]
    for name in kept[:-history_runs]:
        os.unlink(os.path.join(history_dir, name))
    return result
