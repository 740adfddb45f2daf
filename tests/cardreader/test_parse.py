"""Identity, address and card-data files to models: every tag, and the tricky cases."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cardreader.errors import CardDataError
from cardreader.models import DocumentType, Sex
from cardreader.parse import DOCUMENT_TYPES, parse_address, parse_card_data, parse_identity
from cardreader.tlv import encode_tlv

from .eid_files import TEST_INSZ, address_file, identity_file


def test_belgian_card_all_basic_fields() -> None:
    identity = parse_identity(identity_file())
    assert identity.card_number == "592123456789"
    assert identity.chip_number == bytes(range(16)).hex().upper()
    assert identity.validity_start == dt.date(2020, 2, 1)
    assert identity.validity_end == dt.date(2030, 2, 1)
    assert identity.validity_end_raw == "01.02.2030"
    assert identity.issuing_municipality == "Gent"
    assert identity.national_number == TEST_INSZ
    assert identity.surname == "Specimen-Ödül"
    assert identity.given_names == "Alice Marie"
    assert identity.third_initial == "J"
    assert identity.nationality == "Belg"
    assert identity.birth_place == "Gent"
    assert identity.birth_date.date == dt.date(1962, 9, 16)
    assert identity.sex is Sex.FEMALE
    assert identity.document_type is DocumentType.BELGIAN_EID
    assert identity.document_type_code == 1
    assert identity.special_status == 0
    assert identity.unknown_tags == {}
    assert identity.file_version is None
    assert not identity.member_of_family


def test_applet_18_tags() -> None:
    photo_hash = bytes(range(48))
    key_hash = bytes(range(100, 148))
    identity = parse_identity(
        identity_file({0x11: photo_hash, 0x1A: key_hash}, version=b"\x01\x08")
    )
    assert identity.file_version == b"\x01\x08"
    assert identity.photo_hash == photo_hash
    assert identity.basic_key_hash == key_hash
    assert identity.raw_tags[0x00] == b"\x01\x08"


def test_foreigner_tags() -> None:
    identity = parse_identity(
        identity_file(
            {
                0x0F: b"33",
                0x12: b"02",
                0x13: b"2",
                0x14: b"",
                0x15: b"12.03.2022-UA",
                0x16: b"8",
                0x17: b"0123.456.789",
                0x18: b"0987.654.321",
                0x19: b"ABCDEFGHIJKLMNOPQR",
                0x1B: b"B",
                0x1C: b"C",
                0x1D: b"AB",
                0x1E: b"CD",
                0x1F: b"01.01.2019",
                0x0E: b"Baron",
            }
        )
    )
    assert identity.document_type is DocumentType.FOREIGNER_A
    assert identity.document_type_code == 33
    assert identity.duplicate == "02"
    assert identity.special_organisation == "2"
    assert identity.member_of_family  # present, even empty
    assert identity.date_and_country_of_protection == "12.03.2022-UA"
    assert identity.work_permit == "8"
    assert (identity.employer_vat_1, identity.employer_vat_2) == ("0123.456.789", "0987.654.321")
    assert identity.regional_file_number == "ABCDEFGHIJKLMNOPQR"
    assert (identity.brexit_mention_1, identity.brexit_mention_2) == ("B", "C")
    assert (identity.card_a_mention_1, identity.card_a_mention_2) == ("AB", "CD")
    assert identity.eu_registration_date == "01.01.2019"
    assert identity.noble_condition == "Baron"


@pytest.mark.parametrize(
    ("raw", "expected", "code"),
    [
        (b"1", DocumentType.BELGIAN_EID, 1),
        (b"01", DocumentType.BELGIAN_EID, 1),
        (b"6", DocumentType.KIDS_ID, 6),
        (b"11", DocumentType.FOREIGNER_A, 11),
        (b"16", DocumentType.FOREIGNER_E_PLUS, 16),
        (b"27", DocumentType.FOREIGNER_K, 27),
        (b"31", DocumentType.EU, 31),
        (b"32", DocumentType.EU_PLUS, 32),
        (b"36", DocumentType.FOREIGNER_F_PLUS, 36),
        (b"61", DocumentType.KIDS_FOREIGNER, 61),
        (b"69", DocumentType.KIDS_FOREIGNER, 69),
        (b"24", DocumentType.UNKNOWN, 24),
        (b"70", DocumentType.UNKNOWN, 70),
        (b"99", DocumentType.UNKNOWN, 99),
        (b"X", DocumentType.UNKNOWN, None),
        (b"", DocumentType.UNKNOWN, None),
    ],
)
def test_document_types(raw: bytes, expected: DocumentType, code: int | None) -> None:
    identity = parse_identity(identity_file({0x0F: raw}))
    assert identity.document_type is expected
    assert identity.document_type_code == code
    assert identity.document_type_raw == raw.decode()


def test_document_type_table_covers_the_reference() -> None:
    listed = {1, 6, 7, 8, *range(11, 24), 27, 28, *range(31, 37), *range(61, 70)}
    assert set(DOCUMENT_TYPES) == listed


@pytest.mark.parametrize(
    ("raw", "sex"),
    [
        (b"M", Sex.MALE),
        (b"F", Sex.FEMALE),
        (b"V", Sex.FEMALE),
        (b"W", Sex.FEMALE),
        (b"X", Sex.UNKNOWN),
    ],
)
def test_sex_codes(raw: bytes, sex: Sex) -> None:
    identity = parse_identity(identity_file({0x0D: raw}))
    assert identity.sex is sex
    assert identity.sex_raw == raw.decode()


def test_unknown_tags_are_kept_raw() -> None:
    identity = parse_identity(identity_file({0x25: b"\x01\x02", 0x30: b"future"}))
    assert identity.unknown_tags == {0x25: b"\x01\x02", 0x30: b"future"}
    assert identity.raw_tags[0x30] == b"future"


def test_padded_identity_and_long_values() -> None:
    long_name = "Van " + "Achternaam" * 30  # > 255 bytes: FF length
    data = identity_file({0x07: long_name.encode()}) + bytes(30)
    assert parse_identity(data).surname == long_name


def test_birth_date_variants_reach_the_identity() -> None:
    identity = parse_identity(identity_file({0x0C: b"1984"}))
    assert (identity.birth_date.year, identity.birth_date.month) == (1984, None)
    assert parse_identity(identity_file({0x0C: None})).birth_date.raw == ""


def test_bad_validity_dates_are_kept_raw() -> None:
    identity = parse_identity(identity_file({0x03: b"31.02.2020", 0x04: b"soon"}))
    assert identity.validity_start is None and identity.validity_end is None
    assert identity.validity_start_raw == "31.02.2020"
    assert identity.validity_end_raw == "soon"


@pytest.mark.parametrize(
    ("tag", "name"), [(0x01, "card number"), (0x06, "national number"), (0x07, "surname")]
)
def test_missing_mandatory_tag_names_the_tag_not_the_value(tag: int, name: str) -> None:
    with pytest.raises(CardDataError) as info:
        parse_identity(identity_file({tag: None}))
    assert f"{tag:02X}" in str(info.value) and name in str(info.value)
    assert TEST_INSZ not in str(info.value)


def test_truncated_identity_is_a_card_data_error() -> None:
    with pytest.raises(CardDataError):
        parse_identity(identity_file()[:-1])


def test_invalid_utf8_does_not_raise() -> None:
    identity = parse_identity(identity_file({0x0B: b"G\xffnt"}))
    assert identity.birth_place == "G\ufffdnt"


@given(st.binary(max_size=400))
def test_any_identity_bytes_give_identity_or_card_data_error(data: bytes) -> None:
    try:
        identity = parse_identity(data)
    except CardDataError:
        return
    assert identity.card_number and identity.national_number and identity.surname


def test_address_zero_padded() -> None:
    address = parse_address(address_file())
    assert (address.street_and_number, address.postal_code, address.municipality) == (
        "Botermarkt 1",
        "9000",
        "Gent",
    )
    assert address.file_version is None


def test_address_applet_18_with_version_and_empty_municipality() -> None:
    data = encode_tlv(
        [(0x00, b"\x01\x08"), (0x01, "Rue de l'Été 5".encode()), (0x02, b"1000"), (0x03, b"")],
        pad_to=121,
    )
    address = parse_address(data)
    assert address.street_and_number == "Rue de l'Été 5"
    assert address.municipality == ""
    assert address.file_version == b"\x01\x08"


def test_address_unknown_tag_kept() -> None:
    data = encode_tlv([(0x01, b"a"), (0x02, b"9000"), (0x03, b"Gent"), (0x09, b"new")], pad_to=117)
    assert parse_address(data).unknown_tags == {0x09: b"new"}


def test_empty_address_file_is_an_error() -> None:
    with pytest.raises(CardDataError):
        parse_address(bytes(117))


def _card_data(applet: int, life_cycle: int, pin_tries: int | None = None) -> bytes:
    data = bytearray(range(0x30, 0x30 + 28))
    data[21] = applet
    data[27] = life_cycle
    if pin_tries is not None:
        data += bytes([pin_tries, 0x00, 0x00])  # byte 28 = PIN tries left
    return bytes(data)


def test_card_data_28_bytes() -> None:
    raw = _card_data(0x17, 0x0F)
    card = parse_card_data(raw)
    assert card.applet_version == 0x17
    assert card.personalised
    assert card.serial_number == raw[:16]
    assert card.pin_tries_left is None
    assert card.raw == raw


def test_card_data_31_bytes_with_pin_tries() -> None:
    card = parse_card_data(_card_data(0x18, 0x0F, pin_tries=3))
    assert card.applet_version == 0x18
    assert card.pin_tries_left == 3


def test_card_data_not_personalised() -> None:
    assert not parse_card_data(_card_data(0x18, 0x07)).personalised


@pytest.mark.parametrize("length", [0, 27, 29, 30, 32, 258])
def test_card_data_wrong_length(length: int) -> None:
    with pytest.raises(CardDataError):
        parse_card_data(bytes(length))


def test_identity_with_binary_fields_round_trips_through_json() -> None:
    identity = parse_identity(identity_file({0x11: b"\xff\x00" * 10, 0x25: b"\x80\x81"}))
    text = identity.model_dump_json()
    assert "ff00ff00" in text  # bytes travel as hex
    assert type(identity).model_validate_json(text) == identity
