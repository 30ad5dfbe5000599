"""A self-signed TLS certificate for the local search service.

The Azure SDK refuses plain ``http://`` endpoints, so the service speaks HTTPS. Clients trust the
certificate by passing its path (``connection_verify=`` in the SDK, or ``REQUESTS_CA_BUNDLE``).

    >>> cert, key = self_signed_certificate(Path(".ridgeline/search-service/tls"))
"""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

CERT_FILE = "cert.pem"
KEY_FILE = "key.pem"


def self_signed_certificate(
    directory: Path, *, hosts: tuple[str, ...] = ("127.0.0.1", "localhost"), days: int = 365
) -> tuple[Path, Path]:
    """The (certificate, key) paths in ``directory``, made for ``hosts`` if missing or expired."""
    cert_path, key_path = directory / CERT_FILE, directory / KEY_FILE
    if cert_path.is_file() and key_path.is_file() and _still_valid(cert_path, hosts):
        return cert_path, key_path
    directory.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(_certificate(key, hosts, days).public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def _certificate(
    key: ec.EllipticCurvePrivateKey, hosts: tuple[str, ...], days: int
) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ridgeline search service")])
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName(_names(hosts)), critical=False)
        # Its own trust anchor: clients put this file in their CA bundle.
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )


def _names(hosts: tuple[str, ...]) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return names


def _still_valid(cert_path: Path, hosts: tuple[str, ...]) -> bool:
    certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
    if certificate.not_valid_after_utc <= datetime.now(UTC) + timedelta(days=1):
        return False
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    present = {str(n.value) for n in names}
    return all(str(name.value) in present for name in _names(hosts))
