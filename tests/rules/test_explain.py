"""The text rendering of an advice."""

from __future__ import annotations

import datetime as dt

from rules import Fact, Period, RuleBook, SourceId, evaluate
from rules.explain import render, render_value
from rules.labels import SOURCE_LABELS, source_label

from .conftest import DAY


def test_render_values() -> None:
    assert render_value((), "nl") == "geen"
    assert render_value((Period(start=dt.date(2024, 1, 1)),), "en") == "2024-01-01 – open"
    assert render_value(True, "nl") == "ja"
    assert render_value(5.0) == "5"


def test_render_check_manually_lists_what_to_ask(book: RuleBook) -> None:
    ruleset = book.get("lez-vrijstelling-handicap", DAY)
    facts = {
        "deceased": Fact.known("deceased", False, SourceId.NATIONAL_REGISTER),
        "parking_card": Fact.known("parking_card", (Period(),), SourceId.DISABILITY_FILE),
        "vt_own": Fact.known("vt_own", (), SourceId.SOCIAL_STATUTES),
    }
    text = render(evaluate(ruleset, facts, DAY), "nl")
    assert "Advies: MANUEEL NAKIJKEN" in text
    assert (
        "Reden: Manueel nakijken — een bron kon niet antwoorden of een verklaring ontbreekt. "
        "Ontbreekt: verklaring aangepast voertuig, verklaring rolstoellift of -systeem, "
        "verklaring aangepast gemeenschappelijk vervoer." in text
    )
    assert (
        "  - verklaring aangepast voertuig (verklaring van de loketmedewerker): "
        "onbekend (niet opgegeven)" in text
    )
    assert "Vraag: Is het voertuig aangepast?" in text
    assert "✘ Overleden volgens het rijksregister  [overleden = nee]" in text
    assert "[verklaring aangepast voertuig = onbekend (niet opgegeven)]" in text
    # no internal names and no English fragments reach the Dutch text
    for internal in ("adapted_vehicle", "clerk_declaration", "national_register", "not supplied"):
        assert internal not in text
    english = render(evaluate(ruleset, facts, DAY, trace=False), "en")
    assert (
        "  - declaration of an adapted vehicle (declaration by the clerk): unknown (not supplied)"
        in english
    )
    assert "Ask: Is the vehicle adapted?" in english
    assert "Trace:" not in english


def test_render_source_reason_is_introduced_in_the_language(book: RuleBook) -> None:
    ruleset = book.get("uitpas-kansentarief", DAY)
    facts = {
        "deceased": Fact.known("deceased", False, SourceId.NATIONAL_REGISTER),
        "domicile_nis": Fact.known("domicile_nis", "44021", SourceId.NATIONAL_REGISTER),
        "vt_own": Fact.error("vt_own", SourceId.SOCIAL_STATUTES, "MAGDA timeout"),
    }
    advice = evaluate(ruleset, facts, DAY)
    nl = render(advice, "nl")
    assert (
        "  - verhoogde tegemoetkoming (Sociale statuten (MAGDA)): bronfout (bron: MAGDA timeout)"
        in nl
    )
    assert "Parameters: Prijs van de UiTPAS, normaal tarief = 5; " in nl
    assert "card_system_municipalities" not in nl and "(vt_own)" not in nl
    en = render(advice, "en")
    elsewhere = Fact.known("domicile_nis", "11002", SourceId.NATIONAL_REGISTER)
    not_eligible = render(evaluate(ruleset, facts | {"domicile_nis": elsewhere}, DAY), "en")
    assert "  - municipality of residence (NIS code) = 11002 (National Register (MAGDA))" in (
        not_eligible
    )
    assert (
        "  - increased allowance (VT) (Social statutes (MAGDA)): "
        "source error (source: MAGDA timeout)" in en
    )


def test_render_lez_price_table(book: RuleBook) -> None:
    ruleset = book.get("lez-verminderd-tarief", DAY)
    facts = {
        "deceased": Fact.known("deceased", False, SourceId.NATIONAL_REGISTER),
        "domicile_nis": Fact.known("domicile_nis", "44021", SourceId.NATIONAL_REGISTER),
        "vt_own": Fact.known("vt_own", (Period(),), SourceId.SOCIAL_STATUTES),
    }
    text = render(evaluate(ruleset, facts, DAY), "en")
    assert "  - Temporary permit 1 year: €140.00 (normal €345.00)" in text
    assert "  - LEZ day pass: €35.00 — No reduction; at most 8 a year per plate." in text


def test_every_source_has_a_name_in_both_languages() -> None:
    assert set(SOURCE_LABELS) == set(SourceId)
    for label in SOURCE_LABELS.values():
        assert label.nl and label.en
    assert source_label(SourceId.CLERK_DECLARATION, "nl") == "verklaring van de loketmedewerker"
    assert source_label("national_register", "en") == "National Register (MAGDA)"


def test_every_fact_of_the_shipped_rules_has_a_label(book: RuleBook) -> None:
    ruleset = book.get("lez-vrijstelling-handicap", DAY)
    assert ruleset.fact_labels["adapted_vehicle"].nl == "verklaring aangepast voertuig"
    advice = evaluate(ruleset, {}, DAY, trace=False)
    assert advice.fact_labels["parking_card"].en == "European disability parking card"
    dumped = advice.model_dump(mode="json")
    assert dumped["missing"][0]["name"] == "deceased"  # the log keeps the internal names
    assert dumped["missing"][0]["label"] == {"nl": "overleden", "en": "deceased"}
