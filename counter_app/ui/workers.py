"""Bridges from worker threads to the GUI thread: reader events and pool jobs.

Reader events arrive on the monitor's thread (pyscard's or the simulator's);
card reads (and the supervisor's store calls) block for a few hundred
milliseconds. Both are turned into Qt signals
connected with ``Qt.QueuedConnection``, so the slots always run on the GUI thread
and the window never waits for a card.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal

from counter_app.ui.ports import ReaderEvent


class ReaderEventBridge(QObject):
    """``sink`` may be called from any thread; ``event`` is delivered queued."""

    arrived = Signal(object)  # ReaderEvent

    def sink(self, event: ReaderEvent) -> None:
        self.arrived.emit(event)


class JobSignals(QObject):
    done = Signal(int, object)  # ticket (read session, supervisor job), result
    failed = Signal(int, object)  # ticket, exception


class TicketJob(QRunnable):
    """Runs ``work`` on the thread pool; reports its result or exception with its ticket.

    The ticket (a card-read session, a supervisor job number) lets the window ignore
    an answer to a question it no longer asks.
    """

    def __init__(self, work: Callable[[], Any], ticket: int, signals: JobSignals) -> None:
        super().__init__()
        self._work = work
        self._ticket = ticket
        self._signals = signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # every failure is shown as a message, never a traceback
            self._signals.failed.emit(self._ticket, exc)
        else:
            self._signals.done.emit(self._ticket, result)
