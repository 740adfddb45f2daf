"""Python's cyclic garbage collector runs on the GUI thread only.

A Qt object that Python owns (no Qt parent) is deleted when its wrapper is. When the
wrapper sits in a reference cycle, the cyclic collector frees it, on whichever thread
happens to allocate past the collector's threshold: the asyncio thread, the journal
writer, a card-read worker. Qt objects must be deleted on the thread they live on; one
deleted elsewhere crashes the GUI thread later, at random (a timer event delivered to
freed memory: seen in the test suite, and a counter stays open all day). So the
automatic collector is switched off and this timer runs it on the GUI thread, with the
same thresholds (pyqtgraph's GarbageCollector does the same, for the same reason).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    """Created on the GUI thread; ``stop`` hands collecting back to Python."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()  # a second collector (tests) leaves it off
        self._frozen = False
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start(interval_ms)

    def collect_due(self) -> None:
        """Collect the generations Python would have collected by now (oldest first).

        The first time (the window is up by then), what start-up made is collected once and
        the survivors frozen: they live as long as the process, and a full collection on
        the GUI thread then no longer walks them (CPython's own gen-2 heuristic is not
        available from Python; freezing keeps those collections short instead).
        """
        if not self._frozen:
            self._frozen = True
            gc.collect()
            gc.freeze()
            return
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                return

    def stop(self) -> None:
        self._timer.stop()
        if self._was_enabled:
            gc.enable()
