"""Tampering behind the application's back: verify must name the first broken entry."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest

from counter_app.journal.chain import ChainRow, hashed_text, row_hash
from counter_app.journal.reports import ProblemKind
from counter_app.journal.store import SqlJournalStore
from tests.journal.builders import consultation, decision, fake_insz
from tests.journal.raw import RawDb

NOON = dt.datetime(2026, 3, 10, 11, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 3, 10)
COLUMNS = ("counter_id, seq, recorded_at, day, kind, check_id, personal_hash, purge_before, body, "
           "summary, prev_hash, hash")  # fmt: skip


def _fill(store: SqlJournalStore, n: int = 6) -> None:
    cons = [consultation(at=NOON + dt.timedelta(minutes=i), subject=fake_insz(i))
            for i in range(n // 2)]  # fmt: skip
    store.append_many([e for c in cons for e in (c, decision(c))])
    store.append(consultation("balie-2", at=NOON))  # another counter's chain stays intact


@pytest.fixture
def raw(journal_url: str):  # type: ignore[no-untyped-def]
    db = RawDb(journal_url)
    db.drop_guards()
    yield db
    db.close()


def _only_problem(store: SqlJournalStore, day: dt.date | None = None):  # type: ignore[no-untyped-def]
    report = store.verify(day)
    assert not report.ok
    assert len(report.problems) == 1, report.problems
    assert report.first_broken is not None and report.first_broken.counter_id == "balie-1"
    return report.first_broken


@pytest.mark.parametrize("day", [None, DAY])
def test_a_changed_row_is_named(store: SqlJournalStore, raw: RawDb, day: dt.date | None) -> None:
    _fill(store)
    body = raw.row("balie-1", 4)["body"]
    forged = body.replace('"opportunity_tariff_sale"', '"normal_sale"')
    assert forged != body
    raw.execute("UPDATE journal_entries SET body = ? WHERE counter_id = ? AND seq = ?",
                (forged, "balie-1", 4))  # fmt: skip
    problem = _only_problem(store, day)
    assert (problem.seq, problem.kind) == (4, ProblemKind.HASH_MISMATCH)


def test_a_changed_column_is_named(store: SqlJournalStore, raw: RawDb) -> None:
    _fill(store)
    raw.execute("UPDATE journal_entries SET kind = 'consultation' WHERE counter_id = ? AND seq = ?",
                ("balie-1", 2))  # fmt: skip
    problem = _only_problem(store)
    assert (problem.seq, problem.kind) == (2, ProblemKind.HASH_MISMATCH)


@pytest.mark.parametrize("day", [None, DAY])
@pytest.mark.parametrize("seq", [1, 3, 6])
def test_a_deleted_row_is_named(
    store: SqlJournalStore, raw: RawDb, seq: int, day: dt.date | None
) -> None:
    _fill(store)
    store.append(consultation(at=NOON + dt.timedelta(days=1)))  # a later day follows (and seals)
    row_id = raw.row("balie-1", seq)["id"]
    raw.execute("DELETE FROM journal_personal WHERE entry_id = ?", (row_id,))
    raw.execute("DELETE FROM journal_entries WHERE id = ?", (row_id,))
    problem = _only_problem(store, day)
    assert problem.kind in (ProblemKind.SEQUENCE_GAP, ProblemKind.PREV_LINK_MISMATCH)
    assert problem.seq == seq + 1
    assert f"#{seq}" in problem.message


def test_an_inserted_row_with_a_bad_hash_is_named(store: SqlJournalStore, raw: RawDb) -> None:
    _fill(store)
    last = raw.row("balie-1", 6)
    raw.execute(
        f"INSERT INTO journal_entries ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ("balie-1", 7, last["recorded_at"], last["day"], "decision", last["check_id"],
         last["personal_hash"], None, last["body"], last["summary"], last["hash"], "f" * 64),
    )  # fmt: skip
    problem = _only_problem(store)
    assert (problem.seq, problem.kind) == (7, ProblemKind.HASH_MISMATCH)


def test_an_inserted_row_with_a_correct_hash_but_forked_link_is_named(
    store: SqlJournalStore, raw: RawDb
) -> None:
    """Someone who knows the algorithm forges a well-hashed row pointing into the past."""
    _fill(store)
    donor = raw.row("balie-1", 2)
    fields = {
        "seq": 7, "prev_hash": donor["hash"], "recorded_at": donor["recorded_at"],
        "day": donor["day"], "kind": "decision", "check_id": donor["check_id"],
        "counter_id": "balie-1", "personal_hash": donor["personal_hash"], "purge_before": None,
        "body": donor["body"], "summary": donor["summary"],
    }  # fmt: skip
    digest = hashlib.sha256(hashed_text(**fields).encode()).hexdigest()
    raw.execute(
        f"INSERT INTO journal_entries ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ("balie-1", 7, donor["recorded_at"], donor["day"], "decision", donor["check_id"],
         donor["personal_hash"], None, donor["body"], donor["summary"], donor["hash"], digest),
    )  # fmt: skip
    problem = _only_problem(store)
    assert (problem.seq, problem.kind) == (7, ProblemKind.PREV_LINK_MISMATCH)


def test_a_seal_entry_that_does_not_match_its_day_is_named(
    store: SqlJournalStore, raw: RawDb
) -> None:
    _fill(store)
    seal = store.seal_day("balie-1", DAY)
    assert seal is not None
    last = raw.row("balie-1", seal.seq - 1)
    forged = raw.row("balie-1", seal.seq)["body"].replace(last["hash"], "e" * 64)
    r = ChainRow(**{**raw.row("balie-1", seal.seq), "body": forged})
    raw.execute("UPDATE journal_entries SET body = ?, hash = ? WHERE id = ?",
                (forged, row_hash(r), r.id))  # fmt: skip
    problem = _only_problem(store)
    assert (problem.seq, problem.kind) == (seal.seq, ProblemKind.SEAL_MISMATCH)


def test_changed_personal_data_is_named(store: SqlJournalStore, raw: RawDb) -> None:
    _fill(store)
    row_id = raw.row("balie-1", 3)["id"]
    raw.execute("UPDATE journal_personal SET subject_insz = ? WHERE entry_id = ?",
                (fake_insz(77), row_id))  # fmt: skip
    problem = _only_problem(store)
    assert (problem.seq, problem.kind) == (3, ProblemKind.PERSONAL_DATA_MISMATCH)


def test_a_rewritten_chain_passes_alone_but_not_against_the_exported_seal(
    store: SqlJournalStore, raw: RawDb
) -> None:
    """Rewriting every hash after a change fools the chain; the seal kept elsewhere does not."""
    _fill(store)
    store.seal_all(DAY)
    seal = store.export_seal(DAY)
    prev = raw.row("balie-1", 2)["hash"]
    seq = 3
    while True:
        rows = raw.execute(f"SELECT id, {COLUMNS} FROM journal_entries WHERE counter_id = ? "
                           "AND seq = ?", ("balie-1", seq))  # fmt: skip
        if not rows:
            break
        r = ChainRow(*rows[0][:13])
        body = r.body
        if seq == 3 or r.kind == "seal":
            data = json.loads(body)
            if seq == 3:
                data["entry_mode"] = "manual"
            else:  # a careful forger mends the seal entry too
                data["seal"]["last_hash"] = prev
            body = json.dumps(data, sort_keys=True, separators=(",", ":"))
        forged = r._replace(body=body, prev_hash=prev)
        digest = row_hash(forged)
        raw.execute("UPDATE journal_entries SET body = ?, prev_hash = ?, hash = ? WHERE id = ?",
                    (body, prev, digest, r.id))  # fmt: skip
        prev, seq = digest, seq + 1

    assert store.verify().ok
    report = store.verify(DAY, seal)
    assert not report.ok
    assert report.first_broken is not None
    assert report.first_broken.kind is ProblemKind.SEAL_MISMATCH
    assert report.first_broken.counter_id == "balie-1"
