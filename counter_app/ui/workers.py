"""Bridges from worker threads to the GUI thread: reader events and card reads.

Reader events arrive on the monitor's thread (pyscard's or the simulator's);
card reads block for a few hundred milliseconds. Both are turned into Qt signals
connected with ``Qt.QueuedConnection``, so the slots always run on the GUI thread
and the window never waits for a card.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Signal

from cardreader.models import EidReading
from counter_app.ui.ports import ReaderEvent


class ReaderEventBridge(QObject):
    """``sink`` may be called from any thread; ``event`` is delivered queued."""

    arrived = Signal(object)  # ReaderEvent

    def sink(self, event: ReaderEvent) -> None:
        self.arrived.emit(event)


class ReadSignals(QObject):
    done = Signal(int, object)  # session, EidReading
    failed = Signal(int, object)  # session, exception


class CardReadJob(QRunnable):
    """Reads and verifies one card on the thread pool; reports with its session number."""

    def __init__(
        self,
        read: Callable[[], EidReading],
        session: int,
        signals: ReadSignals,
    ) -> None:
        super().__init__()
        self._read = read
        self._session = session
        self._signals = signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            reading = self._read()
        except Exception as exc:  # every failure is shown to the clerk, never a traceback
            self._signals.failed.emit(self._session, exc)
        else:
            self._signals.done.emit(self._session, reading)
