"""WS-Security for the MAGDA SOAP requests: sign an envelope, and verify one (sandbox, tests).

Production MAGDA requests carry, besides mutual TLS, a ``wsse:Security`` header
signed with the same certificate (X.509 token profile, exclusive C14N):

* ``wsu:Timestamp`` (Created now, Expires a few minutes later, UTC);
* ``wsse:BinarySecurityToken`` holding the DER certificate (X509v3, Base64Binary);
* ``ds:Signature`` whose SignedInfo (exclusive C14N) has one Reference per signed
  part, the ``soap:Body`` and the Timestamp, each with an exclusive C14N transform
  and a SHA-256 digest; KeyInfo points at the token through a
  ``wsse:SecurityTokenReference``.

Canonicalisation is libxml2's (through lxml), keys and signatures are
``cryptography``'s: nothing cryptographic is written here. ECDSA signature values
use the XML-DSig form (r and s as fixed-length big-endian integers, concatenated).

The verifier exists for the sandbox (which can demand signed requests like MAGDA)
and for the tests. It refuses the classic wrapping tricks: every Reference must
resolve to exactly the envelope's own Body or the Timestamp of the one Security
header, an Id may occur only once in the whole document, and both parts must be
covered.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from lxml import etree

from counter_app.sources.errors import UnsafeAnswer
from counter_app.sources.safe_xml import parse_untrusted

SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
EXC_C14N_NS = "http://www.w3.org/2001/10/xml-exc-c14n#"

EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
X509V3 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"
BASE64_BINARY = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
ECDSA_SHA384 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384"
ECDSA_SHA512 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512"
DIGESTS: dict[str, Callable[[bytes], bytes]] = {
    "http://www.w3.org/2001/04/xmlenc#sha256": lambda data: hashlib.sha256(data).digest(),
    "http://www.w3.org/2001/04/xmldsig-more#sha384": lambda data: hashlib.sha384(data).digest(),
    "http://www.w3.org/2001/04/xmlenc#sha512": lambda data: hashlib.sha512(data).digest(),
}
SHA256_DIGEST = "http://www.w3.org/2001/04/xmlenc#sha256"
_ECDSA_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    ECDSA_SHA256: hashes.SHA256,
    ECDSA_SHA384: hashes.SHA384,
    ECDSA_SHA512: hashes.SHA512,
}

DEFAULT_LIFETIME = dt.timedelta(minutes=5)
DEFAULT_CLOCK_SKEW = dt.timedelta(minutes=2)
MAX_LIFETIME = dt.timedelta(hours=1)  # a verifier refuses longer-lived timestamps

_NSMAP = {"wsse": WSSE_NS, "ds": DS_NS}  # wsu is declared on the Envelope
_WSU_ID = f"{{{WSU_NS}}}Id"

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey


class SigningSetupError(ValueError):
    """The signing certificate or key cannot be used; ``str()`` is one line."""


class SignatureRefused(Exception):
    """A signed envelope did not verify.

    ``code`` is the WS-Security 1.0 fault code a service answers with (``InvalidSecurity``,
    ``FailedCheck``, ``MessageExpired``, ``InvalidSecurityToken``,
    ``FailedAuthentication``, ``UnsupportedAlgorithm``); ``reason`` says what was wrong.
    """

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _exc_c14n(element: etree._Element, inclusive_prefixes: Sequence[str] = ()) -> bytes:
    return etree.tostring(
        element,
        method="c14n",
        exclusive=True,
        with_comments=False,
        inclusive_ns_prefixes=list(inclusive_prefixes) or None,
    )


def _utc_stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{moment.microsecond // 1000:03d}Z"
    )


def _signature_method(key: PrivateKey | PublicKey) -> str:
    if isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        return RSA_SHA256
    curve_bits = key.curve.key_size
    if curve_bits <= 256:
        return ECDSA_SHA256
    if curve_bits <= 384:
        return ECDSA_SHA384
    return ECDSA_SHA512


def _ec_field_bytes(key: ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) -> int:
    return (key.curve.key_size + 7) // 8


def _sign_bytes(key: PrivateKey, method: str, data: bytes) -> bytes:
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    der = key.sign(data, ec.ECDSA(_ECDSA_HASHES[method]()))
    r, s = decode_dss_signature(der)
    size = _ec_field_bytes(key)
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def _verify_bytes(key: PublicKey, method: str, signature: bytes, data: bytes) -> None:
    """Raises InvalidSignature (or SignatureRefused for a method that does not fit the key)."""
    if isinstance(key, rsa.RSAPublicKey):
        if method != RSA_SHA256:
            raise SignatureRefused("UnsupportedAlgorithm", f"signature method {method} refused")
        key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        return
    if method not in _ECDSA_HASHES:
        raise SignatureRefused("UnsupportedAlgorithm", f"signature method {method} refused")
    size = _ec_field_bytes(key)
    if len(signature) != 2 * size:
        raise InvalidSignature
    r = int.from_bytes(signature[:size], "big")
    s = int.from_bytes(signature[size:], "big")
    key.verify(encode_dss_signature(r, s), data, ec.ECDSA(_ECDSA_HASHES[method]()))


def _new_id(kind: str) -> str:
    return f"{kind}-{uuid.uuid4().hex}"


def _direct(parent: etree._Element, namespace: str, name: str) -> list[etree._Element]:
    return [c for c in parent if isinstance(c.tag, str) and c.tag == f"{{{namespace}}}{name}"]


class WsSecuritySigner:
    """Signs SOAP 1.1 envelopes with one certificate and its private key.

    ``lifetime`` is the Timestamp window; ``clock`` (tests) gives the current time.
    """

    def __init__(
        self,
        certificate: x509.Certificate,
        key: PrivateKey,
        *,
        lifetime: dt.timedelta = DEFAULT_LIFETIME,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        spki = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        if certificate.public_key().public_bytes(*spki) != key.public_key().public_bytes(*spki):
            raise SigningSetupError("the signing key does not belong to the certificate")
        self.certificate = certificate
        self.key = key
        self.method = _signature_method(key)
        self.lifetime = lifetime
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._token = base64.b64encode(certificate.public_bytes(serialization.Encoding.DER))

    @classmethod
    def from_pem_files(
        cls, cert_path: Path, key_path: Path, *, lifetime: dt.timedelta = DEFAULT_LIFETIME
    ) -> WsSecuritySigner:
        """Load the TLS client certificate and key (PEM); SigningSetupError in one line."""
        try:
            certificate = x509.load_pem_x509_certificate(Path(cert_path).read_bytes())
        except OSError as exc:
            raise SigningSetupError(
                f"tls.client_cert {cert_path}: cannot read ({exc.strerror or exc})"
            ) from None
        except ValueError:
            raise SigningSetupError(
                f"tls.client_cert {cert_path}: not a PEM X.509 certificate"
            ) from None
        try:
            loaded = serialization.load_pem_private_key(Path(key_path).read_bytes(), password=None)
        except OSError as exc:
            raise SigningSetupError(
                f"tls.client_key {key_path}: cannot read ({exc.strerror or exc})"
            ) from None
        except TypeError:
            raise SigningSetupError(
                f"tls.client_key {key_path}: the key is password-protected (not supported)"
            ) from None
        except (ValueError, UnsupportedAlgorithm):
            raise SigningSetupError(f"tls.client_key {key_path}: not a PEM private key") from None
        if not isinstance(loaded, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise SigningSetupError(
                f"tls.client_key {key_path}: only RSA and EC keys can sign WS-Security"
            )
        if not isinstance(certificate.public_key(), rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
            raise SigningSetupError(f"tls.client_cert {cert_path}: not an RSA or EC certificate")
        try:
            return cls(certificate, loaded, lifetime=lifetime)
        except SigningSetupError:
            raise SigningSetupError(
                f"tls.client_key {key_path} does not belong to tls.client_cert {cert_path}"
            ) from None

    def sign(self, envelope: bytes) -> bytes:
        """The envelope with a signed ``wsse:Security`` header (ValueError if it is no envelope)."""
        try:
            root = parse_untrusted(envelope)
        except UnsafeAnswer as exc:
            raise ValueError(f"cannot sign: {exc.reason}") from None
        self.sign_tree(root)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    def sign_tree(self, root: etree._Element) -> None:
        """Add the signed Security header to ``root`` (a SOAP 1.1 Envelope) in place."""
        if root.tag != f"{{{SOAP_ENV_NS}}}Envelope":
            raise ValueError("cannot sign: not a SOAP 1.1 envelope")
        bodies = _direct(root, SOAP_ENV_NS, "Body")
        headers = _direct(root, SOAP_ENV_NS, "Header")
        if len(bodies) != 1 or len(headers) > 1:
            raise ValueError("cannot sign: the envelope needs one Body and at most one Header")
        body = bodies[0]
        if headers:
            header = headers[0]
        else:
            header = etree.Element(f"{{{SOAP_ENV_NS}}}Header")
            root.insert(0, header)
        if _direct(header, WSSE_NS, "Security"):
            raise ValueError("cannot sign: the envelope already has a Security header")
        body_id = body.get(_WSU_ID) or _new_id("Body")
        body.set(_WSU_ID, body_id)
        # declare wsu once on the envelope, so the Body carries no stray prefix declaration
        etree.cleanup_namespaces(root, top_nsmap={"wsu": WSU_NS})
        created = self._clock()
        security = etree.SubElement(header, f"{{{WSSE_NS}}}Security", nsmap=_NSMAP)
        security.set(f"{{{SOAP_ENV_NS}}}mustUnderstand", "1")
        timestamp_id = _new_id("TS")
        timestamp = etree.SubElement(security, f"{{{WSU_NS}}}Timestamp", {_WSU_ID: timestamp_id})
        etree.SubElement(timestamp, f"{{{WSU_NS}}}Created").text = _utc_stamp(created)
        etree.SubElement(timestamp, f"{{{WSU_NS}}}Expires").text = _utc_stamp(
            created + self.lifetime
        )
        token_id = _new_id("X509")
        token = etree.SubElement(
            security,
            f"{{{WSSE_NS}}}BinarySecurityToken",
            {"EncodingType": BASE64_BINARY, "ValueType": X509V3, _WSU_ID: token_id},
        )
        token.text = self._token.decode("ascii")
        signature = etree.SubElement(security, f"{{{DS_NS}}}Signature")
        signed_info = etree.SubElement(signature, f"{{{DS_NS}}}SignedInfo")
        etree.SubElement(signed_info, f"{{{DS_NS}}}CanonicalizationMethod", Algorithm=EXC_C14N)
        etree.SubElement(signed_info, f"{{{DS_NS}}}SignatureMethod", Algorithm=self.method)
        for part_id, part in ((body_id, body), (timestamp_id, timestamp)):
            reference = etree.SubElement(signed_info, f"{{{DS_NS}}}Reference", URI=f"#{part_id}")
            transforms = etree.SubElement(reference, f"{{{DS_NS}}}Transforms")
            etree.SubElement(transforms, f"{{{DS_NS}}}Transform", Algorithm=EXC_C14N)
            etree.SubElement(reference, f"{{{DS_NS}}}DigestMethod", Algorithm=SHA256_DIGEST)
            digest = hashlib.sha256(_exc_c14n(part)).digest()
            etree.SubElement(reference, f"{{{DS_NS}}}DigestValue").text = base64.b64encode(
                digest
            ).decode("ascii")
        value = _sign_bytes(self.key, self.method, _exc_c14n(signed_info))
        etree.SubElement(signature, f"{{{DS_NS}}}SignatureValue").text = base64.b64encode(
            value
        ).decode("ascii")
        key_info = etree.SubElement(signature, f"{{{DS_NS}}}KeyInfo")
        token_reference = etree.SubElement(key_info, f"{{{WSSE_NS}}}SecurityTokenReference")
        etree.SubElement(
            token_reference, f"{{{WSSE_NS}}}Reference", URI=f"#{token_id}", ValueType=X509V3
        )


# ---------------------------------------------------------------------------- verifying


@dataclass(frozen=True)
class VerifiedEnvelope:
    """What a verified request proves: who signed it and the Timestamp window."""

    certificate: x509.Certificate
    created: dt.datetime
    expires: dt.datetime


def _refuse(code: str, reason: str) -> SignatureRefused:
    return SignatureRefused(code, reason)


def _one(parent: etree._Element, namespace: str, name: str, what: str) -> etree._Element:
    found = _direct(parent, namespace, name)
    if len(found) != 1:
        count = "no" if not found else "more than one"
        raise _refuse("InvalidSecurity", f"{count} {what}")
    return found[0]


def _ids(root: etree._Element) -> dict[str, etree._Element]:
    """Every Id-like attribute of the document; a value used twice is refused."""
    seen: dict[str, etree._Element] = {}
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, raw in element.attrib.items():
            if etree.QName(name).localname not in ("Id", "ID", "id"):
                continue
            value = raw if isinstance(raw, str) else raw.decode("utf-8", "replace")
            if value in seen:
                raise _refuse("InvalidSecurity", f"duplicate Id {value[:64]!r} in the envelope")
            seen[value] = element
    return seen


def _parse_utc(value: str | None, what: str) -> dt.datetime:
    if not value:
        raise _refuse("InvalidSecurity", f"Timestamp without {what}")
    text = value.strip()
    if not text.endswith("Z"):
        raise _refuse("InvalidSecurity", f"Timestamp {what} is not in UTC (Z)")
    try:
        moment = dt.datetime.fromisoformat(text[:-1] + "+00:00")
    except ValueError:
        raise _refuse("InvalidSecurity", f"Timestamp {what} is not a date-time") from None
    return moment


def _algorithm(parent: etree._Element, name: str, what: str) -> etree._Element:
    element = _one(parent, DS_NS, name, what)
    if not element.get("Algorithm"):
        raise _refuse("InvalidSecurity", f"{what} without Algorithm")
    return element


def _inclusive_prefixes(method: etree._Element) -> list[str]:
    found = _direct(method, EXC_C14N_NS, "InclusiveNamespaces")
    if not found:
        return []
    return (found[0].get("PrefixList") or "").split()


def _reference_target(
    reference: etree._Element,
    ids: dict[str, etree._Element],
    allowed: Sequence[tuple[str, etree._Element]],
) -> tuple[str, etree._Element]:
    uri = reference.get("URI") or ""
    if not uri.startswith("#") or len(uri) < 2:
        raise _refuse("InvalidSecurity", f"reference {uri[:64]!r} is not a same-document Id")
    target = ids.get(uri[1:])
    if target is None:
        raise _refuse("InvalidSecurity", f"reference {uri[:64]!r} points at nothing")
    part = next((name for name, element in allowed if element is target), None)
    if part is None:
        raise _refuse(
            "InvalidSecurity",
            f"reference {uri[:64]!r} does not point at the envelope's own Body or Timestamp",
        )
    return part, target


def _check_reference(reference: etree._Element, target: etree._Element, part: str) -> None:
    transforms = _direct(reference, DS_NS, "Transforms")
    chain = [t for t in transforms[0] if isinstance(t.tag, str)] if len(transforms) == 1 else None
    if (
        chain is None
        or len(chain) != 1
        or chain[0].tag != f"{{{DS_NS}}}Transform"
        or chain[0].get("Algorithm") != EXC_C14N
    ):
        raise _refuse(
            "UnsupportedAlgorithm", f"the {part} reference must have one exclusive C14N transform"
        )
    digest_method = _algorithm(reference, "DigestMethod", f"{part} DigestMethod")
    digest = DIGESTS.get(digest_method.get("Algorithm") or "")
    if digest is None:
        raise _refuse("UnsupportedAlgorithm", f"digest method of the {part} refused")
    value = _one(reference, DS_NS, "DigestValue", f"{part} DigestValue")
    try:  # whitespace inside base64 text is allowed (xs:base64Binary)
        expected = base64.b64decode("".join((value.text or "").split()), validate=True)
    except ValueError:
        raise _refuse("InvalidSecurity", f"the {part} digest is not base64") from None
    actual = digest(_exc_c14n(target, _inclusive_prefixes(chain[0])))
    if not hmac.compare_digest(expected, actual):
        raise _refuse("FailedCheck", f"the {part} was changed after signing (digest mismatch)")


def _token_certificate(
    signature: etree._Element, security: etree._Element, ids: dict[str, etree._Element]
) -> x509.Certificate:
    key_info = _one(signature, DS_NS, "KeyInfo", "KeyInfo in the Signature")
    token_reference = _one(key_info, WSSE_NS, "SecurityTokenReference", "SecurityTokenReference")
    reference = _one(token_reference, WSSE_NS, "Reference", "token Reference")
    uri = reference.get("URI") or ""
    token = ids.get(uri[1:]) if uri.startswith("#") else None
    if (
        token is None
        or token.getparent() is not security
        or token.tag != f"{{{WSSE_NS}}}BinarySecurityToken"
    ):
        raise _refuse(
            "SecurityTokenUnavailable", "KeyInfo does not point at a token of this header"
        )
    if token.get("ValueType") != X509V3:
        raise _refuse("UnsupportedSecurityToken", "the security token is not an X509v3 certificate")
    if token.get("EncodingType", BASE64_BINARY) != BASE64_BINARY:
        raise _refuse("UnsupportedSecurityToken", "the security token is not Base64Binary")
    try:
        der = base64.b64decode("".join((token.text or "").split()), validate=True)
        return x509.load_der_x509_certificate(der)
    except ValueError:
        raise _refuse("InvalidSecurityToken", "the security token is not a certificate") from None


def _refuse_hidden_markup(
    root: etree._Element, body: etree._Element, header: etree._Element
) -> None:
    """Refuse processing instructions anywhere and comments in the Body or the header.

    SOAP 1.1 forbids processing instructions. Comments are left out of the digest
    (C14N without comments), so a comment slipped into a signed value leaves the
    signature valid while a reader that keeps comments sees the value cut short
    (the attack on SAML libraries of 2017): a signed request has none where it counts.
    """
    tree = root.getroottree()
    if any(True for _ in tree.iter(etree.ProcessingInstruction)):  # type: ignore[arg-type]
        raise _refuse("InvalidSecurity", "processing instructions are not allowed in SOAP")
    for part in (body, header):
        if any(True for _ in part.iter(etree.Comment)):  # type: ignore[arg-type]
            raise _refuse("InvalidSecurity", "comments inside the signed parts are refused")


def verify_envelope(
    envelope: bytes | etree._Element,
    *,
    trusted: Iterable[x509.Certificate] | None = None,
    now: dt.datetime | None = None,
    clock_skew: dt.timedelta = DEFAULT_CLOCK_SKEW,
) -> VerifiedEnvelope:
    """Verify a signed SOAP 1.1 request; SignatureRefused with the reason otherwise.

    ``trusted``, when given, is the set of certificates whose signatures are
    accepted (the clients a server knows); otherwise any valid token signs.
    """
    moment = now or dt.datetime.now(dt.UTC)
    if isinstance(envelope, bytes):
        try:  # as received: comments and processing instructions are judged below
            root = parse_untrusted(envelope, keep_markup=True)
        except UnsafeAnswer as exc:
            raise _refuse("InvalidSecurity", exc.reason) from None
    else:
        root = envelope
    if root.tag != f"{{{SOAP_ENV_NS}}}Envelope":
        raise _refuse("InvalidSecurity", "not a SOAP 1.1 envelope")
    header = _one(root, SOAP_ENV_NS, "Header", "SOAP Header")
    body = _one(root, SOAP_ENV_NS, "Body", "SOAP Body")
    _refuse_hidden_markup(root, body, header)
    securities = _direct(header, WSSE_NS, "Security")
    if not securities:
        raise _refuse("InvalidSecurity", "the request carries no WS-Security header")
    if len(securities) > 1:
        raise _refuse("InvalidSecurity", "more than one WS-Security header")
    security = securities[0]
    ids = _ids(root)
    timestamp = _one(security, WSU_NS, "Timestamp", "Timestamp in the Security header")
    signature = _one(security, DS_NS, "Signature", "Signature in the Security header")
    signed_info = _one(signature, DS_NS, "SignedInfo", "SignedInfo")
    c14n_method = _algorithm(signed_info, "CanonicalizationMethod", "CanonicalizationMethod")
    if c14n_method.get("Algorithm") != EXC_C14N:
        raise _refuse("UnsupportedAlgorithm", "SignedInfo must use exclusive C14N")
    method = _algorithm(signed_info, "SignatureMethod", "SignatureMethod").get("Algorithm") or ""
    allowed = (("Body", body), ("Timestamp", timestamp))  # the envelope's own, nothing else
    covered: set[str] = set()
    for reference in _direct(signed_info, DS_NS, "Reference"):
        part, target = _reference_target(reference, ids, allowed)
        if part in covered:
            raise _refuse("InvalidSecurity", f"the {part} is referenced twice")
        _check_reference(reference, target, part)
        covered.add(part)
    for part in ("Body", "Timestamp"):
        if part not in covered:
            raise _refuse("InvalidSecurity", f"the {part} is not signed")
    certificate = _token_certificate(signature, security, ids)
    if trusted is not None:
        pinned = {c.fingerprint(hashes.SHA256()) for c in trusted}
        if certificate.fingerprint(hashes.SHA256()) not in pinned:
            raise _refuse("FailedAuthentication", "the signing certificate is not trusted")
    if not (
        certificate.not_valid_before_utc - clock_skew
        <= moment
        <= certificate.not_valid_after_utc + clock_skew
    ):
        raise _refuse("InvalidSecurityToken", "the signing certificate is not valid now")
    public_key = certificate.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
        raise _refuse("UnsupportedSecurityToken", "the certificate has no RSA or EC key")
    value = _one(signature, DS_NS, "SignatureValue", "SignatureValue")
    try:
        raw = base64.b64decode("".join((value.text or "").split()), validate=True)
        _verify_bytes(
            public_key, method, raw, _exc_c14n(signed_info, _inclusive_prefixes(c14n_method))
        )
    except (ValueError, InvalidSignature):
        raise _refuse(
            "FailedCheck", "the signature does not match the token's certificate"
        ) from None
    created = _parse_utc(_one(timestamp, WSU_NS, "Created", "Created").text, "Created")
    expires = _parse_utc(_one(timestamp, WSU_NS, "Expires", "Expires").text, "Expires")
    if expires <= created or expires - created > MAX_LIFETIME:
        raise _refuse("InvalidSecurity", "Timestamp window is empty or too long")
    if created > moment + clock_skew:
        raise _refuse("MessageExpired", "Timestamp Created lies in the future")
    if expires < moment - clock_skew:
        raise _refuse("MessageExpired", "the message has expired (Timestamp)")
    return VerifiedEnvelope(certificate=certificate, created=created, expires=expires)


def refusal(
    envelope: bytes,
    *,
    trusted: Iterable[x509.Certificate] | None = None,
    now: dt.datetime | None = None,
) -> tuple[str, str] | None:
    """``(fault code, reason)`` when ``envelope`` does not verify, else None (for the sandbox)."""
    try:
        verify_envelope(envelope, trusted=trusted, now=now)
    except SignatureRefused as exc:
        return exc.code, exc.reason
    return None
