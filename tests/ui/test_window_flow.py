"""The whole flow with the simulated reader, against the real check service and sandbox."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from cardreader.simulator.faults import FaultPlan
from counter_app.check.runner import run_one_check
from counter_app.config import Settings
from counter_app.sandbox.faults import SandboxFaults, SourceFaults
from counter_app.ui.flow import FlowState
from counter_app.ui.ports import DecisionKind, Outcome, SourceState
from counter_app.ui.widgets.status import ReaderState
from rules.catalogue import FACT_CATALOGUE
from rules.facts import SourceId

from .conftest import WindowFactory, wait_state
from .helpers import all_texts, shown_outcomes

# Cards of the deck whose personas cover the three outcomes between them (see
# resources/personas/README.md); the expected outcome is computed independently below.
PERSONAS = ["be-bare-year-ec-18", "be-adult-ec-18", "bis-holder-f-ec-18", "foreigner-f-plus-ec-18"]


def independent_outcomes(settings: Settings, profile: str) -> dict[str, Outcome]:
    outcome = asyncio.run(run_one_check(settings, card_profile=profile, on=dt.date.today()))
    return {r.ruleset_id: Outcome(r.advice.outcome.value) for r in outcome.rights}


def test_each_persona_gets_the_services_advice_and_a_new_card_starts_a_new_check(
    qtbot: QtBot, make_window: WindowFactory, settings: Settings
) -> None:
    window = make_window()
    seen: set[Outcome] = set()
    previous_session = window.flow.session
    for profile in PERSONAS:
        window.insert_simulated_card(profile)  # replaces the previous card, as a clerk would
        qtbot.waitUntil(
            lambda: (
                window.flow.session > previous_session  # noqa: B023
                and window.flow.state is FlowState.ADVICE
            ),
            timeout=15000,
        )
        previous_session = window.flow.session
        expected = independent_outcomes(settings, profile)
        assert shown_outcomes(window) == expected, profile
        assert window.advice.cards[0].advice.right_id.startswith("uitpas")
        assert window.identity.isVisible() and window.identity.name_value.text()
        for source in ("national_register", "social_statutes", "ocmw_list", "uitpas"):
            assert window.sources.state_of(source) in (SourceState.OK, SourceState.FAILED)
        seen.update(expected.values())
    assert seen == set(Outcome), "the chosen personas must cover every outcome"


def test_a_source_down_gives_check_manually_never_no_right(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    faults = SandboxFaults.only(SourceId.SOCIAL_STATUTES, SourceFaults(http_500=True))
    window = make_window(faults=faults)
    window.insert_simulated_card("be-bare-year-ec-18")  # living wage, known only to that source
    wait_state(qtbot, window, FlowState.ADVICE)
    assert window.sources.state_of("social_statutes") is SourceState.FAILED
    assert "geen antwoord" in " ".join(all_texts(window.sources))
    assert shown_outcomes(window)["uitpas-kansentarief"] is Outcome.CHECK_MANUALLY


def test_a_stuck_source_never_freezes_the_window_and_closing_ends_cleanly(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    faults = SandboxFaults.only(SourceId.OCMW_LIST, SourceFaults(hang=True))
    window = make_window(faults=faults)
    window.insert_simulated_card("be-adult-ec-18")
    wait_state(qtbot, window, FlowState.CHECKING)
    qtbot.waitUntil(lambda: window.sources.state_of("ocmw_list") is SourceState.ASKING)
    # The GUI thread still answers: Esc cancels the check at once.
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    wait_state(qtbot, window, FlowState.IDLE, timeout=2000)
    assert window.subject is None and not window.advice.cards
    # A new check, stuck again; closing the window mid-check stops everything.
    window.insert_simulated_card("be-adult-ec-18")
    wait_state(qtbot, window, FlowState.CHECKING)
    window.close()
    assert not window.runner.running
    assert window.pool.activeThreadCount() == 0


def test_card_pulled_out_during_the_read(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    seen: list[tuple[str, str]] = []
    window.state_changed.connect(lambda state: seen.append((state, window.hero.text())))
    bank = window.backend.readers.bank  # type: ignore[attr-defined]
    bank.insert("be-adult-ec-18", faults=FaultPlan(remove_after_apdus=5))
    # The read fails first ("removed while it was read"), then the reader reports
    # the removal a moment later, as pcscd does: back to idle, nothing kept.
    qtbot.waitUntil(lambda: any(state == "card_error" for state, _ in seen), timeout=15000)
    errors = [text for state, text in seen if state == "card_error"]
    assert "verwijderd tijdens het lezen" in errors[0]
    wait_state(qtbot, window, FlowState.IDLE)
    qtbot.waitUntil(lambda: window.reader_status.state is ReaderState.EMPTY, timeout=5000)
    assert window.subject is None and not window.identity.isVisible()


def test_card_removed_while_reading_cancels_cleanly(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window(clear_delay_ms=0)
    bank = window.backend.readers.bank  # type: ignore[attr-defined]
    bank.insert("be-adult-ec-18", faults=FaultPlan(delay_per_apdu=0.02))
    wait_state(qtbot, window, FlowState.READING)
    window.remove_simulated_card()
    wait_state(qtbot, window, FlowState.IDLE)
    qtbot.waitUntil(lambda: window.pool.activeThreadCount() == 0, timeout=10000)
    assert window.flow.state is FlowState.IDLE  # the late read failure was ignored
    assert window.subject is None
    assert window.reader_status.state is ReaderState.EMPTY


def test_card_removed_during_the_check_cancels_it(qtbot: QtBot, make_window: WindowFactory) -> None:
    faults = SandboxFaults.only(SourceId.NATIONAL_REGISTER, SourceFaults(latency_ms=2000))
    window = make_window(faults=faults, clear_delay_ms=0)
    window.insert_simulated_card("be-adult-ec-18")
    wait_state(qtbot, window, FlowState.CHECKING)
    future = window._future
    window.remove_simulated_card()
    wait_state(qtbot, window, FlowState.IDLE)
    assert future is not None
    qtbot.waitUntil(future.done, timeout=2000)
    assert future.cancelled()
    assert not window.advice.cards


def test_tampered_card_must_be_acknowledged(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.insert_simulated_card("tampered-identity-ec-18")
    wait_state(qtbot, window, FlowState.CARD_WARNING)
    assert window.warning.isVisible()
    assert "NIET echt" in window.warning.message.text()
    assert "NIET ECHT" in window.identity.badge.text()
    assert not window.decision.isVisible() and window.check_view is None
    qtbot.keyClick(window, Qt.Key.Key_Return)  # Enter acknowledges
    wait_state(qtbot, window, FlowState.ADVICE)
    assert not window.warning.isVisible()


def test_expired_card_is_shown_as_expired(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.insert_simulated_card("expired-rsa-17")
    wait_state(qtbot, window, FlowState.CARD_WARNING)
    assert "VERVALLEN" in window.warning.message.text()
    assert "VERVALLEN" in window.identity.validity_value.text()


def test_card_not_activated_must_be_acknowledged(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.insert_simulated_card("not-personalised-ec-18")
    wait_state(qtbot, window, FlowState.CARD_WARNING)
    assert "NIET GEACTIVEERD" in window.warning.message.text()


def test_a_card_that_is_not_an_eid(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.insert_simulated_card("not-an-eid")
    wait_state(qtbot, window, FlowState.CARD_ERROR)
    assert window.reader_status.state is ReaderState.NOT_EID
    assert window.reader_status.text() == "Deze kaart is geen eID"
    assert window.subject is None


def test_manual_entry_validates_while_typing_and_runs_the_same_flow(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: getattr(window, "manual_dialog", None) is not None)
    dialog = window.manual_dialog
    qtbot.waitUntil(dialog.isVisible)
    ok = dialog.buttons.buttons()[0]
    qtbot.keyClicks(dialog.field, "8671058563")
    assert "10 van 11" in dialog.feedback.text() and not dialog.insz
    qtbot.keyClicks(dialog.field, "5")  # wrong check digits
    assert "Geen geldig" in dialog.feedback.text()
    assert not any(b.isEnabled() and b.text() == "OK" for b in dialog.buttons.buttons())
    dialog.field.clear()
    qtbot.keyClicks(dialog.field, "86.71.05-856.36")
    assert dialog.insz == "86710585636" and "Geldig" in dialog.feedback.text()
    del ok
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    wait_state(qtbot, window, FlowState.ADVICE)
    assert window.subject is not None and window.subject.manual
    assert "Manueel ingevoerd" in window.identity.name_value.text()
    assert window.check_view is not None
    assert window.check_view.handle.subject.entry == "manual"  # type: ignore[attr-defined]


def test_override_needs_a_reason(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.insert_simulated_card("be-senior-ec-18")  # not eligible, not yet a passholder
    wait_state(qtbot, window, FlowState.ADVICE)
    assert shown_outcomes(window)["uitpas-kansentarief"] is not Outcome.ELIGIBLE
    assert window.decision.select("uitpas-kansentarief", DecisionKind.SELL_OPPORTUNITY)
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert window.flow.state is FlowState.ADVICE  # refused: no reason
    assert "geef een reden" in window.decision.message.text()
    window.decision.reason.setFocus()
    qtbot.keyClicks(window.decision.reason, "Attest OCMW gezien")
    qtbot.keyClick(window.decision.reason, Qt.Key.Key_Return)
    wait_state(qtbot, window, FlowState.CONFIRMED, FlowState.ADVICE)
    assert window.flow.state is FlowState.CONFIRMED, window.decision.message.text()
    assert window.confirmation is not None
    assert window.result.isVisible()


def test_following_the_advice_needs_no_reason(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.insert_simulated_card("be-bare-year-ec-18")
    wait_state(qtbot, window, FlowState.ADVICE)
    current = window.decision.current()
    assert current is not None and current[1] is DecisionKind.SELL_OPPORTUNITY
    assert window.decision.end_date.isEnabled()
    assert window.decision.end_date.date().toPython() == current[0].proposed_end_date
    assert "1,00" in window.decision.price_value.text()
    qtbot.mouseClick(window.decision.confirm_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, window, FlowState.CONFIRMED, FlowState.ADVICE)
    assert window.flow.state is FlowState.CONFIRMED, window.decision.message.text()
    assert window.confirmation is not None and window.confirmation.passholder_reference


def test_uitpas_failure_is_shown_and_nothing_is_recorded(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    faults = SandboxFaults.only(SourceId.UITPAS, SourceFaults(http_500=True))
    window = make_window(faults=faults)
    window.insert_simulated_card("be-bare-year-ec-18")
    wait_state(qtbot, window, FlowState.ADVICE)
    window.decision.request_confirm()
    wait_state(qtbot, window, FlowState.ADVICE, FlowState.CONFIRMED)
    qtbot.waitUntil(lambda: bool(window.decision.message.text()), timeout=10000)
    assert window.flow.state is FlowState.ADVICE
    assert "Niet geregistreerd" in window.decision.message.text()
    assert window.confirmation is None and not window.result.isVisible()


def test_no_citizen_data_stays_on_screen_after_removal(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window(clear_delay_ms=300)
    window.insert_simulated_card("foreigner-f-plus-ec-18")
    wait_state(qtbot, window, FlowState.ADVICE)
    for card in window.advice.cards:
        card.toggle.setChecked(True)  # the explanation holds facts too
    assert window.subject is not None and window.subject.reading is not None
    ident = window.subject.reading.identity
    secrets = [
        ident.surname,
        ident.given_names.split()[0],
        ident.national_number,
        ident.card_number,
    ]
    before = " ".join(all_texts(window))
    assert ident.surname in before  # the walk does see citizen data while it is there
    window.remove_simulated_card()
    wait_state(qtbot, window, FlowState.IDLE)
    assert ident.surname in " ".join(all_texts(window))  # still there during the delay
    with qtbot.waitSignal(window.screen_cleared, timeout=5000):
        pass
    after = " ".join(all_texts(window))
    leaks = [s for s in secrets if s and s in after]
    assert not leaks
    assert "Steek de eID-kaart in de lezer" in after


def test_language_switch_retranslates_in_place(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.insert_simulated_card("bis-holder-f-ec-18")
    wait_state(qtbot, window, FlowState.ADVICE)
    dutch_words = {c.state_label.text() for c in window.advice.cards}
    assert dutch_words <= {"Recht", "Geen recht", "Manueel nakijken"}
    window.set_language("en")
    qtbot.waitUntil(lambda: window.reader_status.text() == "Card in the reader")
    assert {c.state_label.text() for c in window.advice.cards} <= {
        "Right",
        "No right",
        "Check manually",
    }
    for card in window.advice.cards:
        assert card.reason_label.text() == card.advice.reason["en"]
    assert window.hero.text() == "Advice ready: decide below."
    assert window.decision.confirm_button.text() == "&Confirm"
    window.set_language("nl")
    qtbot.waitUntil(lambda: window.hero.text() == "Advies klaar: beslis hieronder.")


def test_photo_only_on_request(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.insert_simulated_card("be-adult-ec-18")
    wait_state(qtbot, window, FlowState.ADVICE)
    assert window.subject is not None and window.subject.reading is not None
    assert window.subject.reading.files.photo is None
    assert not window.identity.photo_label.isVisible()
    qtbot.mouseClick(window.identity.photo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.identity.photo_label.isVisible, timeout=5000)
    assert window.identity.photo_label.pixmap() is not None


@pytest.mark.parametrize("key", ["actManual", "actClear", "actSettings", "actQuit"])
def test_every_action_has_a_shortcut_and_a_name(make_window: WindowFactory, key: str) -> None:
    window = make_window()
    action = next(a for a in window.actions() if a.objectName() == key)
    assert not action.shortcut().isEmpty() and action.text()


def test_every_control_has_an_accessible_name(qtbot: QtBot, make_window: WindowFactory) -> None:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QDateEdit, QLineEdit

    window = make_window()
    window.insert_simulated_card("foreigner-f-plus-ec-18")
    wait_state(qtbot, window, FlowState.ADVICE)
    controls = [
        w
        for kind in (QAbstractButton, QLineEdit, QComboBox, QDateEdit)
        for w in window.findChildren(kind)
        if w.isVisible()
    ]
    assert len(controls) > 8
    unnamed = [
        w.objectName() or type(w).__name__
        for w in controls
        if not (w.accessibleName() or (isinstance(w, QAbstractButton) and w.text()))
        and not (isinstance(w.parent(), QDateEdit) and w.parent().accessibleName())
    ]
    assert not unnamed


def test_declared_documents_reassess_the_right(
    qtbot: QtBot, make_window: WindowFactory, settings: Settings
) -> None:
    window = make_window()
    window.insert_simulated_card("foreigner-f-plus-ec-18")  # parking card; vehicle unknown
    wait_state(qtbot, window, FlowState.ADVICE)
    card = next(c for c in window.advice.cards if c.declaration_boxes)
    right = card.advice.right_id
    box, item = card.declaration_boxes[0]
    first_check = window.check_view
    box.setChecked(True)
    assert card.declare_button is not None
    qtbot.mouseClick(card.declare_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.flow.state is FlowState.ADVICE and window.check_view is not first_check,
        timeout=15000,
    )
    assert window.subject is not None and window.subject.declarations == (item.name,)

    async def expected() -> Outcome:
        from counter_app.check.runner import open_check_service, subject_from_reading

        assert window.subject is not None and window.subject.reading is not None
        async with open_check_service(settings) as service:
            outcome = await service.run(
                subject_from_reading(window.subject.reading),
                dt.date.today(),
                declarations={item.name: True},
            )
        return Outcome(outcome.right(right).advice.outcome.value)

    assert shown_outcomes(window)[right] is asyncio.run(expected())
    again = next(c for c in window.advice.cards if c.advice.right_id == right)
    assert any(b.isChecked() for b, _ in again.declaration_boxes) or not again.declaration_boxes


def test_card_removed_while_confirming_finishes_the_registration_then_clears(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    faults = SandboxFaults.only(SourceId.UITPAS, SourceFaults(latency_ms=600))
    window = make_window(faults=faults, clear_delay_ms=0)
    window.insert_simulated_card("be-bare-year-ec-18")
    wait_state(qtbot, window, FlowState.ADVICE)
    assert window.check_view is not None
    check_id = str(window.check_view.handle.check_id)  # type: ignore[attr-defined]
    window.decision.request_confirm()
    wait_state(qtbot, window, FlowState.CONFIRMING)
    window.remove_simulated_card()
    with qtbot.waitSignal(window.screen_cleared, timeout=15000):
        pass
    assert window.subject is None and window.confirmation is None
    assert window.flow.state is FlowState.IDLE
    logged = window.backend.journal.entries_for_check(check_id)  # type: ignore[attr-defined]
    assert [e.entry.kind.value for e in logged] == ["consultation", "decision"]


def test_the_clerk_reads_labels_never_internal_names(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    window.insert_simulated_card("foreigner-f-plus-ec-18")  # parking card; vehicle unknown
    wait_state(qtbot, window, FlowState.ADVICE)
    card = next(c for c in window.advice.cards if c.advice.outcome is Outcome.CHECK_MANUALLY)
    assert "Ontbreekt: verklaring aangepast voertuig, " in card.reason_label.text()
    card.toggle.setChecked(True)
    assert card.details is not None
    dutch = card.reason_label.text() + "\n" + card.details.toPlainText()
    assert "verklaring van de loketmedewerker): onbekend (niet opgegeven)" in dutch
    internal = [*FACT_CATALOGUE, *(s.value for s in SourceId if s.value not in ("eid", "uitpas"))]
    for word in [*internal, "not supplied", "unknown", "source error"]:
        assert word not in dutch, word
    window.set_language("en")
    qtbot.waitUntil(
        lambda: "Missing: declaration of an adapted vehicle" in card.reason_label.text()
    )
    english = card.details.toPlainText()
    assert "(declaration by the clerk): unknown (not supplied)" in english
    for word in internal:
        if "_" in word:  # "deceased" is also plain English
            assert word not in english, word


def test_manual_entry_is_cleared_after_the_decision(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """No card will be removed: the privacy delay starts when the decision is recorded."""
    window = make_window(clear_delay_ms=300)
    window.start_manual("86710585636")
    wait_state(qtbot, window, FlowState.ADVICE)
    assert window.decision.select("lez-vrijstelling-handicap", DecisionKind.REGISTER_LEZ)
    window.decision.reason.setText("Parkeerkaart en keuringsattest gezien")
    window.enter_pressed()
    wait_state(qtbot, window, FlowState.CONFIRMED)
    qtbot.waitUntil(lambda: window.subject is None, timeout=5000)
    texts = " ".join(all_texts(window))
    assert "86.71.05" not in texts and "86710585636" not in texts
