"""Paging anomalies through a real play, in both paging styles: a total that changes between pages, a cursor (or
an offset page) that repeats, an empty page mid-way. Every task ends, returns no duplicates and warns."""

from __future__ import annotations

from tests.integration.fault_checks import fresh, ids, play, result, tenants_by_name, warnings

# Small pages so every list spans several of them.
CASES = {
    # task name: (endpoint regex, anomaly, truth kind, item key, warning fragment, complete?)
    'next cursors, total changes': ('device-inventory$', 'total_changes', 'device-inventory', 'serialNumber',
                                    'total changed from', True),
    'next cursors, cursor repeats': ('v1/clients$', 'next_repeats', 'clients', 'id', 'repeated page cursor', False),
    'next cursors, empty page': ('v1/alerts$', 'empty_page', 'alerts', 'id', 'came back empty before the last page',
                                 False),
    'offset, total changes': ('sites-health$', 'total_changes', 'sites-health', 'id', 'total changed from', True),
    'offset, empty page': ('devices/v1/devices$', 'empty_page', 'glp-devices', 'id', 'came back empty at offset',
                           False),
    'offset, page repeats': ('audit-log/v2beta1/logs$', 'next_repeats', 'audit-logs', 'id', 'same page', False),
}


def test_paging_anomalies_end_without_duplicates_and_warn(simulator, tmp_path):
    sim = fresh(simulator)
    tenant = tenants_by_name(sim)['Zürich Kliniken']
    for path, kind, *_rest in CASES.values():
        sim.fault(action='paging_anomaly', path=path, kind=kind)
    run = play(sim, '''
        - name: next cursors, total changes
          central.msp.tenant_device_info: {tenant_workspace_id: "{{ tenant }}", limit: 10}
        - name: next cursors, cursor repeats
          central.msp.tenant_client_info: {tenant_workspace_id: "{{ tenant }}", limit: 50}
        - name: next cursors, empty page
          central.msp.tenant_alert_info: {tenant_workspace_id: "{{ tenant }}", limit: 2}
        - name: offset, total changes
          central.msp.tenant_site_info: {tenant_workspace_id: "{{ tenant }}", limit: 1}
        - name: offset, empty page
          central.msp.tenant_api_call:
            {app: glp, path: devices/v1/devices, tenant_workspace_id: "{{ tenant }}", params: {limit: 10}, paginate: true}
        - name: offset, page repeats
          central.msp.tenant_api_call:
            {app: glp, path: audit-log/v2beta1/logs, tenant_workspace_id: "{{ tenant }}", params: {limit: 5}, paginate: true}
    ''', tmp_path, extra_vars={'tenant': tenant['id']}, ignore_errors=False)
    assert run.rc == 0, run.output[-3000:]

    for name, (_path, _kind, truth_kind, key, warning, complete) in CASES.items():
        answer = result(run, name)
        items = answer['json']['items'] if 'json' in answer else next(
            value for value in answer.values() if isinstance(value, list) and value and isinstance(value[0], dict))
        listed = sim.truth(tenant['id'], truth_kind)
        if truth_kind == 'clients':
            listed = [item for item in listed if item['status'] == 'Connected']   # Central's default filter
        truth = ids(listed, key)
        got = ids(items, key)  # no duplicates
        assert len(truth) > len(items) or complete, '%s: the fixture should need several pages' % name
        if complete:
            assert got == truth, name
        else:
            # What came before the anomaly, in order; nothing invented.
            assert got and got == truth[:len(got)], name
        assert any(warning in text for text in warnings(run, name)), (name, warnings(run, name))
