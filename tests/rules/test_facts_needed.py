"""Only the facts that can still change an outcome are asked (data minimisation).

The city asks the authentic sources what the rules need "and nothing more": a fact
that a parameter or the date already makes irrelevant must not leave the building.
"""

from __future__ import annotations

import datetime as dt

from counter_app.check.plan import plan_requests
from rules import Fact, Outcome, Period, RuleBook, SourceId, evaluate

DAY = dt.date(2026, 3, 15)
AFTER_TRANSITION = dt.date(2028, 1, 1)  # the LEZ reduced tariff's transition ended 2027-12-31


def test_family_vt_is_not_asked_for_a_right_where_it_does_not_count(book: RuleBook) -> None:
    lez = book.get("lez-verminderd-tarief", DAY)
    assert lez.parameters_on(DAY)["vt_in_family_counts"] is False
    assert lez.facts_needed(DAY) == {"deceased", "domicile_nis", "vt_own"}
    assert "vt_family" in lez.facts  # declared, for the day the parameter is switched on
    switched_on = lez.with_parameter("vt_in_family_counts", True)
    assert "vt_family" in switched_on.facts_needed(DAY)


def test_nothing_is_asked_for_a_right_the_date_alone_decides(book: RuleBook) -> None:
    lez = book.get("lez-verminderd-tarief", AFTER_TRANSITION)
    assert lez.facts_needed(AFTER_TRANSITION) == frozenset()
    advice = evaluate(lez, {}, AFTER_TRANSITION)
    assert advice.outcome is Outcome.NOT_ELIGIBLE  # decided without asking anybody


def test_a_separate_purpose_does_not_ask_what_its_right_cannot_use(book: RuleBook) -> None:
    """In production every right has its own Hoedanigheid: the LEZ question must not
    carry BIM_BVT_IN_FAMILY (MAGDA may refuse a statute the authorisation does not cover)."""
    rulesets = book.in_force(DAY)
    overrides = {"lez-verminderd-tarief": "LEZ-PURPOSE"}
    planned = {(p.source, p.purpose): p for p in plan_requests(rulesets, overrides, DAY)}
    lez_statutes = planned[(SourceId.SOCIAL_STATUTES, "LEZ-PURPOSE")]
    assert [w.key for w in lez_statutes.wanted] == ["BIM_BVT"]
    everything = {(p.source, p.purpose): p for p in plan_requests(rulesets, overrides)}
    assert len(everything[(SourceId.SOCIAL_STATUTES, "LEZ-PURPOSE")].wanted) == 2


def test_what_is_not_asked_cannot_change_the_advice(book: RuleBook) -> None:
    """Monotone three-valued logic: any value of an unasked fact gives the same outcome."""
    lez = book.get("lez-verminderd-tarief", DAY)
    nr, ss = SourceId.NATIONAL_REGISTER, SourceId.SOCIAL_STATUTES
    base = {
        "deceased": Fact.known("deceased", False, nr),
        "domicile_nis": Fact.known("domicile_nis", "44021", nr),
        "vt_own": Fact.known("vt_own", (), ss),
    }
    outcomes = {
        evaluate(lez, base | {"vt_family": family}, DAY).outcome
        for family in (
            Fact.known("vt_family", (Period(start=None, end=None),), ss),
            Fact.known("vt_family", (), ss),
            Fact.error("vt_family", ss, "timeout"),
        )
    }
    assert outcomes == {Outcome.NOT_ELIGIBLE}
