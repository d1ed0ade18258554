# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Customer onboarding on GLP as desired state: tenant workspaces, devices, subscriptions, Central provisioning.

Built on :class:`MspClient` (every call goes through it). Each function either reads, or sends one kind of write;
the modules compare current and desired state with these helpers and send only what differs. Device writes are
asynchronous on GLP (202 + an async operation) and take at most five devices a call; :func:`apply_device_steps`
batches them, follows every operation to its end within a bounded wait and reports per device.
"""

from __future__ import annotations

import time

from ansible_collections.central.msp.plugins.module_utils.errors import ApiError, CentralMspError, TenantError
from ansible_collections.central.msp.plugins.module_utils.msp_client import ENDPOINTS, odata_string
from ansible_collections.central.msp.plugins.module_utils.settings import compact_id, dashed_id

TENANTS_PATH = 'workspaces/v1/msp-tenants'
DEVICES_PATH = 'devices/v1/devices'
OPERATIONS_PATH = 'devices/v1/async-operations'
PROVISIONS_PATH = 'service-catalog/v1/service-manager-provisions'
# GLP takes at most five devices per add or update call (glp-device-management.json).
MAX_DEVICES_PER_CALL = 5
# Serial numbers per lookup filter: keeps the query string short.
SERIALS_PER_LOOKUP = 50
TERMINAL = ('SUCCEEDED', 'FAILED', 'TIMEDOUT', 'TIMEOUT')
MERGE_PATCH = {'Content-Type': 'application/merge-patch+json'}
DEFAULT_POLL_SECONDS = 2.0
MAX_POLL_SECONDS = 30.0

# Module option -> GLP field of a tenant's details, and of its address.
TENANT_FIELDS = {'email': 'email', 'phone_number': 'phoneNumber'}
ADDRESS_FIELDS = {'street_address': 'streetAddress', 'street_address_complement': 'streetAddressComplement',
                  'city': 'city', 'state_or_region': 'stateOrRegion', 'zip': 'zip', 'country_code': 'countryCode'}


def call_name(client, method, path, tenant=None):
    return client.describe(method, 'glp', path, tenant)


# ---- tenants ------------------------------------------------------------------------------------------------

def find_tenant(client, name=None, workspace_id=None):
    """The GLP record of the tenant with this workspace id or this exact name, or None when there is none.

    A name several tenants share is a TenantError listing their ids."""
    if workspace_id:
        wanted = compact_id(workspace_id, 'tenant_workspace_id')
        matches = [item for item in client.glp_tenants() if compact_id(item['id']) == wanted]
        return matches[0] if matches else None
    matches = client.glp_tenants(name)
    if len(matches) > 1:
        ids = sorted(dashed_id(item['id']) for item in matches)
        raise TenantError('Tenant name %r is ambiguous: %d tenant workspaces have it (%s). Set tenant_workspace_id '
                          'to the one you mean.' % (name, len(ids), ', '.join(ids)), ids)
    return matches[0] if matches else None


def tenant_contact(client, workspace_id):
    """email, phoneNumber and address of a workspace (GET workspaces/v1/workspaces/{id}/contact, MSP scope)."""
    path = 'workspaces/v1/workspaces/%s/contact' % dashed_id(workspace_id)
    body = client.get_json('glp', path)
    return {key: body.get(key) for key in ('email', 'phoneNumber', 'address')}


def tenant_state(item, contact):
    """A tenant as the modules show it (option names), from its GLP record and contact details."""
    address = contact.get('address') or None
    return {
        'name': item.get('workspaceName'),
        'workspace_id': dashed_id(item['id']),
        'inventory_ownership': item.get('inventoryOwnership'),
        'email': contact.get('email'),
        'phone_number': contact.get('phoneNumber'),
        'address': {option: address.get(field) for option, field in ADDRESS_FIELDS.items()} if address else None,
    }


def tenant_body(state, description=None):
    """The POST / PUT msp-tenants body for a tenant state (option names); None values are left out."""
    body = {'workspaceName': state['name']}
    if description is not None:
        body['description'] = description
    for option, field in TENANT_FIELDS.items():
        if state.get(option) is not None:
            body[field] = state[option]
    if state.get('inventory_ownership'):
        body['inventoryOwnership'] = state['inventory_ownership']
    if state.get('address'):
        body['address'] = {field: state['address'][option] for option, field in ADDRESS_FIELDS.items()
                           if state['address'].get(option) is not None}
    return body


def create_tenant(client, body):
    """POST msp-tenants; the new tenant's dashed workspace id (from Location, else looked up by name)."""
    response = client.call('glp', 'POST', TENANTS_PATH, body=body, expected=(200, 201))
    location = response.headers.get('Location') or ''
    tail = location.rstrip('/').rsplit('/', 1)[-1]
    try:
        return dashed_id(tail)
    except CentralMspError:
        found = find_tenant(client, body['workspaceName'])
        if found is None:
            raise ApiError(call_name(client, 'POST', TENANTS_PATH), response.status_code,
                           message='the tenant was created but neither Location nor the tenant list names it') from None
        return dashed_id(found['id'])


def update_tenant(client, workspace_id, body):
    client.call('glp', 'PUT', '%s/%s' % (TENANTS_PATH, dashed_id(workspace_id)), body=body, expected=(200, 204))


def delete_tenant(client, workspace_id):
    client.call('glp', 'DELETE', '%s/%s' % (TENANTS_PATH, dashed_id(workspace_id)), expected=(200, 202, 204))


def tenant_devices(client, workspace_id):
    """Every device in a tenant's own GLP inventory (tenant scope), whoever owns it."""
    return client.get_all('glp_devices', tenant=dashed_id(workspace_id)).items


# ---- Central provisioning -----------------------------------------------------------------------------------

def provisions(client, workspace_id=None):
    """The service managers provisioned in a workspace (the MSP's when workspace_id is None)."""
    body = client.get_json('glp', PROVISIONS_PATH, tenant=dashed_id(workspace_id) if workspace_id else None)
    return body.get('items') or []


def central_application_id(client, given=None):
    """The Central application (service manager) id: as given, or the one provisioned in the MSP workspace."""
    if given:
        return given
    found = sorted({(item.get('serviceManager') or {}).get('id') for item in provisions(client)} - {None})
    if len(found) == 1:
        return found[0]
    raise CentralMspError('Set application_id to the Central application (service manager) id: the MSP workspace '
                          'has %s service managers provisioned (%s), so the Central one cannot be told apart.'
                          % (len(found) or 'no', ', '.join(found) or 'none'))


def central_provision(client, workspace_id, application_id):
    """The tenant's provision of the Central application, or None."""
    for item in provisions(client, workspace_id):
        if (item.get('serviceManager') or {}).get('id') == application_id:
            return item
    return None


def provision_central(client, workspace_id, application_id, region):
    response = client.call('glp', 'POST', PROVISIONS_PATH, tenant=dashed_id(workspace_id),
                           body={'serviceManagerId': application_id, 'region': region}, expected=(200, 201, 202))
    try:
        return response.json()
    except ValueError:
        return {}


# ---- devices ------------------------------------------------------------------------------------------------

def msp_devices(client, serials):
    """serialNumber -> GLP device record, for the serials found in the MSP workspace's inventory."""
    found = {}
    wanted = sorted(set(serials))
    for start in range(0, len(wanted), SERIALS_PER_LOOKUP):
        chunk = wanted[start:start + SERIALS_PER_LOOKUP]
        query = {'filter': 'serialNumber in (%s)' % ', '.join(odata_string(serial) for serial in chunk)}
        for item in client.get_all(ENDPOINTS['glp_devices'], params=query).items:
            if item.get('serialNumber') in chunk:
                found[item['serialNumber']] = item
    return found


def device_state(item):
    """What the onboarding modules manage of a device, from its GLP record (None: not in the inventory)."""
    if item is None:
        return None
    tenant = item.get('tenantWorkspaceId')
    return {
        'id': item.get('id'),
        'tenant_workspace_id': dashed_id(tenant) if tenant else None,
        'application_id': (item.get('application') or {}).get('id'),
        'region': item.get('region') or None,  # GLP lists no region as ''
        'subscription_ids': sorted(sub.get('id') for sub in item.get('subscription') or [] if sub.get('id')),
        'subscription_keys': sorted(sub.get('key') for sub in item.get('subscription') or [] if sub.get('key')),
    }


def operation_id(response):
    """The async operation id of a 202: the last segment of Location, else transactionId."""
    location = (response.headers.get('Location') or '').split('?')[0].rstrip('/')
    if location:
        return location.rsplit('/', 1)[-1]
    try:
        return response.json().get('transactionId')
    except (ValueError, AttributeError):
        return None


def wait_operation(client, op_id, timeout, poll_seconds=None, sleep=time.sleep, clock=time.monotonic):
    """Read an async operation until it ends or ``timeout`` seconds pass; its last body ('status' tells which)."""
    path = '%s/%s' % (OPERATIONS_PATH, op_id)
    deadline = clock() + max(0.0, float(timeout))
    while True:
        body = client.get_json('glp', path)
        if str(body.get('status', '')).upper() in TERMINAL:
            return body
        remaining = deadline - clock()
        if remaining <= 0:
            return body
        suggested = body.get('suggestedPollingIntervalSeconds')
        pause = poll_seconds if poll_seconds is not None else (
            float(suggested) if isinstance(suggested, (int, float)) else DEFAULT_POLL_SECONDS)
        sleep(max(0.0, min(pause, MAX_POLL_SECONDS, remaining)))


def operation_outcome(body):
    """serialNumber -> None (succeeded) or the failure message, from an ended operation's breakdown."""
    result = body.get('result') or {}
    outcome = {}
    for key in ('succeeded', 'succeededDevices'):
        for entry in result.get(key) or []:
            outcome[entry.get('serialNumber')] = None
    for key in ('failed', 'failedDevices'):
        for entry in result.get(key) or []:
            outcome[entry.get('serialNumber')] = entry.get('message') or entry.get('errorCode') or 'failed'
    return outcome


def send_batches(client, method, devices, body, timeout, poll_seconds=None, params=None):
    """Send one device write for these devices (dicts with serial and id), five a call; follow each operation.

    Returns serial -> (ok, message, operation id). Every call is sent before the first one is waited for, so the
    operations run side by side on GLP."""
    call = call_name(client, method, DEVICES_PATH)
    started = []
    outcome = {}
    for start in range(0, len(devices), MAX_DEVICES_PER_CALL):
        batch = devices[start:start + MAX_DEVICES_PER_CALL]
        try:
            if method == 'PATCH':
                response = client.call('glp', 'PATCH', DEVICES_PATH, params={'id': [device['id'] for device in batch]},
                                       body=body, headers=MERGE_PATCH, expected=(202,))
            else:
                response = client.call('glp', 'POST', DEVICES_PATH, params=params, body=body(batch), expected=(202,))
        except CentralMspError as exc:
            for device in batch:
                outcome[device['serial']] = (False, str(exc), None)
            continue
        started.append((operation_id(response), batch))
    for op_id, batch in started:
        try:
            final = wait_operation(client, op_id, timeout, poll_seconds)
        except CentralMspError as exc:
            for device in batch:
                outcome[device['serial']] = (False, 'following operation %s: %s' % (op_id, exc), op_id)
            continue
        status = str(final.get('status', '')).upper()
        if status not in TERMINAL:
            message = ('%s operation %s is still %s after %ss (wait_timeout); it may yet finish: re-run the task to '
                       'see where it stands' % (call, op_id, status or 'running', timeout))
            for device in batch:
                outcome[device['serial']] = (None, message, op_id)
            continue
        results = operation_outcome(final)
        for device in batch:
            if device['serial'] in results:
                error = results[device['serial']]
            else:
                error = None if status == 'SUCCEEDED' else 'operation ended %s' % status
            outcome[device['serial']] = (error is None, None if error is None else '%s operation %s: %s' % (
                call, op_id, error), op_id)
    return outcome


def apply_device_steps(client, plans, timeout, poll_seconds=None):
    """Run planned device changes in order of their steps; a device failing one step skips its later ones.

    ``plans``: serial -> {'id', 'steps': [(step name, merge-patch body)], 'report': dict to fill}. Devices with the
    same body at the same step go together, five a call. Each report gets changed, failed, msg and operations."""
    depth = max((len(plan['steps']) for plan in plans.values()), default=0)
    for index in range(depth):
        groups = {}
        for serial, plan in plans.items():
            report = plan['report']
            if report.get('failed') or index >= len(plan['steps']):
                continue
            name, body = plan['steps'][index]
            key = (name, repr(sorted(body.items())))
            groups.setdefault(key, (body, []))[1].append({'serial': serial, 'id': plan['id']})
        for body, devices in groups.values():
            for serial, (ok, message, op_id) in send_batches(client, 'PATCH', devices, body, timeout, poll_seconds).items():
                report = plans[serial]['report']
                if op_id:
                    report.setdefault('operations', []).append(op_id)
                if ok:
                    report['changed'] = True
                else:
                    # A write that was accepted but has not ended may have changed the device.
                    report['changed'] = report.get('changed', False) or ok is None
                    report.update(failed=True, msg=message)
    return plans


def plan_device(state, tenant=None, application_id=None, region=None, subscription_id=None):
    """(steps, desired state) to bring a device from ``state`` to the target.

    The target is a tenant (workspace id) with the application, region and optionally a subscription, or the MSP
    pool (``tenant`` None): subscription removed, then application, region and tenant cleared. GLP takes one
    operation per call, so each step is one merge-patch body."""
    steps = []
    desired = dict(state)
    if tenant:
        if (state['tenant_workspace_id'], state['application_id'], state['region']) != (tenant, application_id, region):
            steps.append(('assign', {'application': {'id': application_id}, 'region': region,
                                     'tenantPlatformCustomerId': compact_id(tenant)}))
            desired.update(tenant_workspace_id=tenant, application_id=application_id, region=region)
        if subscription_id and state['subscription_ids'] != [subscription_id]:
            steps.append(('subscribe', {'subscription': [{'id': subscription_id}]}))
            desired.update(subscription_ids=[subscription_id], subscription_keys=[])
    else:
        if state['subscription_ids']:
            steps.append(('unsubscribe', {'subscription': []}))
            desired.update(subscription_ids=[], subscription_keys=[])
        # A region without an application assigns nothing (an unassigned device may still list one): no write.
        if state['tenant_workspace_id'] or state['application_id']:
            steps.append(('release', {'application': None, 'region': None, 'tenantPlatformCustomerId': None}))
            desired.update(tenant_workspace_id=None, application_id=None, region=None)
    return steps, desired


def shown(state):
    """A device state as reports and diffs show it (no internal id, no key list when unknown)."""
    if state is None:
        return None
    return {key: value for key, value in state.items() if key != 'id' and not (key == 'subscription_keys' and not value)}


def release_devices(client, records, timeout, check_mode=False, poll_seconds=None):
    """Move devices (their GLP records) back to the MSP pool; per-device reports, in the records' order."""
    plans = {}
    reports = []
    for item in records:
        state = device_state(item)
        steps, desired = plan_device(state)
        report = {'serial_number': item['serialNumber'], 'changed': bool(steps), 'failed': False,
                  'before': shown(state), 'after': shown(desired)}
        reports.append(report)
        if steps and not check_mode:
            report['changed'] = False
            plans[item['serialNumber']] = {'id': state['id'], 'steps': steps, 'report': report}
    apply_device_steps(client, plans, timeout, poll_seconds)
    return reports
