"""Properties of three-valued evaluation, checked with generated facts on all shipped rule sets.

- more qualifying facts never take "eligible" away;
- less information never turns an open outcome into a definite one the facts did not give;
- every definite outcome is explained: its decisive facts alone give the same outcome.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules import Fact, FactType, Outcome, Period, RuleSet, Truth, evaluate, load_rulebook
from rules.catalogue import FACT_CATALOGUE
from rules.facts import FactValue

BOOK = load_rulebook()
DAY = dt.date(2026, 3, 15)
RULESETS = [BOOK.get(i, DAY) for i in BOOK.ids()]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _positive_facts(ruleset: RuleSet) -> dict[str, str]:
    """Facts that qualify when true: covers / "= true" leaves under an even number of "not"s."""
    nodes = ruleset.tree.nodes
    found: dict[str, str] = {}

    def walk(index: int, negated: bool) -> None:
        node = nodes[index]
        if node.negates:
            walk(node.children[0], not negated)
            return
        for child in node.children:
            walk(child, negated)
        if not negated and node.fact is not None:
            if node.kind == "covers":
                found[node.fact] = "periods"
            elif node.kind == "compare" and node.expression.endswith("= true"):
                found[node.fact] = "boolean"

    walk(0, False)
    return found


days = st.integers(min_value=-800, max_value=800).map(lambda n: DAY + dt.timedelta(days=n))
periods = st.builds(Period, start=st.none() | days, end=st.none() | days).filter(
    lambda p: p.start is None or p.end is None or p.start <= p.end
)


def _value(fact_type: FactType) -> st.SearchStrategy[FactValue]:
    if fact_type is FactType.PERIODS:
        return st.lists(periods, max_size=3).map(tuple)
    if fact_type is FactType.BOOLEAN:
        return st.booleans()
    return st.sampled_from(["44021", "11002", "44019", None])


@st.composite
def fact_sets(draw: st.DrawFn, ruleset: RuleSet) -> dict[str, Fact]:
    facts: dict[str, Fact] = {}
    for name, spec in ruleset.facts.items():
        kind = draw(st.sampled_from(["known", "known", "known", "unknown", "error", "absent"]))
        if kind == "known":
            facts[name] = Fact.known(name, draw(_value(FACT_CATALOGUE[name].type)), spec.source)
        elif kind == "unknown":
            facts[name] = Fact.unknown(name, spec.source, "not declared yet")
        elif kind == "error":
            facts[name] = Fact.error(name, spec.source, "source did not answer")
    return facts


def _cases() -> st.SearchStrategy[tuple[RuleSet, dict[str, Fact]]]:
    return st.sampled_from(RULESETS).flatmap(lambda r: st.tuples(st.just(r), fact_sets(r)))


def _outcome(ruleset: RuleSet, facts: Mapping[str, Fact]) -> Outcome:
    return evaluate(ruleset, facts, DAY, trace=False).outcome


@SETTINGS
@given(case=_cases(), data=st.data())
def test_one_more_qualifying_fact_never_takes_eligible_away(
    case: tuple[RuleSet, dict[str, Fact]], data: st.DataObject
) -> None:
    ruleset, facts = case
    positive = _positive_facts(ruleset)
    assert positive  # every shipped rule set has qualifying facts
    name = data.draw(st.sampled_from(sorted(positive)))
    spec = ruleset.facts[name]
    old = facts.get(name)
    if positive[name] == "periods":
        kept = old.value if old is not None and isinstance(old.value, tuple) else ()
        value: FactValue = (*kept, Period(start=DAY - dt.timedelta(days=1), end=None))
    else:
        value = True
    more = {**facts, name: Fact.known(name, value, spec.source)}
    before, after = _outcome(ruleset, facts), _outcome(ruleset, more)
    if before is Outcome.ELIGIBLE:
        assert after is Outcome.ELIGIBLE
    assert not (before is Outcome.CHECK_MANUALLY and after is Outcome.NOT_ELIGIBLE)


@SETTINGS
@given(case=_cases(), data=st.data())
def test_losing_a_fact_never_gives_a_definite_answer_the_fact_did_not_give(
    case: tuple[RuleSet, dict[str, Fact]], data: st.DataObject
) -> None:
    ruleset, facts = case
    known = sorted(n for n, f in facts.items() if f.status.value == "known")
    if not known:
        return
    name = data.draw(st.sampled_from(known))
    how = data.draw(st.sampled_from(["unknown", "error", "absent"]))
    less = dict(facts)
    if how == "absent":
        del less[name]
    elif how == "unknown":
        less[name] = Fact.unknown(name, facts[name].source, "lost")
    else:
        less[name] = Fact.error(name, facts[name].source, "lost")
    with_fact, without = _outcome(ruleset, facts), _outcome(ruleset, less)
    assert without is Outcome.CHECK_MANUALLY or without is with_fact
    if without is Outcome.CHECK_MANUALLY and with_fact is not Outcome.CHECK_MANUALLY:
        missing = {m.name for m in evaluate(ruleset, less, DAY).missing}
        assert name in missing  # the advice names the fact that would decide


@SETTINGS
@given(case=_cases())
def test_the_trace_explains_every_outcome(case: tuple[RuleSet, dict[str, Fact]]) -> None:
    ruleset, facts = case
    advice = evaluate(ruleset, facts, DAY)
    by_path = {line.path: line for line in advice.trace}
    assert (
        by_path["eligibility"].result
        is {
            Outcome.ELIGIBLE: Truth.TRUE,
            Outcome.NOT_ELIGIBLE: Truth.FALSE,
            Outcome.CHECK_MANUALLY: Truth.UNKNOWN,
        }[advice.outcome]
    )
    if advice.outcome is Outcome.CHECK_MANUALLY:
        assert advice.missing and advice.decisive_conditions == ()
        assert all(
            facts.get(m.name) is None or facts[m.name].status.value != "known"
            for m in advice.missing
        )
        return
    assert advice.decisive_conditions and advice.missing == ()
    for condition in advice.decisive_conditions:
        assert by_path[condition.path].result is condition.result is not Truth.UNKNOWN
    assert all(f.status.value == "known" for f in advice.decisive_facts)
    if advice.outcome is Outcome.NOT_ELIGIBLE:
        assert advice.why_not == advice.decisive_conditions
    # the decisive facts alone are enough to reach the same outcome
    only = {f.name: f for f in advice.decisive_facts}
    assert _outcome(ruleset, only) is advice.outcome
