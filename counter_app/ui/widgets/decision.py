"""The clerk's decision: what to do for which right, and why when it departs from the advice.

The software advises, the clerk decides. A choice that does not follow the advice
(including any choice on a "check manually" advice) is an override and needs a
reason in words: that reason is what a supervisor reads in the log.

One check can lead to a decision for each of its rights (a UiTPAS sale and a LEZ
exemption for the same citizen). A right that was decided is shown as confirmed,
with its log entry, and offers no choice any more: deciding it twice would sell a
second pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QLocale, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.ui.i18n import current_language
from counter_app.ui.ports import DecisionKind, DecisionRequest, Outcome, RightAdvice, pick
from counter_app.ui.widgets.common import IconText, date_format, format_money

_GRANTING = {
    DecisionKind.SELL_OPPORTUNITY,
    DecisionKind.REGISTER_LEZ,
    DecisionKind.GRANT_LEZ_REDUCTION,
}
_SALES = (DecisionKind.SELL_OPPORTUNITY, DecisionKind.SELL_NORMAL)


@dataclass(frozen=True)
class Decided:
    """A right decided for the citizen at the desk: what was done, and where it is logged."""

    kind: DecisionKind
    journal_entry: str


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def follows_advice(kind: DecisionKind, outcome: Outcome) -> bool:
    if outcome is Outcome.CHECK_MANUALLY:
        return False
    if kind in _GRANTING:
        return outcome is Outcome.ELIGIBLE
    return outcome is Outcome.NOT_ELIGIBLE


def decision_label(kind: DecisionKind) -> str:
    return {
        DecisionKind.SELL_OPPORTUNITY: QCoreApplication.translate(
            "Decision", "Sell the UiTPAS at the opportunity tariff"
        ),
        DecisionKind.SELL_NORMAL: QCoreApplication.translate(
            "Decision", "Sell the UiTPAS at the normal price"
        ),
        DecisionKind.REGISTER_LEZ: QCoreApplication.translate(
            "Decision", "Register the LEZ exemption"
        ),
        DecisionKind.GRANT_LEZ_REDUCTION: QCoreApplication.translate(
            "Decision", "Grant the reduced LEZ tariff"
        ),
        DecisionKind.NO_ACTION: QCoreApplication.translate("Decision", "No action"),
    }[kind]


def _cannot_sell(advice: RightAdvice, kind: DecisionKind) -> bool:
    """A new pass for someone UiTPAS already knows as a passholder: always refused (409)."""
    return advice.already_passholder and kind in _SALES


def _sale_fails(advice: RightAdvice, kind: DecisionKind, *, manual: bool) -> bool:
    """A pass sale that cannot succeed: a passholder already, or a manual entry (UiTPAS
    registers a pass only with the name and address read from the card)."""
    return _cannot_sell(advice, kind) or (manual and kind in _SALES)


def _choice_name(advice: RightAdvice, kind: DecisionKind, lang: str) -> str:
    """What the choice does, naming its right (the UiTPAS sale labels already do)."""
    text = decision_label(kind)
    return text if kind in _SALES else f"{text} — {pick(advice.title, lang)}"


def awaits_decision(advice: RightAdvice, *, manual: bool) -> bool:
    """Is this right still waiting for the clerk once another right was decided?

    Yes when the advice says "right" or "check manually" and something can be granted:
    not a new pass for a passholder, nor a sale after a manual entry (UiTPAS registers a
    pass only with the name and address read from the card). A "no right" waits for
    nothing: the clerk can still go against it, but need not.
    """
    if advice.outcome is Outcome.NOT_ELIGIBLE:
        return False
    return any(
        kind in _GRANTING and not _sale_fails(advice, kind, manual=manual)
        for kind in advice.decisions
    )


def price_for(advice: RightAdvice, kind: DecisionKind) -> Decimal | None:
    if kind not in (DecisionKind.SELL_OPPORTUNITY, DecisionKind.SELL_NORMAL):
        return None
    want_reduced = kind is DecisionKind.SELL_OPPORTUNITY
    for line in advice.price_lines:
        if line.reduced == want_reduced:
            return line.amount
    return None


class DecisionPanel(QGroupBox):
    """Choices built from the advices; ``confirm_requested`` carries a complete request."""

    confirm_requested = Signal(object)  # DecisionRequest

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decisionPanel")
        self._today = dt.date.today()
        self._advices: dict[str, RightAdvice] = {}
        self._choices: list[tuple[QRadioButton, RightAdvice, DecisionKind]] = []
        # Rights decided for this citizen: a line each ("confirmed, log entry …"), no choice.
        self._decided: dict[str, Decided] = {}
        self._decided_rows: list[tuple[IconText, RightAdvice, Decided]] = []
        self._manual = False
        self.open_caption = QLabel(self)
        self.open_caption.setObjectName("decisionStillOpen")
        self.open_caption.hide()
        self._group = QButtonGroup(self)
        self._group.buttonToggled.connect(self._on_choice)
        self._choice_box = QVBoxLayout()
        self.price_value = QLabel(self)
        self.price_value.setObjectName("decisionPrice")
        self.end_date = QDateEdit(self)
        self.end_date.setObjectName("decisionEndDate")
        self.end_date.setCalendarPopup(True)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("overrideReason")
        self.reason.textChanged.connect(self._refresh_message)
        self.message = QLabel(self)
        self.message.setObjectName("decisionMessage")
        self.message.setWordWrap(True)
        self.confirm_button = QPushButton(self)
        self.confirm_button.setObjectName("confirmDecision")
        self.confirm_button.setDefault(True)
        self.confirm_button.clicked.connect(self.request_confirm)
        self._form = QFormLayout()
        self._price_caption = QLabel(self)
        self._date_caption = QLabel(self)
        self._reason_caption = QLabel(self)
        self._reason_caption.setBuddy(self.reason)
        self._date_caption.setBuddy(self.end_date)
        self._form.addRow(self._price_caption, self.price_value)
        self._form.addRow(self._date_caption, self.end_date)
        self._form.addRow(self._reason_caption, self.reason)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.confirm_button)
        layout = QVBoxLayout(self)
        layout.addLayout(self._choice_box)
        layout.addLayout(self._form)
        layout.addLayout(buttons)
        self.retranslate()

    # -- content -----------------------------------------------------------------------
    def show_advices(
        self,
        advices: tuple[RightAdvice, ...],
        today: dt.date,
        decided: Mapping[str, Decided] | None = None,
        *,
        manual: bool = False,
    ) -> None:
        """Choices for the rights not decided yet; a confirmed line for each decided one.

        ``decided`` outlives a new check of the same citizen ("assess again"): the log
        and UiTPAS already hold those decisions, whatever the new advice says.
        """
        self.clear()
        self._today = today
        self._manual = manual
        self._decided = dict(decided or {})
        for advice in advices:
            self._advices[advice.right_id] = advice
            done = self._decided.get(advice.right_id)
            if done is not None:
                row = IconText(self, icon_size=20)
                row.setObjectName(f"decided_{advice.right_id}")
                self._choice_box.insertWidget(len(self._decided_rows), row)
                self._decided_rows.append((row, advice, done))
        if self._decided_rows:
            self._choice_box.addWidget(self.open_caption)
        for advice in advices:
            if advice.right_id in self._decided:
                continue
            for kind in advice.decisions:
                button = QRadioButton(self)
                button.setObjectName(f"choice_{advice.right_id}_{kind.value}")
                self._group.addButton(button)
                self._choice_box.addWidget(button)
                self._choices.append((button, advice, kind))
        self.open_caption.setVisible(bool(self._decided_rows and self._choices))
        # Shown now, not on the next turn of the event loop as for a child added to a visible
        # panel: the window gives the focus to a choice right after a confirmation.
        for widget in [*(row for row, _, _ in self._decided_rows), *self.choice_buttons()]:
            widget.show()
        self._label_choices()
        # Pre-select what the advice suggests, a right to grant first: with UiTPAS at "no
        # right" and the LEZ exemption at "right", Enter must not sell a pass at the normal
        # price that nobody asked for.
        suggested = [(b, k) for b, a, k in self._choices if self._suggested(a, k)]
        granting = [b for b, k in suggested if k in _GRANTING]
        if granting or suggested:
            (granting or [b for b, _ in suggested])[0].setChecked(True)
        self._on_choice()

    def _suggested(self, advice: RightAdvice, kind: DecisionKind) -> bool:
        """The choice to pre-select: the advice's own; after a decision, only a grant still open.

        Once a right is decided, a "no right" elsewhere is not pre-selected (Enter would
        then record a sale at the normal price nobody asked for).
        """
        if not follows_advice(kind, advice.outcome):
            return False
        if _sale_fails(advice, kind, manual=self._manual):
            return False
        if not self._decided:
            return True
        return kind in _GRANTING and awaits_decision(advice, manual=self._manual)

    def open_rights(self) -> list[RightAdvice]:
        """Rights not decided yet that still wait for the clerk (see ``awaits_decision``)."""
        return [
            advice
            for right, advice in self._advices.items()
            if right not in self._decided and awaits_decision(advice, manual=self._manual)
        ]

    def decided_rights(self) -> list[str]:
        return [advice.right_id for _, advice, _ in self._decided_rows]

    def clear(self) -> None:
        for button, _, _ in self._choices:
            self._group.removeButton(button)
            self._choice_box.removeWidget(button)
            button.setParent(None)
            button.deleteLater()
        for row, _, _ in self._decided_rows:
            self._choice_box.removeWidget(row)
            row.setParent(None)
            row.deleteLater()
        self._choice_box.removeWidget(self.open_caption)
        self.open_caption.hide()
        self._choices.clear()
        self._decided_rows.clear()
        self._decided.clear()
        self._advices.clear()
        self.reason.clear()
        self.message.clear()
        self.price_value.clear()

    def select(self, right_id: str, kind: DecisionKind) -> bool:
        for button, advice, k in self._choices:
            if advice.right_id == right_id and k is kind:
                button.setChecked(True)
                return True
        return False

    def tab_stops(self) -> list[QWidget]:
        """Choices, end date, reason, then Confirm: the order on screen."""
        return [*self.choice_buttons(), self.end_date, self.reason, self.confirm_button]

    def choice_buttons(self) -> list[QRadioButton]:
        return [b for b, _, _ in self._choices]

    def current(self) -> tuple[RightAdvice, DecisionKind] | None:
        for button, advice, kind in self._choices:
            if button.isChecked():
                return advice, kind
        return None

    # -- behaviour ---------------------------------------------------------------------
    def _on_choice(self, *_: object) -> None:
        chosen = self.current()
        self.confirm_button.setEnabled(chosen is not None)
        if chosen is None:
            self.price_value.setText("—")
            self._show_end_date(False)
            self._refresh_message()
            return
        advice, kind = chosen
        price = price_for(advice, kind)
        self.price_value.setText(format_money(price) if price is not None else "—")
        end = advice.proposed_end_date
        has_end = end is not None and kind in _GRANTING
        self._show_end_date(has_end)
        if has_end and end is not None:
            latest = advice.latest_end_date or end
            self.end_date.setMinimumDate(_qdate(self._today))
            self.end_date.setMaximumDate(_qdate(max(latest, end)))
            self.end_date.setDate(_qdate(end))
        self._refresh_message()

    def _show_end_date(self, shown: bool) -> None:
        """The end date row only when the choice has one (no greyed "1/01/2000")."""
        self.end_date.setEnabled(shown)
        self._form.setRowVisible(self.end_date, shown)

    def _needs_reason(self) -> bool:
        chosen = self.current()
        return chosen is not None and not follows_advice(chosen[1], chosen[0].outcome)

    def _refresh_message(self, *_: object) -> None:
        if self._needs_reason():
            self._reason_caption.setText(self.tr("Reason (required: this departs from the advice)"))
        else:
            self._reason_caption.setText(self.tr("Reason (optional)"))
        self.reason.setAccessibleName(self._reason_caption.text())
        if self.message.text() and (not self._needs_reason() or self.reason.text().strip()):
            self.message.clear()

    def request_confirm(self) -> None:
        chosen = self.current()
        if chosen is None:
            self.message.setText(self.tr("Choose what to do first."))
            return
        advice, kind = chosen
        reason = self.reason.text().strip()
        follows = follows_advice(kind, advice.outcome)
        if not follows and not reason:
            self.message.setText(self.tr("This departs from the advice: give a reason."))
            self.reason.setFocus()
            return
        end: dt.date | None = None
        if self.end_date.isEnabled():
            chosen_day = self.end_date.date()
            end = dt.date(chosen_day.year(), chosen_day.month(), chosen_day.day())
        self.confirm_requested.emit(
            DecisionRequest(
                right_id=advice.right_id,
                kind=kind,
                follows_advice=follows,
                override_reason=reason,
                price=price_for(advice, kind),
                end_date=end,
            )
        )

    # -- language ----------------------------------------------------------------------
    def _label_choices(self) -> None:
        lang = current_language()
        for row, advice, done in self._decided_rows:
            text = self.tr("Confirmed: {decision} (log entry {entry}).").format(
                decision=_choice_name(advice, done.kind, lang), entry=done.journal_entry
            )
            row.set("done", text)
        self.open_caption.setText(self.tr("Still to decide:"))
        for button, advice, kind in self._choices:
            text = _choice_name(advice, kind, lang)
            price = price_for(advice, kind)
            if price is not None:
                text += f" ({format_money(price)})"
            if not follows_advice(kind, advice.outcome):
                text += " — " + self.tr("override")
            if _cannot_sell(advice, kind):
                text += " — " + self.tr("already has a UiTPAS")
            elif self._manual and kind in _SALES:
                text += " — " + self.tr("needs the eID card (name and address): sell in UiTPAS")
            button.setText(text)
            button.setAccessibleName(text)

    def retranslate(self) -> None:
        self.setTitle(self.tr("Decision"))
        self._price_caption.setText(self.tr("Price"))
        self._date_caption.setText(self.tr("&End date"))
        self.end_date.setAccessibleName(self.tr("End date of the status"))
        # the language's own date format, four-digit years (the locale changed with it)
        self.end_date.setLocale(QLocale())
        self.end_date.setDisplayFormat(date_format())
        self.price_value.setAccessibleName(self.tr("Price"))
        self.confirm_button.setText(self.tr("&Confirm"))
        self.confirm_button.setAccessibleName(self.tr("Confirm the decision"))
        self._label_choices()
        self._refresh_message()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
