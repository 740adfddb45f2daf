"""What one journal entry holds: enough to match MAGDA's audit register, nothing more.

The law asks the city to log every consultation (Referte, service and version,
purpose, clerk, application, time, subject) and to keep no answer content
beyond what the decision needs. So an entry lists the *requests* made, the
rule sets that were applied with their outcome, and only the *decisive* facts
(name, status, and a value only where the decision hinges on it).

Personal data (clerk name and INSZ, subject INSZ) is kept apart from the rest:
it is stored in a separate table and only a salted commitment of it enters the
hash chain, so a retention purge can delete it while the chain stays checkable.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from counter_app.sources.base import CallStatus, SourceCall
from rules.facts import FactStatus, SourceId


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class EntryKind(StrEnum):
    CONSULTATION = "consultation"  # sources asked, rules evaluated, advice shown
    DECISION = "decision"  # what the clerk did with the advice
    SEAL = "seal"  # closes a counter's day: its last hash, to be kept elsewhere
    PURGE = "purge"  # personal data older than the retention period was removed
    REVEAL = "reveal"  # a supervisor unmasked a subject INSZ
    SUPERVISOR_LOGIN = "supervisor_login"  # an attempt to open the supervisor's view


class EntryMode(StrEnum):
    CARD = "card"  # identity read from the eID
    MANUAL = "manual"  # INSZ typed by the clerk (no card, broken card, ...)


class AdviceOutcome(StrEnum):
    """The advice a rule set gave; the check service maps its own result to these."""

    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    CHECK_MANUALLY = "check_manually"  # a source failed or a fact is unknown


class DecisionAction(StrEnum):
    OPPORTUNITY_TARIFF_SALE = "opportunity_tariff_sale"  # UiTPAS at the kansentarief
    NORMAL_SALE = "normal_sale"
    LEZ_REGISTERED = "lez_registered"
    LEZ_REDUCED_TARIFF = "lez_reduced_tariff"
    NO_ACTION = "no_action"  # advice shown, nothing granted or sold
    CANCELLED = "cancelled"  # the clerk abandoned the check


class Application(_Frozen):
    id: str = "loket"
    version: str = "0.0.0"


class Clerk(_Frozen):
    """The clerk at the counter; ``insz`` is sent to MAGDA as Gebruiker. Personal data."""

    name: str | None = None
    insz: str | None = None


class SourceRequest(_Frozen):
    """One request to a source, as the audit trail needs it (never the answer)."""

    source: SourceId
    service: str
    version: str
    reference: str  # MAGDA Referte of the message
    question_reference: str = ""  # MAGDA Vraag Referte
    purpose: str  # Hoedanigheid
    started_at: AwareDatetime
    duration_ms: float
    status: CallStatus
    attempts: int = 1
    error: str = ""  # plain words, never personal data

    @classmethod
    def from_call(cls, call: SourceCall) -> Self:
        """Only the fields the log keeps: a call record may carry more (e.g. retry hints)."""
        return cls(**call.model_dump(include=set(cls.model_fields)))

    @property
    def failed(self) -> bool:
        return self.status is not CallStatus.OK


class RuleSetResult(_Frozen):
    """Which rule set (exact version and content) produced which advice."""

    rule_set_id: str
    version: str
    content_hash: str  # sha256 of the rule file as loaded
    right: str  # e.g. "uitpas_opportunity_tariff"
    outcome: AdviceOutcome


class DecisiveFact(_Frozen):
    """A fact the advice hinged on: its name and status, a value only when decisive."""

    name: str
    status: FactStatus
    source: SourceId
    value: str | None = None  # e.g. "2027-04-30" for an end date; never a whole answer
    reference: str = ""


class Decision(_Frozen):
    action: DecisionAction
    right: str | None = None  # the right the action concerns
    overridden: bool = False  # the clerk went against the advice
    override_reason: str = ""  # required when overridden; no personal data please
    end_date: dt.date | None = None  # end of the granted status / social tariff, when one applies

    @model_validator(mode="after")
    def _reason_for_override(self) -> Self:
        if self.overridden and not self.override_reason.strip():
            raise ValueError("an override needs a reason")
        return self


class Timings(_Frozen):
    """Where the time went, so the supervisor can see median check time and slow sources."""

    card_read_ms: float | None = None
    sources_ms: float | None = None
    rules_ms: float | None = None
    total_ms: float | None = None  # card in → advice shown (consultation) or advice → decision


class SealDetails(_Frozen):
    day: dt.date
    first_seq: int
    last_seq: int  # the last entry of the day before this seal
    last_hash: str
    entries: int


class PurgeDetails(_Frozen):
    before: AwareDatetime  # personal data of entries recorded before this instant is removed
    retention_days: int


class RevealDetails(_Frozen):
    entry_id: int | None = None  # the stored entry whose subject was revealed
    reason: str = ""


class LoginOutcome(StrEnum):
    """What became of one supervisor login attempt (``counter_app.auth.AuthStatus``)."""

    OK = "ok"  # right passphrase: the view was opened
    WRONG = "wrong"  # wrong passphrase
    LOCKED = "locked"  # refused during the delay after earlier failures; not checked
    # set for the first time, or changed by someone who gave the old one
    PASSPHRASE_CHANGED = "passphrase_changed"  # noqa: S105 (a name, not a secret)


class SupervisorLoginDetails(_Frozen):
    """A login attempt; who tried (the name given) is personal data: it goes in ``clerk``."""

    outcome: LoginOutcome
    failures: int = Field(default=0, ge=0)  # consecutive wrong passphrases so far


class JournalEntry(_Frozen):
    """One consultation, decision or journal event, as handed to ``JournalStore.append``."""

    kind: EntryKind
    recorded_at: AwareDatetime = Field(default_factory=utc_now)
    counter_id: str = Field(min_length=1, max_length=100)
    application: Application = Application()
    clerk: Clerk = Clerk()  # personal
    subject_insz: str | None = None  # personal
    entry_mode: EntryMode | None = None
    check_id: str = ""  # links a decision to its consultation
    requests: tuple[SourceRequest, ...] = ()
    rule_sets: tuple[RuleSetResult, ...] = ()
    decisive_facts: tuple[DecisiveFact, ...] = ()
    decision: Decision | None = None
    timings: Timings = Timings()
    seal: SealDetails | None = None
    purge: PurgeDetails | None = None
    reveal: RevealDetails | None = None
    # left out of the stored body while None, so the other kinds' bodies stay as they were
    supervisor_login: SupervisorLoginDetails | None = None

    @field_validator("recorded_at")
    @classmethod
    def _to_utc(cls, value: dt.datetime) -> dt.datetime:
        return value.astimezone(dt.UTC)

    @field_validator("subject_insz")
    @classmethod
    def _digits_only(cls, value: str | None) -> str | None:
        if value is not None and (len(value) != 11 or not value.isdigit()):
            raise ValueError("subject INSZ must be 11 digits")
        return value

    @model_validator(mode="after")
    def _kind_has_its_details(self) -> Self:
        kind = self.kind
        if kind is EntryKind.CONSULTATION:
            ok = bool(self.check_id)
        elif kind is EntryKind.DECISION:
            ok = bool(self.check_id) and self.decision is not None
        elif kind is EntryKind.SEAL:
            ok = self.seal is not None
        elif kind is EntryKind.PURGE:
            ok = self.purge is not None
        elif kind is EntryKind.SUPERVISOR_LOGIN:
            ok = self.supervisor_login is not None
        else:
            ok = self.reveal is not None
        if not ok:
            raise ValueError(f"a {kind.value} entry lacks its details")
        return self

    # -- derived views used by filters and figures ---------------------------------

    @property
    def source_failures(self) -> int:
        return sum(1 for r in self.requests if r.failed)


def login_note(details: SupervisorLoginDetails) -> str:
    """``login ok`` / ``login wrong (failures: 2)`` / ``login locked (failures: 5)``."""
    if details.outcome is LoginOutcome.OK:
        return "login ok"
    if details.outcome is LoginOutcome.PASSPHRASE_CHANGED:
        return "supervisor passphrase changed"
    return f"login {details.outcome.value} (failures: {details.failures})"


class StoredEntry(_Frozen):
    """An entry as it sits in the chain; personal fields are None once purged."""

    id: int
    counter_id: str
    seq: int
    day: dt.date
    prev_hash: str
    hash: str
    personal_purged: bool
    entry: JournalEntry


class EntrySummary(_Frozen):
    """What lists, filters and day figures need of an entry, and nothing else.

    Stored (and chained) beside the full entry, so that the supervisor's view of a
    day of thousands of entries reads a few hundred bytes per entry, not the whole.
    """

    kind: EntryKind
    recorded_at: AwareDatetime
    entry_mode: EntryMode | None = None
    advice: dict[str, AdviceOutcome] = Field(default_factory=dict)  # right -> outcome
    decision: DecisionAction | None = None
    decision_right: str | None = None
    overridden: bool = False
    requests: int = 0
    failed_sources: tuple[SourceId, ...] = ()  # one per failed request
    total_ms: float | None = None
    note: str = ""  # seal / purge / reveal / login in a few words
    # supervisor logins only; left out of the stored summary while None
    login: LoginOutcome | None = None

    @classmethod
    def of(cls, entry: JournalEntry) -> Self:
        note = ""
        if entry.seal is not None:
            note = f"sealed #{entry.seal.first_seq}..#{entry.seal.last_seq}"
        elif entry.purge is not None:
            note = f"purged before {entry.purge.before:%Y-%m-%d}"
        elif entry.reveal is not None:
            note = f"revealed entry {entry.reveal.entry_id}"
        elif entry.supervisor_login is not None:
            note = login_note(entry.supervisor_login)
        return cls(
            kind=entry.kind,
            recorded_at=entry.recorded_at,
            entry_mode=entry.entry_mode,
            advice={r.right: r.outcome for r in entry.rule_sets},
            decision=entry.decision.action if entry.decision else None,
            decision_right=entry.decision.right if entry.decision else None,
            overridden=bool(entry.decision and entry.decision.overridden),
            requests=len(entry.requests),
            failed_sources=tuple(r.source for r in entry.requests if r.failed),
            total_ms=entry.timings.total_ms,
            note=note,
            login=entry.supervisor_login.outcome if entry.supervisor_login else None,
        )

    @property
    def overall_outcome(self) -> AdviceOutcome | None:
        """One outcome per check: eligible for something, else unsure, else not eligible."""
        outcomes = set(self.advice.values())
        for o in (AdviceOutcome.ELIGIBLE, AdviceOutcome.CHECK_MANUALLY, AdviceOutcome.NOT_ELIGIBLE):
            if o in outcomes:
                return o
        return None

    @property
    def rights(self) -> frozenset[str]:
        found = set(self.advice)
        if self.decision_right:
            found.add(self.decision_right)
        return frozenset(found)


class SummaryRow(_Frozen):
    """One line of the supervisor's day list; personal fields None once purged.

    Open the full entry with ``JournalStore.entry(id)``.
    """

    id: int
    counter_id: str
    seq: int
    day: dt.date
    check_id: str
    hash: str
    personal_purged: bool
    clerk_name: str | None = None
    clerk_insz: str | None = None
    subject_insz: str | None = None
    summary: EntrySummary
