"""What goes into a check and what comes out of it (frozen: UI, CLI and journal share them).

A ``CheckOutcome`` holds everything the clerk's screen and the log need and nothing
the decision does not: the advice per right, the facts with where and when they came
from, and a record of every request made (Referte, purpose, attempts) so the city's
log can be matched to MAGDA's audit register. It never holds the sources' raw answers.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from counter_app.sources.base import SourceCall
from rules.advice import Advice, Outcome
from rules.facts import Fact, SourceId
from rules.fileformat import LocalText

if TYPE_CHECKING:
    from cardreader.models import EidReading


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SubjectSummary(_Frozen):
    """What the card said, without the photo: enough for UiTPAS registration and the screen."""

    surname: str = ""
    given_names: str = ""
    birth_date: dt.date | None = None
    street_and_number: str = ""
    postal_code: str = ""
    municipality: str = ""
    card_verdict: str = ""  # cardreader.models.Verdict value

    @classmethod
    def from_reading(cls, reading: EidReading) -> SubjectSummary:
        identity, address = reading.identity, reading.address
        return cls(
            surname=identity.surname,
            given_names=identity.given_names,
            birth_date=identity.birth_date.date,
            street_and_number=address.street_and_number if address else "",
            postal_code=address.postal_code if address else "",
            municipality=address.municipality if address else "",
            card_verdict=reading.verification.verdict.value,
        )


class Subject(_Frozen):
    """Whom the check is about, and how the clerk got the INSZ."""

    insz: str
    entry: Literal["card", "manual"]
    summary: SubjectSummary | None = None


class ProgressState(StrEnum):
    STARTED = "started"
    ANSWERED = "answered"
    FAILED = "failed"


class SourceProgress(_Frozen):
    """One step of one source during a check; the UI turns these into Qt signals."""

    source: SourceId
    purpose: str
    state: ProgressState
    detail: str = ""  # plain words, never personal data
    duration_ms: float | None = None


class UitpasInfo(_Frozen):
    """What the UiTPAS API said: whether the person holds a pass and an active social tariff."""

    available: bool  # False: the API could not be asked or failed (see error)
    passholder: bool | None = None
    social_tariff_status: str | None = None  # ACTIVE / EXPIRED / SUSPENDED
    social_tariff_end: dt.date | None = None
    in_grace_period: bool | None = None
    price: Decimal | None = None  # authoritative card price with the social tariff
    price_label: str = ""
    normal_price: Decimal | None = None  # authoritative card price without it
    error: str = ""

    @property
    def active_social_tariff(self) -> bool:
        return self.social_tariff_status == "ACTIVE"


class RightAdvice(_Frozen):
    """The rules' advice for one right, with what the UiTPAS API added to it."""

    ruleset_id: str
    purpose: str
    advice: Advice
    uitpas: UitpasInfo | None = None
    notes: tuple[LocalText, ...] = ()  # e.g. "already has an active social tariff until ..."

    @property
    def outcome(self) -> Outcome:
        return self.advice.outcome

    @property
    def card_price(self) -> Decimal | None:
        """UiTPAS's own price for this outcome (social tariff only when eligible), if it gave one.

        None means: use the price in the advice (the rule file's parameter).
        """
        if self.uitpas is None:
            return None
        if self.advice.outcome is Outcome.ELIGIBLE:
            return self.uitpas.price
        return self.uitpas.normal_price


class Timings(_Frozen):
    total_ms: float
    sources_ms: float  # from the first request to the last answer
    evaluation_ms: float
    per_source_ms: dict[str, float]  # slowest request per source (all attempts included)


class CheckOutcome(_Frozen):
    check_id: uuid.UUID
    subject: Subject
    reference_date: dt.date
    started_at: dt.datetime
    rights: tuple[RightAdvice, ...]
    facts: dict[str, tuple[Fact, ...]]  # per purpose: the facts as asked for that purpose
    calls: tuple[SourceCall, ...]
    timings: Timings
    settings_environment: str

    def right(self, ruleset_id: str) -> RightAdvice:
        for item in self.rights:
            if item.ruleset_id == ruleset_id:
                return item
        raise KeyError(ruleset_id)


class DecisionKind(StrEnum):
    OPPORTUNITY_TARIFF = "opportunity_tariff"  # UiTPAS sold at the kansentarief
    NORMAL = "normal"  # UiTPAS sold at the normal price
    LEZ = "lez"  # LEZ registration / reduced tariff granted
    OVERRIDE = "override"  # the clerk decided against the advice (reason required)
    CANCELLED = "cancelled"  # nothing done


class Decision(_Frozen):
    """What the clerk decided about one right after seeing the advice."""

    check_id: uuid.UUID
    ruleset_id: str
    kind: DecisionKind
    reason: str = ""  # required for OVERRIDE
    end_date: dt.date | None = None  # social-tariff end date the clerk confirmed
    decided_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.UTC))
    registration_reference: str = ""  # UiTPAS passholder id / request id, when registered

    @model_validator(mode="after")
    def _override_has_reason(self) -> Self:
        if self.kind is DecisionKind.OVERRIDE and not self.reason.strip():
            raise ValueError("an override needs the clerk's reason")
        return self


class SaleResult(_Frozen):
    """What ``confirm_sale`` did at UiTPAS."""

    registered: bool
    # not registered as far as we know, but the request reached UiTPAS and no usable
    # answer came back: the pass may exist. Log the attempt (``calls``); never re-POST.
    uncertain: bool = False
    # registered by an earlier uncertain attempt, found by looking the person up
    recovered: bool = False
    reference: str = ""
    error: str = ""
    # the source's own words for why the outcome is uncertain (``error`` embeds them in
    # a sentence for people): what a caller maps to its own words
    uncertain_reason: str = ""
    decision: Decision
    calls: tuple[SourceCall, ...] = ()  # the registration request, for the log
