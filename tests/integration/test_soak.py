"""Soak (make soak): the MSP overview over the scale dataset, 10,000 tenants of 50 devices, with 5% of all API and
token requests failing at random (429, 500, 502, 503, connection resets). The reports must be exactly what the
simulator holds, with no tenant failed, the controller's memory bounded (2 GB) and the index page within its 5 MB.
The figures of the run go to build/soak/figures.json for docs/reliability.md.

SOAK_TENANTS, SOAK_DEVICES, SOAK_FORKS and SOAK_FAILURE_RATE change the defaults (for a quicker look, not for the
record)."""

from __future__ import annotations

import json
import os
import time
from collections import Counter

import pytest

from tests.helpers import ROOT, ansible_env, index_islands, run_playbook
from tests.integration.fault_checks import assert_absent, secrets_of
from tests.integration.test_overview import INVENTORY, PLAYBOOK, check_reports, read_reports
from tests.simulator.pytest_plugin import start_simulator

TENANTS = int(os.environ.get('SOAK_TENANTS', '10000'))
FORKS = os.environ.get('SOAK_FORKS', '20')
FAILURE_RATE = float(os.environ.get('SOAK_FAILURE_RATE', '0.05'))
DEVICES_PER_TENANT = int(os.environ.get('SOAK_DEVICES', '50'))
MEMORY_BUDGET_MB = 2048
INDEX_BUDGET = 5 * 1024 * 1024
FIGURES = os.path.join(ROOT, 'build', 'soak', 'figures.json')
FAULT_NAMES = {0: 'connection resets', 429: '429', 500: '500', 502: '502', 503: '503'}


def figures(sim, seconds, report, peak_mb, index_bytes):
    """What the run cost and survived, from the simulator's counters and request log."""
    stats = sim.stats()
    faults = Counter(FAULT_NAMES.get(entry['status'], str(entry['status']))
                     for entry in stats['requests_log'] if entry['fault'])
    return {
        'tenants': len(report['tenants']), 'tenants_read': report['totals']['tenants']['ok'],
        'tenants_failed': report['totals']['tenants']['failed'], 'forks': int(FORKS), 'failure_rate': FAILURE_RATE,
        'seconds': round(seconds), 'requests': stats['requests'], 'token_requests': stats['token_requests'],
        'api_requests': stats['api_requests'], 'msp_tokens': stats['msp_tokens'], 'exchanges': stats['exchanges'],
        'faults_injected': stats['faults_injected'], 'faults_by_kind': dict(sorted(faults.items())),
        # Nothing failed in the end, so every injected fault was answered by a retry of the same request.
        'retries': stats['faults_injected'], 'refused_401': stats['by_status'].get('401', 0),
        'devices': report['totals']['devices']['total'], 'clients': report['totals']['clients']['total'],
        'peak_rss_mb': round(peak_mb), 'index_bytes': index_bytes, 'result': 'exact',
    }


@pytest.mark.slow
def test_overview_of_ten_thousand_tenants_with_random_failures(tmp_path):
    with start_simulator('--dataset', 'scale', '--tenants', TENANTS, '--devices-per-tenant', DEVICES_PER_TENANT,
                         '--cache-items', 4_000_000) as sim:
        sim.fault(action='random_failures', rate=FAILURE_RATE, seed=8)
        started = time.monotonic()
        out = str(tmp_path / 'reports')
        run = run_playbook(PLAYBOOK, ansible_env(sim.env(), tmp=str(tmp_path)), inventory=INVENTORY, args=('-f', FORKS),
                           extra_vars={'msp_overview_output_dir': out}, timeout=3600, measure=True)
        seconds = time.monotonic() - started
        # The largest resident set of the playbook's processes (the controller's), not counting this test's own.
        peak_mb = run.usage.peak_rss_mb
        assert run.rc == 0, run.output[-4000:]
        truths = sim.truth()['tenants']
        assert len(truths) == TENANTS
        report = check_reports(sim, out, truths)[0]
        assert report['totals']['tenants']['failed'] == 0
        # The inventory read every tenant too: no fallback, no missing device count.
        assert "Central's tenant list failed" not in run.output and 'msp_device_counts is null' not in run.output

        index_bytes = os.path.getsize(os.path.join(out, 'msp_overview.html'))
        assert index_bytes <= INDEX_BUDGET, 'the index is %.2f MB, over its 5 MB budget' % (index_bytes / 1e6)
        assert peak_mb <= MEMORY_BUDGET_MB, 'the playbook peaked at %.0f MB' % peak_mb
        result = figures(sim, seconds, report, peak_mb, index_bytes)
        assert result['faults_injected'] >= FAILURE_RATE / 2 * result['requests'], result
        assert_absent(secrets_of(sim), {'the output': run.output})
        reports = read_reports(out)
        written = {'the reports': json.dumps(reports[0]) + reports[2]}
        written.update(('the index\'s %s' % name, text) for name, text in index_islands(reports[2]).items())
        assert_absent(secrets_of(sim), written)
    os.makedirs(os.path.dirname(FIGURES), exist_ok=True)
    with open(FIGURES, 'w', encoding='utf-8') as handle:
        json.dump(result, handle, indent=2)
    print('\nsoak figures: %s' % json.dumps(result))
