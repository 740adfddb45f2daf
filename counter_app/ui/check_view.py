"""From the check service's ``CheckOutcome`` to what the window shows, and back to a ``Decision``.

No Qt here: this is the one place that knows both the service's models and the
window's, so a change in either shows up in one small module (and its tests).
Both languages are kept, so a language switch re-renders without a new check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Literal

from counter_app.check.models import CheckOutcome, DecisionKind, SubjectSummary
from counter_app.check.models import RightAdvice as ServiceRight
from counter_app.ui.ports import (
    CheckSubject,
    CheckView,
    DecisionRequest,
    Declarable,
    FactLine,
    LocalText,
    Outcome,
    PriceLine,
    RightAdvice,
    SourceCallLine,
)
from counter_app.ui.ports import DecisionKind as UiDecision
from rules.advice import Advice
from rules.explain import render, render_status
from rules.facts import Fact, FactStatus, Period, SourceId
from rules.fileformat import LocalText as RulesText
from rules.ruleset import NOT_SUPPLIED

LANGS: tuple[Literal["nl"], Literal["en"]] = ("nl", "en")


def _local(text: object) -> dict[str, str]:
    get = getattr(text, "get", None)
    if text is None or get is None:
        return {lang: "" for lang in LANGS}
    return {lang: str(get(lang)) for lang in LANGS}


def is_uitpas(ruleset_id: str) -> bool:
    return ruleset_id.startswith("uitpas")


def is_lez_reduced(ruleset_id: str) -> bool:
    return ruleset_id.startswith("lez") and ("tarief" in ruleset_id or "tariff" in ruleset_id)


def decisions_for(ruleset_id: str) -> tuple[UiDecision, ...]:
    if is_uitpas(ruleset_id):
        return (UiDecision.SELL_OPPORTUNITY, UiDecision.SELL_NORMAL)
    if is_lez_reduced(ruleset_id):
        return (UiDecision.GRANT_LEZ_REDUCTION,)
    if ruleset_id.startswith("lez"):
        return (UiDecision.REGISTER_LEZ,)
    return ()


def display_rank(ruleset_id: str) -> int:
    """UiTPAS first (most asked at the counter), then LEZ registration, then LEZ tariffs."""
    if is_uitpas(ruleset_id):
        return 0
    if is_lez_reduced(ruleset_id):
        return 2
    return 1 if ruleset_id.startswith("lez") else 3


def render_value(value: object) -> str:
    if isinstance(value, tuple) and all(isinstance(p, Period) for p in value):
        if not value:
            return "—"
        return ", ".join(
            f"{p.start.isoformat() if p.start else '…'} – {p.end.isoformat() if p.end else '…'}"
            for p in value
        )
    if isinstance(value, bool):
        return "✔" if value else "✘"
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def fact_line(fact: Fact, labels: Mapping[str, RulesText] | None = None) -> FactLine:
    """One row of the facts table, with the fact's label (its name only if no rule has one)."""
    if fact.status is FactStatus.KNOWN:
        known = render_value(fact.value)
        value = {lang: known for lang in LANGS}
    else:
        value = {lang: render_status(fact.status, fact.reason, lang) for lang in LANGS}
    label = (labels or {}).get(fact.name)
    return FactLine(
        name=fact.name,
        label=_local(label) if label is not None else {lang: fact.name for lang in LANGS},
        value=value,
        source=fact.source.value,
        retrieved_at=fact.retrieved_at,
        status=fact.status.value,
        reason=fact.reason if fact.status is not FactStatus.KNOWN else "",
    )


def explanation(advice: Advice, notes: Iterable[object]) -> dict[str, str]:
    """The rule engine's own explanation (criteria met / not met / unknown), notes first."""
    rendered = {lang: render(advice, lang) for lang in LANGS}
    out: dict[str, str] = {}
    note_texts = [_local(n) for n in notes]
    for lang in LANGS:
        text = rendered[lang]
        extra = "\n".join(n[lang] for n in note_texts if n[lang])
        out[lang] = f"{extra}\n\n{text}".strip() if extra else text
    return out


def _decimal(value: object) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None


def price_lines(right: ServiceRight) -> tuple[PriceLine, ...]:
    """Card price with and without the opportunity tariff.

    The UiTPAS API is authoritative for this person's prices; the rule file's
    parameters stand in when the API did not give them (manual entry, API down).
    """
    advice = right.advice
    reduced_label: LocalText = {"nl": "Kansentarief", "en": "Opportunity tariff"}
    normal_label: LocalText = {"nl": "Normale prijs", "en": "Normal price"}
    reduced: Decimal | None = None
    normal: Decimal | None = None
    for price in advice.prices:
        reduced_label = _local(price.label)
        reduced = price.amount
        normal = price.normal_amount
    if reduced is None:
        reduced = _decimal(advice.parameters.get("card_price_opportunity"))
    if normal is None:
        normal = _decimal(advice.parameters.get("card_price_normal"))
    info = right.uitpas
    if info is not None and info.price is not None:
        reduced = info.price
    if info is not None and info.normal_price is not None:
        normal = info.normal_price
    lines: list[PriceLine] = []
    if reduced is not None:
        lines.append(PriceLine(label=reduced_label, amount=reduced, reduced=True))
    if normal is not None:
        lines.append(PriceLine(label=normal_label, amount=normal, reduced=False))
    return tuple(lines)


#: What to ask for each declarable fact, as last given by the rules: once declared, a fact
#: is no longer "missing" and the advice no longer carries its question.
_ASK_TEXTS: dict[str, LocalText] = {}


def declarable(advice: Advice, declared: tuple[str, ...]) -> tuple[Declarable, ...]:
    """Facts the clerk can declare: those missing now, and those already declared."""
    found: dict[str, Declarable] = {}
    for missing in advice.missing:
        if missing.source is SourceId.CLERK_DECLARATION:
            _ASK_TEXTS[missing.name] = _local(missing.ask_citizen)
            found[missing.name] = Declarable(missing.name, _ASK_TEXTS[missing.name])
    for line in advice.trace:
        for fact in line.facts:
            if fact.source is SourceId.CLERK_DECLARATION and fact.name in declared:
                ask = _ASK_TEXTS.get(fact.name, {"nl": fact.name, "en": fact.name})
                found.setdefault(fact.name, Declarable(fact.name, ask))
    return tuple(Declarable(d.name, d.ask, declared=d.name in declared) for d in found.values())


def right_view(
    right: ServiceRight,
    facts: tuple[Fact, ...],
    declared: tuple[str, ...] = (),
    labels: Mapping[str, RulesText] | None = None,
) -> RightAdvice:
    """``labels``: fact labels of every right checked (a purpose's facts serve several)."""
    advice = right.advice
    labels = {**(labels or {}), **advice.fact_labels}
    info = right.uitpas
    unknown = [f for f in facts if f.status is not FactStatus.KNOWN]
    unknown += [f for line in advice.trace for f in line.facts if f.status is not FactStatus.KNOWN]
    reasons = {f.reason for f in unknown} | {m.reason for m in advice.missing}
    if info is not None and info.error:
        reasons.add(info.error)
    reasons -= {"", NOT_SUPPLIED}  # "not supplied" is rendered in words by the rules already
    # Only the facts this rule set looked at: a purpose's facts serve several rights, and
    # the UiTPAS explanation has no business showing, say, the disability parking card.
    used = {f.name for line in advice.trace for f in line.facts}
    used |= {m.name for m in advice.missing} | set(declared)
    shown = tuple(f for f in facts if f.name in used)
    return RightAdvice(
        right_id=right.ruleset_id,
        title=_local(advice.title),
        outcome=Outcome(advice.outcome.value),
        reason=_local(advice.reason),
        explanation=explanation(advice, right.notes),
        facts=tuple(fact_line(f, labels) for f in shown),
        to_ask=tuple(_local(m.ask_citizen) for m in advice.missing),
        price_lines=price_lines(right) if is_uitpas(right.ruleset_id) else (),
        proposed_end_date=advice.proposed_end_date,
        latest_end_date=advice.proposed_end_date,
        decisions=decisions_for(right.ruleset_id),
        declarable=declarable(advice, declared),
        source_reasons=tuple(sorted(reasons)),  # clerk_words orders them for replacing
        already_passholder=bool(info is not None and info.passholder),
    )


def check_view(subject: CheckSubject, outcome: CheckOutcome) -> CheckView:
    ordered = sorted(outcome.rights, key=lambda r: (display_rank(r.ruleset_id), r.ruleset_id))
    labels = {name: t for r in outcome.rights for name, t in r.advice.fact_labels.items()}
    rights = tuple(
        right_view(r, outcome.facts.get(r.purpose, ()), subject.declarations, labels)
        for r in ordered
    )
    calls = tuple(
        SourceCallLine(
            source=c.source.value,
            service=c.service,
            status=c.status.value,
            duration_ms=c.duration_ms,
            error=c.error,
        )
        for c in outcome.calls
    )
    return CheckView(
        subject=subject,
        reference_date=outcome.reference_date,
        advices=rights,
        calls=calls,
        handle=outcome,
    )


def summary_of(subject: CheckSubject) -> SubjectSummary | None:
    reading = subject.reading
    if reading is None:
        return None
    return SubjectSummary.from_reading(reading)


def service_decision_kind(request: DecisionRequest) -> DecisionKind:
    """The service's decision kind: any departure from the advice is an override."""
    if not request.follows_advice:
        return DecisionKind.OVERRIDE
    return {
        UiDecision.SELL_OPPORTUNITY: DecisionKind.OPPORTUNITY_TARIFF,
        UiDecision.SELL_NORMAL: DecisionKind.NORMAL,
        UiDecision.REGISTER_LEZ: DecisionKind.LEZ,
        UiDecision.GRANT_LEZ_REDUCTION: DecisionKind.LEZ,
        UiDecision.NO_ACTION: DecisionKind.CANCELLED,
    }[request.kind]


def override_reason(request: DecisionRequest) -> str:
    """Keep what the clerk actually did next to why: the log must tell both."""
    if request.follows_advice:
        return request.override_reason
    return f"[{request.kind.value}] {request.override_reason}"
