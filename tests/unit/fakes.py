"""A scripted stand-in for requests.Session, for unit tests below the HTTP layer."""

import io
import json

import requests


def response(status=200, body=None, headers=None, raw=None):
    resp = requests.Response()
    resp.status_code = status
    if raw is not None:
        resp._content = raw.encode() if isinstance(raw, str) else raw
    elif body is not None:
        resp._content = json.dumps(body).encode()
        resp.headers['Content-Type'] = 'application/json'
    else:
        resp._content = b''
    resp.headers.update(headers or {})
    resp.raw = io.BytesIO(resp._content)
    return resp


class ScriptedSession:
    """Answers each request with the next scripted item: a Response, an exception, or a callable(request)."""

    def __init__(self, *script):
        self.script = list(script)
        self.sent = []
        self.verify = True

    def request(self, method, url, **kwargs):
        self.sent.append(dict(kwargs, method=method, url=url))
        item = self.script.pop(0)
        if isinstance(item, Exception):
            raise item
        return item(self.sent[-1]) if callable(item) else item
