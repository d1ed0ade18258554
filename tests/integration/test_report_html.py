"""The overview pages in a real browser (headless Chromium over the DevTools protocol).

* Hostile strings (HTML, script end tags, quotes, template syntax, non-ASCII) from the API show as text and
  run nothing, on the index and on every tenant page, written by the collection's own filter and writer.
* The real overview of the demo dataset, with a tenant that fails, renders without a console error, loads
  nothing but itself; the tenants are ranked worst first, every tenant page, tab, sort and search works, and
  the keyboard and the theme button work.

Without a Chromium or Chrome binary (CI installs Debian's `chromium`) these tests say so and skip."""

import json
import os
import time

import pytest

from ansible_collections.central.msp.plugins.module_utils.overview import overview_record
from tests.helpers import ROOT, ansible_env, run_playbook
from tests.integration.browser import Browser, find_chromium
from tests.integration.test_overview import read_reports, run_overview
from tests.simulator.pytest_plugin import start_simulator

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason='no Chromium/Chrome binary found (apt-get install chromium, or set CHROMIUM=...): '
                             'the HTML report browser tests are skipped')

# Writes the report set from records read as data (a file lookup), as module results are: never templated.
RENDER = '''
- name: Write the overview from records in a JSON file
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Write the report set
      central.msp.msp_overview_report:
        report: "{{ lookup('ansible.builtin.file', records) | from_json | central.msp.msp_overview }}"
        output_dir: "{{ out }}"
'''

PWN = 'window.__pwned = (window.__pwned || 0) + 1'
EVIL = {
    'name': '<img src=x onerror="%s">Acme & Sons' % PWN,
    'site': "<b>HQ</b> d'Or </script><script>%s</script>" % PWN,
    'device': '"><svg onload="%s">' % PWN,
    'summary': 'javascript:%s {{ 7 * 7 }} {%% raw %%}' % PWN,
    'client': 'Café Müller 😀 <iframe src="https://example.com/"></iframe>',
}
EVIL_WORKSPACE = '"><script>%s</script>' % PWN


def hostile_records():
    site = {'id': '1', 'siteName': EVIL['site'], 'address': {'city': '<i>Zürich</i>', 'country': 'CH'},
            'devices_total': 2, 'devices_good': 1, 'devices_poor': 1, 'health_poor': 50, 'health_good': 50,
            'clients_total': 1, 'alerts_total': 1, 'alerts_critical': 1,
            'reasons': [{'health': 'Poor', 'reason': '<u>1 device offline</u>', 'data': {'count': 1}}]}
    # The records tenant_overview_info returns: the tenant record, the error, the item lists.
    evil = {'name': EVIL['name'], 'workspace_id': EVIL_WORKSPACE, 'central_provisioned': True}
    return [
        overview_record(evil, None, {
            'sites': [site],
            'devices': [{'serialNumber': 'SN1', 'deviceName': EVIL['device'], 'deviceType': '<AP>', 'status': 'ONLINE',
                         'macAddress': '20:4C:00:00:00:01'},
                        {'serialNumber': 'SN2', 'deviceName': 'sw', 'deviceType': 'SWITCH', 'status': 'OFFLINE'}],
            'clients': [{'clientName': EVIL['client'], 'status': 'Connected', 'clientConnectionType': 'Wireless'}],
            'alerts': [{'id': 'a1', 'name': 'Device Disconnected', 'summary': EVIL['summary'], 'severity': 'Critical',
                        'status': 'Active', 'createdAt': '2025-11-20T10:00:00.000Z'}]}),
        overview_record({'name': "Bistro d'Or \"Chez Lulu\"", 'workspace_id': 'w2', 'central_provisioned': True},
                        'HTTP 502 <html><body>Bad gateway</body></html> {{ lookup("pipe", "id") }}'),
        overview_record({'name': 'Zürich Kliniken', 'workspace_id': 'w3', 'central_provisioned': False}),
    ]


def url(path, fragment=''):
    return 'file://' + path + fragment


def follow(browser, expression):
    """Run JavaScript that navigates to another page (a link's click) and wait until that page has loaded."""
    browser.events.clear()
    browser.js(expression)
    browser.wait_for('Page.loadEventFired')
    return browser.js('location.href')


def assert_clean(browser, page, scripts):
    """No console error, nothing loaded but the page itself, no hostile markup turned into elements."""
    assert browser.errors() == [], browser.errors()
    assert set(browser.requests()) <= {url(page)}, browser.requests()
    assert browser.js('window.__pwned === undefined'), 'a hostile string ran as script'
    assert browser.js("document.querySelectorAll('script').length") == scripts
    assert browser.js("document.querySelectorAll('img, svg, iframe, u').length") == 0
    assert not browser.js("Array.from(document.querySelectorAll('b, i')).some(e => ['HQ', 'Zürich'].includes(e.textContent))")


# The index's tenant table as shown: name, rank, health, change chips.
TABLE = '''Array.from(document.querySelectorAll('#tenants tbody tr')).map(row => ({
  name: row.querySelector('.tname a').textContent, href: row.querySelector('.tname a').getAttribute('href'),
  rank: Number(row.cells[0].textContent), health: row.dataset.health,
  changes: Array.from(row.querySelectorAll('[data-change]')).map(chip => chip.dataset.change + ':' + chip.textContent)}))'''

# Types into the index's search box and waits for the results of that query (the index decodes lazily).
SEARCH = '''(async (query) => {
  const box = document.getElementById('find'), list = document.getElementById('find-results');
  box.focus(); box.value = query; box.dispatchEvent(new Event('input'));
  for (let i = 0; i < 600 && list.dataset.query !== query; i += 1) { await new Promise(r => setTimeout(r, 50)); }
  return {status: document.getElementById('find-status').textContent,
          hits: Array.from(list.querySelectorAll('a')).map(a => ({href: a.getAttribute('href'), kind: a.querySelector('.kind').textContent,
            value: a.querySelector('b').textContent, tenant: a.querySelector('.tenant').textContent}))};
})(%s)'''

# On a tenant page: opens every tab, sorts every column twice, returns each tab's cells and the found rows.
EXERCISE = '''(() => {
  const seen = {name: document.getElementById('tenant-name').textContent, tabs: {}, selected: null, found: []};
  const error = document.querySelector('.error code');
  if (error) { seen.error = error.textContent; }
  const selected = document.querySelector('#tabs [aria-selected=true]');
  seen.selected = selected ? selected.dataset.kind : null;
  seen.found = Array.from(document.querySelectorAll('#panel tr.found')).map(row => row.textContent);
  document.querySelectorAll('#tabs button').forEach(tab => {
    tab.click();
    document.querySelectorAll('#panel th.sortable').forEach(th => { th.click(); th.click(); });
    seen.tabs[tab.dataset.kind] = Array.from(document.querySelectorAll('#panel tbody td')).map(td => td.textContent);
  });
  return seen;
})()'''


def write_hostile(tmp_path, args=()):
    records = tmp_path / 'records.json'
    records.write_text(json.dumps(hostile_records()), encoding='utf-8')
    env = ansible_env(tmp=str(tmp_path))
    out = tmp_path / 'reports'
    run = run_playbook(RENDER, env, extra_vars={'records': str(records), 'out': str(out)}, args=args)
    return run, out


def test_hostile_strings_show_as_text(tmp_path):
    run, out = write_hostile(tmp_path)
    assert run.rc == 0, run.output[-3000:]
    index = str(out / 'msp_overview.html')
    raws = [(out / 'msp_overview.html').read_text(encoding='utf-8')] + [
        (out / 'tenants' / name).read_text(encoding='utf-8') for name in os.listdir(out / 'tenants')]
    for raw in raws:
        assert '<img src=x' not in raw and '</script><script>' not in raw and '<svg' not in raw and '<iframe' not in raw
    # A workspace id that is not a plain id never becomes a file name.
    assert sorted(os.listdir(out / 'tenants')) == ['tenant-img-src-x-onerror-window-pwned-window-pw.html',
                                                   'w2.html', 'w3.html']
    with Browser(CHROMIUM) as browser:
        browser.open(url(index))
        table = browser.js(TABLE)
        # Worst first: the tenant that could not be read, then by score, then the one with nothing to read.
        assert [row['name'] for row in table] == ["Bistro d'Or \"Chez Lulu\"", EVIL['name'], 'Zürich Kliniken']
        feed = browser.js("Array.from(document.querySelectorAll('#alert-feed tbody td a, #alert-feed tbody .tid'))"
                          ".map(e => e.textContent)")
        assert EVIL['name'] in feed and EVIL['summary'] in feed
        found = browser.js(SEARCH % json.dumps('sn1'))
        assert [(hit['kind'], hit['value'], hit['tenant']) for hit in found['hits']] == [('Device serial', 'SN1', EVIL['name'])]
        mac = browser.js(SEARCH % json.dumps('20-4c-00-00-00-01'))['hits']
        assert [(hit['kind'], hit['value']) for hit in mac] == [('Device MAC', '20:4c:00:00:00:01')]
        assert browser.js(SEARCH % json.dumps('<svg'))['hits'][0]['value'] == EVIL['device']
        assert browser.js(SEARCH % json.dumps('d\'or </script>'))['hits'][0]['kind'] == 'Site'
        assert_clean(browser, index, scripts=3)
        page = follow(browser, "document.querySelector('#find-results a').click()")
        assert page.startswith(url(str(out / 'tenants' / 'tenant-img-src-x-onerror-window-pwned-window-pw.html')))
        acme = browser.js(EXERCISE)
        assert_clean(browser, page.split('#')[0][len('file://'):], scripts=2)
        assert acme['name'] == EVIL['name'] and acme['selected'] == 'sites'  # where the site name matched
        assert browser.js("document.title").startswith(EVIL['name'])
        bistro = follow(browser, "location.href = '../tenants/w2.html'")
        failed = browser.js(EXERCISE)
        assert_clean(browser, bistro[len('file://'):], scripts=2)
    assert EVIL['site'] in acme['tabs']['sites'] and '<i>Zürich</i>, CH' in acme['tabs']['sites']
    assert EVIL['device'] in acme['tabs']['devices'] and '<AP>' in acme['tabs']['devices']
    assert EVIL['client'] in acme['tabs']['clients']
    assert EVIL['summary'] in acme['tabs']['alerts']
    assert failed['error'] == hostile_records()[1]['error'] and failed['tabs'] == {}


def test_check_mode_writes_nothing(tmp_path):
    run, out = write_hostile(tmp_path, args=('--check',))
    assert run.rc == 0, run.output[-3000:]
    result = run.one('Write the report set')['result']
    assert result['changed'] is True and result['tenant_pages'] == 3 and 'msp_overview.html' in result['files']
    assert not out.exists()


@pytest.fixture(scope='module')
def demo_report(tmp_path_factory):
    """The real overview of the demo dataset over TLS, with Zürich Kliniken's token exchange refused."""
    tmp = tmp_path_factory.mktemp('overview-html')
    with start_simulator('--dataset', 'demo', '--tls') as sim:
        zurich = next(t for t in sim.truth()['tenants'] if t['name'] == 'Zürich Kliniken')
        sim.fault(action='fail_exchange', tenant=zurich['id'], count=-1)
        run, out = run_overview(sim, tmp)
    assert run.rc == 0, run.output[-3000:]
    return out


def test_demo_report_renders_without_errors(demo_report):
    report = read_reports(demo_report)[0]
    index = os.path.join(demo_report, 'msp_overview.html')
    ranked = sorted(report['tenants'], key=lambda t: t['rank'])
    northwind = next(t for t in report['tenants'] if t['name'] == 'Northwind Logistics')
    offline = next(d for d in northwind['details']['devices'] if d['status'] == 'OFFLINE')
    seen = {}
    with Browser(CHROMIUM) as browser:
        browser.open(url(index))
        kpis = browser.js("Array.from(document.querySelectorAll('.kpi .big')).map(e => e.firstChild.textContent.trim())")
        table = browser.js(TABLE)
        # Keyboard: Enter on a column head sorts by it; the theme button cycles auto, light, dark.
        browser.js("document.querySelector('#tenants th[data-key=name]').dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'}))")
        by_name = browser.js(TABLE)
        themes = browser.js("(() => { const b = document.getElementById('theme'); const seen = [];"
                            " for (let i = 0; i < 3; i += 1) { b.click(); seen.push(document.documentElement.dataset.theme || 'auto'); }"
                            " return seen; })()")
        browser.js("document.querySelector('.pills [data-show=failed]').click()")
        failed_only = browser.js(TABLE)
        assert_clean(browser, index, scripts=3)
        for tenant in ranked:
            page = os.path.join(demo_report, tenant['page'])
            browser.open(url(page))
            seen[tenant['name']] = browser.js(EXERCISE)
            assert_clean(browser, page, scripts=2)
        # #find=<serial> (what a search result links to) opens the devices tab on that device.
        page = os.path.join(demo_report, northwind['page'])
        browser.open(url(page, '#find=' + offline['serialNumber']))
        found = browser.js(EXERCISE)
        # The links the single-page report used to share (#tenant=<workspace id>) open the tenant's page.
        browser.open(url(index, '#tenant=' + northwind['workspace_id']))
        shared = None
        for _attempt in range(600):  # until the redirect has landed (a bound for a failure, not a speed limit)
            try:
                shared = browser.js("[location.href, (document.getElementById('tenant-name') || {}).textContent || null]")
            except RuntimeError:  # the redirect replaced the page while it was being asked
                shared = None
            if shared and shared[1]:
                break
            time.sleep(0.05)
    totals = report['totals']
    assert kpis == ['{:,}'.format(n) for n in (totals['tenants']['total'], totals['sites']['total'],
                                               totals['devices']['total'], totals['clients']['total'],
                                               totals['alerts']['active'])]
    assert [row['name'] for row in table] == [t['name'] for t in ranked]
    assert [row['rank'] for row in table] == list(range(1, len(ranked) + 1))
    assert table[0]['name'] == 'Zürich Kliniken' and table[0]['health'] == 'failed'
    assert table[-1]['name'] == 'Harbor View Dental'
    assert [row['name'] for row in by_name] == sorted((t['name'] for t in ranked), key=str.lower)
    assert themes == ['light', 'dark', 'auto']
    assert [row['name'] for row in failed_only] == ['Zürich Kliniken']
    for tenant in report['tenants']:
        tabs = seen[tenant['name']]
        assert tabs['name'] == tenant['name']
        if tenant['status'] == 'failed':
            assert tabs['error'] == tenant['error'] and tabs['tabs'] == {}
        elif tenant['status'] == 'ok':
            # Every tab lists every item of the tenant (all fit under the row limit in the demo dataset).
            assert set(tabs['tabs']) == {'sites', 'devices', 'clients', 'alerts'}
            assert tabs['selected'] == ('alerts' if tenant['active_alerts'] else 'sites')
            for kind, key in (('sites', 'siteName'), ('devices', 'deviceName'), ('clients', 'clientName')):
                assert {item[key] for item in tenant['details'][kind]} <= set(tabs['tabs'][kind])
    assert found['selected'] == 'devices' and len(found['found']) == 1 and offline['serialNumber'] in found['found'][0]
    assert shared == [url(page), 'Northwind Logistics']


BAD_ARGS = '''
- name: Wrong arguments
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: No report
      central.msp.msp_overview_report:
        output_dir: "{{ out }}"
      ignore_errors: true
    - name: A list for a report
      central.msp.msp_overview_report:
        report: [1, 2]
        output_dir: "{{ out }}"
      ignore_errors: true
    - name: An unknown option
      central.msp.msp_overview_report:
        report: {tenants: [], totals: {}}
        output_dir: "{{ out }}"
        history: 3
      ignore_errors: true
    - name: No history
      central.msp.msp_overview_report:
        report: {tenants: [], totals: {}}
        output_dir: "{{ out }}"
        history_runs: 0
      ignore_errors: true
    - name: A report and hosts
      central.msp.msp_overview_report:
        report: {tenants: [], totals: {}}
        hosts: [localhost]
        output_dir: "{{ out }}"
      ignore_errors: true
    - name: Hosts whose result is not tenant_overview_info's
      ansible.builtin.set_fact:
        wrong_read: {tenants: [1]}
    - name: A wrong result_var
      central.msp.msp_overview_report:
        hosts: [localhost]
        result_var: wrong_read
        output_dir: "{{ out }}"
      ignore_errors: true
'''


def test_wrong_arguments_say_what_to_fix(tmp_path):
    env = ansible_env(tmp=str(tmp_path))
    run = run_playbook(BAD_ARGS, env, extra_vars={'out': str(tmp_path / 'reports')})
    assert run.rc == 0, run.output[-3000:]
    messages = {name: run.one(name)['result']['msg'] for name in ('No report', 'A list for a report', 'An unknown option',
                                                                  'No history', 'A report and hosts',
                                                                  'A wrong result_var')}
    assert 'give "report" (the report made by the central.msp.msp_overview filter) or "hosts"' in messages['No report']
    assert '"report" and "hosts" are mutually exclusive' in messages['A report and hosts']
    assert 'wrong_read of host localhost holds tenants[0] that is not a tenant record' in messages['A wrong result_var']
    assert '"report" must be the dict made by the central.msp.msp_overview filter, got list' in messages['A list for a report']
    assert ('unsupported parameters history; the parameters are clients_end_at, clients_start_at, details, '
            'history_runs, hosts, kinds, output_dir, report, result_var') in messages['An unknown option']
    assert 'history_runs must be a whole number of at least 1' in messages['No history']
    assert not (tmp_path / 'reports').exists()


def test_example_rewrites_pages_from_a_saved_report(demo_report, tmp_path):
    saved = os.path.join(demo_report, 'msp_overview.json')
    report = read_reports(demo_report)[0]
    run = run_playbook(os.path.join(ROOT, 'playbooks', 'examples', 'msp_overview_report.yml'), ansible_env(tmp=str(tmp_path)),
                       extra_vars={'saved': saved, 'pages': str(tmp_path / 'copy')})
    assert run.rc == 0, run.output[-3000:]
    copy = read_reports(str(tmp_path / 'copy'))[0]
    worst = min(report['tenants'], key=lambda t: t['rank'])
    assert run.one('Show what was written')['result']['msg'].endswith('worst tenant first: %s' % worst['workspace_id'])
    assert [(t['name'], t['rank'], t['score'], t['page']) for t in copy['tenants']] == \
        [(t['name'], t['rank'], t['score'], t['page']) for t in report['tenants']]
    assert sorted(os.listdir(tmp_path / 'copy' / 'tenants')) == sorted(os.listdir(os.path.join(demo_report, 'tenants')))
