"""What the store answers: filtered day views, day figures, verification and seals.

These are the shapes the supervisor view and the ``log`` commands consume; they
hold no driver types so that either backend gives the very same answers.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict

from counter_app.journal.models import AdviceOutcome, DecisionAction, EntryMode, SummaryRow


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EntryFilter(_Frozen):
    """Supervisor filters; None means "any". All given filters must hold."""

    counter_id: str | None = None
    clerk: str | None = None  # matches clerk name (case-insensitive substring) or clerk INSZ
    right: str | None = None
    outcome: AdviceOutcome | None = None  # the right's advice, else any rule set's
    decision: DecisionAction | None = None
    overridden: bool | None = None
    entry_mode: EntryMode | None = None  # EntryMode.MANUAL for "manual entries"
    source_failures: bool | None = None  # True: at least one failed source request


class DayFigures(_Frozen):
    """A day's numbers; computed from non-personal columns, so they survive purges."""

    day: dt.date
    checks: int
    decisions: int
    advice: dict[str, dict[str, int]]  # right -> outcome -> count
    opportunity_tariff_sales: int
    normal_sales: int
    lez_registrations: int
    overrides: int
    manual_entries: int
    cancelled: int
    checks_with_source_failures: int
    source_failures: dict[str, int]  # source id -> failed requests
    median_check_ms: float | None
    checks_per_hour: dict[int, dict[str, int]]  # local hour -> overall outcome -> count


class DayView(_Frozen):
    """Everything the supervisor view needs for one day in one call."""

    day: dt.date
    entries: tuple[SummaryRow, ...]  # open one in full with JournalStore.entry(row.id)
    figures: DayFigures


class ProblemKind(StrEnum):
    HASH_MISMATCH = "hash_mismatch"  # the row was changed after it was written
    PREV_LINK_MISMATCH = "prev_link_mismatch"  # a row was inserted or removed before it
    SEQUENCE_GAP = "sequence_gap"  # one or more rows were deleted
    DUPLICATE_SEQUENCE = "duplicate_sequence"  # a row was inserted with a used number
    PERSONAL_DATA_MISMATCH = "personal_data_mismatch"  # name/INSZ changed behind our back
    PERSONAL_DATA_MISSING = "personal_data_missing"  # removed without a purge that covers it
    SEAL_MISMATCH = "seal_mismatch"  # differs from a seal kept elsewhere


class ChainProblem(_Frozen):
    counter_id: str
    seq: int
    entry_id: int | None
    kind: ProblemKind
    message: str


class VerifyReport(_Frozen):
    day: dt.date | None
    entries_checked: int
    counters: tuple[str, ...]
    problems: tuple[ChainProblem, ...]  # the first broken entry of each broken counter chain

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_broken(self) -> ChainProblem | None:
        return self.problems[0] if self.problems else None


class CounterSeal(_Frozen):
    counter_id: str
    seal_seq: int
    seal_hash: str  # hash of the seal entry itself: the chain head at closing
    first_seq: int
    last_seq: int
    last_hash: str
    entries: int


class DaySeal(_Frozen):
    """A day's chain heads, to be stored outside the database (mail, print, other server)."""

    day: dt.date
    exported_at: AwareDatetime
    counters: tuple[CounterSeal, ...]


class PurgeReport(_Frozen):
    before: AwareDatetime
    entries_purged: int
    purge_entry_id: int | None
