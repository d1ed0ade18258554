"""Benchmark of the overview's index page at scale: its size and how long headless Chromium takes to render it.

    .venv/bin/python -m tests.performance.overview_pages [--tenants 1000] [--devices-per-tenant 200] [--loads 3]
                                                         [--output-dir DIR]

The report is synthetic (tests/performance/synthetic_report.py: the simulator's scale dataset, turned into the
report by the collection's own filter); the page is made by the same code as the playbook's
(overview_report.render_index). The render time is the navigation's loadEventEnd (HTML received, parsed, the
page's script run) in a fresh tab, the median of --loads loads; the first search's time (decoding the
compressed search index) is shown beside it. Budgets: 5 MB and 2 s, stated in docs/reports.md."""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
# tests.conftest makes the collection importable as ansible_collections.central.msp.
import tests.conftest  # noqa: E402,F401  pylint: disable=unused-import

SIZE_BUDGET = 5 * 1024 * 1024
RENDER_BUDGET_S = 2.0


def scale_index(folder, tenants=1000, devices_per_tenant=200):
    """Writes the index page of a synthetic report into ``folder``; returns (its path, the prepared report)."""
    from ansible_collections.central.msp.plugins.plugin_utils.overview_report import render_index
    from tests.performance.synthetic_report import synthetic_report
    text, prepared = render_index(synthetic_report(tenants, devices_per_tenant))
    path = os.path.join(folder, 'msp_overview.html')
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write(text)
    return path, prepared


def measure(page, loads):
    from tests.integration.browser import Browser, find_chromium
    chromium = find_chromium()
    if chromium is None:
        raise SystemExit('the benchmark needs Chromium or Chrome (apt-get install chromium)')
    renders = []
    with Browser(chromium) as browser:
        for _load in range(loads):
            browser.open('about:blank')
            browser.open('file://' + page)
            renders.append(browser.js("performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000)
        started = time.monotonic()
        browser.js("window.centralMspSearch('zz-no-such-value').then(hits => hits.length)")
        first_search = time.monotonic() - started
        errors = browser.errors()
    return renders, first_search, errors


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--tenants', type=int, default=1000)
    parser.add_argument('--devices-per-tenant', type=int, default=200)
    parser.add_argument('--loads', type=int, default=3)
    parser.add_argument('--output-dir', help='where the page is written (default: a new temporary folder)')
    args = parser.parse_args(argv)
    folder = args.output_dir or tempfile.mkdtemp(prefix='central-msp-overview-bench-')
    started = time.monotonic()
    page, report = scale_index(folder, args.tenants, args.devices_per_tenant)
    built = time.monotonic() - started
    size = os.path.getsize(page)
    renders, first_search, errors = measure(page, args.loads)
    render = statistics.median(renders)
    figures = {
        'tenants': len(report['tenants']), 'devices': sum(len((t.get('details') or {}).get('devices') or [])
                                                          for t in report['tenants']),
        'clients': sum(len((t.get('details') or {}).get('clients') or []) for t in report['tenants']),
        'index_bytes': size, 'index_mb': round(size / 1e6, 2), 'render_s': round(render, 3),
        'render_s_each': [round(value, 3) for value in renders], 'first_search_s': round(first_search, 3),
        'report_and_page_s': round(built, 1), 'console_errors': errors,
        'within_budget': size <= SIZE_BUDGET and render < RENDER_BUDGET_S and not errors,
    }
    print(json.dumps(figures, indent=2))
    print('index %.2f MB (budget 5 MB), rendered in %.2f s (budget 2 s), first search %.2f s: %s' % (
        size / 1e6, render, first_search, 'within budget' if figures['within_budget'] else 'OVER BUDGET'))
    return 0 if figures['within_budget'] else 1


if __name__ == '__main__':
    sys.exit(main())
