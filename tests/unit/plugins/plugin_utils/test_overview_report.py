"""overview_report: the health score, the ranking, the changes between two runs, the bounded history, the fleet
CSVs, atomic writes and check mode (the pages themselves are tested in a browser: test_report_html.py)."""

import copy
import csv
import io
import json
import os

import pytest

from ansible_collections.central.msp.plugins.filter.msp_overview import msp_overview
from ansible_collections.central.msp.plugins.module_utils.overview import overview_record
from ansible_collections.central.msp.plugins.plugin_utils.overview_report import (
    FILES, OverviewError, rank_key, tenant_score, write_overview)


def site(ident, good=0, fair=0, poor=0):
    return {'id': ident, 'siteName': 'Site ' + ident, 'devices_good': good, 'devices_fair': fair, 'devices_poor': poor,
            'devices_total': good + fair + poor}


def device(serial, status, site_name='Site 1'):
    return {'serialNumber': serial, 'deviceName': 'dev-' + serial, 'deviceType': 'AP', 'status': status,
            'siteName': site_name, 'macAddress': '20:4c:00:00:00:%02x' % int(serial[-1])}


def alert(ident, severity, status='ACTIVE'):
    return {'id': ident, 'name': 'Device Disconnected', 'severity': severity, 'status': status,
            'summary': 'Device Disconnected on access point dev', 'createdAt': '2025-11-20T10:00:00.000Z'}


def tenant(name, central_provisioned=True):
    return {'name': name, 'workspace_id': 'ws-' + name.lower(), 'central_provisioned': central_provisioned}


def record(name, sites=(), devices=(), alerts=(), clients=(), error=None):
    # The record tenant_overview_info returns (plugins/module_utils/overview.py).
    return overview_record(tenant(name), error, {'sites': list(sites), 'devices': list(devices),
                                                 'clients': list(clients), 'alerts': list(alerts)})


def fleet():
    return [
        record('Acme', sites=[site('1', good=3), site('2', good=2)],
               devices=[device('A1', 'ONLINE'), device('A2', 'ONLINE'), device('A3', 'OFFLINE')],
               alerts=[alert('a-1', 'MAJOR')]),
        record('Bistro', sites=[site('1', good=1, poor=1)], devices=[device('B1', 'OFFLINE'), device('B2', 'ONLINE')],
               alerts=[alert('b-1', 'CRITICAL'), alert('b-2', 'CRITICAL', 'CLEARED')]),
        overview_record(tenant('Broken'), 'HTTP 500'),
        overview_record(tenant('Dental', central_provisioned=False)),
    ]


def report(records, at='2025-11-20T12:00:00Z'):
    return msp_overview(records, generated_at=at)


def by_name(written_dir):
    with open(os.path.join(written_dir, FILES['json']), encoding='utf-8') as handle:
        data = json.load(handle)
    return data, {entry['name']: entry for entry in data['tenants']}


def test_score_ranks_by_share_not_by_count():
    # The same troubles weigh more in a small tenant than in a big one; nothing wrong scores 100.
    small = report([record('Small', sites=[site('1', good=9, poor=1)], alerts=[alert('x', 'CRITICAL')])])['tenants'][0]
    big = report([record('Big', sites=[site(str(i), good=10) for i in range(9)] + [site('9', good=9, poor=1)],
                         alerts=[alert('y', 'CRITICAL')])])['tenants'][0]
    clean = report([record('Clean', sites=[site('1', good=10)])])['tenants'][0]
    assert tenant_score(clean) == 100.0
    assert tenant_score(small) < tenant_score(big) < 100
    # More critical alerts always lower the score, without reaching 0 (it does not saturate).
    many = [report([record('T', sites=[site('1', good=10)], alerts=[alert(str(i), 'CRITICAL') for i in range(n)])])
            ['tenants'][0] for n in (1, 5, 50, 500)]
    scores = [tenant_score(entry) for entry in many]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 4 and scores[-1] > 0
    # The vocabulary of the live API (Critical, Offline...) counts the same as upper case.
    live = copy.deepcopy(small)
    live['summary']['alerts']['by_severity'] = {'Critical': 1, 'Major': 0, 'Minor': 0}
    assert tenant_score(live) == tenant_score(small)


def test_ranking_worst_first():
    entries = report(fleet())['tenants']
    for entry in entries:
        entry['score'] = tenant_score(entry)
    ranked = [entry['name'] for entry in sorted(entries, key=rank_key)]
    assert ranked == ['Broken', 'Bistro', 'Acme', 'Dental']
    assert tenant_score(entries[2]) is None and tenant_score(entries[3]) is None


def test_first_run_then_changes(tmp_path):
    out = str(tmp_path / 'reports')
    first = write_overview(report(fleet()), out)
    assert first['previous_run'] is None and first['changes']['new_critical_alerts'] is None
    assert first['ranking'] == ['ws-broken', 'ws-bistro', 'ws-acme', 'ws-dental']
    data, tenants = by_name(out)
    assert tenants['Acme']['changes']['reason'] == 'first run' and tenants['Acme']['rank'] == 3
    assert tenants['Acme']['page'] == 'tenants/ws-acme.html'

    # Overnight: Acme's A1 goes offline with a new critical alert (site 2 degrades), Bistro's B1 is back and
    # its critical alert cleared (site 1 recovers), Dental is gone, Newco appears; Broken is still unreadable.
    records = fleet()
    acme, bistro = records[0], records[1]
    acme['devices'][0]['status'] = 'OFFLINE'
    acme['sites'][1] = site('2', good=1, poor=1)
    acme['alerts'].append(alert('a-2', 'CRITICAL'))
    bistro['devices'][0]['status'] = 'ONLINE'
    bistro['sites'][0] = site('1', good=2)
    bistro['alerts'][0]['status'] = 'CLEARED'
    records = records[:3] + [record('Newco', sites=[site('1', good=1)])]
    second = write_overview(report(records, at='2025-11-21T12:00:00Z'), out)
    assert second['previous_run'] == '2025-11-20T12:00:00Z'
    data, tenants = by_name(out)
    changes = data['changes']
    assert changes['tenants_added'] == [{'workspace_id': 'ws-newco', 'name': 'Newco'}]
    assert changes['tenants_removed'] == [{'workspace_id': 'ws-dental', 'name': 'Dental'}]
    assert {kind: changes[kind] for kind in ('new_critical_alerts', 'cleared_critical_alerts', 'devices_offline',
                                             'devices_back', 'sites_degraded', 'sites_recovered')} == dict.fromkeys(
        ('new_critical_alerts', 'cleared_critical_alerts', 'devices_offline', 'devices_back', 'sites_degraded',
         'sites_recovered'), 1)
    acme, bistro = tenants['Acme']['changes'], tenants['Bistro']['changes']
    assert acme['new_critical_alerts'] == [{'key': 'a-2', 'label': 'Device Disconnected on access point dev'}]
    assert acme['devices_offline'] == [{'key': 'A1', 'label': 'dev-A1'}]   # A3 was offline already
    assert acme['sites_degraded'] == [{'key': '2', 'label': 'Site 2'}]
    assert bistro['cleared_critical_alerts'] == [{'key': 'b-1', 'label': 'Device Disconnected on access point dev'}]
    assert bistro['devices_back'] == [{'key': 'B1', 'label': 'dev-B1'}]
    assert bistro['sites_recovered'] == [{'key': '1', 'label': 'Site 1'}]
    assert acme['score_before'] > tenants['Acme']['score']
    # A tenant that could not be read is not compared: its alerts did not all clear.
    assert tenants['Broken']['changes']['compared'] is False
    assert tenants['Broken']['changes']['reason'] == 'not read in this run'
    assert tenants['Newco']['changes']['reason'] == 'new since the previous run'
    # The pages of removed tenants go with them; no temporary file is left behind.
    assert sorted(os.listdir(os.path.join(out, 'tenants'))) == ['ws-acme.html', 'ws-bistro.html', 'ws-broken.html',
                                                                'ws-newco.html']
    assert not [name for name in os.listdir(out) if name.startswith('.')]


def test_rewriting_a_run_compares_with_the_one_before(tmp_path):
    out = str(tmp_path)
    write_overview(report(fleet(), at='2025-11-20T12:00:00Z'), out)
    write_overview(report(fleet(), at='2025-11-21T12:00:00Z'), out)
    again = write_overview(report(fleet(), at='2025-11-21T12:00:00Z'), out)
    assert again['previous_run'] == '2025-11-20T12:00:00Z'
    assert len(os.listdir(os.path.join(out, 'history'))) == 2


def test_history_is_bounded(tmp_path):
    out = str(tmp_path)
    for day in range(1, 7):
        write_overview(report(fleet(), at='2025-11-%02dT06:00:00Z' % day), out, history_runs=4)
    kept = sorted(os.listdir(os.path.join(out, 'history')))
    assert kept == ['msp_overview-202511%02dT060000Z.json' % day for day in (3, 4, 5, 6)]
    index = open(os.path.join(out, FILES['index']), encoding='utf-8').read()
    assert index.count('<div data-kpi="devices_offline">') == 1
    assert 'the last 4 runs' in index
    # Something else in the history folder (or the output folder) is left alone.
    with open(os.path.join(out, 'history', 'notes.txt'), 'w', encoding='utf-8') as handle:
        handle.write('mine')
    write_overview(report(fleet(), at='2025-11-07T06:00:00Z'), out, history_runs=4)
    assert 'notes.txt' in os.listdir(os.path.join(out, 'history'))


def test_fleet_csvs_tenant_columns_first(tmp_path):
    evil = record('=Evil', devices=[device('E1', 'ONLINE')], alerts=[alert('e-1', 'MINOR'), alert('e-2', 'CRITICAL')])
    write_overview(report(fleet() + [evil]), str(tmp_path))
    with open(tmp_path / FILES['devices_csv'], encoding='utf-8', newline='') as handle:
        devices = list(csv.DictReader(handle))
    with open(tmp_path / FILES['alerts_csv'], encoding='utf-8', newline='') as handle:
        alerts = list(csv.reader(io.StringIO(handle.read())))
    assert list(devices[0])[:3] == ['tenant', 'workspace_id', 'serialNumber']
    assert [(row['tenant'], row['serialNumber']) for row in devices] == [
        ("'=Evil", 'E1'), ('Acme', 'A1'), ('Acme', 'A2'), ('Acme', 'A3'), ('Bistro', 'B1'), ('Bistro', 'B2')]
    assert alerts[0][:5] == ['tenant', 'workspace_id', 'severity', 'priority', 'name']
    # Active alerts only, critical first.
    assert [(row[0], row[2], row[-1]) for row in alerts[1:]] == [
        ("'=Evil", 'CRITICAL', 'e-2'), ('Bistro', 'CRITICAL', 'b-1'), ('Acme', 'MAJOR', 'a-1'), ("'=Evil", 'MINOR', 'e-1')]


def test_check_mode_writes_nothing(tmp_path):
    out = tmp_path / 'reports'
    result = write_overview(report(fleet()), str(out), check_mode=True)
    assert not out.exists()
    assert result['files'] == sorted(FILES.values()) and result['tenant_pages'] == 4 and result['index_bytes'] > 0


@pytest.mark.parametrize('bad, message', [
    ([], 'the report must be the dict made by the central.msp.msp_overview filter'),
    ({'tenants': [], 'totals': {}, 'kinds': []}, None),
    ({'tenants': ['x'], 'totals': {}}, 'every entry of report["tenants"] must be a dict'),
])
def test_bad_report_is_refused(tmp_path, bad, message):
    if message is None:
        write_overview(report([]), str(tmp_path))   # an empty fleet is fine
        return
    with pytest.raises(OverviewError, match=message.replace('[', r'\[').replace(']', r'\]')):
        write_overview(bad, str(tmp_path))


def test_output_dir_that_is_a_file(tmp_path):
    target = tmp_path / 'file'
    target.write_text('x', encoding='utf-8')
    with pytest.raises(OverviewError, match='exists and is not a folder'):
        write_overview(report(fleet()), str(target))
    with pytest.raises(OverviewError, match='history_runs must be a whole number of at least 1'):
        write_overview(report(fleet()), str(tmp_path), history_runs=0)


def test_summary_lines_first_run_then_changes(tmp_path):
    out = str(tmp_path / 'reports')
    first = write_overview(report(fleet()), out)
    with open(os.path.join(out, FILES['summary']), encoding='utf-8') as handle:
        assert handle.read() == '\n'.join(first['summary']) + '\n'
    lines = first['summary']
    assert lines[0] == ('Fleet: 4 tenants (2 read, 1 failed, 1 not in Central) · 3 sites (1 poor) · '
                        '5 devices (2 offline) · 0 clients (0 failed) · 2 active alerts (1 critical)')
    assert lines[1].startswith('Failed clients: those Central listed in its default window')
    # One line per tenant, in the report's order; a failed tenant says why.
    assert lines[2].startswith('Acme: ') and lines[2].endswith('1 active alert (0 critical)')
    assert lines[4] == 'Broken: FAILED · HTTP 500'
    assert lines[5] == 'Dental: NOT PROVISIONED IN CENTRAL'
    assert lines[6] == 'First run in %s: the next run shows what changed.' % out
    assert lines[7].startswith('Reports: %s/msp_overview.html (open this), msp_overview.csv, ' % out)
    assert lines[7].endswith('msp_overview_summary.txt, tenants/ (4 pages)')

    records = fleet()
    records[0]['devices'][0]['status'] = 'OFFLINE'
    second = write_overview(report(records, at='2025-11-21T12:00:00Z'), out)
    assert second['summary'][6] == ('Since 2025-11-20T12:00:00Z: 0 new critical alerts, 0 cleared · 1 devices gone '
                                    'offline, 0 back · 0 sites degraded, 0 recovered · 0 tenants added, 0 removed')
    assert second['totals'] == report(records)['totals']


def test_summary_lines_in_check_mode(tmp_path):
    out = tmp_path / 'reports'
    lines = write_overview(report(fleet()), str(out), check_mode=True)['summary']
    assert lines[-1] == ('Check mode: no report was written (without --check they go to %s/msp_overview.html and '
                         'beside it)' % out)
    assert not out.exists()


def files_of(folder):
    found = {}
    for root, _dirs, names in os.walk(folder):
        for name in names:
            with open(os.path.join(root, name), 'rb') as handle:
                # The summary names the folder.
                found[os.path.relpath(os.path.join(root, name), folder)] = handle.read().replace(
                    os.path.abspath(folder).encode(), b'<out>')
    return found


def overnight(records):
    acme, bistro = records[0], records[1]
    acme['devices'][0]['status'] = 'OFFLINE'
    acme['alerts'].append(alert('a-2', 'CRITICAL'))
    bistro['devices'][0]['status'] = 'ONLINE'
    return records[:3] + [record('Newco', sites=[site('1', good=1)])]


def test_a_report_written_one_tenant_at_a_time_in_any_order_is_the_whole_reports(tmp_path):
    # tenant_overview_info hands the writer each tenant as it is read, from its threads, in any order: the files
    # are those write_overview makes of the whole report, byte for byte, on a first run and on the next.
    import random
    from concurrent.futures import ThreadPoolExecutor
    from ansible_collections.central.msp.plugins.filter.msp_overview import entry_sort_key, report_header, tenant_entry
    from ansible_collections.central.msp.plugins.plugin_utils.overview_report import OverviewWriter
    whole, streamed = str(tmp_path / 'whole'), str(tmp_path / 'streamed')
    for at, records in (('2025-11-20T12:00:00Z', fleet()), ('2025-11-21T12:00:00Z', overnight(fleet()))):
        write_overview(report(records, at=at), whole)
        writer = OverviewWriter(report_header(list(report(records)['kinds']), generated_at=at), streamed)
        arrival = list(records)
        random.Random(at).shuffle(arrival)
        with ThreadPoolExecutor(4) as pool:
            kept = list(pool.map(lambda one: writer.add(tenant_entry(one, report(records)['kinds'], True)), arrival))
        assert not any('details' in entry for entry in kept)
        writer.finish(sorted(kept, key=entry_sort_key))
        assert files_of(streamed) == files_of(whole)
    assert len([name for name in files_of(whole) if name.startswith('history')]) == 2


def test_the_writer_keeps_what_a_tenant_adds_up_to_not_its_lists(tmp_path):
    from ansible_collections.central.msp.plugins.filter.msp_overview import report_header, tenant_entry
    from ansible_collections.central.msp.plugins.plugin_utils.overview_report import OverviewWriter
    writer = OverviewWriter(report_header(['sites', 'devices', 'clients', 'alerts']), str(tmp_path))
    sizes = []
    for count in (10, 10_000):
        devices = [device('S%06d' % n, 'ONLINE' if n % 9 else 'OFFLINE') for n in range(count)]
        kept = writer.add(tenant_entry(record('T%d' % count, sites=[site('1', good=count)], devices=devices),
                                       ['sites', 'devices', 'clients', 'alerts'], True))
        # What stays in memory but the search values (a short front-coded string per value).
        own = kept.pop('_writer')
        sizes.append(len(json.dumps(kept)))
        assert len(own['search']) < 12 * count + 100 and own['at'][1] > 50 * count
    assert sizes[1] < sizes[0] + 200


def test_a_disk_that_fills_up_while_tenants_are_read_fails_the_report_clearly(tmp_path):
    from ansible_collections.central.msp.plugins.filter.msp_overview import report_header, tenant_entry
    from ansible_collections.central.msp.plugins.plugin_utils.overview_report import OverviewWriter

    class FullDisk:
        def seek(self, *_args):
            return 0

        def write(self, _data):
            raise OSError(28, 'No space left on device')

        def close(self):
            pass

    out = str(tmp_path / 'reports')
    writer = OverviewWriter(report_header(['sites']), out)
    writer._spool = FullDisk()  # pylint: disable=protected-access
    kept = [writer.add(tenant_entry(one, ['sites'], True)) for one in fleet()]   # the reads go on
    with pytest.raises(OverviewError, match='cannot write the reports in .*No space left on device'):
        writer.finish(kept)
    assert not os.path.exists(out)  # nothing written: the folder was to be made with the first file
