"""The hash chain: how an entry becomes a row, and how a run of rows is checked.

Each counter has its own chain (counters append independently, even on one
shared PostgreSQL log). A row's hash is the SHA-256 of a canonical JSON object
(sorted keys, no spaces, ASCII) holding the row's indexed columns, the entry body
(itself canonical JSON), the previous row's hash and the sequence number. The
string is assembled by hand from the stored texts because re-serialising a
million bodies would make verification ten times slower; a test checks that it
is byte-for-byte what ``json.dumps(..., sort_keys=True)`` would give.

Personal data never enters the hash directly: a per-entry random salt and the
personal fields are committed to as ``personal_hash``; the salt and the fields
live in a separate table that a retention purge may empty. Without the salt the
commitment reveals nothing (no dictionary attack on the small INSZ space), and
while the salt is there, the commitment proves the fields unchanged.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from json.encoder import encode_basestring_ascii as _js
from typing import Any, NamedTuple

from counter_app.journal.models import EntrySummary, JournalEntry
from counter_app.journal.reports import ChainProblem, ProblemKind

GENESIS_HASH = "0" * 64
PERSONAL_FIELDS = frozenset({"clerk", "subject_insz"})
# How far a purge may be dated ahead of the clock that checks it (the database's, or
# the verifier's): clocks of counter PCs and a shared server differ a little. The
# same tolerance is in the v2 migration's triggers.
PURGE_CLOCK_TOLERANCE = dt.timedelta(minutes=5)
# At least a day: a purge of everything up to now would erase the record of the checks
# being made today. The v2 migration's triggers hold every purge to the same floor.
MINIMUM_RETENTION_DAYS = 1


def within_retention(purge_before: str, recorded_at: dt.datetime, retention_days: int) -> bool:
    """Whether a purge recorded at ``recorded_at`` keeps what its retention period keeps:
    at least the minimum, and nothing younger than ``retention_days`` is removed."""
    return retention_days >= MINIMUM_RETENTION_DAYS and purge_before <= format_ts(
        recorded_at - dt.timedelta(days=retention_days)
    )


def format_ts(value: dt.datetime) -> str:
    """Fixed-width UTC text, so that text order is time order in both backends."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def entry_body(entry: JournalEntry) -> str:
    """The chained, non-personal part of an entry.

    Fields added after the first release (``supervisor_login``) are left out while
    None, so an entry of an older kind is stored exactly as before.
    """
    exclude = set(PERSONAL_FIELDS)
    if entry.supervisor_login is None:
        exclude.add("supervisor_login")
    return canonical_json(entry.model_dump(mode="json", exclude=exclude))


def entry_summary(entry: JournalEntry) -> str:
    """The chained summary that lists and day figures read instead of the body."""
    summary = EntrySummary.of(entry)
    exclude = {"login"} if summary.login is None else None
    return canonical_json(summary.model_dump(mode="json", exclude=exclude))


@dataclass(frozen=True, slots=True)
class PersonalData:
    salt: str
    clerk_name: str | None
    clerk_insz: str | None
    subject_insz: str | None

    @classmethod
    def of(cls, entry: JournalEntry) -> PersonalData:
        return cls(secrets.token_hex(16), entry.clerk.name, entry.clerk.insz, entry.subject_insz)

    def commitment(self) -> str:
        return personal_commitment(self.salt, self.clerk_name, self.clerk_insz, self.subject_insz)


def personal_commitment(
    salt: str, clerk_name: str | None, clerk_insz: str | None, subject_insz: str | None
) -> str:
    """SHA-256 of the canonical JSON {clerk_insz, clerk_name, salt, subject_insz}."""
    text = (
        f'{{"clerk_insz":{json_text(clerk_insz)},"clerk_name":{json_text(clerk_name)},'
        f'"salt":{_js(salt)},"subject_insz":{json_text(subject_insz)}}}'
    )
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def json_text(value: str | None) -> str:
    """A JSON string literal (or null), as ``json.dumps`` writes it, without its overhead."""
    return "null" if value is None else _js(value)


def hashed_text(
    *,
    seq: int,
    prev_hash: str,
    recorded_at: str,
    day: str,
    kind: str,
    check_id: str,
    counter_id: str,
    personal_hash: str,
    purge_before: str | None,
    body: str,
    summary: str,
) -> str:
    """Canonical JSON of {at, check, counter, day, entry, kind, personal, prev, purge_before,
    seq, summary}: the exact text that is hashed."""
    return (
        f'{{"at":{_js(recorded_at)},"check":{_js(check_id)},"counter":{_js(counter_id)},'
        f'"day":{_js(day)},"entry":{body},"kind":{_js(kind)},"personal":{_js(personal_hash)},'
        f'"prev":{_js(prev_hash)},"purge_before":{json_text(purge_before)},"seq":{int(seq)},'
        f'"summary":{summary}}}'
    )


class ChainRow(NamedTuple):
    """One stored row as the verifier reads it (salt etc. None once purged)."""

    id: int
    counter_id: str
    seq: int
    recorded_at: str
    day: str
    kind: str
    check_id: str
    personal_hash: str
    purge_before: str | None
    body: str
    summary: str
    prev_hash: str
    hash: str
    salt: str | None = None
    clerk_name: str | None = None
    clerk_insz: str | None = None
    subject_insz: str | None = None


def row_hash(row: ChainRow) -> str:
    text = (
        f'{{"at":{_js(row.recorded_at)},"check":{_js(row.check_id)},'
        f'"counter":{_js(row.counter_id)},"day":{_js(row.day)},"entry":{row.body},'
        f'"kind":{_js(row.kind)},"personal":{_js(row.personal_hash)},"prev":{_js(row.prev_hash)},'
        f'"purge_before":{json_text(row.purge_before)},"seq":{int(row.seq)},'
        f'"summary":{row.summary}}}'
    )  # the same text as ``hashed_text``, inlined: it runs a million times in a verify
    return hashlib.sha256(text.encode("ascii")).hexdigest()


@dataclass(frozen=True, slots=True)
class PurgeCover:
    """Which entries a logged retention purge allowed to lose their personal data.

    Personal rows are the one thing a purge deletes, so a missing row is only
    accepted when a valid purge entry covers it: inserted after the entry (higher
    id), with ``purge_before`` later than the entry's time. A purge is valid when its
    own row hashes right, it is not dated in the future, and its ``purge_before`` is
    no later than its own time minus its retention period. Without this, anyone who
    can append one correctly hashed purge row (or drop the triggers) could erase an
    INSZ from any entry and the verifier would call the deletion a purge.

    ``purges`` holds (id, purge_before) of the valid purges, sorted by id.
    """

    purges: tuple[tuple[int, str], ...] = ()
    _suffix_max: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def of(cls, purges: Iterable[tuple[int, str]]) -> PurgeCover:
        ordered = tuple(sorted(purges))
        suffix: list[str] = []
        best = ""
        for _, before in reversed(ordered):
            best = max(best, before)
            suffix.append(best)
        return cls(ordered, tuple(reversed(suffix)))

    def covers(self, entry_id: int, recorded_at: str) -> bool:
        """Whether some valid purge inserted after ``entry_id`` reaches past ``recorded_at``."""
        i = bisect.bisect_right(self.purges, (entry_id, "\uffff"))
        return i < len(self._suffix_max) and self._suffix_max[i] > recorded_at


def valid_purge(row: ChainRow, now: dt.datetime) -> bool:
    """A purge row whose hash, date and retention period are consistent (see PurgeCover)."""
    if row.kind != "purge" or row.purge_before is None or row_hash(row) != row.hash:
        return False
    try:
        days = int(json.loads(row.body)["purge"]["retention_days"])
        at = dt.datetime.strptime(row.recorded_at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
    except (ValueError, KeyError, TypeError):
        return False
    if at > now + PURGE_CLOCK_TOLERANCE:
        return False
    return within_retention(row.purge_before, at, days)


def _problem(row: ChainRow, kind: ProblemKind, message: str) -> ChainProblem:
    return ChainProblem(
        counter_id=row.counter_id, seq=row.seq, entry_id=row.id, kind=kind, message=message
    )


@dataclass(slots=True)
class ChainWalk:
    """Walks one counter's rows in sequence order and stops at the first broken one.

    ``expected_seq``/``last_hash`` start at the genesis for a full check, or at the
    entry just before the checked range (the anchor) for a one-day check.
    """

    counter_id: str
    expected_seq: int = 1
    last_hash: str = GENESIS_HASH
    checked: int = 0
    problem: ChainProblem | None = None
    anchor_missing: bool = False  # the entry just before the range is gone
    day_last: dict[str, tuple[int, str]] = field(default_factory=dict)
    # seals whose day lies before the walked range: (seal row, named seq, named hash)
    pending_seals: list[tuple[ChainRow, int, str]] = field(default_factory=list)
    start_seq: int = 0
    cover: PurgeCover = field(default_factory=PurgeCover)

    def __post_init__(self) -> None:
        self.start_seq = self.expected_seq

    def feed(self, row: ChainRow) -> None:
        if self.problem is not None:
            return
        self.checked += 1
        if self.anchor_missing:
            before = self.expected_seq - 1
            missing = f"#{before}" if row.seq == self.expected_seq else f"#{before}..#{row.seq - 1}"
            self.problem = _problem(
                row, ProblemKind.SEQUENCE_GAP, f"entries {missing} are missing before #{row.seq}"
            )
            return
        if row.seq < self.expected_seq:
            self.problem = _problem(
                row,
                ProblemKind.DUPLICATE_SEQUENCE,
                f"entry #{row.seq} appears twice or out of order (row id {row.id})",
            )
            return
        if row.seq > self.expected_seq:
            missing = (
                f"#{self.expected_seq}"
                if row.seq == self.expected_seq + 1
                else f"#{self.expected_seq}..#{row.seq - 1}"
            )
            self.problem = _problem(
                row, ProblemKind.SEQUENCE_GAP, f"entries {missing} are missing before #{row.seq}"
            )
            return
        if row.prev_hash != self.last_hash:
            self.problem = _problem(
                row,
                ProblemKind.PREV_LINK_MISMATCH,
                f"entry #{row.seq} does not link to the entry before it "
                "(a row was inserted, removed or replaced before it)",
            )
            return
        if row_hash(row) != row.hash:
            self.problem = _problem(
                row, ProblemKind.HASH_MISMATCH, f"entry #{row.seq} was changed after it was written"
            )
            return
        if row.salt is None and not self.cover.covers(row.id, row.recorded_at):
            self.problem = _problem(
                row,
                ProblemKind.PERSONAL_DATA_MISSING,
                f"the personal data of entry #{row.seq} was removed without a logged purge "
                "that covers it",
            )
            return
        if row.salt is not None and (
            personal_commitment(row.salt, row.clerk_name, row.clerk_insz, row.subject_insz)
            != row.personal_hash
        ):
            self.problem = _problem(
                row,
                ProblemKind.PERSONAL_DATA_MISMATCH,
                f"the personal data of entry #{row.seq} was changed after it was written",
            )
            return
        if row.kind == "seal":
            if not self._seal_matches(row):
                self.problem = _problem(
                    row,
                    ProblemKind.SEAL_MISMATCH,
                    f"seal entry #{row.seq} does not match the last entry of {row.day}",
                )
                return
        else:
            self.day_last[row.day] = (row.seq, row.hash)
        self.expected_seq = row.seq + 1
        self.last_hash = row.hash

    def feed_many(self, rows: Iterable[Sequence[Any]]) -> None:
        """``feed`` for raw row tuples, with the common case (an intact ordinary entry)
        inlined: a full verify runs this a million times. Anything unusual goes
        through ``feed``, which names the problem."""
        sha256, js, covers = hashlib.sha256, _js, self.cover.covers
        expected, last, checked, day_last = self.expected_seq, self.last_hash, 0, self.day_last
        fast = not self.anchor_missing  # a missing anchor is reported by the slow path
        for raw in rows:
            (rid, counter, seq, at, day, kind, check, personal, purge, body, summary, prev, digest,
             salt, name, insz, subject) = raw  # fmt: skip
            if (
                seq == expected and prev == last and kind != "seal" and purge is None
                and fast and sha256(
                    f'{{"at":{js(at)},"check":{js(check)},"counter":{js(counter)},'
                    f'"day":{js(day)},"entry":{body},"kind":{js(kind)},'
                    f'"personal":{js(personal)},"prev":{js(prev)},"purge_before":null,'
                    f'"seq":{seq},"summary":{summary}}}'.encode("ascii")
                ).hexdigest() == digest
                and (covers(rid, at) if salt is None else sha256(  # as personal_commitment
                    f'{{"clerk_insz":{"null" if insz is None else js(insz)},'
                    f'"clerk_name":{"null" if name is None else js(name)},"salt":{js(salt)},'
                    f'"subject_insz":{"null" if subject is None else js(subject)}}}'
                    .encode("ascii")
                ).hexdigest() == personal)
            ):  # fmt: skip
                checked += 1
                expected, last = seq + 1, digest
                day_last[day] = (seq, digest)
                continue
            self.expected_seq, self.last_hash = expected, last
            self.checked += checked
            checked = 0
            self.feed(ChainRow(*raw))
            if self.problem is not None:
                return
            expected, last, fast = self.expected_seq, self.last_hash, True
        self.checked += checked
        self.expected_seq, self.last_hash = expected, last

    def _seal_matches(self, row: ChainRow) -> bool:
        """A seal names the day's last entry; it must be the one the walk saw last.

        When that day lies before the walked range, the check is left to the caller
        (``pending_seals``), who can look the named entry up.
        """
        try:
            seal = json.loads(row.body)["seal"]
            named = (int(seal["last_seq"]), str(seal["last_hash"]))
        except (ValueError, KeyError, TypeError):
            return False
        seen = self.day_last.get(row.day)
        if seen is None and named[0] < self.start_seq:
            self.pending_seals.append((row, *named))
            return True
        return seen == named

    def settle_seal(self, row: ChainRow, stored_hash: str | None, named_hash: str) -> None:
        """Record a pending seal's outcome, keeping the earliest problem first."""
        if stored_hash == named_hash:
            return
        if self.problem is None or row.seq < self.problem.seq:
            self.checked = row.seq - self.start_seq + 1  # no gap before it: walked in order
            self.problem = _problem(
                row,
                ProblemKind.SEAL_MISMATCH,
                f"seal entry #{row.seq} does not match the last entry of {row.day}",
            )


def walk_chains(
    rows: Iterable[ChainRow],
    anchors: dict[str, tuple[int, str]] | None = None,
    cover: PurgeCover | None = None,
) -> Iterator[ChainWalk]:
    """Check rows ordered by (counter_id, seq); yield one finished walk per counter.

    ``anchors`` maps a counter to (seq, hash) of the entry just before the checked
    range; a counter without an anchor is checked from its genesis. ``cover`` names
    the entries whose personal data a logged purge removed (none by default).
    """
    anchors = anchors or {}
    walk: ChainWalk | None = None
    for row in rows:
        if walk is None or row.counter_id != walk.counter_id:
            if walk is not None:
                yield walk
            seq, last = anchors.get(row.counter_id, (0, GENESIS_HASH))
            walk = ChainWalk(
                row.counter_id, expected_seq=seq + 1, last_hash=last, cover=cover or PurgeCover()
            )
        walk.feed(row)
    if walk is not None:
        yield walk
