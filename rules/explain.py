"""The advice as text, for the CLI, the clerk's "details" pane and bug reports.

Everything is rendered from the ``Advice`` alone (never from the rule file), so
what is shown is exactly what was logged. The clerk reads labels, never internal
names: facts and parameters by the labels the advice carries, sources by
``rules.labels``; a source's own reason (English, from its adapter) is quoted
after a translated "source:".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from rules.advice import Advice, Outcome, PriceLine, TraceLine, Truth
from rules.facts import Fact, FactStatus, Period
from rules.fileformat import LocalText
from rules.labels import source_label
from rules.ruleset import NOT_SUPPLIED

Lang = Literal["nl", "en"]

_WORDS: dict[str, dict[Lang, str]] = {
    "advice": {"nl": "Advies", "en": "Advice"},
    "reason": {"nl": "Reden", "en": "Reason"},
    "date": {"nl": "Referentiedatum", "en": "Reference date"},
    "rules": {"nl": "Regels", "en": "Rules"},
    "purpose": {"nl": "Doel (hoedanigheid)", "en": "Purpose (capacity)"},
    "prices": {"nl": "Tarief", "en": "Tariff"},
    "normal": {"nl": "normaal", "en": "normal"},
    "end": {"nl": "Voorgestelde einddatum", "en": "Proposed end date"},
    "why_not": {"nl": "Waarom niet", "en": "Why not"},
    "missing": {"nl": "Ontbreekt", "en": "Missing"},
    "ask": {"nl": "Vraag", "en": "Ask"},
    "decisive": {"nl": "Beslissende gegevens", "en": "Decisive facts"},
    "trace": {"nl": "Spoor", "en": "Trace"},
    "parameters": {"nl": "Parameters", "en": "Parameters"},
    "unknown": {"nl": "onbekend", "en": "unknown"},
    "source_error": {"nl": "bronfout", "en": "source error"},
    "none": {"nl": "geen", "en": "none"},
    "open": {"nl": "open", "en": "open"},
    "yes": {"nl": "ja", "en": "yes"},
    "no": {"nl": "nee", "en": "no"},
    "ref": {"nl": "referte", "en": "reference"},
    "not_supplied": {"nl": "niet opgegeven", "en": "not supplied"},
    "source": {"nl": "bron", "en": "source"},
}
_OUTCOMES: dict[Outcome, dict[Lang, str]] = {
    Outcome.ELIGIBLE: {"nl": "RECHT", "en": "ELIGIBLE"},
    Outcome.NOT_ELIGIBLE: {"nl": "GEEN RECHT", "en": "NOT ELIGIBLE"},
    Outcome.CHECK_MANUALLY: {"nl": "MANUEEL NAKIJKEN", "en": "CHECK MANUALLY"},
}
_MARKS = {Truth.TRUE: "✔", Truth.FALSE: "✘", Truth.UNKNOWN: "?"}


def _w(key: str, lang: Lang) -> str:
    return _WORDS[key][lang]


def render_value(value: Any, lang: Lang = "nl") -> str:
    if isinstance(value, bool):
        return _w("yes" if value else "no", lang)
    if value is None:
        return "—"
    if isinstance(value, tuple | list):
        if not value:
            return _w("none", lang)
        return ", ".join(render_value(v, lang) for v in value)
    if isinstance(value, Period):
        start = value.start.isoformat() if value.start else "…"
        end = value.end.isoformat() if value.end else _w("open", lang)
        return f"{start} – {end}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _label(labels: Mapping[str, LocalText], name: str, lang: Lang) -> str:
    """The label of a fact or parameter; its name only when the advice carries none."""
    label = labels.get(name)
    return label.get(lang) if label is not None else name


def render_status(status: FactStatus, reason: str, lang: Lang = "nl") -> str:
    """ "onbekend (niet opgegeven)", "bronfout (bron: MAGDA timeout)": our words, its reason."""
    if status is FactStatus.KNOWN:
        return ""
    word = _w(status.value, lang)
    if not reason:
        return word
    if reason == NOT_SUPPLIED:
        return f"{word} ({_w('not_supplied', lang)})"
    return f"{word} ({_w('source', lang)}: {reason})"


def render_fact(
    fact: Fact, lang: Lang = "nl", labels: Mapping[str, LocalText] | None = None
) -> str:
    """``label = value``; the fact's name when no labels are given."""
    name = _label(labels or {}, fact.name, lang)
    if fact.status is FactStatus.KNOWN:
        return f"{name} = {render_value(fact.value, lang)}"
    return f"{name} = {render_status(fact.status, fact.reason, lang)}"


def _money(amount: Decimal, currency: str) -> str:
    return f"€{amount}" if currency == "EUR" else f"{amount} {currency}"


def _price(line: PriceLine, lang: Lang) -> str:
    text = f"{line.label.get(lang)}: {_money(line.amount, line.currency)}"
    if line.normal_amount is not None and line.normal_amount != line.amount:
        text += f" ({_w('normal', lang)} {_money(line.normal_amount, line.currency)})"
    if line.note is not None:
        text += f" — {line.note.get(lang)}"
    return text


def _params(params: Mapping[str, Any], lang: Lang, labels: Mapping[str, LocalText]) -> str:
    return "; ".join(
        f"{_label(labels, k, lang)} = {render_value(v, lang)}" for k, v in params.items()
    )


def _trace_line(line: TraceLine, lang: Lang, advice: Advice) -> str:
    text = line.label.get(lang) if line.label else line.expression
    details = [render_fact(f, lang, advice.fact_labels) for f in line.facts]
    if line.parameters:
        details.append(_params(line.parameters, lang, advice.parameter_labels))
    tail = f"  [{'; '.join(details)}]" if details else ""
    # a condition's id is an internal name: shown only for a condition without a label
    name = f" ({line.condition_id})" if line.condition_id and not line.label else ""
    return f"{'  ' * (line.depth + 1)}{_MARKS[line.result]} {text}{name}{tail}"


def render(advice: Advice, lang: Lang = "nl") -> str:
    """The whole advice as plain text in ``lang``; the trace is included when present."""
    out = [
        f"{advice.title.get(lang)}",
        f"{_w('advice', lang)}: {_OUTCOMES[advice.outcome][lang]}",
        f"{_w('reason', lang)}: {advice.reason.get(lang)}",
        f"{_w('date', lang)}: {advice.reference_date.isoformat()}",
    ]
    if advice.prices:
        out.append(f"{_w('prices', lang)}:")
        out.extend(f"  - {_price(p, lang)}" for p in advice.prices)
    if advice.proposed_end_date is not None:
        out.append(f"{_w('end', lang)}: {advice.proposed_end_date.isoformat()}")
    if advice.why_not:
        out.append(f"{_w('why_not', lang)}:")
        out.extend(f"  ✘ {c.label.get(lang) if c.label else c.expression}" for c in advice.why_not)
    if advice.missing:
        out.append(f"{_w('missing', lang)}:")
        for m in advice.missing:
            status = render_status(m.status, m.reason, lang)
            out.append(f"  - {m.label.get(lang)} ({source_label(m.source, lang)}): {status}")
            out.append(f"    {_w('ask', lang)}: {m.ask_citizen.get(lang)}")
    if advice.decisive_facts:
        out.append(f"{_w('decisive', lang)}:")
        for fact in advice.decisive_facts:
            ref = f", {_w('ref', lang)} {fact.reference}" if fact.reference else ""
            shown = render_fact(fact, lang, advice.fact_labels)
            out.append(f"  - {shown} ({source_label(fact.source, lang)}{ref})")
    if advice.trace:
        out.append(f"{_w('trace', lang)}:")
        out.extend(_trace_line(line, lang, advice) for line in advice.trace)
    if advice.parameters:
        shown_params = _params(advice.parameters, lang, advice.parameter_labels)
        out.append(f"{_w('parameters', lang)}: {shown_params}")
    out.append(
        f"{_w('rules', lang)}: {advice.ruleset_id} {advice.ruleset_version} "
        f"sha256:{advice.ruleset_hash[:16]}… — {_w('purpose', lang)}: {advice.purpose}"
    )
    return "\n".join(out)
