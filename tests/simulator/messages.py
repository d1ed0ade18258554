"""Requests and responses as the simulator's logic sees them, and the two error body styles."""
import json
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote

GLP_ERROR_CODES = {
    400: 'HPE_GL_ERROR_BAD_REQUEST', 401: 'HPE_GL_ERROR_UNAUTHORIZED', 403: 'HPE_GL_ERROR_FORBIDDEN',
    404: 'HPE_GL_ERROR_NOT_FOUND', 405: 'HPE_GL_ERROR_METHOD_NOT_ALLOWED', 409: 'HPE_GL_ERROR_CONFLICT', 411: 'HPE_GL_ERROR_LENGTH_REQUIRED',
    429: 'HPE_GL_ERROR_TOO_MANY_REQUESTS', 500: 'HPE_GL_ERROR_INTERNAL_SERVER_ERROR', 502: 'HPE_GL_ERROR_BAD_GATEWAY',
    503: 'HPE_GL_ERROR_SERVICE_UNAVAILABLE', 504: 'HPE_GL_ERROR_GATEWAY_TIMEOUT',
}
HTML_PAGE = '<html><head><title>{status}</title></head><body><center><h1>{status}</h1></center><hr><center>cdn</center></body></html>'


@dataclass
class Request:
    method: str
    path: str                   # without the query string
    query: str
    headers: dict               # header names lower-cased
    body: bytes = b''
    client_ip: str = '127.0.0.1'
    origin: str = 'glp'         # which origin (listener) it came to: 'glp' or 'central'

    def params(self):
        """Query parameters; a repeated one keeps its last value."""
        return dict(parse_qsl(self.query, keep_blank_values=True))


@dataclass
class Response:
    status: int
    body: bytes = b''
    content_type: str = 'application/json'
    headers: dict = field(default_factory=dict)
    reset_connection: bool = False      # drop the connection with a TCP reset instead of answering
    fault: bool = False                 # an injected fault answered this request
    drip_ms: int = 0                    # send the body a byte at a time, this many ms apart (a broken server)


def json_response(status, data, headers=None):
    return Response(status, json.dumps(data, ensure_ascii=False, separators=(',', ':')).encode('utf-8'),
                    headers=dict(headers or {}))


def glp_error(status, message, headers=None, error_code=None, **details):
    """The error body GLP and New Central share: httpStatusCode, errorCode, message, debugId (+ details)."""
    body = {'httpStatusCode': status, 'errorCode': error_code or GLP_ERROR_CODES.get(status, f'HPE_GL_ERROR_{status}'),
            'message': message, 'debugId': uuid.uuid4().hex}
    body.update(details)
    return json_response(status, body, headers)


def bad_request(message, source='query', subject=None):
    """GLP's 400: the shared body plus errorDetails naming the part of the request at fault."""
    issue = {'source': source, 'description': message}
    if subject:
        issue['subject'] = subject
    return glp_error(400, message, errorDetails=[{'type': 'hpe.greenlake.bad_request', 'issues': [issue]}])


def oauth_error(status, error, description, headers=None):
    """An RFC 6749 section 5.2 error from the token endpoint."""
    headers = dict(headers or {})
    headers.update({'Cache-Control': 'no-store', 'Pragma': 'no-cache'})
    return json_response(status, {'error': error, 'error_description': description}, headers)


def echo_response(status, req, headers=None):
    """What a WAF, proxy or issuer that echoes the request sends: its Authorization header and body, as is in the
    message, JSON-escaped (\\uXXXX) beside it and in the Location, Link and X-Debug-Echo headers."""
    auth = req.headers.get('authorization', '')
    body = req.body.decode('utf-8', 'replace')
    message = f'Request rejected: {req.method} {req.path} authorization={auth} body={body}'
    escaped = ''.join('\\u%04x' % ord(char) for char in auth + ' ' + body)
    text = ('{"httpStatusCode":%d,"errorCode":"%s","message":%s,"echo":"%s","debugId":"%s"}'
            % (status, GLP_ERROR_CODES.get(status, f'HPE_GL_ERROR_{status}'), json.dumps(message), escaped, uuid.uuid4().hex))
    quoted = quote(auth + '|' + body, safe='')
    headers = dict(headers or {}, **{'X-Debug-Echo': auth, 'Location': f'/echo?request={quoted}',
                                     'Link': f'</echo?request={quoted}>; rel="debug"'})
    return Response(status, text.encode('utf-8'), 'application/json', headers, fault=True)


def canned_response(status, body_kind, headers=None, req=None, payload=None):
    """An injected failure: a GLP-style JSON error, a CDN-style HTML page, an empty body, an echo of the request
    or a given JSON payload."""
    if body_kind == 'echo':
        return echo_response(status, req, headers)
    if body_kind == 'custom':
        response = json_response(status, payload, headers)
        response.fault = True
        return response
    if body_kind == 'html':
        page = HTML_PAGE.format(status=f'{status} Error').encode()
        return Response(status, page, 'text/html', dict(headers or {}), fault=True)
    if body_kind == 'empty':
        return Response(status, b'', '', dict(headers or {}), fault=True)
    response = glp_error(status, f'Injected failure: HTTP {status}', headers)
    response.fault = True
    return response
