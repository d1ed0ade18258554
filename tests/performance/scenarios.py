"""The benchmark scenarios against the scale simulator: what each runs, the least it could cost, what it cost.

Request counts come from the simulator's /_sim/stats, zeroed before every run, never from the client.
Wall time is the whole command (ansible-playbook or a pycentral script, start-up included); CPU time is that of
the command's process tree (every fork and module process), so it holds up better than wall time when the
machine is shared.
"""

import contextlib
import json
import marshal
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass

from tests.helpers import BIN, ROOT, ansible_env
from tests.measured import run_measured
from tests.simulator import pytest_plugin
from tests.simulator.api import ROUTES

HERE = os.path.dirname(os.path.abspath(__file__))
PLAYBOOKS = os.path.join(HERE, 'playbooks')
TENANTS_INVENTORY = os.path.join(HERE, 'inventory', 'tenants.central_msp.yml')

LATENCY_MS = 30
TOKEN_TTL = 900
DEVICES_PER_TENANT = 200
BIG_TENANT_DEVICES = 2500
COLD_FORKS = 50
# The simulator keeps the whole 1,000-tenant working set (about 420,000 built items: every device as a core
# and an inventory record) so it does not rebuild devices on every pass, on the cores it shares with the client.
CACHE_ITEMS = 2_000_000
# What a play that counts devices by type and status needs (row 2f).
FEW_FIELDS = ['serialNumber', 'deviceType', 'status']
RUN_TIMEOUT = 1800
# The largest pages the API serves (api-contract.md section 5), so the fewest pages any client can read.
LISTING_PAGE = ROUTES[('glp', 'workspaces/v1/msp-tenants')].max_limit
CENTRAL_LISTING_PAGE = ROUTES[('central', 'network-msp/v1/list-tenants')].max_limit
DATA_PAGE = ROUTES[('central', 'network-monitoring/v1/device-inventory')].max_limit
LISTING_PATHS = ('workspaces/v1/msp-tenants', 'network-msp/v1/list-tenants')

RECAP = re.compile(r'^(?P<host>\S+)\s*:\s*ok=(?P<ok>\d+)\s+changed=\d+\s+unreachable=(?P<unreachable>\d+)\s+'
                   r'failed=(?P<failed>\d+)\s+skipped=\d+\s+rescued=\d+\s+ignored=(?P<ignored>\d+)', re.MULTILINE)
BENCH_LINE = re.compile(r'BENCH devices=(\d+) failed_tenants=(\d+)')


def big_tenants(tenants):
    """A few big tenants so that some inventories take several pages: 1 of 10, 2 of 100, 5 of 1,000."""
    return min(5, max(1, tenants // 50))


def simulator_args(tenants):
    return ('--dataset', 'scale', '--tenants', tenants, '--devices-per-tenant', DEVICES_PER_TENANT,
            '--big-tenants', big_tenants(tenants), '--big-tenant-devices', BIG_TENANT_DEVICES,
            '--latency-ms', LATENCY_MS, '--token-ttl', TOKEN_TTL, '--cache-items', CACHE_ITEMS)


@contextlib.contextmanager
def bench_simulator(tenants):
    """The scale simulator for ``tenants`` tenants (its cache holds the whole dataset)."""
    sim = pytest_plugin.Simulator(*simulator_args(tenants))
    sim.start()
    try:
        yield sim
    finally:
        sim.stop()


@dataclass(frozen=True)
class Tenant:
    id: str
    name: str
    devices: int | None     # None: Central is not provisioned, its device inventory answers 403

    @property
    def data_pages(self):
        """One page at least (an empty inventory, or the 403), else every page of DATA_PAGE devices."""
        return max(1, math.ceil((self.devices or 0) / DATA_PAGE))


@dataclass(frozen=True)
class Ideal:
    """The fewest requests for a job: 1 MSP token + 1 exchange per tenant + the listing pages + the data pages."""

    msp_tokens: int
    exchanges: int
    listing: int
    data: int

    @property
    def requests(self):
        return self.msp_tokens + self.exchanges + self.listing + self.data


def ideal_for(read, listed=0, warm=False, central_listed=0):
    """``read``: the tenants read, once per read (a tenant read twice is exchanged once); ``listed``: how many
    tenants the GLP listing returns (0: no listing); ``central_listed``: how many Central's tenant list returns,
    when it must be read (0: not read). Warm: every token is in the cache already."""
    return Ideal(msp_tokens=0 if warm else 1,
                 exchanges=0 if warm else len({tenant.id for tenant in read}),
                 listing=(max(1, math.ceil(listed / LISTING_PAGE)) if listed else 0)
                 + (max(1, math.ceil(central_listed / CENTRAL_LISTING_PAGE)) if central_listed else 0),
                 data=sum(tenant.data_pages for tenant in read))


@dataclass
class Result:
    """One run: what it was, what the simulator saw and how that compares with the ideal."""

    scenario: str           # '1', '2', '3', '4' or 'cold'
    title: str
    tenants: int            # the dataset's N
    reads: int              # tenant inventories read in this run
    concurrency: int
    warm: bool
    wall_s: float
    cpu_s: float
    api_span_s: float       # first to last request the simulator answered
    requests: int
    token_requests: int
    msp_tokens: int
    exchanges: int
    listing: int
    data: int
    ideal: dict
    ideal_requests: int
    ratio: float
    ideal_wall_s: float
    wall_ratio: float
    check: str              # 'ok', or what was wrong with the run's output
    note: str = ''
    peak_rss_mb: float = 0.0  # the largest resident set of the command's processes (the controller's, for Ansible)

    def as_dict(self):
        return asdict(self)


def api_span(log):
    times = [entry['t'] for entry in log]
    return round(max(times) - min(times) + LATENCY_MS / 1000, 3) if times else 0.0


def make_result(scenario, title, tenants, read, concurrency, ideal, run, check, warm=False, note=''):
    """A Result from ``run`` = (wall, cpu, stats[, peak RSS MB]) and the ideal for the same job."""
    wall, cpu, stats = run[:3]
    peak = run[3] if len(run) > 3 else 0.0
    listing = sum(count for key, count in stats['by_path'].items() if key.endswith(LISTING_PATHS))
    ideal_wall = ideal.requests * LATENCY_MS / 1000 / concurrency
    return Result(
        scenario=scenario, title=title, tenants=tenants, reads=len(read), concurrency=concurrency, warm=warm,
        wall_s=round(wall, 2), cpu_s=round(cpu, 2), api_span_s=api_span(stats['requests_log']),
        requests=stats['requests'], token_requests=stats['token_requests'], msp_tokens=stats['msp_tokens'],
        exchanges=stats['exchanges'], listing=listing, data=stats['api_requests'] - listing,
        ideal=asdict(ideal), ideal_requests=ideal.requests, ratio=round(stats['requests'] / ideal.requests, 3),
        ideal_wall_s=round(ideal_wall, 3), wall_ratio=round(wall / ideal_wall, 1), check=check, note=note,
        peak_rss_mb=round(peak, 1))


def check_recap(proc, hosts, failing):
    """'ok' when the play ran on ``hosts`` hosts and exactly ``failing`` of them failed (ignored), else why not."""
    recap = [match.groupdict() for match in RECAP.finditer(proc.stdout)]
    ignored = sum(int(entry['ignored']) for entry in recap)
    broken = [entry['host'] for entry in recap if int(entry['failed']) or int(entry['unreachable'])]
    if proc.returncode != 0 or len(recap) != hosts or ignored != failing or broken:
        return 'rc %d, %d hosts (expected %d), %d failed reads (expected %d), unreachable/failed: %s; %s' % (
            proc.returncode, len(recap), hosts, ignored, failing, broken[:5], tail(proc))
    return 'ok'


def tail(proc, size=1500):
    return (proc.stderr[-size:] + proc.stdout[-size:]).strip()


class Bench:
    """One running simulator of ``N`` tenants, and the runs against it."""

    def __init__(self, sim, workdir):
        self.sim = sim
        self.workdir = workdir
        self.tenants = [Tenant(item['id'], item['name'], item['counts']['device-inventory'])
                        for item in sim.truth()['tenants']]
        self.info_file = os.path.join(workdir, 'simulator.json')
        with open(self.info_file, 'w', encoding='utf-8') as handle:
            json.dump(sim.info, handle)
        self._runs = 0

    @property
    def size(self):
        return len(self.tenants)

    @property
    def host_order(self):
        """The tenants in the inventory's host order (the plugin sorts by name, then workspace id)."""
        return sorted(self.tenants, key=lambda tenant: (tenant.name.casefold(), tenant.id))

    def fresh_cache(self):
        """An empty token cache directory: the next run starts cold."""
        return tempfile.mkdtemp(prefix='tokens-', dir=self.workdir)

    def ansible_env(self, cache_dir, **extra):
        self._runs += 1
        env = ansible_env(dict(self.sim.env(), CENTRAL_TOKEN_CACHE_DIR=cache_dir, **extra),
                          tmp=os.path.join(self.workdir, 'run-%d' % self._runs))
        # No test callback: it would write every device of every result to disk, which no user run does.
        del env['ANSIBLE_CALLBACKS_ENABLED']
        return env

    def measure(self, command, env=None):
        """Run ``command`` on zeroed simulator stats: (process, (wall s, CPU s of its process tree, stats, peak RSS
        MB of the command and the processes it waited for))."""
        self.sim.reset()
        proc, usage = run_measured(command, env, cwd=ROOT, timeout=RUN_TIMEOUT)
        return proc, (usage.wall_s, usage.cpu_s, self.sim.stats(), usage.peak_rss_mb)

    @staticmethod
    def playbook(name, inventory, *args):
        return [os.path.join(BIN, 'ansible-playbook'), '-i', inventory, os.path.join(PLAYBOOKS, name), *args]

    # ---- the scenarios ------------------------------------------------------------------------------------

    def tenant_hosts(self, forks, cache_dir, warm=False, limit=None, **env):
        """Scenario 1: the tenants inventory, tenant_device_info once per tenant host. ``limit``: only the first
        hosts (the inventory still lists every tenant)."""
        read = self.host_order[:limit] if limit else self.tenants
        command = self.playbook('tenant_hosts.yml', TENANTS_INVENTORY, '--forks', str(forks))
        if limit:
            command += ['--limit', 'msp_tenants[0:%d]' % (limit - 1)]
        proc, run = self.measure(command, self.ansible_env(cache_dir, **env))
        check = check_recap(proc, len(read), sum(tenant.devices is None for tenant in read))
        if check == 'ok' and not warm:
            check = self._check_exchanged(read, run[2])
        title = 'tenants inventory, a host per tenant, forks %d' % forks
        note = 'first %d of %d tenant hosts (--limit)' % (limit, self.size) if limit else ''
        return make_result('1', title, self.size, read, forks, ideal_for(read, self.size, warm), run, check, warm,
                           note)

    def all_tenants(self, concurrency, cache_dir, warm=False, fields=None):
        """Scenario 2: one tenant_device_info task with all_tenants on localhost; ``fields``: only these keys of
        each device (row 2f: the same requests, a smaller result)."""
        command = self.playbook('all_tenants.yml', 'localhost,', '-e', json.dumps(
            {'concurrency': concurrency, 'fields': fields or []}))
        run, check = self._one_task(command, cache_dir)
        title = 'all_tenants in one task, concurrency %d' % concurrency
        if fields:
            title += ', fields: ' + ', '.join(fields)
        return make_result('2f' if fields else '2', title, self.size, self.tenants, concurrency,
                           self._one_task_ideal(warm), run, check, warm)

    def result_floor(self):
        """Row 2r: scenario 2's task and register with its result (every device of every tenant, as
        tenant_device_info returns them) read from a file instead of the API. What is left is Ansible's own
        floor for carrying a result of that size through one task: no client can be faster in one task."""
        path = os.path.join(self.workdir, 'scenario_2_result.marshal')
        with open(path, 'wb') as handle:
            marshal.dump(scenario_2_result(self), handle)  # marshal keeps the shared strings shared
        command = self.playbook('result_floor.yml', 'localhost,', '-e', json.dumps({'result_file': path}))
        run, check = self._one_task(command, self.fresh_cache())
        # Compared with scenario 2's ideal at concurrency 32 (wall / ideal): the floor against that ideal.
        return make_result('2r', "Ansible's floor: scenario 2's result from a file, no API call", self.size,
                           self.tenants, 32, self._one_task_ideal(), run, check)

    def _one_task(self, command, cache_dir):
        """Run a playbook of one task over every tenant that prints BENCH_LINE: (run, check)."""
        proc, run = self.measure(command, self.ansible_env(cache_dir))
        found = BENCH_LINE.search(proc.stdout)
        # A GreenLake-only tenant is not a failure: its 403 makes the task read Central's tenant list once,
        # which tells it apart from a refused permission.
        check = self._check_totals(proc.returncode == 0 and found and tuple(map(int, found.groups())), proc,
                                   glp_only_fail=False)
        return run, check

    def _one_task_ideal(self, warm=False):
        """Scenario 2's ideal: Central's tenant list is read too when some tenant is in GreenLake only."""
        provisioned = [tenant for tenant in self.tenants if tenant.devices is not None]
        central_listed = len(provisioned) if len(provisioned) < len(self.tenants) else 0
        return ideal_for(self.tenants, self.size, warm, central_listed)

    def pycentral(self, threads):
        """Scenarios 3 (threads=0) and 4: the pycentral MSPBase loop of the MSP guide."""
        scenario, title = ('4', 'pycentral MSPBase, thread pool of %d' % threads) if threads else (
            '3', 'pycentral MSPBase, sequential')
        return self._script('tests.performance.peer_pycentral', ['--threads', str(threads)], scenario, title,
                            threads or 1)

    def connection_layer(self, concurrency, cache_dir):
        """Diagnostic: scenario 2's work through the collection's connection layer in one Python process, without
        Ansible (what the module does before it hands its result to Ansible)."""
        return self._script('tests.performance.connection_layer', ['--concurrency', str(concurrency),
                                                                   '--token-cache-dir', cache_dir],
                            '2*', 'connection layer alone (no Ansible), concurrency %d' % concurrency, concurrency)

    def _script(self, module, args, scenario, title, concurrency):
        """A Python script that reads every tenant and prints {"tenants", "devices", "failed"} as its last line."""
        proc, run = self.measure([sys.executable, '-m', module, '--info', self.info_file, *args])
        try:
            output = json.loads(proc.stdout.strip().splitlines()[-1])
            totals = output['tenants'] == self.size and (output['devices'], output['failed'])
        except (ValueError, IndexError, KeyError, TypeError):
            totals = None
        check = self._check_totals(proc.returncode == 0 and totals, proc)
        return make_result(scenario, title, self.size, self.tenants, concurrency,
                           ideal_for(self.tenants, self.size), run, check)

    def cold_start(self, forks=COLD_FORKS):
        """``forks`` hosts at once on an empty token cache, from a static inventory (no listing first, so every
        fork misses the MSP token at the same moment). With fewer tenants than forks, hosts share tenants."""
        read = [self.tenants[index % self.size] for index in range(forks)]
        command = self.playbook('tenant_hosts.yml', self.static_inventory('cold_start', read), '--forks', str(forks))
        proc, run = self.measure(command, self.ansible_env(self.fresh_cache()))
        check = check_recap(proc, forks, sum(tenant.devices is None for tenant in read))
        if check == 'ok':
            check = self._check_exchanged(read, run[2])
        title = 'cold start, %d forks at once (%d tenants)' % (forks, len({tenant.id for tenant in read}))
        return make_result('cold', title, self.size, read, forks, ideal_for(read), run, check)

    def static_inventory(self, name, read):
        """An inventory file of one host per entry of ``read`` (host name: ``name`` and a number)."""
        path = os.path.join(self.workdir, '%s_inventory.json' % name)
        hosts = {'%s_%02d' % (name, index): {'msp_workspace_id': tenant.id} for index, tenant in enumerate(read)}
        with open(path, 'w', encoding='utf-8') as handle:
            json.dump({'msp_tenants': {'hosts': hosts, 'vars': {'ansible_connection': 'local'}}}, handle)
        return path

    def warm_up(self):
        """Untimed: the simulator builds every tenant's devices (the real API does not make them up per request),
        then one tenant host's read and pycentral's imports (the first run after a pause otherwise pays for
        reading Ansible's, the collection's and pycentral's Python files from disk again)."""
        for tenant in self.tenants:
            if tenant.devices is not None:
                self.sim.truth(tenant.id, 'device-inventory')
        inventory = self.static_inventory('warm_up', self.tenants[:1])
        for command, env in ((self.playbook('tenant_hosts.yml', inventory), self.ansible_env(self.fresh_cache())),
                             ([sys.executable, '-c', 'import pycentral.msp, pycentral.new_monitoring'], None)):
            subprocess.run(command, env=env, cwd=ROOT, capture_output=True, timeout=RUN_TIMEOUT, check=False)

    # ---- checks -------------------------------------------------------------------------------------------

    def _check_totals(self, totals, proc, glp_only_fail=True):
        """'ok' when a run read every device and failed exactly on the tenants without Central (on none of
        them when ``glp_only_fail`` is false: the collection reports those as not provisioned)."""
        expected = (sum(tenant.devices or 0 for tenant in self.tenants),
                    sum(tenant.devices is None for tenant in self.tenants) if glp_only_fail else 0)
        if totals == expected:
            return 'ok'
        return 'rc %d, (devices, failed tenants) = %s, expected %s; %s' % (proc.returncode, totals, expected, tail(proc))

    @staticmethod
    def _check_exchanged(read, stats):
        """'ok' when the run exchanged into exactly the tenants it was asked to read."""
        wanted = {tenant.id.replace('-', '').lower() for tenant in read}
        seen = {tenant.replace('-', '').lower() for tenant in stats['exchanges_by_tenant']}
        if seen == wanted:
            return 'ok'
        return 'exchanged into %d tenants not asked for, missed %d' % (len(seen - wanted), len(wanted - seen))


@dataclass
class Step:
    """A measured command of the scenario-1 overhead breakdown: no ideal, just its cost."""

    label: str
    hosts: int
    wall_s: float
    cpu_s: float
    requests: int
    check: str

    def as_dict(self):
        return asdict(self)


def overhead_steps(bench, forks=COLD_FORKS, repeat=5):
    """Scenario 1's cost per host, taken apart on ``bench``'s tenants: ansible-playbook start-up with the
    inventory, the smallest module (ping) on every host, tenant_device_info (an action in the controller's
    worker), the smallest action (debug: Ansible's floor per host), and what a module process would pay to
    import requests and AnsibleModule (median of ``repeat`` runs)."""
    size = bench.size
    failing = sum(tenant.devices is None for tenant in bench.tenants)

    def step(label, command, env, hosts, failures=0):
        proc, (wall, cpu, stats, _peak) = bench.measure(command, env)
        if hosts:
            check = check_recap(proc, hosts, failures)
        else:
            check = 'ok' if proc.returncode == 0 else tail(proc)
        return Step(label, hosts, round(wall, 2), round(cpu, 2), stats['requests'], check)

    def python_cpu(code):
        return sorted(bench.measure([sys.executable, '-c', code])[1][1] for _run in range(repeat))[repeat // 2]

    cache = bench.fresh_cache()
    read = bench.playbook('tenant_hosts.yml', TENANTS_INVENTORY, '--forks', str(forks))
    steps = [
        step('ansible-playbook start-up, tenants inventory, no task (--list-hosts)',
             bench.playbook('tenant_hosts.yml', TENANTS_INVENTORY, '--list-hosts'), bench.ansible_env(cache), 0),
        step('ansible.builtin.ping on every tenant host, forks %d' % forks,
             bench.playbook('ping_hosts.yml', TENANTS_INVENTORY, '--forks', str(forks)), bench.ansible_env(cache), size),
        step('tenant_device_info on every tenant host, forks %d' % forks, read,
             bench.ansible_env(bench.fresh_cache()), size, failing),
        step('ansible.builtin.debug on every tenant host, forks %d' % forks,
             bench.playbook('debug_hosts.yml', TENANTS_INVENTORY, '--forks', str(forks)), bench.ansible_env(cache),
             size),
    ]
    bare = python_cpu('pass')
    imports = {'requests': python_cpu('import requests') - bare,
               'ansible.module_utils.basic': python_cpu('import ansible.module_utils.basic') - bare}
    sample = next(tenant for tenant in bench.tenants if tenant.devices == DEVICES_PER_TENANT)
    result_bytes = len(json.dumps(bench.sim.truth(sample.id, 'device-inventory')))
    return {'steps': [item.as_dict() for item in steps], 'import_cpu_s': {k: round(v, 3) for k, v in imports.items()},
            'result_bytes_per_tenant': result_bytes, 'forks': forks, 'tenants': size}


def scenario_2_result(bench):
    """Scenario 2's result as tenant_device_info returns it for ``bench``'s tenants: every device, the values the
    devices repeat shared as the task shares them, the GreenLake-only tenants not provisioned."""
    from ansible_collections.central.msp.plugins.module_utils.module import share_repeated_values

    shared = {}
    entries = []
    for tenant in bench.tenants:
        provisioned = tenant.devices is not None
        devices = share_repeated_values(bench.sim.truth(tenant.id, 'device-inventory'), shared) if provisioned else []
        entries.append({'name': tenant.name, 'workspace_id': tenant.id, 'failed': False,
                        'msg': '' if provisioned else 'not provisioned in Central', 'devices': devices,
                        'count': len(devices), 'central_provisioned': provisioned})
    return {'changed': False, 'tenants': entries, 'failed_tenants': 0, 'count': sum(len(e['devices']) for e in entries)}


def result_handling(bench):
    """What carrying scenario 2's result costs once tenant_device_info's work is done, stage by stage, timed in
    this process on ``bench``'s devices, their repeated values shared as the task shares them (every key, and
    FEW_FIELDS): the action's no_log scan
    (runner.mask_no_log), the worker's pickling of the result for the controller and the controller's unpickling,
    the controller's copy for the callbacks (module_response_deepcopy + strip_internal_keys), the default
    callback's transform_to_native_types, and the copy for ``register``: what ansible-core does to every task
    result, in the order it does it."""
    from multiprocessing.reduction import ForkingPickler
    from ansible.vars.clean import module_response_deepcopy, strip_internal_keys
    from ansible_collections.central.msp.plugins.module_utils.runner import mask_no_log
    try:
        from ansible.utils.vars import transform_to_native_types
    except ImportError:  # before ansible-core 2.19
        transform_to_native_types = None

    whole = scenario_2_result(bench)
    found = {'devices': whole['count']}
    for label, fields in (('all_keys', None), ('few_fields', FEW_FIELDS)):
        result = whole if not fields else dict(whole, tenants=[
            dict(entry, devices=[{key: device[key] for key in fields if key in device} for device in entry['devices']])
            for entry in whole['tenants']])
        stages = {}

        def timed(stage, work):  # called at once, in this iteration
            start = time.process_time()
            value = work()
            stages[stage] = round(time.process_time() - start, 3)
            return value

        timed('no_log_scan', lambda: mask_no_log(result, [bench.sim.info['client_secret']]))
        wire = timed('pickle', lambda: bytes(ForkingPickler.dumps(result)))
        received = timed('unpickle', lambda: ForkingPickler.loads(wire))
        timed('callback_copy', lambda: strip_internal_keys(module_response_deepcopy(received)))
        if transform_to_native_types is not None:
            timed('callback_transform', lambda: transform_to_native_types(received))
        timed('register_copy', lambda: strip_internal_keys(module_response_deepcopy(received)))
        found[label] = stages
    return found
