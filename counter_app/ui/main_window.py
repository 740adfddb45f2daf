"""The counter window: the clerk's flow from card to advice to a confirmed decision.

The window owns no I/O. Reader events come from a bridge, card reads run on the
thread pool, the check and the confirmation run on the asyncio thread; every
answer comes back as a queued signal carrying the session it belongs to, and
``Flow.accepts`` drops answers about a citizen who is no longer at the desk.

One check can lead to a decision per right. After a confirmation the window goes
back to the advice while a right still waits for the clerk (``awaits_decision``),
and keeps every decided right, by right, until the citizen leaves: also across
"assess again", whose new check must not sell a second pass.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as dt
import itertools
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
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
from counter_app.ui.i18n import LanguageSwitcher, current_language
from counter_app.ui.idle import InputWatch
from counter_app.ui.ports import (
    CheckSubject,
    CheckView,
    Confirmation,
    ConfirmError,
    ConfirmFailure,
    ConfirmProblem,
    CounterBackend,
    DecisionRequest,
    LocalText,
    ReaderEvent,
    ReaderEventKind,
    SourceProgress,
    pick,
)
from counter_app.ui.reasons import clerk_reason, clerk_text
from counter_app.ui.widgets.advice import AdviceList
from counter_app.ui.widgets.common import IconText
from counter_app.ui.widgets.decision import Decided, DecisionPanel
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
class DecidedRight:
    """A right decided for the citizen at the desk, kept until they leave."""

    title: LocalText
    request: DecisionRequest
    confirmation: Confirmation


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
        self._readers: set[str] = set()
        self._card_reader = ""
        self._service_up = True
        self._future: Future[Any] | None = None
        # Confirmations in flight, by the session they were started in: a registration is
        # never torn, so it may still be running when the next citizen is at the desk.
        self._confirms: dict[int, Future[Any]] = {}
        # The session whose confirmation the screen is waiting for (None once the screen was
        # wiped for someone else: its result is then only reported, without personal data).
        self._awaiting_confirm: int | None = None
        self._clear_after_confirm = False
        # Every right decided for the citizen on screen (right id -> what and where logged),
        # in the order decided; the decision in flight and the check it was made on.
        self.decided: dict[str, DecidedRight] = {}
        self._confirming: tuple[DecisionRequest, CheckView] | None = None
        # Decisions whose log write failed (the backend keeps them, and UiTPAS may have
        # registered the pass): confirming that right again sends the same decision on the
        # check it was made on (the backend then only writes the log), also after "assess
        # again" made a new check, whatever is selected now.
        self._unlogged: dict[str, tuple[DecisionRequest, CheckView]] = {}
        self._supervisor_window: QWidget | None = None
        self._message: tuple[str, str, dict[str, str | ConfirmProblem]] = ("card", "idle", {})
        self._closed = False
        # A consultation that could not be logged (stays shown), and why the last
        # confirmation failed: what the error says happened, or the words of an
        # unexpected failure. Rendered again when the language changes.
        self._log_problem: ConfirmProblem | str = ""
        self._confirm_problem: ConfirmProblem | str = ""

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
        # The outcome of a confirmation that finished after its citizen left the screen.
        self.previous_note = IconText(self, icon_size=20)
        self.previous_note.setObjectName("previousConfirmation")
        self.previous_note.hide()
        # ("done", log entry) or ("failed", the error or its words)
        self._previous: tuple[str, str | ConfirmProblem] | None = None
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
        scroll.setObjectName("citizenArea")
        # Not a tab stop of its own: Tab goes to the controls inside, and the scroll area
        # brings each one into view as it gets the focus.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll = scroll
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
        outer.addWidget(self.previous_note)
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
        self.scroll.setAccessibleName(self.tr("Citizen, sources and advice"))
        self._render_journal_note()
        self._render_unfinished_note()
        self._render_message()
        self._render_result()
        self._render_previous()
        self._render_confirm_problem()

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
                    error=clerk_text(self._log_problem)
                ),
            )
        elif note:
            self.journal_note.set(
                "warning",
                self.tr(
                    "The daily log is not available: decisions are NOT recorded ({detail})."
                ).format(detail=clerk_text(note)),
            )
        else:
            self.journal_note.set("done", self.tr("Every decision is written to the daily log."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ---------------------------------------------------------------- messages
    def _say(self, icon_name: str, key: str, **values: str | ConfirmProblem) -> None:
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
            "confirmed_more": self.tr(
                "Decision confirmed. Still to decide: {rights}. Choose below, or remove the "
                "card when nothing more is needed."
            ),
            "confirmed_more_manual": self.tr(
                "Decision confirmed. Still to decide: {rights}. Choose below, or clear the "
                "screen (Ctrl+N) when nothing more is needed."
            ),
            "confirm_failed_removed": self.tr(
                "The decision was NOT recorded: {error}. The card was removed; the screen "
                "clears shortly."
            ),
            "confirm_kept_removed": self.tr(
                "The decision is not in the log yet: {error}. Loket writes it with the next log "
                "entry. The card was removed; the screen clears shortly."
            ),
            "removed": self.tr("Card removed: the check was stopped; the screen clears shortly."),
            "removed_after_decision": self.tr("Card removed: the screen clears shortly."),
            "cancelled": self.tr("Cancelled."),
            "idle_cleared": self.tr(
                "No input for {delay}: the manual entry was cleared from the screen."
            ),
        }
        text = texts.get(key, key)
        if key in ("confirmed_more", "confirmed_more_manual"):
            # the rights' names in the language shown now, not the one of the confirmation
            lang = current_language()
            values = {"rights": ", ".join(pick(a.title, lang) for a in self.decision.open_rights())}
        if key in ("check_error", "confirm_failed_removed", "confirm_kept_removed"):
            values = {name: clerk_text(value) for name, value in values.items()}
        if values:
            text = text.format(**values)
        self.hero.set(icon_name, text)

    def _render_result(self) -> None:
        """One line per decided right, each named: they stay until the citizen leaves."""
        if not self.decided:
            self.result.hide()
            return
        lang = current_language()
        lines = []
        for done in self.decided.values():
            conf = done.confirmation
            text = self.tr("Decision confirmed. Log entry {entry}.").format(
                entry=conf.journal_entry
            )
            if conf.passholder_reference:
                text += " " + self.tr("UiTPAS registration {ref}.").format(
                    ref=conf.passholder_reference
                )
            if not conf.journal_durable:
                text += " " + self.tr("Warning: the log is not durable (see below).")
            lines.append(f"{pick(done.title, lang)}: {text}")
        self.result.set("done", "\n".join(lines))
        self.result.show()

    def _render_confirm_problem(self) -> None:
        """Why the registration failed, and whether trying again can help."""
        if not self._confirm_problem or self.flow.state is not FlowState.ADVICE:
            return
        reason = clerk_reason(self._confirm_problem)
        if reason.registered:
            template = self.tr("Not logged: {error}.")
        elif reason.kept:
            template = self.tr(
                "Not logged yet: {error}. The decision is kept: confirm again to write it now; "
                "otherwise Loket writes it with the next log entry."
            )
        elif reason.uncertain:
            template = self.tr("Registration uncertain: {error}.")
        elif reason.logged and reason.retry_helps:  # the refused attempt itself is logged
            template = self.tr("Not registered: {error}. You can try again.")
        elif reason.logged:
            template = self.tr("Not registered: {error}.")
        elif reason.retry_helps:
            template = self.tr("Not recorded: {error}. Nothing was saved; you can try again.")
        else:
            template = self.tr("Not recorded: {error}. Nothing was saved.")
        self.decision.message.setText(template.format(error=reason.with_technical()))

    def _render_previous(self) -> None:
        """A confirmation that ended after its citizen left: what happened, and nothing more.

        The citizen's name, number and pass reference stay off the screen (privacy clear);
        the log entry number lets the clerk find the decision in the supervisor's view.
        """
        if self._previous is None:
            self.previous_note.hide()
            return
        kind, value = self._previous
        if kind == "done":
            text = self.tr(
                "The decision for the previous citizen was registered and logged (log entry "
                "{entry})."
            ).format(entry=value)
            self.previous_note.set("done", text)
        elif clerk_reason(value).registered:
            # the pass reference stays off the screen, and confirming again is no longer
            # possible: the backend writes the entry with the next log entry
            text = self.tr(
                "UiTPAS registered the pass of the previous citizen, but the log could not be "
                "written yet; Loket writes it again with the next log entry."
            )
            self.previous_note.set("warning", text)
        elif clerk_reason(value).kept:
            text = self.tr(
                "The decision for the previous citizen could not be written to the log yet; "
                "Loket writes it again with the next log entry."
            )
            self.previous_note.set("warning", text)
        else:
            text = self.tr(
                "The decision for the previous citizen was NOT recorded: {error}"
            ).format(error=clerk_text(value))
            self.previous_note.set("warning", text)
        self.previous_note.show()

    def tab_stops(self) -> list[QWidget]:
        """The window's controls in the order the clerk sees them, top to bottom.

        Built explicitly: the advice cards are created long after the rest of the window,
        so Qt's creation order would send Tab from the decision back to the card deck and
        reach the documents-seen checkboxes only after "Confirm".
        """
        stops: list[QWidget] = [
            self.deck.profiles,
            self.deck.insert_button,
            self.deck.remove_button,
            self.retry_button,
            self.warning.ack_button,
            self.identity.photo_button,
        ]
        for card in self.advice.cards:
            stops += card.tab_stops()
        stops += self.decision.tab_stops()
        return stops

    def _chain_tab_order(self) -> None:
        stops = self.tab_stops()
        for first, second in itertools.pairwise(stops):
            QWidget.setTabOrder(first, second)

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

    def known_readers(self) -> list[str]:
        """The readers the card service reports (for the demo and tests)."""
        return sorted(self._readers)

    def card_service_up(self) -> bool:
        return self._service_up

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
        self._confirm_problem = ""  # about the previous check's decision panel
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
                self._show_decision(result)
                self.decision.show()
                self._say("card", "advice")
                self._go(FlowState.ADVICE)
            finally:
                central.setUpdatesEnabled(True)
            self.runner.submit(self.backend.consultation_logged(result), ("logged", session))
            self._focus_choice()
        elif kind == "confirm" and self._confirm_ended(session):
            assert isinstance(result, Confirmation) and self._confirming is not None
            request, view = self._confirming
            title = next((a.title for a in view.advices if a.right_id == request.right_id), {})
            self.decided[request.right_id] = DecidedRight(title, request, result)
            self._unlogged.pop(request.right_id, None)
            self._confirming = None
            self._go_confirmed()
        elif kind == "confirm":
            assert isinstance(result, Confirmation)
            self._previous = ("done", result.journal_entry)
            self._render_previous()

    def _on_async_failed(self, token: tuple[str, int], exc: BaseException) -> None:
        kind, session = token
        message = exc.problem if isinstance(exc, ConfirmError) else _plain(exc)
        if kind == "logged":
            # Shown whatever the session: a consultation that is not in the log matters.
            self._log_problem = message
            self._render_journal_note()
            return
        if kind == "check" and self.flow.accepts(session, FlowState.CHECKING):
            self._say("warning", "check_error", detail=str(exc).strip() or type(exc).__name__)
            self._go(FlowState.CHECK_ERROR)
        elif kind == "confirm" and self._confirm_ended(session):
            self.flow.go(FlowState.ADVICE)
            if self._confirming is not None:
                request, view = self._confirming
                if isinstance(message, ConfirmProblem) and message.failure is (
                    ConfirmFailure.NOT_LOGGED
                ):
                    self._unlogged[request.right_id] = (request, view)
            self._confirming = None
            if self._clear_after_confirm:
                self._clear_after_confirm = False
                self._after_state()
                kept = clerk_reason(message).kept
                if kept and isinstance(message, ConfirmProblem):
                    # the screen clears: no pass reference, no "confirm again"
                    message = replace(message, registered_reference="")
                self._say(
                    "warning",
                    "confirm_kept_removed" if kept else "confirm_failed_removed",
                    error=message,
                )
                self._schedule_clear()
                return
            self._after_state()
            self._say("card", "advice")
            self._confirm_problem = message
            self._render_confirm_problem()
        elif kind == "confirm":
            self._previous = ("failed", message)
            self._render_previous()

    def _confirm_ended(self, session: int) -> bool:
        """Forget the confirmation of ``session``; True if the screen is still waiting for it.

        Matched on the session the confirmation was started in, never on the current one:
        after a card swap the current session belongs to the next citizen.
        """
        self._confirms.pop(session, None)
        if self._awaiting_confirm == session and self.flow.state is FlowState.CONFIRMING:
            self._awaiting_confirm = None
            return True
        return False

    # ---------------------------------------------------------------- decision
    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter reaches the window only when the focused control did not use it.

        Not a window-wide shortcut: a shortcut sees the key before the focused widget,
        and Enter on "Explanation" or "Assess again" then sold the pre-selected pass.
        """
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            event.accept()
            self.enter_pressed()
            return
        super().keyPressEvent(event)

    def enter_pressed(self) -> None:
        """Enter does what the focused control is for; it confirms only from the decision.

        Buttons outside the decision ("Explanation", a document checkbox, "Assess again",
        the card deck) are activated, as Space would; in the decision panel Enter confirms.
        """
        focused = self.focusWidget()
        in_decision = focused is not None and (
            focused is self.decision or self.decision.isAncestorOf(focused)
        )
        if isinstance(focused, QAbstractButton) and not in_decision:
            if focused.isVisible() and focused.isEnabled():
                focused.click()
            return
        if self.flow.state is FlowState.ADVICE:
            if in_decision:
                self.decision.request_confirm()
        elif self.flow.state is FlowState.CARD_WARNING:
            self.acknowledge_card()
        elif self.flow.state is FlowState.CHECK_ERROR:
            self.retry_check()

    @property
    def confirmation(self) -> Confirmation | None:
        """The latest confirmation for the citizen on screen (None before any, or after)."""
        return next(reversed(self.decided.values())).confirmation if self.decided else None

    @property
    def _manual_entry(self) -> bool:
        """The citizen on screen was typed in: no card of theirs is in the reader."""
        return self.subject is not None and self.subject.manual

    def _show_decision(self, view: CheckView) -> None:
        """The decision panel for ``view``, with the rights already decided for this citizen."""
        decided = {
            right: Decided(done.request.kind, done.confirmation.journal_entry)
            for right, done in self.decided.items()
        }
        self.decision.show_advices(
            view.advices, self.options.today(), decided, manual=self._manual_entry
        )
        self.advice.show_decided({right: d.journal_entry for right, d in decided.items()})
        for right, (kept, _view) in self._unlogged.items():
            # a decision the log refused is confirmed again as it was made: show that one
            if self.decision.select(right, kept.kind) and kept.override_reason:
                self.decision.reason.setText(kept.override_reason)
        self._chain_tab_order()

    def _focus_choice(self) -> None:
        buttons = self.decision.choice_buttons()
        if buttons:
            checked = [b for b in buttons if b.isChecked()]
            (checked or buttons)[0].setFocus()

    def confirm(self, decision: DecisionRequest) -> None:
        view = self.check_view
        if self.flow.state is not FlowState.ADVICE or view is None:
            return
        if decision.right_id in self.decided:
            return  # decided already for this citizen: never a second sale or log entry
        # a decision whose log write failed is logged as made, on the check it was made on
        decision, view = self._unlogged.get(decision.right_id, (decision, view))
        self._confirming = (decision, view)
        self._go(FlowState.CONFIRMING)
        self._say("busy", "confirming")
        self._previous = None
        self._render_previous()
        self._confirm_problem = ""
        session = self.flow.session
        future = self.runner.submit(self.backend.confirm(view, decision), ("confirm", session))
        self._confirms[session] = future
        self._awaiting_confirm = session
        self._future = None  # a registration in flight is in _confirms, never cancelled

    def _go_confirmed(self) -> None:
        """Back to the decision while a right still waits; otherwise the final confirmed state."""
        if self.check_view is not None:
            self._show_decision(self.check_view)
        self._render_result()
        if self.decision.open_rights() and not self._clear_after_confirm:
            self.flow.go(FlowState.ADVICE)
            self._after_state()  # a manual entry: the inactivity countdown runs again
            self._say("done", "confirmed_more_manual" if self._manual_entry else "confirmed_more")
            self._focus_choice()
            return
        self.flow.go(FlowState.CONFIRMED)
        self._after_state()
        self._say("done", "confirmed")
        if self._clear_after_confirm:  # the card left while we were registering
            self._clear_after_confirm = False
            self._schedule_clear()
        elif self._manual_entry:
            # A manual entry has no card whose removal clears the screen: the decision does.
            self._schedule_clear()

    # ---------------------------------------------------------------- cancel / removal / clear
    def _cancel_future(self) -> None:
        if self._future is not None:
            self._future.cancel()  # a check or a read (registrations are in _confirms)
        self._future = None

    def _card_removed(self) -> None:
        self._card_reader = ""
        if self.flow.state is FlowState.CONFIRMING:
            if self._manual_entry:
                return  # a manual entry's decision: the card pulled was not this citizen's
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
        self._say("card", "removed_after_decision" if self.decided else "removed")
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
        # A confirmation still in flight now belongs to a citizen who is gone from the
        # screen: it finishes in the background and only its outcome is reported.
        self._awaiting_confirm = None
        self._clear_after_confirm = False
        self._confirm_problem = ""
        self.subject = None
        self._update_idle_countdown()
        self.check_view = None
        self.decided.clear()
        self._unlogged.clear()
        self._confirming = None
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
        return (
            not self._closed
            and self.options.manual_idle_clear_ms > 0
            and self._manual_entry
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
            # A sale being registered is finished, not torn: cancelled half-way it could be
            # registered at UiTPAS with no decision in the log (as for a card removal).
            concurrent.futures.wait(list(self._confirms.values()), timeout=_CONFIRM_GRACE_S)
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
