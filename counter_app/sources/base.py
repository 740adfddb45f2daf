"""What every source adapter promises the check service.

An adapter turns "these facts, about this person, on this date, for this
purpose" into facts plus a record of every request it made. It never raises for
a source failure: a dead, slow or confused source becomes facts with status
``SOURCE_ERROR`` and a call record with the reason, so that the rule engine can
say "check manually" and the log can show what was asked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from rules.facts import Fact, SourceId


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WantedFact(_Frozen):
    """One fact a rule set in force needs from this source (derived from the rule files)."""

    name: str  # e.g. "vt_own"
    key: str | None = None  # source-specific selector, e.g. statute "BIM_BVT" or "budgetbeheer"


class QueryContext(_Frozen):
    """Who asks what about whom, and why: exactly what MAGDA's context and our log need."""

    subject_insz: str
    reference_date: dt.date
    purpose: str  # MAGDA Hoedanigheid authorised for the right being checked
    clerk_insz: str | None = None  # MAGDA Gebruiker, when configured


class CallStatus(StrEnum):
    OK = "ok"  # answered (including "no data found", which is an answer)
    ERROR = "error"  # transport error, HTTP error, SOAP fault, 99995, unparseable answer
    TIMEOUT = "timeout"  # no answer within the source's timeout or the check's deadline
    CIRCUIT_OPEN = "circuit_open"  # not asked: the source failed repeatedly just before


class SourceCall(_Frozen):
    """One request to a source, as the log must keep it (no answer content)."""

    source: SourceId
    service: str  # e.g. "GeefSociaalStatuut"
    version: str  # e.g. "03.00.0000"
    reference: str  # MAGDA message Referte (or our own request id for other sources)
    question_reference: str = ""  # MAGDA Vraag Referte
    purpose: str
    started_at: dt.datetime
    duration_ms: float
    status: CallStatus
    attempts: int = 1
    error: str = ""  # plain words, never personal data
    transient: bool = False  # a retry may help (timeout, 5xx, 429, MAGDA 99995); is_transient()


class SourceAnswer(_Frozen):
    facts: tuple[Fact, ...]
    calls: tuple[SourceCall, ...]


class SourceAdapter(Protocol):
    """One module per source implements this (async, httpx underneath)."""

    source: SourceId

    async def fetch(self, ctx: QueryContext, wanted: Sequence[WantedFact]) -> SourceAnswer:
        """Ask only for ``wanted``; return one Fact per wanted name, whatever happens."""
        ...

    async def aclose(self) -> None: ...
