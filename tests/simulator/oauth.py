"""The GLP token issuer: client credentials (RFC 6749 4.4) and token exchange (RFC 8693).

POST {auth_url}/{workspace_id}/token with a form body. Client credentials are for the MSP workspace only and
authenticate with HTTP Basic or client_id/client_secret in the body (not both). An exchange names the tenant
workspace in the URL as 32 hex digits without dashes; Basic client authentication is optional but checked
when present. Errors are RFC 6749 bodies: {"error", "error_description"}.
"""
import base64
import binascii
import hmac
import re
from urllib.parse import parse_qsl, unquote_plus

from .messages import json_response, oauth_error

CLIENT_CREDENTIALS = 'client_credentials'
TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange'
ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token'
HEX_ID = re.compile(r'^[0-9a-fA-F]{32}$')
DASHED_ID = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')


class OAuthError(Exception):
    def __init__(self, status, error, description, headers=None, injected=False):
        super().__init__(description)
        self.response = oauth_error(status, error, description, headers)
        self.injected = injected


def parse_form(req):
    content_type = req.headers.get('content-type', '').split(';')[0].strip().lower()
    if content_type != 'application/x-www-form-urlencoded':
        raise OAuthError(400, 'invalid_request', 'the token request must be sent as application/x-www-form-urlencoded')
    try:
        pairs = parse_qsl(req.body.decode('utf-8'), keep_blank_values=True, strict_parsing=bool(req.body))
    except (UnicodeDecodeError, ValueError):
        raise OAuthError(400, 'invalid_request', 'the request body is not a valid form')
    form = {}
    for name, value in pairs:
        if name in form:
            raise OAuthError(400, 'invalid_request', f'parameter {name!r} is repeated')
        form[name] = value
    return form


def basic_credentials(req):
    """(client_id, client_secret) from an Authorization: Basic header, or None when there is none."""
    header = req.headers.get('authorization', '')
    if not header[:6].lower() == 'basic ':
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode('utf-8')
        client_id, client_secret = decoded.split(':', 1)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise OAuthError(401, 'invalid_client', 'malformed HTTP Basic client authentication',
                         {'WWW-Authenticate': 'Basic realm="greenlake"'})
    # RFC 6749 2.3.1: both parts are form-urlencoded before they are joined.
    return unquote_plus(client_id), unquote_plus(client_secret)


def authenticate_client(app, req, form, required):
    """The authenticated client id; None when no client authentication was sent and none is required."""
    basic = basic_credentials(req)
    in_body = form.get('client_secret') is not None
    if basic and in_body:
        raise OAuthError(400, 'invalid_request', 'use one client authentication method: HTTP Basic or the form body, not both')
    if basic:
        client_id, secret = basic
        if form.get('client_id') not in (None, client_id):
            raise OAuthError(400, 'invalid_request', 'client_id in the body does not match HTTP Basic authentication')
    elif in_body:
        client_id, secret = form.get('client_id', ''), form['client_secret']
    elif required or form.get('client_id') is not None:
        raise OAuthError(401, 'invalid_client', 'client authentication is required (HTTP Basic or client_id/client_secret)')
    else:
        return None
    ds = app.dataset
    good = hmac.compare_digest(client_id.encode(), ds.client_id.encode()) and \
        hmac.compare_digest(secret.encode(), ds.client_secret.encode())
    if not good:
        # RFC 6749 5.2: 401 with WWW-Authenticate when the client used the Authorization header, else 400.
        if basic:
            raise OAuthError(401, 'invalid_client', 'client authentication failed', {'WWW-Authenticate': 'Basic realm="greenlake"'})
        raise OAuthError(400, 'invalid_client', 'client authentication failed')
    return client_id


def token_response(app, record):
    body = {'access_token': record.token, 'token_type': 'Bearer', 'expires_in': int(record.expires_at - record.issued_at),
            'scope': f'workspace:{record.tenant_id or app.dataset.msp.id}' + (' msp' if record.tenant_id is None else '')}
    if record.tenant_id:
        body['issued_token_type'] = ACCESS_TOKEN_TYPE
    return json_response(200, body, {'Cache-Control': 'no-store', 'Pragma': 'no-cache'})


def client_credentials(app, req, form, workspace):
    client_id = authenticate_client(app, req, form, required=True)
    ds = app.dataset
    if workspace.replace('-', '').lower() != ds.msp.hex:
        where = 'a tenant workspace of this MSP' if ds.tenant(workspace) else 'not a workspace this client belongs to'
        raise OAuthError(400, 'unauthorized_client',
                         f'workspace {workspace} is {where}: client credentials are issued for the MSP workspace '
                         f'the API client was created in; use token exchange for a tenant')
    record = app.tokens.issue(client_id, app.config['token_ttl'])
    app.stats.count('msp_tokens')
    return token_response(app, record)


def token_exchange(app, req, form, workspace):
    client_id = authenticate_client(app, req, form, required=False)
    subject = form.get('subject_token')
    if not subject:
        raise OAuthError(400, 'invalid_request', 'subject_token is required')
    if form.get('subject_token_type') != ACCESS_TOKEN_TYPE:
        raise OAuthError(400, 'invalid_request', f'subject_token_type must be {ACCESS_TOKEN_TYPE}')
    if DASHED_ID.match(workspace):
        raise OAuthError(400, 'invalid_request', 'the tenant workspace id in the token URL must be 32 hex digits '
                         'without dashes (remove the dashes from the id GLP returns)')
    if not HEX_ID.match(workspace):
        raise OAuthError(400, 'invalid_request', f'{workspace!r} is not a workspace id')
    record = app.tokens.get(subject)
    if record is None:
        raise OAuthError(400, 'invalid_grant', 'subject_token is not a valid access token')
    problem = record.problem()
    if problem:
        raise OAuthError(400, 'invalid_grant', f'subject_token has {problem}' if problem == 'expired'
                         else 'subject_token has been revoked')
    if record.tenant_id is not None:
        raise OAuthError(400, 'invalid_grant', 'subject_token is a tenant token; exchange an MSP workspace token')
    if client_id is not None and client_id != record.client_id:
        raise OAuthError(400, 'invalid_grant', 'subject_token was issued to another client')
    if workspace.lower() == app.dataset.msp.hex:
        raise OAuthError(400, 'invalid_request', 'this is the MSP workspace itself: use client credentials')
    tenant = app.dataset.tenant(workspace)
    if tenant is None:
        raise OAuthError(403, 'access_denied', f'workspace {workspace} is not a tenant managed by this MSP')
    failure = app.faults.take_exchange_failure(tenant.id)
    if failure:
        status, error = failure
        raise OAuthError(status, error, f'token exchange refused for workspace {workspace}', injected=True)
    issued = app.tokens.issue(record.client_id, app.config['token_ttl'], tenant.id)
    app.stats.count('exchanges', tenant.id)
    return token_response(app, issued)


def handle_token_request(app, req, workspace):
    """Answer POST {auth_url}/{workspace}/token. Returns (response, injected) where injected marks a forced failure."""
    try:
        form = parse_form(req)
        grant = form.get('grant_type')
        if not grant:
            raise OAuthError(400, 'invalid_request', 'grant_type is required')
        if grant == CLIENT_CREDENTIALS:
            return client_credentials(app, req, form, workspace), False
        if grant == TOKEN_EXCHANGE:
            return token_exchange(app, req, form, workspace), False
        raise OAuthError(400, 'unsupported_grant_type', f'grant_type {grant!r} is not supported')
    except OAuthError as err:
        return err.response, err.injected
