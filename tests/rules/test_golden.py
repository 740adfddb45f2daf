"""The golden cases shipped with the rule files, one pytest case each."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rules import RuleBook, load_rulebook
from rules.golden import golden_files, load_golden, run_file, run_golden
from rules.resources import golden_dir


def _cases() -> list[tuple[Path, int, str]]:
    return [
        (file, index, case.name)
        for file in golden_files(golden_dir())
        for index, case in enumerate(load_golden(file).cases)
    ]


CASES = _cases()


def test_every_shipped_rule_set_has_golden_cases(book: RuleBook) -> None:
    covered = {load_golden(f).ruleset for f in golden_files(golden_dir())}
    assert covered == set(book.ids())
    assert len(CASES) >= 50


@pytest.mark.parametrize(
    ("file", "index", "name"), CASES, ids=[f"{f.stem}:{n}" for f, _, n in CASES]
)
def test_golden_case(book: RuleBook, file: Path, index: int, name: str) -> None:
    results = list(run_file(file, book))
    result = results[index]
    assert result.name == name
    assert result.passed, "; ".join(result.failures)


def test_a_wrong_expectation_is_reported(tmp_path: Path, book: RuleBook) -> None:
    source = golden_dir() / "uitpas-kansentarief.yaml"
    text = source.read_text(encoding="utf-8")
    broken = text.replace("proposed_end_date: 2026-08-31", "proposed_end_date: 2026-09-01", 1)
    broken = broken.replace("outcome: check_manually", "outcome: eligible", 1)
    assert broken != text
    target = tmp_path / "broken.yaml"
    target.write_text(broken, encoding="utf-8")
    results = run_golden(target, book)
    failed = [r for r in results if not r.passed]
    assert len(failed) == 2
    assert any("proposed end 2026-08-31, expected 2026-09-01" in f for f in failed[0].failures)
    assert any("outcome check_manually, expected eligible" in f for f in failed[1].failures)


def test_golden_runner_uses_the_given_rulebook(tmp_path: Path) -> None:
    """A tariff change in the rule file is visible in the golden results (data, not code)."""
    rules = tmp_path / "rules"
    shutil.copytree(golden_dir().parent, rules, ignore=shutil.ignore_patterns("golden"))
    path = rules / "uitpas-kansentarief.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("value: 1.00", "value: 1.50"), encoding="utf-8"
    )
    results = run_golden(golden_dir() / "uitpas-kansentarief.yaml", load_rulebook(rules))
    failed = [r for r in results if not r.passed]
    assert failed and all("prices" in " ".join(r.failures) for r in failed)
