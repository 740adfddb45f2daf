"""Which root certificates may vouch for an eID's national-register (RRN) certificate.

The RRN certificate on the card is issued directly by a Belgium Root CA, so one
step suffices: the root's key must have signed it, and both must be within
their validity period on the day of the reading. Production roots are the
public Belgium Root CA3, CA4 and CA6 (``resources/trust/belgium/``). Simulated
and test cards chain to a test root (``resources/trust/test/``) that is trusted
only in test mode: loaded in production mode it is refused outright, because a
trusted test root would let anyone make a "genuine" card.

Certificate signatures are checked with the issuer's public key and the
algorithm named in the certificate rather than ``verify_directly_issued_by``,
because CA3 and the RRN certificates it issued are signed with SHA-1, which
that helper rejects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from cardreader.errors import CardReaderError
from cardreader.models import CheckResult, CheckStatus
from cardreader.resources import resources_dir

CERTIFICATE_SUFFIXES = (".pem", ".crt", ".cer", ".der")


class TrustStoreError(CardReaderError):
    """The trust store cannot be built (unreadable root, test root in production)."""

    exit_code = 19


def issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """True when ``issuer``'s key made the signature on ``cert`` (any hash, SHA-1 too)."""
    if cert.issuer != issuer.subject:
        return False
    key = issuer.public_key()
    try:
        hash_algorithm = cert.signature_hash_algorithm
        params = cert.signature_algorithm_parameters
        if isinstance(key, rsa.RSAPublicKey) and isinstance(params, padding.PKCS1v15 | padding.PSS):
            if hash_algorithm is None:
                return False
            key.verify(cert.signature, cert.tbs_certificate_bytes, params, hash_algorithm)
            return True
        if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(params, ec.ECDSA):
            key.verify(cert.signature, cert.tbs_certificate_bytes, params)
            return True
    except (InvalidSignature, UnsupportedAlgorithm, ValueError, TypeError):
        return False
    return False


def within_validity(cert: x509.Certificate, today: dt.date) -> bool:
    return cert.not_valid_before_utc.date() <= today <= cert.not_valid_after_utc.date()


def load_certificates(path: Path) -> list[x509.Certificate]:
    """Every certificate in one PEM (possibly several) or DER file."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise TrustStoreError(f"Cannot read trust root {path.name}: {err.strerror}") from None
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise TrustStoreError(f"Trust root {path.name} is not a certificate.") from None


def _certificate_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.suffix.lower() in CERTIFICATE_SUFFIXES)


def _load_roots(directory: Path, *, kind: str) -> list[x509.Certificate]:
    roots: list[x509.Certificate] = []
    for path in _certificate_files(directory):
        for cert in load_certificates(path):
            if not issued_by(cert, cert):
                raise TrustStoreError(
                    f"{kind.capitalize()} root {path.name} is not a self-signed certificate."
                )
            roots.append(cert)
    return roots


class TrustStore:
    """The roots we accept, and the one-step chain check of an RRN certificate."""

    def __init__(
        self,
        roots: Iterable[x509.Certificate],
        *,
        test_roots: Iterable[x509.Certificate] = (),
    ) -> None:
        self._test_roots: tuple[x509.Certificate, ...] = tuple(test_roots)
        self._roots: tuple[x509.Certificate, ...] = tuple(roots) + self._test_roots

    @property
    def roots(self) -> Sequence[x509.Certificate]:
        """Every trusted root, test roots included."""
        return self._roots

    @property
    def test_mode(self) -> bool:
        """True when test roots are trusted."""
        return bool(self._test_roots)

    @classmethod
    def load(
        cls, production_roots_dir: Path, test_roots_dir: Path | None, *, test_mode: bool
    ) -> TrustStore:
        """Production roots always; test roots only in test mode (refused otherwise)."""
        roots = _load_roots(production_roots_dir, kind="production")
        test_roots: list[x509.Certificate] = []
        if test_roots_dir is not None:
            if not test_mode and _certificate_files(test_roots_dir):
                raise TrustStoreError(
                    "A test root certificate was given outside test mode; it is refused. "
                    "Test cards can only be verified in test mode."
                )
            if test_mode:
                test_roots = _load_roots(test_roots_dir, kind="test")
        if not roots and not test_roots:
            raise TrustStoreError("No trusted root certificate was found.")
        return cls(roots, test_roots=test_roots)

    @classmethod
    def default(cls, *, test_mode: bool) -> TrustStore:
        """The roots shipped in ``resources/trust``; the test root only in test mode."""
        trust = resources_dir() / "trust"
        return cls.load(
            trust / "belgium", trust / "test" if test_mode else None, test_mode=test_mode
        )

    def check_issued(self, cert: x509.Certificate, *, today: dt.date) -> CheckResult:
        """Is ``cert`` signed by a trusted root, and are both valid ``today``?

        INVALID when a trusted root of that name exists but did not sign it (a
        forgery under a real name); NOT_CHECKED when no trusted root matches or
        a date is out of range (nothing proves it false, nothing proves it true).
        """
        candidates = [root for root in self._roots if root.subject == cert.issuer]
        if not candidates:
            return CheckResult(
                status=CheckStatus.NOT_CHECKED,
                detail="The national register certificate does not come from a trusted root.",
            )
        signer = next((root for root in candidates if issued_by(cert, root)), None)
        if signer is None:
            return CheckResult(
                status=CheckStatus.INVALID,
                detail="The national register certificate carries a root's name "
                "but not that root's signature.",
            )
        if not within_validity(cert, today):
            return CheckResult(
                status=CheckStatus.NOT_CHECKED,
                detail="The national register certificate is outside its validity period.",
            )
        if not within_validity(signer, today):
            return CheckResult(
                status=CheckStatus.NOT_CHECKED,
                detail="The root certificate that issued the national register "
                "certificate is outside its validity period.",
            )
        if signer in self._test_roots:
            detail = "Issued by the test root (test mode: a simulated or test card)."
        else:
            detail = "Issued by a trusted Belgium root."
        return CheckResult(status=CheckStatus.VALID, detail=detail)
