"""Turn a validated condition tree into closures, checking every reference on the way.

Walking a pydantic tree and dispatching on node types at every evaluation is slow
(the counter and the quarterly bulk re-check evaluate often), so each node is
compiled once, at load time, into a closure. The same walk checks what pydantic
cannot: that every fact and parameter named exists and has a fitting type, and
that no condition is empty. Problems are raised with their path in the document.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rules.catalogue import FactType
from rules.facts import Fact, FactStatus, SourceId
from rules.fileformat import (
    AllNode,
    AnyNode,
    CompareNode,
    Condition,
    CoversNode,
    DaysOperand,
    EndsWithinNode,
    FactDecl,
    LocalText,
    MemberNode,
    NotNode,
    ParameterDef,
    ParamRef,
    ParamTrueNode,
    ReferenceDateNode,
    value_kind,
)

PathPart = str | int
Results = list[bool | None]
Evaluator = Callable[[Mapping[str, Fact], dt.date, Mapping[str, Any], Results], bool | None]

_KNOWN = FactStatus.KNOWN
# The Python types a known value of each fact type a comparison or membership reads may
# have (period conditions check their tuple themselves). A value of another type (a
# source, a facts file or a declaration that got it wrong) makes the condition unknown,
# so the advice is "check manually" rather than a definite answer either way.
_VALUE_TYPES: dict[FactType, frozenset[type]] = {
    FactType.TEXT: frozenset({str}),
    FactType.BOOLEAN: frozenset({bool}),
    FactType.NUMBER: frozenset({int, float}),
    FactType.DATE: frozenset({dt.date}),
}
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}
_OP_SYMBOLS = {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥"}


class LocatedProblem(Exception):
    """A problem at a path inside the rule document; the loader adds file and line."""

    def __init__(self, path: Sequence[PathPart], message: str) -> None:
        self.path = tuple(path)
        self.message = message
        super().__init__(message)


def format_path(path: Sequence[PathPart]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


@dataclass(frozen=True, slots=True)
class NodeInfo:
    """What a trace needs to know about a condition, fixed at load time."""

    index: int
    path: str
    depth: int
    condition_id: str | None
    kind: str
    expression: str
    label: LocalText | None
    fact: str | None
    params: tuple[str, ...]
    children: tuple[int, ...]
    negates: bool = False  # a "not": the child's decisive value is the opposite

    def static_fields(self) -> tuple[Any, ...]:
        """The leading trace-line fields, which never change between evaluations."""
        return (self.path, self.depth, self.condition_id, self.kind, self.expression, self.label)


@dataclass(frozen=True, slots=True)
class CompiledTree:
    root: Evaluator
    nodes: tuple[NodeInfo, ...]
    by_id: Mapping[str, int]
    used_facts: frozenset[str]
    used_params: frozenset[str]


class TreeCompiler:
    """One use per rule file: ``compile(root)`` then read ``nodes``."""

    def __init__(self, facts: Mapping[str, FactDecl], parameters: Mapping[str, ParameterDef]):
        self._facts = facts
        self._params = parameters
        self._nodes: list[NodeInfo] = []
        self._by_id: dict[str, int] = {}
        self._used_facts: set[str] = set()
        self._used_params: set[str] = set()
        self._counter = 0

    # -- references -----------------------------------------------------------------------

    def _fact(self, name: str, path: list[PathPart], *allowed: FactType) -> FactDecl:
        decl = self._facts.get(name)
        if decl is None:
            raise LocatedProblem(path, f"unknown fact {name!r} (not declared under 'facts')")
        if allowed and decl.type not in allowed:
            kinds = " or ".join(t.value for t in allowed)
            raise LocatedProblem(
                path, f"fact {name!r} is of type {decl.type.value}; this condition needs {kinds}"
            )
        self._used_facts.add(name)
        return decl

    def _param(self, name: str, path: list[PathPart], *kinds: str) -> ParameterDef:
        definition = self._params.get(name)
        if definition is None:
            raise LocatedProblem(
                path, f"unknown parameter {name!r} (not declared under 'parameters')"
            )
        kind = value_kind(definition.values[0].value)
        if kinds and kind not in kinds:
            raise LocatedProblem(path, f"parameter {name!r} has the wrong type for this condition")
        self._used_params.add(name)
        return definition

    def _days(self, days: DaysOperand, path: list[PathPart]) -> tuple[int | None, str | None]:
        if isinstance(days, ParamRef):
            self._param(days.param, [*path, "param"], "number")
            return None, days.param
        return days, None

    # -- tree -----------------------------------------------------------------------------

    def compile(self, node: Condition, path: list[PathPart]) -> CompiledTree:
        root = self._compile(node, path, 0)
        return CompiledTree(
            root=root,
            nodes=tuple(sorted(self._nodes, key=lambda n: n.index)),
            by_id=dict(self._by_id),
            used_facts=frozenset(self._used_facts),
            used_params=frozenset(self._used_params),
        )

    def _register(
        self,
        node: Condition,
        index: int,
        path: list[PathPart],
        depth: int,
        kind: str,
        expression: str,
        *,
        fact: str | None = None,
        params: tuple[str, ...] = (),
        children: tuple[int, ...] = (),
        negates: bool = False,
    ) -> None:
        if node.id is not None:
            if node.id in self._by_id:
                raise LocatedProblem([*path, "id"], f"condition id {node.id!r} is used twice")
            self._by_id[node.id] = index
        self._nodes.append(
            NodeInfo(
                index=index,
                path=format_path(path),
                depth=depth,
                condition_id=node.id,
                kind=kind,
                expression=expression,
                label=node.label,
                fact=fact,
                params=params,
                children=children,
                negates=negates,
            )
        )

    def _compile(self, node: Condition, path: list[PathPart], depth: int) -> Evaluator:
        index = self._reserve()
        if isinstance(node, AllNode | AnyNode):
            kind = "all" if isinstance(node, AllNode) else "any"
            items = node.all if isinstance(node, AllNode) else node.any
            if not items:
                raise LocatedProblem([*path, kind], f"an empty '{kind}' references nothing")
            child_indices: list[int] = []
            evaluators: list[Evaluator] = []
            for i, child in enumerate(items):
                child_indices.append(self._peek())
                evaluators.append(self._compile(child, [*path, kind, i], depth + 1))
            self._register(
                node,
                index,
                path,
                depth,
                kind,
                f"{kind} of {len(items)}",
                children=tuple(child_indices),
            )
            return (
                _all(index, tuple(evaluators)) if kind == "all" else _any(index, tuple(evaluators))
            )
        if isinstance(node, NotNode):
            child_index = self._peek()
            inner = self._compile(node.not_, [*path, "not"], depth + 1)
            self._register(
                node, index, path, depth, "not", "not", children=(child_index,), negates=True
            )
            return _not(index, inner)
        if isinstance(node, CompareNode):
            return self._compare(node, index, path, depth)
        if isinstance(node, MemberNode):
            return self._member(node, index, path, depth)
        if isinstance(node, CoversNode):
            spec = node.covers
            here = [*path, "covers"]
            decl = self._fact(spec.fact, [*here, "fact"], FactType.PERIODS)
            offset, offset_param = self._days(spec.offset_days, [*here, "offset_days"])
            shift = (
                f" + {offset_param} days"
                if offset_param
                else (f" + {offset} days" if offset else "")
            )
            self._register(
                node,
                index,
                path,
                depth,
                "covers",
                f"a period of {spec.fact} covers the reference date{shift}",
                fact=spec.fact,
                params=(offset_param,) if offset_param else (),
            )
            return _covers(index, spec.fact, offset, offset_param, decl.source)
        if isinstance(node, EndsWithinNode):
            spec_e = node.ends_within
            here = [*path, "ends_within"]
            decl_e = self._fact(spec_e.fact, [*here, "fact"], FactType.PERIODS)
            days, days_param = self._days(spec_e.days, [*here, "days"])
            self._register(
                node,
                index,
                path,
                depth,
                "ends_within",
                f"a period of {spec_e.fact} covering the reference date ends within "
                f"{days_param or days} days",
                fact=spec_e.fact,
                params=(days_param,) if days_param else (),
            )
            return _ends_within(index, spec_e.fact, days, days_param, decl_e.source)
        if isinstance(node, ParamTrueNode):
            self._param(node.param_true, [*path, "param_true"], "boolean")
            self._register(
                node,
                index,
                path,
                depth,
                "param_true",
                f"{node.param_true} is yes",
                params=(node.param_true,),
            )
            return _param_true(index, node.param_true)
        if isinstance(node, ReferenceDateNode):
            return self._reference_date(node, index, path, depth)
        raise LocatedProblem(path, "unsupported condition")  # pragma: no cover - union is closed

    def _reserve(self) -> int:
        """Number nodes in document order (parents before children) for the trace."""
        self._counter += 1
        return self._counter - 1

    def _peek(self) -> int:
        return self._counter

    def _compare(
        self, node: CompareNode, index: int, path: list[PathPart], depth: int
    ) -> Evaluator:
        spec = node.compare
        here = [*path, "compare"]
        if (spec.value is None) == (spec.param is None):
            raise LocatedProblem(here, "compare needs exactly one of 'value' or 'param'")
        decl = self._fact(
            spec.fact,
            [*here, "fact"],
            FactType.TEXT,
            FactType.BOOLEAN,
            FactType.NUMBER,
            FactType.DATE,
        )
        if decl.type == FactType.BOOLEAN and spec.op not in ("eq", "ne"):
            raise LocatedProblem([*here, "op"], "a yes/no fact can only be compared with eq or ne")
        expected = {
            FactType.TEXT: "text",
            FactType.BOOLEAN: "boolean",
            FactType.NUMBER: "number",
            FactType.DATE: "date",
        }
        if spec.param is not None:
            self._param(spec.param, [*here, "param"], expected[decl.type])
            operand = spec.param
        else:
            literal = spec.value
            ok = {
                FactType.TEXT: isinstance(literal, str),
                FactType.BOOLEAN: isinstance(literal, bool),
                FactType.NUMBER: isinstance(literal, int | float) and not isinstance(literal, bool),
                FactType.DATE: isinstance(literal, dt.date),
            }[decl.type]
            if not ok:
                raise LocatedProblem(
                    [*here, "value"], f"value does not match the type of fact {spec.fact!r}"
                )
            operand = repr(literal).lower() if isinstance(literal, bool) else repr(literal)
        self._register(
            node,
            index,
            path,
            depth,
            "compare",
            f"{spec.fact} {_OP_SYMBOLS[spec.op]} {operand}",
            fact=spec.fact,
            params=(spec.param,) if spec.param else (),
        )
        return _compare(
            index,
            spec.fact,
            _OPS[spec.op],
            spec.value,
            spec.param,
            _VALUE_TYPES[decl.type],
            decl.source,
        )

    def _member(self, node: MemberNode, index: int, path: list[PathPart], depth: int) -> Evaluator:
        spec = node.member
        here = [*path, "member"]
        if (spec.values is None) == (spec.param is None):
            raise LocatedProblem(here, "member needs exactly one of 'param' or 'values'")
        decl = self._fact(spec.fact, [*here, "fact"], FactType.TEXT, FactType.NUMBER)
        if spec.param is not None:
            self._param(spec.param, [*here, "param"], "list")
            target = spec.param
        else:
            if not spec.values:
                raise LocatedProblem([*here, "values"], "an empty list references nothing")
            target = repr(spec.values)
        self._register(
            node,
            index,
            path,
            depth,
            "member",
            f"{spec.fact} in {target}",
            fact=spec.fact,
            params=(spec.param,) if spec.param else (),
        )
        return _member(
            index,
            spec.fact,
            spec.param,
            frozenset(spec.values or ()),
            _VALUE_TYPES[decl.type],
            decl.source,
        )

    def _reference_date(
        self, node: ReferenceDateNode, index: int, path: list[PathPart], depth: int
    ) -> Evaluator:
        spec = node.reference_date
        here = [*path, "reference_date"]
        if (spec.value is None) == (spec.param is None):
            raise LocatedProblem(here, "reference_date needs exactly one of 'value' or 'param'")
        if spec.param is not None:
            self._param(spec.param, [*here, "param"], "date")
        offset, offset_param = self._days(spec.offset_days, [*here, "offset_days"])
        shift = (
            f" + {offset_param} days" if offset_param else (f" + {offset} days" if offset else "")
        )
        params = tuple(p for p in (spec.param, offset_param) if p)
        self._register(
            node,
            index,
            path,
            depth,
            "reference_date",
            f"reference date{shift} {_OP_SYMBOLS[spec.op]} {spec.param or spec.value}",
            params=params,
        )
        return _reference_date(index, _OPS[spec.op], spec.value, spec.param, offset, offset_param)


# --- the closures (hot path: keep them small and free of attribute look-ups) -----------------


def _all(index: int, children: tuple[Evaluator, ...]) -> Evaluator:
    def evaluate(
        facts: Mapping[str, Fact], on: dt.date, params: Mapping[str, Any], res: Results
    ) -> bool | None:
        result: bool | None = True
        for child in children:
            value = child(facts, on, params, res)
            if value is False:
                result = False
            elif value is None and result is True:
                result = None
        res[index] = result
        return result

    return evaluate


def _any(index: int, children: tuple[Evaluator, ...]) -> Evaluator:
    def evaluate(
        facts: Mapping[str, Fact], on: dt.date, params: Mapping[str, Any], res: Results
    ) -> bool | None:
        result: bool | None = False
        for child in children:
            value = child(facts, on, params, res)
            if value is True:
                result = True
            elif value is None and result is False:
                result = None
        res[index] = result
        return result

    return evaluate


def _not(index: int, child: Evaluator) -> Evaluator:
    def evaluate(
        facts: Mapping[str, Fact], on: dt.date, params: Mapping[str, Any], res: Results
    ) -> bool | None:
        value = child(facts, on, params, res)
        result = None if value is None else not value
        res[index] = result
        return result

    return evaluate


def _compare(
    index: int,
    name: str,
    op: Callable[[Any, Any], bool],
    literal: Any,
    param: str | None,
    types: frozenset[type],
    source: SourceId,
) -> Evaluator:
    known = _KNOWN  # a closure variable is cheaper than a global in the hot path

    def evaluate(
        facts: Mapping[str, Fact], on: dt.date, params: Mapping[str, Any], res: Results
    ) -> bool | None:
        fact = facts.get(name)
        result: bool | None
        if fact is None or fact.status is not known or fact.source is not source:
            result = None  # unknown, or not from the source the rule set trusts for it
        elif (value := fact.value) is None:
            result = op is operator.ne
        elif type(value) not in types:
            result = None  # a value of the wrong type (e.g. "false" for false): nobody can tell
        else:
            try:
                result = bool(op(value, params[param] if param else literal))
            except TypeError:
                result = None  # a source gave a value of the wrong type: nobody can tell
        res[index] = result
        return result

    return evaluate


def _member(
    index: int,
    name: str,
    param: str | None,
    values: frozenset[Any],
    types: frozenset[type],
    source: SourceId,
) -> Evaluator:
    known = _KNOWN  # a closure variable is cheaper than a global in the hot path

    def evaluate(
        facts: Mapping[str, Fact], on: dt.date, params: Mapping[str, Any], res: Results
    ) -> bool | None:
        fact = facts.get(name)
        result: bool | None
        if fact is None or fact.status is not known or fact.source is not source:
            result = None
        elif (value := fact.value) is None:
            result = False
        elif type(value) not in types:
            result = None  # 44021 (a number) for "44021" would read as "not a member"
        else:
            try:
                result = value in (params[param] if param else values)
            except TypeError:
                result = None
        res[index] = result
        return result

    return evaluate


def _covers(
    index: int, name: str, offset: int | None, offset_param: str | None, source: SourceId
) -> Evaluator:
    shift = dt.timedelta(days=offset or 0)
    at_reference_date = offset_param is None and not offset

    known = _KNOWN  # a closure variable is cheaper than a global in the hot path

    def evaluate(
        facts: Mapping[str, Fact], on: dt.date, params: Mapping[str, Any], res: Results
    ) -> bool | None:
        fact = facts.get(name)
        result: bool | None = None
        if fact is not None and fact.status is known and fact.source is source:
            periods = fact.value
            if periods is None:
                periods = ()
            if isinstance(periods, tuple):  # pydantic guarantees tuple[Period, ...] here
                if at_reference_date:
                    day = on
                elif offset_param is not None:
                    day = on + dt.timedelta(days=params[offset_param])
                else:
                    day = on + shift
                result = False
                for p in periods:
                    if (p.start is None or p.start <= day) and (p.end is None or day <= p.end):
                        result = True
                        break
        res[index] = result
        return result

    return evaluate


def _ends_within(
    index: int, name: str, days: int | None, days_param: str | None, source: SourceId
) -> Evaluator:
    known = _KNOWN  # a closure variable is cheaper than a global in the hot path

    def evaluate(
        facts: Mapping[str, Fact], on: dt.date, params: Mapping[str, Any], res: Results
    ) -> bool | None:
        fact = facts.get(name)
        result: bool | None = None
        if fact is not None and fact.status is known and fact.source is source:
            periods = fact.value if fact.value is not None else ()
            if isinstance(periods, tuple):
                limit = on + dt.timedelta(days=params[days_param] if days_param else days or 0)
                result = any(p.covers(on) and p.end is not None and p.end <= limit for p in periods)
        res[index] = result
        return result

    return evaluate


def _param_true(index: int, name: str) -> Evaluator:
    def evaluate(
        facts: Mapping[str, Fact], on: dt.date, params: Mapping[str, Any], res: Results
    ) -> bool | None:
        result = bool(params[name])
        res[index] = result
        return result

    return evaluate


def _reference_date(
    index: int,
    op: Callable[[Any, Any], bool],
    literal: dt.date | None,
    param: str | None,
    offset: int | None,
    offset_param: str | None,
) -> Evaluator:
    fixed = dt.timedelta(days=offset or 0)

    def evaluate(
        facts: Mapping[str, Fact], on: dt.date, params: Mapping[str, Any], res: Results
    ) -> bool | None:
        day = on + (dt.timedelta(days=params[offset_param]) if offset_param else fixed)
        result = bool(op(day, params[param] if param else literal))
        res[index] = result
        return result

    return evaluate
