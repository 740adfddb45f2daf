"""A loaded, checked and compiled rule set, and the facts it asks the sources for.

``RuleSet`` is the runtime face of one rule file: the fact specifications the
source layer reads (to ask for exactly those facts and nothing more), the
parameters resolved per reference date, and the compiled condition tree the
evaluator runs. Everything that can be wrong with a file is found here, at load
time, not in front of a citizen.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import re
import string
from collections.abc import Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

from rules.advice import ConditionRef, Truth
from rules.catalogue import FACT_CATALOGUE, FactType
from rules.compiler import CompiledTree, LocatedProblem, NodeInfo, PathPart, TreeCompiler
from rules.facts import Fact, SourceId
from rules.fileformat import (
    DatedValue,
    LegalReference,
    LocalText,
    ParameterDef,
    ParamRef,
    RuleSetFile,
    value_kind,
)

_MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
_CACHE_LIMIT = 64
_SHAPE_LIMIT = 1024  # the evaluator's (date, condition results) entries, over all dates
NOT_SUPPLIED = "not supplied"


K = TypeVar("K")
V = TypeVar("V")


class BoundedCache(dict[K, V]):
    """A dict that forgets everything when full: dates repeat, but a bulk run may not."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self._limit = limit

    def setdefault(self, key: K, default: V) -> V:  # type: ignore[override]
        if len(self) >= self._limit:
            self.clear()
        return super().setdefault(key, default)


class FactSpec(BaseModel):
    """A fact a rule set needs: what it is, who supplies it, what to ask instead."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    type: FactType
    source: SourceId
    key: str | None
    label: LocalText
    ask_citizen: LocalText


def canonical_hash(definition: RuleSetFile) -> str:
    """sha256 of the content, independent of YAML layout, comments and key order."""
    content = definition.model_dump(mode="json", by_alias=True)
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def format_value(value: Any) -> str:
    """How a parameter value reads inside an advice text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float | Decimal):
        return f"{value:.2f}"
    if isinstance(value, list | tuple):
        return ", ".join(format_value(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _placeholders(text: str) -> list[str]:
    """Parameter names used as ``{name}``; formats and conversions are refused (values are text)."""
    names = []
    for _, name, spec, conversion in string.Formatter().parse(text):
        if name is None:
            continue
        if spec or conversion:
            raise ValueError(f"write {{{name}}} without a format or conversion")
        names.append(name)
    return names


class _ParameterTable:
    """Dated values of one parameter; the value in force is the last one started."""

    def __init__(self, values: Sequence[DatedValue]) -> None:
        self._starts = [v.from_ for v in values]
        self._values = [v.value for v in values]

    def value_on(self, day: dt.date) -> Any:
        position = bisect.bisect_right(self._starts, day) - 1
        return self._values[max(position, 0)]


class RuleSet:
    """One version of one rule set, ready to evaluate."""

    def __init__(self, definition: RuleSetFile, *, file: str = "") -> None:
        self.definition = definition
        self.file = file
        self.id = definition.id
        self.version = definition.version
        self.valid_from = definition.valid_from
        self.valid_to = definition.valid_to
        self.title = definition.title
        self.description = definition.description
        self.purpose = definition.purpose.value
        self.purpose_to_be_confirmed = definition.purpose.to_be_confirmed
        self.legal_references: tuple[LegalReference, ...] = tuple(definition.legal_references)
        self.parameters: Mapping[str, ParameterDef] = MappingProxyType(dict(definition.parameters))
        self.content_hash = canonical_hash(definition)
        self._check_validity()
        self._check_parameters()
        self.facts: Mapping[str, FactSpec] = MappingProxyType(self._fact_specs())
        # what the clerk reads instead of the names; one mapping shared by every advice
        self.fact_labels: Mapping[str, LocalText] = MappingProxyType(
            {name: spec.label for name, spec in self.facts.items()}
        )
        self.parameter_labels: Mapping[str, LocalText] = MappingProxyType(
            {name: p.description for name, p in self.parameters.items()}
        )
        self.tree: CompiledTree = TreeCompiler(definition.facts, definition.parameters).compile(
            definition.eligibility, ["eligibility"]
        )
        self._check_facts_used()
        self._check_outcome_details()
        self._check_texts()
        self._tables = {name: _ParameterTable(p.values) for name, p in self.parameters.items()}
        self.reported_parameters: tuple[str, ...] = tuple(sorted(self._reported_parameters()))
        self._params_cache: dict[dt.date, Mapping[str, Any]] = {}
        # the evaluator's per-date views (parameters, texts, fixed trace lines), kept small
        self.date_views: BoundedCache[dt.date, Any] = BoundedCache(_CACHE_LIMIT)
        # what a date and the vector of condition results decide together (engine._Shape)
        self.shapes: BoundedCache[tuple[dt.date, tuple[bool | None, ...]], Any] = BoundedCache(
            _SHAPE_LIMIT
        )
        self.absent_facts: Mapping[str, Fact] = MappingProxyType(
            {n: Fact.unknown(n, s.source, NOT_SUPPLIED) for n, s in self.facts.items()}
        )
        self.trace_templates: tuple[tuple[Any, ...], ...] = tuple(
            n.static_fields() for n in self.tree.nodes
        )
        self.fact_nodes: tuple[tuple[int, str, tuple[Any, ...]], ...] = tuple(
            (n.index, n.fact, self.trace_templates[n.index])
            for n in self.tree.nodes
            if n.fact is not None
        )
        self.condition_refs: tuple[dict[bool | None, ConditionRef], ...] = tuple(
            _condition_refs(n) for n in self.tree.nodes
        )

    def __repr__(self) -> str:
        return f"RuleSet({self.id!r}, version={self.version!r}, valid_from={self.valid_from})"

    # -- queries ---------------------------------------------------------------------------

    def in_force(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def parameters_on(self, on: dt.date) -> Mapping[str, Any]:
        """Every parameter's value in force on ``on`` (cached: dates repeat a lot)."""
        cached = self._params_cache.get(on)
        if cached is None:
            if len(self._params_cache) >= _CACHE_LIMIT:
                self._params_cache.clear()
            cached = MappingProxyType({n: t.value_on(on) for n, t in self._tables.items()})
            self._params_cache[on] = cached
        return cached

    def facts_needed(self, on: dt.date) -> frozenset[str]:
        """The facts that can still change the outcome on ``on``; the sources are asked only these.

        The conditions that need no fact (a parameter, the reference date) are worked
        out first, with every fact unknown. Three-valued logic is monotone: a condition
        that is already true or false then stays so whatever the facts say, so nothing
        below it needs asking. With ``vt_in_family_counts`` off, family VT is not asked;
        after the LEZ transition period ends, nothing is.
        """
        results: list[bool | None] = [None] * len(self.tree.nodes)
        self.tree.root({}, on, self.parameters_on(on), results)
        needed: set[str] = set()
        open_nodes = [0]
        while open_nodes:
            index = open_nodes.pop()
            if results[index] is not None:
                continue  # decided without any fact
            node = self.tree.nodes[index]
            if node.fact is not None:
                needed.add(node.fact)
            open_nodes.extend(node.children)
        return frozenset(needed)

    def text(self, text: LocalText, on: dt.date) -> LocalText:
        """Fill ``{parameter}`` placeholders with the values in force."""
        params = {k: format_value(v) for k, v in self.parameters_on(on).items()}
        return LocalText.model_construct(nl=text.nl.format(**params), en=text.en.format(**params))

    def with_parameter(self, name: str, value: Any) -> RuleSet:
        """A copy where ``name`` has one value throughout (what-if analysis, golden cases)."""
        if name not in self.parameters:
            raise KeyError(name)
        data = self.definition.model_dump(by_alias=True)
        first = data["parameters"][name]["values"][0]
        data["parameters"][name]["values"] = [{**first, "value": value}]
        return RuleSet(RuleSetFile.model_validate(data), file=self.file)

    # -- load-time checks ------------------------------------------------------------------

    def _check_validity(self) -> None:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise LocatedProblem(["valid_to"], "valid_to lies before valid_from")

    def _check_parameters(self) -> None:
        for name, parameter in self.parameters.items():
            path: list[PathPart] = ["parameters", name, "values"]
            starts = [v.from_ for v in parameter.values]
            for i in range(1, len(starts)):
                if starts[i] <= starts[i - 1]:
                    raise LocatedProblem(
                        [*path, i, "from"], "dated values must be in increasing date order"
                    )
            if starts[0] > self.valid_from:
                raise LocatedProblem(
                    [*path, 0, "from"],
                    f"parameter {name!r} has no value on valid_from {self.valid_from}",
                )
            kinds = {value_kind(v.value) for v in parameter.values}
            if len(kinds) > 1:
                raise LocatedProblem(path, f"parameter {name!r} changes type between dates")

    def _fact_specs(self) -> dict[str, FactSpec]:
        specs: dict[str, FactSpec] = {}
        for name, decl in self.definition.facts.items():
            path: list[PathPart] = ["facts", name]
            entry = FACT_CATALOGUE.get(name)
            if entry is None:
                raise LocatedProblem(path, f"unknown fact {name!r}: not in the fact catalogue")
            for field, expected in (
                ("type", entry.type),
                ("source", entry.source),
                ("key", entry.key),
            ):
                if getattr(decl, field) != expected:
                    raise LocatedProblem(
                        [*path, field], f"fact {name!r} has {field} {expected!r} in the catalogue"
                    )
            specs[name] = FactSpec(
                name=name,
                type=decl.type,
                source=decl.source,
                key=decl.key,
                label=decl.label,
                ask_citizen=decl.ask_citizen,
            )
        return specs

    def _check_facts_used(self) -> None:
        for name in self.definition.facts:
            if name not in self.tree.used_facts:
                raise LocatedProblem(
                    ["facts", name],
                    f"fact {name!r} is declared but no condition uses it (ask nothing more)",
                )

    def _param_ref(self, ref: ParamRef, path: list[PathPart], kind: str) -> None:
        parameter = self.parameters.get(ref.param)
        if parameter is None:
            raise LocatedProblem([*path, "param"], f"unknown parameter {ref.param!r}")
        if value_kind(parameter.values[0].value) != kind:
            raise LocatedProblem([*path, "param"], f"parameter {ref.param!r} must be a {kind}")

    def _check_outcome_details(self) -> None:
        for i, price in enumerate(self.definition.prices):
            self._param_ref(price.amount, ["prices", i, "amount"], "number")
            if price.normal_amount is not None:
                self._param_ref(price.normal_amount, ["prices", i, "normal_amount"], "number")
        end = self.definition.proposed_end
        if end is None:
            return
        for i, condition_id in enumerate(end.earliest_end_of):
            if condition_id not in self.tree.by_id:
                raise LocatedProblem(
                    ["proposed_end", "earliest_end_of", i], f"unknown condition id {condition_id!r}"
                )
        if end.while_holds is not None:
            if end.earliest_end_of:
                raise LocatedProblem(
                    ["proposed_end"], "use either earliest_end_of or while_holds, not both"
                )
            if end.while_holds not in self.tree.by_id:
                raise LocatedProblem(
                    ["proposed_end", "while_holds"], f"unknown condition id {end.while_holds!r}"
                )
        if end.default_day_next_year is None and end.max_years is None:
            raise LocatedProblem(
                ["proposed_end"], "needs default_day_next_year or max_years for a default"
            )
        if end.default_day_next_year is not None:
            path: list[PathPart] = ["proposed_end", "default_day_next_year"]
            self._param_ref(end.default_day_next_year, path, "text")
            for value in self.parameters[end.default_day_next_year.param].values:
                if not isinstance(value.value, str) or not _MONTH_DAY.match(value.value):
                    raise LocatedProblem(
                        ["parameters", end.default_day_next_year.param],
                        "a day of the year must read MM-DD, e.g. 04-30",
                    )
        if end.max_years is not None:
            self._param_ref(end.max_years, ["proposed_end", "max_years"], "number")

    def _check_texts(self) -> None:
        texts: list[tuple[list[PathPart], LocalText]] = [
            (["advice", outcome], getattr(self.definition.advice, outcome))
            for outcome in ("eligible", "not_eligible", "check_manually")
        ]
        if self.definition.description is not None:
            texts.append((["description"], self.definition.description))
        for i, price in enumerate(self.definition.prices):
            texts.append((["prices", i, "label"], price.label))
            if price.note is not None:
                texts.append((["prices", i, "note"], price.note))
        for path, text in texts:
            for lang in ("nl", "en"):
                try:
                    names = _placeholders(getattr(text, lang))
                except ValueError as exc:
                    raise LocatedProblem([*path, lang], f"malformed placeholder: {exc}") from None
                for name in names:
                    if name not in self.parameters:
                        raise LocatedProblem(
                            [*path, lang], f"unknown parameter {name!r} in text placeholder"
                        )

    def _reported_parameters(self) -> set[str]:
        names = set(self.tree.used_params)
        for price in self.definition.prices:
            names.add(price.amount.param)
            if price.normal_amount is not None:
                names.add(price.normal_amount.param)
        end = self.definition.proposed_end
        if end is not None:
            for ref in (end.default_day_next_year, end.max_years):
                if ref is not None:
                    names.add(ref.param)
        return names


_TRUTHS: dict[bool | None, Truth] = {True: Truth.TRUE, False: Truth.FALSE, None: Truth.UNKNOWN}


def _condition_refs(node: NodeInfo) -> dict[bool | None, ConditionRef]:
    """A condition's reference for each of its three results, built once at load time."""
    return {
        value: ConditionRef(
            path=node.path,
            condition_id=node.condition_id,
            expression=node.expression,
            label=node.label,
            result=truth,
        )
        for value, truth in _TRUTHS.items()
    }
