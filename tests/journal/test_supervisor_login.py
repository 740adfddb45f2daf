"""Supervisor login attempts in the journal: chained, personal name purged, not counted.

On both backends (``store`` is parametrised over SQLite and PostgreSQL).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from pydantic import ValidationError

from counter_app.journal.chain import entry_body, entry_summary
from counter_app.journal.export import entry_row, table, write_entries_csv
from counter_app.journal.models import (
    Clerk,
    DecisionAction,
    EntryKind,
    JournalEntry,
    LoginOutcome,
)
from counter_app.journal.records import supervisor_login_entry
from counter_app.journal.reports import EntryFilter
from counter_app.journal.retention import purge_personal_data
from counter_app.journal.store import SqlJournalStore
from tests.journal.builders import CLERK_BO, consultation, decision, fake_insz

NOON = dt.datetime(2026, 3, 10, 11, 0, tzinfo=dt.UTC)  # 12:00 in Ghent
DAY = dt.date(2026, 3, 10)
SUPERVISOR = "Sam Toezicht"


def attempts(at: dt.datetime, counter: str = "supervisie") -> list[JournalEntry]:
    """Wrong, refused during the delay, then right: the three outcomes."""
    return [
        supervisor_login_entry(counter, name=SUPERVISOR, outcome=LoginOutcome.WRONG,
                               failures=1, at=at),
        supervisor_login_entry(counter, name=SUPERVISOR, outcome=LoginOutcome.LOCKED,
                               failures=1, at=at + dt.timedelta(seconds=1)),
        supervisor_login_entry(counter, name=SUPERVISOR, outcome=LoginOutcome.OK,
                               at=at + dt.timedelta(seconds=5)),
    ]  # fmt: skip


def test_login_entries_are_chained_read_back_and_verified(store: SqlJournalStore) -> None:
    check = consultation(at=NOON - dt.timedelta(minutes=10), subject=fake_insz(11))
    store.append_many([check, decision(check)])
    figures_before = store.day_figures(DAY)
    stored = store.append_many(attempts(NOON))

    assert [s.seq for s in stored] == [1, 2, 3]  # their own chain: the supervisor's counter
    assert all(s.counter_id == "supervisie" for s in stored)
    back = store.entry(stored[0].id)
    assert back is not None and back.entry.kind is EntryKind.SUPERVISOR_LOGIN
    assert back.entry.clerk == Clerk(name=SUPERVISOR)
    assert back.entry.supervisor_login is not None
    assert back.entry.supervisor_login.outcome is LoginOutcome.WRONG
    assert back.entry.supervisor_login.failures == 1
    assert back.entry == stored[0].entry

    report = store.verify()
    assert report.ok, report.problems
    assert report.entries_checked == 5
    assert store.verify(DAY).ok

    view = store.day_view(DAY)
    assert view.figures == figures_before  # not counted as checks, nor as anything else
    assert view.figures.checks == 1 and view.figures.decisions == 1
    logins = [r for r in view.entries if r.summary.kind is EntryKind.SUPERVISOR_LOGIN]
    assert [r.summary.login for r in logins] == [
        LoginOutcome.WRONG,
        LoginOutcome.LOCKED,
        LoginOutcome.OK,
    ]
    assert [r.clerk_name for r in logins] == [SUPERVISOR] * 3
    assert logins[0].summary.note == "login wrong (failures: 1)"
    assert logins[2].summary.note == "login ok"

    # filters on checks do not pick up logins; the name filter finds who tried
    assert len(store.entries(DAY, EntryFilter(clerk="toezicht"))) == 3
    assert (
        len(store.entries(DAY, EntryFilter(decision=DecisionAction.OPPORTUNITY_TARIFF_SALE))) == 1
    )
    assert store.entries(DAY, EntryFilter(right="uitpas_opportunity_tariff"))[0].entry.kind in {
        EntryKind.CONSULTATION,
        EntryKind.DECISION,
    }
    assert len(store.entries(DAY, EntryFilter(counter_id="supervisie"))) == 3


def test_purge_removes_the_supervisor_name_and_keeps_the_chain(store: SqlJournalStore) -> None:
    now = dt.datetime.now(dt.UTC)
    old = store.append_many(attempts(now - dt.timedelta(days=40)))
    recent = store.append_many(attempts(now - dt.timedelta(days=1)))
    old_day = old[0].day
    figures_before = store.day_figures(old_day)

    report = purge_personal_data(store, 30, counter_id="supervisie", clerk=CLERK_BO, now=now)

    assert report.entries_purged == len(old)
    for s in old:
        purged = store.entry(s.id)
        assert purged is not None and purged.personal_purged
        assert purged.entry.clerk == Clerk()
        assert purged.entry.supervisor_login == s.entry.supervisor_login  # the outcome stays
    kept = store.entry(recent[0].id)
    assert kept is not None and kept.entry.clerk.name == SUPERVISOR
    assert store.day_figures(old_day) == figures_before
    result = store.verify()
    assert result.ok, result.problems


def test_a_login_entry_needs_its_details() -> None:
    with pytest.raises(ValidationError):
        JournalEntry(kind=EntryKind.SUPERVISOR_LOGIN, counter_id="supervisie")
    with pytest.raises(ValidationError):
        supervisor_login_entry("supervisie", name="Sam", outcome=LoginOutcome.WRONG, failures=-1)


def test_other_kinds_are_stored_exactly_as_before() -> None:
    """The new fields are left out while None: older entries' texts do not change."""
    check = consultation(at=NOON)
    assert "supervisor_login" not in entry_body(check)
    assert '"login"' not in entry_summary(check)
    login = attempts(NOON)[0]
    assert '"supervisor_login":{"failures":1,"outcome":"wrong"}' in entry_body(login)
    assert '"login":"wrong"' in entry_summary(login)
    assert SUPERVISOR not in entry_body(login)  # the name is personal: not in the body


def test_show_and_export_name_the_kind_and_outcome(store: SqlJournalStore) -> None:
    store.append_many(attempts(NOON))
    text = table(store.day_view(DAY).entries)
    assert text.count("supervisor_login") == 3
    assert "login wrong (failures: 1)" in text and "login locked (failures: 1)" in text
    assert "login ok" in text and SUPERVISOR in text

    out = io.StringIO()
    assert write_entries_csv(store.entries(DAY), out) == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["kind"] for r in rows] == ["supervisor_login"] * 3
    assert [r["note"] for r in rows] == [
        "login wrong (failures: 1)",
        "login locked (failures: 1)",
        "login ok",
    ]
    assert rows[0]["clerk_name"] == SUPERVISOR and rows[0]["subject_insz"] == ""
    first = store.entries(DAY)[0]
    assert entry_row(first)["decision"] == ""
