"""The contract itself: facts from HPE's definitions that the rest of the collection relies on."""
import json
import os

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


# A value of each format and of the one pattern the contract has (GLP's MAC address).
FORMAT_EXAMPLES = {'date-time': '2025-11-20T12:00:00.000Z', 'uuid': '5c90a3bc-9bed-4061-8e29-fee148ab2fba',
                   'email': 'admin@summit-msp.example', 'ipv4': '10.20.0.10', 'ipv6': '2001:db8::1', None: 'x'}
MAC = '20:4c:00:00:00:01'


def _example(schema):
    """A value that conforms to ``schema``, every optional key included."""
    kind = schema['type']
    if kind == 'object':
        return {name: _example(sub) for name, sub in schema['properties'].items()}
    if kind == 'array':
        return [_example(schema['items']) for _unused in range(min(2, schema.get('max_items') or 2))]
    if kind == 'string':
        if schema.get('enum'):
            return schema['enum'][0]
        return MAC if schema.get('pattern') else FORMAT_EXAMPLES[schema.get('format')]
    return {'integer': schema.get('minimum') or 0, 'number': 0.5 + (schema.get('minimum') or 0),
            'boolean': False}[kind]


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
        yield value * ((schema.get('max_items') or 25) // len(value) + 1) if value else [None]
        if value:
            for changed in _variants(schema['items'], value[0]):
                yield [changed] + value[1:]
    elif schema['type'] == 'string':
        longest = schema.get('max_length')
        if longest is not None:
            yield 'x' * longest              # at the limit: conforms unless another rule says no
            yield value + 'x' * longest     # over it
        yield value + ' '                    # a format or a pattern holds the whole value
        yield ' ' + value
    elif schema.get('maximum') is not None:
        yield schema['maximum']
        yield schema['maximum'] + 1
    yield from others


def test_the_fast_conformity_check_agrees_with_the_messages_on_every_page_and_every_breakage():
    # The simulator checks every page it serves with conforms() first: it must find a problem exactly when
    # check() has a message for one.
    schemas = {name: endpoint.page for name, endpoint in ENDPOINTS.items()}
    tried, messages = 0, set()
    for name, schema in schemas.items():
        assert check(schema, _example(schema)) == [], name
        for value in _variants(schema, _example(schema)):
            tried += 1
            problems = check(schema, value)
            assert contract.conforms(schema, value) == (problems == []), (name, value)
            messages.update(problems)
    assert tried > 1000
    # Every rule was broken somewhere.
    for rule in ('characters long', 'is not a valid date-time', 'is not a valid uuid', 'is not a valid ipv4',
                 'is not a valid ipv6', 'is not a valid email', 'does not match', 'above the maximum',
                 'below the minimum', 'is not one of', 'items, at most'):
        assert any(rule in message for message in messages), rule


def test_each_new_rule_on_its_own():
    schema = obj({'model': string(max_length=5), 'at': string(fmt='date-time'), 'n': integer(minimum=0, maximum=9),
                  'mac': string(pattern=r'^([0-9a-f]{2})(:[0-9a-f]{2}){5}$')})
    assert check(schema, {'model': '12345', 'at': '2025-11-20T12:00:00Z', 'n': 9, 'mac': MAC}) == []
    assert check(schema, {'model': '123456', 'at': '2025-11-20 12:00', 'n': 10, 'mac': MAC.upper()}) == [
        "body.model: '123456' is 6 characters long, at most 5 allowed",
        "body.at: '2025-11-20 12:00' is not a valid date-time",
        "body.n: 10 is above the maximum 9",
        "body.mac: '20:4C:00:00:00:01' does not match ^([0-9a-f]{2})(:[0-9a-f]{2}){5}$"]
    # Characters, not bytes: HPE's lengths are JSON string lengths.
    assert check(schema, {'model': 'Zürch'}) == []


# HPE's definitions, as tests/simulator/spec_schemas.py extracts them for each endpoint.
SPEC_SCHEMAS = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'simulator', 'spec_schemas.json')
# What the contract leaves to the simulator's test against the definitions (contract.py says why).
NOT_REPEATED = {('glp_devices', 'body.items[].subscription[].tier', 'enum'),
                ('glp_devices', 'body.items[].tags', 'additionalProperties')}


def _gaps(spec, ours, where):
    """Every constraint ``spec`` puts on a value that ``ours`` does not state at least as strictly."""
    gaps = []
    if spec.get('type') not in (None, ours['type']):
        gaps.append((where, 'type'))
    if spec.get('enum') and not (ours.get('enum') and set(ours['enum']) <= set(spec['enum'])):
        gaps.append((where, 'enum'))
    for key, mine, sign in (('maxLength', 'max_length', 1), ('maxItems', 'max_items', 1), ('maximum', 'maximum', 1),
                            ('minimum', 'minimum', -1)):
        if key in spec and (ours.get(mine) is None or sign * ours[mine] > sign * spec[key]):
            gaps.append((where, key))
    for key in ('minLength', 'exclusiveMinimum', 'exclusiveMaximum', 'anyOf'):
        if key in spec:
            gaps.append((where, key))           # the contract has no such rule yet
    if 'pattern' in spec and ours.get('pattern') != spec['pattern']:
        gaps.append((where, 'pattern'))
    # Of the formats only those a value can break: not int32 / int64 (contract.py says why), nor 'const' and
    # the like, which the definitions put on plain strings.
    if spec.get('format') in contract.FORMATS and ours.get('format') != spec['format']:
        gaps.append((where, 'format'))
    if ours['type'] == 'object':
        if isinstance(spec.get('additionalProperties'), dict):
            gaps.append((where, 'additionalProperties'))
        for name, sub in ours['properties'].items():
            if name in spec.get('required', ()) and not sub['required']:
                gaps.append(('%s.%s' % (where, name), 'required'))
            if name in spec.get('properties', {}):
                gaps.extend(_gaps(spec['properties'][name], sub, '%s.%s' % (where, name)))
    elif ours['type'] == 'array' and 'items' in spec:
        gaps.extend(_gaps(spec['items'], ours['items'], where + '[]'))
    return gaps


def test_the_contract_states_every_limit_the_definitions_put_on_the_fields_it_models():
    with open(SPEC_SCHEMAS, encoding='utf-8') as handle:
        definitions = json.load(handle)
    assert sorted(definitions) == sorted(ENDPOINTS)
    gaps = {(name,) + gap for name, endpoint in ENDPOINTS.items()
            for gap in _gaps(definitions[name]['page'], endpoint.page, 'body')}
    assert gaps == NOT_REPEATED


def test_the_comparison_finds_a_missing_limit():
    spec = {'type': 'object', 'required': ['a'], 'properties': {
        'a': {'type': 'string', 'maxLength': 3}, 'b': {'type': 'string', 'enum': ['X']},
        'c': {'type': 'integer', 'maximum': 5}, 'd': {'type': 'string', 'format': 'date-time'}}}
    assert _gaps(spec, obj({'a': req(string(max_length=3)), 'b': string(('X',)), 'c': integer(maximum=5),
                            'd': string(fmt='date-time')}), 'body') == []
    assert _gaps(spec, obj({'a': string(max_length=4), 'b': string(('X', 'Y')), 'c': integer(),
                            'd': string()}), 'body') == [
        ('body.a', 'required'), ('body.a', 'maxLength'), ('body.b', 'enum'), ('body.c', 'maximum'), ('body.d', 'format')]
