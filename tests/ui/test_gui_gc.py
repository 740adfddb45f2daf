"""Qt objects in reference cycles are freed on the GUI thread, never on a worker."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from counter_app.ui.gui_gc import GuiThreadCollector


class _Cyclic(QObject):
    """A parentless (Python-owned) Qt object that keeps itself alive through a cycle."""

    def __init__(self) -> None:
        super().__init__()
        self.me = self


def test_a_cycle_holding_a_qt_object_is_collected_on_the_gui_thread(qapp: QApplication) -> None:
    enabled_before = gc.isenabled()  # off: the UI tests run with a collector of their own
    gc.enable()  # as Python starts: this is what the collector must change
    collector = GuiThreadCollector()
    collector.collect_due()  # its first tick: start-up collected and frozen
    freed_on: list[str] = []
    try:
        obj = _Cyclic()
        watch = weakref.ref(obj, lambda _: freed_on.append(threading.current_thread().name))
        del obj

        def allocate() -> None:  # enough to pass every threshold of the automatic collector
            junk = [[] for _ in range(200_000)]
            for item in junk:
                item.append(item)  # cycles, so generation counts rise

        worker = threading.Thread(target=allocate, name="worker")
        worker.start()
        worker.join()
        assert freed_on == []  # the worker did not collect it
        collector.collect_due()  # the timer's tick, on this, the GUI thread
        assert freed_on == [threading.current_thread().name]
        assert watch() is None
    finally:
        collector.stop()
        assert gc.isenabled()  # handed back as it found it
        gc.unfreeze()
        if not enabled_before:
            gc.disable()
