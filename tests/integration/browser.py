"""Headless Chromium driven over the DevTools protocol, for the HTML report tests.

Opens a page, records console errors, uncaught exceptions and every network request, and runs JavaScript in
the page. Only what the report tests need; `find_chromium()` is None where no browser is installed."""

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

import websocket

CANDIDATES = ('chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome')
FLAGS = ('--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
         '--disable-sync', '--no-first-run', '--no-default-browser-check', '--hide-scrollbars', '--mute-audio',
         '--remote-debugging-port=0', '--remote-allow-origins=*')


def find_chromium():
    """The browser binary: $CHROMIUM if set, else the first candidate on PATH."""
    wanted = os.environ.get('CHROMIUM')
    if wanted:
        return shutil.which(wanted)
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    def __init__(self, binary, window=(1400, 1000), timeout=30):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix='central-msp-chromium-')
        self.process = subprocess.Popen(
            [binary, *FLAGS, '--user-data-dir=' + self.profile, '--window-size=%d,%d' % window, 'about:blank'],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.events = []
        self._id = 0
        try:
            self.socket = websocket.create_connection(self._page_socket(), timeout=timeout, suppress_origin=True)
            for domain in ('Page', 'Runtime', 'Log', 'Network'):
                self.send(domain + '.enable')
        except Exception:
            self.close()
            raise

    def _page_socket(self):
        """Chromium writes its DevTools port to DevToolsActivePort in the profile once it listens."""
        port_file = os.path.join(self.profile, 'DevToolsActivePort')
        deadline = time.monotonic() + self.timeout
        while True:
            if os.path.exists(port_file):
                with open(port_file, encoding='ascii') as handle:
                    lines = handle.read().split()
                port = lines[0] if lines and lines[0].isdigit() else None
                if port:
                    with urllib.request.urlopen('http://127.0.0.1:%s/json/list' % port, timeout=5) as answer:
                        pages = [t for t in json.load(answer) if t.get('type') == 'page']
                    if pages:
                        return pages[0]['webSocketDebuggerUrl']
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError('Chromium did not open its DevTools port (exit %s)' % self.process.poll())
            time.sleep(0.05)

    def send(self, method, **params):
        """Send one command and return its result; events that arrive meanwhile are kept in self.events."""
        self._id += 1
        self.socket.send(json.dumps({'id': self._id, 'method': method, 'params': params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get('id') == self._id:
                if 'error' in message:
                    raise RuntimeError('%s: %s' % (method, message['error']))
                return message.get('result', {})
            self.events.append(message)

    def wait_for(self, method):
        deadline = time.monotonic() + self.timeout
        while not any(event.get('method') == method for event in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError('no %s event' % method)
            self.events.append(json.loads(self.socket.recv()))

    def open(self, url):
        self.events.clear()
        self.send('Page.navigate', url=url)
        self.wait_for('Page.loadEventFired')
        # The index draws its tenant table once its compressed rows are decoded, just after the load event.
        self.js('window.centralMspReady || null')
        return self

    def js(self, expression):
        """The value of a JavaScript expression in the page (JSON-able values only)."""
        result = self.send('Runtime.evaluate', expression=expression, returnByValue=True, awaitPromise=True)
        if 'exceptionDetails' in result:
            raise RuntimeError('JavaScript failed: %s' % json.dumps(result['exceptionDetails'])[:2000])
        return result['result'].get('value')

    def errors(self):
        """Console errors, failed assertions, uncaught exceptions and error log entries (CSP violations too)."""
        found = []
        for event in self.events:
            method, params = event.get('method'), event.get('params', {})
            if method == 'Runtime.exceptionThrown':
                found.append(params['exceptionDetails'].get('exception', {}).get('description')
                             or params['exceptionDetails'].get('text'))
            elif method == 'Runtime.consoleAPICalled' and params.get('type') in ('error', 'assert'):
                found.append(' '.join(str(arg.get('value', arg.get('description'))) for arg in params.get('args', [])))
            elif method == 'Log.entryAdded' and params['entry'].get('level') == 'error':
                found.append(params['entry'].get('text'))
        return found

    def requests(self):
        return [event['params']['request']['url'] for event in self.events
                if event.get('method') == 'Network.requestWillBeSent']

    def screenshot(self, path):
        data = self.send('Page.captureScreenshot', format='png')['data']
        with open(path, 'wb') as handle:
            handle.write(base64.b64decode(data))

    def close(self):
        try:
            if getattr(self, 'socket', None) is not None:
                self.socket.close()
        finally:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
