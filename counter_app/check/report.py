"""A check outcome as JSON (scripts, CI) or as readable text (support staff at a terminal).

Why the INSZ is masked here: this output ends up in terminals, tickets and CI logs;
the person's number is not needed there to understand an advice (the journal keeps
it, under its own protection).
"""

from __future__ import annotations

from typing import Any

from cardreader.insz import mask_insz
from counter_app.check.models import CheckOutcome, RightAdvice
from rules.advice import Advice, Outcome
from rules.explain import Lang, render, render_status

_OUTCOME_TEXT = {
    "nl": {
        Outcome.ELIGIBLE: "RECHT",
        Outcome.NOT_ELIGIBLE: "GEEN RECHT",
        Outcome.CHECK_MANUALLY: "MANUEEL NAKIJKEN",
    },
    "en": {
        Outcome.ELIGIBLE: "ELIGIBLE",
        Outcome.NOT_ELIGIBLE: "NOT ELIGIBLE",
        Outcome.CHECK_MANUALLY: "CHECK MANUALLY",
    },
}


def _lang(lang: str) -> Lang:
    return "en" if lang == "en" else "nl"


def explanation(advice: Advice, lang: str) -> str:
    """The rule engine's own rendering: criteria met and not met, with the facts they saw."""
    return render(advice, _lang(lang))


def _safe_mask(insz: str) -> str:
    try:
        return mask_insz(insz)
    except Exception:  # a masked form is cosmetic; never fail the report for it
        return "***"


def _right_json(right: RightAdvice, lang: str) -> dict[str, Any]:
    advice = right.advice
    return {
        "ruleset_id": right.ruleset_id,
        "ruleset_version": advice.ruleset_version,
        "purpose": right.purpose,
        "title": advice.title.get(lang),
        "outcome": advice.outcome.value,
        "reason": advice.reason.get(lang),
        "explanation": explanation(advice, lang),
        "missing": [
            {
                "fact": m.name,
                "label": m.label.get(lang),
                "source": m.source.value,
                "status": m.status.value,
                "reason": m.reason,
                "ask": m.ask_citizen.get(lang),
            }
            for m in advice.missing
        ],
        "prices": [
            {
                "name": p.name,
                "label": p.label.get(lang),
                "amount": str(p.amount),
                "currency": p.currency,
            }
            for p in advice.prices
        ],
        "uitpas_price": str(right.card_price) if right.card_price is not None else None,
        "proposed_end_date": (
            advice.proposed_end_date.isoformat() if advice.proposed_end_date else None
        ),
        "notes": [n.get(lang) for n in right.notes],
    }


def outcome_json(outcome: CheckOutcome, lang: str) -> dict[str, Any]:
    return {
        "check_id": str(outcome.check_id),
        "reference_date": outcome.reference_date.isoformat(),
        "environment": outcome.settings_environment,
        "subject": {"insz": _safe_mask(outcome.subject.insz), "entry": outcome.subject.entry},
        "rights": [_right_json(r, lang) for r in outcome.rights],
        "sources": [
            {
                "source": c.source.value,
                "service": c.service,
                "version": c.version,
                "purpose": c.purpose,
                "status": c.status.value,
                "duration_ms": round(c.duration_ms, 1),
                "reference": c.reference,
                "attempts": c.attempts,
                "error": c.error,
            }
            for c in outcome.calls
        ],
        "timings": outcome.timings.model_dump(mode="json"),
    }


def outcome_text(outcome: CheckOutcome, lang: str) -> str:
    words = _OUTCOME_TEXT.get(lang, _OUTCOME_TEXT["en"])
    lines = [
        f"Check {outcome.check_id} — {_safe_mask(outcome.subject.insz)} "
        f"({outcome.subject.entry}), {outcome.reference_date.isoformat()}",
        "",
    ]
    for right in outcome.rights:
        advice = right.advice
        lines.append(f"{advice.title.get(lang)}: {words[advice.outcome]}")
        lines.append(f"  {advice.reason.get(lang)}")
        for missing in advice.missing:
            status = render_status(missing.status, missing.reason, _lang(lang))
            lines.append(
                f"  ? {missing.ask_citizen.get(lang)} ({missing.label.get(lang)}: {status})"
            )
        for price in advice.prices:
            lines.append(f"  {price.label.get(lang)}: {price.currency} {price.amount}")
        if advice.proposed_end_date:
            label = "voorgestelde einddatum" if lang == "nl" else "proposed end date"
            lines.append(f"  {label}: {advice.proposed_end_date.isoformat()}")
        for note in right.notes:
            lines.append(f"  * {note.get(lang)}")
        lines.append("")
    lines.append("Bronnen:" if lang == "nl" else "Sources:")
    for call in outcome.calls:
        error = f" — {call.error}" if call.error else ""
        lines.append(
            f"  {call.source.value:<18} {call.status.value:<12} {call.duration_ms:7.1f} ms"
            f"  {call.reference}  (x{call.attempts}){error}"
        )
    lines.append(f"{'Totaal' if lang == 'nl' else 'Total'}: {outcome.timings.total_ms:.0f} ms")
    return "\n".join(lines)
