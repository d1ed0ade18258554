"""Classic Central through real ansible-playbook / ansible-inventory runs against the simulator's Classic gateway:
the modules' and the inventory's data exactly, the overview's report, 20 forks on an expired store, recovery, the
daily quota, and a leak scan at -vvvv that includes every access and refresh token."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat

import pytest

from tests.helpers import ROOT, ansible_env, run_inventory, run_playbook
from tests.integration.fault_checks import assert_absent, classic_secrets, failure, inventory, result, write

SOURCE = os.path.join(ROOT, 'playbooks', 'inventory', 'simulator.classic_customers.yml')
OVERVIEW = os.path.join(ROOT, 'playbooks', 'classic_overview.yml')
KEEPALIVE = os.path.join(ROOT, 'playbooks', 'classic_keepalive.yml')
PLAY = '''---
- name: classic checks
  hosts: {hosts}
  connection: local
  gather_facts: false
  ignore_errors: true
  tasks:
'''


@pytest.fixture
def sim(simulator):
    simulator.classic('POST', 'reset', {'tokens': True})
    return simulator


def unsafe_text(value):
    """A --list value: strings from the API come out as {"__ansible_unsafe": text}."""
    return value['__ansible_unsafe'] if isinstance(value, dict) and '__ansible_unsafe' in value else value


def counters(sim):
    return sim.classic('GET', 'stats?log=0')['classic']


def env_for(sim, tmp, token=None, grant=False, **extra):
    return ansible_env(dict(sim.classic_env(token, grant), **extra), tmp=str(tmp))


def classic_play(sim, env, tasks, hosts='localhost', inventory='localhost,', args=()):
    text = PLAY.format(hosts=hosts) + ''.join('    ' + line + '\n' for line in tasks.strip('\n').split('\n'))
    run = run_playbook(text, env, inventory=inventory, args=args)
    assert_absent(classic_secrets(sim), {'the output': run.output, 'the task results': json.dumps(run.results)})
    return run


def truth(sim):
    data = sim.classic('GET', 'truth')
    return {c['customer_name']: c for c in data['customers']}, data


def expected_record(item):
    app = item['application_instances'][0]
    return {'customer_id': item['customer_id'], 'name': item['customer_name'], 'description': item['description'],
            'group_id': item['group']['id'], 'group_name': item['group']['name'],
            'account_status': item['account_status'], 'provision_status': app['provision_status'],
            'region': app['region'], 'created_at': item['created_at'], 'updated_at': item['updated_at']}


def store_files(tmp):
    folder = os.path.join(str(tmp), 'token-cache')
    return {name: os.path.join(folder, name) for name in os.listdir(folder) if name.endswith('.json')}


def token_store(tmp):
    found = [path for path in store_files(tmp).values() if 'refresh_token' in open(path, encoding='utf-8').read()]
    assert len(found) == 1, found
    return found[0]


def test_modules_return_the_simulator_data_exactly(sim, tmp_path):
    by_name = truth(sim)[0]
    acme, bistro = by_name['Acme Retail'], by_name['Bistro Group']
    run = classic_play(sim, env_for(sim, tmp_path), '''
- name: customers
  central.msp.classic_customer_info:
- name: one customer by name
  central.msp.classic_customer_info: {name: Bistro Group}
- name: devices
  central.msp.classic_device_info: {customer: Acme Retail, limit: 2}
- name: switches only
  central.msp.classic_device_info: {customer_id: %(acme)s, device_type: [switch]}
- name: clients of two customers
  central.msp.classic_client_info: {customers: [Acme Retail, %(bistro)s], limit: 3}
- name: alerts
  central.msp.classic_alert_info: {customer_id: %(acme)s}
- name: sites of every customer
  central.msp.classic_site_info: {all_customers: true, concurrency: 4}
- name: customers through api_call
  central.msp.classic_api_call: {path: msp_api/v1/customers, params: {limit: 50}, paginate: true}
- name: aps through api_call
  central.msp.classic_api_call: {customer: Acme Retail, path: /monitoring/v2/aps, params: {limit: 3}, paginate: true}
- name: a write in check mode
  central.msp.classic_api_call: {customer: Acme Retail, method: POST, path: central/v1/notifications, body: {a: 1}}
  check_mode: true
- name: ambiguous name
  central.msp.classic_site_info: {customer: Initech}
- name: unknown name
  central.msp.classic_site_info: {customer: acme retail}
- name: not a customer
  central.msp.classic_site_info: {customer_id: ffffffffffffffffffffffffffffffff}
- name: refused path
  central.msp.classic_api_call: {path: "https://elsewhere.example/x"}
''' % {'acme': acme['customer_id'], 'bistro': bistro['customer_id']})
    customers = result(run, 'customers')
    expected = sorted((expected_record(c) for c in by_name.values() if c['customer_name'] != 'Initech'),
                      key=lambda r: r['name'].casefold())
    initech = [expected_record(c) for c in sim.classic('GET', 'truth')['customers'] if c['customer_name'] == 'Initech']
    assert [c for c in customers['customers'] if c['name'] != 'Initech'] == expected
    assert sorted(c['customer_id'] for c in customers['customers'] if c['name'] == 'Initech') == \
        sorted(c['customer_id'] for c in initech)
    assert customers['count'] == 55
    assert result(run, 'one customer by name')['customers'] == [expected_record(bistro)]

    def items(customer, kind):
        return sim.classic('GET', 'truth/%s/%s' % (customer['customer_id'], kind))

    devices = result(run, 'devices')
    assert devices['customer'] == {'name': 'Acme Retail', 'customer_id': acme['customer_id']}
    assert devices['devices'] == [dict(d, device_type='AP') for d in items(acme, 'aps')] + \
        [dict(d, device_type='SWITCH') for d in items(acme, 'switches')] + \
        [dict(d, device_type='GATEWAY') for d in items(acme, 'gateways')]
    assert result(run, 'switches only')['devices'] == [dict(d, device_type='SWITCH') for d in items(acme, 'switches')]
    assert result(run, 'switches only')['customer'] == {'name': None, 'customer_id': acme['customer_id']}

    clients = result(run, 'clients of two customers')
    assert [entry['name'] for entry in clients['customers']] == ['Acme Retail', 'Bistro Group']
    for entry, customer in zip(clients['customers'], (acme, bistro)):
        every = items(customer, 'clients')
        assert entry['clients'] == [c for c in every if c['client_type'] == 'WIRELESS'] + \
            [c for c in every if c['client_type'] == 'WIRED']
        assert entry['failed'] is False
    assert result(run, 'alerts')['alerts'] == items(acme, 'notifications')

    sites = result(run, 'sites of every customer')
    assert sites['failed_customers'] == 0 and len(sites['customers']) == 55
    for entry in sites['customers']:
        assert entry['sites'] == sim.classic('GET', 'truth/%s/sites' % entry['customer_id'])

    listed = result(run, 'customers through api_call')
    assert listed['pages'] == 2 and listed['json']['count'] == 55 and listed['json']['total'] == 55
    aps = result(run, 'aps through api_call')
    assert aps['json']['items'] == items(acme, 'aps') and aps['customer']['name'] == 'Acme Retail'
    assert 'x-ratelimit-remaining-second' in aps['headers']
    check = result(run, 'a write in check mode', 'ok')
    assert check['changed'] is True and 'not sent' in check['msg']
    assert not [e for e in sim.classic('GET', 'stats')['requests_log'] if e['method'] == 'POST'
                and e['path'].startswith('/central/')]

    failure(run, 'ambiguous name', "Customer name 'Initech' is ambiguous: 2 customers have it", 'Use customer_id')
    failure(run, 'unknown name', "No customer named 'acme retail'", "'Acme Retail'")
    failure(run, 'not a customer', 'HTTP 403', 'not a customer of this MSP')
    failure(run, 'refused path', 'is refused', 'relative')


def test_inventory_hosts_and_variables_exactly(sim, tmp_path):
    by_name, data = truth(sim)
    run = run_inventory(SOURCE, env_for(sim, tmp_path))
    assert run.rc == 0, run.stderr[-3000:]
    listed = run.results
    hostvars = listed['_meta']['hostvars']
    assert len(hostvars) == 55
    # Two customers named Initech: the one created first keeps the plain name.
    initech = sorted((c for c in data['customers'] if c['customer_name'] == 'Initech'), key=lambda c: c['created_at'])
    assert sorted(name for name in hostvars if name.startswith('Initech')) == \
        ['Initech', 'Initech_' + initech[1]['customer_id'][:8]]
    assert unsafe_text(hostvars['Initech']['classic_customer_id']) == initech[0]['customer_id']
    acme = hostvars['Acme_Retail']
    # Every string from the API is marked unsafe (never templated).
    assert {k: unsafe_text(v) for k, v in acme.items() if k.startswith('classic_')} == {
        'classic_customer_id': by_name['Acme Retail']['customer_id'], 'classic_customer_name': 'Acme Retail',
        'classic_group_id': 100, 'classic_group_name': 'Retail', 'classic_provision_status': 'provisioned',
        'classic_region': 'US-2', 'classic_account_status': 'active'}
    assert unsafe_text(hostvars["O_Brien_Sons"]['classic_customer_name']) == "O'Brien & Sons"
    assert listed['classic_not_provisioned']['hosts'] == ['Umbrella_Test']
    assert len(listed['classic_provisioned']['hosts']) == 54
    assert sorted(listed['group_Retail']['hosts']) == sorted(
        name for name, host in hostvars.items() if unsafe_text(host['classic_group_name']) == 'Retail')
    assert_absent(classic_secrets(sim), {'the inventory': run.stdout + run.stderr})


def test_twenty_forks_on_an_expired_store_refresh_once(sim, tmp_path):
    env = env_for(sim, tmp_path)
    seeded = classic_play(sim, env, '- name: seed\n  central.msp.classic_customer_info:')
    assert result(seeded, 'seed')['count'] == 55
    # The access token expired: in the gateway, and in the store (as two hours later).
    sim.classic('POST', 'faults', {'action': 'expire_access_tokens'})
    path = token_store(tmp_path)
    record = json.load(open(path, encoding='utf-8'))
    record.update(issued_at=1.0, expires_at=2.0)
    write(path, json.dumps(record), 0o600)
    sim.classic('POST', 'reset', {})
    hosts = ['Customer_%03d' % n for n in range(1, 21)]
    # Half of the forks run the task in the controller's worker (the action plugin), half as a module process:
    # the store's lock holds across both.
    run = classic_play(sim, env, '''
- name: sites
  central.msp.classic_site_info: {customer_id: "{{ classic_customer_id }}"}
  vars:
    central_msp_execution: "{{ 'module' if inventory_hostname[-1] | int is even else 'controller' }}"
''', hosts=':'.join(hosts), inventory=SOURCE, args=('-f', '20', '-vvv'))
    entries = run.task('sites')
    assert sorted(entry['host'] for entry in entries) == sorted(hosts)
    module_hosts = set(re.findall(r'<(Customer_\d+)> .*AnsiballZ_classic_site_info', run.output))
    assert module_hosts == {host for host in hosts if int(host[-1]) % 2 == 0}
    assert all(entry['status'] == 'ok' for entry in entries), [e['result'].get('msg') for e in entries]
    for entry in entries:
        assert entry['result']['sites'] == sim.classic('GET', 'truth/%s/sites' % entry['result']['customer']['customer_id'])
    stats = counters(sim)
    assert stats.get('refreshes') == 1, stats
    assert stats.get('rotated_refresh_token_uses', 0) == 0
    # One budget for all forks: they waited for each other instead of being refused by the gateway. Twenty calls
    # at once without it would see 13 refused; a few may still be, when a fork is descheduled between taking
    # its slot and sending.
    log = sim.classic('GET', 'stats')['requests_log']
    assert len([e for e in log if e['status'] == 429]) <= 6, stats
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_keepalive_from_ten_forks_on_both_paths_rotates_in_turn(sim, tmp_path):
    """Every fork refreshes (older_than_hours: 0), half in the controller's worker, half as a module process: each
    takes the store's lock and rotates the bundle the previous one wrote, so no refresh token is sent twice."""
    env = env_for(sim, tmp_path)
    classic_play(sim, env, '- name: seed\n  central.msp.classic_customer_info:')
    sim.classic('POST', 'reset', {})
    hosts = ['Customer_%03d' % n for n in range(1, 11)]
    run = classic_play(sim, env, '''
- name: keep-alive
  central.msp.classic_token_refresh: {older_than_hours: 0}
  vars:
    central_msp_execution: "{{ 'module' if inventory_hostname[-1] | int is even else 'controller' }}"
''', hosts=':'.join(hosts), inventory=SOURCE, args=('-f', '10', '-vvv'))
    entries = run.task('keep-alive')
    assert [entry['status'] for entry in entries] == ['ok'] * len(hosts), [e['result'].get('msg') for e in entries]
    module_hosts = set(re.findall(r'<(Customer_\d+)> .*AnsiballZ_classic_token_refresh', run.output))
    assert module_hosts == {host for host in hosts if int(host[-1]) % 2 == 0}
    stats = counters(sim)
    assert (stats.get('refreshes'), stats.get('rotated_refresh_token_uses', 0)) == (len(hosts), 0), stats


def test_revoked_refresh_token_recovery_and_clear_failure(sim, tmp_path):
    token = sim.classic('POST', 'faults', {'action': 'issue_token'})['token']
    plain = env_for(sim, tmp_path, token)
    with_grant = env_for(sim, tmp_path, token, grant=True)
    classic_play(sim, plain, '- name: seed\n  central.msp.classic_customer_info:')
    sim.classic('POST', 'faults', {'action': 'revoke_refresh_tokens'})
    sim.classic('POST', 'faults', {'action': 'expire_access_tokens'})
    before = open(token_store(tmp_path), encoding='utf-8').read()
    run = classic_play(sim, plain, '- name: no grant\n  central.msp.classic_site_info: {customer: Acme Retail}')
    failure(run, 'no grant', 'refresh token was refused', 'Generate a new token in Central',
            'username and password', 'keep token_cache_dir on persistent storage')
    assert open(token_store(tmp_path), encoding='utf-8').read() == before
    run = classic_play(sim, with_grant, '- name: grant\n  central.msp.classic_site_info: {customer: Acme Retail}')
    assert result(run, 'grant')['count'] == len(sim.classic('GET', 'truth/%s/sites' % result(
        run, 'grant')['customer']['customer_id']))
    stats = counters(sim)
    assert stats['grants'] == 1 and stats.get('rotated_refresh_token_uses', 0) == 0


def test_refresh_cut_half_way_loses_nothing(sim, tmp_path):
    env = env_for(sim, tmp_path)
    classic_play(sim, env, '- name: seed\n  central.msp.classic_customer_info:')
    sim.classic('POST', 'faults', {'action': 'expire_access_tokens'})
    before = open(token_store(tmp_path), encoding='utf-8').read()
    sim.classic('POST', 'faults', {'path': '^/oauth2/token$', 'reset_connection': True, 'count': 1})
    run = classic_play(sim, env, '''
- name: cut
  central.msp.classic_customer_info:
- name: again
  central.msp.classic_customer_info:
''')
    failure(run, 'cut', 'Classic Central token refresh failed: connection failed')
    assert result(run, 'again')['count'] == 55
    assert open(token_store(tmp_path), encoding='utf-8').read() != before
    stats = counters(sim)
    assert stats['refreshes'] == 1 and stats.get('rotated_refresh_token_uses', 0) == 0


def test_daily_quota_spent_stops_with_the_reset_time(sim, tmp_path):
    env = env_for(sim, tmp_path)
    sim.classic('POST', 'faults', {'action': 'spend_quota'})
    run = classic_play(sim, env, '''
- name: spent
  central.msp.classic_site_info: {customer: Acme Retail}
- name: keep-alive still refreshes
  central.msp.classic_token_refresh: {older_than_hours: 0}
''')
    message = failure(run, 'spent', 'daily API quota of 5000 calls', 'shared by all customers', '00:00 UTC')
    assert 'resets at' in message
    keepalive = result(run, 'keep-alive still refreshes')
    assert keepalive['changed'] is True and keepalive['refreshed'] is True and keepalive['token']['refresh_token_revoked_after']


def test_keepalive_playbook_refreshes_once_a_day(sim, tmp_path):
    env = env_for(sim, tmp_path)
    first = run_playbook(KEEPALIVE, env)
    second = run_playbook(KEEPALIVE, env)
    assert first.rc == 0 and second.rc == 0, first.output[-2000:]
    assert first.one('Refresh the token bundle when the last refresh is older than a day')['result']['refreshed'] is True
    assert second.one('Refresh the token bundle when the last refresh is older than a day')['result']['refreshed'] is False
    assert counters(sim)['refreshes'] == 1


def test_example_playbook_runs_as_documented(sim, tmp_path):
    by_name = truth(sim)[0]
    acme = by_name['Acme Retail']['customer_id']
    run = run_playbook(os.path.join(ROOT, 'playbooks', 'examples', 'classic_customer.yml'), env_for(sim, tmp_path),
                       args=('-c', 'local'))
    assert run.rc == 0, run.output[-3000:]
    devices = [d for kind in ('aps', 'switches', 'gateways') for d in sim.classic('GET', 'truth/%s/%s' % (acme, kind))]
    down = [d['name'] for d in devices if d['status'] == 'Down']
    assert [d['name'] for d in run.one("Read the customer's devices that are down")['result']['devices']] == down
    alerts = sim.classic('GET', 'truth/%s/notifications' % acme)
    assert run.one("Read the customer's critical alerts")['result']['alerts'] == [
        a for a in alerts if a['severity'] == 'Critical']
    clients = [c for c in sim.classic('GET', 'truth/%s/clients' % acme) if c['client_type'] == 'WIRELESS']
    assert run.one("Read the customer's wireless clients, every page")['result']['json']['items'] == clients


def overview_inventory(tmp_path):
    return write(tmp_path / 'overview.classic_customers.yml', 'plugin: central.msp.classic_customers\n'
                 'include: ["Acme Retail", "Bistro Group", "O*Sons", "Umbrella Test", "Globex Labs"]\n')


def test_overview_reports_the_simulator_data_exactly(sim, tmp_path):
    env = env_for(sim, tmp_path)
    out = tmp_path / 'reports'
    run = run_playbook(OVERVIEW, env, inventory=overview_inventory(tmp_path), args=('-f', '5'),
                       extra_vars={'msp_overview_output_dir': str(out)})
    assert run.rc == 0, run.output[-3000:]
    report = json.loads((out / 'msp_overview.json').read_text())
    by_name = truth(sim)[0]
    tenants = {t['name']: t for t in report['tenants']}
    assert sorted(tenants) == ['Acme Retail', 'Bistro Group', 'Globex Labs', "O'Brien & Sons", 'Umbrella Test']
    assert tenants['Umbrella Test']['status'] == 'not_provisioned'
    assert report['totals']['tenants']['ok'] == 4 and report['totals']['tenants']['failed'] == 0
    fleet = {'devices': 0, 'clients': 0, 'alerts': 0}
    for name, entry in tenants.items():
        if name == 'Umbrella Test':
            continue
        cid = by_name[name]['customer_id']
        assert entry['workspace_id'] == cid
        kinds = {kind: sim.classic('GET', 'truth/%s/%s' % (cid, kind)) for kind in
                 ('sites', 'aps', 'switches', 'gateways', 'clients', 'notifications')}
        devices = kinds['aps'] + kinds['switches'] + kinds['gateways']
        summary = entry['summary']
        assert summary['devices']['total'] == len(devices)
        assert summary['devices']['by_type'] == {'ACCESS_POINT': len(kinds['aps']), 'SWITCH': len(kinds['switches']),
                                                 'GATEWAY': len(kinds['gateways'])}
        down = sum(1 for d in devices if d['status'] == 'Down')
        assert summary['devices']['by_status'] == {'ONLINE': len(devices) - down, 'OFFLINE': down}
        poor_sites = {d['site'] for d in devices if d['status'] == 'Down'}
        assert summary['sites']['total'] == len(kinds['sites']) and summary['sites']['poor'] == len(poor_sites)
        wireless = sum(1 for c in kinds['clients'] if c['client_type'] == 'WIRELESS')
        assert summary['clients']['by_connection_type'] == {'Wireless': wireless,
                                                            'Wired': len(kinds['clients']) - wireless}
        active = [n for n in kinds['notifications'] if not n['acknowledged']]
        assert summary['alerts']['active'] == len(active)
        for level in ('Critical', 'Major', 'Minor'):
            assert summary['alerts']['by_severity'][level] == sum(1 for n in active if n['severity'] == level)
        assert sorted(a['id'] for a in entry['active_alerts']) == sorted(n['id'] for n in active)
        fleet['devices'] += len(devices)
        fleet['clients'] += len(kinds['clients'])
        fleet['alerts'] += len(kinds['notifications'])
    assert report['totals']['devices']['total'] == fleet['devices']
    assert report['totals']['clients']['total'] == fleet['clients']
    assert report['totals']['alerts']['total'] == fleet['alerts']
    rows = list(csv.DictReader(io.StringIO((out / 'msp_overview.csv').read_text())))
    assert [row['tenant'] for row in rows] == [t['name'] for t in report['tenants']]
    html = (out / 'msp_overview.html').read_text()
    # Every customer is on the page, its name escaped (the page writer's rules, whatever entity it uses).
    assert 'Acme Retail' in html and 'Brien' in html and "O'Brien & Sons" not in html


def files_under(top, skip):
    found = {}
    for folder, subfolders, names in os.walk(top):
        subfolders[:] = [name for name in subfolders if os.path.join(folder, name) != skip]
        for name in names:
            with open(os.path.join(folder, name), encoding='utf-8', errors='replace') as handle:
                found[os.path.join(folder, name)] = handle.read()
    return found


def test_nothing_leaks_at_the_highest_verbosity(sim, tmp_path):
    work = tmp_path / 'run'
    log = str(work / 'ansible.log')
    env = env_for(sim, work, grant=True, ANSIBLE_LOG_PATH=log)
    info = sim.info['classic']
    token_file = write(tmp_path / 'token.yaml', 'central_info:\n  base_url: %s\n  client_id: %s\n  client_secret: %s\n'
                       '  customer_id: %s\n  username: %s\n  password: "%s"\n' % (
                           info['base_url'], info['client_id'], info['client_secret'], info['msp_customer_id'],
                           info['username'], info['password']), 0o600)
    listed = inventory([SOURCE], env, ('--list', '-vvvv'))
    assert listed.rc == 0, listed.stderr[-2000:]
    overview = run_playbook(OVERVIEW, env, inventory=overview_inventory(tmp_path), args=('-vvvv', '-f', '5'),
                            extra_vars={'msp_overview_output_dir': str(work / 'reports')})
    assert overview.rc == 0, overview.output[-2000:]
    plays = {}
    # Each task runs in the controller (the action plugin), then again as a module process.
    for execution in ('controller', 'module'):
        run = classic_play(sim, env, '''
- name: every token expires
  ansible.builtin.uri: {url: "%(admin)s/faults", method: POST, body_format: json, body: {action: expire_access_tokens}}
- name: refreshed on the way
  central.msp.classic_device_info: {all_customers: true, allow_partial: true}
- name: revoked refresh tokens
  ansible.builtin.uri: {url: "%(admin)s/faults", method: POST, body_format: json, body: {action: revoke_refresh_tokens}}
- name: and expired access tokens
  ansible.builtin.uri: {url: "%(admin)s/faults", method: POST, body_format: json, body: {action: expire_access_tokens}}
- name: recovered by the grant, from a token file
  central.msp.classic_api_call:
    {token_file: "%(token_file)s", path: monitoring/v2/aps, customer: Acme Retail, headers: {TenantID: x}}
- name: keep-alive
  central.msp.classic_token_refresh: {older_than_hours: 0}
- name: wrong password
  central.msp.classic_customer_info: {password: not-it, access_token: dead, refresh_token: dead-too,
                                      token_cache_dir: "%(other)s"}
- name: refused call
  central.msp.classic_api_call: {path: monitoring/v1/nothing-here}
    ''' % {'admin': info['admin_url'], 'token_file': token_file, 'other': str(tmp_path / 'other-store')},
            args=('-vvvv', '-e', 'central_msp_execution=%s' % execution))
        assert result(run, 'refreshed on the way')['count'] > 0
        assert result(run, 'recovered by the grant, from a token file')['status'] == 200
        failure(run, 'wrong password', 'Classic Central OAuth login', 'HTTP 401')
        failure(run, 'refused call', 'HTTP 404')
        assert result(run, 'keep-alive')['refreshed'] is True
        plays[execution] = run
    assert 'AnsiballZ_classic_device_info' not in plays['controller'].output
    assert 'AnsiballZ_classic_device_info' in plays['module'].output
    secrets = classic_secrets(sim)
    stats = counters(sim)
    # Two refreshes and a grant on each path; never a rotated-out refresh token sent.
    assert stats['refreshes'] == 4 and stats['grants'] == 2 and stats.get('rotated_refresh_token_uses', 0) == 0
    # Access tokens, refresh tokens, session and csrf cookies, auth codes: at least one of each was issued.
    assert len(secrets) >= 2 + 2 * 4 + 3
    store = os.path.join(str(work), 'token-cache')
    texts = {'the inventory output': listed.output, 'the overview output': overview.output,
             'the task results': json.dumps(overview.results)}
    for execution, run in plays.items():
        texts.update({'the play output (%s)' % execution: run.output,
                      'the task results (%s)' % execution: json.dumps(run.results)})
    texts.update({'file %s' % os.path.relpath(path, str(work)): text for path, text in files_under(str(work), store).items()})
    assert log in files_under(str(work), store)
    assert_absent(secrets, texts)
    assert stat.S_IMODE(os.stat(store).st_mode) == 0o700
    for path in store_files(work).values():
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_tls_gateway_with_a_private_ca(simulator_tls, tmp_path):
    sim = simulator_tls
    env = ansible_env(sim.classic_env(), tmp=str(tmp_path))
    assert env['CLASSIC_CENTRAL_BASE_URL'].startswith('https://') and env['CLASSIC_CENTRAL_CA_PATH']
    run = classic_play(sim, env, '''
- name: over TLS
  central.msp.classic_customer_info: {name: Acme Retail}
- name: without the CA
  central.msp.classic_customer_info: {ca_path: "", name: Acme Retail, token_cache_dir: "%s"}
''' % (tmp_path / 'other'))
    assert result(run, 'over TLS')['count'] == 1
    failure(run, 'without the CA', 'TLS verification failed', 'ca_path')
