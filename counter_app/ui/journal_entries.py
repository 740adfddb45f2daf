"""From a check and a decision to the daily log's entries (no Qt).

The log keeps the requests made, the rule sets applied with their outcome and
the decisive facts only — never the sources' answers — so this mapping is
deliberately narrow: a value is logged only where the decision hinges on it.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib.metadata import PackageNotFoundError, version

from counter_app.check.models import CheckOutcome
from counter_app.check.models import Decision as ServiceDecision
from counter_app.check.models import DecisionKind as ServiceKind
from counter_app.config import Settings
from counter_app.journal.models import (
    AdviceOutcome,
    Application,
    Clerk,
    DecisionAction,
    DecisiveFact,
    EntryKind,
    EntryMode,
    JournalEntry,
    RuleSetResult,
    SourceRequest,
    Timings,
)
from counter_app.journal.models import Decision as LoggedDecision
from counter_app.sources.base import SourceCall
from counter_app.ui.ports import DecisionKind, DecisionRequest

_ACTIONS = {
    DecisionKind.SELL_OPPORTUNITY: DecisionAction.OPPORTUNITY_TARIFF_SALE,
    DecisionKind.SELL_NORMAL: DecisionAction.NORMAL_SALE,
    DecisionKind.REGISTER_LEZ: DecisionAction.LEZ_REGISTERED,
    DecisionKind.GRANT_LEZ_REDUCTION: DecisionAction.LEZ_REDUCED_TARIFF,
    DecisionKind.NO_ACTION: DecisionAction.NO_ACTION,
}


@cache
def _application() -> Application:
    try:
        return Application(id="loket", version=version("loket"))
    except PackageNotFoundError:  # running from a plain checkout: still identify the app
        return Application(id="loket")


def _clerk(settings: Settings) -> Clerk:
    return Clerk(name=settings.clerk.name or None, insz=settings.clerk.insz or None)


def _request(call: SourceCall) -> SourceRequest:
    """Only the fields the log keeps (the call record may carry more, e.g. retry hints)."""
    return SourceRequest(
        source=call.source,
        service=call.service,
        version=call.version,
        reference=call.reference,
        question_reference=call.question_reference,
        purpose=call.purpose,
        started_at=call.started_at,
        duration_ms=call.duration_ms,
        status=call.status,
        attempts=call.attempts,
        error=call.error,
    )


def consultation_entry(
    settings: Settings, outcome: CheckOutcome, *, card_read_ms: float | None = None
) -> JournalEntry:
    decisive: list[DecisiveFact] = []
    seen: set[tuple[str, str]] = set()
    for right in outcome.rights:
        for fact in right.advice.decisive_facts:
            key = (fact.name, fact.source.value)
            if key in seen:
                continue
            seen.add(key)
            value = fact.value.isoformat() if isinstance(fact.value, dt.date) else None
            decisive.append(
                DecisiveFact(
                    name=fact.name,
                    status=fact.status,
                    source=fact.source,
                    value=value,
                    reference=fact.reference,
                )
            )
    return JournalEntry(
        kind=EntryKind.CONSULTATION,
        counter_id=settings.counter_id,
        application=_application(),
        clerk=_clerk(settings),
        subject_insz=outcome.subject.insz,
        entry_mode=EntryMode(outcome.subject.entry),
        check_id=str(outcome.check_id),
        requests=tuple(_request(c) for c in outcome.calls),
        rule_sets=tuple(
            RuleSetResult(
                rule_set_id=r.ruleset_id,
                version=r.advice.ruleset_version,
                content_hash=r.advice.ruleset_hash,
                right=r.ruleset_id,
                outcome=AdviceOutcome(r.advice.outcome.value),
            )
            for r in outcome.rights
        ),
        decisive_facts=tuple(decisive),
        timings=Timings(
            card_read_ms=card_read_ms,
            sources_ms=outcome.timings.sources_ms,
            rules_ms=outcome.timings.evaluation_ms,
            total_ms=outcome.timings.total_ms,
        ),
    )


def decision_entry(
    settings: Settings,
    outcome: CheckOutcome,
    request: DecisionRequest,
    decision: ServiceDecision,
) -> JournalEntry:
    overridden = decision.kind is ServiceKind.OVERRIDE
    return JournalEntry(
        kind=EntryKind.DECISION,
        recorded_at=decision.decided_at,
        counter_id=settings.counter_id,
        application=_application(),
        clerk=_clerk(settings),
        subject_insz=outcome.subject.insz,
        entry_mode=EntryMode(outcome.subject.entry),
        check_id=str(outcome.check_id),
        decision=LoggedDecision(
            action=_ACTIONS[request.kind],
            right=request.right_id,
            overridden=overridden,
            override_reason=request.override_reason if overridden else "",
        ),
    )
