"""The rule-file format, as pydantic models.

These models are the single definition of what a rule file may contain: the
loader validates YAML against them and ``ruleset.schema.json`` (for editors) is
generated from them, so the two cannot drift apart. Conditions are a closed tree
of plain data — no expression strings, nothing that could be evaluated as code.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from rules.catalogue import FactType
from rules.facts import SourceId


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class LocalText(_Strict):
    """A text in both languages of the counter; both are required (no silent fallback)."""

    nl: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)]

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.nl


ParamValue = bool | int | float | str | dt.date | list[str] | list[int]


def value_kind(value: Any) -> str:
    """The kind of a parameter value, as conditions and texts need it."""
    if isinstance(value, list):
        return "list"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, dt.date):
        return "date"
    return "text"


class DatedValue(_Strict):
    """One value of a parameter, in force from ``from`` until the next value starts."""

    from_: dt.date = Field(alias="from")
    value: ParamValue
    reference: str = ""


class ParameterDef(_Strict):
    """A named, dated value (OpenFisca style) so that a tariff change is a data change."""

    description: LocalText
    unit: str
    reference: str
    to_be_confirmed: bool = False
    values: Annotated[list[DatedValue], Field(min_length=1)]


class LegalReference(_Strict):
    title: LocalText
    url: str = ""


class Purpose(_Strict):
    """MAGDA Hoedanigheid authorised for this right (sent with every consultation)."""

    value: Annotated[str, Field(min_length=1)]
    reference: str = ""
    to_be_confirmed: bool = False


class FactDecl(_Strict):
    """A fact this rule set needs, where it comes from, and what to ask when it cannot be had."""

    type: FactType
    source: SourceId
    key: str | None = None
    label: LocalText = Field(
        description="What the fact is, in the clerk's words (shown instead of the fact's name)."
    )
    ask_citizen: LocalText


class ParamRef(_Strict):
    param: str


Literal_ = bool | int | float | str | dt.date
DaysOperand = int | ParamRef
CompareOp = Literal["eq", "ne", "lt", "le", "gt", "ge"]


# --- condition nodes -------------------------------------------------------------------------


class _Node(_Strict):
    id: str | None = Field(
        default=None, description="Name used in traces, golden cases and proposed_end."
    )
    label: LocalText | None = Field(
        default=None, description="What the condition means, for the clerk."
    )


class AllNode(_Node):
    all: list[Condition]


class AnyNode(_Node):
    any: list[Condition]


class NotNode(_Node):
    not_: Condition = Field(alias="not")


class CompareSpec(_Strict):
    """Fact ``op`` a literal ``value`` or the parameter ``param`` (exactly one of them)."""

    fact: str
    op: CompareOp
    value: Literal_ | None = None
    param: str | None = None


class CompareNode(_Node):
    compare: CompareSpec


class MemberSpec(_Strict):
    """The fact's value is one of a parameter list (``param``) or of literal ``values``."""

    fact: str
    param: str | None = None
    values: list[str | int] | None = None


class MemberNode(_Node):
    member: MemberSpec


class CoversSpec(_Strict):
    """A period of ``fact`` covers the reference date plus ``offset_days``."""

    fact: str
    offset_days: DaysOperand = 0


class CoversNode(_Node):
    covers: CoversSpec


class EndsWithinSpec(_Strict):
    """A period of ``fact`` covering the reference date ends within ``days`` days of it."""

    fact: str
    days: DaysOperand


class EndsWithinNode(_Node):
    ends_within: EndsWithinSpec


class ParamTrueNode(_Node):
    """A yes/no parameter in force on the reference date is yes (a policy switch)."""

    param_true: str


class ReferenceDateSpec(_Strict):
    """The reference date plus ``offset_days`` ``op`` a date literal or date parameter."""

    op: CompareOp
    value: dt.date | None = None
    param: str | None = None
    offset_days: DaysOperand = 0


class ReferenceDateNode(_Node):
    reference_date: ReferenceDateSpec


NODE_KEYS: tuple[str, ...] = (
    "all",
    "any",
    "not",
    "compare",
    "member",
    "covers",
    "ends_within",
    "param_true",
    "reference_date",
)
TAG_PREFIX = "#"


def _node_tag(value: Any) -> str | None:
    """Pick the node type from its single distinguishing key; None makes pydantic complain."""
    if isinstance(value, BaseModel):
        value = value.model_dump(by_alias=True, exclude_none=True)
    if not isinstance(value, dict):
        return None
    found = [k for k in NODE_KEYS if k in value]
    return TAG_PREFIX + found[0] if len(found) == 1 else None


Condition = Annotated[
    Annotated[AllNode, Tag("#all")]
    | Annotated[AnyNode, Tag("#any")]
    | Annotated[NotNode, Tag("#not")]
    | Annotated[CompareNode, Tag("#compare")]
    | Annotated[MemberNode, Tag("#member")]
    | Annotated[CoversNode, Tag("#covers")]
    | Annotated[EndsWithinNode, Tag("#ends_within")]
    | Annotated[ParamTrueNode, Tag("#param_true")]
    | Annotated[ReferenceDateNode, Tag("#reference_date")],
    Discriminator(
        _node_tag,
        custom_error_type="condition_kind",
        custom_error_message=(
            "a condition needs exactly one of: " + ", ".join(NODE_KEYS) + " (it references nothing)"
        ),
    ),
]

AllNode.model_rebuild()
AnyNode.model_rebuild()
NotNode.model_rebuild()


# --- outcome details -------------------------------------------------------------------------


class PriceDef(_Strict):
    """One named price line shown when the citizen is eligible (reduced vs normal)."""

    name: str
    label: LocalText
    amount: ParamRef
    normal_amount: ParamRef | None = None
    currency: str = "EUR"
    note: LocalText | None = None


class ProposedEndDef(_Strict):
    """How to propose an end date, in one of two ways (or neither: the default only).

    ``earliest_end_of`` names condition ids; only those that held count, and the
    earliest known end of their periods is proposed (a policy that says "until the
    first qualifying right ends"). ``while_holds`` names one condition (usually the
    whole eligibility) and proposes the day it stops holding as far as the periods
    tell: an ``all`` ends with its first part to end, an ``any`` with its last
    alternative, and an alternative with no known end (a declaration, an open
    period) keeps it open. Without a known end, ``default_day_next_year`` (``MM-DD``
    parameter) or ``max_years`` apply; ``max_years`` also caps any proposal.
    Periods that follow on without a gap (a renewed card) count as one.
    """

    earliest_end_of: list[str] = Field(default_factory=list)
    while_holds: str | None = None
    default_day_next_year: ParamRef | None = None
    max_years: ParamRef | None = None


class AdviceTexts(_Strict):
    """One-line reasons per outcome; ``{parameter}`` placeholders are filled in."""

    eligible: LocalText
    not_eligible: LocalText
    check_manually: LocalText


class RuleSetFile(_Strict):
    """One version of one rule set: what a file in resources/rules/ contains."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        populate_by_name=True,
        title="Loket rule set",
        json_schema_extra={"$comment": "Generated by `python -m rules schema --write`."},
    )

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    version: Annotated[str, Field(min_length=1)]
    valid_from: dt.date
    valid_to: dt.date | None = None
    title: LocalText
    description: LocalText | None = None
    purpose: Purpose
    legal_references: list[LegalReference] = Field(default_factory=list)
    parameters: dict[str, ParameterDef] = Field(default_factory=dict)
    facts: dict[str, FactDecl]
    eligibility: Condition
    advice: AdviceTexts
    prices: list[PriceDef] = Field(default_factory=list)
    proposed_end: ProposedEndDef | None = None
