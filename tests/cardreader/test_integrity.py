"""Integrity checks on cards signed in the test with freshly generated keys."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from cardreader.integrity import der_length, trim_der, verify
from cardreader.models import CheckStatus, ValidityStatus, Verdict, Verification
from cardreader.trust import TrustStore

from .eid_files import IDENTITY_TAGS, TEST_INSZ
from .pki import PrivateKey, SimulatedCard, ec_key, make_card, make_root, make_rrn_cert, rsa_key

TODAY = dt.date(2026, 6, 1)


class Pki:
    def __init__(self, root_key: PrivateKey, rrn_key: PrivateKey) -> None:
        self.root_key = root_key
        self.root = make_root(root_key)
        self.rrn_key = rrn_key
        self.rrn_cert = make_rrn_cert(rrn_key, root_key, self.root)
        self.trust = TrustStore([], test_roots=[self.root])


@pytest.fixture(scope="module")
def rsa_pki() -> Pki:
    return Pki(rsa_key(), rsa_key())


@pytest.fixture(scope="module")
def ec_pki() -> Pki:
    return Pki(ec_key(), ec_key())


def _verify(card: SimulatedCard, pki: Pki, today: dt.date = TODAY) -> Verification:
    return verify(card.files, card.card_data, trust=pki.trust, today=today)


def _assert_no_personal_data(result: Verification) -> None:
    text = " ".join(
        [*result.reasons]
        + [
            check.detail
            for check in (
                result.identity_signature,
                result.address_signature,
                result.photo_hash,
                result.basic_key_hash,
                result.rrn_chain,
            )
        ]
    )
    for secret in (TEST_INSZ, "Specimen", "Alice", "Botermarkt"):
        assert secret not in text


def test_rsa_sha256_card_is_authentic(rsa_pki: Pki) -> None:
    result = _verify(make_card(rsa_pki.rrn_key, rsa_pki.rrn_cert), rsa_pki)
    assert result.identity_signature.status is CheckStatus.VALID
    assert result.address_signature.status is CheckStatus.VALID
    assert result.photo_hash.status is CheckStatus.VALID
    assert result.basic_key_hash.status is CheckStatus.NOT_APPLICABLE
    assert result.rrn_chain.status is CheckStatus.VALID
    assert result.validity is ValidityStatus.VALID
    assert result.verdict is Verdict.AUTHENTIC
    assert result.reasons == ()


def test_rsa_sha1_card_is_authentic(rsa_pki: Pki) -> None:
    card = make_card(rsa_pki.rrn_key, rsa_pki.rrn_cert, rsa_hash=hashes.SHA1())
    result = _verify(card, rsa_pki)
    assert result.identity_signature.status is CheckStatus.VALID
    assert result.address_signature.status is CheckStatus.VALID
    assert result.verdict is Verdict.AUTHENTIC


def test_ec_p384_applet_18_card_is_authentic(ec_pki: Pki) -> None:
    card = make_card(ec_pki.rrn_key, ec_pki.rrn_cert, applet=0x18, photo_hash_alg=hashes.SHA384())
    assert card.files.identity_signature is not None
    assert card.files.identity_signature.endswith(b"\x00")  # padded DER, as on the card
    result = _verify(card, ec_pki)
    assert result.identity_signature.status is CheckStatus.VALID
    assert result.address_signature.status is CheckStatus.VALID
    assert result.basic_key_hash.status is CheckStatus.VALID
    assert result.photo_hash.status is CheckStatus.VALID
    assert result.verdict is Verdict.AUTHENTIC


def test_ec_address_signed_over_the_padded_identity_signature(ec_pki: Pki) -> None:
    card = make_card(
        ec_pki.rrn_key, ec_pki.rrn_cert, applet=0x18, address_signature_over_padded_id_sig=True
    )
    assert _verify(card, ec_pki).address_signature.status is CheckStatus.VALID


@pytest.mark.parametrize("pki_name", ["rsa_pki", "ec_pki"])
def test_tampered_identity_is_not_authentic(pki_name: str, request: pytest.FixtureRequest) -> None:
    pki: Pki = request.getfixturevalue(pki_name)
    card = make_card(pki.rrn_key, pki.rrn_cert)
    tampered = card.files.identity.replace(b"Alice", b"Alica")
    assert tampered != card.files.identity
    result = _verify(
        SimulatedCard(card.files.model_copy(update={"identity": tampered}), card.card_data), pki
    )
    assert result.identity_signature.status is CheckStatus.INVALID
    assert result.verdict is Verdict.NOT_AUTHENTIC
    assert any("identity" in reason for reason in result.reasons)
    _assert_no_personal_data(result)


@pytest.mark.parametrize("pki_name", ["rsa_pki", "ec_pki"])
def test_tampered_address_is_not_authentic(pki_name: str, request: pytest.FixtureRequest) -> None:
    pki: Pki = request.getfixturevalue(pki_name)
    card = make_card(pki.rrn_key, pki.rrn_cert)
    assert card.files.address is not None
    tampered = card.files.address.replace(b"9000", b"9050")
    result = _verify(
        SimulatedCard(card.files.model_copy(update={"address": tampered}), card.card_data), pki
    )
    assert result.identity_signature.status is CheckStatus.VALID
    assert result.address_signature.status is CheckStatus.INVALID
    assert result.verdict is Verdict.NOT_AUTHENTIC
    assert any("address" in reason for reason in result.reasons)
    _assert_no_personal_data(result)


def test_address_padding_length_does_not_matter(rsa_pki: Pki) -> None:
    card = make_card(rsa_pki.rrn_key, rsa_pki.rrn_cert)
    assert card.files.address is not None
    longer = card.files.address + bytes(4)
    result = _verify(
        SimulatedCard(card.files.model_copy(update={"address": longer}), card.card_data), rsa_pki
    )
    assert result.address_signature.status is CheckStatus.VALID


def test_wrong_photo(rsa_pki: Pki) -> None:
    card = make_card(rsa_pki.rrn_key, rsa_pki.rrn_cert)
    files = card.files.model_copy(update={"photo": b"\xff\xd8 another face \xff\xd9"})
    result = _verify(SimulatedCard(files, card.card_data), rsa_pki)
    assert result.photo_hash.status is CheckStatus.INVALID
    assert result.verdict is Verdict.NOT_AUTHENTIC
    assert any("photo" in reason for reason in result.reasons)


@pytest.mark.parametrize("algorithm", [hashes.SHA1(), hashes.SHA256(), hashes.SHA384()])
def test_photo_hash_algorithm_follows_its_length(
    algorithm: hashes.HashAlgorithm, rsa_pki: Pki
) -> None:
    card = make_card(rsa_pki.rrn_key, rsa_pki.rrn_cert, photo_hash_alg=algorithm)
    assert len(card.identity_tags[0x11]) == algorithm.digest_size
    assert _verify(card, rsa_pki).photo_hash.status is CheckStatus.VALID


def test_photo_not_read_is_not_checked_but_card_still_authentic(rsa_pki: Pki) -> None:
    card = make_card(rsa_pki.rrn_key, rsa_pki.rrn_cert)
    files = card.files.model_copy(update={"photo": None})
    result = _verify(SimulatedCard(files, card.card_data), rsa_pki)
    assert result.photo_hash.status is CheckStatus.NOT_CHECKED
    assert result.verdict is Verdict.AUTHENTIC


def test_wrong_basic_key(ec_pki: Pki) -> None:
    card = make_card(ec_pki.rrn_key, ec_pki.rrn_cert, applet=0x18)
    other_key = make_card(ec_pki.rrn_key, ec_pki.rrn_cert, applet=0x18).files.basic_public_key
    files = card.files.model_copy(update={"basic_public_key": other_key})
    result = _verify(SimulatedCard(files, card.card_data), ec_pki)
    assert result.basic_key_hash.status is CheckStatus.INVALID
    assert result.verdict is Verdict.NOT_AUTHENTIC


def test_basic_key_not_read_on_18_is_not_verifiable(ec_pki: Pki) -> None:
    card = make_card(ec_pki.rrn_key, ec_pki.rrn_cert, applet=0x18)
    files = card.files.model_copy(update={"basic_public_key": None})
    result = _verify(SimulatedCard(files, card.card_data), ec_pki)
    assert result.basic_key_hash.status is CheckStatus.NOT_CHECKED
    assert result.verdict is Verdict.NOT_VERIFIABLE


def test_basic_key_hash_is_checked_without_card_data(ec_pki: Pki) -> None:
    card = make_card(ec_pki.rrn_key, ec_pki.rrn_cert, applet=0x18)
    assert verify(card.files, None, trust=ec_pki.trust, today=TODAY).basic_key_hash.status is (
        CheckStatus.VALID
    )


def test_untrusted_root_is_not_verifiable(rsa_pki: Pki) -> None:
    other_root_key = rsa_key()
    other_root = make_root(other_root_key, "Some Other Root")
    rrn_cert = make_rrn_cert(rsa_pki.rrn_key, other_root_key, other_root)
    card = make_card(rsa_pki.rrn_key, rrn_cert)
    result = _verify(card, rsa_pki)
    assert result.identity_signature.status is CheckStatus.VALID
    assert result.rrn_chain.status is CheckStatus.NOT_CHECKED
    assert result.verdict is Verdict.NOT_VERIFIABLE
    assert any("trusted root" in reason for reason in result.reasons)


def test_forged_root_name_is_not_authentic(rsa_pki: Pki) -> None:
    impostor_key = rsa_key()
    impostor = make_root(impostor_key, "Loket Test Root CA")  # same name, other key
    rrn_cert = make_rrn_cert(rsa_pki.rrn_key, impostor_key, impostor)
    result = _verify(make_card(rsa_pki.rrn_key, rrn_cert), rsa_pki)
    assert result.rrn_chain.status is CheckStatus.INVALID
    assert result.verdict is Verdict.NOT_AUTHENTIC


def test_signed_by_another_key_than_the_certificate(rsa_pki: Pki) -> None:
    card = make_card(rsa_key(), rsa_pki.rrn_cert)  # data signed with a key the cert does not hold
    result = _verify(card, rsa_pki)
    assert result.identity_signature.status is CheckStatus.INVALID
    assert result.verdict is Verdict.NOT_AUTHENTIC


def test_rrn_certificate_outside_validity_is_not_verifiable(rsa_pki: Pki) -> None:
    rrn_cert = make_rrn_cert(
        rsa_pki.rrn_key,
        rsa_pki.root_key,
        rsa_pki.root,
        not_before=dt.datetime(2010, 1, 1, tzinfo=dt.UTC),
        not_after=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
    )
    result = _verify(make_card(rsa_pki.rrn_key, rrn_cert), rsa_pki)
    assert result.rrn_chain.status is CheckStatus.NOT_CHECKED
    assert result.verdict is Verdict.NOT_VERIFIABLE


@pytest.mark.parametrize(
    ("today", "validity"),
    [
        (dt.date(2031, 1, 1), ValidityStatus.EXPIRED),
        (dt.date(2019, 12, 31), ValidityStatus.NOT_YET_VALID),
        (dt.date(2030, 2, 1), ValidityStatus.VALID),  # last day still valid
        (dt.date(2020, 2, 1), ValidityStatus.VALID),
    ],
)
def test_validity_dates_do_not_change_authenticity(
    today: dt.date, validity: ValidityStatus, rsa_pki: Pki
) -> None:
    card = make_card(rsa_pki.rrn_key, rsa_pki.rrn_cert)
    result = _verify(card, rsa_pki, today=today)
    assert (IDENTITY_TAGS[0x03], IDENTITY_TAGS[0x04]) == (b"01.02.2020", b"01.02.2030")
    assert result.validity is validity
    assert result.verdict is Verdict.AUTHENTIC
    if validity is ValidityStatus.EXPIRED:
        assert "The card has expired." in result.reasons


def test_unreadable_validity_date_is_unknown(rsa_pki: Pki) -> None:
    card = make_card(rsa_pki.rrn_key, rsa_pki.rrn_cert, overrides={0x04: b"??"})
    assert _verify(card, rsa_pki).validity is ValidityStatus.UNKNOWN


def test_kids_card_with_empty_certificate_file(rsa_pki: Pki) -> None:
    card = make_card(rsa_pki.rrn_key, rsa_pki.rrn_cert)
    files = card.files.model_copy(update={"rrn_certificate": bytes(2048)})
    result = _verify(SimulatedCard(files, card.card_data), rsa_pki)
    assert result.rrn_chain.status is CheckStatus.NOT_CHECKED
    assert result.identity_signature.status is CheckStatus.NOT_CHECKED
    assert result.verdict is Verdict.NOT_VERIFIABLE


def test_corrupt_certificate_is_not_authentic(rsa_pki: Pki) -> None:
    card = make_card(rsa_pki.rrn_key, rsa_pki.rrn_cert)
    assert card.files.rrn_certificate is not None
    broken = card.files.rrn_certificate[:4] + b"\x13" * 40 + card.files.rrn_certificate[44:]
    files = card.files.model_copy(update={"rrn_certificate": broken})
    result = _verify(SimulatedCard(files, card.card_data), rsa_pki)
    assert result.rrn_chain.status is CheckStatus.INVALID
    assert result.verdict is Verdict.NOT_AUTHENTIC


def test_missing_files_are_not_verifiable(rsa_pki: Pki) -> None:
    card = make_card(rsa_pki.rrn_key, rsa_pki.rrn_cert)
    for missing in ("identity_signature", "rrn_certificate", "address_signature"):
        files = card.files.model_copy(update={missing: None})
        result = _verify(SimulatedCard(files, card.card_data), rsa_pki)
        assert result.verdict is Verdict.NOT_VERIFIABLE, missing


def test_address_not_read_is_not_needed(rsa_pki: Pki) -> None:
    card = make_card(rsa_pki.rrn_key, rsa_pki.rrn_cert)
    files = card.files.model_copy(update={"address": None, "address_signature": None})
    result = _verify(SimulatedCard(files, card.card_data), rsa_pki)
    assert result.address_signature.status is CheckStatus.NOT_CHECKED
    assert result.verdict is Verdict.AUTHENTIC


def test_garbage_everywhere_never_raises(rsa_pki: Pki) -> None:
    card = make_card(rsa_pki.rrn_key, rsa_pki.rrn_cert)
    files = card.files.model_copy(
        update={
            "identity": b"\x01\xff",
            "identity_signature": b"\x30\x99junk",
            "address_signature": b"\x00\x01",
            "rrn_certificate": b"\x30\x82\xff\xff",
            "photo": b"",
        }
    )
    result = _verify(SimulatedCard(files, card.card_data), rsa_pki)
    assert result.verdict is not Verdict.AUTHENTIC


def test_der_length_helpers() -> None:
    assert der_length(b"\x30\x03abc\x00\x00") == 5
    assert der_length(b"\x30\x81\x03abc\x00") == 6
    assert der_length(b"\x30\x82\x00\x03abc") == 7
    assert der_length(b"\x30\x05ab") is None
    assert der_length(b"\x00\x00") is None
    assert trim_der(b"\x30\x01a\x00\x00") == b"\x30\x01a"


def test_trusted_root_itself_is_what_is_trusted(rsa_pki: Pki) -> None:
    assert isinstance(rsa_pki.root, x509.Certificate)
    empty = TrustStore([])
    result = verify(
        make_card(rsa_pki.rrn_key, rsa_pki.rrn_cert).files, None, trust=empty, today=TODAY
    )
    assert result.rrn_chain.status is CheckStatus.NOT_CHECKED


# --- The simulator's deck: every profile parses and verifies as its profile says. ---

try:
    from cardreader.simulator import files as _simulator_files
    from cardreader.simulator import profile as _simulator_profile
except ImportError:  # the deck is built by another part of the project
    _simulator_files = _simulator_profile = None  # type: ignore[assignment]

DECK_TODAY = dt.date(2026, 11, 29)


def _deck_eid_profiles() -> list[str]:
    if _simulator_profile is None:
        return []
    names = _simulator_profile.profile_names()
    return [n for n in names if _simulator_profile.load_profile(n).kind == "eid"]


@pytest.fixture(scope="module")
def test_mode_trust() -> TrustStore:
    return TrustStore.default(test_mode=True)


@pytest.mark.parametrize("name", _deck_eid_profiles())
def test_every_deck_profile_parses_and_verifies(name: str, test_mode_trust: TrustStore) -> None:
    from cardreader.insz import validate_insz
    from cardreader.models import CardFiles
    from cardreader.parse import document_type_of, parse_address, parse_card_data, parse_identity

    sim = _simulator_files
    assert sim is not None and _simulator_profile is not None
    profile = _simulator_profile.load_profile(name)
    image = sim.build_image(profile)
    files = CardFiles(
        atr=image.atr,
        card_data=image.card_data,
        identity=image.files[sim.IDENTITY],
        identity_signature=image.files[sim.IDENTITY_SIGNATURE],
        address=image.files[sim.ADDRESS],
        address_signature=image.files[sim.ADDRESS_SIGNATURE],
        rrn_certificate=image.files.get(sim.RRN_CERT),
        root_certificate=image.files.get(sim.ROOT_CERT),
        basic_public_key=image.files.get(sim.BASIC_PUBLIC_KEY),
        photo=image.files[sim.PHOTO],
    )
    card_data = parse_card_data(image.card_data_extended or image.card_data)
    identity = parse_identity(files.identity)
    assert files.address is not None
    address = parse_address(files.address)

    # What the profile prints is what we read (tampered fields excepted).
    expected = profile.identity
    assert expected is not None and profile.address is not None
    assert identity.national_number == validate_insz(expected.national_number, test_mode=True)
    assert identity.birth_date.raw == expected.birth_date
    assert identity.document_type_raw == expected.document_type
    assert (identity.document_type, identity.document_type_code) == document_type_of(
        expected.document_type
    )
    assert {f"{t:02x}" for t in identity.unknown_tags} == {f"{t:02x}" for t in expected.extra_tags}
    if "identity" not in profile.tamper:
        assert identity.surname == expected.surname
    if "address" not in profile.tamper:
        assert address.street_and_number == profile.address.street_and_number
    assert address.postal_code == profile.address.postal_code
    assert card_data.applet_version == {"1.7": 0x17, "1.8": 0x18}[profile.applet]
    assert card_data.life_cycle == profile.life_cycle

    result = verify(files, card_data, trust=test_mode_trust, today=DECK_TODAY)
    if profile.tamper:
        assert result.verdict is Verdict.NOT_AUTHENTIC
        checks = {
            "identity": result.identity_signature,
            "address": result.address_signature,
            "photo": result.photo_hash,
        }
        for target in profile.tamper:
            assert checks[target].status is CheckStatus.INVALID
    elif profile.signer == "rogue":
        assert result.verdict is Verdict.NOT_VERIFIABLE
        assert result.rrn_chain.status is CheckStatus.NOT_CHECKED
        assert result.identity_signature.status is CheckStatus.VALID
    else:
        assert result.verdict is Verdict.AUTHENTIC, result.reasons
    end = identity.validity_end
    assert end is not None
    assert (result.validity is ValidityStatus.EXPIRED) == (end < DECK_TODAY)


def test_checks_run_side_by_side_keep_their_order_and_errors() -> None:
    """``_both`` (EC cards: the two signatures at once) returns (first, second) and re-raises."""
    from cardreader.integrity import _both
    from cardreader.models import CheckResult

    def result(detail: str) -> CheckResult:
        return CheckResult(status=CheckStatus.VALID, detail=detail)

    for parallel in (False, True):
        first, second = _both(lambda: result("a"), lambda: result("b"), parallel=parallel)
        assert (first.detail, second.detail) == ("a", "b")

    def broken() -> CheckResult:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        _both(lambda: result("a"), broken, parallel=True)


def test_certificate_with_an_unknown_key_type_is_not_verifiable_not_a_crash() -> None:
    """A certificate that parses but whose key cryptography cannot load (unknown key OID)."""
    from cryptography import x509 as x509_
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec as ec_
    from cryptography.hazmat.primitives.asymmetric import ed25519
    from cryptography.x509.oid import NameOID

    from cardreader.integrity import verify
    from cardreader.models import CardFiles
    from cardreader.trust import TrustStore

    issuer = ec_.generate_private_key(ec_.SECP384R1())
    name = x509_.Name([x509_.NameAttribute(NameOID.COMMON_NAME, "RRN")])
    start = dt.datetime(2025, 1, 1)
    certificate = (
        x509_.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(ed25519.Ed25519PrivateKey.generate().public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=3650))
        .sign(issuer, hashes.SHA384())
    )
    der = certificate.public_bytes(serialization.Encoding.DER)
    # the key's algorithm OID 1.3.101.112 (Ed25519) becomes 1.3.101.114 (unknown)
    ed25519_oid, unknown_oid = b"\x06\x03\x2b\x65\x70", b"\x06\x03\x2b\x65\x72"
    assert der.count(ed25519_oid) == 1
    files = CardFiles(
        identity=b"\x01\x01A",
        identity_signature=b"\x30\x02\x00\x00",
        rrn_certificate=der.replace(ed25519_oid, unknown_oid),
    )
    result = verify(files, None, trust=TrustStore([]), today=dt.date(2026, 1, 1))
    assert result.verdict is Verdict.NOT_VERIFIABLE
