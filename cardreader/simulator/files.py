"""Build the files of a simulated card from its profile, exactly as a real BELPIC card holds them.

The reader must not be able to tell the simulator from a card, so the bytes
follow the card's own rules (eid-card.md): identity tags ascending with the
file version (tag 00) and the basic-key hash (tag 1A) on applet 1.8, the photo
hash by applet (SHA-256 on 1.7, SHA-384 on 1.8), the address zero-padded to
117 / 121 bytes, certificate files zero-padded after their DER, and the two
signatures made by the RRN key:

- identity signature over the identity file exactly as stored;
- address signature over the address file with its trailing zero bytes
  stripped, followed by the identity signature at its true length (the whole
  file on RSA; the DER signature without its zero padding on EC, as
  commons-eid reads it; ``cardreader.integrity`` also accepts the padded form).

RSA (applet 1.7 profiles) signs PKCS#1 v1.5 with SHA-256; EC (applet 1.8)
signs ECDSA P-384 / SHA-384, DER-encoded and zero-padded. ECDSA signing is
deterministic (RFC 6979) so the same profile always yields the same bytes.
Tampering is applied *after* signing, as an attacker would.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from cardreader.simulator.profile import CardProfile, IdentityProfile, cards_dir
from cardreader.simulator.testpki import Signer, load_signer
from cardreader.tlv import encode_tlv

FilePath = tuple[int, int, int]

MF = 0x3F00
DF_ID = 0xDF01
DF_CERT = 0xDF00

IDENTITY = (MF, DF_ID, 0x4031)
IDENTITY_SIGNATURE = (MF, DF_ID, 0x4032)
ADDRESS = (MF, DF_ID, 0x4033)
ADDRESS_SIGNATURE = (MF, DF_ID, 0x4034)
PHOTO = (MF, DF_ID, 0x4035)
BASIC_PUBLIC_KEY = (MF, DF_ID, 0x4040)
TOKEN_INFO = (MF, DF_CERT, 0x5032)
AUTH_CERT = (MF, DF_CERT, 0x5038)
SIGN_CERT = (MF, DF_CERT, 0x5039)
CA_CERT = (MF, DF_CERT, 0x503A)
ROOT_CERT = (MF, DF_CERT, 0x503B)
RRN_CERT = (MF, DF_CERT, 0x503C)

ADDRESS_SIZE = {"1.7": 117, "1.8": 121}
EC_SIGNATURE_FILE_SIZE = 104  # the longest DER ECDSA P-384 signature
IDENTITY_FILE_VERSION = b"\x00\x03"
ADDRESS_FILE_VERSION = b"\x00\x01"
APPLET_VERSION_BYTE = {"1.7": 0x17, "1.8": 0x18}

_IDENTITY_TAGS: tuple[tuple[int, str], ...] = (
    (0x01, "card_number"),
    (0x03, "validity_start"),
    (0x04, "validity_end"),
    (0x05, "issuing_municipality"),
    (0x06, "national_number"),
    (0x07, "surname"),
    (0x08, "given_names"),
    (0x09, "third_initial"),
    (0x0A, "nationality"),
    (0x0B, "birth_place"),
    (0x0C, "birth_date"),
    (0x0D, "sex"),
    (0x0E, "noble_condition"),
    (0x0F, "document_type"),
    (0x10, "special_status"),
    (0x12, "duplicate"),
    (0x13, "special_organisation"),
    (0x15, "date_and_country_of_protection"),
    (0x16, "work_permit"),
    (0x17, "employer_vat_1"),
    (0x18, "employer_vat_2"),
    (0x19, "regional_file_number"),
    (0x1B, "brexit_mention_1"),
    (0x1C, "brexit_mention_2"),
    (0x1D, "card_a_mention_1"),
    (0x1E, "card_a_mention_2"),
    (0x1F, "eu_registration_date"),
)
# Printed on every card even when empty; the optional ones only when the profile has them.
_ALWAYS_PRESENT = frozenset(
    {0x01, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0A, 0x0B, 0x0C, 0x0D, 0x0F}
)

_P384_ORDER = int(
    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
    "C7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973",
    16,
)


@dataclass(frozen=True)
class CardImage:
    """Everything a simulated card answers with: ATR, GET CARD DATA and its file system."""

    profile: CardProfile
    atr: bytes
    applet_present: bool
    card_data: bytes  # 28 bytes
    card_data_extended: bytes | None  # 31 bytes, applet 1.8 only
    files: Mapping[FilePath, bytes]

    @property
    def dedicated_files(self) -> frozenset[tuple[int, ...]]:
        """Directories (MF, MF/DF00, MF/DF01) that SELECT may land on."""
        return frozenset({(MF,), (MF, DF_ID), (MF, DF_CERT)}) if self.files else frozenset()


def chip_number(identity: IdentityProfile) -> bytes:
    if identity.chip_number is not None:
        return bytes.fromhex(identity.chip_number)
    return hashlib.sha256(b"loket-chip:" + identity.card_number.encode()).digest()[:16]


def _basic_public_key(identity: IdentityProfile) -> bytes:
    """A stable per-card EC P-384 public key (SubjectPublicKeyInfo DER) from the card number."""
    secret = int.from_bytes(
        hashlib.sha384(b"loket-basic-key:" + identity.card_number.encode()).digest()
    )
    key = ec.derive_private_key(secret % (_P384_ORDER - 1) + 1, ec.SECP384R1())
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def identity_file(profile: CardProfile, photo: bytes, basic_key: bytes | None) -> bytes:
    identity = profile.identity
    if identity is None:
        raise ValueError("profile has no identity")
    items: dict[int, bytes] = {}
    if profile.applet == "1.8":
        items[0x00] = IDENTITY_FILE_VERSION
    items[0x02] = chip_number(identity)
    for tag, field in _IDENTITY_TAGS:
        value = getattr(identity, field)
        if value is None or (value == "" and tag not in _ALWAYS_PRESENT):
            continue
        items[tag] = str(value).encode("utf-8")
    photo_hash = hashlib.sha256 if profile.applet == "1.7" else hashlib.sha384
    items[0x11] = photo_hash(photo).digest()
    if identity.member_of_family:
        items[0x14] = b""
    if basic_key is not None:
        items[0x1A] = hashlib.sha384(basic_key).digest()
    for tag, text in identity.extra_tags.items():
        items[tag] = text.encode("utf-8")
    return encode_tlv(sorted(items.items()))


def address_file(profile: CardProfile) -> bytes:
    address = profile.address
    if address is None:
        raise ValueError("profile has no address")
    items: list[tuple[int, bytes]] = []
    if profile.applet == "1.8":
        items.append((0x00, ADDRESS_FILE_VERSION))
    items += [
        (0x01, address.street_and_number.encode("utf-8")),
        (0x02, address.postal_code.encode("utf-8")),
        (0x03, address.municipality.encode("utf-8")),
    ]
    return encode_tlv(items, pad_to=ADDRESS_SIZE[profile.applet])


def sign(signer: Signer, data: bytes) -> bytes:
    """The signature file content for ``data``: what the card's RRN signer would store."""
    key = signer.key
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    der = key.sign(data, ec.ECDSA(hashes.SHA384(), deterministic_signing=True))
    return der + bytes(EC_SIGNATURE_FILE_SIZE - len(der))


def true_signature(signer: Signer, signature_file: bytes) -> bytes:
    """The signature without the zero padding of an EC signature file (DER length + 2)."""
    if isinstance(signer.key, rsa.RSAPrivateKey):
        return signature_file
    return signature_file[: signature_file[1] + 2]


def padded_certificate(der: bytes) -> bytes:
    """Certificate files are zero-padded; readers trim using the DER length."""
    return der + bytes(256 - len(der) % 256)


def _token_info(serial: bytes) -> bytes:
    label = b"BELPIC"
    body = (
        bytes.fromhex("020100")
        + b"\x04\x10"
        + serial
        + bytes([0x0C, len(label)])
        + label
        + b"\x03\x02\x04\x30"
    )
    return bytes([0x30, len(body)]) + body


def _card_data(profile: CardProfile, serial: bytes) -> tuple[bytes, bytes | None]:
    data = serial + bytes(
        [
            0xD0,  # component code
            0x01,  # OS number
            0x05,  # OS version
            0x01,  # softmask number
            0x04,  # softmask version
            APPLET_VERSION_BYTE[profile.applet],
            0x00,
            0x01,  # global OS version
            0x01,  # applet interface version
            0x40,  # PKCS#1 support
            0x01,  # key exchange version
            profile.life_cycle,
        ]
    )
    extended = (
        data + bytes([profile.pin_tries_left, 0x03, 0x00]) if profile.applet == "1.8" else None
    )
    return data, extended


def _flip_text_byte(data: bytes, value: bytes) -> bytes:
    """Change one character inside ``value`` where it sits in ``data`` (keeps the TLV parseable)."""
    where = data.find(value)
    if where < 0 or not value:
        raise ValueError("cannot tamper: value not found in file")
    index = where + len(value) - 1
    replacement = ord("X") if data[index] != ord("X") else ord("Y")
    return data[:index] + bytes([replacement]) + data[index + 1 :]


def build_image(profile: CardProfile) -> CardImage:
    """Build every file of ``profile``'s card (see ``card_image`` for the cached form)."""
    if profile.kind == "not_eid" or profile.identity is None:
        return CardImage(profile, profile.atr_bytes, False, b"", None, MappingProxyType({}))
    signer = load_signer(profile.signer_key_name)
    photo = (cards_dir() / "photos" / profile.photo).read_bytes()
    basic_key = _basic_public_key(profile.identity) if profile.applet == "1.8" else None
    identity = identity_file(profile, photo, basic_key)
    identity_signature = sign(signer, identity)
    address = address_file(profile)
    address_signature = sign(
        signer, address.rstrip(b"\x00") + true_signature(signer, identity_signature)
    )

    if "identity" in profile.tamper:
        identity = _flip_text_byte(identity, profile.identity.surname.encode("utf-8"))
    if "address" in profile.tamper and profile.address is not None:
        address = _flip_text_byte(address, profile.address.street_and_number.encode("utf-8"))
    if "photo" in profile.tamper:
        middle = len(photo) // 2
        photo = photo[:middle] + bytes([photo[middle] ^ 0x01]) + photo[middle + 1 :]

    serial = chip_number(profile.identity)
    files: dict[FilePath, bytes] = {
        IDENTITY: identity,
        IDENTITY_SIGNATURE: identity_signature,
        ADDRESS: address,
        ADDRESS_SIGNATURE: address_signature,
        PHOTO: photo,
        RRN_CERT: padded_certificate(
            signer.rrn_certificate.public_bytes(serialization.Encoding.DER)
        ),
        ROOT_CERT: padded_certificate(
            signer.root_certificate.public_bytes(serialization.Encoding.DER)
        ),
    }
    if basic_key is not None:
        files[BASIC_PUBLIC_KEY] = basic_key
    if profile.with_token_info:
        files[TOKEN_INFO] = _token_info(serial)
    if profile.empty_certificates:
        for path in (AUTH_CERT, SIGN_CERT, CA_CERT):
            files[path] = bytes(1024)
    card_data, extended = _card_data(profile, serial)
    return CardImage(profile, profile.atr_bytes, True, card_data, extended, MappingProxyType(files))


_cache: dict[str, CardImage] = {}
_cache_lock = threading.Lock()


def card_image(profile: CardProfile) -> CardImage:
    """``build_image`` cached per process: RSA signing is the only slow part (a few ms)."""
    key = profile.model_dump_json()
    with _cache_lock:
        image = _cache.get(key)
        if image is None:
            image = _cache[key] = build_image(profile)
        return image
