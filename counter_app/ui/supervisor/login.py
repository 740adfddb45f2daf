"""The supervisor's login: name plus passphrase, checked by ``counter_app.auth``.

The name is asked because the passphrase is shared by the supervisors of an
office: every reveal of an INSZ is logged under the name given here. The delay
after a wrong passphrase is enforced by ``SupervisorAuth`` itself; this dialog
only shows it, greys out the button and re-enables it with a QTimer, so the
window stays responsive while the supervisor waits.

``on_attempt`` (the supervisor's view passes one that writes the attempt to the
daily log) runs on the worker thread right after each check. If it raises, a
right passphrase does not let the supervisor in: no access that is not logged.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QThreadPool, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.auth import AuthError, AuthResult, AuthStatus, SupervisorAuth
from counter_app.journal.errors import JournalError
from counter_app.ui.supervisor.jobs import JobRunner

AttemptHook = Callable[[AuthResult, str], None]
UNLOCK_MARGIN_MS = 50


class SupervisorLoginDialog(QDialog):
    """Accepted only after ``SupervisorAuth.verify`` said OK; ``supervisor_name`` is then set."""

    CLOSE_GRACE_S = 5.0  # how long Esc waits for an attempt being checked and logged

    def __init__(
        self,
        auth: SupervisorAuth,
        parent: QWidget | None = None,
        *,
        on_attempt: AttemptHook | None = None,
    ) -> None:
        super().__init__(parent)
        self._auth = auth
        self._on_attempt = on_attempt
        self._checking = False  # an attempt is on the pool: closing waits for its answer
        self._checking_since = 0.0
        self.supervisor_name = ""
        self.last_result: AuthResult | None = None
        self._jobs = JobRunner(QThreadPool.globalInstance(), self)
        self._jobs.signals.done.connect(self._checked)
        self._jobs.signals.failed.connect(self._check_failed)
        self._wrong = False
        self._not_logged = ""  # why the last attempt could not be logged, if it could not

        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.name_edit = QLineEdit(self)
        self.name_edit.setMaxLength(100)
        self.passphrase_edit = QLineEdit(self)
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.name_label = QLabel(self)
        self.name_label.setBuddy(self.name_edit)
        self.passphrase_label = QLabel(self)
        self.passphrase_label.setBuddy(self.passphrase_edit)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert isinstance(ok, QPushButton)
        self.login_button = ok
        ok.setDefault(True)  # Return in the passphrase field logs in
        self.buttons.accepted.connect(self.try_login)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.name_label, self.name_edit)
        form.addRow(self.passphrase_label, self.passphrase_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self.message.setMinimumHeight(self.fontMetrics().height() * 3)

        self.unlock_timer = QTimer(self)
        self.unlock_timer.setSingleShot(True)
        # a coarse timer may fire up to 5 % early, when SupervisorAuth still refuses
        self.unlock_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.unlock_timer.timeout.connect(self._unlock)
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self._show_wait)
        self._waiting_s = 0.0
        self.retranslate()
        if not auth.is_configured():
            self._show_not_configured()
        else:
            remaining = auth.remaining_delay()
            if remaining > 0:
                self._lock_for(remaining)

    # -- texts ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Supervisor login"))
        self.intro.setText(
            self.tr(
                "The supervisor's view shows the daily log of every counter. "
                "Give your name and the supervisors' passphrase."
            )
        )
        self.name_label.setText(self.tr("Your &name:"))
        self.passphrase_label.setText(self.tr("&Passphrase:"))
        self.name_edit.setAccessibleName(self.tr("Supervisor name"))
        self.passphrase_edit.setAccessibleName(self.tr("Supervisor passphrase"))
        self.login_button.setText(self.tr("&Log in"))
        self.login_button.setAccessibleName(self.tr("Log in as supervisor"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setAccessibleName(text)

    # -- attempts ---------------------------------------------------------------------------

    def try_login(self) -> None:
        name = self.name_edit.text().strip()
        if not name:
            self._say(self.tr("Give your name: reveals are logged under it."))
            self.name_edit.setFocus()
            return
        if not self.login_button.isEnabled():
            return
        self.login_button.setEnabled(False)
        self._checking = True
        self._checking_since = time.monotonic()
        self._say(self.tr("Checking…"))
        passphrase = self.passphrase_edit.text()
        auth, on_attempt = self._auth, self._on_attempt  # the job holds no Qt object
        self._jobs.start(lambda: check_and_record(auth, on_attempt, passphrase, name))

    def reject(self) -> None:
        """Esc or the close button while an attempt is checked and logged: wait for it.

        Closing now would let the caller close the log under the attempt being written,
        and delete the dialog whose job is about to answer; the check takes a second.
        After ``CLOSE_GRACE_S`` the dialog closes anyway: a log that stopped answering
        (a frozen database) must not lock the counter behind a modal dialog.
        """
        if self._checking and time.monotonic() - self._checking_since < self.CLOSE_GRACE_S:
            self._say(self.tr("Checking… (the attempt is being logged; one moment)"))
            return
        super().reject()

    def _checked(self, ticket: int, answer: object) -> None:
        self._checking = False
        assert isinstance(answer, tuple)
        result, name, problem = answer
        assert isinstance(result, AuthResult)
        self.last_result = result
        self.passphrase_edit.clear()
        self._not_logged = ""
        if problem is not None:
            detail = problem or self.tr("unexpected error")
            self._not_logged = self.tr("This attempt could not be logged: {detail}").format(
                detail=detail
            )
        if result.status is AuthStatus.OK and problem is not None:
            self.login_button.setEnabled(True)
            self._say(
                self.tr(
                    "The login could not be written to the daily log, so the supervisor's "
                    "view is not opened: {detail}"
                ).format(detail=problem or self.tr("unexpected error"))
            )
        elif result.status is AuthStatus.OK:
            self.supervisor_name = name
            self.accept()
        elif result.status is AuthStatus.NOT_CONFIGURED:
            self._show_not_configured()
        else:
            self._lock_for(result.retry_after_s, wrong=result.status is AuthStatus.WRONG)

    def _check_failed(self, ticket: int, exc: object) -> None:
        self._checking = False
        detail = str(exc) if isinstance(exc, AuthError) else self.tr("unexpected error")
        self._say(self.tr("The passphrase could not be checked: {detail}").format(detail=detail))
        self.login_button.setEnabled(True)

    def _show_not_configured(self) -> None:
        self.login_button.setEnabled(False)
        self._say(
            self.tr(
                "No supervisor passphrase is set on this computer. "
                "Set one with: counter-app supervisor set-passphrase"
            )
        )

    # -- the delay ----------------------------------------------------------------------------

    def _lock_for(self, seconds: float, *, wrong: bool = False) -> None:
        self.login_button.setEnabled(False)
        self._wrong = wrong
        self._waiting_s = seconds
        self.unlock_timer.start(math.ceil(seconds * 1000) + UNLOCK_MARGIN_MS)
        self.countdown.start()
        self._show_wait()
        self.passphrase_edit.setFocus()

    def _show_wait(self) -> None:
        left = max(1, math.ceil(self.unlock_timer.remainingTime() / 1000 - 0.05))
        if self._wrong:
            text = self.tr("Wrong passphrase. You can try again in {n} s.")
        else:
            text = self.tr("Too many wrong attempts. You can try again in {n} s.")
        text = text.format(n=left)
        self._say(f"{text} {self._not_logged}" if self._not_logged else text)

    def _unlock(self) -> None:
        self.countdown.stop()
        self.login_button.setEnabled(True)
        self.login_button.setDefault(True)  # disabling it took the default away
        self._say(self.tr("You can try again."))


def check_and_record(
    auth: SupervisorAuth,
    on_attempt: AttemptHook | None,
    passphrase: str,
    name: str,
) -> tuple[AuthResult, str, str | None]:
    """On the worker thread: the check, then the hook (e.g. a journal append).

    Returns the result, the name and, when the hook failed, why (else None). A function
    of plain objects, not a method of the dialog: a job that held the dialog could drop
    the last reference to it on the pool thread, and Qt objects must die on their own.
    """
    result = auth.verify(passphrase)
    problem: str | None = None
    if on_attempt is not None:
        try:
            on_attempt(result, name)
        except JournalError as exc:  # its messages carry no personal data
            problem = str(exc)
        except Exception:  # never a traceback in the dialog; still no unlogged access
            problem = ""
    return result, name, problem
