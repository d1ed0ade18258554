# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: classic_overview_record
short_description: Turn what a Classic Central customer host read into a record for the MSP overview report
version_added: 0.2.0
description:
  - Takes what C(playbooks/classic_overview.yml) collected for one Classic Central customer (the lists returned by
    M(central.msp.classic_site_info), M(central.msp.classic_device_info), M(central.msp.classic_client_info) and
    M(central.msp.classic_alert_info)) and returns the record P(central.msp.msp_overview#filter) expects, so a
    Classic MSP gets the same JSON, CSV and HTML reports.
  - The customer ID fills both C(workspace_id) and C(central_tenant_id) (it is the scope a Classic call names).
  - Values become the report's (New Central's) vocabulary. Classic has no site health, so each site's health comes
    from its devices, V(good) for a device that is V(Up) and V(poor) for one that is V(Down). Devices V(Up)/V(Down)
    become V(ONLINE)/V(OFFLINE) and their type V(ACCESS_POINT), V(SWITCH) or V(GATEWAY); listed clients are
    V(Connected), V(Wireless) or V(Wired); a notification is V(Active) until acknowledged, then V(Cleared);
    severities keep Classic's spelling (V(Critical), V(Major), V(Minor), V(Warning)).
author:
  - central.msp contributors (@central-msp)
options:
  _input:
    description:
      - C(name), C(customer_id), C(provision_status), C(error) (why reading failed, or null), and the item lists
        C(sites), C(devices), C(clients), C(alerts) (null when not fetched).
    type: dict
    required: true
'''

EXAMPLES = r'''
- name: One customer's record for the report
  ansible.builtin.set_fact:
    record: "{{ {'name': 'Acme', 'customer_id': '267958b55d5a463e94a302c20f4a6b68', 'devices': devices.devices}
                | central.msp.classic_overview_record }}"
'''

RETURN = r'''
_value:
  description: A tenant record for P(central.msp.msp_overview#filter) (C(docs/reports.md) describes the report).
  type: dict
'''

from datetime import datetime, timezone

from ansible.errors import AnsibleFilterError

from ansible_collections.central.msp.plugins.module_utils import vocabulary
from ansible_collections.central.msp.plugins.module_utils.overview import overview_record

DEVICE_STATUS = {'Up': 'ONLINE', 'Down': 'OFFLINE'}
# classic_device_info's device_type -> the report's (Central monitoring's) spelling.
DEVICE_TYPE = {'AP': 'ACCESS_POINT', 'SWITCH': 'SWITCH', 'GATEWAY': 'GATEWAY'}
CONNECTION_TYPE = {'WIRELESS': 'Wireless', 'WIRED': 'Wired'}


def _device(item):
    return {'serialNumber': item.get('serial'), 'deviceName': item.get('name'), 'deviceType': DEVICE_TYPE.get(item.get('device_type'), item.get('device_type')),
            'model': item.get('model'), 'status': DEVICE_STATUS.get(item.get('status'), item.get('status')),
            'siteName': item.get('site'), 'firmwareVersion': item.get('firmware_version'),
            'macAddress': item.get('macaddr'), 'ipv4': item.get('ip_address'), 'isProvisioned': vocabulary.PROVISIONED[0]}


def _site(item, devices):
    here = [device for device in devices if device.get('site') == item.get('site_name')]
    up = sum(1 for device in here if device.get('status') == 'Up')
    return {'id': item.get('site_id'), 'siteName': item.get('site_name'), 'address': item.get('address'),
            'devices_total': len(here), 'devices_good': up, 'devices_fair': 0, 'devices_poor': len(here) - up}


def _client(item):
    return {'clientName': item.get('name'), 'macAddress': item.get('macaddr'), 'ipv4': item.get('ip_address'),
            'status': 'Connected',
            'clientConnectionType': CONNECTION_TYPE.get(item.get('client_type'), item.get('client_type')), 'siteName': item.get('site'),
            'connectedTo': item.get('associated_device_name'), 'wlanName': item.get('network'),
            'vlanId': item.get('vlan'), 'wirelessBand': item.get('band'), 'userName': item.get('username')}


def _alert(item, device_names):
    stamp = item.get('timestamp')
    created = None
    if isinstance(stamp, (int, float)) and not isinstance(stamp, bool):
        created = datetime.fromtimestamp(stamp / 1000.0, timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    details = item.get('details') if isinstance(item.get('details'), dict) else {}
    device = device_names.get(item.get('device_id'), item.get('device_id'))
    summary = item.get('description') or ''
    if device and device not in summary:
        summary = ('%s (%s)' % (summary, device)).strip()
    return {'id': item.get('id'), 'name': item.get('type'), 'severity': item.get('severity') or None, 'priority': None,
            'status': 'Cleared' if item.get('acknowledged') else 'Active', 'summary': summary or None,
            'category': None, 'deviceType': None, 'siteName': details.get('site'), 'createdAt': created}


def _items(record, kind):
    items = record.get(kind)
    if items is None:
        return None
    if not isinstance(items, list):
        raise AnsibleFilterError('classic_overview_record: %s must be a list, got %s' % (kind, type(items).__name__))
    return items


def classic_overview_record(record):
    if not isinstance(record, dict):
        raise AnsibleFilterError('classic_overview_record expects a dict, got %s' % type(record).__name__)
    devices = _items(record, 'devices')
    sites = _items(record, 'sites')
    clients = _items(record, 'clients')
    alerts = _items(record, 'alerts')
    names = {device.get('serial'): device.get('name') for device in devices or []}
    # The tenant record as the tenants inventory gives it, with what Classic cannot say left null.
    tenant = {
        'name': record.get('name'),
        'workspace_id': record.get('customer_id'),
        'central_tenant_id': record.get('customer_id'),
        'central_provisioned': record.get('provision_status') == 'provisioned' if record.get('provision_status') else None,
        'inventory_ownership': None,
        'sites_total': None, 'sites_degraded': None, 'device_health': None, 'alerts': None, 'last_updated': None,
    }
    return overview_record(tenant, record.get('error'), {
        'sites': None if sites is None else [_site(site, devices or []) for site in sites],
        'devices': None if devices is None else [_device(device) for device in devices],
        'clients': None if clients is None else [_client(client) for client in clients],
        'alerts': None if alerts is None else [_alert(alert, names) for alert in alerts],
    })


class FilterModule:
    def filters(self):
        return {'classic_overview_record': classic_overview_record}
