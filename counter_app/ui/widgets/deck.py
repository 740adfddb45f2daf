"""The simulated reader's card deck: insert or remove a profile card (embedded defaults only)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget


class DeckChooser(QWidget):
    insert_requested = Signal(str)
    remove_requested = Signal()

    def __init__(self, deck: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deckChooser")
        self.caption = QLabel(self)
        self.profiles = QComboBox(self)
        self.profiles.setObjectName("deckProfiles")
        self.profiles.addItems(list(deck))
        self.caption.setBuddy(self.profiles)
        self.insert_button = QPushButton(self)
        self.insert_button.setObjectName("deckInsert")
        self.insert_button.clicked.connect(
            lambda: self.insert_requested.emit(self.profiles.currentText())
        )
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName("deckRemove")
        self.remove_button.clicked.connect(self.remove_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.profiles, 1)
        layout.addWidget(self.insert_button)
        layout.addWidget(self.remove_button)
        self.retranslate()

    def retranslate(self) -> None:
        self.caption.setText(self.tr("Simulated &card:"))
        self.profiles.setAccessibleName(self.tr("Simulated card profile"))
        self.insert_button.setText(self.tr("Insert (Ctrl+I)"))
        self.insert_button.setAccessibleName(self.tr("Insert the simulated card"))
        self.remove_button.setText(self.tr("Remove (Ctrl+R)"))
        self.remove_button.setAccessibleName(self.tr("Remove the simulated card"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
