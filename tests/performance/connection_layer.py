"""Diagnostic: scenario 2's work through the collection's connection layer alone, in one process, no Ansible.

    python -m tests.performance.connection_layer --info SIMULATOR_INFO.json --concurrency 32 --token-cache-dir DIR

The same calls tenant_device_info makes with all_tenants (one GLP listing, then an exchange and every device
inventory page per tenant, ``concurrency`` tenants at a time), without the module process, its argument
handling and the trip of the result through Ansible. Needs the dev tree (make dev-tree) for the collection's
import path. Prints one JSON line: {"tenants", "devices", "failed"}.
"""

import argparse
import json
import os
import sys

from tests.helpers import ROOT

sys.path.insert(0, os.path.join(ROOT, 'build', 'dev'))

# pylint: disable=wrong-import-position
from ansible_collections.central.msp.plugins.module_utils.msp_client import MspClient  # noqa: E402
from ansible_collections.central.msp.plugins.module_utils.settings import resolve_settings  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', 1)[0])
    parser.add_argument('--info', required=True, help="the simulator's start-up JSON (server.py --info-file)")
    parser.add_argument('--concurrency', type=int, default=8)
    parser.add_argument('--token-cache-dir', required=True)
    args = parser.parse_args(argv)
    with open(args.info, encoding='utf-8') as handle:
        info = json.load(handle)
    client = MspClient(resolve_settings({
        'client_id': info['client_id'], 'client_secret': info['client_secret'], 'workspace_id': info['workspace_id'],
        'auth_url': info['auth_url'], 'glp_base_url': info['glp_base_url'], 'base_url': info['central_base_url'],
        'token_cache_dir': args.token_cache_dir}))
    tenants = client.resolve_tenants(everyone=True)
    entries = client.for_each_tenant(
        tenants, lambda tenant: client.get_all('device_inventory', tenant['workspace_id']).items, args.concurrency)
    print(json.dumps({'tenants': len(entries), 'devices': sum(len(entry['result'] or []) for entry in entries),
                      'failed': sum(entry['failed'] for entry in entries)}))
    return 0


if __name__ == '__main__':
    sys.exit(main())
