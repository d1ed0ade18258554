# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The values the live APIs use, spelt as they send them, in one place.

Modules, the inventory plugin, the report filters and the simulator all take their device types, statuses,
severities and health levels from here (facts from HPE's OpenAPI definitions; see contract.py). Users may
write any case (``offline``, ``ap``, ``critical``): :func:`api_value` turns that into the API's spelling and
refuses a value the API cannot have, listing the valid ones.
"""

from __future__ import annotations

# Central monitoring (device-inventory, devices)
DEVICE_TYPES = ('ACCESS_POINT', 'SWITCH', 'GATEWAY')
DEVICE_STATUSES = ('ONLINE', 'OFFLINE')
PROVISIONED = ('Yes', 'No')                    # device-inventory isProvisioned is a string
SITE_ASSIGNED = ('ASSIGNED', 'UNASSIGNED')     # device-inventory site-assigned query parameter

# Central clients
CLIENT_STATUSES = ('Connected', 'Failed', 'Connecting', 'Disconnected', 'Blocked')
CLIENT_FILTER_STATUSES = ('Connected', 'Failed')    # what the clients filter accepts
CONNECTION_TYPES = ('Wired', 'Wireless')
# Without a status in the filter the live clients endpoint applies this one.
CLIENT_DEFAULT_FILTER = "status eq 'Connected'"
# Failed clients are listed only inside start-at/end-at; without them, the 3 hours before the request.
CLIENT_DEFAULT_WINDOW_HOURS = 3

# Central notifications (alerts)
ALERT_SEVERITIES = ('Critical', 'Major', 'Minor')
ALERT_STATUSES = ('Active', 'Cleared', 'Deferred')
ALERT_PRIORITIES = ('Very High', 'High', 'Medium', 'Low', 'Very Low')
ALERT_DEVICE_TYPES = ('Access Point', 'Gateway', 'Switch', 'Bridge', 'Access Point, Switch', 'Switch, Switch')
ALERT_CATEGORIES = ('Clients', 'System', 'LAN', 'WLAN', 'WAN', 'Cluster', 'Routing', 'Security')

# Health levels: sites-health groups and device/client health names
HEALTH_LEVELS = ('Good', 'Fair', 'Poor')

# Central list-tenants and GLP msp-tenants
DEVICE_OWNERSHIP = ('MSP', 'TENANT')
INVENTORY_OWNERSHIP = ('MSP_OWNED_INVENTORY', 'CUSTOMER_OWNED_INVENTORY')

# GLP devices/v1/devices: every type the definition lists (a GLP inventory holds compute and storage too)
GLP_DEVICE_TYPES = ('ALS', 'AP', 'BLE', 'COMPUTE', 'CONTROLLER', 'DHCI_COMPUTE', 'DHCI_STORAGE', 'EINAR', 'EINR',
                    'GATEWAY', 'IAP', 'LTE_MODEM', 'MC', 'STORAGE', 'SWITCH', 'NW_THIRD_PARTY', 'PCE', 'SD_WAN_GW',
                    'OPSRAMP_SAAS', 'SD_SAAS', 'SENSOR', 'BRIDGES', 'UNKNOWN')
GLP_ASSIGNED_STATES = ('ASSIGNED_TO_ACTIVATE_CONFIG', 'ASSIGNED_TO_DEDICATED_PLATFORM', 'ASSIGNED_TO_SERVICE',
                       'UNASSIGNED')

# The same device type in the three spellings the APIs use: Central monitoring, alerts, GLP.
DEVICE_TYPE_SPELLINGS = {
    'ACCESS_POINT': ('Access Point', 'AP'),
    'SWITCH': ('Switch', 'SWITCH'),
    'GATEWAY': ('Gateway', 'GATEWAY'),
}

# Words a person writes for a value, beyond a change of case: device_type: [ap] means ACCESS_POINT.
ALIASES = {
    DEVICE_TYPES: {'ap': 'ACCESS_POINT', 'access point': 'ACCESS_POINT', 'access-point': 'ACCESS_POINT',
                   'accesspoint': 'ACCESS_POINT', 'gw': 'GATEWAY', 'sw': 'SWITCH'},
    ALERT_DEVICE_TYPES: {'ap': 'Access Point', 'access_point': 'Access Point', 'gw': 'Gateway', 'sw': 'Switch'},
}


def _key(value):
    return str(value).strip().casefold()


def api_value(value, allowed, what):
    """``value`` in the API's spelling, matched without regard to case (or through an alias).

    Raises ValueError naming ``what`` and the valid values when it cannot be one of ``allowed``."""
    wanted = _key(value)
    for candidate in allowed:
        if _key(candidate) == wanted:
            return candidate
    alias = ALIASES.get(tuple(allowed), {}).get(wanted)
    if alias is not None:
        return alias
    raise ValueError('%s: %r is not a value the API knows; use one of %s (any case).'
                     % (what, value, ', '.join(str(candidate).lower() for candidate in allowed)))


def api_values(values, allowed, what):
    """Each value of a list in the API's spelling, duplicates dropped; see :func:`api_value`."""
    result = []
    for value in values or []:
        spelt = api_value(value, allowed, what)
        if spelt not in result:
            result.append(spelt)
    return result


def health_counts(groups, key='value'):
    """``{'good': n, 'fair': n, 'poor': n}`` from Central's ``[{"name": "Good", key: n}, ...]`` (0 when absent)."""
    counts = {level.lower(): 0 for level in HEALTH_LEVELS}
    for group in groups or []:
        if isinstance(group, dict):
            level = _key(group.get('name', ''))
            if level in counts:
                counts[level] = group.get(key) or 0
    return counts


def is_value(value, expected):
    """Whether an API value is ``expected`` (one of this module's constants), whatever case the API used."""
    return value is not None and _key(value) == _key(expected)
