# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Our contract with the live APIs: every list endpoint the collection calls and the simulator serves.

Written by us from the facts in HPE's published OpenAPI definitions (New Central MSP, monitoring and
notifications; GLP workspace management, devices, audit logs): query parameters with their types, limits
and which are required; filterable fields with their operators; sortable fields; the page body with its
required keys, types, enum values, lengths, formats and ranges; the 400 error code; the rate-limit headers.
It is the one source the connection layer (paging, limits), the modules (choices, what can be filtered
server-side), the simulator (what it accepts and serves) and the tests (every served page is checked against
it) draw from.

Where a definition leaves something open, the choice made is marked ``inferred``.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from ansible_collections.central.msp.plugins.module_utils import vocabulary as V

# ---- schemas: small dicts, checked by check() ------------------------------------------------------------

INT64_MAX = 2 ** 63 - 1
_DATE_TIME = re.compile(r'\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?'
                        r'(Z|[+-]([01]\d|2[0-3]):[0-5]\d)\Z')
_UUID = re.compile(r'[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z')
_EMAIL = re.compile(r'[^@\s]+@[^@\s]+\.[^@\s]+\Z')
_OCTET = r'(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)'
_IPV4 = re.compile(r'%s(\.%s){3}\Z' % (_OCTET, _OCTET))     # as ipaddress.IPv4Address, but cheaper


def _ipv6(text):
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return None
    return True


# The formats the definitions give the string fields we model, and how a value of each is recognised.
FORMATS = {
    'date-time': _DATE_TIME.match,                  # RFC 3339, as the definitions' examples write it
    'uuid': _UUID.match,
    'email': _EMAIL.match,
    'ipv4': _IPV4.match,
    'ipv6': _ipv6,
}


def _schema(kind, required, nullable, **extra):
    schema = {'type': kind, 'required': required, 'nullable': nullable}
    schema.update({key: value for key, value in extra.items() if value is not None})
    return schema


def string(enum=None, required=False, nullable=False, fmt=None, max_length=None, pattern=None):
    enum = tuple(enum) if enum else None
    limits = (enum, max_length, FORMATS[fmt] if fmt else None, re.compile(pattern) if pattern else None)
    # conforms() reads the limits in one look-up, and none for a string without any: it runs on every value
    # of every page the simulator serves.
    return _schema('string', required, nullable, enum=enum, format=fmt, max_length=max_length, pattern=pattern,
                   limits=limits if any(limit is not None for limit in limits) else None)


def integer(required=False, nullable=False, minimum=None, maximum=None):
    return _schema('integer', required, nullable, minimum=minimum, maximum=maximum)


def number(required=False, nullable=False, minimum=None, maximum=None):
    return _schema('number', required, nullable, minimum=minimum, maximum=maximum)


def boolean(required=False, nullable=False):
    return _schema('boolean', required, nullable)


def obj(properties, required=False, nullable=False):
    return _schema('object', required, nullable, properties=properties)


def array(items, required=False, nullable=False, max_items=None):
    return _schema('array', required, nullable, items=items, max_items=max_items)


def req(schema):
    """The same schema, as a required key."""
    return dict(schema, required=True)


def shown(_schema, value):
    """How a message shows a value that breaks its schema: as it is (check()'s default)."""
    return repr(value)


def check(schema, value, where='body', show=shown):
    """Every way ``value`` breaks ``schema``: a list of messages, empty when it conforms.

    A required key must be present; a value must have the type (null only where nullable); a string must be
    one of its enum, no longer than its max_length, of its format and match its pattern; a number must lie
    within its minimum and maximum; objects are checked key by key (unknown keys are allowed, as the
    definitions do not close their objects), arrays item by item and by their max_items.
    ``show(schema, value) -> str``: how a message names a wrong value (the contract probe's report names no
    customer data, so it shows only what cannot be any)."""
    # The simulator checks every page it serves: the messages (a path for every value) only when one is wrong.
    return [] if conforms(schema, value) else _problems(schema, value, where, show)


def _in_range(schema, value):
    # not < / >: NaN is no number within a range either
    low = schema.get('minimum')
    if low is not None and not value >= low:
        return False
    high = schema.get('maximum')
    return high is None or value <= high


def conforms(schema, value):
    """Whether ``value`` conforms to ``schema``: check() finds nothing, without building its messages."""
    if value is None:
        return bool(schema.get('nullable'))
    kind = schema['type']
    if kind == 'string':
        if not isinstance(value, str):
            return False
        limits = schema.get('limits')
        if limits is None:
            return True
        enum, longest, fmt, pattern = limits
        return ((enum is None or value in enum) and (longest is None or len(value) <= longest) and
                (fmt is None or fmt(value) is not None) and (pattern is None or pattern.search(value) is not None))
    if kind == 'boolean':
        return isinstance(value, bool)
    if kind == 'object':
        if not isinstance(value, dict):
            return False
        for name, sub in schema['properties'].items():
            if name in value:
                if not conforms(sub, value[name]):
                    return False
            elif sub.get('required'):
                return False
        return True
    if kind == 'array':
        if not isinstance(value, list) or (schema.get('max_items') is not None and len(value) > schema['max_items']):
            return False
        items = schema['items']
        for item in value:
            if not conforms(items, item):
                return False
        return True
    if kind == 'integer' and (not isinstance(value, int) or isinstance(value, bool)):
        return False
    if kind == 'number' and (not isinstance(value, (int, float)) or isinstance(value, bool)):
        return False
    return _in_range(schema, value)


def _problems(schema, value, where, show=shown):
    problems = []
    if value is None:
        if not schema.get('nullable'):
            problems.append('%s: null, expected %s' % (where, schema['type']))
        return problems
    kind = schema['type']
    if kind == 'string':
        if not isinstance(value, str):
            return ['%s: %s is not a string' % (where, show(schema, value))]
        if schema.get('enum') and value not in schema['enum']:
            problems.append('%s: %s is not one of %s' % (where, show(schema, value), ', '.join(schema['enum'])))
        if schema.get('max_length') is not None and len(value) > schema['max_length']:
            problems.append('%s: %s is %d characters long, at most %d allowed'
                            % (where, show(schema, value), len(value), schema['max_length']))
        if schema.get('format') is not None and not FORMATS[schema['format']](value):
            problems.append('%s: %s is not a valid %s' % (where, show(schema, value), schema['format']))
        if schema.get('pattern') is not None and re.search(schema['pattern'], value) is None:
            problems.append('%s: %s does not match %s' % (where, show(schema, value), schema['pattern']))
    elif kind == 'integer':
        if not isinstance(value, int) or isinstance(value, bool):
            return ['%s: %s is not an integer' % (where, show(schema, value))]
    elif kind == 'number':
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return ['%s: %s is not a number' % (where, show(schema, value))]
    elif kind == 'boolean':
        if not isinstance(value, bool):
            return ['%s: %s is not a boolean' % (where, show(schema, value))]
    elif kind == 'object':
        if not isinstance(value, dict):
            return ['%s: %r is not an object' % (where, type(value).__name__)]
        for name, sub in schema['properties'].items():
            if name not in value:
                if sub.get('required'):
                    problems.append('%s.%s: required key missing' % (where, name))
                continue
            problems.extend(_problems(sub, value[name], '%s.%s' % (where, name), show))
    elif kind == 'array':
        if not isinstance(value, list):
            return ['%s: %r is not an array' % (where, type(value).__name__)]
        if schema.get('max_items') is not None and len(value) > schema['max_items']:
            problems.append('%s: %d items, at most %d allowed' % (where, len(value), schema['max_items']))
        for index, item in enumerate(value):
            problems.extend(_problems(schema['items'], item, '%s[%d]' % (where, index), show))
    if kind in ('integer', 'number') and not _in_range(schema, value):
        low, high = schema.get('minimum'), schema.get('maximum')
        if low is not None and not value >= low:
            problems.append('%s: %s is below the minimum %r' % (where, show(schema, value), low))
        else:
            problems.append('%s: %s is above the maximum %r' % (where, show(schema, value), high))
    return problems


# ---- item schemas ------------------------------------------------------------------------------------------
#
# Lengths, formats and ranges are the definitions' (maxLength, format, minimum, maximum, pattern).
#
# inferred: null. The definitions type almost no field as nullable, yet their own examples answer null in
# fields they type as string, object or array (GLP devices: application, region, subscription,
# tenantWorkspaceId), and Central's says in words that a device in no cluster has a null clusterName. So a
# field is nullable= below where the item may have no value for it (the site of a device not yet onboarded,
# the cleared reason of an active alert, the address of a failed client, ...); everywhere else null is refused.
#
# Not repeated here: the GLP subscription tier's enum (131 tiers of every HPE product line; the collection
# never reads it), the values of GLP device tags (strings) and the int32 / int64 integer formats. The
# simulator's test against the definitions themselves (tests/unit/simulator/test_simulator_spec.py) holds
# its pages to those too.

HEALTH_GROUPS = obj({'groups': array(obj({'name': string(V.HEALTH_LEVELS), 'value': integer()}))})

CENTRAL_TENANT = obj({
    'tenantId': string(), 'tenantName': string(), 'totalSites': integer(), 'degradedSites': integer(),
    'deviceHealthStatus': obj({'total': integer(), 'good': integer(), 'fair': integer(), 'poor': integer()}),
    'alerts': obj({'total': integer(), 'critical': integer(), 'major': integer(), 'minor': integer()}),
    'lastUpdatedTime': integer(),       # epoch seconds
    'createdTime': integer(),           # epoch seconds
    'deviceOwnership': string(V.DEVICE_OWNERSHIP, max_length=128),
})


def _device(**fields):
    """The fields device-inventory and devices share, with their definitions' lengths; ``fields`` adds or
    overrides (a nullable site, say)."""
    base = {
        'id': req(string(max_length=36)), 'type': req(string(max_length=36)),
        'serialNumber': req(string(max_length=16)), 'deviceName': req(string(max_length=256)),
        'deviceType': req(string(V.DEVICE_TYPES)), 'macAddress': req(string(max_length=18)),
        'siteId': req(string(max_length=128)), 'siteName': string(max_length=256),
        'model': string(max_length=32), 'partNumber': string(max_length=12),
        'role': string(max_length=16), 'deployment': string(max_length=16), 'deviceFunction': string(max_length=20),
        'firmwareVersion': string(max_length=32), 'ipv4': string(nullable=True, fmt='ipv4', max_length=15),
        'status': string(V.DEVICE_STATUSES),
    }
    base.update(fields)
    return obj(base)


INVENTORY_DEVICE = _device(
    # inferred: a device not assigned to a site (site-assigned=UNASSIGNED) has a null site
    siteId=req(string(nullable=True, max_length=128)), siteName=string(nullable=True, max_length=256),
    role=string(nullable=True, max_length=16), deployment=string(nullable=True, max_length=16),
    deviceFunction=string(nullable=True, max_length=20), deviceGroupName=string(nullable=True, max_length=256),
    firmwareVersion=string(nullable=True, max_length=32),
    isProvisioned=string(V.PROVISIONED, max_length=16),
    status=string(V.DEVICE_STATUSES, nullable=True),    # inferred: null for a device never onboarded
    subscriptionKey=string(nullable=True, max_length=32), tier=string(nullable=True, max_length=32),
)

MONITORED_DEVICE = _device(
    clusterName=string(nullable=True, max_length=256),
    ipv6=string(nullable=True, fmt='ipv6', max_length=39),
    configStatus=string(max_length=256), lastSeenAt=string(fmt='date-time', max_length=128),
    uptimeInMillis=number(minimum=0, maximum=INT64_MAX),
)

SITE_HEALTH = obj({
    'id': req(string()), 'type': req(string()), 'siteName': req(string()),
    'address': req(obj({'address': string(), 'city': string(), 'state': string(), 'zipCode': string(),
                        'country': string()})),
    'alerts': req(obj({'totalCount': integer(),
                       'groups': array(obj({'name': string(V.ALERT_SEVERITIES), 'count': integer()}))})),
    'health': req(HEALTH_GROUPS),
    'devices': req(obj({'count': integer(), 'health': HEALTH_GROUPS})),
    'clients': req(obj({'count': integer(), 'health': HEALTH_GROUPS})),
    'reasons': req(array(obj({'health': string(V.HEALTH_LEVELS), 'reason': string(),
                              'data': obj({'count': integer()})}))),
})

CLIENT = obj({
    'id': req(string(max_length=36)), 'type': req(string(max_length=36)), 'macAddress': req(string()),
    'clientName': string(), 'hostName': string(nullable=True), 'ipv4': string(nullable=True),
    'ipv6': string(nullable=True), 'status': string(V.CLIENT_STATUSES),
    'clientConnectionType': string(V.CONNECTION_TYPES), 'connectedDeviceSerial': string(),
    'connectedDeviceType': string(), 'connectedTo': string(), 'connectedAt': string(fmt='date-time', nullable=True),
    'lastSeenAt': string(fmt='date-time'), 'siteId': string(), 'siteName': string(), 'vlanId': string(),
    'wlanName': string(nullable=True), 'userName': string(nullable=True), 'wirelessBand': string(nullable=True),
    'role': string(nullable=True), 'clientVendor': string(), 'clientOperatingSystem': string(),
})

ALERT = obj({
    'id': req(string()), 'key': req(string()), 'type': req(string()), 'typeId': req(string()),
    'name': req(string()), 'summary': req(string()), 'category': req(string(V.ALERT_CATEGORIES)),
    # inferred: the definition lists no severity values; its examples and list-tenants' counts say these three
    'severity': req(string(V.ALERT_SEVERITIES)), 'priority': req(string(V.ALERT_PRIORITIES)),
    'status': req(string(V.ALERT_STATUSES)), 'deviceType': req(string(V.ALERT_DEVICE_TYPES)),
    'createdAt': req(string(fmt='date-time')), 'updatedAt': req(string(fmt='date-time')),
    'updatedBy': req(string(nullable=True)), 'clearedReason': req(string(nullable=True)),
})

GLP_TENANT = obj({
    'id': req(string(fmt='uuid')), 'type': req(string()), 'workspaceName': req(string()),
    'generation': integer(), 'createdAt': string(fmt='date-time'), 'updatedAt': string(fmt='date-time'),
    'createdBy': string(fmt='email'), 'resourceUri': string(), 'inventoryOwnership': string(V.INVENTORY_OWNERSHIP),
})

GLP_DEVICE = obj({
    'id': req(string(fmt='uuid')), 'type': req(string()), 'serialNumber': req(string()),
    'partNumber': req(string()),
    # inferred: null for a compute or storage device added without one
    'macAddress': string(nullable=True, pattern=r'^([0-9a-fA-F]{2})(:[0-9a-fA-F]{2}){5}$'),
    'deviceType': string(V.GLP_DEVICE_TYPES),
    'model': string(), 'region': string(), 'archived': boolean(), 'generation': integer(),
    'assignedState': string(V.GLP_ASSIGNED_STATES),
    'application': obj({'id': req(string(fmt='uuid')), 'resourceUri': req(string())}, nullable=True),
    'subscription': array(obj({'id': req(string(fmt='uuid')), 'resourceUri': req(string()), 'key': string(),
                               'tier': string()})),
    'tags': obj({}), 'createdAt': string(fmt='date-time'), 'updatedAt': string(fmt='date-time'),
    'resourceUri': string(),
    'tenantWorkspaceId': string(nullable=True),     # null: in the MSP's own pool (as the definition's example)
})

AUDIT_LOG = obj({
    'id': req(string(fmt='uuid')), 'type': req(string()), 'category': req(string()),
    'createdAt': req(string(fmt='date-time')), 'description': req(string()), 'username': req(string()),
    'serviceOffer': req(obj({'id': req(string(fmt='uuid')), 'name': req(string()), 'region': req(string())})),
    'workspace': req(obj({'id': req(string(fmt='uuid')), 'name': req(string()),
                          'type': string(('STANDALONE', 'TENANT', 'MSP'))})),
    'ipAddress': string(), 'hasDetails': boolean(), 'additionalInfo': obj({}),
})


def next_page(item, max_items=None, total_required=False, next_required=True):
    """A ``next`` page: items, count, total, next (a string cursor, null on the last page)."""
    return obj({'items': req(array(item, max_items=max_items)), 'count': req(integer()),
                'total': integer(required=total_required),
                'next': string(required=next_required, nullable=True)})


def offset_page(item, extra=None):
    """An ``offset`` page: items, count, offset, total."""
    properties = {'items': req(array(item)), 'count': req(integer()), 'offset': req(integer()),
                  'total': req(integer())}
    properties.update(extra or {})
    return obj(properties)


# ---- endpoints ---------------------------------------------------------------------------------------------

EQ_IN = ('eq', 'in')
# GLP lists take the general OData subset.
ANY_OPERATOR = ('eq', 'ne', 'gt', 'ge', 'lt', 'le', 'in')


@dataclass(frozen=True)
class Filter:
    """What the endpoint's ``filter`` accepts: which joins, and each field with its operators."""

    fields: dict
    logic: tuple = ('and',)     # Central: 'and' only; GLP: and, or, not
    max_length: int | None = 256
    # How a quote inside a string literal is written: Central \' (its definition's example), GLP doubled.
    quote: str = "\\'"

    def literal(self, value):
        """``value`` as a quoted string literal of this filter."""
        text = str(value)
        if self.quote == "''":
            return "'%s'" % text.replace("'", "''")
        return "'%s'" % text.replace('\\', '\\\\').replace("'", "\\'")


@dataclass(frozen=True)
class Endpoint:
    """A list endpoint: where it lives, how it pages, what it accepts and what it answers."""

    name: str
    app: str                    # 'glp' or 'central': which base URL serves it
    path: str
    scope: str                  # 'msp', 'tenant' or 'any' token
    paging: str                 # 'next' (string cursor) or 'offset'
    max_limit: int
    default_limit: int
    key: str                    # the field that identifies an item
    page: dict                  # schema of a 200 body
    params: dict                # every query parameter it accepts, name -> schema (limit/offset/next included)
    filter: Filter | None = None
    sort: tuple = ()
    required: tuple = ()        # query parameters without which it answers 400
    first_cursor: str | None = None
    error_code: str = 'HPE_GL_ERROR_BAD_REQUEST'    # errorCode of its 400 answers
    min_limit: int = 1
    source: str = ''            # which published definition states it
    notes: tuple = field(default_factory=tuple)


NEXT_PARAMS = {'limit': integer(), 'next': string(), 'filter': string(), 'sort': string()}
OFFSET_PARAMS = {'limit': integer(), 'offset': integer(), 'filter': string(), 'sort': string()}
MONITORING_400 = 'HPE_GL_NETWORK_MONITORING_INVALID_INPUT'

_ENDPOINTS = (
    Endpoint('msp_tenants', 'glp', 'workspaces/v1/msp-tenants', 'any', 'offset', 300, 300, 'id',
             offset_page(GLP_TENANT), {'limit': integer(), 'offset': integer(), 'filter': string()},
             Filter(dict.fromkeys(('id', 'createdAt', 'updatedAt', 'workspaceName', 'createdBy', 'inventoryOwnership'),
                                  ANY_OPERATOR), logic=('and', 'or', 'not'), max_length=None, quote="''"),
             source='glp-workspace-management.json',
             notes=('a tenant token gets an empty list (inferred from seed 004)',)),
    Endpoint('central_tenants', 'central', 'network-msp/v1/list-tenants', 'msp', 'next', 100, 10, 'tenantId',
             next_page(CENTRAL_TENANT, next_required=False), NEXT_PARAMS,
             Filter({'tenantName': ('eq',), 'deviceOwnership': ('in',)}),
             ('tenantName', 'totalSites', 'deviceHealthStatus', 'degradedSites', 'alerts', 'deviceOwnership',
              'createdTime'),
             required=('limit', 'next'), first_cursor='1', error_code='HPE_GL_NETWORK_SERVICES_INVALID_INPUT',
             source='central-msp.json'),
    Endpoint('device_inventory', 'central', 'network-monitoring/v1/device-inventory', 'tenant', 'next', 1000, 20,
             'serialNumber', next_page(INVENTORY_DEVICE, max_items=1000),
             dict(NEXT_PARAMS, **{'site-assigned': string(V.SITE_ASSIGNED)}),
             Filter(dict.fromkeys(('siteId', 'siteName', 'serialNumber', 'deviceName', 'deviceType', 'model',
                                   'firmwareVersion', 'deviceFunction', 'isProvisioned', 'deviceGroupName'), EQ_IN)),
             ('siteId', 'siteName', 'serialNumber', 'deviceName', 'macAddress', 'deviceType', 'ipv4', 'model',
              'deviceGroupName', 'deviceFunction'),
             error_code=MONITORING_400, source='central-monitoring.json',
             notes=('status is in the items but not filterable',)),
    Endpoint('devices', 'central', 'network-monitoring/v1/devices', 'tenant', 'next', 1000, 1000, 'serialNumber',
             next_page(MONITORED_DEVICE, max_items=1000), NEXT_PARAMS,
             Filter(dict.fromkeys(('siteId', 'siteName', 'serialNumber', 'deviceName', 'deviceType', 'status',
                                   'model', 'firmwareVersion', 'deployment', 'clusterName'), EQ_IN)),
             ('siteId', 'siteName', 'serialNumber', 'deviceName', 'deployment', 'model'),
             error_code=MONITORING_400, source='central-monitoring.json'),
    Endpoint('sites', 'central', 'network-monitoring/v1/sites-health', 'tenant', 'offset', 1000, 100, 'id',
             offset_page(SITE_HEALTH, {'response': req(obj({'code': string(), 'message': string(),
                                                            'status': string()}))}),
             OFFSET_PARAMS, Filter(dict.fromkeys(('siteId', 'siteName'), EQ_IN)),
             ('siteName', 'siteHealth', 'deviceHealth', 'clientHealth'),
             error_code=MONITORING_400, source='central-monitoring.json'),
    Endpoint('clients', 'central', 'network-monitoring/v1/clients', 'tenant', 'next', 1000, 100, 'id',
             next_page(CLIENT, next_required=False),
             dict(NEXT_PARAMS, **{'site-id': string(), 'site-name': string(), 'serial-number': string(),
                                  'start-at': string(fmt='date-time'), 'end-at': string(fmt='date-time')}),
             Filter(dict.fromkeys(('clientConnectionType', 'status', 'wlanName', 'vlanId', 'tunnelType', 'role'),
                                  EQ_IN)),
             ('clientName', 'status', 'clientConnectionType', 'macAddress', 'ipv4', 'ipv6', 'connectedDeviceSerial',
              'connectedTo', 'lastSeenAt', 'port', 'role', 'wlanName', 'vlanId', 'tunnelType', 'tunnelId',
              'connectedAt'),
             error_code=MONITORING_400, source='central-monitoring.json',
             notes=("without a status in the filter, status eq 'Connected' applies",
                    'failed clients only inside start-at/end-at (default: the 3 hours before end-at, which '
                    'defaults to now); at most 7 days apart, 1 month with a site',
                    'the site is chosen by the site-id / site-name query parameters, not the filter')),
    Endpoint('alerts', 'central', 'network-notifications/v1/alerts', 'tenant', 'next', 100, 20, 'id',
             next_page(ALERT, next_required=False), NEXT_PARAMS,
             Filter(dict.fromkeys(('siteId', 'typeId', 'status', 'category', 'deviceType'), EQ_IN)),
             ('createdAt', 'severity', 'status', 'name', 'priority'),
             error_code='HPE_GL_NETWORK_NOTIFICATIONS_BAD_REQUEST', source='central-notifications.json',
             notes=('no severity filter', 'items carry no site, device name or serial number')),
    Endpoint('glp_devices', 'glp', 'devices/v1/devices', 'any', 'offset', 2000, 2000, 'id',
             offset_page(GLP_DEVICE), dict(OFFSET_PARAMS, **{'filter-tags': string(), 'select': string()}),
             Filter(dict.fromkeys(('id', 'serialNumber', 'macAddress', 'deviceType', 'model', 'partNumber', 'region',
                                   'archived', 'assignedState', 'createdAt', 'updatedAt', 'deviceName'),
                                  ANY_OPERATOR), logic=('and', 'or', 'not'), max_length=None, quote="''"),
             ('serialNumber', 'macAddress', 'deviceType', 'model', 'partNumber', 'createdAt', 'updatedAt'),
             source='glp-device-management.json'),
    Endpoint('audit_logs', 'glp', 'audit-log/v2beta1/logs', 'any', 'offset', 2000, 50, 'id',
             offset_page(AUDIT_LOG, {'remainingRecords': req(boolean())}),
             dict(OFFSET_PARAMS, select=string()),
             Filter(dict.fromkeys(('category', 'description', 'createdAt', 'username', 'ipAddress'), ANY_OPERATOR),
                    logic=('and', 'or', 'not'), max_length=None, quote="''"),
             ('createdAt', 'category', 'username'), source='glp-audit-logs.json',
             notes=('inferred: the definition names no filterable fields; these are the item fields',)),
)

ENDPOINTS = {endpoint.name: endpoint for endpoint in _ENDPOINTS}
BY_PATH = {(endpoint.app, endpoint.path): endpoint for endpoint in _ENDPOINTS}

# Rate-limit headers, (limit, remaining, reset), and the form of reset.
RATE_LIMIT_HEADERS = {
    'glp': ('ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'),           # reset: seconds
    'central': ('X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'),  # reset: RFC 3339 date-time
}
RATE_LIMIT_RESET_FORM = {'glp': 'seconds', 'central': 'date-time'}

# The error body every GLP and Central error shares.
ERROR_BODY = obj({'httpStatusCode': req(integer()), 'errorCode': req(string()), 'message': req(string()),
                  'debugId': req(string())})

# The form of each rate-limit header, (limit, remaining, reset). Central's definitions declare the three on the 200
# answers of every Central endpoint above (integers of int64 >= 0, reset a date-time of at most 20 characters);
# GLP's declare none there (api-contract.md names them, reset in seconds). Neither marks them required, so an
# answer without them conforms; one that sends them sends all three, in this form.
RATE_LIMIT_HEADER_SCHEMAS = {
    'glp': (integer(minimum=0), integer(minimum=0), integer(minimum=0)),
    'central': (integer(minimum=0, maximum=INT64_MAX), integer(minimum=0, maximum=INT64_MAX),
                string(fmt='date-time', max_length=20)),
}
_HEADER_INTEGER = re.compile(r'-?\d+\Z')


def check_rate_limit_headers(app, headers, show=shown):
    """``(sent, problems)``: which of the origin's rate-limit headers the answer carries (name -> bool) and every
    way they break RATE_LIMIT_HEADER_SCHEMAS. ``headers``: case-insensitive, as requests gives them."""
    names = RATE_LIMIT_HEADERS[app]
    sent = {name: headers.get(name) is not None for name in names}
    problems = []
    if any(sent.values()):
        for name, schema in zip(names, RATE_LIMIT_HEADER_SCHEMAS[app]):
            value = headers.get(name)
            if value is None:
                problems.append('header %s: missing, although %s %s sent' % (
                    name, ', '.join(other for other in names if sent[other]),
                    'is' if sum(sent.values()) == 1 else 'are'))
                continue
            if schema['type'] == 'integer':
                value = int(value) if _HEADER_INTEGER.match(value.strip()) else value
            problems.extend(check(schema, value, 'header %s' % name, show))
    return sent, problems


def check_paging(endpoint, body, limit, offset=0):
    """Every way the paging fields of a first page (asked with ``limit``, and ``offset`` for an offset endpoint)
    break what the endpoint's paging means: count is the number of items, no more items than asked for, a total
    no smaller than count; ``next``: a cursor until the last page and null on it (so null on a first page means
    total is count); ``offset``: the offset asked for echoed (and the audit log's remainingRecords true exactly
    while items are left). Only values of the right type are compared: check() reports the others."""
    if not isinstance(body, dict) or not isinstance(body.get('items'), list):
        return []
    items = body['items']

    def number(key):
        value = body.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    count, total, problems = number('count'), number('total'), []
    if count is not None and count != len(items):
        problems.append('count: %d, but the page holds %d items' % (count, len(items)))
    if len(items) > limit:
        problems.append('items: %d items, more than the limit %d asked for' % (len(items), limit))
    if total is not None and total < len(items):
        problems.append('total: %d, fewer than the %d items of this page' % (total, len(items)))
    if endpoint.paging == 'next':
        cursor = body.get('next')
        if isinstance(cursor, str) and not items:
            problems.append('next: a cursor on an empty page')
        elif isinstance(cursor, str) and total is not None and total <= len(items):
            problems.append('next: a cursor, although all %d items of total are on this page' % total)
        elif cursor is None and total is not None and total > len(items):
            problems.append('next: null on the first page, although total is %d and the page holds %d items'
                            % (total, len(items)))
        return problems
    echoed = number('offset')
    if echoed is not None and echoed != offset:
        problems.append('offset: %d, but offset %d was asked for' % (echoed, offset))
    remaining = body.get('remainingRecords')
    if isinstance(remaining, bool) and total is not None and remaining != (offset + len(items) < total):
        problems.append('remainingRecords: %s, but %d of total %d items are read at offset %d'
                        % ('true' if remaining else 'false', len(items), total, offset))
    return problems
