"""The peer of the MSP overview: a Control-Tower-style pycentral 2.0 script.

    python -m tests.performance.peer_overview --info SIMULATOR_INFO.json [--threads 8]

One MSPBase; the GLP tenant list (paged, as in peer_pycentral.py); then, through a thread pool sharing the
MSPBase as the Control Tower reference fetches in parallel (seed 004), for each tenant get_tenant_connection()
and the overview's four reads with pycentral's own helpers where it has them: MonitoringSites.get_all_sites
(sites-health), MonitoringDevices.get_all_device_inventory, Clients.get_all_clients (CLIENTS_FILTER), and the alerts through
command() page by page (pycentral has no alerts helper). A tenant whose reads fail (Central not provisioned:
403) is counted and skipped.

What it does not do, and the collection's overview does: the Central tenant summary, the counting by type,
status and severity, and writing the JSON, CSV and HTML reports.

Prints one JSON line: {"tenants", "failed", "sites", "devices", "clients", "alerts"}.
"""

import argparse
import json
import sys
from concurrent.futures import ThreadPoolExecutor

from tests.performance.peer_pycentral import all_tenants, msp_connection, point_pycentral_at

# The clients the collection's overview reads (tenant_overview_info): connected ones and those failed within
# Central's default window; without a filter Central lists the connected ones only.
CLIENTS_FILTER = "status in ('Connected', 'Failed')"
ALERTS_PATH = 'network-notifications/v1/alerts'
ALERTS_PAGE = 100
MAX_PAGES = 10000


def tenant_alerts(conn):
    """Every alert of a tenant, cursor by cursor."""
    alerts, cursor = [], None
    for _page in range(MAX_PAGES):
        params = {'limit': ALERTS_PAGE}
        if cursor:
            params['next'] = cursor
        response = conn.command(api_method='GET', api_path=ALERTS_PATH, api_params=params)
        if response['code'] != 200:
            raise RuntimeError(response['msg'])
        alerts.extend(response['msg'].get('items', []))
        cursor = response['msg'].get('next')
        if not cursor:
            break
    return alerts


def tenant_overview(msp, tenant):
    """The four reads of one tenant, or None if they fail."""
    from pycentral.new_monitoring import Clients, MonitoringDevices, MonitoringSites

    try:
        conn = msp.get_tenant_connection(tenant_workspace_id=tenant.get('id'))
        return {'sites': MonitoringSites.get_all_sites(conn, return_raw_response=True),
                'devices': MonitoringDevices.get_all_device_inventory(central_conn=conn),
                'clients': Clients.get_all_clients(conn, filter_str=CLIENTS_FILTER),
                'alerts': tenant_alerts(conn)}
    except Exception:  # pylint: disable=broad-except  # pycentral raises bare Exception on a non-200 answer
        return None


def run(info, threads=8):
    point_pycentral_at(info)
    with msp_connection(info) as msp:
        tenants = all_tenants(msp)
        with ThreadPoolExecutor(max_workers=threads) as pool:
            results = list(pool.map(lambda tenant: tenant_overview(msp, tenant), tenants))
    read = [result for result in results if result is not None]
    counts = {kind: sum(len(result[kind]) for result in read) for kind in ('sites', 'devices', 'clients', 'alerts')}
    return dict(counts, tenants=len(tenants), failed=len(results) - len(read))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', 1)[0])
    parser.add_argument('--info', required=True, help="the simulator's start-up JSON (server.py --info-file)")
    parser.add_argument('--threads', type=int, default=8)
    args = parser.parse_args(argv)
    with open(args.info, encoding='utf-8') as handle:
        info = json.load(handle)
    print(json.dumps(run(info, args.threads)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
