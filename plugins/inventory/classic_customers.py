# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: classic_customers
short_description: Customers of a Classic Aruba Central MSP account as inventory hosts
version_added: 0.2.0
description:
  - Makes one inventory host per customer of the MSP account (C(msp_api/v1/customers), every page), so a play can
    run once per customer with forks, AWX can slice jobs across customers and C(--limit) picks them by name or group.
  - Customers are API scopes, not machines. Every host is in the group C(classic_customers), which carries
    C(ansible_connection=local) and C(ansible_python_interpreter={{ ansible_playbook_python }}).
  - Host variables are the ones an MSP groups by, C(classic_customer_id), C(classic_customer_name),
    C(classic_group_name), C(classic_group_id), C(classic_provision_status), C(classic_region) and
    C(classic_account_status); hosts are also put in C(classic_provisioned) or C(classic_not_provisioned).
  - Uses a YAML configuration file whose name ends with C(classic_customers.yml) or C(classic_customers.yaml).
  - No credential or token is ever put in a variable. Every string from the API is marked unsafe (never templated).
author:
  - central.msp contributors (@central-msp)
extends_documentation_fragment:
  - constructed
  - central.msp.classic_connection.plugins
options:
  plugin:
    description: Marks this file as a source for this plugin.
    type: str
    required: true
    choices: [central.msp.classic_customers]
  hostname:
    description:
      - What names the hosts. V(name) uses the customer name made a valid inventory name (characters other than
        letters, digits, C(.), C(-) and C(_) become C(_)); when names end up the same, the customer created first keeps
        it and the others get the first 8 digits of their ID appended. V(customer_id) uses the customer ID.
    type: str
    choices: [name, customer_id]
    default: name
  include:
    description:
      - Only customers whose name matches one of these shell-style globs (case-sensitive). Empty means all.
    type: list
    elements: str
    default: []
  exclude:
    description:
      - Leave out customers whose name matches one of these globs. Applied after O(include).
    type: list
    elements: str
    default: []
seealso:
  - module: central.msp.classic_customer_info
'''

# One YAML document: ansible-test 2.16's yamllint refuses EXAMPLES with several (---).
EXAMPLES = r'''
# simulator.classic_customers.yml is the one line "plugin: central.msp.classic_customers": the connection comes
# from the CLASSIC_CENTRAL_* environment variables.

# production.classic_customers.yml
plugin: central.msp.classic_customers
region: US-2
exclude: ["* Test"]
keyed_groups:
  - key: classic_group_name
    prefix: group
'''

import os

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Constructable
from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.central.msp.plugins.inventory.tenants import name_selected, tenant_hostnames, trust_as_template
from ansible_collections.central.msp.plugins.module_utils.classic import CLASSIC_OPTIONS, ClassicClient, resolve_classic_settings
from ansible_collections.central.msp.plugins.module_utils.errors import CentralMspError

# Host variable <- customer record field (plugins/module_utils/classic.py: customer_record).
HOST_VARS = (
    ('classic_customer_id', 'customer_id'),
    ('classic_customer_name', 'name'),
    ('classic_group_id', 'group_id'),
    ('classic_group_name', 'group_name'),
    ('classic_provision_status', 'provision_status'),
    ('classic_region', 'region'),
    ('classic_account_status', 'account_status'),
)
ALL_CUSTOMERS = 'classic_customers'


class InventoryModule(BaseInventoryPlugin, Constructable):

    NAME = 'central.msp.classic_customers'

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(('classic_customers.yml', 'classic_customers.yaml'))

    def _connection_option(self, name):
        value, origin = self.get_option_and_origin(name)
        # An empty environment variable counts as unset (AWX injects empty credential fields as "").
        if str(origin).startswith('env:') and not os.environ.get(str(origin).split(':', 1)[1].strip()):
            return None
        return value

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        try:
            settings = resolve_classic_settings({name: self._connection_option(name) for name in CLASSIC_OPTIONS})
            customers = ClassicClient(settings, warn=self._warn).customers()
        except CentralMspError as exc:
            raise AnsibleParserError('central.msp.classic_customers: %s' % exc) from None
        include, exclude = self.get_option('include') or [], self.get_option('exclude') or []
        self._populate([c for c in customers if name_selected(c['name'], include, exclude)])

    def _warn(self, message):
        self.display.warning('central.msp.classic_customers: %s' % message)

    def _populate(self, records):
        strict = self.get_option('strict')
        self.inventory.add_group(ALL_CUSTOMERS)
        self.inventory.set_variable(ALL_CUSTOMERS, 'ansible_connection', 'local')
        self.inventory.set_variable(ALL_CUSTOMERS, 'ansible_python_interpreter',
                                    trust_as_template('{{ ansible_playbook_python }}'))
        # The tenants inventory's naming rules; a customer id is 32 hex digits, as a workspace id without dashes.
        mode = 'workspace_id' if self.get_option('hostname') == 'customer_id' else 'name'
        names = tenant_hostnames([{'name': r['name'], 'workspace_id': r['customer_id'],
                                   'created_at': '%015d' % r['created_at'] if isinstance(r.get('created_at'), int)
                                   else r.get('created_at')} for r in records], mode)
        for host, record in zip(names, records):
            hostvars = {var: wrap_var(record.get(field)) for var, field in HOST_VARS}
            self.inventory.add_host(host, group=ALL_CUSTOMERS)
            for var, value in hostvars.items():
                self.inventory.set_variable(host, var, value)
            group = 'classic_provisioned' if record.get('provision_status') == 'provisioned' else 'classic_not_provisioned'
            self.inventory.add_group(group)
            self.inventory.add_child(group, host)
            self._set_composite_vars(self.get_option('compose'), hostvars, host, strict=strict)
            self._add_host_to_composed_groups(self.get_option('groups'), hostvars, host, strict=strict)
            self._add_host_to_keyed_groups(self.get_option('keyed_groups'), hostvars, host, strict=strict)
