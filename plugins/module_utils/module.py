# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every central.msp module shares: the connection argument_spec, tenant selection and error handling."""

from __future__ import annotations

from ansible_collections.central.msp.plugins.module_utils.errors import ApiError, CentralMspError, TaskFailed
from ansible_collections.central.msp.plugins.module_utils.queries import Match, plan_list
from ansible_collections.central.msp.plugins.module_utils.runner import TaskSpec

# One tenant, by name or workspace id (every tenant_* module).
TENANT_OPTIONS = dict(
    tenant=dict(type='str'),
    tenant_workspace_id=dict(type='str'),
)

# Several tenants at once (the tenant_*_info modules).
MULTI_TENANT_OPTIONS = dict(
    tenants=dict(type='list', elements='str'),
    all_tenants=dict(type='bool', default=False),
    concurrency=dict(type='int', default=8),
    allow_partial=dict(type='bool', default=False),
)

# The four ways of choosing tenants in a tenant_*_info module; one at a time.
TENANT_CHOICE = ['tenant', 'tenant_workspace_id', 'tenants', 'all_tenants']

# A raw OData filter and a sort expression, passed through to the list endpoint, and the item keys to return.
LIST_OPTIONS = dict(
    filter=dict(type='str'),
    sort=dict(type='str'),
    fields=dict(type='list', elements='str'),
)


def tenant_selection(params):
    """Which selection the user made: 'one', 'many' or None."""
    if params.get('tenant') or params.get('tenant_workspace_id'):
        return 'one'
    if params.get('tenants') or params.get('all_tenants'):
        return 'many'
    return None


def collect_tenant_items(task, items_key, fetch):
    """The shared body of the tenant_*_info modules.

    ``fetch(client, workspace_id) -> list`` reads one tenant. One tenant gives ``{tenant, <items_key>, count}``;
    several give ``{tenants: [{name, workspace_id, <items_key>, count, failed, msg}], count, failed_tenants}``."""
    params = task.params
    client = task.client
    choice = tenant_selection(params)
    if choice is None:
        raise CentralMspError('Choose the tenants: set tenant (a name), tenant_workspace_id, tenants (a list of '
                              'names or ids) or all_tenants: true.')
    if choice == 'one':
        tenant = client.resolve_tenant(params.get('tenant'), params.get('tenant_workspace_id'))
        items = fetch(client, tenant['workspace_id'])
        return {'tenant': tenant, items_key: items, 'count': len(items)}

    tenants = client.resolve_tenants(params.get('tenants'), everyone=bool(params.get('all_tenants')))
    entries = []
    shared = {}

    def read(tenant):
        # In the tenant's own thread, while other tenants' requests are in flight: its items searched for no_log
        # values (not all at once at the end, runner.mask_no_log), and their repeated values made one string each.
        return task.scanned(share_repeated_values(fetch(client, tenant['workspace_id']), shared))

    for entry in client.for_each_tenant(tenants, read, params.get('concurrency') or 8):
        items = entry.pop('result') or []
        entry[items_key] = items
        entry['count'] = len(items)
        entry['central_provisioned'] = None if entry['failed'] else True
        entries.append(entry)
    mark_not_provisioned(client, entries)
    failed = [entry for entry in entries if entry['failed']]
    result = {'tenants': entries, 'count': sum(entry['count'] for entry in entries), 'failed_tenants': len(failed)}
    if failed:
        summary = '%d of %d tenants failed: %s' % (len(failed), len(entries), '; '.join(
            '%s (%s): %s' % (entry['name'], entry['workspace_id'], entry['msg']) for entry in failed))
        if not params.get('allow_partial'):
            raise TaskFailed(summary + '. The other tenants\' data is in the result; set allow_partial: true '
                             'to accept partial results.', dict(result, changed=False))
        task.warn(summary)
    return result


def share_repeated_values(items, shared):
    """``items`` with every short string value that ``shared`` (a dict shared by the tenants of one task) has seen
    replaced by that one string object. Thousands of devices repeat a few statuses, models, sites and firmware
    versions: Ansible pickles the task's result to pass it from its worker to the controller, and pickle writes a
    string it has seen once as a reference, so the result travels in half the bytes and half the time."""
    for item in items:
        if isinstance(item, dict):
            for key, value in item.items():
                if type(value) is str and len(value) <= 64:  # pylint: disable=unidiomatic-typecheck  # not a subclass
                    item[key] = shared.setdefault(value, value)
    return items


def mark_not_provisioned(client, entries):
    """Turn the 403s of GreenLake-only tenants into "not provisioned in Central" entries, not failures.

    A 403 in a tenant's Central scope is what Central answers for a tenant it does not manage; Central's tenant
    list (read only when such a 403 happened) tells that apart from a refused permission."""
    refused = [entry for entry in entries
               if isinstance(entry.get('error'), ApiError) and entry['error'].status == 403]
    for entry in entries:
        entry.pop('error', None)
    if not refused:
        return
    glp_only = client.not_in_central(entry['workspace_id'] for entry in refused)
    for entry in refused:
        if entry['workspace_id'] in glp_only:
            entry.update(failed=False, central_provisioned=False,
                         msg='not provisioned in Central (a GreenLake-only tenant): nothing to read')


def tenant_list_spec(items_key, endpoint, options, filter_fields, shape=None, query_params=None):
    """The TaskSpec of a tenant_*_info module: read every page of every chosen tenant.

    ``options``: the module's own options (including its ``limit``); ``filter_fields``: option name ->
    :class:`queries.Match` (or an API field name) or :class:`queries.QueryParam`; ``endpoint``: an ENDPOINTS name,
    or a function of the params returning one; ``shape``: applied to each item (e.g. to add flat keys);
    ``query_params``: query parameter -> the option whose value it sends."""
    matches = {option: Match(spec) if isinstance(spec, str) else spec for option, spec in filter_fields.items()}

    def work(task):
        params = task.params
        name = endpoint(params) if callable(endpoint) else endpoint
        plan = plan_list(name, params, matches, params['filter'], params['sort'],
                         {param: params[option] for param, option in (query_params or {}).items()})
        fields = params['fields']
        keys_seen = set()  # every key of every item read, to tell a misspelt field from an absent one

        def fetch(client, workspace_id):
            items = []
            for query in plan.queries:
                items.extend(client.get_all(name, workspace_id, query, params['limit']).items)
            items = plan.apply(items)
            if shape:
                items = [shape(item) for item in items]
            if fields:
                for item in items:
                    keys_seen.update(item)
                items = [{key: item[key] for key in fields if key in item} for item in items]
            return items

        result = collect_tenant_items(task, items_key, fetch)
        # With no item at all there is nothing to tell a misspelt key by.
        unknown = [key for key in fields if key not in keys_seen] if fields and keys_seen else []
        if unknown:
            task.warn('fields: no item has %s; the keys are the API\'s field names, here: %s.' % (
                ', '.join(unknown), ', '.join(sorted(keys_seen))))
        return result

    return TaskSpec(dict(TENANT_OPTIONS, **MULTI_TENANT_OPTIONS, **LIST_OPTIONS, **options), work,
                    mutually_exclusive=[TENANT_CHOICE])
