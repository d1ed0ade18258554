"""RESULTS.md and the printed tables, from the document bench.py writes to results.json."""

from tests.performance.scenarios import COLD_FORKS, DATA_PAGE, LATENCY_MS, LISTING_PAGE, TOKEN_TTL

# Table order: scenario, then cold before warm, then concurrency.
SCENARIO_ORDER = ('O1', 'O2', 'O3', 'D', 'R', 'I', 'If', 'Ig', '1', '2', '2f', '2*', '2r', '3', '4', 'cold')
MAIN_JOB = ('O1', 'O2', 'O3', 'D', 'R', 'I', 'If', 'Ig')
INVENTORY_BUDGET_S = 5.0
MEMORY_BUDGET_MB = 2048
COLUMNS = (
    ('#', lambda r: r['scenario'] + (' warm' if r['warm'] else '')),
    ('run', lambda r: r['title'] + (' (%s)' % r['note'] if r['note'] else '')),
    ('wall s', lambda r: '%.2f' % r['wall_s']),
    ('CPU s', lambda r: '%.1f' % r['cpu_s']),
    ('API span s', lambda r: '%.2f' % r['api_span_s']),
    ('requests', lambda r: r['requests']),
    ('MSP tokens', lambda r: r['msp_tokens']),
    ('exchanges', lambda r: r['exchanges']),
    ('listing', lambda r: r['listing']),
    ('data', lambda r: r['data']),
    ('ideal', lambda r: r['ideal_requests']),
    ('ratio', lambda r: '%.2f' % r['ratio']),
    ('ideal wall s', lambda r: '%.2f' % r['ideal_wall_s']),
    ('wall / ideal', lambda r: '%.1f×' % r['wall_ratio']),
    ('check', lambda r: 'ok' if r['check'] == 'ok' else 'FAILED'),
)
COLLECTION = ('1', '2', '2f', 'cold')


def sort_key(result):
    return SCENARIO_ORDER.index(result['scenario']), result['warm'], result['concurrency']


def markdown_table(rows):
    header = [name for name, _value in COLUMNS]
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '|'.join('---' for _name in header) + '|']
    for row in sorted(rows, key=sort_key):
        lines.append('| ' + ' | '.join(str(value(row)) for _name, value in COLUMNS) + ' |')
    return lines


def results_for(document, size):
    return [result for result in document['results'] if result['tenants'] == size and 'skipped' not in result]


def find(document, size, scenario, concurrency=None, warm=False):
    for result in results_for(document, size):
        if result['scenario'] == scenario and result['warm'] == warm and concurrency in (None, result['concurrency']):
            return result
    return None


# ---- targets ----------------------------------------------------------------------------------------------


def verdict(met):
    return {True: '**met**', False: '**not met**', None: '**not measured**'}[met]


def main_job_targets(document):
    """The main job's targets (issue 14), from the O rows."""
    found = []
    largest = max(size for size in document['sizes'] if size <= 1000)
    main, peer = find(document, largest, 'O1'), find(document, largest, 'O3')
    if main and peer:
        exact = main['check'] == 'ok' and main['requests'] == main['ideal_requests']
        found.append(('Main job at N = %d: wall ≤ 1.0× the pycentral peer (%d threads), requests = ideal, reports exact'
                      % (largest, peer['concurrency']), main['wall_s'] <= peer['wall_s'] and exact,
                      '%.1f s against %.1f s (%.2f×), %.1f against %.1f CPU-s; %d requests, ideal %d; reports %s'
                      % (main['wall_s'], peer['wall_s'], main['wall_s'] / peer['wall_s'], main['cpu_s'], peer['cpu_s'],
                         main['requests'], main['ideal_requests'], 'exact' if main['check'] == 'ok' else main['check'])))
    else:
        found.append(('Main job at N = %d: wall ≤ 1.0× the pycentral peer' % largest, None, 'not run'))
    hosts, peer, floor = find(document, 100, 'O2'), find(document, 100, 'O3'), find(document, 100, 'D')
    reads = find(document, 100, 'R')
    if hosts and peer and floor and reads:
        # The read task alone (R) less Ansible's floor (D: start-up, inventory, a fork and a task per host).
        per_task = (reads['cpu_s'] - floor['cpu_s']) / reads['tenants']
        found.append(('Per-host mode (forks %d) at N = 100: ≤ 3× the peer\'s wall; CPU per module task ≤ 0.05 s'
                      % hosts['concurrency'], hosts['wall_s'] <= 3 * peer['wall_s'] and per_task <= 0.05
                      and hosts['check'] == 'ok' and reads['check'] == 'ok',
                      '%.1f s against %.1f s (%.2f×); %.3f CPU-s per module task (row R, the read task on each of '
                      'the %d tenant hosts, less row D, Ansible\'s floor per host; the whole per-host run less D: '
                      '%.3f CPU-s per host, the report from every host\'s result included)'
                      % (hosts['wall_s'], peer['wall_s'], hosts['wall_s'] / peer['wall_s'], per_task,
                         reads['tenants'], (hosts['cpu_s'] - floor['cpu_s']) / hosts['tenants'])))
    else:
        found.append(('Per-host mode at N = 100: ≤ 3× the peer\'s wall; CPU per module task ≤ 0.05 s', None,
                      'not run'))
    return found + scale_targets(document)


def scale_targets(document):
    """Issue 24's targets: the overview and the inventory at 10,000 tenants, per-host mode at 1,000."""
    found = []
    scale = max(document.get('overview_sizes') or document['sizes'])
    main, peer = find(document, scale, 'O1'), find(document, scale, 'O3')
    title = ('Overview at N = %d: wall ≤ 0.5× the peer, peak RSS of the controller stated and ≤ 2 GB, reports exact'
             % scale)
    if main and peer:
        exact = main['check'] == 'ok' and main['requests'] == main['ideal_requests']
        peak = main.get('peak_rss_mb') or 0
        found.append((title, main['wall_s'] <= 0.5 * peer['wall_s'] and 0 < peak <= MEMORY_BUDGET_MB and exact,
                      '%.1f s against %.1f s (%.2f×), %.0f against %.0f CPU-s; peak RSS %.0f MB (the peer %.0f MB); '
                      '%d requests, ideal %d; reports %s' % (
                          main['wall_s'], peer['wall_s'], main['wall_s'] / peer['wall_s'], main['cpu_s'], peer['cpu_s'],
                          peak, peer.get('peak_rss_mb') or 0, main['requests'], main['ideal_requests'],
                          'exact' if main['check'] == 'ok' else main['check'])))
    else:
        found.append((title, None, 'not run'))
    inventory, graph, floor = find(document, scale, 'I'), find(document, scale, 'Ig'), find(document, scale, 'If')
    title = 'Inventory of %d tenants: < %.0f s cold cache at %d ms latency' % (scale, INVENTORY_BUDGET_S, LATENCY_MS)
    if inventory:
        reach = ''
        if floor and floor['check'] == 'ok':
            reach = ('; Ansible\'s own floor for this output (row If: the same hosts and variables from a static '
                     'script, no API call) is %.1f s by itself%s; the plugin adds %.1f s to it'
                     % (floor['wall_s'], ' (out of reach for any inventory plugin on this machine)'
                        if floor['wall_s'] >= INVENTORY_BUDGET_S else '', inventory['wall_s'] - floor['wall_s']))
        found.append((title, inventory['wall_s'] < INVENTORY_BUDGET_S and inventory['check'] == 'ok',
                      'AWX\'s inventory update (`ansible-inventory --list --export`, row I) %.1f s, `--graph` %s; '
                      '%d requests (%d listing pages, Central\'s read one after the other as its cursors say), %.1f s '
                      'of them at the ideal%s'
                      % (inventory['wall_s'], '%.1f s' % graph['wall_s'] if graph else 'not run',
                         inventory['requests'], inventory['listing'], inventory['ideal_wall_s'], reach)))
    else:
        found.append((title, None, 'not run'))
    hosts, peer = find(document, 1000, 'O2'), find(document, 1000, 'O3')
    title = 'Per-host mode (forks %d) at N = 1000: ≤ 1.5× the peer\'s wall' % (hosts or {}).get('concurrency', 10)
    if hosts and peer:
        reads, floor = find(document, 1000, 'R'), find(document, 1000, 'D')
        found.append((title, hosts['wall_s'] <= 1.5 * peer['wall_s'] and hosts['check'] == 'ok',
                      '%.1f s against %.1f s (%.2f×); of it, Ansible\'s floor of a task on every host (row D) %s and '
                      'the reads alone (row R) %s' % (
                          hosts['wall_s'], peer['wall_s'], hosts['wall_s'] / peer['wall_s'],
                          '%.1f s' % floor['wall_s'] if floor else 'not run',
                          '%.1f s' % reads['wall_s'] if reads else 'not run')))
    else:
        found.append((title, None, 'not run'))
    return found


def targets(document):
    """[(target, met or None, figure)] for the issue's targets, from the measured runs."""
    found = main_job_targets(document)
    if 'modules' not in document.get('parts', ['modules']):
        return found + [('The module scenarios (requests = ideal, warm, cold start, scenario 2)', None,
                         'not run in this bench (--parts overview)')]
    return found + module_targets(document)


def module_targets(document):
    runs = [result for result in document['results'] if 'skipped' not in result]
    collection = [result for result in runs if result['scenario'] in COLLECTION]
    off = [result for result in collection if result['requests'] != result['ideal_requests']]
    ratios = ', '.join(sorted({'%.2f' % result['ratio'] for result in collection}))
    figure = '%d collection runs, ratios %s' % (len(collection), ratios)
    if off:
        figure += '; off: ' + '; '.join('N=%d %s: %d vs %d' % (
            result['tenants'], result['title'], result['requests'], result['ideal_requests']) for result in off)
    found = [('Requests = ideal in every module scenario (ratio 1.00)', bool(collection) and not off, figure)]
    warm = [result for result in collection if result['warm']]
    tokens = ', '.join(str(result['token_requests']) for result in warm)
    found.append(('Warm re-run: 0 token requests', bool(warm) and all(r['token_requests'] == 0 for r in warm),
                  'token requests in the %d warm runs: %s' % (len(warm), tokens)))
    cold = [result for result in runs if result['scenario'] == 'cold']
    found.append(('%d-fork cold start: exactly 1 MSP token request' % COLD_FORKS,
                  bool(cold) and all(r['msp_tokens'] == 1 for r in cold),
                  'MSP token requests: %s' % ', '.join('N=%d: %d' % (r['tenants'], r['msp_tokens']) for r in cold)))
    largest = max(document['sizes'])
    floor = find(document, largest, '2r')
    for concurrency in (8, 32):
        # Issue 24: the bound counts what Ansible itself takes to carry that result through one task (row 2r).
        run = find(document, largest, '2', concurrency)
        if run is None or floor is None:
            figure, met = 'not run', None
        else:
            bound = floor['wall_s'] + 3 * run['ideal_wall_s']
            figure = ('%.2f s against %.2f s (row 2r %.2f s + 3 × the ideal %.2f s); %.1f× the ideal alone'
                      % (run['wall_s'], bound, floor['wall_s'], run['ideal_wall_s'], run['wall_ratio']))
            met = run['wall_s'] <= bound and run['check'] == 'ok'
            layer = find(document, largest, '2*', concurrency)
            if layer:  # the same reads in one process without Ansible, the simulator on the same CPUs
                figure += ('; the connection layer alone, no Ansible (row 2*), takes %.2f s of these CPUs, so row 2r '
                           '+ row 2* is %.2f s by themselves' % (layer['wall_s'], floor['wall_s'] + layer['wall_s']))
        found.append(('Scenario 2 at N = %d, concurrency %d: wall ≤ Ansible\'s floor for its result (row 2r) + 3× its '
                      'ideal wall time' % (largest, concurrency), met, figure))
    one_task = [find(document, 100, '2', concurrency) for concurrency in (8, 32)]
    one_task = [run for run in one_task if run]
    sequential = find(document, 100, '3')
    if one_task and sequential:
        best = min(one_task, key=lambda run: run['wall_s'])
        speedup = sequential['wall_s'] / best['wall_s']
        found.append(('Scenario 2 at N = 100 at least 5× faster than pycentral sequential', speedup >= 5,
                      '%.2f s (concurrency %d) against %.2f s: %.1f× faster' % (
                          best['wall_s'], best['concurrency'], sequential['wall_s'], speedup)))
    else:
        found.append(('Scenario 2 at N = 100 at least 5× faster than pycentral sequential', None, 'not run'))
    overhead = document.get('overhead')
    found.append(('Scenario 1 overhead per tenant reported, what dominates it, where to cut it',
                  True if overhead else None,
                  'see "Scenario 1: the cost per tenant host"' if overhead else 'the breakdown did not run'))
    return found


# ---- prose ------------------------------------------------------------------------------------------------


def per_host(steps, index, hosts):
    return (steps[index]['cpu_s'] - steps[0]['cpu_s']) / hosts


def overhead_section(document):
    overhead = document.get('overhead')
    if not overhead:
        return ['The breakdown did not run (time budget or --sizes without 100).']
    steps, hosts = overhead['steps'], overhead['tenants']
    ping, device, debug = (per_host(steps, index, hosts) for index in (1, 2, 3))
    imports = overhead['import_cpu_s']
    lines = ['Measured on the N = %d dataset, forks %d; `tenant_device_info` on its own cold token cache. CPU is '
             'that of the whole `ansible-playbook` process tree (controller, forks, any module process).'
             % (hosts, overhead['forks']), '',
             '| step | hosts | wall s | CPU s | requests | check |', '|---|---|---|---|---|---|']
    for step in steps:
        status = 'ok' if step['check'] == 'ok' else 'FAILED'
        lines.append('| %s | %d | %.2f | %.1f | %d | %s |' % (
            step['label'], step['hosts'], step['wall_s'], step['cpu_s'], step['requests'], status))
    lines += [
        '',
        'Per tenant host, after start-up: **%.3f CPU-s for `tenant_device_info`**, against %.3f for '
        '`ansible.builtin.ping`, the smallest module, and %.3f for `ansible.builtin.debug`, the smallest action: '
        'Ansible\'s floor per host (fork a worker, template the task, send the result back). '
        '`tenant_device_info` runs in the controller\'s worker process (issue 14), so it pays no interpreter '
        'start, AnsiballZ payload or module imports (`requests` alone is %.2f CPU-s in a new process, '
        '`ansible.module_utils.basic` %.2f); above the floor it costs %.3f CPU-s per host: the two requests (an '
        'exchange and one page, %d ms of waiting, not CPU), the token cache, and %d KB of devices per tenant '
        'through the result pipeline.'
        % (device, ping, debug, imports['requests'], imports['ansible.module_utils.basic'], device - debug,
           2 * LATENCY_MS, overhead['result_bytes_per_tenant'] // 1000),
        '',
        'On this 2-core machine those CPU-seconds are the wall time: forks beyond the cores only queue, which is '
        'why forks 50 is not 5× faster than forks 10 in the tables. Scenario 2 does the same work in one task '
        '(%s).' % one_task_cpu(document),
    ]
    return lines


def one_task_cpu(document):
    figures = []
    for size in document['sizes']:
        run = find(document, size, '2', 32)
        hosts = find(document, size, '1', 50)
        if run and hosts:
            figures.append('N = %d: %.3f CPU-s per tenant against %.3f in scenario 1' % (
                size, run['cpu_s'] / run['reads'], hosts['cpu_s'] / hosts['reads']))
    return '; '.join(figures) or 'not measured'


def cuts(document):
    """What is left of scenario 1's cost per host, and what a play can do about it."""
    found = [
        'Ansible\'s own cost per host (the `debug` step) is most of what is left: a host per tenant pays it '
        'whatever the task does. Where a play needs no host per tenant, one task with `all_tenants` (scenario 2) '
        'or the overview\'s one controller-side task (the main job) pays it once.',
        'Return less: the `fields` option of the `tenant_*_info` modules, so that a play that needs counts or a '
        'few keys does not carry every key of every device through Ansible\'s result pipeline (row 2f).',
        'Forks near the controller\'s cores: beyond them forks only queue.',
    ]
    return found


def scenario_two_section(document):
    largest = max(document['sizes'])
    run = find(document, largest, '2', 32)
    library = find(document, largest, '2*', 32)
    few = find(document, largest, '2f', 32)
    floor = find(document, largest, '2r')
    if not run or not library:
        return ['Not measured.']
    dataset = document['datasets'][str(largest)]
    result_mb = dataset['devices'] * dataset['bytes_per_device'] / 1e6
    lines = [
        'At N = %d, concurrency 32, `tenant_device_info` with `all_tenants` took %.2f s wall and %.1f CPU-s; the '
        'simulator saw its %d requests between the first and the last within %.2f s. The same calls through the '
        'connection layer alone, in one Python process without Ansible (row 2*), took %.2f s and %.1f CPU-s. The '
        'request economy is exact in both; the rest of scenario 2\'s time is Ansible carrying one task result of '
        '%d devices (about %.0f MB as JSON) from the action to the registered variable, after the last request.'
        % (largest, run['wall_s'], run['cpu_s'], run['requests'], run['api_span_s'], library['wall_s'],
           library['cpu_s'], dataset['devices'], result_mb),
        '',
    ]
    if floor:
        lines += [
            'Row 2r measures that part alone: the same task and `register` with the same result read from a file, '
            'no API call, took %.2f s wall (%.1f CPU-s), %.1f× the ideal of the concurrency-32 run (%.2f s) and '
            '%.1f× that of concurrency 8. No one-task client can finish below it on this machine, however fast its '
            'requests.' % (floor['wall_s'], floor['cpu_s'], floor['wall_s'] / run['ideal_wall_s'],
                           run['ideal_wall_s'], floor['wall_s'] / (run['ideal_wall_s'] * 32 / 8)),
            '',
        ]
    lines += result_handling_lines(dataset.get('result_handling'))
    if few:
        lines += [
            'What the collection offers against it is a smaller result: `fields` returns only the keys a play '
            'needs. Row 2f (`fields: [serialNumber, deviceType, status]`, the same %d requests) took %.2f s '
            'against %.2f s with every key: %.1f× faster. Counting devices by type and status across a fleet needs '
            'no more.' % (few['requests'], few['wall_s'], run['wall_s'], run['wall_s'] / few['wall_s']),
            '',
        ]
    lines.append(
        'Even the request phase is above the ideal (%.2f s = %d requests × %d ms ÷ 32): the ideal assumes 32 '
        'requests in flight at every moment and no time between them, while here one Python process (one GIL) '
        'decodes %d devices of JSON, the simulator encodes them in Python on the same 2 cores, and the exchange '
        'of a tenant must finish before its first page.' % (
            run['ideal_wall_s'], run['ideal_requests'], LATENCY_MS, dataset['devices']))
    return lines


STAGES = (('no_log_scan', 'the action\'s `no_log` scan (the client secret must not be in the result; '
                          'AnsibleModule does the same to a module\'s)'),
          ('pickle', 'the worker pickling the result for the controller (each value the items repeat written '
                     'once: the task shares them)'),
          ('unpickle', 'the controller unpickling it'),
          ('callback_copy', 'its copy for the callbacks (`module_response_deepcopy` and `strip_internal_keys`)'),
          ('callback_transform', 'the default callback\'s `transform_to_native_types`'),
          ('register_copy', 'the copy for `register`'))


def result_handling_lines(handling):
    """The stages of scenario 2's result after the work (scenarios.result_handling), as a table."""
    if not handling:
        return []
    every, few = handling['all_keys'], handling['few_fields']
    lines = ['What each stage costs, timed one by one in the bench process on this result (%d devices), in the '
             'order ansible-core runs them, all in one process at a time and after the last request:'
             % handling['devices'], '', '| stage | CPU s, every key | CPU s, three fields |', '|---|---|---|']
    for key, label in STAGES:
        if key in every:
            lines.append('| %s | %.2f | %.2f |' % (label, every[key], few.get(key, 0)))
    lines.append('| in all | %.2f | %.2f |' % (sum(every.values()), sum(few.values())))
    lines += ['', 'The collection does the first, in each tenant\'s thread while other requests are in flight '
              '(the table times it in one piece), and shares the values items repeat, which cuts the pickling by '
              'more than half; the rest is what ansible-core does with any task result, and grows with its number '
              'of values.', '']
    return lines


def setup_lines(document):
    settings = document['settings']
    lines = [
        'Simulator (`tests/simulator/server.py`, plain HTTP on loopback): `--dataset scale --latency-ms %d '
        '--token-ttl %d`, %d devices per tenant, the first few tenants with %d devices so their inventories take '
        'several pages; every hundredth tenant exists in GLP only (Central not provisioned: its device inventory '
        'answers 403, which counts as its one data request). The stats are zeroed before every run. Before the '
        'runs of each size, untimed: the simulator builds every tenant\'s devices (a real API does not make them '
        'up per request) and one tenant host is read once, so that no timed run pays for loading Python files '
        'from a cold disk cache.'
        % (LATENCY_MS, TOKEN_TTL, settings['devices_per_tenant'], settings['big_tenant_devices']),
        '',
        '| N | big tenants | devices | GLP-only tenants | fewest data pages |', '|---|---|---|---|---|',
    ]
    for size in document['sizes']:
        data = document['datasets'][str(size)]
        lines.append('| %d | %d | %d | %d | %d |' % (
            size, data['big_tenants'], data['devices'], data['glp_only'], data['data_pages']))
    lines += [
        '',
        '* **1** — `tests/performance/playbooks/tenant_hosts.yml` over the `central.msp.tenants` inventory '
        '(`inventory/tenants.central_msp.yml`, `with_central: false`: reading devices needs each tenant\'s '
        'workspace id, not Central\'s summary), `tenant_device_info` with `tenant_workspace_id` once per host. **warm**: the '
        'same again on the token cache the cold run filled, inside the token lifetime.',
        '* **2** — `all_tenants.yml`: one `tenant_device_info` task with `all_tenants: true` on localhost '
        '(`allow_partial: true`): a GLP-only tenant\'s 403 makes the task read Central\'s tenant list once, to report '
        'it as not provisioned rather than failed (those pages are in its ideal). **2f** — the same with '
        '`fields: [serialNumber, deviceType, status]`: the same requests, a result a fifth of the size.',
        '* **2\\*** — diagnostic, not a user scenario: the same calls through the connection layer '
        '(`MspClient`) in one Python process, no Ansible (`connection_layer.py`). **2r** — diagnostic: Ansible\'s '
        'floor for scenario 2, its task and `register` with the same result (every device of every tenant) read '
        'from a file by a test action plugin (`playbooks/action_plugins/bench_result_floor.py`), no API call: '
        'what no client can go below in one task; its wall / ideal is against scenario 2\'s ideal at concurrency '
        '32.',
        '* **3** — pycentral %s `MSPBase`, the MSP guide\'s "Iterate Across All Tenants" loop (`peer_pycentral.py`); '
        '**4** — the same with a thread pool over one `MSPBase`, as the Control Tower reference fetches in '
        'parallel. Two changes to the guide\'s loop, neither saving a request: the tenant list is paged (the '
        'guide reads one page, 100 tenants by default) and a tenant whose read raises is counted and skipped.'
        % document['versions'].get('pycentral', '?'),
        '* **cold** — %d hosts at once on an empty token cache from a static inventory (no listing first, so all '
        'forks miss the MSP token together); with fewer tenants than hosts, hosts share tenants (one exchange '
        'each, read once per host).' % COLD_FORKS,
        '',
        '**Ideal** requests = 1 MSP token + 1 exchange per tenant read + the listing pages (%d tenants a page) + '
        'the fewest data pages (%d devices a page, at least one per tenant); warm runs: no token. **Ratio** = '
        'requests ÷ ideal. **Ideal wall** = ideal requests × %d ms ÷ concurrency (forks, threads or 1). '
        '**API span** = first to last request the simulator answered. **CPU** = user + system time of the '
        'command\'s whole process tree. **check** = the run read every device and failed on exactly the '
        'GLP-only tenants (and exchanged into exactly the tenants it read). Counts are from `/_sim/stats`.'
        % (LISTING_PAGE, DATA_PAGE, LATENCY_MS),
    ]
    return lines


def main_job_lines(document):
    """The main job's tables, one per N, with the ratios to the peer."""
    settings = document['settings']
    lines = [
        'The MSP overview (`playbooks/msp_overview.yml`, its three reports written) against a Control-Tower-style '
        'pycentral script (`tests/performance/peer_overview.py`: one `MSPBase`, the same four reads per tenant — '
        'sites-health, device inventory, clients, alerts — through a thread pool). Simulator: `--dataset scale`, %d '
        'devices per tenant (the first tenant %d), %d ms per request; a simulator per N; each run on a cold token '
        'cache. **O1**: the playbook as shipped, one controller-side `tenant_overview_info` task for every tenant '
        'host; **O2**: `msp_overview_per_host=true`, forks 10; **O3**: the peer; **D**: `ansible.builtin.debug` '
        'on every tenant host (Ansible\'s floor per host, no API read); **R**: the read task of O2 alone on every '
        'tenant host, no report (its CPU less D\'s is the CPU of a module task). Ideal requests: 1 MSP token, an exchange '
        'and the fewest pages of each kind per tenant Central manages, and the inventory\'s listing pages (the peer '
        'lists GLP only, and reads the GLP-only tenants too, which answer 403). **check**: every tenant\'s status '
        'and its counts of sites, devices, clients and alerts in `msp_overview.json`, and the fleet totals, equal '
        'the simulator\'s (the peer: its totals).' % (
            settings.get('overview_devices_per_tenant', 50), settings.get('overview_big_tenant_devices', 500),
            LATENCY_MS),
    ]
    for size in document.get('overview_sizes') or document['sizes']:
        rows = [row for row in results_for(document, size) if row['scenario'] in MAIN_JOB]
        if not rows:
            continue
        peer = find(document, size, 'O3')
        lines += ['', '### N = %d' % size, '',
                  '| # | run | wall s | CPU s | peak RSS MB | requests | ideal | ratio | ideal wall s | wall / ideal '
                  '| wall / peer | CPU / peer | check |', '|---|---|---|---|---|---|---|---|---|---|---|---|---|']
        for row in sorted(rows, key=sort_key):
            lines.append('| %s | %s | %.2f | %.1f | %s | %d | %d | %.2f | %.2f | %.1f× | %s | %s | %s |' % (
                row['scenario'], row['title'], row['wall_s'], row['cpu_s'],
                '%.0f' % row['peak_rss_mb'] if row.get('peak_rss_mb') else '–', row['requests'], row['ideal_requests'],
                row['ratio'], row['ideal_wall_s'], row['wall_ratio'],
                '%.2f×' % (row['wall_s'] / peer['wall_s']) if peer and row['scenario'] not in ('I', 'If', 'Ig') else '–',
                '%.2f×' % (row['cpu_s'] / peer['cpu_s']) if peer and row['scenario'] not in ('I', 'If', 'Ig') else '–',
                'ok' if row['check'] == 'ok' else 'FAILED'))
        skipped = [r for r in document['results'] if r['tenants'] == size and 'skipped' in r
                   and r['title'][:2] in ('O1', 'O2', 'O3', 'D ', 'R ')]
        if skipped:
            lines += ['', 'Not run: ' + '; '.join('%s (%s)' % (r['title'], r['skipped']) for r in skipped) + '.']
    return lines


def render(document):
    meta = document['machine']
    versions = document['versions']
    lines = [
        '# Benchmarks: request economy and wall time, 10 to 10,000 tenants',
        '',
        'Written by `make bench` (`python -m tests.performance.bench`) on %s in %.1f minutes; '
        '`results.json` beside this file has every figure. Issues 7, 14 and 24.' % (
            document['date'], document['elapsed_s'] / 60),
        '',
        '* Machine: %s, %d CPUs (%s), %s GB RAM, Python %s. Load average (1 min) %.1f at the start, %.1f at the '
        'end: the machine is shared, so wall times carry that noise; request counts do not, and CPU times much '
        'less.' % (meta['platform'], meta['cpus'], meta['cpu_model'], meta['memory_gb'], meta['python'],
                   meta['load_start'], meta['load_end']),
        '* Versions: central.msp %s (commit %s), ansible-core %s, requests %s, pycentral %s, httpx %s.' % (
            versions['central.msp'], versions['commit'], versions['ansible-core'], versions['requests'],
            versions['pycentral'], versions['httpx']),
        '',
        '## Targets',
        '',
    ]
    for target, met, figure in targets(document):
        lines.append('* %s — %s: %s.' % (target, verdict(met), figure))
    lines += ['', '## The main job: the MSP overview against a pycentral script', ''] + main_job_lines(document)
    if 'modules' not in document.get('parts', ['modules']):
        lines += ['', 'The module scenarios (1 to 4, cold start) were not run in this bench (`--parts overview`).', '']
        return '\n'.join(lines)
    lines += ['', '## The module scenarios: set-up', ''] + setup_lines(document)
    for size in document['sizes']:
        rows = [row for row in results_for(document, size) if row['scenario'] not in MAIN_JOB]
        lines += ['', '## N = %d tenants' % size, ''] + markdown_table(rows)
        skipped = [r for r in document['results'] if r['tenants'] == size and 'skipped' in r
                   and r['title'][:2] not in ('O1', 'O2', 'O3', 'D ', 'R ')]
        if skipped:
            lines += ['', 'Not run: ' + '; '.join('%s (%s)' % (r['title'], r['skipped']) for r in skipped) + '.']
        notes = sorted({r['note'] for r in results_for(document, size) if r['note']})
        if notes:
            lines += ['', 'Reduced variant: scenario 1 here runs on the %s — %s' % (
                notes[0], document['reduced_reason'])]
    lines += ['', '## pycentral\'s counts', ''] + pycentral_lines(document)
    lines += ['', '## Scenario 1: the cost per tenant host', ''] + overhead_section(document)
    lines += ['', 'Where the collection can still cut it:', '']
    lines += ['%d. %s' % (number, cut) for number, cut in enumerate(cuts(document), 1)]
    lines += ['', '## Scenario 2 at the largest N: where the time goes', ''] + scenario_two_section(document)
    lines += ['', '## Reproduce', '', '```', 'make bench                     # all sizes, about 25 minutes on 2 cores',
              'python -m tests.performance.bench --sizes 10 --output-dir /tmp/bench   # a quick look', '```',
              'The N = 10 request-economy figures are asserted exactly by `tests/performance/test_bench_small.py` '
              '(part of `make test`).', '']
    return '\n'.join(lines)


def pycentral_lines(document):
    lines = []
    for size in document['sizes']:
        runs = [r for r in results_for(document, size) if r['scenario'] in ('3', '4')]
        if runs:
            lines.append('* N = %d: %s.' % (size, '; '.join(
                '%s: %d requests (%d MSP token, %d exchanges, %d data), ratio %.2f, %.1f CPU-s' % (
                    r['title'], r['requests'], r['msp_tokens'], r['exchanges'], r['data'], r['ratio'], r['cpu_s'])
                for r in runs)))
    lines += [
        '',
        'In one process pycentral makes the same requests as the ideal: one MSP token, one exchange per tenant '
        '(its tenant connections are cached in memory), the same pages. What it cannot do is share: its tokens '
        'die with the process, so every Ansible task or cron run built on it starts with a new MSP token and N '
        'new exchanges (the warm and cold rows above are where central.msp differs). Its cost is CPU: each '
        'tenant connection builds its own HTTP clients and TLS context and each exchange its own OAuth session.',
    ]
    return lines
