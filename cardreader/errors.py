"""The card layer's own errors. Each has a distinct CLI exit code.

Callers (CLI, check service, UI) catch ``CardReaderError`` and show ``str(err)``:
messages are one line, in plain English, and carry no personal data.
A signature mismatch is *not* an error: it is a ``Verification`` verdict.
"""

from __future__ import annotations


class CardReaderError(Exception):
    """Base class; ``exit_code`` is what ``python -m cardreader`` returns for it."""

    exit_code = 10


class ServiceUnavailableError(CardReaderError):
    """The PC/SC service (pcscd / Windows Smart Card service) is not running."""

    exit_code = 11


class NoReaderError(CardReaderError):
    """No smart-card reader is connected."""

    exit_code = 12


class NoCardError(CardReaderError):
    """A reader is there but holds no card (or no eID among several readers)."""

    exit_code = 13


class NotAnEidError(CardReaderError):
    """The card answered, but it is not a Belgian eID (bank card, SIM, ...)."""

    exit_code = 14


class CardRemovedError(CardReaderError):
    """The card was removed (or reset by another program) during a read."""

    exit_code = 15


class CardResetError(CardRemovedError):
    """The card was reset (by another program, or pulled and re-inserted) during a read.

    A subclass of ``CardRemovedError`` so that callers who do not recover still
    show the right message; ``belpic.read_card_files`` recovers by reconnecting
    and reading the whole card again.
    """


class CardCommunicationError(CardReaderError):
    """The card or reader answered something we cannot use (bad status word, timeout)."""

    exit_code = 16


class ApduError(CardCommunicationError):
    """A command ended with an unexpected status word."""

    def __init__(self, message: str, sw1: int, sw2: int) -> None:
        super().__init__(f"{message} (SW {sw1:02X}{sw2:02X})")
        self.sw1 = sw1
        self.sw2 = sw2

    @property
    def sw(self) -> int:
        return (self.sw1 << 8) | self.sw2


class CardDataError(CardReaderError):
    """A file could not be parsed (truncated TLV, missing mandatory tag, unreadable dump)."""

    exit_code = 17


class InvalidNationalNumberError(CardDataError):
    """An INSZ / BIS number fails validation (or is a test number outside test mode)."""

    exit_code = 18
