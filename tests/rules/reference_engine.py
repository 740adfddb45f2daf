"""FROZEN reference: the rule engine's ``evaluate`` as it was before the per-shape caching.

A verbatim copy of ``rules/engine.py`` at commit 5006531 (only this docstring and the
per-date cache differ: the reference keeps its own views, so it shares no cached state
with the engine under test). It runs the rule set's compiled tree and load-time tables
(``rules.compiler``, ``rules.ruleset``), which that change left as they were.
``test_engine_equivalence`` checks that the optimised engine gives exactly this
advice, field by field, for generated populations.
Do not "fix" or speed up this file: it is the yardstick. Three deliberate
exceptions follow the engine's later semantics, each written independently: the
one-line reason leaves policy switches out when the citizen's own conditions
decided too; a missing fact that was known but refused (wrong source or type)
says why; the proposed end date (``while_holds``, periods that follow on without
a gap: ``_run_end``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any
from weakref import WeakKeyDictionary

from rules._construct import construct
from rules.advice import (
    Advice,
    ConditionRef,
    MissingFact,
    Outcome,
    PriceLine,
    TraceLine,
    Truth,
)
from rules.compiler import NodeInfo, Results
from rules.facts import Fact, FactStatus
from rules.fileformat import LocalText
from rules.ruleset import NOT_SUPPLIED, RuleSet

_TRUTH = {True: Truth.TRUE, False: Truth.FALSE, None: Truth.UNKNOWN}
_NO_PARAMS: Mapping[str, Any] = MappingProxyType({})
_OUTCOME = {True: Outcome.ELIGIBLE, False: Outcome.NOT_ELIGIBLE, None: Outcome.CHECK_MANUALLY}


_VIEWS: WeakKeyDictionary[RuleSet, dict[dt.date, _DateView]] = WeakKeyDictionary()


class _DateView:
    """Everything about a rule set that depends only on the reference date, built once."""

    __slots__ = (
        "end_rule",
        "fact_lines",
        "fixed_lines",
        "params",
        "prices",
        "reasons",
        "reported",
        "texts",
    )

    def __init__(self, ruleset: RuleSet, on: dt.date) -> None:
        self.params = params = ruleset.parameters_on(on)
        advice = ruleset.definition.advice
        self.texts = {o: ruleset.text(getattr(advice, o.value), on) for o in Outcome}
        self.prices = _prices(ruleset, params, on)
        self.reported: Mapping[str, Any] = MappingProxyType(
            {name: params[name] for name in ruleset.reported_parameters}
        )
        self.fixed_lines, fact_params = _per_date_lines(ruleset, params)
        self.fact_lines = tuple(
            (index, name, template, shown)
            for (index, name, template), shown in zip(ruleset.fact_nodes, fact_params, strict=True)
        )
        self.reasons: dict[tuple[Outcome, tuple[str, ...]], LocalText] = {}
        has_end = ruleset.definition.proposed_end is not None
        self.end_rule = _EndRule(ruleset, params, on) if has_end else None


def evaluate(
    ruleset: RuleSet, facts: Mapping[str, Fact], on: dt.date, *, trace: bool = True
) -> Advice:
    """Advise on ``ruleset`` for the subject described by ``facts`` on reference date ``on``.

    ``facts`` maps fact names to facts; a name that is absent counts as unknown.
    """
    views = _VIEWS.setdefault(ruleset, {})
    view: _DateView | None = views.get(on)
    if view is None:
        view = views.setdefault(on, _DateView(ruleset, on))
    nodes = ruleset.tree.nodes
    results: Results = [None] * len(nodes)
    verdict = ruleset.tree.root(facts, on, view.params, results)
    outcome = _OUTCOME[verdict]
    absent = ruleset.absent_facts

    conditions: tuple[ConditionRef, ...] = ()
    decisive_facts: tuple[Fact, ...] = ()
    missing: tuple[MissingFact, ...] = ()
    if verdict is not None:
        decisive: list[NodeInfo] = []
        _decisive_leaves(nodes, results, 0, verdict, decisive)
        refs = ruleset.condition_refs
        conditions = tuple([refs[n.index][results[n.index]] for n in decisive])
        names = dict.fromkeys([n.fact for n in decisive if n.fact is not None])
        decisive_facts = tuple([facts.get(name) or absent[name] for name in names])
        reason_key = tuple([c.path for c in conditions]) if not verdict else ()
    else:
        open_leaves: list[NodeInfo] = []
        _open_leaves(nodes, results, 0, open_leaves)
        names = dict.fromkeys([n.fact for n in open_leaves if n.fact is not None])
        missing = tuple([_missing(ruleset, facts.get(name) or absent[name]) for name in names])
        reason_key = tuple(names)

    reason = view.reasons.get((outcome, reason_key))
    if reason is None:
        # updated on purpose: the reason leaves policy switches out when the citizen's
        # own conditions decided too (written independently of the engine's filter)
        named = (
            tuple(c for n, c in zip(decisive, conditions, strict=True) if n.kind != "param_true")
            if verdict is not None
            else conditions
        )
        reason = _reason(view.texts[outcome], outcome, named or conditions, missing)
        if len(view.reasons) < 256:
            view.reasons[outcome, reason_key] = reason
    eligible = verdict is True
    return construct(
        Advice,
        {  # every field, in declaration order
            "ruleset_id": ruleset.id,
            "ruleset_version": ruleset.version,
            "ruleset_hash": ruleset.content_hash,
            "purpose": ruleset.purpose,
            "reference_date": on,
            "outcome": outcome,
            "title": ruleset.title,
            "reason": reason,
            "decisive_facts": decisive_facts,
            "why_not": conditions if verdict is False else (),
            "decisive_conditions": conditions,
            "missing": missing,
            "trace": _trace(ruleset, results, view, facts) if trace else (),
            "parameters": view.reported,
            "prices": view.prices if eligible else (),
            "proposed_end_date": (
                _proposed_end(ruleset, view.end_rule, facts, results, on) if eligible else None
            ),
            "fact_labels": ruleset.fact_labels,
            "parameter_labels": ruleset.parameter_labels,
        },
    )


def _decisive_leaves(
    nodes: tuple[NodeInfo, ...], results: Results, index: int, wanted: bool, out: list[NodeInfo]
) -> None:
    """The leaves that make node ``index`` evaluate to ``wanted`` (a definite value)."""
    node = nodes[index]
    if not node.children:
        out.append(node)
        return
    if node.negates:
        _decisive_leaves(nodes, results, node.children[0], not wanted, out)
        return
    # all→True and any→False need every child; all→False and any→True only the matching ones
    needs_every = (node.kind == "all") == wanted
    for child in node.children:
        if needs_every or results[child] is wanted:
            _decisive_leaves(nodes, results, child, wanted, out)


def _open_leaves(
    nodes: tuple[NodeInfo, ...], results: Results, index: int, out: list[NodeInfo]
) -> None:
    """Unknown leaves reachable through unknown nodes: only these could change the outcome."""
    node = nodes[index]
    if not node.children:
        out.append(node)
        return
    for child in node.children:
        if results[child] is None:
            _open_leaves(nodes, results, child, out)


def _missing(ruleset: RuleSet, fact: Fact) -> MissingFact:
    spec = ruleset.facts[fact.name]
    # Updated on purpose: a known fact the conditions refused (wrong source or type).
    unusable = fact.status is FactStatus.KNOWN
    if not unusable:
        reason = fact.reason or NOT_SUPPLIED
    elif fact.source != spec.source:
        reason = f"given by {fact.source.value}; only {spec.source.value} is accepted"
    else:
        reason = "a value of the wrong type"
    return construct(
        MissingFact,
        {
            "name": fact.name,
            "label": spec.label,
            "source": spec.source,
            "key": spec.key,
            "status": FactStatus.UNKNOWN if unusable else fact.status,
            "reason": reason,
            "ask_citizen": spec.ask_citizen,
        },
    )


def _trace(
    ruleset: RuleSet, results: Results, view: _DateView, facts: Mapping[str, Fact]
) -> tuple[TraceLine, ...]:
    """One line per condition; what depends only on the date is built once per date."""
    absent = ruleset.absent_facts
    lines: list[Any] = [None] * len(results)
    for index, by_result in view.fixed_lines:
        lines[index] = by_result[results[index]]
    new = tuple.__new__
    truths = _TRUTH
    for index, name, template, node_params in view.fact_lines:
        fact = facts.get(name) or absent[name]
        line = template + (truths[results[index]], (fact,), node_params)  # noqa: RUF005 - faster
        lines[index] = new(TraceLine, line)
    return tuple(lines)


def _per_date_lines(
    ruleset: RuleSet, params: Mapping[str, Any]
) -> tuple[tuple[tuple[int, dict[bool | None, TraceLine]], ...], tuple[Mapping[str, Any], ...]]:
    """Fact-free conditions' lines per result, and the parameters each fact condition shows."""

    def shown(node: NodeInfo) -> Mapping[str, Any]:
        return MappingProxyType({p: params[p] for p in node.params}) if node.params else _NO_PARAMS

    nodes = ruleset.tree.nodes
    fixed = tuple(
        (
            node.index,
            {
                value: TraceLine._make((*template, truth, (), shown(node)))
                for value, truth in _TRUTH.items()
            },
        )
        for node, template in zip(nodes, ruleset.trace_templates, strict=True)
        if node.fact is None
    )
    return fixed, tuple(shown(nodes[index]) for index, _, _ in ruleset.fact_nodes)


def _reason(
    text: LocalText,
    outcome: Outcome,
    conditions: tuple[ConditionRef, ...],
    missing: tuple[MissingFact, ...],
) -> LocalText:
    """The advice text plus what decided it, on one line per language."""
    if outcome is Outcome.CHECK_MANUALLY:
        nl = ", ".join(m.label.nl for m in missing)
        en = ", ".join(m.label.en for m in missing)
        return construct(
            LocalText,
            {"nl": f"{text.nl} Ontbreekt: {nl}.", "en": f"{text.en} Missing: {en}."},
        )
    if outcome is Outcome.NOT_ELIGIBLE:
        nl = "; ".join(c.label.nl if c.label else c.expression for c in conditions)
        en = "; ".join(c.label.en if c.label else c.expression for c in conditions)
        return construct(
            LocalText,
            {"nl": f"{text.nl} Niet voldaan: {nl}.", "en": f"{text.en} Not met: {en}."},
        )
    return text


def _money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _prices(ruleset: RuleSet, params: Mapping[str, Any], on: dt.date) -> tuple[PriceLine, ...]:
    lines = []
    for price in ruleset.definition.prices:
        normal = price.normal_amount
        lines.append(
            PriceLine(
                name=price.name,
                label=ruleset.text(price.label, on),
                amount=_money(params[price.amount.param]),
                currency=price.currency,
                normal_amount=_money(params[normal.param]) if normal else None,
                note=ruleset.text(price.note, on) if price.note else None,
            )
        )
    return tuple(lines)


def add_years(day: dt.date, years: int) -> dt.date:
    """Same day ``years`` later; 29 February becomes 28 February in a common year."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def _run_end(value: object, on: dt.date) -> dt.date | None:
    """End of the run of periods that covers ``on`` (back-to-back periods join); None: open.

    Updated on purpose (not frozen) with the engine's proposed-end semantics: written
    independently, in one pass over the periods sorted by start.
    """
    periods = sorted(
        value if isinstance(value, tuple) else (), key=lambda p: p.start or dt.date.min
    )
    covering = [p for p in periods if p.covers(on)]
    if not covering or any(p.end is None for p in covering):
        return None
    end = max(p.end for p in covering)
    for p in periods:
        if p.start is not None and p.start > end + dt.timedelta(days=1):
            break  # sorted by start: every later period starts after a gap too
        if p.end is None:
            return None
        end = max(end, p.end)
    return end


_OPEN = object()  # no known end


def _node_end(
    nodes: tuple[NodeInfo, ...],
    facts: Mapping[str, Fact],
    results: Results,
    index: int,
    on: dt.date,
) -> dt.date | None:
    """Known end of a condition that holds: its period's end, or the earliest below it."""
    node = nodes[index]
    if node.kind == "covers":
        value = facts[node.fact].value if node.fact is not None else ()
        return _run_end(value, on)
    earliest: dt.date | None = None
    for child in node.children:
        if results[child] is True:
            end = _node_end(nodes, facts, results, child, on)
            if end is not None and (earliest is None or end < earliest):
                earliest = end
    return earliest


def _holds_until(
    nodes: tuple[NodeInfo, ...],
    facts: Mapping[str, Fact],
    results: Results,
    index: int,
    on: dt.date,
) -> object:
    """``while_holds``: a date, or _OPEN. all = first part to end, any = last alternative."""
    node = nodes[index]
    if node.kind == "covers":
        end = _run_end(facts[node.fact].value if node.fact is not None else (), on)
        return _OPEN if end is None else end
    if node.kind == "all":
        ends = [_holds_until(nodes, facts, results, c, on) for c in node.children]
        dates = [e for e in ends if e is not _OPEN]
        return min(dates) if dates else _OPEN  # type: ignore[type-var]
    if node.kind == "any":
        ends = [_holds_until(nodes, facts, results, c, on) for c in node.children if results[c]]
        return _OPEN if _OPEN in ends or not ends else max(ends)  # type: ignore[type-var]
    return _OPEN


class _EndRule:
    """The proposed-end specification resolved for one date."""

    __slots__ = ("cap", "default", "holds", "indices")

    def __init__(self, ruleset: RuleSet, params: Mapping[str, Any], on: dt.date) -> None:
        spec = ruleset.definition.proposed_end
        assert spec is not None
        self.indices = tuple(ruleset.tree.by_id[c] for c in spec.earliest_end_of)
        self.holds = ruleset.tree.by_id[spec.while_holds] if spec.while_holds else None
        self.cap = add_years(on, int(params[spec.max_years.param])) if spec.max_years else None
        self.default = self.cap
        if spec.default_day_next_year is not None:
            text = str(params[spec.default_day_next_year.param])
            month, day = (int(x) for x in text.split("-"))
            year = on.year + 1
            self.default = dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))
            if self.cap is not None:
                self.default = min(self.default, self.cap)


def _proposed_end(
    ruleset: RuleSet,
    rule: _EndRule | None,
    facts: Mapping[str, Fact],
    results: Results,
    on: dt.date,
) -> dt.date | None:
    """Earliest known end of the qualifying conditions, else the default; capped if set."""
    if rule is None:
        return None
    nodes = ruleset.tree.nodes
    if rule.holds is not None:
        until = _holds_until(nodes, facts, results, rule.holds, on)
        if until is _OPEN:
            return rule.default
        assert isinstance(until, dt.date)
        return until if rule.cap is None else min(until, rule.cap)
    earliest: dt.date | None = None
    for index in rule.indices:
        if results[index] is True:
            end = _node_end(nodes, facts, results, index, on)
            if end is not None and (earliest is None or end < earliest):
                earliest = end
    if earliest is None:
        return rule.default
    return earliest if rule.cap is None else min(earliest, rule.cap)
