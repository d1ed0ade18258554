"""playbooks/msp_overview.yml end to end on the simulator: every number of the JSON and CSV reports is checked
against the simulator's ground truth, computed here independently of the collection's own code.

Runs: `make demo`'s runner (demo dataset over TLS); a scale dataset of 12 tenants (one with an apostrophe in
its name) where one tenant's token exchange always fails; the demo again with the tenant choice, kinds and
fail-on-error variables; and the two example playbooks loop_tenants.yml and tenant_api_call_in_a_tenant.yml."""

import copy
import csv
import html
import json
import os
import subprocess
import sys
from datetime import datetime, timezone

import pytest
from ansible_collections.central.msp.plugins.filter.msp_overview import DETAIL_FIELDS
from tests.helpers import ROOT, ansible_env, run_playbook
from tests.simulator.pytest_plugin import start_simulator

PLAYBOOK = os.path.join(ROOT, 'playbooks', 'msp_overview.yml')
INVENTORY = os.path.join(ROOT, 'playbooks', 'inventory', 'simulator.central_msp.yml')
KINDS = ('sites', 'devices', 'clients', 'alerts')
API_KIND = {'sites': 'sites-health', 'devices': 'device-inventory', 'clients': 'clients', 'alerts': 'alerts'}
SEVERITIES = ('Critical', 'Major', 'Minor')
# The clients the playbook reads: connected ones, and failed ones in Central's default window, the 3 hours before
# the simulator's present (2025-11-20T12:00Z).
WINDOW_START = '2025-11-20T09:00:00'


def listed_clients(clients):
    return [c for c in clients if c['status'] == 'Connected' or (c['status'] == 'Failed' and c['lastSeenAt'] >= WINDOW_START)]


# ---- the oracle: what the report must say, from the simulator's unpaged item lists -----------------------

def tally(values, *always):
    counts = dict.fromkeys(always, 0)
    for value in values:
        key = 'UNKNOWN' if value in (None, '') else value
        counts[key] = counts.get(key, 0) + 1
    return counts


def named(container, key):
    """{'good': 3, ...} from Central's {"groups": [{"name": "Good", key: 3}]}."""
    return {group['name'].lower(): group[key] for group in (container or {}).get('groups', [])}


def site_row(site):
    devices, shares, alerts = named(site['devices']['health'], 'value'), named(site['health'], 'value'), \
        named(site['alerts'], 'count')
    flat = dict(site, devices_total=site['devices']['count'], clients_total=site['clients']['count'],
                alerts_total=site['alerts']['totalCount'])
    for level in ('good', 'fair', 'poor'):
        flat['devices_' + level] = devices.get(level, 0)
        flat['health_' + level] = shares.get(level, 0)
    for severity in SEVERITIES:
        flat['alerts_' + severity.lower()] = alerts.get(severity.lower(), 0)
    flat['health'] = 'poor' if flat['devices_poor'] else 'fair' if flat['devices_fair'] else 'good'
    return {name: flat.get(name) for name in DETAIL_FIELDS['sites']}


def summarize(items):
    sites = [site_row(site) for site in items['sites']]
    active = [a for a in items['alerts'] if a['status'] == 'Active']
    return {
        'sites': {'total': len(sites), **tally([s['health'] for s in sites], 'good', 'fair', 'poor'),
                  'device_health': {level: sum(s['devices_' + level] for s in sites) for level in ('good', 'fair', 'poor')}},
        'devices': {'total': len(items['devices']),
                    'by_type': tally([d['deviceType'] for d in items['devices']], 'ACCESS_POINT', 'SWITCH', 'GATEWAY'),
                    'by_status': tally([d['status'] for d in items['devices']], 'ONLINE', 'OFFLINE')},
        'clients': {'total': len(items['clients']),
                    'by_connection_type': tally([c['clientConnectionType'] for c in items['clients']], 'Wireless', 'Wired'),
                    'by_status': tally([c['status'] for c in items['clients']], 'Connected', 'Failed')},
        'alerts': {'total': len(items['alerts']), 'active': len(active),
                   'by_status': tally([a['status'] for a in items['alerts']], 'Active', 'Cleared', 'Deferred'),
                   'by_severity': tally([a['severity'] for a in active], *SEVERITIES)},
    }


def health_word(summary):
    sites, alerts = summary.get('sites') or {}, (summary.get('alerts') or {}).get('by_severity', {})
    offline = ((summary.get('devices') or {}).get('by_status') or {}).get('OFFLINE')
    if alerts.get('Critical') or sites.get('poor'):
        return 'critical'
    return 'warning' if alerts.get('Major') or sites.get('fair') or offline else 'healthy'


def expected_tenant(sim, truth, kinds=KINDS, details=True, failed=False):
    central = truth['central']
    entry = {
        'name': truth['name'], 'workspace_id': truth['id'], 'central_tenant_id': truth['central_id'],
        'central_provisioned': central is not None, 'inventory_ownership': truth['glp']['inventoryOwnership'],
        'status': 'failed' if failed else 'ok' if central else 'not_provisioned', 'error': None,
        'central': central and {
            'sites_total': central['totalSites'], 'sites_degraded': central['degradedSites'],
            'device_health': central['deviceHealthStatus'], 'alerts': central['alerts'],
            'last_updated': datetime.fromtimestamp(central['lastUpdatedTime'], timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')},
        'summary': dict.fromkeys(KINDS), 'active_alerts': [],
    }
    if details:
        entry['details'] = dict.fromkeys(KINDS)
    if entry['status'] != 'ok':
        entry['health'] = entry['status']
        return entry
    items = {kind: sim.truth(truth['id'], API_KIND[kind]) for kind in KINDS}
    items['clients'] = listed_clients(items['clients'])
    summary = summarize(items)
    # The simulator's MSP-level summary must agree with what the report counted inside the tenant.
    assert summary['sites']['poor'] == central['degradedSites']
    assert summary['sites']['device_health'] == {k: central['deviceHealthStatus'][k] for k in ('good', 'fair', 'poor')}
    assert summary['alerts']['by_severity'] == {s: central['alerts'][s.lower()] for s in SEVERITIES}
    for kind in kinds:
        entry['summary'][kind] = summary[kind]
        if details:
            entry['details'][kind] = [site_row(item) if kind == 'sites' else
                                      {name: item.get(name) for name in DETAIL_FIELDS[kind]} for item in items[kind]]
    if 'alerts' in kinds:
        active = [{name: a.get(name) for name in DETAIL_FIELDS['alerts']} for a in items['alerts'] if a['status'] == 'Active']
        active.sort(key=lambda a: a['createdAt'], reverse=True)
        entry['active_alerts'] = sorted(active, key=lambda a: SEVERITIES.index(a['severity']))
    entry['health'] = health_word(entry['summary'])
    return entry


def expected_totals(entries, kinds=KINDS):
    def add(total, part):
        for key, value in part.items():
            if isinstance(value, dict):
                add(total.setdefault(key, {}), value)
            else:
                total[key] = total.get(key, 0) + value
        return total
    statuses, health = [e['status'] for e in entries], [e['health'] for e in entries]
    totals = {'tenants': {'total': len(entries), **{word: statuses.count(word) for word in ('ok', 'failed', 'not_provisioned')},
                          **{word: health.count(word) for word in ('critical', 'warning', 'healthy')}}}
    empty = summarize({kind: [] for kind in KINDS})
    for kind in KINDS:
        totals[kind] = copy.deepcopy(empty[kind]) if kind in kinds else None
        for entry in entries:
            if kind in kinds and entry['status'] == 'ok':
                add(totals[kind], entry['summary'][kind])
    return totals


def csv_expected(entry):
    s = entry['summary']
    numbers = {}
    if s['sites']:
        numbers.update({'sites_' + k: s['sites'][k] for k in ('total', 'good', 'fair', 'poor')})
        numbers.update({'device_health_' + k: v for k, v in s['sites']['device_health'].items()})
    if s['devices']:
        by_type, by_status = s['devices']['by_type'], s['devices']['by_status']
        numbers.update(devices_total=s['devices']['total'], devices_ap=by_type['ACCESS_POINT'],
                       devices_switch=by_type['SWITCH'], devices_gateway=by_type['GATEWAY'],
                       devices_online=by_status['ONLINE'], devices_offline=by_status['OFFLINE'],
                       devices_other_type=sum(v for k, v in by_type.items() if k not in ('ACCESS_POINT', 'SWITCH', 'GATEWAY')),
                       devices_other_status=sum(v for k, v in by_status.items() if k not in ('ONLINE', 'OFFLINE')))
    if s['clients']:
        numbers.update(clients_total=s['clients']['total'],
                       clients_wireless=s['clients']['by_connection_type']['Wireless'],
                       clients_wired=s['clients']['by_connection_type']['Wired'],
                       clients_connected=s['clients']['by_status']['Connected'],
                       clients_failed=s['clients']['by_status']['Failed'])
    if s['alerts']:
        numbers.update(alerts_total=s['alerts']['total'], alerts_active=s['alerts']['active'],
                       alerts_cleared=s['alerts']['by_status']['Cleared'],
                       alerts_deferred=s['alerts']['by_status']['Deferred'],
                       **{'alerts_' + k.lower(): v for k, v in s['alerts']['by_severity'].items()})
    return numbers


# ---- running and checking ------------------------------------------------------------------------------

def run_overview(sim, tmp_path, extra_vars=None, args=('-f', '20')):
    out = str(tmp_path / 'reports')
    env = ansible_env(sim.env(), tmp=str(tmp_path))
    run = run_playbook(PLAYBOOK, env, inventory=INVENTORY, args=args,
                       extra_vars=dict({'msp_overview_output_dir': out}, **(extra_vars or {})))
    return run, out


# What the report writer adds to each tenant entry of the filter's report (checked in test_overview_pages.py).
WRITER_KEYS = ('score', 'rank', 'page', 'changes')


def read_reports(out):
    with open(os.path.join(out, 'msp_overview.json'), encoding='utf-8') as handle:
        report = json.load(handle)
    with open(os.path.join(out, 'msp_overview.csv'), encoding='utf-8', newline='') as handle:
        rows = list(csv.DictReader(handle))
    with open(os.path.join(out, 'msp_overview.html'), encoding='utf-8') as handle:
        index = handle.read()
    return report, rows, index


def check_reports(sim, out, truths, failed=(), kinds=KINDS, details=True):
    report, rows, index = read_reports(out)
    expected = [expected_tenant(sim, truth, kinds, details, failed=truth['id'] in failed) for truth in truths]
    expected.sort(key=lambda e: (e['name'].casefold(), e['workspace_id']))
    got = [{key: value for key, value in entry.items() if key not in WRITER_KEYS} for entry in report['tenants']]
    assert [e['name'] for e in got] == [e['name'] for e in expected]
    for entry, want in zip(got, expected):
        if want['status'] == 'failed':
            assert entry['error'], entry
            want = dict(want, error=entry['error'])
        assert entry == want, 'tenant %s differs' % want['name']
    assert report['totals'] == expected_totals(expected, kinds)
    assert report['kinds'] == list(kinds) and report['schema_version'] == 2
    assert report['clients_window']['start_at'] is None and 'the 3 hours before' in report['clients_window']['description']
    if 'clients' in kinds:
        assert html.escape(report['clients_window']['description']) in index
    # The playbook sent nothing the live API refuses (injected faults aside).
    refused = [(e['path'], e['query'], e['status']) for e in sim.stats()['requests_log']
               if 400 <= e['status'] < 500 and not e['fault'] and not e['path'].startswith('/authorization/')]
    assert not refused, refused

    assert [row['tenant'] for row in rows] == [e['name'] for e in expected]
    for row, entry in zip(rows, expected):
        numbers = csv_expected(entry)
        for column, value in row.items():
            if column in ('tenant', 'workspace_id', 'central_tenant_id', 'status', 'health', 'error'):
                continue
            assert value == str(numbers.get(column, '')), '%s: %s' % (entry['name'], column)
        assert (row['workspace_id'], row['status'], row['health']) == (entry['workspace_id'], entry['status'],
                                                                       entry['health'])
        assert row['central_tenant_id'] == (entry['central_tenant_id'] or '')
    for entry in report['tenants']:
        # Every name and error reaches the tenant's page escaped, never raw.
        with open(os.path.join(out, entry['page']), encoding='utf-8') as handle:
            page = handle.read()
        assert html.escape(entry['name']) in page
        if entry['error']:
            assert html.escape(entry['error']) in page
    assert '<title>MSP overview · %d tenants' % len(expected) in index
    return report, rows


def written_texts(out):
    """The text of every file the overview wrote (index, tenant pages, JSON, CSVs, history)."""
    texts = []
    for folder, _dirs, names in os.walk(out):
        for name in names:
            with open(os.path.join(folder, name), encoding='utf-8') as handle:
                texts.append(handle.read())
    return texts


def assert_no_secret(sim, run, out):
    secrets = [sim.info['client_secret']] + list(sim.stats(log=False).get('issued_tokens') or [])
    assert len(secrets) > 2, 'the simulator should have issued tokens'
    for text in [run.stdout, run.stderr] + written_texts(out):
        for secret in secrets:
            assert secret not in text


@pytest.fixture(scope='module')
def demo():
    """The demo dataset over HTTPS with the simulator's own CA, as `make demo` runs it."""
    with start_simulator('--dataset', 'demo', '--tls') as sim:
        yield sim


@pytest.mark.parametrize('per_host', [False, True], ids=['one task', 'per host'])
def test_scale_overview_with_a_failing_tenant(simulator_factory, tmp_path, per_host):
    """The same exact reports whether one task reads every tenant or each tenant host reads its own."""
    sim = simulator_factory('--dataset', 'scale', '--tenants', '12', '--devices-per-tenant', '40')
    truths = sim.truth()['tenants']
    broken = [t for t in truths if t['central']][4]
    sim.fault(action='fail_exchange', tenant=broken['id'], count=-1, status=403, error='access_denied')
    run, out = run_overview(sim, tmp_path, extra_vars={'msp_overview_per_host': per_host})
    assert run.rc == 0, run.output[-4000:]
    report, rows = check_reports(sim, out, truths, failed={broken['id']})
    entry = next(e for e in report['tenants'] if e['workspace_id'] == broken['id'])
    assert entry['error'].startswith('sites: token exchange into tenant workspace ') and '403' in entry['error'], entry['error']
    row = next(r for r in rows if r['workspace_id'] == broken['id'])
    assert row['status'] == 'failed' and row['error'] == entry['error'] and row['devices_total'] == ''
    assert report['totals']['tenants']['failed'] == 1 and report['totals']['tenants']['ok'] == len(truths) - 1
    # The token cache at work: one MSP token for the whole run (the inventory and every fork of every task) and
    # one exchange per tenant read.
    stats = sim.stats(log=False)
    assert stats['msp_tokens'] == 1, stats
    assert stats['exchanges_by_tenant'] == {t['id']: 1 for t in truths if t['central'] and t is not broken}
    assert_no_secret(sim, run, out)


def test_tenant_choice_kinds_and_fail_on_error(demo, tmp_path):
    demo.reset()
    truths = {t['name']: t for t in demo.truth()['tenants']}
    demo.fault(action='fail_exchange', tenant=truths['Zürich Kliniken']['id'], count=-1)
    # --limit keeps three hosts, the name match keeps two of them; the report is written before the failure.
    run, out = run_overview(demo, tmp_path, extra_vars={
        'msp_overview_match': "d'or|zürich", 'msp_overview_kinds': ['sites', 'alerts'],
        'msp_overview_details': False, 'msp_overview_fail_on_error': True},
        args=('--limit', "Acme_Retail_Group:Bistro_d_Or:Zürich_Kliniken"))
    assert run.rc != 0 and '1 tenant could not be read' in run.output, run.output[-3000:]
    rows = check_reports(demo, out, [truths["Bistro d'Or"], truths['Zürich Kliniken']],
                         failed={truths['Zürich Kliniken']['id']}, kinds=('sites', 'alerts'), details=False)[1]
    assert rows[0]['devices_total'] == '' and rows[0]['sites_total'] != ''
    demo.reset()


def test_loop_and_api_call_examples(demo, tmp_path):
    demo.reset()
    env = ansible_env(demo.env(), tmp=str(tmp_path))
    truths = demo.truth()['tenants']
    loop = run_playbook(os.path.join(ROOT, 'playbooks', 'examples', 'loop_tenants.yml'), env)
    assert loop.rc == 0, loop.output[-3000:]
    shown = [item['msg'] for item in loop.one('Show the critical alerts per tenant')['result']['results']]
    expected = []
    for truth in sorted((t for t in truths if t['central']), key=lambda t: t['name'].casefold()):
        critical = [a['summary'] for a in demo.truth(truth['id'], 'alerts')
                    if (a['severity'], a['status']) == ('Critical', 'Active')]
        expected.append('%s: %s' % (truth['name'], '; '.join(critical) or 'no active critical alert'))
    assert shown == expected
    assert loop.one('Show the tenants that Central does not manage yet')['result']['msg'] == ['Harbor View Dental']

    api = run_playbook(os.path.join(ROOT, 'playbooks', 'examples', 'tenant_api_call_in_a_tenant.yml'), env)
    assert api.rc == 0, api.output[-3000:]
    northwind = next(t for t in truths if t['name'] == 'Northwind Logistics')
    active = [a for a in demo.truth(northwind['id'], 'alerts') if a['status'] == 'Active']
    audit = demo.truth(northwind['id'], 'audit-logs')[:5]
    lines = api.one('Show what came back')['result']['msg']
    assert lines[0] == '%d active alerts read in %d pages' % (len(active), -(-len(active) // 5))
    assert lines[1] == 'Latest audit entries: %s' % [entry['description'] for entry in audit]
    assert lines[2].startswith('Write in check mode: changed=True; Check mode: POST central')
    assert not [path for path in demo.stats(log=False)['by_path'] if path.startswith('POST') and 'acknowledge' in path]


def test_make_demo_runner(tmp_path):
    """What `make demo` runs: simulator up, overview over TLS, a summary line per tenant, simulator down.
    The demo dataset is deterministic, so a second simulator gives the ground truth to check every number."""
    out = tmp_path / 'reports'
    env = {k: v for k, v in os.environ.items() if not k.startswith(('GLP_', 'CENTRAL_', 'ANSIBLE_'))}
    proc = subprocess.run([sys.executable, os.path.join(ROOT, 'tests', 'demo', 'run_demo.py'),
                           '--output-dir', str(out)], capture_output=True, text=True, timeout=300, env=env, cwd=ROOT,
                          check=False)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    with start_simulator('--dataset', 'demo') as sim:
        report = check_reports(sim, str(out), sim.truth()['tenants'])[0]
        secret = sim.info['client_secret']
    assert {e['name']: e['status'] for e in report['tenants']} == {
        'Acme Retail Group': 'ok', "Bistro d'Or": 'ok', 'Harbor View Dental': 'not_provisioned',
        'Northwind Logistics': 'ok', 'Zürich Kliniken': 'ok'}
    lines = proc.stdout.splitlines()
    for tenant in report['tenants']:
        assert any(line.strip().startswith(tenant['name'] + '  ') for line in lines), tenant['name']
    assert str(out / 'msp_overview.html') in proc.stdout and 'the simulator is stopped' in proc.stdout
    for text in [proc.stdout, proc.stderr] + written_texts(str(out)):
        assert secret not in text


# ---- a first run that goes wrong ---------------------------------------------------------------------------

ANSIBLE_CFG_THAT_ONLY_WARNS = '[inventory]\nunparsed_is_failed = False\nany_unparsed_is_failed = False\n'


def test_a_failed_inventory_fails_the_overview_with_its_error(demo, tmp_path):
    """A wrong secret: Ansible itself only warns ("no hosts matched", exit 0). The overview fails, the inventory's
    own error in front, whatever ansible.cfg says; no report claims a run that did not happen."""
    demo.reset()
    cfg = tmp_path / 'ansible.cfg'
    cfg.write_text(ANSIBLE_CFG_THAT_ONLY_WARNS, encoding='utf-8')
    out = str(tmp_path / 'reports')
    env = ansible_env(dict(demo.env(), GLP_CLIENT_SECRET='not-the-secret', ANSIBLE_CONFIG=str(cfg)), tmp=str(tmp_path))
    run = run_playbook(PLAYBOOK, env, inventory=INVENTORY, extra_vars={'msp_overview_output_dir': out})
    assert run.rc != 0, run.output[-3000:]
    message = run.one("Fail with the inventory's error")['result']['msg']
    assert message.startswith('The tenants inventory failed: MSP token request'), message
    assert 'HTTP 401 invalid_client' in message and 'No tenant to read' in message
    assert not os.path.exists(out)
    assert 'not-the-secret' not in run.output and demo.info['client_secret'] not in run.output


def test_an_inventory_that_matches_no_tenant_fails_the_overview(demo, tmp_path):
    demo.reset()
    # (A --limit that matches nothing is an error of Ansible's own; a play pattern that matches nothing is not.)
    run, out = run_overview(demo, tmp_path, extra_vars={'msp_overview_tenants': 'no_such_group'})
    assert run.rc != 0, run.output[-3000:]
    message = run.one("Fail with the inventory's error")['result']['msg']
    assert message.startswith('No tenant to read') and "'no_such_group'" in message, message
    assert not os.path.exists(out)


def test_check_mode_writes_no_report_and_says_so(demo, tmp_path):
    demo.reset()
    run, out = run_overview(demo, tmp_path, args=('--check', '--limit', 'Acme_Retail_Group'))
    assert run.rc == 0, run.output[-3000:]
    summary = run.one('Show the overview')['result']['msg']
    assert summary[0].startswith('Fleet: 1 tenant (1 read, 0 failed'), summary
    assert summary[-1].startswith('Check mode: no report was written'), summary
    assert not any(line.startswith('Reports:') for line in summary)
    assert not os.path.exists(os.path.join(out, 'msp_overview.json'))


# Installed for `make test` (requirements-test.txt) but not for `make demo` (requirements-demo.txt).
TEST_TOOLCHAIN = ('pytest', '_pytest', 'ansible_lint', 'ansible_runner', 'ansible_builder', 'antsibull_changelog',
                  'pycentral', 'websocket')
BLOCK_TOOLCHAIN = '''
import runpy, sys
class TestToolchain:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in %r:
            raise ImportError('the demo imported %%s, which make demo does not install' %% name)
sys.meta_path.insert(0, TestToolchain())
sys.argv = ['run_demo.py', '--help']
runpy.run_path(%r, run_name='__main__')
'''


def test_make_demo_installs_only_the_runtime_and_the_runner_needs_no_more(tmp_path):
    venv = str(tmp_path / 'venv')
    plan = subprocess.run(['make', '--no-print-directory', '-n', 'demo', 'VENV=' + venv], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout
    installs = [line for line in plan.splitlines() if 'pip install' in line]
    assert installs == ['%s/bin/pip install --quiet -r requirements-demo.txt' % venv], plan
    with open(os.path.join(ROOT, 'requirements-demo.txt'), encoding='utf-8') as handle:
        demo_requirements = handle.read()
    assert '-r requirements.txt' in demo_requirements and 'ansible-core==' in demo_requirements
    assert not any(name.replace('_', '-') in demo_requirements for name in TEST_TOOLCHAIN if name != '_pytest')

    runner = os.path.join(ROOT, 'tests', 'demo', 'run_demo.py')
    proc = subprocess.run([sys.executable, '-c', BLOCK_TOOLCHAIN % (TEST_TOOLCHAIN, runner)], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and 'usage: run_demo.py' in proc.stdout, proc.stderr[-3000:]


def test_per_host_mode_writes_the_same_reports_as_one_task(simulator_factory, tmp_path):
    # Per host, msp_overview_report reads what each host registered (no report made in a template): the files
    # are those of the one-task run, but for the time they were made.
    sim = simulator_factory('--dataset', 'scale', '--tenants', '15', '--devices-per-tenant', '30')
    written = {}
    for per_host in (False, True):
        sim.reset()
        run, out = run_overview(sim, tmp_path / str(per_host), extra_vars={'msp_overview_per_host': per_host})
        assert run.rc == 0, run.output[-4000:]
        with open(os.path.join(out, 'msp_overview.json'), encoding='utf-8') as handle:
            report = json.load(handle)
        report.pop('generated_at')
        pages = sorted(os.listdir(os.path.join(out, 'tenants')))
        with open(os.path.join(out, 'msp_overview_devices.csv'), encoding='utf-8') as handle:
            written[per_host] = (report, pages, handle.read())
    assert written[True] == written[False]
    assert len(written[True][0]['tenants']) == 15 and written[True][0]['totals']['devices']['total'] > 300
