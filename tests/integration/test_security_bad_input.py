"""Bad input at -vvvv: a clear message each, no traceback anywhere in the output, nothing leaked.

tests/integration/test_modules_errors.py and test_modules_api_call.py already check the messages of unknown and
ambiguous tenants, a missing gateway or credential, the wrong secret, a tenant id as workspace_id, an unknown
method, non-JSON bodies and refused paths. This adds what they do not cover: the wrong client id, bad token files,
bad ids and gateways from the environment, and the same mistakes made in an inventory source."""

from __future__ import annotations

import json

import pytest

from tests.helpers import ansible_env
from tests.integration.fault_checks import (assert_absent, failure, fresh, inventory, play, secrets_of,
                                            tenants_by_name, write)

VERBOSE = '-vvvv'
WRONG_ID = 'wrong-client-5d1f'
WRONG_SECRET = 'wrong-secret-8c2a'  # must never be shown, like the real one

# name: (module options in YAML flow style, fragments of the message[, the task's environment]).
# {files} is the folder of the token files.
MODULE_CASES = {
    'wrong client id': (
        'client_id: %s' % WRONG_ID, ('MSP token request', 'HTTP 401', 'invalid_client', 'Check client_id and client_secret')),
    'token file missing': (
        'token_file: "{files}/absent.yaml"', ('Cannot read token_file', 'absent.yaml', 'No such file')),
    'token file is a folder': ('token_file: "{files}"', ('Cannot read token_file', 'Is a directory')),
    'token file not YAML': (
        'token_file: "{files}/broken.yaml"', ('broken.yaml is not valid YAML at line', "'unified' block")),
    'token file without a unified block': ('token_file: "{files}/classic.yaml"', ("has no 'unified' block",)),
    'token file with both gateways': (
        'base_url: "", token_file: "{files}/both.yaml"', ('Both base_url and cluster_name are set',)),
    'token file with a tenant as the MSP workspace': (
        'workspace_id: "", token_file: "{files}/tenant.yaml"', ('MSP token request', 'HTTP 4')),
    'workspace id that is not one': ('workspace_id: not-a-uuid', ("'not-a-uuid' is not a GLP workspace id",)),
    'unknown cluster name from the environment': (
        'base_url: ""', ("Unknown cluster_name 'Mars-1'", 'US-WEST-5'), {'CENTRAL_CLUSTER_NAME': 'Mars-1'}),
    'both gateways from the environment': (
        '', ('Both environment variables CENTRAL_BASE_URL and CENTRAL_CLUSTER_NAME are set',),
        {'CENTRAL_CLUSTER_NAME': 'US-WEST-5'}),
}

# Inventory source file name: (its options, fragments of the message).
INVENTORY_CASES = {
    'wrong-secret': ('client_secret: %s' % WRONG_SECRET, ('MSP token request', 'HTTP 401', 'invalid_client')),
    'wrong-client-id': ('client_id: %s' % WRONG_ID, ('MSP token request', 'HTTP 401', 'invalid_client')),
    'tenant-as-msp': ('workspace_id: "{tenant}"', ('MSP token request', 'HTTP 4')),
    'unknown-cluster': ('base_url: ""\ncluster_name: Mars-1', ("Unknown cluster_name 'Mars-1'",)),
    # (A cluster_name alone in the file overrides the exported CENTRAL_BASE_URL: no conflict.)
    'both-gateways': ('base_url: https://us5.api.central.arubanetworks.com\ncluster_name: US-WEST-5',
                      ('Both base_url and cluster_name are set',)),
    'token-file-missing': ('token_file: "{files}/absent.yaml"', ('Cannot read token_file',)),
    'token-file-not-yaml': ('token_file: "{files}/broken.yaml"', ('is not valid YAML',)),
}


@pytest.fixture
def token_files(simulator, tmp_path):
    folder = tmp_path / 'token-files'
    folder.mkdir()
    credential = 'unified:\n  client_id: %s\n  client_secret: %s\n' % (
        simulator.info['client_id'], simulator.info['client_secret'])
    tenant = tenants_by_name(simulator)['Acme Retail Group']['id']
    write(folder / 'broken.yaml', credential + '  workspace_id: [unclosed\n', 0o600)
    write(folder / 'classic.yaml', 'central_info:\n  base_url: https://example.invalid\n', 0o600)
    write(folder / 'both.yaml', credential + '  workspace_id: %s\n  base_url: https://us5.api.central.arubanetworks.com\n'
          '  cluster_name: US-WEST-5\n' % simulator.info['workspace_id'], 0o600)
    write(folder / 'tenant.yaml', credential + '  workspace_id: %s\n' % tenant, 0o600)
    return str(folder)


def test_module_input_errors(simulator, tmp_path, token_files):
    sim = fresh(simulator)
    tasks = ''.join('- name: %s\n  central.msp.msp_tenant_info: {%s}\n  environment: %s\n' % (
        name, case[0].format(files=token_files), json.dumps(case[2] if len(case) > 2 else {}))
        for name, case in MODULE_CASES.items())
    run = play(sim, tasks, tmp_path, args=(VERBOSE,))
    assert run.rc == 0, run.output[-3000:]
    for name, case in MODULE_CASES.items():
        failure(run, name, *case[1])
    assert 'Traceback' not in run.output
    assert_absent(secrets_of(sim, WRONG_SECRET), {'the output': run.output})


def errors_by_source(output, paths):
    """The part of ansible-inventory's output about each source: what precedes its `Origin: ... source '<path>'`."""
    found, start = {}, 0
    markers = sorted((output.find("source '%s'" % path), path) for path in paths)
    for position, path in markers:
        assert position >= 0, 'no error reported for %s' % path
        found[path] = output[start:position]
        start = position
    return found


def test_inventory_source_errors(simulator, tmp_path, token_files):
    sim = fresh(simulator)
    tenant = tenants_by_name(sim)['Acme Retail Group']['id']
    sources = {write(tmp_path / ('%s.central_msp.yml' % name),
                     'plugin: central.msp.tenants\n' + options.format(files=token_files, tenant=tenant) + '\n'): fragments
               for name, (options, fragments) in INVENTORY_CASES.items()}
    env = ansible_env(dict(sim.env(), ANSIBLE_INVENTORY_ENABLED='central.msp.tenants'), tmp=str(tmp_path))
    listed = inventory(list(sources), env, ('--graph', VERBOSE))
    for path, text in errors_by_source(listed.output, sources).items():
        for fragment in sources[path]:
            assert 'central.msp.tenants: ' in text and fragment in text, (path, fragment, text[-1500:])
    assert 'Traceback' not in listed.output
    assert_absent(secrets_of(sim, WRONG_SECRET), {'the inventory output': listed.output})
