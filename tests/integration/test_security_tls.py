"""TLS and plain http, through a module and the inventory plugin: a wrong CA fails with a verification error that
says to set ca_path; validate_certs: false works and warns; http:// to a host that is not a loopback address is
refused before any connection is made."""

from __future__ import annotations

import socket

from tests.helpers import ansible_env
from tests.integration.fault_checks import (TENANTS_SOURCE, Listener, failure, fresh, inventory, play, result,
                                            warnings, write)
from tests.simulator.certs import make_certificates

VERIFY_FAILED = 'TLS verification failed'
SET_CA_PATH = 'Set ca_path to the CA bundle that signs the server certificate'
PLAIN_HTTP = 'uses plain http to a non-loopback host'


def loopback_alias():
    """A host name (not 'localhost', not an address) that resolves to 127.0.0.1 here, or None.

    Refused by name, it proves the refusal comes before any connection: a connection would reach the listener."""
    for name in (socket.gethostname(), socket.getfqdn()):
        try:
            if name and name != 'localhost' and socket.gethostbyname(name) == '127.0.0.1':
                return name
        except OSError:
            continue
    return None


def test_wrong_ca_no_verification_and_plain_http(simulator_tls, tmp_path):
    sim = fresh(simulator_tls)
    other_ca = make_certificates(str(tmp_path))['ca.pem']
    alias = loopback_alias()
    with Listener() as trap:
        remote = 'http://%s:%d' % (alias or '192.0.2.10', trap.port)
        run = play(sim, '''
            - name: a CA that did not sign the server certificate
              central.msp.msp_tenant_info: {ca_path: "{{ other_ca }}"}
            - name: the system CAs only
              central.msp.tenant_device_info: {ca_path: "", tenant: Acme Retail Group}
            - name: no verification
              central.msp.msp_tenant_info: {ca_path: "", validate_certs: false}
            - name: plain http Central gateway
              central.msp.tenant_api_call: {base_url: "{{ remote }}/central", path: network-msp/v1/list-tenants}
            - name: plain http GLP
              central.msp.msp_tenant_info: {glp_base_url: "{{ remote }}/glp", with_central: false}
            - name: plain http token issuer
              central.msp.msp_tenant_info: {auth_url: "{{ remote }}/authorization/v2/oauth2"}
            - name: plain http to a look-alike of localhost
              central.msp.msp_tenant_info: {auth_url: "http://localhost.attacker.example:{{ port }}/oauth2"}
        ''', tmp_path, env={'CENTRAL_TIMEOUT': '3'},
                   extra_vars={'other_ca': other_ca, 'remote': remote, 'port': trap.port})
        assert trap.seen == [], trap.seen

        # The inventory plugin, with the wrong CA from the environment, as AWX would inject it.
        source = write(tmp_path / 'tenants.central_msp.yml', TENANTS_SOURCE)
        env = ansible_env(dict(sim.env(), CENTRAL_CA_PATH=other_ca), tmp=str(tmp_path / 'inventory'))
        listed = inventory([source], dict(env, ANSIBLE_INVENTORY_UNPARSED_FAILED='true'))
    assert run.rc == 0, run.output[-3000:]

    failure(run, 'a CA that did not sign the server certificate', 'MSP token request', VERIFY_FAILED,
            'certificate verify failed', SET_CA_PATH, 'CENTRAL_CA_PATH')
    failure(run, 'the system CAs only', VERIFY_FAILED, SET_CA_PATH)
    assert listed.rc != 0 and VERIFY_FAILED in listed.output and SET_CA_PATH in listed.output, listed.output[-3000:]
    assert 'Traceback' not in listed.output

    unverified = result(run, 'no verification')
    assert len(unverified['tenants']) == len(sim.truth()['tenants'])
    assert any('validate_certs is false' in text for text in warnings(run, 'no verification'))

    for name, option in (('plain http Central gateway', 'base_url'), ('plain http GLP', 'glp_base_url'),
                         ('plain http token issuer', 'auth_url'), ('plain http to a look-alike of localhost',
                                                                   'auth_url')):
        message = failure(run, name, option, PLAIN_HTTP, 'Use https://')
        assert 'connection failed' not in message and 'timed out' not in message, message
