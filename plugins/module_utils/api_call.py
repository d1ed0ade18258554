# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Request and result helpers of tenant_api_call and classic_api_call: method, body and header checks, results,
JSON pages."""

from __future__ import annotations

import json

from ansible_collections.central.msp.plugins.module_utils.errors import ApiError, CentralMspError, TaskFailed
from ansible_collections.central.msp.plugins.module_utils.msp_client import safe_api_path

METHODS = ('GET', 'POST', 'PUT', 'PATCH', 'DELETE')
# Response header names that may carry credentials or session state: never returned.
SECRET_HEADER_PARTS = ('auth', 'cookie', 'token', 'secret', 'session', 'key')

# The request options of both modules (each documents them), beside their scope options.
REQUEST_OPTIONS = dict(
    method=dict(type='str', default='GET'),
    path=dict(type='str', required=True),
    params=dict(type='dict'),
    body=dict(type='raw'),
    headers=dict(type='dict'),
    status_code=dict(type='list', elements='int', default=[200, 201, 202, 204]),
    paginate=dict(type='bool', default=False),
)


def checked_method(value):
    method = str(value or '').strip().upper()
    if method not in METHODS:
        raise CentralMspError('method %r is not supported; use one of %s.' % (value, ', '.join(METHODS)))
    return method


def json_body(body):
    """The body ready for JSON: a string must hold JSON text, and the whole must be strict JSON."""
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError as exc:
            raise CentralMspError('body is a string that is not JSON (%s); give a dict or a list, or a string '
                                  'of JSON text.' % exc) from None
    try:
        # allow_nan=False: NaN and Infinity are not JSON, and APIs reject them.
        json.dumps(body, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise CentralMspError('body cannot be sent as JSON: %s.' % exc) from None
    return body


def request_headers(task):
    """The task's extra headers (anything with ``params`` and ``warn``: a module or a runner task)."""
    headers = {}
    for name, value in (task.params['headers'] or {}).items():
        if str(name).strip().lower() == 'authorization':
            task.warn('The Authorization header in headers is ignored: the module sends the token itself.')
            continue
        headers[str(name)] = str(value)
    return headers


def safe_headers(headers):
    return {name.lower(): value for name, value in headers.items()
            if not any(part in name.lower() for part in SECRET_HEADER_PARTS)}


def read_body(client, response):
    """``{'json': ...}`` or ``{'content': ...}`` (nothing for an empty body), with any known token masked.

    JSON is masked after decoding: a token escaped in the text (\\u0061...) comes out decoded."""
    if not response.content:
        return {}
    text = response.text
    try:
        return {'json': client.http.redact_data(json.loads(text))}
    except ValueError:
        return {'content': client.http.redact(text)}


def response_result(client, response, body, pages):
    # Header values are masked too: a token can come back in Location, Link or a debug header.
    return dict(body, status=response.status_code, headers=client.http.redact_data(safe_headers(response.headers)),
                pages=pages)


class JsonPages:
    """The pages of a ``paginate`` call: ``send(query) -> response`` (already checked for its status).

    The first page is read once, to tell the paging style, and handed again to the paginator as its first page."""

    def __init__(self, client, call, send):
        self.client = client
        self.call = call
        self.send = send
        self.last = None
        self._pending = []

    def fetch(self, query):
        response = self.send(query)
        self.last = response
        body = read_body(self.client, response)
        if 'json' not in body:
            raise ApiError(self.call, response.status_code, message='paginate needs JSON pages, got %s' % (
                response.headers.get('Content-Type') or 'an empty body'))
        return body['json']

    def first(self, query):
        self._pending = [self.fetch(query)]
        return self._pending[0]

    def next_page(self, query):
        return self._pending.pop() if self._pending else self.fetch(query)

    def as_is(self, task, body, expected):
        task.warn('paginate: %s did not return a list page (%s); returned the response as is.' % (self.call, expected))
        return response_result(self.client, self.last, {'json': body}, 1)

    def result(self, task, paged):
        for message in paged.warnings:
            task.warn(message)
        every = {'items': paged.items, 'count': len(paged.items), 'total': paged.total}
        return response_result(self.client, self.last, {'json': every}, paged.pages)


class ApiRequest:
    """One tenant_api_call or classic_api_call task: the request checked before anything is sent, then sent once,
    shown in check mode, or paged through.

    A subclass sets ``call`` (the request in words, for messages) and gives ``scope()`` (the result's tenant or
    customer entry), ``send()`` (the one request) and ``every_page()``; ``preview()`` is what check mode adds."""

    def __init__(self, task, headers):
        params = task.params
        self.task = task
        self.method = checked_method(params['method'])
        self.path = safe_api_path(params['path'])
        self.body = json_body(params['body']) if params['body'] is not None else None
        self.headers = headers
        self.params = dict(params['params'] or {})
        self.expected = tuple(params['status_code'])
        if params['paginate'] and self.method != 'GET':
            raise CentralMspError('paginate applies to GET list endpoints only, not to %s.' % self.method)
        self.client = task.client
        self.call = None

    def preview(self):
        return {}

    def run(self):
        result = dict(self.scope(), changed=self.method != 'GET')
        if self.task.check_mode and self.method != 'GET':
            return dict(result, msg='Check mode: %s not sent.' % self.call, **self.preview())
        if self.task.params['paginate']:
            return dict(result, **self.every_page())
        response = self.send()
        result.update(response_result(self.client, response, read_body(self.client, response), 1))
        if response.status_code not in self.expected:
            error = self.client.error(self.call, response)
            # The response is part of the answer: a playbook may want the API's error body.
            raise TaskFailed(str(error), dict(result, changed=False, **error.to_result()))
        return result
