"""The supervisor's view over the daily log, behind the supervisor's own passphrase.

``open_supervisor_view`` is what the counter window's menu calls;
``main`` is ``counter-app supervisor [set-passphrase]``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from counter_app.auth import AuthResult, SupervisorAuth
from counter_app.journal.errors import JournalError
from counter_app.journal.location import resolve_journal_url
from counter_app.journal.models import Application
from counter_app.journal.records import supervisor_application
from counter_app.journal.store import SqlJournalStore, open_journal
from counter_app.journal.supervisor_access import (
    JournalGuardedAuth,
    log_attempt,
    resolve_hash_file,
    set_passphrase_cli,
)
from counter_app.ui.supervisor.login import SupervisorLoginDialog
from counter_app.ui.supervisor.window import SupervisorWindow

EXIT_OK = 0
EXIT_NOT_LOGGED_IN = 1
EXIT_JOURNAL = 20


class LoginLog:
    """Writes each login attempt to the journal (opened at the first attempt).

    Called by the login dialog on its worker thread; a ``JournalError`` raised here
    keeps a right passphrase from opening the view. "No passphrase set" is not an
    attempt (nothing was checked) and is not logged.
    """

    def __init__(self, journal_url: str, counter_id: str, application: Application) -> None:
        self._url = journal_url
        self._counter_id = counter_id
        self._application = application
        self.store: SqlJournalStore | None = None

    def open(self) -> SqlJournalStore:
        """The journal, opened at the first need (on the login dialog's worker thread)."""
        if self.store is None:
            self.store = open_journal(self._url)
        return self.store

    def __call__(self, result: AuthResult, name: str) -> None:
        log_attempt(
            self.open(),
            result,
            counter_id=self._counter_id,
            name=name,
            application=self._application,
        )

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None


def open_supervisor_view(
    parent: QWidget | None,
    *,
    journal_url: str,
    settings: Any,
    auth: SupervisorAuth | JournalGuardedAuth | None = None,
) -> SupervisorWindow | None:
    """Log the supervisor in, then open the view in its own window (None if not logged in).

    ``settings`` is ``counter_app.config.Settings``: its ``counter_id`` is the chain
    that login attempts and reveals are written to. Every attempt (right, wrong,
    refused during the delay) is written to the journal first; a right passphrase
    whose attempt could not be written does not open the view. The delay after wrong
    passphrases counts the failures in the journal too (see
    ``counter_app.journal.supervisor_access``), and the hash is the city's
    system-wide one when installed.
    """
    counter_id = str(getattr(settings, "counter_id", "supervisor"))
    application = supervisor_application()
    log = LoginLog(journal_url, counter_id, application)
    plain = auth or SupervisorAuth(resolve_hash_file())
    guarded = (
        plain
        if isinstance(plain, JournalGuardedAuth)
        else JournalGuardedAuth(plain, open_store=log.open)
    )
    dialog = SupervisorLoginDialog(guarded, parent, on_attempt=log)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        log.close()
        return None
    store = log.store
    if store is None:  # cannot happen: an accepted login was logged, so the store is open
        try:
            store = open_journal(journal_url)
        except JournalError as exc:
            QMessageBox.warning(
                parent,
                dialog.tr("Supervisor login"),
                dialog.tr("The log could not be read: {detail}").format(detail=str(exc)),
            )
            return None
    window = SupervisorWindow(
        store,
        supervisor=dialog.supervisor_name,
        counter_id=counter_id,
        application=application,
        parent=parent,
    )
    window.setWindowFlag(Qt.WindowType.Window, True)  # its own window, even with a parent
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    window.show()
    return window


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="counter-app supervisor",
        description="The supervisor's view over the daily log (or: set-passphrase)",
    )
    parser.add_argument(
        "--journal", help="journal URL (default: configuration / LOKET_JOURNAL_URL)"
    )
    parser.add_argument("--config", type=Path, help="configuration file")
    parser.add_argument("--language", choices=("nl", "en"), help="language for this session")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """``counter-app supervisor [--journal URL]`` or ``counter-app supervisor set-passphrase``."""
    tokens = list(sys.argv[1:] if argv is None else argv)
    if tokens[:1] == ["set-passphrase"]:
        return set_passphrase_cli(tokens[1:])
    args = _parser().parse_args(tokens)

    from counter_app.config import ConfigError, load_settings

    try:
        settings = load_settings(args.config)
    except ConfigError as err:
        print(f"counter-app: {err}", file=sys.stderr)
        return ConfigError.exit_code
    url = resolve_journal_url(args.journal, settings.journal.url)

    from PySide6.QtWidgets import QApplication

    from counter_app.ui.gui_gc import GuiThreadCollector
    from counter_app.ui.i18n import LanguageSwitcher

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "counter-app"])
    GuiThreadCollector(app)  # Qt objects in cycles die on this thread (see gui_gc)
    assert isinstance(app, QApplication)
    app.setOrganizationName("Loket")
    app.setApplicationName("Loket")
    languages = LanguageSwitcher(app)
    languages.set_language(args.language or settings.ui.language)
    window = open_supervisor_view(None, journal_url=url, settings=settings)
    if window is None:
        return EXIT_NOT_LOGGED_IN
    return int(app.exec())


__all__ = ["LoginLog", "SupervisorLoginDialog", "SupervisorWindow", "main", "open_supervisor_view"]
