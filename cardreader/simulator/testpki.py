"""The simulator's own, clearly fake, public-key infrastructure.

Real eIDs chain to the Belgium Root CAs, whose keys nobody outside the national
register has; a simulated card therefore needs a root of its own. This module
generates it once (``python -m cardreader.simulator.testpki generate``) and the
outputs are committed, so every run signs with the same keys and a reading
taken today verifies tomorrow:

- ``resources/trust/test/loket-test-root.pem``: the "Loket TEST Root CA"
  certificate (EC P-384), the only thing the application may trust in test mode;
- ``resources/cards/keys/*-TEST-ONLY.key.pem``: the private keys (root, RRN RSA
  2048 for applet 1.7 profiles, RRN EC P-384 for applet 1.8 profiles, and a
  "rogue" root and RRN key for the profile whose chain must fail);
- ``resources/cards/certs/*.pem``: the RRN certificates and the rogue root.

The rogue pair is generated the same way but is not in the trust directory: a
card signed by it looks perfectly well-formed and must still be refused.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from cardreader.resources import resources_dir

SignerName = Literal["test-rsa", "test-ec", "rogue-rsa", "rogue-ec"]
SigningKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

_NOT_BEFORE = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
_NOT_AFTER = dt.datetime(2045, 12, 31, 23, 59, 59, tzinfo=dt.UTC)

ROOT_CERT_NAME = "loket-test-root.pem"


def trust_dir() -> Path:
    return resources_dir() / "trust" / "test"


def keys_dir() -> Path:
    return resources_dir() / "cards" / "keys"


def certs_dir() -> Path:
    return resources_dir() / "cards" / "certs"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Loket TEST PKI - not for production"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _pem_key(key: SigningKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _root_certificate(key: ec.EllipticCurvePrivateKey, common_name: str) -> x509.Certificate:
    name = _name(common_name)
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(_NOT_BEFORE)
        .not_valid_after(_NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA384())
    )


def _rrn_certificate(
    key: SigningKey,
    common_name: str,
    issuer_key: ec.EllipticCurvePrivateKey,
    issuer: x509.Certificate,
) -> x509.Certificate:
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(issuer.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(_NOT_BEFORE)
        .not_valid_after(_NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
        .sign(issuer_key, hashes.SHA384())
    )


def generate(resources: Path | None = None) -> list[Path]:
    """Create all test keys and certificates afresh; returns the files written.

    Running it again replaces every key: all committed profiles keep working
    because card files are signed at load time, but any saved reading made
    with the old keys would no longer verify. Run it only when the PKI must
    change.
    """
    base = resources if resources is not None else resources_dir()
    keys = base / "cards" / "keys"
    certs = base / "cards" / "certs"
    trust = base / "trust" / "test"
    for folder in (keys, certs, trust):
        folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def write(path: Path, data: bytes) -> None:
        path.write_bytes(data)
        written.append(path)

    for family, root_cn, root_file in (
        ("test", "Loket TEST Root CA", trust / ROOT_CERT_NAME),
        ("rogue", "Rogue TEST Root CA (untrusted)", certs / "rogue-root.pem"),
    ):
        root_key = ec.generate_private_key(ec.SECP384R1())
        root = _root_certificate(root_key, root_cn)
        write(keys / f"{family}-root-TEST-ONLY.key.pem", _pem_key(root_key))
        write(root_file, root.public_bytes(serialization.Encoding.PEM))
        rrn_keys: dict[str, SigningKey] = {
            "rsa": rsa.generate_private_key(public_exponent=65537, key_size=2048),
            "ec": ec.generate_private_key(ec.SECP384R1()),
        }
        for kind, key in rrn_keys.items():
            cn = f"{'Loket' if family == 'test' else 'Rogue'} TEST RRN signer {kind.upper()}"
            cert = _rrn_certificate(key, cn, root_key, root)
            write(keys / f"{family}-rrn-{kind}-TEST-ONLY.key.pem", _pem_key(key))
            write(certs / f"{family}-rrn-{kind}.pem", cert.public_bytes(serialization.Encoding.PEM))
    return written


@dataclass(frozen=True)
class Signer:
    """What a simulated card needs to sign its files and fill its certificate files."""

    name: SignerName
    key: SigningKey
    rrn_certificate: x509.Certificate
    root_certificate: x509.Certificate


@cache
def load_signer(name: SignerName) -> Signer:
    """Load one of the four committed signing identities (cached per process)."""
    family, kind = name.split("-")
    key = serialization.load_pem_private_key(
        (keys_dir() / f"{family}-rrn-{kind}-TEST-ONLY.key.pem").read_bytes(), password=None
    )
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise TypeError(f"unexpected key type in the {name} test key file")
    rrn = x509.load_pem_x509_certificate((certs_dir() / f"{family}-rrn-{kind}.pem").read_bytes())
    root_path = trust_dir() / ROOT_CERT_NAME if family == "test" else certs_dir() / "rogue-root.pem"
    root = x509.load_pem_x509_certificate(root_path.read_bytes())
    return Signer(name=name, key=key, rrn_certificate=rrn, root_certificate=root)  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Loket simulator test PKI (TEST ONLY keys)")
    parser.add_argument("command", choices=["generate"])
    parser.add_argument("--resources", type=Path, default=None)
    args = parser.parse_args(argv)
    for path in generate(args.resources):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
