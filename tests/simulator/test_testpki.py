"""The committed test PKI chains as intended, and ``generate`` reproduces its shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

from cardreader.simulator.testpki import ROOT_CERT_NAME, generate, load_signer


def _spki(key: PublicKeyTypes) -> bytes:
    return key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@pytest.mark.parametrize("name", ["test-rsa", "test-ec"])
def test_rrn_certificates_chain_to_the_loket_test_root(name: str) -> None:
    signer = load_signer(name)  # type: ignore[arg-type]
    signer.rrn_certificate.verify_directly_issued_by(signer.root_certificate)
    assert "TEST" in signer.root_certificate.subject.rfc4514_string()
    assert signer.root_certificate.not_valid_after_utc.year >= 2045
    expected = rsa.RSAPrivateKey if name.endswith("rsa") else ec.EllipticCurvePrivateKey
    assert isinstance(signer.key, expected)
    assert _spki(signer.key.public_key()) == _spki(signer.rrn_certificate.public_key())


@pytest.mark.parametrize("name", ["rogue-rsa", "rogue-ec"])
def test_rogue_signers_do_not_chain_to_the_trusted_root(name: str) -> None:
    rogue = load_signer(name)  # type: ignore[arg-type]
    trusted = load_signer("test-ec").root_certificate
    rogue.rrn_certificate.verify_directly_issued_by(rogue.root_certificate)
    with pytest.raises(ValueError, match="issuer"):
        rogue.rrn_certificate.verify_directly_issued_by(trusted)


def test_generate_writes_a_complete_fresh_pki(tmp_path: Path) -> None:
    written = {p.relative_to(tmp_path).as_posix() for p in generate(tmp_path)}
    assert f"trust/test/{ROOT_CERT_NAME}" in written
    assert all("TEST-ONLY" in p for p in written if p.startswith("cards/keys/"))
    assert len([p for p in written if p.startswith("cards/keys/")]) == 6
    root = x509.load_pem_x509_certificate((tmp_path / "trust/test" / ROOT_CERT_NAME).read_bytes())
    rrn = x509.load_pem_x509_certificate((tmp_path / "cards/certs/test-rrn-ec.pem").read_bytes())
    rrn.verify_directly_issued_by(root)
    assert b"PRIVATE" not in (tmp_path / "trust/test" / ROOT_CERT_NAME).read_bytes()
