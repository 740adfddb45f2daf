"""``counter-app`` as a user runs it: a subprocess, exit codes, stderr lines, JSON keys."""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path

import pytest

from counter_app.exit_codes import (
    EXIT_CONFIG,
    EXIT_INVALID_INSZ,
    EXIT_OK,
    EXIT_SOURCES_UNREACHABLE,
    EXIT_UNKNOWN_PROFILE,
    EXIT_USAGE,
)
from counter_app.sandbox.server import RunningSandbox
from tests.check.cli_run import one_clean_line, run_counter_app

REPO = Path(__file__).resolve().parents[2]
DATE = "2026-03-01"


def run(
    *args: str, tmp_path: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run_counter_app(*args, home=tmp_path, env=env)


def test_check_json_in_process(tmp_path: Path, personas_dir: Path) -> None:
    result = run(
        "check",
        "--insz",
        "86710585636",
        "--date",
        DATE,
        "--personas",
        str(personas_dir),
        "--json",
        "--lang",
        "en",
        tmp_path=tmp_path,
    )
    assert result.returncode == EXIT_OK, result.stderr
    data = json.loads(result.stdout)
    assert {"check_id", "reference_date", "subject", "rights", "sources", "timings"} <= set(data)
    rights = {r["ruleset_id"]: r for r in data["rights"]}
    assert rights["uitpas-kansentarief"]["outcome"] == "eligible"
    assert rights["uitpas-kansentarief"]["explanation"]
    assert rights["lez-vrijstelling-handicap"]["outcome"] == "not_eligible"
    for source in data["sources"]:
        assert {"source", "status", "duration_ms", "reference", "purpose", "attempts"} <= set(
            source
        )
        assert source["status"] == "ok" and source["reference"]
    assert "86710585636" not in result.stdout  # the INSZ is masked in the output


def test_check_human_output_with_a_simulated_card(tmp_path: Path) -> None:
    result = run(
        "check", "--card", "sim:leefloon-ec-18", "--date", DATE, "--lang", "en", tmp_path=tmp_path
    )
    assert result.returncode == EXIT_OK, result.stderr
    assert "UiTPAS at the opportunity tariff: ELIGIBLE" in result.stdout
    assert "(card)" in result.stdout


@pytest.mark.live_server
def test_check_against_a_running_server(tmp_path: Path, live_sandbox: RunningSandbox) -> None:
    result = run(
        "check",
        "--insz",
        "88681575651",
        "--date",
        DATE,
        "--sources",
        live_sandbox.url,
        "--json",
        tmp_path=tmp_path,
    )
    assert result.returncode == EXIT_OK, result.stderr
    rights = {r["ruleset_id"]: r["outcome"] for r in json.loads(result.stdout)["rights"]}
    assert rights == {
        "uitpas-kansentarief": "eligible",
        "lez-vrijstelling-handicap": "check_manually",
        "lez-verminderd-tarief": "not_eligible",
    }


def test_invalid_insz(tmp_path: Path) -> None:
    result = run("check", "--insz", "01700462686", tmp_path=tmp_path)
    assert result.returncode == EXIT_INVALID_INSZ
    line = one_clean_line(result.stderr)
    assert "invalid INSZ" in line and "01700462686" not in line
    assert result.stdout == ""


def test_unknown_card_profile(tmp_path: Path) -> None:
    result = run("check", "--card", "sim:no-such-card", tmp_path=tmp_path)
    assert result.returncode == EXIT_UNKNOWN_PROFILE
    assert "no-such-card" in one_clean_line(result.stderr)


def test_unreachable_sources(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run(
        "check",
        "--insz",
        "86710585636",
        "--date",
        DATE,
        "--sources",
        f"http://127.0.0.1:{port}",
        "--json",
        tmp_path=tmp_path,
        env={"LOKET_SOURCES__NATIONAL_REGISTER__RETRIES": "0"},
    )
    assert result.returncode == EXIT_SOURCES_UNREACHABLE
    assert "no source could be reached" in one_clean_line(result.stderr)
    data = json.loads(result.stdout)  # the advice is still given: nothing is lost
    assert {r["outcome"] for r in data["rights"]} <= {"check_manually", "not_eligible"}
    assert all(s["status"] != "ok" for s in data["sources"])


def test_bad_configuration(tmp_path: Path) -> None:
    config = tmp_path / "loket.toml"
    config.write_text('environment = "production"\n', encoding="utf-8")
    result = run("check", "--insz", "86710585636", "--config", str(config), tmp_path=tmp_path)
    assert result.returncode == EXIT_CONFIG
    assert "production refuses" in one_clean_line(result.stderr)


def test_usage_errors(tmp_path: Path) -> None:
    result = run("check", "--insz", "86710585636", "--date", "1 March", tmp_path=tmp_path)
    assert result.returncode == EXIT_USAGE
    assert "YYYY-MM-DD" in result.stderr and "Traceback" not in result.stderr
    both = run("check", "--insz", "86710585636", "--card", "sim:x", tmp_path=tmp_path)
    assert both.returncode == EXIT_USAGE
