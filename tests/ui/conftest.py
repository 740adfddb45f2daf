"""Qt runs offscreen; QSettings and the user's data/config directories are private to the run.

The window tests use the real embedded backend: the simulated reader bank with
the card deck, the real reading and verification code, the check service on the
in-process sandbox (real HTTP over an ASGI transport) and the journal when it is
available. Only timing knobs (privacy delay, fault injection) differ from a desk.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_private = Path(tempfile.mkdtemp(prefix="loket-ui-tests-"))
os.environ["XDG_CONFIG_HOME"] = str(_private / "config")
os.environ["XDG_DATA_HOME"] = str(_private / "data")
os.environ.pop("LOKET_JOURNAL_URL", None)  # the window logs into the private data folder

import pytest  # noqa: E402
from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from pytestqt.qtbot import QtBot  # noqa: E402

from counter_app.config import Settings, load_settings  # noqa: E402
from counter_app.ui.embedded import EmbeddedBackend, build_backend  # noqa: E402
from counter_app.ui.flow import FlowState  # noqa: E402
from counter_app.ui.i18n import LanguageSwitcher  # noqa: E402
from counter_app.ui.main_window import CounterWindow, WindowOptions  # noqa: E402


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True, scope="session")
def _cycles_collected_on_the_gui_thread(qapp: QApplication) -> Iterator[None]:
    """As in the application (counter_app/ui/gui_gc.py): a Qt object left in a reference
    cycle by one test must not be freed later by another thread of another test."""
    from counter_app.ui.gui_gc import GuiThreadCollector

    collector = GuiThreadCollector(qapp)
    yield
    collector.stop()


@pytest.fixture(autouse=True)
def _jobs_hold_no_qt_objects(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every pool job the code starts must not hold a Qt object (see qt_free_jobs)."""
    from counter_app.ui import workers

    from .qt_free_jobs import qt_objects_in

    real_init = workers.TicketJob.__init__

    def checked_init(self: workers.TicketJob, work: Any, *args: Any, **kwargs: Any) -> None:
        held = qt_objects_in(work)
        assert not held, f"a pool job holds Qt objects: {[type(o).__name__ for o in held]}"
        real_init(self, work, *args, **kwargs)

    monkeypatch.setattr(workers.TicketJob, "__init__", checked_init)


@pytest.fixture(scope="session")
def qapp_args() -> list[str]:
    return ["loket-ui-tests"]


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path: Path) -> Iterator[None]:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    QCoreApplication.setOrganizationName("LoketTest")
    QCoreApplication.setApplicationName("LoketTest")
    yield


@pytest.fixture(scope="session")
def languages(qapp: QApplication) -> LanguageSwitcher:
    return LanguageSwitcher(qapp)


@pytest.fixture
def dutch(languages: LanguageSwitcher) -> Iterator[LanguageSwitcher]:
    languages.set_language("nl")
    yield languages
    languages.set_language("nl")


@pytest.fixture
def settings() -> Settings:
    return load_settings()


WindowFactory = Callable[..., CounterWindow]


@pytest.fixture
def make_window(
    qtbot: QtBot, dutch: LanguageSwitcher, settings: Settings
) -> Iterator[WindowFactory]:
    made: list[CounterWindow] = []

    def make(
        *,
        faults: Any = None,
        clear_delay_ms: int = 60_000,
        manual_idle_clear_ms: int = 300_000,
        backend: EmbeddedBackend | None = None,
    ) -> CounterWindow:
        chosen = backend if backend is not None else build_backend(settings, faults=faults)
        options = WindowOptions(
            clear_delay_ms=clear_delay_ms, manual_idle_clear_ms=manual_idle_clear_ms
        )
        window = CounterWindow(chosen, dutch, options)
        qtbot.addWidget(window)
        window.show()
        made.append(window)
        qtbot.waitUntil(lambda: window.reader_status.state.value == "empty", timeout=5000)
        return window

    yield make
    for window in made:
        window.close()


def wait_state(
    qtbot: QtBot, window: CounterWindow, *states: FlowState, timeout: int = 15000
) -> None:
    qtbot.waitUntil(lambda: window.flow.state in states, timeout=timeout)
