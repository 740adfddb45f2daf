"""From a check outcome and a clerk's decision to the daily log's entries (no Qt, no UI).

The counter window and the ``counter-app check --decide`` command line both log
through these functions, so a consultation or a decision looks the same in the
log whoever recorded it. The log keeps the requests made, the rule sets applied
with their outcome and the decisive facts only — never the sources' answers —
so this mapping is deliberately narrow: a value is logged only where the
decision hinges on it.

The decision is described in the journal's own terms (``DecisionAction``, an
override flag, a reason, an end date): each front end maps its own choices to
them, and the journal never depends on a front end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from counter_app.check.models import CheckOutcome, SaleResult
from counter_app.config import Settings
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
    LoginOutcome,
    RuleSetResult,
    SourceRequest,
    SupervisorLoginDetails,
    Timings,
)
from counter_app.sources.base import SourceCall
from rules.facts import FactStatus, SourceId

if TYPE_CHECKING:
    from counter_app.journal.store import JournalStore

#: Actions that grant something the advice must allow; the others (a normal sale,
#: no action) follow an advice that does not grant the right.
GRANTING_ACTIONS = frozenset(
    {
        DecisionAction.OPPORTUNITY_TARIFF_SALE,
        DecisionAction.LEZ_REGISTERED,
        DecisionAction.LEZ_REDUCED_TARIFF,
    }
)


def is_uitpas_right(right: str) -> bool:
    return right.startswith("uitpas")


def is_lez_right(right: str) -> bool:
    return right.startswith("lez")


def is_lez_reduced_tariff(right: str) -> bool:
    return is_lez_right(right) and ("tarief" in right or "tariff" in right)


def granting_action(right: str) -> DecisionAction:
    """What granting ``right`` means at the counter (UiTPAS sale, LEZ registration or tariff)."""
    if is_uitpas_right(right):
        return DecisionAction.OPPORTUNITY_TARIFF_SALE
    if is_lez_reduced_tariff(right):
        return DecisionAction.LEZ_REDUCED_TARIFF
    if is_lez_right(right):
        return DecisionAction.LEZ_REGISTERED
    raise ValueError(f"no counter action grants the right {right!r}")


def follows_advice(action: DecisionAction, outcome: AdviceOutcome) -> bool:
    """Whether ``action`` is what the advice says; anything else is an override.

    Granting follows an "eligible" advice, not granting follows "not eligible",
    and any choice on a "check manually" advice departs from it (the clerk
    decides what the software could not).
    """
    if outcome is AdviceOutcome.CHECK_MANUALLY:
        return False
    if action in GRANTING_ACTIONS:
        return outcome is AdviceOutcome.ELIGIBLE
    return outcome is AdviceOutcome.NOT_ELIGIBLE


@cache
def application() -> Application:
    try:
        return Application(id="loket", version=version("loket"))
    except PackageNotFoundError:  # running from a plain checkout: still identify the app
        return Application(id="loket")


def supervisor_application() -> Application:
    """The supervisor's entries (logins, passphrase changes, reveals): their own id, so
    an audit tells them from the counter's, and the installed version, taken from
    ``application()`` so that the window and ``counter-app supervisor set-passphrase``
    write the same one."""
    return Application(id="loket-supervisor", version=application().version)


def clerk_of(settings: Settings) -> Clerk:
    return Clerk(name=settings.clerk.name or None, insz=settings.clerk.insz or None)


def consultation_entry(
    settings: Settings, outcome: CheckOutcome, *, card_read_ms: float | None = None
) -> JournalEntry:
    """Which sources were asked what (Referte, purpose, ...), which rule sets said what."""
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
        application=application(),
        clerk=clerk_of(settings),
        subject_insz=outcome.subject.insz,
        entry_mode=EntryMode(outcome.subject.entry),
        check_id=str(outcome.check_id),
        requests=tuple(SourceRequest.from_call(c) for c in outcome.calls),
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
    *,
    action: DecisionAction,
    right: str | None,
    overridden: bool = False,
    reason: str = "",
    end_date: dt.date | None = None,
    decided_at: dt.datetime | None = None,
    requests: Iterable[SourceCall] = (),
) -> JournalEntry:
    """What the clerk did with the advice of ``outcome``'s check.

    ``reason`` is kept only for an override (where it is required); ``requests``
    are the calls the decision made (the UiTPAS registration), for the audit trail.
    Raises ``pydantic.ValidationError`` for an override without a reason.
    """
    return JournalEntry(
        kind=EntryKind.DECISION,
        recorded_at=decided_at or dt.datetime.now(dt.UTC),
        counter_id=settings.counter_id,
        application=application(),
        clerk=clerk_of(settings),
        subject_insz=outcome.subject.insz,
        entry_mode=EntryMode(outcome.subject.entry),
        check_id=str(outcome.check_id),
        requests=tuple(SourceRequest.from_call(c) for c in requests),
        decision=Decision(
            action=action,
            right=right,
            overridden=overridden,
            override_reason=reason.strip() if overridden else "",
            end_date=end_date,
        ),
    )


#: The decisive fact that carries a UiTPAS registration's fate in a decision entry.
REGISTRATION_FACT = "uitpas_registration"


def with_registration_fact(entry: JournalEntry, result: SaleResult) -> JournalEntry:
    """The UiTPAS registration's fate as a decisive fact of the decision entry.

    Known with the passholder id after a registration (also one found by a lookup after
    an uncertain attempt); a source error when the outcome is unknown (the pass may
    exist). The journal has no field of its own for it yet.
    """
    register = next((c for c in result.calls if c.service == "register-passholder"), None)
    fact = DecisiveFact(
        name=REGISTRATION_FACT,
        status=FactStatus.KNOWN if result.registered else FactStatus.SOURCE_ERROR,
        source=SourceId.UITPAS,
        value=result.reference or None,
        reference=register.reference if register is not None else "",
    )
    return entry.model_copy(update={"decisive_facts": (*entry.decisive_facts, fact)})


#: How far back an uncertain UiTPAS registration of ours is looked for.
UNCERTAIN_LOOKBACK_DAYS = 7


def uncertain_registration_open(
    store: JournalStore, subject_insz: str, now: dt.datetime | None = None
) -> bool:
    """Whether the log's last word on this person's UiTPAS registration is "uncertain".

    Then a 409 "already a passholder" may be the pass our own earlier attempt made, and
    a new confirmation looks it up instead of failing. The log remembers what a
    restarted window or a new command-line run does not.
    """
    since = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=UNCERTAIN_LOOKBACK_DAYS)
    uncertain = False
    for stored in store.decisions_about(subject_insz, since):
        for fact in stored.entry.decisive_facts:
            if fact.name == REGISTRATION_FACT:
                uncertain = fact.status is FactStatus.SOURCE_ERROR
    return uncertain


def failed_registration_entry(
    settings: Settings, outcome: CheckOutcome, right: str, result: SaleResult
) -> JournalEntry | None:
    """A registration request that reached UiTPAS but registered nothing (as far as we
    know), as "no action" with its request: personal data went out. None when nothing
    was sent (refused before, e.g. no card data): then there is nothing to log."""
    if not result.calls:
        return None
    entry = decision_entry(
        settings,
        outcome,
        action=DecisionAction.NO_ACTION,
        right=right,
        decided_at=result.decision.decided_at,
        requests=result.calls,
    )
    return with_registration_fact(entry, result) if result.uncertain else entry


def supervisor_login_entry(
    counter_id: str,
    *,
    name: str,
    outcome: LoginOutcome,
    failures: int = 0,
    app: Application | None = None,
    at: dt.datetime | None = None,
) -> JournalEntry:
    """One attempt to open the supervisor's view: who (the name given, personal data,
    kept with the clerk's fields so a retention purge removes it), with what result,
    and how many wrong passphrases preceded it."""
    return JournalEntry(
        kind=EntryKind.SUPERVISOR_LOGIN,
        recorded_at=at or dt.datetime.now(dt.UTC),
        counter_id=counter_id,
        application=app or application(),
        clerk=Clerk(name=name.strip() or None),
        supervisor_login=SupervisorLoginDetails(outcome=outcome, failures=failures),
    )
