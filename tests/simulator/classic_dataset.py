"""The Classic Central MSP account the simulator serves: its credential, its customers and each one's network.

Deterministic for a seed. Fields follow the Classic API gateway's answers (msp_api/v1/customers, central/v2/sites,
monitoring/v2/aps, monitoring/v1/switches, monitoring/v1/gateways, monitoring/v2/clients, central/v1/notifications).
"""
import hashlib
import random

# Named customers first: an exact-name clash (Initech twice), a quote and an ampersand, one not provisioned.
NAMED = ('Acme Retail', 'Bistro Group', "O'Brien & Sons", 'Initech', 'Initech', 'Globex Labs', 'Umbrella Test')
NOT_PROVISIONED = ('Umbrella Test',)
KINDS = ('sites', 'aps', 'switches', 'gateways', 'clients', 'notifications')
SEVERITIES = ('Critical', 'Major', 'Minor', 'Warning')
AP_MODELS = ('AP-515', 'AP-535', 'AP-635')
SWITCH_MODELS = (('6300M', 'AOS-CX'), ('2930F', 'AOS-S'))
GATEWAY_MODELS = ('9004', '7005')
ALERT_TYPES = ('AP disconnected', 'Switch detected', 'Gateway tunnel down', 'High CPU utilization')


def hex_id(*parts):
    return hashlib.sha256('\0'.join(str(p) for p in parts).encode()).hexdigest()[:32]


def mac(rng):
    return ':'.join('%02x' % rng.randrange(256) for octet in range(6))


class ClassicDataset:
    def __init__(self, seed=1, customers=55):
        self.seed = seed
        self.msp_customer_id = hex_id('classic-msp', seed)
        self.client_id = 'classic-' + hex_id('client', seed)[:24]
        self.client_secret = hex_id('secret', seed)
        self.username = 'msp-admin@example.com'
        self.password = 'P@ss ' + hex_id('password', seed)[:12]
        names = list(NAMED) + ['Customer %03d' % index for index in range(1, max(0, customers - len(NAMED)) + 1)]
        self.customers = []
        for index, name in enumerate(names[:customers]):
            cid = hex_id('customer', seed, index)
            provisioned = name not in NOT_PROVISIONED
            self.customers.append({
                'customer_id': cid, 'customer_name': name, 'description': 'Managed customer %d' % (index + 1),
                'account_status': 'active',
                'group': {'id': 100 + index % 3, 'name': ('Retail', 'Hospitality', 'Default')[index % 3]},
                'application_instances': [{'application_id': 'central', 'application_customer_id': cid,
                                           'provision_status': 'provisioned' if provisioned else 'not_provisioned',
                                           'region': 'US-2'}],
                'created_at': 1690000000 + index * 86400, 'updated_at': 1700000000 + index * 3600,
                'msp_id': self.msp_customer_id, 'lock_msp_ssids': False,
            })
        self._by_id = {c['customer_id']: c for c in self.customers}
        self._items = {}

    def customer(self, cid):
        return self._by_id.get(str(cid or '').lower())

    def provisioned(self, cid):
        customer = self.customer(cid)
        return bool(customer) and customer['application_instances'][0]['provision_status'] == 'provisioned'

    def items(self, cid, kind):
        """Every item of one kind in a customer (the MSP account itself has none)."""
        if cid == self.msp_customer_id or not self.provisioned(cid):
            return []
        if cid not in self._items:
            self._items[cid] = self._build(self._by_id[cid])
        return self._items[cid][kind]

    def _build(self, customer):
        index = self.customers.index(customer)
        rng = random.Random('%s-%s' % (self.seed, customer['customer_id']))
        prefix = ''.join(ch for ch in customer['customer_name'].lower() if ch.isalnum())[:8] or 'cust'
        group = customer['group']['name']
        sites = [{'site_id': 1000 * (index + 1) + n, 'site_name': '%s-site-%d' % (prefix, n + 1),
                  'address': '%d Main Street' % (n + 1), 'city': ('Austin', 'Denver', 'Reno', 'Tulsa')[n % 4],
                  'state': 'TX', 'country': 'United States', 'zipcode': '7870%d' % n,
                  'latitude': '30.%04d' % rng.randrange(10000), 'longitude': '-97.%04d' % rng.randrange(10000),
                  'associated_device_count': 0, 'tags': None} for n in range(rng.randint(2, 4))]

        def device(kind, n, model, extra):
            site = sites[n % len(sites)]
            site['associated_device_count'] += 1
            serial = '%s%s%05d' % (kind[:2].upper(), prefix[:3].upper(), index * 100 + n)
            item = {'serial': serial, 'name': '%s-%s-%02d' % (prefix, kind, n + 1), 'macaddr': mac(rng),
                    'model': model, 'status': 'Up' if rng.random() < 0.85 else 'Down',
                    'firmware_version': '10.%d.%d' % (rng.randint(3, 6), rng.randint(0, 9)), 'group_name': group,
                    'site': site['site_name'], 'ip_address': '10.%d.%d.%d' % (index % 250, n, rng.randint(2, 250)),
                    'labels': []}
            item.update(extra)
            return item

        aps = [device('ap', n, rng.choice(AP_MODELS), {'swarm_master': n == 0, 'radios': []})
               for n in range(rng.randint(4, 9))]
        switches = []
        for n in range(rng.randint(1, 3)):
            model, switch_type = rng.choice(SWITCH_MODELS)
            switches.append(device('switch', n, model, {'switch_type': switch_type}))
        gateways = [device('gateway', n, rng.choice(GATEWAY_MODELS), {}) for n in range(rng.randint(0, 1))]
        clients = []
        for n in range(rng.randint(6, 16)):
            wireless = rng.random() < 0.7
            via = rng.choice(aps if wireless or not switches else switches)
            clients.append({'macaddr': mac(rng), 'name': '%s-client-%02d' % (prefix, n + 1),
                            'ip_address': '10.%d.100.%d' % (index % 250, n + 2),
                            'client_type': 'WIRELESS' if wireless else 'WIRED',
                            'associated_device': via['serial'], 'associated_device_name': via['name'],
                            'network': '%s-wifi' % prefix if wireless else None, 'vlan': 10 + n % 3,
                            'site': via['site'], 'group_name': group, 'username': 'user%02d' % n,
                            'os_type': rng.choice(('Windows', 'macOS', 'iOS', 'Android')),
                            'band': rng.choice((2.4, 5)) if wireless else None})
        notifications = []
        devices = aps + switches + gateways
        for n in range(rng.randint(2, 6)):
            target = rng.choice(devices)
            notifications.append({'id': 'AWT%s%04d' % (customer['customer_id'][:6].upper(), n),
                                  'type': rng.choice(ALERT_TYPES), 'severity': rng.choice(SEVERITIES),
                                  'acknowledged': rng.random() < 0.3, 'timestamp': 1700000000000 + n * 60000,
                                  'description': 'Event on %s' % target['name'], 'device_id': target['serial'],
                                  'group_name': group, 'details': {'site': target['site']},
                                  'setting_id': 'setting-%d' % (n % 3), 'customer_id': customer['customer_id']})
        return {'sites': sites, 'aps': aps, 'switches': switches, 'gateways': gateways, 'clients': clients,
                'notifications': notifications}
