"""The text rendering of an advice."""

from __future__ import annotations

import datetime as dt

from rules import Fact, Period, RuleBook, SourceId, evaluate
from rules.explain import render, render_value

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
    assert "  - adapted_vehicle (clerk_declaration): onbekend — not supplied" in text
    assert "Vraag: Is het voertuig aangepast?" in text
    english = render(evaluate(ruleset, facts, DAY, trace=False), "en")
    assert "Ask: Is the vehicle adapted?" in english
    assert "Trace:" not in english


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
