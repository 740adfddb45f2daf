"""From the raw identity, address and card-data files to the shared models.

Parsing is lenient where the card may legitimately surprise us (new tags, new
document-type codes, odd dates: kept raw, never an exception) and strict only
where nothing useful can follow: without national number, surname or card
number there is no one to advise, so those raise ``CardDataError`` naming the
missing tag. Parsing does not judge authenticity (that is ``integrity``) nor
validate the national number against test mode (the caller knows the mode:
``cardreader.insz.validate_insz``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from cardreader.birthdate import parse_birth_date
from cardreader.errors import CardDataError
from cardreader.models import Address, BirthDate, CardData, DocumentType, Identity, Sex
from cardreader.tlv import parse_tlv

# Identity file tags (eid-card.md, "Identity tags").
TAG_FILE_VERSION = 0x00
TAG_CARD_NUMBER = 0x01
TAG_CHIP_NUMBER = 0x02
TAG_VALIDITY_START = 0x03
TAG_VALIDITY_END = 0x04
TAG_ISSUING_MUNICIPALITY = 0x05
TAG_NATIONAL_NUMBER = 0x06
TAG_SURNAME = 0x07
TAG_GIVEN_NAMES = 0x08
TAG_THIRD_INITIAL = 0x09
TAG_NATIONALITY = 0x0A
TAG_BIRTH_PLACE = 0x0B
TAG_BIRTH_DATE = 0x0C
TAG_SEX = 0x0D
TAG_NOBLE_CONDITION = 0x0E
TAG_DOCUMENT_TYPE = 0x0F
TAG_SPECIAL_STATUS = 0x10
TAG_PHOTO_HASH = 0x11
TAG_DUPLICATE = 0x12
TAG_SPECIAL_ORGANISATION = 0x13
TAG_MEMBER_OF_FAMILY = 0x14
TAG_PROTECTION = 0x15
TAG_WORK_PERMIT = 0x16
TAG_EMPLOYER_VAT_1 = 0x17
TAG_EMPLOYER_VAT_2 = 0x18
TAG_REGIONAL_FILE_NUMBER = 0x19
TAG_BASIC_KEY_HASH = 0x1A
TAG_BREXIT_1 = 0x1B
TAG_BREXIT_2 = 0x1C
TAG_CARD_A_1 = 0x1D
TAG_CARD_A_2 = 0x1E
TAG_EU_REGISTRATION_DATE = 0x1F
KNOWN_IDENTITY_TAGS = frozenset(range(0x00, 0x20))

# Address file tags.
TAG_STREET_AND_NUMBER = 0x01
TAG_POSTAL_CODE = 0x02
TAG_MUNICIPALITY = 0x03
KNOWN_ADDRESS_TAGS = frozenset(range(0x00, 0x04))

_MANDATORY_IDENTITY_TAGS = {
    TAG_CARD_NUMBER: "card number",
    TAG_NATIONAL_NUMBER: "national number",
    TAG_SURNAME: "surname",
}

#: Document type codes of tag 0F (eid-card.md). Codes not listed are UNKNOWN,
#: with the code kept in ``Identity.document_type_code``.
DOCUMENT_TYPES: dict[int, DocumentType] = {
    1: DocumentType.BELGIAN_EID,
    6: DocumentType.KIDS_ID,
    7: DocumentType.BOOTSTRAP,
    8: DocumentType.HABILITATION,
    11: DocumentType.FOREIGNER_A,
    12: DocumentType.FOREIGNER_B,
    13: DocumentType.FOREIGNER_C,
    14: DocumentType.FOREIGNER_D,
    15: DocumentType.FOREIGNER_E,
    16: DocumentType.FOREIGNER_E_PLUS,
    17: DocumentType.FOREIGNER_F,
    18: DocumentType.FOREIGNER_F_PLUS,
    19: DocumentType.FOREIGNER_H,
    20: DocumentType.FOREIGNER_I,
    21: DocumentType.FOREIGNER_J,
    22: DocumentType.FOREIGNER_M,
    23: DocumentType.FOREIGNER_N,
    27: DocumentType.FOREIGNER_K,
    28: DocumentType.FOREIGNER_L,
    31: DocumentType.EU,
    32: DocumentType.EU_PLUS,
    33: DocumentType.FOREIGNER_A,
    34: DocumentType.FOREIGNER_B,
    35: DocumentType.FOREIGNER_F,
    36: DocumentType.FOREIGNER_F_PLUS,
    **{code: DocumentType.KIDS_FOREIGNER for code in range(61, 70)},
}

_SEXES = {"M": Sex.MALE, "F": Sex.FEMALE, "V": Sex.FEMALE, "W": Sex.FEMALE}
_CARD_DATE = re.compile(r"^\s*(\d{1,2})[.\-/ ](\d{1,2})[.\-/ ](\d{4})\s*$")

CARD_DATA_LENGTHS = (28, 31)
CARD_DATA_APPLET_VERSION = 21
CARD_DATA_LIFE_CYCLE = 27
CARD_DATA_PIN_TRIES = 28
CARD_DATA_SERIAL_LENGTH = 16


def _text(tags: Mapping[int, bytes], tag: int) -> str:
    """A UTF-8 value, stripped; bad bytes become U+FFFD rather than an exception."""
    value = tags.get(tag)
    if value is None:
        return ""
    return value.decode("utf-8", errors="replace").strip().rstrip("\x00")


def parse_card_date(text: str) -> dt.date | None:
    """``DD.MM.YYYY`` (validity, registration dates) or None when it is no real date."""
    match = _CARD_DATE.match(text)
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def document_type_of(raw: str) -> tuple[DocumentType, int | None]:
    """Tag 0F as an integer (``"01"`` and ``"1"`` alike) and its known type."""
    stripped = raw.strip()
    if not stripped.isascii() or not stripped.isdigit():
        return DocumentType.UNKNOWN, None
    code = int(stripped)
    return DOCUMENT_TYPES.get(code, DocumentType.UNKNOWN), code


def _optional_int(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


def parse_identity(data: bytes) -> Identity:
    """Parse the identity file (3F00/DF01/4031) exactly as read from the card."""
    tags = parse_tlv(data)
    for tag, name in _MANDATORY_IDENTITY_TAGS.items():
        if not _text(tags, tag):
            raise CardDataError(f"The identity file lacks tag {tag:02X} ({name}).")

    validity_start_raw = _text(tags, TAG_VALIDITY_START)
    validity_end_raw = _text(tags, TAG_VALIDITY_END)
    sex_raw = _text(tags, TAG_SEX)
    document_type_raw = _text(tags, TAG_DOCUMENT_TYPE)
    document_type, document_type_code = document_type_of(document_type_raw)
    chip = tags.get(TAG_CHIP_NUMBER)
    birth_date_raw = tags.get(TAG_BIRTH_DATE)

    return Identity(
        card_number=_text(tags, TAG_CARD_NUMBER),
        chip_number=chip.hex().upper() if chip else None,
        validity_start=parse_card_date(validity_start_raw),
        validity_end=parse_card_date(validity_end_raw),
        validity_start_raw=validity_start_raw,
        validity_end_raw=validity_end_raw,
        issuing_municipality=_text(tags, TAG_ISSUING_MUNICIPALITY),
        national_number=_text(tags, TAG_NATIONAL_NUMBER),
        surname=_text(tags, TAG_SURNAME),
        given_names=_text(tags, TAG_GIVEN_NAMES),
        third_initial=_text(tags, TAG_THIRD_INITIAL),
        nationality=_text(tags, TAG_NATIONALITY),
        birth_place=_text(tags, TAG_BIRTH_PLACE),
        birth_date=(
            parse_birth_date(birth_date_raw) if birth_date_raw is not None else BirthDate(raw="")
        ),
        sex=_SEXES.get(sex_raw.upper(), Sex.UNKNOWN),
        sex_raw=sex_raw,
        noble_condition=_text(tags, TAG_NOBLE_CONDITION),
        document_type=document_type,
        document_type_code=document_type_code,
        document_type_raw=document_type_raw,
        special_status=_optional_int(_text(tags, TAG_SPECIAL_STATUS)),
        photo_hash=tags.get(TAG_PHOTO_HASH) or None,
        duplicate=_text(tags, TAG_DUPLICATE),
        special_organisation=_text(tags, TAG_SPECIAL_ORGANISATION),
        member_of_family=TAG_MEMBER_OF_FAMILY in tags,
        date_and_country_of_protection=_text(tags, TAG_PROTECTION),
        work_permit=_text(tags, TAG_WORK_PERMIT),
        employer_vat_1=_text(tags, TAG_EMPLOYER_VAT_1),
        employer_vat_2=_text(tags, TAG_EMPLOYER_VAT_2),
        regional_file_number=_text(tags, TAG_REGIONAL_FILE_NUMBER),
        basic_key_hash=tags.get(TAG_BASIC_KEY_HASH) or None,
        brexit_mention_1=_text(tags, TAG_BREXIT_1),
        brexit_mention_2=_text(tags, TAG_BREXIT_2),
        card_a_mention_1=_text(tags, TAG_CARD_A_1),
        card_a_mention_2=_text(tags, TAG_CARD_A_2),
        eu_registration_date=_text(tags, TAG_EU_REGISTRATION_DATE),
        file_version=tags.get(TAG_FILE_VERSION),
        raw_tags=dict(tags),
        unknown_tags={tag: value for tag, value in tags.items() if tag not in KNOWN_IDENTITY_TAGS},
    )


def strip_padding(data: bytes) -> bytes:
    """The file without its trailing zero bytes: the address signature covers that."""
    return data.rstrip(b"\x00")


def parse_address(data: bytes) -> Address:
    """Parse the zero-padded address file (3F00/DF01/4033)."""
    if not strip_padding(data):
        raise CardDataError("The address file is empty.")
    tags = parse_tlv(data)
    return Address(
        street_and_number=_text(tags, TAG_STREET_AND_NUMBER),
        postal_code=_text(tags, TAG_POSTAL_CODE),
        municipality=_text(tags, TAG_MUNICIPALITY),
        file_version=tags.get(TAG_FILE_VERSION),
        raw_tags=dict(tags),
        unknown_tags={tag: value for tag, value in tags.items() if tag not in KNOWN_ADDRESS_TAGS},
    )


def parse_card_data(data: bytes) -> CardData:
    """The GET CARD DATA answer: 28 bytes, or 31 on applet 1.8 with the PIN counter."""
    if len(data) not in CARD_DATA_LENGTHS:
        raise CardDataError(f"The card data answer has {len(data)} bytes; expected 28 or 31.")
    return CardData(
        raw=bytes(data),
        serial_number=bytes(data[:CARD_DATA_SERIAL_LENGTH]),
        applet_version=data[CARD_DATA_APPLET_VERSION],
        life_cycle=data[CARD_DATA_LIFE_CYCLE],
        pin_tries_left=data[CARD_DATA_PIN_TRIES] if len(data) > CARD_DATA_PIN_TRIES else None,
    )
