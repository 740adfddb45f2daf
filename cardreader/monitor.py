"""Watch the readers: card in, card out, reader plugged, service up or down.

pyscard's own monitors poll in a thread that dies silently when pcscd restarts,
and the counter must keep working through a service restart, an unplugged
reader and a citizen who pulls the card out and pushes it back in a hurry. So
this monitor owns its thread and its PC/SC context, blocks in
``SCardGetStatusChange`` (with the ``\\\\?PnP?\\Notification`` pseudo reader so
that plugged readers wake it up), and on any service error drops the context,
reports ``ServiceState(running=False)`` and keeps trying to establish a new one.
"No service" and "no reader" are states to show, never exceptions.

Callbacks run in the monitor's thread: a Qt user forwards them through a queued
signal. A callback that raises is logged and does not stop the monitor.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Protocol

from smartcard import scard

from cardreader.errors import CardReaderError
from cardreader.transport import (
    SCARD_E_INVALID_HANDLE,
    SCARD_E_NO_SERVICE,
    SCARD_E_READER_UNAVAILABLE,
    SCARD_E_SERVICE_STOPPED,
    SCARD_E_TIMEOUT,
    SCARD_E_UNKNOWN_READER,
    SCARD_S_SUCCESS,
    PcscContext,
    rc,
)

if TYPE_CHECKING:
    from cardreader.simulator.inprocess import SimulatedReaderBank

log = logging.getLogger(__name__)

PNP_READER: Final = "\\\\?PnP?\\Notification"
SCARD_E_CANCELLED: Final = 0x80100002
_SERVICE_LOST: Final = frozenset(
    {SCARD_E_NO_SERVICE, SCARD_E_SERVICE_STOPPED, SCARD_E_INVALID_HANDLE}
)
_READER_LOST: Final = frozenset({SCARD_E_UNKNOWN_READER, SCARD_E_READER_UNAVAILABLE})


@dataclass(frozen=True)
class CardInserted:
    reader: str
    atr: bytes = b""


@dataclass(frozen=True)
class CardRemoved:
    reader: str


@dataclass(frozen=True)
class ReaderAdded:
    reader: str


@dataclass(frozen=True)
class ReaderRemoved:
    reader: str


@dataclass(frozen=True)
class ServiceState:
    running: bool


MonitorEvent = CardInserted | CardRemoved | ReaderAdded | ReaderRemoved | ServiceState
EventCallback = Callable[[MonitorEvent], None]


@dataclass(frozen=True)
class MonitorSnapshot:
    """What the monitor currently believes: for a UI that starts after the events."""

    service_running: bool | None
    readers: dict[str, bool] = field(default_factory=dict)  # name -> card present


class ReaderMonitor(Protocol):
    """What the UI needs from any monitor (pcscd or simulated)."""

    def subscribe(self, callback: EventCallback) -> None: ...

    def start(self) -> None: ...

    def stop(self, timeout: float = ...) -> None: ...

    def snapshot(self) -> MonitorSnapshot: ...


class _EventHub:
    """Callback registry and state bookkeeping shared by both monitors."""

    def __init__(self, on_event: EventCallback | None) -> None:
        self._callbacks: list[EventCallback] = [on_event] if on_event else []
        self._lock = threading.Lock()
        self._service: bool | None = None
        self._present: dict[str, bool] = {}

    def subscribe(self, callback: EventCallback) -> None:
        with self._lock:
            self._callbacks.append(callback)

    def snapshot(self) -> MonitorSnapshot:
        with self._lock:
            return MonitorSnapshot(self._service, dict(self._present))

    def emit(self, event: MonitorEvent) -> None:
        with self._lock:
            match event:
                case ServiceState(running=running):
                    self._service = running
                case ReaderAdded(reader=r):
                    self._present[r] = False
                case ReaderRemoved(reader=r):
                    self._present.pop(r, None)
                case CardInserted(reader=r):
                    self._present[r] = True
                case CardRemoved(reader=r):
                    self._present[r] = False
            callbacks = list(self._callbacks)
        for callback in callbacks:
            try:
                callback(event)
            except Exception:
                log.exception("a card-monitor callback failed")


class CardMonitor(_EventHub):
    """Monitor of the PC/SC readers, in its own thread. ``start()``, then ``stop()``."""

    def __init__(
        self,
        on_event: EventCallback | None = None,
        *,
        wait_ms: int = 1000,
        retry_interval: float = 0.3,
    ) -> None:
        super().__init__(on_event)
        self._wait_ms = wait_ms
        self._retry_interval = retry_interval
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._ctx: PcscContext | None = None
        self._ctx_lock = threading.Lock()
        self._states: dict[str, int] = {}  # reader -> last dwEventState (with event counter)
        self._pnp_state = scard.SCARD_STATE_UNAWARE
        self._pnp_works = True

    # --- lifecycle ------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="card-monitor", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop and wait for the thread; wakes a blocked status query at once."""
        self._stopping.set()
        with self._ctx_lock:
            if self._ctx is not None:
                scard.SCardCancel(self._ctx.handle)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def __enter__(self) -> CardMonitor:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # --- the loop -------------------------------------------------------------------
    def _run(self) -> None:
        try:
            while not self._stopping.is_set():
                if self._ctx is None and not self._connect():
                    self._stopping.wait(self._retry_interval)
                    continue
                self._watch_once()
        finally:
            self._drop_context()

    def _connect(self) -> bool:
        try:
            ctx = PcscContext()
        except CardReaderError:
            if self.snapshot().service_running is not False:
                self._lose_everything()
                self.emit(ServiceState(running=False))
            return False
        with self._ctx_lock:
            self._ctx = ctx
        self._pnp_state = scard.SCARD_STATE_UNAWARE
        if self.snapshot().service_running is not True:
            self.emit(ServiceState(running=True))
        return True

    def _drop_context(self) -> None:
        with self._ctx_lock:
            ctx, self._ctx = self._ctx, None
        if ctx is not None:
            ctx.release()

    def _lose_everything(self) -> None:
        for reader in list(self._states):
            self._forget_reader(reader)

    def _forget_reader(self, reader: str) -> None:
        state = self._states.pop(reader, 0)
        if state & scard.SCARD_STATE_PRESENT:
            self.emit(CardRemoved(reader))
        self.emit(ReaderRemoved(reader))

    def _service_lost(self) -> None:
        self._drop_context()
        self._lose_everything()
        self.emit(ServiceState(running=False))

    def _watch_once(self) -> None:
        ctx = self._ctx
        assert ctx is not None
        try:
            names = ctx.list_readers()
        except CardReaderError:
            self._service_lost()
            return
        for gone in [r for r in self._states if r not in names]:
            self._forget_reader(gone)
        for new in [r for r in names if r not in self._states]:
            self._states[new] = scard.SCARD_STATE_UNAWARE
            self.emit(ReaderAdded(new))

        queries = [(r, self._states[r]) for r in names]
        if self._pnp_works:
            queries.append((PNP_READER, self._pnp_state))
        if not queries:
            self._stopping.wait(self._retry_interval)
            return
        hresult, results = scard.SCardGetStatusChange(ctx.handle, self._wait_ms, queries)
        code = rc(hresult)
        if code in (SCARD_E_TIMEOUT, SCARD_E_CANCELLED):
            return
        if code in _SERVICE_LOST:
            self._service_lost()
            return
        if code in _READER_LOST:
            # A reader vanished between listing and waiting (the list is read again
            # next round), or this PC/SC stack does not know the PnP pseudo reader.
            try:
                unchanged = sorted(ctx.list_readers()) == sorted(names)
            except CardReaderError:
                unchanged = False
            if unchanged and self._pnp_works:
                log.info("no PnP notification on this PC/SC stack; polling the reader list")
                self._pnp_works = False
            elif unchanged:
                self._stopping.wait(self._retry_interval)
            return
        if code != SCARD_S_SUCCESS:
            if self._pnp_works:
                log.info("status query failed (0x%08X); going on without PnP", code)
                self._pnp_works = False
            else:
                self._stopping.wait(self._retry_interval)
            return
        for reader, event_state, atr in results:
            if reader == PNP_READER:
                if event_state & scard.SCARD_STATE_UNKNOWN:
                    self._pnp_works = False
                self._pnp_state = event_state & ~scard.SCARD_STATE_CHANGED
                continue
            self._update_reader(str(reader), event_state, bytes(atr))

    def _update_reader(self, reader: str, event_state: int, atr: bytes) -> None:
        old = self._states.get(reader)
        if old is None:
            return
        if event_state & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_UNAVAILABLE):
            self._forget_reader(reader)  # unplugged between listing and waiting
            return
        self._states[reader] = event_state & ~scard.SCARD_STATE_CHANGED
        was_present = bool(old & scard.SCARD_STATE_PRESENT)
        present = bool(event_state & scard.SCARD_STATE_PRESENT)
        # pcsc-lite counts card events in the high word: a jump of 2 or more
        # means the card went out and in (or in and out) between two queries.
        missed = (
            old != scard.SCARD_STATE_UNAWARE and (((event_state >> 16) - (old >> 16)) & 0xFFFF) >= 2
        )
        if was_present and present:
            if missed:
                self.emit(CardRemoved(reader))
                self.emit(CardInserted(reader, atr))
        elif was_present:
            self.emit(CardRemoved(reader))
        elif present:
            self.emit(CardInserted(reader, atr))
        elif missed:
            self.emit(CardInserted(reader, atr))
            self.emit(CardRemoved(reader))


class SimulatedMonitor(_EventHub):
    """The same events over the simulator's ``SimulatedReaderBank``, so the UI has one interface.

    The bank calls its observers in the thread that inserted or removed the
    card; events are forwarded from there (a Qt user queues them either way).
    The simulated "service" is always running.
    """

    def __init__(self, bank: SimulatedReaderBank, on_event: EventCallback | None = None) -> None:
        super().__init__(on_event)
        self._bank = bank
        self._started = False

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        self.emit(ServiceState(running=True))
        for reader in self._bank.list_readers():
            self.emit(ReaderAdded(reader))
        self._bank.add_observer(self._observe)
        for reader in self._bank.readers_with_card():
            card = self._bank.card_in(reader)
            self.emit(CardInserted(reader, card.atr if card is not None else b""))

    def stop(self, timeout: float = 5.0) -> None:
        if self._started:
            self._started = False
            self._bank.remove_observer(self._observe)

    def __enter__(self) -> SimulatedMonitor:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _observe(self, event: str, reader: str) -> None:
        if event == "inserted":
            card = self._bank.card_in(reader)
            self.emit(CardInserted(reader, card.atr if card is not None else b""))
        elif event == "removed":
            self.emit(CardRemoved(reader))
