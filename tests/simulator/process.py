"""The simulator as a subprocess: Simulator (start, stop, admin API) and start_simulator().

Apart from the pytest fixtures (pytest_plugin.py) so that `make demo` runs it without the test toolchain.
"""
import contextlib
import ctypes
import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

SERVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'server.py')
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PR_SET_PDEATHSIG = 1


def collection_env(info):
    """The collection's environment variables (GLP_*, CENTRAL_*) for a simulator, from its start-up info."""
    env = {'GLP_CLIENT_ID': info['client_id'], 'GLP_CLIENT_SECRET': info['client_secret'],
           'GLP_WORKSPACE_ID': info['workspace_id'], 'GLP_AUTH_URL': info['auth_url'],
           'GLP_BASE_URL': info['glp_base_url'], 'CENTRAL_BASE_URL': info['central_base_url']}
    if info['ca_file']:
        env['CENTRAL_CA_PATH'] = info['ca_file']
    return env


def exit_with_parent():
    """In the child, before exec: on Linux, get SIGTERM when the test process dies, so no server outlives it."""
    if sys.platform.startswith('linux'):
        try:
            ctypes.CDLL('libc.so.6', use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except OSError:
            pass


class Simulator:
    """One simulator process. Arguments are server.py's command-line options."""

    def __init__(self, *args, startup_timeout=30):
        self.args = [str(a) for a in args]
        self.startup_timeout = startup_timeout
        self.info = None
        self.url = None
        self.process = None
        self._tmp = None
        self._ssl = None

    def start(self):
        self._tmp = tempfile.mkdtemp(prefix='central-msp-sim-')
        info_file = os.path.join(self._tmp, 'info.json')
        with open(os.path.join(self._tmp, 'stderr.log'), 'wb') as stderr:
            self.process = subprocess.Popen([sys.executable, SERVER, *self.args, '--info-file', info_file], cwd=ROOT,
                                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
                                            preexec_fn=exit_with_parent)
        deadline = time.monotonic() + self.startup_timeout
        while not os.path.exists(info_file):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f'simulator {" ".join(self.args)} did not start:\n{self.stderr()}')
            time.sleep(0.02)
        with open(info_file) as handle:
            self.info = json.load(handle)
        self.url = self.info['admin_url'].rsplit('/_sim', 1)[0]
        if self.info['ca_file']:
            self._ssl = ssl.create_default_context(cafile=self.info['ca_file'])
        return self

    @property
    def port(self):
        return int(self.url.rsplit(':', 1)[1])

    def stderr(self):
        try:
            with open(os.path.join(self._tmp, 'stderr.log'), errors='replace') as handle:
                return handle.read()
        except (OSError, TypeError):
            return ''

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self):
        return self.start() if self.process is None else self

    def __exit__(self, *exc):
        self.stop()

    # --- admin API ---------------------------------------------------------------------------------------

    def admin(self, method, path, body=None, base=None):
        """Call the admin API (path relative to /_sim); returns the decoded JSON."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{base or self.info['admin_url']}/{path.lstrip('/')}", data=data, method=method,
                                         headers={'Content-Type': 'application/json'})
        try:
            with urllib.request.urlopen(request, timeout=30, context=self._ssl) as response:
                return json.load(response)
        except urllib.error.HTTPError as err:
            raise RuntimeError(f'simulator admin {method} {path}: {err.code} {err.read().decode(errors="replace")}')

    def stats(self, log=True):
        return self.admin('GET', 'stats' if log else 'stats?log=0')

    def reset(self, **options):
        """Zero the stats, clear faults, restore the config; tokens=True / dataset=True go further."""
        return self.admin('POST', 'reset', options)

    def fault(self, **spec):
        """POST /_sim/faults: a rule (path=..., status=...) or action=... (see docs/simulator.md)."""
        return self.admin('POST', 'faults', spec)

    def truth(self, tenant=None, kind=None):
        path = 'truth' + (f'/{tenant}' if tenant else '') + (f'/{kind}' if kind else '')
        return self.admin('GET', path)

    def classic(self, method, path, body=None):
        """Call the Classic gateway's admin API (tests/simulator/classic.py)."""
        return self.admin(method, path, body, base=self.info['classic']['admin_url'])

    def classic_env(self, token=None, grant=False):
        """Environment for the classic_* modules: a token bundle (a new one unless given) and/or the grant."""
        info = self.info['classic']
        env = {'CLASSIC_CENTRAL_BASE_URL': info['base_url'], 'CLASSIC_CENTRAL_CLIENT_ID': info['client_id'],
               'CLASSIC_CENTRAL_CLIENT_SECRET': info['client_secret'],
               'CLASSIC_CENTRAL_CUSTOMER_ID': info['msp_customer_id']}
        if token is None:
            token = self.classic('POST', 'faults', {'action': 'issue_token'})['token']
        if token:
            env.update(CLASSIC_CENTRAL_ACCESS_TOKEN=token['access_token'],
                       CLASSIC_CENTRAL_REFRESH_TOKEN=token['refresh_token'])
        if grant:
            env.update(CLASSIC_CENTRAL_USERNAME=info['username'], CLASSIC_CENTRAL_PASSWORD=info['password'])
        if self.info['ca_file']:
            env['CLASSIC_CENTRAL_CA_PATH'] = self.info['ca_file']
        return env

    def env(self):
        """Environment variables that point the collection at this simulator."""
        return collection_env(self.info)


@contextlib.contextmanager
def start_simulator(*args, **kwargs):
    """with start_simulator('--dataset', 'scale', '--tenants', 50) as sim: ..."""
    sim = Simulator(*args, **kwargs).start()
    try:
        yield sim
    finally:
        sim.stop()
