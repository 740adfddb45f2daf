"""The ``log`` commands: show, export, verify, purge, seal — and clear errors."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from counter_app.journal.cli import add_log_arguments, add_log_commands, main, run_log_command
from counter_app.journal.export import mask_insz
from counter_app.journal.models import DecisionAction, EntryKind, EntryMode
from counter_app.journal.store import open_journal
from tests.journal.builders import consultation, decision, fake_insz
from tests.journal.raw import RawDb

REPO = Path(__file__).resolve().parents[2]
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
OLD = NOW - dt.timedelta(days=45)


@pytest.fixture
def filled(sqlite_url: str) -> str:
    with open_journal(sqlite_url) as store:
        for i, at in enumerate((OLD, NOW - dt.timedelta(minutes=5))):
            card = consultation(at=at, subject=fake_insz(40 + i))
            manual = consultation(at=at + dt.timedelta(seconds=30), subject=fake_insz(50 + i),
                                  mode=EntryMode.MANUAL)  # fmt: skip
            store.append_many([
                card, decision(card, at=at + dt.timedelta(seconds=10)),
                manual, decision(manual, DecisionAction.NORMAL_SALE, overridden=True,
                                 reason="document seen", at=at + dt.timedelta(seconds=40)),
            ])  # fmt: skip
    return sqlite_url


def _day(url: str, at: dt.datetime) -> str:
    with open_journal(url) as store:
        return store.local_day(at).isoformat()


def test_show_masks_the_insz_and_filters(filled: str, capsys: pytest.CaptureFixture[str]) -> None:
    day = _day(filled, NOW - dt.timedelta(minutes=5))
    assert main(["log", "show", "--day", day, "--db", filled, "--figures"]) == 0
    out = capsys.readouterr().out
    assert mask_insz(fake_insz(41)) in out and mask_insz(fake_insz(51)) in out
    assert fake_insz(41) not in out and fake_insz(51) not in out
    assert "4 entries" in out and "checks 2" in out and "overrides 1" in out

    assert main(["show", "--db", filled, "--day", day, "--manual"]) == 0  # "log" may be omitted
    out = capsys.readouterr().out
    assert "2 entries" in out and mask_insz(fake_insz(41)) not in out


def test_export_writes_entries_and_figures(filled: str, tmp_path: Path) -> None:
    day = _day(filled, OLD)
    target = tmp_path / "day.csv"
    assert main(["log", "export", "--db", filled, "--day", day, "--csv", str(target)]) == 0
    with target.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["kind"] for r in rows].count("seal") == 1  # written when the next day began
    assert len(rows) == 5
    assert {r["subject_insz"] for r in rows if r["kind"] != "seal"} == {
        mask_insz(fake_insz(40)),
        mask_insz(fake_insz(50)),
    }
    assert all(fake_insz(40) not in v for r in rows for v in r.values())
    assert [r["decision"] for r in rows if r["kind"] == "decision"] == [
        "opportunity_tariff_sale", "normal_sale",
    ]  # fmt: skip
    with (tmp_path / "day.figures.csv").open(encoding="utf-8") as f:
        figures = {(r["figure"], r["detail"]): r["value"] for r in csv.DictReader(f)}
    assert figures[("checks", "")] == "2"
    assert figures[("manual_entries", "")] == "1"
    assert figures[("opportunity_tariff_sales", "")] == "1"


def test_verify_reports_the_first_broken_entry(
    filled: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["log", "verify", "--db", filled]) == 0
    assert "chain intact" in capsys.readouterr().out
    raw = RawDb(filled)
    raw.drop_guards()
    row = raw.row("balie-1", 3)
    raw.execute("UPDATE journal_entries SET body = ? WHERE id = ?",
                (row["body"].replace('"manual"', '"card"'), row["id"]))  # fmt: skip
    raw.close()
    assert main(["log", "verify", "--db", filled]) == 1
    out = capsys.readouterr().out
    assert "BROKEN: counter balie-1, entry #3" in out and "hash_mismatch" in out
    assert main(["log", "verify", "--db", filled, "--day", _day(filled, OLD)]) == 1


def test_purge_then_show_keeps_figures(filled: str, capsys: pytest.CaptureFixture[str]) -> None:
    day = _day(filled, OLD)
    main(["log", "show", "--db", filled, "--day", day, "--figures"])
    before = capsys.readouterr().out.split("\n\n", 1)[1]
    assert main(["log", "purge", "--db", filled, "--older-than", "30", "--counter", "admin"]) == 0
    assert "personal data of 4 entries" in capsys.readouterr().out
    main(["log", "show", "--db", filled, "--day", day, "--figures"])
    out = capsys.readouterr().out
    assert out.split("\n\n", 1)[1] == before
    assert "(purged)" in out and mask_insz(fake_insz(40)) not in out
    assert main(["log", "verify", "--db", filled]) == 0


def test_seal_export_and_verify_against_it(
    filled: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seal = tmp_path / "seal.json"
    day = _day(filled, OLD)
    assert main(["log", "seal", "--db", filled, "--day", day, "--out", str(seal)]) == 0
    assert main(["log", "verify", "--db", filled, "--day", day, "--seal", str(seal)]) == 0
    seal.write_text("{}", encoding="utf-8")
    assert main(["log", "verify", "--db", filled, "--seal", str(seal)]) == 2
    assert "not a seal" in capsys.readouterr().err


def test_purge_and_seal_entries_name_the_installed_version(filled: str) -> None:
    """They were written as ``Application()`` (id "loket", version 0.0.0): an audit could
    not tell which release purged or sealed."""
    sealed_day = _day(filled, OLD)
    assert main(["log", "purge", "--db", filled, "--older-than", "30", "--counter", "admin"]) == 0
    assert main(["log", "seal", "--db", filled, "--day", sealed_day]) == 0
    purged_day = _day(filled, dt.datetime.now(dt.UTC))
    with open_journal(filled) as store:
        written = [
            stored.entry
            for day in {sealed_day, purged_day}
            for stored in store.entries(dt.date.fromisoformat(day))
            if stored.entry.kind in (EntryKind.PURGE, EntryKind.SEAL)
        ]
    assert {e.kind for e in written} == {EntryKind.PURGE, EntryKind.SEAL}
    assert {e.application.version for e in written} == {metadata.version("loket")}


def test_bad_input_is_a_message_not_a_traceback(
    filled: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["log", "show", "--day", "tomorrow", "--db", filled])
    assert exited.value.code == 2
    assert "not a day" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["log", "purge", "--older-than", "-3", "--db", filled])
    assert main(["log", "verify", "--db", "mysql://somewhere/x"]) == 3
    assert "unsupported journal URL" in capsys.readouterr().err
    missing = tmp_path / "no" / "such" / "dir" / "x.csv"
    args = ["log", "export", "--db", filled, "--day", "2026-01-01", "--csv", str(missing)]
    assert main(args) == 3
    err = capsys.readouterr().err
    assert "cannot use" in err and "Traceback" not in err


def test_runs_as_a_module_with_the_url_from_the_environment(filled: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "counter_app.journal", "verify"],
        cwd=REPO, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "LOKET_JOURNAL_URL": filled, "HOME": str(REPO)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "verified 9 entries" in done.stdout  # 8 + the seal written when day two began


def test_plugs_into_another_parser() -> None:
    parser = argparse.ArgumentParser(prog="counter-app")
    add_log_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["log", "--db", "sqlite:///x", "export", "--day", "2026-03-10",
                              "--csv", "out.csv"])  # fmt: skip
    assert args.handler is run_log_command
    assert (args.db, args.log_command, args.day) == ("sqlite:///x", "export", dt.date(2026, 3, 10))


def test_plugs_into_a_registry_of_add_arguments_and_handlers(
    filled: str, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser(prog="counter-app")
    sub = parser.add_subparsers(dest="command", required=True)
    add_log_arguments(sub.add_parser("log"))
    args = parser.parse_args(["log", "verify", "--db", filled.replace("sqlite://", "sqlite:///")])
    assert run_log_command(args) == 0  # sqlite:////abs/path works too
    assert "chain intact" in capsys.readouterr().out
