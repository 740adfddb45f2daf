"""The project's persona directory stays in step with the eID test deck."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from lxml import etree

from counter_app.sandbox.personas import MAGDA_DOMAINS, PersonaStore
from tests.sources.conftest import OWN_PERSONAS, REPO

CARDS = REPO / "resources" / "cards"
# Deliberately without a national-register answer (as in MAGDA-Mock): the advice must say
# "check manually" when the register cannot tell where someone lives.
WITHOUT_PERSON_ANSWER = {"62691699717"}


def _deck_insz() -> set[str]:
    numbers = set()
    for card in sorted(CARDS.glob("*.yaml")):
        data = yaml.safe_load(card.read_text(encoding="utf-8")) or {}
        number = (data.get("identity") or {}).get("national_number")
        if number:
            numbers.add(str(number))
    return numbers


@pytest.mark.skipif(not CARDS.is_dir(), reason="no card deck")
def test_every_card_of_the_deck_has_a_persona() -> None:
    deck = _deck_insz()
    assert deck, "the deck should hold cards with a national number"
    folder = OWN_PERSONAS / "Persoon" / "GeefPersoon" / "02.02.0000"
    have = {p.stem for p in folder.glob("*.xml")}
    assert deck - WITHOUT_PERSON_ANSWER <= have
    statutes = OWN_PERSONAS / "SocZek" / "GeefSociaalStatuut" / "03.00.0000"
    assert {p.stem for p in statutes.glob("*.xml")} >= WITHOUT_PERSON_ANSWER


def test_persona_files_are_well_formed_and_named_after_their_subject() -> None:
    files = sorted(OWN_PERSONAS.glob("*/*/*/*.xml"))
    assert len(files) > 20
    for path in files:
        service = path.parent.parent.name
        assert MAGDA_DOMAINS[service] == path.parent.parent.parent.name
        root = etree.parse(str(path)).getroot()
        assert etree.QName(root).localname == f"{service}Response"
        if path.stem == "notfound":
            continue
        subject = root.findtext(".//Persoon/INSZ") or root.findtext(
            ".//ConsultFilesByDateResponse/ssin"
        )
        assert subject in (None, path.stem), path


def test_ocmw_and_uitpas_data_load() -> None:
    store = PersonaStore(OWN_PERSONAS)
    assert store.ocmw and all(len(insz) == 11 for insz in store.ocmw)
    assert store.uitpas.passholders and store.uitpas.card_systems


def test_an_empty_directory_knows_nobody(tmp_path: Path) -> None:
    store = PersonaStore(tmp_path)
    assert store.ocmw == {} and store.uitpas.passholders == {}
    assert store.magda_answer("GeefPersoon", "02.02.0000", "01700462685") is None
