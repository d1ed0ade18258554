"""`make probe`: the live-contract probe (playbooks/verify_contract.yml) against the local simulator.

Starts the simulator (demo dataset, HTTPS with its own CA, its rate limits on and generous, so that its answers
carry the rate-limit headers the probe checks), runs the playbook through the same environment variables a real
account uses, prints one line per endpoint and where the report is. The simulator is stopped whatever happens, and
the exit status is non-zero when the probe failed or sent any request the simulator refused.

    .venv/bin/python tests/demo/run_probe.py [--output FILE]

The same helpers as `make demo` (tests/demo/run_demo.py): its environment, its signal handling, its check of
refused requests.
"""
import argparse
import json
import os
import shutil
import signal
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from tests.demo.run_demo import (Stopped, demo_env, interrupted, on_signal, print_refused, refused_requests,  # noqa: E402
                                 run_ansible_playbook)
from tests.simulator.process import start_simulator  # noqa: E402

PLAYBOOK = os.path.join(ROOT, 'playbooks', 'verify_contract.yml')
# Well above what one probe spends (a request per endpoint and scope), so nothing is limited, only counted.
RATE_LIMITS = ('--central-rate-limit', '100', '--glp-rate-limit', '1000')


def print_report(report, output):
    rows = [('Endpoint', 'Result', 'HTTP', 'Items', 'Fields', 'Mismatches')]
    for entry in report['endpoints']:
        rows.append((entry['label'], entry['result'], '-' if entry.get('status') is None else entry['status'],
                     '-' if entry.get('items') is None else entry['items'], len(entry.get('fields') or ()),
                     entry.get('mismatch_count', 0)))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    print()
    for number, row in enumerate(rows):
        print('  ' + '  '.join(str(value).ljust(width) for value, width in zip(row, widths)).rstrip())
        if number == 0:
            print('  ' + '  '.join('-' * width for width in widths))
    summary = report['summary']
    print('\n  %(endpoints)d endpoints: %(ok)d ok, %(mismatch)d mismatched, %(failed)d failed, %(skipped)d skipped'
          % summary)
    for problem in report['mismatches'] + report['failed_endpoints']:
        print('  ' + problem)
    print('\nReport (redacted, mode 0600): ' + output)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--output', default=os.path.join(ROOT, 'reports', 'contract_probe.json'),
                        help='where the report goes')
    args = parser.parse_args(argv)
    output = os.path.abspath(args.output)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)
    workdir = tempfile.mkdtemp(prefix='central-msp-probe-')
    try:
        print('Starting the simulator (demo dataset, TLS with its own CA, rate limits on)...', flush=True)
        with start_simulator('--dataset', 'demo', '--tls', *RATE_LIMITS) as sim:
            print('Simulator up: GLP %s, Central %s' % (sim.info['glp_base_url'], sim.info['central_base_url']),
                  flush=True)
            if os.path.exists(output):
                os.unlink(output)  # a report left by an earlier run must not pass for this one's
            rc = run_ansible_playbook(demo_env(sim, workdir), PLAYBOOK, '-e', json.dumps({'verify_contract_output': output}))
            refused = refused_requests(sim)
        if refused:
            print_refused(refused, 'The probe')
            return 1
        if not os.path.exists(output):
            print('\nThe probe wrote no report (exit %d); see its output above.' % rc, file=sys.stderr)
            return rc or 1
        with open(output, encoding='utf-8') as handle:
            print_report(json.load(handle), output)
        if rc != 0:
            print('\nThe probe failed (exit %d): the simulator no longer answers as the contract says.' % rc,
                  file=sys.stderr)
        return rc
    except RuntimeError as exc:  # the simulator did not start
        print('\nProbe failed: %s' % exc, file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Stopped) as exc:
        return interrupted(exc, 'Probe')
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
