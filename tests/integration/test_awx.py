"""AWX / Ansible Automation Platform readiness, tested with what AWX itself runs.

* The custom credential types (docs/awx/*.yml) are checked against AWX's rules for credential types and applied
  the way AWX applies them at job start: file injectors written into the job's private data directory, env
  injectors rendered in a sandbox from the credential's inputs.
* An inventory update (ansible-inventory through ansible-runner) and jobs (ansible-playbook through
  ansible-runner) run with nothing but those injected variables, against the simulator. As on an execution
  node, every job has its own private data directory (/runner) and its own container /tmp, where the
  execution environment keeps the token cache (CENTRAL_TOKEN_CACHE_DIR, see execution-environment.yml).
* execution-environment.yml goes through `ansible-builder create`; no container engine runs here to build it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
from types import SimpleNamespace

import ansible_runner
import pytest
import yaml
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ansible_collections.central.msp.plugins.module_utils.settings import CLUSTERS, CONNECTION_OPTIONS, cluster_url
from tests.helpers import BIN, ROOT, ansible_env
from tests.integration.awx_import import import_inventory, run_inventory_update

AWX_DOCS = os.path.join(ROOT, 'docs', 'awx')
CREDENTIAL_TYPE = os.path.join(AWX_DOCS, 'credential_type.yml')
PRIVATE_CA_TYPE = os.path.join(AWX_DOCS, 'credential_type_private_ca.yml')
EE_DEFINITION = os.path.join(ROOT, 'execution-environment.yml')
INVENTORY_SOURCE = 'playbooks/inventory/simulator.central_msp.yml'  # relative to the project, as in AWX
PER_TENANT_PLAYBOOK = 'playbooks/examples/per_tenant_hosts.yml'
OVERVIEW_PLAYBOOK = 'playbooks/msp_overview.yml'
SURVEY = os.path.join(AWX_DOCS, 'msp_overview_survey.yml')

# What AWX accepts in a custom credential type (awx/main/fields.py, CredentialTypeInputField and
# CredentialTypeInjectorField).
NAME = re.compile(r'^[a-zA-Z_]+[a-zA-Z0-9_]*$')
FILE_LABEL = re.compile(r'^template(\.[a-zA-Z_]+[a-zA-Z0-9_]*)?$')
FIELD_KEYS = {'id', 'label', 'type', 'help_text', 'format', 'secret', 'multiline', 'choices', 'default',
              'ask_at_runtime'}
STRING_ONLY_KEYS = {'choices', 'multiline', 'format', 'secret'}
TYPE_KEYS = {'name', 'description', 'kind', 'inputs', 'injectors'}


def load_type(path):
    with open(path, encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def collection_env_vars():
    return {name for _spec, names in CONNECTION_OPTIONS.values() for name in names}


def simulator_inputs(sim):
    """A credential's inputs pointing at the simulator (the GreenLake URLs are the advanced fields)."""
    info = sim.info
    return {'client_id': info['client_id'], 'client_secret': info['client_secret'],
            'workspace_id': info['workspace_id'], 'base_url': info['central_base_url'],
            'glp_base_url': info['glp_base_url'], 'auth_url': info['auth_url']}


def tower_namespace(files):
    """The `tower` name of AWX injector templates: tower.filename, or tower.filename.<label> for template.<label>."""
    if 'template' in files:
        return SimpleNamespace(filename=files['template'])
    return SimpleNamespace(filename=SimpleNamespace(**{label.split('.', 1)[1]: path for label, path in files.items()}))


def default_for_field(credential_type, field_id):
    """awx/main/models/credential.py CredentialType.default_for_field: a field with choices defaults to its first."""
    for field in credential_type['inputs']['fields']:
        if field['id'] == field_id:
            if 'choices' in field:
                return field['choices'][0]
            return {'string': '', 'boolean': False}[field.get('type', 'string')]
    return None


def saved_inputs(credential_type, inputs):
    """The inputs AWX stores for a credential made in its form: every field is submitted (an untouched one
    empty), and CredentialInputField.validate replaces each empty value by default_for_field."""
    saved = {field['id']: '' if field.get('type', 'string') == 'string' else False
             for field in credential_type['inputs']['fields']}
    saved.update(inputs)
    for unset in [key for key, value in saved.items() if not value]:
        default = default_for_field(credential_type, unset)
        if default is not None:
            saved[unset] = default
    return saved


def inject(credential_type, inputs, private_data_dir):
    """The environment AWX gives a job for a credential of this type (awx_plugins inject_credential), from the
    inputs as AWX saved them (saved_inputs).

    Only non-empty string inputs are defined in the templates' namespace; a boolean that was not set is false.
    File templates are written to <private data dir>/env (mode 0600) before the env templates, which may name
    them through tower.filename."""
    inputs = saved_inputs(credential_type, inputs)
    namespace = {key: value for key, value in inputs.items() if isinstance(value, bool) or value}
    for field in credential_type['inputs']['fields']:
        if field.get('type') == 'boolean':
            namespace.setdefault(field['id'], False)
    sandbox = ImmutableSandboxedEnvironment()
    injectors = credential_type['injectors']
    assert 'extra_vars' not in injectors, 'credentials must not travel in extra vars'

    files = {}
    for label, template in injectors.get('file', {}).items():
        os.makedirs(os.path.join(private_data_dir, 'env'), exist_ok=True)
        handle, path = tempfile.mkstemp(dir=os.path.join(private_data_dir, 'env'))
        with os.fdopen(handle, 'w', encoding='utf-8') as output:
            output.write(sandbox.from_string(template).render(**namespace))
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        files[label] = path
    namespace['tower'] = tower_namespace(files)
    return {name: sandbox.from_string(template).render(**namespace)
            for name, template in injectors.get('env', {}).items()}


def check_awx_rules(credential_type):
    """Fail with the first thing AWX would refuse when this credential type is created."""
    assert set(credential_type) <= TYPE_KEYS and credential_type['kind'] == 'cloud'
    fields = credential_type['inputs']['fields']
    ids = [field['id'] for field in fields]
    assert len(ids) == len(set(ids)) and 'tower' not in ids, ids
    for field in fields:
        assert {'id', 'label'} <= set(field) <= FIELD_KEYS and NAME.match(field['id']), field
        kind = field.get('type', 'string')
        assert kind in ('string', 'boolean'), field
        if kind != 'string':
            assert not STRING_ONLY_KEYS & set(field), field
        if 'choices' in field:
            assert field['choices'] and len(set(field['choices'])) == len(field['choices']), field
    assert set(credential_type['inputs'].get('required', [])) <= set(ids)

    injectors = credential_type['injectors']
    assert set(injectors) <= {'file', 'env', 'extra_vars'}
    labels = list(injectors.get('file', {}))
    assert all(FILE_LABEL.match(label) for label in labels)
    assert not ('template' in labels and len(labels) > 1), 'single- and multi-file syntax mixed'
    for name, template in injectors.get('env', {}).items():
        assert NAME.match(name) and not name.startswith('ANSIBLE_'), name
        assert template.isascii(), name
    # AWX renders every template with each field set to 'EXAMPLE'; an unknown name is an error.
    example = {field_id: 'EXAMPLE' for field_id in ids}
    example['tower'] = tower_namespace(dict.fromkeys(labels, 'EXAMPLE_FILENAME'))
    strict = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    for injector in injectors.values():
        for template in injector.values():
            strict.from_string(template).render(**example)


# ---- the credential types ------------------------------------------------------------------------------------

@pytest.mark.parametrize('path', [CREDENTIAL_TYPE, PRIVATE_CA_TYPE])
def test_credential_type_is_one_awx_accepts(path):
    credential_type = load_type(path)
    check_awx_rules(credential_type)
    fields = {field['id']: field for field in credential_type['inputs']['fields']}
    assert [name for name, field in fields.items() if field.get('secret')] == ['client_secret']
    assert {'client_id', 'client_secret', 'workspace_id'} <= set(credential_type['inputs']['required'])
    # Every variable it sets is one the collection reads, and no other.
    assert set(credential_type['injectors']['env']) <= collection_env_vars()


@pytest.mark.parametrize('path', [CREDENTIAL_TYPE, PRIVATE_CA_TYPE])
def test_cluster_choices_become_the_collections_gateway_urls(path):
    """Every cluster gives its gateway URL, through AWX's defaulting of empty fields (saved_inputs)."""
    credential_type = load_type(path)
    cluster = next(field for field in credential_type['inputs']['fields'] if field['id'] == 'cluster_name')
    # The first choice is what AWX saves for an untouched field: it must mean "no cluster".
    assert cluster['choices'][1:] == list(CLUSTERS) and cluster['choices'][0] not in CLUSTERS
    minimal = {'client_id': 'id', 'client_secret': 'secret', 'workspace_id': 'ws', 'ca_cert': 'PEM'}
    with tempfile.TemporaryDirectory() as private_data_dir:
        assert saved_inputs(credential_type, minimal)['cluster_name'] == cluster['choices'][0]
        for name in CLUSTERS:
            env = inject(credential_type, dict(minimal, cluster_name=name), private_data_dir)
            assert env['CENTRAL_BASE_URL'] == cluster_url(name)
        untouched = inject(credential_type, dict(minimal, cluster_name='', base_url=''), private_data_dir)
        assert untouched['CENTRAL_BASE_URL'] == '', 'an empty cluster must not become %s' % cluster['choices'][0]
        both = inject(credential_type, dict(minimal, cluster_name='EU-1', base_url='https://gw.example'), private_data_dir)
        assert both['CENTRAL_BASE_URL'] == 'https://gw.example'


def test_empty_fields_inject_nothing_the_collection_misreads():
    """AWX sets every injector variable, empty for an empty field: none of them may then mean something."""
    credential_type = load_type(CREDENTIAL_TYPE)
    with tempfile.TemporaryDirectory() as private_data_dir:
        env = inject(credential_type, {'client_id': 'id', 'client_secret': 'secret', 'workspace_id': 'ws'},
                     private_data_dir)
        insecure = inject(credential_type, {'client_id': 'id', 'client_secret': 'secret', 'workspace_id': 'ws',
                                            'skip_tls_verify': True}, private_data_dir)
        assert not os.listdir(private_data_dir), 'the standard type writes no file'
    assert env == {'GLP_CLIENT_ID': 'id', 'GLP_CLIENT_SECRET': 'secret', 'GLP_WORKSPACE_ID': 'ws',
                   'CENTRAL_BASE_URL': '', 'CENTRAL_VALIDATE_CERTS': 'true', 'GLP_BASE_URL': '', 'GLP_AUTH_URL': ''}
    assert insecure['CENTRAL_VALIDATE_CERTS'] == 'false'
    # Never set, because an empty value of these is not "unset" everywhere: a path option reads '' as the
    # current directory, and CENTRAL_CLUSTER_NAME beside CENTRAL_BASE_URL is a conflict.
    assert not {'CENTRAL_CA_PATH', 'CENTRAL_CLUSTER_NAME', 'CENTRAL_TOKEN_FILE'} & set(env)


def test_private_ca_type_is_the_standard_type_plus_a_required_ca():
    standard, private_ca = load_type(CREDENTIAL_TYPE), load_type(PRIVATE_CA_TYPE)
    ca_field = private_ca['inputs']['fields'][-1]
    assert ca_field['id'] == 'ca_cert' and ca_field.get('multiline') and not ca_field.get('secret')
    assert private_ca['inputs']['fields'][:-1] == standard['inputs']['fields']
    assert private_ca['inputs']['required'] == standard['inputs']['required'] + ['ca_cert']
    assert private_ca['injectors'] == dict(standard['injectors'], file={'template': '{{ ca_cert }}'},
                                           env=dict(standard['injectors']['env'],
                                                    CENTRAL_CA_PATH='{{ tower.filename }}'))
    assert private_ca['name'] != standard['name']


# ---- the overview job template's survey --------------------------------------------------------------------

SURVEY_TYPES = {'text': str, 'textarea': str, 'password': str, 'multiplechoice': str, 'multiselect': str,
                'integer': int, 'float': (int, float)}


def survey_answers(**answers):
    """The extra variables AWX passes for the survey: these answers, the defaults for the rest; a
    multiple-select answer as a list."""
    extra = {}
    for question in load_type(SURVEY)['spec']:
        value = answers.get(question['variable'], question.get('default', ''))
        if question['type'] == 'multiselect' and isinstance(value, str):
            value = value.splitlines()
        extra[question['variable']] = value
    return extra


def test_overview_survey_is_one_awx_accepts_and_asks_only_what_the_playbook_reads():
    survey = load_type(SURVEY)
    assert isinstance(survey['name'], str) and isinstance(survey['description'], str) and survey['spec']
    with open(os.path.join(ROOT, OVERVIEW_PLAYBOOK), encoding='utf-8') as handle:
        plays = [play for play in yaml.safe_load(handle) if play['hosts'] != 'localhost']
    # The plays' variables live in their vars_files (playbooks/vars/msp_overview.yml).
    play_vars = {}
    for name in plays[-1].get('vars_files', []):
        with open(os.path.join(ROOT, os.path.dirname(OVERVIEW_PLAYBOOK), name), encoding='utf-8') as handle:
            play_vars.update(yaml.safe_load(handle))
    variables = [question['variable'] for question in survey['spec']]
    assert len(variables) == len(set(variables)) and set(variables) <= set(play_vars)
    for question in survey['spec']:
        assert isinstance(question['question_name'], str) and isinstance(question['required'], bool)
        expected_type = SURVEY_TYPES[question['type']]
        if question.get('default', '') != '':
            assert isinstance(question['default'], expected_type), question
        if question['type'] in ('multiplechoice', 'multiselect'):
            choices = question['choices'].splitlines()
            defaults = question['default'].splitlines()
            assert set(defaults) <= set(choices) and (question['type'] == 'multiselect' or len(defaults) == 1)
    # The defaults are the playbook's own: launching without answers changes nothing.
    assert survey_answers()['msp_overview_kinds'] == play_vars['msp_overview_kinds']
    for name, value in survey_answers().items():
        assert str(value).lower() == str(play_vars[name]).lower(), name


# ---- the execution environment -------------------------------------------------------------------------------

def galaxy_version():
    with open(os.path.join(ROOT, 'galaxy.yml'), encoding='utf-8') as handle:
        return yaml.safe_load(handle)['version']


def run(command, cwd):
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, timeout=120)
    assert proc.returncode == 0, '%s failed:\n%s%s' % (' '.join(command), proc.stdout[-3000:], proc.stderr[-3000:])
    return proc.stdout


def test_execution_environment_build_context_holds_the_collection_and_its_requirements(tmp_path):
    """`ansible-builder create` on a copy of the repository's definition, beside a freshly built tarball."""
    tarball = 'central-msp-%s.tar.gz' % galaxy_version()
    shutil.copy(EE_DEFINITION, tmp_path)
    shutil.copy(os.path.join(ROOT, 'requirements.txt'), tmp_path)
    run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'build', '--output-path',
         str(tmp_path / 'build' / 'dist'), ROOT], cwd=tmp_path)
    run([os.path.join(BIN, 'ansible-builder'), 'create', '-f', 'execution-environment.yml', '-c', 'context',
         '--output-filename', 'Containerfile'], cwd=tmp_path)
    build = tmp_path / 'context' / '_build'

    galaxy = yaml.safe_load((build / 'requirements.yml').read_text())
    assert galaxy == {'collections': [{'name': 'collections/' + tarball, 'type': 'file'}]}, (
        'execution-environment.yml must install %s (galaxy.yml version)' % tarball)
    assert (build / 'collections' / tarball).is_file()
    with open(os.path.join(ROOT, 'meta', 'execution-environment.yml'), encoding='utf-8') as handle:
        collection_python = yaml.safe_load(handle)['dependencies']['python']
    assert collection_python == 'requirements.txt'
    assert (build / 'requirements.txt').read_text() == (tmp_path / 'requirements.txt').read_text()
    assert re.search(r'^requests\b', (build / 'requirements.txt').read_text(), re.M)
    containerfile = (tmp_path / 'context' / 'Containerfile').read_text()
    assert 'ansible-galaxy collection install $ANSIBLE_GALAXY_CLI_COLLECTION_OPTS -r requirements.yml' in containerfile
    assert 'ENV CENTRAL_TOKEN_CACHE_DIR=/tmp/central.msp/tokens' in containerfile

    # What the image build's builder stage does next: install the collection, then introspect the
    # collections for their Python requirements (meta/execution-environment.yml).
    run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', '--offline', '--force', '-p', 'installed',
         str(build / 'collections' / tarball)], cwd=tmp_path)
    run([os.path.join(BIN, 'python'), str(build / 'scripts' / 'introspect.py'), 'introspect', '--user-pip',
         str(build / 'requirements.txt'), '--write-pip', 'python-requirements.txt', 'installed'], cwd=tmp_path)
    found = (tmp_path / 'python-requirements.txt').read_text()
    assert re.search(r'^requests\S*\s+# from collection central\.msp$', found, re.M), found


# ---- inventory updates and jobs under ansible-runner -------------------------------------------------------

@pytest.fixture
def clean_environ(monkeypatch):
    """ansible-runner starts from this process's environment: no credential may come from there."""
    for name in list(os.environ):
        if name.startswith(('GLP_', 'CENTRAL_', 'ANSIBLE_')):
            monkeypatch.delenv(name)
    monkeypatch.setenv('PATH', BIN + os.pathsep + os.environ.get('PATH', ''))  # runner looks up ansible-* here


class Job:
    """One AWX job (an inventory update or a playbook run) as an execution node runs it.

    private_data_dir is the job's /runner (also its HOME, as in an ansible-builder image); container is the
    container's own /tmp, gone after the job, which holds the token cache (CENTRAL_TOKEN_CACHE_DIR)."""

    def __init__(self, directory, credential_type, inputs):
        self.private_data_dir = str(directory / 'runner')
        self.container = str(directory / 'container-tmp')
        os.makedirs(self.private_data_dir)
        self.injected = inject(credential_type, inputs, self.private_data_dir)
        self.env = dict(ansible_env(self.injected, tmp=self.container), HOME=self.private_data_dir)
        # Ansible's own files (~/.ansible, module payloads) go under HOME, the private data dir, as in an EE.
        for name in ('ANSIBLE_HOME', 'ANSIBLE_LOCAL_TEMP'):
            del self.env[name]

    def inventory_update(self, source):
        """`ansible-inventory --list --export` of a project file, as AWX runs an inventory source."""
        inventory, error = ansible_runner.interface.get_inventory(
            'list', [os.path.join(ROOT, source)], response_format='json', export=True,
            private_data_dir=self.private_data_dir, envvars=dict(self.env, ANSIBLE_INVENTORY_UNPARSED_FAILED='true'),
            suppress_env_files=True, quiet=True, timeout=120)
        assert isinstance(inventory, dict), 'inventory update failed: %s' % error[-3000:]
        return inventory

    def run(self, playbook, inventory, hosts=None, forks=10, extravars=None):
        """ansible-playbook from the project (the repository) on AWX's inventory script: the synced
        inventory, or the slice of it given by ``hosts``."""
        script = os.path.join(self.private_data_dir, 'inventory', 'hosts')
        os.makedirs(os.path.dirname(script))
        with open(script, 'w', encoding='utf-8') as handle:
            handle.write("#!/bin/sh\ncat <<'JSON'\n%s\nJSON\n" % json.dumps(inventory_slice(inventory, hosts)))
        os.chmod(script, 0o700)
        result = ansible_runner.run(private_data_dir=self.private_data_dir, project_dir=ROOT, playbook=playbook,
                                    inventory=script, envvars=self.env, forks=forks, extravars=extravars,
                                    suppress_env_files=True, quiet=True, timeout=300)
        assert result.status == 'successful', result.stdout.read()[-5000:]
        return result

    def files_holding(self, secrets):
        """Files of the private data directory (artifacts, job events, inventory, env) holding any of these.

        ansible-runner records the environment it started Ansible with in artifacts/<ident>/command (0600), as
        for every AWX credential; there the injected client secret is expected, and nothing else may be."""
        needles = [secret.encode() for secret in secrets]
        found = []
        for directory, _subdirs, names in os.walk(self.private_data_dir):
            for name in names:
                path = os.path.join(directory, name)
                with open(path, 'rb') as handle:
                    data = handle.read()
                if name == 'command' and os.path.dirname(os.path.dirname(path)).endswith('artifacts'):
                    record = json.loads(data)
                    assert record['env'].pop('GLP_CLIENT_SECRET') == self.injected['GLP_CLIENT_SECRET']
                    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
                    data = json.dumps(record).encode()
                if any(needle in data for needle in needles):
                    found.append(os.path.relpath(path, self.private_data_dir))
        return found

    def cached_tokens(self):
        return os.listdir(self.env['CENTRAL_TOKEN_CACHE_DIR'])


def inventory_slice(inventory, hosts=None):
    """The inventory with only these hosts (all when None), as AWX gives each slice of a sliced job."""
    if hosts is None:
        return inventory
    keep = set(hosts)
    sliced = {'_meta': {'hostvars': {host: hostvars for host, hostvars in inventory['_meta']['hostvars'].items()
                                     if host in keep}}}
    for group, content in inventory.items():
        if group != '_meta':
            sliced[group] = dict(content, hosts=[host for host in content.get('hosts', []) if host in keep])
    return sliced


def secrets_of(sim):
    return [sim.info['client_secret']] + sim.stats(log=False)['issued_tokens']


def provisioned(inventory):
    return [host for host, hostvars in inventory['_meta']['hostvars'].items()
            if hostvars['msp_central_provisioned'] is not False]


def test_inventory_update_then_overview_job_on_the_injected_credential_alone(simulator, tmp_path, clean_environ):
    """The inventory source syncs, then the overview job template runs with survey answers, on nothing but the
    credential's injected variables; neither job leaves the secret or a token in its private data directory."""
    sim = simulator
    sim.reset()
    credential_type = load_type(CREDENTIAL_TYPE)

    update = Job(tmp_path / 'update', credential_type, simulator_inputs(sim))
    inventory = update.inventory_update(INVENTORY_SOURCE)
    tenants = {tenant['id']: tenant for tenant in sim.truth()['tenants']}
    assert sorted(inventory['_meta']['hostvars'][host]['msp_workspace_id']
                  for host in inventory['msp_tenants']['hosts']) == sorted(tenants)
    assert sim.stats(log=False)['msp_tokens'] == 1

    sim.reset()
    job = Job(tmp_path / 'job', credential_type, simulator_inputs(sim))
    extravars = dict(survey_answers(msp_overview_kinds=['sites', 'alerts'], msp_overview_match='acme|bistro'),
                     awx_job_id=4711, msp_overview_output_dir=str(tmp_path / 'reports' / '{{ awx_job_id }}'))
    job.run(OVERVIEW_PLAYBOOK, inventory, forks=5, extravars=extravars)
    with open(tmp_path / 'reports' / '4711' / 'msp_overview.json', encoding='utf-8') as handle:
        report = json.load(handle)
    chosen = [tenant for tenant in tenants.values() if re.search('acme|bistro', tenant['name'], re.I)]
    assert report['kinds'] == ['sites', 'alerts']
    assert sorted(entry['workspace_id'] for entry in report['tenants']) == sorted(tenant['id'] for tenant in chosen)
    assert {entry['status'] for entry in report['tenants']} == {'ok'}
    stats = sim.stats(log=False)
    assert stats['msp_tokens'] == 1, 'the forks of one job share one MSP token'
    assert stats['exchanges'] == len([tenant for tenant in chosen if tenant['central']])

    secrets = secrets_of(sim)
    assert len(secrets) > 2
    for done in (update, job):
        assert done.files_holding(secrets) == [], 'a secret or token is in the private data directory'
        assert not os.path.exists(os.path.join(done.private_data_dir, 'env')), 'the credential was written to env/'
        assert done.cached_tokens(), 'the token cache is in the container, outside /runner'


def test_each_slice_is_a_job_whose_forks_share_one_msp_token(simulator_factory, tmp_path, clean_environ):
    """A job over 12 tenants sliced in two (AWX job_slice_count: 2) runs as two jobs on fresh containers. In
    each, 6 forks hit a slow token issuer at once and still fetch one MSP token; every tenant is exchanged
    once, in its own slice."""
    sim = simulator_factory('--dataset', 'scale', '--tenants', 12, '--devices-per-tenant', 5, '--latency-ms', 50)
    credential_type = load_type(CREDENTIAL_TYPE)
    inventory = Job(tmp_path / 'update', credential_type, simulator_inputs(sim)).inventory_update(INVENTORY_SOURCE)
    hosts = sorted(inventory['_meta']['hostvars'])
    assert len(hosts) == 12

    slice_count = 2
    for number in range(slice_count):
        sim.reset()
        part = hosts[number::slice_count]
        job = Job(tmp_path / ('slice%d' % number), credential_type, simulator_inputs(sim))
        job.run(PER_TENANT_PLAYBOOK, inventory, hosts=part, forks=len(part))
        stats = sim.stats(log=False)
        assert (stats['msp_tokens'], stats['exchanges']) == (1, len(set(provisioned(inventory)) & set(part)))
        assert job.files_holding(secrets_of(sim)) == []


def test_private_ca_credential_over_tls(simulator_tls, tmp_path, clean_environ):
    sim = simulator_tls
    sim.reset()
    with open(sim.info['ca_file'], encoding='utf-8') as handle:
        inputs = dict(simulator_inputs(sim), ca_cert=handle.read())
    update = Job(tmp_path / 'update', load_type(PRIVATE_CA_TYPE), inputs)
    ca_path = update.injected['CENTRAL_CA_PATH']
    assert os.path.dirname(ca_path) == os.path.join(update.private_data_dir, 'env')
    assert stat.S_IMODE(os.stat(ca_path).st_mode) == 0o600
    inventory = update.inventory_update(INVENTORY_SOURCE)
    assert len(inventory['msp_tenants']['hosts']) == len(sim.truth()['tenants'])
    assert update.files_holding(secrets_of(sim)) == []


# ---- what AWX stores from an inventory update -------------------------------------------------------------

# The oldest ansible-core the collection supports (meta/runtime.yml), beside the venv's 2.19: made on first use.
ANSIBLE_216 = os.path.join(ROOT, 'build', 'venv-2.16')


@pytest.fixture(scope='session')
def ansible_216_bin():
    bin_dir = os.path.join(ANSIBLE_216, 'bin')
    if not os.path.exists(os.path.join(bin_dir, 'ansible-inventory')):
        subprocess.run([shutil.which('python3') or 'python3', '-m', 'venv', ANSIBLE_216], check=True)
        proc = subprocess.run([os.path.join(bin_dir, 'pip'), 'install', '--quiet', 'ansible-core==2.16.*', '-r',
                               os.path.join(ROOT, 'requirements.txt')], capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            pytest.skip('cannot install ansible-core 2.16 into %s: %s' % (ANSIBLE_216, proc.stderr[-500:]))
    return bin_dir


@pytest.fixture(params=['2.19', '2.16'])
def ansible_bin(request):
    """The bin directory of an ansible-core of this version."""
    bin_dir = BIN if request.param == '2.19' else request.getfixturevalue('ansible_216_bin')
    version = subprocess.run([os.path.join(bin_dir, 'ansible'), '--version'], capture_output=True, text=True,
                             check=True).stdout
    assert re.search(r'core %s\.' % re.escape(request.param), version), version
    return bin_dir


def test_awx_import_stores_plain_strings_and_reads_instance_id_and_enabled(simulator_factory, tmp_path, ansible_bin,
                                                                           clean_environ):
    """An inventory update with our credential type, stored by AWX's import logic (tests/integration/awx_import.py):
    the workspace ID is each host's instance_id, `enabled_var: msp_inventory_ownership` with an enabled value
    tells the two kinds of tenant apart, and the stored variables are plain strings, except a tenant name that
    could be a template, which stays unsafe."""
    sim = simulator_factory('--dataset', 'demo')
    evil = sim.fault(action='add_tenant', name="{{ lookup('pipe', 'id') }}", devices=3)
    job = Job(tmp_path / 'update', load_type(CREDENTIAL_TYPE), simulator_inputs(sim))
    data = run_inventory_update(ansible_bin, os.path.join(ROOT, INVENTORY_SOURCE), job.env,
                                str(tmp_path / 'output.json'))
    imported = import_inventory(data, instance_id_var='msp_workspace_id', enabled_var='msp_inventory_ownership',
                                enabled_value='MSP_OWNED_INVENTORY')

    tenants = {tenant['id']: tenant for tenant in sim.truth()['tenants']}
    hosts = list(imported.hosts.values())
    assert sorted(host.instance_id for host in hosts) == sorted(tenants)
    for host in hosts:
        tenant = tenants[host.instance_id]
        assert host.enabled is (tenant['glp']['inventoryOwnership'] == 'MSP_OWNED_INVENTORY'), host.name
        stored = host.stored_variables
        assert stored['msp_workspace_id'] == tenant['id']
        assert stored['msp_inventory_ownership'] == tenant['glp']['inventoryOwnership']
        assert stored['msp_central_provisioned'] is bool(tenant['central_id'])
        assert 'msp_tenants' in host.groups
        if host.instance_id == evil['id']:
            assert stored['msp_tenant_name'] == {'__ansible_unsafe': evil['name']}, 'a template must stay unsafe'
            assert stored['tenant_label'] == {'__ansible_unsafe': evil['name'] + ' (3 devices)'}
        else:
            assert stored['msp_tenant_name'] == tenant['name']
            assert isinstance(stored['tenant_label'], str) and stored['tenant_label'].startswith(tenant['name'])
        if tenant['central_id']:
            assert stored['msp_central_tenant_id'] == tenant['central_id']
    assert {host.enabled for host in hosts} == {True, False}, 'the demo data has both kinds of inventory ownership'
    assert imported.group_vars['msp_tenants']['ansible_connection'] == 'local'
    assert imported.group_vars['msp_tenants']['ansible_python_interpreter'] == '{{ ansible_playbook_python }}'
    # Nothing but the template-like name (in msp_tenant_name and in the msp_tenant record) and the label composed
    # from it is wrapped anywhere.
    assert json.dumps(data).count('__ansible_unsafe') == 3, json.dumps(data)[:3000]
