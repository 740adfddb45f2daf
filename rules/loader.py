"""Read rule files from disk into a ``RuleBook``, or say precisely what is wrong.

YAML is parsed with ``safe_load`` (no object construction), validated by the
pydantic models of ``rules.fileformat``, then checked and compiled by
``RuleSet``. Any problem becomes a ``RuleFileError`` with the file, the line
(found by re-composing the YAML node tree) and the path in the document.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from rules.compiler import LocatedProblem, PathPart, format_path
from rules.errors import RuleFileError
from rules.fileformat import TAG_PREFIX, RuleSetFile
from rules.resources import rules_dir
from rules.rulebook import RuleBook
from rules.ruleset import RuleSet

RULE_SUFFIXES = (".yaml", ".yml")
# libyaml's parser with PyYAML's safe constructor: same documents, ~10× faster to load
SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> tuple[Any, str]:
    """The parsed document and its text; I/O and syntax errors become RuleFileError."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(path, "", f"cannot read the file: {exc.__class__.__name__}") from None
    try:
        return yaml.load(text, Loader=SafeLoader), text  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise RuleFileError(path, "", f"YAML syntax error: {problem}", line=line) from None


def line_of(text: str, path: Sequence[PathPart]) -> int | None:
    """1-based line of the deepest node of ``path`` that exists in the YAML text."""
    try:
        node = yaml.compose(text, Loader=SafeLoader)
    except yaml.YAMLError:
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for part in path:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            found = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
            if found is None:
                break
            key_node = next(k for k, v in node.value if v is found)
            node, line = found, key_node.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _clean_loc(loc: Sequence[int | str]) -> list[PathPart]:
    """Drop pydantic's union tags so the path reads like the document."""
    return [
        "not" if part == "not_" else part
        for part in loc
        if not (isinstance(part, str) and part.startswith(TAG_PREFIX))
    ]


def _message(error: Any) -> str:
    kind = error["type"]
    loc = error["loc"]
    last = loc[-1] if loc else ""
    if last in ("nl", "en") and kind in ("missing", "string_too_short"):
        return f"missing translation ({last})"
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return f"unknown field {last!r}"
    return str(error["msg"])


def parse_ruleset(data: Any, text: str, file: Path) -> RuleSet:
    if not isinstance(data, dict):
        raise RuleFileError(file, "", "a rule file must be a mapping (id, version, …)", line=1)
    try:
        definition = RuleSetFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        path = _clean_loc(first["loc"])
        more = len(exc.errors()) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise RuleFileError(
            file, format_path(path), _message(first) + suffix, line=line_of(text, path)
        ) from None
    try:
        return RuleSet(definition, file=str(file))
    except LocatedProblem as problem:
        raise RuleFileError(
            file, format_path(problem.path), problem.message, line=line_of(text, problem.path)
        ) from None


def load_ruleset(file: Path) -> RuleSet:
    data, text = read_yaml(file)
    return parse_ruleset(data, text, file)


def rule_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise RuleFileError(path, "", "no such rule file or directory")
    return sorted(p for p in path.iterdir() if p.is_file() and p.suffix in RULE_SUFFIXES)


def load_rulebook(path: Path | None = None) -> RuleBook:
    """Every rule file in ``path`` (default ``resources/rules``), checked for overlaps."""
    files = rule_files(path if path is not None else rules_dir())
    rulesets = [load_ruleset(f) for f in files]
    by_id: dict[str, list[RuleSet]] = {}
    for ruleset in rulesets:
        by_id.setdefault(ruleset.id, []).append(ruleset)
    for versions in by_id.values():
        versions.sort(key=lambda r: r.valid_from)
        for earlier, later in itertools.pairwise(versions):
            if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
                _, text = read_yaml(Path(later.file))
                raise RuleFileError(
                    later.file,
                    "valid_from",
                    f"validity overlaps version {earlier.version!r} of {earlier.id!r} "
                    f"in {Path(earlier.file).name} (valid_to {earlier.valid_to or 'open'})",
                    line=line_of(text, ["valid_from"]),
                )
            if later.valid_from > earlier.valid_to + dt.timedelta(days=1):
                # A day without a version is a day the counter gives no advice on this
                # right at all, silently: almost always an inclusive/exclusive slip.
                _, text = read_yaml(Path(later.file))
                raise RuleFileError(
                    later.file,
                    "valid_from",
                    f"no version of {earlier.id!r} is in force from "
                    f"{earlier.valid_to + dt.timedelta(days=1)} to "
                    f"{later.valid_from - dt.timedelta(days=1)} (version {earlier.version!r} in "
                    f"{Path(earlier.file).name} ends on {earlier.valid_to}; valid_to is inclusive)",
                    line=line_of(text, ["valid_from"]),
                )
    return RuleBook(rulesets)
