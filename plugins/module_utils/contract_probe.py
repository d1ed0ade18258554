# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The live-contract probe: one page of every endpoint of contract.ENDPOINTS, checked against the contract.

Each page is read through the one connection layer (MspClient: tokens, the exchange into one tenant, retries) and
checked with contract.check (required keys, types, enums, lengths, formats, patterns, ranges), contract.check_paging
and contract.check_rate_limit_headers. What the probe keeps of a page is its shape, never its data: the fields seen
with their JSON types, the enum values seen, the longest string of each field against its limit, how many values
conform to each format or pattern, the paging numbers. Messages name a wrong value only when it is a short word of
an enum field (API vocabulary, not customer data); any other value is described by its type and length. So the
report can be attached to a bug report: it holds no name, id, serial number, MAC address, free text, token or
secret (every known secret and token is masked again on top, by the client's redaction).
"""

from __future__ import annotations

import datetime
import json
import os
import re
import tempfile

from ansible_collections.central.msp.plugins.module_utils import classic, contract
from ansible_collections.central.msp.plugins.module_utils.errors import (
    ApiError, AuthError, CentralMspError, ConfigError, TaskFailed)
from ansible_collections.central.msp.plugins.module_utils.settings import dashed_id

REPORT_FORMAT = 'central.msp contract probe'
REPORT_VERSION = 1
# The scopes an endpoint is read in: 'any' endpoints answer both tokens, so both answers are checked.
SCOPES = {'msp': ('msp',), 'tenant': ('tenant',), 'any': ('msp', 'tenant')}
# A value shown in a message or counted by name: a short word, as enum values are.
WORD = re.compile(r'[A-Za-z0-9][A-Za-z0-9 _.-]{0,39}\Z')
# A key reported by name when the contract does not list it: an identifier, as API field names are.
FIELD_NAME = re.compile(r'[A-Za-z_][A-Za-z0-9_-]{0,63}\Z')
# Mismatch messages kept per endpoint (all are counted): a page of 1,000 items with one wrong field is 1,000.
KEPT_MISMATCHES = 100
# Problems named in the task's msg; all are in RV(mismatches), RV(failed_endpoints) and the report.
MSG_PROBLEMS = 5
OTHER_VALUE = '(other value)'


def probe_plan(endpoints=None):
    """``[(endpoint, scope)]``: every endpoint of the contract, in each scope it answers."""
    endpoints = contract.ENDPOINTS if endpoints is None else endpoints
    return [(endpoint, scope) for endpoint in endpoints.values() for scope in SCOPES[endpoint.scope]]


def label(endpoint, scope):
    """How messages name an endpoint: its method and path, and the scope when it is read in both."""
    text = 'GET /%s' % endpoint.path
    if len(SCOPES[endpoint.scope]) > 1:
        text += ' (%s scope)' % ('MSP' if scope == 'msp' else 'tenant')
    return text


def first_page_query(endpoint, limit=None):
    """The query of an endpoint's first page: its largest page (or ``limit``), its first cursor or offset 0."""
    query = {'limit': max(endpoint.min_limit, min(int(limit or endpoint.max_limit), endpoint.max_limit))}
    if endpoint.paging == 'offset':
        query['offset'] = 0
    elif endpoint.first_cursor is not None:
        query['next'] = endpoint.first_cursor
    return query


def json_type(value):
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'boolean'
    if isinstance(value, int):
        return 'integer'
    if isinstance(value, float):
        return 'number'
    if isinstance(value, str):
        return 'string'
    return 'array' if isinstance(value, list) else 'object' if isinstance(value, dict) else type(value).__name__


def described(schema, value):
    """A wrong value as a message may show it: a short word of an enum field as it is, a number of a bounded field
    (a count, an uptime), anything else by its type and size only."""
    if isinstance(value, str):
        if schema.get('enum') and WORD.match(value):
            return repr(value)
        return 'a string of %d character%s' % (len(value), '' if len(value) == 1 else 's')
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        bounded = schema.get('minimum') is not None or schema.get('maximum') is not None
        return repr(value) if bounded else 'a number'
    if isinstance(value, bool):
        return 'true' if value else 'false'
    kind = json_type(value)
    return ('an %s' if kind in ('object', 'array') else 'a %s') % kind


class Shapes:
    """What the values of a page look like, per field path (``items[].status``), without the values."""

    def __init__(self):
        self.fields = {}

    def _field(self, path):
        return self.fields.setdefault(path, {'types': set(), 'present': 0})

    def add(self, schema, value, path):
        entry = self._field(path) if path else {'present': 0, 'types': set()}  # the body itself: not a field
        entry['present'] += 1
        entry['types'].add(json_type(value))
        if schema is None or value is None:
            return  # a key the contract does not list: its type only, nothing inside it
        if isinstance(value, str):
            self._string(entry, schema, value)
        elif isinstance(value, dict) and schema['type'] == 'object':
            self._object(entry, schema, value, path)
        elif isinstance(value, list) and schema['type'] == 'array':
            entry['longest'] = max(entry.get('longest', 0), len(value))
            for item in value:
                self.add(schema['items'], item, path + '[]')
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and schema['type'] in ('integer', 'number'):
            if schema.get('minimum') is not None or schema.get('maximum') is not None:
                inside = contract.conforms(dict(schema, nullable=False), value)
                entry.setdefault('range', {'minimum': schema.get('minimum'), 'maximum': schema.get('maximum'),
                                           'within': 0, 'outside': 0})['within' if inside else 'outside'] += 1

    def _string(self, entry, schema, value):
        if schema['type'] != 'string':
            return
        entry['longest'] = max(entry.get('longest', 0), len(value))
        if schema.get('max_length') is not None:
            entry['max_length'] = schema['max_length']
        if schema.get('enum'):
            seen = entry.setdefault('enum_seen', {})
            name = value if WORD.match(value) else OTHER_VALUE
            seen[name] = seen.get(name, 0) + 1
            entry['enum'] = list(schema['enum'])
        for kind, name, ok in (('format', schema.get('format'), schema.get('format') and contract.FORMATS[
                schema['format']](value) is not None),
                ('pattern', schema.get('pattern'), schema.get('pattern') and re.search(schema['pattern'], value))):
            if name:
                counts = entry.setdefault(kind, {'name': name, 'conforming': 0, 'not_conforming': 0})
                counts['conforming' if ok else 'not_conforming'] += 1

    def _object(self, entry, schema, value, path):
        known = schema['properties']
        if not known:
            # A free-form object (GLP tags, audit additionalInfo): its keys are the customer's, never named.
            entry['keys'] = max(entry.get('keys', 0), len(value))
            return
        prefix = path + '.' if path else ''
        for key, item in value.items():
            if key in known:
                self.add(known[key], item, prefix + key)
            elif isinstance(key, str) and FIELD_NAME.match(key):
                self.add(None, item, prefix + key)
                self.fields[prefix + key]['unlisted'] = True
            else:
                entry['unnamed_keys'] = entry.get('unnamed_keys', 0) + 1
        for key, sub in known.items():
            if sub.get('required') and key not in value:
                missing = self._field(prefix + key)
                missing['missing'] = missing.get('missing', 0) + 1

    def report(self):
        fields = {}
        for path in sorted(self.fields):
            entry = dict(self.fields[path])
            entry['types'] = sorted(entry['types'])
            fields[path] = entry
        return fields


def _word(value):
    return value if isinstance(value, str) and WORD.match(value) else None


def _failure(exc):
    """An endpoint's error as the report may keep it: the HTTP status, a word of an errorCode, what kind of
    failure; never the message (it names the call, so the tenant, and may echo what the server sent)."""
    status = getattr(exc, 'status', None)
    code = _word(getattr(exc, 'error_code', None))
    if isinstance(exc, AuthError):
        reason = 'the token %s failed' % ('exchange into the tenant' if 'exchange' in exc.call else 'request')
    elif isinstance(exc, ApiError) and status is None:
        reason = 'no answer (timed out, or the connection failed)'
    elif isinstance(exc, ApiError):
        reason = 'the API answered with an error'
    elif isinstance(exc, ConfigError):
        reason = str(exc)  # the connection's own settings (no Central gateway, say), never the API's data
    else:
        reason = 'the request could not be made (%s)' % type(exc).__name__
    text = reason + (': HTTP %s' % status if status is not None else '') + (' %s' % code if code else '')
    return {'status': status, 'error_code': code, 'reason': text}


def inspect_page(endpoint, scope, status, headers, body, query):
    """The report entry of one answered page (its status, headers and decoded body, or None when not JSON)."""
    entry = base_entry(endpoint, scope)
    entry.update(status=status, limit=query['limit'])
    problems = []
    if body is None:
        problems.append('the body is not JSON')
    else:
        shapes = Shapes()
        shapes.add(endpoint.page, body, '')
        entry['fields'] = shapes.report()
        problems += [_unprefixed(text) for text in contract.check(endpoint.page, body, 'body', described)]
        problems += contract.check_paging(endpoint, body, query['limit'], query.get('offset', 0))
        items = body.get('items') if isinstance(body, dict) else None
        entry['items'] = len(items) if isinstance(items, list) else None
        entry['page'] = {key: _page_value(body, key) for key in endpoint.page['properties'] if key != 'items'}
    sent, header_problems = contract.check_rate_limit_headers(endpoint.app, headers, described)
    entry['rate_limit_headers'] = {name: 'sent' if was_sent else 'absent' for name, was_sent in sent.items()}
    problems += header_problems
    entry['mismatch_count'] = len(problems)
    entry['mismatches'] = problems[:KEPT_MISMATCHES]
    entry['result'] = 'mismatch' if problems else 'ok'
    return entry


def _unprefixed(text):
    return text[len('body.'):] if text.startswith('body.') else text


def _page_value(body, key):
    """A paging field as the report keeps it: numbers and booleans as they are, a cursor only as its type."""
    if not isinstance(body, dict) or key not in body:
        return 'absent'
    value = body[key]
    if isinstance(value, (bool, int)) and not isinstance(value, float):
        return value
    return json_type(value)


def base_entry(endpoint, scope):
    return {'endpoint': endpoint.name, 'label': label(endpoint, scope), 'method': 'GET', 'app': endpoint.app,
            'path': endpoint.path, 'scope': scope, 'paging': endpoint.paging, 'status': None, 'items': None,
            'result': None, 'mismatch_count': 0, 'mismatches': []}


def read_page(client, endpoint, scope, tenant_id, limit=None):
    """``(entry, body)``: one page of the endpoint in that scope, inspected; a failed read is an entry with its
    error and a None body."""
    query = first_page_query(endpoint, limit)
    try:
        response = client.request(endpoint.app, 'GET', endpoint.path, tenant_id if scope == 'tenant' else None,
                                  params=query)
        if response.status_code != 200:
            raise client.error(client.describe('GET', endpoint.app, endpoint.path, tenant_id), response,
                               central_tenant=endpoint.app == 'central' and scope == 'tenant')
    except CentralMspError as exc:
        entry = base_entry(endpoint, scope)
        failure = _failure(exc)
        entry.update(status=failure['status'], result='failed', error=failure, limit=query['limit'])
        return entry, None
    try:
        body = response.json()
    except ValueError:
        body = None
    return inspect_page(endpoint, scope, response.status_code, response.headers, body, query), body


def skipped_entry(endpoint, scope, reason):
    entry = base_entry(endpoint, scope)
    entry.update(result='skipped', skipped=reason)
    return entry


def classic_entries():
    """Classic Central's endpoints, skipped: the collection models their paths and item keys only
    (classic.ENDPOINTS), with no item schema to check a page against."""
    return [{'endpoint': 'classic_%s' % name, 'label': 'GET /%s (Classic)' % endpoint.path, 'method': 'GET',
             'app': 'classic', 'path': endpoint.path, 'scope': 'msp', 'result': 'skipped',
             'skipped': 'Classic Central is not modelled in contract.py (no item schemas to check against)'}
            for name, endpoint in sorted(classic.ENDPOINTS.items())]


def choose_tenant(client, params, glp_page, central_page):
    """``(workspace id or None, how it was chosen)``. By option; else the first tenant GLP's first page lists that
    Central's lists too (by name, as msp_tenant_info joins them), else GLP's first."""
    if params.get('tenant') or params.get('tenant_workspace_id'):
        tenant = client.resolve_tenant(params.get('tenant'), params.get('tenant_workspace_id'))
        return tenant['workspace_id'], 'tenant' if params.get('tenant') else 'tenant_workspace_id'
    listed = [item for item in (glp_page or {}).get('items') or [] if isinstance(item, dict) and item.get('id')]
    if not listed:
        return None, None
    in_central = {item.get('tenantName') for item in (central_page or {}).get('items') or [] if isinstance(item, dict)}
    for item in listed:
        if item.get('workspaceName') in in_central:
            return dashed_id(item['id']), 'first listed in GLP and Central'
    return dashed_id(listed[0]['id']), 'first listed in GLP'


def probe(client, params):
    """The report of one probe: every endpoint of the plan, then Classic's, skipped."""
    plan = probe_plan()
    entries, bodies = {}, {}
    for endpoint, scope in plan:  # the MSP scope first: its tenant listings choose the tenant
        if scope == 'msp':
            entries[(endpoint.name, scope)], bodies[endpoint.name] = read_page(client, endpoint, scope, None,
                                                                               params.get('limit'))
    tenant_id, chosen_by, tenant_problem = None, None, None
    try:
        tenant_id, chosen_by = choose_tenant(client, params, bodies.get('msp_tenants'), bodies.get('central_tenants'))
    except CentralMspError as exc:
        tenant_problem = 'the tenant given could not be found (%s)' % type(exc).__name__
    if tenant_id is None and tenant_problem is None:
        tenant_problem = 'the MSP workspace lists no tenant to enter'
    for endpoint, scope in plan:
        if scope == 'tenant':
            if tenant_id is None:
                entries[(endpoint.name, scope)] = skipped_entry(endpoint, scope, tenant_problem)
            else:
                entries[(endpoint.name, scope)], _body = read_page(client, endpoint, scope, tenant_id,
                                                                   params.get('limit'))
    ordered = [entries[(endpoint.name, scope)] for endpoint, scope in plan] + classic_entries()
    return report_of(ordered, chosen_by, tenant_problem)


def report_of(entries, chosen_by, tenant_problem):
    mismatches = ['%s: %s' % (entry['label'], text) for entry in entries for text in entry.get('mismatches') or []]
    failed = ['%s: %s' % (entry['label'], entry['error']['reason']) for entry in entries if entry['result'] == 'failed']
    # A tenant given by option that cannot be found leaves the tenant endpoints unchecked: that fails too.
    unchecked = ['%s: not probed, %s' % (entry['label'], entry['skipped']) for entry in entries
                 if entry['result'] == 'skipped' and entry['app'] != 'classic']
    counts = {result: sum(1 for entry in entries if entry['result'] == result)
              for result in ('ok', 'mismatch', 'failed', 'skipped')}
    return {
        'format': REPORT_FORMAT, 'version': REPORT_VERSION,
        'generated_at': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
        'tenant': {'chosen_by': chosen_by, 'problem': tenant_problem},
        'summary': dict(counts, endpoints=len(entries),
                        mismatches=sum(entry.get('mismatch_count', 0) for entry in entries)),
        'endpoints': entries,
        'mismatches': mismatches,
        'failed_endpoints': failed + unchecked,
    }


def write_report(path, report):
    """The report as JSON at ``path``, atomically (a reader never sees half a file), mode 0600."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, mode=0o700, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix='.%s.' % os.path.basename(path), dir=directory)
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, 'w', encoding='utf-8') as out:
            json.dump(report, out, indent=2, sort_keys=False)
            out.write('\n')
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def check_output(path):
    """The output path is usable before any request is made: not a directory, its folder a folder."""
    if os.path.isdir(path):
        raise CentralMspError('output %s is a directory; give the path of the report file, such as %s'
                              % (path, os.path.join(path, 'contract_probe.json')))
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise CentralMspError('output %s cannot be written: %s is not a directory' % (path, folder))


def work(task):
    """The module's work: probe, redact, write the report (not in check mode), fail on any problem."""
    params = task.params
    output = os.path.expanduser(params['output']) if params.get('output') else None
    if output:
        check_output(output)
    client = task.client
    # Masked again on top of the shapes: every secret and token the client knows, and the task's no_log values.
    report = task.masked(client.http.redact_data(probe(client, params)))
    written = bool(output) and not task.check_mode
    if written:
        try:
            write_report(output, report)
        except OSError as exc:
            raise CentralMspError('the report could not be written to %s: %s' % (output, exc.strerror or exc)) from None
    result = dict(report, changed=bool(output), output=output, written=written)
    problems = report['mismatches'] + report['failed_endpoints']
    if problems:
        summary, failed = report['summary'], len(report['failed_endpoints'])
        parts = []
        if summary['mismatches']:
            parts.append('%d mismatch%s with the collection\'s contract on %d endpoint%s' % (
                summary['mismatches'], '' if summary['mismatches'] == 1 else 'es', summary['mismatch'],
                '' if summary['mismatch'] == 1 else 's'))
        if failed:
            parts.append('%d endpoint%s could not be probed' % (failed, '' if failed == 1 else 's'))
        message = 'Contract probe: %s. %s' % ('; '.join(parts), '; '.join(problems[:MSG_PROBLEMS]))
        if len(problems) > MSG_PROBLEMS:
            message += '; and %d more (mismatches, failed_endpoints)' % (len(problems) - MSG_PROBLEMS)
        if written:
            message += '. Report: %s' % output
        raise TaskFailed(message, result)
    return result
