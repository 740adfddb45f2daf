"""Manual INSZ entry (damaged or forgotten card) and the settings dialog."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cardreader.errors import CardReaderError
from counter_app.ui.i18n import LANGUAGES


class ManualEntryDialog(QDialog):
    """Validates while typing; OK only with a valid INSZ. The entry is logged as manual."""

    def __init__(self, normalise: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("manualEntry")
        self._normalise = normalise
        self.insz = ""
        self.field = QLineEdit(self)
        self.field.setObjectName("manualInsz")
        self.field.setInputMask("")
        self.field.setMaxLength(20)
        self.setMinimumWidth(460)
        self.field.textChanged.connect(self._validate)
        self.feedback = QLabel(self)
        self.feedback.setObjectName("manualFeedback")
        self.feedback.setWordWrap(True)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._caption = QLabel(self)
        self._caption.setBuddy(self.field)
        form = QFormLayout()
        form.addRow(self._caption, self.field)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.feedback)
        layout.addWidget(self.buttons)
        self.retranslate()
        self._validate("")

    def _validate(self, text: str) -> None:
        ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        digits = "".join(ch for ch in text if ch.isdigit())
        self.insz = ""
        if not digits:
            self.feedback.setText(self.tr("Type the 11 digits of the national number (INSZ)."))
        elif len(digits) < 11:
            self.feedback.setText(self.tr("{count} of 11 digits").format(count=len(digits)))
        else:
            try:
                self.insz = self._normalise(text)
                self.feedback.setText(self.tr("Valid national number."))
            except CardReaderError:
                self.feedback.setText(self.tr("Not a valid national number: check the digits."))
        ok_button.setEnabled(bool(self.insz))
        self.field.setAccessibleDescription(self.feedback.text())

    def accept(self) -> None:
        if self.insz:
            super().accept()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Enter a national number"))
        self.intro.setText(
            self.tr("For a damaged or forgotten card. The check is logged as a manual entry.")
        )
        self._caption.setText(self.tr("&National number (INSZ)"))
        self.field.setAccessibleName(self.tr("National number (INSZ)"))
        name_buttons(
            self.buttons,
            ok=self.tr("Start the check for this national number"),
            cancel=self.tr("Cancel the manual entry"),
        )
        self._validate(self.field.text())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def name_buttons(buttons: QDialogButtonBox, *, ok: str, cancel: str) -> None:
    """Say what OK and Cancel do here: a screen reader's "OK" alone does not."""
    for which, name in (
        (QDialogButtonBox.StandardButton.Ok, ok),
        (QDialogButtonBox.StandardButton.Cancel, cancel),
    ):
        button = buttons.button(which)
        if button is not None:
            button.setAccessibleName(name)


class SettingsDialog(QDialog):
    """User preferences kept in QSettings (language); the rest is in the configuration file."""

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.language = QComboBox(self)
        self.language.setObjectName("languageChoice")
        for code in LANGUAGES:
            self.language.addItem("", code)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self._caption = QLabel(self)
        self._caption.setBuddy(self.language)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self._caption, self.language)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.retranslate()

    def chosen_language(self) -> str:
        return str(self.language.currentData())

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        self._caption.setText(self.tr("&Language"))
        self.language.setAccessibleName(self.tr("Language"))
        name_buttons(
            self.buttons, ok=self.tr("Save the settings"), cancel=self.tr("Close without saving")
        )
        names = {"nl": "Nederlands", "en": "English"}
        for index in range(self.language.count()):
            self.language.setItemText(index, names.get(str(self.language.itemData(index)), ""))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
