"""A throw-away CA and a server certificate for 127.0.0.1 and localhost, made at start-up for --tls."""
import datetime
import ipaddress
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'central.msp simulator'),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject, issuer, public_key, signing_key, extensions):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=7))
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False))
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(signing_key, hashes.SHA256())


def _write(path, data):
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 'wb') as handle:
        handle.write(data)


def make_certificates(directory):
    """Write ca.pem, server.pem and server.key into `directory`; returns their paths."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name('central.msp simulator CA')
    ca_cert = _certificate(ca_name, ca_name, ca_key.public_key(), ca_key, [
        (x509.BasicConstraints(ca=True, path_length=0), True),
        (x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                       key_encipherment=False, data_encipherment=False, key_agreement=False, encipher_only=False,
                       decipher_only=False), True),
    ])
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate(_name('127.0.0.1'), ca_name, key.public_key(), ca_key, [
        (x509.BasicConstraints(ca=False, path_length=None), True),
        (x509.SubjectAlternativeName([x509.DNSName('localhost'), x509.IPAddress(ipaddress.ip_address('127.0.0.1')),
                                      x509.IPAddress(ipaddress.ip_address('::1'))]), False),
        (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False),
        (x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False),
    ])
    paths = {name: os.path.join(directory, name) for name in ('ca.pem', 'server.pem', 'server.key')}
    _write(paths['ca.pem'], ca_cert.public_bytes(serialization.Encoding.PEM))
    _write(paths['server.pem'], cert.public_bytes(serialization.Encoding.PEM))
    _write(paths['server.key'], key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()))
    return paths
