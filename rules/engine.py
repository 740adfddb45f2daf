"""Three-valued evaluation of a rule set, and the explanation that goes with it.

Kleene logic keeps the city's principle honest: a fact nobody could supply is
*unknown*, and an unknown that could still change the result yields "check
manually", never a silent "not eligible". After the tree has run, walks over the
recorded results explain it: which leaves decided a definite outcome (decisive
conditions and facts, "why not"), which unknown facts keep an open outcome open
(missing, with what to ask the citizen), and — when asked — the full trace.

Those walks, the texts and the fact-free trace lines depend only on the rule set,
the date and the vector of condition results, never on the facts themselves; they
are built once per distinct (date, results) pair (``_Shape``) and shared. What the
facts supply (decisive and missing facts, the fact lines of the trace, the proposed
end date) is built anew from the citizen's own facts for every advice.

A shape pays off only when its pattern comes back: building one and then filling
it in costs more than answering directly. A bulk run can meet many patterns once
and never again, so a pattern's first sighting is answered directly
(``_advise_directly``) and only marked as seen; its shape is built on the second.
Both ways start from a decision (``_decide``: reason, decisive conditions, the facts
that matter), which follows from the verdict and the deciding leaves alone and is
kept per date: far fewer decisions than patterns, so new patterns mostly share one.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

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
_DECISION_LIMIT = 256  # decisions kept per date; past it they are worked out each time
_SEEN_ONCE: Any = object()  # in ``ruleset.shapes``: the pattern was met once, no shape yet
# what a verdict and its deciding leaves come to: the names of the facts that matter, and
# every field of the advice but what those facts supply (see _decide)
_Decision = tuple[tuple[str, ...], dict[str, Any]]
# how to read a proposed end from the facts: a period fact's name, or ("min" | "max",
# (plan, ...)) over parts (see _holding_plan); flat and tuple-based because it is read
# for every eligible advice
EndPlan = str | tuple[str, tuple[Any, ...]]


class _DateView:
    """Everything about a rule set that depends only on the reference date, built once."""

    __slots__ = (
        "decisions",
        "end_rule",
        "fact_lines",
        "fixed_lines",
        "params",
        "prices",
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
        # a fact condition's line without its facts, per result: a pattern only picks them
        self.fact_lines = tuple(
            (index, name, {v: (*template, truth) for v, truth in _TRUTH.items()}, shown)
            for (index, name, template), shown in zip(ruleset.fact_nodes, fact_params, strict=True)
        )
        # What a verdict and the leaves that decided it (or keep it open) come to: the
        # facts that matter, and the advice's fields (decisive conditions, reason, ...)
        # without them (see _decide). Many patterns share one: a pattern differs as soon
        # as any condition does, a decision only when a deciding leaf does.
        self.decisions: dict[tuple[bool | None, tuple[int, ...]], _Decision] = {}
        has_end = ruleset.definition.proposed_end is not None
        self.end_rule = _EndRule(ruleset, params, on) if has_end else None


class _Shape:
    """Everything the results of the conditions decide on their own, for one rule set and date.

    Kept in ``ruleset.shapes`` under (date, results) from the pattern's second sighting
    on (the first is answered by ``_advise_directly``). Two citizens whose conditions came
    out the same (the same ``results`` vector) get the same outcome, decisive conditions,
    reason, fixed trace lines and missing or decisive fact *names*; only the facts
    themselves (and what is read from them: the decisive and missing facts, the fact
    lines of the trace, the proposed end date) differ, and ``evaluate`` fills those in
    from the citizen's own facts every time.
    """

    __slots__ = (
        "decisive_names",
        "eligible",
        "end_plan",
        "fact_lines",
        "missing_names",
        "trace_lines",
        "values",
    )

    def __init__(self, ruleset: RuleSet, view: _DateView, results: Results, on: dt.date) -> None:
        verdict = results[0]  # the root is node 0, and every node records its result
        names, self.values = _decide(ruleset, view, results, on)  # values: read only
        self.decisive_names = names if verdict is not None else ()
        self.missing_names = names if verdict is None else ()
        self.eligible = verdict is True
        # the trace: fact-free lines are whole; fact lines keep all but their facts
        lines: list[Any] = [None] * len(results)
        for index, by_result in view.fixed_lines:
            lines[index] = by_result[results[index]]
        self.trace_lines = lines
        self.fact_lines = tuple(
            [
                (index, name, by_result[results[index]], shown)
                for index, name, by_result, shown in view.fact_lines
            ]
        )
        self.end_plan = _end_plan(ruleset, view, results) if self.eligible else None


def evaluate(
    ruleset: RuleSet, facts: Mapping[str, Fact], on: dt.date, *, trace: bool = True
) -> Advice:
    """Advise on ``ruleset`` for the subject described by ``facts`` on reference date ``on``.

    ``facts`` maps fact names to facts; a name that is absent counts as unknown.
    """
    view: _DateView | None = ruleset.date_views.get(on)
    if view is None:
        view = ruleset.date_views.setdefault(on, _DateView(ruleset, on))
    results: Results = [None] * len(ruleset.tree.nodes)
    ruleset.tree.root(facts, on, view.params, results)
    key = (on, tuple(results))
    shape = ruleset.shapes.get(key)
    if shape is None or shape is _SEEN_ONCE:
        if shape is None:  # a new pattern, perhaps the only one of its kind: see the module doc
            ruleset.shapes.setdefault(key, _SEEN_ONCE)
            return _advise_directly(ruleset, view, facts, results, on, trace)
        shape = ruleset.shapes[key] = _Shape(ruleset, view, results, on)

    # from here on only what the citizen's own facts supply
    get = facts.get
    absent = ruleset.absent_facts
    values = shape.values.copy()
    values["reference_date"] = on  # the caller's own object, as before
    if shape.decisive_names:
        values["decisive_facts"] = tuple([get(n) or absent[n] for n in shape.decisive_names])
    if shape.missing_names:
        values["missing"] = tuple(
            [_missing(ruleset, get(n) or absent[n]) for n in shape.missing_names]
        )
    if trace:
        lines = shape.trace_lines.copy()
        new = tuple.__new__
        for index, name, prefix, node_params in shape.fact_lines:
            seen = (get(name) or absent[name],)
            lines[index] = new(TraceLine, prefix + (seen, node_params))  # noqa: RUF005 - faster
        values["trace"] = tuple(lines)
    if shape.eligible:
        values["proposed_end_date"] = _proposed_end(view.end_rule, facts, shape.end_plan, on)
    return construct(Advice, values)


def _advise_directly(
    ruleset: RuleSet,
    view: _DateView,
    facts: Mapping[str, Fact],
    results: Results,
    on: dt.date,
    trace: bool,
) -> Advice:
    """The advice for a pattern met for the first time, built without keeping a shape.

    The same advice as a ``_Shape`` filled in by ``evaluate`` (the equivalence test
    compares both with the reference engine); the trace lines are made in one step
    from the per-date tables instead of through a shape's own.
    """
    verdict = results[0]
    names, fields = _decide(ruleset, view, results, on)
    values = fields.copy()
    values["reference_date"] = on  # the caller's own object (decisions are kept per date)
    get = facts.get
    absent = ruleset.absent_facts
    if verdict is None:
        values["missing"] = tuple([_missing(ruleset, get(n) or absent[n]) for n in names])
    elif names:
        values["decisive_facts"] = tuple([get(n) or absent[n] for n in names])
    if trace:
        lines: list[Any] = [None] * len(results)
        for index, by_result in view.fixed_lines:
            lines[index] = by_result[results[index]]
        new = tuple.__new__
        for index, name, by_prefix, node_params in view.fact_lines:
            line = by_prefix[results[index]] + ((get(name) or absent[name],), node_params)
            lines[index] = new(TraceLine, line)
        values["trace"] = tuple(lines)
    if verdict is True:
        plan = _end_plan(ruleset, view, results)
        values["proposed_end_date"] = _proposed_end(view.end_rule, facts, plan, on)
    return construct(Advice, values)


def _decide(ruleset: RuleSet, view: _DateView, results: Results, on: dt.date) -> _Decision:
    """What the results decide: the names of the facts that matter, and the advice's fields.

    The facts are the decisive ones for a definite outcome, the missing ones for "check
    manually"; the fields hold everything but what those facts (and the trace and the end
    date) supply. Both follow from the verdict and the leaves the walk finds (a leaf the
    walk reaches holds the value the verdict wants of it, so its index fixes its result),
    which many patterns share; they are kept per date under those leaves. The fields are
    shared: copy them before filling them in.
    """
    nodes = ruleset.tree.nodes
    verdict = results[0]
    leaves: list[int] = []
    if verdict is None:
        _open_leaves(nodes, results, 0, leaves)
    else:
        _decisive_leaves(nodes, results, 0, verdict, leaves)
    key = (verdict, tuple(leaves))
    known = view.decisions.get(key)
    if known is not None:
        return known
    outcome = _OUTCOME[verdict]
    names = tuple(dict.fromkeys([f for i in leaves if (f := nodes[i].fact) is not None]))
    conditions: tuple[ConditionRef, ...] = ()
    labels: list[LocalText] = []
    if verdict is None:  # the reason names the missing facts by label: no fact needed
        labels = [ruleset.facts[name].label for name in names]
    else:
        refs = ruleset.condition_refs
        conditions = tuple([refs[i][results[i]] for i in leaves])
    reason = _reason(
        view.texts[outcome], outcome, _reason_conditions(nodes, leaves, conditions), labels
    )
    decision = (names, _fields(ruleset, view, on, verdict, conditions, reason))
    if len(view.decisions) < _DECISION_LIMIT:
        view.decisions[key] = decision
    return decision


def _fields(
    ruleset: RuleSet,
    view: _DateView,
    on: dt.date,
    verdict: bool | None,
    conditions: tuple[ConditionRef, ...],
    reason: LocalText,
) -> dict[str, Any]:
    """Every field of the advice, in declaration order; what the facts supply left empty."""
    eligible = verdict is True
    return {
        "ruleset_id": ruleset.id,
        "ruleset_version": ruleset.version,
        "ruleset_hash": ruleset.content_hash,
        "purpose": ruleset.purpose,
        "reference_date": on,
        "outcome": _OUTCOME[verdict],
        "title": ruleset.title,
        "reason": reason,
        "decisive_facts": (),
        "why_not": conditions if verdict is False else (),
        "decisive_conditions": conditions,
        "missing": (),
        "trace": (),
        "parameters": view.reported,
        "prices": view.prices if eligible else (),
        "proposed_end_date": None,
        "fact_labels": ruleset.fact_labels,
        "parameter_labels": ruleset.parameter_labels,
    }


def _end_plan(ruleset: RuleSet, view: _DateView, results: Results) -> EndPlan | None:
    """How to read the proposed end of an eligible advice from the facts (None: no known end).

    It depends on the results only, so a shape keeps it; the periods are read per citizen.
    """
    rule = view.end_rule
    if rule is None:
        return None
    nodes = ruleset.tree.nodes
    if rule.holds is not None:
        return _holding_plan(nodes, results, rule.holds) if results[rule.holds] is True else None
    end_facts: list[str] = []
    for index in rule.indices:
        if results[index] is True:
            _end_leaves(nodes, results, index, end_facts)
    return ("min", tuple(end_facts)) if end_facts else None


def _decisive_leaves(
    nodes: tuple[NodeInfo, ...], results: Results, index: int, wanted: bool, out: list[int]
) -> None:
    """The leaves (indices) that make node ``index`` evaluate to ``wanted`` (a definite value)."""
    node = nodes[index]
    if not node.children:
        out.append(index)
        return
    if node.negates:
        _decisive_leaves(nodes, results, node.children[0], not wanted, out)
        return
    # all→True and any→False need every child; all→False and any→True only the matching ones
    needs_every = (node.kind == "all") == wanted
    for child in node.children:
        if needs_every or results[child] is wanted:
            _decisive_leaves(nodes, results, child, wanted, out)


def _open_leaves(nodes: tuple[NodeInfo, ...], results: Results, index: int, out: list[int]) -> None:
    """Unknown leaves (indices) reachable through unknown nodes: only these could change it."""
    node = nodes[index]
    if not node.children:
        out.append(index)
        return
    for child in node.children:
        if results[child] is None:
            _open_leaves(nodes, results, child, out)


def _missing(ruleset: RuleSet, fact: Fact) -> MissingFact:
    spec = ruleset.facts[fact.name]
    status, reason = fact.status, fact.reason or NOT_SUPPLIED
    if status is FactStatus.KNOWN:  # known, yet its conditions could not use it: say why
        status = FactStatus.UNKNOWN
        if fact.source is not spec.source:
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
            "status": status,
            "reason": reason,
            "ask_citizen": spec.ask_citizen,
        },
    )


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


def _reason_conditions(
    nodes: tuple[NodeInfo, ...], leaves: list[int], conditions: tuple[ConditionRef, ...]
) -> tuple[ConditionRef, ...]:
    """The conditions the one-line reason names: the citizen's, not the city's switches.

    A policy parameter among them ("VT in the family counts: no") is part of why, and
    stays in ``why_not`` and the trace, but read in "not met: …" it sounds like a
    criterion the citizen failed; it is named only when nothing else decided.
    """
    if not conditions:  # "check manually": the reason names missing facts instead
        return conditions
    about_citizen = tuple(
        [c for i, c in zip(leaves, conditions, strict=True) if nodes[i].kind != "param_true"]
    )
    return about_citizen or conditions


def _reason(
    text: LocalText,
    outcome: Outcome,
    conditions: tuple[ConditionRef, ...],
    missing: list[LocalText],
) -> LocalText:
    """The advice text plus what decided it (conditions, or missing facts' labels)."""
    if outcome is Outcome.CHECK_MANUALLY:
        nl = ", ".join(label.nl for label in missing)
        en = ", ".join(label.en for label in missing)
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


def _end_leaves(nodes: tuple[NodeInfo, ...], results: Results, index: int, out: list[str]) -> None:
    """The facts of the "covers" conditions whose end can bound node ``index`` (which holds).

    A condition that holds ends when the earliest of its holding children ends, so the
    known end of node ``index`` is the earliest known end among these periods' facts.
    """
    node = nodes[index]
    if node.kind == "covers":
        if node.fact is not None:
            out.append(node.fact)
        return
    for child in node.children:
        if results[child] is True:
            _end_leaves(nodes, results, child, out)


def _holding_plan(nodes: tuple[NodeInfo, ...], results: Results, index: int) -> EndPlan | None:
    """Until when node ``index`` (which holds) goes on holding, as a plan; None: no known end.

    A period condition lasts as long as its period; an ``all`` until its first part
    ends; an ``any`` until its last holding alternative ends, and not at all if one of
    them has no known end (a declaration, an open period). Other conditions (a
    comparison, a ``not``) have no end the facts tell.
    """
    node = nodes[index]
    if node.kind == "covers":
        return node.fact
    if node.kind == "all":
        parts = [p for c in node.children if (p := _holding_plan(nodes, results, c)) is not None]
        return ("min", tuple(parts)) if parts else None
    if node.kind == "any":
        alternatives: list[EndPlan] = []
        for child in node.children:
            if results[child] is True:
                plan = _holding_plan(nodes, results, child)
                if plan is None:
                    return None
                alternatives.append(plan)
        return ("max", tuple(alternatives))
    return None


def _plan_end(plan: EndPlan, facts: Mapping[str, Fact], on: dt.date) -> dt.date | None:
    if isinstance(plan, str):
        return _covers_end(facts[plan].value, on)  # it held, so the fact is there and known
    kind, parts = plan
    best: dt.date | None = None
    if kind == "min":  # the earliest known end; an open part does not bound it
        for part in parts:  # a fact read in place: this runs for every eligible advice
            end = (
                _covers_end(facts[part].value, on)
                if isinstance(part, str)
                else _plan_end(part, facts, on)
            )
            if end is not None and (best is None or end < best):
                best = end
        return best
    for part in parts:  # "max": the latest end, and none if any part is open
        end = (
            _covers_end(facts[part].value, on)
            if isinstance(part, str)
            else _plan_end(part, facts, on)
        )
        if end is None:
            return None
        if best is None or end > best:
            best = end
    return best


_ONE_DAY = dt.timedelta(days=1)


def _covers_end(value: Any, on: dt.date) -> dt.date | None:
    """Known end of a "covers" condition that holds; None when it is open-ended.

    The covering period's end, carried on through periods that follow without a gap
    (a renewed parking card, a statute answered as two periods back to back): the
    right does not stop at the first one's end.
    """
    periods = value if isinstance(value, tuple) else ()
    end: dt.date | None = None
    for p in periods:
        if (p.start is None or p.start <= on) and (p.end is None or on <= p.end):
            if p.end is None:
                return None  # an open period: no known end
            if end is None or p.end > end:
                end = p.end
    if end is None or len(periods) == 1:
        return end
    extended = True
    while extended:
        extended = False
        for p in periods:
            if (p.start is None or p.start <= end + _ONE_DAY) and (p.end is None or p.end > end):
                if p.end is None:
                    return None
                end, extended = p.end, True
    return end


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
    rule: _EndRule | None,
    facts: Mapping[str, Fact],
    plan: EndPlan | None,
    on: dt.date,
) -> dt.date | None:
    """The known end the plan reads from the facts, else the default; capped if set."""
    if rule is None:
        return None
    end = _plan_end(plan, facts, on) if plan is not None else None
    if end is None:
        return rule.default
    return end if rule.cap is None else min(end, rule.cap)
