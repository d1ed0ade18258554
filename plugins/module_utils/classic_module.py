# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every classic_* module shares: the Classic connection options, customer selection, reading lists."""

from __future__ import annotations

from ansible_collections.central.msp.plugins.module_utils.classic import CLASSIC_OPTIONS, ClassicClient, resolve_classic_settings
from ansible_collections.central.msp.plugins.module_utils.errors import CentralMspError, TaskFailed
from ansible_collections.central.msp.plugins.module_utils.runner import TaskSpec, env_fallback_spec

# One customer, by exact name or by customer id.
CUSTOMER_OPTIONS = dict(
    customer=dict(type='str'),
    customer_id=dict(type='str'),
)

# Several customers at once (the classic_*_info modules).
MULTI_CUSTOMER_OPTIONS = dict(
    customers=dict(type='list', elements='str'),
    all_customers=dict(type='bool', default=False),
    concurrency=dict(type='int', default=4),
    allow_partial=dict(type='bool', default=False),
)

CUSTOMER_CHOICE = ['customer', 'customer_id', 'customers', 'all_customers']


def classic_argument_spec(environ=None):
    """The Classic connection options, each falling back to its environment variables (``environ``: as for
    runner.env_fallback_spec)."""
    return env_fallback_spec(CLASSIC_OPTIONS, environ)


def classic_client(task):
    return ClassicClient(resolve_classic_settings(task.params), warn=task.warn)


def classic_task_spec(options, work, mutually_exclusive=None):
    """The TaskSpec of a classic_* module: its own options and work on the Classic connection (runner.TaskSpec;
    ``task.client`` is a ClassicClient)."""
    return TaskSpec(options, work, mutually_exclusive=mutually_exclusive or [],
                    connection_options=classic_argument_spec, client_factory=classic_client)


def collect_customer_items(task, items_key, fetch):
    """``fetch(client, customer_id) -> list`` for the chosen customers.

    One customer gives ``{customer, <items_key>, count}``; several give
    ``{customers: [{name, customer_id, <items_key>, count, failed, msg}], count, failed_customers}``."""
    params = task.params
    client = task.client
    if params.get('customer') or params.get('customer_id'):
        customer = client.resolve_customer(params.get('customer'), params.get('customer_id'))
        items = fetch(client, customer['customer_id'])
        return {'customer': customer, items_key: items, 'count': len(items)}
    if not (params.get('customers') or params.get('all_customers')):
        raise CentralMspError('Choose the customers: set customer (a name), customer_id, customers (a list of names '
                              'or ids) or all_customers: true.')
    chosen = client.resolve_customers(params.get('customers'), everyone=bool(params.get('all_customers')))
    entries = []
    for entry in client.for_each_customer(chosen, lambda c: fetch(client, c['customer_id']), params['concurrency']):
        items = entry.pop('result') or []
        entry[items_key] = items
        entry['count'] = len(items)
        entries.append(entry)
    failed = [entry for entry in entries if entry['failed']]
    result = {'customers': entries, 'count': sum(entry['count'] for entry in entries), 'failed_customers': len(failed)}
    if failed:
        summary = '%d of %d customers failed: %s' % (len(failed), len(entries), '; '.join(
            '%s (%s): %s' % (entry['name'], entry['customer_id'], entry['msg']) for entry in failed))
        if not params.get('allow_partial'):
            raise TaskFailed(summary + ". The other customers' data is in the result; set allow_partial: true to "
                             'accept partial results.', dict(result, changed=False))
        task.warn(summary)
    return result


def customer_list_spec(items_key, options, reads):
    """The TaskSpec of a classic_*_info module.

    ``reads(params) -> [(endpoint name, query, shape or None)]``: the list endpoints to read for each customer,
    their query parameters and a function applied to each item; the items of all of them are returned together."""
    def work(task):
        params = task.params

        def fetch(client, customer_id):
            items = []
            for endpoint, query, shape in reads(params):
                found = client.get_all(endpoint, customer_id, query, params.get('limit')).items
                items.extend([shape(item) for item in found] if shape else found)
            return items

        return collect_customer_items(task, items_key, fetch)

    return classic_task_spec(dict(CUSTOMER_OPTIONS, **MULTI_CUSTOMER_OPTIONS, **options), work,
                             mutually_exclusive=[CUSTOMER_CHOICE])
