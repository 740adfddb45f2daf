"""Facts written by hand: the JSON/YAML form used by ``python -m rules explain`` and golden cases.

Format — a mapping from fact name to either a plain value (the fact is *known*)
or an object with ``status`` (``known``/``unknown``/``source_error``) and
optionally ``value``, ``source``, ``reference``, ``retrieved_at``, ``reason``::

    {"domicile_nis": "44021",
     "deceased": false,
     "vt_own": [{"start": "2024-01-01", "end": null}],
     "living_wage": {"status": "source_error", "reason": "MAGDA timeout"}}

Periods are lists of ``{start, end}`` (either may be null: open); ``[]`` means the
status is known not to apply. A fact left out is unknown. The source defaults to
the one the rule set declares. Facts of the catalogue that this rule set does not
use are ignored (one file can serve several rule sets); unknown names are errors.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from rules.catalogue import FACT_CATALOGUE, FactType
from rules.errors import RuleFileError
from rules.facts import Fact, FactStatus, FactValue, Period, SourceId
from rules.loader import SafeLoader
from rules.ruleset import RuleSet

_VALUE_TYPES: dict[FactType, TypeAdapter[Any]] = {
    FactType.TEXT: TypeAdapter(str | None),
    FactType.BOOLEAN: TypeAdapter(bool),
    FactType.NUMBER: TypeAdapter(int | float),
    FactType.DATE: TypeAdapter(dt.date | None),
    FactType.PERIODS: TypeAdapter(tuple[Period, ...]),
}
_FULL_FORM_KEYS = {"status", "value", "source", "reference", "retrieved_at", "reason"}


def read_facts_file(path: Path) -> Any:
    """The raw mapping of a .json or .yaml facts file; errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(path, "", f"cannot read the file: {exc.__class__.__name__}") from None
    if path.suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise RuleFileError(path, "", f"invalid JSON: {exc.msg}", line=exc.lineno) from None
    try:
        return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RuleFileError(
            path, "", "YAML syntax error", line=mark.line + 1 if mark else None
        ) from None


def _value(name: str, raw: Any, file: str, where: str) -> FactValue:
    fact_type = FACT_CATALOGUE[name].type
    try:
        value: FactValue = _VALUE_TYPES[fact_type].validate_python(raw, strict=False)
    except ValidationError as exc:
        problem = exc.errors()[0]
        inner = ".".join(str(p) for p in problem["loc"])
        location = f"{where}.{inner}" if inner else where
        raise RuleFileError(
            file, location, f"not a valid {fact_type.value} value: {problem['msg']}"
        ) from None
    if fact_type is FactType.BOOLEAN and not isinstance(raw, bool):
        raise RuleFileError(file, where, "a yes/no fact needs true or false")
    return value


def parse_facts(
    data: Any, ruleset: RuleSet, file: Path | str = "<facts>", *, location: str = ""
) -> dict[str, Fact]:
    """Facts for ``ruleset`` from the hand-written form (see the module docstring)."""
    file = str(file)
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise RuleFileError(file, location, "facts must be a mapping of fact name to value")
    facts: dict[str, Fact] = {}
    for name, raw in data.items():
        where = f"{location}.{name}" if location else str(name)
        if name not in FACT_CATALOGUE:
            raise RuleFileError(file, where, f"unknown fact {name!r} (not in the fact catalogue)")
        spec = ruleset.facts.get(name)
        if spec is None:
            continue  # another rule set's fact
        if isinstance(raw, Mapping):
            extra = set(raw) - _FULL_FORM_KEYS
            if extra or "status" not in raw:
                raise RuleFileError(
                    file,
                    where,
                    "an object needs 'status' and only: " + ", ".join(sorted(_FULL_FORM_KEYS)),
                )
            facts[name] = _full_form(name, raw, spec.source, file, where)
        else:
            facts[name] = Fact.known(name, _value(name, raw, file, where), spec.source)
    return facts


def _full_form(
    name: str, raw: Mapping[str, Any], default_source: SourceId, file: str, where: str
) -> Fact:
    try:
        status = FactStatus(raw["status"])
        source = SourceId(raw.get("source", default_source))
    except ValueError as exc:
        raise RuleFileError(file, where, str(exc)) from None
    value = (
        _value(name, raw.get("value"), file, f"{where}.value")
        if status is FactStatus.KNOWN
        else None
    )
    try:
        return Fact(
            name=name,
            status=status,
            value=value,
            source=source,
            reference=raw.get("reference", ""),
            retrieved_at=raw.get("retrieved_at"),
            reason=raw.get("reason", ""),
        )
    except ValidationError as exc:
        problem = exc.errors()[0]
        field = ".".join(str(p) for p in problem["loc"])
        raise RuleFileError(file, f"{where}.{field}", problem["msg"]) from None


def facts_to_json(facts: Mapping[str, Fact]) -> dict[str, Any]:
    """The full form of ``facts`` (what a source layer could dump for ``explain``)."""
    return {
        name: fact.model_dump(mode="json", exclude={"name"}, exclude_defaults=True)
        for name, fact in facts.items()
    }
