"""The reader state (always visible) and the signed-in clerk."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QWidget

from counter_app.ui.ports import Clerk
from counter_app.ui.widgets.common import IconText


class ReaderState(StrEnum):
    SERVICE_DOWN = "service_down"
    NO_READER = "no_reader"
    EMPTY = "empty"
    CARD_PRESENT = "card_present"
    READING = "reading"
    NOT_EID = "not_eid"


_ICONS = {
    ReaderState.SERVICE_DOWN: "no_reader",
    ReaderState.NO_READER: "no_reader",
    ReaderState.EMPTY: "reader",
    ReaderState.CARD_PRESENT: "card",
    ReaderState.READING: "busy",
    ReaderState.NOT_EID: "warning",
}


class ReaderStatus(IconText):
    """One line that always tells the clerk what the reader is doing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readerStatus")
        self.state = ReaderState.NO_READER
        self.show_state(ReaderState.NO_READER)

    def _text(self, state: ReaderState) -> str:
        return {
            ReaderState.SERVICE_DOWN: self.tr("Card service is not running"),
            ReaderState.NO_READER: self.tr("No card reader connected"),
            ReaderState.EMPTY: self.tr("Reader ready, no card"),
            ReaderState.CARD_PRESENT: self.tr("Card in the reader"),
            ReaderState.READING: self.tr("Reading the card…"),
            ReaderState.NOT_EID: self.tr("This card is not an eID"),
        }[state]

    def show_state(self, state: ReaderState) -> None:
        self.state = state
        self.set(_ICONS[state], self._text(state))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.show_state(self.state)
        super().changeEvent(event)


class ClerkBadge(QLabel):
    """Who is signed in, and the INSZ sent to MAGDA as Gebruiker — masked."""

    def __init__(self, clerk: Clerk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clerkBadge")
        self._clerk = clerk
        self.retranslate()

    def retranslate(self) -> None:
        text = self.tr("Clerk: {name} (MAGDA user {insz})").format(
            name=self._clerk.name or self.tr("not configured"),
            insz=self._clerk.masked_insz or "—",
        )
        self.setText(text)
        self.setAccessibleName(text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
