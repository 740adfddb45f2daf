"""A full verify split over worker processes finds exactly what one walk finds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from counter_app.journal import store as store_module
from counter_app.journal.chain import ChainRow, row_hash
from counter_app.journal.reports import ProblemKind
from counter_app.journal.store import SqlJournalStore, open_journal
from tests.journal.builders import consultation
from tests.journal.raw import RawDb

DAY1 = dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def chain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, SqlJournalStore]:
    """Counter balie-1: entries 1..499 on day one, the seal as #500, then 501..1200."""
    monkeypatch.setattr(store_module, "PARALLEL_VERIFY_MIN_CHUNK", 250)
    monkeypatch.setattr(store_module, "PARALLEL_VERIFY_MIN_ROWS", 1000)
    url = f"sqlite://{tmp_path / 'journal.sqlite3'}"
    opened = open_journal(url)
    first = [consultation(at=DAY1 + dt.timedelta(seconds=i)) for i in range(499)]
    second = [consultation(at=DAY1 + dt.timedelta(days=1, seconds=i)) for i in range(700)]
    opened.append_many(first)
    opened.append_many(second)  # seals day one as #500
    opened.append_many([consultation("balie-2", at=DAY1)])
    return url, opened


def _both(store: SqlJournalStore):  # type: ignore[no-untyped-def]
    one, split = store.verify(workers=1), store.verify(workers=2)
    assert (one.entries_checked, one.problems) == (split.entries_checked, split.problems)
    return split


def test_split_verify_agrees_on_an_intact_chain(chain: tuple[str, SqlJournalStore]) -> None:
    _, store = chain
    report = _both(store)
    assert report.ok and report.entries_checked == 1201
    store.close()


@pytest.mark.parametrize("seq", [250, 499, 750])  # at, and away from, range boundaries
def test_split_verify_names_the_same_deleted_entry(
    chain: tuple[str, SqlJournalStore], seq: int
) -> None:
    url, store = chain
    raw = RawDb(url)
    raw.drop_guards()
    row_id = raw.row("balie-1", seq)["id"]
    raw.execute("DELETE FROM journal_personal WHERE entry_id = ?", (row_id,))
    raw.execute("DELETE FROM journal_entries WHERE id = ?", (row_id,))
    raw.close()
    report = _both(store)
    assert report.first_broken is not None
    assert report.first_broken.seq == seq + 1
    assert report.first_broken.kind is ProblemKind.SEQUENCE_GAP
    store.close()


@pytest.mark.parametrize("chunk", [250, 499])  # 499: the seal opens a range, its day is before
def test_split_verify_checks_a_seal_whose_day_is_in_the_range_before(
    chain: tuple[str, SqlJournalStore], monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(store_module, "PARALLEL_VERIFY_MIN_CHUNK", chunk)
    url, store = chain
    raw = RawDb(url)
    raw.drop_guards()
    seal = raw.row("balie-1", 500)
    assert seal["kind"] == "seal"
    last = raw.row("balie-1", 499)
    forged = seal["body"].replace(last["hash"], "d" * 64)
    digest = row_hash(ChainRow(**{**seal, "body": forged}))
    raw.execute("UPDATE journal_entries SET body = ?, hash = ? WHERE id = ?",
                (forged, digest, seal["id"]))  # fmt: skip
    # keep the rest of the chain linked, so the seal is the only thing wrong
    raw.execute("UPDATE journal_entries SET prev_hash = ? WHERE counter_id = ? AND seq = 501",
                (digest, "balie-1"))  # fmt: skip
    raw.close()
    report = _both(store)
    assert report.first_broken is not None
    assert (report.first_broken.seq, report.first_broken.kind) == (500, ProblemKind.SEAL_MISMATCH)
    store.close()
