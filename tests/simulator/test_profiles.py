"""Every profile of the deck builds, and the files it builds follow the card's own rules."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from lxml import etree

from cardreader.errors import CardDataError
from cardreader.insz import is_test_number, validate_insz
from cardreader.simulator import files as simfiles
from cardreader.simulator.deck import deck, eid_names, magda_persona_names, new_card
from cardreader.simulator.files import build_image, card_image
from cardreader.simulator.profile import load_profile, parse_profile, profile_names
from cardreader.tlv import parse_tlv

EIDS = eid_names()
MAGDA_PERSONS = (
    Path(__file__).resolve().parents[3]
    / "shared/magda-mock/simulator/Persoon/GeefPersoon/02.02.0000"
)


def test_the_deck_is_big_enough_and_has_the_required_cards() -> None:
    profiles = deck()
    assert len(profiles) >= 12
    doc_types = {p.identity.document_type for p in profiles.values() if p.identity}
    assert {"1", "6", "31", "11", "99"} <= doc_types
    assert {"18", "36"} & doc_types
    assert {p.applet for p in profiles.values()} == {"1.7", "1.8"}
    assert any(p.kind == "not_eid" for p in profiles.values())
    assert any(p.signer == "rogue" for p in profiles.values())
    assert {"identity", "address"} <= {t for p in profiles.values() for t in p.tamper}
    births = {p.identity.birth_date for p in profiles.values() if p.identity}
    assert "05.MÄR.1975" in births and "1986" in births and "28 APR  1976" in births


@pytest.mark.parametrize("name", profile_names())
def test_every_profile_builds_a_card(name: str) -> None:
    card = new_card(name)
    assert card.atr
    if load_profile(name).kind == "not_eid":
        assert not card.image.files
    else:
        assert {simfiles.IDENTITY, simfiles.ADDRESS, simfiles.RRN_CERT} <= set(card.image.files)


@pytest.mark.parametrize("name", EIDS)
def test_only_fictitious_national_numbers(name: str) -> None:
    identity = load_profile(name).identity
    assert identity is not None
    number = identity.national_number
    assert is_test_number(number), "deck cards must carry MAGDA-style test numbers (month + 60)"
    assert validate_insz(number, test_mode=True) == number


@pytest.mark.parametrize("name", EIDS)
def test_identity_file_structure(name: str) -> None:
    profile = load_profile(name)
    image = card_image(profile)
    identity_file = image.files[simfiles.IDENTITY]
    tags = parse_tlv(identity_file)
    assert list(tags) == sorted(tags), "identity tags must ascend"
    assert len(tags[0x02]) == 16
    photo = image.files[simfiles.PHOTO]
    photo_hash = tags[0x11]
    if profile.applet == "1.8":
        assert tags[0x00] == simfiles.IDENTITY_FILE_VERSION
        assert len(photo_hash) == 48
        assert tags[0x1A] == hashlib.sha384(image.files[simfiles.BASIC_PUBLIC_KEY]).digest()
        assert len(image.card_data_extended or b"") == 31
    else:
        assert 0x00 not in tags and 0x1A not in tags
        assert len(photo_hash) == 32
        assert simfiles.BASIC_PUBLIC_KEY not in image.files
        assert image.card_data_extended is None
    algorithm = hashlib.sha384 if len(photo_hash) == 48 else hashlib.sha256
    assert (photo_hash == algorithm(photo).digest()) != ("photo" in profile.tamper)
    assert len(image.card_data) == 28
    assert photo.startswith(b"\xff\xd8") and photo.endswith(b"\xff\xd9")


@pytest.mark.parametrize("name", EIDS)
def test_address_and_certificate_files(name: str) -> None:
    profile = load_profile(name)
    image = card_image(profile)
    address = image.files[simfiles.ADDRESS]
    assert len(address) == simfiles.ADDRESS_SIZE[profile.applet]
    assert address.endswith(b"\x00")
    fields = parse_tlv(address)
    assert fields[0x02] == profile.address.postal_code.encode()  # type: ignore[union-attr]
    for path in (simfiles.RRN_CERT, simfiles.ROOT_CERT):
        padded = image.files[path]
        der_length = int.from_bytes(padded[2:4]) + 4  # 30 82 LL LL
        assert padded[:2] == b"\x30\x82" and not any(padded[der_length:])
        x509.load_der_x509_certificate(padded[:der_length])


def test_tampered_files_differ_from_the_signed_ones_by_one_byte() -> None:
    tampered = load_profile("tampered-identity-ec-18")
    original = tampered.model_copy(update={"tamper": ()})
    a = build_image(tampered).files[simfiles.IDENTITY]
    b = build_image(original).files[simfiles.IDENTITY]
    assert len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1
    assert (
        build_image(tampered).files[simfiles.IDENTITY_SIGNATURE]
        == build_image(original).files[simfiles.IDENTITY_SIGNATURE]
    )


def test_building_is_deterministic() -> None:
    profile = load_profile("be-adult-ec-18")
    assert build_image(profile).files == build_image(profile).files


def test_future_card_keeps_unknown_tag_and_code() -> None:
    tags = parse_tlv(card_image(load_profile("future-card-ec-18")).files[simfiles.IDENTITY])
    assert tags[0x25] == b"NEW-FIELD-2036" and tags[0x0F] == b"99"


def test_kids_variant_has_empty_certificate_files() -> None:
    files = card_image(load_profile("kids-id-ec-18")).files
    assert files[simfiles.AUTH_CERT] == bytes(len(files[simfiles.AUTH_CERT]))
    assert any(files[simfiles.RRN_CERT])


def _persona(insz: str) -> dict[str, str]:
    tree = etree.parse(str(MAGDA_PERSONS / f"{insz}.xml"))
    found: Any = tree.xpath("//*[local-name()='Persoon' and @Bron]")
    person: Any = found[0]

    def text(path: str) -> str:
        return str(person.xpath(path)[0]).strip()

    return {
        "surname": text("./*[local-name()='Naam']//*[local-name()='Achternaam']/text()"),
        "given": text("./*[local-name()='Naam']//*[local-name()='Voornaam']/text()"),
        "birth": text("./*[local-name()='Geboorte']/*[local-name()='Datum']/text()"),
    }


def _with_geefpersoon_answer() -> list[str]:
    """Persona cards whose person has a GeefPersoon answer (some are known to SocZek only)."""
    names = []
    for name in magda_persona_names():
        identity = load_profile(name).identity
        if identity and (MAGDA_PERSONS / f"{identity.national_number}.xml").is_file():
            names.append(name)
    return names


def test_persona_cards_exist_for_most_magda_personas() -> None:
    assert len(magda_persona_names()) >= 10
    if MAGDA_PERSONS.is_dir():
        assert len(_with_geefpersoon_answer()) >= 8


@pytest.mark.skipif(not MAGDA_PERSONS.is_dir(), reason="MAGDA mock data not next to the repo")
@pytest.mark.parametrize("name", _with_geefpersoon_answer())
def test_magda_persona_cards_match_the_persona(name: str) -> None:
    identity = load_profile(name).identity
    assert identity is not None
    persona = _persona(identity.national_number)
    assert identity.surname == persona["surname"]
    assert identity.given_names.split()[0] == persona["given"]
    year, _month, day = persona["birth"].split("-")
    assert year in identity.birth_date
    if identity.birth_date.strip() != year:  # the bare-year card keeps only the year
        assert identity.birth_date.replace(".", " ").split()[0] == day


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("description: x\nkind: eid\napplet: '1.8'\n", "needs identity"),
        ("- a list\n", "mapping"),
        ("applet: '2.0'\ndescription: x\n", "invalid fields"),
        ("description: [unclosed\n", "not valid YAML"),
        ("description: x\nkind: not_eid\nsurprise: 1\n", "invalid fields"),
    ],
)
def test_bad_profiles_give_a_clear_error(text: str, problem: str) -> None:
    with pytest.raises(CardDataError, match=problem) as info:
        parse_profile("broken", text)
    assert "\n" not in str(info.value)  # the CLI prints it as its one error line


def test_unknown_profile_name() -> None:
    with pytest.raises(CardDataError, match="no card profile"):
        load_profile("no-such-card")
