"""What the window writes to the daily log (the real SQLite journal in a private directory)."""

from __future__ import annotations

import time

import pytest
from pytestqt.qtbot import QtBot

from counter_app.journal.models import DecisionAction, EntryKind, EntryMode
from counter_app.journal.store import open_journal
from counter_app.sandbox.faults import SandboxFaults, SourceFaults
from counter_app.ui import embedded
from counter_app.ui.flow import FlowState
from counter_app.ui.main_window import CounterWindow
from counter_app.ui.ports import ConfirmFailure, ConfirmProblem, DecisionKind
from rules import SourceId

from .conftest import WindowFactory, wait_state


def _entries(window, check_id: str):  # type: ignore[no-untyped-def]
    return window.backend.journal.entries_for_check(check_id)


def _check_id(window) -> str:  # type: ignore[no-untyped-def]
    assert window.check_view is not None
    return str(window.check_view.handle.check_id)


def test_consultation_and_override_decision_are_logged(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    assert window.backend.journal is not None, window.backend.journal_note
    window.insert_simulated_card("be-padded-month-rsa-17")  # lives in Brugge: no right
    wait_state(qtbot, window, FlowState.ADVICE)
    check_id = _check_id(window)
    qtbot.waitUntil(lambda: len(_entries(window, check_id)) == 1, timeout=5000)
    consultation = _entries(window, check_id)[0].entry
    assert consultation.kind is EntryKind.CONSULTATION
    assert consultation.entry_mode is EntryMode.CARD
    assert consultation.subject_insz == window.subject.insz  # type: ignore[union-attr]
    assert {r.rule_set_id for r in consultation.rule_sets} == {
        c.advice.right_id for c in window.advice.cards
    }
    assert consultation.requests, "every request to a source is in the log"

    window.decision.select("uitpas-kansentarief", DecisionKind.SELL_OPPORTUNITY)
    window.decision.reason.setText("Verhuist volgende week naar Gent; attest gezien")
    window.decision.request_confirm()
    wait_state(qtbot, window, FlowState.CONFIRMED, FlowState.ADVICE)
    assert window.flow.state is FlowState.CONFIRMED, window.decision.message.text()
    entries = _entries(window, check_id)
    assert [e.entry.kind for e in entries] == [EntryKind.CONSULTATION, EntryKind.DECISION]
    decision = entries[1].entry.decision
    assert decision is not None and decision.overridden
    assert decision.action is DecisionAction.OPPORTUNITY_TARIFF_SALE
    assert "attest gezien" in decision.override_reason
    assert window.confirmation is not None
    assert window.confirmation.journal_entry.endswith(f"#{entries[1].seq}")


def test_manual_entry_is_logged_as_manual(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.start_manual("76642812413")
    wait_state(qtbot, window, FlowState.ADVICE)
    check_id = _check_id(window)
    qtbot.waitUntil(lambda: len(_entries(window, check_id)) == 1, timeout=5000)
    assert _entries(window, check_id)[0].entry.entry_mode is EntryMode.MANUAL


def test_log_failure_after_registration_is_shown_and_retried_without_registering_twice(
    qtbot: QtBot, make_window: WindowFactory, settings
) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.insert_simulated_card("kids-id-ec-18")  # VT in the family: opportunity tariff
    wait_state(qtbot, window, FlowState.ADVICE)
    check_id = _check_id(window)
    qtbot.waitUntil(lambda: len(_entries(window, check_id)) == 1, timeout=5000)
    current = window.decision.current()
    assert current is not None and current[1] is DecisionKind.SELL_OPPORTUNITY
    window.backend.journal.close()  # the log goes away between the advice and the decision
    window.decision.request_confirm()
    # not "not registered": the pass *was* registered, only the log is missing
    qtbot.waitUntil(lambda: "Niet gelogd" in window.decision.message.text(), timeout=10000)
    assert window.flow.state is FlowState.ADVICE and window.confirmation is None
    first_message = window.decision.message.text()
    assert "UiTPAS heeft de pas geregistreerd" in first_message

    window.backend.journal = open_journal(settings.journal.url)  # the log is back
    window.decision.request_confirm()
    wait_state(qtbot, window, FlowState.CONFIRMED, FlowState.ADVICE)
    qtbot.waitUntil(lambda: window.flow.state is FlowState.CONFIRMED, timeout=10000)
    assert window.confirmation is not None
    reference = window.confirmation.passholder_reference
    assert reference and reference in first_message  # same registration, not a second one
    kinds = [e.entry.kind for e in _entries(window, check_id)]
    assert kinds == [EntryKind.CONSULTATION, EntryKind.DECISION]


class _SlowJournal:
    """The real journal, with an append slow enough to be in flight when the window closes."""

    def __init__(self, real: object, delay: float = 0.4) -> None:
        self.real = real
        self.delay = delay
        self.events: list[str] = []
        self.kinds: list[str] = []

    def append(self, entry):  # type: ignore[no-untyped-def]
        self.events.append("append started")
        self.kinds.append(entry.kind.value)
        time.sleep(self.delay)
        stored = self.real.append(entry)  # type: ignore[attr-defined]
        self.events.append("append done")
        return stored

    def close(self) -> None:
        self.events.append("closed")
        self.real.close()  # type: ignore[attr-defined]

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.real, name)


def _advice_over(
    qtbot: QtBot, window: CounterWindow, profile: str, delay: float = 0.4
) -> _SlowJournal:
    """``window`` logging through a ``_SlowJournal``, showing the advice for ``profile``."""
    assert window.backend.journal is not None, window.backend.journal_note
    journal = _SlowJournal(window.backend.journal, delay=delay)
    window.backend.journal = journal
    window.insert_simulated_card(profile)
    wait_state(qtbot, window, FlowState.ADVICE)
    return journal


def test_closing_the_window_lets_the_consultation_write_finish(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """Shutdown cancels every task on the loop: the log write must not be one of them."""
    window = make_window()
    slow = _advice_over(qtbot, window, "be-adult-ec-18")
    assert slow.events == ["append started"]  # the consultation is being written
    window.shutdown()
    assert slow.events == ["append started", "append done", "closed"]


def test_a_stuck_log_write_does_not_hold_up_closing_the_rest(
    qtbot: QtBot, make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the grace, the window closes without closing the journal under the write."""
    monkeypatch.setattr(embedded, "_WRITES_GRACE_S", 0.2)
    window = make_window()
    slow = _advice_over(qtbot, window, "be-adult-ec-18")
    started = time.monotonic()
    window.shutdown()
    assert time.monotonic() - started < 0.4 + 1.0  # did not wait for the 0.4 s write
    assert "closed" not in slow.events  # never closed under a write in flight
    # What counter_app.ui.app.main asks after the window is gone, before the process ends:
    assert window.backend.wait_for_log_writes(0.0) is False  # still writing
    assert window.backend.wait_for_log_writes(5.0) is True
    assert slow.events[-1] == "append done"  # and it finished


def test_closing_while_a_sale_is_confirmed_finishes_it_and_logs_it(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """Closing does not tear a confirmation: registered at UiTPAS means logged too."""
    faults = SandboxFaults.only(SourceId.UITPAS, SourceFaults(latency_ms=600))
    window = make_window(faults=faults)
    # eligible: selling needs no reason
    recorder = _advice_over(qtbot, window, "be-bare-year-ec-18", delay=0.0)
    window.decision.request_confirm()
    wait_state(qtbot, window, FlowState.CONFIRMING)
    window.shutdown()
    assert recorder.kinds == ["consultation", "decision"]
    assert recorder.events[-1] == "closed"


class _DecisionLogFailsOnce:
    """The real journal, refusing the first decision entry (the log was briefly unusable)."""

    def __init__(self, real: object) -> None:
        self.real = real
        self.refused = 0

    def append(self, entry):  # type: ignore[no-untyped-def]
        if entry.kind is EntryKind.DECISION and not self.refused:
            self.refused += 1
            raise OSError("disk I/O error")
        return self.real.append(entry)  # type: ignore[attr-defined]

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.real, name)


def test_a_registered_sale_left_out_of_the_log_is_written_with_the_next_entry(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """Once its citizen has left the screen nobody can confirm again: the backend writes
    the kept entry itself as soon as the log is used again (the review found it dropped)."""
    window = make_window()
    journal = _DecisionLogFailsOnce(window.backend.journal)
    window.backend.journal = journal
    window.insert_simulated_card("kids-id-ec-18")
    wait_state(qtbot, window, FlowState.ADVICE)
    first = _check_id(window)
    window.decision.request_confirm()
    qtbot.waitUntil(lambda: "Niet gelogd" in window.decision.message.text(), timeout=10000)
    assert [e.entry.kind for e in _entries(window, first)] == [EntryKind.CONSULTATION]
    window.remove_simulated_card()
    window.insert_simulated_card("be-adult-rsa-17")  # the next citizen: a new consultation
    wait_state(qtbot, window, FlowState.ADVICE)
    qtbot.waitUntil(lambda: len(_entries(window, first)) == 2, timeout=10000)
    kinds = [e.entry.kind for e in _entries(window, first)]
    assert kinds == [EntryKind.CONSULTATION, EntryKind.DECISION]
    assert journal.refused == 1


def test_the_previous_citizens_pass_reference_stays_off_the_screen(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    window._previous = (  # what a confirmation that ended after its card left reports
        "failed",
        ConfirmProblem(
            ConfirmFailure.NOT_LOGGED,
            "the log could not be written (UiTPAS 0930000123456): database is locked",
            registered_reference="0930000123456",
            log_failed_detail="database is locked",
        ),
    )
    window._render_previous()
    shown = window.previous_note.text()
    assert "0930000123456" not in shown
    assert "volgende logboekregel" in shown
