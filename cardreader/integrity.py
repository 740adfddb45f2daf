"""Is what the card says what the national register signed?

Each check gives a ``CheckResult``; a mismatch is a result, never an exception,
because the clerk must see "card data not authentic" rather than a crash.

What is signed (eid-card.md, Belpic manuals, eid-mw, commons-eid):

- identity signature (4032) over the identity file (4031) exactly as read;
- address signature (4034) over the address file (4033) with its trailing
  00 bytes stripped, followed by the identity signature. For that identity
  signature we use the signature itself, trimmed to its true length (the
  whole file on RSA cards, the DER signature without its zero padding on EC
  cards: commons-eid's reading); the file exactly as read is accepted too, as
  it is the same bytes on RSA cards and some readers hash it that way. The
  simulator signs the trimmed form.
- the algorithm follows the RRN certificate's key (not the applet version):
  RSA is PKCS#1 v1.5 with SHA-256, else SHA-1 (older cards); EC is ECDSA
  P-384 with SHA-384 over a DER signature padded with zeros (true length =
  second byte + 2).
- the photo hash (tag 11) algorithm follows its length (20, 32, 48 bytes);
- on applet 1.8, tag 1A is the SHA-384 of the basic public key file (4040).
- the RRN certificate must be issued by a root in the ``TrustStore``.

Verdict: NOT_AUTHENTIC when any check is INVALID, NOT_VERIFIABLE when a check
that matters could not be made (no trusted root, missing signature, ...), else
AUTHENTIC. The card's validity dates do not change authenticity but are
reported next to it. Reasons are plain English and carry no personal data.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Callable, Iterable

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from cardreader.errors import CardDataError
from cardreader.models import (
    CardData,
    CardFiles,
    CheckResult,
    CheckStatus,
    LifeCycleStatus,
    ValidityStatus,
    Verdict,
    Verification,
)
from cardreader.parse import (
    TAG_BASIC_KEY_HASH,
    TAG_PHOTO_HASH,
    TAG_VALIDITY_END,
    TAG_VALIDITY_START,
    parse_card_date,
    strip_padding,
)
from cardreader.tlv import parse_tlv
from cardreader.trust import TrustStore

APPLET_1_8 = 0x18
#: Photo hash algorithm by hash length (tag 11): older cards SHA-1, newer SHA-256/384.
_PHOTO_HASHES: dict[int, type[hashes.HashAlgorithm]] = {
    20: hashes.SHA1,
    32: hashes.SHA256,
    48: hashes.SHA384,
}

_Verifier = Callable[[bytes, bytes], bool]


def digest(algorithm: hashes.HashAlgorithm, data: bytes) -> bytes:
    hasher = hashes.Hash(algorithm)
    hasher.update(data)
    return hasher.finalize()


def _result(status: CheckStatus, detail: str) -> CheckResult:
    return CheckResult(status=status, detail=detail)


def der_length(data: bytes) -> int | None:
    """Total length of the DER element at the start of ``data``, or None if it is not one."""
    if len(data) < 2 or data[0] == 0x00:
        return None
    first = data[1]
    if first < 0x80:
        total = 2 + first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or len(data) < 2 + count:
            return None
        total = 2 + count + int.from_bytes(data[2 : 2 + count], "big")
    return total if total <= len(data) else None


def trim_der(data: bytes) -> bytes | None:
    """A zero-padded DER element without its padding; None if the data is no DER element."""
    length = der_length(data)
    return data[:length] if length is not None else None


def _is_blank(data: bytes | None) -> bool:
    return data is None or not data.strip(b"\x00")


def load_rrn_certificate(data: bytes) -> x509.Certificate:
    """The RRN certificate from its zero-padded file; ``CardDataError`` if it is corrupt."""
    der = trim_der(data)
    if der is None:
        raise CardDataError("The national register certificate file is not DER data.")
    try:
        return _parse_certificate(der)
    except ValueError:
        raise CardDataError("The national register certificate cannot be parsed.") from None


@functools.lru_cache(maxsize=16)
def _parse_certificate(der: bytes) -> x509.Certificate:
    # Cached on the exact bytes: every card of a period carries the same RRN
    # certificate. Certificates are immutable; a ValueError is not cached.
    return x509.load_der_x509_certificate(der)


def _rsa_verifier(key: rsa.RSAPublicKey) -> _Verifier:
    def verify(signature: bytes, message: bytes) -> bool:
        # Cards personalised before the SHA-256 switch are signed with SHA-1.
        for algorithm in (hashes.SHA256(), hashes.SHA1()):  # noqa: S303
            try:
                key.verify(signature, message, padding.PKCS1v15(), algorithm)
            except (InvalidSignature, ValueError):
                continue
            return True
        return False

    return verify


def _ec_verifier(key: ec.EllipticCurvePublicKey) -> _Verifier:
    def verify(signature: bytes, message: bytes) -> bool:
        der = trim_der(signature)
        if der is None:
            return False
        try:
            key.verify(der, message, ec.ECDSA(hashes.SHA384()))
        except (InvalidSignature, ValueError, UnsupportedAlgorithm):
            return False
        return True

    return verify


def _public_key(cert: x509.Certificate) -> object | None:
    """The certificate's key, or None when cryptography cannot load it (unknown type)."""
    try:
        return cert.public_key()
    except (ValueError, UnsupportedAlgorithm):
        return None


def signature_verifier(key: object | None) -> _Verifier | None:
    """How to check the card's signatures with this key (``_public_key``); None if unknown."""
    if isinstance(key, rsa.RSAPublicKey):
        return _rsa_verifier(key)
    if isinstance(key, ec.EllipticCurvePublicKey):
        return _ec_verifier(key)
    return None


def signature_forms(identity_signature: bytes) -> list[bytes]:
    """The identity signature as it may appear in the address-signed data (trimmed first)."""
    forms: list[bytes] = []
    trimmed = trim_der(identity_signature) if identity_signature[:1] == b"\x30" else None
    for form in (trimmed, identity_signature):
        if form is not None and form not in forms:
            forms.append(form)
    return forms


def _check_identity_signature(files: CardFiles, verifier: _Verifier | None) -> CheckResult:
    if _is_blank(files.identity_signature):
        return _result(CheckStatus.NOT_CHECKED, "The identity signature was not read.")
    if verifier is None:
        return _result(
            CheckStatus.NOT_CHECKED, "No usable national register key to check the identity."
        )
    assert files.identity_signature is not None
    if verifier(files.identity_signature, files.identity):
        return _result(CheckStatus.VALID, "The identity data matches its signature.")
    return _result(
        CheckStatus.INVALID,
        "The identity data does not match its signature: it may have been altered.",
    )


def _check_address_signature(files: CardFiles, verifier: _Verifier | None) -> CheckResult:
    if files.address is None:
        return _result(CheckStatus.NOT_CHECKED, "The address was not read.")
    if _is_blank(files.address_signature) or _is_blank(files.identity_signature):
        return _result(CheckStatus.NOT_CHECKED, "The address signature was not read.")
    if verifier is None:
        return _result(
            CheckStatus.NOT_CHECKED, "No usable national register key to check the address."
        )
    assert files.address_signature is not None and files.identity_signature is not None
    address = strip_padding(files.address)
    for form in signature_forms(files.identity_signature):
        if verifier(files.address_signature, address + form):
            return _result(CheckStatus.VALID, "The address matches its signature.")
    return _result(
        CheckStatus.INVALID, "The address does not match its signature: it may have been altered."
    )


def _check_photo(files: CardFiles, tags: dict[int, bytes] | None) -> CheckResult:
    if files.photo is None:
        return _result(CheckStatus.NOT_CHECKED, "The photo was not read.")
    expected = (tags or {}).get(TAG_PHOTO_HASH)
    if not expected:
        return _result(CheckStatus.NOT_CHECKED, "The identity file holds no photo hash.")
    algorithm = _PHOTO_HASHES.get(len(expected))
    if algorithm is None:
        return _result(
            CheckStatus.NOT_CHECKED, f"Unknown photo hash length ({len(expected)} bytes)."
        )
    if digest(algorithm(), files.photo) == expected:
        return _result(CheckStatus.VALID, "The photo matches the hash in the identity file.")
    return _result(CheckStatus.INVALID, "The photo does not match the hash in the identity file.")


def _check_basic_key(
    files: CardFiles, card_data: CardData | None, tags: dict[int, bytes] | None
) -> CheckResult:
    # The hash in the (signed) identity file decides, not the applet version the card
    # claims in GET CARD DATA, which nothing signs: a card claiming 1.7 whose identity
    # carries a basic-key hash must still show a matching key.
    expected = (tags or {}).get(TAG_BASIC_KEY_HASH)
    applet = card_data.applet_version if card_data is not None else None
    if not expected:
        if applet is not None and applet >= APPLET_1_8:
            return _result(CheckStatus.NOT_CHECKED, "The identity file holds no basic key hash.")
        return _result(CheckStatus.NOT_APPLICABLE, "No basic key before applet 1.8.")
    if _is_blank(files.basic_public_key):
        return _result(CheckStatus.NOT_CHECKED, "The basic public key was not read.")
    assert files.basic_public_key is not None
    candidates: Iterable[bytes] = {
        files.basic_public_key,
        trim_der(files.basic_public_key) or files.basic_public_key,
    }
    if any(digest(hashes.SHA384(), candidate) == expected for candidate in candidates):
        return _result(CheckStatus.VALID, "The basic public key matches the identity file.")
    return _result(
        CheckStatus.INVALID, "The basic public key does not match the hash in the identity file."
    )


def _validity(tags: dict[int, bytes] | None, today: dt.date) -> ValidityStatus:
    def date_of(tag: int) -> dt.date | None:
        value = (tags or {}).get(tag)
        return parse_card_date(value.decode("ascii", errors="replace")) if value else None

    start, end = date_of(TAG_VALIDITY_START), date_of(TAG_VALIDITY_END)
    if start is not None and today < start:
        return ValidityStatus.NOT_YET_VALID
    if end is not None and today > end:
        return ValidityStatus.EXPIRED
    if start is None or end is None:
        return ValidityStatus.UNKNOWN
    return ValidityStatus.VALID


def _verdict(files: CardFiles, checks: dict[str, CheckResult]) -> tuple[Verdict, list[str]]:
    invalid = [c.detail for c in checks.values() if c.status is CheckStatus.INVALID]
    if invalid:
        return Verdict.NOT_AUTHENTIC, invalid
    needed = ["identity_signature", "rrn_chain", "basic_key_hash"]
    if files.address is not None:
        needed.append("address_signature")
    if files.photo is not None:
        needed.append("photo_hash")
    unchecked = [
        checks[name].detail for name in needed if checks[name].status is CheckStatus.NOT_CHECKED
    ]
    if unchecked:
        return Verdict.NOT_VERIFIABLE, unchecked
    return Verdict.AUTHENTIC, []


def _both(
    first: Callable[[], CheckResult], second: Callable[[], CheckResult], *, parallel: bool
) -> tuple[CheckResult, CheckResult]:
    """Both results; ``second`` on a thread of its own when ``parallel``.

    A P-384 verification takes about a millisecond and OpenSSL runs it without
    the GIL, so on an EC card (every card since 2020) the identity and address
    signatures are checked at the same time. Nothing is shared or kept between
    readings: the thread lives for this one call (and so survives a fork).
    """
    if not parallel:
        return first(), second()
    outcome: list[CheckResult | BaseException] = []

    def run() -> None:
        try:
            outcome.append(second())
        except BaseException as exc:  # handed to the caller below
            outcome.append(exc)

    worker = threading.Thread(target=run, name="eid-signature-check", daemon=True)
    try:
        worker.start()
    except RuntimeError:  # no thread to be had (the system is out of them): one after the other
        return first(), second()
    try:
        result = first()
    finally:
        worker.join()
    other = outcome[0]
    if isinstance(other, BaseException):
        raise other
    return result, other


def verify(
    files: CardFiles, card_data: CardData | None, *, trust: TrustStore, today: dt.date
) -> Verification:
    """Run every integrity check on the files as read; never raises for a mismatch."""
    reasons: list[str] = []
    verifier: _Verifier | None = None
    cert_is_ec = False
    if files.rrn_certificate is None:
        rrn_chain = _result(
            CheckStatus.NOT_CHECKED, "The national register certificate was not read."
        )
    elif _is_blank(files.rrn_certificate):
        rrn_chain = _result(
            CheckStatus.NOT_CHECKED, "The card holds no national register certificate."
        )
    else:
        try:
            cert = load_rrn_certificate(files.rrn_certificate)
        except CardDataError as err:
            rrn_chain = _result(CheckStatus.INVALID, str(err))
        else:
            rrn_chain = trust.check_issued(cert, today=today)
            key = _public_key(cert)  # parsed once: it picks the verifier and the threading
            verifier = signature_verifier(key)
            cert_is_ec = isinstance(key, ec.EllipticCurvePublicKey)
            if verifier is None:
                reasons.append("The national register certificate has an unsupported key type.")

    try:
        tags: dict[int, bytes] | None = parse_tlv(files.identity)
    except CardDataError:
        tags = None
        reasons.append("The identity file cannot be parsed.")

    identity_check, address_check = _both(
        lambda: _check_identity_signature(files, verifier),
        lambda: _check_address_signature(files, verifier),
        parallel=verifier is not None and cert_is_ec,
    )
    checks = {
        "identity_signature": identity_check,
        "address_signature": address_check,
        "photo_hash": _check_photo(files, tags),
        "basic_key_hash": _check_basic_key(files, card_data, tags),
        "rrn_chain": rrn_chain,
    }
    verdict, verdict_reasons = _verdict(files, checks)
    validity = _validity(tags, today)
    if validity is ValidityStatus.EXPIRED:
        verdict_reasons.append("The card has expired.")
    elif validity is ValidityStatus.NOT_YET_VALID:
        verdict_reasons.append("The card is not yet valid.")
    if card_data is None:
        life_cycle = LifeCycleStatus.UNKNOWN
    elif card_data.personalised:
        life_cycle = LifeCycleStatus.PERSONALISED
    else:
        life_cycle = LifeCycleStatus.NOT_PERSONALISED
        verdict_reasons.append(
            f"The card is not activated (life cycle 0x{card_data.life_cycle:02X};"
            " a card in use is personalised, 0x0F)."
        )
    return Verification(
        identity_signature=checks["identity_signature"],
        address_signature=checks["address_signature"],
        photo_hash=checks["photo_hash"],
        basic_key_hash=checks["basic_key_hash"],
        rrn_chain=checks["rrn_chain"],
        validity=validity,
        verdict=verdict,
        reasons=tuple(verdict_reasons + reasons),
        life_cycle=life_cycle,
    )
