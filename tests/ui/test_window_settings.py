"""Preferences: the language chosen in the settings dialog, and the window geometry."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from counter_app.config import ClerkSettings, load_settings
from counter_app.ui.embedded import build_backend

from .conftest import WindowFactory


def test_language_switch_in_the_settings_dialog_is_remembered(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    assert window.reader_status.text() == "Lezer klaar, geen kaart"
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: getattr(window, "settings_dialog", None) is not None)
    dialog = window.settings_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.windowTitle() == "Instellingen"
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.accept()
    qtbot.waitUntil(lambda: window.reader_status.text() == "Reader ready, no card")
    assert window.hero.text() == "Insert the eID card in the reader"
    assert window.menu_file.title() == "&Counter"
    assert QSettings().value("ui/language") == "en"


def test_window_geometry_is_kept_between_sessions(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.resize(640, 480)
    qtbot.waitUntil(lambda: window.width() == 640)
    window.close()
    assert QSettings().value("window/geometry") is not None
    again = make_window()
    qtbot.waitUntil(lambda: again.size().width() == 640, timeout=3000)


def test_the_clerk_is_shown_with_a_masked_insz(qtbot: QtBot, make_window: WindowFactory) -> None:
    settings = load_settings(clerk=ClerkSettings(name="Clara Loket", insz="01700462685"))
    window = make_window(backend=build_backend(settings))
    text = window.clerk_badge.text()
    assert "Clara Loket" in text
    assert "01700462685" not in text and "01.70.04-626.85" not in text
    assert any(ch.isdigit() for ch in text)  # partly shown, so the clerk can recognise it
