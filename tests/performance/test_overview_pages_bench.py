"""make bench-overview in small (20 tenants × 20 devices): it builds the page, loads it in Chromium and reports
figures that agree with the page it wrote. Sizes and counts are asserted, never timings."""

import json
import os

import pytest

from tests.integration.browser import find_chromium
from tests.performance import overview_pages


@pytest.mark.skipif(find_chromium() is None, reason='no Chromium/Chrome binary found')
def test_small_overview_bench(capsys, tmp_path):
    assert overview_pages.main(['--tenants', '20', '--devices-per-tenant', '20', '--loads', '1',
                                '--output-dir', str(tmp_path)]) == 0
    out = capsys.readouterr().out
    figures = json.loads(out[:out.index('\n}\n') + 2])
    assert figures['tenants'] == 20 and figures['devices'] == 20 * 20 and figures['clients'] > 0
    assert figures['index_bytes'] == os.path.getsize(tmp_path / 'msp_overview.html')
    assert figures['console_errors'] == [] and figures['within_budget'] is True
    assert len(figures['render_s_each']) == 1 and 'within budget' in out
