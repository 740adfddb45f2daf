"""SQLite durability: SIGKILL mid-append, full disk, locked database."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from counter_app.journal.errors import JournalBusyError, JournalError, JournalFullError
from counter_app.journal.models import EntryKind
from counter_app.journal.sqlite_store import SqliteJournalStore
from counter_app.journal.store import open_journal
from tests.journal.builders import consultation, decision

REPO = Path(__file__).resolve().parents[2]


def _start_writer(db: Path, prefix: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.journal.crash_writer", str(db), prefix],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip


def test_confirmed_entries_survive_sigkill_at_random_moments(tmp_path: Path) -> None:
    db = tmp_path / "journal.sqlite3"
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    confirmed: list[str] = []
    kills = 0
    while len(confirmed) < 100:
        prefix = f"run{kills}"
        proc = _start_writer(db, prefix)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", f"writer did not start (seed {seed})"
        wanted = rng.randint(5, 30)
        got = 0
        while got < wanted:
            line = proc.stdout.readline()
            assert line.startswith("recorded "), f"writer said {line!r} (seed {seed})"
            confirmed.append(f"{prefix}-{line.split()[1]}")
            got += 1
        time.sleep(rng.uniform(0, 0.01))  # land somewhere inside the next append
        os.kill(proc.pid, signal.SIGKILL)
        rest, _ = proc.communicate(timeout=30)
        confirmed += [f"{prefix}-{ln.split()[1]}" for ln in rest.splitlines()
                      if ln.startswith("recorded ")]  # fmt: skip
        assert proc.returncode == -signal.SIGKILL
        kills += 1
    assert kills >= 4

    with open_journal(str(db)) as store:
        report = store.verify()
        assert report.ok, (seed, report.problems)
        days = store.days()
        stored = [s for d in days for s in store.entries(d)]
    check_ids = {s.entry.check_id for s in stored if s.entry.kind is EntryKind.CONSULTATION}
    assert set(confirmed) <= check_ids, f"confirmed but lost (seed {seed})"
    decided = {s.entry.check_id for s in stored if s.entry.kind is EntryKind.DECISION}
    assert set(confirmed) <= decided
    assert report.entries_checked == len(stored)
    raw = sqlite3.connect(db)
    try:  # no half entry: every chained row has its personal row, and nothing else exists
        orphans = raw.execute(
            "SELECT COUNT(*) FROM journal_entries e LEFT JOIN journal_personal p"
            " ON p.entry_id = e.id WHERE p.entry_id IS NULL"
        ).fetchone()[0]
        personal = raw.execute("SELECT COUNT(*) FROM journal_personal").fetchone()[0]
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        raw.close()
    assert orphans == 0 and personal == len(stored)


def _count(db: Path) -> int:
    raw = sqlite3.connect(db)
    try:
        return int(raw.execute("SELECT COUNT(*) FROM journal_entries").fetchone()[0])
    finally:
        raw.close()


def test_a_full_database_is_a_clear_error_and_loses_nothing(tmp_path: Path) -> None:
    db = tmp_path / "journal.sqlite3"
    SqliteJournalStore(db).close()
    pages = sqlite3.connect(db).execute("PRAGMA page_count").fetchone()[0]
    recorded = 0
    with SqliteJournalStore(db, max_pages=pages + 4) as store:
        with pytest.raises(JournalFullError):
            for _ in range(1000):
                store.append(consultation())
                recorded += 1
        assert 0 < recorded < 1000
        assert _count(db) == recorded  # the refused entry is not there, not even half
        assert store.verify().ok
    with SqliteJournalStore(db) as store:  # room again: the journal carries on
        store.append(consultation())
        assert store.verify().ok
    assert _count(db) == recorded + 1


@pytest.fixture
def tiny_filesystem(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount_point)],
                          capture_output=True)  # fmt: skip
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def test_a_full_disk_is_a_clear_error_and_loses_nothing(tiny_filesystem: Path) -> None:
    db = tiny_filesystem / "journal.sqlite3"
    recorded = 0
    with SqliteJournalStore(db) as store:
        with pytest.raises(JournalError) as raised:
            for _ in range(5000):
                store.append(consultation())
                recorded += 1
        assert isinstance(raised.value, JournalFullError), raised.value
        assert 0 < recorded < 5000
    survivors = tiny_filesystem.parent / "copy.sqlite3"
    subprocess.run(["cp", str(db), str(survivors)], check=True)
    for suffix in ("-wal", "-shm"):
        if Path(str(db) + suffix).exists():
            subprocess.run(["cp", str(db) + suffix, str(survivors) + suffix], check=True)
    with SqliteJournalStore(survivors) as store:
        assert store.verify().ok
        assert store.verify().entries_checked == recorded


def test_a_locked_database_is_a_clear_error_and_records_nothing(tmp_path: Path) -> None:
    db = tmp_path / "journal.sqlite3"
    with SqliteJournalStore(db, busy_timeout=0.3) as store:
        first = store.append(consultation())
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            started = time.monotonic()
            with pytest.raises(JournalBusyError):
                store.append(decision(first.entry))
            assert time.monotonic() - started >= 0.25  # it did wait for the busy timeout
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert _count(db) == 1
        store.append(decision(first.entry))  # and works again once released
        assert store.verify().ok
    assert _count(db) == 2


@pytest.mark.postgres
def test_a_locked_postgres_chain_is_a_clear_error(pg_url: str) -> None:
    import psycopg

    with open_journal(pg_url, busy_timeout=0.3) as store:
        first = store.append(consultation())
        with psycopg.connect(pg_url, autocommit=True) as other:
            other.execute("BEGIN")
            other.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", ("balie-1",))
            with pytest.raises(JournalBusyError):
                store.append(decision(first.entry))
            other.execute("ROLLBACK")
        store.append(decision(first.entry))
        assert store.verify().ok
        assert store.verify().entries_checked == 2


@pytest.mark.postgres
def test_postgres_reconnects_after_losing_its_connection(pg_url: str) -> None:
    import psycopg

    with open_journal(pg_url) as store:
        store.append(consultation())
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        with pytest.raises(JournalError):  # found dead: reported as not recorded
            store.append(consultation())
        store.append(consultation())  # the next one reconnects
        report = store.verify()
        assert report.ok and report.entries_checked == 2
