"""Connection options: precedence, token file, validation and the messages that say how to fix things."""

import os

import pytest

from ansible_collections.central.msp.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.central.msp.plugins.module_utils.errors import ConfigError
from ansible_collections.central.msp.plugins.module_utils.runner import connection_argument_spec
from ansible_collections.central.msp.plugins.module_utils.settings import (
    CLUSTERS, CONNECTION_OPTIONS, GATEWAY_OPTIONS, compact_id, dashed_id, environment_values, is_workspace_id,
    resolve_settings)

import yaml

MSP = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0'
BASE = dict(client_id='cid', client_secret='s3cret-value', workspace_id=MSP)


def test_minimal_settings_have_glp_defaults_and_compact_workspace():
    settings = resolve_settings(dict(BASE))
    assert settings.workspace_id == '0f1e2d3c4b5a69788796a5b4c3d2e1f0'
    assert settings.glp_base_url == 'https://global.api.greenlake.hpe.com'
    assert settings.auth_url == 'https://global.api.greenlake.hpe.com/authorization/v2/oauth2'
    assert settings.central_base_url is None
    assert settings.verify is True
    with pytest.raises(ConfigError, match='base_url .*CENTRAL_BASE_URL.*cluster_name'):
        settings.require_central()


@pytest.mark.parametrize('missing', ['client_id', 'client_secret', 'workspace_id'])
def test_missing_credential_names_option_and_env_var(missing):
    options = dict(BASE)
    del options[missing]
    with pytest.raises(ConfigError) as info:
        resolve_settings(options)
    message = str(info.value)
    assert missing in message and CONNECTION_OPTIONS[missing][1][0] in message
    assert 's3cret-value' not in message


def test_both_base_url_and_cluster_name_is_an_error():
    with pytest.raises(ConfigError, match='Both base_url and cluster_name'):
        resolve_settings(dict(BASE, base_url='https://us5.api.central.arubanetworks.com', cluster_name='US-WEST-5'))


GATEWAY = 'https://gw.example.net'


@pytest.mark.parametrize('explicit, env, expected', [
    # The AWX credential type always injects CENTRAL_BASE_URL; a task's or inventory file's cluster_name wins.
    ({'cluster_name': 'US-WEST-5'}, {'base_url': GATEWAY}, CLUSTERS['US-WEST-5']),
    ({'base_url': GATEWAY}, {'cluster_name': 'EU-1'}, GATEWAY),
    ({'base_url': GATEWAY}, {'base_url': 'https://other.example.net', 'cluster_name': 'EU-1'}, GATEWAY),
    ({}, {'cluster_name': 'UK'}, CLUSTERS['UK']),
    ({}, {'base_url': GATEWAY}, GATEWAY),
])
def test_an_explicit_gateway_option_beats_either_environment_variable(explicit, env, expected):
    assert resolve_settings(dict(BASE, **explicit), env=env).central_base_url == expected


def test_other_options_beat_their_own_environment_variable_only():
    settings = resolve_settings(dict(BASE, timeout=7), env={'timeout': '60', 'max_retries': '2'})
    assert (settings.timeout, settings.max_retries) == (7, 2)


def test_two_gateway_environment_variables_conflict_and_say_so():
    with pytest.raises(ConfigError) as info:
        resolve_settings(dict(BASE), env={'base_url': GATEWAY, 'cluster_name': 'EU-1'})
    assert 'CENTRAL_BASE_URL and CENTRAL_CLUSTER_NAME' in str(info.value) and 'option' in str(info.value)


def test_cluster_name_is_case_insensitive_and_unknown_lists_valid_names():
    assert resolve_settings(dict(BASE, cluster_name='us-west-5')).central_base_url == CLUSTERS['US-WEST-5']
    with pytest.raises(ConfigError) as info:
        resolve_settings(dict(BASE, cluster_name='Mars-1'))
    assert "'Mars-1'" in str(info.value) and 'US-WEST-5' in str(info.value) and 'China' in str(info.value)


@pytest.mark.parametrize('url', ['http://central.example.com', 'ftp://x', 'https://u:p@host', 'https://h/?q=1', 'nohost'])
def test_unsafe_urls_are_refused(url):
    with pytest.raises(ConfigError):
        resolve_settings(dict(BASE, base_url=url))


@pytest.mark.parametrize('url', ['http://127.0.0.1:8080/central/', 'http://localhost:1', 'http://[::1]:5/x'])
def test_plain_http_is_allowed_to_loopback_only(url):
    assert resolve_settings(dict(BASE, base_url=url)).central_base_url == url.rstrip('/')


def test_workspace_ids_dashed_or_compact():
    assert dashed_id('0F1E2D3C4B5A69788796A5B4C3D2E1F0') == MSP
    assert compact_id(MSP) == MSP.replace('-', '')
    with pytest.raises(ConfigError, match='not a GLP workspace id'):
        compact_id('acme')


@pytest.mark.parametrize('value, expected', [
    (MSP, True),
    (MSP.upper().replace('-', ''), True),
    ('  %s  ' % MSP, True),
    # Dashes where a UUID has them, or none: not a name that happens to be 32 hex digits and dashes.
    (MSP.replace('-', '')[:10] + '-' + MSP.replace('-', '')[10:], False),
    (MSP[:8] + MSP[9:], False),
    ('acme', False),
    (None, False),
    (12345, False),
])
def test_is_workspace_id(value, expected):
    assert is_workspace_id(value) is expected


def write_token_file(tmp_path, data):
    path = tmp_path / 'token.yaml'
    path.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data)
    return str(path)


def test_token_file_fills_gaps_and_options_win(tmp_path):
    path = write_token_file(tmp_path, {'unified': {'client_id': 'file-id', 'client_secret': 'file-secret',
                                                   'workspace_id': MSP, 'cluster_name': 'EU-1'}})
    settings = resolve_settings({'token_file': path, 'client_id': 'explicit-id'})
    assert settings.client_id == 'explicit-id'
    assert settings.client_secret == 'file-secret'
    assert settings.central_base_url == CLUSTERS['EU-1']
    # An explicit gateway replaces the file's, rather than clashing with it.
    settings = resolve_settings({'token_file': path, 'base_url': 'https://gw.example.com'})
    assert settings.central_base_url == 'https://gw.example.com'


@pytest.mark.parametrize('content, expected', [
    (None, 'Cannot read token_file'),
    ('unified: [unclosed', 'not valid YAML'),
    ({'glp': {'client_id': 'x'}}, "no 'unified' block"),
])
def test_bad_token_files_explain_themselves(tmp_path, content, expected):
    path = str(tmp_path / 'missing.yaml') if content is None else write_token_file(tmp_path, content)
    with pytest.raises(ConfigError, match=expected):
        resolve_settings({'token_file': path})


def test_ca_path_must_exist(tmp_path):
    with pytest.raises(ConfigError, match='ca_path'):
        resolve_settings(dict(BASE, ca_path=str(tmp_path / 'nope.pem')))
    ca = tmp_path / 'ca.pem'
    ca.write_text('x')
    assert resolve_settings(dict(BASE, ca_path=str(ca))).verify == str(ca)
    assert resolve_settings(dict(BASE, validate_certs=False)).verify is False


def test_doc_fragment_and_argument_spec_agree_with_the_option_table():
    modules_doc = yaml.safe_load(ModuleDocFragment.MODULES)['options']
    plugins_doc = yaml.safe_load(ModuleDocFragment.PLUGINS)['options']
    assert {name: option.pop('env') for name, option in plugins_doc.items()} == {
        name: [{'name': var} for var in envs] for name, (spec, envs) in CONNECTION_OPTIONS.items()}
    assert plugins_doc == modules_doc
    spec = connection_argument_spec()
    assert set(modules_doc) == set(plugins_doc) == set(spec) == set(CONNECTION_OPTIONS)
    for name, option in modules_doc.items():
        assert option['type'] == spec[name]['type']
        assert option.get('default') == spec[name].get('default')
        if name in GATEWAY_OPTIONS:  # read by resolve_settings, which knows their precedence
            assert 'fallback' not in spec[name]
        else:
            assert spec[name]['fallback'][1] == CONNECTION_OPTIONS[name][1]
    assert spec['client_secret']['no_log'] is True


def test_env_fallback_reaches_the_module_params(monkeypatch):
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
    monkeypatch.setenv('GLP_CLIENT_ID', 'from-env')
    monkeypatch.setenv('CENTRAL_CLUSTER_NAME', 'UK')
    validated = ArgumentSpecValidator(connection_argument_spec()).validate({}).validated_parameters
    assert validated['client_id'] == 'from-env'
    assert validated['cluster_name'] is None, 'read by resolve_settings, not by a fallback'
    assert environment_values(GATEWAY_OPTIONS) == {'cluster_name': 'UK'}
    validated = ArgumentSpecValidator(connection_argument_spec()).validate({'client_id': 'explicit'}).validated_parameters
    assert validated['client_id'] == 'explicit'
    assert os.environ['GLP_CLIENT_ID'] == 'from-env'


def test_empty_environment_variables_count_as_unset(monkeypatch):
    """AWX injects every credential field, empty ones as "": they must not override defaults or clash."""
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
    monkeypatch.setenv('GLP_CLIENT_ID', '')
    monkeypatch.setenv('CENTRAL_CLIENT_ID', 'second-choice')
    monkeypatch.setenv('CENTRAL_BASE_URL', '')
    monkeypatch.setenv('CENTRAL_CLUSTER_NAME', 'UK')
    monkeypatch.setenv('CENTRAL_VALIDATE_CERTS', '')
    monkeypatch.setenv('CENTRAL_CA_PATH', '')
    validated = ArgumentSpecValidator(connection_argument_spec()).validate({}).validated_parameters
    assert validated['client_id'] == 'second-choice'
    assert validated['base_url'] is None and validated['ca_path'] is None
    assert validated['validate_certs'] is True
    assert environment_values(GATEWAY_OPTIONS) == {'cluster_name': 'UK'}
    settings = resolve_settings(dict(validated, client_secret='s', workspace_id=MSP),
                                env=environment_values(GATEWAY_OPTIONS))
    assert settings.central_base_url == CLUSTERS['UK'] and settings.verify is True


# ---- hostile files and values (issue 15) --------------------------------------------------------------------

@pytest.mark.parametrize('value', ['ture', 'enabled', '2', 'verify', ' ', 'none'])
def test_a_value_that_is_not_a_boolean_is_an_error_never_false(value):
    with pytest.raises(ConfigError, match=r"validate_certs %r is not a boolean.*CENTRAL_VALIDATE_CERTS" % value):
        resolve_settings(dict(BASE, validate_certs=value))
    with pytest.raises(ConfigError, match='token_cache'):
        resolve_settings(dict(BASE, token_cache=value))


@pytest.mark.parametrize('value, expected', [('true', True), ('Yes', True), ('on', True), ('1', True), (1, True),
                                             ('false', False), ('NO', False), ('off', False), ('0', False),
                                             (False, False)])
def test_booleans_parse_as_ansible_parses_them(value, expected):
    assert resolve_settings(dict(BASE, validate_certs=value)).validate_certs is expected


@pytest.mark.parametrize('option, value', [('timeout', 0), ('timeout', -5), ('timeout', '0'), ('timeout', 'soon'),
                                           ('timeout', True), ('timeout', 2.5), ('max_retries', -1),
                                           ('max_retries', 'many')])
def test_timeouts_and_retries_out_of_range_are_errors(option, value):
    with pytest.raises(ConfigError, match='%s .* is not valid: expected a whole number of at least' % option):
        resolve_settings(dict(BASE, **{option: value}))
    assert resolve_settings(dict(BASE, timeout='7', max_retries='0')).timeout == 7


@pytest.mark.parametrize('option, value, fragment', [
    ('client_secret', 's3cret\n', 'client_secret holds a line break'),
    ('client_secret', 'se\r\ncret', 'client_secret holds a line break'),
    ('client_secret', 'sécret-value', 'client_secret holds a non-ASCII character'),
    ('client_id', 'cid\x00', 'client_id holds a line break or another control character'),
    ('client_id', ['cid'], 'client_id must be a string, not list'),
])
def test_credentials_http_cannot_carry_are_errors_that_do_not_echo_them(option, value, fragment):
    with pytest.raises(ConfigError) as info:
        resolve_settings(dict(BASE, **{option: value}))
    assert fragment in str(info.value) and 'cret' not in str(info.value).replace('client_secret', '')


def test_a_token_file_that_is_not_utf8_is_a_clear_error(tmp_path):
    path = tmp_path / 'token.yaml'
    path.write_bytes(b'unified:\n  client_id: caf\xe9\n')
    with pytest.raises(ConfigError, match=r'token_file .* is not UTF-8 text \(byte 25\)'):
        resolve_settings({'token_file': str(path)})


def test_a_yaml_alias_bomb_in_a_token_file_is_refused_at_once(tmp_path):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += ['a%d: &a%d [%s]' % (n, n, ', '.join(['*a%d' % (n - 1)] * 9)) for n in range(1, 10)]
    lines += ['unified: {client_id: *a9, client_secret: x, workspace_id: %s}' % MSP]
    path = tmp_path / 'token.yaml'
    path.write_text('\n'.join(lines))
    with pytest.raises(ConfigError, match='not valid YAML at line 2 .aliases are not allowed in a token file'):
        resolve_settings({'token_file': str(path)})


def test_a_fifo_as_token_file_is_refused_without_blocking(tmp_path):
    path = tmp_path / 'token.yaml'
    os.mkfifo(path)
    with pytest.raises(ConfigError, match='Cannot read token_file .*: not a regular file .a FIFO'):
        resolve_settings({'token_file': str(path)})


@pytest.mark.parametrize('value, fragment', [(['a', 'b'], 'a list'), ({'x': 1}, 'a dict'), (True, 'a boolean'),
                                             (1.5, 'a float')])
def test_token_file_values_of_the_wrong_type_are_errors(tmp_path, value, fragment):
    path = write_token_file(tmp_path, {'unified': {'client_id': value, 'client_secret': 'x', 'workspace_id': MSP}})
    with pytest.raises(ConfigError, match='unified.client_id must be a string, not %s' % fragment):
        resolve_settings({'token_file': path})


def test_an_all_digit_value_read_as_a_number_by_yaml_is_taken_as_text(tmp_path):
    path = write_token_file(tmp_path, {'unified': {'client_id': 1234, 'client_secret': 'x', 'workspace_id': MSP}})
    assert resolve_settings({'token_file': path}).client_id == '1234'


def test_an_explicitly_empty_gateway_option_hides_its_environment_variable():
    """base_url: "" in a task means no gateway, as client_secret: "" means no secret, whatever is exported."""
    assert resolve_settings(dict(BASE, base_url=''), env={'base_url': GATEWAY}).central_base_url is None
    assert resolve_settings(dict(BASE, base_url=None), env={'base_url': GATEWAY}).central_base_url == GATEWAY


def test_an_unreadable_token_file_names_the_token_file_variable(tmp_path):
    with pytest.raises(ConfigError) as caught:
        resolve_settings({'token_file': str(tmp_path / 'missing.yaml')})
    assert 'env CENTRAL_TOKEN_FILE)' in str(caught.value)


def test_a_directory_as_token_file_says_which_file_to_point_at(tmp_path):
    with pytest.raises(ConfigError) as caught:
        resolve_settings({'token_file': str(tmp_path)})
    assert 'Point token_file at a pycentral token.yaml.' in str(caught.value)
