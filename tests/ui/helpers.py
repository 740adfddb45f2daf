"""Reading the window the way a person would: every text on every widget."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTextEdit,
    QWidget,
)

from counter_app.ui.main_window import CounterWindow
from counter_app.ui.ports import Outcome
from counter_app.ui.widgets.advice import outcome_word


def all_texts(root: QWidget) -> list[str]:
    """Texts, titles, accessible names and tooltips of ``root`` and every descendant."""
    texts: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        texts += [widget.accessibleName(), widget.accessibleDescription(), widget.toolTip()]
        texts.append(widget.windowTitle())
        if isinstance(widget, (QLabel, QAbstractButton, QLineEdit)):
            texts.append(widget.text())
        elif isinstance(widget, QTextEdit):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
    return [t for t in texts if t]


def shown_outcomes(window: CounterWindow) -> dict[str, Outcome]:
    """Right id -> outcome, read back from the *words* on screen (not from the model)."""
    by_word = {outcome_word(o): o for o in Outcome}
    return {card.advice.right_id: by_word[card.state_label.text()] for card in window.advice.cards}
