"""The supervisor's window: one day of the log, its figures and its chain check.

Loading and verifying run on the window's own thread pool (a day of 5,000
entries takes longer than a frame); the window keeps answering the keyboard
meanwhile and drops answers for a day that is no longer selected. Filters work
on the loaded day with the journal's own ``EntryFilter`` and ``filter_entries``,
so the view shows exactly what ``counter-app log show`` would.

The INSZ of citizens stays masked; showing one asks for a reason and goes
through ``JournalStore.reveal_subject``, which writes the reveal to the log
before it returns the number.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter_app.journal.errors import JournalError
from counter_app.journal.export import figures_path_for, write_entries_csv, write_figures_csv
from counter_app.journal.figures import filter_rows
from counter_app.journal.models import (
    AdviceOutcome,
    Application,
    Clerk,
    DecisionAction,
    EntryMode,
    SummaryRow,
)
from counter_app.journal.records import supervisor_application
from counter_app.journal.reports import DayView, EntryFilter, VerifyReport
from counter_app.journal.store import SqlJournalStore
from counter_app.ui.supervisor.entries_model import (
    Column,
    EntriesModel,
    action_word,
    outcome_word,
)
from counter_app.ui.supervisor.figures_panel import FiguresPanel
from counter_app.ui.supervisor.jobs import JobRunner
from counter_app.ui.widgets.common import IconText

ANY = None


class SupervisorWindow(QMainWindow):
    """Opened after ``SupervisorLoginDialog``; ``supervisor`` names who looks (for reveals)."""

    day_loaded = Signal()  # table and figures show the chosen day
    verified = Signal()  # the badge shows the chain check of the chosen day
    load_failed = Signal(str)
    exported = Signal(object)  # the entries CSV written, or None when it failed
    revealed = Signal(object)  # the entry id whose INSZ is shown, or None: not shown

    def __init__(
        self,
        store: SqlJournalStore,
        *,
        supervisor: str,
        counter_id: str,
        application: Application | None = None,
        day: dt.date | None = None,
        owns_store: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.supervisor = supervisor
        self.counter_id = counter_id
        self.application = application or supervisor_application()
        self._owns_store = owns_store
        self.view: DayView | None = None
        self.report: VerifyReport | None = None
        self.shown: list[SummaryRow] = []

        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self.loads = JobRunner(self.pool, self)
        self.loads.signals.done.connect(self._day_arrived)
        self.loads.signals.failed.connect(self._load_failed)
        self.checks = JobRunner(self.pool, self)
        self.checks.signals.done.connect(self._report_arrived)
        self.checks.signals.failed.connect(self._verify_failed)
        self.exports = JobRunner(self.pool, self)
        self.exports.signals.done.connect(self._export_done)
        self.exports.signals.failed.connect(self._export_failed)
        # a reveal writes to the log: with a locked or unreachable database that takes
        # seconds, so it runs on the pool like loading and exporting
        self.reveals = JobRunner(self.pool, self)
        self.reveals.signals.done.connect(self._reveal_done)
        self.reveals.signals.failed.connect(self._reveal_failed)
        self._revealing: int | None = None  # the entry whose reveal is being logged
        self.calendar_jobs = JobRunner(self.pool, self)
        self.calendar_jobs.signals.done.connect(self._days_arrived)

        self._build()
        self.retranslate()
        today = day or dt.datetime.now(store.tz).date()
        self.day_edit.setDate(QDate(today.year, today.month, today.day))
        self.day_edit.dateChanged.connect(lambda _d: self.load_day())
        self.calendar_jobs.start(store.days)
        self.load_day()

    # -- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        central = QWidget(self)
        self.setCentralWidget(central)

        self.day_label = QLabel(central)
        self.day_edit = QDateEdit(central)
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        self.day_label.setBuddy(self.day_edit)
        self.reload_button = QPushButton(central)
        self.reload_button.clicked.connect(self.load_day)
        self.badge = IconText(central)
        top = QHBoxLayout()
        top.addWidget(self.day_label)
        top.addWidget(self.day_edit)
        top.addWidget(self.reload_button)
        top.addSpacing(24)
        top.addWidget(self.badge, 1)

        self.clerk_label, self.clerk_edit = QLabel(central), QLineEdit(central)
        self.clerk_edit.setClearButtonEnabled(True)
        self.clerk_edit.textChanged.connect(self.apply_filters)
        self.right_label, self.right_combo = QLabel(central), QComboBox(central)
        self.outcome_label, self.outcome_combo = QLabel(central), QComboBox(central)
        self.decision_label, self.decision_combo = QLabel(central), QComboBox(central)
        self.override_label, self.override_combo = QLabel(central), QComboBox(central)
        self.manual_label, self.manual_combo = QLabel(central), QComboBox(central)
        self.failures_label, self.failures_combo = QLabel(central), QComboBox(central)
        grid = QGridLayout()
        pairs = [
            (self.clerk_label, self.clerk_edit),
            (self.right_label, self.right_combo),
            (self.outcome_label, self.outcome_combo),
            (self.decision_label, self.decision_combo),
            (self.override_label, self.override_combo),
            (self.manual_label, self.manual_combo),
            (self.failures_label, self.failures_combo),
        ]
        for i, (label, field) in enumerate(pairs):
            label.setBuddy(field)
            grid.addWidget(label, i // 4, (i % 4) * 2)
            grid.addWidget(field, i // 4, (i % 4) * 2 + 1)
            if isinstance(field, QComboBox):
                field.currentIndexChanged.connect(self.apply_filters)
        self.clear_filters_button = QPushButton(central)
        self.clear_filters_button.clicked.connect(self.clear_filters)
        grid.addWidget(self.clear_filters_button, 1, 7)

        self.model = EntriesModel(self)
        self.model.tz = self.store.tz
        self.table = QTableView(central)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in (
            (Column.TIME, 70), (Column.COUNTER, 80), (Column.KIND, 80), (Column.MODE, 70),
            (Column.CLERK, 130), (Column.SUBJECT, 120), (Column.ADVICE, 360),
            (Column.DECISION, 190), (Column.OVERRIDE, 80), (Column.FAILURES, 90),
        ):  # fmt: skip
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.count_label = QLabel(central)

        self.reveal_button = QPushButton(central)
        self.reveal_button.clicked.connect(self.reveal_selected)
        self.export_button = QPushButton(central)
        self.export_button.clicked.connect(self.export_day)
        actions_row = QHBoxLayout()
        actions_row.addWidget(self.count_label, 1)
        actions_row.addWidget(self.reveal_button)
        actions_row.addWidget(self.export_button)

        self.figures = FiguresPanel(central)
        upper = QWidget(central)
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(grid)
        upper_layout.addWidget(self.table, 1)
        upper_layout.addLayout(actions_row)
        splitter = QSplitter(Qt.Orientation.Vertical, central)
        splitter.addWidget(upper)
        splitter.addWidget(self.figures)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self.act_reload = QAction(self)
        self.act_reload.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.act_reload.triggered.connect(self.load_day)
        self.act_table = QAction(self)
        self.act_table.setShortcut(QKeySequence("Ctrl+T"))
        self.act_table.triggered.connect(lambda: self.table.setFocus())
        self.act_close = QAction(self)
        self.act_close.setShortcut(QKeySequence(QKeySequence.StandardKey.Close))
        self.act_close.triggered.connect(self.close)
        for action in (self.act_reload, self.act_table, self.act_close):
            self.addAction(action)
        self.resize(1200, 860)
        self._update_actions()

    # -- texts ----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Loket — supervisor: {name}").format(name=self.supervisor))
        self.day_label.setText(self.tr("&Day:"))
        self.day_edit.setAccessibleName(self.tr("Day to show"))
        self.reload_button.setText(self.tr("&Reload"))
        self.reload_button.setAccessibleName(self.tr("Load the day again and check its chain"))
        self.clerk_label.setText(self.tr("C&lerk:"))
        self.clerk_edit.setPlaceholderText(self.tr("name or part of it"))
        self.clerk_edit.setAccessibleName(self.tr("Filter on clerk"))
        self.right_label.setText(self.tr("Ri&ght:"))
        self.outcome_label.setText(self.tr("&Outcome:"))
        self.decision_label.setText(self.tr("D&ecision:"))
        self.override_label.setText(self.tr("O&verride:"))
        self.manual_label.setText(self.tr("&Manual entry:"))
        self.failures_label.setText(self.tr("&Source failures:"))
        self.clear_filters_button.setText(self.tr("Clear &filters"))
        self.right_combo.setAccessibleName(self.tr("Filter on right"))
        self.outcome_combo.setAccessibleName(self.tr("Filter on advice outcome"))
        self.decision_combo.setAccessibleName(self.tr("Filter on decision"))
        self.override_combo.setAccessibleName(self.tr("Filter on override"))
        self.manual_combo.setAccessibleName(self.tr("Filter on manual entry"))
        self.failures_combo.setAccessibleName(self.tr("Filter on source failures"))
        self.table.setAccessibleName(self.tr("Entries of the day"))
        self.reveal_button.setText(self.tr("Show &INSZ…"))
        self.reveal_button.setAccessibleName(
            self.tr("Show the full INSZ of the selected entry (the reveal is logged)")
        )
        self.export_button.setText(self.tr("E&xport CSV…"))
        self.export_button.setAccessibleName(self.tr("Export the day and its figures as CSV"))
        self.act_reload.setText(self.tr("Reload"))
        self.act_table.setText(self.tr("Go to the table"))
        self.act_close.setText(self.tr("Close"))
        self._fill_combos()
        self.model.retranslate()
        self._show_count()
        self._show_badge()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _fill_combos(self) -> None:
        yes_no: list[tuple[str, object]] = [
            (self.tr("any"), ANY),
            (self.tr("yes"), True),
            (self.tr("no"), False),
        ]
        choices: dict[QComboBox, list[tuple[str, object]]] = {
            self.outcome_combo: [(self.tr("any"), ANY)]
            + [(outcome_word(o.value), o) for o in AdviceOutcome],
            self.decision_combo: [(self.tr("any"), ANY)]
            + [(action_word(a.value), a) for a in DecisionAction],
            self.override_combo: yes_no,
            self.manual_combo: [
                (self.tr("any"), ANY),
                (self.tr("manual entries only"), EntryMode.MANUAL),
                (self.tr("card reads only"), EntryMode.CARD),
            ],
            self.failures_combo: yes_no,
            self.right_combo: [(self.tr("any"), ANY)] + [(r, r) for r in self._rights()],
        }
        for combo, items in choices.items():
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for text, data in items:
                combo.addItem(text, data)
            found = combo.findData(chosen) if chosen is not None else 0
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)

    def _rights(self) -> list[str]:
        """The rights advised on this day (from the figures: no pass over 5,000 entries)."""
        return [] if self.view is None else sorted(self.view.figures.advice)

    # -- loading ---------------------------------------------------------------------------

    def chosen_day(self) -> dt.date:
        d = self.day_edit.date()
        return dt.date(d.year(), d.month(), d.day())

    def load_day(self) -> None:
        """Ask the store for the chosen day, then its chain check, off the GUI thread."""
        day = self.chosen_day()
        self.report = None
        self._show_badge()
        self.statusBar().showMessage(self.tr("Loading {day}…").format(day=day.isoformat()))
        store = self.store  # jobs hold no Qt object (see JobRunner)
        self.loads.start(lambda: store.day_view(day))

    def _day_arrived(self, ticket: int, view: object) -> None:
        if ticket != self.loads.latest:
            return  # an answer for a day no longer asked about
        assert isinstance(view, DayView)
        self.view = view
        self._fill_combos()
        self.apply_filters()
        self.figures.show_figures(view.figures)
        self.statusBar().clearMessage()
        self.day_loaded.emit()
        # after, not beside, the load: both need the store and the GIL, and the
        # table matters first; the badge says "checking" meanwhile
        day, store = view.day, self.store
        self.checks.start(lambda: store.verify(day))

    def _load_failed(self, ticket: int, exc: object) -> None:
        if ticket != self.loads.latest:
            return
        text = self.tr("The log could not be read: {detail}").format(detail=_plain(exc))
        self.statusBar().showMessage(text)
        self.load_failed.emit(text)
        day, store = self.chosen_day(), self.store
        self.checks.start(lambda: store.verify(day))  # the badge names the problem too

    def _report_arrived(self, ticket: int, report: object) -> None:
        if ticket != self.checks.latest:
            return
        assert isinstance(report, VerifyReport)
        self.report = report
        self._show_badge()
        self.verified.emit()

    def _verify_failed(self, ticket: int, exc: object) -> None:
        if ticket != self.checks.latest:
            return
        self.report = None
        self.badge.set(
            "warning",
            self.tr("The chain could not be checked: {detail}").format(detail=_plain(exc)),
        )
        self.verified.emit()

    def _days_arrived(self, _ticket: int, days: object) -> None:
        """Days with entries in bold in the calendar: where there is something to see."""
        calendar = self.day_edit.calendarWidget()
        bold = QTextCharFormat()
        bold.setFontWeight(700)
        bold.setFontUnderline(True)
        for day in days if isinstance(days, list) else []:
            calendar.setDateTextFormat(QDate(day.year, day.month, day.day), bold)

    def _show_badge(self) -> None:
        report = self.report
        if report is None:
            self.badge.set("busy", self.tr("Checking the chain…"))
        elif report.ok:
            self.badge.set(
                "authentic",
                self.tr("Chain intact ({n} entries checked)").format(n=report.entries_checked),
            )
        else:
            problem = report.problems[0]
            self.badge.set(
                "warning",
                self.tr("Chain broken at entry {seq} (counter {counter})").format(
                    seq=problem.seq, counter=problem.counter_id
                ),
            )
            self.badge.setToolTip(problem.message)

    # -- filtering -----------------------------------------------------------------------------

    def current_filter(self) -> EntryFilter:
        clerk = self.clerk_edit.text().strip() or None
        return EntryFilter(
            clerk=clerk,
            right=self.right_combo.currentData(),
            outcome=self.outcome_combo.currentData(),
            decision=self.decision_combo.currentData(),
            overridden=self.override_combo.currentData(),
            entry_mode=self.manual_combo.currentData(),
            source_failures=self.failures_combo.currentData(),
        )

    def apply_filters(self) -> None:
        if self.view is None:
            return
        flt = self.current_filter()
        unfiltered = flt == EntryFilter()
        self.shown = list(self.view.entries) if unfiltered else filter_rows(self.view.entries, flt)
        self.model.set_entries(self.shown)
        self._show_count()
        self._update_actions()

    def clear_filters(self) -> None:
        self.clerk_edit.blockSignals(True)
        self.clerk_edit.clear()
        self.clerk_edit.blockSignals(False)
        for combo in (
            self.right_combo, self.outcome_combo, self.decision_combo,
            self.override_combo, self.manual_combo, self.failures_combo,
        ):  # fmt: skip
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.apply_filters()

    def _show_count(self) -> None:
        total = 0 if self.view is None else len(self.view.entries)
        self.count_label.setText(
            self.tr("{shown} of {total} entries shown").format(shown=len(self.shown), total=total)
        )

    # -- reveal and export -------------------------------------------------------------------

    def selected_entry(self) -> SummaryRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry_at(rows[0].row()) if rows else None

    def _update_actions(self) -> None:
        stored = self.selected_entry()
        self.reveal_button.setEnabled(
            stored is not None
            and stored.subject_insz is not None
            and not self.model.is_revealed(stored.id)
            and self._revealing is None
        )
        self.export_button.setEnabled(self.view is not None)

    def reveal_selected(self) -> None:
        """Ask why, log the reveal through the store, then show that one INSZ."""
        stored = self.selected_entry()
        if stored is None or stored.subject_insz is None:
            return
        reason, ok = QInputDialog.getText(
            self,
            self.tr("Show the INSZ"),
            self.tr("Why do you need the full INSZ? The reason is written to the log."),
        )
        reason = reason.strip()
        if not ok:
            return
        if len(reason) < 5:
            self.statusBar().showMessage(
                self.tr("Not shown: give a reason (5 characters or more).")
            )
            return
        entry_id = stored.id
        clerk = Clerk(name=self.supervisor)
        self._revealing = entry_id
        self._update_actions()  # no second reveal while this one is being logged
        store, counter_id, application = self.store, self.counter_id, self.application
        self.reveals.start(
            lambda: (
                entry_id,
                store.reveal_subject(
                    entry_id,
                    counter_id=counter_id,
                    clerk=clerk,
                    reason=reason,
                    application=application,
                ),
            )
        )

    def _reveal_done(self, _ticket: int, result: object) -> None:
        """The reveal is in the log: only now is the number shown."""
        assert isinstance(result, tuple)
        entry_id, insz = result
        self._revealing = None
        if insz is None:
            self.statusBar().showMessage(self.tr("This entry has no INSZ (any more)."))
            self._update_actions()
            self.revealed.emit(None)
            return
        self.model.mark_revealed(entry_id, _format_insz(insz))
        self.statusBar().showMessage(self.tr("INSZ shown; the reveal was logged."))
        self._update_actions()
        self.revealed.emit(entry_id)

    def _reveal_failed(self, _ticket: int, exc: object) -> None:
        self._revealing = None
        self._update_actions()
        self.statusBar().clearMessage()
        self.revealed.emit(None)
        QMessageBox.warning(
            self,
            self.tr("Not shown"),
            self.tr("The reveal could not be logged, so the INSZ is not shown: {detail}").format(
                detail=_plain(exc)
            ),
        )

    def export_day(self) -> Path | None:
        """Ask where, then write the day's full entries (INSZ masked) and, beside them,
        its figures as CSV on the thread pool; ``exported`` tells when it is done."""
        if self.view is None:
            return None
        view = self.view
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the day as CSV"),
            str(Path.home() / f"loket-{view.day.isoformat()}.csv"),
            self.tr("CSV files (*.csv)"),
        )
        if not name:
            return None
        target = Path(name)
        if target.suffix.lower() != ".csv":
            target = target.with_name(target.name + ".csv")
        self.export_button.setEnabled(False)
        self.statusBar().showMessage(self.tr("Exporting…"))
        store = self.store
        self.exports.start(lambda: write_export(store, view, target))
        return target

    def _export_done(self, _ticket: int, result: object) -> None:
        assert isinstance(result, tuple)
        target, figures_file, count = result
        self._update_actions()
        self.statusBar().showMessage(
            self.tr("{n} entries exported to {file}; figures in {figures}").format(
                n=count, file=target.name, figures=figures_file.name
            )
        )
        self.exported.emit(target)

    def _export_failed(self, _ticket: int, exc: object) -> None:
        self._update_actions()
        self.statusBar().clearMessage()
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else _plain(exc)
        QMessageBox.warning(
            self,
            self.tr("Export failed"),
            self.tr("The CSV file could not be written: {detail}").format(detail=detail),
        )
        self.exported.emit(None)

    # -- closing ----------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.pool.waitForDone(5000)
        if self._owns_store:
            self.store.close()
            self._owns_store = False
        super().closeEvent(event)


def _format_insz(insz: str) -> str:
    return f"{insz[0:2]}.{insz[2:4]}.{insz[4:6]}-{insz[6:9]}.{insz[9:11]}"


def _plain(exc: object) -> str:
    """Our own errors carry a plain message without personal data; others only their type."""
    if isinstance(exc, JournalError):
        return str(exc)
    return type(exc).__name__


def write_export(store: SqlJournalStore, view: DayView, target: Path) -> tuple[Path, Path, int]:
    """Runs on the pool: the full entries come from the store, the figures from the view."""
    entries = store.entries(view.day)
    figures_file = figures_path_for(target)
    with target.open("w", encoding="utf-8", newline="") as out:
        count = write_entries_csv(entries, out, tz=store.tz)
    with figures_file.open("w", encoding="utf-8", newline="") as out:
        write_figures_csv(view.figures, out)
    return target, figures_file, count
