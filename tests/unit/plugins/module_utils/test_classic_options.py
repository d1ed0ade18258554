"""The Classic connection options: defined once (CLASSIC_OPTIONS), documented in step, and their gateway table."""
import os

import pytest
import yaml

from ansible_collections.central.msp.plugins.doc_fragments.classic_connection import ModuleDocFragment
from ansible_collections.central.msp.plugins.module_utils.classic import (
    CLASSIC_OPTIONS, GATEWAYS, gateway_url, resolve_classic_settings)
from ansible_collections.central.msp.plugins.module_utils.errors import ConfigError
from ansible_collections.central.msp.plugins.module_utils.classic_module import classic_argument_spec


def test_fragments_document_every_option_with_its_type_default_and_variables():
    modules = yaml.safe_load(ModuleDocFragment.MODULES)['options']
    plugins = yaml.safe_load(ModuleDocFragment.PLUGINS)['options']
    assert list(modules) == list(CLASSIC_OPTIONS) == list(plugins)
    for name, (spec, envs) in CLASSIC_OPTIONS.items():
        for doc in (modules[name], plugins[name]):
            assert doc['type'] == spec['type'] and doc.get('default') == spec.get('default'), name
            assert all('E(%s)' % env in ' '.join(doc['description']) for env in envs), name
        assert [entry['name'] for entry in plugins[name]['env']] == envs


def test_secrets_are_no_log_and_every_option_falls_back_to_the_environment():
    spec = classic_argument_spec()
    assert sorted(name for name, entry in spec.items() if entry.get('no_log')) == \
        ['access_token', 'client_secret', 'password', 'refresh_token']
    assert all(entry['fallback'][1] == CLASSIC_OPTIONS[name][1] for name, entry in spec.items())


def test_every_region_of_the_guide_is_https_and_case_insensitive():
    assert len(GATEWAYS) == 10
    for region, url in GATEWAYS.items():
        assert url.startswith('https://') and gateway_url(region.lower()) == url
    assert gateway_url(' us-2 ') == 'https://apigw-prod2.central.arubanetworks.com'


def test_awx_credential_type_matches_the_options():
    path = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'docs', 'awx', 'classic_credential_type.yml')
    with open(path, encoding='utf-8') as handle:
        credential = yaml.safe_load(handle)
    fields = {field['id']: field for field in credential['inputs']['fields']}
    assert fields['region']['choices'] == list(GATEWAYS)
    injected = credential['injectors']['env']
    for name, template in injected.items():
        option = template.strip('{} ')
    assert option in CLASSIC_OPTIONS and name == CLASSIC_OPTIONS[option][1][0], name
    secret = sorted(field_id for field_id, field in fields.items() if field.get('secret'))
    assert secret == sorted(name for name, (spec, envs) in CLASSIC_OPTIONS.items() if spec.get('no_log'))


def test_an_unreadable_token_file_names_the_classic_variable(tmp_path):
    with pytest.raises(ConfigError) as caught:
        resolve_classic_settings({'token_file': str(tmp_path / 'missing.yaml')})
    assert 'env CLASSIC_CENTRAL_TOKEN_FILE)' in str(caught.value)


def test_a_directory_as_token_file_asks_for_a_pycentral_1_token_file(tmp_path):
    with pytest.raises(ConfigError) as caught:
        resolve_classic_settings({'token_file': str(tmp_path)})
    assert 'Point token_file at a pycentral 1.x token file.' in str(caught.value)
