"""The HTML report in a real browser (headless Chromium over the DevTools protocol).

* Hostile strings (HTML, script end tags, quotes, template syntax, non-ASCII) from the API show as text and
  run nothing, with the collection's own filter and template.
* The real overview of the demo dataset, with a tenant that fails, renders without a console error, loads
  nothing but itself, and every tenant, tab, sort and search works.

Without a Chromium or Chrome binary (CI installs Debian's `chromium`) these tests say so and skip."""

import json
import os

import pytest

from tests.helpers import ROOT, ansible_env, run_playbook
from tests.integration.browser import Browser, find_chromium
from tests.integration.test_overview import read_reports, run_overview
from tests.simulator.pytest_plugin import start_simulator

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason='no Chromium/Chrome binary found (apt-get install chromium, or set CHROMIUM=...): '
                             'the HTML report browser tests are skipped')

TEMPLATE = os.path.join(ROOT, 'playbooks', 'templates', 'msp_overview.html.j2')
# Renders the report from records read as data (a file lookup), as module results are: never templated.
RENDER = '''
- name: Render the overview HTML from records in a JSON file
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    msp_overview_report: "{{ lookup('ansible.builtin.file', records) | from_json | central.msp.msp_overview }}"
  tasks:
    - name: Write the page
      ansible.builtin.template:
        src: "{{ template }}"
        dest: "{{ out }}/msp_overview.html"
        mode: "0644"
'''

PWN = 'window.__pwned = (window.__pwned || 0) + 1'
EVIL = {
    'name': '<img src=x onerror="%s">Acme & Sons' % PWN,
    'site': "<b>HQ</b> d'Or </script><script>%s</script>" % PWN,
    'device': '"><svg onload="%s">' % PWN,
    'summary': 'javascript:%s {{ 7 * 7 }} {%% raw %%}' % PWN,
    'client': 'Café Müller 😀 <iframe src="https://example.com/"></iframe>',
}


def hostile_records():
    site = {'id': '1', 'siteName': EVIL['site'], 'address': {'city': '<i>Zürich</i>', 'country': 'CH'},
            'devices_total': 2, 'devices_good': 1, 'devices_poor': 1, 'health_poor': 50, 'health_good': 50,
            'clients_total': 1, 'alerts_total': 1, 'alerts_critical': 1,
            'reasons': [{'health': 'Poor', 'reason': '<u>1 device offline</u>', 'data': {'count': 1}}]}
    return [
        {'name': EVIL['name'], 'workspace_id': '"><script>%s</script>' % PWN, 'central_provisioned': True,
         'sites': [site],
         'devices': [{'serialNumber': 'SN1', 'deviceName': EVIL['device'], 'deviceType': '<AP>', 'status': 'ONLINE'},
                     {'serialNumber': 'SN2', 'deviceName': 'sw', 'deviceType': 'SWITCH', 'status': 'OFFLINE'}],
         'clients': [{'clientName': EVIL['client'], 'status': 'Connected', 'clientConnectionType': 'Wireless'}],
         'alerts': [{'id': 'a1', 'name': 'Device Disconnected', 'summary': EVIL['summary'], 'severity': 'Critical',
                     'status': 'Active', 'createdAt': '2025-11-20T10:00:00.000Z'}]},
        {'name': "Bistro d'Or \"Chez Lulu\"", 'workspace_id': 'w2', 'central_provisioned': True,
         'error': 'HTTP 502 <html><body>Bad gateway</body></html> {{ lookup("pipe", "id") }}'},
        {'name': 'Zürich Kliniken', 'workspace_id': 'w3', 'central_provisioned': False},
    ]


def open_report(browser, path, fragment=''):
    browser.open('file://' + path + fragment)
    return browser


def assert_clean(browser, page):
    assert browser.errors() == [], browser.errors()
    # One self-contained file: the page itself is the only thing loaded.
    assert set(browser.requests()) <= {'file://' + page}, browser.requests()
    assert browser.js('window.__pwned === undefined'), 'a hostile string ran as script'
    assert browser.js("document.querySelectorAll('script').length") == 2
    assert browser.js("document.querySelectorAll('img, svg, iframe, u').length") == 0
    assert not browser.js("Array.from(document.querySelectorAll('b, i')).some(e => ['HQ', 'Zürich'].includes(e.textContent))")


# Opens every tenant and every tab, sorts every column, then searches: returns what the page showed.
EXERCISE = '''(() => {
  const seen = {tenants: [], tabs: {}};
  const rows = Array.from(document.querySelectorAll('#tenants tbody tr'));
  document.querySelectorAll('#tenants th.sortable').forEach(th => { th.click(); th.click(); });
  rows.forEach(row => {
    row.click();
    const name = document.querySelector('#detail h2').textContent;
    seen.tenants.push(name);
    const error = document.querySelector('#detail .error code');
    if (error) { seen.tabs[name] = {error: error.textContent}; return; }
    seen.tabs[name] = {};
    document.querySelectorAll('#detail .tabs button').forEach(tab => {
      tab.click();
      document.querySelectorAll('#detail th.sortable').forEach(th => { th.click(); th.click(); });
      const cells = Array.from(document.querySelectorAll('#detail tbody td')).map(td => td.textContent);
      seen.tabs[name][tab.dataset.kind] = cells;
    });
  });
  const search = document.getElementById('tenant-search');
  search.value = 'zürich';
  search.dispatchEvent(new Event('input'));
  seen.visible = rows.filter(row => !row.hidden).length;
  seen.count = document.getElementById('tenant-count').textContent;
  return seen;
})()'''


def test_hostile_strings_show_as_text(tmp_path):
    records = tmp_path / 'records.json'
    records.write_text(json.dumps(hostile_records()), encoding='utf-8')
    env = ansible_env(tmp=str(tmp_path))
    run = run_playbook(RENDER, env, extra_vars={'records': str(records), 'template': TEMPLATE, 'out': str(tmp_path)})
    assert run.rc == 0, run.output[-3000:]
    page = str(tmp_path / 'msp_overview.html')
    with open(page, encoding='utf-8') as handle:
        raw = handle.read()
    assert '<img src=x' not in raw and '</script><script>' not in raw and '<svg' not in raw
    with Browser(CHROMIUM) as browser:
        open_report(browser, page)
        names = browser.js("Array.from(document.querySelectorAll('.tname a')).map(a => a.textContent)")
        assert names == [EVIL['name'], "Bistro d'Or \"Chez Lulu\"", 'Zürich Kliniken']
        seen = browser.js(EXERCISE)
        assert_clean(browser, page)
    acme = seen['tabs'][EVIL['name']]
    assert EVIL['site'] in acme['sites'] and '<i>Zürich</i>, CH' in acme['sites']
    assert EVIL['device'] in acme['devices'] and '<AP>' in acme['devices']
    assert EVIL['client'] in acme['clients']
    assert EVIL['summary'] in acme['alerts']
    assert seen['tabs']["Bistro d'Or \"Chez Lulu\""]['error'] == hostile_records()[1]['error']
    assert (seen['visible'], seen['count']) == (1, '1 of 3 tenants')


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
    page = os.path.join(demo_report, 'msp_overview.html')
    northwind = next(t for t in report['tenants'] if t['name'] == 'Northwind Logistics')
    with Browser(CHROMIUM) as browser:
        # A #tenant= link opens that tenant's drill-down, on its alerts when some are active.
        open_report(browser, page, '#tenant=' + northwind['workspace_id'])
        assert browser.js("document.querySelector('#detail h2').textContent") == 'Northwind Logistics'
        assert browser.js("document.querySelector('#detail .tabs [aria-selected=true]').dataset.kind") == 'alerts'
        kpis = browser.js("Array.from(document.querySelectorAll('.kpi .big')).map(e => e.firstChild.textContent.trim())")
        seen = browser.js(EXERCISE)
        assert_clean(browser, page)
    totals = report['totals']
    assert kpis == ['{:,}'.format(n) for n in (totals['tenants']['total'], totals['sites']['total'],
                                               totals['devices']['total'], totals['clients']['total'],
                                               totals['alerts']['active'])]
    assert seen['tenants'] == [t['name'] for t in report['tenants']]
    for tenant in report['tenants']:
        tabs = seen['tabs'][tenant['name']]
        if tenant['status'] == 'failed':
            assert tabs == {'error': tenant['error']}
        elif tenant['status'] == 'ok':
            # Every tab lists every item of the tenant (all fit under the row limit in the demo dataset).
            assert set(tabs) == {'sites', 'devices', 'clients', 'alerts'}
            for kind, key in (('sites', 'siteName'), ('devices', 'deviceName'), ('clients', 'clientName')):
                assert {item[key] for item in tenant['details'][kind]} <= set(tabs[kind])
    assert seen['visible'] == 1
