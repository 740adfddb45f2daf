"""One thread that writes the log, and that cannot keep a closed application alive.

Appends block (SQLite's fsync, a PostgreSQL round trip), so they run off the
event loop, one after another in submission order. A ``ThreadPoolExecutor`` would
do that, but Python joins its threads when the interpreter exits: one append
stuck on a database that stopped answering (a frozen server, a network that
drops packets without a reset) then holds the process forever after its window
has closed. This thread is a daemon instead, and the owner decides how long to
wait for it (``close``/``wait``) before letting the process end. A write that is
cut off that way is one transaction the database never committed: the log stays
consistent, that entry is missing, and the caller says so.
"""

from __future__ import annotations

import concurrent.futures
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_STOP = object()


class WriterClosedError(RuntimeError):
    """Submitted after ``close``: the log is being closed."""


class JournalWriter:
    """Runs submitted calls one at a time on a daemon thread, in order."""

    def __init__(self, name: str = "journal-writer") -> None:
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._closed = False
        self._idle = threading.Event()
        self._idle.set()
        self._pending = 0
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., T], *args: Any) -> concurrent.futures.Future[T]:
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        with self._lock:
            if self._closed:
                raise WriterClosedError("the log writer is closed")
            self._pending += 1
            self._idle.clear()
            self._queue.put((future, fn, args))
        return future

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until every submitted call has finished; False if some still run."""
        return self._idle.wait(timeout)

    def close(self, timeout: float | None = None) -> bool:
        """Accept nothing more and wait up to ``timeout`` for what was submitted.

        True when all of it finished. False leaves the rest running on the daemon
        thread: ``wait`` can give it more time; process exit does not wait for it.
        """
        with self._lock:
            if not self._closed:
                self._closed = True
                self._queue.put(_STOP)
        return self.wait(timeout)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            future, fn, args = item
            if future.set_running_or_notify_cancel():
                try:
                    result = fn(*args)
                except BaseException as err:  # handed to the waiter, as an executor does
                    future.set_exception(err)
                else:
                    future.set_result(result)
            with self._lock:
                self._pending -= 1
                if self._pending == 0:
                    self._idle.set()
