"""WS-Security: signed MAGDA envelopes verify, and every tampering is refused with its reason."""

from __future__ import annotations

import base64
import copy
import datetime as dt
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from lxml import etree

from counter_app.sources.base import QueryContext
from counter_app.sources.magda_soap import GEEF_PERSOON, Outcome, build_request, interpret_answer
from counter_app.sources.wssecurity import (
    DS_NS,
    ECDSA_SHA256,
    ECDSA_SHA384,
    EXC_C14N,
    RSA_SHA256,
    SOAP_ENV_NS,
    WSSE_NS,
    WSU_NS,
    X509V3,
    SignatureRefused,
    SigningSetupError,
    WsSecuritySigner,
    _sign_bytes,
    refusal,
    verify_envelope,
)
from tests.sources.wsspki import KINDS, Identity, make_identity

SOAP = f"{{{SOAP_ENV_NS}}}"
WSSE = f"{{{WSSE_NS}}}"
WSU = f"{{{WSU_NS}}}"
DS = f"{{{DS_NS}}}"
SUBJECT = "01700462685"


def envelope(insz: str = SUBJECT) -> bytes:
    def fill(vraag: etree._Element) -> None:
        criteria = etree.SubElement(etree.SubElement(vraag, "Inhoud"), "Criteria")
        etree.SubElement(criteria, "INSZ").text = insz

    return build_request(
        GEEF_PERSOON,
        ctx=QueryContext(subject_insz=insz, reference_date=dt.date(2026, 1, 5), purpose="ipdc2858"),
        organisation_id="gent.be",
        reference="ref-1",
        question_reference="q-1",
        now=dt.datetime(2026, 1, 5, 10, 0),
        fill_question=fill,
    )


@pytest.fixture(scope="module")
def identities(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Identity]:
    folder = tmp_path_factory.mktemp("wss")
    return {kind: make_identity(folder, kind) for kind in KINDS}


@pytest.fixture(scope="module")
def stranger(tmp_path_factory: pytest.TempPathFactory) -> Identity:
    return make_identity(tmp_path_factory.mktemp("stranger"), "ec-p256", name="someone else")


@pytest.fixture
def me(identities: dict[str, Identity]) -> Identity:
    return identities["ec-p256"]


def signed(identity: Identity, body: bytes | None = None) -> bytes:
    signer = WsSecuritySigner.from_pem_files(identity.cert, identity.key)
    return signer.sign(body if body is not None else envelope())


def tree(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def out(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def refused(data: bytes, **kwargs: object) -> SignatureRefused:
    with pytest.raises(SignatureRefused) as caught:
        verify_envelope(data, **kwargs)  # type: ignore[arg-type]
    return caught.value


@pytest.mark.parametrize(
    ("kind", "method"),
    [("rsa-2048", RSA_SHA256), ("ec-p256", ECDSA_SHA256), ("ec-p384", ECDSA_SHA384)],
)
def test_signed_envelope_verifies(identities: dict[str, Identity], kind: str, method: str) -> None:
    identity = identities[kind]
    data = signed(identity)
    result = verify_envelope(data, trusted=[identity.certificate])
    assert result.certificate == identity.certificate
    assert dt.timedelta(minutes=4) < result.expires - result.created <= dt.timedelta(minutes=5)
    root = tree(data)
    assert root.find(f"{SOAP}Header/{WSSE}Security/{DS}Signature/{DS}SignedInfo/"
                     f"{DS}SignatureMethod").get("Algorithm") == method  # fmt: skip


def test_the_header_has_the_x509_token_profile_shape(me: Identity) -> None:
    root = tree(signed(me))
    security = root.find(f"{SOAP}Header/{WSSE}Security")
    assert security is not None
    assert security.get(f"{SOAP}mustUnderstand") == "1"
    timestamp = security.find(f"{WSU}Timestamp")
    created = timestamp.findtext(f"{WSU}Created")
    expires = timestamp.findtext(f"{WSU}Expires")
    assert created.endswith("Z") and expires.endswith("Z") and created < expires
    token = security.find(f"{WSSE}BinarySecurityToken")
    assert token.get("ValueType") == X509V3
    assert token.get("EncodingType").endswith("#Base64Binary")
    der = me.certificate.public_bytes(serialization.Encoding.DER)
    assert base64.b64decode(token.text) == der
    signed_info = security.find(f"{DS}Signature/{DS}SignedInfo")
    assert signed_info.find(f"{DS}CanonicalizationMethod").get("Algorithm") == EXC_C14N
    uris = [r.get("URI") for r in signed_info.iterfind(f"{DS}Reference")]
    body = root.find(f"{SOAP}Body")
    assert uris == ["#" + body.get(f"{WSU}Id"), "#" + timestamp.get(f"{WSU}Id")]
    for reference in signed_info.iterfind(f"{DS}Reference"):
        (transform,) = reference.iterfind(f"{DS}Transforms/{DS}Transform")
        assert transform.get("Algorithm") == EXC_C14N
        assert reference.find(f"{DS}DigestMethod").get("Algorithm").endswith("#sha256")
    key_ref = security.find(
        f"{DS}Signature/{DS}KeyInfo/{WSSE}SecurityTokenReference/{WSSE}Reference"
    )
    assert key_ref.get("URI") == "#" + token.get(f"{WSU}Id")
    # the MAGDA payload itself is untouched
    assert body[0].tag == tree(envelope()).find(f"{SOAP}Body")[0].tag
    assert body.findtext(".//INSZ") == SUBJECT


def test_unsigned_request_is_refused() -> None:
    reason = refused(envelope())
    assert reason.code == "InvalidSecurity"
    assert "no WS-Security header" in reason.reason


def test_changed_body_is_refused(me: Identity) -> None:
    data = signed(me).replace(SUBJECT.encode(), b"62691699717")
    reason = refused(data)
    assert reason.code == "FailedCheck"
    assert "Body was changed" in reason.reason


def test_changed_timestamp_is_refused(me: Identity) -> None:
    root = tree(signed(me))
    expires = root.find(f".//{WSU}Timestamp/{WSU}Expires")
    expires.text = "2099-01-01T00:00:00.000Z"
    reason = refused(out(root))
    assert reason.code == "FailedCheck"
    assert "Timestamp was changed" in reason.reason


def test_expired_and_future_timestamps_are_refused(me: Identity) -> None:
    data = signed(me)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
    reason = refused(data, now=later)
    assert (reason.code, reason.reason) == ("MessageExpired", "the message has expired (Timestamp)")
    earlier = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=4)
    assert "future" in refused(data, now=earlier).reason
    # within the allowed clock skew it still passes
    verify_envelope(data, now=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=6))


def test_signature_by_another_key_is_refused(me: Identity, stranger: Identity) -> None:
    """A token swapped for our certificate does not make the stranger's signature ours."""
    root = tree(signed(stranger))
    token = root.find(f".//{WSSE}BinarySecurityToken")
    token.text = base64.b64encode(me.certificate.public_bytes(serialization.Encoding.DER)).decode()
    reason = refused(out(root))
    assert reason.code == "FailedCheck"
    assert "does not match the token's certificate" in reason.reason


def test_untrusted_certificate_is_refused(me: Identity, stranger: Identity) -> None:
    data = signed(stranger)
    verify_envelope(data)  # a valid signature in itself
    reason = refused(data, trusted=[me.certificate])
    assert (reason.code, reason.reason) == (
        "FailedAuthentication",
        "the signing certificate is not trusted",
    )


def test_wrapped_body_is_refused(me: Identity) -> None:
    """Classic wrapping: the signed Body moves into the header, a forged Body takes its place."""
    root = tree(signed(me))
    original = root.find(f"{SOAP}Body")
    forged = copy.deepcopy(original)
    del forged.attrib[f"{WSU}Id"]
    forged.find(".//INSZ").text = "62691699717"
    wrapper = etree.SubElement(root.find(f"{SOAP}Header"), "Wrapper")
    wrapper.append(original)  # moves it
    root.append(forged)
    reason = refused(out(root))
    assert reason.code == "InvalidSecurity"
    assert "does not point at the envelope's own Body or Timestamp" in reason.reason


def test_wrapped_timestamp_is_refused(me: Identity) -> None:
    root = tree(signed(me))
    security = root.find(f".//{WSSE}Security")
    timestamp = security.find(f"{WSU}Timestamp")
    wrapper = etree.SubElement(root.find(f"{SOAP}Header"), "Wrapper")
    wrapper.append(timestamp)  # the signed one, out of the Security header
    fresh = etree.SubElement(security, f"{WSU}Timestamp")
    etree.SubElement(fresh, f"{WSU}Created").text = "2020-01-01T00:00:00.000Z"
    etree.SubElement(fresh, f"{WSU}Expires").text = "2099-01-01T00:00:00.000Z"
    reason = refused(out(root))
    assert "does not point at the envelope's own Body or Timestamp" in reason.reason


def test_duplicate_id_is_refused(me: Identity) -> None:
    """A second element carrying the Body's Id (a forged Body beside the signed copy)."""
    root = tree(signed(me))
    original = root.find(f"{SOAP}Body")
    decoy = copy.deepcopy(original)
    decoy.tag = "Decoy"
    etree.SubElement(root.find(f"{SOAP}Header"), "Extra").append(decoy)
    reason = refused(out(root))
    assert reason.code == "InvalidSecurity"
    assert reason.reason.startswith("duplicate Id 'Body-")


def test_unsigned_timestamp_is_refused(me: Identity) -> None:
    root = tree(signed(me))
    signed_info = root.find(f".//{DS}SignedInfo")
    signed_info.remove(signed_info.findall(f"{DS}Reference")[1])
    assert refused(out(root)).reason == "the Timestamp is not signed"


def test_two_security_headers_are_refused(me: Identity) -> None:
    root = tree(signed(me))
    header = root.find(f"{SOAP}Header")
    header.append(copy.deepcopy(header.find(f"{WSSE}Security")))
    # the copy duplicates Ids as well; the header count is checked first
    assert refused(out(root)).reason == "more than one WS-Security header"


def test_refusal_gives_code_and_reason(me: Identity) -> None:
    assert refusal(signed(me), trusted=[me.certificate]) is None
    assert refusal(envelope()) == ("InvalidSecurity", "the request carries no WS-Security header")


def test_an_envelope_is_signed_once(me: Identity) -> None:
    signer = WsSecuritySigner.from_pem_files(me.cert, me.key)
    with pytest.raises(ValueError, match="already has a Security header"):
        signer.sign(signer.sign(envelope()))


def test_setup_errors_are_one_line(tmp_path: Path, me: Identity, stranger: Identity) -> None:
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a pem\n")
    cases = [
        ((tmp_path / "absent.pem", me.key), "tls.client_cert"),
        ((garbage, me.key), "not a PEM X.509 certificate"),
        ((me.cert, garbage), "not a PEM private key"),
        ((me.cert, stranger.key), "does not belong to tls.client_cert"),
    ]
    encrypted = tmp_path / "encrypted.key"
    key = serialization.load_pem_private_key(me.key.read_bytes(), password=None)
    encrypted.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"secret"),
        )
    )
    cases.append(((me.cert, encrypted), "password-protected"))
    for (cert, key_path), message in cases:
        with pytest.raises(SigningSetupError) as caught:
            WsSecuritySigner.from_pem_files(cert, key_path)
        assert message in str(caught.value)
        assert "\n" not in str(caught.value)


def test_a_wss_fault_reads_as_a_signature_refusal() -> None:
    fault = (
        b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"'
        b' xmlns:wsse="' + WSSE_NS.encode() + b'"><soapenv:Body><soapenv:Fault>'
        b"<faultcode>wsse:FailedCheck</faultcode><faultstring>x</faultstring>"
        b"</soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    )
    classified = interpret_answer(fault, GEEF_PERSOON, "ref-1")
    assert classified.outcome is Outcome.FAILED
    assert not classified.transient
    assert classified.reason == (
        "MAGDA refused the request's WS-Security signature (wsse:FailedCheck: invalid signature)"
    )


@pytest.mark.parametrize(
    ("inserted", "reason"),
    [
        (b"<!---->", "comments inside the signed parts"),  # left out of the digest
        (b"<?x y?>", "processing instructions"),  # kept by C14N: a changed Body
    ],
)
def test_markup_slipped_into_a_signed_value_is_refused(
    me: Identity, inserted: bytes, reason: str
) -> None:
    """The 2017 SAML trick: a comment cuts a value short for readers that keep comments."""
    data = signed(me)
    start = data.index(SUBJECT.encode())
    tampered = data[: start + 8] + inserted + data[start + 8 :]
    assert reason in refused(tampered, trusted=[me.certificate]).reason


def test_a_comment_outside_the_signed_parts_is_harmless(me: Identity) -> None:
    data = signed(me).replace(b"<soapenv:Header>", b"<!-- routed --><soapenv:Header>", 1)
    assert b"<!-- routed -->" in data
    verify_envelope(data, trusted=[me.certificate])


def test_base64_values_may_be_wrapped_on_several_lines(me: Identity) -> None:
    """Other signing stacks pretty-print: whitespace inside base64 is allowed (xs:base64Binary).

    The digests sit inside SignedInfo, so a signer that wraps them signs them wrapped:
    done here by signing SignedInfo again after wrapping.
    """

    def wrap(text: str) -> str:
        return "\n  " + "\n  ".join(text[i : i + 16] for i in range(0, len(text), 16)) + "\n"

    signer = WsSecuritySigner.from_pem_files(me.cert, me.key)
    root = tree(signer.sign(envelope()))
    for digest in root.iter(f"{DS}DigestValue"):
        digest.text = wrap(digest.text or "")
    signed_info = next(root.iter(f"{DS}SignedInfo"))
    canonical = etree.tostring(signed_info, method="c14n", exclusive=True, with_comments=False)
    value = _sign_bytes(signer.key, signer.method, canonical)
    next(root.iter(f"{DS}SignatureValue")).text = wrap(base64.b64encode(value).decode())
    verify_envelope(out(root), trusted=[me.certificate])
