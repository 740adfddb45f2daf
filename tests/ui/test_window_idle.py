"""A manual entry left without a decision is cleared after a while without input.

A card's removal clears the screen; a manual entry has no card, so the window
clears it when nobody has used the keyboard or the mouse in it for
``WindowOptions.manual_idle_clear_ms`` (``ui.manual_entry_idle_clear_s``). The
countdown only runs while the manual entry waits for the clerk (advice shown, or
the check failed): never during a check or a confirmation.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from counter_app.config import ConfigError, Settings, load_settings
from counter_app.ui.app import window_options
from counter_app.ui.embedded import build_backend
from counter_app.ui.flow import FlowState
from counter_app.ui.ports import DecisionKind

from .conftest import WindowFactory, wait_state
from .helpers import all_texts

INSZ = "86710585636"  # a sandbox persona (MAGDA test number)


def test_an_unattended_manual_entry_is_cleared_and_the_window_says_why(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window(manual_idle_clear_ms=1000)
    window.start_manual(INSZ)
    wait_state(qtbot, window, FlowState.ADVICE)
    assert "Manueel ingevoerd" in " ".join(all_texts(window))
    assert window.idle_timer.isActive() and window.input_watch.watching
    with qtbot.waitSignal(window.screen_cleared, timeout=10000):
        pass
    assert window.subject is None and window.flow.state is FlowState.IDLE
    texts = " ".join(all_texts(window))
    assert "86.71.05" not in texts and INSZ not in texts and "Manueel ingevoerd" not in texts
    assert not window.advice.cards and not window.decision.choice_buttons()
    assert window.hero.text() == (
        "Geen invoer gedurende 1 s: de manuele invoer is van het scherm gewist."
    )
    assert not window.idle_timer.isActive() and not window.input_watch.watching
    window.languages.set_language("en")  # the dutch fixture switches back afterwards
    qtbot.waitUntil(lambda: window.hero.text().startswith("No input for 1 s"), timeout=5000)


def test_input_in_the_window_restarts_the_countdown(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window(manual_idle_clear_ms=6000)
    window.start_manual(INSZ)
    wait_state(qtbot, window, FlowState.ADVICE)
    stranger = QLineEdit()  # another top-level window: not input in the counter window
    qtbot.addWidget(stranger)

    def restarted_by(touch: Any) -> bool:
        qtbot.wait(2000)
        before = window.idle_timer.remainingTime()  # a coarse timer: give or take 5 %
        assert 0 < before <= 4400
        touch()
        return window.idle_timer.remainingTime() > before + 1200

    assert restarted_by(lambda: qtbot.keyClicks(window.decision.reason, "a"))
    assert restarted_by(lambda: qtbot.mouseClick(window.hero, Qt.MouseButton.LeftButton))
    assert not restarted_by(lambda: qtbot.keyClicks(stranger, "a"))
    assert window.subject is not None and window.flow.state is FlowState.ADVICE


def test_no_countdown_during_the_check_and_a_confirmation_is_never_cut_off(
    qtbot: QtBot, make_window: WindowFactory, settings: Settings
) -> None:
    backend = build_backend(settings)
    confirm = backend.confirm

    async def slow_confirm(*args: Any) -> Any:
        await asyncio.sleep(1.5)  # longer than the idle delay below
        return await confirm(*args)

    backend.confirm = slow_confirm  # type: ignore[method-assign]
    window = make_window(backend=backend, manual_idle_clear_ms=1000)
    cleared: list[bool] = []
    window.screen_cleared.connect(lambda: cleared.append(True))
    window.start_manual(INSZ)
    assert window.flow.state is FlowState.CHECKING
    assert not window.idle_timer.isActive() and not window.input_watch.watching
    wait_state(qtbot, window, FlowState.ADVICE)
    assert window.idle_timer.isActive()
    assert window.decision.select("lez-vrijstelling-handicap", DecisionKind.REGISTER_LEZ)
    window.decision.reason.setText("Parkeerkaart en keuringsattest gezien")
    window.enter_pressed()
    assert window.flow.state is FlowState.CONFIRMING
    assert not window.idle_timer.isActive() and not window.input_watch.watching
    wait_state(qtbot, window, FlowState.CONFIRMED, timeout=15000)
    assert not cleared and window.confirmation is not None
    assert window.result.isVisible()
    # From here the privacy delay clears it (60 s in these tests), as after a card removal.
    assert not window.idle_timer.isActive() and window.clear_timer.isActive()


def test_a_citizen_with_a_card_is_not_cleared_for_inactivity(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """The card's removal clears the screen; the clerk may take as long as needed."""
    window = make_window(manual_idle_clear_ms=300)
    window.insert_simulated_card("be-bare-year-ec-18")
    wait_state(qtbot, window, FlowState.ADVICE)
    assert not window.idle_timer.isActive() and not window.input_watch.watching
    qtbot.wait(800)
    assert window.subject is not None and window.flow.state is FlowState.ADVICE


def test_the_idle_delay_is_a_setting_with_a_lower_bound(tmp_path: Path) -> None:
    assert load_settings().ui.manual_entry_idle_clear_s == 300
    config = tmp_path / "loket.toml"
    config.write_text("[ui]\nmanual_entry_idle_clear_s = 45\n")
    options = window_options(load_settings(config))
    assert options.manual_idle_clear_ms == 45_000
    assert options.clear_delay_ms == 120_000
    config.write_text("[ui]\nmanual_entry_idle_clear_s = 5\n")
    with pytest.raises(ConfigError, match="manual_entry_idle_clear_s"):
        load_settings(config)
