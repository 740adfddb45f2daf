"""The journal store: the one way in and out of the log, whatever the database.

``open_journal(url)`` gives a ``JournalStore``: SQLite for one counter's own log
(the default), PostgreSQL for a log shared by all counters of a city. Both run
the same SQL through ``SqlJournalStore``; a backend only brings its connection,
its transaction and locking, its migrations and the mapping of its errors to
``JournalError``.

There is deliberately no update or delete path here: entries are appended, and
the only removal is ``purge``, which deletes rows of the personal-data table in
the same transaction as the purge entry that the database triggers demand.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import multiprocessing
from abc import ABC, abstractmethod
from collections.abc import Generator, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager, closing, contextmanager
from typing import Any, Protocol, Self
from zoneinfo import ZoneInfo

from pydantic import TypeAdapter

from counter_app.journal.chain import (
    GENESIS_HASH,
    ChainRow,
    ChainWalk,
    PersonalData,
    PurgeCover,
    entry_body,
    entry_summary,
    format_ts,
    hashed_text,
    json_text,
    row_hash,
    valid_purge,
    walk_chains,
    within_retention,
)
from counter_app.journal.errors import JournalError
from counter_app.journal.figures import day_figures, filter_rows
from counter_app.journal.models import (
    Application,
    Clerk,
    EntryKind,
    EntrySummary,
    JournalEntry,
    LoginOutcome,
    PurgeDetails,
    RevealDetails,
    SealDetails,
    StoredEntry,
    SummaryRow,
    utc_now,
)
from counter_app.journal.reports import (
    ChainProblem,
    CounterSeal,
    DayFigures,
    DaySeal,
    DayView,
    EntryFilter,
    ProblemKind,
    PurgeReport,
    VerifyReport,
)

DEFAULT_TIMEZONE = "Europe/Brussels"
PARALLEL_VERIFY_MIN_ROWS = 200_000
PARALLEL_VERIFY_MIN_CHUNK = 50_000

_ROW_COLUMNS = (
    "e.id, e.counter_id, e.seq, e.recorded_at, e.day, e.kind, e.check_id, e.personal_hash,"
    " e.purge_before, e.body, e.summary, e.prev_hash, e.hash,"
    " p.salt, p.clerk_name, p.clerk_insz, p.subject_insz"
)
_FROM = "journal_entries AS e LEFT JOIN journal_personal AS p ON p.entry_id = e.id"
_SUMMARY_COLUMNS = (
    "e.id, e.counter_id, e.seq, e.day, e.check_id, e.hash, e.summary,"
    " p.salt, p.clerk_name, p.clerk_insz, p.subject_insz"
)
# Only module constants are joined here; every value goes in as a parameter.
_SELECT_ROWS = f"SELECT {_ROW_COLUMNS} FROM {_FROM}"  # noqa: S608
_SELECT_SUMMARIES = f"SELECT {_SUMMARY_COLUMNS} FROM {_FROM}"  # noqa: S608
_NO_APPLICATION = Application()
_NO_CLERK = Clerk()


class Cursor(Protocol):
    """The DB-API cursor subset both drivers provide."""

    def execute(self, sql: str, params: Sequence[Any] = ..., /) -> Any: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...


class JournalStore(Protocol):
    """What the counter, the ``log`` commands and the supervisor view may do with the log."""

    url_for_display: str
    tz: ZoneInfo  # the counters' time zone: it decides which day an entry belongs to

    def local_day(self, instant: dt.datetime) -> dt.date: ...
    def append(self, entry: JournalEntry) -> StoredEntry: ...
    def append_many(self, entries: Sequence[JournalEntry]) -> list[StoredEntry]: ...
    def entries(self, day: dt.date, flt: EntryFilter | None = None) -> list[StoredEntry]: ...
    def entries_for_check(self, check_id: str) -> list[StoredEntry]: ...
    def decisions_about(self, subject_insz: str, since: dt.datetime) -> list[StoredEntry]: ...
    def entry(self, entry_id: int) -> StoredEntry | None: ...
    def day_figures(self, day: dt.date, counter_id: str | None = None) -> DayFigures: ...
    def day_view(self, day: dt.date, flt: EntryFilter | None = None) -> DayView: ...
    def days(self) -> list[dt.date]: ...
    def supervisor_logins(self, limit: int = ...) -> list[tuple[dt.datetime, LoginOutcome]]: ...
    def verify(
        self, day: dt.date | None = None, seal: DaySeal | None = None, *, workers: int = 1
    ) -> VerifyReport: ...
    def seal_day(
        self, counter_id: str, day: dt.date, *, application: Application = ..., clerk: Clerk = ...
    ) -> StoredEntry | None: ...
    def seal_all(self, day: dt.date, *, application: Application = ...) -> list[StoredEntry]: ...
    def export_seal(self, day: dt.date) -> DaySeal: ...
    def purge(
        self,
        before: dt.datetime,
        *,
        retention_days: int,
        counter_id: str,
        application: Application = ...,
        clerk: Clerk = ...,
    ) -> PurgeReport: ...
    def reveal_subject(
        self,
        entry_id: int,
        *,
        counter_id: str,
        clerk: Clerk,
        reason: str,
        application: Application = ...,
    ) -> str | None: ...
    def close(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: object) -> None: ...


def _stored_json(row: Sequence[Any]) -> str:
    """A row as the JSON of a ``StoredEntry``, personal fields spliced into the body.

    Validating one JSON document per day in pydantic-core is several times faster
    than json.loads + model_validate per entry; the day view reads 5,000 of them.
    """
    r = ChainRow(*row)
    entry = r.body
    if r.salt is not None:
        entry = (
            f'{entry[:-1]},"clerk":{{"insz":{json_text(r.clerk_insz)},'
            f'"name":{json_text(r.clerk_name)}}},"subject_insz":{json_text(r.subject_insz)}}}'
        )
    return (
        f'{{"id":{int(r.id)},"counter_id":{json_text(r.counter_id)},"seq":{int(r.seq)},'
        f'"day":{json_text(r.day)},"prev_hash":{json_text(r.prev_hash)},'
        f'"hash":{json_text(r.hash)},"personal_purged":{"true" if r.salt is None else "false"},'
        f'"entry":{entry}}}'
    )


_STORED_LIST: TypeAdapter[list[StoredEntry]] = TypeAdapter(list[StoredEntry])
_SUMMARY_LIST: TypeAdapter[list[SummaryRow]] = TypeAdapter(list[SummaryRow])


def _summary_json(row: Sequence[Any]) -> str:
    rid, counter, seq, day, check, digest, summary, salt, name, insz, subject = row
    purged = salt is None
    return (
        f'{{"id":{int(rid)},"counter_id":{json_text(counter)},"seq":{int(seq)},'
        f'"day":{json_text(day)},"check_id":{json_text(check)},"hash":{json_text(digest)},'
        f'"personal_purged":{"true" if purged else "false"},'
        f'"clerk_name":{json_text(None if purged else name)},'
        f'"clerk_insz":{json_text(None if purged else insz)},'
        f'"subject_insz":{json_text(None if purged else subject)},"summary":{summary}}}'
    )


def _summaries(rows: Iterable[Sequence[Any]]) -> list[SummaryRow]:
    text = "[" + ",".join(_summary_json(r) for r in rows) + "]"
    with _gc_paused():
        return _SUMMARY_LIST.validate_json(text)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Parsing thousands of entries allocates tens of thousands of objects that all
    survive; the cyclic collector would rescan them again and again (it tripled the
    day view's time in the benchmark). They hold no cycles, so pause it meanwhile."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _stored_all(rows: Iterable[Sequence[Any]]) -> list[StoredEntry]:
    text = "[" + ",".join(_stored_json(r) for r in rows) + "]"
    with _gc_paused():
        return _STORED_LIST.validate_json(text)


def _stored(row: Sequence[Any]) -> StoredEntry:
    return StoredEntry.model_validate_json(_stored_json(row))


def _verify_range(
    job: tuple[str, dict[str, Any], tuple[tuple[int, str], ...], str, int, int],
) -> tuple[int, Any]:
    """One worker's share of a full verification (runs in another process)."""
    url, options, purges, counter_id, lo, hi = job
    with open_journal(url, **options) as store:
        walk = store._walk_range(counter_id, lo, hi, PurgeCover.of(purges))
    return walk.checked, walk.problem


class SqlJournalStore(ABC):
    """Shared SQL logic; subclasses bring connection, transactions and error mapping."""

    url_for_display: str = ""

    def __init__(self, *, timezone: str = DEFAULT_TIMEZONE) -> None:
        self.tz = ZoneInfo(timezone)
        # how a worker process opens the same journal; None: it cannot (in-memory)
        self._reopen: tuple[str, dict[str, Any]] | None = None

    # -- backend hooks ----------------------------------------------------------------

    @abstractmethod
    def _write(self, counters: Sequence[str]) -> AbstractContextManager[Cursor]:
        """A write transaction holding the locks on these counters' chains; commits on exit.

        Must raise ``JournalError`` (never a driver error) and roll back on failure.
        """

    @abstractmethod
    def _read(self) -> AbstractContextManager[Cursor]:
        """A read-only, consistent snapshot."""

    @abstractmethod
    def _stream(self, sql: str, params: Sequence[Any]) -> Generator[Sequence[Any], None, None]:
        """Rows of a big query without holding them all in memory."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        """The highest migration applied (0: none)."""
        with self._read() as cur:
            cur.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version")
            return int(cur.fetchone()[0])

    # -- appending ------------------------------------------------------------------

    def local_day(self, instant: dt.datetime) -> dt.date:
        return instant.astimezone(self.tz).date()

    def append(self, entry: JournalEntry) -> StoredEntry:
        """Add one entry; returns only once it is committed (durable).

        Raises ``JournalError`` when it was not recorded. Before the first entry
        of a new day, the counter's previous day is sealed in the same transaction.
        """
        return self.append_many([entry])[0]

    def append_many(self, entries: Sequence[JournalEntry]) -> list[StoredEntry]:
        """Add entries of one or more counters atomically: all are recorded or none."""
        if not entries:
            return []
        with self._write(sorted({e.counter_id for e in entries})) as cur:
            return [self._append_locked(cur, entry, auto_seal=True) for entry in entries]

    def _head(self, cur: Cursor, counter_id: str) -> tuple[int, str, str, str]:
        cur.execute(
            "SELECT seq, hash, day, kind FROM journal_entries WHERE counter_id = ?"
            " ORDER BY seq DESC LIMIT 1",
            (counter_id,),
        )
        row = cur.fetchone()
        if row is None:
            return 0, GENESIS_HASH, "", ""
        return int(row[0]), str(row[1]), str(row[2]), str(row[3])

    def _append_locked(self, cur: Cursor, entry: JournalEntry, *, auto_seal: bool) -> StoredEntry:
        seq, prev, head_day, head_kind = self._head(cur, entry.counter_id)
        day = entry.seal.day if entry.seal is not None else self.local_day(entry.recorded_at)
        if auto_seal and head_day and head_day < day.isoformat() and head_kind != EntryKind.SEAL:
            seal = self._seal_entry(
                cur,
                entry.counter_id,
                dt.date.fromisoformat(head_day),
                entry.application,
                Clerk(),
            )
            if seal is not None:
                self._insert(cur, seal, seq + 1, prev)
                seq, prev, _, _ = self._head(cur, entry.counter_id)
        return self._insert(cur, entry, seq + 1, prev)

    def _insert(self, cur: Cursor, entry: JournalEntry, seq: int, prev: str) -> StoredEntry:
        body = entry_body(entry)
        summary = entry_summary(entry)
        personal = PersonalData.of(entry)
        personal_hash = personal.commitment()
        at = format_ts(entry.recorded_at)
        day = entry.seal.day if entry.seal is not None else self.local_day(entry.recorded_at)
        purge_before = format_ts(entry.purge.before) if entry.purge is not None else None
        text = hashed_text(
            seq=seq,
            prev_hash=prev,
            recorded_at=at,
            day=day.isoformat(),
            kind=entry.kind.value,
            check_id=entry.check_id,
            counter_id=entry.counter_id,
            personal_hash=personal_hash,
            purge_before=purge_before,
            body=body,
            summary=summary,
        )
        digest = hashlib.sha256(text.encode("ascii")).hexdigest()
        cur.execute(
            "INSERT INTO journal_entries (counter_id, seq, recorded_at, day, kind, check_id,"
            " personal_hash, purge_before, body, summary, prev_hash, hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                entry.counter_id,
                seq,
                at,
                day.isoformat(),
                entry.kind.value,
                entry.check_id,
                personal_hash,
                purge_before,
                body,
                summary,
                prev,
                digest,
            ),
        )
        entry_id = int(cur.fetchone()[0])
        cur.execute(
            "INSERT INTO journal_personal (entry_id, salt, clerk_name, clerk_insz, subject_insz)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                entry_id,
                personal.salt,
                personal.clerk_name,
                personal.clerk_insz,
                personal.subject_insz,
            ),
        )
        return StoredEntry(
            id=entry_id,
            counter_id=entry.counter_id,
            seq=seq,
            day=day,
            prev_hash=prev,
            hash=digest,
            personal_purged=False,
            entry=entry,
        )

    # -- seals --------------------------------------------------------------------------

    def _seal_entry(
        self,
        cur: Cursor,
        counter_id: str,
        day: dt.date,
        application: Application,
        clerk: Clerk,
    ) -> JournalEntry | None:
        cur.execute(
            "SELECT MIN(seq), MAX(seq), COUNT(*) FROM journal_entries"
            " WHERE counter_id = ? AND day = ? AND kind <> 'seal'",
            (counter_id, day.isoformat()),
        )
        first, last, count = cur.fetchone()
        if not count:
            return None
        cur.execute(
            "SELECT hash FROM journal_entries WHERE counter_id = ? AND seq = ?", (counter_id, last)
        )
        last_hash = str(cur.fetchone()[0])
        return JournalEntry(
            kind=EntryKind.SEAL,
            counter_id=counter_id,
            application=application,
            clerk=clerk,
            seal=SealDetails(
                day=day,
                first_seq=int(first),
                last_seq=int(last),
                last_hash=last_hash,
                entries=int(count),
            ),
        )

    def seal_day(
        self,
        counter_id: str,
        day: dt.date,
        *,
        application: Application = _NO_APPLICATION,
        clerk: Clerk = _NO_CLERK,
    ) -> StoredEntry | None:
        """Append the seal of ``counter_id``'s ``day``; None when there is nothing new to seal."""
        with self._write([counter_id]) as cur:
            seq, prev, _, _ = self._head(cur, counter_id)
            cur.execute(
                "SELECT MAX(seq) FROM journal_entries WHERE counter_id = ? AND day = ?"
                " AND kind = 'seal'",
                (counter_id, day.isoformat()),
            )
            sealed_upto = cur.fetchone()[0]
            seal = self._seal_entry(cur, counter_id, day, application, clerk)
            if seal is None or seal.seal is None:
                return None
            if sealed_upto is not None and int(sealed_upto) > seal.seal.last_seq:
                return None
            return self._insert(cur, seal, seq + 1, prev)

    def seal_all(
        self, day: dt.date, *, application: Application = _NO_APPLICATION
    ) -> list[StoredEntry]:
        """Seal ``day`` for every counter that has entries on it."""
        with self._read() as cur:
            cur.execute(
                "SELECT DISTINCT counter_id FROM journal_entries WHERE day = ? ORDER BY counter_id",
                (day.isoformat(),),
            )
            counters = [str(r[0]) for r in cur.fetchall()]
        sealed = [self.seal_day(c, day, application=application) for c in counters]
        return [s for s in sealed if s is not None]

    def export_seal(self, day: dt.date) -> DaySeal:
        """The latest seal of each counter for ``day``, to keep outside the database."""
        counters: list[CounterSeal] = []
        with self._read() as cur:
            cur.execute(
                "SELECT counter_id, seq, hash, body FROM journal_entries"
                " WHERE day = ? AND kind = 'seal' ORDER BY counter_id, seq",
                (day.isoformat(),),
            )
            latest: dict[str, tuple[int, str, str]] = {}
            for counter_id, seq, digest, body in cur.fetchall():
                latest[str(counter_id)] = (int(seq), str(digest), str(body))
        for counter_id, (seq, digest, body) in sorted(latest.items()):
            details = SealDetails.model_validate(json.loads(body)["seal"])
            counters.append(
                CounterSeal(
                    counter_id=counter_id,
                    seal_seq=seq,
                    seal_hash=digest,
                    first_seq=details.first_seq,
                    last_seq=details.last_seq,
                    last_hash=details.last_hash,
                    entries=details.entries,
                )
            )
        return DaySeal(day=day, exported_at=utc_now(), counters=tuple(counters))

    # -- reading --------------------------------------------------------------------------

    def entries(self, day: dt.date, flt: EntryFilter | None = None) -> list[StoredEntry]:
        """A day's full entries of all counters, in time order, filtered (e.g. for export)."""
        with self._read() as cur:
            counter_id = flt.counter_id if flt else None
            rows = self._day_rows(cur, _SELECT_ROWS, day, counter_id)
            if flt is not None:
                wanted = {r.id for r in filter_rows(self._summary_rows(cur, day, counter_id), flt)}
                rows = [r for r in rows if r[0] in wanted]
        return _stored_all(rows)

    def _day_rows(
        self, cur: Cursor, select: str, day: dt.date, counter_id: str | None
    ) -> list[Any]:
        sql = select + " WHERE e.day = ?"
        params: list[Any] = [day.isoformat()]
        if counter_id is not None:
            sql += " AND e.counter_id = ?"
            params.append(counter_id)
        cur.execute(sql + " ORDER BY e.recorded_at, e.counter_id, e.seq", params)
        return cur.fetchall()

    def _summary_rows(self, cur: Cursor, day: dt.date, counter_id: str | None) -> list[SummaryRow]:
        return _summaries(self._day_rows(cur, _SELECT_SUMMARIES, day, counter_id))

    def entries_for_check(self, check_id: str) -> list[StoredEntry]:
        with self._read() as cur:
            cur.execute(
                _SELECT_ROWS + " WHERE e.check_id = ? ORDER BY e.recorded_at, e.seq",
                (check_id,),
            )
            rows = cur.fetchall()
        return _stored_all(rows)

    def decisions_about(self, subject_insz: str, since: dt.datetime) -> list[StoredEntry]:
        """This person's decision entries recorded since ``since``, oldest first.

        For "is an uncertain UiTPAS registration of ours still open for them?": one
        indexed pass over the recent entries instead of reading whole days.
        """
        with self._read() as cur:
            cur.execute(
                _SELECT_ROWS + " WHERE e.kind = 'decision' AND e.recorded_at >= ?"
                " AND p.subject_insz = ? ORDER BY e.recorded_at, e.seq",
                (format_ts(since), subject_insz),
            )
            rows = cur.fetchall()
        return _stored_all(rows)

    def entry(self, entry_id: int) -> StoredEntry | None:
        with self._read() as cur:
            cur.execute(_SELECT_ROWS + " WHERE e.id = ?", (entry_id,))
            row = cur.fetchone()
        return None if row is None else _stored(row)

    def supervisor_logins(self, limit: int = 500) -> list[tuple[dt.datetime, LoginOutcome]]:
        """The latest supervisor login attempts of all counters, newest first.

        The delay after wrong passphrases is counted from these: unlike a file in the
        clerk's own folder, the log cannot be reset by deleting something. Attempts
        refused during a delay (``locked``) are left out in the query: they are logged
        at will, and 500 of them would otherwise push the wrong passphrases out of
        sight (the summary is canonical, chained JSON, so the match is exact).
        """
        with self._read() as cur:
            cur.execute(
                "SELECT summary FROM journal_entries WHERE kind = 'supervisor_login'"
                " AND summary NOT LIKE ? ORDER BY recorded_at DESC LIMIT ?",
                (f'%"login":"{LoginOutcome.LOCKED.value}"%', limit),
            )
            found: list[tuple[dt.datetime, LoginOutcome]] = []
            for (summary,) in cur.fetchall():
                s = EntrySummary.model_validate_json(summary)
                if s.login is not None:
                    found.append((s.recorded_at, s.login))
        return found

    def days(self) -> list[dt.date]:
        with self._read() as cur:
            cur.execute("SELECT DISTINCT day FROM journal_entries ORDER BY day")
            return [dt.date.fromisoformat(str(r[0])) for r in cur.fetchall()]

    def day_figures(self, day: dt.date, counter_id: str | None = None) -> DayFigures:
        with self._read() as cur:
            rows = self._summary_rows(cur, day, counter_id)
        return day_figures(day, rows, self.tz)

    def day_view(self, day: dt.date, flt: EntryFilter | None = None) -> DayView:
        """The supervisor's day: summary rows (filtered) and the figures of the whole day
        (or of the filtered counter), from one snapshot. ``entry(row.id)`` opens a row."""
        with self._read() as cur:
            everything = self._summary_rows(cur, day, flt.counter_id if flt else None)
        return DayView(
            day=day,
            entries=tuple(filter_rows(everything, flt)),
            figures=day_figures(day, everything, self.tz),
        )

    # -- verification -------------------------------------------------------------------

    def verify(
        self, day: dt.date | None = None, seal: DaySeal | None = None, *, workers: int = 1
    ) -> VerifyReport:
        """Recompute the chains (all, or one day's part) and name the first broken entry.

        A full check of a big journal (from 200,000 entries on) can be split over
        ``workers`` processes: each walks a range of a counter's chain from the
        stored hash just before it, so together they check exactly what one walk
        would. Workers are *spawned*, so the program's main module must be
        import-safe (``if __name__ == "__main__"``); the ``log verify`` command is.

        With ``seal`` (exported earlier and kept elsewhere) it also checks that
        the sealed entries are still there with the same hashes, which catches a
        chain rewritten from some point on, hashes and all.
        """
        if day is None:
            walks = self._verify_all(workers)
            problems = [w.problem for w in walks if w.problem is not None]
        else:
            walks, problems = self._verify_day(day)
        if seal is not None:
            problems.extend(self._check_seal(seal))
        return VerifyReport(
            day=day,
            entries_checked=sum(w.checked for w in walks),
            counters=tuple(w.counter_id for w in walks),
            problems=tuple(problems),
        )

    def _verify_all(self, workers: int) -> list[ChainWalk]:
        with self._read() as cur:
            cur.execute(
                "SELECT counter_id, MIN(seq), MAX(seq), COUNT(*) FROM journal_entries"
                " GROUP BY counter_id ORDER BY counter_id"
            )
            spans = [(str(c), int(lo), int(hi), int(n)) for c, lo, hi, n in cur.fetchall()]
            cover = self._purge_cover(cur)
        total = sum(n for *_, n in spans)
        if workers <= 1 or total < PARALLEL_VERIFY_MIN_ROWS or self._reopen is None:
            return [self._walk_range(c, min(lo, 1), hi, cover) for c, lo, hi, _ in spans]
        chunk = max(PARALLEL_VERIFY_MIN_CHUNK, total // (workers * 2) + 1)
        jobs: list[tuple[str, int, int]] = []
        for counter, lo, hi, _ in spans:
            start = min(lo, 1)
            while start <= hi:
                end = hi if hi - start + 1 < chunk * 3 // 2 else start + chunk - 1
                jobs.append((counter, start, end))
                start = end + 1
        url, options = self._reopen
        context = multiprocessing.get_context("spawn")  # no fork of a process with threads
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            parts = list(
                pool.map(_verify_range, [(url, options, cover.purges, *job) for job in jobs])
            )
        merged: dict[str, ChainWalk] = {}
        for (counter, _, _), (checked, problem) in zip(jobs, parts, strict=True):
            walk = merged.setdefault(counter, ChainWalk(counter))
            if walk.problem is None:
                walk.checked += checked
                walk.problem = problem
        return list(merged.values())

    def _purge_cover(self, cur: Cursor) -> PurgeCover:
        """The valid purge entries of all counters (a purge removes every counter's data)."""
        cur.execute(_SELECT_ROWS + " WHERE e.kind = 'purge' ORDER BY e.id")
        now = utc_now()
        rows = [ChainRow(*r) for r in cur.fetchall()]
        return PurgeCover.of(
            (r.id, r.purge_before) for r in rows if r.purge_before and valid_purge(r, now)
        )

    def _walk_range(self, counter_id: str, lo: int, hi: int, cover: PurgeCover) -> ChainWalk:
        """Walk ``counter_id``'s entries lo..hi, anchored on the stored entry lo-1."""
        walk = ChainWalk(counter_id, expected_seq=max(lo, 1), cover=cover)
        if lo > 1:
            with self._read() as cur:
                before = self._row_at(cur, counter_id, lo - 1)
            if before is None:
                walk.anchor_missing = True
            else:
                walk.last_hash = before.hash  # checked by the walk of the range before
        rows = self._stream(
            _SELECT_ROWS + " WHERE e.counter_id = ? AND e.seq >= ? AND e.seq <= ? ORDER BY e.seq",
            (counter_id, lo, hi),
        )
        with closing(rows):  # ends the read transaction even when stopping early
            walk.feed_many(rows)
        if walk.pending_seals:
            with self._read() as cur:
                for seal_row, seq, named_hash in walk.pending_seals:
                    named = self._row_at(cur, counter_id, seq)
                    walk.settle_seal(seal_row, None if named is None else named.hash, named_hash)
        return walk

    def _verify_day(self, day: dt.date) -> tuple[list[Any], list[ChainProblem]]:
        problems: list[ChainProblem] = []
        anchors: dict[str, tuple[int, str]] = {}
        with self._read() as cur:
            cur.execute(
                _SELECT_ROWS + " WHERE e.day = ? ORDER BY e.counter_id, e.seq",
                (day.isoformat(),),
            )
            rows = [ChainRow(*r) for r in cur.fetchall()]
            cover = self._purge_cover(cur)
            firsts: dict[str, ChainRow] = {}
            for r in rows:
                firsts.setdefault(r.counter_id, r)
            for counter_id, first in firsts.items():
                if first.seq <= 1:
                    continue
                before = self._row_at(cur, counter_id, first.seq - 1)
                if before is not None and row_hash(before) == before.hash:
                    anchors[counter_id] = (before.seq, before.hash)
                elif before is not None:
                    problems.append(
                        ChainProblem(
                            counter_id=counter_id,
                            seq=before.seq,
                            entry_id=before.id,
                            kind=ProblemKind.HASH_MISMATCH,
                            message=f"entry #{before.seq} was changed after it was written",
                        )
                    )
                else:
                    anchors[counter_id] = (first.seq - 1, first.prev_hash)
                    problems.append(
                        ChainProblem(
                            counter_id=counter_id,
                            seq=first.seq,
                            entry_id=first.id,
                            kind=ProblemKind.SEQUENCE_GAP,
                            message=f"entry #{first.seq - 1} is missing before #{first.seq}",
                        )
                    )
            broken = {p.counter_id for p in problems}
            walks = list(
                walk_chains((r for r in rows if r.counter_id not in broken), anchors, cover)
            )
            for w in walks:
                if w.problem is not None:
                    problems.append(w.problem)
                    continue
                after = self._row_at(cur, w.counter_id, w.expected_seq)
                if after is not None and after.prev_hash != w.last_hash:
                    problems.append(
                        ChainProblem(
                            counter_id=w.counter_id,
                            seq=after.seq,
                            entry_id=after.id,
                            kind=ProblemKind.PREV_LINK_MISMATCH,
                            message=f"entry #{after.seq} does not link to the day's last entry",
                        )
                    )
        return walks, problems

    def _row_at(self, cur: Cursor, counter_id: str, seq: int) -> ChainRow | None:
        cur.execute(
            _SELECT_ROWS + " WHERE e.counter_id = ? AND e.seq = ?",
            (counter_id, seq),
        )
        row = cur.fetchone()
        return None if row is None else ChainRow(*row)

    def _check_seal(self, seal: DaySeal) -> list[ChainProblem]:
        problems: list[ChainProblem] = []
        with self._read() as cur:
            for s in seal.counters:
                for seq, digest in ((s.seal_seq, s.seal_hash), (s.last_seq, s.last_hash)):
                    row = self._row_at(cur, s.counter_id, seq)
                    if row is None or row.hash != digest or row_hash(row) != digest:
                        problems.append(
                            ChainProblem(
                                counter_id=s.counter_id,
                                seq=seq,
                                entry_id=None if row is None else row.id,
                                kind=ProblemKind.SEAL_MISMATCH,
                                message=f"entry #{seq} is missing or differs from the "
                                f"exported seal of {seal.day.isoformat()}",
                            )
                        )
                        break
        return problems

    # -- retention and reveal -----------------------------------------------------------

    def purge(
        self,
        before: dt.datetime,
        *,
        retention_days: int,
        counter_id: str,
        application: Application = _NO_APPLICATION,
        clerk: Clerk = _NO_CLERK,
    ) -> PurgeReport:
        """Delete personal data of entries recorded before ``before``, logging the purge.

        The purge entry and the deletions commit together, so there is never a
        removal without its trace, nor a trace of a removal that did not happen.
        """
        entry = JournalEntry(
            kind=EntryKind.PURGE,
            counter_id=counter_id,
            application=application,
            clerk=clerk,
            purge=PurgeDetails(before=before, retention_days=retention_days),
        )
        limit = format_ts(before)
        if not within_retention(limit, entry.recorded_at, retention_days):
            # the database refuses such a purge too (migration 0002); say why here
            raise JournalError(
                "a purge keeps at least a day and cannot remove data younger than its retention"
                " period"
            )
        with self._write([counter_id]) as cur:
            cur.execute(
                "SELECT COUNT(*) FROM journal_personal WHERE entry_id IN"
                " (SELECT id FROM journal_entries WHERE recorded_at < ?)",
                (limit,),
            )
            count = int(cur.fetchone()[0])
            if count == 0:
                return PurgeReport(before=before, entries_purged=0, purge_entry_id=None)
            stored = self._append_locked(cur, entry, auto_seal=True)
            cur.execute(
                "DELETE FROM journal_personal WHERE entry_id IN"
                " (SELECT id FROM journal_entries WHERE recorded_at < ?)",
                (limit,),
            )
        return PurgeReport(before=before, entries_purged=count, purge_entry_id=stored.id)

    def reveal_subject(
        self,
        entry_id: int,
        *,
        counter_id: str,
        clerk: Clerk,
        reason: str,
        application: Application = _NO_APPLICATION,
    ) -> str | None:
        """Log that ``clerk`` looked at the unmasked subject INSZ, then return it.

        Logging comes first: if the reveal cannot be recorded, it raises and
        nothing is shown. None when the entry has no subject or it was purged.
        """
        target = self.entry(entry_id)
        if target is None or target.entry.subject_insz is None:
            return None
        self.append(
            JournalEntry(
                kind=EntryKind.REVEAL,
                counter_id=counter_id,
                application=application,
                clerk=clerk,
                subject_insz=target.entry.subject_insz,
                check_id=target.entry.check_id,
                reveal=RevealDetails(entry_id=entry_id, reason=reason),
            )
        )
        return target.entry.subject_insz


# The oldest schema the reading code understands as it is. Migration 2 only added guards
# (triggers, indexes): version-1 tables read the same, so an auditor's evidence copy
# made before it can be checked without being changed. Raise this when a migration
# changes what is read.
OLDEST_READABLE_SCHEMA = 1


def schema_is_current(found: int, expected: int) -> None:
    """A read-only open cannot migrate: a journal it cannot read as it is is refused."""
    if found > expected:
        raise JournalError(
            f"the journal's schema is version {found}, newer than this program's ({expected}): "
            "use the program version that wrote it"
        )
    if found < OLDEST_READABLE_SCHEMA:
        raise JournalError(
            f"the journal's schema is version {found}, older than this program can read "
            f"({OLDEST_READABLE_SCHEMA}); it is upgraded the next time a counter or a writing "
            "command (log seal, log purge) opens it — or work on an upgraded copy"
        )


def open_journal(url: str, **options: Any) -> SqlJournalStore:
    """Open (and migrate) the journal at ``url``: ``postgresql://…`` or ``sqlite:///path``.

    A plain file path is taken as SQLite. Options go to the backend (e.g.
    ``busy_timeout`` in seconds, ``timezone``, ``read_only``: no write lock and no
    migration, for commands that only read).
    """
    if url.startswith(("postgresql://", "postgres://")):
        from counter_app.journal.postgres_store import PostgresJournalStore

        return PostgresJournalStore(url, **options)
    from counter_app.journal.sqlite_store import SqliteJournalStore

    if url.startswith("sqlite://"):
        return SqliteJournalStore(_sqlite_path(url), **options)
    if "://" in url:
        raise JournalError("unsupported journal URL: use postgresql://… or sqlite:///path")
    return SqliteJournalStore(url, **options)


def _sqlite_path(url: str) -> str:
    """``sqlite:///var/lib/loket/journal.sqlite3`` → ``/var/lib/loket/journal.sqlite3``."""
    path = url.removeprefix("sqlite://")
    if path.startswith("//"):  # sqlite:////abs/path, as SQLAlchemy writes it
        path = path[1:]
    if not path.startswith("/"):
        raise JournalError("a SQLite journal URL looks like sqlite:///path/to/journal.sqlite3")
    return path


__all__ = ["JournalError", "JournalStore", "SqlJournalStore", "open_journal"]
