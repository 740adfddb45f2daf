"""The short identity summary and the card-authenticity badge.

Only what the clerk needs to recognise the citizen: name, age, document type and
validity. The photo stays on the card unless the clerk asks for it.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cardreader.models import (
    DocumentType,
    EidReading,
    LifeCycleStatus,
    ValidityStatus,
    Verdict,
)
from counter_app.ui.ports import CheckSubject
from counter_app.ui.widgets.common import IconText, format_date


def document_label(doc: DocumentType) -> str:
    if doc is DocumentType.BELGIAN_EID:
        return QCoreApplication.translate("IdentityPanel", "Belgian identity card")
    if doc is DocumentType.KIDS_ID:
        return QCoreApplication.translate("IdentityPanel", "Kids-ID")
    if doc in (DocumentType.EU, DocumentType.EU_PLUS):
        return QCoreApplication.translate("IdentityPanel", "EU citizen card")
    if doc is DocumentType.KIDS_FOREIGNER:
        return QCoreApplication.translate("IdentityPanel", "Foreign child's card")
    if doc.value.startswith("foreigner_"):
        kind = doc.value.removeprefix("foreigner_").replace("_plus", "+").upper()
        return QCoreApplication.translate("IdentityPanel", "Residence card type {kind}").format(
            kind=kind
        )
    return QCoreApplication.translate("IdentityPanel", "Other document")


def age_on(birth: dt.date | None, today: dt.date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def card_problems(reading: EidReading) -> list[str]:
    """Why this card must be acknowledged before anything else (empty when fine)."""
    problems: list[str] = []
    ver = reading.verification
    if ver.verdict is Verdict.NOT_AUTHENTIC:
        problems.append(
            QCoreApplication.translate(
                "IdentityPanel", "The card data is NOT authentic: the signatures do not match."
            )
        )
    elif ver.verdict is Verdict.NOT_VERIFIABLE:
        problems.append(
            QCoreApplication.translate("IdentityPanel", "The card data could not be verified.")
        )
    if ver.validity is ValidityStatus.EXPIRED:
        problems.append(QCoreApplication.translate("IdentityPanel", "The card has EXPIRED."))
    elif ver.validity is ValidityStatus.NOT_YET_VALID:
        problems.append(QCoreApplication.translate("IdentityPanel", "The card is NOT YET VALID."))
    if ver.life_cycle is LifeCycleStatus.NOT_PERSONALISED:
        problems.append(
            QCoreApplication.translate(
                "IdentityPanel", "The card is NOT ACTIVATED (not personalised)."
            )
        )
    return problems


class IdentityPanel(QGroupBox):
    """Name, age, document and validity, with an authenticity badge."""

    photo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("identityPanel")
        self._subject: CheckSubject | None = None
        self._today = dt.date.today()
        self.name_value = QLabel(self)
        self.name_value.setObjectName("identityName")
        font = self.name_value.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.name_value.setFont(font)
        self.age_value = QLabel(self)
        self.document_value = QLabel(self)
        self.validity_value = QLabel(self)
        self.badge = IconText(self)
        self.badge.setObjectName("authenticityBadge")
        self.photo_button = QPushButton(self)
        self.photo_button.setObjectName("showPhoto")
        self.photo_button.clicked.connect(self.photo_requested)
        self.photo_label = QLabel(self)
        self.photo_label.setObjectName("photo")
        self.photo_label.setFrameShape(QFrame.Shape.Box)
        self.photo_label.hide()
        self._captions = [QLabel(self) for _ in range(4)]
        self._form = QFormLayout()
        values = (self.name_value, self.age_value, self.document_value, self.validity_value)
        for caption, value in zip(self._captions, values, strict=True):
            caption.setBuddy(value)
            self._form.addRow(caption, value)
        left = QVBoxLayout()
        left.addLayout(self._form)
        left.addWidget(self.badge)
        left.addWidget(self.photo_button, 0, Qt.AlignmentFlag.AlignLeft)
        row = QHBoxLayout(self)
        row.addLayout(left, 1)
        row.addWidget(self.photo_label, 0, Qt.AlignmentFlag.AlignTop)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Citizen"))
        labels = [self.tr("Name"), self.tr("Age"), self.tr("Document"), self.tr("Valid")]
        for caption, text in zip(self._captions, labels, strict=True):
            caption.setText(text)
        self.photo_button.setText(self.tr("Show &photo"))
        self.photo_button.setAccessibleName(self.tr("Show the photo on the card"))
        self._render()

    def show_subject(self, subject: CheckSubject, today: dt.date) -> None:
        self._subject = subject
        self._today = today
        self.photo_label.clear()
        self.photo_label.hide()
        self._render()

    def show_photo(self, jpeg: bytes | None) -> None:
        pixmap = QPixmap()
        if jpeg and pixmap.loadFromData(jpeg):
            self.photo_label.setPixmap(
                pixmap.scaledToHeight(160, Qt.TransformationMode.SmoothTransformation)
            )
            self.photo_label.setAccessibleName(self.tr("Photo on the card"))
        else:
            self.photo_label.setText(self.tr("No photo on the card"))
        self.photo_label.show()

    def clear(self) -> None:
        self._subject = None
        for label in (self.name_value, self.age_value, self.document_value, self.validity_value):
            label.clear()
        self.badge.set("", "")
        self.photo_label.clear()
        self.photo_label.setAccessibleName("")
        self.photo_label.hide()

    def _render(self) -> None:
        subject = self._subject
        if subject is None:
            self.clear()
            return
        reading = subject.reading
        if reading is None:
            self.name_value.setText(self.tr("Entered by hand (no card)"))
            self.age_value.setText("—")
            self.document_value.setText(self.tr("None: INSZ typed by the clerk"))
            self.validity_value.setText("—")
            self.badge.set("warning", self.tr("Not verified: no card was read"))
            self.photo_button.hide()
            return
        ident = reading.identity
        given = ident.given_names.split(" ")[0] if ident.given_names else ""
        self.name_value.setText(f"{given} {ident.surname}".strip())
        age = age_on(ident.birth_date.date, self._today)
        if age is not None:
            self.age_value.setText(self.tr("{age} years").format(age=age))
        elif ident.birth_date.year:  # only the year is on the card (it happens)
            approx = self._today.year - ident.birth_date.year
            self.age_value.setText(
                self.tr("about {age} years (born in {year})").format(
                    age=approx, year=ident.birth_date.year
                )
            )
        else:
            self.age_value.setText("—")
        self.document_value.setText(document_label(ident.document_type))
        validity = self.tr("{start} to {end}").format(
            start=format_date(ident.validity_start), end=format_date(ident.validity_end)
        )
        status = reading.verification.validity
        if status is ValidityStatus.EXPIRED:
            validity += " — " + self.tr("EXPIRED")
        elif status is ValidityStatus.NOT_YET_VALID:
            validity += " — " + self.tr("NOT YET VALID")
        self.validity_value.setText(validity)
        verdict = reading.verification.verdict
        if verdict is Verdict.AUTHENTIC:
            self.badge.set("authentic", self.tr("Authentic: the card's signatures are valid"))
        elif verdict is Verdict.NOT_AUTHENTIC:
            self.badge.set("warning", self.tr("NOT AUTHENTIC: the card's signatures do not match"))
        else:
            self.badge.set(
                "check_manually", self.tr("Not verifiable: authenticity could not be checked")
            )
        self.photo_button.show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class CardWarningBanner(QFrame):
    """A prominent problem with the card; nothing else happens until the clerk acknowledges it."""

    acknowledged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardWarning")
        self.setFrameShape(QFrame.Shape.Box)
        self.setStyleSheet("#cardWarning { border: 4px solid #D55E00; border-radius: 4px; }")
        self._reading: EidReading | None = None
        self.message = IconText(self, icon_size=40)
        font = self.message.text_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.message.text_label.setFont(font)
        self.ack_button = QPushButton(self)
        self.ack_button.setObjectName("acknowledgeCard")
        self.ack_button.clicked.connect(self.acknowledged)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.ack_button, 0, Qt.AlignmentFlag.AlignRight)
        self.retranslate()

    def show_reading(self, reading: EidReading | None) -> None:
        self._reading = reading
        self.retranslate()

    def retranslate(self) -> None:
        problems = card_problems(self._reading) if self._reading is not None else []
        self.message.set("warning", "\n".join(problems))
        self.ack_button.setText(self.tr("I have seen this — &continue"))
        self.ack_button.setAccessibleName(self.tr("Acknowledge the card problem and continue"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
