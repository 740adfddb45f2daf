"""Simulated readers inside the application's own process: the default when no pcscd is wanted.

``SimulatedReader`` is a ``cardreader.connection.CardConnection``, so the same
BELPIC reading code that talks to a clerk's USB reader talks to it; only the
transport differs. ``SimulatedReaderBank`` plays the part of the PC/SC service:
it has named readers, lets a demo or test insert and remove cards, and tells
observers about it (the card monitor adapts ``add_observer`` to its own
interface). A removal is seen exactly as pcscd reports it: the next transmit on
a connection to that card raises ``CardRemovedError``, and observers hear of it,
also when a card's fault plan pulls it out in the middle of a read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Literal

from cardreader.errors import (
    CardCommunicationError,
    CardRemovedError,
    NoCardError,
    NoReaderError,
)
from cardreader.simulator.card import VirtualBelpicCard
from cardreader.simulator.faults import FaultPlan

ReaderEvent = Literal["inserted", "removed"]
ReaderObserver = Callable[[ReaderEvent, str], None]

DEFAULT_READER_NAME = "Loket Simulated Reader 0"
#: How long after a fault pulls a card out its observers hear of it (pcscd: 0.3-0.4 s).
REMOVAL_NOTICE_S = 0.1


def _as_card(card: VirtualBelpicCard | str, faults: FaultPlan | None) -> VirtualBelpicCard:
    return card if isinstance(card, VirtualBelpicCard) else VirtualBelpicCard(card, faults=faults)


class SimulatedReader:
    """A connection to one simulated card in one named reader (implements ``CardConnection``).

    A connection belongs to one insertion of the card: once the card is removed
    (by the bank, by ``remove()`` or by a fault plan) it stays dead even if the
    card is put back, as a PC/SC handle does; connect again for the new insertion.
    """

    def __init__(
        self,
        card: VirtualBelpicCard | str,
        name: str = DEFAULT_READER_NAME,
        *,
        faults: FaultPlan | None = None,
        on_vanished: Callable[[], None] | None = None,
    ) -> None:
        self._card = _as_card(card, faults)
        self._name = name
        self._on_vanished = on_vanished  # the bank: a card its fault plan pulled out
        self._insertion = self._card.insertions
        self._dead = False
        self._connected = True
        self._in_transaction = False

    @property
    def card(self) -> VirtualBelpicCard:
        return self._card

    @property
    def reader_name(self) -> str:
        return self._name

    @property
    def atr(self) -> bytes:
        return self._card.atr

    def _check_alive(self) -> None:
        if self._card.removed or self._card.insertions != self._insertion:
            self._dead = True
        if self._dead:
            raise CardRemovedError(f"the card was removed from {self._name}")
        if not self._connected:
            raise CardCommunicationError(f"not connected to {self._name}")

    def transmit(self, apdu: bytes) -> tuple[bytes, int, int]:
        self._check_alive()
        try:
            response = self._card.process(apdu)
        except CardRemovedError:
            self._dead = True
            if self._on_vanished is not None:
                self._on_vanished()
            raise CardRemovedError(f"the card was removed from {self._name}") from None
        return response[:-2], response[-2], response[-1]

    def begin_transaction(self) -> None:
        self._check_alive()
        self._in_transaction = True

    def end_transaction(self) -> None:
        self._in_transaction = False

    def reconnect(self) -> None:
        """Reconnect with a reset: the applet is default-selected again, file selection lost."""
        self._connected = True
        self._check_alive()
        self._card.reset()

    def disconnect(self) -> None:
        self._connected = False
        self._in_transaction = False

    def remove(self) -> None:
        """Pull the card out of this reader."""
        self._card.remove()
        self._dead = True

    def __enter__(self) -> SimulatedReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.disconnect()


class SimulatedReaderBank:
    """A set of named simulated readers: insert and remove cards, connect, watch events.

    Observers are called synchronously in the thread that inserted or removed
    the card, after the bank's state changed; an observer that raises does not
    stop the others (its exception is swallowed so a UI bug cannot jam the bank).
    One exception: a card that its fault plan pulls out during a read is heard of
    ``REMOVAL_NOTICE_S`` later, from a timer thread, as a PC/SC monitor reports it
    after the reading's own failure. Events of one reader always keep their order:
    inserting or removing a card there first delivers a removal still pending.
    """

    def __init__(self, reader_names: tuple[str, ...] = (DEFAULT_READER_NAME,)) -> None:
        if not reader_names:
            raise ValueError("a reader bank needs at least one reader")
        self._slots: dict[str, VirtualBelpicCard | None] = dict.fromkeys(reader_names)
        self._observers: list[ReaderObserver] = []
        self._lock = threading.RLock()
        self._removal_notices: dict[str, threading.Timer] = {}

    def list_readers(self) -> list[str]:
        with self._lock:
            return list(self._slots)

    def add_reader(self, name: str) -> None:
        with self._lock:
            self._slots.setdefault(name, None)

    def card_in(self, reader: str) -> VirtualBelpicCard | None:
        with self._lock:
            return self._slot(reader)

    def readers_with_card(self) -> list[str]:
        with self._lock:
            return [
                name for name, card in self._slots.items() if card is not None and not card.removed
            ]

    def _slot(self, reader: str) -> VirtualBelpicCard | None:
        if reader not in self._slots:
            raise NoReaderError(f"no simulated reader named {reader!r}")
        return self._slots[reader]

    def add_observer(self, callback: ReaderObserver) -> None:
        with self._lock:
            self._observers.append(callback)

    def remove_observer(self, callback: ReaderObserver) -> None:
        with self._lock:
            if callback in self._observers:
                self._observers.remove(callback)

    def _notify(self, event: ReaderEvent, reader: str) -> None:
        for observer in list(self._observers):
            try:
                observer(event, reader)
            except Exception:  # noqa: S112 - see class docstring
                continue

    def insert(
        self,
        card: VirtualBelpicCard | str,
        reader: str | None = None,
        *,
        faults: FaultPlan | None = None,
    ) -> VirtualBelpicCard:
        """Put a card (object or profile name) into ``reader`` (default: the first one).

        A card already in that reader is removed first (with its own event).
        """
        virtual = _as_card(card, faults)
        with self._lock:
            name = reader if reader is not None else next(iter(self._slots))
            self._deliver_removal_now(name)
            if self._slot(name) is not None:
                self.remove(name)
            virtual.insert()
            self._slots[name] = virtual
        self._notify("inserted", name)
        return virtual

    def remove(self, reader: str | None = None) -> None:
        """Take the card out of ``reader``; no-op when it is already empty."""
        with self._lock:
            name = reader if reader is not None else next(iter(self._slots))
            self._deliver_removal_now(name)
            card = self._slot(name)
            if card is None:
                return
            card.remove()
            self._slots[name] = None
        self._notify("removed", name)

    def _vanished(self, reader: str, card: VirtualBelpicCard) -> None:
        """A card pulled out by its own fault plan: empty the slot and say so, as pcscd would.

        The slot empties at once (a new connection fails); observers hear of it a
        moment later, from another thread, as from a PC/SC monitor: the reading
        that noticed first gets its own failure out before the removal event.
        """
        with self._lock:
            if self._slots.get(reader) is not card:
                return  # already replaced or removed through the bank
            self._slots[reader] = None
            notice = threading.Timer(REMOVAL_NOTICE_S, lambda: self._removal_due(reader, notice))
            notice.daemon = True
            self._removal_notices[reader] = notice
            notice.start()

    def _removal_due(self, reader: str, notice: threading.Timer) -> None:
        with self._lock:  # held while notifying: an insert cannot overtake this event
            if self._removal_notices.get(reader) is notice:
                del self._removal_notices[reader]
                self._notify("removed", reader)

    def _deliver_removal_now(self, reader: str) -> None:
        """A removal still waiting for its timer goes out now, before the next event."""
        notice = self._removal_notices.pop(reader, None)
        if notice is not None:
            notice.cancel()
            self._notify("removed", reader)

    def connect(self, reader: str | None = None) -> SimulatedReader:
        """Open a connection to the card in ``reader`` (default: the first reader with a card)."""
        with self._lock:
            if reader is None:
                occupied = self.readers_with_card()
                if not occupied:
                    raise NoCardError("no card in any simulated reader")
                reader = occupied[0]
            card = self._slot(reader)
            if card is None or card.removed:
                raise NoCardError(f"no card in {reader}")
            return SimulatedReader(card, reader, on_vanished=lambda: self._vanished(reader, card))
