"""The advice as text, for the CLI, the clerk's "details" pane and bug reports.

Everything is rendered from the ``Advice`` alone (never from the rule file), so
what is shown is exactly what was logged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from rules.advice import Advice, Outcome, PriceLine, TraceLine, Truth
from rules.facts import Fact, FactStatus, Period

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


def render_fact(fact: Fact, lang: Lang = "nl") -> str:
    if fact.status is FactStatus.KNOWN:
        return f"{fact.name} = {render_value(fact.value, lang)}"
    reason = f" ({fact.reason})" if fact.reason else ""
    return f"{fact.name} = {_w(fact.status.value, lang)}{reason}"


def _money(amount: Decimal, currency: str) -> str:
    return f"€{amount}" if currency == "EUR" else f"{amount} {currency}"


def _price(line: PriceLine, lang: Lang) -> str:
    text = f"{line.label.get(lang)}: {_money(line.amount, line.currency)}"
    if line.normal_amount is not None and line.normal_amount != line.amount:
        text += f" ({_w('normal', lang)} {_money(line.normal_amount, line.currency)})"
    if line.note is not None:
        text += f" — {line.note.get(lang)}"
    return text


def _params(params: Mapping[str, Any], lang: Lang) -> str:
    return "; ".join(f"{k} = {render_value(v, lang)}" for k, v in params.items())


def _trace_line(line: TraceLine, lang: Lang) -> str:
    text = line.label.get(lang) if line.label else line.expression
    details = [render_fact(f, lang) for f in line.facts]
    if line.parameters:
        details.append(_params(line.parameters, lang))
    tail = f"  [{'; '.join(details)}]" if details else ""
    name = f" ({line.condition_id})" if line.condition_id else ""
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
            key = f", {m.key}" if m.key else ""
            status = _w("source_error" if m.status is FactStatus.SOURCE_ERROR else "unknown", lang)
            out.append(f"  - {m.name} ({m.source.value}{key}): {status} — {m.reason}")
            out.append(f"    {_w('ask', lang)}: {m.ask_citizen.get(lang)}")
    if advice.decisive_facts:
        out.append(f"{_w('decisive', lang)}:")
        for fact in advice.decisive_facts:
            ref = f", {_w('ref', lang)} {fact.reference}" if fact.reference else ""
            out.append(f"  - {render_fact(fact, lang)} ({fact.source.value}{ref})")
    if advice.trace:
        out.append(f"{_w('trace', lang)}:")
        out.extend(_trace_line(line, lang) for line in advice.trace)
    if advice.parameters:
        out.append(f"{_w('parameters', lang)}: {_params(advice.parameters, lang)}")
    out.append(
        f"{_w('rules', lang)}: {advice.ruleset_id} {advice.ruleset_version} "
        f"sha256:{advice.ruleset_hash[:16]}… — {_w('purpose', lang)}: {advice.purpose}"
    )
    return "\n".join(out)
