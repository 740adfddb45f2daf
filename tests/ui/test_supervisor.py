"""The supervisor's view on a real journal (SQLite file), offscreen.

Days are seeded with the journal's own API and fictitious people (INSZ month + 60).
Dialogs that would wait for a person (reason prompt, file chooser) are answered
by replacing the static Qt call; everything else is the real window and store.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import threading
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QLineEdit
from pytestqt.qtbot import QtBot

from counter_app.auth import AuthStatus, SupervisorAuth
from counter_app.journal.models import (
    AdviceOutcome,
    DecisionAction,
    EntryKind,
    EntryMode,
    JournalEntry,
    StoredEntry,
)
from counter_app.journal.reports import EntryFilter
from counter_app.journal.store import SqlJournalStore, open_journal
from counter_app.ui.i18n import LanguageSwitcher
from counter_app.ui.supervisor import (
    SupervisorLoginDialog,
    SupervisorWindow,
    main,
    open_supervisor_view,
)
from counter_app.ui.supervisor.entries_model import Column
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

TZ = ZoneInfo("Europe/Brussels")
DAY = dt.date(2026, 11, 20)
OTHER_DAY = dt.date(2026, 11, 19)
PASSPHRASE = "vier woorden zijn beter"


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), TZ)


def seed(store: SqlJournalStore) -> list[JournalEntry]:
    """Seven checks with their decisions on DAY, two on OTHER_DAY: each filter has a target."""
    checks = [
        consultation("balie-1", at=at(9, 5), subject=fake_insz(1), clerk=CLERK_AN,
                     outcomes={UITPAS: AdviceOutcome.ELIGIBLE, LEZ: AdviceOutcome.NOT_ELIGIBLE}),
        consultation("balie-1", at=at(9, 40), subject=fake_insz(2), clerk=CLERK_AN,
                     outcomes={UITPAS: AdviceOutcome.NOT_ELIGIBLE}, total_ms=3000.0),
        consultation("balie-2", at=at(10, 15), subject=fake_insz(3), clerk=CLERK_BO,
                     mode=EntryMode.MANUAL, outcomes={UITPAS: AdviceOutcome.ELIGIBLE}),
        consultation("balie-2", at=at(11, 0), subject=fake_insz(4), clerk=CLERK_BO,
                     outcomes={UITPAS: AdviceOutcome.CHECK_MANUALLY},
                     failed=(SourceId.NATIONAL_REGISTER,)),
        consultation("balie-1", at=at(11, 30), subject=fake_insz(5), clerk=CLERK_AN,
                     outcomes={LEZ: AdviceOutcome.ELIGIBLE}),
        consultation("balie-2", at=at(14, 10), subject=fake_insz(6), clerk=CLERK_BO,
                     outcomes={UITPAS: AdviceOutcome.NOT_ELIGIBLE}),
        consultation("balie-1", at=at(14, 50), subject=fake_insz(7), clerk=CLERK_AN,
                     outcomes={UITPAS: AdviceOutcome.ELIGIBLE}, total_ms=1500.0),
    ]  # fmt: skip
    decisions = [
        decision(checks[0]),
        decision(checks[1], DecisionAction.OPPORTUNITY_TARIFF_SALE, overridden=True,
                 reason="OCMW-attest getoond"),
        decision(checks[2]),
        decision(checks[3], DecisionAction.NO_ACTION),
        decision(checks[5], DecisionAction.NORMAL_SALE),
        decision(checks[6], DecisionAction.CANCELLED),
    ]  # fmt: skip
    other = [
        consultation("balie-1", at=at(9, 0, OTHER_DAY), subject=fake_insz(8)),
        consultation("balie-1", at=at(9, 30, OTHER_DAY), subject=fake_insz(9)),
    ]
    entries = sorted([*checks, *decisions, *other], key=lambda e: e.recorded_at)
    for entry in entries:
        store.append(entry)
    return entries


@pytest.fixture
def journal_url(tmp_path: Path) -> str:
    return f"sqlite://{tmp_path / 'journal.sqlite3'}"


@pytest.fixture
def store(journal_url: str) -> Iterator[SqlJournalStore]:
    with open_journal(journal_url) as opened:
        seed(opened)
        yield opened


@pytest.fixture
def window(
    qtbot: QtBot, store: SqlJournalStore, languages: LanguageSwitcher
) -> Iterator[SupervisorWindow]:
    # these tests read the untranslated (English) texts: say so rather than rely on test order
    languages.set_language("en")
    made = SupervisorWindow(
        store, supervisor="Sam Toezicht", counter_id="balie-9", day=DAY, owns_store=False
    )
    qtbot.addWidget(made)
    made.show()
    wait_loaded(qtbot, made, DAY)
    yield made
    made.close()
    languages.set_language("nl")


def wait_loaded(qtbot: QtBot, window: SupervisorWindow, day: dt.date) -> None:
    qtbot.waitUntil(
        lambda: window.view is not None and window.view.day == day and window.report is not None,
        timeout=10_000,
    )


def column(window: SupervisorWindow, col: Column) -> list[str]:
    model = window.model
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def choose(combo: object, data: object) -> None:
    index = combo.findData(data)  # type: ignore[attr-defined]
    assert index >= 0, data
    combo.setCurrentIndex(index)  # type: ignore[attr-defined]


# -- login -----------------------------------------------------------------------------------


@pytest.fixture
def auth(tmp_path: Path) -> SupervisorAuth:
    made = SupervisorAuth(tmp_path / "supervisor.argon2", base_delay_s=0.4, max_delay_s=2.0)
    made.set_passphrase(PASSPHRASE)
    return made


def test_login_wrong_then_right_after_the_delay(qtbot: QtBot, auth: SupervisorAuth) -> None:
    dialog = SupervisorLoginDialog(auth)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name_edit.setText("Sam Toezicht")
    dialog.passphrase_edit.setText("dit is het niet")
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.last_result is not None, timeout=10_000)
    assert dialog.last_result is not None
    assert dialog.last_result.status is AuthStatus.WRONG
    assert not dialog.login_button.isEnabled()
    assert "0.4" not in dialog.message.text() and "1 s" in dialog.message.text()
    assert dialog.passphrase_edit.text() == ""  # nothing left behind in the field
    assert dialog.result() != dialog.DialogCode.Accepted
    # the GUI is not frozen: the button comes back by itself (QTimer)
    qtbot.waitUntil(dialog.login_button.isEnabled, timeout=5_000)
    dialog.passphrase_edit.setText(PASSPHRASE)
    qtbot.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.result() == dialog.DialogCode.Accepted, timeout=10_000)
    assert dialog.supervisor_name == "Sam Toezicht"


def test_closing_the_login_waits_for_the_attempt_being_logged(
    qtbot: QtBot, auth: SupervisorAuth
) -> None:
    """Esc while the attempt is checked and logged: the caller would close the log under
    the write and delete the dialog its job answers to. The dialog stays until the answer."""
    release = threading.Event()
    logged: list[str] = []

    def slow_log(result: object, name: str) -> None:
        release.wait(10)
        logged.append(name)

    dialog = SupervisorLoginDialog(auth, on_attempt=slow_log)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name_edit.setText("Sam Toezicht")
    dialog.passphrase_edit.setText("dit is het niet")
    dialog.try_login()
    dialog.reject()  # Esc, the close button
    assert dialog.isVisible()
    release.set()
    qtbot.waitUntil(lambda: dialog.last_result is not None, timeout=10_000)
    assert logged == ["Sam Toezicht"]
    dialog.reject()  # answered: closing works again
    assert not dialog.isVisible()


def test_a_log_that_never_answers_does_not_lock_the_login_open(
    qtbot: QtBot, auth: SupervisorAuth, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A frozen database: the attempt's write never returns. After the grace Esc closes."""
    monkeypatch.setattr(SupervisorLoginDialog, "CLOSE_GRACE_S", 0.2)
    release = threading.Event()
    dialog = SupervisorLoginDialog(auth, on_attempt=lambda *_: release.wait(10))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name_edit.setText("Sam Toezicht")
    dialog.passphrase_edit.setText("dit is het niet")
    dialog.try_login()
    dialog.reject()
    assert dialog.isVisible()  # within the grace: waits
    qtbot.wait(300)
    dialog.reject()
    assert not dialog.isVisible()  # the counter is not held behind it
    release.set()
    qtbot.waitUntil(lambda: dialog.last_result is not None, timeout=10_000)


def test_login_during_the_delay_is_refused_even_when_right(qtbot: QtBot, tmp_path: Path) -> None:
    auth = SupervisorAuth(tmp_path / "slow.argon2", base_delay_s=30.0)
    auth.set_passphrase(PASSPHRASE)
    assert auth.verify("dit is het niet").status is AuthStatus.WRONG
    dialog = SupervisorLoginDialog(auth)  # opened while the delay runs: greyed out
    qtbot.addWidget(dialog)
    assert not dialog.login_button.isEnabled()
    dialog.name_edit.setText("Sam")
    dialog.passphrase_edit.setText(PASSPHRASE)
    dialog.try_login()  # as a script would: the auth module still refuses
    assert dialog.result() != dialog.DialogCode.Accepted
    assert auth.verify(PASSPHRASE).status is AuthStatus.LOCKED


def test_login_needs_a_name(qtbot: QtBot, auth: SupervisorAuth) -> None:
    dialog = SupervisorLoginDialog(auth)
    qtbot.addWidget(dialog)
    dialog.passphrase_edit.setText(PASSPHRASE)
    dialog.try_login()
    assert dialog.last_result is None and dialog.message.text()
    assert auth.failures() == 0


def test_login_without_a_passphrase_set_explains_how(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = SupervisorLoginDialog(SupervisorAuth(tmp_path / "none.argon2"))
    qtbot.addWidget(dialog)
    assert not dialog.login_button.isEnabled()
    assert "set-passphrase" in dialog.message.text()


def test_open_supervisor_view_logs_in_then_shows_the_day(
    qtbot: QtBot, auth: SupervisorAuth, store: SqlJournalStore, journal_url: str
) -> None:
    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SupervisorLoginDialog):
            QTimer.singleShot(20, answer)
            return
        dialog.name_edit.setText("Sam Toezicht")
        dialog.passphrase_edit.setText(PASSPHRASE)
        dialog.try_login()

    QTimer.singleShot(20, answer)
    settings = type("S", (), {"counter_id": "balie-9"})()
    window = open_supervisor_view(None, journal_url=journal_url, settings=settings, auth=auth)
    assert isinstance(window, SupervisorWindow)  # deletes itself on close
    assert window.supervisor == "Sam Toezicht" and window.counter_id == "balie-9"
    qtbot.waitUntil(lambda: window.view is not None, timeout=10_000)
    window.close()


def _drive_login(answers: list[str], done: list[SupervisorLoginDialog]) -> None:
    """Answer the login dialog once it is up: each passphrase in turn, when the button allows."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SupervisorLoginDialog) or not dialog.login_button.isEnabled():
            QTimer.singleShot(20, answer)
            return
        if not answers:
            done.append(dialog)
            return
        dialog.name_edit.setText("Sam Toezicht")
        dialog.passphrase_edit.setText(answers.pop(0))
        dialog.try_login()
        QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)


def test_login_attempts_are_written_to_the_log(
    qtbot: QtBot, auth: SupervisorAuth, store: SqlJournalStore, journal_url: str
) -> None:
    from counter_app.journal.models import LoginOutcome

    _drive_login(["dit is het niet", PASSPHRASE], [])
    settings = type("S", (), {"counter_id": "balie-9"})()
    window = open_supervisor_view(None, journal_url=journal_url, settings=settings, auth=auth)
    assert isinstance(window, SupervisorWindow)
    today = store.local_day(dt.datetime.now(dt.UTC))
    logins = [s for s in store.entries(today) if s.entry.kind is EntryKind.SUPERVISOR_LOGIN]
    assert [s.entry.supervisor_login.outcome for s in logins if s.entry.supervisor_login] == [
        LoginOutcome.WRONG,
        LoginOutcome.OK,
    ]
    assert [s.entry.supervisor_login.failures for s in logins if s.entry.supervisor_login] == [
        1,
        0,
    ]
    assert all(s.counter_id == "balie-9" and s.entry.clerk.name == "Sam Toezicht" for s in logins)
    assert store.verify().ok
    qtbot.waitUntil(lambda: window.view is not None, timeout=10_000)
    window.close()


def test_the_delay_counts_the_logged_failures_not_a_deletable_file(
    qtbot: QtBot, tmp_path: Path, store: SqlJournalStore, journal_url: str
) -> None:
    """The audit reset the delay by deleting the attempts file in the clerk's folder:
    the view now also counts the wrong passphrases the journal holds."""
    from counter_app.journal.models import LoginOutcome
    from counter_app.journal.records import supervisor_login_entry

    slow = SupervisorAuth(tmp_path / "supervisor.argon2", base_delay_s=60, max_delay_s=120)
    slow.set_passphrase(PASSPHRASE)
    store.append(supervisor_login_entry("balie-9", name="x", outcome=LoginOutcome.WRONG,
                                        failures=1))  # fmt: skip
    slow.attempts_file.unlink(missing_ok=True)  # no trace of it in the clerk's folder
    seen: list[object] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SupervisorLoginDialog):
            QTimer.singleShot(20, answer)
            return
        if dialog.last_result is not None:
            seen.append(dialog.last_result)
            dialog.reject()
            return
        if dialog.login_button.isEnabled() and not dialog.name_edit.text():
            dialog.name_edit.setText("Sam Toezicht")
            dialog.passphrase_edit.setText(PASSPHRASE)  # the right one
            dialog.try_login()
        QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)
    settings = type("S", (), {"counter_id": "balie-9"})()
    window = open_supervisor_view(None, journal_url=journal_url, settings=settings, auth=slow)
    assert window is None
    (result,) = seen
    assert result.status is AuthStatus.LOCKED and result.retry_after_s > 50  # type: ignore[attr-defined]


def test_an_unwritable_log_keeps_the_view_closed(
    qtbot: QtBot, auth: SupervisorAuth, tmp_path: Path, languages: LanguageSwitcher
) -> None:
    languages.set_language("en")  # the texts below are the untranslated ones
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the journal's folder should be\n")
    url = f"sqlite://{blocker / 'journal.sqlite3'}"
    seen: list[SupervisorLoginDialog] = []
    texts: list[str] = []

    def cancel_when_refused() -> None:
        if not seen:
            QTimer.singleShot(20, cancel_when_refused)
            return
        dialog = seen[0]
        if not dialog.login_button.isEnabled() or dialog.last_result is None:
            QTimer.singleShot(20, cancel_when_refused)
            return
        texts.append(dialog.message.text())
        dialog.reject()

    _drive_login([PASSPHRASE], seen)
    QTimer.singleShot(20, cancel_when_refused)
    settings = type("S", (), {"counter_id": "balie-9"})()
    window = open_supervisor_view(None, journal_url=url, settings=settings, auth=auth)
    assert window is None
    assert texts and "daily log" in texts[0]
    assert seen[0].result() != seen[0].DialogCode.Accepted
    assert seen[0].last_result is not None and seen[0].last_result.ok  # right, yet refused


def test_a_failed_append_refuses_a_right_passphrase(
    qtbot: QtBot, auth: SupervisorAuth, languages: LanguageSwitcher
) -> None:
    languages.set_language("en")  # the texts below are the untranslated ones
    from counter_app.auth import AuthResult
    from counter_app.journal.errors import JournalFullError

    calls: list[AuthStatus] = []

    def full(result: AuthResult, name: str) -> None:
        calls.append(result.status)
        raise JournalFullError("the journal is full (disk or size limit reached)")

    dialog = SupervisorLoginDialog(auth, on_attempt=full)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("Sam Toezicht")
    dialog.passphrase_edit.setText("dit is het niet")
    dialog.try_login()
    qtbot.waitUntil(lambda: dialog.last_result is not None, timeout=10_000)
    assert "could not be logged" in dialog.message.text()  # said beside the wait
    assert "the journal is full" in dialog.message.text()
    qtbot.waitUntil(dialog.login_button.isEnabled, timeout=5_000)
    dialog.passphrase_edit.setText(PASSPHRASE)
    dialog.try_login()
    qtbot.waitUntil(lambda: "not opened" in dialog.message.text(), timeout=10_000)
    assert calls == [AuthStatus.WRONG, AuthStatus.OK]
    assert dialog.result() != dialog.DialogCode.Accepted and dialog.supervisor_name == ""
    assert "the journal is full" in dialog.message.text()
    assert dialog.login_button.isEnabled()  # may try again once the log is fixed


def test_login_entries_show_as_their_own_kind(
    qtbot: QtBot, window: SupervisorWindow, store: SqlJournalStore
) -> None:
    from counter_app.journal.models import LoginOutcome
    from counter_app.journal.records import supervisor_login_entry

    wait_loaded(qtbot, window, DAY)
    figures = window.view.figures if window.view else None
    store.append_many([
        supervisor_login_entry("balie-9", name="Sam Toezicht", outcome=LoginOutcome.WRONG,
                               failures=1, at=at(16, 0)),
        supervisor_login_entry("balie-9", name="Sam Toezicht", outcome=LoginOutcome.OK,
                               at=at(16, 1)),
    ])  # fmt: skip
    window.report = None
    window.load_day()
    wait_loaded(qtbot, window, DAY)
    assert window.view is not None and window.view.figures == figures  # no check counted
    kinds = column(window, Column.KIND)
    assert kinds[-2:] == ["supervisor login", "supervisor login"]
    assert column(window, Column.DECISION)[-2:] == ["wrong passphrase", "logged in"]
    assert column(window, Column.CLERK)[-2:] == ["Sam Toezicht", "Sam Toezicht"]
    assert column(window, Column.DURATION)[-1] == ""
    assert window.badge.text().startswith("Chain intact")


def test_cli_set_passphrase_is_dispatched(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["set-passphrase", "--bogus"]) == 2
    assert "usage" in capsys.readouterr().err


# -- table, masking, filters -------------------------------------------------------------------


def test_the_day_is_listed_with_insz_masked(
    window: SupervisorWindow, store: SqlJournalStore
) -> None:
    expected = store.entries(DAY)
    assert window.model.rowCount() == len(expected) == 13
    subjects = column(window, Column.SUBJECT)
    for shown, stored in zip(subjects, expected, strict=True):
        insz = stored.entry.subject_insz
        assert insz is not None
        assert shown == f"{insz[0:2]}.{insz[2:4]}.{insz[4:6]}-xxx.xx"
        assert insz not in shown
    times = column(window, Column.TIME)
    assert times == sorted(times) and times[0] == "09:05:00"  # local time, Brussels
    assert "13 " in window.count_label.text()


def test_filters_narrow_the_table(qtbot: QtBot, window: SupervisorWindow) -> None:
    view = window.view
    assert view is not None

    def expect(flt: EntryFilter) -> None:
        wanted = [s.id for s in view.entries if _passes(s, flt)]
        shown = [window.model.entry_at(r).id for r in range(window.model.rowCount())]  # type: ignore[union-attr]
        assert shown == wanted and 0 < len(shown) < len(view.entries)

    qtbot.keyClicks(window.clerk_edit, "bo")
    assert set(column(window, Column.CLERK)) == {CLERK_BO.name}
    expect(EntryFilter(clerk="bo"))
    window.clear_filters()
    choose(window.manual_combo, EntryMode.MANUAL)
    assert column(window, Column.MODE) == ["manual", "manual"]  # the check and its decision
    window.clear_filters()
    choose(window.failures_combo, True)
    assert window.model.rowCount() == 1 and column(window, Column.FAILURES) == ["1"]
    window.clear_filters()
    choose(window.override_combo, True)
    assert window.model.rowCount() == 1
    assert column(window, Column.OVERRIDE) == ["yes"]
    overridden = window.model.entry_at(0)
    assert overridden is not None
    full = window.store.entry(overridden.id)
    assert full is not None and full.entry.decision is not None
    assert full.entry.decision.override_reason == "OCMW-attest getoond"
    window.clear_filters()
    choose(window.outcome_combo, AdviceOutcome.ELIGIBLE)
    expect(EntryFilter(outcome=AdviceOutcome.ELIGIBLE))
    choose(window.right_combo, LEZ)  # filters combine
    expect(EntryFilter(outcome=AdviceOutcome.ELIGIBLE, right=LEZ))
    window.clear_filters()
    choose(window.decision_combo, DecisionAction.CANCELLED)
    assert window.model.rowCount() == 1
    window.clear_filters()
    assert window.model.rowCount() == len(view.entries)


def _passes(row: object, flt: EntryFilter) -> bool:
    from counter_app.journal.figures import matches

    return matches(row, flt)  # type: ignore[arg-type]


def test_reveal_asks_a_reason_and_is_logged(
    qtbot: QtBot,
    window: SupervisorWindow,
    store: SqlJournalStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    row = 2
    target = window.model.entry_at(row)
    assert target is not None and target.subject_insz is not None
    window.table.selectRow(row)
    assert window.reveal_button.isEnabled()

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("", True)))
    window.reveal_button.click()  # no reason: nothing shown, nothing logged
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("x", False)))
    window.reveal_button.click()  # cancelled
    assert not _reveals(store, target.check_id)
    assert "xxx" in window.model.data(window.model.index(row, Column.SUBJECT))

    reason = "klacht 2026/118 van de burger"
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (reason, True)))
    with qtbot.waitSignal(window.revealed, timeout=10_000) as shown_signal:
        window.reveal_button.click()  # logged on the pool, shown when the log has it
    assert shown_signal.args == [target.id]
    insz = target.subject_insz
    shown = window.model.data(window.model.index(row, Column.SUBJECT))
    assert shown.replace(".", "").replace("-", "") == insz
    reveals = _reveals(store, target.check_id)
    assert len(reveals) == 1
    logged = reveals[0].entry
    assert logged.reveal is not None and logged.reveal.entry_id == target.id
    assert logged.reveal.reason == reason
    assert logged.clerk.name == "Sam Toezicht" and logged.counter_id == "balie-9"
    # the other rows stay masked
    assert all("xxx" in s for i, s in enumerate(column(window, Column.SUBJECT)) if i != row)
    assert not window.reveal_button.isEnabled()  # already shown


def test_reveal_with_a_locked_log_keeps_the_window_responsive(
    qtbot: QtBot,
    store: SqlJournalStore,
    journal_url: str,
    monkeypatch: pytest.MonkeyPatch,
    languages: LanguageSwitcher,
) -> None:
    """The reveal is a journal write: with another process holding the write lock it
    waits the whole busy timeout. The audit saw the window freeze for those 5 s."""
    import sqlite3
    import time

    from PySide6.QtWidgets import QMessageBox

    languages.set_language("en")
    slow = open_journal(journal_url, busy_timeout=2.0)
    made = SupervisorWindow(slow, supervisor="Sam", counter_id="balie-9", day=DAY)
    qtbot.addWidget(made)
    made.show()
    wait_loaded(qtbot, made, DAY)
    made.table.selectRow(2)
    target = made.model.entry_at(2)
    assert target is not None
    reason = staticmethod(lambda *a, **k: ("klacht 2026/7", True))
    monkeypatch.setattr(QInputDialog, "getText", reason)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: warned.append(a[2])))
    holder = sqlite3.connect(journal_url.removeprefix("sqlite://"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # a counter writing, or a stuck process
    beats: list[float] = []
    heartbeat = QTimer()
    heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))
    heartbeat.start(10)
    try:
        qtbot.wait(50)  # the heartbeat is running
        made.reveal_button.click()
        enabled_meanwhile = made.reveal_button.isEnabled()
        qtbot.waitUntil(lambda: bool(warned), timeout=10_000)
        qtbot.wait(50)  # a few more beats: a freeze shows as one long gap
    finally:
        heartbeat.stop()
        holder.execute("ROLLBACK")
        holder.close()
    assert warned and "could not be logged" in warned[0] and "busy" in warned[0]
    assert target.subject_insz not in warned[0]
    stall = max(b - a for a, b in itertools.pairwise(beats))
    assert stall < 0.5, f"the window froze for {stall:.2f} s"
    assert beats[-1] - beats[0] > 1.5  # the reveal waited the ~2 s busy timeout meanwhile
    assert not enabled_meanwhile  # no second reveal while one is being logged
    assert "xxx" in made.model.data(made.model.index(2, Column.SUBJECT))
    assert not _reveals(store, target.check_id)
    assert made.reveal_button.isEnabled()  # may be tried again
    made.close()
    languages.set_language("nl")


def _reveals(store: SqlJournalStore, check_id: str) -> list[StoredEntry]:
    """Reveal entries are recorded now (today), linked to the check they concern."""
    return [s for s in store.entries_for_check(check_id) if s.entry.kind is EntryKind.REVEAL]


def test_export_writes_the_day_and_its_figures(
    qtbot: QtBot,
    window: SupervisorWindow,
    store: SqlJournalStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "export" / "dag"
    target.parent.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    choose(window.failures_combo, True)  # a filter does not shrink the export of the day
    with qtbot.waitSignal(window.exported, timeout=10_000) as done:
        window.export_button.click()
    assert done.args == [target.with_name("dag.csv")]
    written = target.with_name("dag.csv")
    with written.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    entries = store.entries(DAY)
    assert [int(r["entry_id"]) for r in rows] == [s.id for s in entries]
    for row, stored in zip(rows, entries, strict=True):
        assert stored.entry.subject_insz not in row["subject_insz"]
        assert row["subject_insz"].endswith("-xxx.xx")
    with target.with_name("dag.figures.csv").open(newline="", encoding="utf-8") as f:
        figures = {(r["figure"], r["detail"]): r["value"] for r in csv.DictReader(f)}
    assert figures[("checks", "")] == str(store.day_figures(DAY).checks)
    assert "dag.csv" in window.statusBar().currentMessage()


def test_export_to_an_unwritable_place_is_a_message_not_a_crash(
    qtbot: QtBot, window: SupervisorWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "no" / "such" / "folder" / "x.csv"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(missing), ""))
    )
    warned: list[str] = []
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: warned.append(a[2])))
    with qtbot.waitSignal(window.exported, timeout=10_000) as done:
        window.export_day()
    assert done.args == [None]
    assert warned and not missing.exists()


# -- figures and chart -------------------------------------------------------------------------


def test_figures_of_the_seeded_day(window: SupervisorWindow, store: SqlJournalStore) -> None:
    figures = store.day_figures(DAY)
    panel = window.figures
    assert panel.value_text("checks") == str(figures.checks) == "7"
    assert panel.value_text("opportunity_tariff_sales") == str(figures.opportunity_tariff_sales)
    assert panel.value_text("overrides") == "1"
    assert panel.value_text("manual_entries") == "1"
    assert panel.value_text("checks_with_source_failures").startswith("1 (national_register: 1)")
    assert panel.value_text("median_check") == f"{figures.median_check_ms / 1000:.1f} s"  # type: ignore[operator]
    table = panel.advice_table
    shown = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert shown == {right: str(c.get("eligible", 0)) for right, c in figures.advice.items()}
    chart = panel.chart
    assert chart._counts == figures.checks_per_hour
    assert "09h" in chart.accessibleDescription() and "14h" in chart.accessibleDescription()
    image = chart.grab().toImage()
    assert image.width() > 300 and not image.isNull()


def test_another_day_replaces_table_and_figures(
    qtbot: QtBot, window: SupervisorWindow, store: SqlJournalStore
) -> None:
    window.day_edit.setDate(QDate(OTHER_DAY.year, OTHER_DAY.month, OTHER_DAY.day))
    wait_loaded(qtbot, window, OTHER_DAY)
    # two checks and the seal the store wrote when balie-1 started the next day
    assert window.model.rowCount() == len(store.entries(OTHER_DAY)) == 3
    assert "day seal" in column(window, Column.KIND) or "dagafsluiting" in column(
        window, Column.KIND
    )
    assert window.figures.value_text("checks") == "2"
    window.day_edit.setDate(QDate(2026, 11, 1))  # nothing logged that day
    wait_loaded(qtbot, window, dt.date(2026, 11, 1))
    assert window.model.rowCount() == 0 and window.figures.value_text("median_check") == "—"


# -- verification badge ------------------------------------------------------------------------


def test_badge_intact(window: SupervisorWindow) -> None:
    assert window.report is not None and window.report.ok
    assert window.badge.text().startswith("Chain intact") or window.badge.text().startswith(
        "Keten intact"
    )


def test_badge_broken_after_tampering(
    qtbot: QtBot, window: SupervisorWindow, store: SqlJournalStore, journal_url: str
) -> None:
    raw = RawDb(journal_url)
    try:
        raw.drop_guards()
        row = raw.row("balie-2", 4)
        forged = row["body"].replace('"no_action"', '"opportunity_tariff_sale"')
        assert forged != row["body"]
        raw.execute("UPDATE journal_entries SET body = ? WHERE id = ?", (forged, row["id"]))
    finally:
        raw.close()
    qtbot.mouseClick(window.reload_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.report is not None, timeout=10_000)
    assert window.report is not None and not window.report.ok
    text = window.badge.text()
    assert ("broken at entry 4" in text or "gebroken bij entry 4" in text) and "balie-2" in text


def test_an_unreadable_journal_is_a_message(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    store = open_journal(f"sqlite://{path}")
    made = SupervisorWindow(store, supervisor="Sam", counter_id="balie-9", day=DAY)
    qtbot.addWidget(made)
    failures: list[str] = []
    made.load_failed.connect(failures.append)
    store.close()  # the database goes away under the window
    made.load_day()
    qtbot.waitUntil(lambda: bool(failures), timeout=10_000)
    assert "log" in failures[0].lower() or "logboek" in failures[0].lower()
    qtbot.waitUntil(
        lambda: "chain" in made.badge.text().lower() or "keten" in made.badge.text().lower(),
        timeout=10_000,
    )


def test_keyboard_reaches_the_controls(window: SupervisorWindow) -> None:
    for widget in (window.day_edit, window.clerk_edit, window.right_combo, window.table,
                   window.reveal_button, window.export_button):  # fmt: skip
        assert widget.accessibleName(), widget
        assert widget.focusPolicy() != Qt.FocusPolicy.NoFocus
    assert window.day_label.buddy() is window.day_edit
    assert "&" in window.day_label.text()
    assert isinstance(window.clerk_edit, QLineEdit)


# -- Dutch first -------------------------------------------------------------------------------


def _messages(ts: Path) -> dict[tuple[str, str], str]:
    from lxml import etree

    found: dict[tuple[str, str], str] = {}
    for context in etree.parse(str(ts)).iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            done = translation is not None and not translation.get("type")
            text = (translation.text or "") if done and translation is not None else ""
            found[(name, message.findtext("source") or "")] = text
    return found


def test_shipped_catalogue_covers_every_supervisor_string(tmp_path: Path) -> None:
    """lupdate on today's sources finds nothing that loket_supervisor_nl.ts lacks."""
    from counter_app.ui.supervisor.catalogue_nl import CATALOGUE_NAME, build_qm, shipped_dir

    _qm, missing = build_qm(tmp_path)
    assert not missing, f"no Dutch in catalogue_nl.SUPERVISOR_NL for: {missing}"
    wanted = _messages(tmp_path / f"{CATALOGUE_NAME}.ts")
    shipped = _messages(shipped_dir() / f"{CATALOGUE_NAME}.ts")
    assert len(wanted) > 50
    stale = sorted(k for k in wanted if not shipped.get(k))
    assert not stale, f"run: .venv/bin/python -m counter_app.ui.supervisor.catalogue_nl ({stale})"
    qm = shipped_dir() / f"{CATALOGUE_NAME}.qm"
    assert qm.stat().st_mtime >= (shipped_dir() / f"{CATALOGUE_NAME}.ts").stat().st_mtime - 1


def test_the_view_speaks_dutch(qtbot: QtBot, dutch: object, store: SqlJournalStore) -> None:
    """Through the application's own LanguageSwitcher, which loads loket_supervisor_nl.qm."""
    made = SupervisorWindow(
        store, supervisor="Sam", counter_id="balie-9", day=DAY, owns_store=False
    )
    qtbot.addWidget(made)
    wait_loaded(qtbot, made, DAY)
    assert made.badge.text().startswith("Keten intact")
    assert (
        made.model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) == "Tijd"
    )
    assert made.figures.captions["checks"].text() == "Controles:"
    assert "geen recht" in column(made, Column.ADVICE)[2]  # the 09:40 check
    made.close()
