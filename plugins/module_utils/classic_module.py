# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every classic_* module shares: the Classic connection options, customer selection, reading lists."""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.central.msp.plugins.module_utils.classic import CLASSIC_OPTIONS, ClassicClient, resolve_classic_settings
from ansible_collections.central.msp.plugins.module_utils.errors import CentralMspError
from ansible_collections.central.msp.plugins.module_utils.runner import nonempty_env_fallback
from ansible_collections.central.msp.plugins.module_utils.transport import HAS_REQUESTS

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


def classic_argument_spec():
    return {name: dict(spec, fallback=(nonempty_env_fallback, envs)) for name, (spec, envs) in CLASSIC_OPTIONS.items()}


class ClassicModule(AnsibleModule):
    """AnsibleModule with the Classic connection options, check mode and a lazily built ClassicClient."""

    def __init__(self, argument_spec, mutually_exclusive=None, **kwargs):
        spec = classic_argument_spec()
        spec.update(argument_spec)
        super().__init__(argument_spec=spec, mutually_exclusive=mutually_exclusive, supports_check_mode=True, **kwargs)
        if not HAS_REQUESTS:
            self.fail_json(msg=missing_required_lib('requests'))
        self._client = None

    @property
    def client(self):
        if self._client is None:
            self._client = ClassicClient(resolve_classic_settings(self.params), warn=self.warn)
        return self._client

    def run(self, work):
        try:
            result = work(self)
        except CentralMspError as exc:
            self.fail_json(msg=str(exc), **exc.to_result())
        result.setdefault('changed', False)
        self.exit_json(**result)


def collect_customer_items(module, items_key, fetch):
    """``fetch(client, customer_id) -> list`` for the chosen customers.

    One customer gives ``{customer, <items_key>, count}``; several give
    ``{customers: [{name, customer_id, <items_key>, count, failed, msg}], count, failed_customers}``."""
    params = module.params
    client = module.client
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
            module.fail_json(msg=summary + ". The other customers' data is in the result; set allow_partial: true to "
                             'accept partial results.', changed=False, **result)
        module.warn(summary)
    return result


def run_customer_list(items_key, options, reads):
    """The whole main() of a classic_*_info module.

    ``reads(params) -> [(endpoint name, query, shape or None)]``: the list endpoints to read for each customer,
    their query parameters and a function applied to each item; the items of all of them are returned together."""
    module = ClassicModule(argument_spec=dict(CUSTOMER_OPTIONS, **MULTI_CUSTOMER_OPTIONS, **options),
                           mutually_exclusive=[CUSTOMER_CHOICE])
    params = module.params

    def fetch(client, customer_id):
        items = []
        for endpoint, query, shape in reads(params):
            found = client.get_all(endpoint, customer_id, query, params.get('limit')).items
            items.extend([shape(item) for item in found] if shape else found)
        return items

    module.run(lambda mod: collect_customer_items(mod, items_key, fetch))
