"""The GLP and Central list APIs, served as plugins/module_utils/contract.py describes them.

Each request is checked the way the live service checks it, and refused with its 400 body when it breaks a
rule: a query parameter the endpoint does not take, a required one missing, a limit out of range, a filter
with a join, operator or field the endpoint does not support, a sort field it does not list. Every page is
checked against the contract's page schema before it leaves; a page that does not conform is a simulator bug
and is answered 500.

Paging is not uniform: `next` endpoints take limit + a page-number cursor and answer {items, count, total,
next} with next a string, null on the last page; `offset` endpoints take limit + offset and answer {items,
count, offset, total}.
"""
import hashlib
import re
import uuid
from datetime import datetime, timedelta

from ansible_collections.central.msp.plugins.module_utils import contract, vocabulary

from .dataset import BASE_TIME
from .messages import bad_request, glp_error, json_response
from .odata import QueryError, compile_filter, sort_items, tokenize

ROUTES = contract.BY_PATH
# Where each endpoint's items come from in the dataset (None: a tenant listing).
KINDS = {'glp_devices': 'glp-devices', 'audit_logs': 'audit-logs', 'device_inventory': 'device-inventory',
         'devices': 'devices', 'sites': 'sites-health', 'clients': 'clients', 'alerts': 'alerts'}
# The simulator's present: its data is a snapshot of this moment, so "now" (the clients' default window) is it.
NOW = BASE_TIME
MAC = re.compile(r'[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}\Z')
WINDOW_LIMIT = {'global': timedelta(days=7), 'site': timedelta(days=31)}


class ApiError(Exception):
    def __init__(self, response):
        super().__init__(response.status)
        self.response = response


def refuse(route, message, subject=None):
    """The endpoint's 400: Central's carries its own errorCode and nothing more; GLP's adds the issue details."""
    if route.app == 'central':
        return ApiError(glp_error(400, message, error_code=route.error_code))
    return ApiError(bad_request(message, subject=subject))


def scope_error(route, record, dataset):
    """The 403 for a token of the wrong scope, or None when the token may call this route."""
    if route.scope == 'tenant' and record.tenant_id is None:
        return glp_error(403, f'{route.path} is a tenant-level API and this is an MSP workspace token: exchange it for '
                              'the tenant\'s token (RFC 8693 token exchange) first')
    if route.scope == 'msp' and record.tenant_id is not None:
        return glp_error(403, f'{route.path} needs an MSP workspace token; this token is scoped to one tenant')
    if route.app == 'central' and record.tenant_id is not None and not dataset.tenant(record.tenant_id).central_id:
        return glp_error(403, 'HPE Aruba Networking Central is not provisioned in this workspace')
    return None


def source_items(dataset, route, record):
    """Everything the route lists for this token, in default order."""
    kind = KINDS.get(route.name)
    if kind:
        return dataset.items(record.tenant_id or dataset.msp, kind)
    if route.name == 'msp_tenants':
        # The real API answers a tenant token with no tenants rather than an error.
        return [] if record.tenant_id else dataset.listing('glp')
    return dataset.listing('central')


def int_param(route, params, name, default, low, high=None):
    raw = params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < low or (high is not None and value > high):
        limits = f'between {low} and {high}' if high is not None else f'{low} or more'
        raise refuse(route, f'{name} must be an integer {limits}; got {raw!r}', name)
    return value


def check_params(route, params):
    unknown = sorted(set(params) - set(route.params))
    if unknown:
        raise refuse(route, f"unknown query parameter {unknown[0]!r}; {route.path} accepts "
                            f"{', '.join(sorted(route.params))}", unknown[0])
    missing = [name for name in route.required if params.get(name) in (None, '')]
    if missing:
        hint = ': start with next=1' if 'next' in missing else ''
        raise refuse(route, f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} required{hint}", missing[0])
    for name, schema in route.params.items():
        if params.get(name) is not None and schema.get('enum') and params[name] not in schema['enum']:
            raise refuse(route, f"{name} must be one of {', '.join(schema['enum'])}; got {params[name]!r}", name)


def query_step(route, name, function, *args):
    """Apply a filter or sort step; a QueryError is the API's 400 about that parameter."""
    try:
        return function(*args)
    except QueryError as err:
        raise refuse(route, str(err), name)


def compile_route_filter(route, text):
    rule = route.filter
    if rule is None:
        raise refuse(route, f'{route.path} takes no filter', 'filter')
    if rule.max_length and len(text) > rule.max_length:
        raise refuse(route, f'filter is longer than {rule.max_length} characters', 'filter')
    return query_step(route, 'filter', compile_filter, text, rule.fields, rule.logic, rule.quote)


def parse_time(route, params, name):
    raw = params.get(name)
    if raw is None:
        return None
    try:
        value = datetime.fromisoformat(raw.replace('Z', '+00:00'))
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise refuse(route, f'{name} must be an RFC 3339 date-time such as 2025-07-10T08:09:17.419Z; got {raw!r}', name)
    return value


def client_window(route, params):
    """(start, end) of the window failed clients are listed in: start-at/end-at, else the 3 hours before now."""
    end = parse_time(route, params, 'end-at') or NOW
    start = parse_time(route, params, 'start-at') or end - timedelta(hours=vocabulary.CLIENT_DEFAULT_WINDOW_HOURS)
    if start >= end:
        raise refuse(route, 'start-at must be earlier than end-at', 'start-at')
    scope = 'site' if params.get('site-id') or params.get('site-name') else 'global'
    if end - start > WINDOW_LIMIT[scope]:
        raise refuse(route, f"start-at and end-at may be at most {'7 days' if scope == 'global' else '1 month'} apart "
                            f"{'for all sites' if scope == 'global' else 'for one site'}", 'start-at')
    return start, end


def select_clients(route, params, items):
    """The clients endpoint's own rules: the site by query parameter, Connected unless a status is asked for,
    failed clients only inside the window."""
    start, end = client_window(route, params)
    if params.get('site-id'):
        items = [item for item in items if item.get('siteId') == params['site-id']]
    if params.get('site-name'):
        items = [item for item in items if item.get('siteName') == params['site-name']]
    if params.get('serial-number'):
        items = [item for item in items if item.get('connectedDeviceSerial') == params['serial-number']]
    text = params.get('filter') or ''
    predicate = compile_route_filter(route, text) if text else None
    if predicate is None or not names_field(text, 'status'):
        default = compile_filter(vocabulary.CLIENT_DEFAULT_FILTER, route.filter.fields, route.filter.logic)
        items = [item for item in items if default(item)]
    if predicate is not None:
        items = [item for item in items if predicate(item)]

    def in_window(item):
        if item.get('status') != 'Failed':
            return True
        seen = datetime.fromisoformat(item['lastSeenAt'].replace('Z', '+00:00'))
        return start <= seen <= end
    return [item for item in items if in_window(item)]


def names_field(text, name):
    """Whether a (valid) filter has a condition on this field."""
    return ('word', name) in tokenize(text, "\\'")


def select(route, params, items, dataset, record):
    if route.name == 'clients':
        items = select_clients(route, params, items)
    else:
        if route.name == 'device_inventory' and params.get('site-assigned'):
            assigned = params['site-assigned'] == 'ASSIGNED'
            items = [item for item in items if (item.get('siteId') is not None) == assigned]
        if params.get('filter'):
            predicate = compile_route_filter(route, params['filter'])
            if route.name == 'alerts':
                # Alerts carry no siteId, but their filter takes one: the dataset knows each alert's site.
                sites = dataset.items(record.tenant_id, 'alert-sites')
                items = [item for item in items if predicate(dict(item, siteId=sites.get(item['id'])))]
            else:
                items = [item for item in items if predicate(item)]
    if params.get('sort'):
        items = query_step(route, 'sort', sort_items, items, params['sort'], route.sort)
    return items


def next_page(route, params, items, anomaly):
    limit = int_param(route, params, 'limit', route.default_limit, route.min_limit, route.max_limit)
    page = int_param(route, params, 'next', 1, 1)
    total = len(items)
    start = (page - 1) * limit
    chunk = items[start:start + limit]
    following = str(page + 1) if start + limit < total else None
    if anomaly == 'total_changes':
        total += page - 1
    elif anomaly == 'next_repeats':
        following = str(page)
    elif anomaly == 'empty_page' and page > 1:
        chunk, following = [], str(page + 1)
    elif anomaly == 'total_too_low':    # cursors go on past a total that says half as much
        total //= 2
    elif anomaly == 'endless':          # fresh cursors and fresh (made-up) items, forever
        if not chunk and items:
            chunk = [made_up(item, page) for item in (items * limit)[:limit]]
        following = str(page + 1)
    elif anomaly == 'oversize':         # the limit ignored: everything that is left, on one page
        chunk, following = items[start:], None
    return {'items': chunk, 'count': len(chunk), 'total': total, 'next': following}


def made_up(item, page):
    """A copy of an item that looks new: its identifying fields changed, each in its own form and length (a lying
    API still serves well-formed items)."""
    return dict(item, **{key: other_value(item[key], page) for key in ('id', 'serialNumber', 'macAddress')
                         if item.get(key)})


def other_value(value, page):
    digest = hashlib.sha256(f'{value}~{page}'.encode()).hexdigest()
    if contract.FORMATS['uuid'](value):
        return str(uuid.UUID(digest[:32]))
    if MAC.match(value):
        return ':'.join(digest[i:i + 2] for i in range(0, 12, 2))
    tail = digest[:min(6, len(value))]
    return value[:-len(tail)] + (tail if value.islower() else tail.upper())


def offset_page(route, params, items, anomaly):
    limit = int_param(route, params, 'limit', route.default_limit, route.min_limit, route.max_limit)
    offset = int_param(route, params, 'offset', 0, 0)
    total = len(items)
    start = offset
    if anomaly == 'next_repeats':
        start = 0
    chunk = items[start:start + limit]
    if anomaly == 'total_changes':
        total += offset // limit
    elif anomaly == 'empty_page' and offset > 0:
        chunk = []
    elif anomaly == 'total_too_low':    # full pages go on past a total that says half as much
        total //= 2
    elif anomaly == 'endless':          # full pages of fresh (made-up) items at every offset, forever
        if len(chunk) < limit and items:
            chunk = chunk + [made_up(item, offset) for item in (items * limit)[:limit - len(chunk)]]
    elif anomaly == 'oversize':         # the limit ignored: everything that is left, on one page
        chunk = items[start:]
    body = {'items': chunk, 'count': len(chunk), 'offset': offset, 'total': total}
    if route.name == 'sites':
        body['response'] = {'code': '200', 'message': 'Success', 'status': 'OK'}
    elif route.name == 'audit_logs':
        body['remainingRecords'] = start + len(chunk) < total
    return body


def serve(app, route, record, req):
    """A 200 page for an authorised request, or raise ApiError."""
    params = req.params()
    check_params(route, params)
    items = select(route, params, source_items(app.dataset, route, record), app.dataset, record)
    anomaly = app.faults.take_paging(req.path)
    pager = next_page if route.paging == 'next' else offset_page
    body = pager(route, params, items, anomaly)
    problems = contract.check(route.page, body)
    if problems:
        return glp_error(500, f'simulator bug: this page breaks the contract of {route.path}: '
                              + '; '.join(problems[:5]))
    # After the check: an item_value fault serves, on purpose, what the contract forbids.
    change = app.faults.take_item_value(route.name)
    if change is not None:
        body = dict(body, items=changed_items(body['items'], *change))
    response = json_response(200, body)
    response.fault = anomaly is not None or change is not None
    return response


def changed_items(items, name, value, index):
    """Copies of the page's items with ``value`` in field ``name`` (of the item at ``index`` only, when given);
    the dataset's own items stay as they are."""
    return [dict(item, **{name: value}) if index is None or position == index else item
            for position, item in enumerate(items)]
