# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The MSP connection: tokens, token exchange, tenant resolution, API calls and paging.

This is the only code that talks to GLP and Central. Modules and the inventory plugin build an
:class:`MspClient` from :func:`settings.resolve_settings` and call it.
"""

from __future__ import annotations

import difflib
import fnmatch
import math
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from urllib.parse import quote, unquote, urlsplit

from ansible_collections.central.msp.plugins.module_utils import contract
from ansible_collections.central.msp.plugins.module_utils.errors import (
    ApiError, AuthError, CentralMspError, DataError, TenantError)
from ansible_collections.central.msp.plugins.module_utils.transport import HttpClient, error_from_response
from ansible_collections.central.msp.plugins.module_utils.paging import paginate_next, paginate_offset
from ansible_collections.central.msp.plugins.module_utils.settings import compact_id, dashed_id, is_workspace_id
from ansible_collections.central.msp.plugins.module_utils.token_cache import TokenCache, cache_key, secret_digest

TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange'
ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token'
APPS = ('central', 'glp')
# expires_in beyond this is absurd (a broken issuer); between a day and this, a day is kept.
MAX_EXPIRES_IN = 365 * 86400
KEPT_EXPIRES_IN = 86400
# What RFC 6750 allows in a bearer token (b64token), so it can travel in a header.
_BEARER = re.compile(r'^[A-Za-z0-9._~+/=-]+$')


# The list endpoints, as our contract describes them (paging, largest page, item key, first cursor).
ENDPOINTS = contract.ENDPOINTS


def odata_string(value):
    """A quoted OData string literal: a quote inside is doubled."""
    return "'%s'" % str(value).replace("'", "''")


def safe_api_path(path):
    """A relative API path, or an error: nothing that could send the token to another host."""
    if not isinstance(path, str) or not path.strip():
        raise CentralMspError('path must be a non-empty relative API path such as network-monitoring/v1/devices.')
    text = path.strip()
    decoded = unquote(unquote(text))
    if text.startswith('//') or decoded.startswith('//') or '\\' in decoded or urlsplit(decoded).scheme or '://' in decoded:
        raise CentralMspError('path %r is refused: give a path relative to the API base URL (for example '
                              'network-monitoring/v1/devices), never a URL or a //host reference, so the token only '
                              'goes to the configured host.' % path)
    # A segment's parameters (';...') are ignored by some servers and proxies: '..;' is '..' to them.
    if any(segment.split(';', 1)[0] in ('..', '.') for segment in decoded.split('/')):
        raise CentralMspError("path %r is refused: '.' and '..' segments (also as '..;' or percent-encoded) could "
                              "leave the API base path." % path)
    if '?' in text or '#' in text or any(ord(char) < 32 or char == ' ' for char in decoded):
        raise CentralMspError('path %r is refused: no query, fragment, spaces or control characters; pass query '
                              'parameters in params.' % path)
    return text.lstrip('/')


class MspClient:
    """One MSP credential: its MSP token, tenant tokens by exchange, and calls in either scope."""

    def __init__(self, settings, warn=None, http=None, cache=None):
        self.settings = settings
        self.warn = warn or (lambda message: None)
        self.http = http or HttpClient(settings, self.warn)
        self.cache = cache or TokenCache(settings.token_cache_dir, settings.token_cache, self.warn)
        # Who the tokens belong to; the secret enters only as a digest.
        self._owner = (settings.auth_url, settings.client_id, secret_digest(settings.client_secret), settings.workspace_id)
        self._tenants_by_name = {}
        self._glp_listing = None  # GLP's whole tenant list, read once per client (one task)

    # ---- tokens -------------------------------------------------------------------------------------------

    def _token_url(self, workspace):
        return '%s/%s/token' % (self.settings.auth_url, workspace)

    def msp_token(self, stale=None):
        """The MSP workspace token (client credentials). ``stale``: a token just rejected, never reused."""
        return self._known(self.cache.get(cache_key(*self._owner), self._fetch_msp_token, stale))

    def tenant_token(self, workspace_id, stale=None):
        """A token scoped to one tenant workspace (RFC 8693 exchange of the MSP token)."""
        tenant = compact_id(workspace_id, 'tenant workspace id')
        return self._known(self.cache.get(cache_key(*(self._owner + (tenant,))), lambda: self._exchange(tenant), stale))

    def _known(self, token):
        # A token read from the cache was never seen by this process: masked before anything can echo it.
        self.http.add_sensitive(token)
        return token

    def _fetch_msp_token(self):
        call = 'MSP token request (client credentials for workspace %s)' % dashed_id(self.settings.workspace_id)
        response = self.http.send('POST', self._token_url(self.settings.workspace_id), call, retry_unsafe=True,
                                  data={'grant_type': 'client_credentials'},
                                  auth=(self.settings.client_id, self.settings.client_secret))
        if response.status_code != 200:
            raise self._auth_error(call, response,
                                   'Check client_id and client_secret (a GLP API client created in the MSP workspace) '
                                   'and that workspace_id is the MSP workspace id, not a tenant\'s')
        return self._token_from(call, response)

    def _exchange(self, tenant):
        call = 'token exchange into tenant workspace %s' % dashed_id(tenant)
        hint = 'Is this a tenant of the MSP workspace %s? msp_tenant_info lists them' % dashed_id(self.settings.workspace_id)

        def exchange(subject):
            response = self.http.send('POST', self._token_url(tenant), call, retry_unsafe=True, data={
                'grant_type': TOKEN_EXCHANGE_GRANT,
                'subject_token': subject,
                'subject_token_type': ACCESS_TOKEN_TYPE,
            })
            return response, None if response.status_code == 200 else self._auth_error(call, response, hint)

        subject = self.msp_token()
        response, error = exchange(subject)
        if error is not None and (response.status_code == 401 or error.error_code in ('invalid_grant', 'invalid_token')):
            # The MSP token expired or was revoked: renew it once and exchange again.
            response, error = exchange(self.msp_token(stale=subject))
        if error is not None:
            raise error
        return self._token_from(call, response)

    def _auth_error(self, call, response, hint):
        error = error_from_response(call, response, hint, self.http.redact)
        return AuthError(call, error.status, error.error_code, error.api_message, error.debug_id, hint)

    def _token_from(self, call, response):
        try:
            body = response.json()
        except ValueError:
            body = None
        token = body.get('access_token') if isinstance(body, dict) else None
        if token is None:
            raise ApiError(call, response.status_code, message='the token response has no access_token')
        if not isinstance(token, str) or not _BEARER.match(token):
            # Never shown: a malformed token may still be a credential.
            raise ApiError(call, response.status_code, message='the token response has an access_token that is not a '
                           'usable bearer token (%s); the issuer is misbehaving' % (
                               'not a string but %s' % type(token).__name__ if not isinstance(token, str) else
                               'empty' if not token else 'characters a header cannot carry, such as CR/LF'))
        self.http.add_sensitive(token)
        return token, _expires_in(call, response.status_code, body.get('expires_in'))

    # ---- calls --------------------------------------------------------------------------------------------

    def base_url(self, app):
        if app == 'central':
            return self.settings.require_central()
        if app == 'glp':
            return self.settings.glp_base_url
        raise CentralMspError("app must be one of %s, not %r." % (', '.join(APPS), app))

    @staticmethod
    def describe(method, app, path, tenant=None):
        where = ' in tenant %s' % dashed_id(tenant) if tenant else ' (MSP scope)'
        return '%s %s %s%s' % (method.upper(), app, path, where)

    def request(self, app, method, path, tenant=None, params=None, body=None, headers=None):
        """Send one call and return the response whatever its status.

        ``tenant`` is a workspace id for tenant scope, None for MSP scope. A 401 means the token is no
        longer valid: it is renewed (for a tenant: a new exchange, with a new MSP token if that was dead
        too) and the call is sent once more."""
        path = safe_api_path(path)
        url = '%s/%s' % (self.base_url(app), quote(path, safe="/:@!$&'()*+,;=-._~%"))
        call = self.describe(method, app, path, tenant)
        extra = {key: value for key, value in (headers or {}).items() if key.lower() != 'authorization'}

        def send(token):  # msp_token and tenant_token have made the token known to the redaction
            sent = dict(extra, Accept='application/json', Authorization='Bearer %s' % token)
            return self.http.send(method, url, call, headers=sent, params=params, json=body)

        token = self.tenant_token(tenant) if tenant else self.msp_token()
        response = send(token)
        if response.status_code == 401:
            response.close()
            response = send(self.tenant_token(tenant, stale=token) if tenant else self.msp_token(stale=token))
        return response

    def call(self, app, method, path, tenant=None, params=None, body=None, headers=None, expected=(200,)):
        """Send one call; the response if its status is expected, else an ApiError."""
        response = self.request(app, method, path, tenant, params, body, headers)
        if response.status_code not in expected:
            raise self.error(self.describe(method, app, safe_api_path(path), tenant), response,
                             central_tenant=app == 'central' and bool(tenant))
        return response

    def error(self, call, response, central_tenant=False):
        hint = None
        if response.status_code == 401:
            hint = 'The token was refused even after renewal; check the credential and the workspace ids'
        elif response.status_code == 403 and central_tenant:
            hint = ('The tenant token is not allowed here: check the path, or whether Central manages this tenant '
                    '(msp_tenant_info shows central_provisioned: false for a GreenLake-only tenant)')
        elif response.status_code == 403:
            hint = 'The token is not allowed here: check the path and the scope (tenant vs MSP)'
        elif response.status_code == 429:
            hint = 'Rate limited even after %d retries; lower concurrency or forks, or raise max_retries' % (
                self.settings.max_retries)
        return error_from_response(call, response, hint, self.http.redact)

    def get_json(self, app, path, tenant=None, params=None):
        response = self.call(app, 'GET', path, tenant, params)
        try:
            return response.json()
        except ValueError:
            raise ApiError(self.describe('GET', app, path, tenant), response.status_code,
                           message='expected a JSON body, got %s' % (
                               response.headers.get('Content-Type') or 'no content type')) from None

    def get_all(self, endpoint, tenant=None, params=None, limit=None, only_objects=True):
        """Every item of a list endpoint (an :class:`Endpoint` or a name in ENDPOINTS), as a PagedResult.

        An item that is not a JSON object is a DataError (the call's, so the tenant's, failure) unless
        ``only_objects`` is false, for callers that sort the good items from the bad themselves."""
        if isinstance(endpoint, str):
            endpoint = ENDPOINTS[endpoint]
        limit = min(int(limit or endpoint.max_limit), endpoint.max_limit)
        what = self.describe('GET', endpoint.app, endpoint.path, tenant)
        params = {key: value for key, value in (params or {}).items() if value not in (None, '')}

        def fetch(query):
            return self.get_json(endpoint.app, endpoint.path, tenant, query)

        if endpoint.paging == 'offset':
            result = paginate_offset(fetch, what, limit, params, endpoint.key)
        else:
            result = paginate_next(fetch, what, limit, params, endpoint.key, endpoint.first_cursor)
        for message in result.warnings:
            self.warn(message)
        if only_objects:
            bad = [item for item in result.items if not isinstance(item, dict)]
            if bad:
                raise DataError('%s returned %d %s (the first: %s); the list cannot be trusted, so it is reported '
                                'as failed.' % (what, len(bad), 'item that is not a JSON object' if len(bad) == 1
                                                else 'items that are not JSON objects', _sample(bad[0])))
        return result

    # ---- tenants ------------------------------------------------------------------------------------------

    def glp_tenants(self, name=None):
        """The MSP's tenant workspaces from GLP, optionally only those with exactly this name."""
        if name is None:
            # A task that resolves all_tenants and then tells GreenLake-only tenants apart needs it twice.
            if self._glp_listing is None:
                self._glp_listing = self._sound_tenants(self.get_all('msp_tenants', only_objects=False).items)
            return list(self._glp_listing)
        params = {'filter': 'workspaceName eq %s' % odata_string(name)}
        items = self._sound_tenants(self.get_all('msp_tenants', params=params, only_objects=False).items)
        return [item for item in items if item.get('workspaceName') == name]

    def _sound_tenants(self, items):
        """GLP tenant items that can be used: objects with a workspace id, the name a string or None. The rest is
        left out, with a warning that says what was wrong, so one bad entry costs only itself."""
        sound, problems = [], []
        for item in items:
            if not isinstance(item, dict) or not is_workspace_id(item.get('id')):
                problems.append('an entry without a workspace id (%s)' % _sample(item))
                continue
            name = item.get('workspaceName')
            if not isinstance(name, str):
                problems.append('tenant %s has a workspaceName that is %s' % (
                    dashed_id(item['id']), 'null' if name is None else 'a %s, not a string' % type(name).__name__))
                name = str(name) if isinstance(name, (int, float)) and not isinstance(name, bool) else None
                item = dict(item, workspaceName=name)
            sound.append(item)
        if problems:
            self.warn("GLP's tenant list (workspaces/v1/msp-tenants) holds malformed data: %s. An entry without a "
                      'workspace id is left out; a tenant without a usable name keeps its workspace id.'
                      % '; '.join(problems[:10]) + (' (and %d more)' % (len(problems) - 10) if len(problems) > 10 else ''))
        return sound

    def central_tenants(self):
        """Central's tenant summaries by name; entries that are not objects with a string name are left out, warned."""
        sound, problems = [], []
        for item in self.get_all('central_tenants', only_objects=False).items:
            name = item.get('tenantName') if isinstance(item, dict) else None
            if isinstance(name, (int, float)) and not isinstance(name, bool):
                item = dict(item, tenantName=str(name))
            elif not isinstance(name, str):
                problems.append(_sample(item))
                continue
            sound.append(item)
        if problems:
            self.warn("Central's tenant list (network-msp/v1/list-tenants) holds %d entr%s without a tenant name, left "
                      'out (the first: %s); the tenants they describe show as not provisioned in Central.'
                      % (len(problems), 'y' if len(problems) == 1 else 'ies', problems[0]))
        return sound

    def resolve_tenant(self, name=None, workspace_id=None):
        """``{'name', 'workspace_id'}`` for a tenant given by name (looked up in GLP) or by workspace id.

        A workspace id is taken as given (the exchange proves it); its name is then None."""
        if workspace_id:
            return {'name': None, 'workspace_id': dashed_id(workspace_id, 'tenant_workspace_id')}
        if not name:
            raise TenantError('Choose a tenant: set tenant (its name) or tenant_workspace_id.')
        if name not in self._tenants_by_name:
            self._tenants_by_name[name] = self.glp_tenants(name)
        return self._one_tenant(name, self._tenants_by_name[name])

    def _one_tenant(self, name, matches, everyone=None):
        if len(matches) == 1:
            return {'name': matches[0]['workspaceName'], 'workspace_id': dashed_id(matches[0]['id'])}
        if matches:
            ids = sorted(dashed_id(item['id']) for item in matches)
            raise TenantError('Tenant name %r is ambiguous: %d tenant workspaces have it (%s). Use '
                              'tenant_workspace_id to pick one.' % (name, len(ids), ', '.join(ids)), ids)
        if everyone is None:
            everyone = self.glp_tenants()
        if not everyone:
            raise TenantError('No tenant named %r: the MSP workspace %s returned no tenants at all. Is workspace_id '
                              "the MSP workspace and not a tenant's?" % (name, dashed_id(self.settings.workspace_id)))
        # No exact match: the same name in another case is taken when only one tenant has it.
        folded = [item for item in everyone if str(item.get('workspaceName') or '').casefold() == str(name).casefold()]
        if folded:
            return self._one_tenant(name, folded, everyone)
        names = sorted({item.get('workspaceName') or '' for item in everyone})
        close = difflib.get_close_matches(name, names, n=5, cutoff=0.4)
        close += [other for other in names if name.lower() in other.lower() and other not in close][:5 - len(close)]
        raise TenantError('No tenant named %r in MSP workspace %s.%s Names match exactly, or in any case when '
                          'only one tenant has the name; msp_tenant_info lists them all.' % (
                              name, dashed_id(self.settings.workspace_id),
                              ' Closest names: %s.' % ', '.join(repr(n) for n in close) if close else ''), close)

    def resolve_tenants(self, names_or_ids=None, everyone=False):
        """Tenants for a list of names and/or workspace ids, or all of them (one GLP listing)."""
        tenants = self.glp_tenants()
        if everyone:
            return [{'name': item['workspaceName'], 'workspace_id': dashed_id(item['id'])} for item in tenants]
        by_id = {compact_id(item['id']): item for item in tenants}
        chosen = []
        for wanted in names_or_ids or []:
            if is_workspace_id(wanted):
                item = by_id.get(compact_id(wanted))
                if item is None:
                    raise TenantError('Tenant workspace id %s is not a tenant of MSP workspace %s; msp_tenant_info '
                                      'lists them.' % (dashed_id(wanted), dashed_id(self.settings.workspace_id)))
                matches = [item]
            else:
                matches = [item for item in tenants if item.get('workspaceName') == wanted]
            tenant = self._one_tenant(wanted, matches, tenants)
            if tenant not in chosen:
                chosen.append(tenant)
        return chosen

    def tenant_overview(self, with_central=True, name=None, workspace_id=None):
        """Every tenant from GLP, joined by name with Central's list-tenants summary.

        Returns ``(tenants, central_error)``: when Central fails the GLP data still comes back and
        central_error says why. ``name`` may be a glob; ``workspace_id`` dashed or not."""
        glp = self.glp_tenants(name if name and not _is_glob(name) else None)
        # Names GLP gives to more than one workspace (it allows that): counted before any narrowing.
        glp_names = Counter(item.get('workspaceName') for item in glp)
        if name and _is_glob(name):
            glp = [item for item in glp if fnmatch.fnmatchcase(item.get('workspaceName') or '', name)]
        if workspace_id:
            glp = [item for item in glp if compact_id(item['id']) == compact_id(workspace_id, 'workspace_id filter')]
        central, central_error = {}, None
        if with_central and glp:
            try:
                for item in self.central_tenants():
                    central.setdefault(item.get('tenantName'), []).append(item)
            except CentralMspError as exc:
                central_error = exc
        ambiguous = sorted({item.get('workspaceName') for item in glp
                            if glp_names[item.get('workspaceName')] > 1 or len(central.get(item.get('workspaceName'), ())) > 1},
                           key=str)
        if with_central and central_error is None and ambiguous:
            # Joining by a shared name could show one customer another's figures: leave them out instead.
            self.warn('Tenant name%s %s belong%s to more than one tenant, so Central\'s summary (sites, device health, '
                      'alerts) cannot be matched to the right one by name and is left empty for them '
                      '(central_provisioned: null); tenant-level reads still enter each tenant by its own workspace id.'
                      % ('s' if len(ambiguous) > 1 else '', ', '.join(repr(n) for n in ambiguous),
                         '' if len(ambiguous) > 1 else 's'))
        problems = []
        tenants = []
        for item in glp:
            known = with_central and central_error is None and item.get('workspaceName') not in ambiguous
            matches = central.get(item.get('workspaceName')) if known else None
            tenants.append(tenant_record(item, matches[0] if matches else None, known, problems))
        if problems:
            self.warn("Central's tenant summaries hold values of the wrong type, shown as null: %s."
                      % '; '.join(problems[:10]))
        tenants.sort(key=lambda tenant: ((tenant['name'] or '').casefold(), tenant['workspace_id']))
        return tenants, central_error

    def not_in_central(self, workspace_ids):
        """Those of these tenant workspace ids that Central's tenant list does not have (GreenLake-only
        tenants); empty when that list cannot be read, since then nothing is known."""
        records, central_error = self.tenant_overview()
        if central_error is not None:
            return set()
        wanted = {dashed_id(workspace_id) for workspace_id in workspace_ids}
        return {record['workspace_id'] for record in records
                if record['workspace_id'] in wanted and record['central_provisioned'] is False}

    def for_each_tenant(self, tenants, work, concurrency=8):
        """Run ``work(tenant)`` for each tenant, ``concurrency`` at a time; one tenant's failure hides no other's.

        Returns one dict per tenant, in order: name, workspace_id, failed, msg, result (and the exception as
        ``error`` for a failed one: not for results, it is for the caller to inspect)."""
        def run(tenant):
            entry = {'name': tenant['name'], 'workspace_id': tenant['workspace_id'], 'failed': False, 'msg': ''}
            try:
                entry['result'] = work(tenant)
            except CentralMspError as exc:
                entry.update(failed=True, msg=str(exc), result=None, error=exc)
            except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
                # Data of a shape nobody expected: that tenant's failure, not everyone's.
                entry.update(failed=True, result=None, msg='the API returned data of an unexpected shape (%s: %s)'
                             % (type(exc).__name__, self.http.redact(str(exc))[:300]))
            return entry

        tenants = list(tenants)
        workers = max(1, min(int(concurrency), 64, len(tenants)))
        if workers == 1:  # one tenant (a tenant host's task) or concurrency 1: no thread to start
            return [run(tenant) for tenant in tenants]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(run, tenants))


def _expires_in(call, status, value):
    """Seconds a token lives, from expires_in (900 when absent); an error when the value is absurd."""
    if value in (None, ''):
        return 900.0
    try:
        seconds = float(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        seconds = None
    if seconds is None or not math.isfinite(seconds) or seconds <= 0 or seconds > MAX_EXPIRES_IN:
        raise ApiError(call, status, message='the token response has an unusable expires_in (%s); expected a number '
                       'of seconds between 1 and %d' % (str(value)[:40] if isinstance(value, (int, float)) else
                                                        type(value).__name__, MAX_EXPIRES_IN))
    return min(seconds, float(KEPT_EXPIRES_IN))


def _is_glob(pattern):
    return any(char in pattern for char in '*?[')


def tenant_record(glp, central, central_known, problems=None):
    """One tenant, the way modules and the inventory present it. A Central value of the wrong type is null, and
    said in ``problems``."""
    record = {
        'name': glp.get('workspaceName'),
        'workspace_id': dashed_id(glp['id']),
        'inventory_ownership': glp.get('inventoryOwnership'),
        'created_at': glp.get('createdAt'),
        'updated_at': glp.get('updatedAt'),
        # None when Central was not asked or did not answer: unknown, not "not provisioned".
        'central_provisioned': (central is not None) if central_known else None,
        'central_tenant_id': None,
        'sites_total': None,
        'sites_degraded': None,
        'device_health': None,
        'alerts': None,
        'last_updated': None,
    }
    if central:
        wrong = []

        def count(container, key, default=None):
            value = container.get(key, default)
            if value is None or (isinstance(value, int) and not isinstance(value, bool)):
                return value
            wrong.append('%s: %s' % (key, _sample(value)))
            return None

        def group(key, names):
            value = central.get(key) or {}
            if not isinstance(value, dict):
                wrong.append('%s: %s' % (key, _sample(value)))
                return None
            return {name: count(value, name, 0) for name in names}

        record.update({
            'central_tenant_id': central.get('tenantId'),
            'sites_total': count(central, 'totalSites'),
            'sites_degraded': count(central, 'degradedSites'),
            'device_health': group('deviceHealthStatus', ('total', 'good', 'fair', 'poor')),
            'alerts': group('alerts', ('total', 'critical', 'major', 'minor')),
            'last_updated': epoch_to_iso(central.get('lastUpdatedTime')),
        })
        if wrong and problems is not None:
            problems.append('%s (%s): %s' % (record['name'], record['workspace_id'], ', '.join(wrong)))
    return record


def epoch_to_iso(value):
    """list-tenants' lastUpdatedTime (epoch seconds) as an ISO 8601 UTC time; anything else as it came."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
        except (OverflowError, OSError, ValueError):
            return None
    return value


def _sample(value):
    """A short, printable picture of a bad value for a message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + '...'
