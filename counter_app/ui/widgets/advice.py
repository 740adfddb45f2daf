"""One card per right: a large, unambiguous state, one line of reason, and the explanation.

State is given three ways at once — word, icon shape and colour — so it survives
high-contrast themes and colour-blind clerks. The colours come from the
Okabe-Ito palette (blue / vermilion / orange), chosen for colour-vision deficiency.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.ui.i18n import current_language
from counter_app.ui.icons import icon
from counter_app.ui.ports import Declarable, FactLine, Outcome, RightAdvice, pick
from counter_app.ui.reasons import clerk_text
from counter_app.ui.widgets.common import (
    IconText,
    format_date,
    format_money,
    format_time,
    localise_money,
)
from rules.explain import Lang, render_status
from rules.facts import FactStatus
from rules.labels import source_label
from rules.ruleset import NOT_SUPPLIED

OUTCOME_COLOURS = {
    Outcome.ELIGIBLE: "#0072B2",
    Outcome.NOT_ELIGIBLE: "#A6400A",
    Outcome.CHECK_MANUALLY: "#E69F00",
}


def outcome_word(outcome: Outcome) -> str:
    return {
        Outcome.ELIGIBLE: QCoreApplication.translate("Advice", "Right"),
        Outcome.NOT_ELIGIBLE: QCoreApplication.translate("Advice", "No right"),
        Outcome.CHECK_MANUALLY: QCoreApplication.translate("Advice", "Check manually"),
    }[outcome]


def _lang(language: str) -> Lang:
    return "en" if language == "en" else "nl"


def clerk_words(text: str, reasons: tuple[str, ...], language: str) -> str:
    """``text`` with each source failure ``reasons`` (English) in the clerk's words.

    The rules quote a failing source's reason as it came ("bronfout (bron: SOAP fault
    (soapenv:Server))"); here it becomes "bronfout (de bron meldde een fout (technische
    melding: ...))". Longest reasons first, through placeholders, so a reason that is part
    of another is not replaced twice.
    """
    spoken: dict[str, str] = {}
    for index, raw in enumerate(sorted(reasons, key=len, reverse=True)):
        token = f"\x00{index}\x00"
        for status in (FactStatus.SOURCE_ERROR, FactStatus.UNKNOWN):
            word = render_status(status, "", _lang(language))
            quoted = render_status(status, raw, _lang(language))
            text = text.replace(quoted, f"{word} ({token})")
        text = text.replace(raw, token)
        spoken[token] = clerk_text(raw)
    for token, words in spoken.items():
        text = text.replace(token, words)
    return text


def fact_value(fact: FactLine, language: str) -> str:
    """A fact's value; for a fact a source could not give, why, in the clerk's words."""
    if not fact.reason or fact.reason == NOT_SUPPLIED:
        return pick(fact.value, language)
    word = render_status(FactStatus(fact.status), "", _lang(language))
    return f"{word} ({clerk_text(fact.reason)})"


def explanation_html(advice: RightAdvice, language: str) -> str:
    """The expandable part: criteria, facts with source and freshness, what to ask."""
    parts: list[str] = []
    explanation = clerk_words(pick(advice.explanation, language), advice.source_reasons, language)
    explanation = localise_money(explanation)
    if explanation:
        parts.append(f"<pre style='white-space:pre-wrap'>{escape(explanation)}</pre>")
    if advice.facts:
        captions = (
            QCoreApplication.translate("Advice", "Fact"),
            QCoreApplication.translate("Advice", "Value"),
            QCoreApplication.translate("Advice", "Source"),
            QCoreApplication.translate("Advice", "Retrieved"),
        )
        head = "<tr>" + "".join(f"<th align='left'>{escape(c)}</th>" for c in captions) + "</tr>"
        rows = "".join(
            f"<tr><td>{escape(pick(f.label, language))}</td>"
            f"<td>{escape(fact_value(f, language))}</td>"
            f"<td>{escape(source_label(f.source, language))}</td>"
            f"<td>{escape(format_time(f.retrieved_at))}</td></tr>"
            for f in advice.facts
        )
        parts.append(f"<table cellspacing='0' cellpadding='3'>{head}{rows}</table>")
    if advice.to_ask:
        items = "".join(f"<li>{escape(pick(q, language))}</li>" for q in advice.to_ask)
        ask = QCoreApplication.translate("Advice", "Ask the citizen:")
        parts.append(f"<p><b>{escape(ask)}</b></p><ul>{items}</ul>")
    if advice.price_lines:
        items = "".join(
            f"<li>{escape(pick(p.label, language))}: {format_money(p.amount)}</li>"
            for p in advice.price_lines
        )
        prices = QCoreApplication.translate("Advice", "Prices")
        parts.append(f"<p><b>{escape(prices)}</b></p><ul>{items}</ul>")
    if advice.proposed_end_date is not None:
        parts.append(
            "<p>"
            + escape(
                QCoreApplication.translate("Advice", "Proposed end date: {date}").format(
                    date=format_date(advice.proposed_end_date)
                )
            )
            + "</p>"
        )
    return "".join(parts)


class AdviceCard(QFrame):
    """The advice for one right."""

    #: names of the facts the clerk now declares true (after seeing the documents)
    declarations_submitted = Signal(object)

    def __init__(self, advice: RightAdvice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.advice = advice
        self.setObjectName(f"advice_{advice.right_id}")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._colour = QColor(OUTCOME_COLOURS[advice.outcome])
        self.setContentsMargins(4, 4, 4, 4)
        self.title_label = QLabel(self)
        self.title_label.setObjectName("adviceTitle")
        bold = self.title_label.font()
        bold.setBold(True)
        self.title_label.setFont(bold)
        self.icon_label = QLabel(self)
        self.icon_label.setPixmap(icon(advice.outcome.value).pixmap(QSize(48, 48)))
        self.state_label = QLabel(self)
        self.state_label.setObjectName("adviceState")
        big = self.state_label.font()
        big.setPointSizeF(big.pointSizeF() * 2.0)
        big.setBold(True)
        self.state_label.setFont(big)
        self.reason_label = QLabel(self)
        self.reason_label.setObjectName("adviceReason")
        self.reason_label.setWordWrap(True)
        # UiTPAS says the person already holds a pass: a new pass cannot be sold (409), so
        # this must be seen next to the advice, not inside the closed explanation.
        self.passholder_note = IconText(self, icon_size=24)
        self.passholder_note.setObjectName("advicePassholder")
        passholder_font = self.passholder_note.text_label.font()
        passholder_font.setBold(True)
        self.passholder_note.text_label.setFont(passholder_font)
        self.passholder_note.setVisible(advice.already_passholder)
        # Decided for this citizen already (a card still saying "Right" invites a second sale).
        self.decided_note = IconText(self, icon_size=24)
        self.decided_note.setObjectName("adviceDecided")
        self.decided_note.hide()
        self._decided_entry = ""
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("adviceExplain")
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.toggled.connect(self._expand)
        # Built on first expansion: a rich-text browser per right is the costliest part
        # of painting an advice, and most advices are read without it.
        self.details: QTextBrowser | None = None
        self.state_label.setMinimumWidth(self.state_label.fontMetrics().horizontalAdvance("M" * 9))
        self.title_label.setWordWrap(True)
        state_box = QHBoxLayout()
        state_box.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        state_box.addWidget(self.state_label, 0, Qt.AlignmentFlag.AlignTop)
        text_box = QVBoxLayout()
        text_box.addWidget(self.title_label)
        text_box.addWidget(self.reason_label)
        text_box.addWidget(self.passholder_note)
        text_box.addWidget(self.decided_note)
        text_box.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        row = QHBoxLayout()
        row.addLayout(state_box)
        row.addLayout(text_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        self._layout = layout
        self.declaration_boxes: list[tuple[QCheckBox, Declarable]] = []
        self.declare_button: QPushButton | None = None
        if advice.declarable:
            for item in advice.declarable:
                box = QCheckBox(self)
                box.setObjectName(f"declare_{item.name}")
                box.setChecked(item.declared)
                layout.addWidget(box)
                self.declaration_boxes.append((box, item))
            self.declare_button = QPushButton(self)
            self.declare_button.setObjectName("declareRecheck")
            self.declare_button.clicked.connect(self._submit_declarations)
            layout.addWidget(self.declare_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.retranslate()

    def show_decided(self, journal_entry: str) -> None:
        """Mark the right as decided, with the log entry of its decision."""
        self._decided_entry = journal_entry
        self._render_decided()
        self.decided_note.setVisible(bool(journal_entry))

    def _render_decided(self) -> None:
        if self._decided_entry:
            self.decided_note.set(
                "done",
                self.tr("Decided (log entry {entry}).").format(entry=self._decided_entry),
            )

    def tab_stops(self) -> list[QWidget]:
        """Explanation toggle (and text when open), document checkboxes, "assess again"."""
        stops: list[QWidget] = [self.toggle]
        if self.details is not None:
            stops.append(self.details)
        stops += [box for box, _ in self.declaration_boxes]
        if self.declare_button is not None:
            stops.append(self.declare_button)
        return stops

    def _submit_declarations(self) -> None:
        names = tuple(item.name for box, item in self.declaration_boxes if box.isChecked())
        self.declarations_submitted.emit(names)

    def paintEvent(self, event: QPaintEvent) -> None:
        """A thick border in the outcome's colour (drawn, not styled: styling costs a re-polish)."""
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self._colour, 3)
        painter.setPen(pen)
        painter.drawRoundedRect(self.rect().adjusted(2, 2, -2, -2), 6, 6)
        painter.end()

    def _expand(self, on: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        if on and self.details is None:
            self.details = QTextBrowser(self)
            self.details.setObjectName("adviceDetails")
            self.details.setOpenLinks(False)
            self.details.setMinimumHeight(220)
            self._layout.insertWidget(1, self.details)
            QWidget.setTabOrder(self.toggle, self.details)  # the text right after its toggle
            self._render_details()
        if self.details is not None:
            self.details.setVisible(on)

    def _render_details(self) -> None:
        if self.details is None:
            return
        lang = current_language()
        title = pick(self.advice.title, lang)
        self.details.setHtml(explanation_html(self.advice, lang))
        self.details.setAccessibleName(self.tr("Explanation for {title}").format(title=title))

    def retranslate(self) -> None:
        lang = current_language()
        title = pick(self.advice.title, lang)
        word = outcome_word(self.advice.outcome)
        self.title_label.setText(title)
        self.state_label.setText(word)
        self.reason_label.setText(localise_money(pick(self.advice.reason, lang)))
        if self.advice.already_passholder:
            self.passholder_note.set(
                "warning",
                self.tr(
                    "Already has a UiTPAS (according to UiTPAS): a new pass cannot be sold. "
                    "Look the person up in UiTPAS."
                ),
            )
        self._render_decided()
        self.toggle.setText(self.tr("Explanation"))
        self.toggle.setAccessibleName(
            self.tr("Show the explanation for {title}").format(title=title)
        )
        self._render_details()
        self.setAccessibleName(f"{title}: {word}")
        self.state_label.setAccessibleName(f"{title}: {word}")
        for box, item in self.declaration_boxes:
            text = self.tr("Document seen: {what}").format(what=pick(item.ask, lang))
            box.setText(text)
            box.setAccessibleName(text)
        if self.declare_button is not None:
            self.declare_button.setText(self.tr("Assess &again with these declarations"))
            self.declare_button.setAccessibleName(self.declare_button.text().replace("&", ""))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class AdviceList(QWidget):
    """The advice cards, in the order of the rule sets."""

    declarations_submitted = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adviceList")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.cards: list[AdviceCard] = []

    def show_advices(self, advices: tuple[RightAdvice, ...]) -> None:
        self.clear()
        for advice in advices:
            card = AdviceCard(advice, self)
            card.declarations_submitted.connect(self.declarations_submitted)
            self._layout.addWidget(card)
            self.cards.append(card)

    def show_decided(self, entries: dict[str, str]) -> None:
        """Right id -> log entry of its decision: those cards say they are decided."""
        for card in self.cards:
            entry = entries.get(card.advice.right_id, "")
            if entry:
                card.show_decided(entry)

    def clear(self) -> None:
        for card in self.cards:
            self._layout.removeWidget(card)
            card.hide()
            card.setParent(None)
            card.deleteLater()
        self.cards.clear()
