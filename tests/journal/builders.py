"""Entries for the journal tests: fictitious people only (INSZ with month + 60)."""

from __future__ import annotations

import datetime as dt
import uuid

from counter_app.journal.models import (
    AdviceOutcome,
    Application,
    Clerk,
    Decision,
    DecisionAction,
    DecisiveFact,
    EntryKind,
    EntryMode,
    JournalEntry,
    RuleSetResult,
    SourceRequest,
    Timings,
)
from counter_app.sources.base import CallStatus
from rules.facts import FactStatus, SourceId

APP = Application(id="loket", version="0.1.0")
UITPAS = "uitpas_opportunity_tariff"
LEZ = "lez_disability"


def fake_insz(n: int, born_2000s: bool = True) -> str:
    """A valid-checksum INSZ whose month is + 60, so it can be nobody's real number."""
    yy, mm, dd, serial = n % 100, 1 + n % 12 + 60, 1 + n % 28, 1 + (n * 7) % 997
    first9 = f"{yy:02d}{mm:02d}{dd:02d}{serial:03d}"
    base = int(("2" if born_2000s else "") + first9)
    return first9 + f"{97 - base % 97:02d}"


CLERK_AN = Clerk(name="An Testbediende", insz=fake_insz(501, born_2000s=False))
CLERK_BO = Clerk(name="Bo Proefbediende", insz=fake_insz(502, born_2000s=False))


def consultation(
    counter: str = "balie-1",
    *,
    at: dt.datetime | None = None,
    subject: str | None = None,
    clerk: Clerk = CLERK_AN,
    mode: EntryMode = EntryMode.CARD,
    outcomes: dict[str, AdviceOutcome] | None = None,
    failed: tuple[SourceId, ...] = (),
    total_ms: float | None = 900.0,
    check_id: str | None = None,
) -> JournalEntry:
    at = at or dt.datetime.now(dt.UTC)
    outcomes = {UITPAS: AdviceOutcome.ELIGIBLE} if outcomes is None else outcomes
    requests = [
        SourceRequest(
            source=SourceId.SOCIAL_STATUTES,
            service="GeefSociaalStatuut",
            version="03.00.0000",
            reference=f"ref-{uuid.uuid4().hex[:12]}",
            question_reference="q-1",
            purpose="ipdc2858",
            started_at=at,
            duration_ms=140.0,
            status=CallStatus.OK,
        )
    ]
    for source in failed:
        requests.append(
            SourceRequest(
                source=source,
                service="GeefPersoon",
                version="02.02.0000",
                reference=f"ref-{uuid.uuid4().hex[:12]}",
                purpose="ipdc2858",
                started_at=at,
                duration_ms=30000.0,
                status=CallStatus.TIMEOUT,
                error="no answer in 30 s",
            )
        )
    return JournalEntry(
        kind=EntryKind.CONSULTATION,
        recorded_at=at,
        counter_id=counter,
        application=APP,
        clerk=clerk,
        subject_insz=subject or fake_insz(7),
        entry_mode=mode,
        check_id=check_id or str(uuid.uuid4()),
        requests=tuple(requests),
        rule_sets=tuple(
            RuleSetResult(
                rule_set_id=right,
                version="2026.1",
                content_hash="ab" * 32,
                right=right,
                outcome=outcome,
            )
            for right, outcome in outcomes.items()
        ),
        decisive_facts=(
            DecisiveFact(
                name="vt_own",
                status=FactStatus.KNOWN,
                source=SourceId.SOCIAL_STATUTES,
                value="true",
            ),
        ),
        timings=Timings(card_read_ms=800.0, sources_ms=300.0, rules_ms=2.0, total_ms=total_ms),
    )


def decision(
    of: JournalEntry,
    action: DecisionAction = DecisionAction.OPPORTUNITY_TARIFF_SALE,
    *,
    overridden: bool = False,
    reason: str = "",
    at: dt.datetime | None = None,
) -> JournalEntry:
    return JournalEntry(
        kind=EntryKind.DECISION,
        recorded_at=at or of.recorded_at + dt.timedelta(seconds=20),
        counter_id=of.counter_id,
        application=APP,
        clerk=of.clerk,
        subject_insz=of.subject_insz,
        entry_mode=of.entry_mode,
        check_id=of.check_id,
        decision=Decision(
            action=action, right=UITPAS, overridden=overridden, override_reason=reason
        ),
        timings=Timings(total_ms=20000.0),
    )
