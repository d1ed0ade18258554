"""Deterministic data for the simulator: the MSP workspace, its tenants and every tenant's items.

Every value is derived from (seed, workspace number, purpose), so a tenant's data is the same whether it is
built first, last or never, which lets the `scale` dataset build tenants lazily. Each workspace gets a small
plan (counts) at start-up; its items are built from the plan on first use. Central's MSP-level summaries
(list-tenants, msp/v1/tenants) come from the plan, so they always agree with the tenant-level items:

* a site is degraded when it has a device in Poor health; Poor devices are OFFLINE and only at degraded sites;
* deviceHealthStatus counts the monitored (provisioned) devices by health;
* the alert counts are the Active alerts by severity (the alerts endpoint also lists Cleared and Deferred ones).

Values are in the live vocabulary (plugins/module_utils/vocabulary.py) and every item has the shape the
contract (plugins/module_utils/contract.py) gives it. A device's health, a client's health and an alert's site
are not in the items the APIs return; the builder keeps them internally (the `core` and `alert-sites` kinds).

Changes made at run time through the admin API (a device going offline or coming back, see
Dataset.set_device_status) are applied on top of the built items, and the summaries of a changed tenant are
counted from its items, so both levels still agree.
"""
import random
import string
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone

from ansible_collections.central.msp.plugins.module_utils import vocabulary as V

KINDS = ('devices', 'device-inventory', 'sites-health', 'clients', 'alerts', 'glp-devices', 'audit-logs')
CENTRAL_KINDS = KINDS[:5]
# alert id -> site id (the alerts filter takes siteId, the items have none) and alert id -> device serial (what a
# device's change clears); neither is in the items the API returns.
INTERNAL_KINDS = ('alert-sites', 'alert-devices')
BASE_TIME = datetime(2025, 11, 20, 12, 0, tzinfo=timezone.utc)
# Built items kept in memory (LRU by tenant and kind) unless --cache-items says otherwise; a 1,000-device tenant
# holds about 7,000.
CACHE_ITEMS = 400_000

# Models are short product names: Central's definitions allow a model at most 32 characters. The tier is that of
# a subscription for the hardware, in GLP's names (Central's inventory shows the same, at most 32 characters).
HARDWARE = {  # model, part number, firmware, subscription tier
    'ACCESS_POINT': (('AP-505', 'R2H28A', '10.5.1.4_90377', 'ADVANCED_AP'),
                     ('AP-515', 'Q9H63A', '10.6.0.3_91581', 'ADVANCED_AP'),
                     ('AP-535', 'JZ337A', '10.6.0.3_91581', 'ADVANCED_AP'),
                     ('AP-635', 'R7J28A', '10.7.1.0_92412', 'ADVANCED_AP'),
                     ('AP-655', 'S0M88A', '10.7.1.0_92412', 'ADVANCED_AP'),
                     ('AP-735', 'S1T23A', '10.7.1.0_92412', 'ADVANCED_AP')),
    'SWITCH': (('CX 6100 24G 4SFP+', 'JL678A', 'PL.10.13.1040', 'FOUNDATION_SWITCH_6100'),
               ('CX 6200F 24G CL4 PoE 4SFP+ 370W', 'JL725B', 'ML.10.13.1040', 'FOUNDATION_SWITCH_6200'),
               ('CX 6300M 48G CL4 PoE 4SFP56', 'JL661A', 'FL.10.14.1000', 'ADVANCED_SWITCH_6300'),
               # not FOUNDATION_SWITCH_8XXX_9XXX_10XXX: 33 characters, one more than Central's tier allows
               ('CX 8360-32Y4C', 'JL700A', 'LL.10.14.1000', 'ADVANCED_SWITCH_8XXX_9XXX_10XXX')),
    'GATEWAY': (('9004', 'R1B21A', '10.6.0.2_91209', 'FOUNDATION_90XX_SEC'),
                ('9012', 'R3V58A', '10.6.0.2_91209', 'FOUNDATION_90XX_SEC'),
                ('9240', 'R8G96A', '10.7.0.1_92050', 'FOUNDATION_92XX_SEC')),
}
DEVICE_ROLE = {  # role, deviceFunction, deployment
    'ACCESS_POINT': ('Access Point', 'CAMPUS_AP', 'Campus'),
    'SWITCH': ('Access Switch', 'ACCESS_SWITCH', 'Standalone'),
    'GATEWAY': ('Branch Gateway', 'BRANCH_GW', 'Cluster'),
}
SERIAL_PREFIX = {'ACCESS_POINT': 'CN', 'SWITCH': 'SG', 'GATEWAY': 'CK'}
NAME_CODE = {'ACCESS_POINT': 'AP', 'SWITCH': 'SW', 'GATEWAY': 'GW'}
GROUP_NAME = {'ACCESS_POINT': 'APs', 'SWITCH': 'Switches', 'GATEWAY': 'Gateways'}
INVENTORY_FIELDS = ('id', 'serialNumber', 'deviceName', 'deviceType', 'model', 'macAddress', 'status',
                    'isProvisioned', 'siteId', 'siteName', 'firmwareVersion', 'partNumber', 'role', 'deployment',
                    'deviceFunction', 'deviceGroupName', 'subscriptionKey', 'tier')
MONITORED_FIELDS = ('id', 'serialNumber', 'deviceName', 'deviceType', 'model', 'macAddress', 'status',
                    'siteId', 'siteName', 'firmwareVersion', 'partNumber', 'role', 'deployment', 'deviceFunction',
                    'clusterName', 'ipv4', 'ipv6', 'configStatus', 'uptimeInMillis', 'lastSeenAt')
HEALTH = V.HEALTH_LEVELS
SEVERITIES = V.ALERT_SEVERITIES
CRITICAL, MAJOR, MINOR = SEVERITIES
ACTIVE, CLEARED, DEFERRED = V.ALERT_STATUSES
ALL_TYPES = ('ACCESS_POINT', 'SWITCH', 'GATEWAY')
ALERT_TYPES = {  # severity -> (name, typeId, category, device types it applies to)
    CRITICAL: (('Device Disconnected', '101', 'System', ALL_TYPES),
               ('Gateway Uplink Down', '212', 'WAN', ('GATEWAY',)),
               ('Switch Power Supply Failed', '305', 'System', ('SWITCH',))),
    MAJOR: (('High CPU Utilization', '102', 'System', ALL_TYPES),
            ('PoE Budget Exceeded', '318', 'LAN', ('SWITCH',)),
            ('High Channel Utilization', '407', 'WLAN', ('ACCESS_POINT',))),
    MINOR: (('Rogue AP Detected', '512', 'Security', ('ACCESS_POINT',)),
            ('Port Flapping', '331', 'LAN', ('SWITCH', 'GATEWAY')),
            ('Client Authentication Failures', '604', 'Clients', ('ACCESS_POINT', 'GATEWAY'))),
}
PRIORITY = {CRITICAL: 'Very High', MAJOR: 'High', MINOR: 'Medium'}
CLIENT_TYPES = (  # name prefix, vendor, os, wireless
    ('iPhone', 'Apple', 'iOS', True), ('Galaxy-S23', 'Samsung', 'Android', True), ('MacBook-Pro', 'Apple', 'macOS', True),
    ('LAPTOP', 'Dell', 'Windows', True), ('Zebra-TC52', 'Zebra', 'Android', True), ('Desktop', 'HP', 'Windows', False),
    ('POS-Terminal', 'Verifone', 'Linux', False), ('Printer', 'HP', 'Embedded', False), ('IP-Phone', 'Poly', 'Embedded', False),
)
PEOPLE = ('anna', 'ben', 'chloe', 'david', 'elena', 'farid', 'greta', 'hugo', 'ines', 'jonas', 'kira', 'luca', 'mia',
          'noah', 'olga', 'pablo', 'rosa', 'sami', 'tara', 'yusuf')
BANDS = ('2.4 GHz', '5 GHz', '5 GHz', '6 GHz')
AUDIT_EVENTS = (
    ('User Management', 'User {user} logged in'), ('User Management', 'Role assignment updated for {user}'),
    ('Device Management', 'Device {serial} assigned to application Aruba Central'),
    ('Device Management', 'Tags updated on device {serial}'),
    ('Subscription Management', 'Subscription key {key} applied to device {serial}'),
    ('Authentication', 'API client credentials used to generate an access token'),
)
CITIES = (('Chicago', 'IL', '60601', 'US'), ('Denver', 'CO', '80202', 'US'), ('Austin', 'TX', '78701', 'US'),
          ('Seattle', 'WA', '98101', 'US'), ('Atlanta', 'GA', '30303', 'US'), ('Toronto', 'ON', 'M5H 2N2', 'CA'),
          ('Manchester', 'England', 'M1 1AE', 'GB'), ('Lyon', 'Auvergne-Rhone-Alpes', '69002', 'FR'),
          ('Munich', 'Bavaria', '80331', 'DE'), ('Madrid', 'Madrid', '28013', 'ES'))
SITE_KINDS = ('Office', 'Store', 'Warehouse', 'Clinic', 'Campus', 'Branch')
NAME_WORDS = (('Blue', 'Granite', 'Summit', 'Harbor', 'Pine', 'Silver', 'Maple', 'Cedar', 'Coastal', 'Prairie',
               'Northern', 'Golden', 'Riverside', 'Highland', 'Lakeside', 'Metro'),
              ('Health', 'Logistics', 'Retail', 'Dental', 'Schools', 'Hotels', 'Clinics', 'Foods', 'Manufacturing',
               'Law Partners', 'Credit Union', 'Realty', 'Motors', 'Labs', 'Studios', 'Outfitters'))
# Some scale tenant names carry an apostrophe or non-ASCII letters, as real customer names do.
ODD_NAMES = ("{a} d'Or {n}", 'Caf\u00e9 {b} {n}', 'M\u00fcller & S\u00f6hne {b} {n}', "O'Brien {b} {n}")


@dataclass(frozen=True)
class Plan:
    """What a workspace holds; its items are built to match these counts exactly."""
    devices: int            # device-inventory (and GLP devices)
    unprovisioned: int      # in inventory only: not onboarded in Central monitoring
    sites: int
    degraded: int           # sites with a Poor device
    fair: int
    poor: int
    clients: int
    critical: int
    major: int
    minor: int
    cleared: int            # Cleared and Deferred alerts, listed but not counted in summaries
    audit_logs: int

    @property
    def monitored(self):
        return self.devices - self.unprovisioned

    @property
    def good(self):
        return self.monitored - self.fair - self.poor

    @property
    def active_alerts(self):
        return self.critical + self.major + self.minor


def plan_for_size(rng, devices, central=True):
    """A plausible plan for a tenant of `devices` devices (scale dataset and added tenants)."""
    if not central:
        return Plan(devices, devices, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10 + devices // 10)
    unprovisioned = devices // 50
    monitored = devices - unprovisioned
    sites = max(1, round(devices / 20))
    poor = round(monitored * rng.uniform(0.0, 0.05))
    degraded = min(poor, sites, rng.randint(1, max(1, sites // 4))) if poor else 0
    fair = min(monitored - poor, round(monitored * rng.uniform(0.02, 0.10)))
    online = monitored - poor
    clients = round(online * rng.uniform(1.5, 2.5)) if online else 0
    active = round(monitored * rng.uniform(0.04, 0.10)) if monitored else 0
    critical = min(active, poor + rng.randint(0, 1))
    major = round((active - critical) * 0.35)
    return Plan(devices, unprovisioned, sites, degraded, fair, poor, clients, critical, major, active - critical - major,
                active, 20 + devices // 10)


@dataclass
class Site:
    name: str
    code: str
    street: str
    city: str
    state: str
    zip_code: str
    country: str


@dataclass
class Workspace:
    """The MSP workspace (number 0) or one tenant workspace."""
    number: int
    name: str
    id: str                         # GLP workspace id, dashed UUID
    central_id: str | None          # Central tenantId (None: not provisioned in Central)
    plan: Plan
    domain: str
    ssids: tuple
    site_specs: list = field(default_factory=list)
    ownership: str = 'MSP_OWNED_INVENTORY'
    region: str = 'us-west'
    created_days_ago: int = 400
    added: bool = False             # added at run time through the admin API

    @property
    def hex(self):
        return self.id.replace('-', '')


DEMO_MSP = dict(name='Summit Networks MSP', domain='summit-msp.example')
DEMO_TENANTS = (
    dict(name='Acme Retail Group', domain='acme-retail.example', ssids=('Acme-Staff', 'Acme-Guest', 'Acme-POS'),
         plan=Plan(42, 1, 3, 0, 3, 0, 140, 0, 2, 5, 3, 36),
         sites=(('Acme HQ Chicago', 'CHI', '233 S Wacker Dr', 'Chicago', 'IL', '60606', 'US'),
                ('Acme Store 014 Denver', 'DEN', '1600 California St', 'Denver', 'CO', '80202', 'US'),
                ('Acme Store 022 Austin', 'AUS', '500 W 2nd St', 'Austin', 'TX', '78701', 'US'))),
    dict(name="Bistro d'Or", domain='bistro-dor.example', ssids=('BistroDOr-Staff', 'BistroDOr-Guest'),
         ownership='CUSTOMER_OWNED_INVENTORY', region='eu-central',
         plan=Plan(9, 0, 2, 1, 1, 1, 35, 1, 1, 2, 2, 14),
         sites=(("Bistro d'Or Lyon", 'LYS', '12 Rue Merciere', 'Lyon', 'Auvergne-Rhone-Alpes', '69002', 'FR'),
                ("Bistro d'Or Paris Marais", 'PAR', '8 Rue des Rosiers', 'Paris', 'Ile-de-France', '75004', 'FR'))),
    dict(name='Z\u00fcrich Kliniken', domain='zuerich-kliniken.example', region='eu-central',
         ssids=('ZK-Personal', 'ZK-Patienten', 'ZK-Medizintechnik'),
         plan=Plan(64, 2, 4, 0, 4, 0, 220, 0, 1, 3, 4, 40),
         sites=(('Klinik Hirslanden Nord', 'ZHN', 'Witellikerstrasse 40', 'Z\u00fcrich', 'ZH', '8008', 'CH'),
                ('Praxis Oerlikon', 'OER', 'Schaffhauserstrasse 355', 'Z\u00fcrich', 'ZH', '8050', 'CH'),
                ('Labor Altstetten', 'ALT', 'Badenerstrasse 549', 'Z\u00fcrich', 'ZH', '8048', 'CH'),
                ('Rehazentrum W\u00e4denswil', 'WAD', 'Seestrasse 120', 'W\u00e4denswil', 'ZH', '8820', 'CH'))),
    dict(name='Northwind Logistics', domain='northwind-logistics.example',
         ssids=('NW-Corp', 'NW-Scanners', 'NW-Guest'),
         plan=Plan(51, 1, 5, 2, 5, 4, 90, 3, 4, 6, 5, 30),
         sites=(('Northwind DC Memphis', 'MEM', '4000 E Holmes Rd', 'Memphis', 'TN', '38118', 'US'),
                ('Northwind Hub Reno', 'RNO', '555 Double R Blvd', 'Reno', 'NV', '89521', 'US'),
                ('Northwind Yard Savannah', 'SAV', '2 Main St', 'Savannah', 'GA', '31408', 'US'),
                ('Northwind Office Atlanta', 'ATL', '191 Peachtree St NE', 'Atlanta', 'GA', '30303', 'US'),
                ('Northwind Depot Louisville', 'SDF', '1000 Grade Ln', 'Louisville', 'KY', '40213', 'US'))),
    # A GLP tenant that has not been provisioned in Central: GLP-side data only.
    dict(name='Harbor View Dental', domain='harborview-dental.example', ssids=(), central=False,
         plan=Plan(12, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12)),
)


def rng_for(seed, *parts):
    return random.Random('/'.join(str(part) for part in (seed,) + parts))


def new_uuid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def timestamp(seconds_ago):
    return (BASE_TIME - timedelta(seconds=seconds_ago)).strftime('%Y-%m-%dT%H:%M:%S.000Z')


def epoch(seconds_ago):
    """Epoch seconds (list-tenants' lastUpdatedTime and createdTime)."""
    return int((BASE_TIME - timedelta(seconds=seconds_ago)).timestamp())


def base36(number, width):
    digits = string.digits + string.ascii_uppercase
    out = ''
    for _i in range(width):
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out


def random_text(rng, length, alphabet=string.ascii_letters + string.digits):
    return ''.join(rng.choice(alphabet) for _i in range(length))


def percentages(counts):
    """Whole percentages that add up to 100 (largest remainder), or Good=100 when there is nothing."""
    total = sum(counts)
    if not total:
        return [100] + [0] * (len(counts) - 1)
    exact = [c * 100 / total for c in counts]
    result = [int(v) for v in exact]
    order = sorted(range(len(counts)), key=lambda i: exact[i] - result[i], reverse=True)
    for i in order[:100 - sum(result)]:
        result[i] += 1
    return result


def health_groups(counts, key='value'):
    return [{'name': name, key: count} for name, count in zip(HEALTH, counts)]


class TenantBuilder:
    """Builds one workspace's items from its plan; each kind uses its own random stream."""

    def __init__(self, dataset, ws):
        self.ds = dataset
        self.ws = ws
        self.plan = ws.plan

    def rng(self, purpose):
        return rng_for(self.ds.seed, self.ws.number, purpose)

    def sites(self):
        rng = self.rng('sites')
        specs = [Site(*spec) for spec in self.ws.site_specs]
        while len(specs) < self.plan.sites:
            city, state, zip_code, country = rng.choice(CITIES)
            number = len(specs) + 1
            specs.append(Site(f'{city} {rng.choice(SITE_KINDS)} {number:03d}', f'S{number:03d}',
                              f'{rng.randint(1, 9999)} {rng.choice(("Main", "Oak", "Market", "Lake", "Park"))} St',
                              city, state, zip_code, country))
        sites = specs[:self.plan.sites]
        return [(str(10_000_000 + self.ws.number * 1000 + i + 1), site) for i, site in enumerate(sites)]

    def core(self):
        """All inventory devices as full monitoring records, in default (inventory) order."""
        rng = self.rng('devices')
        plan = self.plan
        sites = self.sites()
        degraded = sorted(rng.sample(range(len(sites)), plan.degraded))
        slots = []  # (health, site index): Poor devices only at degraded sites, one at each at least
        for i in range(plan.poor):
            slots.append(('Poor', degraded[i] if i < len(degraded) else rng.choice(degraded)))
        others = ['Fair'] * plan.fair + ['Good'] * plan.good
        rng.shuffle(others)
        for i, health in enumerate(others):
            slots.append((health, i % len(sites) if i < len(sites) else rng.randrange(len(sites))))
        slots.extend([(None, None)] * plan.unprovisioned)  # in the inventory only: not onboarded yet
        rng.shuffle(slots)
        per_site = {}
        keys = [f'E{random_text(rng, 13, string.ascii_uppercase + string.digits)}' for _i in range(3)]
        devices = []
        for index, (health, site_index) in enumerate(slots):
            site = sites[site_index] if site_index is not None else None
            seen = per_site.setdefault(site_index, {'all': 0})
            dtype = ('GATEWAY', 'SWITCH')[seen['all']] if seen['all'] < 2 and site else \
                rng.choices(ALL_TYPES, (75, 20, 5))[0]
            seen['all'] += 1
            seen[dtype] = seen.get(dtype, 0) + 1
            devices.append(self.device(rng, index, dtype, health, site, seen[dtype], rng.choice(keys)))
        return devices

    def device(self, rng, index, dtype, health, site, number, key):
        """One device's full internal record: every field either API shows, plus its health (internal)."""
        model, part, firmware, tier = rng.choice(HARDWARE[dtype])
        role, function, deployment = DEVICE_ROLE[dtype]
        serial = f'{SERIAL_PREFIX[dtype]}{base36(self.ws.number, 3)}{base36(index, 4)}{rng.choice(string.ascii_uppercase)}'
        mac_value = ((self.ws.number & 0xFFFF) << 16) | (index & 0xFFFF)
        mac = '20:4c:' + ':'.join(f'{(mac_value >> shift) & 0xFF:02x}' for shift in (24, 16, 8, 0))
        provisioned = health is not None
        online = health in ('Good', 'Fair')
        site_id, site_info = site if site else (None, None)
        name = f'{site_info.code}-{NAME_CODE[dtype]}{number:02d}' if site else serial
        return {
            'id': serial, 'serialNumber': serial, 'deviceName': name, 'deviceType': dtype, 'model': model,
            'macAddress': mac, 'status': ('ONLINE' if online else 'OFFLINE') if provisioned else None,
            'isProvisioned': 'Yes' if provisioned else 'No', 'siteId': site_id,
            'siteName': site_info.name if site else None,
            'firmwareVersion': firmware if provisioned else None, 'partNumber': part, 'role': role,
            'subscriptionKey': key if provisioned else None, 'tier': tier if provisioned else None,
            'ipv4': f'10.{20 + self.ws.number % 200}.{int(site_id or 0) % 250}.{10 + index % 240}' if provisioned else None,
            'ipv6': None,
            'configStatus': ('Synchronized' if rng.random() < 0.95 else 'Not Synchronized') if provisioned else None,
            'uptimeInMillis': rng.randint(3_600, 90 * 86_400) * 1000 if online else 0,
            'lastSeenAt': timestamp(rng.randint(5, 300) if online else rng.randint(3_600, 259_200)) if provisioned else None,
            'deployment': deployment, 'deviceFunction': function,
            'deviceGroupName': f'{site_info.code}-{GROUP_NAME[dtype]}' if site else None,
            'clusterName': f'{site_info.code}-GW-CLUSTER' if site and dtype == 'GATEWAY' else None,
            'health': health,
        }

    def build(self, kind, core):
        return getattr(self, kind.replace('-', '_'))(core)

    def devices(self, core):
        return [dict({name: d[name] for name in MONITORED_FIELDS}, type='network-monitoring/device')
                for d in core if d['health'] is not None]

    def device_inventory(self, core):
        return [dict({name: d[name] for name in INVENTORY_FIELDS}, type='network-monitoring/device-inventory')
                for d in core]

    def clients(self, core):
        rng = self.rng('clients')
        online = [d for d in core if d['status'] == 'ONLINE']
        aps = [d for d in online if d['deviceType'] == 'ACCESS_POINT']
        wired = [d for d in online if d['deviceType'] != 'ACCESS_POINT'] or online
        ssids = self.ws.ssids or ('Corp',)
        items = []
        for index in range(self.plan.clients):
            prefix, vendor, os_name, wireless = rng.choice(CLIENT_TYPES)
            wireless = bool(aps) and (wireless or not wired)
            device = rng.choice(aps if wireless else wired)
            person = rng.choice(PEOPLE)
            ssid_index = rng.randrange(len(ssids)) if wireless else None
            failed = rng.random() < 0.04
            # Failed clients failed within the last 6 hours: about half inside the default 3-hour window.
            seen = rng.randint(300, 6 * 3_600) if failed else rng.randint(1, 600)
            mac_value = ((self.ws.number & 0xFFFF) << 20) | (index & 0xFFFFF)
            mac = 'da:' + ':'.join(f'{(mac_value >> shift) & 0xFF:02x}' for shift in (32, 24, 16, 8, 0))
            name = f'{prefix}-{person.title()}' if wireless and prefix in ('iPhone', 'Galaxy-S23', 'MacBook-Pro') else \
                f'{prefix}-{base36(index, 4)}'
            items.append({
                'id': mac.replace(':', ''), 'type': 'network-monitoring/client', 'clientName': name,
                'hostName': name.lower(), 'macAddress': mac,
                'ipv4': None if failed else f'172.{16 + self.ws.number % 16}.{index // 250 % 256}.{10 + index % 240}',
                'ipv6': None, 'status': 'Failed' if failed else 'Connected',
                'clientConnectionType': 'Wireless' if wireless else 'Wired',
                'connectedDeviceSerial': device['serialNumber'], 'connectedTo': device['deviceName'],
                'connectedDeviceType': device['deviceType'],
                'connectedAt': None if failed else timestamp(seen + rng.randint(60, 8 * 3_600)),
                'siteId': device['siteId'], 'siteName': device['siteName'],
                'vlanId': str(10 * (ssid_index + 1) if wireless else 100),
                'wlanName': ssids[ssid_index] if wireless else None,
                'userName': f'{person}@{self.ws.domain}' if os_name in ('Windows', 'macOS', 'iOS') else None,
                'wirelessBand': rng.choice(BANDS) if wireless else None,
                'role': 'employee' if os_name in ('Windows', 'macOS', 'iOS') else 'device',
                'clientVendor': vendor, 'clientOperatingSystem': os_name, 'lastSeenAt': timestamp(seen),
            })
        return items

    def alert_records(self, core):
        """(alert, site id) pairs: the alerts as the API lists them and the site each is about."""
        rng = self.rng('alerts')
        monitored = [d for d in core if d['health'] is not None]
        by_health = {h: [d for d in monitored if d['health'] == h] for h in HEALTH}
        wanted = [(s, ACTIVE) for s in (CRITICAL,) * self.plan.critical + (MAJOR,) * self.plan.major +
                  (MINOR,) * self.plan.minor]
        # One in four of the alerts no longer active was deferred rather than cleared.
        wanted += [(rng.choice(SEVERITIES), DEFERRED if i % 4 == 3 else CLEARED) for i in range(self.plan.cleared)]
        records = []
        for severity, status in wanted:
            # Critical alerts sit on Poor (offline) devices, major ones on Fair devices, when there are any.
            pool = {CRITICAL: by_health['Poor'], MAJOR: by_health['Fair']}.get(severity) if status == ACTIVE else None
            device = rng.choice(pool or monitored)
            types = [t for t in ALERT_TYPES[severity] if device['deviceType'] in t[3]]
            name, type_id, category = rng.choice(types)[:3]
            created = rng.randint(600, 14 * 86_400)
            updated = created - rng.randint(0, min(created, 3_600) - 1)
            kind = V.DEVICE_TYPE_SPELLINGS[device['deviceType']][0]
            records.append(({
                'id': f'{22_000_000_000 + self.ws.number}:{rng.randint(10 ** 10, 10 ** 11 - 1)}',
                'key': new_uuid(rng), 'type': 'network-notifications/alerts', 'typeId': type_id, 'name': name,
                'summary': f"{name} on {kind} {device['deviceName']} ({device['serialNumber']})",
                'severity': severity, 'status': status, 'priority': PRIORITY[severity], 'category': category,
                'deviceType': kind, 'createdAt': timestamp(created), 'updatedAt': timestamp(updated),
                'updatedBy': f'admin@{self.ws.domain}' if status == DEFERRED else None,
                'clearedReason': rng.choice(('Condition resolved', 'Cleared by administrator')) if status == CLEARED else None,
            }, device['siteId'], device['serialNumber']))
        records.sort(key=lambda record: record[0]['createdAt'], reverse=True)
        return records

    def alerts(self, core):
        return [alert for alert, _site, _serial in self.alert_records(core)]

    def alert_sites(self, core):
        return {alert['id']: site_id for alert, site_id, _serial in self.alert_records(core)}

    def alert_devices(self, core):
        return {alert['id']: serial for alert, _site, serial in self.alert_records(core)}

    def sites_health(self, core, records=None):
        """``records``: (alert, site id, serial) triples, when not the plan's (a tenant changed at run time)."""
        by_site = {}  # site id -> device health counts, client health counts, active alert severities
        for site_id, _site in self.sites():
            by_site[site_id] = ([0, 0, 0], [0, 0, 0], [])
        for device in core:
            if device['health'] is not None:
                by_site[device['siteId']][0][HEALTH.index(device['health'])] += 1
        for client in self.ds.items(self.ws, 'clients'):
            by_site[client['siteId']][1][HEALTH.index(client_health(client))] += 1
        for alert, site_id, _serial in (self.alert_records(core) if records is None else records):
            if alert['status'] == ACTIVE:
                by_site[site_id][2].append(alert['severity'])
        items = []
        for site_id, site in self.sites():
            device_counts, client_counts, active = by_site[site_id]
            reasons = []
            if device_counts[2]:
                reasons.append({'health': 'Poor', 'reason': 'Devices in poor health', 'data': {'count': device_counts[2]}})
            if CRITICAL in active:
                reasons.append({'health': 'Poor', 'reason': 'Critical alerts active', 'data': {'count': active.count(CRITICAL)}})
            if device_counts[1]:
                reasons.append({'health': 'Fair', 'reason': 'Devices in fair health', 'data': {'count': device_counts[1]}})
            items.append({
                'id': site_id, 'type': 'network-monitoring/site-health', 'siteName': site.name,
                'address': {'address': site.street, 'city': site.city, 'state': site.state, 'zipCode': site.zip_code,
                            'country': site.country},
                'alerts': {'totalCount': len(active),
                           'groups': [{'name': s, 'count': active.count(s)} for s in SEVERITIES]},
                'health': {'groups': health_groups(percentages(device_counts))},
                'devices': {'count': sum(device_counts), 'health': {'groups': health_groups(device_counts)}},
                'clients': {'count': sum(client_counts), 'health': {'groups': health_groups(client_counts)}},
                'reasons': reasons,
            })
        return items

    def glp_devices(self, core):
        rng = self.rng('glp-devices')
        items = []
        for device in core:
            device_id = new_uuid(rng)
            assigned = device['health'] is not None
            created = rng.randint(30, 700) * 86_400
            subscription_id = new_uuid(rng)
            items.append({
                'id': device_id, 'type': 'devices/device', 'generation': rng.randint(1, 4),
                'serialNumber': device['serialNumber'], 'macAddress': device['macAddress'],
                'deviceType': V.DEVICE_TYPE_SPELLINGS[device['deviceType']][1], 'model': device['model'],
                'partNumber': device['partNumber'], 'region': self.ws.region, 'archived': False,
                'assignedState': 'ASSIGNED_TO_SERVICE' if assigned else 'UNASSIGNED',
                'application': {'id': self.ds.central_app_id,
                                'resourceUri': f'/service-catalog/v1/service-managers/{self.ds.central_app_id}'}
                if assigned else None,
                'subscription': [{'id': subscription_id, 'key': device['subscriptionKey'], 'tier': device['tier'],
                                  'resourceUri': f'/subscriptions/v1/subscriptions/{subscription_id}'}]
                if assigned else [],
                'tags': {}, 'createdAt': timestamp(created), 'updatedAt': timestamp(created // 3),
                'resourceUri': f'/devices/v1/devices/{device_id}',
            })
        return items

    def audit_logs(self, core):
        rng = self.rng('audit-logs')
        serials = [d['serialNumber'] for d in core] or ['-']
        workspace = {'id': self.ws.id, 'name': self.ws.name, 'type': 'MSP' if self.ws.number == 0 else 'TENANT'}
        items = []
        for _i in range(self.plan.audit_logs):
            category, text = rng.choice(AUDIT_EVENTS)
            user = f'{rng.choice(PEOPLE)}@{rng.choice((self.ws.domain, self.ds.msp.domain))}'
            created = timestamp(rng.randint(60, 90 * 86_400))
            items.append({
                'id': new_uuid(rng), 'type': 'audit-log/logs', 'createdAt': created, 'category': category,
                'description': text.format(user=user, serial=rng.choice(serials), key=f'E{random_text(rng, 13).upper()}'),
                'username': user, 'workspace': dict(workspace),
                'serviceOffer': {'id': self.ds.glp_app_id, 'name': 'HPE GreenLake platform', 'region': self.ws.region},
                'ipAddress': f'198.51.100.{rng.randint(1, 254)}', 'additionalInfo': {},
                'hasDetails': rng.random() < 0.3,
            })
        items.sort(key=lambda a: a['createdAt'], reverse=True)
        return items


def client_health(client):
    """A client's health (not in the clients API, counted in sites-health): Poor when failed, else mostly Good."""
    if client['status'] == 'Failed':
        return 'Poor'
    share = int(client['id'][-4:], 16) % 100
    return 'Good' if share < 85 else 'Fair' if share < 97 else 'Poor'


class Dataset:
    """The simulator's data. Workspace lookups accept a GLP id, dashed or not, or a Workspace."""

    def __init__(self, kind, seed, cache_items=CACHE_ITEMS):
        self.kind = kind
        self.seed = seed
        rng = rng_for(seed, 'msp')
        self.client_id = new_uuid(rng)
        self.client_secret = random_text(rng, 48)
        self.central_app_id = new_uuid(rng)
        self.glp_app_id = new_uuid(rng)
        self.msp = None
        self._tenants = []
        self._by_id = {}
        self._lock = threading.Lock()          # tenant list and cache bookkeeping
        # One build at a time (it is CPU bound anyway) and never the same twice; re-entrant because
        # sites-health is built from the clients and alerts.
        self._build_lock = threading.RLock()
        self._cache = OrderedDict()
        self._cached_items = 0
        self.cache_items = cache_items
        self._listings = {}
        self._version = 0                      # changes whenever the tenant list or a tenant's summary does
        self._changes = {}                     # workspace hex -> run-time changes (set_device_status)
        self._highest = 0                      # highest workspace number used: a deleted tenant's id is not reused
        self.overlay = None                    # tests/simulator/writes.py: changes made through the write APIs

    @classmethod
    def create(cls, kind='demo', seed=1, tenants=100, devices_per_tenant=100, big_tenants=0, big_tenant_devices=2500,
               cache_items=CACHE_ITEMS):
        """`demo`: a fixed, realistic MSP of five tenants. `scale`: `tenants` tenants of `devices_per_tenant`
        devices, the first `big_tenants` of them with `big_tenant_devices` devices. `cache_items`: how many built
        items stay in memory."""
        if kind not in ('demo', 'scale'):
            raise ValueError(f'unknown dataset {kind!r}: use demo or scale')
        ds = cls(kind, seed, cache_items)
        if kind == 'demo':
            ds.msp = ds._workspace(0, DEMO_MSP['name'], DEMO_MSP['domain'], Plan(8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 25))
            for spec in DEMO_TENANTS:
                ds._add(ds._workspace(len(ds._tenants) + 1, spec['name'], spec['domain'], spec['plan'],
                                      central=spec.get('central', True), ssids=spec['ssids'],
                                      site_specs=list(spec.get('sites', ())),
                                      ownership=spec.get('ownership', 'MSP_OWNED_INVENTORY'),
                                      region=spec.get('region', 'us-west')))
        else:
            ds.msp = ds._workspace(0, 'Scale Test MSP', 'scale-msp.example', Plan(20, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 50))
            for index in range(tenants):
                number = index + 1
                size = big_tenant_devices if index < big_tenants else devices_per_tenant
                # Every hundredth tenant exists in GLP only, as in a real MSP that has not provisioned it yet.
                ds._add(ds._sized_workspace(number, ds._scale_name(number), size, central=number % 100 != 0))
        return ds

    def _scale_name(self, number):
        rng = rng_for(self.seed, number, 'name')
        a, b = rng.choice(NAME_WORDS[0]), rng.choice(NAME_WORDS[1])
        if number % 25 == 7:
            return ODD_NAMES[number // 25 % len(ODD_NAMES)].format(a=a, b=b, n=f'{number:04d}')
        return f'{a} {b} {number:04d}'

    def _workspace(self, number, name, domain, plan, central=True, **extra):
        rng = rng_for(self.seed, number, 'workspace')
        ws_id = new_uuid(rng)
        central_id = rng.getrandbits(128)
        ssids = extra.pop('ssids', None)
        if ssids is None:
            short = ''.join(ch for ch in name.split()[0] if ch.isalnum())[:10] or 'Corp'
            ssids = (f'{short}-Staff', f'{short}-Guest', f'{short}-IoT')
        return Workspace(number, name, ws_id, f'{central_id:032x}' if central and number else None, plan, domain,
                         ssids, created_days_ago=rng.randint(30, 900), **extra)

    def _sized_workspace(self, number, name, devices, central=True):
        plan = plan_for_size(rng_for(self.seed, number, 'plan'), devices, central)
        domain = ''.join(ch for ch in name.lower().replace(' ', '-') if ch.isascii() and (ch.isalnum() or ch == '-'))
        return self._workspace(number, name, f'{domain}.example', plan, central=central)

    def _add(self, ws):
        with self._lock:
            self._highest = max(self._highest, ws.number)
            self._tenants.append(ws)
            self._by_id[ws.hex] = ws
            self._version += 1

    # --- lookups -------------------------------------------------------------------------------------------

    def tenants(self):
        with self._lock:
            return list(self._tenants)

    def tenant(self, ident):
        """A tenant by GLP workspace id (dashed or hex, any case), or None."""
        if isinstance(ident, Workspace):
            return ident
        with self._lock:
            return self._by_id.get(str(ident).replace('-', '').lower())

    def workspace(self, ident):
        """Like tenant() but also finds the MSP workspace."""
        if isinstance(ident, Workspace):
            return ident
        if str(ident).replace('-', '').lower() == self.msp.hex:
            return self.msp
        return self.tenant(ident)

    def add_tenant(self, name, central=True, devices=20):
        with self._lock:
            self._highest = max(self._highest, len(self._tenants)) + 1
            ws = self._sized_workspace(self._highest, name, devices, central=central)
            ws.added = True
            ws.created_days_ago = 0         # created just now, after every tenant of the dataset
            self._tenants.append(ws)
            self._by_id[ws.hex] = ws
            self._version += 1
        return ws

    def remove_added_tenants(self):
        with self._lock:
            self._tenants = [t for t in self._tenants if not t.added]
            self._by_id = {t.hex: t for t in self._tenants}
            self._changes.clear()
            # After a reset, added tenants get the same numbers (and ids) as in a fresh simulator.
            self._highest = max((t.number for t in self._tenants), default=0)
            self._version += 1
            self._cache.clear()
            self._cached_items = 0

    def replace_tenants(self, tenants):
        """Set the tenant list (the write APIs: a tenant deleted, renamed or provisioned in Central)."""
        with self._lock:
            self._tenants = list(tenants)
            self._by_id = {t.hex: t for t in self._tenants}
            self._version += 1

    # --- items ---------------------------------------------------------------------------------------------

    def items(self, ws, kind):
        """The full item list of one kind, unpaged and unfiltered, in default order. Do not modify it."""
        ws = self.workspace(ws)
        if ws is None or kind not in KINDS + INTERNAL_KINDS:
            raise KeyError(f"unknown workspace or kind: {kind}")
        if kind in CENTRAL_KINDS + INTERNAL_KINDS and not ws.central_id:
            return []
        with self._lock:
            changes = self._changes.get(ws.hex)
        if changes is None or kind in ('glp-devices', 'audit-logs'):
            found = self._built(ws, kind)
        else:
            found = self._changed_items(ws, kind, changes)
        return self.overlay.view(ws, kind, found) if self.overlay is not None else found

    def _built(self, ws, kind):
        """The items as the plan makes them (kind 'core': every device as a full monitoring record)."""
        key = (ws.hex, kind)
        found = self._cached(key)
        if found is not None:
            return found
        with self._build_lock:
            found = self._cached(key)
            if found is None:
                builder = TenantBuilder(self, ws)
                core = self._cached((ws.hex, 'core'))
                if core is None:
                    core = builder.core()
                    self._store((ws.hex, 'core'), core)
                found = core if kind == 'core' else builder.build(kind, core)
                self._store(key, found)
        return found

    # --- run-time changes -------------------------------------------------------------------------------

    def set_device_status(self, ident, serial, status):
        """Device ``serial`` of tenant ``ident`` goes OFFLINE (health Poor, a new active critical Device
        Disconnected alert, the clients connected to it gone) or comes back ONLINE (health Good, its active
        critical alerts cleared). Returns {'serialNumber', 'status', 'raised': [alert id], 'cleared': [alert id]}."""
        ws = self.tenant(ident)
        if ws is None or not ws.central_id:
            raise ValueError(f'no tenant {ident!r} in Central')
        if status not in ('OFFLINE', 'ONLINE'):
            raise ValueError(f'status must be OFFLINE or ONLINE, got {status!r}')
        device = next((d for d in self.items(ws, 'devices') if d['serialNumber'] == serial), None)
        if device is None:
            raise ValueError(f'{ws.name} has no monitored device {serial!r}')
        if device['status'] == status:
            raise ValueError(f'{serial} is already {status}')
        with self._build_lock:  # one change at a time; self._lock is taken inside, by the item lookups
            with self._lock:
                changes = self._changes.setdefault(ws.hex, {'status': {}, 'added': [], 'cleared': set()})
            changes['status'][serial] = status
            raised, cleared = [], []
            if status == 'OFFLINE':
                rng = rng_for(self.seed, ws.number, 'change', serial, len(changes['added']))
                name, type_id, category = ALERT_TYPES[CRITICAL][0][:3]
                created = timestamp(60 * (len(changes['added']) + 1))  # newer than every built alert
                kind = V.DEVICE_TYPE_SPELLINGS[device['deviceType']][0]
                alert = {
                    'id': f'{22_000_000_000 + ws.number}:{rng.randint(10 ** 10, 10 ** 11 - 1)}',
                    'key': new_uuid(rng), 'type': 'network-notifications/alerts', 'typeId': type_id, 'name': name,
                    'summary': f"{name} on {kind} {device['deviceName']} ({serial})",
                    'severity': CRITICAL, 'status': ACTIVE, 'priority': PRIORITY[CRITICAL], 'category': category,
                    'deviceType': kind, 'createdAt': created, 'updatedAt': created, 'updatedBy': None,
                    'clearedReason': None}
                changes['added'].append((alert, device['siteId'], serial))
                raised.append(alert['id'])
            else:
                devices = self._changed_alert_map(ws, changes, 2)
                for alert in self._changed_alerts(ws, changes):
                    if (devices.get(alert['id']), alert['severity'], alert['status']) == (serial, CRITICAL, ACTIVE):
                        changes['cleared'].add(alert['id'])
                        cleared.append(alert['id'])
            with self._lock:
                self._version += 1
        return {'serialNumber': serial, 'status': status, 'raised': raised, 'cleared': cleared}

    def _changed_core(self, ws, changes):
        core = []
        for device in self._built(ws, 'core'):
            status = changes['status'].get(device['serialNumber'])
            if status is not None and status != device['status']:
                online = status == 'ONLINE'
                device = dict(device, status=status, health=HEALTH[0] if online else HEALTH[2],
                              uptimeInMillis=60_000 if online else 0, lastSeenAt=timestamp(60 if online else 0))
            core.append(device)
        return core

    def _changed_records(self, ws, changes):
        """(alert, site id, serial) of every alert, built and raised, with the cleared ones cleared, newest first."""
        sites, devices = self._built(ws, 'alert-sites'), self._built(ws, 'alert-devices')
        records = [(alert, sites[alert['id']], devices[alert['id']]) for alert in self._built(ws, 'alerts')]
        records += changes['added']
        out = []
        for alert, site_id, serial in records:
            if alert['id'] in changes['cleared']:
                alert = dict(alert, status=CLEARED, clearedReason='Condition resolved', updatedAt=timestamp(60))
            out.append((alert, site_id, serial))
        out.sort(key=lambda record: record[0]['createdAt'], reverse=True)
        return out

    def _changed_alerts(self, ws, changes):
        return [alert for alert, _site, _serial in self._changed_records(ws, changes)]

    def _changed_alert_map(self, ws, changes, index):
        return {record[0]['id']: record[index] for record in self._changed_records(ws, changes)}

    def _changed_items(self, ws, kind, changes):
        core = self._changed_core(ws, changes)
        builder = TenantBuilder(self, ws)
        if kind in ('devices', 'device-inventory'):
            return builder.build(kind, core)
        if kind == 'core':
            return core
        if kind == 'alerts':
            return self._changed_alerts(ws, changes)
        if kind == 'alert-sites':
            return self._changed_alert_map(ws, changes, 1)
        if kind == 'alert-devices':
            return self._changed_alert_map(ws, changes, 2)
        if kind == 'clients':
            offline = {d['serialNumber'] for d in core if d['status'] != 'ONLINE'}
            return [c for c in self._built(ws, 'clients') if c['connectedDeviceSerial'] not in offline]
        return builder.sites_health(core, self._changed_records(ws, changes))  # from the changed items

    def plan(self, ws):
        """The workspace's counts now: its plan, or for a changed tenant what its items hold."""
        with self._lock:
            changes = self._changes.get(ws.hex)
        if changes is None:
            return ws.plan
        core = self._changed_core(ws, changes)
        health = [d['health'] for d in core if d['health'] is not None]
        alerts = self._changed_alerts(ws, changes)
        active = [a['severity'] for a in alerts if a['status'] == ACTIVE]
        degraded = {d['siteId'] for d in core if d['health'] == HEALTH[2]}
        return replace(ws.plan, degraded=len(degraded), fair=health.count(HEALTH[1]), poor=health.count(HEALTH[2]),
                       clients=len(self.items(ws, 'clients')), critical=active.count(CRITICAL),
                       major=active.count(MAJOR), minor=active.count(MINOR), cleared=len(alerts) - len(active))

    def _cached(self, key):
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
            return found

    def _store(self, key, items):
        with self._lock:
            self._cache[key] = items
            self._cached_items += len(items)
            while self._cached_items > self.cache_items and len(self._cache) > 1:
                dropped = self._cache.popitem(last=False)[1]
                self._cached_items -= len(dropped)

    # --- summaries (from the plan: cheap for any number of tenants) -------------------------------------

    def listing(self, name):
        """Every tenant's 'glp' item, or the 'central' summaries of those in Central. Cached until the
        tenant list changes: name lookups ask for it once per tenant."""
        with self._lock:
            tenants, key = list(self._tenants), (name, self._version)
            found = self._listings.get(key)
        if found is None:
            build = {'glp': self.glp_item, 'central': self.central_summary}[name]
            found = [build(t) for t in tenants if name == 'glp' or t.central_id]
            with self._lock:
                self._listings = {k: v for k, v in self._listings.items() if k[0] != name}
                self._listings[key] = found
        return found

    def glp_item(self, ws):
        created = ws.created_days_ago * 86_400
        return {
            'id': ws.id, 'type': 'workspace', 'workspaceName': ws.name, 'generation': 1 + ws.number % 3,
            'createdAt': timestamp(created), 'updatedAt': timestamp(created // 4),
            'createdBy': f'admin@{self.msp.domain}', 'resourceUri': f'/workspaces/v1/msp-tenants/{ws.id}',
            'inventoryOwnership': ws.ownership,
        }

    def central_summary(self, ws):
        """The tenant's network-msp/v1/list-tenants item, or None when Central is not provisioned."""
        if not ws.central_id:
            return None
        plan = self.plan(ws)
        return {
            'tenantId': ws.central_id, 'tenantName': ws.name, 'totalSites': plan.sites, 'degradedSites': plan.degraded,
            'deviceHealthStatus': {'total': plan.monitored, 'good': plan.good, 'fair': plan.fair, 'poor': plan.poor},
            'alerts': {'total': plan.active_alerts, 'critical': plan.critical, 'major': plan.major, 'minor': plan.minor},
            'lastUpdatedTime': epoch(60 + ws.number % 240),
            'createdTime': epoch(ws.created_days_ago * 86_400),
            'deviceOwnership': 'MSP' if ws.ownership == 'MSP_OWNED_INVENTORY' else 'TENANT',
        }

    def counts(self, ws):
        plan = self.plan(ws) if ws.central_id else ws.plan
        counts = {'devices': plan.monitored, 'device-inventory': plan.devices, 'sites-health': plan.sites,
                  'clients': plan.clients, 'alerts': plan.active_alerts + plan.cleared, 'glp-devices': plan.devices,
                  'audit-logs': plan.audit_logs}
        if not ws.central_id:
            counts.update(dict.fromkeys(CENTRAL_KINDS))
        return counts
