"""Language switching: our own catalogue plus Qt's, so Qt's dialogs speak Dutch too.

Installing a translator makes Qt post a LanguageChange event to every widget;
widgets re-set their texts in ``changeEvent``. Nothing is rebuilt and no data is
lost, which is why language is switchable in the middle of a check.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator

from cardreader.resources import resources_dir

LANGUAGES: tuple[str, ...] = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
CATALOGUE = "loket"


def translations_dir() -> Path:
    return resources_dir() / "translations"


_current = DEFAULT_LANGUAGE


def current_language() -> str:
    """The language the window renders data texts in (rule reasons come in both)."""
    return _current


class LanguageSwitcher(QObject):
    """Keeps exactly one set of translators installed on the application."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self._app = app
        self._translators: list[QTranslator] = []
        self._language = ""

    @property
    def language(self) -> str:
        return self._language

    def set_language(self, language: str) -> bool:
        """Install ``language``; returns False (and keeps the current one) if it is unknown."""
        if language not in LANGUAGES:
            return False
        if language == self._language:
            return True
        for translator in self._translators:
            self._app.removeTranslator(translator)
        self._translators.clear()
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        ours = translations_dir()
        candidates = [(f"qtbase_{language}", qt_dir), (f"{CATALOGUE}_{language}", str(ours))]
        # Parts of the UI with their own catalogue: loket_<part>_<language>.qm
        candidates += [
            (path.stem, str(ours)) for path in sorted(ours.glob(f"{CATALOGUE}_*_{language}.qm"))
        ]
        for name, folder in candidates:
            translator = QTranslator(self)
            if translator.load(name, folder):
                self._app.installTranslator(translator)
                self._translators.append(translator)
        if language == "nl":
            QLocale.setDefault(QLocale(QLocale.Language.Dutch, QLocale.Country.Belgium))
        else:
            QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.Belgium))
        global _current
        _current = language
        self._language = language
        return True
