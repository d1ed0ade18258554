"""What AWX stores for a project inventory source, following AWX's own import code (read, not copied).

AWX runs the source as an inventory update (awx/main/tasks/jobs.py, RunInventoryUpdate.build_args):

    ansible-inventory --list --export -i <source> --output <artifacts>/output.json --playbook-dir <dir>

with the environment of awx/main/constants.py STANDARD_INVENTORY_UPDATE_ENV. post_run_hook then reads
output.json with json.load and hands it to the inventory_import command's perform_update, which:

* builds an in-memory inventory with awx/main/utils/mem_inventory.py dict_to_mem_data: each top-level key but
  ``_meta`` is a group (``all`` and ``ungrouped`` are the root), with ``hosts`` (a list of names or a dict of
  name -> vars), ``vars`` and ``children``; then every known host gets ``_meta.hostvars[name]`` merged in;
* per new host (awx/main/management/commands/inventory_import.py, _create_update_hosts): pops
  ``_awx_description``, takes ``enabled`` from _get_enabled, ``instance_id`` from _get_instance_id and
  stores the rest as ``json.dumps(variables)``, values exactly as JSON gave them.

_get_instance_id walks a dotted path (comma-separated alternatives, the first non-empty wins) and returns
smart_str of what it found, so a mapping becomes its Python repr. _get_enabled walks a dotted path; with an
enabled_value it compares ``str(value).lower()`` with ``str(enabled_value).lower()``, without one it takes
``bool(value)``; a missing variable leaves the host's enabled flag alone (None).
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, field

# awx/main/constants.py STANDARD_INVENTORY_UPDATE_ENV
STANDARD_INVENTORY_UPDATE_ENV = {
    'ANSIBLE_INVENTORY_UNPARSED_FAILED': 'True',
    'ANSIBLE_INVENTORY_EXPORT': 'True',
    'ANSIBLE_VERBOSE_TO_STDERR': 'True',
    'ANSIBLE_HOST_PATTERN_MISMATCH': 'error',
}
ROOT_GROUPS = ('all', 'ungrouped')
_MISSING = object()


@dataclass
class ImportedHost:
    name: str
    variables: dict = field(default_factory=dict)  # what AWX keeps in memory, then json.dumps into the database
    groups: set = field(default_factory=set)
    enabled: bool | None = None
    instance_id: str | None = None
    description: str = 'imported'

    @property
    def stored_variables(self):
        """The host's variables as AWX's API serves them back: the JSON text it saved, parsed."""
        return json.loads(json.dumps(self.variables))


@dataclass
class ImportedInventory:
    hosts: dict = field(default_factory=dict)  # name -> ImportedHost
    group_vars: dict = field(default_factory=dict)  # group name -> vars (root group vars under 'all')
    children: dict = field(default_factory=dict)  # group name -> child group names


def run_inventory_update(ansible_bin, source, env, output):
    """ansible-inventory as AWX's inventory update runs it; returns the parsed output.json."""
    command = [os.path.join(ansible_bin, 'ansible-inventory'), '--list', '--export', '-i', source,
               '--output', output, '--playbook-dir', os.path.dirname(source)]
    proc = subprocess.run(command, env=dict(env, **STANDARD_INVENTORY_UPDATE_ENV), capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, 'inventory update failed (rc=%d):\n%s' % (proc.returncode, proc.stderr[-4000:])
    with open(output, encoding='utf-8') as handle:
        data = json.load(handle)
    assert isinstance(data, dict), 'Returned JSON must be a dictionary'
    return data


def _split_host(name):
    """mem_inventory.get_host: 'name:port' gives a port (stored as ansible_port); other names stay whole."""
    if name.count(':') == 1 and not name.startswith('['):
        host, port = name.split(':')
        try:
            return host, int(port)
        except ValueError:
            return host, None
    return name, None


def to_mem_inventory(data):
    """dict_to_mem_data on a copy of ``data``: hosts with their merged variables and groups."""
    data = json.loads(json.dumps(data))
    meta = data.pop('_meta', {})
    inventory = ImportedInventory()

    def host(name):
        host_name, port = _split_host(name)
        if host_name not in inventory.hosts:
            inventory.hosts[host_name] = ImportedHost(host_name, {'ansible_port': port} if port else {})
        return inventory.hosts[host_name]

    for group, content in data.items():
        group_name = 'all' if group in ROOT_GROUPS else group
        if isinstance(content, dict):
            hosts = content.get('hosts', {})
            if isinstance(hosts, dict):
                for name, hostvars in hosts.items():
                    member = host(name)
                    if isinstance(hostvars, dict):
                        member.variables.update(hostvars)
                    member.groups.add(group_name)
            elif isinstance(hosts, (list, tuple)):
                for name in hosts:
                    host(name).groups.add(group_name)
            if isinstance(content.get('vars', {}), dict):
                inventory.group_vars.setdefault(group_name, {}).update(content.get('vars', {}))
            for child in content.get('children', []) or []:
                if child != 'ungrouped':
                    inventory.children.setdefault(group_name, [])
                    if child not in inventory.children[group_name]:
                        inventory.children[group_name].append(child)
        elif isinstance(content, (list, tuple)):
            for name in content:
                host(name).groups.add(group_name)

    if meta:
        for name, member in inventory.hosts.items():
            hostvars = meta['hostvars'].get(name, {})
            if isinstance(hostvars, dict):
                member.variables.update(hostvars)
    return inventory


def _walk(variables, path, default):
    found = default
    current = variables
    for key in path.split('.'):
        if not hasattr(current, 'get'):
            return default
        found = current.get(key, default)
        current = found
    return found


def instance_id(variables, instance_id_var):
    """_get_instance_id: the first non-empty of the comma-separated dotted paths, as smart_str gives it."""
    found = ''
    for single in instance_id_var.split(','):
        found = _walk(variables, single, '')
        if found:
            break
    return str(found)


def enabled(variables, enabled_var, enabled_value=None):
    """_get_enabled: None when the variable is missing, else a bool by AWX's comparison."""
    found = _walk(variables, enabled_var, _MISSING)
    if found is _MISSING:
        return None
    if enabled_value is not None:
        return str(enabled_value).lower() == str(found).lower()
    return bool(found)


def import_inventory(data, instance_id_var=None, enabled_var=None, enabled_value=None):
    """The hosts AWX creates for this ansible-inventory output, with their enabled flag and instance_id."""
    inventory = to_mem_inventory(data)
    for member in inventory.hosts.values():
        member.description = member.variables.pop('_awx_description', 'imported')
        if enabled_var:
            member.enabled = enabled(member.variables, enabled_var, enabled_value)
        if instance_id_var:
            member.instance_id = instance_id(member.variables, instance_id_var)
    return inventory
