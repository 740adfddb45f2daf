"""The trust store: the real Belgium roots, and test roots only in test mode."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from cardreader.models import CheckStatus
from cardreader.resources import resources_dir
from cardreader.trust import TrustStore, TrustStoreError, issued_by

from .pki import ec_key, make_root, make_rrn_cert, pem

BELGIUM = resources_dir() / "trust" / "belgium"


def _common_name(cert: x509.Certificate) -> str:
    return str(cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value)


def test_production_roots_are_the_public_belgium_roots() -> None:
    store = TrustStore.load(BELGIUM, None, test_mode=False)
    by_name = {_common_name(root): root for root in store.roots}
    assert set(by_name) == {"Belgium Root CA3", "Belgium Root CA4", "Belgium Root CA6"}
    for root in store.roots:
        assert issued_by(root, root)  # self-signed, CA3's SHA-1 signature included
    assert by_name["Belgium Root CA3"].signature_hash_algorithm is not None
    assert by_name["Belgium Root CA3"].signature_hash_algorithm.name == "sha1"
    expiry = {name: root.not_valid_after_utc.date() for name, root in by_name.items()}
    assert expiry == {
        "Belgium Root CA3": dt.date(2028, 1, 28),
        "Belgium Root CA4": dt.date(2032, 10, 22),
        "Belgium Root CA6": dt.date(2040, 6, 3),
    }
    ca6_key = by_name["Belgium Root CA6"].public_key()
    assert isinstance(ca6_key, ec.EllipticCurvePublicKey) and ca6_key.curve.name == "secp384r1"
    ca4_key = by_name["Belgium Root CA4"].public_key()
    assert isinstance(ca4_key, rsa.RSAPublicKey) and ca4_key.key_size == 4096
    assert not store.test_mode


def test_known_fingerprints() -> None:
    """Pin the committed files, so that a swapped root cannot slip in unnoticed."""
    fingerprints = {
        path.name: x509.load_pem_x509_certificate(path.read_bytes())
        .fingerprint(hashes.SHA256())
        .hex()
        for path in BELGIUM.glob("*.pem")
    }
    assert fingerprints == {
        "belgium-root-ca3.pem": "a8d14e945e3e5156bcae5e39737cf6a1b1f51028bbbf982f50ce5f4c05568b4d",
        "belgium-root-ca4.pem": "702dd5c1a093cf0a9d71fadd9bf9a7c5857d89fb73b716e867228b3c2beb968f",
        "belgium-root-ca6.pem": "9c872bc979a7c09a58d4a274c199e5cb16cfa9b9618d98bc9a9988e984b8495c",
    }


def test_thumbprints_agree_with_an_independent_source() -> None:
    """The SHA-1 thumbprints other Belgian eID software pins for these roots.

    The PEM files came from one public source; these thumbprints were published
    separately (the Belgian eHealth .NET client pins them for CA3, CA4 and CA6, and
    CA4's SHA-256 also appears in the EU DSS library's validation test data), so a
    root that was wrong at its source would not match both.
    """
    thumbprints = {
        path.name: x509.load_pem_x509_certificate(path.read_bytes()).fingerprint(hashes.SHA1())
        for path in BELGIUM.glob("*.pem")
    }
    assert {name: value.hex() for name, value in thumbprints.items()} == {
        "belgium-root-ca3.pem": "fd6b835c99b99e6ff84fcd0e6266a3610786a717",
        "belgium-root-ca4.pem": "6b97f89956592a9b2010197527b0dc4ca5ac9be0",
        "belgium-root-ca6.pem": "98989feec16ad774615415e93a963ea3eef5fe4f",
    }


@pytest.fixture
def test_root_dir(tmp_path: Path) -> tuple[Path, ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec_key()
    root = make_root(key, "Loket Test Root CA")
    directory = tmp_path / "test"
    directory.mkdir()
    (directory / "test-root.pem").write_bytes(pem(root))
    return directory, key, root


def test_test_root_refused_in_production(
    test_root_dir: tuple[Path, ec.EllipticCurvePrivateKey, x509.Certificate],
) -> None:
    directory, _key, _root = test_root_dir
    with pytest.raises(TrustStoreError, match="test mode"):
        TrustStore.load(BELGIUM, directory, test_mode=False)


def test_test_root_trusted_in_test_mode(
    test_root_dir: tuple[Path, ec.EllipticCurvePrivateKey, x509.Certificate],
) -> None:
    directory, key, root = test_root_dir
    store = TrustStore.load(BELGIUM, directory, test_mode=True)
    assert store.test_mode
    assert len(store.roots) == 4
    rrn = make_rrn_cert(ec_key(), key, root)
    result = store.check_issued(rrn, today=dt.date(2026, 1, 1))
    assert result.status is CheckStatus.VALID
    assert "test" in result.detail

    production = TrustStore.load(BELGIUM, None, test_mode=False)
    assert production.check_issued(rrn, today=dt.date(2026, 1, 1)).status is (
        CheckStatus.NOT_CHECKED
    )


def test_missing_test_directory_in_test_mode_is_fine(tmp_path: Path) -> None:
    store = TrustStore.load(BELGIUM, tmp_path / "absent", test_mode=True)
    assert len(store.roots) == 3


def test_certificate_claiming_a_belgian_root_but_signed_by_another_key() -> None:
    store = TrustStore.load(BELGIUM, None, test_mode=False)
    impostor_key = ec_key()
    impostor = make_root(impostor_key, "Belgium Root CA6")
    fake = make_rrn_cert(ec_key(), impostor_key, impostor)
    # Issuer name differs from the real CA6 (which has O, OU, L): not a candidate at all.
    assert store.check_issued(fake, today=dt.date(2026, 1, 1)).status is CheckStatus.NOT_CHECKED
    ca4 = next(r for r in store.roots if _common_name(r) == "Belgium Root CA4")
    forged = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "RRN")]))
        .issuer_name(ca4.subject)
        .public_key(ec_key().public_key())
        .serial_number(1)
        .not_valid_before(dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
        .not_valid_after(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
        .sign(impostor_key, hashes.SHA384())
    )
    assert store.check_issued(forged, today=dt.date(2026, 1, 1)).status is CheckStatus.INVALID


def test_not_a_certificate_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "junk.pem").write_bytes(
        b"-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n"
    )
    with pytest.raises(TrustStoreError, match=r"junk\.pem"):
        TrustStore.load(tmp_path, None, test_mode=False)


def test_non_self_signed_root_is_refused(tmp_path: Path) -> None:
    root_key = ec_key()
    root = make_root(root_key)
    (tmp_path / "child.pem").write_bytes(pem(make_rrn_cert(ec_key(), root_key, root)))
    with pytest.raises(TrustStoreError, match="self-signed"):
        TrustStore.load(tmp_path, None, test_mode=False)


def test_no_roots_at_all(tmp_path: Path) -> None:
    with pytest.raises(TrustStoreError):
        TrustStore.load(tmp_path, None, test_mode=False)


def test_default_store_uses_the_resources() -> None:
    store = TrustStore.default(test_mode=False)
    assert {_common_name(r) for r in store.roots} >= {"Belgium Root CA4", "Belgium Root CA6"}
    assert not store.test_mode
