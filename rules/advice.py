"""The result of evaluating one rule set for one citizen on one date.

An ``Advice`` is what the clerk sees and what the log keeps: the outcome, why
(decisive facts, the full trace, what failed), what is missing and what to ask
instead, and which exact rule file produced it (id, version, content hash) so an
auditor can replay the decision years later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict, field_serializer

from rules.facts import Fact, FactStatus, SourceId
from rules.fileformat import LocalText


class Outcome(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    CHECK_MANUALLY = "check_manually"


class Truth(StrEnum):
    """Kleene's three values, as they appear in traces."""

    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TraceLine(NamedTuple):
    """One condition of the tree, its three-valued result and what it looked at.

    A named tuple rather than a model: an advice carries one per condition and
    the bulk re-check builds many advices; pydantic still validates it when an
    advice is read back, and ``Advice`` serialises it as an object.
    """

    path: str  # e.g. "eligibility.all[2].any[0]"
    depth: int
    condition_id: str | None
    kind: str  # all / any / not / compare / member / covers / ...
    expression: str  # language-neutral, e.g. "domicile_nis in card_system_municipalities"
    label: LocalText | None
    result: Truth
    facts: tuple[Fact, ...] = ()  # as the condition saw them; absent ones as unknown
    parameters: Mapping[str, Any] = {}


class ConditionRef(_Frozen):
    """A condition named in "why not" or in a decision, without its whole subtree."""

    path: str
    condition_id: str | None
    expression: str
    label: LocalText | None
    result: Truth


class MissingFact(_Frozen):
    """A fact whose absence keeps the outcome open, and what the clerk can do about it."""

    name: str
    label: LocalText  # what the clerk reads instead of ``name``
    source: SourceId
    key: str | None
    status: FactStatus  # UNKNOWN (not supplied / not declared yet) or SOURCE_ERROR
    reason: str
    ask_citizen: LocalText


class PriceLine(_Frozen):
    name: str
    label: LocalText
    amount: Decimal
    currency: str
    normal_amount: Decimal | None = None
    note: LocalText | None = None


class Advice(_Frozen):
    ruleset_id: str
    ruleset_version: str
    ruleset_hash: str  # sha256 of the rule file's canonical content
    purpose: str
    reference_date: dt.date
    outcome: Outcome
    title: LocalText
    reason: LocalText  # one line per language
    decisive_facts: tuple[Fact, ...] = ()
    why_not: tuple[ConditionRef, ...] = ()  # the failed conditions that decide NOT_ELIGIBLE
    decisive_conditions: tuple[ConditionRef, ...] = ()  # the leaves that decide the outcome
    missing: tuple[MissingFact, ...] = ()
    trace: tuple[TraceLine, ...] = ()
    parameters: Mapping[str, Any] = {}  # every parameter in force that the advice used
    prices: tuple[PriceLine, ...] = ()
    proposed_end_date: dt.date | None = None
    # what the clerk reads instead of the internal names (fact name / parameter name → label)
    fact_labels: Mapping[str, LocalText] = {}
    parameter_labels: Mapping[str, LocalText] = {}

    @field_serializer("parameters", "fact_labels", "parameter_labels")
    def _mapping_as_object(self, mapping: Mapping[str, Any]) -> dict[str, Any]:
        return dict(mapping)

    @field_serializer("trace")
    def _trace_as_objects(self, trace: tuple[TraceLine, ...]) -> list[dict[str, Any]]:
        """Named tuples would serialise as bare arrays; the log wants named fields."""
        return [{**line._asdict(), "parameters": dict(line.parameters)} for line in trace]
