"""Golden cases: facts in, outcome and key trace results out, kept next to the rule files.

They are the city's executable examples of its own policy. A case names its
facts (the ``factsfile`` form), optionally takes sources down or overrides a
parameter, and states what must come out: the outcome, the result of named
conditions, the missing facts, the proposed end date and prices. The same
runner serves ``python -m rules test`` and the pytest suite.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from rules.advice import Advice, Outcome, Truth
from rules.compiler import format_path
from rules.engine import evaluate
from rules.errors import RuleError, RuleFileError
from rules.facts import Fact, SourceId
from rules.factsfile import parse_facts
from rules.loader import RULE_SUFFIXES, line_of, read_yaml
from rules.rulebook import RuleBook
from rules.ruleset import RuleSet


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _truth(value: Any) -> Any:
    """Let golden files write true/false unquoted (YAML makes them booleans)."""
    if isinstance(value, bool):
        return Truth.TRUE if value else Truth.FALSE
    return value


class Expectation(_Strict):
    outcome: Outcome
    # condition id → result
    conditions: dict[str, Annotated[Truth, BeforeValidator(_truth)]] = Field(default_factory=dict)
    missing: list[str] | None = None  # exact set of missing fact names
    proposed_end_date: dt.date | None = None
    prices: dict[str, Decimal] | None = None  # price line name → amount


class GoldenCase(_Strict):
    name: str
    date: dt.date | None = None
    facts: dict[str, Any] = Field(default_factory=dict)
    absent: list[str] = Field(default_factory=list)  # default facts this case leaves out
    sources_down: list[SourceId] = Field(default_factory=list)
    parameters: dict[str, Any] = Field(default_factory=dict)
    expect: Expectation


class GoldenDefaults(_Strict):
    date: dt.date | None = None
    facts: dict[str, Any] = Field(default_factory=dict)


class GoldenFile(_Strict):
    ruleset: str
    defaults: GoldenDefaults = GoldenDefaults()
    cases: list[GoldenCase] = Field(min_length=1)


class CaseResult(_Strict):
    file: str
    ruleset: str
    name: str
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def golden_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise RuleFileError(path, "", "no such golden file or directory")
    return sorted(p for p in path.iterdir() if p.is_file() and p.suffix in RULE_SUFFIXES)


def load_golden(path: Path) -> GoldenFile:
    data, text = read_yaml(path)
    try:
        return GoldenFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = list(first["loc"])
        raise RuleFileError(path, format_path(loc), first["msg"], line=line_of(text, loc)) from None


def case_facts(
    golden: GoldenFile, case: GoldenCase, index: int, file: Path, book: RuleBook, on: dt.date
) -> tuple[dict[str, Fact], RuleSet]:
    ruleset = book.get(golden.ruleset, on)
    for name, value in case.parameters.items():
        try:
            ruleset = ruleset.with_parameter(name, value)
        except KeyError:
            raise RuleFileError(
                file, f"cases[{index}].parameters.{name}", f"unknown parameter {name!r}"
            ) from None
    raw = {k: v for k, v in golden.defaults.facts.items() if k not in case.absent}
    raw.update(case.facts)
    facts = parse_facts(raw, ruleset, file, location=f"cases[{index}].facts")
    for name, spec in ruleset.facts.items():
        if spec.source in case.sources_down:
            facts[name] = Fact.error(name, spec.source, f"{spec.source.value} did not answer")
    return facts, ruleset


def check(advice: Advice, expect: Expectation) -> list[str]:
    """Every difference between the advice and the expectation, in plain words."""
    failures = []
    if advice.outcome is not expect.outcome:
        failures.append(f"outcome {advice.outcome.value}, expected {expect.outcome.value}")
    results = {line.condition_id: line.result for line in advice.trace if line.condition_id}
    for condition_id, truth in expect.conditions.items():
        got = results.get(condition_id)
        if got is None:
            failures.append(f"no condition {condition_id!r} in the trace")
        elif got is not truth:
            failures.append(f"condition {condition_id} is {got.value}, expected {truth.value}")
    if expect.missing is not None:
        got_missing = sorted(m.name for m in advice.missing)
        if got_missing != sorted(expect.missing):
            failures.append(f"missing {got_missing}, expected {sorted(expect.missing)}")
    if (
        expect.proposed_end_date is not None
        and advice.proposed_end_date != expect.proposed_end_date
    ):
        failures.append(
            f"proposed end {advice.proposed_end_date}, expected {expect.proposed_end_date}"
        )
    if expect.prices is not None:
        got_prices = {p.name: p.amount for p in advice.prices}
        if got_prices != expect.prices:
            shown = {k: str(v) for k, v in got_prices.items()}
            failures.append(
                f"prices {shown}, expected { {k: str(v) for k, v in expect.prices.items()} }"
            )
    return failures


def run_file(file: Path, book: RuleBook) -> Iterator[CaseResult]:
    golden = load_golden(file)
    for index, case in enumerate(golden.cases):
        on = case.date or golden.defaults.date
        if on is None:
            raise RuleFileError(file, f"cases[{index}].date", "no date (set it or defaults.date)")
        try:
            facts, ruleset = case_facts(golden, case, index, file, book, on)
        except RuleError as exc:
            if isinstance(exc, RuleFileError):
                raise
            yield CaseResult(
                file=str(file), ruleset=golden.ruleset, name=case.name, failures=(str(exc),)
            )
            continue
        advice = evaluate(ruleset, facts, on, trace=True)
        yield CaseResult(
            file=str(file),
            ruleset=golden.ruleset,
            name=case.name,
            failures=tuple(check(advice, case.expect)),
        )


def run_golden(path: Path, book: RuleBook) -> list[CaseResult]:
    return [result for file in golden_files(path) for result in run_file(file, book)]
