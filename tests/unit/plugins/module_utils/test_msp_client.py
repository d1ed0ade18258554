"""The MSP client: exchange form, renewal chains, tenant resolution and path safety (HTTP scripted)."""

import pytest

from ansible_collections.central.msp.plugins.module_utils.errors import (
    ApiError, AuthError, CentralMspError, DataError, TenantError)
from ansible_collections.central.msp.plugins.module_utils.transport import HttpClient
from ansible_collections.central.msp.plugins.module_utils.msp_client import (
    ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT, MspClient, odata_string, safe_api_path, tenant_record)
from ansible_collections.central.msp.plugins.module_utils.settings import resolve_settings
from ansible_collections.central.msp.plugins.module_utils.token_cache import TokenCache

from tests.unit.fakes import ScriptedSession, response

MSP = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'
TENANT = '5b1f2c4e-8f5e-4c1a-9a55-3c2f9d0b7a11'
SETTINGS = resolve_settings(dict(client_id='cid', client_secret='the-secret', workspace_id=MSP,
                                 base_url='https://central.example.com', auth_url='https://sso.example.com/oauth2'))


def make_client(tmp_path, *script):
    http = HttpClient(SETTINGS, sleep=lambda seconds: None)
    http.session = ScriptedSession(*script)
    return MspClient(SETTINGS, http=http, cache=TokenCache(str(tmp_path))), http.session


def token(value, expires_in=900):
    return response(200, {'access_token': value, 'token_type': 'Bearer', 'expires_in': expires_in, 'scope': 'x'})


def test_msp_token_uses_client_credentials_with_basic_auth_on_the_msp_workspace(tmp_path):
    client, session = make_client(tmp_path, token('msp-1'))
    assert client.msp_token() == 'msp-1'
    sent = session.sent[0]
    assert sent['url'] == 'https://sso.example.com/oauth2/%s/token' % MSP.replace('-', '')
    assert sent['data'] == {'grant_type': 'client_credentials'} and sent['auth'] == ('cid', 'the-secret')


def test_exchange_is_rfc8693_on_the_compact_tenant_id(tmp_path):
    client, session = make_client(tmp_path, token('msp-1'), token('ten-1'))
    assert client.tenant_token(TENANT) == 'ten-1'
    exchange = session.sent[1]
    assert exchange['url'].endswith('/5b1f2c4e8f5e4c1a9a553c2f9d0b7a11/token')
    assert exchange['data'] == {'grant_type': TOKEN_EXCHANGE_GRANT, 'subject_token': 'msp-1',
                                'subject_token_type': ACCESS_TOKEN_TYPE}
    # Dashed or compact, it is the same tenant: no second exchange.
    assert client.tenant_token(TENANT.replace('-', '').upper()) == 'ten-1' and len(session.sent) == 2


def test_wrong_credential_is_a_clear_error_without_the_secret(tmp_path):
    client, _session = make_client(tmp_path, response(401, {'error': 'invalid_client', 'error_description': 'Bad client'}))
    with pytest.raises(AuthError) as info:
        client.msp_token()
    message = str(info.value)
    assert 'invalid_client' in message and 'client_id and client_secret' in message and 'the-secret' not in message


def ok(body):
    return lambda request: response(200, body)


def test_tenant_401_renews_with_one_chain_and_retries(tmp_path):
    """Tenant token revoked along with the MSP token: exchange fails, new MSP token, exchange, retry."""
    client, session = make_client(
        tmp_path, token('msp-1'), token('ten-1'), response(401, {'errorCode': 'HPE_GL_UNAUTHORIZED'}),
        response(400, {'error': 'invalid_grant'}), token('msp-2'), token('ten-2'), ok({'items': []}))
    assert client.get_json('central', 'network-monitoring/v1/devices', TENANT) == {'items': []}
    assert session.sent[2]['headers']['Authorization'] == 'Bearer ten-1'
    assert session.sent[3]['data']['subject_token'] == 'msp-1'
    assert session.sent[5]['data']['subject_token'] == 'msp-2'
    assert session.sent[6]['headers']['Authorization'] == 'Bearer ten-2'
    assert session.script == []


def test_tenant_401_with_a_live_msp_token_needs_only_a_new_exchange(tmp_path):
    client, session = make_client(tmp_path, token('msp-1'), token('ten-1'), response(401), token('ten-2'),
                                  ok({'items': [1]}))
    assert client.get_json('central', 'x', TENANT) == {'items': [1]}
    assert session.sent[3]['data']['subject_token'] == 'msp-1'


def test_msp_scope_401_renews_once_then_reports(tmp_path):
    client, session = make_client(tmp_path, token('msp-1'), response(401), token('msp-2'), response(401))
    with pytest.raises(CentralMspError, match='HTTP 401.*refused even after renewal'):
        client.get_json('glp', 'workspaces/v1/msp-tenants')
    assert [sent['headers']['Authorization'] for sent in session.sent if 'headers' in sent] == [
        'Bearer msp-1', 'Bearer msp-2']


def test_exchange_into_an_unmanaged_workspace_says_so(tmp_path):
    refused = response(403, {'error': 'access_denied', 'error_description': 'not a tenant'})
    client, _session = make_client(tmp_path, token('msp-1'), refused)
    with pytest.raises(AuthError, match='token exchange into tenant workspace %s failed: HTTP 403 access_denied.*'
                       'msp_tenant_info' % TENANT):
        client.tenant_token(TENANT)


def test_central_403_in_tenant_scope_points_at_a_tenant_without_central(tmp_path):
    client, _session = make_client(tmp_path, token('msp-1'), token('ten-1'), response(403, {'message': 'no'}),
                                   response(403, {'message': 'no'}))
    with pytest.raises(CentralMspError, match='HTTP 403.*central_provisioned: false'):
        client.get_json('central', 'network-monitoring/v1/device-inventory', TENANT)
    with pytest.raises(CentralMspError, match='HTTP 403.*scope \\(tenant vs MSP\\)'):
        client.get_json('central', 'network-msp/v1/list-tenants')


def test_authorization_header_cannot_be_overridden(tmp_path):
    client, session = make_client(tmp_path, token('msp-1'), ok({}))
    client.request('glp', 'GET', 'x', headers={'authorization': 'Bearer evil', 'X-Extra': '1'})
    assert session.sent[1]['headers']['Authorization'] == 'Bearer msp-1'
    assert session.sent[1]['headers']['X-Extra'] == '1' and 'authorization' not in session.sent[1]['headers']


@pytest.mark.parametrize('path', ['https://evil.example.com/x', '//evil.example.com/x', '../x', 'a/../../x',
                                  'a/%2e%2e/x', 'a/%252e%252e/x', 'javascript:alert', '\\\\evil\\x', 'a?b=1', 'a b', '',
                                  'a/..;/x', '..;/x', 'a/%2e%2e%3b/x', 'a/%2E%2E%3Bjsessionid=1/x', 'a/.;/x',
                                  'a/%252e%252e%253b/x'])
def test_unsafe_paths_are_refused(path):
    with pytest.raises(CentralMspError, match='path'):
        safe_api_path(path)


def test_relative_paths_are_kept():
    assert safe_api_path('/network-monitoring/v1/devices') == 'network-monitoring/v1/devices'
    assert safe_api_path('monitoring/v2/aps/CN12:34') == 'monitoring/v2/aps/CN12:34'


def test_odata_strings_double_quotes():
    assert odata_string("Bistro d'Or") == "'Bistro d''Or'"


def tenants_page(*items):
    return ok({'items': list(items), 'count': len(items), 'offset': 0, 'total': len(items)})


def glp(name, ident):
    return {'id': ident, 'workspaceName': name, 'inventoryOwnership': 'MSP_OWNED_INVENTORY'}


def test_resolve_by_name_uses_a_doubled_quote_filter(tmp_path):
    client, session = make_client(tmp_path, token('msp-1'), tenants_page(glp("Bistro d'Or", TENANT)))
    assert client.resolve_tenant("Bistro d'Or") == {'name': "Bistro d'Or", 'workspace_id': TENANT}
    assert session.sent[1]['params']['filter'] == "workspaceName eq 'Bistro d''Or'"


def test_unknown_name_lists_the_closest_names(tmp_path):
    everyone = [glp('Acme Retail', TENANT), glp('Acme Logistics', MSP), glp('Zürich Kliniken', '1' * 32)]
    client, _session = make_client(tmp_path, token('msp-1'), tenants_page(), tenants_page(*everyone))
    with pytest.raises(TenantError) as info:
        client.resolve_tenant('Acme Retial')
    assert "Closest names: 'Acme Retail'" in str(info.value) and info.value.candidates[0] == 'Acme Retail'


def test_no_tenants_at_all_hints_at_a_tenant_workspace_id(tmp_path):
    client, _session = make_client(tmp_path, token('msp-1'), tenants_page(), tenants_page())
    with pytest.raises(TenantError, match="not a tenant's"):
        client.resolve_tenant('Acme')


def test_ambiguous_name_lists_ids(tmp_path):
    client, _session = make_client(tmp_path, token('msp-1'), tenants_page(glp('Acme', TENANT), glp('Acme', '1' * 32)))
    with pytest.raises(TenantError, match='ambiguous: 2 tenant workspaces.*11111111-1111') as info:
        client.resolve_tenant('Acme')
    assert len(info.value.candidates) == 2


def test_resolve_many_mixes_names_and_ids_in_one_listing(tmp_path):
    other = '2' * 32
    client, session = make_client(tmp_path, token('msp-1'), tenants_page(glp('Acme', TENANT), glp('Beta', other)))
    chosen = client.resolve_tenants(['Beta', TENANT.replace('-', ''), 'Acme'])
    assert [tenant['name'] for tenant in chosen] == ['Beta', 'Acme'] and len(session.sent) == 2


def test_for_each_tenant_keeps_going_after_a_failure(tmp_path):
    client, _session = make_client(tmp_path)

    def work(tenant):
        if tenant['name'] == 'bad':
            raise TenantError('boom')
        return tenant['name'].upper()
    entries = client.for_each_tenant([{'name': n, 'workspace_id': n} for n in ('a', 'bad', 'c')], work, 2)
    assert [(entry['result'], entry['failed'], entry['msg']) for entry in entries] == [
        ('A', False, ''), (None, True, 'boom'), ('C', False, '')]


def test_tenant_record_joins_central_summary():
    central = {'tenantId': 'c-1', 'totalSites': 3, 'degradedSites': 1,
               'deviceHealthStatus': {'total': 9, 'good': 7, 'fair': 1, 'poor': 1},
               'alerts': {'total': 2, 'critical': 1, 'major': 1, 'minor': 0}, 'lastUpdatedTime': 't'}
    record = tenant_record(glp('Acme', TENANT.replace('-', '')), central, True)
    assert record['workspace_id'] == TENANT and record['central_provisioned'] is True
    assert record['device_health']['poor'] == 1 and record['sites_degraded'] == 1
    assert tenant_record(glp('Acme', TENANT), None, True)['central_provisioned'] is False
    assert tenant_record(glp('Acme', TENANT), None, False)['central_provisioned'] is None


def central_page(*items):
    return ok({'items': list(items), 'count': len(items), 'total': len(items), 'next': None})


def summary(name, tenant_id, critical):
    return {'tenantId': tenant_id, 'tenantName': name, 'totalSites': 1, 'degradedSites': 0,
            'deviceHealthStatus': {'total': 1, 'good': 1, 'fair': 0, 'poor': 0},
            'alerts': {'total': critical, 'critical': critical, 'major': 0, 'minor': 0},
            'lastUpdatedTime': 1763639939, 'deviceOwnership': 'MSP'}


def test_a_shared_name_joins_no_central_data(tmp_path):
    """Two GLP tenants named Acme, two Central tenants named Acme: no pairing by name can be trusted, so neither
    gets the other's (or any) Central figures; a tenant with a unique name is joined as usual."""
    twin = '3' * 32
    warnings = []
    client, session = make_client(tmp_path, token('msp-1'),
                                  tenants_page(glp('Acme', TENANT), glp('Acme', twin), glp('Beta', MSP)),
                                  central_page(summary('Acme', 'c-1', 5), summary('Acme', 'c-2', 0),
                                               summary('Beta', 'c-3', 1)))
    client.warn = warnings.append
    tenants, error = client.tenant_overview()
    assert error is None
    by_id = {tenant['workspace_id']: tenant for tenant in tenants}
    for ident in (TENANT, '33333333-3333-3333-3333-333333333333'):
        assert by_id[ident]['central_provisioned'] is None and by_id[ident]['alerts'] is None
        assert by_id[ident]['central_tenant_id'] is None
    assert by_id[MSP]['central_tenant_id'] == 'c-3' and by_id[MSP]['last_updated'] == '2025-11-20T11:58:59Z'
    assert len(warnings) == 1 and "'Acme'" in warnings[0] and 'Beta' not in warnings[0]
    assert session.sent[2]['params'] == {'limit': 100, 'next': '1'}


def test_a_name_shared_only_in_central_is_not_joined_either(tmp_path):
    client, _session = make_client(tmp_path, token('msp-1'), tenants_page(glp('Acme', TENANT)),
                                   central_page(summary('Acme', 'c-1', 5), summary('Acme', 'c-2', 0)))
    tenants, _error = client.tenant_overview()
    assert tenants[0]['central_provisioned'] is None and tenants[0]['alerts'] is None


# ---- hostile servers and data (issue 15) --------------------------------------------------------------------

def test_a_cached_token_is_masked_before_this_process_ever_uses_it(tmp_path):
    warm, _session = make_client(tmp_path, token('cached-msp-token-1'))
    warm.msp_token()
    # A new process: the MSP token comes from the cache; the exchange error echoes it in clear and form-encoded.
    client, _session = make_client(tmp_path, response(400, {
        'error': 'invalid_request', 'error_description': 'bad subject_token cached-msp-token-1 in '
                                                         'subject_token=cached%2Dmsp%2Dtoken%2D1'}))
    with pytest.raises(AuthError) as info:
        client.tenant_token(TENANT)
    assert 'cached-msp-token-1' not in str(info.value) and 'cached%2Dmsp' not in str(info.value)
    assert '********' in str(info.value)


@pytest.mark.parametrize('body, fragment', [
    ({'access_token': 'abc\r\nX-Injected: 1', 'expires_in': 900}, 'characters a header cannot carry'),
    ({'access_token': 'tok\u00e9n', 'expires_in': 900}, 'characters a header cannot carry'),
    ({'access_token': 12345, 'expires_in': 900}, 'not a string but int'),
    ({'access_token': {'value': 'x'}, 'expires_in': 900}, 'not a string but dict'),
    ({'access_token': '', 'expires_in': 900}, 'empty'),
    ({'expires_in': 900}, 'has no access_token'),
    ({'access_token': 'good-token', 'expires_in': 'soon'}, 'unusable expires_in (str)'),
    ({'access_token': 'good-token', 'expires_in': -5}, 'unusable expires_in (-5)'),
    ({'access_token': 'good-token', 'expires_in': 1e300}, 'unusable expires_in'),
    ({'access_token': 'good-token', 'expires_in': True}, 'unusable expires_in'),
    ({'access_token': 'good-token', 'expires_in': [900]}, 'unusable expires_in (list)'),
])
def test_a_token_response_that_cannot_be_used_is_a_clear_error_never_echoed(tmp_path, body, fragment):
    client, _session = make_client(tmp_path, response(200, body))
    with pytest.raises(ApiError) as info:
        client.msp_token()
    assert fragment in str(info.value) and 'Injected' not in str(info.value)
    assert 'MSP token request' in str(info.value)


def test_a_huge_but_finite_expires_in_is_kept_a_day_at_most(tmp_path):
    client, _session = make_client(tmp_path, token('long-lived-token', expires_in=30 * 86400))
    client.msp_token()
    entry = client.cache._memory[next(iter(client.cache._memory))]
    assert entry.expires_at - entry.issued_at == 86400


def test_malformed_glp_tenants_cost_only_themselves_and_are_reported(tmp_path):
    warnings = []
    good = glp('Acme', TENANT)
    numbered = glp(42, 'cccccccc-cccc-4ccc-8ccc-cccccccccccc')
    nameless = glp(None, 'dddddddd-dddd-4ddd-8ddd-dddddddddddd')
    client, _session = make_client(tmp_path, token('msp-1'), tenants_page(
        'a string', {'workspaceName': 'No id'}, {'id': 'not-a-uuid', 'workspaceName': 'Bad id'}, good, numbered,
        nameless))
    client.warn = warnings.append
    tenants, central_error = client.tenant_overview(with_central=False)
    assert central_error is None
    assert [(tenant['name'], tenant['workspace_id']) for tenant in tenants] == [
        (None, nameless['id']), ('42', numbered['id']), ('Acme', TENANT)]
    assert len(warnings) == 1 and "GLP's tenant list" in warnings[0]
    assert "'a string'" in warnings[0] and 'has a workspaceName that is null' in warnings[0]
    assert 'a int, not a string' in warnings[0]


def test_malformed_central_summaries_are_null_and_reported_the_others_join(tmp_path):
    warnings = []
    other = 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee'
    central = {'items': ['junk', {'tenantName': None}, {'tenantName': 'Acme', 'tenantId': '1', 'totalSites': 'many',
                                                        'degradedSites': 1, 'deviceHealthStatus': 'all good',
                                                        'alerts': {'total': '3', 'critical': 1}},
                         {'tenantName': 'Beta', 'tenantId': '2', 'totalSites': 2, 'degradedSites': 0}],
               'total': 4, 'count': 4, 'next': None}
    client, _session = make_client(tmp_path, token('msp-1'), tenants_page(glp('Acme', TENANT), glp('Beta', other)),
                                   ok(central))
    client.warn = warnings.append
    tenants, central_error = client.tenant_overview()
    acme, beta = tenants
    assert central_error is None and acme['central_provisioned'] and beta['central_provisioned']
    assert acme['sites_total'] is None and acme['sites_degraded'] == 1 and acme['device_health'] is None
    assert acme['alerts'] == {'total': None, 'critical': 1, 'major': 0, 'minor': 0}
    assert beta['sites_total'] == 2
    assert any("Central's tenant list" in w and '2 entries without a tenant name' in w for w in warnings)
    assert any("totalSites: 'many'" in w and "deviceHealthStatus: 'all good'" in w and 'Acme' in w for w in warnings)


def test_items_that_are_not_objects_fail_that_listing_with_a_clear_message(tmp_path):
    client, _session = make_client(tmp_path, token('msp-1'), token('ten-1'), ok(
        {'items': [{'serialNumber': 'A'}, 'B', 7], 'total': 3, 'count': 3, 'next': None}))
    with pytest.raises(DataError, match=r'network-monitoring/v1/devices in tenant .* returned 2 items that are not '
                                        r"JSON objects \(the first: 'B'\)"):
        client.get_all('devices', TENANT)


def test_for_each_tenant_turns_data_of_an_unexpected_shape_into_that_tenants_failure(tmp_path):
    client, _session = make_client(tmp_path)

    def work(tenant):
        if tenant['name'] == 'bad':
            return 'text'.get('x')  # what code meeting a string where it expects an object does
        return tenant['name']
    entries = client.for_each_tenant([{'name': n, 'workspace_id': n} for n in ('a', 'bad', 'c')], work, 2)
    assert [entry['failed'] for entry in entries] == [False, True, False]
    assert entries[1]['msg'].startswith('the API returned data of an unexpected shape (AttributeError')
