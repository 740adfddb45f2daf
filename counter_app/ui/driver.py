"""Drive the counter window without a person: for the screenshot demo and the benchmark.

It only does what a clerk does — insert a card from the deck, press a button,
wait for the screen to change — and waits by spinning the Qt event loop, so the
window's own threads and queued signals run exactly as in production.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from counter_app.ui.flow import FlowState
from counter_app.ui.main_window import CounterWindow


class DriverTimeout(RuntimeError):
    """The window did not reach the awaited state in time (message: what was awaited)."""


class WindowDriver:
    def __init__(self, window: CounterWindow, app: QApplication) -> None:
        self.window = window
        self.app = app

    def wait_until(self, predicate: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        loop = QEventLoop()
        timer = QTimer()
        timer.setInterval(2)
        timer.timeout.connect(loop.quit)
        timer.start()
        try:
            while not predicate():
                if time.monotonic() > deadline:
                    raise DriverTimeout(f"timed out waiting for {what}")
                loop.exec()
        finally:
            timer.stop()

    def wait_state(self, *states: FlowState, timeout: float = 15.0) -> FlowState:
        names = "/".join(s.value for s in states)
        self.wait_until(lambda: self.window.flow.state in states, names, timeout)
        return self.window.flow.state

    def settle(self) -> None:
        """Let pending events (layouts, paints) run."""
        for _ in range(3):
            self.app.processEvents()

    def insert(self, profile: str) -> None:
        self.window.insert_simulated_card(profile)

    def remove(self) -> None:
        self.window.remove_simulated_card()

    def wait_cleared(self, timeout: float = 15.0) -> None:
        self.wait_until(
            lambda: self.window.flow.state is FlowState.IDLE and self.window.subject is None,
            "the screen to clear",
            timeout,
        )

    def screenshot(self, path: Path) -> Path:
        self.settle()
        self.window.grab().save(str(path))
        return path
