"""``counter-app demo --screenshots DIR``: drive the whole flow headless, one PNG per state.

The demo uses the same embedded backend as the desk (simulated reader, sandbox
sources, the daily log): the screenshots show what the product really does with
each card of the deck, not a mock-up. It runs offscreen unless a display is
explicitly chosen (QT_QPA_PLATFORM).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from counter_app.exit_codes import EXIT_INTERNAL, EXIT_NO_BACKEND, EXIT_NOT_RECORDED, EXIT_USAGE

# Cards of the deck that show each screen (see resources/personas/README.md).
ELIGIBLE_CARD = "be-bare-year-ec-18"  # living wage: UiTPAS opportunity tariff
NOT_ELIGIBLE_CARD = "be-senior-ec-18"  # no qualifying statute
MANUAL_CHECK_CARD = "foreigner-f-plus-ec-18"  # LEZ: parking card, declarations missing
TAMPERED_CARD = "tampered-identity-ec-18"
EXPIRED_CARD = "expired-rsa-17"
NOT_ACTIVATED_CARD = "not-personalised-ec-18"
NOT_EID_CARD = "not-an-eid"
MANUAL_INSZ = "86.71.05-856.36"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="counter-app demo", description=__doc__)
    parser.add_argument("--screenshots", type=Path, required=True, metavar="DIR")
    parser.add_argument("--config", type=Path, help="configuration file")
    parser.add_argument("--language", choices=("nl", "en"), help="default: the configuration's")
    parser.add_argument(
        "--journal",
        metavar="URL",
        help="log to write to (default: a throw-away SQLite file, so the demo's test "
        "personas never enter the counter's real daily log)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(list(argv) if argv is not None else None)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from counter_app.config import ConfigError, load_settings

    try:
        settings = load_settings(args.config)
    except ConfigError as err:
        print(f"counter-app demo: {err}", file=sys.stderr)
        return ConfigError.exit_code
    out: Path = args.screenshots
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        print(f"counter-app demo: cannot write to {out}: {err.strerror}", file=sys.stderr)
        return EXIT_USAGE

    from PySide6.QtWidgets import QApplication

    from counter_app.journal.errors import JournalError
    from counter_app.journal.store import open_journal
    from counter_app.ui.app import APPLICATION, ORGANISATION
    from counter_app.ui.async_runner import favour_the_gui_thread
    from counter_app.ui.embedded import BackendError, build_backend
    from counter_app.ui.gui_gc import GuiThreadCollector
    from counter_app.ui.i18n import LanguageSwitcher

    favour_the_gui_thread()
    app = QApplication.instance() or QApplication(["counter-app-demo"])
    GuiThreadCollector(app)  # Qt objects in cycles die on this thread (see gui_gc)
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION + "Demo")  # the demo keeps the clerk's window state alone
    languages = LanguageSwitcher(app)
    languages.set_language(args.language or settings.ui.language)
    scratch = tempfile.TemporaryDirectory(prefix="loket-demo-")
    url = args.journal or f"sqlite:///{Path(scratch.name) / 'demo-journal.sqlite3'}"
    try:
        backend = build_backend(settings, journal=open_journal(url))
        # The error states: the same product on a sandbox whose sources fail (its own
        # throw-away log, so the failed attempts never mix with the first run's).
        failing_url = f"sqlite:///{Path(scratch.name) / 'demo-failing-journal.sqlite3'}"
        failing = build_backend(
            settings, faults=failing_sources(), journal=open_journal(failing_url)
        )
    except JournalError as err:  # the demo's own throw-away log cannot be opened
        scratch.cleanup()
        print(f"counter-app demo: not recorded: {err}", file=sys.stderr)
        return EXIT_NOT_RECORDED
    except BackendError as err:
        scratch.cleanup()
        print(f"counter-app demo: {err}", file=sys.stderr)
        return EXIT_NO_BACKEND
    try:
        return _drive(app, backend, failing, languages, out)
    finally:
        scratch.cleanup()


def failing_sources() -> object:
    """Social statutes (MAGDA) and UiTPAS answer HTTP 500: check manually, a failed sale."""
    from counter_app.sandbox.faults import SandboxFaults, SourceFaults

    return SandboxFaults(
        social_statutes=SourceFaults(http_500=True), uitpas=SourceFaults(http_500=True)
    )


def _drive(app: object, backend: object, failing: object, languages: object, out: Path) -> int:
    from PySide6.QtWidgets import QApplication

    from counter_app.ui.driver import DriverTimeout, WindowDriver
    from counter_app.ui.embedded import EmbeddedBackend
    from counter_app.ui.i18n import LanguageSwitcher
    from counter_app.ui.main_window import CounterWindow, WindowOptions

    assert isinstance(app, QApplication) and isinstance(backend, EmbeddedBackend)
    assert isinstance(failing, EmbeddedBackend)
    assert isinstance(languages, LanguageSwitcher)
    shots = Screenshots(out)
    first_language = languages.language
    for chosen, scenario in ((backend, run_scenario), (failing, run_error_scenario)):
        languages.set_language(first_language)  # the first run ends in the other language
        window = CounterWindow(chosen, languages, WindowOptions(clear_delay_ms=300))
        window.resize(1100, 900)
        window.show()
        driver = WindowDriver(window, app)
        try:
            scenario(driver, shots)
        except DriverTimeout as err:
            print(f"counter-app demo: {err}", file=sys.stderr)
            return EXIT_INTERNAL
        finally:
            window.close()
    for path in shots.written:
        print(path)
    return 0


class Screenshots:
    """The demo's PNGs: one directory, numbered on from one scenario to the next.

    The numbers put the files in the order the states were reached, across both
    windows, so a reviewer reads them as one story; the names say which state.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.written: list[Path] = []

    def _next(self, name: str) -> Path:
        return self.out / f"{len(self.written) + 1:02d}-{name}.png"

    def take(self, driver: object, name: str) -> None:
        """The window as it is now."""
        from counter_app.ui.driver import WindowDriver

        assert isinstance(driver, WindowDriver)
        self.written.append(driver.screenshot(self._next(name)))

    def take_with_dialog(self, driver: object, dialog: object, name: str) -> None:
        """The window with ``dialog`` drawn over it (a dialog is a window of its own)."""
        self.written.append(_grab_dialog(driver, dialog, self._next(name)))


def run_scenario(driver: object, shots: Screenshots) -> None:
    """Idle, reading, each outcome, card problems, manual entry, override, confirmation."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from counter_app.ui.driver import WindowDriver
    from counter_app.ui.flow import FlowState
    from counter_app.ui.ports import DecisionKind

    assert isinstance(driver, WindowDriver)
    w = driver.window

    def fresh() -> None:
        driver.remove()
        if w.subject is not None or w.flow.state is not FlowState.IDLE:
            w.clear_screen()
        driver.wait_cleared()

    shots.take(driver, "idle")

    # Reading: catch the screen while the card is being read.
    seen_reading: list[bool] = []

    def on_state(state: str) -> None:
        if state == FlowState.READING.value and not seen_reading:
            seen_reading.append(True)
            shots.take(driver, "reading")

    w.state_changed.connect(on_state)
    driver.insert(ELIGIBLE_CARD)
    driver.wait_state(FlowState.ADVICE)
    w.state_changed.disconnect(on_state)
    shots.take(driver, "advice-eligible")
    w.advice.cards[0].toggle.setChecked(True)
    shots.take(driver, "advice-eligible-explained")
    w.advice.cards[0].toggle.setChecked(False)
    w.decision.request_confirm()
    driver.wait_state(FlowState.CONFIRMED, FlowState.ADVICE)
    shots.take(
        driver, "confirmation" if w.flow.state is FlowState.CONFIRMED else "confirmation-failed"
    )
    driver.remove()
    driver.wait_state(FlowState.IDLE)
    shots.take(driver, "card-removed")
    driver.wait_cleared()
    shots.take(driver, "cleared")

    driver.insert(NOT_ELIGIBLE_CARD)
    driver.wait_state(FlowState.ADVICE)
    shots.take(driver, "advice-not-eligible")
    w.decision.select("uitpas-kansentarief", DecisionKind.SELL_OPPORTUNITY)
    w.decision.request_confirm()
    shots.take(driver, "override-without-reason")
    fresh()

    driver.insert(MANUAL_CHECK_CARD)
    driver.wait_state(FlowState.ADVICE)
    for card in w.advice.cards:
        if card.declaration_boxes:
            card.toggle.setChecked(True)
    shots.take(driver, "advice-check-manually")
    declaring = next((c for c in w.advice.cards if c.declaration_boxes), None)
    if declaring is not None and declaring.declare_button is not None:
        declaring.declaration_boxes[0][0].setChecked(True)  # the clerk saw the document
        before = w.check_view
        declaring.declare_button.click()
        driver.wait_until(
            lambda: w.flow.state is FlowState.ADVICE and w.check_view is not before,
            "the reassessment",
        )
        shots.take(driver, "advice-after-declaration")
    fresh()

    driver.insert(TAMPERED_CARD)
    driver.wait_state(FlowState.CARD_WARNING)
    shots.take(driver, "card-not-authentic")
    fresh()

    driver.insert(EXPIRED_CARD)
    driver.wait_state(FlowState.CARD_WARNING)
    shots.take(driver, "card-expired")
    fresh()

    driver.insert(NOT_ACTIVATED_CARD)
    driver.wait_state(FlowState.CARD_WARNING)
    shots.take(driver, "card-not-activated")
    fresh()

    driver.insert(NOT_EID_CARD)
    driver.wait_state(FlowState.CARD_ERROR)
    shots.take(driver, "not-an-eid")
    fresh()

    w.open_manual_entry()
    dialog = w.manual_dialog
    driver.wait_until(dialog.isVisible, "the manual entry dialog")
    QTest.keyClicks(dialog.field, MANUAL_INSZ[:-2])
    shots.take_with_dialog(driver, dialog, "manual-entry-typing")
    QTest.keyClicks(dialog.field, MANUAL_INSZ[-2:])
    shots.take_with_dialog(driver, dialog, "manual-entry-valid")
    QTest.keyClick(dialog.field, Qt.Key.Key_Return)
    driver.wait_state(FlowState.ADVICE)
    shots.take(driver, "advice-manual-entry")
    w.clear_screen()
    driver.wait_cleared()

    w.set_language("en" if w.languages.language == "nl" else "nl")
    driver.insert(ELIGIBLE_CARD)
    driver.wait_state(FlowState.ADVICE)
    shots.take(driver, "advice-other-language")
    fresh()


def run_error_scenario(driver: object, shots: Screenshots) -> None:
    """On failing sources (``failing_sources``): a source down, a failed sale, reader states.

    The simulated reader bank always has its readers and never loses its card service, so
    "no reader" and "card service not running" are shown by sending the window the events
    the PC/SC monitor sends in those cases, through the window's own reader-event bridge.
    """
    from counter_app.ui.driver import WindowDriver
    from counter_app.ui.flow import FlowState
    from counter_app.ui.ports import DecisionKind, ReaderEvent, ReaderEventKind

    assert isinstance(driver, WindowDriver)
    w = driver.window
    driver.insert(ELIGIBLE_CARD)  # living wage, known only to the social statutes
    driver.wait_state(FlowState.ADVICE, FlowState.CHECK_ERROR, timeout=30.0)
    if w.advice.cards:
        w.advice.cards[0].toggle.setChecked(True)  # the reason, in the explanation
    shots.take(driver, "source-down-check-manually")
    if w.advice.cards:
        w.advice.cards[0].toggle.setChecked(False)
    if w.decision.select("uitpas-kansentarief", DecisionKind.SELL_OPPORTUNITY):
        w.decision.reason.setText("Attest OCMW gezien")
        w.decision.request_confirm()
        driver.wait_state(FlowState.ADVICE, FlowState.CONFIRMED, timeout=30.0)
        driver.wait_until(lambda: bool(w.decision.message.text()), "the failure message")
        shots.take(driver, "confirmation-failed")
    driver.remove()
    driver.wait_cleared()

    readers = w.known_readers()
    for reader in readers:
        w.reader_bridge.sink(ReaderEvent(ReaderEventKind.READER_REMOVED, reader))
    driver.wait_until(lambda: not w.known_readers(), "the readers to go")
    shots.take(driver, "no-reader")
    w.reader_bridge.sink(ReaderEvent(ReaderEventKind.SERVICE_DOWN))
    driver.wait_until(lambda: not w.card_service_up(), "the card service to stop")
    shots.take(driver, "card-service-not-running")
    w.reader_bridge.sink(ReaderEvent(ReaderEventKind.SERVICE_UP))
    for reader in readers:
        w.reader_bridge.sink(ReaderEvent(ReaderEventKind.READER_ADDED, reader))
    driver.wait_until(lambda: w.known_readers() == readers, "the readers to come back")


def _grab_dialog(driver: object, dialog: object, path: Path) -> Path:
    """The window with the dialog drawn over its centre, as the clerk sees it."""
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QWidget

    from counter_app.ui.driver import WindowDriver

    assert isinstance(driver, WindowDriver) and isinstance(dialog, QWidget)
    driver.settle()
    canvas = driver.window.grab()
    overlay = dialog.grab()
    painter = QPainter(canvas)
    painter.drawPixmap(
        (canvas.width() - overlay.width()) // 2, (canvas.height() - overlay.height()) // 3, overlay
    )
    painter.end()
    canvas.save(str(path))
    return path


if __name__ == "__main__":
    raise SystemExit(main())
