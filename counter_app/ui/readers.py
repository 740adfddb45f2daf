"""The card side of the embedded backend: pcscd through ``CardMonitor``, or the simulator.

Both adapters turn the monitor's typed events into the window's ``ReaderEvent``
and hand them to a sink that may be called from any thread (the window's bridge
queues them onto the GUI thread). The monitor's state at subscription time is
replayed first, so a window that starts after the card went in still sees it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cardreader.connection import CardConnection
from cardreader.monitor import (
    CardInserted,
    CardRemoved,
    MonitorEvent,
    MonitorSnapshot,
    ReaderAdded,
    ReaderMonitor,
    ReaderRemoved,
    ServiceState,
)
from counter_app.ui.ports import ReaderEvent, ReaderEventKind

Sink = Callable[[ReaderEvent], None]


def to_reader_event(event: MonitorEvent) -> ReaderEvent:
    match event:
        case ServiceState(running=True):
            return ReaderEvent(ReaderEventKind.SERVICE_UP)
        case ServiceState(running=False):
            return ReaderEvent(ReaderEventKind.SERVICE_DOWN)
        case ReaderAdded(reader=reader):
            return ReaderEvent(ReaderEventKind.READER_ADDED, reader)
        case ReaderRemoved(reader=reader):
            return ReaderEvent(ReaderEventKind.READER_REMOVED, reader)
        case CardInserted(reader=reader, atr=atr):
            return ReaderEvent(ReaderEventKind.CARD_INSERTED, reader, atr)
        case CardRemoved(reader=reader):
            return ReaderEvent(ReaderEventKind.CARD_REMOVED, reader)
    raise TypeError(f"unknown monitor event {type(event).__name__}")


def replay(snapshot: MonitorSnapshot) -> list[ReaderEvent]:
    events: list[ReaderEvent] = []
    if snapshot.service_running is not None:
        kind = (
            ReaderEventKind.SERVICE_UP if snapshot.service_running else ReaderEventKind.SERVICE_DOWN
        )
        events.append(ReaderEvent(kind))
    for reader, present in snapshot.readers.items():
        events.append(ReaderEvent(ReaderEventKind.READER_ADDED, reader))
        if present:
            events.append(ReaderEvent(ReaderEventKind.CARD_INSERTED, reader))
    return events


class _MonitoredReaders:
    deck: Sequence[str] = ()

    def __init__(self, monitor: ReaderMonitor) -> None:
        self.monitor = monitor
        self._sink: Sink | None = None
        self._subscribed = False

    def _forward(self, event: MonitorEvent) -> None:
        sink = self._sink
        if sink is not None:
            sink(to_reader_event(event))

    def start(self, sink: Sink) -> None:
        self._sink = sink
        if not self._subscribed:
            self.monitor.subscribe(self._forward)
            self._subscribed = True
        for event in replay(self.monitor.snapshot()):
            sink(event)
        self.monitor.start()

    def stop(self) -> None:
        self._sink = None
        self.monitor.stop()

    def insert(self, profile: str) -> None:  # a physical reader has no deck
        return None

    def remove(self) -> None:
        return None


class PcscReaders(_MonitoredReaders):
    """Real readers through pcscd (or the vpcd virtual reader in tests)."""

    def __init__(self) -> None:
        from cardreader.monitor import CardMonitor

        super().__init__(CardMonitor())

    def connect(self, reader: str) -> CardConnection:
        from cardreader.transport import PyscardConnection

        return PyscardConnection(reader)


class SimulatedReaders:
    """The in-process simulated reader bank and its card deck (embedded default).

    The bank calls its observers in the thread that inserted or removed the card;
    events go to the sink as they come (the window queues them), so a removal is
    seen by the window exactly as a pcscd removal would be.
    """

    def __init__(self, bank: object | None = None) -> None:
        from cardreader.simulator.deck import eid_names
        from cardreader.simulator.inprocess import SimulatedReaderBank
        from cardreader.simulator.profile import profile_names

        self.bank: SimulatedReaderBank = (
            bank if isinstance(bank, SimulatedReaderBank) else SimulatedReaderBank()
        )
        names = profile_names()
        eids = set(eid_names())
        # eIDs first (what a clerk mostly sees), then the odd cards.
        self.deck: Sequence[str] = [n for n in names if n in eids] + [
            n for n in names if n not in eids
        ]
        self._sink: Sink | None = None
        self._observing = False

    def _observe(self, event: str, reader: str) -> None:
        sink = self._sink
        if sink is None:
            return
        if event == "inserted":
            card = self.bank.card_in(reader)
            sink(to_reader_event(CardInserted(reader, card.atr if card is not None else b"")))
        elif event == "removed":
            sink(to_reader_event(CardRemoved(reader)))

    def start(self, sink: Sink) -> None:
        self._sink = sink
        if not self._observing:
            self.bank.add_observer(self._observe)
            self._observing = True
        sink(ReaderEvent(ReaderEventKind.SERVICE_UP))
        occupied = set(self.bank.readers_with_card())
        for reader in self.bank.list_readers():
            sink(ReaderEvent(ReaderEventKind.READER_ADDED, reader))
            if reader in occupied:
                sink(ReaderEvent(ReaderEventKind.CARD_INSERTED, reader))

    def stop(self) -> None:
        self._sink = None
        if self._observing:
            self.bank.remove_observer(self._observe)
            self._observing = False

    def connect(self, reader: str) -> CardConnection:
        return self.bank.connect(reader)

    def insert(self, profile: str) -> None:
        self.bank.insert(profile)

    def remove(self) -> None:
        self.bank.remove()
