"""Checks per hour, split by outcome: stacked bars drawn with QPainter.

PySide6-Essentials has no QtCharts, and a dozen bars do not need it. Each
outcome has a colour *and* a fill pattern, and the legend names it in words,
so the chart reads the same in greyscale or for a colour-blind supervisor. The
accessible description carries the numbers for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from counter_app.ui.supervisor.entries_model import outcome_word

FIRST_HOUR = 8  # the bars always span at least the office hours
LAST_HOUR = 17


@dataclass(frozen=True)
class Series:
    key: str
    colour: QColor
    pattern: Qt.BrushStyle


SERIES: tuple[Series, ...] = (
    Series("eligible", QColor("#1b7f3b"), Qt.BrushStyle.SolidPattern),
    Series("check_manually", QColor("#b26a00"), Qt.BrushStyle.BDiagPattern),
    Series("not_eligible", QColor("#5b5b5b"), Qt.BrushStyle.CrossPattern),
    Series("none", QColor("#3465a4"), Qt.BrushStyle.Dense6Pattern),
)


class HourlyChart(QWidget):
    """Stacked bars, one per local hour; ``set_counts(hour -> outcome -> n)``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._counts: dict[int, dict[str, int]] = {}
        self.setMinimumSize(QSize(360, 200))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # reachable by keyboard for screen readers
        self.retranslate()

    def sizeHint(self) -> QSize:
        return QSize(520, 240)

    def set_counts(self, counts: dict[int, dict[str, int]]) -> None:
        self._counts = {h: dict(c) for h, c in counts.items()}
        self._describe()
        self.update()

    def hours(self) -> list[int]:
        present = list(self._counts)
        first = min([FIRST_HOUR, *present])
        last = max([LAST_HOUR, *present])
        return list(range(first, last + 1))

    def retranslate(self) -> None:
        self.setAccessibleName(
            QCoreApplication.translate("HourlyChart", "Checks per hour, by outcome")
        )
        self._describe()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _describe(self) -> None:
        parts = []
        for hour in sorted(self._counts):
            counts = self._counts[hour]
            detail = ", ".join(
                f"{outcome_word(s.key)} {counts[s.key]}" for s in SERIES if counts.get(s.key)
            )
            parts.append(f"{hour:02d}h: {detail}")
        none = QCoreApplication.translate("HourlyChart", "No checks on this day.")
        self.setAccessibleDescription("; ".join(parts) if parts else none)

    # -- drawing ------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        palette = self.palette()
        text_pen = QPen(palette.color(palette.ColorRole.WindowText))
        painter.fillRect(self.rect(), palette.color(palette.ColorRole.Base))
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        hours = self.hours()
        totals = {h: sum(self._counts.get(h, {}).values()) for h in hours}
        top_value = max([1, *totals.values()])

        legend_h = line + 8
        left = metrics.horizontalAdvance(str(top_value)) + 10
        top = line + 10  # room for the total above the highest bar
        plot = QRectF(left, top, self.width() - left - 8, self.height() - top - legend_h - line - 6)
        if plot.width() <= 10 or plot.height() <= 10:
            painter.end()
            return

        # axis and the top value
        painter.setPen(text_pen)
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.bottomLeft(), plot.topLeft())
        painter.drawText(
            QRectF(0, plot.top() - line / 2, left - 4, line),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            str(top_value),
        )
        slot = plot.width() / len(hours)
        bar_w = max(2.0, slot * 0.7)
        for i, hour in enumerate(hours):
            x = plot.left() + i * slot + (slot - bar_w) / 2
            y = plot.bottom()
            counts = self._counts.get(hour, {})
            for series in SERIES:
                n = counts.get(series.key, 0)
                if not n:
                    continue
                h = plot.height() * n / top_value
                rect = QRectF(x, y - h, bar_w, h)
                painter.fillRect(rect, QBrush(Qt.GlobalColor.white))
                painter.fillRect(rect, QBrush(series.colour, series.pattern))
                painter.setPen(QPen(series.colour.darker(150)))
                painter.drawRect(rect)
                y -= h
            painter.setPen(text_pen)
            if totals[hour]:
                painter.drawText(
                    QRectF(x - 10, y - line, bar_w + 20, line),
                    int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
                    str(totals[hour]),
                )
            painter.drawText(
                QRectF(plot.left() + i * slot, plot.bottom() + 2, slot, line),
                int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                f"{hour:02d}",
            )

        # legend: swatch with the pattern, then the word
        x = float(left)
        y = self.height() - legend_h + 4
        for series in SERIES:
            swatch = QRectF(x, y, line, line - 2)
            painter.fillRect(swatch, QBrush(Qt.GlobalColor.white))
            painter.fillRect(swatch, QBrush(series.colour, series.pattern))
            painter.setPen(QPen(series.colour.darker(150)))
            painter.drawRect(swatch)
            painter.setPen(text_pen)
            word = outcome_word(series.key)
            painter.drawText(
                QRectF(x + line + 4, y - 1, metrics.horizontalAdvance(word) + 4, line),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                word,
            )
            x += line + 4 + metrics.horizontalAdvance(word) + 18
        painter.end()
