"""The one interface between the BELPIC command layer and whatever carries APDUs.

A real reader (pyscard, through pcscd), the in-process simulated reader and any
test double all implement ``CardConnection``; the reading code above it cannot
tell them apart, which is the point: the simulator exercises the same code path
a clerk's reader does.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class CardConnection(Protocol):
    """A connected card. Methods raise ``cardreader.errors.CardReaderError`` subclasses only."""

    @property
    def reader_name(self) -> str:
        """Name of the reader the card sits in (for messages; never personal data)."""
        ...

    @property
    def atr(self) -> bytes:
        """Answer-to-reset of the card as last seen."""
        ...

    def transmit(self, apdu: bytes) -> tuple[bytes, int, int]:
        """Send one command APDU; return (response data, SW1, SW2) without any T=0 handling."""
        ...

    def begin_transaction(self) -> None:
        """Take exclusive access: one PC/SC transaction per whole read."""
        ...

    def end_transaction(self) -> None: ...

    def reconnect(self) -> None:
        """Reconnect after a card reset (SCARD_W_RESET_CARD); the applet must be re-selected."""
        ...

    def disconnect(self) -> None: ...
