"""The contract itself: facts from HPE's definitions that the rest of the collection relies on."""
from ansible_collections.central.msp.plugins.module_utils import contract
from ansible_collections.central.msp.plugins.module_utils.contract import ENDPOINTS, check, integer, obj, req, string
from ansible_collections.central.msp.plugins.module_utils.msp_client import ENDPOINTS as CLIENT_ENDPOINTS


def test_limits_and_paging_as_published():
    limits = {name: (e.paging, e.max_limit) for name, e in ENDPOINTS.items()}
    assert limits == {'msp_tenants': ('offset', 300), 'central_tenants': ('next', 100),
                      'device_inventory': ('next', 1000), 'devices': ('next', 1000), 'sites': ('offset', 1000),
                      'clients': ('next', 1000), 'alerts': ('next', 100), 'glp_devices': ('offset', 2000),
                      'audit_logs': ('offset', 2000)}
    assert ENDPOINTS['central_tenants'].required == ('limit', 'next')
    assert CLIENT_ENDPOINTS is ENDPOINTS   # the connection layer pages by the contract


def test_central_filters_take_and_with_eq_in_on_listed_fields():
    for name in ('central_tenants', 'device_inventory', 'devices', 'sites', 'clients', 'alerts'):
        rule = ENDPOINTS[name].filter
        assert rule.logic == ('and',) and set(op for ops in rule.fields.values() for op in ops) <= {'eq', 'in'}
    assert 'status' not in ENDPOINTS['device_inventory'].filter.fields
    assert 'severity' not in ENDPOINTS['alerts'].filter.fields
    assert 'siteName' not in ENDPOINTS['clients'].filter.fields and 'site-name' in ENDPOINTS['clients'].params
    assert ENDPOINTS['central_tenants'].filter.fields == {'tenantName': ('eq',), 'deviceOwnership': ('in',)}


def test_rate_limit_headers():
    assert contract.RATE_LIMIT_HEADERS['central'][2] == 'X-RateLimit-Reset'
    assert contract.RATE_LIMIT_RESET_FORM == {'glp': 'seconds', 'central': 'date-time'}


def test_check_reports_each_problem():
    schema = obj({'a': req(integer()), 'b': string(('X', 'Y')), 'c': string(nullable=True)})
    assert check(schema, {'a': 1, 'b': 'X', 'c': None}) == []
    assert check(schema, {'b': 'Z', 'c': 3}) == ["body.a: required key missing", "body.b: 'Z' is not one of X, Y",
                                                 'body.c: 3 is not a string']
    assert check(schema, {'a': True}) == ['body.a: True is not an integer']
    assert check(schema, {'a': None}) == ['body.a: null, expected integer']
