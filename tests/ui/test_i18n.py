"""Every visible string is in the Dutch catalogue, and Qt's own dialogs speak Dutch too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lxml import etree
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from counter_app.ui.i18n import LanguageSwitcher, translations_dir

ROOT = Path(__file__).resolve().parents[2]


def _messages(ts: Path) -> dict[tuple[str, str], etree._Element]:
    tree = etree.parse(str(ts))
    found = {}
    for context in tree.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found[(name, message.findtext("source") or "")] = message.find("translation")
    return found


def test_catalogue_covers_every_string_in_the_sources(tmp_path: Path) -> None:
    """lupdate on today's sources finds nothing the shipped catalogue does not translate."""
    fresh = tmp_path / "fresh.ts"
    ui = ROOT / "counter_app" / "ui"
    sources = sorted(
        str(p) for p in ui.rglob("*.py") if "supervisor" not in p.relative_to(ui).parts
    )
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    subprocess.run([str(lupdate), *sources, "-ts", str(fresh)], check=True, capture_output=True)
    wanted = set(_messages(fresh))
    shipped = _messages(translations_dir() / "loket_nl.ts")
    assert len(wanted) > 50
    missing = sorted(wanted - set(shipped))
    assert not missing, (
        f"not in loket_nl.ts (run resources/translations/nl_catalogue.py): {missing}"
    )
    untranslated = sorted(
        key for key in wanted if not (shipped[key].text or "").strip() or shipped[key].get("type")
    )
    assert not untranslated, f"untranslated: {untranslated}"


def test_compiled_catalogue_matches_its_source() -> None:
    """The shipped .qm says what the .ts says (someone ran lrelease after editing)."""
    translator = QTranslator()
    assert translator.load("loket_nl", str(translations_dir()))
    shipped = _messages(translations_dir() / "loket_nl.ts")
    stale = [
        (context, source)
        for (context, source), translation in shipped.items()
        if translation.text and translator.translate(context, source) != translation.text
    ]
    assert not stale, f"recompile loket_nl.qm (nl_catalogue.py): {stale[:5]}"


def test_switching_language_translates_our_texts_and_qts(
    qtbot: QtBot, languages: LanguageSwitcher
) -> None:
    # the session's switcher: a second one would leave the first one's catalogues installed
    switcher = languages
    try:
        assert switcher.set_language("nl")
        assert QCoreApplication.translate("ReaderStatus", "No card reader connected") == (
            "Geen kaartlezer aangesloten"
        )
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(box)
        assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Annuleren"
        assert switcher.set_language("en")
        assert QCoreApplication.translate("ReaderStatus", "No card reader connected") == (
            "No card reader connected"
        )
        assert not switcher.set_language("fr")
        assert switcher.language == "en"
    finally:
        switcher.set_language("nl")
