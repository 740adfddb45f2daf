"""Facts: what a source told us about a citizen, with where and when it came from.

A fact is never just a value: the rule engine needs to know whether it is known
at all (three-valued evaluation), and the log needs the source reference
(MAGDA ``Referte``) and the retrieval time to match each decision with the
source's own audit register.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TypeAlias

from pydantic import BaseModel, ConfigDict


class FactStatus(StrEnum):
    KNOWN = "known"  # the source answered; value holds the answer (an empty list is an answer)
    UNKNOWN = "unknown"  # nobody could tell (not asked, not declared by the clerk)
    SOURCE_ERROR = "source_error"  # the source was asked and failed; reason says how


class SourceId(StrEnum):
    """Where a fact comes from. The source layer maps each to one adapter."""

    NATIONAL_REGISTER = "national_register"  # MAGDA GeefPersoon 02.02
    SOCIAL_STATUTES = "social_statutes"  # MAGDA GeefSociaalStatuut 03.00
    DISABILITY_FILE = "disability_file"  # MAGDA GeefDossierHandicap 03.00
    OCMW_LIST = "ocmw_list"  # the OCMW's own list
    UITPAS = "uitpas"  # UiTPAS API v4
    CLERK_DECLARATION = "clerk_declaration"  # entered by the clerk after seeing a document
    EID = "eid"  # read from the citizen's card


class Period(BaseModel):
    """A period during which a status applies; open ends are None."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: dt.date | None = None
    end: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


FactValue: TypeAlias = bool | int | float | str | dt.date | tuple[Period, ...] | None


class Fact(BaseModel):
    """One fact about the subject, as the rule engine sees it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    status: FactStatus
    value: FactValue = None
    source: SourceId
    reference: str = ""  # e.g. the MAGDA Referte of the question that produced it
    retrieved_at: dt.datetime | None = None
    reason: str = ""  # for UNKNOWN / SOURCE_ERROR: why, in plain words, no personal data

    @classmethod
    def known(
        cls,
        name: str,
        value: FactValue,
        source: SourceId,
        *,
        reference: str = "",
        retrieved_at: dt.datetime | None = None,
    ) -> Fact:
        return cls(
            name=name,
            status=FactStatus.KNOWN,
            value=value,
            source=source,
            reference=reference,
            retrieved_at=retrieved_at,
        )

    @classmethod
    def unknown(cls, name: str, source: SourceId, reason: str) -> Fact:
        return cls(name=name, status=FactStatus.UNKNOWN, source=source, reason=reason)

    @classmethod
    def error(
        cls,
        name: str,
        source: SourceId,
        reason: str,
        *,
        reference: str = "",
        retrieved_at: dt.datetime | None = None,
    ) -> Fact:
        return cls(
            name=name,
            status=FactStatus.SOURCE_ERROR,
            source=source,
            reason=reason,
            reference=reference,
            retrieved_at=retrieved_at,
        )
