# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every central.msp module shares: the connection argument_spec, tenant selection and error handling."""

from __future__ import annotations

import os

from ansible.module_utils.basic import AnsibleFallbackNotFound, AnsibleModule, missing_required_lib

from ansible_collections.central.msp.plugins.module_utils.errors import ApiError, CentralMspError
from ansible_collections.central.msp.plugins.module_utils.transport import HAS_REQUESTS
from ansible_collections.central.msp.plugins.module_utils.msp_client import MspClient
from ansible_collections.central.msp.plugins.module_utils.queries import Match, plan_list
from ansible_collections.central.msp.plugins.module_utils.settings import (
    CONNECTION_OPTIONS, GATEWAY_OPTIONS, environment_values, resolve_settings)


def nonempty_env_fallback(*names):
    """The first of these environment variables that is set and not empty.

    An empty variable counts as unset: AWX injects every credential field, empty ones as ""."""
    for name in names:
        if os.environ.get(name):
            return os.environ[name]
    raise AnsibleFallbackNotFound


def connection_argument_spec():
    """The shared connection options, each falling back to its environment variables.

    Except base_url and cluster_name: resolve_settings reads their variables itself, because an explicit one of
    the two overrides the other's variable too (GATEWAY_OPTIONS)."""
    return {name: dict(spec) if name in GATEWAY_OPTIONS else dict(spec, fallback=(nonempty_env_fallback, envs))
            for name, (spec, envs) in CONNECTION_OPTIONS.items()}


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


class MspModule(AnsibleModule):
    """AnsibleModule with the connection options, check mode and a lazily built MspClient."""

    def __init__(self, argument_spec, mutually_exclusive=None, **kwargs):
        spec = connection_argument_spec()
        spec.update(argument_spec)
        # base_url vs cluster_name is left to resolve_settings, which knows which of them came from the environment.
        super().__init__(argument_spec=spec, mutually_exclusive=mutually_exclusive, supports_check_mode=True, **kwargs)
        if not HAS_REQUESTS:
            self.fail_json(msg=missing_required_lib('requests'))
        self._client = None

    @property
    def client(self):
        if self._client is None:
            self._client = MspClient(resolve_settings(self.params, env=environment_values(GATEWAY_OPTIONS)),
                                     warn=self.warn)
        return self._client

    def run(self, work):
        """exit_json with ``work(self)``'s result, or fail_json with a clear message on any CentralMspError."""
        try:
            result = work(self)
        except CentralMspError as exc:
            self.fail_json(msg=str(exc), **dict(exc.to_result(), **self.retry_result()))
        result.setdefault('changed', False)
        result.update(self.retry_result())
        self.exit_json(**result)

    def retry_result(self):
        """``{'retries': {count, rate_limited, waited_seconds, msg}}`` when requests were retried, else {}
        (shown with -v, as the whole result is)."""
        summary = self._client.http.retry_summary() if self._client is not None else None
        return {'retries': summary} if summary else {}


def tenant_selection(params):
    """Which selection the user made: 'one', 'many' or None."""
    if params.get('tenant') or params.get('tenant_workspace_id'):
        return 'one'
    if params.get('tenants') or params.get('all_tenants'):
        return 'many'
    return None


def collect_tenant_items(module, items_key, fetch):
    """The shared body of the tenant_*_info modules.

    ``fetch(client, workspace_id) -> list`` reads one tenant. One tenant gives ``{tenant, <items_key>, count}``;
    several give ``{tenants: [{name, workspace_id, <items_key>, count, failed, msg}], count, failed_tenants}``."""
    params = module.params
    client = module.client
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
    for entry in client.for_each_tenant(tenants, lambda tenant: fetch(client, tenant['workspace_id']),
                                        params.get('concurrency') or 8):
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
            module.fail_json(msg=summary + '. The other tenants\' data is in the result; set allow_partial: true '
                             'to accept partial results.', changed=False, **dict(result, **module.retry_result()))
        module.warn(summary)
    return result


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


def run_tenant_list(items_key, endpoint, options, filter_fields, shape=None, query_params=None):
    """The whole main() of a tenant_*_info module: declare, read every page of every chosen tenant, exit.

    ``options``: the module's own options (including its ``limit``); ``filter_fields``: option name ->
    :class:`queries.Match` (or an API field name) or :class:`queries.QueryParam`; ``endpoint``: an ENDPOINTS name,
    or a function of the params returning one; ``shape``: applied to each item (e.g. to add flat keys);
    ``query_params``: query parameter -> the option whose value it sends."""
    module = MspModule(argument_spec=dict(TENANT_OPTIONS, **MULTI_TENANT_OPTIONS, **LIST_OPTIONS, **options),
                       mutually_exclusive=[TENANT_CHOICE])
    params = module.params
    name = endpoint(params) if callable(endpoint) else endpoint
    matches = {option: Match(spec) if isinstance(spec, str) else spec for option, spec in filter_fields.items()}
    try:
        plan = plan_list(name, params, matches, params['filter'], params['sort'],
                         {param: params[option] for param, option in (query_params or {}).items()})
    except CentralMspError as exc:
        module.fail_json(msg=str(exc))
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

    def work(mod):
        result = collect_tenant_items(mod, items_key, fetch)
        # With no item at all there is nothing to tell a misspelt key by.
        unknown = [key for key in fields if key not in keys_seen] if fields and keys_seen else []
        if unknown:
            mod.warn('fields: no item has %s; the keys are the API\'s field names, here: %s.' % (
                ', '.join(unknown), ', '.join(sorted(keys_seen))))
        return result

    module.run(work)
