"""Running store calls on the thread pool, answering on the GUI thread.

Loading a day of 5,000 entries or recomputing its chain takes tens to hundreds
of milliseconds; an Argon2 check about as long. Done on the GUI thread, that
would freeze the window while the supervisor types. Each job carries a ticket
number so the window can ignore the answer to a question it no longer asks
(the supervisor picked another day meanwhile).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool

from counter_app.ui.workers import JobSignals, TicketJob


class JobRunner(QObject):
    """Starts ``work`` on ``pool``; ``done``/``failed`` arrive queued on the owner's thread."""

    def __init__(self, pool: QThreadPool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = pool
        self.signals = JobSignals(self)
        self._ticket = 0

    @property
    def latest(self) -> int:
        return self._ticket

    def start(self, work: Callable[[], Any]) -> int:
        self._ticket += 1
        self._pool.start(TicketJob(work, self._ticket, self.signals))
        return self._ticket
