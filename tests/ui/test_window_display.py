"""Small display matters a clerk trips over: placeholder dates, formats, unrelated facts."""

from __future__ import annotations

import re

from pytestqt.qtbot import QtBot

from counter_app.ui.flow import FlowState
from counter_app.ui.ports import DecisionKind

from .conftest import WindowFactory, wait_state


def test_no_placeholder_end_date_when_the_choice_has_none(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    window.insert_simulated_card("be-senior-ec-18")
    wait_state(qtbot, window, FlowState.ADVICE)
    qtbot.waitUntil(window.decision.confirm_button.isVisible)
    assert window.decision.select("uitpas-kansentarief", DecisionKind.SELL_NORMAL)
    assert not window.decision.end_date.isVisible()  # a normal sale has no status end date


def test_dates_follow_the_language_with_four_digit_years(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    window.insert_simulated_card("be-bare-year-ec-18")
    wait_state(qtbot, window, FlowState.ADVICE)
    qtbot.waitUntil(window.decision.end_date.isVisible)
    dutch_end = window.decision.end_date.text()
    assert re.fullmatch(r"\d{1,2}/\d{2}/\d{4}", dutch_end), dutch_end
    try:
        window.set_language("en")
        qtbot.waitUntil(lambda: window.hero.text() == "Advice ready: decide below.")
        validity = window.identity.validity_value.text()
        assert re.search(r"\d{2}/\d{2}/\d{4} to \d{2}/\d{2}/\d{4}", validity), validity
        english_end = window.decision.end_date.text()
        assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", english_end), english_end
    finally:
        window.set_language("nl")


def test_amounts_in_the_dutch_explanation_use_a_decimal_comma(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    window.insert_simulated_card("be-bare-year-ec-18")
    wait_state(qtbot, window, FlowState.ADVICE)
    card = window.advice.cards[0]
    card.toggle.setChecked(True)
    assert card.details is not None
    text = card.details.toPlainText() + card.reason_label.text()
    assert "€ 1,00" in text
    assert not re.search(r"€\s?\d+\.\d", text), text


def test_the_uitpas_explanation_shows_only_facts_its_rules_use(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """foreigner-f-plus has a disability parking card: not UiTPAS's business."""
    window = make_window()
    window.insert_simulated_card("foreigner-f-plus-ec-18")
    wait_state(qtbot, window, FlowState.ADVICE)
    uitpas = next(c for c in window.advice.cards if c.advice.right_id.startswith("uitpas"))
    lez = next(c for c in window.advice.cards if c.advice.right_id.startswith("lez-vrij"))
    assert any("parkeerkaart" in f.label["nl"] for f in lez.advice.facts)
    assert not any("parkeerkaart" in f.label["nl"] for f in uitpas.advice.facts)
    uitpas.toggle.setChecked(True)
    assert uitpas.details is not None
    assert "parkeerkaart" not in uitpas.details.toPlainText().lower()
