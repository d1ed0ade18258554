"""The admin API under /_sim (loopback clients only; not counted in the stats, never delayed or faulted).

GET  /_sim/stats[?log=0]            counters, issued tokens and the request log
POST /_sim/reset                    zero stats, clear faults and rate-limit windows, restore the start-up config;
                                    {"tokens": true} also forgets every token, {"dataset": true} drops added tenants
                                    and device status changes
POST /_sim/faults                   one fault rule or {"action": ...} (see docs/simulator.md)
GET  /_sim/config                   the current runtime config
GET  /_sim/truth                    ground truth: every tenant's GLP record, Central summary and item counts
GET  /_sim/truth/<id>               one tenant (GLP id, dashed or hex; the MSP workspace id works too)
GET  /_sim/truth/<id>/<kind>        the full item list of one kind, as the API returns it unpaged
GET  /_sim/writes                   what the write APIs changed: devices, contacts, operations, and the ids a
                                    test needs (central_app_id, subscriptions, regions)
"""
import ipaddress
import json

from ansible_collections.central.msp.plugins.module_utils import contract

from .dataset import CENTRAL_KINDS, INTERNAL_KINDS, KINDS
from .faults import FaultError
from .messages import glp_error, json_response

CONFIG_TYPES = {'token_ttl': int, 'latency_ms': int, 'central_rate_limit': int, 'glp_rate_limit': int, 'retry_after': bool,
                'async_polls': int, 'async_poll_seconds': int}


class AdminError(Exception):
    pass


def is_loopback(address):
    try:
        return ipaddress.ip_address(address.split('%')[0]).is_loopback
    except ValueError:
        return False


def json_body(req):
    if not req.body.strip():
        return {}
    try:
        body = json.loads(req.body)
    except ValueError as err:
        raise AdminError(f'the body is not JSON: {err}')
    if not isinstance(body, dict):
        raise AdminError('the body must be a JSON object')
    return body


def find_tenant(app, ident):
    tenant = app.dataset.tenant(ident or '')
    if tenant is None:
        raise AdminError(f'no tenant {ident!r}')
    return tenant


def tenant_truth(app, ws):
    ds = app.dataset
    return {'id': ws.id, 'hex': ws.hex, 'name': ws.name, 'central_id': ws.central_id, 'added': ws.added,
            'glp': ds.glp_item(ws), 'central': ds.central_summary(ws),
            'counts': ds.counts(ws)}


def truth(app, parts):
    ds = app.dataset
    if not parts:
        msp = ds.msp
        return json_response(200, {
            'dataset': ds.kind, 'seed': ds.seed,
            'msp': {'id': msp.id, 'hex': msp.hex, 'name': msp.name, 'client_id': ds.client_id, 'counts': ds.counts(msp)},
            'tenants': [tenant_truth(app, t) for t in ds.tenants()]})
    ws = ds.workspace(parts[0])
    if ws is None:
        return glp_error(404, f'no workspace {parts[0]!r}')
    if len(parts) == 1:
        return json_response(200, tenant_truth(app, ws))
    kind = parts[1]
    if len(parts) > 2 or kind not in KINDS + INTERNAL_KINDS:  # internal kinds: what the items do not carry
        return glp_error(404, f"unknown kind {kind!r}: use one of {', '.join(KINDS + INTERNAL_KINDS)}")
    if kind in CENTRAL_KINDS and not ws.central_id:
        return glp_error(404, f'{ws.name} is not provisioned in Central: its Central APIs answer 403')
    return json_response(200, ds.items(ws, kind))


def configure(app, body):
    unknown = set(body) - set(CONFIG_TYPES) - {'action'}
    if unknown:
        raise AdminError(f"unknown config keys {sorted(unknown)}; known: {', '.join(CONFIG_TYPES)}")
    for name, kind in CONFIG_TYPES.items():
        if name in body:
            app.config[name] = kind(body[name])
    return {'config': app.config}


def fault_action(app, body):
    """Apply one POST /_sim/faults body; returns the JSON answer."""
    action = body.get('action')
    faults, tokens = app.faults, app.tokens
    if action is None:
        if 'path' not in body:
            raise AdminError('a fault rule needs "path" (a regex), or give an "action"')
        rule = faults.add_rule(body)
        return {'rule': {'path': rule.path.pattern, 'method': rule.method, 'count': rule.remaining}}
    if action == 'revoke_all_tokens':
        return {'revoked': tokens.revoke_all()}
    if action == 'expire_tenant_tokens':
        return {'expired': tokens.expire(tenant_id=find_tenant(app, body.get('tenant')).id)}
    if action == 'expire_msp_tokens':
        return {'expired': tokens.expire(msp=True)}
    if action == 'fail_exchange':
        tenant = find_tenant(app, body.get('tenant'))
        faults.set_exchange_failure(tenant.id, body)
        return {'tenant': tenant.id}
    if action == 'random_failures':
        faults.set_random(body.get('rate', 0), body.get('seed', 1), body.get('kinds', ('429', '500', '502', '503', 'reset')))
        return {'rate': faults.random_rate}
    if action == 'paging_anomaly':
        faults.add_paging(body.get('path', '.'), body.get('kind'), body.get('count', -1))
        return {'paging_anomaly': body.get('kind')}
    if action == 'item_value':
        faults.add_item_value(body, contract.ENDPOINTS)
        return {'item_value': body['endpoint']}
    if action == 'config':
        return configure(app, body)
    if action == 'device_status':
        # A change in a tenant's network between two reads: a device goes OFFLINE or comes back ONLINE.
        tenant = find_tenant(app, body.get('tenant'))
        return app.dataset.set_device_status(tenant.id, str(body.get('serial') or ''), str(body.get('status') or '').upper())
    if action == 'add_tenant':
        if not body.get('name'):
            raise AdminError('add_tenant needs a name')
        ws = app.dataset.add_tenant(str(body['name']), central=bool(body.get('central', True)),
                                    devices=int(body.get('devices', 20)))
        return {'id': ws.id, 'hex': ws.hex, 'name': ws.name, 'central_id': ws.central_id}
    if action == 'fail_devices':
        serials = body.get('serials')
        if not isinstance(serials, list) or not serials:
            raise AdminError('fail_devices needs serials: a list of serial numbers')
        app.writes.fail_devices(serials, body.get('count', 1), body.get('message'), body.get('operation'))
        return {'fail_devices': serials}
    raise AdminError(f'unknown action {action!r}')


def handle(app, req):
    if not is_loopback(req.client_ip):
        return glp_error(403, 'the simulator admin API answers loopback clients only')
    parts = [p for p in req.path[len('/_sim'):].split('/') if p]
    route = (req.method, parts[0] if parts else '')
    try:
        if route == ('GET', 'stats'):
            with_log = req.params().get('log', '1') not in ('0', 'false', 'no')
            return json_response(200, app.stats.snapshot(app.tokens.issued, with_log))
        if route == ('POST', 'reset'):
            body = json_body(req)
            app.reset(tokens=bool(body.get('tokens')), dataset=bool(body.get('dataset')))
            return json_response(200, {'reset': True})
        if route == ('POST', 'faults'):
            return json_response(200, dict(fault_action(app, json_body(req)), ok=True))
        if route == ('GET', 'config'):
            return json_response(200, app.config)
        if route == ('GET', 'writes'):
            return json_response(200, app.writes.admin_state())
        if route == ('GET', 'truth'):
            return truth(app, parts[1:])
    except (AdminError, FaultError, ValueError, TypeError) as err:
        return glp_error(400, str(err))
    return glp_error(404, f'no admin endpoint {req.method} {req.path}')
