"""The main job in the benchmark: playbooks/msp_overview.yml against a Control-Tower-style pycentral script.

For each N a scale simulator of 50 devices per tenant (the issue's measurement; the first tenant has 500, so some
of its lists take pages) runs, and the same machine runs, on zeroed stats each:

* **O1** — the overview as shipped: one controller-side task reads every tenant host of the play
  (tenant_overview_info, concurrency 16) and makes the report; the three report files are written.
* **O2** — the same playbook with ``msp_overview_per_host=true``, forks 10: each tenant host reads its own tenant.
* **O3** — the peer (peer_overview.py): one MSPBase, the same four reads per tenant, 8 threads.
* **D** — ``ansible.builtin.debug`` on every tenant host, forks 10: Ansible's own floor per host (no API read).
* **R** — the per-host read task of O2 alone (tenant_overview_info on every tenant host, forks 10, no report):
  its CPU less D's, per host, is the CPU of one module task.
* **I** — the overview's inventory as an AWX inventory update reads it, ``ansible-inventory --list --export
  --output FILE`` (AWX's RunInventoryUpdate command), on a cold cache, and **Ig** ``--graph`` (the inventory as a
  playbook's start pays for it, without writing out every host's variables).
* **If** — Ansible's own floor for I: the same command on the very hosts, groups and variables I listed, handed
  over ready-made by a static inventory script (no API call, no plugin code). No inventory plugin can list
  N tenants faster than this on the same machine.

At N >= SCALE_SIZE only O1, O3 and the inventory rows run (the per-host rows take about 0.1 s per tenant host).

The overview's reports are checked against the simulator's truth: every tenant's status and its count of sites,
devices, clients and alerts, and the fleet totals. The peer's counts are checked against the same truth.
"""

import json
import math
import os
import sys
import tempfile

from tests.helpers import BIN
from tests.performance.scenarios import (LATENCY_MS, PLAYBOOKS, ROOT, Bench, Ideal, check_recap, make_result,
                                         pytest_plugin, tail)
from tests.performance.peer_overview import CLIENTS_FILTER
from tests.simulator.api import ROUTES, select_clients

DEVICES_PER_TENANT = 50
BIG_TENANT_DEVICES = 500
OVERVIEW_CONCURRENCY = 16
PER_HOST_FORKS = 10
PEER_THREADS = 8
OVERVIEW_PLAYBOOK = os.path.join(ROOT, 'playbooks', 'msp_overview.yml')
OVERVIEW_INVENTORY = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'inventory', 'overview.central_msp.yml')
# kind in the report -> (the simulator's truth kind, the API route the overview reads it from)
KINDS = {
    'sites': ('sites-health', ('central', 'network-monitoring/v1/sites-health')),
    'devices': ('device-inventory', ('central', 'network-monitoring/v1/device-inventory')),
    'clients': ('clients', ('central', 'network-monitoring/v1/clients')),
    'alerts': ('alerts', ('central', 'network-notifications/v1/alerts')),
}
SCALE_SIZE = 10_000
GLP_PAGE = ROUTES[('glp', 'workspaces/v1/msp-tenants')].max_limit
# list-tenants takes at most 100 a page (docs/api-contract.md; the simulator's route accepts more).
CENTRAL_LIST_PAGE = 100


def overview_simulator(tenants):
    return pytest_plugin.Simulator(
        '--dataset', 'scale', '--tenants', tenants, '--devices-per-tenant', DEVICES_PER_TENANT, '--big-tenants', 1,
        '--big-tenant-devices', BIG_TENANT_DEVICES, '--latency-ms', LATENCY_MS, '--token-ttl', 900,
        '--cache-items', 2_000_000)


class OverviewBench(Bench):
    """The overview runs on one simulator."""

    def __init__(self, sim, workdir):
        super().__init__(sim, workdir)
        self.truth = sim.truth()['tenants']
        self.provisioned = [tenant for tenant in self.truth if tenant['central']]

    def warm_up(self):
        """Untimed: the simulator builds every list once; Python files are read from disk once. Keeps how many
        clients a read with CLIENTS_FILTER lists."""
        route = ROUTES[KINDS['clients'][1]]
        self.listed_clients = {}
        for tenant in self.provisioned:
            for name, (kind, _route) in KINDS.items():
                items = self.sim.truth(tenant['id'], kind)
                if name == 'clients':
                    self.listed_clients[tenant['id']] = len(select_clients(route, {'filter': CLIENTS_FILTER}, items))

    def ideal(self, listing=True):
        """1 MSP token, 1 exchange per tenant Central manages, the listing pages (GLP's and Central's, which the
        inventory reads), and the fewest pages of each kind (at least one) in each tenant Central manages."""
        data = 0
        for tenant in self.provisioned:
            for kind, route in KINDS.values():
                data += max(1, math.ceil(tenant['counts'][kind] / ROUTES[route].max_limit))
        pages = math.ceil(self.size / GLP_PAGE) + math.ceil(len(self.provisioned) / CENTRAL_LIST_PAGE)
        return Ideal(msp_tokens=1, exchanges=len(self.provisioned), listing=pages if listing else 0, data=data)

    def expected_counts(self):
        """Per tenant, what the overview's reads list: every site, device and alert, and the clients of
        CLIENTS_FILTER (warm_up)."""
        return {tenant['id']: dict({name: tenant['counts'][kind] for name, (kind, _route) in KINDS.items()},
                                   clients=self.listed_clients[tenant['id']])
                for tenant in self.provisioned}

    def check_report(self, path):
        """'ok' when every tenant's status and counts, and the fleet totals, are the simulator's."""
        try:
            with open(path, encoding='utf-8') as handle:
                report = json.load(handle)
        except (OSError, ValueError) as exc:
            return 'no report: %s' % exc
        expected = self.expected_counts()
        entries = {entry['workspace_id']: entry for entry in report['tenants']}
        if set(entries) != {tenant['id'] for tenant in self.truth}:
            return 'the report has %d tenants, the simulator %d' % (len(entries), len(self.truth))
        wrong = []
        for tenant_id, entry in entries.items():
            if tenant_id not in expected:
                if entry['status'] != 'not_provisioned':
                    wrong.append('%s: %s' % (entry['name'], entry['status']))
                continue
            counts = {kind: (entry['summary'][kind] or {}).get('total') for kind in KINDS}
            if entry['status'] != 'ok' or counts != expected[tenant_id]:
                wrong.append('%s: %s %s, expected %s' % (entry['name'], entry['status'], counts, expected[tenant_id]))
        totals = {kind: report['totals'][kind]['total'] for kind in KINDS}
        if totals != {kind: sum(counts[kind] for counts in expected.values()) for kind in KINDS}:
            wrong.append('fleet totals %s' % totals)
        return 'ok' if not wrong else '; '.join(wrong[:5])

    def overview(self, per_host=False):
        """O1 (one task) or O2 (per host): the playbook over the tenants inventory, on a cold token cache."""
        out = tempfile.mkdtemp(prefix='overview-', dir=self.workdir)
        command = self.playbook_path(OVERVIEW_PLAYBOOK, OVERVIEW_INVENTORY, '-e', json.dumps({
            'msp_overview_output_dir': out, 'msp_overview_per_host': per_host,
            'msp_overview_concurrency': OVERVIEW_CONCURRENCY}))
        if per_host:
            command += ['--forks', str(PER_HOST_FORKS)]
        proc, run = self.measure(command, self.ansible_env(self.fresh_cache()))
        check = self.check_report(os.path.join(out, 'msp_overview.json')) if proc.returncode == 0 else tail(proc)
        if per_host:
            return make_result('O2', 'msp_overview.yml per host (msp_overview_per_host), forks %d' % PER_HOST_FORKS,
                               self.size, self.provisioned, PER_HOST_FORKS, self.ideal(), run, check)
        return make_result('O1', 'msp_overview.yml, one controller-side task, concurrency %d' % OVERVIEW_CONCURRENCY,
                           self.size, self.provisioned, OVERVIEW_CONCURRENCY, self.ideal(), run, check)

    def peer(self, threads=PEER_THREADS):
        """O3: the Control-Tower-style pycentral script. Its ideal: the GLP listing, 1 MSP token, an exchange and a
        first (refused) read in each GLP-only tenant too, and the same data pages."""
        proc, run = self.measure([sys.executable, '-m', 'tests.performance.peer_overview', '--info', self.info_file,
                                  '--threads', str(threads)])
        expected = self.expected_counts()
        want = dict({kind: sum(counts[kind] for counts in expected.values()) for kind in KINDS},
                    tenants=self.size, failed=self.size - len(expected))
        try:
            found = json.loads(proc.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            found = None
        check = 'ok' if proc.returncode == 0 and found == want else 'got %s, expected %s; %s' % (found, want, tail(proc))
        glp_only = self.size - len(self.provisioned)
        ideal = Ideal(msp_tokens=1, exchanges=self.size, listing=math.ceil(self.size / GLP_PAGE),
                      data=self.ideal().data + glp_only)
        return make_result('O3', 'pycentral Control-Tower-style script, MSPBase, %d threads' % threads, self.size,
                           self.truth, threads, ideal, run, check)

    def debug_floor(self, forks=PER_HOST_FORKS):
        """D: one ansible.builtin.debug task on every tenant host; the only requests are the inventory's."""
        command = self.playbook_path(os.path.join(PLAYBOOKS, 'debug_hosts.yml'), OVERVIEW_INVENTORY,
                                     '--forks', str(forks))
        proc, run = self.measure(command, self.ansible_env(self.fresh_cache()))
        check = 'ok' if proc.returncode == 0 and proc.stdout.count('"msg": "tenant ') == self.size else tail(proc)
        ideal = Ideal(msp_tokens=1, exchanges=0, listing=self.ideal().listing, data=0)
        return make_result('D', 'ansible.builtin.debug on every tenant host, forks %d (no API read)' % forks,
                           self.size, [], forks, ideal, run, check)

    def per_host_reads(self, forks=PER_HOST_FORKS):
        """R: O2's read task alone on every tenant host; 'ok' when every host read its tenant without a failure."""
        command = self.playbook_path(os.path.join(PLAYBOOKS, 'overview_read_hosts.yml'), OVERVIEW_INVENTORY,
                                     '--forks', str(forks))
        proc, run = self.measure(command, self.ansible_env(self.fresh_cache()))
        return make_result('R', 'tenant_overview_info on every tenant host, forks %d (O2\'s reads, no report)' % forks,
                           self.size, self.provisioned, forks, self.ideal(), run, check_recap(proc, self.size, 0))

    def inventory(self, graph=False):
        """I: the overview's inventory as an AWX inventory update reads it (``ansible-inventory --list --export
        --output``, as AWX's RunInventoryUpdate runs it), or Ig (``--graph``), on a cold token and inventory cache.
        Its ideal: 1 MSP token and the listing pages, read one after the other (Central's are cursor pages)."""
        if not graph and os.path.exists(self.listed_file):
            os.unlink(self.listed_file)
        proc, run = self.measure(self.inventory_command(OVERVIEW_INVENTORY, None if graph else self.listed_file),
                                 self.ansible_env(self.fresh_cache()))
        if graph:
            hosts, group = set(), None
            for line in proc.stdout.splitlines():
                if line.startswith('  |--@'):
                    group = line[len('  |--@'):].rstrip(':')
                elif line.startswith('  |  |--') and group == 'msp_tenants':
                    hosts.add(line[len('  |  |--'):])
            hosts = len(hosts)
        else:
            hosts = listed_hosts(self.listed_file)
        if graph:
            return self._inventory_result('Ig', 'ansible-inventory --graph, cold cache', proc, run, hosts)
        return self._inventory_result('I', 'ansible-inventory --list --export, cold cache (an AWX inventory update)',
                                      proc, run, hosts)

    def inventory_floor(self):
        """If: the same AWX command on what I listed, from a static inventory script that prints it: what is left
        is Ansible's own cost of taking in and writing out N hosts with their variables. Compared with I's ideal."""
        script = os.path.join(self.workdir, 'static_inventory.py')
        with open(script, 'w', encoding='utf-8') as handle:
            handle.write('#!%s\nimport sys\nif "--host" in sys.argv:\n    print("{}")\nelse:\n'
                         '    with open(%r, encoding="utf-8") as listed:\n        sys.stdout.write(listed.read())\n'
                         % (sys.executable, self.listed_file))
        os.chmod(script, 0o700)
        written = os.path.join(self.workdir, 'inventory_floor.json')
        proc, run = self.measure(self.inventory_command(script, written), self.ansible_env(self.fresh_cache()))
        return self._inventory_result('If', "Ansible's floor for I: the same hosts and variables from a static "
                                      'script, no API', proc, run, listed_hosts(written))

    @property
    def listed_file(self):
        """Where row I writes what it listed: what row If hands to Ansible ready-made."""
        return os.path.join(self.workdir, 'inventory_list.json')

    def _inventory_result(self, scenario, title, proc, run, hosts):
        """An inventory row: 'ok' when the command listed every tenant as a host. Its ideal: 1 MSP token and the
        listing pages."""
        check = 'ok' if proc.returncode == 0 and hosts == self.size else 'rc %d, %d hosts (expected %d); %s' % (
            proc.returncode, hosts, self.size, tail(proc))
        ideal = Ideal(msp_tokens=1, exchanges=0, listing=self.ideal().listing, data=0)
        return make_result(scenario, title, self.size, [], 1, ideal, run, check)

    @staticmethod
    def inventory_command(source, output=None):
        """AWX's inventory update (``--list --export --output``) into ``output``, or ``--graph`` without one."""
        command = [os.path.join(BIN, 'ansible-inventory'), '-i', source]
        return command + (['--list', '--export', '--output', output] if output else ['--graph'])

    @staticmethod
    def playbook_path(playbook, inventory, *args):
        return [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', inventory, playbook, *args]


def listed_hosts(path):
    """How many tenant hosts an ``ansible-inventory --list`` output file holds (-1: none or unreadable)."""
    try:
        with open(path, encoding='utf-8') as handle:
            return len(json.load(handle)['msp_tenants']['hosts'])
    except (OSError, ValueError, KeyError):
        return -1


def plan(bench):
    """[(description, run)] for one size: the targets' runs first."""
    inventory = [('I the inventory, AWX\'s --list --export', bench.inventory),
                 ('If Ansible\'s floor for I', bench.inventory_floor),
                 ('Ig the inventory, --graph', lambda: bench.inventory(graph=True))]
    if bench.size >= SCALE_SIZE:
        return [('O1 the overview, one task', bench.overview), ('O3 the pycentral peer', bench.peer)] + inventory
    return [
        ('O1 the overview, one task', bench.overview),
        ('O3 the pycentral peer', bench.peer),
        ('O2 the overview per host', lambda: bench.overview(per_host=True)),
        ('D debug on every host', bench.debug_floor),
        ('R the per-host reads alone', bench.per_host_reads),
    ] + inventory
