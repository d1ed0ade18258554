# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Summarise ansible-test's JUnit results: which sanity tests ran, passed, failed or were skipped.

ansible-test prints 'Running sanity test "x"' even for a test that then finds
nothing to check, so its console output alone cannot tell what really ran.
The JUnit files (written with --junit) can: a skipped test carries a
<skipped> element whose text is 'No tests applicable.' when the collection has
no file of that kind yet, or the reason otherwise (e.g. an interpreter or a
virtual environment missing), which this script treats as a failure.

    python summary.py <junit dir> [expected test name ...]

Expected tests (from `ansible-test sanity --list-tests`) that left no result at
all -- ansible-test stops at the first test that crashes -- count as failed.

Exit status: 0 when nothing failed, nothing expected is missing and nothing was
skipped for a reason other than 'no applicable files'; 1 otherwise.
"""

from __future__ import annotations

import os
import sys
import xml.etree.ElementTree as ET

NOT_APPLICABLE = 'No tests applicable.'


def read_results(junit_dir: str) -> list[tuple[str, str, str]]:
    """Return (test name, status, detail) for every test case in the JUnit files."""
    results = []

    for name in sorted(os.listdir(junit_dir)):
        if not name.endswith('.xml'):
            continue

        tree = ET.parse(os.path.join(junit_dir, name))

        for case in tree.iter('testcase'):
            test = case.get('name') or name
            skipped = case.find('skipped')
            failures = case.findall('failure') + case.findall('error')

            if failures:
                detail = '; '.join((failure.get('message') or failure.get('type') or 'failed').rstrip(':') for failure in failures)
                results.append((test, 'failed', detail))
            elif skipped is not None:
                reason = (skipped.get('message') or skipped.text or '').strip() or NOT_APPLICABLE
                results.append((test, 'skipped', reason))
            else:
                results.append((test, 'passed', ''))

    return results


def main() -> int:
    """Print the summary and return the exit status."""
    if len(sys.argv) < 2:
        sys.stderr.write('usage: summary.py <junit dir> [expected test name ...]\n')
        return 2

    junit_dir = sys.argv[1]
    expected = sys.argv[2:]

    results = read_results(junit_dir) if os.path.isdir(junit_dir) else []
    seen = set(test for test, dummy, dummy in results)

    for test in expected:
        # multi-version tests are recorded as <name>-python-<version>
        if test not in seen and not any(name.startswith(test + '-python-') for name in seen):
            results.append((test, 'failed', 'no result: ansible-test stopped before or during this test'))

    if not results:
        sys.stderr.write('summary.py: no test results in %s\n' % junit_dir)
        return 1

    width = max(len(test) for test, dummy, dummy in results)
    print('ansible-test sanity results:')

    for test, status, detail in results:
        print('  %-*s  %-7s  %s' % (width, test, status, detail))

    passed = sum(1 for dummy, status, dummy in results if status == 'passed')
    failed = sum(1 for dummy, status, dummy in results if status == 'failed')
    not_applicable = sum(1 for dummy, status, detail in results if status == 'skipped' and detail == NOT_APPLICABLE)
    unexpected = [test for test, status, detail in results if status == 'skipped' and detail != NOT_APPLICABLE]

    print('sanity: %d passed, %d failed, %d skipped' % (passed, failed, not_applicable + len(unexpected)))

    if unexpected:
        print('summary.py: skipped for a reason other than "no applicable files": %s' % ', '.join(unexpected))

    return 1 if failed or unexpected else 0


if __name__ == '__main__':
    sys.exit(main())
