"""The counter window: the clerk's flow from card to advice to a confirmed decision.

The window owns no I/O. Reader events come from a bridge, card reads run on the
thread pool, the check and the confirmation run on the asyncio thread; every
answer comes back as a queued signal carrying the session it belongs to, and
``Flow.accepts`` drops answers about a citizen who is no longer at the desk.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from cardreader.errors import CardReaderError, CardRemovedError, NotAnEidError
from cardreader.models import EidReading
from counter_app.config import unfinished_for
from counter_app.ui.async_runner import AsyncRunner, connect_queued
from counter_app.ui.flow import Flow, FlowState
from counter_app.ui.i18n import LanguageSwitcher
from counter_app.ui.idle import InputWatch
from counter_app.ui.ports import (
    CheckSubject,
    CheckView,
    Confirmation,
    ConfirmError,
    CounterBackend,
    DecisionRequest,
    ReaderEvent,
    ReaderEventKind,
    SourceProgress,
)
from counter_app.ui.widgets.advice import AdviceList
from counter_app.ui.widgets.common import IconText
from counter_app.ui.widgets.decision import DecisionPanel
from counter_app.ui.widgets.deck import DeckChooser
from counter_app.ui.widgets.dialogs import ManualEntryDialog, SettingsDialog
from counter_app.ui.widgets.identity import CardWarningBanner, IdentityPanel, card_problems
from counter_app.ui.widgets.sources import SourceProgressList
from counter_app.ui.widgets.status import ClerkBadge, ReaderState, ReaderStatus
from counter_app.ui.workers import JobSignals, ReaderEventBridge, TicketJob

# Where a manual entry waits for the clerk, and so where the inactivity countdown runs.
# Not while a check or a confirmation is running: those are never cut off, and the
# countdown starts again, in full, once they are over.
_MANUAL_IDLE_STATES = frozenset({FlowState.ADVICE, FlowState.CHECK_ERROR})


# How long closing the window waits for a confirmation in flight (UiTPAS, then the log).
_CONFIRM_GRACE_S = 15.0


@dataclass(frozen=True)
class WindowOptions:
    clear_delay_ms: int = 5000  # privacy at the desk: data disappears this long after removal
    # A manual entry (no card to remove) is cleared after this long without keyboard or
    # mouse input in the window; 0 turns it off.
    manual_idle_clear_ms: int = 300_000
    today: Callable[[], dt.date] = field(default=dt.date.today)


class CounterWindow(QMainWindow):
    state_changed = Signal(str)  # FlowState value, after the screen shows it
    screen_cleared = Signal()

    def __init__(
        self,
        backend: CounterBackend,
        languages: LanguageSwitcher,
        options: WindowOptions | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("counterWindow")
        self.backend = backend
        self.languages = languages
        self.options = options or WindowOptions()
        self.flow = Flow()
        self.subject: CheckSubject | None = None
        self.check_view: CheckView | None = None
        self.confirmation: Confirmation | None = None
        self._readers: set[str] = set()
        self._card_reader = ""
        self._service_up = True
        self._future: Future[Any] | None = None
        self._clear_after_confirm = False
        self._supervisor_window: QWidget | None = None
        self._message: tuple[str, str, dict[str, str]] = ("card", "idle", {})
        self._closed = False
        self._log_problem = ""  # a consultation that could not be logged (stays shown)

        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self.runner = AsyncRunner(self)
        connect_queued(self.runner.finished, self._on_async_done)
        connect_queued(self.runner.failed, self._on_async_failed)
        connect_queued(self.runner.progress, self._on_async_progress)
        self.read_signals = JobSignals(self)
        connect_queued(self.read_signals.done, self._on_read_done)
        connect_queued(self.read_signals.failed, self._on_read_failed)
        self.photo_signals = JobSignals(self)
        connect_queued(self.photo_signals.done, self._on_photo_done)
        connect_queued(self.photo_signals.failed, self._on_photo_failed)
        self.reader_bridge = ReaderEventBridge(self)
        connect_queued(self.reader_bridge.arrived, self._on_reader_event)
        self.clear_timer = QTimer(self)
        self.clear_timer.setSingleShot(True)
        self.clear_timer.timeout.connect(self.clear_screen)
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self._manual_entry_idle)
        self.input_watch = InputWatch(self)
        self.input_watch.input_seen.connect(self._input_seen)

        self._build()
        self._build_actions()
        self.retranslate()
        self._restore_window_state()
        self.backend.start_monitor(self.reader_bridge.sink)

    # ---------------------------------------------------------------- layout
    def _build(self) -> None:
        self.reader_status = ReaderStatus(self)
        self.clerk_badge = ClerkBadge(self.backend.clerk, self)
        header = QHBoxLayout()
        header.addWidget(self.reader_status, 1)
        header.addWidget(self.clerk_badge, 0, Qt.AlignmentFlag.AlignRight)
        self.deck = DeckChooser(self.backend.deck, self)
        self.deck.setVisible(bool(self.backend.deck))
        self.deck.insert_requested.connect(self.insert_simulated_card)
        self.deck.remove_requested.connect(self.remove_simulated_card)
        self.hero = IconText(self, icon_size=40)
        self.hero.setObjectName("hero")
        font = self.hero.text_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.hero.text_label.setFont(font)
        self.retry_button = QPushButton(self)
        self.retry_button.setObjectName("retryCheck")
        self.retry_button.clicked.connect(self.retry_check)
        self.retry_button.hide()
        self.warning = CardWarningBanner(self)
        self.warning.acknowledged.connect(self.acknowledge_card)
        self.warning.hide()
        self.identity = IdentityPanel(self)
        self.identity.photo_requested.connect(self.request_photo)
        self.identity.hide()
        self.sources = SourceProgressList(self)
        self.sources.hide()
        self.advice = AdviceList(self)
        self.advice.declarations_submitted.connect(self.recheck_with)
        self.decision = DecisionPanel(self)
        self.decision.confirm_requested.connect(self.confirm)
        self.decision.hide()
        self.result = IconText(self, icon_size=40)
        self.result.setObjectName("result")
        self.result.hide()
        self.journal_note = IconText(self, icon_size=20)
        self.journal_note.setObjectName("journalNote")

        # Top, never scrolled away: what is happening, a card problem, the confirmation.
        hero_row = QHBoxLayout()
        hero_row.addWidget(self.hero, 1)
        hero_row.addWidget(self.retry_button)
        # Middle: the citizen and the sources on the left, the advice on the right.
        left = QVBoxLayout()
        left.addWidget(self.identity)
        left.addWidget(self.sources)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.advice)
        right.addStretch(1)
        body = QWidget(self)
        columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addLayout(left, 2)
        columns.addLayout(right, 3)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.addLayout(header)
        outer.addWidget(self.deck)
        outer.addLayout(hero_row)
        outer.addWidget(self.warning)
        outer.addWidget(self.result)
        outer.addWidget(scroll, 1)
        # Bottom, always in reach of Enter: the decision.
        outer.addWidget(self.decision)
        outer.addWidget(self.journal_note)
        self.unfinished_note = IconText(self, icon_size=20)
        self.unfinished_note.setObjectName("unfinishedNote")
        outer.addWidget(self.unfinished_note)
        self.setCentralWidget(central)
        self.resize(1100, 800)

    def _build_actions(self) -> None:
        def action(
            name: str,
            shortcut: QKeySequence | QKeySequence.StandardKey | str,
            slot: Callable[[], object],
        ) -> QAction:
            act = QAction(self)
            act.setObjectName(name)
            act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(slot)
            self.addAction(act)
            return act

        self.act_manual = action("actManual", "Ctrl+M", self.open_manual_entry)
        self.act_insert = action(
            "actInsert",
            "Ctrl+I",
            lambda: self.insert_simulated_card(self.deck.profiles.currentText()),
        )
        self.act_remove = action("actRemove", "Ctrl+R", self.remove_simulated_card)
        self.act_clear = action("actClear", "Ctrl+N", self.clear_screen)
        self.act_settings = action(
            "actSettings", QKeySequence.StandardKey.Preferences, self.open_settings
        )
        self.act_settings.setShortcuts(
            [QKeySequence("Ctrl+,"), QKeySequence(QKeySequence.StandardKey.Preferences)]
        )
        self.act_supervisor = action("actSupervisor", "Ctrl+Shift+L", self.open_supervisor)
        self.act_quit = action("actQuit", "Ctrl+Q", self.close)
        self.act_insert.setEnabled(bool(self.backend.deck))
        self.act_remove.setEnabled(bool(self.backend.deck))
        menu = self.menuBar()
        self.menu_file = menu.addMenu("")
        self.menu_file.addActions(
            [self.act_manual, self.act_clear, self.act_settings, self.act_supervisor, self.act_quit]
        )
        self.menu_card = menu.addMenu("")
        self.menu_card.addActions([self.act_insert, self.act_remove])
        self.menu_card.menuAction().setVisible(bool(self.backend.deck))
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(QKeySequence(key), self, self.enter_pressed)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.cancel)

    def open_supervisor(self) -> None:
        """The supervisor view asks its own passphrase: a clerk session gives no access."""
        from counter_app.journal.location import resolve_journal_url
        from counter_app.ui.supervisor import open_supervisor_view

        settings = getattr(self.backend, "settings", None)
        if settings is None:
            return
        # the same log the window writes to (LOKET_JOURNAL_URL wins over the configuration)
        url = resolve_journal_url(None, settings.journal.url)
        self._supervisor_window = open_supervisor_view(self, journal_url=url, settings=settings)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Loket — counter"))
        self.act_manual.setText(self.tr("&Manual entry (national number)…"))
        self.act_insert.setText(self.tr("&Insert simulated card"))
        self.act_remove.setText(self.tr("&Remove simulated card"))
        self.act_clear.setText(self.tr("&New citizen (clear the screen)"))
        self.act_settings.setText(self.tr("&Settings…"))
        self.act_supervisor.setText(self.tr("Supervisor's &view of the daily log…"))
        self.act_quit.setText(self.tr("&Quit"))
        self.menu_file.setTitle(self.tr("&Counter"))
        self.menu_card.setTitle(self.tr("C&ard"))
        self.retry_button.setText(self.tr("&Try again"))
        self.retry_button.setAccessibleName(self.tr("Ask the sources again"))
        self._render_journal_note()
        self._render_unfinished_note()
        self._render_message()
        self._render_result()

    def _render_unfinished_note(self) -> None:
        """Outside the sandbox, say plainly what this version cannot do yet."""
        settings = getattr(self.backend, "settings", None)
        gaps = unfinished_for(settings) if settings is not None else []
        self.unfinished_note.setVisible(bool(gaps))
        if gaps:
            self.unfinished_note.set(
                "warning",
                self.tr(
                    "Not finished in this version: the purposes (Hoedanigheid) in the rules "
                    "are placeholders to be confirmed. Real MAGDA refuses a request whose "
                    "purpose is not authorised."
                ),
            )

    def _render_journal_note(self) -> None:
        note = self.backend.journal_note
        if self._log_problem:
            self.journal_note.set(
                "warning",
                self.tr("This consultation is NOT in the log: {error}").format(
                    error=self._log_problem
                ),
            )
        elif note:
            self.journal_note.set(
                "warning",
                self.tr(
                    "The daily log is not available: decisions are NOT recorded ({detail})."
                ).format(detail=note),
            )
        else:
            self.journal_note.set("done", self.tr("Every decision is written to the daily log."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ---------------------------------------------------------------- messages
    def _say(self, icon_name: str, key: str, **values: str) -> None:
        self._message = (icon_name, key, values)
        self._render_message()

    def _render_message(self) -> None:
        icon_name, key, values = self._message
        texts = {
            "idle": self.tr("Insert the eID card in the reader"),
            "reading": self.tr("Reading and verifying the card…"),
            "card_warning": self.tr("Look at the card problem below before you continue."),
            "not_eid": self.tr("This card is not a Belgian eID. Insert an eID card."),
            "removed_during_read": self.tr(
                "The card was removed while it was read. Insert it again."
            ),
            "read_error": self.tr("The card could not be read: {detail}"),
            "checking": self.tr("Asking the sources…"),
            "advice": self.tr("Advice ready: decide below."),
            "check_error": self.tr("The check could not run: {detail}"),
            "confirming": self.tr("Registering and writing the log…"),
            "confirmed": self.tr("Done: registered and logged."),
            "removed": self.tr("Card removed: the check was stopped; the screen clears shortly."),
            "cancelled": self.tr("Cancelled."),
            "idle_cleared": self.tr(
                "No input for {delay}: the manual entry was cleared from the screen."
            ),
        }
        text = texts.get(key, key)
        if values:
            text = text.format(**values)
        self.hero.set(icon_name, text)

    def _render_result(self) -> None:
        conf = self.confirmation
        if conf is None:
            self.result.hide()
            return
        text = self.tr("Decision confirmed. Log entry {entry}.").format(entry=conf.journal_entry)
        if conf.passholder_reference:
            text += " " + self.tr("UiTPAS registration {ref}.").format(
                ref=conf.passholder_reference
            )
        if not conf.journal_durable:
            text += " " + self.tr("Warning: the log is not durable (see below).")
        self.result.set("done", text)
        self.result.show()

    def _go(self, state: FlowState) -> None:
        self.flow.go(state)
        self._after_state()

    def _after_state(self) -> None:
        state = self.flow.state
        self.retry_button.setVisible(state is FlowState.CHECK_ERROR)
        self.decision.setEnabled(state is FlowState.ADVICE)
        self._update_idle_countdown()
        self.state_changed.emit(state.value)

    # ---------------------------------------------------------------- reader events
    def _on_reader_event(self, event: ReaderEvent) -> None:
        kind = event.kind
        if kind is ReaderEventKind.SERVICE_DOWN:
            self._service_up = False
            self._readers.clear()
            self.reader_status.show_state(ReaderState.SERVICE_DOWN)
            if self._card_reader:
                self._card_removed()
            return
        if kind is ReaderEventKind.SERVICE_UP:
            self._service_up = True
        elif kind is ReaderEventKind.READER_ADDED:
            self._readers.add(event.reader)
        elif kind is ReaderEventKind.READER_REMOVED:
            self._readers.discard(event.reader)
            if event.reader == self._card_reader:
                self._card_removed()
        elif kind is ReaderEventKind.CARD_INSERTED:
            self._readers.add(event.reader)
            self._card_reader = event.reader
            self.start_read(event.reader)
            return
        elif kind is ReaderEventKind.CARD_REMOVED and event.reader == self._card_reader:
            self._card_removed()
        self._show_idle_reader_state()

    def _show_idle_reader_state(self) -> None:
        if not self._service_up:
            self.reader_status.show_state(ReaderState.SERVICE_DOWN)
        elif self._card_reader:
            self.reader_status.show_state(ReaderState.CARD_PRESENT)
        elif self._readers:
            self.reader_status.show_state(ReaderState.EMPTY)
        else:
            self.reader_status.show_state(ReaderState.NO_READER)

    def insert_simulated_card(self, profile: str) -> None:
        if profile and self.backend.deck:
            index = self.deck.profiles.findText(profile)
            if index >= 0:
                self.deck.profiles.setCurrentIndex(index)
            self.backend.insert_card(profile)

    def remove_simulated_card(self) -> None:
        if self.backend.deck:
            self.backend.remove_card()

    # ---------------------------------------------------------------- card read
    def start_read(self, reader: str) -> None:
        self._cancel_future()
        self._wipe()
        session = self.flow.new_session(FlowState.READING)
        self.reader_status.show_state(ReaderState.READING)
        self._say("busy", "reading")
        self._after_state()
        backend = self.backend
        self.pool.start(TicketJob(lambda: backend.read_card(reader), session, self.read_signals))

    def _on_read_done(self, session: int, reading: EidReading) -> None:
        if not self.flow.accepts(session, FlowState.READING):
            return
        self.reader_status.show_state(ReaderState.CARD_PRESENT)
        subject = CheckSubject(insz=reading.identity.national_number, reading=reading)
        self.subject = subject
        self.identity.show_subject(subject, self.options.today())
        self.identity.show()
        if card_problems(reading):
            self.warning.show_reading(reading)
            self.warning.show()
            self._say("warning", "card_warning")
            self._go(FlowState.CARD_WARNING)
            self.warning.ack_button.setFocus()
            return
        self._start_check()

    def _on_read_failed(self, session: int, exc: BaseException) -> None:
        if not self.flow.accepts(session, FlowState.READING):
            return
        if isinstance(exc, NotAnEidError):
            self.reader_status.show_state(ReaderState.NOT_EID)
            self._say("warning", "not_eid")
        elif isinstance(exc, CardRemovedError):
            self._show_idle_reader_state()
            self._say("warning", "removed_during_read")
        elif isinstance(exc, CardReaderError):
            self.reader_status.show_state(ReaderState.CARD_PRESENT)
            self._say("warning", "read_error", detail=str(exc))
        else:
            self.reader_status.show_state(ReaderState.CARD_PRESENT)
            self._say("warning", "read_error", detail=type(exc).__name__)
        self._go(FlowState.CARD_ERROR)

    def acknowledge_card(self) -> None:
        if self.flow.state is not FlowState.CARD_WARNING:
            return
        self.warning.hide()
        self._start_check()

    def request_photo(self) -> None:
        subject = self.subject
        if subject is None or subject.reading is None or not self._card_reader:
            return
        reader, backend, session = self._card_reader, self.backend, self.flow.session
        self.pool.start(
            TicketJob(lambda: backend.read_card(reader, photo=True), session, self.photo_signals)
        )

    def _on_photo_done(self, session: int, reading: EidReading) -> None:
        subject = self.subject
        if (
            self.flow.accepts(session)
            and subject is not None
            and subject.reading is not None
            and reading.identity.national_number == subject.insz
        ):
            self.identity.show_photo(reading.files.photo)

    def _on_photo_failed(self, session: int, exc: BaseException) -> None:
        if self.flow.accepts(session):
            self.identity.show_photo(None)

    # ---------------------------------------------------------------- manual entry
    def open_manual_entry(self) -> None:
        if self.flow.state is FlowState.CONFIRMING:
            return
        dialog = ManualEntryDialog(self.backend.normalise_insz, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.start_manual(dialog.insz))
        self.manual_dialog = dialog
        dialog.open()

    def start_manual(self, insz: str) -> None:
        self._cancel_future()
        self._wipe()
        self.flow.new_session(FlowState.IDLE)  # _start_check goes on to CHECKING
        self.subject = CheckSubject(insz=insz)
        self.identity.show_subject(self.subject, self.options.today())
        self.identity.show()
        self._start_check()

    # ---------------------------------------------------------------- check
    def _start_check(self) -> None:
        subject = self.subject
        assert subject is not None
        self._go(FlowState.CHECKING)
        self.sources.clear()
        self.sources.show()
        self._say("busy", "checking")
        token = ("check", self.flow.session)
        self._future = self.runner.submit(
            self.backend.check(subject, self.runner.report(token)), token
        )

    def recheck_with(self, declarations: tuple[str, ...]) -> None:
        """The clerk saw documents: assess again with those facts declared (a new consultation)."""
        if self.flow.state is not FlowState.ADVICE or self.subject is None:
            return
        self.subject = replace(self.subject, declarations=tuple(declarations))
        self.advice.clear()
        self.decision.clear()
        self.decision.hide()
        self._start_check()

    def retry_check(self) -> None:
        if self.flow.state is FlowState.CHECK_ERROR and self.subject is not None:
            self._start_check()

    def _on_async_progress(self, token: tuple[str, int], payload: SourceProgress) -> None:
        kind, session = token
        if kind == "check" and self.flow.accepts(session, FlowState.CHECKING):
            self.sources.update_source(payload)

    def _on_async_done(self, token: tuple[str, int], result: object) -> None:
        kind, session = token
        if kind == "logged":
            if self._log_problem:  # the log works again
                self._log_problem = ""
                self._render_journal_note()
            return
        if kind == "check" and self.flow.accepts(session, FlowState.CHECKING):
            assert isinstance(result, CheckView)
            self.check_view = result
            central = self.centralWidget()
            assert central is not None
            central.setUpdatesEnabled(False)  # one repaint for the whole advice, not one per part
            try:
                self.advice.show_advices(result.advices)
                self.decision.show_advices(result.advices, self.options.today())
                self.decision.show()
                self._say("card", "advice")
                self._go(FlowState.ADVICE)
            finally:
                central.setUpdatesEnabled(True)
            self.runner.submit(self.backend.consultation_logged(result), ("logged", session))
            if self.decision.choice_buttons():
                checked = [b for b in self.decision.choice_buttons() if b.isChecked()]
                (checked or self.decision.choice_buttons())[0].setFocus()
        elif kind == "confirm" and session == self.flow.session - (
            1 if self._clear_after_confirm else 0
        ):
            assert isinstance(result, Confirmation)
            self.confirmation = result
            self._go_confirmed()

    def _on_async_failed(self, token: tuple[str, int], exc: BaseException) -> None:
        kind, session = token
        if kind == "logged":
            # Shown whatever the session: a consultation that is not in the log matters.
            self._log_problem = str(exc) if isinstance(exc, ConfirmError) else _plain(exc)
            self._render_journal_note()
            return
        if kind == "check" and self.flow.accepts(session, FlowState.CHECKING):
            self._say("warning", "check_error", detail=_plain(exc))
            self._go(FlowState.CHECK_ERROR)
        elif kind == "confirm" and session == self.flow.session - (
            1 if self._clear_after_confirm else 0
        ):
            message = str(exc) if isinstance(exc, ConfirmError) else _plain(exc)
            self.flow.go(FlowState.ADVICE)
            if self._clear_after_confirm:
                self._clear_after_confirm = False
                self._after_state()
                self._say("warning", message)
                self._schedule_clear()
                return
            self._after_state()
            self._say("card", "advice")
            self.decision.message.setText(
                self.tr("Not recorded: {error}. Nothing was saved; you can try again.").format(
                    error=message
                )
            )

    # ---------------------------------------------------------------- decision
    def enter_pressed(self) -> None:
        if self.flow.state is FlowState.ADVICE:
            self.decision.request_confirm()
        elif self.flow.state is FlowState.CARD_WARNING:
            self.acknowledge_card()
        elif self.flow.state is FlowState.CHECK_ERROR:
            self.retry_check()

    def confirm(self, decision: DecisionRequest) -> None:
        view = self.check_view
        if self.flow.state is not FlowState.ADVICE or view is None:
            return
        self._go(FlowState.CONFIRMING)
        self._say("busy", "confirming")
        token = ("confirm", self.flow.session)
        self._future = self.runner.submit(self.backend.confirm(view, decision), token)

    def _go_confirmed(self) -> None:
        self.flow.go(FlowState.CONFIRMED)
        self._after_state()
        self._say("done", "confirmed")
        self._render_result()
        if self._clear_after_confirm:  # the card left while we were registering
            self._clear_after_confirm = False
            self._schedule_clear()
        elif self.subject is not None and self.subject.reading is None:
            # A manual entry has no card whose removal clears the screen: the decision does.
            self._schedule_clear()

    # ---------------------------------------------------------------- cancel / removal / clear
    def _cancel_future(self) -> None:
        if self._future is not None and self.flow.state is not FlowState.CONFIRMING:
            self._future.cancel()
        self._future = None

    def _card_removed(self) -> None:
        self._card_reader = ""
        if self.flow.state is FlowState.CONFIRMING:
            # A registration in flight is finished, not torn: then the screen clears.
            self._clear_after_confirm = True
            self.flow.session += 1
            return
        if self.subject is None or self.subject.reading is None:
            # Manual entry in progress, or nothing shown: the card was not this citizen's.
            if self.flow.state in (FlowState.READING, FlowState.CARD_ERROR):
                self.flow.end_session()
                self._after_state()
                self._say("card", "idle")
            return
        self._cancel_future()
        self.flow.end_session()
        self._after_state()
        self._say("card", "removed")
        self._schedule_clear()

    def _schedule_clear(self) -> None:
        self.decision.setEnabled(False)
        if self.options.clear_delay_ms <= 0:
            self.clear_screen()
        else:
            self.clear_timer.start(self.options.clear_delay_ms)

    def cancel(self) -> None:
        """Esc: stop what is running (never a confirmation in flight) and clear the citizen."""
        if self.flow.state is FlowState.CONFIRMING:
            return
        if self.flow.busy:
            self._cancel_future()
            self.flow.end_session()
            self._wipe()
            self._after_state()
            self._say("card", "cancelled")
            return
        if self.flow.state is not FlowState.IDLE or self.subject is not None:
            self.clear_screen()

    def _wipe(self) -> None:
        self.clear_timer.stop()
        self.subject = None
        self._update_idle_countdown()
        self.check_view = None
        self.confirmation = None
        self.identity.clear()
        self.identity.hide()
        self.warning.show_reading(None)
        self.warning.hide()
        self.sources.clear()
        self.sources.hide()
        self.advice.clear()
        self.decision.clear()
        self.decision.hide()
        self.result.set("", "")
        self.result.hide()

    def clear_screen(self) -> None:
        """Remove every trace of the citizen from the screen (privacy at the desk)."""
        if self.flow.state is FlowState.CONFIRMING:
            return
        self._cancel_future()
        self._wipe()
        if self.flow.state is not FlowState.IDLE:
            self.flow.end_session()
        self._after_state()
        self._say("card", "idle")
        self._show_idle_reader_state()
        self.screen_cleared.emit()

    # ---------------------------------------------------------------- unattended manual entry
    def _manual_idle_armed(self) -> bool:
        """A manual entry waits for the clerk: the inactivity countdown runs."""
        subject = self.subject
        return (
            not self._closed
            and self.options.manual_idle_clear_ms > 0
            and subject is not None
            and subject.reading is None
            and self.flow.state in _MANUAL_IDLE_STATES
        )

    def _update_idle_countdown(self) -> None:
        """(Re)start the countdown in full on entering a waiting state; stop it otherwise."""
        if self._manual_idle_armed():
            self.idle_timer.start(self.options.manual_idle_clear_ms)
            self.input_watch.start()
        else:
            self.idle_timer.stop()
            self.input_watch.stop()

    def _input_seen(self) -> None:
        if self.idle_timer.isActive():
            self.idle_timer.start()  # any input: the countdown starts over

    def _manual_entry_idle(self) -> None:
        """Nobody touched the window for a while: clear the manual entry, and say why."""
        if not self._manual_idle_armed():
            return
        self.clear_screen()
        self._say("card", "idle_cleared", delay=_duration(self.options.manual_idle_clear_ms))

    # ---------------------------------------------------------------- settings / state
    def open_settings(self) -> None:
        dialog = SettingsDialog(self.languages.language, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.set_language(dialog.chosen_language()))
        self.settings_dialog = dialog
        dialog.open()

    def set_language(self, language: str) -> None:
        if self.languages.set_language(language):
            QSettings().setValue("ui/language", language)

    def _restore_window_state(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def shutdown(self) -> None:
        """Stop the monitor, cancel the work, stop the loop thread (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self.clear_timer.stop()
        self.idle_timer.stop()
        self.input_watch.stop()
        try:
            self.backend.stop_monitor()
            if self.flow.state is FlowState.CONFIRMING and self._future is not None:
                # A sale being registered is finished, not torn: cancelled half-way it could
                # be registered at UiTPAS with no decision in the log (as for a card removal).
                with contextlib.suppress(Exception):
                    self._future.result(timeout=_CONFIRM_GRACE_S)
        finally:
            self.runner.cancel_all()
            self.runner.drain(timeout=5)
            if self.runner.running:
                # Closing: a failing close has nothing useful to tell the clerk.
                with contextlib.suppress(Exception):
                    self.runner.run_sync(self.backend.aclose(), timeout=5)
            self.runner.stop()
            self.pool.waitForDone(5000)

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        self.shutdown()
        super().closeEvent(event)


def _duration(ms: int) -> str:
    """``5 min`` or ``45 s`` (the same in Dutch and English)."""
    seconds = round(ms / 1000)
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds // 60} min"
    return f"{seconds} s"


def _plain(exc: BaseException) -> str:
    """A message for the clerk: the exception's own words when it has any, else its kind."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
