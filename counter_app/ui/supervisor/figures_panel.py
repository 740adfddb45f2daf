"""The day's numbers as text, next to the hourly chart.

Every figure is a label with an accessible name, so a screen reader and the
tests read exactly what the supervisor sees. The figures come from
``DayFigures`` (non-personal columns only), so they stay right after a purge.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.journal.reports import DayFigures
from counter_app.ui.supervisor.entries_model import outcome_word
from counter_app.ui.supervisor.hourly_chart import HourlyChart

FIGURES = (
    "checks",
    "decisions",
    "opportunity_tariff_sales",
    "normal_sales",
    "overrides",
    "manual_entries",
    "cancelled",
    "checks_with_source_failures",
    "median_check",
)
OUTCOMES = ("eligible", "not_eligible", "check_manually")


class FiguresPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figures: DayFigures | None = None
        self.group = QGroupBox(self)
        form = QFormLayout(self.group)
        self.captions: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for key in FIGURES:
            caption, value = QLabel(self.group), QLabel("—", self.group)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
            value.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            caption.setBuddy(value)
            self.captions[key], self.values[key] = caption, value
            form.addRow(caption, value)

        self.advice_group = QGroupBox(self)
        self.advice_table = QTableWidget(0, 1 + len(OUTCOMES), self.advice_group)
        self.advice_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.advice_table.verticalHeader().setVisible(False)
        self.advice_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.advice_table.setMaximumHeight(130)
        advice_layout = QVBoxLayout(self.advice_group)
        advice_layout.addWidget(self.advice_table)

        self.chart_group = QGroupBox(self)
        self.chart = HourlyChart(self.chart_group)
        chart_layout = QVBoxLayout(self.chart_group)
        chart_layout.addWidget(self.chart)

        left = QVBoxLayout()
        left.addWidget(self.group)
        left.addWidget(self.advice_group)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 2)
        layout.addWidget(self.chart_group, 3)
        self.retranslate()

    def retranslate(self) -> None:
        self.group.setTitle(self.tr("Figures of the day"))
        self.advice_group.setTitle(self.tr("Advice per right"))
        self.chart_group.setTitle(self.tr("Checks per hour"))
        captions = {
            "checks": self.tr("Checks:"),
            "decisions": self.tr("Decisions:"),
            "opportunity_tariff_sales": self.tr("Sales at the opportunity tariff:"),
            "normal_sales": self.tr("Sales at the normal price:"),
            "overrides": self.tr("Advice overridden:"),
            "manual_entries": self.tr("Manual entries (no card):"),
            "cancelled": self.tr("Cancelled checks:"),
            "checks_with_source_failures": self.tr("Checks with a source failure:"),
            "median_check": self.tr("Median check time:"),
        }
        for key, text in captions.items():
            self.captions[key].setText(text)
            self.values[key].setAccessibleName(text.rstrip(":"))
        self.advice_table.setHorizontalHeaderLabels(
            [self.tr("Right"), *(outcome_word(o) for o in OUTCOMES)]
        )
        self.advice_table.setAccessibleName(self.tr("Advice per right and outcome"))
        if self.figures is not None:
            self.show_figures(self.figures)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_figures(self, figures: DayFigures) -> None:
        self.figures = figures
        failures = str(figures.checks_with_source_failures)
        if figures.source_failures:
            failures += (
                " ("
                + ", ".join(f"{source}: {n}" for source, n in figures.source_failures.items())
                + ")"
            )
        median = (
            "—"
            if figures.median_check_ms is None
            else self.tr("{s} s").format(s=f"{figures.median_check_ms / 1000:.1f}")
        )
        texts = {
            "checks": str(figures.checks),
            "decisions": str(figures.decisions),
            "opportunity_tariff_sales": str(figures.opportunity_tariff_sales),
            "normal_sales": str(figures.normal_sales),
            "overrides": str(figures.overrides),
            "manual_entries": str(figures.manual_entries),
            "cancelled": str(figures.cancelled),
            "checks_with_source_failures": failures,
            "median_check": median,
        }
        for key, text in texts.items():
            self.values[key].setText(text)
        self.advice_table.setRowCount(len(figures.advice))
        for row, (right, counts) in enumerate(figures.advice.items()):
            self.advice_table.setItem(row, 0, QTableWidgetItem(right))
            for col, outcome in enumerate(OUTCOMES, start=1):
                self.advice_table.setItem(row, col, QTableWidgetItem(str(counts.get(outcome, 0))))
        self.chart.set_counts(figures.checks_per_hour)

    def value_text(self, key: str) -> str:
        return self.values[key].text()
