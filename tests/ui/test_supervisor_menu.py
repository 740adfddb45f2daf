"""The counter window reaches the supervisor's view, behind the supervisor's own login."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counter_app.auth import SupervisorAuth
from counter_app.config import Settings
from counter_app.ui.embedded import build_backend
from counter_app.ui.supervisor import SupervisorLoginDialog, SupervisorWindow
from tests.ui.conftest import WindowFactory

PASSPHRASE = "een lange zin voor toezicht"


def test_menu_opens_the_supervisor_view_only_after_login(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hash_file = tmp_path / "supervisor.argon2"
    SupervisorAuth(hash_file).set_passphrase(PASSPHRASE)
    monkeypatch.setenv("LOKET_SUPERVISOR_HASH_FILE", str(hash_file))
    shared_log = tmp_path / "shared-journal.sqlite3"
    monkeypatch.setenv("LOKET_JOURNAL_URL", f"sqlite://{shared_log}")
    window = make_window()
    seen: list[SupervisorLoginDialog] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SupervisorLoginDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append(dialog)
        dialog.name_edit.setText("Sam Toezicht")
        dialog.passphrase_edit.setText(PASSPHRASE)
        dialog.try_login()

    QTimer.singleShot(20, answer)
    window.act_supervisor.trigger()
    assert seen, "the supervisor's view opened without its own login"
    opened = window._supervisor_window
    assert isinstance(opened, SupervisorWindow)
    assert opened.supervisor == "Sam Toezicht"
    # the supervisor reads the log the window writes to, not another one
    assert opened.store.path.resolve() == shared_log.resolve()
    assert window.backend.journal.path.resolve() == shared_log.resolve()
    qtbot.waitUntil(lambda: opened.view is not None, timeout=10_000)
    opened.close()


def test_menu_action_is_translated(make_window: WindowFactory) -> None:
    window = make_window()
    assert "Supervisie" in window.act_supervisor.text()


def test_unfinished_features_are_said_outside_the_sandbox(
    make_window: WindowFactory, settings: Settings
) -> None:
    sandbox = make_window()
    assert not sandbox.unfinished_note.isVisible()
    acceptance = make_window(
        backend=build_backend(settings.model_copy(update={"environment": "acceptance"}))
    )
    assert acceptance.unfinished_note.isVisible()
    assert "WS-Security" not in acceptance.unfinished_note.text()  # signing exists now
    assert "hoedanigheden" in acceptance.unfinished_note.text()
    assert "Nog niet af" in acceptance.unfinished_note.text()
