"""The GLP and Central list APIs: which token scope each needs, how it pages, what it filters on.

Paging is not uniform (api-contract.md section 5): `next` endpoints take limit + a page-number cursor and
answer {items, count, total, next} with next a string, null on the last page; `offset` endpoints take
limit + offset and answer {items, count, offset, total}. A limit above an endpoint's maximum is a 400.
"""
from dataclasses import dataclass

from .messages import bad_request, glp_error, json_response
from .odata import QueryError, compile_filter, sort_items

INVENTORY = ('serialNumber', 'deviceName', 'deviceType', 'model', 'macAddress', 'status', 'isProvisioned', 'siteId',
             'siteName', 'firmwareVersion', 'partNumber', 'role', 'subscriptionKey', 'tier')


@dataclass(frozen=True)
class Route:
    family: str             # 'glp' or 'central': which base URL serves it
    path: str
    scope: str              # 'msp' (MSP token), 'tenant' (exchanged token) or 'any'
    paging: str             # 'next', 'offset' or 'draft'
    max_limit: int
    fields: tuple           # what filter and sort accept
    kind: str | None = None     # the dataset item kind it lists, for tenant data
    next_required: bool = False
    default_limit: int = 100


ROUTES = {(r.family, r.path): r for r in (
    Route('glp', 'workspaces/v1/msp-tenants', 'any', 'offset', 300,
          ('id', 'workspaceName', 'type', 'inventoryOwnership', 'createdAt', 'updatedAt', 'generation')),
    Route('glp', 'devices/v1/devices', 'any', 'offset', 2000,
          ('id', 'serialNumber', 'macAddress', 'deviceType', 'model', 'partNumber', 'region', 'archived',
           'assignedState', 'createdAt', 'updatedAt'), 'glp-devices'),
    Route('glp', 'audit-log/v1/logs', 'any', 'offset', 2000,
          ('id', 'category', 'description', 'createdAt', 'user.username', 'workspace.workspaceName'), 'audit-logs'),
    Route('central', 'network-msp/v1/list-tenants', 'msp', 'next', 1000,
          ('tenantId', 'tenantName', 'totalSites', 'degradedSites', 'deviceOwnership'), next_required=True),
    Route('central', 'msp/v1/tenants', 'msp', 'draft', 1000, ('workspace_id', 'name')),
    Route('central', 'network-monitoring/v1/device-inventory', 'tenant', 'next', 1000, INVENTORY, 'device-inventory'),
    Route('central', 'network-monitoring/v1/devices', 'tenant', 'next', 1000,
          INVENTORY + ('ipv4', 'configStatus', 'deployment', 'deviceFunction', 'deviceGroupName', 'health', 'lastSeenAt'),
          'devices'),
    Route('central', 'network-monitoring/v1/sites-health', 'tenant', 'offset', 100,
          ('id', 'siteName', 'address.city', 'address.country'), 'sites-health'),
    Route('central', 'network-monitoring/v1/clients', 'tenant', 'next', 1000,
          ('id', 'clientName', 'hostName', 'macAddress', 'ipv4', 'status', 'clientConnectionType', 'connectedDeviceSerial',
           'connectedTo', 'siteId', 'siteName', 'vlanId', 'wlanName', 'userName', 'wirelessBand', 'health'), 'clients'),
    Route('central', 'network-notifications/v1/alerts', 'tenant', 'next', 100,
          ('id', 'key', 'name', 'severity', 'status', 'priority', 'category', 'deviceType', 'serialNumber', 'siteId',
           'siteName', 'createdAt'), 'alerts'),
)}


class ApiError(Exception):
    def __init__(self, response):
        super().__init__(response.status)
        self.response = response


def scope_error(route, record, dataset):
    """The 403 for a token of the wrong scope, or None when the token may call this route."""
    if route.scope == 'tenant' and record.tenant_id is None:
        return glp_error(403, f'{route.path} is a tenant-level API and this is an MSP workspace token: exchange it for '
                              'the tenant\'s token (RFC 8693 token exchange) first')
    if route.scope == 'msp' and record.tenant_id is not None:
        return glp_error(403, f'{route.path} needs an MSP workspace token; this token is scoped to one tenant')
    if route.family == 'central' and record.tenant_id is not None and not dataset.tenant(record.tenant_id).central_id:
        return glp_error(403, 'HPE Aruba Networking Central is not provisioned in this workspace')
    return None


def source_items(dataset, route, record):
    """Everything the route lists for this token, in default order."""
    if route.kind:
        return dataset.items(record.tenant_id or dataset.msp, route.kind)
    if route.path == 'workspaces/v1/msp-tenants':
        # The real API answers a tenant token with no tenants rather than an error.
        return [] if record.tenant_id else dataset.listing('glp')
    return dataset.listing('draft' if route.paging == 'draft' else 'central')


def int_param(params, name, default, low, high=None):
    raw = params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < low or (high is not None and value > high):
        limits = f'between {low} and {high}' if high is not None else f'{low} or more'
        raise ApiError(bad_request(f'{name} must be an integer {limits}; got {raw!r}', subject=name))
    return value


def query_step(name, function, *args):
    """Apply a filter or sort step; a QueryError is the API's 400 about that parameter."""
    try:
        return function(*args)
    except QueryError as err:
        raise ApiError(bad_request(str(err), subject=name))


def select(route, params, items):
    if params.get('filter'):
        predicate = query_step('filter', compile_filter, params['filter'], route.fields)
        items = [item for item in items if predicate(item)]
    if params.get('sort'):
        items = query_step('sort', sort_items, items, params['sort'], route.fields)
    return items


def next_page(route, params, items, anomaly):
    limit = int_param(params, 'limit', min(route.default_limit, route.max_limit), 1, route.max_limit)
    if params.get('next') is None and route.next_required:
        raise ApiError(bad_request('next is required: start with next=1', subject='next'))
    page = int_param(params, 'next', 1, 1)
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
    """A copy of an item that looks new: its identifying fields changed."""
    return dict(item, **{key: f'{item[key]}~{page}' for key in ('id', 'serialNumber', 'macAddress') if key in item})


def offset_page(route, params, items, anomaly):
    limit = int_param(params, 'limit', min(route.default_limit, route.max_limit), 1, route.max_limit)
    offset = int_param(params, 'offset', 0, 0)
    total = len(items)
    start = offset
    if anomaly == 'next_repeats':
        start = 0
    chunk = items[start:start + limit]
    if anomaly == 'total_changes':
        total += offset // limit
    elif anomaly == 'empty_page' and offset > 0:
        chunk = []
    elif anomaly == 'oversize':
        chunk = items[start:]
    if route.paging == 'draft':
        return {'tenants': chunk, 'total': total}
    return {'items': chunk, 'count': len(chunk), 'offset': offset, 'total': total}


def serve(app, route, record, req):
    """A 200 page for an authorised request, or raise ApiError."""
    params = req.params()
    items = select(route, params, source_items(app.dataset, route, record))
    anomaly = app.faults.take_paging(req.path)
    pager = next_page if route.paging == 'next' else offset_page
    response = json_response(200, pager(route, params, items, anomaly))
    response.fault = anomaly is not None
    return response
