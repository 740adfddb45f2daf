"""An asyncio loop on its own thread, reachable from Qt through signals.

PySide6's QtAsyncio cannot drive httpx, and the check service is async. So the
window never awaits anything itself: it submits a coroutine here and gets a
``concurrent.futures.Future`` back; completion reaches the GUI thread as a
queued signal. Keeping the loop off the GUI thread is also what guarantees that
a slow or stuck source never freezes the window.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import sys
import threading
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot


class AsyncRunner(QObject):
    """Owns one event loop thread; results come back through ``finished``/``failed``."""

    #: (token, result) — emitted from the loop thread, delivered queued in the GUI thread.
    finished = Signal(object, object)
    #: (token, exception)
    failed = Signal(object, object)
    #: (token, payload) — progress reported by the coroutine through ``report``.
    progress = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="loket-asyncio", daemon=True)
        self._futures: set[concurrent.futures.Future[Any]] = set()
        self._lock = threading.Lock()
        self._thread.start()
        self._ready.wait()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.call_soon(self._ready.set)
        self._loop.run_forever()
        # Loop stopped: let cancelled tasks run their cleanup before closing.
        pending = asyncio.all_tasks(self._loop)
        for task in pending:
            task.cancel()
        if pending:
            self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self._loop.run_until_complete(self._loop.shutdown_asyncgens())
        self._loop.close()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def report(self, token: object) -> Callable[[object], None]:
        """A thread-safe progress callback bound to ``token`` (called from the loop thread)."""

        def _emit(payload: object) -> None:
            self.progress.emit(token, payload)

        return _emit

    def submit(
        self, coro: Coroutine[Any, Any, Any], token: object = None
    ) -> concurrent.futures.Future[Any]:
        """Schedule ``coro``; its outcome is emitted with ``token`` unless it was cancelled."""
        if not self.running:
            coro.close()
            raise RuntimeError("the async runner is stopped")
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        with self._lock:
            self._futures.add(future)

        def _done(fut: concurrent.futures.Future[Any]) -> None:
            with self._lock:
                self._futures.discard(fut)
            if fut.cancelled():
                return
            exc = fut.exception()
            if exc is not None:
                self.failed.emit(token, exc)
            else:
                self.finished.emit(token, fut.result())

        future.add_done_callback(_done)
        return future

    def run_sync(self, coro: Coroutine[Any, Any, Any], timeout: float | None = None) -> Any:
        """Run ``coro`` on the loop and wait (for setup/teardown code, never from a slot)."""
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def cancel_all(self) -> None:
        with self._lock:
            futures = list(self._futures)
        for fut in futures:
            fut.cancel()

    def drain(self, timeout: float = 5.0) -> None:
        """Cancel every task on the loop and wait until they have finished their cleanup.

        Needed before closing shared resources (HTTP clients): a cancelled task may still
        be between two awaits when ``cancel_all`` returns.
        """
        if not self.running:
            return

        async def _drain() -> None:
            me = asyncio.current_task()
            tasks = [t for t in asyncio.all_tasks() if t is not me]
            for task in tasks:
                task.cancel()
            if tasks:
                await asyncio.wait(tasks, timeout=timeout)

        with contextlib.suppress(concurrent.futures.TimeoutError, RuntimeError):
            asyncio.run_coroutine_threadsafe(_drain(), self._loop).result(timeout + 1)

    @Slot()
    def stop(self, timeout: float = 5.0) -> None:
        """Cancel everything, stop the loop and join its thread (idempotent)."""
        if not self.running:
            return
        self.cancel_all()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout)


GUI_SWITCH_INTERVAL_S = 0.001


def favour_the_gui_thread() -> None:
    """Hand the GIL back to the GUI thread more often than Python's default 5 ms.

    The loop thread parses XML and evaluates rules in pure Python; with the default
    switch interval the GUI thread can wait several slices for the GIL while it does,
    which shows as a stutter. 1 ms keeps the window's event loop smooth at a small
    cost in throughput the clerk never notices.
    """
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)


def connect_queued(signal: Any, slot: Callable[..., Any]) -> None:
    """Connect explicitly queued: the emitter is a worker thread, the slot touches widgets."""
    signal.connect(slot, Qt.ConnectionType.QueuedConnection)
