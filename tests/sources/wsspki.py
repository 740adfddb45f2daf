"""Throw-away signing identities (self-signed certificate + PEM key) for the WS-Security tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

KINDS = ("rsa-2048", "ec-p256", "ec-p384")


@dataclass(frozen=True)
class Identity:
    cert: Path
    key: Path
    certificate: x509.Certificate


def make_identity(folder: Path, kind: str = "ec-p256", name: str = "gent.be loket") -> Identity:
    """A self-signed certificate and its unencrypted PKCS#8 key, written as PEM in ``folder``."""
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    if kind == "rsa-2048":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    elif kind == "ec-p384":
        key = ec.generate_private_key(ec.SECP384R1())
    else:
        key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{name.replace(' ', '_')}-{kind}"
    cert_path = folder / f"{stem}.pem"
    key_path = folder / f"{stem}.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Identity(cert=cert_path, key=key_path, certificate=certificate)
