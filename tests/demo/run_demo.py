"""`make demo`: the MSP overview, end to end, on the local simulator.

Starts the simulator (demo dataset, HTTPS with its own CA), points the collection at it through the same
environment variables a real account uses, runs playbooks/msp_overview.yml through the tenants inventory,
prints one line per tenant and where the reports are. The simulator is stopped whatever happens
(an error, Ctrl-C or SIGTERM), and the exit status is non-zero when anything failed, including any API request
the simulator refused (a 4xx: the live API would have refused it too).

    .venv/bin/python tests/demo/run_demo.py [--output-dir DIR] [--forks N] [--screenshot PNG]

--screenshot also photographs the index page in headless Chromium (the README's docs/images/msp_overview.png).
So that the page has something to show under "What changed", it first runs the overview once more before the
real run, with one of Acme Retail Group's devices taken offline in between (the simulator's device_status
action): the picture shows the second run.
"""
import argparse
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

# Only the runtime (requirements-demo.txt) is installed for `make demo`: nothing here may import the test
# toolchain (pytest, ansible-lint, ...); tests/integration/test_overview.py checks it.
from tests.helpers import ansible_env  # noqa: E402  (needs ROOT on sys.path)
from tests.simulator.process import start_simulator  # noqa: E402

PLAYBOOK = os.path.join(ROOT, 'playbooks', 'msp_overview.yml')
INVENTORY = os.path.join(ROOT, 'playbooks', 'inventory', 'simulator.central_msp.yml')


class Stopped(Exception):
    """SIGTERM or SIGHUP: unwind like Ctrl-C so that every `finally` runs."""


def on_signal(signum, _frame):
    raise Stopped(signum)


def interrupted(exc, what):
    """The exit code for Ctrl-C or Stopped, said as ``what`` ('Demo', 'Probe') was interrupted."""
    signum = exc.args[0] if isinstance(exc, Stopped) else signal.SIGINT
    print('\n%s interrupted (%s); the simulator is stopped.' % (what, signal.Signals(signum).name), file=sys.stderr)
    return 128 + signum


def demo_env(sim, workdir):
    """The collection's usual environment variables, pointing at the simulator; nothing from the user's own
    GLP_*/CENTRAL_*/ANSIBLE_* settings leaks in (ansible_env drops them)."""
    colour = 'false' if sys.stdout.isatty() else 'true'
    env = ansible_env(dict(sim.env(), ANSIBLE_NOCOLOR=colour, ANSIBLE_DISPLAY_SKIPPED_HOSTS='false'), tmp=workdir)
    # The tests' result-recording callback is not wanted here: the default output is the show.
    for name in ('ANSIBLE_CALLBACK_PLUGINS', 'ANSIBLE_CALLBACKS_ENABLED', 'CENTRAL_MSP_TEST_RESULTS'):
        env.pop(name, None)
    return env


def run_ansible_playbook(env, *args):
    """Run ansible-playbook of this Python with these arguments (printed first, paths relative to the clone) and
    return its exit status; a signal stops it too."""
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), *args]
    print('$ ' + shlex.join(['ansible-playbook'] + [os.path.relpath(part, ROOT) if part.startswith(ROOT) else part
                                                    for part in command[1:]]), flush=True)
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    try:
        return process.wait()
    finally:
        # Reached early only on a signal: do not leave ansible-playbook running against a stopped simulator.
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


def run_playbook(env, output_dir, forks):
    return run_ansible_playbook(env, '-i', INVENTORY, PLAYBOOK, '-f', str(forks),
                                '-e', json.dumps({'msp_overview_output_dir': output_dir}))


def refused_requests(sim):
    """The API requests the simulator answered with a 4xx (none is expected: nothing here is injected)."""
    return [entry for entry in sim.stats()['requests_log']
            if 400 <= entry['status'] < 500 and not entry['path'].startswith('/authorization/')]


def print_refused(refused, what):
    """Say which requests ``what`` sent that the simulator refused, as the live API would."""
    print('\n%s sent %d request(s) the live API would refuse:' % (what, len(refused)), file=sys.stderr)
    for entry in refused[:10]:
        print('  %(status)s GET %(path)s?%(query)s' % entry, file=sys.stderr)


def cell(summary, kind, text):
    return text(summary[kind]) if summary.get(kind) else '-'


def print_summary(report, output_dir):
    """One line per tenant, worst first (the index page's order), what changed, and where the files are."""
    totals = report['totals']
    rows = [('Tenant', 'Score', 'Health', 'Sites (poor)', 'Devices (offline)', 'Clients (failed)',
             'Active alerts (critical)')]
    for tenant in sorted(report['tenants'], key=lambda t: t['rank']):
        s = tenant['summary']
        rows.append((tenant['name'], '-' if tenant['score'] is None else '%.1f' % tenant['score'],
                     tenant['health'].replace('not_provisioned', 'not in Central'),
                     cell(s, 'sites', lambda x: '%d (%d)' % (x['total'], x['poor'])),
                     cell(s, 'devices', lambda x: '%d (%d)' % (x['total'], x['by_status']['OFFLINE'])),
                     cell(s, 'clients', lambda x: '%d (%d)' % (x['total'], x['by_status']['Failed'])),
                     cell(s, 'alerts', lambda x: '%d (%d)' % (x['active'], x['by_severity']['Critical']))))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    print()
    for number, row in enumerate(rows):
        print('  ' + '  '.join(str(value).ljust(width) for value, width in zip(row, widths)).rstrip())
        if number == 0:
            print('  ' + '  '.join('-' * width for width in widths))
    for tenant in report['tenants']:
        if tenant['status'] == 'failed':
            print('  %s failed: %s' % (tenant['name'], tenant['error']))
    total = totals['tenants']['total']
    print('\n  %d %s: %d read, %d failed, %d not provisioned in Central' % (
        total, 'tenant' if total == 1 else 'tenants', totals['tenants']['ok'], totals['tenants']['failed'],
        totals['tenants']['not_provisioned']))
    if report.get('clients_window'):
        print('  %s' % report['clients_window']['description'])
    changes = report['changes']
    if changes['since']:
        counts = ', '.join('%s %s' % (changes[key], key.replace('_', ' ')) for key in (
            'new_critical_alerts', 'cleared_critical_alerts', 'devices_offline', 'devices_back', 'sites_degraded',
            'sites_recovered') if changes[key])
        print('  Since %s: %s' % (changes['since'], counts or 'no change in alerts, devices or sites'))
    else:
        print('  First run in %s: the next one shows what changed.' % output_dir)
    print('\nReports:')
    for name in ('msp_overview.html', 'tenants/', 'msp_overview_summary.txt', 'msp_overview.json', 'msp_overview.csv',
                 'msp_overview_devices.csv', 'msp_overview_alerts.csv', 'history/'):
        print('  ' + os.path.join(output_dir, name))
    print('Open the index in a browser: file://' + os.path.join(output_dir, 'msp_overview.html'))


def screenshot(output_dir, png):
    """The index page as a 1400x1000 PNG, taken by headless Chromium with no profile, network or GPU."""
    from tests.integration.browser import find_chromium  # needs websocket-client, a test requirement

    chromium = find_chromium()
    if chromium is None:
        raise RuntimeError('--screenshot needs Chromium or Chrome (apt-get install chromium)')
    profile = tempfile.mkdtemp(prefix='central-msp-shot-')
    try:
        subprocess.run([chromium, '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                        '--disable-component-update', '--disable-sync', '--no-first-run', '--hide-scrollbars',
                        '--user-data-dir=' + profile, '--screenshot=' + os.path.abspath(png), '--window-size=1400,1000',
                        '--virtual-time-budget=2000',  # the table is drawn by the page's script
                        'file://' + os.path.join(output_dir, 'msp_overview.html')],
                       check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=60)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    print('Screenshot: ' + os.path.abspath(png))


def take_a_device_offline(sim):
    """Between the screenshot's two runs: one of Acme Retail Group's online devices goes offline."""
    acme = next(t for t in sim.truth()['tenants'] if t['name'] == 'Acme Retail Group')
    device = next(d for d in sim.truth(acme['id'], 'devices') if d['status'] == 'ONLINE')
    sim.fault(action='device_status', tenant=acme['id'], serial=device['serialNumber'], status='OFFLINE')
    print('Simulator: %s (%s) of %s is now offline' % (device['deviceName'], device['serialNumber'], acme['name']),
          flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--output-dir', default=os.path.join(ROOT, 'reports'), help='where the reports go')
    parser.add_argument('--forks', type=int, default=10, help='tenants read in parallel')
    parser.add_argument('--screenshot', metavar='PNG', help='also save a screenshot of the HTML report here')
    args = parser.parse_args(argv)
    output_dir = os.path.abspath(args.output_dir)
    started = time.monotonic()
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)
    workdir = tempfile.mkdtemp(prefix='central-msp-demo-')
    try:
        print('Starting the simulator (demo dataset, TLS with its own CA)...', flush=True)
        with start_simulator('--dataset', 'demo', '--tls') as sim:
            print('Simulator up: GLP %s, Central %s' % (sim.info['glp_base_url'], sim.info['central_base_url']),
                  flush=True)
            env = demo_env(sim, workdir)
            rc = 0
            if args.screenshot:
                # Two runs with a change between them, so the page shows what changed since the last run.
                rc = run_playbook(env, output_dir, args.forks)
                if rc == 0:
                    take_a_device_offline(sim)
            if rc == 0:
                rc = run_playbook(env, output_dir, args.forks)
            refused = refused_requests(sim)
        if refused:
            # The simulator refuses what the live API refuses: the demo must not send any of it.
            print_refused(refused, 'The overview')
            return 1
        report_file = os.path.join(output_dir, 'msp_overview.json')
        if rc != 0 or not os.path.exists(report_file):
            print('\nThe overview playbook failed (exit %d); see its output above.' % rc, file=sys.stderr)
            return rc or 1
        with open(report_file, encoding='utf-8') as handle:
            report = json.load(handle)
        print_summary(report, output_dir)
        if args.screenshot:
            screenshot(output_dir, args.screenshot)
        print('\nDemo finished in %.1f s; the simulator is stopped.' % (time.monotonic() - started))
        return 0
    except RuntimeError as exc:  # the simulator did not start, or no browser for --screenshot
        print('\nDemo failed: %s' % exc, file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Stopped) as exc:
        return interrupted(exc, 'Demo')
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
