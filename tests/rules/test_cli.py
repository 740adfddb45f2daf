"""``python -m rules`` through a real subprocess: output, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from rules.resources import golden_dir

from .conftest import MINIMAL, REPO, write_rule

FACTS = {
    "deceased": False,
    "domicile_nis": "44021",
    "vt_own": [{"start": "2024-01-01", "end": "2026-12-31"}],
    "living_wage": {"status": "source_error", "reason": "MAGDA timeout"},
    "parking_card": [],  # another rule set's fact: ignored here
}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rules", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _facts(tmp_path: Path, data: object, name: str = "facts.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_list() -> None:
    result = run("list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert any(line.startswith("uitpas-kansentarief  2024.1  2024-01-01 – open") for line in lines)


def test_explain_text_in_both_languages(tmp_path: Path) -> None:
    facts = _facts(tmp_path, FACTS)
    nl = run("explain", "uitpas-kansentarief", "--facts", str(facts), "--date", "2026-03-15")
    assert nl.returncode == 0, nl.stderr
    assert "Advies: RECHT" in nl.stdout
    assert "Voorgestelde einddatum: 2026-12-31" in nl.stdout
    assert "UiTPAS-kaart: €1.00 (normaal €5.00)" in nl.stdout
    assert (
        "✔ Heeft verhoogde tegemoetkoming op de referentiedatum  [verhoogde tegemoetkoming = "
        in (nl.stdout)
    )
    en = run(
        "explain",
        "uitpas-kansentarief",
        "--facts",
        str(facts),
        "--date",
        "2026-03-15",
        "--lang",
        "en",
    )
    assert "Advice: ELIGIBLE" in en.stdout
    assert (
        "living wage or equivalent help from the OCMW = source error (source: MAGDA timeout)"
        in (en.stdout)
    )
    assert "living_wage" not in en.stdout


def test_explain_json(tmp_path: Path) -> None:
    none: dict[str, object] = {
        n: []
        for n in (
            "vt_own",
            "vt_family",
            "ocmw_budget_management",
            "ocmw_budget_guidance",
            "ocmw_debt_mediation",
        )
    }
    facts = _facts(tmp_path, {**FACTS, **none})
    result = run(
        "explain", "uitpas-kansentarief", "--facts", str(facts), "--date", "2026-03-15", "--json"
    )
    assert result.returncode == 0, result.stderr
    advice = json.loads(result.stdout)
    assert advice["outcome"] == "check_manually"
    assert [m["name"] for m in advice["missing"]] == ["living_wage"]
    assert advice["missing"][0]["status"] == "source_error"
    assert advice["reference_date"] == "2026-03-15"


def test_explain_yaml_facts(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text("deceased: true\n", encoding="utf-8")
    result = run(
        "explain",
        "lez-verminderd-tarief",
        "--facts",
        str(path),
        "--date",
        "2026-03-15",
        "--lang",
        "en",
    )
    assert result.returncode == 0, result.stderr
    assert "Advice: NOT ELIGIBLE" in result.stdout


def test_explain_bad_facts_file(tmp_path: Path) -> None:
    facts = _facts(tmp_path, {**FACTS, "vt_own": [{"start": "soon"}]})
    result = run("explain", "uitpas-kansentarief", "--facts", str(facts), "--date", "2026-03-15")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert str(facts) in result.stderr and "(vt_own.0.start)" in result.stderr
    unknown = _facts(tmp_path, {"vt_ownn": []}, "typo.json")
    result = run("explain", "uitpas-kansentarief", "--facts", str(unknown))
    assert result.returncode == 2 and "unknown fact 'vt_ownn'" in result.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"deceased": false,\n "vt_own": [}', encoding="utf-8")
    result = run("explain", "uitpas-kansentarief", "--facts", str(broken))
    assert result.returncode == 2 and f"{broken}:2" in result.stderr
    assert "Traceback" not in result.stderr


def test_explain_unknown_rule_set_and_missing_file(tmp_path: Path) -> None:
    result = run("explain", "nope", "--facts", str(_facts(tmp_path, {})))
    assert result.returncode == 2 and "no rule set 'nope'" in result.stderr
    result = run("explain", "uitpas-kansentarief", "--facts", str(tmp_path / "none.json"))
    assert result.returncode == 2 and "cannot read the file" in result.stderr
    assert "Traceback" not in result.stderr


def test_test_command_on_shipped_golden_cases() -> None:
    result = run("test")
    assert result.returncode == 0, result.stdout + result.stderr
    last = result.stdout.splitlines()[-1]
    passed, failed = last.split(", ")
    assert int(passed.split()[0]) >= 50 and failed == "0 failed"


def test_test_command_reports_failures(tmp_path: Path) -> None:
    text = (golden_dir() / "lez-verminderd-tarief.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("year: 140", "year: 145"), encoding="utf-8")
    result = run("test", str(broken))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[-1] == "14 passed, 1 failed"
    assert lines[0].startswith("FAIL broken.yaml [lez-verminderd-tarief]")


def test_errors_in_rule_files_are_one_line(tmp_path: Path) -> None:
    write_rule(tmp_path, MINIMAL.replace("param: towns", "param: town"))
    result = run("--rules", str(tmp_path), "list")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "mini.yaml:" in result.stderr and "eligibility.all[0].member.param" in result.stderr


def test_schema_check() -> None:
    result = run("schema", "--check")
    assert result.returncode == 0, result.stdout


def test_bad_date_argument() -> None:
    result = run("explain", "uitpas-kansentarief", "--facts", "x.json", "--date", "15/03/2026")
    assert result.returncode == 2 and "not a date" in result.stderr
    assert "Traceback" not in result.stderr
