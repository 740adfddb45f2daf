"""A decision for each right of one check, through the real backend, sandbox and journal.

The citizen of ``rogue-signer-ec-18`` (INSZ 90641840238, persona in
``resources/personas``) has a right to all three: the UiTPAS opportunity tariff (living
wage), the LEZ exemption and the reduced LEZ tariff (disability file, parking card).
The window used to end the flow after the first confirmation: the other rights
needed the card read again. Each decision is now its own log entry on the same
consultation, and no right can be decided twice for the citizen on screen.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QRadioButton
from pytestqt.qtbot import QtBot

from counter_app.config import Settings
from counter_app.journal.store import open_journal
from counter_app.ui.flow import FlowState
from counter_app.ui.main_window import CounterWindow
from counter_app.ui.ports import (
    DecisionKind,
    DecisionRequest,
    Outcome,
    ReaderEvent,
    ReaderEventKind,
)

from .conftest import WindowFactory, wait_state
from .helpers import shown_outcomes

CARD = "rogue-signer-ec-18"  # not verifiable: the clerk acknowledges, then three rights
INSZ = "90641840238"
UITPAS = "uitpas-kansentarief"
EXEMPTION = "lez-vrijstelling-handicap"
REDUCED = "lez-verminderd-tarief"


def _count_confirms(window: CounterWindow) -> list[str]:
    """The rights the window asks the real backend to confirm, in order (nothing replaced)."""
    asked: list[str] = []
    real: Callable[..., Any] = window.backend.confirm

    async def confirm(check: Any, decision: DecisionRequest) -> Any:
        asked.append(decision.right_id)
        return await real(check, decision)

    window.backend.confirm = confirm  # type: ignore[method-assign]
    return asked


def _advice(qtbot: QtBot, make_window: WindowFactory, **options: Any) -> CounterWindow:
    window = make_window(**options)
    window.insert_simulated_card(CARD)
    wait_state(qtbot, window, FlowState.CARD_WARNING)
    window.acknowledge_card()
    wait_state(qtbot, window, FlowState.ADVICE)
    assert shown_outcomes(window) == dict.fromkeys((UITPAS, EXEMPTION, REDUCED), Outcome.ELIGIBLE)
    return window


def _confirm(
    qtbot: QtBot, window: CounterWindow, right: str, kind: DecisionKind, *, enter: bool = False
) -> None:
    """Choose ``right``/``kind`` in the panel, confirm (button or Enter), wait for the answer."""
    assert window.decision.select(right, kind)
    states: list[str] = []
    window.state_changed.connect(states.append)
    if enter:
        window.enter_pressed()
    else:
        window.decision.request_confirm()
    qtbot.waitUntil(
        lambda: "confirming" in states and window.flow.state is not FlowState.CONFIRMING,
        timeout=15000,
    )
    window.state_changed.disconnect(states.append)


def _decisions(window: CounterWindow, check_id: str) -> list[tuple[str, str | None]]:
    journal = window.backend.journal  # type: ignore[attr-defined]
    return [
        (e.entry.kind.value, e.entry.decision.right if e.entry.decision else None)
        for e in journal.entries_for_check(check_id)
    ]


def _card_says_decided(window: CounterWindow) -> dict[str, str]:
    """Right id -> the "decided" line on its advice card, for the cards that show one."""
    return {
        card.advice.right_id: card.decided_note.text()
        for card in window.advice.cards
        if not card.decided_note.isHidden()
    }


def _check_id(window: CounterWindow) -> str:
    assert window.check_view is not None
    return str(window.check_view.handle.check_id)  # type: ignore[attr-defined]


def test_two_rights_are_confirmed_one_after_the_other_on_one_consultation(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = _advice(qtbot, make_window)
    check_id = _check_id(window)
    _confirm(qtbot, window, UITPAS, DecisionKind.SELL_OPPORTUNITY)

    # one right done, two to go: the decision stays usable for those
    assert window.flow.state is FlowState.ADVICE and window.decision.isEnabled()
    assert window.result.isVisible()
    assert not window.decision.select(UITPAS, DecisionKind.SELL_OPPORTUNITY)
    first = window.decided[UITPAS].confirmation
    assert first.passholder_reference
    assert f"Logboekregel {first.journal_entry}" in window.result.text()
    assert "Nog te beslissen" in window.hero.text(), window.hero.text()
    names = [b.objectName() for b in window.decision.choice_buttons()]
    assert names and not any(UITPAS in n for n in names), names
    assert window.decision.decided_rights() == [UITPAS]
    row = window.decision.findChild(type(window.result), f"decided_{UITPAS}")
    assert row is not None and "Bevestigd" in row.text() and first.journal_entry in row.text()
    assert _card_says_decided(window) == {UITPAS: f"Beslist (logboekregel {first.journal_entry})."}
    current = window.decision.current()
    assert current is not None and current[0].right_id == EXEMPTION  # the next grant, pre-set
    assert window.decision.tab_stops()[0] in window.decision.choice_buttons()
    focused = window.focusWidget()
    assert focused is not None and window.decision.isAncestorOf(focused)

    _confirm(qtbot, window, EXEMPTION, DecisionKind.REGISTER_LEZ, enter=True)
    assert window.flow.state is FlowState.ADVICE
    _confirm(qtbot, window, REDUCED, DecisionKind.GRANT_LEZ_REDUCTION)
    assert window.flow.state is FlowState.CONFIRMED  # every right decided: the final state
    assert not window.decision.isEnabled()
    qtbot.waitUntil(lambda: len(_decisions(window, check_id)) == 4, timeout=5000)
    assert _decisions(window, check_id) == [
        ("consultation", None),
        ("decision", UITPAS),
        ("decision", EXEMPTION),
        ("decision", REDUCED),
    ]
    # every confirmed right keeps its result line
    lines = window.result.text().splitlines()
    assert len(lines) == 3
    for line, right in zip(lines, (UITPAS, EXEMPTION, REDUCED), strict=True):
        assert window.decided[right].confirmation.journal_entry in line


def test_a_decided_right_cannot_be_confirmed_again_not_even_after_assessing_again(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = _advice(qtbot, make_window)
    asked = _count_confirms(window)
    first_check = _check_id(window)
    _confirm(qtbot, window, UITPAS, DecisionKind.SELL_OPPORTUNITY)
    assert window.flow.state is FlowState.ADVICE
    assert not window.decision.select(UITPAS, DecisionKind.SELL_OPPORTUNITY)
    again = DecisionRequest(UITPAS, DecisionKind.SELL_OPPORTUNITY, follows_advice=True)
    window.confirm(again)  # as if a stale button or a second Enter asked for it
    assert window.flow.state is FlowState.ADVICE

    window.recheck_with(())  # "Opnieuw beoordelen": a new check, a new consultation
    qtbot.waitUntil(
        lambda: window.flow.state is FlowState.ADVICE and _check_id(window) != first_check,
        timeout=15000,
    )
    # decided stays decided, and is shown so: the sale is in the log of the first check
    assert window.decision.decided_rights() == [UITPAS]
    assert list(_card_says_decided(window)) == [UITPAS]
    assert not window.decision.select(UITPAS, DecisionKind.SELL_OPPORTUNITY)
    assert not window.decision.select(UITPAS, DecisionKind.SELL_NORMAL)
    window.confirm(again)
    assert window.flow.state is FlowState.ADVICE and window.result.isVisible()
    _confirm(qtbot, window, EXEMPTION, DecisionKind.REGISTER_LEZ)
    assert asked == [UITPAS, EXEMPTION]  # one UiTPAS registration, ever
    qtbot.waitUntil(lambda: len(_decisions(window, _check_id(window))) == 2, timeout=5000)
    assert _decisions(window, _check_id(window)) == [
        ("consultation", None),
        ("decision", EXEMPTION),
    ]
    assert _decisions(window, first_check) == [("consultation", None), ("decision", UITPAS)]


def test_a_failed_second_confirmation_keeps_the_first_and_can_be_retried(
    qtbot: QtBot, make_window: WindowFactory, settings: Settings
) -> None:
    window = _advice(qtbot, make_window)
    check_id = _check_id(window)
    _confirm(qtbot, window, UITPAS, DecisionKind.SELL_OPPORTUNITY)
    assert window.flow.state is FlowState.ADVICE
    shown = window.result.text()
    assert "Logboekregel" in shown and "UiTPAS-registratie" in shown
    journal = window.backend.journal  # type: ignore[attr-defined]
    journal.close()  # the log stops working
    assert window.decision.select(EXEMPTION, DecisionKind.REGISTER_LEZ)
    window.decision.request_confirm()
    wait_state(qtbot, window, FlowState.ADVICE)
    qtbot.waitUntil(lambda: bool(window.decision.message.text()), timeout=10000)
    message = window.decision.message.text()
    # kept by the counter and written with the next log entry, not "nothing was saved"
    assert message.startswith("Nog niet gelogd:") and "bevestig opnieuw" in message, message
    assert list(window.decided) == [UITPAS] and window.result.text() == shown
    assert window.result.isVisible() and window.decision.decided_rights() == [UITPAS]
    assert window.decision.current() is not None  # the choice stays, for trying again

    window.backend.journal = open_journal(settings.journal.url)  # type: ignore[attr-defined]
    window.decision.request_confirm()
    qtbot.waitUntil(lambda: EXEMPTION in window.decided, timeout=15000)
    assert window.flow.state is FlowState.ADVICE  # the reduced tariff is still open
    assert window.result.text().splitlines()[0] == shown
    assert [r for _, r in _decisions(window, check_id)] == [None, UITPAS, EXEMPTION]


def test_a_manual_entry_is_cleared_only_when_no_right_waits(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """No sale without a card: the two LEZ rights wait, and the inactivity countdown runs."""
    window = make_window(clear_delay_ms=300, manual_idle_clear_ms=60_000)
    window.start_manual(INSZ)
    wait_state(qtbot, window, FlowState.ADVICE)
    assert shown_outcomes(window) == dict.fromkeys((UITPAS, EXEMPTION, REDUCED), Outcome.ELIGIBLE)
    # a sale would fail (a pass is registered with the card's name and address): the
    # clerk is told so on the choice, and Enter does not start with it pre-selected
    sale = window.decision.findChild(
        QRadioButton, f"choice_{UITPAS}_{DecisionKind.SELL_OPPORTUNITY.value}"
    )
    assert sale is not None and not sale.isChecked()
    assert "vraagt de eID-kaart (naam en adres)" in sale.text()
    chosen = window.decision.current()
    assert chosen is not None and chosen[0].right_id != UITPAS
    _confirm(qtbot, window, EXEMPTION, DecisionKind.REGISTER_LEZ)
    assert window.flow.state is FlowState.ADVICE and window.subject is not None
    assert [a.right_id for a in window.decision.open_rights()] == [REDUCED]
    assert not window.clear_timer.isActive() and window.idle_timer.isActive()
    assert "Ctrl+N" in window.hero.text()
    _confirm(qtbot, window, REDUCED, DecisionKind.GRANT_LEZ_REDUCTION)
    assert window.flow.state is FlowState.CONFIRMED
    qtbot.waitUntil(lambda: window.subject is None, timeout=5000)
    assert not window.decided and not window.result.isVisible()


def test_a_sale_registered_but_not_logged_is_not_registered_again_after_assessing_again(
    qtbot: QtBot, make_window: WindowFactory, settings: Settings
) -> None:
    """Assessing again makes a new check; the sale stays the first check's, sold once."""
    window = _advice(qtbot, make_window)
    first_check = _check_id(window)
    qtbot.waitUntil(lambda: _decisions(window, first_check) == [("consultation", None)])
    window.backend.journal.close()  # type: ignore[attr-defined]
    _confirm(qtbot, window, UITPAS, DecisionKind.SELL_OPPORTUNITY)
    assert window.decision.message.text().startswith("Niet gelogd: UiTPAS heeft de pas")
    asked = _count_confirms(window)

    window.backend.journal = open_journal(settings.journal.url)  # type: ignore[attr-defined]
    window.recheck_with(())  # the new consultation also writes the sale left out of the log
    qtbot.waitUntil(
        lambda: window.flow.state is FlowState.ADVICE and _check_id(window) != first_check,
        timeout=15000,
    )
    qtbot.waitUntil(lambda: len(_decisions(window, first_check)) == 2, timeout=5000)
    # the panel shows the kept sale selected, with its reason
    chosen = window.decision.current()
    assert chosen is not None and chosen[1] is DecisionKind.SELL_OPPORTUNITY
    # the clerk now picks the normal price: what is confirmed (and shown) is the sale
    # that was registered and logged, at the opportunity tariff
    window.decision.reason.setText("De verkoop van daarnet")
    _confirm(qtbot, window, UITPAS, DecisionKind.SELL_NORMAL)
    assert asked == [UITPAS]
    assert UITPAS in window.decided, window.decision.message.text()
    assert window.decided[UITPAS].request.kind is DecisionKind.SELL_OPPORTUNITY
    assert _decisions(window, first_check) == [("consultation", None), ("decision", UITPAS)]
    assert _decisions(window, _check_id(window)) == [("consultation", None)]


def test_a_decision_the_log_refused_is_kept_and_written_once_after_assessing_again(
    qtbot: QtBot, make_window: WindowFactory, settings: Settings
) -> None:
    """A LEZ decision whose log write failed is kept (and written with the next entry): the
    clerk is told so, not "nothing was saved", and confirming it again after assessing
    again does not log it a second time under the new check."""
    window = _advice(qtbot, make_window)
    first_check = _check_id(window)
    qtbot.waitUntil(lambda: _decisions(window, first_check) == [("consultation", None)])
    window.backend.journal.close()  # type: ignore[attr-defined]
    _confirm(qtbot, window, EXEMPTION, DecisionKind.REGISTER_LEZ)
    message = window.decision.message.text()
    assert message.startswith("Nog niet gelogd:") and "niets bewaard" not in message, message

    window.backend.journal = open_journal(settings.journal.url)  # type: ignore[attr-defined]
    window.recheck_with(())  # the new consultation also writes the kept decision
    qtbot.waitUntil(
        lambda: window.flow.state is FlowState.ADVICE and _check_id(window) != first_check,
        timeout=15000,
    )
    assert not window.decision.message.text()  # the old failure belongs to the old panel
    qtbot.waitUntil(lambda: len(_decisions(window, first_check)) == 2, timeout=5000)
    _confirm(qtbot, window, EXEMPTION, DecisionKind.REGISTER_LEZ)
    assert EXEMPTION in window.decided, window.decision.message.text()
    assert _decisions(window, first_check) == [("consultation", None), ("decision", EXEMPTION)]
    assert _decisions(window, _check_id(window)) == [("consultation", None)]


def test_pulling_another_card_during_a_manual_entrys_decision_changes_nothing(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """The card in the reader is not the manual entry's citizen: its removal while a
    decision is being confirmed must not end the entry (the other rights stay open)."""
    window = _advice(qtbot, make_window, manual_idle_clear_ms=60_000)
    window.start_manual(INSZ)
    wait_state(qtbot, window, FlowState.ADVICE)
    assert window.decision.select(EXEMPTION, DecisionKind.REGISTER_LEZ)
    window.decision.request_confirm()
    assert window.flow.state is FlowState.CONFIRMING
    reader = window.known_readers()[0]
    window.backend.remove_card()
    window._on_reader_event(ReaderEvent(ReaderEventKind.CARD_REMOVED, reader))  # now, not queued
    qtbot.waitUntil(lambda: EXEMPTION in window.decided, timeout=15000)
    assert window.flow.state is FlowState.ADVICE and window.subject is not None
    assert [a.right_id for a in window.decision.open_rights()] == [REDUCED]
    assert not window.clear_timer.isActive()


def test_closing_with_a_decision_the_log_never_took_exits_not_recorded(
    qtbot: QtBot, make_window: WindowFactory, capsys: Any
) -> None:
    """ "Loket writes it with the next log entry": when the window closes first, that
    promise is broken, and the process must say so (exit 21), not exit 0."""
    from counter_app.ui.app import exit_code_after_close

    window = _advice(qtbot, make_window)
    qtbot.waitUntil(lambda: _decisions(window, _check_id(window)) == [("consultation", None)])
    window.backend.journal.close()  # type: ignore[attr-defined]
    _confirm(qtbot, window, EXEMPTION, DecisionKind.REGISTER_LEZ)
    assert window.decision.message.text().startswith("Nog niet gelogd:")
    window.shutdown()  # the backend's last retry fails too: the log is closed
    assert exit_code_after_close(window.backend, 0) == 21  # type: ignore[arg-type]
    assert "1 decision(s) could not be written" in capsys.readouterr().err


class _HeldJournal:
    """A real journal whose appends wait for ``release`` and are counted by kind/right."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self.release = threading.Event()
        self.decisions: list[str] = []

    def append(self, entry: Any) -> Any:
        if entry.decision is not None:
            self.decisions.append(entry.decision.right)
            self.release.wait(10)
        return self._real.append(entry)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def test_a_kept_decision_confirmed_again_is_not_also_written_by_the_retry(
    qtbot: QtBot, make_window: WindowFactory, settings: Settings
) -> None:
    """Confirming a kept decision again writes it; the retry the next consultation starts
    (here: started by hand while that write is still going) must not write it a second time."""
    window = _advice(qtbot, make_window)
    check_id = _check_id(window)
    qtbot.waitUntil(lambda: _decisions(window, check_id) == [("consultation", None)])
    window.backend.journal.close()  # type: ignore[attr-defined]
    _confirm(qtbot, window, EXEMPTION, DecisionKind.REGISTER_LEZ)
    assert window.decision.message.text().startswith("Nog niet gelogd:")

    held = _HeldJournal(open_journal(settings.journal.url))
    window.backend.journal = held  # type: ignore[attr-defined]
    window.decision.request_confirm()  # the kept decision, written again: held
    qtbot.waitUntil(lambda: held.decisions == [EXEMPTION], timeout=5000)

    async def retry() -> None:
        window.backend._retry_pending_logs()  # type: ignore[attr-defined]

    window.runner.run_sync(retry(), timeout=5)
    held.release.set()
    qtbot.waitUntil(lambda: EXEMPTION in window.decided, timeout=15000)
    qtbot.wait(200)  # a second write, if any, lands now
    assert held.decisions == [EXEMPTION]
    assert _decisions(window, check_id) == [("consultation", None), ("decision", EXEMPTION)]
