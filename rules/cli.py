"""``python -m rules``: list rule sets, explain an advice, run golden cases, keep the schema.

Meant for the people who maintain the rule files: every error in a rule, facts
or golden file is one line with file and location and a non-zero exit status,
never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import cast

from rules.engine import evaluate
from rules.errors import RuleError
from rules.explain import Lang, render
from rules.factsfile import parse_facts, read_facts_file
from rules.golden import run_golden
from rules.loader import load_rulebook
from rules.resources import golden_dir
from rules.schema import schema_path, schema_text

EXIT_OK = 0
EXIT_FAILED = 1  # golden cases failed / schema out of date
EXIT_BAD_INPUT = 2  # a rule, facts or golden file is wrong, or bad arguments


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m rules", description=__doc__)
    parser.add_argument(
        "--rules", type=Path, default=None, help="rule directory or file (default: resources/rules)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="rule sets, versions and validity")
    explain = sub.add_parser("explain", help="evaluate a rule set on a facts file")
    explain.add_argument("ruleset")
    explain.add_argument("--facts", type=Path, required=True, help="facts file (.json or .yaml)")
    explain.add_argument("--date", type=_date, default=None, help="reference date (default today)")
    explain.add_argument("--lang", choices=("nl", "en"), default="nl")
    explain.add_argument("--json", action="store_true", help="the advice as JSON")
    test = sub.add_parser("test", help="run golden cases")
    test.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=None,
        help="golden file or directory (default: resources/rules/golden)",
    )
    schema = sub.add_parser("schema", help="print, write or check ruleset.schema.json")
    mode = schema.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true")
    mode.add_argument("--check", action="store_true")
    return parser


def _list(args: argparse.Namespace) -> int:
    book = load_rulebook(args.rules)
    today = dt.date.today()
    for r in book:
        until = r.valid_to.isoformat() if r.valid_to else "open"
        state = "in force" if r.in_force(today) else "not in force"
        confirm = " (purpose to be confirmed)" if r.purpose_to_be_confirmed else ""
        print(
            f"{r.id}  {r.version}  {r.valid_from.isoformat()} – {until}  [{state}]  "
            f"{r.title.en}  purpose={r.purpose}{confirm}  sha256:{r.content_hash[:12]}"
        )
    return EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    book = load_rulebook(args.rules)
    on = args.date or dt.date.today()
    ruleset = book.get(args.ruleset, on)
    facts = parse_facts(read_facts_file(args.facts), ruleset, args.facts)
    advice = evaluate(ruleset, facts, on, trace=True)
    if args.json:
        print(json.dumps(advice.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        print(render(advice, cast(Lang, args.lang)))
    return EXIT_OK


def _test(args: argparse.Namespace) -> int:
    book = load_rulebook(args.rules)
    results = run_golden(args.path or golden_dir(), book)
    for result in results:
        if not result.passed:
            print(
                f"FAIL {Path(result.file).name} [{result.ruleset}] {result.name}: "
                + "; ".join(result.failures)
            )
    failed = sum(1 for r in results if not r.passed)
    print(f"{len(results) - failed} passed, {failed} failed")
    return EXIT_FAILED if failed else EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    target = schema_path(args.rules if args.rules and args.rules.is_dir() else None)
    text = schema_text()
    if args.write:
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target}")
        return EXIT_OK
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"{target} is out of date: run python -m rules schema --write")
            return EXIT_FAILED
        print(f"{target} is up to date")
        return EXIT_OK
    sys.stdout.write(text)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers = {"list": _list, "explain": _explain, "test": _test, "schema": _schema}
    try:
        return handlers[args.command](args)
    except RuleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
