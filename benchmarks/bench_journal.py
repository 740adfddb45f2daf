"""Journal speed: durable appends, the supervisor's day view, verifying a million entries.

Goals: >= 200 durable appends/s on SQLite; a day of 5,000 entries with its figures
in <= 300 ms; verifying a chain of 1,000,000 entries in <= 10 s.

    .venv/bin/python benchmarks/bench_journal.py [--dir DIR] [--quick]

``--dir`` puts the databases on the disk to measure (default: a temporary folder);
``--quick`` uses 100,000 entries for the verification instead of a million.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from counter_app.journal.chain import (
    GENESIS_HASH,
    PersonalData,
    entry_body,
    entry_summary,
    format_ts,
    hashed_text,
)
from counter_app.journal.models import AdviceOutcome, DecisionAction, EntryMode
from counter_app.journal.reports import EntryFilter
from counter_app.journal.sqlite_store import SqliteJournalStore
from rules.facts import SourceId
from tests.journal.builders import LEZ, UITPAS, consultation, decision, fake_insz

DAY_START = dt.datetime(2026, 3, 10, 7, 0, tzinfo=dt.UTC)


def bench_appends(folder: Path, n: int) -> None:
    entries = [consultation(subject=fake_insz(i)) for i in range(n)]
    latencies: list[float] = []
    with SqliteJournalStore(folder / "appends.sqlite3") as store:
        store.append(entries[0])  # open, migrate, first page
        started = time.perf_counter()
        for entry in entries[1:]:
            t = time.perf_counter()
            store.append(entry)
            latencies.append(time.perf_counter() - t)
        elapsed = time.perf_counter() - started
    rate = (n - 1) / elapsed
    q = statistics.quantiles(latencies, n=100)
    print(f"durable appends (WAL, synchronous=FULL): {rate:,.0f}/s over {n - 1} "
          f"(p50 {q[49] * 1000:.2f} ms, p99 {q[98] * 1000:.2f} ms)  goal >= 200/s  "
          f"{'OK' if rate >= 200 else 'MISSED'}")  # fmt: skip


def _day_entries(n: int) -> Iterator[object]:
    outcomes = [AdviceOutcome.ELIGIBLE, AdviceOutcome.NOT_ELIGIBLE, AdviceOutcome.CHECK_MANUALLY]
    for i in range(n // 2):
        at = DAY_START + dt.timedelta(seconds=i * 18)
        c = consultation(
            f"balie-{i % 6 + 1}", at=at, subject=fake_insz(i),
            mode=EntryMode.MANUAL if i % 17 == 0 else EntryMode.CARD,
            outcomes={UITPAS: outcomes[i % 3], LEZ: outcomes[(i // 3) % 3]},
            failed=(SourceId.NATIONAL_REGISTER,) if i % 29 == 0 else (),
            total_ms=600.0 + (i % 50) * 20,
        )  # fmt: skip
        action = [DecisionAction.OPPORTUNITY_TARIFF_SALE, DecisionAction.NORMAL_SALE,
                  DecisionAction.LEZ_REGISTERED, DecisionAction.NO_ACTION][i % 4]  # fmt: skip
        yield c
        yield decision(c, action, overridden=i % 23 == 0, reason="document seen")


def bench_day_view(folder: Path, n: int) -> None:
    with SqliteJournalStore(folder / "day.sqlite3") as store:
        store.append_many(list(_day_entries(n)))  # type: ignore[arg-type]
        day = store.local_day(DAY_START)
        store.day_view(day)  # warm the page cache, as a supervisor's second look would
        timings = []
        for _ in range(5):
            t = time.perf_counter()
            view = store.day_view(day)
            timings.append(time.perf_counter() - t)
        t = time.perf_counter()
        filtered = store.day_view(day, EntryFilter(overridden=True, counter_id="balie-1"))
        filtered_ms = (time.perf_counter() - t) * 1000
    best, median = min(timings) * 1000, statistics.median(timings) * 1000
    print(f"day view of {len(view.entries):,} entries + figures: median {median:.0f} ms "
          f"(best {best:.0f} ms; filtered {filtered_ms:.0f} ms, {len(filtered.entries)} rows)  "
          f"goal <= 300 ms  {'OK' if median <= 300 else 'MISSED'}")  # fmt: skip


def build_chain(path: Path, n: int) -> None:
    """Write n valid chained entries in one transaction (bypassing append for speed)."""
    import sqlite3

    SqliteJournalStore(path).close()  # schema
    template = consultation("balie-1", at=DAY_START, check_id="CHECKID-000000000000000000000000")
    body_template = entry_body(template)
    summary = entry_summary(template)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    prev = GENESIS_HASH
    rows, personal = [], []
    at0 = DAY_START
    for seq in range(1, n + 1):
        check = str(uuid.UUID(int=seq))
        at = format_ts(at0 + dt.timedelta(milliseconds=seq * 30))
        day = at[:10]
        body = body_template.replace("CHECKID-000000000000000000000000", check)
        p = PersonalData(f"{seq:032x}", template.clerk.name, template.clerk.insz, fake_insz(seq))
        commitment = p.commitment()
        text = hashed_text(seq=seq, prev_hash=prev, recorded_at=at, day=day,
                           kind="consultation", check_id=check, counter_id="balie-1",
                           personal_hash=commitment, purge_before=None, body=body,
                           summary=summary)  # fmt: skip
        digest = hashlib.sha256(text.encode("ascii")).hexdigest()
        rows.append(("balie-1", seq, at, day, "consultation", check, commitment, None, body,
                     summary, prev, digest))  # fmt: skip
        personal.append((seq, p.salt, p.clerk_name, p.clerk_insz, p.subject_insz))
        prev = digest
        if len(rows) == 50_000 or seq == n:
            conn.executemany(
                "INSERT INTO journal_entries (counter_id, seq, recorded_at, day, kind, check_id,"
                " personal_hash, purge_before, body, summary, prev_hash, hash)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)  # fmt: skip
            conn.executemany("INSERT INTO journal_personal VALUES (?, ?, ?, ?, ?)", personal)
            rows, personal = [], []
    conn.execute("COMMIT")
    conn.close()


def bench_verify(folder: Path, n: int, workers: int) -> None:
    path = folder / "million.sqlite3"
    t = time.perf_counter()
    build_chain(path, n)
    built = time.perf_counter() - t
    size = path.stat().st_size / 2**20
    with SqliteJournalStore(path) as store:
        t = time.perf_counter()
        report = store.verify(workers=workers)
        elapsed = time.perf_counter() - t
    assert report.ok and report.entries_checked == n, report.problems
    goal = 10.0 * n / 1_000_000
    print(f"verify a chain of {n:,} entries ({size:,.0f} MiB, built in {built:.0f} s): "
          f"{elapsed:.1f} s ({n / elapsed:,.0f} entries/s, {workers} worker(s))  "
          f"goal <= {goal:.0f} s  "
          f"{'OK' if elapsed <= goal else 'MISSED'}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, help="where to put the databases")
    parser.add_argument("--quick", action="store_true", help="100,000 entries for verify")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="processes for the verification (default: the CPU count)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-journal-", dir=args.dir) as tmp:
        folder = Path(tmp)
        bench_appends(folder, 1000)
        bench_day_view(folder, 5000)
        bench_verify(folder, 100_000 if args.quick else 1_000_000, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
