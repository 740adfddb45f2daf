"""The store on both backends: append, read, link, seal, purge, reveal, refuse changes."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter

import pytest

from counter_app.journal.errors import JournalError
from counter_app.journal.migrations import migrations_for
from counter_app.journal.models import (
    AdviceOutcome,
    Clerk,
    DecisionAction,
    EntryKind,
    EntryMode,
    JournalEntry,
    PurgeDetails,
)
from counter_app.journal.reports import EntryFilter
from counter_app.journal.retention import purge_personal_data
from counter_app.journal.store import SqlJournalStore, open_journal
from rules.facts import SourceId
from tests.journal.builders import (
    CLERK_AN,
    CLERK_BO,
    LEZ,
    UITPAS,
    consultation,
    decision,
    fake_insz,
)
from tests.journal.raw import RawDb

NOON = dt.datetime(2026, 3, 10, 11, 0, tzinfo=dt.UTC)  # 12:00 in Ghent
DAY = dt.date(2026, 3, 10)


def test_appended_entries_are_chained_per_counter_and_read_back(store: SqlJournalStore) -> None:
    c1 = consultation("balie-1", at=NOON, subject=fake_insz(11))
    c2 = consultation("balie-2", at=NOON + dt.timedelta(seconds=5), subject=fake_insz(12))
    d1 = decision(c1)
    s_c1, s_c2, s_d1 = store.append(c1), store.append(c2), store.append(d1)

    assert (s_c1.seq, s_d1.seq, s_c2.seq) == (1, 2, 1)
    assert s_d1.prev_hash == s_c1.hash
    assert s_c1.prev_hash == s_c2.prev_hash == "0" * 64
    assert len({s_c1.hash, s_c2.hash, s_d1.hash}) == 3

    read = store.entries(DAY)
    assert [s.entry for s in read] == [c1, c2, d1]  # personal fields come back too
    assert [s.hash for s in read] == [s_c1.hash, s_c2.hash, s_d1.hash]
    assert not any(s.personal_purged for s in read)
    assert [s.entry.kind for s in store.entries_for_check(c1.check_id)] == [
        EntryKind.CONSULTATION,
        EntryKind.DECISION,
    ]
    assert store.entry(s_c2.id) == read[1]
    assert store.days() == [DAY]

    report = store.verify()
    assert report.ok, report.problems
    assert report.entries_checked == 3
    assert set(report.counters) == {"balie-1", "balie-2"}
    assert store.verify(DAY).ok


def test_the_database_refuses_changes_and_unlogged_removals(
    store: SqlJournalStore, journal_url: str
) -> None:
    stored = store.append(consultation(at=NOON))
    raw = RawDb(journal_url)
    try:
        attempts = [
            ("UPDATE journal_entries SET kind = 'decision' WHERE id = ?", (stored.id,)),
            ("DELETE FROM journal_entries WHERE id = ?", (stored.id,)),
            ("UPDATE journal_personal SET subject_insz = NULL WHERE entry_id = ?", (stored.id,)),
            ("DELETE FROM journal_personal WHERE entry_id = ?", (stored.id,)),
        ]
        for sql, params in attempts:
            with pytest.raises(raw.errors):
                raw.execute(sql, params)
    finally:
        raw.close()
    again = store.entry(stored.id)
    assert again is not None and again.entry == stored.entry and not again.personal_purged
    assert store.verify().ok


def test_purge_removes_old_personal_data_keeps_figures_and_chain(
    store: SqlJournalStore, journal_url: str
) -> None:
    now = dt.datetime.now(dt.UTC)
    old_at = now - dt.timedelta(days=40)
    old = [consultation(at=old_at + dt.timedelta(minutes=i), subject=fake_insz(i))
           for i in range(4)]  # fmt: skip
    old_stored = store.append_many([*old, decision(old[0])])
    recent = store.append(consultation(at=now - dt.timedelta(days=1), subject=fake_insz(99)))
    old_day = old_stored[0].day
    figures_before = store.day_figures(old_day)

    report = purge_personal_data(store, 30, counter_id="balie-1", clerk=CLERK_BO, now=now)

    assert report.entries_purged == len(old_stored)
    assert store.day_figures(old_day) == figures_before
    for s in store.entries(old_day):
        # the seal of that day was written later (when the next day began); it names nobody
        assert s.personal_purged or s.entry.kind is EntryKind.SEAL
        assert s.entry.subject_insz is None and s.entry.clerk == Clerk()
    kept = store.entry(recent.id)
    assert kept is not None and kept.entry.subject_insz == fake_insz(99)
    assert kept.entry.clerk == CLERK_AN
    purge = store.entry(report.purge_entry_id or -1)
    assert purge is not None and purge.entry.kind is EntryKind.PURGE
    assert purge.entry.purge is not None and purge.entry.purge.retention_days == 30
    assert store.verify().ok, store.verify().problems

    raw = RawDb(journal_url)  # the purge does not open the door to other removals
    try:
        with pytest.raises(raw.errors):
            raw.execute("DELETE FROM journal_personal WHERE entry_id = ?", (recent.id,))
    finally:
        raw.close()
    # nothing left to purge: no new purge entry either
    assert purge_personal_data(store, 30, counter_id="balie-1", now=now).entries_purged == 0


def test_a_new_day_seals_the_previous_one_and_the_seal_can_be_checked(
    store: SqlJournalStore,
) -> None:
    day1 = [consultation(at=NOON + dt.timedelta(minutes=i)) for i in range(3)]
    stored1 = store.append_many(day1)
    next_day = store.append(consultation(at=NOON + dt.timedelta(days=1)))

    seals = [s for s in store.entries(DAY) if s.entry.kind is EntryKind.SEAL]
    assert len(seals) == 1
    details = seals[0].entry.seal
    assert details is not None
    assert (details.first_seq, details.last_seq, details.entries) == (1, 3, 3)
    assert details.last_hash == stored1[-1].hash
    assert next_day.seq == 5 and next_day.prev_hash == seals[0].hash

    exported = store.export_seal(DAY)
    assert [c.counter_id for c in exported.counters] == ["balie-1"]
    assert exported.counters[0].seal_hash == seals[0].hash
    assert store.verify(DAY, exported).ok
    assert store.seal_day("balie-1", DAY) is None  # nothing new since the seal


def test_seal_all_seals_each_counter_once(store: SqlJournalStore) -> None:
    store.append_many([consultation(c, at=NOON) for c in ("balie-1", "balie-2", "balie-3")])
    first = store.seal_all(DAY)
    assert sorted(s.counter_id for s in first) == ["balie-1", "balie-2", "balie-3"]
    assert store.seal_all(DAY) == []
    assert len(store.export_seal(DAY).counters) == 3
    assert store.verify().ok


def test_day_view_filters_and_figures(store: SqlJournalStore) -> None:
    plan = [  # (counter, clerk, mode, outcomes, failed sources, total ms, decision, override)
        ("balie-1", CLERK_AN, EntryMode.CARD, {UITPAS: AdviceOutcome.ELIGIBLE}, (), 700.0,
         DecisionAction.OPPORTUNITY_TARIFF_SALE, False),
        ("balie-1", CLERK_AN, EntryMode.MANUAL, {UITPAS: AdviceOutcome.NOT_ELIGIBLE}, (), 1500.0,
         DecisionAction.OPPORTUNITY_TARIFF_SALE, True),
        ("balie-2", CLERK_BO, EntryMode.CARD,
         {UITPAS: AdviceOutcome.CHECK_MANUALLY, LEZ: AdviceOutcome.NOT_ELIGIBLE},
         (SourceId.NATIONAL_REGISTER,), 31000.0, DecisionAction.NORMAL_SALE, False),
        ("balie-2", CLERK_BO, EntryMode.CARD, {LEZ: AdviceOutcome.ELIGIBLE}, (), 900.0,
         DecisionAction.LEZ_REGISTERED, False),
        ("balie-1", CLERK_AN, EntryMode.CARD, {UITPAS: AdviceOutcome.ELIGIBLE}, (), 650.0,
         DecisionAction.CANCELLED, False),
    ]  # fmt: skip
    entries = []
    for i, (counter, clerk, mode, outcomes, failed, ms, action, over) in enumerate(plan):
        c = consultation(counter, at=NOON + dt.timedelta(minutes=50 * i), clerk=clerk, mode=mode,
                         outcomes=outcomes, failed=failed, total_ms=ms)  # fmt: skip
        entries += [c, decision(c, action, overridden=over, reason="papers seen" if over else "")]
    store.append_many(entries)

    view = store.day_view(DAY)
    f = view.figures
    assert len(view.entries) == len(entries)
    assert f.checks == len(plan) and f.decisions == len(plan)
    expected_advice: dict[str, Counter[str]] = {}
    for p in plan:
        for right, outcome in p[3].items():
            expected_advice.setdefault(right, Counter())[outcome.value] += 1
    assert f.advice == {r: dict(c) for r, c in expected_advice.items()}
    actions = Counter(p[6] for p in plan)
    assert f.opportunity_tariff_sales == actions[DecisionAction.OPPORTUNITY_TARIFF_SALE]
    assert f.normal_sales == actions[DecisionAction.NORMAL_SALE]
    assert f.lez_registrations == actions[DecisionAction.LEZ_REGISTERED]
    assert f.cancelled == actions[DecisionAction.CANCELLED]
    assert f.overrides == sum(p[7] for p in plan)
    assert f.manual_entries == sum(p[2] is EntryMode.MANUAL for p in plan)
    assert f.checks_with_source_failures == sum(bool(p[4]) for p in plan)
    assert f.source_failures == {"national_register": 1}
    assert f.median_check_ms == statistics.median(p[5] for p in plan)
    hours = Counter((NOON + dt.timedelta(minutes=50 * i)).hour + 1 for i in range(len(plan)))
    assert {h: sum(c.values()) for h, c in f.checks_per_hour.items()} == dict(hours)

    def kinds(flt: EntryFilter) -> list[tuple[str, str]]:
        return [(s.entry.kind.value, s.entry.check_id) for s in store.entries(DAY, flt)]

    overridden = store.entries(DAY, EntryFilter(overridden=True))
    assert len(overridden) == 1 and overridden[0].entry.decision is not None
    assert overridden[0].entry.decision.override_reason == "papers seen"
    assert len(kinds(EntryFilter(entry_mode=EntryMode.MANUAL))) == 2  # consultation + decision
    assert len(kinds(EntryFilter(source_failures=True))) == 1
    assert len(kinds(EntryFilter(clerk="bo proef"))) == 4
    assert len(kinds(EntryFilter(clerk=CLERK_AN.insz))) == 6
    assert len(kinds(EntryFilter(right=LEZ))) == 2  # decisions carry the UiTPAS right here
    assert len(kinds(EntryFilter(outcome=AdviceOutcome.ELIGIBLE, counter_id="balie-1"))) == 2
    assert len(kinds(EntryFilter(decision=DecisionAction.LEZ_REGISTERED))) == 1
    filtered = store.day_view(DAY, EntryFilter(counter_id="balie-2"))
    assert len(filtered.entries) == 4 and filtered.figures.checks == 2


def test_reveal_is_logged_before_the_insz_is_given(store: SqlJournalStore) -> None:
    target = store.append(consultation(at=NOON, subject=fake_insz(33)))
    supervisor = Clerk(name="Sam Supervisor", insz=fake_insz(600, born_2000s=False))
    insz = store.reveal_subject(target.id, counter_id="supervisie", clerk=supervisor,
                                reason="citizen asked for a copy")  # fmt: skip
    assert insz == fake_insz(33)
    reveals = [s for s in store.entries(store.local_day(dt.datetime.now(dt.UTC)))
               if s.entry.kind is EntryKind.REVEAL]  # fmt: skip
    assert len(reveals) == 1
    logged = reveals[0].entry
    assert logged.clerk == supervisor and logged.subject_insz == fake_insz(33)
    assert logged.reveal is not None and logged.reveal.entry_id == target.id
    nobody = store.reveal_subject(10_000, counter_id="supervisie", clerk=supervisor, reason="x")
    assert nobody is None


def test_migrations_run_once_and_are_recorded(journal_url: str) -> None:
    backend = "postgres" if journal_url.startswith("postgresql") else "sqlite"
    latest = migrations_for(backend)[-1].version
    for _ in range(2):
        with open_journal(journal_url) as s:
            assert s.schema_version() == latest  # type: ignore[attr-defined]
    raw = RawDb(journal_url)
    try:
        assert raw.execute("SELECT COUNT(*) FROM schema_version")[0][0] == len(
            migrations_for(backend)
        )
    finally:
        raw.close()


def test_backends_have_the_same_migration_versions() -> None:
    assert [m.version for m in migrations_for("sqlite")] == [
        m.version for m in migrations_for("postgres")
    ]


def test_a_purge_entry_cannot_authorise_removing_data_of_its_future(
    store: SqlJournalStore, journal_url: str
) -> None:
    target = store.append(consultation(at=NOON))
    with pytest.raises(JournalError, match="purge"):  # refused since schema v2
        store.append(
            JournalEntry(
                kind=EntryKind.PURGE, counter_id="balie-1", recorded_at=NOON - dt.timedelta(days=1),
                purge=PurgeDetails(before=NOON + dt.timedelta(days=1), retention_days=0),
            )
        )  # fmt: skip
    raw = RawDb(journal_url)
    try:
        with pytest.raises(raw.errors):
            raw.execute("DELETE FROM journal_personal WHERE entry_id = ?", (target.id,))
    finally:
        raw.close()


@pytest.mark.postgres
def test_postgres_connection_notices_a_dead_server_in_seconds(pg_url: str) -> None:
    """TCP keepalives asked of libpq: a vanished server fails a write instead of hanging."""
    from counter_app.journal.postgres_store import PostgresJournalStore

    store = PostgresJournalStore(pg_url)
    try:
        asked = store._conn.info.get_parameters()
    finally:
        store.close()
    assert {k: asked.get(k) for k in ("keepalives", "keepalives_idle", "keepalives_count")} == {
        "keepalives": "1",
        "keepalives_idle": "10",
        "keepalives_count": "3",
    }
