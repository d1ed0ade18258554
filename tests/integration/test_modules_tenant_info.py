"""msp_tenant_info against the simulator: every tenant, filters, GLP-only, Central failing, check mode."""

from __future__ import annotations

import fnmatch
from datetime import datetime, timezone

from tests.integration.module_checks import ok, run_tasks, tenants


def expected_record(truth, with_central=True):
    """What msp_tenant_info must say about one simulator tenant, built from the ground truth."""
    glp, central = truth['glp'], truth['central'] if with_central else None
    record = {
        'name': glp['workspaceName'], 'workspace_id': glp['id'], 'inventory_ownership': glp['inventoryOwnership'],
        'created_at': glp['createdAt'], 'updated_at': glp['updatedAt'],
        'central_provisioned': (central is not None) if with_central else None,
        'central_tenant_id': None, 'sites_total': None, 'sites_degraded': None, 'device_health': None,
        'alerts': None, 'last_updated': None,
    }
    if central:
        record.update(central_tenant_id=central['tenantId'], sites_total=central['totalSites'],
                      sites_degraded=central['degradedSites'], device_health=central['deviceHealthStatus'],
                      alerts={key: central['alerts'][key] for key in ('total', 'critical', 'major', 'minor')},
                      # Central's lastUpdatedTime is epoch seconds; the module gives it in ISO 8601 (UTC).
                      last_updated=datetime.fromtimestamp(central['lastUpdatedTime'], timezone.utc).strftime(
                          '%Y-%m-%dT%H:%M:%SZ'))
    return record


def expected(truths, with_central=True):
    records = [expected_record(truth, with_central) for truth in truths]
    return sorted(records, key=lambda record: (record['name'].casefold(), record['workspace_id']))


def test_tenant_info_over_tls(simulator_tls):
    sim = simulator_tls
    sim.reset()
    truth = tenants(sim)
    northwind = truth['Northwind Logistics']
    run = run_tasks(sim, '''
        - name: every tenant
          central.msp.msp_tenant_info:
        - name: every tenant in check mode
          central.msp.msp_tenant_info:
          check_mode: true
        - name: glob
          central.msp.msp_tenant_info:
            name: "*o*"
        - name: exact non-ASCII name
          central.msp.msp_tenant_info:
            name: "Zürich Kliniken"
        - name: by compact workspace id
          central.msp.msp_tenant_info:
            tenant_workspace_id: "{{ northwind_hex }}"
        - name: no match
          central.msp.msp_tenant_info:
            name: Nobody*
        - name: GLP only
          central.msp.msp_tenant_info:
            with_central: false
    ''', extra_vars={'northwind_hex': northwind['hex']})
    assert run.rc == 0, run.output[-3000:]

    everyone = ok(run, 'every tenant')
    assert everyone['changed'] is False
    assert everyone['tenants'] == expected(truth.values())
    assert everyone['count'] == len(truth) == 5
    # The demo has one tenant Central does not know, and it must say so rather than "unknown".
    assert [t['name'] for t in everyone['tenants'] if t['central_provisioned'] is False] == ['Harbor View Dental']
    assert 'central_error' not in everyone
    assert ok(run, 'every tenant in check mode')['tenants'] == everyone['tenants']

    globbed = [t for name, t in truth.items() if fnmatch.fnmatchcase(name, '*o*')]
    assert 1 < len(globbed) < len(truth)
    assert ok(run, 'glob')['tenants'] == expected(globbed)
    assert ok(run, 'exact non-ASCII name')['tenants'] == expected([truth['Zürich Kliniken']])
    assert ok(run, 'by compact workspace id')['tenants'] == expected([northwind])
    nobody = ok(run, 'no match')
    assert (nobody['tenants'], nobody['count']) == ([], 0)
    assert ok(run, 'GLP only')['tenants'] == expected(truth.values(), with_central=False)

    stats = sim.stats(log=False)
    # One MSP token for the whole play (the token cache), no exchange (MSP scope only), Central not asked
    # for the GLP-only task.
    assert (stats['msp_tokens'], stats['exchanges']) == (1, 0)
    assert stats['by_path']['GET /network-msp/v1/list-tenants'] == 5


def test_central_failing_returns_glp_data(simulator):
    sim = simulator
    sim.reset()
    truth = tenants(sim)
    sim.fault(path='network-msp/v1/list-tenants', status=503, body='html', count=-1)
    run = run_tasks(sim, '''
        - name: tenants while Central is down
          central.msp.msp_tenant_info:
    ''', env={'CENTRAL_MAX_RETRIES': '0'})
    assert run.rc == 0, run.output[-3000:]
    result = ok(run, 'tenants while Central is down')
    # GLP's data is all there; Central's is unknown (null), not "not provisioned" (false).
    assert result['tenants'] == expected(truth.values(), with_central=False)
    assert 'HTTP 503' in result['central_error'] and 'list-tenants' in result['central_error']
    assert any('Central tenant summary unavailable' in warning for warning in result['warnings'])
    sim.reset()
