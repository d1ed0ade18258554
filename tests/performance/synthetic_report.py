"""A synthetic MSP overview report, built from the simulator's scale dataset without HTTP or Ansible.

The records are what the overview playbook collects per tenant (the tenant_*_info modules' item lists, sites
flattened as tenant_site_info does), turned into the report by the collection's own filter. Used by the
overview pages' size test and benchmark: the pages' cost depends on the report only, not on how it was read."""

from ansible_collections.central.msp.plugins.filter.msp_overview import msp_overview
from ansible_collections.central.msp.plugins.module_utils.overview import flatten_site, overview_record
from tests.simulator.dataset import Dataset


def tenant_records(dataset):
    """One record per tenant, as tenant_overview_info returns it (plugins/module_utils/overview.py)."""
    records = []
    for ws in dataset.tenants():
        central = dataset.central_summary(ws)
        tenant = {'name': ws.name, 'workspace_id': ws.id, 'central_tenant_id': ws.central_id,
                  'central_provisioned': central is not None, 'inventory_ownership': ws.ownership}
        items = None
        if central is not None:
            items = {'sites': [flatten_site(site) for site in dataset.items(ws, 'sites-health')],
                     'devices': dataset.items(ws, 'device-inventory'), 'clients': dataset.items(ws, 'clients'),
                     'alerts': dataset.items(ws, 'alerts')}
        records.append(overview_record(tenant, None, items))
    return records


def synthetic_report(tenants, devices_per_tenant, seed=1, generated_at='2025-11-20T12:00:00Z'):
    # The cache holds one tenant's items at a time: the records keep them alive anyway.
    dataset = Dataset.create('scale', seed=seed, tenants=tenants, devices_per_tenant=devices_per_tenant,
                             cache_items=20_000)
    return msp_overview(tenant_records(dataset), generated_at=generated_at)
