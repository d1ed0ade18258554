"""A tenant's own data turned against the MSP, through real ansible-inventory / ansible-playbook runs: workspace
names that are group names, malformed tenant lists and pages. One tenant's bad data is that tenant's failure,
reported; every other tenant, the inventory, its cache and the three reports stay complete."""

from __future__ import annotations

import json
import os
import stat

from tests.helpers import ROOT, ansible_env, index_islands, run_inventory, run_playbook
from tests.integration.fault_checks import (TENANTS_SOURCE, assert_absent, fresh, inventory, play, result, secrets_of,
                                            write)

OVERVIEW = os.path.join(ROOT, 'playbooks', 'msp_overview.yml')
FAIL_ON_UNPARSED = {'ANSIBLE_INVENTORY_UNPARSED_FAILED': 'true'}
# The production example's grouping (playbooks/inventory/production.central_msp.yml), cached in a test folder.
PRODUCTION_LIKE = '''plugin: central.msp.tenants
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: {cache}
cache_timeout: 900
strict: true
keyed_groups:
  - key: msp_inventory_ownership | lower
    prefix: ownership
groups:
  needs_attention: (msp_alerts.critical | default(0)) > 0 or (msp_device_health.poor | default(0)) > 0
'''
# Every group the plugin, Ansible and the file above make, and localhost.
GROUP_NAMES = ('all', 'ungrouped', 'msp_tenants', 'central_provisioned', 'central_not_provisioned', 'degraded',
               'needs_attention', 'ownership_msp_owned_inventory', 'localhost')


def plain(value):
    """A host variable as --list shows it: strings from the API are marked unsafe."""
    return value['__ansible_unsafe'] if isinstance(value, dict) and '__ansible_unsafe' in value else value


def listed(run):
    """(host names, group names) of an ansible-inventory --list output."""
    data = json.loads(run.stdout)
    return set(data['_meta']['hostvars']), {name for name in data if name != '_meta'}, data


def test_workspaces_named_like_groups_break_nothing_and_the_overview_reports_everyone(simulator_factory, tmp_path):
    sim = simulator_factory('--dataset', 'demo')
    hostile = {name: sim.fault(action='add_tenant', name=name, devices=4) for name in GROUP_NAMES}
    truths = sim.truth()['tenants']
    cache = tmp_path / 'inventory-cache'
    source = write(tmp_path / 'production.central_msp.yml', PRODUCTION_LIKE.format(cache=cache))
    env = ansible_env(dict(sim.env(), **FAIL_ON_UNPARSED), tmp=str(tmp_path))

    run = inventory([source], env)
    assert run.rc == 0, run.output[-3000:]
    hosts, groups, data = listed(run)
    assert len(hosts) == len(truths), 'every tenant is a host'
    assert not hosts & groups, 'a host name is also a group name: %s' % sorted(hosts & groups)
    for name, tenant in hostile.items():
        host = '%s_%s' % (name, tenant['hex'][:8])
        assert host in hosts and plain(data['_meta']['hostvars'][host]['msp_workspace_id']) == tenant['id'], name
    assert set(data['msp_tenants']['hosts']) == hosts
    assert 'msp_tenants' in data['all']['children'] and 'all' not in data['msp_tenants'].get('children', [])
    # The tenant list the cache holds lists the MSP's customers: private to the user.
    entries = [os.path.join(cache, name) for name in os.listdir(cache)]
    assert len(entries) == 1 and stat.S_IMODE(os.stat(entries[0]).st_mode) == 0o600

    out = str(tmp_path / 'reports')
    overview = run_playbook(OVERVIEW, env, inventory=source, args=('-f', '10'), extra_vars={
        'msp_overview_output_dir': out, 'msp_overview_kinds': ['sites', 'alerts'], 'msp_overview_details': False})
    assert overview.rc == 0, overview.output[-3000:]
    with open(os.path.join(out, 'msp_overview.json'), encoding='utf-8') as handle:
        report = json.load(handle)
    assert sorted(entry['workspace_id'] for entry in report['tenants']) == sorted(t['id'] for t in truths)
    assert {entry['status'] for entry in report['tenants']} <= {'ok', 'not_provisioned'}
    with open(os.path.join(out, 'msp_overview.csv'), encoding='utf-8') as handle:
        text = handle.read()
    assert all(tenant['id'] in text for tenant in truths), 'msp_overview.csv'
    with open(os.path.join(out, 'msp_overview.html'), encoding='utf-8') as handle:
        rows = json.loads(index_islands(handle.read())['tenant-rows'])
    assert sorted(row['w'] for row in rows) == sorted(t['id'] for t in truths), 'msp_overview.html'
    assert_absent(secrets_of(sim), {'the overview output': overview.output})


OBSERVER = """
import json, os, stat
_LOG, _DIR = os.environ['CACHE_OBSERVE_LOG'], os.environ['CACHE_OBSERVE_DIR']
_open, _rename, _chmod = os.open, os.rename, os.chmod


def _note(event, path):
    path = os.fspath(path)
    if isinstance(path, str) and os.path.abspath(path).startswith(_DIR + os.sep):
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
            folder = stat.S_IMODE(os.stat(os.path.dirname(os.path.abspath(path))).st_mode)
        except OSError:
            return
        with open(_LOG, 'a') as log:
            log.write(json.dumps([event, path, mode, folder]) + '\\n')


def _observed(real, event):
    def call(path, *args, **kwargs):
        answer = real(path, *args, **kwargs)
        _note(event, args[0] if event == 'rename' else path)
        return answer
    return call


os.open, os.rename, os.chmod = _observed(_open, 'open'), _observed(_rename, 'rename'), _observed(_chmod, 'chmod')
"""


def test_the_inventory_cache_is_never_readable_by_others_not_even_for_an_instant(simulator, tmp_path):
    # Every moment a file appears or changes mode in the cache folder (its creation by mkstemp's os.open, its
    # rename into place, jsonfile's chmod to 0644, ours to 0600), the running ansible-inventory notes its mode
    # and its folder's: a file others could read may exist only inside a folder only we can open.
    sim = fresh(simulator)
    cache = tmp_path / 'inventory-cache'
    os.makedirs(cache, mode=0o755)
    os.chmod(cache, 0o755)  # as the cache plugin's makedirs leaves it under the usual umask
    observer = tmp_path / 'observer'
    observer.mkdir()
    write(observer / 'sitecustomize.py', OBSERVER)
    log = tmp_path / 'observed.jsonl'
    source = write(tmp_path / 'cached.central_msp.yml', TENANTS_SOURCE + (
        'cache: true\ncache_plugin: ansible.builtin.jsonfile\ncache_connection: %s\n' % cache))
    env = ansible_env(dict(sim.env(), CACHE_OBSERVE_LOG=str(log), CACHE_OBSERVE_DIR=str(cache)), tmp=str(tmp_path))
    env['PYTHONPATH'] = os.pathsep.join(filter(None, [str(observer), env.get('PYTHONPATH')]))
    run = inventory([source], env)
    assert run.rc == 0, run.output[-3000:]
    events = [json.loads(line) for line in log.read_text().splitlines()]
    assert {event for event, *_rest in events} >= {'open', 'rename', 'chmod'}, events
    # jsonfile still widens its entry to 0644 after the rename (the observation sees it), but never where others
    # can reach it.
    assert any(mode & 0o077 for _event, _path, mode, _folder in events), events
    assert all(folder == 0o700 for _event, _path, mode, folder in events if mode & 0o077), events
    entries = [os.path.join(cache, name) for name in os.listdir(cache)]
    assert len(entries) == 1 and stat.S_IMODE(os.stat(entries[0]).st_mode) == 0o600
    assert any('Inventory cache directory %s was readable by other users' % cache in ' '.join(line.split())
               for line in [run.stderr]), run.stderr[-2000:]

    # A folder shared with other users is not used (and its mode is not changed): nothing is written there.
    shared = tmp_path / 'shared'
    shared.mkdir()
    os.chmod(shared, 0o1777)
    source = write(tmp_path / 'shared.central_msp.yml', TENANTS_SOURCE + (
        'cache: true\ncache_plugin: ansible.builtin.jsonfile\ncache_connection: %s\n' % shared))
    run = inventory([source], ansible_env(sim.env(), tmp=str(tmp_path)))
    assert run.rc == 0 and json.loads(run.stdout)['_meta']['hostvars'], run.output[-3000:]
    assert os.listdir(shared) == [] and stat.S_IMODE(os.stat(shared).st_mode) == 0o1777
    assert 'Inventory cache disabled' in run.stderr and 'is shared with other users' in ' '.join(run.stderr.split())


def test_a_failing_build_leaves_no_partial_inventory_and_no_cache_entry(simulator, tmp_path):
    simulator.reset()
    cache = tmp_path / 'inventory-cache'
    # strict compose that fails for the tenant Central does not know (its msp_device_health is null), which sorts
    # after three tenants that build fine.
    source = write(tmp_path / 'failing.central_msp.yml', TENANTS_SOURCE + (
        'cache: true\ncache_plugin: ansible.builtin.jsonfile\ncache_connection: %s\nstrict: true\n'
        'compose:\n  healthy_devices: msp_device_health.good\n' % cache))
    static = write(tmp_path / 'static.ini', 'static_host ansible_connection=local\n')
    env = ansible_env(simulator.env(), tmp=str(tmp_path))
    run = inventory([static, source], env)
    assert run.rc == 0, run.output[-3000:]  # Ansible warns about the failed source and keeps the others
    hosts, _groups, _data = listed(run)
    assert hosts == {'static_host'}, 'tenants added before the failure were left in the inventory: %s' % hosts
    assert 'central.msp.tenants' in run.stderr or 'failing.central_msp.yml' in run.stderr
    assert not cache.exists() or os.listdir(cache) == [], 'a failed build was cached'


def glp_items(sim):
    return [tenant['glp'] for tenant in sim.truth()['tenants']]


def test_malformed_tenant_lists_cost_only_the_bad_entries(simulator, tmp_path):
    sim = simulator
    sim.reset()
    truths = {tenant['name']: tenant for tenant in sim.truth()['tenants']}
    acme, bistro, zurich = truths['Acme Retail Group'], truths["Bistro d'Or"], truths['Zürich Kliniken']
    items = [item for item in glp_items(sim) if item['id'] not in (bistro['id'], zurich['id'])]
    items += ['a string', {'workspaceName': 'No id at all'}, {'id': 42, 'workspaceName': 'Numeric id'},
              dict(bistro['glp'], workspaceName=None), dict(zurich['glp'], workspaceName=1234)]
    sim.fault(path='workspaces/v1/msp-tenants$', status=200, body='custom', count=-1,
              json={'items': items, 'count': len(items), 'offset': 0, 'total': len(items)})
    central = [tenant['central'] for tenant in truths.values() if tenant['central']]
    central = [dict(entry, degradedSites='many', deviceHealthStatus='all good') if entry['tenantName'] == acme['name']
               else entry for entry in central] + ['junk', {'tenantName': None, 'totalSites': 1}]
    sim.fault(path='network-msp/v1/list-tenants$', status=200, body='custom', count=-1,
              json={'items': central, 'count': len(central), 'total': len(central), 'next': None})
    env = ansible_env(dict(sim.env(), **FAIL_ON_UNPARSED), tmp=str(tmp_path))

    run = run_inventory(write(tmp_path / 'hostile.central_msp.yml', TENANTS_SOURCE), env)
    assert run.rc == 0, run.output[-3000:]
    hostvars = run.results['_meta']['hostvars']
    assert len(hostvars) == len(truths)  # every real tenant, none of the three entries without a workspace id
    assert hostvars[bistro['id']]['msp_tenant_name'] is None  # no usable name: named by its workspace id
    assert plain(hostvars['1234']['msp_workspace_id']) == zurich['id']
    assert hostvars['Acme_Retail_Group']['msp_sites_degraded'] is None
    assert hostvars['Acme_Retail_Group']['msp_device_health'] is None
    assert hostvars['Acme_Retail_Group']['msp_sites_total'] == acme['central']['totalSites']
    assert hostvars['Northwind_Logistics']['msp_central_provisioned'] is True
    stderr = ' '.join(run.stderr.split())
    assert "GLP's tenant list" in stderr and "'a string'" in stderr and 'has a workspaceName that is null' in stderr
    assert "degradedSites: 'many'" in stderr and '2 entries without a tenant name' in stderr

    modules = play(sim, '''
        - name: tenants
          central.msp.msp_tenant_info:
    ''', tmp_path / 'play')
    answer = result(modules, 'tenants')
    assert answer['count'] == len(truths) and any("GLP's tenant list" in w for w in answer.get('warnings', []))


def test_one_tenants_malformed_page_is_its_own_failure(simulator, tmp_path):
    sim = simulator
    sim.reset()
    truths = {tenant['name']: tenant for tenant in sim.truth()['tenants']}
    northwind, zurich = truths['Northwind Logistics'], truths['Zürich Kliniken']
    sim.fault(path='device-inventory$', status=200, body='custom', count=-1, tenant=northwind['id'],
              json={'items': ['CNK7JSS2XY', {'serialNumber': 'x'}], 'count': 2, 'total': 2, 'next': None})
    sites = sim.truth(zurich['id'], 'sites-health')
    bad_sites = [dict(sites[0], health='Good', devices={'count': 'nine'})] + sites[1:]
    sim.fault(path='sites-health$', status=200, body='custom', count=-1, tenant=zurich['id'],
              json={'items': bad_sites, 'count': len(bad_sites), 'offset': 0, 'total': len(bad_sites)})
    env = ansible_env(dict(sim.env(), **FAIL_ON_UNPARSED), tmp=str(tmp_path))

    source = write(tmp_path / 'counts.central_msp.yml', TENANTS_SOURCE + 'with_device_counts: true\n')
    run = run_inventory(source, env)
    assert run.rc == 0, run.output[-3000:]
    hostvars = run.results['_meta']['hostvars']
    assert hostvars['Northwind_Logistics']['msp_device_counts'] is None
    assert sum(hostvars['Acme_Retail_Group']['msp_device_counts'].values()) == \
        len(sim.truth(truths['Acme Retail Group']['id'], 'device-inventory'))
    stderr = ' '.join(run.stderr.split())
    assert 'msp_device_counts is null for 1 tenant that' in stderr and '1 item that is not a JSON object' in stderr

    out = str(tmp_path / 'reports')
    overview = run_playbook(OVERVIEW, env, inventory=source, args=('-f', '10'), extra_vars={
        'msp_overview_output_dir': out, 'msp_overview_kinds': ['sites', 'devices'], 'msp_overview_details': False})
    assert overview.rc == 0, overview.output[-3000:]
    with open(os.path.join(out, 'msp_overview.json'), encoding='utf-8') as handle:
        report = json.load(handle)
    by_name = {entry['name']: entry for entry in report['tenants']}
    assert len(by_name) == len(truths)
    assert by_name['Northwind Logistics']['status'] == 'failed'
    assert 'returned 1 item that is not' in by_name['Northwind Logistics']['error']
    assert by_name['Zürich Kliniken']['status'] == 'failed'
    assert "with health of the wrong type (str: 'Good')" in by_name['Zürich Kliniken']['error']
    for name in ('Acme Retail Group', "Bistro d'Or"):
        entry = by_name[name]
        assert entry['status'] == 'ok' and entry['summary']['sites']['total'] == len(
            sim.truth(truths[name]['id'], 'sites-health'))
    assert by_name['Harbor View Dental']['status'] == 'not_provisioned'
    assert report['totals']['tenants']['failed'] == 2 and report['totals']['tenants']['ok'] == 2
    assert all(os.path.exists(os.path.join(out, name)) for name in ('msp_overview.csv', 'msp_overview.html'))

    # fields on a page holding a string: that tenant's failure, the others' items cut to the fields asked for.
    run = play(sim, '''
        - name: serials only
          central.msp.tenant_device_info: {all_tenants: true, allow_partial: true, fields: [serialNumber]}
    ''', tmp_path, ignore_errors=False)
    answer = result(run, 'serials only')
    listed = {entry['name']: entry for entry in answer['tenants']}
    northwind_entry, acme_entry = listed['Northwind Logistics'], listed['Acme Retail Group']
    assert northwind_entry['failed'] is True and '1 item that is not a JSON object' in northwind_entry['msg']
    acme_devices = sim.truth(truths['Acme Retail Group']['id'], 'device-inventory')
    assert acme_entry['devices'] == [{'serialNumber': device['serialNumber']} for device in acme_devices]
    assert answer['failed_tenants'] == 1


def test_a_tenant_named_with_the_client_secret_is_masked_beside_tenants_whose_items_were_scanned_early(
        simulator_factory, tmp_path):
    # all_tenants searches each tenant's items for no_log values as they arrive and leaves them out of the final
    # search of the result: what lies outside them (here the tenant's name) must still be masked.
    sim = simulator_factory('--dataset', 'demo')
    secret = sim.info['client_secret']
    echo = sim.fault(action='add_tenant', name='Echo %s' % secret, devices=3)
    run = play(sim, '''
        - name: every tenant
          central.msp.tenant_device_info: {all_tenants: true, allow_partial: true}
    ''', tmp_path)
    fleet = result(run, 'every tenant')
    entry = next(entry for entry in fleet['tenants'] if entry['workspace_id'] == echo['id'])
    assert entry['name'] == 'Echo ********'
    assert entry['count'] == 3 and len(entry['devices']) == 3
    others = [entry for entry in fleet['tenants'] if entry['workspace_id'] != echo['id'] and entry['count']]
    assert others and all(len(entry['devices']) == entry['count'] for entry in others)


def test_a_tenant_named_with_the_client_secret_is_masked_in_every_report_file(simulator_factory, tmp_path):
    # The overview writes each tenant's part of the reports as soon as it is read, before the task's result is
    # masked: what it writes must be masked already.
    sim = simulator_factory('--dataset', 'demo')
    secret = sim.info['client_secret']
    echo = sim.fault(action='add_tenant', name='Echo %s' % secret, devices=3)
    env = ansible_env(sim.env(), tmp=str(tmp_path))
    out = str(tmp_path / 'reports')
    source = write(tmp_path / 'tenants.central_msp.yml', TENANTS_SOURCE)
    overview = run_playbook(OVERVIEW, env, inventory=source, args=('-f', '10'),
                            extra_vars={'msp_overview_output_dir': out})
    assert overview.rc == 0, overview.output[-3000:]
    with open(os.path.join(out, 'msp_overview.json'), encoding='utf-8') as handle:
        report = json.load(handle)
    entry = next(entry for entry in report['tenants'] if entry['workspace_id'] == echo['id'])
    assert entry['name'] == 'Echo ********' and entry['status'] == 'ok'
    assert entry['summary']['devices']['total'] == 3 and len(entry['details']['devices']) == 3
    written = {}
    for folder, _dirs, names in os.walk(out):
        for name in names:
            with open(os.path.join(folder, name), encoding='utf-8') as handle:
                written[os.path.relpath(os.path.join(folder, name), out)] = handle.read()
    written.update(('msp_overview.html ' + name, text) for name, text in index_islands(written['msp_overview.html']).items())
    assert 'tenants/%s.html' % echo['id'] in written and len(written) > 10
    assert_absent(secrets_of(sim), dict(written, output=overview.output))
