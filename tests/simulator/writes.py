"""The GLP write APIs of customer onboarding, consistent with the read APIs (docs/simulator.md, "Writes").

* workspaces/v1/msp-tenants POST / PUT {id} / DELETE {id}, workspaces/v1/workspaces/{id}[/contact]
  (glp-workspace-management.json);
* devices/v1/devices POST (add to the inventory) and PATCH ?id=... (application + region + tenant, or the
  subscription: one operation per call), both 202 + Location of devices/v1/async-operations/{id}, at most five
  devices a call, 40 PATCH / 50 POST / 90 status reads a minute per workspace (glp-device-management.json);
* service-catalog/v1/service-manager-provisions GET / POST: provisioning Central in a workspace (inferred: HPE's
  onboarding workflow names the call; its definition is not among the published files we have).

Asynchronous operations advance when they are read, not with the clock: an operation is RUNNING for
`async_polls` status reads and then ends, SUCCEEDED or FAILED with a per-device breakdown, and only then do its
changes show in the read APIs. Devices touched by a write live in an overlay (the dataset stays as built): the MSP
scope lists the MSP's pool plus every device it moved into a tenant (with tenantWorkspaceId); a tenant's scope
lists its own devices plus those moved in, and Central's device-inventory of the tenant shows those assigned to
Central (not yet onboarded: isProvisioned false).
"""
import copy
import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .dataset import HARDWARE, SERIAL_PREFIX, V
from .messages import Response, bad_request, glp_error, json_response

UUID = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')
HEX32 = re.compile(r'^[0-9a-fA-F]{32}$')
MAC = re.compile(r'^[0-9a-fA-F]{2}([:-]?)[0-9a-fA-F]{2}(\1[0-9a-fA-F]{2}){4}$')
EMAIL = re.compile(r'^[^@\s]+@[^@\s]+\.[^@\s]+$')
OWNERSHIP = ('MSP_OWNED_INVENTORY', 'CUSTOMER_OWNED_INVENTORY')
# ISO 3166-1 alpha-2, as the countryCode enum of glp-workspace-management.json lists them.
COUNTRIES = frozenset((
    'AW AF AO AI AX AL AD AE AR AM AS AQ TF AG AU AT AZ BI BE BJ BQ BF BD BG BH BS BA BL BY BZ BM BO BR BB BN BT BV BW '
    'CF CA CC CH CL CN CI CM CD CG CK CO KM CV CR CU CW CX KY CY CZ DE DJ DM DK DO DZ EC EG ER EH ES EE ET FI FJ FK FR '
    'FO FM GA GB GE GG GH GI GN GP GM GW GQ GR GD GL GT GF GU GY HK HM HN HR HT HU ID IM IN IO IE IR IQ IS IL IT JM JE '
    'JO JP KZ KE KG KH KI KN KR KW LA LB LR LY LC LI LK LS LT LU LV MO MF MA MC MD MG MV MX MH MK ML MT MM ME MN MP MZ '
    'MR MS MQ MU MW MY YT NA NC NE NF NG NI NU NL NO NP NR NZ OM PK PA PN PE PH PW PG PL PR KP PT PY PS PF QA RE RO RU '
    'RW SA SD SN SG GS SH SJ SB SL SV SM SO PM RS SS ST SR SK SI SE SZ SX SC SY TC TD TG TH TJ TK TM TL TO TT TN TR TV '
    'TW TZ UG UA UM UY US UZ VA VC VE VG VI VN VU WF WS YE ZA ZM ZW').split())
ADDRESS_FIELDS = {'streetAddress': None, 'streetAddressComplement': 60, 'city': 40, 'stateOrRegion': 220, 'zip': 10,
                  'countryCode': None}
TENANT_FIELDS = ('workspaceName', 'description', 'email', 'phoneNumber', 'address', 'inventoryOwnership', 'resourceUri')
REGIONS = ('us-west', 'us-east', 'eu-central', 'eu-west', 'ap-northeast', 'ap-southeast', 'ca-central')
MAX_DEVICES = 5
# Per workspace and minute (glp-device-management.json).
WRITE_LIMITS = {'PATCH devices': 40, 'POST devices': 50, 'GET async-operations': 90}
DEFAULTS = {'async_polls': 1, 'async_poll_seconds': 1}
# Tiers as GLP's definition names them, for the hardware a device added here gets (the first of dataset.HARDWARE).
SUBSCRIPTION_TIERS = (('FOUNDATION_AP', 'AP'), ('ADVANCED_AP', 'AP'), ('FOUNDATION_SWITCH_6100', 'SWITCH'),
                      ('ADVANCED_SWITCH_6100', 'SWITCH'), ('FOUNDATION_90XX_SEC', 'GATEWAY'))
# Central's device-inventory takes a serial number of at most 16 characters.
MAX_SERIAL = 16


def now_text():
    return datetime.now(timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.000Z')


def hex_of(ident):
    return str(ident).replace('-', '').lower()


@dataclass
class Operation:
    id: str
    workspace: str              # hex id of the workspace whose token started it
    kind: str                   # 'add', 'assignment' (application, region, tenant) or 'subscription'
    steps: list                 # (serialNumber, device id or None, function applying the change -> error text)
    polls_left: int
    status: str = 'INITIALIZED'
    started_at: str = field(default_factory=now_text)
    ended_at: str | None = None
    result: dict | None = None

    def body(self, poll_seconds):
        done = self.status in ('SUCCEEDED', 'FAILED')
        body = {'id': self.id, 'type': 'devices/asyncOperation', 'status': self.status, 'startedAt': self.started_at,
                'progressPercent': 100 if done else (0 if self.status == 'INITIALIZED' else 50),
                'suggestedPollingIntervalSeconds': poll_seconds, 'timeoutMinutes': 60}
        if done:
            body.update(endedAt=self.ended_at, resultType='DEVICE_OPERATION_RESULT', result=self.result)
        return body


class Writes:
    """Write state layered on a Dataset; its `view` hook keeps every list endpoint consistent with it."""

    def __init__(self, app):
        self.app = app
        self.ds = app.dataset
        self.lock = threading.RLock()
        rng_seed = self.ds.seed
        self.subscriptions = [
            {'id': str(uuid.uuid5(uuid.NAMESPACE_URL, f'sim/{rng_seed}/subscription/{i}')),
             'key': f'E{uuid.uuid5(uuid.NAMESPACE_URL, f"sim/{rng_seed}/key/{i}").hex[:13].upper()}',
             'tier': tier, 'deviceType': dtype}
            for i, (tier, dtype) in enumerate(SUBSCRIPTION_TIERS)]
        self._original = [(ws, ws.name, ws.ownership, ws.central_id) for ws in self.ds.tenants()]
        self.clear()
        self.ds.overlay = self

    def clear(self):
        with self.lock:
            self.devices = {}        # serial -> GLP device record (with tenantWorkspaceId: hex or None)
            self.tenant_owned = set()  # serials of those a tenant's own token added or changed: not the MSP's
            self.contacts = {}       # tenant hex -> {description, email, phoneNumber, address}
            self.provisions = {}     # workspace hex -> [provision items]
            self.operations = {}
            self.failures = {}       # serial -> {count, message, operation}: injected failures in async operations

    def reset(self):
        """Undo every write: deleted demo tenants come back, renamed ones get their names back."""
        with self.lock:
            self.clear()
            for ws, name, ownership, central_id in self._original:
                ws.name, ws.ownership, ws.central_id = name, ownership, central_id
            self.ds.replace_tenants([entry[0] for entry in self._original])

    # --- the read side ---------------------------------------------------------------------------------

    def view(self, ws, kind, items):
        """The items a list endpoint serves for `ws`, with the overlay applied."""
        if not self.devices or kind not in ('glp-devices', 'device-inventory'):
            return items
        with self.lock:
            touched = self.devices
            if kind == 'glp-devices':
                own = [item for item in items if item['serialNumber'] not in touched]
                # The MSP sees every device it owns, in its pool or assigned to a tenant.
                moved = [d for d in touched.values() if d['tenantWorkspaceId'] == ws.hex or (
                    ws is self.ds.msp and d['serialNumber'] not in self.tenant_owned)]
                return own + [copy.deepcopy(d) for d in moved]
            if ws is self.ds.msp:
                return items
            central = self.ds.central_app_id
            # Central lists network devices only: a compute or storage device assigned to it is not in the inventory.
            return items + [inventory_item(d) for d in touched.values()
                            if d['tenantWorkspaceId'] == ws.hex and (d.get('application') or {}).get('id') == central
                            and d['deviceType'] in CENTRAL_TYPE]

    def devices_of(self, ws):
        return self.ds.items(ws, 'glp-devices')

    def provisions_of(self, ws):
        with self.lock:
            if ws.hex not in self.provisions:
                self.provisions[ws.hex] = [provision_item(self.ds.central_app_id, ws.region, ws.hex)] \
                    if (ws.central_id or ws is self.ds.msp) else []
            return self.provisions[ws.hex]

    # --- requests ----------------------------------------------------------------------------------------

    def route(self, req, family, api_path):
        """(response, token scope) for a write endpoint or a read endpoint of this module, else None."""
        handler, args = self._match(req.method, family, api_path)
        if handler is None:
            return None
        record = self.app._bearer(req)
        if not hasattr(record, 'token'):
            return record, None
        ws = self.ds.workspace(record.tenant_id) if record.tenant_id else self.ds.msp
        limited = self._limit(handler, ws)
        if limited is not None:
            return limited, record.scope
        try:
            body = parse_body(req) if req.method in ('POST', 'PUT', 'PATCH') else None
            with self.lock:
                response = handler(req, record, ws, body, *args)
        except WriteError as err:
            response = err.response
        return response, record.scope

    def _match(self, method, family, path):
        if family != 'glp':
            return None, ()
        parts = path.split('/')
        if path == 'workspaces/v1/msp-tenants' and method == 'POST':
            return self.create_tenant, ()
        if len(parts) == 4 and path.startswith('workspaces/v1/msp-tenants/'):
            return {'PUT': self.update_tenant, 'DELETE': self.delete_tenant}.get(method, self.not_allowed), (parts[3],)
        if len(parts) in (4, 5) and path.startswith('workspaces/v1/workspaces/') and (len(parts) == 4 or parts[4] == 'contact'):
            return (self.get_workspace if method == 'GET' else self.not_allowed), (parts[3], len(parts) == 5)
        if path == 'devices/v1/devices' and method in ('POST', 'PATCH'):
            return (self.add_devices if method == 'POST' else self.update_devices), ()
        if len(parts) == 4 and path.startswith('devices/v1/async-operations/'):
            return (self.get_operation if method == 'GET' else self.not_allowed), (parts[3],)
        if path == 'service-catalog/v1/service-manager-provisions':
            return {'GET': self.list_provisions, 'POST': self.provision}.get(method, self.not_allowed), ()
        return None, ()

    def _limit(self, handler, ws):
        name = {self.update_devices: 'PATCH devices', self.add_devices: 'POST devices',
                self.get_operation: 'GET async-operations'}.get(handler)
        if name is None:
            return None
        limit = WRITE_LIMITS[name]
        allowed, remaining, reset = self.app.limiter.hit(('writes', ws.hex, name), limit, 60)
        headers = {'ratelimit-limit': str(limit), 'ratelimit-remaining': str(remaining), 'ratelimit-reset': str(reset)}
        if allowed:
            return None
        self.app.stats.count('rate_limited')
        return glp_error(429, f'Too many requests: {limit} {name} per minute allowed for this workspace', headers)

    def not_allowed(self, req, *_args):
        return glp_error(405, f'{req.method} is not allowed on {req.path}')

    # --- tenants -----------------------------------------------------------------------------------------

    def _msp_only(self, record, what):
        if record.tenant_id:
            raise WriteError(glp_error(403, f'{what} needs an MSP workspace token; this token is scoped to one tenant'))

    def _tenant(self, ident):
        ws = self.ds.tenant(ident) if UUID.match(ident) or HEX32.match(ident) else None
        if ws is None:
            raise WriteError(glp_error(404, f'no tenant {ident} in this MSP workspace'))
        return ws

    def create_tenant(self, _req, record, _ws, body):
        self._msp_only(record, 'creating a tenant')
        tenant = check_tenant_body(body)
        ws = self.ds.add_tenant(tenant['workspaceName'], central=False, devices=0)
        ws.ownership = tenant.get('inventoryOwnership') or 'MSP_OWNED_INVENTORY'
        ws.created_days_ago = 0
        self.contacts[ws.hex] = contact_of(tenant)
        self.ds.replace_tenants(self.ds.tenants())
        return json_response(201, {'message': f'Tenant {ws.name} created'},
                             {'Location': f'/workspaces/v1/workspaces/{ws.id}'})

    def update_tenant(self, _req, record, _ws, body, ident):
        self._msp_only(record, 'updating a tenant')
        ws = self._tenant(ident)
        tenant = check_tenant_body(body)
        ownership = tenant.get('inventoryOwnership')
        if ownership and ownership != ws.ownership and self.devices_of(ws):
            raise WriteError(glp_error(422, f'inventoryOwnership of {ws.name} cannot change while it holds devices'))
        ws.name = tenant['workspaceName']
        ws.ownership = ownership or ws.ownership
        # PUT replaces the tenant's details: a field left out is cleared.
        self.contacts[ws.hex] = contact_of(tenant)
        self.ds.replace_tenants(self.ds.tenants())
        return json_response(200, {'message': f'Tenant {ws.name} updated'})

    def delete_tenant(self, _req, record, _ws, _body, ident):
        self._msp_only(record, 'deleting a tenant')
        ws = self._tenant(ident)
        held = self.devices_of(ws)
        if held:
            raise WriteError(glp_error(409, f'tenant {ws.name} still holds {len(held)} device(s): move them back to the '
                                            'MSP workspace (or remove them) before deleting it'))
        self.ds.replace_tenants([t for t in self.ds.tenants() if t is not ws])
        self.contacts.pop(ws.hex, None)
        self.provisions.pop(ws.hex, None)
        return Response(204, b'', '')

    def get_workspace(self, _req, record, ws, _body, ident, contact):
        target = self.ds.workspace(ident) if UUID.match(ident) or HEX32.match(ident) else None
        # A tenant token sees its own workspace; the MSP token its own and its tenants'.
        if target is None or (record.tenant_id and target is not ws):
            return glp_error(404, f'no workspace {ident}')
        uri = f'/workspaces/v1/workspaces/{target.id}'
        if contact:
            details = self.contacts.get(target.hex, {})
            body = {key: details[key] for key in ('email', 'phoneNumber', 'address') if details.get(key) is not None}
            return json_response(200, dict(body, resourceUri=uri + '/contact'))
        item = self.ds.glp_item(target) if target is not self.ds.msp else {
            'id': target.id, 'type': 'workspace', 'workspaceName': target.name, 'generation': 1}
        return json_response(200, {key: item.get(key) for key in ('id', 'type', 'workspaceName', 'generation', 'createdAt',
                                                                  'updatedAt', 'createdBy')}
                             | {'resourceUri': uri, 'workspaceType': 'MSP' if target is self.ds.msp else 'MSP_TENANT'})

    # --- devices -----------------------------------------------------------------------------------------

    def _visible(self, ws):
        """serial -> record of the devices this workspace's token may change (a copy to build changes on)."""
        return {d['serialNumber']: d for d in self.devices_of(ws)}

    def add_devices(self, req, _record, ws, body):
        if not isinstance(body, dict):
            raise WriteError(bad_request('the body must be an object with network, compute and storage arrays', 'body'))
        missing = [key for key in ('network', 'compute', 'storage') if not isinstance(body.get(key), list)]
        if missing:
            raise WriteError(bad_request(f"{', '.join(missing)} must be given as arrays (empty ones too)", 'body'))
        entries = [(kind, entry) for kind in ('network', 'compute', 'storage') for entry in body[kind]]
        if not entries or len(entries) > MAX_DEVICES:
            raise WriteError(bad_request(f'give 1 to {MAX_DEVICES} devices per request (network, compute and storage '
                                         f'together); got {len(entries)}', 'body'))
        serials = []
        for kind, entry in entries:
            need = 'macAddress' if kind == 'network' else 'partNumber'
            if not isinstance(entry, dict) or not isinstance(entry.get('serialNumber'), str) or \
                    not entry['serialNumber'].strip() or not isinstance(entry.get(need), str):
                raise WriteError(bad_request(f'each {kind} device needs serialNumber and {need} strings', 'body'))
            if kind == 'network' and not MAC.match(entry['macAddress']):
                raise WriteError(bad_request(f"macAddress {entry['macAddress']!r} of {entry['serialNumber']} is not a "
                                             'MAC address', 'body'))
            # inferred: no HPE network device has a longer serial number (Central could not list it)
            if kind == 'network' and len(entry['serialNumber']) > MAX_SERIAL:
                raise WriteError(bad_request(f"serialNumber {entry['serialNumber']!r} is longer than {MAX_SERIAL} "
                                             'characters', 'body'))
            tags = entry.get('tags', {})
            if not isinstance(tags, dict) or not all(isinstance(value, (str, type(None))) for value in tags.values()):
                raise WriteError(bad_request(f"tags of {entry['serialNumber']} must be an object of strings (or null: "
                                             'no such tag)', 'body'))
            if entry['serialNumber'] in serials:
                raise WriteError(bad_request(f"serialNumber {entry['serialNumber']} is given twice", 'body'))
            serials.append(entry['serialNumber'])
        if req.params().get('dry-run') == 'true':
            return accepted(None)
        steps = [(entry['serialNumber'], None, self._adder(ws, kind, entry)) for kind, entry in entries]
        return accepted(self._start(ws, 'add', steps))

    def _adder(self, ws, kind, entry):
        def apply():
            serial = entry['serialNumber']
            if self._anywhere(serial):
                return f'device {serial} is already in a workspace inventory'
            self.devices[serial] = new_device(self.ds, kind, entry, None if ws is self.ds.msp else ws.hex)
            if ws is not self.ds.msp:
                self.tenant_owned.add(serial)
            return None
        return apply

    def _anywhere(self, serial):
        """Whether a device with this serial is in any workspace's inventory."""
        if serial in self.devices:
            return True
        # Built serials carry their workspace's number in characters 3 to 5 (dataset.TenantBuilder.device): look
        # there only, so a scale dataset is not built whole for one check.
        number = int(serial[2:5], 36) if len(serial) == 10 and serial[2:5].isalnum() else None
        homes = [w for w in [self.ds.msp] + self.ds.tenants() if w.number == number]
        return any(d['serialNumber'] == serial for w in homes for d in self.ds.items(w, 'glp-devices'))

    def update_devices(self, req, record, ws, body):
        ids = [value for name, value in parse_pairs(req.query) if name == 'id']
        if not ids:
            raise WriteError(bad_request('id is required: one to five device ids (?id=...&id=...)', subject='id'))
        if len(ids) > MAX_DEVICES or len(set(ids)) != len(ids) or not all(UUID.match(i) for i in ids):
            raise WriteError(bad_request(f'id must be 1 to {MAX_DEVICES} distinct device UUIDs; got {len(ids)}', subject='id'))
        if req.headers.get('content-type', '').split(';')[0].strip().lower() != 'application/merge-patch+json':
            raise WriteError(glp_error(415, 'send the body as application/merge-patch+json'))
        if not isinstance(body, dict) or not body:
            raise WriteError(bad_request('the body must be a non-empty JSON object', 'body'))
        unknown = set(body) - {'application', 'region', 'subscription', 'tenantPlatformCustomerId'}
        if unknown:
            raise WriteError(bad_request(f'unknown properties: {", ".join(sorted(unknown))}', 'body'))
        if 'subscription' in body and len(body) > 1:
            raise WriteError(bad_request('only one operation per call: assign the application and region, or the '
                                         'subscription, in two calls', 'body'))
        by_id = {d['id']: d for d in self.devices_of(ws)}
        unknown_ids = [i for i in ids if i not in by_id]
        if unknown_ids:
            raise WriteError(glp_error(404, f'devices not found in this workspace: {", ".join(unknown_ids)}'))
        change = self._subscription_change(body) if 'subscription' in body else self._assignment_change(record, body)
        if req.params().get('dry-run') == 'true':
            return accepted(None)
        steps = [(by_id[i]['serialNumber'], i, self._updater(ws, by_id[i]['serialNumber'], change)) for i in ids]
        return accepted(self._start(ws, 'subscription' if 'subscription' in change else 'assignment', steps))

    def _assignment_change(self, record, body):
        app = body.get('application', ...)
        region = body.get('region', ...)
        tenant = body.get('tenantPlatformCustomerId', ...)
        if app is not ... and app is not None and (not isinstance(app, dict) or set(app) != {'id'} or
                                                   not UUID.match(str(app['id']))):
            raise WriteError(bad_request('application must be {"id": "<application uuid>"} or null', 'body'))
        if app not in (..., None) and app['id'] != self.ds.central_app_id:
            raise WriteError(bad_request(f"application {app['id']} is not provisioned in this workspace", 'body'))
        if (app is ...) != (region is ...) or ((app is None) != (region is None)):
            raise WriteError(bad_request('application and region go together: both set, or both null to unassign', 'body'))
        if region not in (..., None) and region not in REGIONS:
            raise WriteError(bad_request(f'region {region!r} is not a region of the application; use one of '
                                         f'{", ".join(REGIONS)}', 'body'))
        target = ...
        if tenant is not ...:
            if record.tenant_id:
                raise WriteError(glp_error(403, 'tenantPlatformCustomerId needs an MSP workspace token'))
            if tenant is not None:
                target = self.ds.tenant(tenant) if isinstance(tenant, str) and HEX32.match(tenant) else None
                if target is None:
                    raise WriteError(bad_request(f'tenantPlatformCustomerId {tenant!r} is not a tenant of this MSP '
                                                 '(32 hex digits, the tenant workspace id without dashes)', 'body'))
                if target.ownership != 'MSP_OWNED_INVENTORY':
                    raise WriteError(bad_request(f'tenant {target.name} has customer-owned inventory: MSP devices '
                                                 'cannot be assigned to it', 'body'))
            else:
                target = None
        return {'application': app, 'region': region, 'tenant': target}

    def _subscription_change(self, body):
        wanted = body['subscription']
        if not isinstance(wanted, list) or len(wanted) > 1 or not all(
                isinstance(s, dict) and set(s) == {'id'} and isinstance(s['id'], str) for s in wanted):
            raise WriteError(bad_request('subscription must be [] or [{"id": "<subscription id>"}]', 'body'))
        known = {s['id']: s for s in self.subscriptions}
        if wanted and wanted[0]['id'] not in known:
            raise WriteError(bad_request(f"subscription {wanted[0]['id']} is not in this workspace", 'body'))
        return {'subscription': known[wanted[0]['id']] if wanted else None}

    def _updater(self, ws, serial, change):
        def apply():
            device = self.devices.get(serial)
            if device is None:
                current = self._visible(ws).get(serial)
                if current is None:
                    return f'device {serial} is no longer in this workspace'
                device = copy.deepcopy(current)
                device.setdefault('tenantWorkspaceId', None if ws is self.ds.msp else ws.hex)
                if ws is not self.ds.msp:
                    self.tenant_owned.add(serial)
            if 'subscription' in change:
                sub = change['subscription']
                if sub is not None:
                    if not device.get('application'):
                        return f'device {serial} is not assigned to an application: assign it before a subscription'
                    if sub['deviceType'] != device['deviceType']:
                        return f"subscription {sub['key']} ({sub['tier']}) does not apply to a {device['deviceType']} device"
                device['subscription'] = [{'id': sub['id'], 'key': sub['key'], 'tier': sub['tier'],
                                           'resourceUri': f"/subscriptions/v1/subscriptions/{sub['id']}"}] if sub else []
            else:
                if change['application'] is None and device.get('subscription'):
                    return f'device {serial} still has a subscription: remove it before unassigning the application'
                if change['application'] is not ...:
                    app = change['application']
                    device['application'] = {'id': app['id'], 'resourceUri': f"/service-catalog/v1/service-managers/{app['id']}"} \
                        if app else None
                    device['region'] = change['region'] or ''  # an unassigned device's region is empty, not null
                    device['assignedState'] = 'ASSIGNED_TO_SERVICE' if app else 'UNASSIGNED'
                if change['tenant'] is not ...:
                    device['tenantWorkspaceId'] = change['tenant'].hex if change['tenant'] else None
            device['updatedAt'] = now_text()
            device['generation'] = device.get('generation', 1) + 1
            self.devices[serial] = device
            return None
        return apply

    def _start(self, ws, kind, steps):
        op = Operation(str(uuid.uuid4()), ws.hex, kind, steps, int(self.app.config.get('async_polls', 1)))
        self.operations[op.id] = op
        return op

    def get_operation(self, _req, _record, ws, _body, ident):
        op = self.operations.get(ident)
        if op is None or op.workspace != ws.hex:
            return glp_error(404, f'no asynchronous operation {ident} in this workspace')
        if op.status not in ('SUCCEEDED', 'FAILED'):
            if op.polls_left > 0:
                op.polls_left -= 1
                op.status = 'RUNNING'
            else:
                self._finish(op)
        return json_response(200, op.body(int(self.app.config.get('async_poll_seconds', 1))))

    def _finish(self, op):
        succeeded, failed = [], []
        for serial, device_id, apply in op.steps:
            error = self._injected_failure(serial, op.kind) or apply()
            entry = {'serialNumber': serial}
            if device_id:
                entry['id'] = device_id
            if error:
                failed.append(dict(entry, message=error))
            else:
                succeeded.append(entry)
        op.status = 'FAILED' if failed else 'SUCCEEDED'
        op.ended_at = now_text()
        op.result = {'succeeded': succeeded, 'failed': failed}

    def _injected_failure(self, serial, kind):
        rule = self.failures.get(serial)
        if rule is None or rule['operation'] not in (None, kind):
            return None
        rule['count'] -= 1
        if rule['count'] <= 0:
            del self.failures[serial]
        return rule['message']

    # --- Central provisioning ----------------------------------------------------------------------------

    def list_provisions(self, _req, _record, ws, _body):
        items = copy.deepcopy(self.provisions_of(ws))
        return json_response(200, {'items': items, 'count': len(items), 'offset': 0, 'total': len(items)})

    def provision(self, _req, _record, ws, body):
        if not isinstance(body, dict) or set(body) - {'serviceManagerId', 'region'} or \
                not isinstance(body.get('serviceManagerId'), str) or not isinstance(body.get('region'), str):
            raise WriteError(bad_request('the body must be {"serviceManagerId": "<id>", "region": "<region>"}', 'body'))
        if body['serviceManagerId'] != self.ds.central_app_id:
            raise WriteError(bad_request(f"service manager {body['serviceManagerId']} is not offered to this workspace",
                                         'body'))
        if body['region'] not in REGIONS:
            raise WriteError(bad_request(f"region {body['region']!r} is not offered; use one of {', '.join(REGIONS)}", 'body'))
        existing = self.provisions_of(ws)
        if any(p['serviceManager']['id'] == body['serviceManagerId'] for p in existing):
            raise WriteError(glp_error(409, 'the service manager is already provisioned in this workspace'))
        item = provision_item(body['serviceManagerId'], body['region'], ws.hex)
        existing.append(item)
        if ws is not self.ds.msp:
            ws.region = body['region']
            ws.central_id = uuid.uuid5(uuid.NAMESPACE_URL, f'sim/central/{ws.hex}').hex
            self.ds.replace_tenants(self.ds.tenants())
        return json_response(201, copy.deepcopy(item), {'Location': f"/service-catalog/v1/service-manager-provisions/{item['id']}"})

    # --- admin -------------------------------------------------------------------------------------------

    def admin_state(self):
        with self.lock:
            return {'central_app_id': self.ds.central_app_id, 'regions': list(REGIONS),
                    'subscriptions': copy.deepcopy(self.subscriptions), 'devices': copy.deepcopy(list(self.devices.values())),
                    'contacts': copy.deepcopy(self.contacts),
                    'operations': {op.id: op.status for op in self.operations.values()}}

    def fail_devices(self, serials, count=1, message=None, operation=None):
        """The next `count` operations on each of these devices (of this kind, if given) fail for that device."""
        if operation not in (None, 'add', 'assignment', 'subscription'):
            raise ValueError('operation must be add, assignment or subscription')
        with self.lock:
            for serial in serials:
                self.failures[serial] = {'count': int(count), 'operation': operation,
                                         'message': message or 'injected failure: the device could not be updated'}


class WriteError(Exception):
    def __init__(self, response):
        super().__init__(response.status)
        self.response = response


def parse_pairs(query):
    from urllib.parse import parse_qsl
    return parse_qsl(query, keep_blank_values=True)


def parse_body(req):
    try:
        return json.loads(req.body or b'null')
    except ValueError:
        raise WriteError(bad_request('the body is not valid JSON', 'body'))


def accepted(op):
    transaction = op.id if op else str(uuid.uuid4())
    headers = {'Location': f'/devices/v1/async-operations/{transaction}'} if op else {}
    return json_response(202, {'code': 202, 'status': '202 ACCEPTED', 'transactionId': transaction}, headers)


def check_tenant_body(body):
    """The tenant body of POST and PUT msp-tenants, validated as the definition says, or a WriteError."""
    if not isinstance(body, dict):
        raise WriteError(bad_request('the body must be a JSON object', 'body'))
    unknown = set(body) - set(TENANT_FIELDS)
    if unknown:
        raise WriteError(glp_error(422, f'unknown properties: {", ".join(sorted(unknown))}'))
    name = body.get('workspaceName')
    if not isinstance(name, str) or not name.strip():
        raise WriteError(glp_error(422, 'workspaceName is required: a non-empty string'))
    for key in ('description', 'email', 'phoneNumber'):
        if key in body and body[key] is not None and not isinstance(body[key], str):
            raise WriteError(glp_error(422, f'{key} must be a string'))
    if body.get('email') and not EMAIL.match(body['email']):
        raise WriteError(glp_error(422, f"email {body['email']!r} is not an email address"))
    if body.get('inventoryOwnership') not in (None,) + OWNERSHIP:
        raise WriteError(glp_error(422, f"inventoryOwnership must be one of {', '.join(OWNERSHIP)}"))
    address = body.get('address')
    if address is not None:
        if not isinstance(address, dict) or set(address) - set(ADDRESS_FIELDS):
            raise WriteError(glp_error(422, f"address takes only {', '.join(ADDRESS_FIELDS)}"))
        if address.get('countryCode') not in COUNTRIES:
            raise WriteError(glp_error(422, 'address.countryCode is required: an ISO 3166-1 alpha-2 code such as US'))
        for key, longest in ADDRESS_FIELDS.items():
            value = address.get(key)
            if value is not None and (not isinstance(value, str) or (longest and len(value) > longest)):
                raise WriteError(glp_error(422, f'address.{key} must be a string' + (
                    f' of at most {longest} characters' if longest else '')))
    return body


def contact_of(tenant):
    return {key: tenant.get(key) for key in ('description', 'email', 'phoneNumber', 'address')}


def provision_item(manager_id, region, workspace_hex):
    provision_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f'sim/provision/{workspace_hex}/{manager_id}'))
    return {'id': provision_id, 'type': 'service-catalog/service-manager-provision',
            'serviceManager': {'id': manager_id, 'resourceUri': f'/service-catalog/v1/service-managers/{manager_id}'},
            'region': region, 'provisionStatus': 'PROVISIONED',
            'resourceUri': f'/service-catalog/v1/service-manager-provisions/{provision_id}'}


def device_type_of(serial):
    """Central's device type of a serial number (the dataset's prefixes)."""
    for dtype, prefix in SERIAL_PREFIX.items():
        if serial.upper().startswith(prefix):
            return dtype
    return 'ACCESS_POINT'


# GLP's device type spelling -> Central's (GLP lists an access point as AP, Central as ACCESS_POINT).
CENTRAL_TYPE = {glp: central for central, (_word, glp) in V.DEVICE_TYPE_SPELLINGS.items()}


def new_device(ds, kind, entry, workspace_hex):
    """The GLP record of a device just added to an inventory."""
    serial = entry['serialNumber']
    central_type = device_type_of(serial) if kind == 'network' else kind.upper()
    dtype = V.DEVICE_TYPE_SPELLINGS.get(central_type, (None, central_type))[1]  # GLP's spelling
    # A network device's model and part number are its hardware's (the definition's network entry gives neither).
    model, part = HARDWARE[central_type][0][:2] if kind == 'network' else ('', entry['partNumber'])
    mac = entry.get('macAddress')
    if mac:  # listed as GLP lists every MAC address: pairs of hex digits joined by colons
        digits = mac.replace(':', '').replace('-', '')
        mac = ':'.join(digits[i:i + 2] for i in range(0, 12, 2))
    device_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f'sim/{ds.seed}/device/{serial}'))
    stamp = now_text()
    return {
        'id': device_id, 'type': 'devices/device', 'generation': 1, 'serialNumber': serial,
        'macAddress': mac, 'deviceType': dtype, 'model': model,
        'partNumber': part, 'region': '', 'archived': False, 'assignedState': 'UNASSIGNED',
        'application': None, 'subscription': [],
        'tags': {key: value for key, value in (entry.get('tags') or {}).items() if value is not None}, 'createdAt': stamp,
        'updatedAt': stamp, 'resourceUri': f'/devices/v1/devices/{device_id}', 'tenantWorkspaceId': workspace_hex,
    }


def inventory_item(device):
    """A device assigned to Central in a tenant, as Central's device-inventory lists it before it connects."""
    subscription = (device.get('subscription') or [{}])[0]
    return {'id': device['serialNumber'], 'type': 'network-monitoring/device-inventory',
            'serialNumber': device['serialNumber'], 'deviceName': device['serialNumber'],
            'deviceType': CENTRAL_TYPE.get(device['deviceType'], device['deviceType']), 'model': device['model'],
            'macAddress': device['macAddress'],
            'status': None, 'isProvisioned': 'No', 'siteId': None, 'siteName': None, 'firmwareVersion': None,
            'partNumber': device['partNumber'], 'role': None, 'deployment': None, 'deviceFunction': None,
            'deviceGroupName': None, 'subscriptionKey': subscription.get('key'), 'tier': subscription.get('tier')}
