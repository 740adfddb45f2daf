"""``counter-app`` (no subcommand): open the counter window on the configured backend.

Configuration comes from the configuration file (``counter_app.config``); only
window geometry and the clerk's language choice live in QSettings, because they
are per-user preferences, not counter configuration the city manages.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from counter_app.exit_codes import EXIT_NO_BACKEND, EXIT_NO_GUI, EXIT_NOT_RECORDED

if TYPE_CHECKING:
    from counter_app.config import Settings
    from counter_app.ui.embedded import EmbeddedBackend
    from counter_app.ui.main_window import WindowOptions

_STARTED = time.perf_counter()

ORGANISATION = "Loket"
APPLICATION = "Loket"


# After the window has closed (which waits a few seconds itself), how much longer a log
# write still in flight may keep the process alive. A database that stopped answering
# would otherwise hold it forever: the writer is a daemon thread, so the process ends.
_EXIT_LOG_WAIT_S = 30.0


def _no_display() -> bool:
    """Qt aborts the process without a display; say so in one line instead."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="counter-app", description="Loket counter window")
    parser.add_argument(
        "--config", type=Path, help="configuration file (default: the user's loket.toml)"
    )
    parser.add_argument("--language", choices=("nl", "en"), help="language for this session")
    parser.add_argument(
        "--reader",
        choices=("simulated", "pcsc"),
        default="simulated",
        help="simulated reader with a card deck (default) or real readers through pcscd",
    )
    parser.add_argument(
        "--exit-after-show",
        action="store_true",
        help="print the start-up time and quit once the window is shown (smoke test)",
    )
    return parser


def window_options(settings: Settings) -> WindowOptions:
    """The window's timing from the configuration's ``[ui]`` section (seconds to ms)."""
    from counter_app.ui.main_window import WindowOptions

    return WindowOptions(
        clear_delay_ms=settings.ui.privacy_clear_delay_s * 1000,
        manual_idle_clear_ms=settings.ui.manual_entry_idle_clear_s * 1000,
    )


def main(argv: Sequence[str] | None = None) -> int:
    tokens = list(sys.argv[1:] if argv is None else argv)
    if "demo" in tokens:  # ``counter-app demo --screenshots DIR``: the CLI hands it to us
        from counter_app.ui.demo import main as demo_main

        at = tokens.index("demo")
        return demo_main(tokens[:at] + tokens[at + 1 :])
    args = _parser().parse_args(tokens)

    if _no_display():
        print(
            "counter-app: no display found (DISPLAY / WAYLAND_DISPLAY are not set); on a headless "
            "machine use 'counter-app demo --screenshots DIR'",
            file=sys.stderr,
        )
        return EXIT_NO_GUI

    from counter_app.config import ConfigError, load_settings

    try:
        settings = load_settings(args.config)
    except ConfigError as err:
        print(f"counter-app: {err}", file=sys.stderr)
        return ConfigError.exit_code

    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from counter_app.ui.async_runner import favour_the_gui_thread
    from counter_app.ui.gui_gc import GuiThreadCollector
    from counter_app.ui.i18n import LanguageSwitcher
    from counter_app.ui.main_window import CounterWindow

    favour_the_gui_thread()
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "counter-app"])
    GuiThreadCollector(app)  # Qt objects in cycles die on this thread (see gui_gc)
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    languages = LanguageSwitcher(app)
    preferred = args.language or QSettings().value("ui/language") or settings.ui.language
    if not languages.set_language(str(preferred)):
        languages.set_language(settings.ui.language)

    from counter_app.ui.embedded import BackendError, build_backend

    try:
        backend = build_backend(settings, reader=args.reader)
    except BackendError as err:
        print(f"counter-app: {err}", file=sys.stderr)
        return EXIT_NO_BACKEND
    window = CounterWindow(backend, languages, window_options(settings))
    window.show()
    if args.exit_after_show:

        def _report_and_quit() -> None:
            print(f"window shown after {time.perf_counter() - _STARTED:.3f} s", flush=True)
            window.close()

        QTimer.singleShot(0, _report_and_quit)
    app.aboutToQuit.connect(window.shutdown)
    return exit_code_after_close(backend, int(app.exec()))


def exit_code_after_close(backend: EmbeddedBackend, code: int) -> int:
    """The window's exit code, or "not recorded" (21) when a decision missed the log.

    A stuck log write gets ``_EXIT_LOG_WAIT_S`` seconds. A decision the log refused is
    kept and written with the next entry; if the window closed before that could
    happen, the promise was not kept, and the exit code must say so (stderr too).
    """
    if not backend.wait_for_log_writes(_EXIT_LOG_WAIT_S):
        print(
            f"counter-app: not recorded: the daily log did not answer within "
            f"{_EXIT_LOG_WAIT_S:.0f} s after the window closed; its last entry may be missing",
            file=sys.stderr,
        )
        return code or EXIT_NOT_RECORDED
    if backend.unlogged_decisions:
        print(
            f"counter-app: not recorded: {backend.unlogged_decisions} decision(s) could not be "
            "written to the daily log before the window closed (see the diagnostic log)",
            file=sys.stderr,
        )
        return code or EXIT_NOT_RECORDED
    return code


if __name__ == "__main__":
    raise SystemExit(main())
