"""The hashed text is canonical JSON; personal data is committed, not chained raw."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from counter_app.journal.chain import (
    ChainRow,
    ChainWalk,
    PersonalData,
    entry_body,
    entry_summary,
    hashed_text,
    personal_commitment,
    walk_chains,
)
from counter_app.journal.export import mask_insz
from counter_app.journal.models import Decision, DecisionAction, EntryKind, JournalEntry
from counter_app.journal.reports import ProblemKind
from tests.journal.builders import consultation, fake_insz

texts = st.text(max_size=30)


@given(at=texts, check=texts, counter=texts, kind=texts, personal=texts, prev=texts,
       purge=st.none() | texts, seq=st.integers(min_value=1, max_value=2**53))  # fmt: skip
def test_hashed_text_is_exactly_canonical_json(
    at: str, check: str, counter: str, kind: str, personal: str, prev: str, purge: str | None,
    seq: int,
) -> None:  # fmt: skip
    body, summary = entry_body(consultation()), entry_summary(consultation())
    fields = {"at": at, "check": check, "counter": counter, "day": "2026-03-10",
              "entry": json.loads(body), "kind": kind, "personal": personal, "prev": prev,
              "purge_before": purge, "seq": seq, "summary": json.loads(summary)}  # fmt: skip
    expected = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    got = hashed_text(seq=seq, prev_hash=prev, recorded_at=at, day="2026-03-10", kind=kind,
                      check_id=check, counter_id=counter, personal_hash=personal,
                      purge_before=purge, body=body, summary=summary)  # fmt: skip
    assert got == expected


def test_the_body_holds_no_personal_data() -> None:
    entry = consultation(subject=fake_insz(21))
    body = entry_body(entry)
    assert fake_insz(21) not in body
    assert entry.clerk.insz is not None and entry.clerk.insz not in body
    assert entry.clerk.name is not None and entry.clerk.name not in body


def test_the_commitment_binds_the_fields_and_hides_them_without_salt() -> None:
    entry = consultation(subject=fake_insz(22))
    a, b = PersonalData.of(entry), PersonalData.of(entry)
    assert a.salt != b.salt and a.commitment() != b.commitment()  # same person, unlinkable
    assert a.commitment() == personal_commitment(a.salt, a.clerk_name, a.clerk_insz,
                                                 a.subject_insz)  # fmt: skip
    assert a.commitment() != personal_commitment(a.salt, a.clerk_name, a.clerk_insz,
                                                 fake_insz(23))  # fmt: skip


def _rows(n: int) -> list[ChainRow]:
    rows, prev = [], "0" * 64
    for seq in range(1, n + 1):
        salt, name, insz = f"{seq:032x}", "Zoë Testbediende", fake_insz(seq)
        personal = personal_commitment(salt, name, None, insz)
        r = ChainRow(
            seq,
            "c",
            seq,
            "2026-03-10T10:00:00.000000Z",
            "2026-03-10",
            "consultation",
            f"k{seq}",
            personal,
            None,
            "{}",
            "{}",
            prev,
            "",
            salt,
            name,
            None,
            insz,
        )
        digest = hashlib.sha256(hashed_text(
            seq=seq, prev_hash=prev, recorded_at=r.recorded_at, day=r.day, kind=r.kind,
            check_id=r.check_id, counter_id="c", personal_hash=r.personal_hash,
            purge_before=None, body="{}", summary="{}").encode()).hexdigest()  # fmt: skip
        rows.append(r._replace(hash=digest))
        prev = digest
    return rows


class _NoSlowPath(ChainWalk):
    def feed(self, row: ChainRow) -> None:
        raise AssertionError(f"entry #{row.seq} took the slow path")


def test_the_fast_path_recomputes_what_the_slow_path_does() -> None:
    """feed_many inlines row_hash and personal_commitment; both must agree with them."""
    rows = _rows(20)
    fast = _NoSlowPath("c")
    fast.feed_many(rows)
    assert fast.checked == 20 and fast.last_hash == rows[-1].hash
    slow = ChainWalk("c")
    for r in rows:
        slow.feed(r)
    assert (slow.checked, slow.problem, slow.last_hash) == (20, None, rows[-1].hash)
    tampered = ChainWalk("c")
    tampered.feed_many([*rows[:5], rows[5]._replace(clerk_name="Someone Else"), *rows[6:]])
    assert tampered.problem is not None and tampered.problem.seq == 6
    assert tampered.problem.kind is ProblemKind.PERSONAL_DATA_MISMATCH


def test_walk_names_duplicates_and_gaps() -> None:
    rows = _rows(5)
    (walk,) = walk_chains(rows)
    assert walk.problem is None and walk.checked == 5
    (walk,) = walk_chains([*rows[:3], rows[2], *rows[3:]])
    assert walk.problem is not None and walk.problem.kind is ProblemKind.DUPLICATE_SEQUENCE
    (walk,) = walk_chains([*rows[:1], *rows[3:]])
    assert walk.problem is not None and walk.problem.kind is ProblemKind.SEQUENCE_GAP
    assert walk.problem.seq == 4 and "#2..#3" in walk.problem.message


def test_entries_must_carry_what_their_kind_needs() -> None:
    with pytest.raises(ValidationError):
        JournalEntry(kind=EntryKind.DECISION, counter_id="balie-1", check_id="x")
    with pytest.raises(ValidationError):
        Decision(action=DecisionAction.NORMAL_SALE, overridden=True, override_reason="  ")
    with pytest.raises(ValidationError):
        consultation(subject="123")
    local = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert consultation(at=local).recorded_at.utcoffset() == dt.timedelta(0)


def test_mask_insz() -> None:
    assert mask_insz("01700462685") == "01.70.04-xxx.xx"
    assert mask_insz(None) == ""
    assert mask_insz("12") == "xx.xx.xx-xxx.xx"
