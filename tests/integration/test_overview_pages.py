"""The overview as a daily page: what changed between two runs, search across customers, and the index's size
at 1,000 tenants × 200 devices, in headless Chromium.

* Two runs of playbooks/msp_overview.yml into one folder, with changes made in the simulator between them (a
  device goes offline, another comes back, a tenant is added): the JSON's deltas are exactly those changes, as
  the simulator's ground truth says, and the pages show them.
* The index's search finds a device of another tenant by serial and its result opens that tenant's page on it.
* At 1,000 tenants × 200 devices (a synthetic report from the simulator's scale dataset) the index stays within
  its 5 MB budget and works; its render time is a benchmark figure (tests/performance/overview_pages.py)."""

import json
import os

import pytest

from tests.integration.browser import Browser, find_chromium
from tests.integration.test_overview import read_reports, run_overview
from tests.integration.test_report_html import SEARCH, TABLE, assert_clean, follow, url

CHROMIUM = find_chromium()
INDEX_BUDGET = 5 * 1024 * 1024
CHANGE_KINDS = ('new_critical_alerts', 'cleared_critical_alerts', 'devices_offline', 'devices_back', 'sites_degraded',
                'sites_recovered')
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason='no Chromium/Chrome binary found (apt-get install '
                                                             'chromium, or set CHROMIUM=...)')


def keys(rows):
    return sorted(row['key'] for row in rows)


@pytest.fixture(scope='module')
def two_runs(tmp_path_factory):
    """Run, change the simulator's network, run again into the same folder; returns what the test needs."""
    from tests.simulator.pytest_plugin import start_simulator
    tmp = tmp_path_factory.mktemp('overview-two-runs')
    with start_simulator('--dataset', 'demo') as sim:
        first, out = run_overview(sim, tmp)
        assert first.rc == 0, first.output[-3000:]
        before = read_reports(out)[0]
        tenants = {t['name']: t for t in sim.truth()['tenants']}
        # Acme has no degraded site: one of its online devices going offline degrades its site.
        acme = tenants['Acme Retail Group']
        gone = next(d for d in sim.truth(acme['id'], 'devices') if d['status'] == 'ONLINE')
        went = sim.fault(action='device_status', tenant=acme['id'], serial=gone['serialNumber'], status='OFFLINE')
        # Bistro d'Or's one Poor device (offline, at its degraded site) comes back online: the site recovers.
        bistro = tenants["Bistro d'Or"]
        devices = sim.truth(bistro['id'], 'devices')
        poor_at = {}
        for device in devices:
            if device['status'] == 'OFFLINE':  # a Poor device: offline
                poor_at.setdefault(device['siteId'], []).append(device)
        back = next(found[0] for found in poor_at.values() if len(found) == 1)
        came = sim.fault(action='device_status', tenant=bistro['id'], serial=back['serialNumber'], status='ONLINE')
        added = sim.fault(action='add_tenant', name='Nouveau Client SA', devices=15)
        second, _out = run_overview(sim, tmp)
        assert second.rc == 0, second.output[-3000:]
        after = read_reports(out)[0]
        truth = {'acme': acme, 'gone': gone, 'went': went, 'bistro': bistro, 'back': back, 'came': came,
                 'added': added, 'sites': {t: sim.truth(tenants[t]['id'], 'sites-health')
                                           for t in ('Acme Retail Group', "Bistro d'Or")},
                 'alerts': {a['id']: a for a in sim.truth(acme['id'], 'alerts') + sim.truth(bistro['id'], 'alerts')},
                 'alert_devices': sim.truth(acme['id'], 'alert-devices')}
    return {'out': out, 'before': before, 'after': after, 'truth': truth, 'second': second}


def test_json_deltas_are_exactly_the_changes_made(two_runs):
    before, after, truth = two_runs['before'], two_runs['after'], two_runs['truth']
    assert before['changes']['since'] is None
    assert all(t['changes']['reason'] == 'first run' for t in before['tenants'])
    fleet = after['changes']
    assert fleet['since'] == before['generated_at']
    by_name = {t['name']: t for t in after['tenants']}
    acme, bistro = by_name['Acme Retail Group']['changes'], by_name["Bistro d'Or"]['changes']
    # Acme: the device gone offline, the alert the simulator raised on it, its site degraded.
    assert truth['went']['raised'] and keys(acme['new_critical_alerts']) == sorted(truth['went']['raised'])
    raised = truth['alerts'][truth['went']['raised'][0]]
    assert (raised['severity'], raised['status']) == ('Critical', 'Active')
    assert truth['alert_devices'][raised['id']] == truth['gone']['serialNumber']
    assert acme['devices_offline'] == [{'key': truth['gone']['serialNumber'], 'label': truth['gone']['deviceName']}]
    assert keys(acme['sites_degraded']) == [truth['gone']['siteId']]
    assert acme['cleared_critical_alerts'] == acme['devices_back'] == acme['sites_recovered'] == []
    # Bistro d'Or: the device back online, the critical alerts the simulator cleared, its site recovered.
    assert truth['came']['cleared'] and keys(bistro['cleared_critical_alerts']) == sorted(truth['came']['cleared'])
    assert all(truth['alerts'][key]['status'] == 'Cleared' for key in truth['came']['cleared'])
    assert bistro['devices_back'] == [{'key': truth['back']['serialNumber'], 'label': truth['back']['deviceName']}]
    recovered = next(s for s in truth['sites']["Bistro d'Or"] if s['id'] == truth['back']['siteId'])
    assert keys(bistro['sites_recovered']) == [recovered['id']]
    assert bistro['new_critical_alerts'] == bistro['devices_offline'] == bistro['sites_degraded'] == []
    # Nothing else changed: the other tenants were compared and have empty lists; the new one is new.
    for name, tenant in by_name.items():
        if name == 'Nouveau Client SA':
            assert tenant['changes']['compared'] is False and tenant['changes']['reason'] == 'new since the previous run'
        elif tenant['status'] == 'ok' and name not in ('Acme Retail Group', "Bistro d'Or"):
            assert tenant['changes']['compared'] is True, name
            assert all(tenant['changes'][kind] == [] for kind in CHANGE_KINDS), name
    assert fleet['tenants_added'] == [{'workspace_id': truth['added']['id'], 'name': 'Nouveau Client SA'}]
    assert fleet['tenants_removed'] == []
    assert {kind: fleet[kind] for kind in CHANGE_KINDS} == {
        'new_critical_alerts': len(truth['went']['raised']), 'cleared_critical_alerts': len(truth['came']['cleared']),
        'devices_offline': 1, 'devices_back': 1, 'sites_degraded': 1, 'sites_recovered': 1}
    # The history keeps both runs; the play's summary says what changed.
    assert len(os.listdir(os.path.join(two_runs['out'], 'history'))) == 2
    summary = two_runs['second'].one('Show the overview')['result']['msg']
    assert any(line.startswith('Since %s: %d new critical alerts' % (fleet['since'], fleet['new_critical_alerts']))
               for line in summary), summary


@needs_chromium
def test_pages_show_the_change(two_runs):
    out, after, truth = two_runs['out'], two_runs['after'], two_runs['truth']
    index = os.path.join(out, 'msp_overview.html')
    by_name = {t['name']: t for t in after['tenants']}
    with Browser(CHROMIUM) as browser:
        browser.open(url(index))
        fleet = browser.js("Array.from(document.querySelectorAll('#changes > .pad > .chips [data-change]'))"
                           ".map(c => [c.dataset.change, c.textContent])")
        added = browser.js("document.querySelector('#changes [data-change=tenants_added]').textContent")
        browser.js("document.querySelector('.pills [data-show=changed]').click()")
        changed = browser.js(TABLE)
        trend = browser.js("document.querySelectorAll('#trend [data-kpi=devices_offline] .spark span').length")
        assert_clean(browser, index, scripts=3)
        acme_page = os.path.join(out, by_name['Acme Retail Group']['page'])
        browser.open(url(acme_page))
        acme = browser.js("Object.fromEntries(Array.from(document.querySelectorAll('#changes ul[data-change]'))"
                          ".map(ul => [ul.dataset.change, Array.from(ul.querySelectorAll('li')).map(li => li.textContent)]))")
        assert_clean(browser, acme_page, scripts=2)
    fleet_counts = dict(fleet)
    assert set(fleet_counts) == {'new_critical_alerts', 'cleared_critical_alerts', 'devices_offline', 'devices_back',
                                 'sites_degraded', 'sites_recovered'}
    assert fleet_counts['devices_offline'] == '1 device gone offline' and fleet_counts['sites_recovered'] == '1 site recovered'
    assert 'Nouveau Client SA' in added
    assert [row['name'] for row in changed] == [t['name'] for t in sorted(after['tenants'], key=lambda t: t['rank'])
                                                if t['name'] in ('Acme Retail Group', "Bistro d'Or", 'Nouveau Client SA')]
    assert trend == 2
    gone = truth['gone']
    assert acme['devices_offline'] == ['%s %s' % (gone['serialNumber'], gone['deviceName'])]
    assert len(acme['new_critical_alerts']) == 1 and gone['deviceName'] in acme['new_critical_alerts'][0]
    site = next(s for s in truth['sites']['Acme Retail Group'] if s['id'] == gone['siteId'])
    assert acme['sites_degraded'] == [' ' + site['siteName']]


@needs_chromium
def test_search_finds_a_device_of_another_tenant_by_serial(two_runs):
    out, after = two_runs['out'], two_runs['after']
    zurich = next(t for t in after['tenants'] if t['name'] == 'Zürich Kliniken')
    device = zurich['details']['devices'][17]
    index = os.path.join(out, 'msp_overview.html')
    with Browser(CHROMIUM) as browser:
        browser.open(url(index))
        found = browser.js(SEARCH % json.dumps(device['serialNumber'].lower()))
        assert_clean(browser, index, scripts=3)
        # Enter in the search box opens the first match: that tenant's page, on the device.
        page = follow(browser, "document.getElementById('find').dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'}))")
        shown = browser.js("({name: document.getElementById('tenant-name').textContent,"
                           " tab: document.querySelector('#tabs [aria-selected=true]').dataset.kind,"
                           " found: Array.from(document.querySelectorAll('#panel tr.found')).map(r => r.textContent)})")
        assert_clean(browser, page.split('#')[0][len('file://'):], scripts=2)
    assert found['hits'][0] == {'href': zurich['page'] + '#find=' + device['serialNumber'], 'kind': 'Device serial',
                                'value': device['serialNumber'], 'tenant': 'Zürich Kliniken'}
    assert page == url(os.path.join(out, zurich['page']), '#find=' + device['serialNumber'])
    assert shown['name'] == 'Zürich Kliniken' and shown['tab'] == 'devices'
    assert len(shown['found']) == 1 and device['serialNumber'] in shown['found'][0]


@needs_chromium
def test_index_at_1000_tenants_within_budget(tmp_path):
    from tests.performance.overview_pages import scale_index
    page, report = scale_index(str(tmp_path), tenants=1000, devices_per_tenant=200)
    size = os.path.getsize(page)
    assert size <= INDEX_BUDGET, 'the index is %.2f MB, over its 5 MB budget' % (size / 1e6)
    far = report['tenants'][900]
    serial = far['details']['devices'][-1]['serialNumber']
    with Browser(CHROMIUM) as browser:
        browser.open(url(page))
        count = browser.js("document.getElementById('tenant-count').textContent")
        rows = browser.js(TABLE)
        found = browser.js(SEARCH % json.dumps(serial))
        assert_clean(browser, page, scripts=3)
    assert count == '1,000 tenants'
    # The table draws the first 200 rows of the ranking (the rest on demand), worst first.
    ranked = sorted(report['tenants'], key=lambda t: t['rank'])
    assert [row['name'] for row in rows] == [t['name'] for t in ranked[:200]]
    scores = [t['score'] for t in ranked if t['score'] is not None]
    assert scores == sorted(scores)
    # The score ranks where the health word saturates: nearly every synthetic tenant is "critical", but no score
    # is shared by more than 2% of them and they spread over more than 15 points.
    assert sum(t['health'] == 'critical' for t in ranked) > 0.9 * len(ranked)
    assert max(scores.count(score) for score in scores) <= 0.02 * len(scores) and scores[-1] - scores[0] > 15
    assert found['hits'][0]['value'] == serial and found['hits'][0]['tenant'] == far['name']
