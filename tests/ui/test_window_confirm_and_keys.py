"""A confirmation that outlives its citizen, and what Enter does where the focus is."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from counter_app.sandbox.faults import SandboxFaults, SourceFaults
from counter_app.ui.flow import FlowState
from counter_app.ui.ports import DecisionKind
from rules.facts import SourceId

from .conftest import WindowFactory, wait_state
from .helpers import all_texts


def _swap_cards_during_a_confirmation(qtbot: QtBot, make_window: WindowFactory):  # type: ignore[no-untyped-def]
    """Confirm for one citizen, then the next citizen's card before UiTPAS has answered."""
    faults = SandboxFaults.only(SourceId.UITPAS, SourceFaults(latency_ms=1500))
    window = make_window(faults=faults, clear_delay_ms=0)
    window.insert_simulated_card("be-bare-year-ec-18")
    wait_state(qtbot, window, FlowState.ADVICE, timeout=30000)
    assert window.check_view is not None and window.subject is not None
    assert window.subject.reading is not None
    first_name = window.subject.reading.identity.surname
    first_check = str(window.check_view.handle.check_id)  # type: ignore[attr-defined]
    window.decision.request_confirm()
    wait_state(qtbot, window, FlowState.CONFIRMING)
    window.remove_simulated_card()
    qtbot.wait(50)
    window.insert_simulated_card("be-senior-ec-18")
    qtbot.waitUntil(
        lambda: (
            window.flow.state is FlowState.ADVICE
            and window.subject is not None
            and window.subject.reading is not None
            and window.subject.reading.identity.surname != first_name
        ),
        timeout=30000,
    )
    journal = window.backend.journal  # type: ignore[attr-defined]

    def first_logged() -> list[str]:
        return [e.entry.kind.value for e in journal.entries_for_check(first_check)]

    qtbot.waitUntil(lambda: first_logged() == ["consultation", "decision"], timeout=15000)
    qtbot.wait(100)  # the result's queued signal reaches the window
    return window, first_name


def test_next_card_during_a_confirmation_the_next_citizen_can_still_confirm(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """The window used to match the result against ``session - 1`` and hang in "Registreren…"."""
    window, _ = _swap_cards_during_a_confirmation(qtbot, make_window)
    assert window.flow.state is FlowState.ADVICE  # the next citizen's advice is untouched
    window.decision.request_confirm()  # the next citizen: follow the advice
    wait_state(qtbot, window, FlowState.CONFIRMED, FlowState.ADVICE, timeout=30000)
    assert window.flow.state is FlowState.CONFIRMED, window.decision.message.text()
    assert window.confirmation is not None and window.result.isVisible()


def test_next_card_during_a_confirmation_the_clerk_is_told_its_outcome_anonymously(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window, first_name = _swap_cards_during_a_confirmation(qtbot, make_window)
    qtbot.waitUntil(window.previous_note.isVisible, timeout=5000)
    note = window.previous_note.text()
    assert "vorige burger werd geregistreerd en gelogd" in note, note
    assert first_name not in " ".join(all_texts(window))
    window.decision.request_confirm()
    wait_state(qtbot, window, FlowState.CONFIRMED, FlowState.ADVICE, timeout=30000)
    assert not window.previous_note.isVisible()  # a new confirmation replaces the old news


def _advice_for(qtbot: QtBot, make_window: WindowFactory, profile: str):  # type: ignore[no-untyped-def]
    window = make_window()
    window.insert_simulated_card(profile)
    wait_state(qtbot, window, FlowState.ADVICE)
    window.activateWindow()  # key events go where a clerk's would: the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    # cards added to a shown window are shown on the next turn of the event loop
    qtbot.waitUntil(lambda: all(c.isVisible() for c in window.advice.cards))
    states: list[str] = []
    window.state_changed.connect(states.append)
    return window, states


def test_enter_on_the_explanation_button_opens_it_and_sells_nothing(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window, states = _advice_for(qtbot, make_window, "be-bare-year-ec-18")
    toggle = window.advice.cards[0].toggle
    toggle.setFocus()
    qtbot.keyClick(toggle, Qt.Key.Key_Return)
    qtbot.wait(300)
    assert toggle.isChecked()  # the explanation opened
    assert "confirming" not in states and window.confirmation is None
    assert window.flow.state is FlowState.ADVICE


def test_enter_on_assess_again_reassesses_and_sells_nothing(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window, states = _advice_for(qtbot, make_window, "foreigner-f-plus-ec-18")
    card = next(c for c in window.advice.cards if c.declare_button is not None)
    assert card.declare_button is not None
    card.declare_button.setFocus()
    qtbot.keyClick(card.declare_button, Qt.Key.Key_Enter)
    wait_state(qtbot, window, FlowState.ADVICE)
    assert "checking" in states and "confirming" not in states


def test_enter_in_the_decision_panel_confirms_and_esc_cancels(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window, states = _advice_for(qtbot, make_window, "be-senior-ec-18")
    chosen = next(b for b in window.decision.choice_buttons() if b.isChecked())
    chosen.setFocus()
    qtbot.keyClick(chosen, Qt.Key.Key_Return)
    wait_state(qtbot, window, FlowState.CONFIRMED, FlowState.ADVICE)
    assert "confirming" in states
    assert window.flow.state is FlowState.CONFIRMED, window.decision.message.text()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    wait_state(qtbot, window, FlowState.IDLE)
    assert window.subject is None


def test_tab_follows_the_screen_cards_then_decision_then_confirm(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """Tab from the top: card deck, the citizen, each advice card, the decision, Confirm."""
    window, _ = _advice_for(qtbot, make_window, "foreigner-f-plus-ec-18")
    window.advice.cards[0].toggle.setChecked(True)  # an open explanation comes right after it
    assert window.decision.select("lez-vrijstelling-handicap", DecisionKind.REGISTER_LEZ)
    qtbot.waitUntil(lambda: window.advice.cards[0].details is not None)
    window.deck.profiles.setFocus()
    seen: list[QWidget] = []
    for _ in range(60):
        focused = QApplication.focusWidget()
        assert focused is not None
        if seen and focused is seen[0]:
            break
        seen.append(focused)
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    names = [w.objectName() for w in seen]
    cards = window.advice.cards
    expected = [
        "deckProfiles",
        "deckInsert",
        "deckRemove",
        "showPhoto",
    ]
    for card in cards:
        expected.append("adviceExplain")
        expected += ["adviceDetails"] if card.details is not None else []
        expected += [box.objectName() for box, _ in card.declaration_boxes]
        expected += ["declareRecheck"] if card.declare_button is not None else []
    # the decision: one stop for the radio group (arrows move inside it), then the rest
    after_cards = names[len(expected) :]
    assert names[: len(expected)] == expected, names
    assert after_cards[0].startswith("choice_")
    rest = [n for n in after_cards if not n.startswith("choice_")]
    decision = window.decision
    tail = [decision.end_date, decision.reason, decision.confirm_button]
    assert rest == [w.objectName() for w in tail if w.isEnabled()], names
    assert all(isinstance(w, QWidget) and w.accessibleName() for w in seen), names
    assert "QScrollArea" not in [type(w).__name__ for w in seen]
    scroll = window.findChild(QScrollArea)
    assert scroll is not None and scroll.accessibleName()
