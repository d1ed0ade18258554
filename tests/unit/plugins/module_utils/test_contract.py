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


def _example(schema):
    """A value that conforms to ``schema``, every optional key included."""
    kind = schema['type']
    if kind == 'object':
        return {name: _example(sub) for name, sub in schema['properties'].items()}
    if kind == 'array':
        return [_example(schema['items']) for _unused in range(min(2, schema.get('max_items') or 2))]
    return {'string': (schema.get('enum') or ('x',))[0], 'integer': schema.get('minimum') or 0,
            'number': 0.5 + (schema.get('minimum') or 0), 'boolean': False}[kind]


def _variants(schema, value):
    """``value`` and, for every value inside it, copies with that one value replaced, removed or overgrown."""
    yield value
    others = (None, 'x', 'NOT-AN-ENUM-VALUE', -1, 0, True, 0.5, float('nan'), [], {}, [None])
    if schema['type'] == 'object':
        for name, sub in schema['properties'].items():
            yield {key: item for key, item in value.items() if key != name}
            for changed in _variants(sub, value[name]):
                yield dict(value, **{name: changed})
    elif schema['type'] == 'array':
        yield value * 50 if value else [None]
        if value:
            for changed in _variants(schema['items'], value[0]):
                yield [changed] + value[1:]
    yield from others


def test_the_fast_conformity_check_agrees_with_the_messages_on_every_page_and_every_breakage():
    # The simulator checks every page it serves with conforms() first: it must find a problem exactly when
    # check() has a message for one.
    schemas = {name: endpoint.page for name, endpoint in ENDPOINTS.items()}
    tried = 0
    for name, schema in schemas.items():
        for value in _variants(schema, _example(schema)):
            tried += 1
            assert contract.conforms(schema, value) == (check(schema, value) == []), (name, value)
    assert tried > 1000
