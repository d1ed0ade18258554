"""The peer the benchmark compares with: pycentral 2.0's MSPBase, as an MSP writes it today.

    python -m tests.performance.peer_pycentral --info SIMULATOR_INFO.json [--threads 8]

The loop is the MSP guide's "Iterate Across All Tenants" (seed 001): one MSPBase, the GLP tenant list, then for
each tenant get_tenant_connection() and MonitoringDevices.get_all_device_inventory(). With --threads the tenants
go through a thread pool sharing the one MSPBase, as the Control Tower reference fetches in parallel (seed 004).

Two changes to the guide's loop, both needed to finish the same job as the collection, neither saves a request:
the tenant list is paged (limit 300, offset): the guide reads one page, 100 tenants by default; and a tenant
whose read fails (Central not provisioned: 403) is counted and skipped instead of ending the script.

pycentral needs one test-only adjustment to talk to the simulator, as in tests/unit/simulator/test_simulator_pycentral_interop.py
(a pytest fixture there, so not importable here): its token issuer constant. The simulator serves GLP and Central on
separate origins without a path prefix, as the real hosts, so pycentral's URL builder works unchanged.

Prints one JSON line: {"tenants", "devices", "failed"}.
"""

import argparse
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor

TENANT_PAGE = 300
MAX_TENANT_PAGES = 1000


def point_pycentral_at(info):
    """Aim pycentral at a plain-HTTP simulator described by its start-up info."""
    from pycentral.utils import constants

    if info.get('ca_file'):
        raise SystemExit('peer_pycentral: the benchmark simulator is plain HTTP on loopback; TLS is not wired up here')
    constants.AUTHENTICATION['OAUTH_GLOBAL'] = info['auth_url']
    # oauthlib refuses http:// token URLs unless told that this is a test.
    os.environ['OAUTHLIB_INSECURE_TRANSPORT'] = '1'


def msp_connection(info):
    from pycentral import MSPBase

    credential = {'client_id': info['client_id'], 'client_secret': info['client_secret'],
                  'workspace_id': info['workspace_id'], 'base_url': info['central_base_url'],
                  'glp_base_url': info['glp_base_url']}
    return MSPBase(token_info={'unified': credential}, log_level='CRITICAL')


def all_tenants(msp):
    """Every GLP tenant workspace, page by page (bounded)."""
    tenants = []
    for _page in range(MAX_TENANT_PAGES):
        response = msp.command(api_method='GET', api_path='workspaces/v1/msp-tenants', app_name='glp',
                               api_params={'limit': TENANT_PAGE, 'offset': len(tenants)})
        if response['code'] != 200:
            raise RuntimeError(response['msg'])
        items = response['msg'].get('items', [])
        tenants.extend(items)
        if not items or len(tenants) >= response['msg'].get('total', 0):
            break
    return tenants


def tenant_devices(msp, tenant):
    """The guide's loop body: exchange into the tenant, read its whole device inventory. None if that fails."""
    from pycentral.new_monitoring import MonitoringDevices

    try:
        tenant_conn = msp.get_tenant_connection(tenant_workspace_id=tenant.get('id'))
        return MonitoringDevices.get_all_device_inventory(central_conn=tenant_conn)
    except Exception:  # pylint: disable=broad-except  # pycentral raises bare Exception on a non-200 answer
        return None


def run(info, threads=0):
    point_pycentral_at(info)
    with msp_connection(info) as msp:
        tenants = all_tenants(msp)
        if threads:
            with ThreadPoolExecutor(max_workers=threads) as pool:
                results = list(pool.map(lambda tenant: tenant_devices(msp, tenant), tenants))
        else:
            results = [tenant_devices(msp, tenant) for tenant in tenants]
    return {'tenants': len(tenants), 'devices': sum(len(devices) for devices in results if devices is not None),
            'failed': sum(devices is None for devices in results)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', 1)[0])
    parser.add_argument('--info', required=True, help="the simulator's start-up JSON (server.py --info-file)")
    parser.add_argument('--threads', type=int, default=0, help='0: sequential (the guide), else a thread pool')
    args = parser.parse_args(argv)
    with open(args.info, encoding='utf-8') as handle:
        info = json.load(handle)
    print(json.dumps(run(info, args.threads)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
