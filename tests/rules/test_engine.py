"""Evaluation: dated choice of rule set and parameters, Kleene logic, advice contents."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from rules import (
    Advice,
    Fact,
    FactStatus,
    Outcome,
    Period,
    RuleBook,
    SourceId,
    Truth,
    UnknownRuleSetError,
    evaluate,
    load_rulebook,
    load_ruleset,
)

from .conftest import DAY, MINIMAL, write_rule

NR = SourceId.NATIONAL_REGISTER
SS = SourceId.SOCIAL_STATUTES


def _resident(nis: str = "44021") -> dict[str, Fact]:
    return {
        "deceased": Fact.known("deceased", False, NR),
        "domicile_nis": Fact.known("domicile_nis", nis, NR, reference="REF-1"),
    }


def test_in_force_and_get(book: RuleBook) -> None:
    assert {r.id for r in book.in_force(DAY)} == {
        "uitpas-kansentarief",
        "lez-vrijstelling-handicap",
        "lez-verminderd-tarief",
    }
    assert book.in_force(dt.date(2023, 12, 31)) == []
    with pytest.raises(UnknownRuleSetError, match="no rule set 'nope'"):
        book.get("nope", DAY)


def test_wanted_facts_is_the_union_per_source(book: RuleBook) -> None:
    wanted = book.wanted_facts(DAY)
    keys = {s: sorted((f.name, f.key) for f in specs) for s, specs in wanted.items()}
    assert keys[SS] == [
        ("living_wage", "LIVING_WAGES_PCSA_HELP"),
        ("vt_family", "BIM_BVT_IN_FAMILY"),
        ("vt_own", "BIM_BVT"),
    ]
    assert keys[SourceId.DISABILITY_FILE] == [("parking_card", "PARKINGCARD")]
    assert [n for n, _ in keys[NR]] == ["deceased", "domicile_nis"]  # no postal code: not needed
    assert SourceId.UITPAS not in wanted
    spec = next(f for f in wanted[SS] if f.name == "vt_own")
    assert "ziekenfonds" in spec.ask_citizen.nl and "health insurer" in spec.ask_citizen.en
    assert book.wanted_facts(dt.date(2020, 1, 1)) == {}


def test_purpose_is_carried_and_marked_for_confirmation(book: RuleBook) -> None:
    for ruleset in book.in_force(DAY):
        assert ruleset.purpose == "ipdc2858"
        assert ruleset.purpose_to_be_confirmed


def test_dated_parameter_changes_the_outcome_at_its_start_date(tmp_path: Path) -> None:
    ruleset = load_ruleset(write_rule(tmp_path, MINIMAL))
    facts = {
        "domicile_nis": Fact.known("domicile_nis", "44019", NR),
        "vt_own": Fact.known("vt_own", (Period(),), SS),
    }
    before = evaluate(ruleset, facts, dt.date(2024, 12, 31))
    after = evaluate(ruleset, facts, dt.date(2025, 1, 1))
    assert before.outcome is Outcome.NOT_ELIGIBLE
    assert before.parameters["towns"] == ["44021"]
    assert after.outcome is Outcome.ELIGIBLE
    assert after.parameters["towns"] == ["44021", "44019"]


def test_unknown_never_gives_not_eligible(book: RuleBook) -> None:
    ruleset = book.get("uitpas-kansentarief", DAY)
    facts = _resident() | {"vt_own": Fact.error("vt_own", SS, "MAGDA timeout")}
    advice = evaluate(ruleset, facts, DAY)
    assert advice.outcome is Outcome.CHECK_MANUALLY
    missing = {m.name: m for m in advice.missing}
    assert missing["vt_own"].status is FactStatus.SOURCE_ERROR
    assert missing["vt_own"].reason == "MAGDA timeout"
    assert missing["vt_own"].key == "BIM_BVT"
    assert "health insurer" in missing["vt_own"].ask_citizen.en
    assert missing["living_wage"].reason == "not supplied"
    assert missing["vt_own"].label.nl == "verhoogde tegemoetkoming"
    # the clerk reads labels, never the internal names
    assert ", increased allowance (VT), " in advice.reason.en
    assert "Ontbreekt: leefloon of equivalente hulp van het OCMW, verhoogde tegemoetkoming, " in (
        advice.reason.nl
    )
    assert "vt_own" not in advice.reason.en and "vt_own" not in advice.reason.nl


def test_eligible_advice_carries_decisive_facts_price_and_end(book: RuleBook) -> None:
    ruleset = book.get("uitpas-kansentarief", DAY)
    vt = Fact.known(
        "vt_own",
        (Period(start=dt.date(2025, 1, 1), end=dt.date(2026, 9, 30)),),
        SS,
        reference="MAGDA-42",
    )
    advice = evaluate(ruleset, _resident() | {"vt_own": vt}, DAY)
    assert advice.outcome is Outcome.ELIGIBLE
    assert [f.name for f in advice.decisive_facts] == ["deceased", "domicile_nis", "vt_own"]
    assert advice.decisive_facts[2].reference == "MAGDA-42"
    assert advice.why_not == ()
    (price,) = advice.prices
    assert (price.name, str(price.amount), str(price.normal_amount), price.currency) == (
        "card",
        "1.00",
        "5.00",
        "EUR",
    )
    assert advice.proposed_end_date == dt.date(2026, 9, 30)
    assert advice.ruleset_id == "uitpas-kansentarief" and advice.ruleset_version == "2024.1"
    assert len(advice.ruleset_hash) == 64
    assert advice.title.nl == "UiTPAS met kansentarief"
    assert "€1" in advice.reason.nl


def test_not_eligible_says_why_not(book: RuleBook) -> None:
    ruleset = book.get("uitpas-kansentarief", DAY)
    facts = _resident("11002") | {"vt_own": Fact.known("vt_own", (Period(),), SS)}
    advice = evaluate(ruleset, facts, DAY)
    assert advice.outcome is Outcome.NOT_ELIGIBLE
    assert [c.condition_id for c in advice.why_not] == ["resident"]
    assert advice.why_not[0].result is Truth.FALSE
    assert [f.name for f in advice.decisive_facts] == ["domicile_nis"]
    assert advice.prices == () and advice.proposed_end_date is None
    assert "Lives in a municipality of the UiTPAS Gent card system" in advice.reason.en


def test_trace_has_every_condition_with_values_and_parameters(book: RuleBook) -> None:
    ruleset = book.get("uitpas-kansentarief", DAY)
    advice = evaluate(ruleset, _resident(), DAY)
    assert len(advice.trace) == len(ruleset.tree.nodes)
    lines = {line.condition_id: line for line in advice.trace}
    assert lines["resident"].parameters == {"card_system_municipalities": ["44021"]}
    assert lines["resident"].facts[0].value == "44021"
    assert lines["vt_family_counts"].parameters == {"vt_in_family_counts": True}
    assert lines["living_wage"].result is Truth.UNKNOWN
    assert lines["living_wage"].facts[0].status is FactStatus.UNKNOWN
    assert evaluate(ruleset, _resident(), DAY, trace=False).trace == ()


def test_trace_off_gives_the_same_advice_otherwise(book: RuleBook) -> None:
    ruleset = book.get("lez-vrijstelling-handicap", DAY)
    facts = {"parking_card": Fact.known("parking_card", (Period(),), SourceId.DISABILITY_FILE)}
    with_trace = evaluate(ruleset, facts, DAY).model_dump(exclude={"trace"})
    without = evaluate(ruleset, facts, DAY, trace=False).model_dump(exclude={"trace"})
    assert with_trace == without


def test_advice_round_trips_through_json(book: RuleBook) -> None:
    ruleset = book.get("lez-verminderd-tarief", DAY)
    facts = _resident() | {"vt_own": Fact.known("vt_own", (Period(start=dt.date(2020, 1, 1)),), SS)}
    advice = evaluate(ruleset, facts, DAY)
    dumped = advice.model_dump(mode="json")
    text = json.dumps(dumped)
    assert dumped["outcome"] == "eligible"
    assert dumped["trace"][0]["path"] == "eligibility"
    assert [p["name"] for p in dumped["prices"]] == [
        "week",
        "month",
        "four_months",
        "year",
        "day_pass",
    ]
    again = Advice.model_validate_json(text)
    assert again.model_dump(mode="json") == dumped
    assert again.prices == advice.prices and again.missing == advice.missing
    assert [line.result for line in again.trace] == [line.result for line in advice.trace]
    with pytest.raises(ValidationError):  # frozen
        advice.outcome = Outcome.NOT_ELIGIBLE  # type: ignore[misc]


def test_content_hash_ignores_layout_but_not_content(tmp_path: Path) -> None:
    a = load_ruleset(write_rule(tmp_path, MINIMAL, "a.yaml"))
    reformatted = "# a comment\n" + MINIMAL.replace(
        "title: {nl: Mini, en: Mini}", "title:\n  en: Mini\n  nl: Mini"
    )
    b = load_ruleset(write_rule(tmp_path, reformatted, "b.yaml"))
    c = load_ruleset(write_rule(tmp_path, MINIMAL.replace("nl: ja", "nl: jawel"), "c.yaml"))
    assert a.content_hash == b.content_hash
    assert a.content_hash != c.content_hash


def test_with_parameter_is_a_copy(book: RuleBook) -> None:
    ruleset = book.get("uitpas-kansentarief", DAY)
    off = ruleset.with_parameter("vt_in_family_counts", False)
    facts = _resident() | {"vt_family": Fact.known("vt_family", (Period(),), SS)}
    assert evaluate(ruleset, facts, DAY).outcome is Outcome.ELIGIBLE
    advice_off = evaluate(off, facts, DAY)
    assert advice_off.outcome is Outcome.CHECK_MANUALLY  # the other statutes are unknown
    assert "vt_family" not in {m.name for m in advice_off.missing}
    assert off.content_hash != ruleset.content_hash
    assert ruleset.parameters_on(DAY)["vt_in_family_counts"] is True


def test_wrongly_typed_fact_value_is_unknown_not_a_crash(book: RuleBook) -> None:
    ruleset = book.get("lez-verminderd-tarief", DAY)
    facts = _resident() | {"vt_own": Fact.known("vt_own", "yes", SS)}
    advice = evaluate(ruleset, facts, DAY)
    assert advice.outcome is Outcome.CHECK_MANUALLY
    assert [m.name for m in advice.missing] == ["vt_own", "vt_family"] or [
        m.name for m in advice.missing
    ] == ["vt_own"]


@pytest.mark.parametrize(
    ("name", "value", "definite_before"),
    [
        # "false" as text made "not deceased" hold: a deceased person read as alive
        ("deceased", "false", Outcome.ELIGIBLE),
        ("deceased", "true", Outcome.ELIGIBLE),
        # 44021 as a number is not the text "44021": read as "not a resident"
        ("domicile_nis", 44021, Outcome.NOT_ELIGIBLE),
    ],
)
def test_a_value_of_the_wrong_type_decides_nothing(
    book: RuleBook, name: str, value: object, definite_before: Outcome
) -> None:
    """Every comparison and membership refuses a value whose type the catalogue does not allow."""
    ruleset = book.get("uitpas-kansentarief", DAY)
    vt = Fact.known("vt_own", (Period(start=dt.date(2025, 1, 1), end=None),), SS)
    facts = _resident() | {"vt_own": vt, name: Fact.known(name, value, NR)}  # type: ignore[arg-type]
    advice = evaluate(ruleset, facts, DAY)
    assert advice.outcome is Outcome.CHECK_MANUALLY, definite_before
    (missing,) = [m for m in advice.missing if m.name == name]
    assert (missing.status, missing.reason) == (FactStatus.UNKNOWN, "a value of the wrong type")


def test_a_fact_from_another_source_than_the_rule_set_trusts_decides_nothing(
    book: RuleBook,
) -> None:
    """gent-rules §2: proof of VT from the sticker alone is not accepted; the source is.

    A VT "declared" at the counter used to make the LEZ exemption eligible.
    """
    ruleset = book.get("lez-vrijstelling-handicap", DAY)
    card = (Period(start=dt.date(2024, 1, 1), end=dt.date(2028, 1, 1)),)
    declared_vt = Fact.known("vt_own", (Period(start=None, end=None),), SourceId.CLERK_DECLARATION)
    facts = {
        "deceased": Fact.known("deceased", False, NR),
        "parking_card": Fact.known("parking_card", card, SourceId.DISABILITY_FILE),
        "vt_own": declared_vt,
        "adapted_vehicle": Fact.known("adapted_vehicle", False, SourceId.CLERK_DECLARATION),
        "wheelchair_lift": Fact.known("wheelchair_lift", False, SourceId.CLERK_DECLARATION),
        "adapted_public_transport": Fact.known(
            "adapted_public_transport", False, SourceId.CLERK_DECLARATION
        ),
    }
    advice = evaluate(ruleset, facts, DAY)
    assert advice.outcome is Outcome.CHECK_MANUALLY
    (missing,) = advice.missing
    assert missing.name == "vt_own"
    assert missing.reason == "given by clerk_declaration; only social_statutes is accepted"
    from_source = facts | {"vt_own": declared_vt.model_copy(update={"source": SS})}
    assert evaluate(ruleset, from_source, DAY).outcome is Outcome.ELIGIBLE


def test_end_date_is_capped_at_five_years(book: RuleBook) -> None:
    ruleset = book.get("lez-vrijstelling-handicap", DAY)
    facts = {
        "deceased": Fact.known("deceased", False, NR),
        "parking_card": Fact.known(
            "parking_card",
            (Period(start=dt.date(2020, 1, 1), end=dt.date(2040, 1, 1)),),
            SourceId.DISABILITY_FILE,
        ),
        "adapted_vehicle": Fact.known("adapted_vehicle", True, SourceId.CLERK_DECLARATION),
    }
    leap = dt.date(2028, 2, 29)
    assert evaluate(ruleset, facts, leap).proposed_end_date == dt.date(2033, 2, 28)


def test_shipped_rules_load_from_another_resources_dir(
    tmp_path: Path, shipped_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "rules").mkdir()
    write_rule(tmp_path / "rules", MINIMAL)
    monkeypatch.setenv("LOKET_RESOURCES", str(tmp_path))
    assert load_rulebook().ids() == ["mini"]
    monkeypatch.delenv("LOKET_RESOURCES")
    assert "uitpas-kansentarief" in load_rulebook().ids()
    assert shipped_dir.name == "rules"


DATE_RULES = """\
id: dates
version: "1"
valid_from: 2024-01-01
title: {nl: Data, en: Dates}
purpose: {value: test}
parameters:
  notice_days:
    description: {nl: dagen, en: days}
    unit: days
    reference: test
    values: [{from: 2024-01-01, value: 30}]
  deadline:
    description: {nl: einde, en: end}
    unit: date
    reference: test
    values: [{from: 2024-01-01, value: 2026-06-30}]
facts:
  vt_own:
    type: periods
    source: social_statutes
    key: BIM_BVT
    label: {nl: verhoogde tegemoetkoming, en: increased allowance}
    ask_citizen: {nl: attest, en: certificate}
  living_wage:
    type: periods
    source: social_statutes
    key: LIVING_WAGES_PCSA_HELP
    label: {nl: leefloon, en: living wage}
    ask_citizen: {nl: attest, en: certificate}
eligibility:
  all:
    - id: before_deadline
      reference_date: {op: le, param: deadline, offset_days: 10}
    - id: still_in_a_month
      covers: {fact: vt_own, offset_days: {param: notice_days}}
    - id: not_ending_soon
      not:
        ends_within: {fact: living_wage, days: 7}
advice:
  eligible: {nl: ja, en: "yes"}
  not_eligible: {nl: nee, en: "no"}
  check_manually: {nl: nakijken, en: check}
"""


def _periods(start: dt.date | None, end: dt.date | None) -> tuple[Period, ...]:
    return (Period(start=start, end=end),)


@pytest.mark.parametrize(
    ("day", "vt_end", "lw_end", "expected"),
    [
        (dt.date(2026, 6, 20), dt.date(2026, 7, 20), dt.date(2026, 12, 31), Outcome.ELIGIBLE),
        (dt.date(2026, 6, 21), dt.date(2026, 7, 21), dt.date(2026, 12, 31), Outcome.NOT_ELIGIBLE),
        (dt.date(2026, 6, 1), dt.date(2026, 6, 30), dt.date(2026, 12, 31), Outcome.NOT_ELIGIBLE),
        (dt.date(2026, 6, 1), dt.date(2026, 7, 1), dt.date(2026, 6, 8), Outcome.NOT_ELIGIBLE),
        (dt.date(2026, 6, 1), dt.date(2026, 7, 1), dt.date(2026, 6, 9), Outcome.ELIGIBLE),
        (dt.date(2026, 6, 1), dt.date(2026, 7, 1), dt.date(2026, 5, 31), Outcome.ELIGIBLE),
    ],
)
def test_date_arithmetic_conditions(
    tmp_path: Path, day: dt.date, vt_end: dt.date, lw_end: dt.date, expected: Outcome
) -> None:
    ruleset = load_ruleset(write_rule(tmp_path, DATE_RULES))
    facts = {
        "vt_own": Fact.known("vt_own", _periods(dt.date(2024, 1, 1), vt_end), SS),
        "living_wage": Fact.known("living_wage", _periods(dt.date(2024, 1, 1), lw_end), SS),
    }
    advice = evaluate(ruleset, facts, day)
    assert advice.outcome is expected
    lines = {line.condition_id: line for line in advice.trace if line.condition_id}
    assert lines["still_in_a_month"].parameters == {"notice_days": 30}
    assert lines["before_deadline"].parameters == {"deadline": dt.date(2026, 6, 30)}


def test_unknown_under_not_stays_unknown(tmp_path: Path) -> None:
    ruleset = load_ruleset(write_rule(tmp_path, DATE_RULES))
    facts = {"vt_own": Fact.known("vt_own", _periods(None, None), SS)}
    advice = evaluate(ruleset, facts, dt.date(2026, 1, 1))
    assert advice.outcome is Outcome.CHECK_MANUALLY
    assert [m.name for m in advice.missing] == ["living_wage"]


def test_the_reason_names_the_citizens_conditions_not_the_citys_switches(book: RuleBook) -> None:
    """ "Not met: … VT in the family counts (parameter)" read as a criterion the citizen failed."""
    ruleset = book.get("lez-verminderd-tarief", DAY)
    facts = _resident() | {"vt_own": Fact.known("vt_own", (), SS)}
    advice = evaluate(ruleset, facts, DAY)
    assert advice.outcome is Outcome.NOT_ELIGIBLE
    assert "parameter" not in advice.reason.en and "parameter" not in advice.reason.nl
    assert "Not met: " in advice.reason.en
    # the switch is still part of the explanation
    assert "vt_family_counts" in [c.condition_id for c in advice.why_not]
