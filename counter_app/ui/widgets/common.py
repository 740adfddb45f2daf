"""Small shared helpers for widgets: icon labels, dates, data-text registry for privacy."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from PySide6.QtCore import QDate, QLocale, QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from counter_app.ui.icons import icon


def date_format() -> str:
    """The current language's short date format, with four-digit years.

    Qt's short formats write "07/03/23" in English: ambiguous on a card valid for ten years.
    """
    pattern = str(QLocale().dateFormat(QLocale.FormatType.ShortFormat))
    if "yyyy" not in pattern:
        pattern = pattern.replace("yy", "yyyy")
    return pattern


def format_date(day: dt.date | None) -> str:
    if day is None:
        return "—"
    return str(QLocale().toString(QDate(day.year, day.month, day.day), date_format()))


_EURO = re.compile(r"€\s?(\d+(?:\.\d+)?)")


def localise_money(text: str) -> str:
    """Euro amounts written by the layers below ("€1.00", "€ 5") in the current locale."""
    return _EURO.sub(lambda m: format_money(Decimal(m[1])), text)


def format_money(amount: Decimal) -> str:
    """Euro amount in the current locale (``€ 1,00`` in Dutch)."""
    return "€ " + str(QLocale().toString(float(amount), "f", 2))


def format_time(moment: dt.datetime | None) -> str:
    if moment is None:
        return "—"
    return moment.astimezone().strftime("%H:%M:%S")


class IconText(QWidget):
    """An icon next to a text: the meaning never depends on colour only."""

    def __init__(self, parent: QWidget | None = None, *, icon_size: int = 24) -> None:
        super().__init__(parent)
        self._size = icon_size
        self.icon_label = QLabel(self)
        self.icon_label.setFixedSize(QSize(icon_size, icon_size))
        self.text_label = QLabel(self)
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.icon_label)
        layout.addWidget(self.text_label, 1)

    def set(self, icon_name: str, text: str) -> None:
        ico = icon(icon_name) if icon_name else None
        if ico is None or ico.isNull():
            self.icon_label.clear()
        else:
            self.icon_label.setPixmap(ico.pixmap(QSize(self._size, self._size)))
        self.text_label.setText(text)
        self.setAccessibleName(text)

    def text(self) -> str:
        return self.text_label.text()
