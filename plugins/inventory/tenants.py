# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: tenants
short_description: MSP tenants (customer workspaces) of HPE GreenLake and Aruba Central as inventory hosts
version_added: 0.1.0
description:
  - Makes one inventory host per tenant workspace that the MSP credential manages, so a play can run once per
    tenant (with forks), AWX can slice jobs across tenants and C(--limit) picks customers by name or group.
  - Tenants come from GLP C(workspaces/v1/msp-tenants) and are joined by name with Central's
    C(network-msp/v1/list-tenants) summary (sites, device health, alerts).
  - Tenants are API scopes, not machines. Every host is in the group C(msp_tenants), which carries
    C(ansible_connection=local) and C(ansible_python_interpreter={{ ansible_playbook_python }}); host variables,
    O(compose), C(host_vars/) or C(group_vars/msp_tenants) override them.
  - Uses a YAML configuration file whose name ends with C(central_msp.yml) or C(central_msp.yaml).
  - If Central fails but GLP answers, hosts are still made from GLP with a warning and null Central variables;
    with O(require_central) that is an error. A refused credential fails the source with a clear message; Ansible
    itself only warns about a failed source unless C(ANSIBLE_INVENTORY_UNPARSED_FAILED=true) (AWX sets it for
    inventory updates) or C(ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true).
  - No credential or token is ever put in a variable. A string from the API that could be a template (it holds
    C({) or C(}), or starts with C(#jinja2:)) is marked unsafe, so it is never templated; every other string is
    plain text, so C(ansible-inventory --list --export) (what AWX runs for an inventory source) writes it as a
    plain string rather than as an C(__ansible_unsafe) mapping, and the enabled and instance ID variables of an
    AWX inventory source read it as it is.
author:
  - central.msp contributors (@central-msp)
extends_documentation_fragment:
  - constructed
  - inventory_cache
  - central.msp.connection.plugins
options:
  plugin:
    description: Marks this file as a source for this plugin.
    type: str
    required: true
    choices: [central.msp.tenants]
  hostname:
    description:
      - What names the hosts.
      - V(name) uses the tenant name made a valid inventory name (characters other than letters, digits, C(.),
        C(-) and C(_) become C(_)). When names end up the same, the tenant created first (GLP C(createdAt)) keeps
        the plain name and the others get their short workspace ID appended, for example C(Acme_Retail_5b1f2c4e);
        an existing host keeps its name when a namesake appears later, and never passes it to another tenant.
      - Tenants sharing a name get no Central summary, since joined by name one could be shown another's figures;
        their C(msp_central_*), sites, device health and alerts variables are null, with a warning.
      - V(workspace_id) uses the dashed GLP workspace ID.
    type: str
    choices: [name, workspace_id]
    default: name
    aliases: [hostnames]
  include:
    description:
      - Only tenants whose name matches one of these shell-style globs (case-sensitive), for example V(Acme*).
        Empty means every tenant.
    type: list
    elements: str
    default: []
  exclude:
    description:
      - Leave out tenants whose name matches one of these globs. Applied after O(include).
    type: list
    elements: str
    default: []
  with_central:
    description:
      - Join Central's tenant summary (provisioned or not, sites, device health, alerts).
      - V(false) reads GLP only; the Central variables are then null.
    type: bool
    default: true
  with_device_counts:
    description:
      - Add C(msp_device_counts), the number of devices per device type in Central's device inventory.
      - Costs one token exchange and one listing per Central-provisioned tenant, O(concurrency) at a time; the
        tokens go to the shared token cache, so a play that follows reuses them.
    type: bool
    default: false
  concurrency:
    description:
      - How many tenants are read at once for O(with_device_counts).
    type: int
    default: 8
  require_central:
    description:
      - Make a failure of Central (its tenant list, or a tenant's device count with O(with_device_counts)) an
        error that fails the inventory source, instead of a warning and hosts with null Central variables.
      - O(strict) keeps its Ansible meaning (an error in O(compose), O(groups) or O(keyed_groups) is fatal).
    type: bool
    default: false
    version_added: 0.1.0
notes:
  - The inventory cache key is made of the plugin file, the issuer URL, the client ID, a hash of the client secret,
    the MSP workspace, the API base URLs and the options that change what is fetched, so two MSP accounts (or
    two secrets) never share entries. An inventory that had to fall back to GLP only is not cached.
  - The inventory cache lists the MSP's customers. A file-backed cache (such as C(ansible.builtin.jsonfile)) is
    written only into a directory private to the user (made 0700, its entries 0600); a directory that is a
    symbolic link, belongs to another user or is shared (such as C(/tmp)) is not used, with a warning.
  - See the collection's C(docs/inventory.md) for the per-tenant-host pattern and AWX inventory sources.
seealso:
  - module: central.msp.tenant_device_info
'''

# One YAML document: ansible-test 2.16's yamllint refuses EXAMPLES with several (---).
EXAMPLES = r'''
# simulator.central_msp.yml is the one line "plugin: central.msp.tenants": everything else (credential, URLs)
# comes from the GLP_* and CENTRAL_* environment variables.

# production.central_msp.yml
plugin: central.msp.tenants
cluster_name: US-WEST-5
exclude: ["*-test", "Lab *"]
with_device_counts: true
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/central.msp/inventory
cache_timeout: 900
keyed_groups:
  - key: msp_inventory_ownership | lower
    prefix: ownership
compose:
  critical_alerts: msp_alerts.critical | default(0)
groups:
  needs_attention: (msp_alerts.critical | default(0)) > 0 or (msp_device_health.poor | default(0)) > 0
'''

import fnmatch
import hashlib
import json
import os
import re
import unicodedata
from collections import Counter

from ansible.errors import AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.central.msp.plugins.module_utils.errors import CentralMspError
from ansible_collections.central.msp.plugins.module_utils.msp_client import MspClient
from ansible_collections.central.msp.plugins.module_utils import vocabulary
from ansible_collections.central.msp.plugins.module_utils.settings import CONNECTION_OPTIONS, compact_id, resolve_settings
from ansible_collections.central.msp.plugins.module_utils.token_cache import private_directory, secret_digest

try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core < 2.19: every plain string from an inventory plugin is a template already
    def trust_as_template(value):
        return value

# Bump when the cached data changes shape, so an old entry is refetched rather than misread.
CACHE_FORMAT = 1

# Host variable <- tenant record field (plugins/module_utils/msp_client.py: tenant_record).
HOST_VARS = (
    ('msp_tenant_name', 'name'),
    ('msp_workspace_id', 'workspace_id'),
    ('msp_inventory_ownership', 'inventory_ownership'),
    ('msp_created_at', 'created_at'),
    ('msp_updated_at', 'updated_at'),
    ('msp_central_provisioned', 'central_provisioned'),
    ('msp_central_tenant_id', 'central_tenant_id'),
    ('msp_sites_total', 'sites_total'),
    ('msp_sites_degraded', 'sites_degraded'),
    ('msp_device_health', 'device_health'),
    ('msp_alerts', 'alerts'),
    ('msp_last_updated', 'last_updated'),
)
ALL_TENANTS = 'msp_tenants'
# The tenant record (plugins/module_utils/msp_client.py: tenant_record) as one host variable.
TENANT_VAR = 'msp_tenant'

# Anything but letters, digits, '.', '-' and '_' is either awkward or meaningful in host patterns
# (',', ':', '!', '&', '*', '[', '~', spaces...), and '{' could start a template.
_NOT_HOSTNAME = re.compile(r'[^\w.-]+')


def safe_hostname(name):
    """A tenant name as a host name that --limit and patterns take literally; '' when nothing is left."""
    text = unicodedata.normalize('NFC', str(name or ''))
    return _NOT_HOSTNAME.sub('_', text).strip('_')


# Names a tenant host must never take: Ansible's own groups and localhost spellings, and this plugin's groups.
BUILTIN_NAMES = frozenset(('all', 'ungrouped', 'localhost', '127.0.0.1', '::1', ALL_TENANTS, 'central_provisioned',
                           'central_not_provisioned', 'degraded'))


def tenant_hostnames(records, mode='name', reserved=frozenset()):
    """One unique host name per tenant record, the same whatever order the API returns them in.

    A name that is also a group (``reserved``: every group of the inventory) gets the suffix too: a customer
    naming its workspace "all" or "degraded" must not turn a host into a group or a group into a loop."""
    if mode == 'workspace_id':
        return [record['workspace_id'] for record in records]
    names = [safe_hostname(record['name']) or record['workspace_id'] for record in records]
    # In a clash the tenant created first keeps the plain name and the others get a suffix (8 hex digits of
    # their workspace id, or all 32 if even those clash): a tenant that joins later with the same name never
    # renames an existing host nor takes its name.

    def age(index):
        return str(records[index].get('created_at') or '~'), compact_id(records[index]['workspace_id'])

    first = {}
    for index in sorted(range(len(records)), key=age):
        first.setdefault(names[index], index)
    for digits in (8, 32):
        clashes = {name for name, count in Counter(names).items() if count > 1} | (set(names) & set(reserved))
        if not clashes:
            break
        # A group's name is nobody's: even the first tenant with it gets the suffix.
        names = [name if name not in clashes or (name not in reserved and first.get(name) == index) else
                 '%s_%s' % (safe_hostname(record['name']) or 'tenant', compact_id(record['workspace_id'])[:digits])
                 for index, (name, record) in enumerate(zip(names, records))]
    return names


def could_be_template(text):
    """Whether Ansible could ever render this string as a template (any Jinja delimiter or an override header)."""
    return '{' in text or '}' in text or text.startswith('#jinja2:')


def host_value(value):
    """An API value as a host variable: strings that could be templates unsafe, the others plain text.

    Plain strings export as strings (AWX stores host variables and reads instance_id_var / enabled_var from
    what ansible-inventory --export writes); one with a delimiter stays unsafe, whatever the nesting."""
    if isinstance(value, str):
        return wrap_var(value) if could_be_template(value) else trust_as_template(str(value))
    if isinstance(value, dict):
        return {str(key): host_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [host_value(item) for item in value]
    return value


def name_selected(name, include, exclude):
    name = name or ''
    if include and not any(fnmatch.fnmatchcase(name, pattern) for pattern in include):
        return False
    return not any(fnmatch.fnmatchcase(name, pattern) for pattern in exclude)


def default_groups(record):
    """The groups every tenant host lands in, beside msp_tenants."""
    groups = []
    if record.get('central_provisioned') is True:
        groups.append('central_provisioned')
    elif record.get('central_provisioned') is False:
        groups.append('central_not_provisioned')
    if (record.get('sites_degraded') or 0) > 0:
        groups.append('degraded')
    return groups


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = 'central.msp.tenants'

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(('central_msp.yml', 'central_msp.yaml'))

    def _connection_options(self):
        """(explicit, from the environment): each connection option by where its value came from."""
        explicit, from_env = {}, {}
        for name in CONNECTION_OPTIONS:
            value, origin = self.get_option_and_origin(name)
            if str(origin).startswith('env:'):
                # An empty environment variable counts as unset (AWX injects every credential field, empty ones
                # as ""): Ansible would otherwise turn "" into the current directory for a path, or false for a bool.
                if os.environ.get(str(origin).split(':', 1)[1].strip()):
                    from_env[name] = self._raw_connection_option(name, value, origin)
            else:  # the file, or a documented default
                explicit[name] = self._raw_connection_option(name, value, origin)
        return explicit, from_env

    def _raw_connection_option(self, name, value, origin):
        """For a boolean or a number, the value as written (file or environment), so settings.py parses it the
        way modules do: Ansible's plugin config turns a misspelt boolean (ture, enabled, 2) into false."""
        if CONNECTION_OPTIONS[name][0].get('type') not in ('bool', 'int'):
            return value
        origin = str(origin)
        if origin.startswith('env:'):
            return os.environ.get(origin.split(':', 1)[1].strip(), value)
        if origin == 'Direct' and isinstance(self._config_data, dict) and name in self._config_data:
            return self._config_data[name]
        return value

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._config_data = self._read_config_data(path)
        try:
            explicit, from_env = self._connection_options()
            settings = resolve_settings(explicit, env=from_env)
        except CentralMspError as exc:
            raise AnsibleParserError('central.msp.tenants: %s' % exc) from None

        key = self._cache_key(path, settings)
        use_cache = self.get_option('cache') and cache
        records = None
        if use_cache:
            entry = self._cache.get(key)
            if isinstance(entry, dict) and entry.get('format') == CACHE_FORMAT and isinstance(entry.get('tenants'), list):
                records = entry['tenants']
        if records is not None:
            self._populate(records)
            return
        records, complete = self._fetch(settings)
        self._populate(records)
        # Kept only once the inventory was built from it, and only whole: a degraded answer (Central or a device
        # count missing) is not kept, so the next run tries again.
        if self.get_option('cache') and complete and self._cache_directory_is_private():
            self._cache[key] = {'format': CACHE_FORMAT, 'tenants': records}
            self._write_cache_privately(key)

    def _file_cache_directory(self):
        directory = getattr(getattr(self._cache, '_plugin', None), '_cache_dir', None)
        return directory if isinstance(directory, str) else None  # None: not a file-backed cache

    def _cache_directory_is_private(self):
        """Whether no other user can open what the cache plugin writes: its directory is 0700 and ours. The
        jsonfile plugin renames its entry into place and then makes it 0644, so the directory is what keeps the
        customer list private from the first instant, not the file's mode."""
        directory = self._file_cache_directory()
        if directory is None:
            return True
        return private_directory(directory, self._warn, 'Inventory cache', 'cache_connection',
                                 '~/.cache/central.msp/inventory', 'Every run reads the tenants again; ') is not None

    def _write_cache_privately(self, key):
        """Write the cache entry now, in its private directory, and make it 0600 as well (jsonfile writes 0644)."""
        self.update_cache_if_changed()
        directory = self._file_cache_directory()
        if directory is None:
            return
        try:
            # The file name is the key behind a prefix the cache plugin chooses.
            for name in os.listdir(directory):
                if name.endswith(key):
                    os.chmod(os.path.join(directory, name), 0o600)
        except OSError:
            pass

    # ---- fetching -----------------------------------------------------------------------------------------

    def _cache_key(self, path, settings):
        """The file's key plus a digest of whose data and which data: never the secret itself."""
        identity = [settings.auth_url, settings.client_id, secret_digest(settings.client_secret),
                    settings.workspace_id, settings.glp_base_url, settings.central_base_url]
        identity += [self.get_option(name) for name in ('with_central', 'with_device_counts', 'include', 'exclude')]
        digest = hashlib.sha256(json.dumps(identity).encode('utf-8')).hexdigest()[:16]
        return '%s_%s' % (self.get_cache_key(path), digest)

    def _fetch(self, settings):
        """(tenant records, complete): every selected tenant, as plain JSON-friendly data for the cache."""
        with_central = self.get_option('with_central')
        try:
            client = MspClient(settings, warn=self._warn)
            records, central_error = client.tenant_overview(with_central=with_central)
        except CentralMspError as exc:
            raise AnsibleParserError('central.msp.tenants: %s' % exc) from None

        complete = central_error is None
        if central_error is not None:
            self._warn_or_fail("Central's tenant list failed, so the hosts come from GLP only and their Central "
                               'variables (msp_central_provisioned, sites, device health, alerts) are null: %s'
                               % central_error)

        include, exclude = self.get_option('include') or [], self.get_option('exclude') or []
        records = [record for record in records if name_selected(record['name'], include, exclude)]
        if self.get_option('with_device_counts'):
            complete = self._add_device_counts(client, records) and complete
        retries = client.http.retry_summary()
        if retries:
            self.display.v('central.msp.tenants: %s' % retries['msg'])
        return records, complete

    def _add_device_counts(self, client, records):
        """Set each record's device_counts ({type: n}); False if some tenant could not be counted."""
        def count(tenant):
            devices = client.get_all('device_inventory', tenant['workspace_id']).items
            # Every device type Central has, 0 when absent, so groups and conditions can rely on the keys.
            counts = Counter(dict.fromkeys(vocabulary.DEVICE_TYPES, 0))
            counts.update(device.get('deviceType') or 'UNKNOWN' for device in devices)
            return dict(sorted(counts.items()))

        for record in records:
            # A tenant Central does not know has no Central devices; unknown (Central failed) stays null.
            record['device_counts'] = {} if record['central_provisioned'] is False else None
        provisioned = [record for record in records if record['central_provisioned']]
        by_id = {record['workspace_id']: record for record in provisioned}
        failed = []
        for entry in client.for_each_tenant(provisioned, count, self.get_option('concurrency')):
            if entry['failed']:
                failed.append('%s (%s): %s' % (entry['name'], entry['workspace_id'], entry['msg']))
            else:
                by_id[entry['workspace_id']]['device_counts'] = entry['result']
        if failed:
            self._warn_or_fail('msp_device_counts is null for %d %s that could not be read: %s'
                               % (len(failed), 'tenant' if len(failed) == 1 else 'tenants', '; '.join(failed)))
        return not failed

    def _warn(self, message):
        self.display.warning('central.msp.tenants: %s' % message)

    def _warn_or_fail(self, message):
        if self.get_option('require_central'):
            raise AnsibleParserError('central.msp.tenants: %s (require_central is on, so this is an error).' % message)
        self._warn(message + '. Set require_central: true to make this an error.')

    # ---- building the inventory ---------------------------------------------------------------------------

    def _mark_composed(self, host):
        """Composed variables by the same rule as the API's: a result Ansible left untrusted is plain text
        when it holds no delimiter (a tenant label made of a tenant name), unsafe otherwise."""
        variables = self.inventory.get_host(host).vars
        for name in self.get_option('compose') or {}:
            if name in variables:
                self.inventory.set_variable(host, name, host_value(variables[name]))

    def _populate(self, records):
        """Build the hosts and groups in a scratch inventory, then copy them in: a failure half-way leaves
        nothing behind, and host names are chosen knowing every group the build makes."""
        reserved = set(BUILTIN_NAMES) | set(self.inventory.groups) | set(self.get_option('groups') or {})
        for _attempt in range(3):
            names = tenant_hostnames(records, self.get_option('hostname'), reserved)
            scratch = InventoryData()
            self._build(scratch, records, names)
            made = set(scratch.groups) | set(self.inventory.groups)
            if not made & set(names):
                break
            # A keyed group took a tenant's name (only known once built): suffix those tenants too.
            reserved |= made
        else:  # pragma: no cover - every round removes the clashes it found
            raise AnsibleParserError('central.msp.tenants: could not give every tenant a host name that is not '
                                     'also a group name.')
        self._copy_into_inventory(scratch)

    def _build(self, target, records, names):
        strict = self.get_option('strict')
        real, self.inventory = self.inventory, target
        try:
            target.add_group(ALL_TENANTS)
            # On the group, not the hosts, so host_vars, group_vars/msp_tenants and compose can override them.
            target.set_variable(ALL_TENANTS, 'ansible_connection', trust_as_template('local'))
            target.set_variable(ALL_TENANTS, 'ansible_python_interpreter',
                                trust_as_template('{{ ansible_playbook_python }}'))
            for host, record in zip(names, records):
                # The whole record as one variable (what tenant_overview_info and the overview take), and its
                # fields as variables of their own: the same values, made once.
                tenant = host_value(dict(record))
                hostvars = {var: tenant.get(field) for var, field in HOST_VARS}
                hostvars[TENANT_VAR] = tenant
                if 'device_counts' in record:
                    hostvars['msp_device_counts'] = host_value(record['device_counts'])
                target.add_host(host, group=ALL_TENANTS)
                for var, value in hostvars.items():
                    target.set_variable(host, var, value)
                for group in default_groups(record):
                    target.add_group(group)
                    target.add_child(group, host)
                self._set_composite_vars(self.get_option('compose'), hostvars, host, strict=strict)
                self._mark_composed(host)
                self._add_host_to_composed_groups(self.get_option('groups'), hostvars, host, strict=strict)
                self._add_host_to_keyed_groups(self.get_option('keyed_groups'), hostvars, host, strict=strict)
        finally:
            self.inventory = real

    def _copy_into_inventory(self, scratch):
        inventory = self.inventory
        skip = ('all', 'ungrouped')
        for name, group in scratch.groups.items():
            if name in skip:
                continue
            inventory.add_group(name)
            for var, value in group.vars.items():
                inventory.set_variable(name, var, value)
        for name, group in scratch.groups.items():
            if name in skip:
                continue
            for child in group.child_groups:
                inventory.add_child(name, child.name)
            for host in group.hosts:
                inventory.add_host(host.name, group=name)
                if name == ALL_TENANTS:  # every host is there: its variables are copied once
                    for var, value in host.vars.items():
                        if var not in ('inventory_file', 'inventory_dir'):  # the real inventory sets its own
                            inventory.set_variable(host.name, var, value)
