"""Removing personal data or rewriting entries behind the application's back.

The audit of the journal found two ways around the append-only rules that needed
no trigger to be dropped: a correctly hashed purge entry dated in the future (on a
made-up counter) let any personal row be deleted and ``verify`` called the hole a
purge; and SQLite's INSERT OR REPLACE deletes the row it replaces without firing
DELETE triggers. Both run here on SQLite and on a real PostgreSQL server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from counter_app.journal.chain import ChainRow, row_hash
from counter_app.journal.errors import JournalError
from counter_app.journal.models import EntryKind, JournalEntry, PurgeDetails
from counter_app.journal.reports import ProblemKind
from counter_app.journal.retention import purge_personal_data
from counter_app.journal.store import SqlJournalStore
from tests.journal.builders import consultation, decision, fake_insz
from tests.journal.raw import RawDb

COLUMNS = ("id, counter_id, seq, recorded_at, day, kind, check_id, personal_hash, purge_before, "
           "body, summary, prev_hash, hash")  # fmt: skip


def _purge(counter: str, at: dt.datetime, before: dt.datetime, days: int = 1) -> JournalEntry:
    return JournalEntry(
        kind=EntryKind.PURGE,
        counter_id=counter,
        recorded_at=at,
        purge=PurgeDetails(before=before, retention_days=days),
    )


def _recent(store: SqlJournalStore) -> list[int]:
    now = dt.datetime.now(dt.UTC)
    cons = [consultation(at=now - dt.timedelta(hours=2, minutes=-i), subject=fake_insz(i))
            for i in range(3)]  # fmt: skip
    return [s.id for s in store.append_many([e for c in cons for e in (c, decision(c))])]


@pytest.fixture
def raw(journal_url: str) -> Iterator[RawDb]:
    db = RawDb(journal_url)
    yield db
    db.close()


def test_a_purge_dated_in_the_future_is_refused_and_removes_nothing(
    store: SqlJournalStore, raw: RawDb
) -> None:
    ids = _recent(store)
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=365)
    with pytest.raises(JournalError, match="purge"):
        store.append(_purge("zz-new", future, future - dt.timedelta(seconds=1)))
    with pytest.raises(raw.errors):
        raw.execute("DELETE FROM journal_personal WHERE entry_id = ?", (ids[-1],))
    assert store.verify().ok


def test_a_purge_reaching_past_its_retention_period_is_refused(store: SqlJournalStore) -> None:
    now = dt.datetime.now(dt.UTC)
    with pytest.raises(JournalError, match="purge"):
        store.append(_purge("zz-new", now, now - dt.timedelta(days=1), days=30))


def test_a_purge_without_retention_is_refused_and_removes_nothing(
    store: SqlJournalStore, raw: RawDb
) -> None:
    """Retention 0 on a made-up counter let anyone erase every INSZ, today's included."""
    ids = _recent(store)
    now = dt.datetime.now(dt.UTC)
    with pytest.raises(JournalError, match="purge"):
        store.append(_purge("zz-new", now, now - dt.timedelta(seconds=1), days=0))
    with pytest.raises(raw.errors):
        raw.execute("DELETE FROM journal_personal WHERE entry_id = ?", (ids[-1],))
    with pytest.raises(ValueError, match="at least"):
        purge_personal_data(store, 0, counter_id="balie-9", now=now)
    assert store.verify().ok


def test_a_purge_only_removes_what_was_there_before_it_and_only_right_after_it(
    store: SqlJournalStore, raw: RawDb
) -> None:
    """An honest-looking purge on a new counter does not open the door to later entries,
    nor stay usable once its counter has moved on."""
    old = store.append(consultation(at=dt.datetime.now(dt.UTC) - dt.timedelta(days=40)))
    now = dt.datetime.now(dt.UTC)
    store.append(_purge("zz-new", now, now - dt.timedelta(days=1, seconds=1)))
    later = store.append(consultation(at=now - dt.timedelta(days=2)))  # appended after it
    with pytest.raises(raw.errors):
        raw.execute("DELETE FROM journal_personal WHERE entry_id = ?", (later.id,))
    store.append(consultation("zz-new", at=now))  # the purge is no longer its counter's last
    with pytest.raises(raw.errors):
        raw.execute("DELETE FROM journal_personal WHERE entry_id = ?", (old.id,))


def test_a_real_purge_still_works_and_verifies(store: SqlJournalStore) -> None:
    now = dt.datetime.now(dt.UTC)
    old = store.append(consultation(at=now - dt.timedelta(days=40)))
    report = purge_personal_data(store, 30, counter_id="balie-9", now=now)
    assert report.entries_purged == 1
    again = store.entry(old.id)
    assert again is not None and again.personal_purged
    assert store.verify().ok
    assert store.verify(again.day).ok


@pytest.mark.parametrize("day", [False, True], ids=["full", "day"])
def test_verify_names_personal_data_deleted_without_a_covering_purge(
    store: SqlJournalStore, raw: RawDb, day: bool
) -> None:
    ids = _recent(store)
    raw.drop_guards()
    raw.execute("DELETE FROM journal_personal WHERE entry_id = ?", (ids[3],))
    stored = store.entry(ids[3])
    assert stored is not None
    report = store.verify(stored.day if day else None)
    assert [(p.seq, p.kind) for p in report.problems] == [(4, ProblemKind.PERSONAL_DATA_MISSING)]


@pytest.mark.parametrize(
    "purge_of",
    [
        # dated in the future, on a counter nobody uses (the audit's attack)
        lambda now: _purge("zz-new", now + dt.timedelta(days=365), now + dt.timedelta(days=364)),
        # its range reaches past its own retention period
        lambda now: _purge("zz-new", now, now, days=30),
        # no retention at all: everything up to now, today's checks included
        lambda now: _purge("zz-new", now, now - dt.timedelta(seconds=1), days=0),
    ],
    ids=["future", "past-retention", "zero-retention"],
)
def test_verify_does_not_take_a_forged_purge_for_a_real_one(
    store: SqlJournalStore, raw: RawDb, purge_of: object
) -> None:
    ids = _recent(store)
    raw.drop_guards()  # the triggers would refuse the purge row itself
    store.append(purge_of(dt.datetime.now(dt.UTC)))  # type: ignore[operator]
    raw.execute("DELETE FROM journal_personal WHERE entry_id = ?", (ids[-1],))
    report = store.verify()
    assert [(p.counter_id, p.seq, p.kind) for p in report.problems] == [
        ("balie-1", 6, ProblemKind.PERSONAL_DATA_MISSING)
    ]


def test_verify_does_not_let_a_purge_cover_entries_appended_after_it(
    store: SqlJournalStore, raw: RawDb
) -> None:
    now = dt.datetime.now(dt.UTC)
    store.append(_purge("zz-new", now, now - dt.timedelta(days=1)))
    later = store.append(consultation(at=now - dt.timedelta(days=2)))  # older time, later row
    raw.drop_guards()
    raw.execute("DELETE FROM journal_personal WHERE entry_id = ?", (later.id,))
    report = store.verify()
    assert [(p.seq, p.kind) for p in report.problems] == [(1, ProblemKind.PERSONAL_DATA_MISSING)]


def test_insert_or_replace_cannot_rewrite_an_entry(store: SqlJournalStore, raw: RawDb) -> None:
    """SQLite's REPLACE deletes the old row without DELETE triggers; PostgreSQL's
    ON CONFLICT DO UPDATE is an update. Both are refused, triggers untouched."""
    ids = _recent(store)
    row = list(raw.execute(f"SELECT {COLUMNS} FROM journal_entries WHERE id = ?", (ids[-1],))[0])
    row[9] = row[9].replace("opportunity_tariff_sale", "normal_sale")
    row[10] = row[10].replace("opportunity_tariff_sale", "normal_sale")
    row[12] = row_hash(ChainRow(*row))
    marks = ", ".join("?" * len(row))
    personal = raw.execute(
        "SELECT entry_id, salt, clerk_name, clerk_insz, subject_insz FROM journal_personal"
        " WHERE entry_id = ?",
        (ids[-1],),
    )[0]
    if raw.postgres:
        sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in ("body", "summary", "hash"))
        attempts = [
            (f"INSERT INTO journal_entries ({COLUMNS}) VALUES ({marks})"
             f" ON CONFLICT (id) DO UPDATE SET {sets}", row),
            ("INSERT INTO journal_personal (entry_id, salt, clerk_name, clerk_insz, subject_insz)"
             " VALUES (?, ?, ?, ?, NULL) ON CONFLICT (entry_id) DO UPDATE"
             " SET subject_insz = EXCLUDED.subject_insz", personal[:4]),
        ]  # fmt: skip
    else:
        attempts = [
            (f"INSERT OR REPLACE INTO journal_entries ({COLUMNS}) VALUES ({marks})", row),
            (f"REPLACE INTO journal_entries ({COLUMNS}) VALUES ({marks})",
             [None, *row[1:]]),  # a new id, the same (counter, seq)
            ("INSERT OR REPLACE INTO journal_personal"
             " (entry_id, salt, clerk_name, clerk_insz, subject_insz) VALUES (?, ?, ?, ?, NULL)",
             personal[:4]),
        ]  # fmt: skip
    for sql, params in attempts:
        with pytest.raises(raw.errors):
            raw.execute(sql, params)
    again = store.entry(ids[-1])
    assert again is not None and again.entry.decision is not None
    assert again.entry.decision.action.value == "opportunity_tariff_sale"
    assert again.entry.subject_insz is not None
    assert store.verify().ok
