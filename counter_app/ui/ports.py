"""What the window needs from the layers below, in the window's own terms.

The widgets depend on these small frozen types and on the ``CounterBackend``
protocol only; ``embedded.py`` implements it on the real card reader, check
service and journal. Keeping that seam narrow means the window can be driven
headless (tests, the screenshot demo) through exactly the production code.
Texts that come from the rules are kept in both languages so that switching the
language re-renders an advice without asking the sources again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from cardreader.models import EidReading

#: Text in each UI language ("nl", "en"); ``pick`` falls back to any available one.
LocalText = Mapping[str, str]


def pick(text: LocalText, language: str) -> str:
    if language in text:
        return text[language]
    return next(iter(text.values()), "")


class ReaderEventKind(StrEnum):
    SERVICE_UP = "service_up"
    SERVICE_DOWN = "service_down"
    READER_ADDED = "reader_added"
    READER_REMOVED = "reader_removed"
    CARD_INSERTED = "card_inserted"
    CARD_REMOVED = "card_removed"


@dataclass(frozen=True)
class ReaderEvent:
    kind: ReaderEventKind
    reader: str = ""
    atr: bytes = b""


class Outcome(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    CHECK_MANUALLY = "check_manually"


class DecisionKind(StrEnum):
    SELL_OPPORTUNITY = "sell_opportunity_tariff"
    SELL_NORMAL = "sell_normal_price"
    REGISTER_LEZ = "register_lez_exemption"
    GRANT_LEZ_REDUCTION = "grant_lez_reduced_tariff"
    NO_ACTION = "no_action"


class SourceState(StrEnum):
    ASKING = "asking"
    OK = "ok"
    FAILED = "failed"


@dataclass(frozen=True)
class SourceProgress:
    source: str  # SourceId value
    state: SourceState
    detail: str = ""  # plain words, no personal data


@dataclass(frozen=True)
class FactLine:
    name: str  # internal; the clerk reads ``label``
    label: LocalText
    value: LocalText  # per language: "onbekend (niet opgegeven)" is words, not a value
    source: str
    retrieved_at: dt.datetime | None
    status: str  # FactStatus value
    reason: str = ""  # why it is not known: the source's own (English) words, for the UI to map


@dataclass(frozen=True)
class PriceLine:
    label: LocalText
    amount: Decimal
    reduced: bool = False


@dataclass(frozen=True)
class Declarable:
    """A fact only the clerk can supply, after seeing a document (e.g. an adapted vehicle)."""

    name: str
    ask: LocalText
    declared: bool = False


@dataclass(frozen=True)
class RightAdvice:
    right_id: str  # rule set id, e.g. "uitpas_kansentarief"
    title: LocalText
    outcome: Outcome
    reason: LocalText
    explanation: LocalText  # the rendered trace: criteria met / not met
    facts: tuple[FactLine, ...] = ()
    to_ask: tuple[LocalText, ...] = ()
    price_lines: tuple[PriceLine, ...] = ()
    proposed_end_date: dt.date | None = None
    latest_end_date: dt.date | None = None  # the rules' limit for the editable end date
    decisions: tuple[DecisionKind, ...] = ()  # what the clerk can do for this right
    declarable: tuple[Declarable, ...] = ()
    # Failure words of the sources quoted in ``explanation`` (English diagnostics): the
    # widget shows the clerk's words for them instead.
    source_reasons: tuple[str, ...] = ()
    # UiTPAS says this person already holds a pass: no new pass can be sold.
    already_passholder: bool = False


@dataclass(frozen=True)
class SourceCallLine:
    source: str
    service: str
    status: str
    duration_ms: float
    error: str = ""


@dataclass(frozen=True)
class CheckSubject:
    """Who is checked: from a card reading, or an INSZ typed by the clerk."""

    insz: str
    reading: EidReading | None = None
    declarations: tuple[str, ...] = ()  # facts the clerk declared true after seeing a document

    @property
    def manual(self) -> bool:
        return self.reading is None


@dataclass(frozen=True)
class CheckView:
    subject: CheckSubject
    reference_date: dt.date
    advices: tuple[RightAdvice, ...]
    calls: tuple[SourceCallLine, ...] = ()
    handle: object = field(default=None, compare=False)  # the service's own outcome, for confirm


@dataclass(frozen=True)
class DecisionRequest:
    right_id: str
    kind: DecisionKind
    follows_advice: bool
    override_reason: str = ""
    price: Decimal | None = None
    end_date: dt.date | None = None


@dataclass(frozen=True)
class Confirmation:
    journal_entry: str  # id/sequence of the log entry, shown to the clerk
    passholder_reference: str = ""  # UiTPAS registration id, when a pass was sold
    journal_durable: bool = True  # False when the log is not available (shown, never hidden)


@dataclass(frozen=True)
class Clerk:
    name: str
    masked_insz: str


class ConfirmFailure(StrEnum):
    """Which step of a confirmation failed: what the window's words for the clerk depend on."""

    NO_CHECK = "no_check"  # the advice has no check behind it: nothing was sent or written
    CONSULTATION_NOT_LOGGED = "consultation_not_logged"  # no decision without its consultation
    NOT_REGISTERED = "not_registered"  # UiTPAS refused, or MAY have registered (``uncertain``)
    NOT_LOGGED = "not_logged"  # decided (maybe registered at UiTPAS), but the log refused it


@dataclass(frozen=True)
class ConfirmProblem:
    """A failed confirmation as plain data: what the window keeps and renders again.

    Not the exception itself: an exception keeps its traceback, and with it every frame
    it went through (the backend, the event loop's objects) for as long as it is kept.
    """

    failure: ConfirmFailure
    message: str  # English, for the diagnostic log; shown only as a labelled technical message
    reason: str = ""
    uncertain: bool = False
    registered_reference: str = ""
    logged_entry: str = ""
    log_failed_detail: str = ""

    @property
    def registered(self) -> bool:
        return bool(self.registered_reference)


class ConfirmError(Exception):
    """A confirmation that did not complete, with what did and did not happen as fields.

    The window tells the clerk what happened from these fields, never from the message:
    the message is English for the diagnostic log, and rewording it must not change what
    the clerk reads (nor whether the window says "registered" or "MAY have registered").
    Nothing is recorded half-way; what was recorded is named here.
    """

    def __init__(
        self,
        message: str,
        *,
        failure: ConfirmFailure,
        reason: str = "",
        uncertain: bool = False,
        registered_reference: str = "",
        logged_entry: str = "",
        log_failed_detail: str = "",
    ) -> None:
        super().__init__(message)
        self.failure = failure
        # the source's own (English) words for why UiTPAS did not register: mapped to the
        # clerk's words like any other source failure
        self.reason = reason
        # UiTPAS may have registered the pass (no usable answer came back): confirm again,
        # never register the person another way
        self.uncertain = uncertain
        # UiTPAS did register (this passholder reference); only the log is missing
        self.registered_reference = registered_reference
        # the attempt (or the refused request) is in the log under this entry number
        self.logged_entry = logged_entry
        # the journal's own words when a log write failed (no personal data)
        self.log_failed_detail = log_failed_detail

    @property
    def registered(self) -> bool:
        return bool(self.registered_reference)

    @property
    def problem(self) -> ConfirmProblem:
        """The fields and the current message, without the traceback."""
        return ConfirmProblem(
            failure=self.failure,
            message=str(self),
            reason=self.reason,
            uncertain=self.uncertain,
            registered_reference=self.registered_reference,
            logged_entry=self.logged_entry,
            log_failed_detail=self.log_failed_detail,
        )


class RegistrationUncertainError(ConfirmError):
    """UiTPAS may have registered the pass, but no usable answer came back.

    Not "nothing happened": the attempt is in the log (``journal_entry``) unless the log
    failed too, and the clerk must confirm again (the counter then looks the passholder
    up) rather than register the person another way. Callers can catch it by type.
    """

    def __init__(
        self,
        message: str,
        *,
        reason: str,
        logged_entry: str = "",
        log_failed_detail: str = "",
    ) -> None:
        super().__init__(
            message,
            failure=ConfirmFailure.NOT_REGISTERED,
            reason=reason,
            uncertain=True,
            logged_entry=logged_entry,
            log_failed_detail=log_failed_detail,
        )

    @property
    def journal_entry(self) -> str:
        return self.logged_entry


class CounterBackend(Protocol):
    """Everything below the window. Blocking methods are only called from worker threads."""

    @property
    def clerk(self) -> Clerk: ...

    @property
    def deck(self) -> Sequence[str]:
        """Simulated card profiles the clerk can insert (empty with a real reader)."""
        ...

    @property
    def journal_note(self) -> str:
        """Empty when the log is durable; otherwise a few words on why not (shown, never hidden)."""
        ...

    def insert_card(self, profile: str) -> None: ...

    def remove_card(self) -> None: ...

    def start_monitor(self, sink: Callable[[ReaderEvent], None]) -> None:
        """Deliver reader events to ``sink`` from any thread, starting with the current state."""
        ...

    def stop_monitor(self) -> None: ...

    def read_card(self, reader: str, *, photo: bool = False) -> EidReading:
        """Blocking: read and verify the card. Raises ``CardReaderError`` subclasses."""
        ...

    def normalise_insz(self, text: str) -> str:
        """Validated INSZ digits, or raises ``InvalidNationalNumberError``."""
        ...

    async def check(
        self, subject: CheckSubject, progress: Callable[[SourceProgress], None]
    ) -> CheckView: ...

    async def consultation_logged(self, check: CheckView) -> str:
        """Wait until the consultation behind ``check`` is in the log; its entry number.

        Raises when it could not be written (the window shows it; confirming then fails).
        """
        ...

    async def confirm(self, check: CheckView, decision: DecisionRequest) -> Confirmation:
        """Register (UiTPAS) then log durably; raise ``ConfirmError`` on any failure."""
        ...

    async def aclose(self) -> None: ...
