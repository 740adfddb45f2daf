"""``counter-app check --decide …`` and ``counter-app log …`` as a script runs them.

Subprocesses against the in-process sandbox (the project's personas and card
deck; fictitious people, INSZ month + 60) and a throw-away SQLite journal: every
consultation is logged, a decision only after it and only when it was carried
out, and ``log show / verify / export`` read back what was written.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import counter_app.journal.cli  # noqa: F401  (bound to the real open_journal before any patch)
from counter_app import cli
from counter_app.exit_codes import (
    EXIT_DECISION_REFUSED,
    EXIT_NOT_RECORDED,
    EXIT_NOT_REGISTERED,
    EXIT_OK,
    EXIT_USAGE,
)
from counter_app.journal import store as journal_store
from counter_app.journal.errors import JournalFullError
from counter_app.journal.export import mask_insz
from counter_app.journal.models import DecisionAction, EntryKind, JournalEntry, StoredEntry
from counter_app.journal.store import open_journal
from tests.check.cli_run import one_clean_line, run_counter_app
from tests.journal.builders import consultation, fake_insz
from tests.journal.raw import RawDb

REPO = Path(__file__).resolve().parents[2]
DATE = "2026-03-01"  # the personas' statutes are valid then
ELIGIBLE_CARD = "sim:be-bare-year-ec-18"  # Gent, living wage: UiTPAS opportunity tariff
BRUGGE_CARD = "sim:be-padded-month-rsa-17"  # lives in Brugge: no right
BRUGGE_INSZ = "76642812413"
LEZ_INSZ = "90641840238"  # own VT and a parking card in Gent: both LEZ rights


def run(
    *args: str, home: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run_counter_app(*args, home=home, env=env)


def entries_for(url: str, check_id: str) -> list[StoredEntry]:
    with open_journal(url) as store:
        return store.entries_for_check(check_id)


def all_entries(url: str) -> list[StoredEntry]:
    with open_journal(url) as store:
        return [e for day in _days(store) for e in store.entries(day)]


def _days(store: Any) -> list[dt.date]:
    today = store.local_day(dt.datetime.now(dt.UTC))
    return [today - dt.timedelta(days=1), today]


# -- one journal, every kind of decision ---------------------------------------------------


@pytest.fixture(scope="module")
def decided(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Four decisions, one per ``--decide`` kind, in one journal (given with --db)."""
    home = tmp_path_factory.mktemp("decide")
    url = f"sqlite:///{home / 'day.sqlite3'}"
    base = ("check", "--date", DATE, "--lang", "en", "--json", "--db", url)
    runs = {
        "opportunity-tariff": run(
            *base, "--card", ELIGIBLE_CARD, "--decide", "opportunity-tariff", home=home
        ),
        "normal": run(*base, "--card", BRUGGE_CARD, "--decide", "normal", home=home),
        "lez": run(*base, "--insz", LEZ_INSZ, "--decide", "lez", home=home),
        "override": run(
            *base,
            "--card",
            BRUGGE_CARD,
            "--decide",
            "override",
            "--reason",
            "Verhuist volgende week naar Gent; attest gezien",
            "--end-date",
            "2026-12-31",
            home=home,
        ),
    }
    yield {"url": url, "home": home, "runs": runs}


@pytest.mark.parametrize(
    ("kind", "action", "right", "overridden"),
    [
        (
            "opportunity-tariff",
            DecisionAction.OPPORTUNITY_TARIFF_SALE,
            "uitpas-kansentarief",
            False,
        ),
        ("normal", DecisionAction.NORMAL_SALE, "uitpas-kansentarief", False),
        ("lez", DecisionAction.LEZ_REGISTERED, "lez-vrijstelling-handicap", False),
        ("override", DecisionAction.OPPORTUNITY_TARIFF_SALE, "uitpas-kansentarief", True),
    ],
)
def test_each_decision_is_logged_after_its_consultation(
    decided: dict[str, Any],
    kind: str,
    action: DecisionAction,
    right: str,
    overridden: bool,
) -> None:
    result = decided["runs"][kind]
    assert result.returncode == EXIT_OK, result.stderr
    assert "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    journal = data["journal"]
    assert journal["consultation"]["seq"] < journal["decision"]["seq"]
    assert len(journal["consultation"]["hash"]) == 64
    assert journal["decision"]["action"] == action.value
    assert journal["decision"]["right"] == right

    entries = entries_for(decided["url"], data["check_id"])
    assert [e.entry.kind for e in entries] == [EntryKind.CONSULTATION, EntryKind.DECISION]
    consultation, decision = entries
    assert consultation.id == journal["consultation"]["id"]
    assert decision.id == journal["decision"]["id"]
    assert decision.entry.decision is not None
    assert decision.entry.decision.action is action
    assert decision.entry.decision.right == right
    assert decision.entry.decision.overridden is overridden
    # the consultation names every request by its Referte, as MAGDA's register does
    references = [s["reference"] for s in data["sources"]]
    assert references and all(references)
    assert [r.reference for r in consultation.entry.requests] == references


def test_a_sale_registers_at_uitpas_and_logs_the_registration(decided: dict[str, Any]) -> None:
    data = json.loads(decided["runs"]["opportunity-tariff"].stdout)
    decision = data["journal"]["decision"]
    assert decision["uitpas_reference"]
    assert decision["end_date"] == "2030-01-01"  # the advice's proposed end date
    stored = entries_for(decided["url"], data["check_id"])[1].entry
    assert [r.service for r in stored.requests] == ["register-passholder"]
    assert stored.decision is not None and stored.decision.end_date == dt.date(2030, 1, 1)


def test_an_override_keeps_its_reason(decided: dict[str, Any]) -> None:
    data = json.loads(decided["runs"]["override"].stdout)
    assert data["journal"]["decision"]["overridden"] is True
    stored = entries_for(decided["url"], data["check_id"])[1].entry.decision
    assert stored is not None and "attest gezien" in stored.override_reason
    assert stored.end_date == dt.date(2026, 12, 31)


def test_log_show_verify_export_read_it_back(decided: dict[str, Any], tmp_path: Path) -> None:
    url, home = decided["url"], decided["home"]
    checks = [json.loads(r.stdout)["check_id"] for r in decided["runs"].values()]
    day = entries_for(url, checks[0])[0].day.isoformat()

    shown = run("log", "show", "--day", day, "--db", url, "--figures", home=home)
    assert shown.returncode == EXIT_OK, shown.stderr
    assert "8 entries" in shown.stdout and "overrides 1" in shown.stdout
    assert mask_insz(LEZ_INSZ) in shown.stdout and mask_insz(BRUGGE_INSZ) in shown.stdout
    assert LEZ_INSZ not in shown.stdout and BRUGGE_INSZ not in shown.stdout

    verified = run("log", "verify", "--day", day, "--db", url, home=home)
    assert verified.returncode == EXIT_OK, verified.stdout + verified.stderr
    assert "verified 8 entries" in verified.stdout and "chain intact" in verified.stdout

    target = tmp_path / "day.csv"
    exported = run("log", "export", "--day", day, "--csv", str(target), "--db", url, home=home)
    assert exported.returncode == EXIT_OK, exported.stderr
    with target.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["kind"] for r in rows].count("decision") == 4
    assert {r["check_id"] for r in rows} == set(checks)
    assert all(LEZ_INSZ not in value for row in rows for value in row.values())
    assert (tmp_path / "day.figures.csv").is_file()


def test_log_verify_names_the_first_broken_entry(decided: dict[str, Any], tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite3"
    with sqlite3.connect(decided["url"].removeprefix("sqlite://")) as source:
        target = sqlite3.connect(copy)
        source.backup(target)
        target.close()
    raw = RawDb(f"sqlite:///{copy}")
    raw.drop_guards()
    row = raw.row("counter-1", 2)  # the first decision: an opportunity-tariff sale
    forged = row["body"].replace('"opportunity_tariff_sale"', '"normal_sale"')
    assert forged != row["body"]
    raw.execute("UPDATE journal_entries SET body = ? WHERE id = ?", (forged, row["id"]))
    raw.close()
    broken = run("log", "verify", "--db", f"sqlite:///{copy}", home=tmp_path)
    assert broken.returncode == 1
    assert "BROKEN: counter counter-1, entry #2" in broken.stdout


# -- refusals and failures: nothing half-recorded ------------------------------------------


def test_override_without_reason_is_a_usage_error_and_nothing_is_recorded(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'j.sqlite3'}"
    result = run(
        "check", "--insz", BRUGGE_INSZ, "--date", DATE, "--decide", "override", "--db", url,
        home=tmp_path,
    )  # fmt: skip
    assert result.returncode == EXIT_USAGE
    assert "--reason" in one_clean_line(result.stderr)
    assert result.stdout == ""
    assert not (tmp_path / "j.sqlite3").exists() or all_entries(url) == []

    blank = run(
        "check", "--insz", BRUGGE_INSZ, "--decide", "override", "--reason", "  ", "--db", url,
        home=tmp_path,
    )  # fmt: skip
    assert blank.returncode == EXIT_USAGE
    stray = run("check", "--insz", BRUGGE_INSZ, "--reason", "why", "--db", url, home=tmp_path)
    assert stray.returncode == EXIT_USAGE and "--decide" in one_clean_line(stray.stderr)
    assert not (tmp_path / "j.sqlite3").exists() or all_entries(url) == []


def test_a_decision_against_the_advice_needs_a_reason(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'j.sqlite3'}"
    result = run(
        "check", "--card", BRUGGE_CARD, "--date", DATE, "--decide", "opportunity-tariff",
        "--db", url, "--json", home=tmp_path,
    )  # fmt: skip
    assert result.returncode == EXIT_DECISION_REFUSED
    line = one_clean_line(result.stderr)
    assert "departs from the advice" in line and "--reason" in line
    data = json.loads(result.stdout)
    assert data["journal"]["consultation"] is not None and data["journal"]["decision"] is None
    kinds = [e.entry.kind for e in entries_for(url, data["check_id"])]
    assert kinds == [EntryKind.CONSULTATION]


def test_uitpas_refusing_the_registration_records_no_decision(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'j.sqlite3'}"
    result = run(  # a manual entry has no name and address to register with
        "check", "--insz", "86710585636", "--date", DATE, "--decide", "opportunity-tariff",
        "--db", url, "--json", home=tmp_path,
    )  # fmt: skip
    assert result.returncode == EXIT_NOT_REGISTERED
    assert "not registered at UiTPAS" in one_clean_line(result.stderr)
    data = json.loads(result.stdout)
    assert data["journal"]["decision"] is None
    kinds = [e.entry.kind for e in entries_for(url, data["check_id"])]
    assert kinds == [EntryKind.CONSULTATION]


def test_a_journal_that_cannot_be_opened_means_no_consultation(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the journal's folder should be", encoding="utf-8")
    url = f"sqlite:///{blocker / 'journal.sqlite3'}"
    result = run(
        "check", "--insz", LEZ_INSZ, "--date", DATE, "--decide", "lez", "--db", url,
        home=tmp_path,
    )  # fmt: skip
    assert result.returncode == EXIT_NOT_RECORDED
    line = one_clean_line(result.stderr)
    assert line.startswith("counter-app: not recorded:") and "no source was asked" in line
    assert result.stdout == ""
    assert LEZ_INSZ not in line


def test_a_busy_journal_is_not_recorded(tmp_path: Path) -> None:
    path = tmp_path / "busy.sqlite3"
    url = f"sqlite:///{path}"
    with open_journal(url):
        pass  # created and migrated
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        result = run(
            "check", "--insz", LEZ_INSZ, "--date", DATE, "--decide", "lez", "--db", url,
            home=tmp_path,
        )  # fmt: skip
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == EXIT_NOT_RECORDED
    assert "not recorded" in one_clean_line(result.stderr)
    assert "recorded:" not in result.stdout
    assert all_entries(url) == []  # neither the consultation nor a decision


class _FailingDecisions:
    """The real store, except that the disk is full when the decision comes."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.url_for_display = real.url_for_display

    def append(self, entry: JournalEntry) -> StoredEntry:
        if entry.kind is EntryKind.DECISION:
            raise JournalFullError("the journal's disk is full")
        stored: StoredEntry = self.real.append(entry)
        return stored

    def __getattr__(self, name: str) -> Any:  # reading the log works as usual
        return getattr(self.real, name)

    def __enter__(self) -> _FailingDecisions:
        return self

    def __exit__(self, *exc: object) -> None:
        self.real.close()


def test_a_decision_the_log_cannot_take_is_reported_with_its_uitpas_reference(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    private_journal: str,
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    real_open = journal_store.open_journal
    monkeypatch.setattr(
        journal_store, "open_journal", lambda url: _FailingDecisions(real_open(url))
    )
    code = cli.main([
        "check", "--card", ELIGIBLE_CARD, "--date", DATE, "--decide", "opportunity-tariff",
        "--json",
    ])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == EXIT_NOT_RECORDED
    line = one_clean_line(err)
    assert "not recorded" in line and "WAS registered at UiTPAS" in line
    data = json.loads(out)
    assert data["journal"]["decision"] is None
    assert data["journal"]["url"].endswith("test-journal.sqlite3")  # LOKET_JOURNAL_URL
    kinds = [e.entry.kind for e in entries_for(private_journal, data["check_id"])]
    assert kinds == [EntryKind.CONSULTATION]


# -- where the log is ----------------------------------------------------------------------


def test_db_beats_the_environment_which_beats_the_configuration(tmp_path: Path) -> None:
    from_env = f"sqlite:///{tmp_path / 'env.sqlite3'}"
    from_db = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    from_config = tmp_path / "configured.sqlite3"
    config = tmp_path / "loket.toml"
    config.write_text(f'[journal]\nurl = "sqlite:///{from_config}"\n', encoding="utf-8")

    plain = run("check", "--insz", BRUGGE_INSZ, "--date", DATE, "--config", str(config),
                home=tmp_path)  # fmt: skip
    assert plain.returncode == EXIT_OK, plain.stderr
    assert f"in sqlite://{from_config}" in plain.stdout
    env = {"LOKET_JOURNAL_URL": from_env}
    by_env = run("check", "--insz", BRUGGE_INSZ, "--date", DATE, "--config", str(config),
                 home=tmp_path, env=env)  # fmt: skip
    assert by_env.returncode == EXIT_OK and "env.sqlite3" in by_env.stdout
    by_db = run("check", "--insz", BRUGGE_INSZ, "--date", DATE, "--db", from_db, home=tmp_path,
                env=env)  # fmt: skip
    assert by_db.returncode == EXIT_OK and "db.sqlite3" in by_db.stdout
    for url in (f"sqlite:///{from_config}", from_env, from_db):
        assert [e.entry.kind for e in all_entries(url)] == [EntryKind.CONSULTATION]

    shown = run("log", "show", "--config", str(config), home=tmp_path, env=env)
    assert shown.returncode == EXIT_OK and "env.sqlite3" in shown.stdout
    assert "1 entries" in shown.stdout


def test_purge_defaults_to_the_configured_retention(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], private_journal: str,
    tmp_path: Path,
) -> None:  # fmt: skip
    now = dt.datetime.now(dt.UTC)
    with open_journal(private_journal) as store:
        store.append_many([
            consultation(at=now - dt.timedelta(days=45), subject=fake_insz(7)),
            consultation(at=now - dt.timedelta(days=10), subject=fake_insz(8)),
        ])  # fmt: skip
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("LOKET_JOURNAL__RETENTION_DAYS", "30")
    assert cli.main(["log", "purge", "--counter", "admin"]) == EXIT_OK
    out = capsys.readouterr().out
    expected = (now - dt.timedelta(days=30)).strftime("%Y-%m-%d")
    assert "personal data of 1 entries" in out and f"recorded before {expected}" in out
    assert cli.main(["log", "verify"]) == EXIT_OK
