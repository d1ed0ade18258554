"""The central.msp.tenants inventory plugin, run as ansible-inventory / ansible-playbook against the simulator.

Stored outputs: tests/integration/expected/. After a deliberate change, rewrite them with
    UPDATE_EXPECTED=1 python -m pytest tests/integration/test_inventory.py
and review the diff before committing.
"""

import os

import pytest

from tests.helpers import ROOT, ansible_env, run_inventory, run_playbook

SIMULATOR_INVENTORY = os.path.join(ROOT, 'playbooks', 'inventory', 'simulator.central_msp.yml')
PER_TENANT_PLAYBOOK = os.path.join(ROOT, 'playbooks', 'examples', 'per_tenant_hosts.yml')
EXPECTED = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'expected')
UPDATE_EXPECTED = os.environ.get('UPDATE_EXPECTED') == '1'
ENV_ONLY = 'plugin: central.msp.tenants\n'
CACHED = ENV_ONLY + 'cache: true\ncache_plugin: ansible.builtin.jsonfile\ncache_connection: {cache_dir}\n'
# Ansible only warns about a source that fails to parse; this makes it fail as AWX inventory updates do.
FAIL_ON_UNPARSED = {'ANSIBLE_INVENTORY_UNPARSED_FAILED': 'true'}


@pytest.fixture
def env(simulator, tmp_path):
    simulator.reset()
    # No retries: an injected failure must show at once, not after back-off.
    return ansible_env(dict(simulator.env(), CENTRAL_MAX_RETRIES='0'), tmp=str(tmp_path))


def inventory_file(directory, text, name='tenants.central_msp.yml'):
    path = os.path.join(str(directory), name)
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write(text)
    return path


def requests_made(sim):
    return sim.stats(log=False)['requests']


def hosts_of(inventory, group):
    return inventory.get(group, {}).get('hosts', [])


def unsafe_text(value):
    """A --list value: strings from the API come out as {"__ansible_unsafe": text}."""
    return value['__ansible_unsafe'] if isinstance(value, dict) and '__ansible_unsafe' in value else value


def assert_matches_stored(name, text):
    path = os.path.join(EXPECTED, name)
    if UPDATE_EXPECTED:
        os.makedirs(EXPECTED, exist_ok=True)
        with open(path, 'w', encoding='utf-8') as handle:
            handle.write(text)
    with open(path, encoding='utf-8') as handle:
        assert text == handle.read(), '%s differs from the stored output (UPDATE_EXPECTED=1 rewrites it)' % name


# ---- stored outputs ------------------------------------------------------------------------------------------

@pytest.mark.parametrize('args, stored', [(('--list',), 'simulator_inventory_list.json'),
                                          (('--graph',), 'simulator_inventory_graph.txt')])
def test_example_inventory_matches_stored_output(env, args, stored):
    run = run_inventory(SIMULATOR_INVENTORY, env, args)
    assert run.rc == 0, run.output
    assert 'WARNING' not in run.stderr, run.stderr
    assert_matches_stored(stored, run.stdout)


# ---- the plain, environment-only inventory -------------------------------------------------------------------

@pytest.fixture(scope='module')
def plain(simulator, tmp_path_factory):
    """ansible-inventory --list of a file that holds only `plugin:`, everything else from the environment."""
    simulator.reset()
    tmp = tmp_path_factory.mktemp('plain')
    run = run_inventory(inventory_file(tmp, ENV_ONLY), ansible_env(simulator.env(), tmp=str(tmp)))
    assert run.rc == 0, run.output
    return run


def test_env_only_configuration_makes_one_host_per_tenant(plain, simulator):
    truth = simulator.truth()['tenants']
    hostvars = plain.results['_meta']['hostvars']
    assert sorted(unsafe_text(v['msp_workspace_id']) for v in hostvars.values()) == sorted(t['id'] for t in truth)
    assert sorted(hosts_of(plain.results, 'msp_tenants')) == sorted(hostvars)
    provisioned = sorted(t['name'] for t in truth if t['central_id'])
    assert sorted(unsafe_text(hostvars[h]['msp_tenant_name']) for h in hosts_of(plain.results, 'central_provisioned')) \
        == provisioned
    for host, tenant_vars in hostvars.items():
        assert tenant_vars['ansible_connection'] in ('local', {'__ansible_unsafe': 'local'})
        assert tenant_vars['ansible_python_interpreter'] == '{{ ansible_playbook_python }}'
        assert 'msp_device_counts' not in tenant_vars  # only with with_device_counts


def test_central_summary_is_joined_by_name(plain, simulator):
    hostvars = plain.results['_meta']['hostvars']
    by_name = {unsafe_text(v['msp_tenant_name']): v for v in hostvars.values()}
    for tenant in simulator.truth()['tenants']:
        tenant_vars = by_name[tenant['name']]
        central = tenant['central']
        if central is None:
            assert tenant_vars['msp_central_provisioned'] is False and tenant_vars['msp_alerts'] is None
            continue
        assert unsafe_text(tenant_vars['msp_central_tenant_id']) == central['tenantId']
        assert tenant_vars['msp_sites_total'] == central['totalSites']
        assert tenant_vars['msp_sites_degraded'] == central['degradedSites']
        assert tenant_vars['msp_device_health'] == central['deviceHealthStatus']
        assert tenant_vars['msp_alerts'] == central['alerts']
    degraded = sorted(t['name'] for t in simulator.truth()['tenants'] if (t['central'] or {}).get('degradedSites'))
    assert sorted(unsafe_text(hostvars[h]['msp_tenant_name']) for h in hosts_of(plain.results, 'degraded')) == degraded


def test_names_with_apostrophes_and_non_ascii_letters_survive(plain):
    hostvars = plain.results['_meta']['hostvars']
    assert unsafe_text(hostvars['Bistro_d_Or']['msp_tenant_name']) == "Bistro d'Or"
    assert unsafe_text(hostvars['Z\u00fcrich_Kliniken']['msp_tenant_name']) == 'Z\u00fcrich Kliniken'


def test_no_credential_or_token_in_the_inventory(plain, simulator):
    secret = simulator.env()['GLP_CLIENT_SECRET']
    assert secret not in plain.output
    for token in simulator.stats(log=False)['issued_tokens']:
        assert token not in plain.output


# ---- constructed options, host names, filters ----------------------------------------------------------------

def test_compose_groups_keyed_groups_and_filters(env, tmp_path):
    path = inventory_file(tmp_path, ENV_ONLY + '''
exclude: ["Harbor*"]
keyed_groups:
  - key: msp_inventory_ownership | lower
    prefix: ownership
groups:
  has_critical: (msp_alerts.critical | default(0)) > 0
compose:
  sites_ok: msp_sites_total - msp_sites_degraded
  ansible_connection: "'ansible.builtin.local'"
''')
    run = run_inventory(path, env)
    assert run.rc == 0, run.output
    inventory, hostvars = run.results, run.results['_meta']['hostvars']
    assert sorted(hostvars) == ['Acme_Retail_Group', 'Bistro_d_Or', 'Northwind_Logistics', 'Z\u00fcrich_Kliniken']
    assert hosts_of(inventory, 'ownership_customer_owned_inventory') == ['Bistro_d_Or']
    assert sorted(hosts_of(inventory, 'has_critical')) == ['Bistro_d_Or', 'Northwind_Logistics']
    assert hostvars['Northwind_Logistics']['sites_ok'] == 3
    # compose overrides the connection default the plugin sets on msp_tenants.
    assert unsafe_text(hostvars['Acme_Retail_Group']['ansible_connection']) == 'ansible.builtin.local'


def test_workspace_id_hostnames_and_include(env, tmp_path, simulator):
    path = inventory_file(tmp_path, ENV_ONLY + 'hostnames: workspace_id\ninclude: ["Acme*", "Z*"]\n')
    run = run_inventory(path, env)
    assert run.rc == 0, run.output
    wanted = sorted(t['id'] for t in simulator.truth()['tenants'] if t['name'].startswith(('Acme', 'Z')))
    assert sorted(run.results['_meta']['hostvars']) == wanted


# ---- caching -------------------------------------------------------------------------------------------------

def test_cache_hit_makes_no_api_request(env, tmp_path, simulator):
    path = inventory_file(tmp_path, CACHED.format(cache_dir=tmp_path / 'inventory-cache'))
    first = run_inventory(path, env)
    assert first.rc == 0, first.output
    before = requests_made(simulator)
    assert before > 0

    again = run_inventory(path, env)
    assert again.rc == 0, again.output
    assert requests_made(simulator) == before, 'a cache hit must not call the API'
    assert again.stdout == first.stdout

    flushed = run_inventory(path, env, ('--list', '--flush-cache'))
    assert flushed.rc == 0 and requests_made(simulator) > before
    assert flushed.stdout == first.stdout


def test_cache_entry_is_not_served_to_another_secret(env, tmp_path, simulator):
    path = inventory_file(tmp_path, CACHED.format(cache_dir=tmp_path / 'inventory-cache'))
    assert run_inventory(path, env).rc == 0
    wrong = run_inventory(path, dict(env, GLP_CLIENT_SECRET='not-the-secret', **FAIL_ON_UNPARSED))
    assert wrong.rc != 0 and 'invalid_client' in wrong.output


# ---- failures ------------------------------------------------------------------------------------------------

def test_central_failure_gives_glp_hosts_with_a_warning_and_is_not_cached(env, tmp_path, simulator):
    path = inventory_file(tmp_path, CACHED.format(cache_dir=tmp_path / 'inventory-cache'))
    simulator.fault(path='list-tenants', status=503, count=-1)
    run = run_inventory(path, env)
    assert run.rc == 0, run.output
    assert "Central's tenant list failed" in run.stderr and 'HTTP 503' in run.stderr
    hostvars = run.results['_meta']['hostvars']
    assert len(hostvars) == len(simulator.truth()['tenants'])
    assert all(v['msp_central_provisioned'] is None and v['msp_alerts'] is None for v in hostvars.values())
    assert not hosts_of(run.results, 'central_provisioned') and not hosts_of(run.results, 'central_not_provisioned')

    simulator.reset()
    recovered = run_inventory(path, env)
    assert requests_made(simulator) > 0, 'a GLP-only inventory must not be served from the cache'
    assert len(hosts_of(recovered.results, 'central_provisioned')) == 4


def test_central_failure_is_an_error_with_require_central(env, tmp_path, simulator):
    simulator.fault(path='list-tenants', status=503, count=-1)
    run = run_inventory(inventory_file(tmp_path, ENV_ONLY + 'require_central: true\n'), dict(env, **FAIL_ON_UNPARSED))
    assert run.rc != 0
    assert "Central's tenant list failed" in run.stderr and 'require_central is on' in run.stderr


def test_strict_keeps_its_ansible_meaning(env, tmp_path, simulator):
    """strict is about compose/groups/keyed_groups (as in every constructed plugin), not about Central."""
    simulator.fault(path='list-tenants', status=503, count=-1)
    degraded = run_inventory(inventory_file(tmp_path, ENV_ONLY + 'strict: true\n'), dict(env, **FAIL_ON_UNPARSED))
    assert degraded.rc == 0, degraded.stderr
    assert "Central's tenant list failed" in degraded.stderr and 'require_central: true' in degraded.stderr
    assert len(degraded.results['_meta']['hostvars']) == len(simulator.truth()['tenants'])

    simulator.reset()
    bad_compose = ENV_ONLY + 'strict: true\ncompose:\n  broken: msp_no_such_variable.total\n'
    run = run_inventory(inventory_file(tmp_path, bad_compose, name='bad.central_msp.yml'), dict(env, **FAIL_ON_UNPARSED))
    assert run.rc != 0 and 'msp_no_such_variable' in run.stderr


def test_wrong_secret_is_a_clear_error_without_the_secret(env, tmp_path):
    path = inventory_file(tmp_path, ENV_ONLY)
    wrong = 'wr0ng-Secret-9f8e7d'
    run = run_inventory(path, dict(env, GLP_CLIENT_SECRET=wrong, **FAIL_ON_UNPARSED))
    assert run.rc != 0
    assert 'MSP token request' in run.stderr and 'HTTP 401 invalid_client' in run.stderr
    assert 'Check client_id and client_secret' in run.stderr
    assert 'Traceback' not in run.output
    assert wrong not in run.output and env['GLP_CLIENT_SECRET'] not in run.output

    # Ansible's default: the source fails with the same message and no tenant host appears.
    default = run_inventory(path, dict(env, GLP_CLIENT_SECRET=wrong))
    assert 'HTTP 401 invalid_client' in default.stderr and wrong not in default.output
    assert not default.results['_meta']['hostvars']


# ---- the per-tenant-host pattern -----------------------------------------------------------------------------

def test_per_tenant_playbook_reads_each_tenants_own_devices(env, simulator):
    run = run_playbook(PER_TENANT_PLAYBOOK, env, inventory=SIMULATOR_INVENTORY, args=('--forks', '5'))
    assert run.rc == 0, run.output
    entries = run.task("Read the tenant's device inventory")
    truth = simulator.truth()['tenants']
    assert len(entries) == len(truth)
    read = {entry['result']['tenant']['workspace_id']: entry for entry in entries if entry['status'] == 'ok'}
    assert sorted(read) == sorted(t['id'] for t in truth if t['central_id'])
    assert sum(entry['status'] == 'skipped' for entry in entries) == sum(not t['central_id'] for t in truth)
    for workspace_id, entry in read.items():
        assert entry['result']['devices'] == simulator.truth(workspace_id, 'device-inventory')
    stats = simulator.stats(log=False)
    # Inventory (device counts) and play share the token cache: one MSP token, one exchange per tenant.
    assert stats['msp_tokens'] == 1
    assert set(stats['exchanges_by_tenant'].values()) == {1}


def test_added_tenants_clashing_names_and_template_text_stay_data(simulator_factory, tmp_path):
    sim = simulator_factory('--dataset', 'demo')
    duplicate = sim.fault(action='add_tenant', name='Acme Retail Group', devices=5)
    evil = sim.fault(action='add_tenant', name="{{ lookup('pipe', 'id') }}", devices=3)
    env = ansible_env(sim.env(), tmp=str(tmp_path))
    path = inventory_file(tmp_path, ENV_ONLY)

    run = run_inventory(path, env)
    assert run.rc == 0, run.output
    hostvars = run.results['_meta']['hostvars']
    original = next(t for t in sim.truth()['tenants'] if t['name'] == 'Acme Retail Group' and not t['added'])
    # The tenant that was there first keeps its host name; the newcomer gets its short workspace id.
    expected_hosts = ['Acme_Retail_Group', 'Acme_Retail_Group_' + duplicate['hex'][:8]]
    assert sorted(h for h in hostvars if h.startswith('Acme')) == expected_hosts
    assert unsafe_text(hostvars['Acme_Retail_Group']['msp_workspace_id']) == original['id']
    assert unsafe_text(hostvars['lookup_pipe_id']['msp_workspace_id']) == evil['id']

    play = run_playbook('''
- name: Show a tenant name
  hosts: lookup_pipe_id
  gather_facts: false
  tasks:
    - name: Name
      ansible.builtin.debug:
        var: msp_tenant_name
''', env, inventory=path)
    assert play.rc == 0, play.output
    assert play.one('Name')['result']['msp_tenant_name'] == "{{ lookup('pipe', 'id') }}"


def test_empty_environment_variables_count_as_unset(env, tmp_path, simulator):
    """AWX injects every credential field, empty ones as "": no clash, no bogus CA path, no disabled TLS checks."""
    blank = dict(env, CENTRAL_CLUSTER_NAME='', CENTRAL_CA_PATH='', CENTRAL_VALIDATE_CERTS='', CENTRAL_TOKEN_FILE='',
                 CENTRAL_TIMEOUT='', **FAIL_ON_UNPARSED)
    run = run_inventory(inventory_file(tmp_path, ENV_ONLY), blank)
    assert run.rc == 0, run.stderr
    assert len(run.results['_meta']['hostvars']) == len(simulator.truth()['tenants'])
    assert 'validate_certs' not in run.stderr


def test_retries_show_with_v(env, tmp_path, simulator):
    simulator.fault(path='msp-tenants$', status=429, retry_after=0, count=2)
    path = inventory_file(tmp_path, ENV_ONLY)
    # As in AWX: -v output on stderr, so stdout stays the JSON.
    run = run_inventory(path, dict(env, CENTRAL_MAX_RETRIES='5', ANSIBLE_VERBOSE_TO_STDERR='true'), args=('--list', '-v'))
    assert run.rc == 0, run.stderr
    assert 'central.msp.tenants: retried 2 requests (2 after a rate limit), waited' in run.output
    quiet = run_inventory(path, env)
    assert 'retried' not in quiet.output
