"""A throw-away PKI for the tests: a root, an RRN certificate, and a card signed with it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

from cardreader.models import CardData, CardFiles
from cardreader.tlv import encode_tlv

from .eid_files import IDENTITY_TAGS, address_file

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
CertHash = hashes.SHA256 | hashes.SHA384 | hashes.SHA512
NOT_BEFORE = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
NOT_AFTER = dt.datetime(2045, 1, 1, tzinfo=dt.UTC)


def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP384R1())


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def make_root(
    key: PrivateKey,
    common_name: str = "Loket Test Root CA",
    *,
    hash_alg: CertHash | None = None,
) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hash_alg or hashes.SHA256())
    )


def make_rrn_cert(
    key: PrivateKey,
    issuer_key: PrivateKey,
    issuer: x509.Certificate,
    *,
    not_before: dt.datetime = NOT_BEFORE,
    not_after: dt.datetime = NOT_AFTER,
    hash_alg: CertHash | None = None,
) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(_name("RRN"))
        .issuer_name(issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .sign(issuer_key, hash_alg or hashes.SHA256())
    )


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def sign(key: PrivateKey, data: bytes, *, rsa_hash: hashes.HashAlgorithm | None = None) -> bytes:
    """Sign like the card: RSA PKCS#1 v1.5, or ECDSA P-384 DER padded with zeros to 0x70 bytes."""
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), rsa_hash or hashes.SHA256())
    signature = key.sign(data, ec.ECDSA(hashes.SHA384()))
    return signature + bytes(0x70 - len(signature))


def sha(algorithm: hashes.HashAlgorithm, data: bytes) -> bytes:
    hasher = hashes.Hash(algorithm)
    hasher.update(data)
    return hasher.finalize()


@dataclass
class SimulatedCard:
    """The files of one simulated card, consistent unless a test spoils them."""

    files: CardFiles
    card_data: CardData | None
    identity_tags: dict[int, bytes] = field(default_factory=dict)


def make_card(
    rrn_key: PrivateKey,
    rrn_cert: x509.Certificate,
    *,
    rsa_hash: hashes.HashAlgorithm | None = None,
    applet: int = 0x17,
    photo_hash_alg: hashes.HashAlgorithm | None = None,
    overrides: dict[int, bytes] | None = None,
    address_signature_over_padded_id_sig: bool = False,
) -> SimulatedCard:
    photo = b"\xff\xd8\xff\xe0 fictitious JPEG \xff\xd9" * 20
    basic_key = (
        ec_key()
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        if applet >= 0x18
        else None
    )
    tags = dict(IDENTITY_TAGS)
    tags[0x11] = sha(photo_hash_alg or hashes.SHA256(), photo)
    if basic_key is not None:
        tags[0x1A] = sha(hashes.SHA384(), basic_key)
    tags.update(overrides or {})
    version = [(0x00, b"\x01\x08")] if applet >= 0x18 else []
    identity = encode_tlv(version + sorted(tags.items()))
    identity_signature = sign(rrn_key, identity, rsa_hash=rsa_hash)
    address = address_file(version=b"\x01\x08" if applet >= 0x18 else None)
    id_sig_form = (
        identity_signature
        if address_signature_over_padded_id_sig
        else identity_signature[: identity_signature[1] + 2]
        if identity_signature[0] == 0x30 and isinstance(rrn_key, ec.EllipticCurvePrivateKey)
        else identity_signature
    )
    address_signature = sign(rrn_key, address.rstrip(b"\x00") + id_sig_form, rsa_hash=rsa_hash)
    raw_card_data = bytearray(28)
    raw_card_data[21] = applet
    raw_card_data[27] = 0x0F
    card_data = CardData(
        raw=bytes(raw_card_data),
        serial_number=bytes(16),
        applet_version=applet,
        life_cycle=0x0F,
    )
    rrn_file = der(rrn_cert) + bytes(2048 - len(der(rrn_cert)))
    files = CardFiles(
        identity=identity,
        identity_signature=identity_signature,
        address=address,
        address_signature=address_signature,
        rrn_certificate=rrn_file,
        basic_public_key=basic_key,
        photo=photo,
    )
    return SimulatedCard(files=files, card_data=card_data, identity_tags=tags)
