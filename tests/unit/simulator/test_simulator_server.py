"""The process: start-up line and info file, TLS, keep-alive, quiet logs, latency, clean stop on signals."""
import http.client
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time

import pytest
import requests

from tests.simulator.client import SimClient
from tests.simulator.process import ROOT, SERVER

INFO_KEYS = {'auth_url', 'glp_base_url', 'central_base_url', 'admin_url', 'ca_file', 'client_id', 'client_secret',
             'workspace_id', 'pid', 'classic'}


def run_server(*args, module=False):
    command = [sys.executable, '-m', 'tests.simulator.server'] if module else [sys.executable, SERVER]
    return subprocess.Popen(command + [str(a) for a in args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


@pytest.mark.parametrize('module,signum', [(False, signal.SIGTERM), (True, signal.SIGINT)])
def test_start_up_line_info_file_and_clean_stop(tmp_path, module, signum):
    info_file = tmp_path / 'info.json'
    process = run_server('--dataset', 'demo', '--info-file', info_file, '--seed', 4, module=module)
    try:
        line = json.loads(process.stdout.readline())
        assert json.loads(info_file.read_text()) == line and set(line) == INFO_KEYS
        assert line['pid'] == process.pid and line['ca_file'] is None
        # Two origins, no path prefix: the token endpoint and the admin API are on the GLP one.
        root = line['admin_url'][:-len('/_sim')]
        assert root.startswith('http://127.0.0.1:') and line['auth_url'] == f'{root}/authorization/v2/oauth2'
        assert line['glp_base_url'] == root and line['central_base_url'].startswith('http://127.0.0.1:')
        assert line['central_base_url'] != root
        assert len(line['workspace_id']) == 36 and line['workspace_id'].count('-') == 4
        assert SimClient(line).msp_token()
        # Classic Central's gateway on an origin of its own.
        assert line['classic']['base_url'].startswith('http://127.0.0.1:') and line['classic']['base_url'] != root
    finally:
        process.send_signal(signum)
        assert process.wait(5) == 0
    assert process.stderr.read() == ''   # quiet: no per-request logging


def test_credentials_follow_the_seed(simulator_factory):
    first, second, third = (simulator_factory('--seed', s) for s in (9, 9, 10))
    assert {k: first.info[k] for k in ('client_id', 'client_secret', 'workspace_id')} == \
        {k: second.info[k] for k in ('client_id', 'client_secret', 'workspace_id')}
    assert first.info['client_secret'] != third.info['client_secret']
    assert first.truth() == second.truth()


def test_tls_with_its_own_ca(simulator_tls):
    info = simulator_tls.info
    assert info['auth_url'].startswith('https://127.0.0.1:') and os.path.exists(info['ca_file'])
    client = SimClient(info)
    token = client.msp_token()
    assert client.get('glp', 'workspaces/v1/msp-tenants', token).status_code == 200
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(info['glp_base_url'] + '/workspaces/v1/msp-tenants', timeout=10)
    context = ssl.create_default_context(cafile=info['ca_file'])
    connection = http.client.HTTPSConnection('localhost', simulator_tls.port, context=context)   # the name is valid too
    connection.request('GET', '/_sim/config')
    assert connection.getresponse().status == 200
    connection.close()
    assert simulator_tls.env()['CENTRAL_CA_PATH'] == info['ca_file']


def test_tls_files_are_removed_on_stop(simulator_factory):
    sim = simulator_factory('--tls')
    ca_file = sim.info['ca_file']
    sim.stop()
    assert not os.path.exists(ca_file)


def test_keep_alive_and_content_length(sim):
    connection = http.client.HTTPConnection('127.0.0.1', sim.port)
    connection.connect()
    sock = connection.sock
    for method, path in (('GET', '/_sim/config'), ('GET', '/nowhere'), ('HEAD', '/workspaces/v1/msp-tenants'),
                         ('POST', '/workspaces/v1/msp-tenants'), ('GET', '/_sim/config')):
        connection.request(method, path, body=b'{}' if method == 'POST' else None)
        response = connection.getresponse()
        body = response.read()
        assert int(response.getheader('Content-Length')) == len(body) or method == 'HEAD'
        assert response.version == 11 and response.status in (200, 401, 404, 405)
        assert connection.sock is sock   # the same connection served every request
    connection.request('GET', '/nowhere', headers={'Connection': 'close'})
    response = connection.getresponse()
    response.read()
    assert response.getheader('Connection') == 'close'
    connection.close()


def test_malformed_requests_get_an_answer(sim):
    for raw in (b'NONSENSE\r\n\r\n', b'GET / HTTP/1.1\r\nno colon here\r\n\r\n',
                b'POST /_sim/reset HTTP/1.1\r\nContent-Length: lots\r\n\r\n'):
        with socket.create_connection(('127.0.0.1', sim.port), timeout=10) as sock:
            sock.sendall(raw)
            answer = sock.recv(65536)
        assert answer.split(b' ')[1] in (b'400', b'411') and b'Connection: close' in answer


def test_env_for_the_collection(sim):
    env = sim.env()
    assert env == {'GLP_CLIENT_ID': sim.info['client_id'], 'GLP_CLIENT_SECRET': sim.info['client_secret'],
                   'GLP_WORKSPACE_ID': sim.info['workspace_id'], 'GLP_AUTH_URL': sim.info['auth_url'],
                   'GLP_BASE_URL': sim.info['glp_base_url'], 'CENTRAL_BASE_URL': sim.info['central_base_url']}


def test_latency_and_ttl_flags(simulator_factory):
    sim = simulator_factory('--latency-ms', 3000, '--token-ttl', 42)
    client = SimClient(sim.info)
    started = time.monotonic()
    sim.stats()
    # The admin API is never delayed: far below the 3 s every API request waits, on any machine.
    assert time.monotonic() - started < 1.5
    started = time.monotonic()
    response = client.client_credentials()
    assert time.monotonic() - started >= 3.0
    assert response.json()['expires_in'] == 42


def _start_time(simulator_factory, *args):
    """The fastest of two starts, in seconds: a start reads the dataset's options, builds nothing else."""
    times = []
    for _attempt in range(2):
        started = time.monotonic()
        sim = simulator_factory(*args)
        times.append(time.monotonic() - started)
    return min(times), sim


def test_scale_dataset_starts_about_as_fast_as_the_demo(simulator_factory):
    # Compared in the same run, not against a clock: a 1,000-tenant dataset is built lazily, so its start costs
    # no more than a few times the six-tenant demo's, whatever the speed of the machine.
    demo, _demo = _start_time(simulator_factory, '--dataset', 'demo')
    scale, sim = _start_time(simulator_factory, '--dataset', 'scale', '--tenants', 1000, '--devices-per-tenant', 1000,
                             '--big-tenants', 2)
    assert scale < 3 * demo, (scale, demo)
    client = SimClient(sim.info)
    msp = client.msp_token()
    assert client.get('glp', 'workspaces/v1/msp-tenants', msp, limit=1).json()['total'] == 1000
    big = client.exchange(sim.truth()['tenants'][0]['id'], msp)
    page = client.get('central', 'network-monitoring/v1/device-inventory', big, limit=1000, next=3).json()
    assert page['total'] == 2500 and page['count'] == 500 and page['next'] is None


def test_verbose_logs_requests(simulator_factory):
    sim = simulator_factory('--verbose')
    SimClient(sim.info).session.get(sim.info['glp_base_url'] + '/nowhere')
    # The line is written after the answer: wait for it rather than for a fixed time.
    deadline = time.monotonic() + 30
    while '"GET /nowhere HTTP/1.1" 404' not in sim.stderr() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert '"GET /nowhere HTTP/1.1" 404' in sim.stderr()


def test_bad_start_is_reported(simulator_factory):
    with pytest.raises(RuntimeError, match='did not start'):
        simulator_factory('--dataset', 'huge')


def test_exports_point_a_shell_at_the_simulator(tmp_path):
    """--exports prints what to paste into a shell; after it, the collection's own commands reach the simulator."""
    info_file = tmp_path / 'info.json'
    process = run_server('--dataset', 'demo', '--tls', '--exports', '--info-file', info_file)
    try:
        lines = [process.stdout.readline().rstrip('\n') for _line in range(9)]
        info = json.loads(info_file.read_text())
        assert lines[0].startswith('#') and str(info['pid']) in lines[0]
        exports = lines[1:]
        assert all(line.startswith('export ') for line in exports), lines
        names = [line.split()[1].split('=')[0] for line in exports]
        assert names == ['GLP_CLIENT_ID', 'GLP_CLIENT_SECRET', 'GLP_WORKSPACE_ID', 'GLP_AUTH_URL', 'GLP_BASE_URL',
                         'CENTRAL_BASE_URL', 'CENTRAL_CA_PATH', 'NO_PROXY']
        clean = {key: value for key, value in os.environ.items() if not key.startswith(('GLP_', 'CENTRAL_', 'ANSIBLE_'))}
        script = '\n'.join(exports) + '\nexec "$@"\n'
        shown = subprocess.run(['bash', '-c', script, 'bash', sys.executable, '-c',
                                'import json, os; print(json.dumps(dict(os.environ)))'],
                               env=clean, capture_output=True, text=True, check=True).stdout
        env = json.loads(shown)
        assert env['GLP_CLIENT_SECRET'] == info['client_secret'] and env['CENTRAL_CA_PATH'] == info['ca_file']
        assert env['CENTRAL_BASE_URL'] == info['central_base_url'] and env['GLP_AUTH_URL'] == info['auth_url']
        inventory = subprocess.run(
            ['bash', '-c', script, 'bash', os.path.join(os.path.dirname(sys.executable), 'ansible-inventory'),
             '-i', os.path.join(ROOT, 'playbooks', 'inventory', 'simulator.central_msp.yml'), '--list'],
            env=dict(clean, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, 'build', 'dev'),
                     CENTRAL_TOKEN_CACHE_DIR=str(tmp_path / 'tokens'), ANSIBLE_INVENTORY_UNPARSED_FAILED='true'),
            capture_output=True, text=True, check=False)
        assert inventory.returncode == 0, inventory.stderr[-3000:]
        assert len(json.loads(inventory.stdout)['msp_tenants']['hosts']) == 5
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0
