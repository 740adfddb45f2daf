"""A card in a real reader, through PC/SC (pcscd on Linux, the Smart Card service on Windows).

Uses pyscard's thin ``smartcard.scard`` layer rather than its object layer: one
call per APDU, no observer threads, and every failure arrives as a PC/SC return
code that we map once, here, onto ``cardreader.errors``. Nothing above this
module ever sees a pyscard exception or a raw return code.
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType
from typing import Final

from smartcard import scard

from cardreader.errors import (
    CardCommunicationError,
    CardReaderError,
    CardRemovedError,
    CardResetError,
    NoCardError,
    NoReaderError,
    ServiceUnavailableError,
)

log = logging.getLogger(__name__)

# PC/SC return codes (winscard.h); pyscard may hand them over signed, so compare masked.
SCARD_S_SUCCESS: Final = 0x00000000
SCARD_E_INVALID_HANDLE: Final = 0x80100003
SCARD_E_UNKNOWN_READER: Final = 0x80100009
SCARD_E_TIMEOUT: Final = 0x8010000A
SCARD_E_SHARING_VIOLATION: Final = 0x8010000B
SCARD_E_NO_SMARTCARD: Final = 0x8010000C
SCARD_E_PROTO_MISMATCH: Final = 0x8010000F
SCARD_F_COMM_ERROR: Final = 0x80100013
SCARD_E_NOT_TRANSACTED: Final = 0x80100016
SCARD_E_READER_UNAVAILABLE: Final = 0x80100017
SCARD_E_NO_SERVICE: Final = 0x8010001D
SCARD_E_SERVICE_STOPPED: Final = 0x8010001E
SCARD_E_NO_READERS_AVAILABLE: Final = 0x8010002E
SCARD_W_UNRESPONSIVE_CARD: Final = 0x80100066
SCARD_W_UNPOWERED_CARD: Final = 0x80100067
SCARD_W_RESET_CARD: Final = 0x80100068
SCARD_W_REMOVED_CARD: Final = 0x80100069

_SERVICE_DOWN: Final = frozenset({SCARD_E_NO_SERVICE, SCARD_E_SERVICE_STOPPED})
_NO_READER: Final = frozenset(
    {
        SCARD_F_COMM_ERROR,
        SCARD_E_UNKNOWN_READER,
        SCARD_E_READER_UNAVAILABLE,
        SCARD_E_NO_READERS_AVAILABLE,
    }
)
_CARD_GONE: Final = frozenset({SCARD_W_REMOVED_CARD, SCARD_E_NOT_TRANSACTED})


def rc(hresult: int) -> int:
    """A PC/SC return code as the unsigned 32-bit value winscard.h writes."""
    return hresult & 0xFFFFFFFF


# Windows stops its Smart Card service when the last reader is unplugged, so there
# "service not running" usually means "no reader": say both.
_SERVICE_DOWN_TEXT: Final = (
    "The smart-card service is not running (Windows stops it when no reader is plugged in)"
    if sys.platform == "win32"
    else "The smart-card service (pcscd) is not running"
)


def service_answers() -> bool:
    """True when a new PC/SC context can be opened, i.e. the service is up.

    ``SCARD_F_COMM_ERROR`` means both "reader unplugged" and "pcscd died under
    us" (its socket closed mid-call); only asking the service tells them apart.
    """
    hresult, handle = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if rc(hresult) != SCARD_S_SUCCESS:
        return False
    scard.SCardReleaseContext(handle)
    return True


def pcsc_error(hresult: int, doing: str) -> CardReaderError:
    """The ``cardreader.errors`` exception for a failed PC/SC call; ``doing`` is a short phrase."""
    code = rc(hresult)
    suffix = f"({doing}; PC/SC 0x{code:08X})"
    if code in _SERVICE_DOWN or (code == SCARD_F_COMM_ERROR and not service_answers()):
        return ServiceUnavailableError(f"{_SERVICE_DOWN_TEXT} {suffix}")
    if code in _NO_READER:
        return NoReaderError(f"The card reader is not available {suffix}")
    if code in _CARD_GONE:
        return CardRemovedError(f"The card was removed {suffix}")
    if code == SCARD_W_RESET_CARD:
        return CardResetError(f"The card was reset by another program {suffix}")
    if code == SCARD_E_NO_SMARTCARD:
        return NoCardError(f"There is no card in the reader {suffix}")
    if code in (SCARD_W_UNRESPONSIVE_CARD, SCARD_W_UNPOWERED_CARD):
        return CardCommunicationError(
            f"The card does not respond; is it inserted the right way round? {suffix}"
        )
    if code == SCARD_E_SHARING_VIOLATION:
        return CardCommunicationError(f"Another program is using the card {suffix}")
    return CardCommunicationError(f"The card reader reported an error {suffix}")


def pyscard_error(exc: BaseException, doing: str) -> CardReaderError:
    """Map an exception of pyscard's object layer (``smartcard.Exceptions``) the same way."""
    hresult = getattr(exc, "hresult", None)
    if isinstance(hresult, int) and hresult not in (-1, 0):
        return pcsc_error(hresult, doing)
    if type(exc).__name__ == "EstablishContextException":
        return ServiceUnavailableError(f"{_SERVICE_DOWN_TEXT} ({doing})")
    if type(exc).__name__ == "NoCardException":
        return NoCardError(f"There is no card in the reader ({doing})")
    return CardCommunicationError(f"The card reader reported an error ({doing})")


class PcscContext:
    """One PC/SC resource-manager context. After a pcscd restart it is dead: make a new one."""

    def __init__(self) -> None:
        hresult, handle = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if rc(hresult) != SCARD_S_SUCCESS:
            raise pcsc_error(hresult, "opening a PC/SC context")
        self.handle: int = handle
        self._released = False

    def list_readers(self) -> list[str]:
        """Reader names in PC/SC order; empty when none is connected."""
        hresult, names = scard.SCardListReaders(self.handle, [])
        code = rc(hresult)
        if code in (SCARD_E_NO_READERS_AVAILABLE,) or (code == SCARD_S_SUCCESS and not names):
            return []
        if code != SCARD_S_SUCCESS:
            raise pcsc_error(hresult, "listing readers")
        return [str(n) for n in names]

    def is_valid(self) -> bool:
        return rc(scard.SCardIsValidContext(self.handle)) == SCARD_S_SUCCESS

    def release(self) -> None:
        if not self._released:
            self._released = True
            scard.SCardReleaseContext(self.handle)

    def __enter__(self) -> PcscContext:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


_PROTOCOLS: Final = scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1


class PyscardConnection:
    """``CardConnection`` over PC/SC. Raw transmit only: T=0 handling lives in ``belpic``."""

    def __init__(self, reader: str, context: PcscContext | None = None) -> None:
        self._owns_context = context is None
        self._context = context if context is not None else PcscContext()
        self._reader = reader
        self._in_transaction = False
        try:
            hresult, card, protocol = scard.SCardConnect(
                self._context.handle, reader, scard.SCARD_SHARE_SHARED, _PROTOCOLS
            )
            if rc(hresult) != SCARD_S_SUCCESS:
                raise pcsc_error(hresult, "connecting to the card")
        except BaseException:
            if self._owns_context:
                self._context.release()
            raise
        self._card: int = card
        self._protocol: int = protocol
        self._atr = self._read_atr()

    # --- CardConnection -------------------------------------------------------------
    @property
    def reader_name(self) -> str:
        return self._reader

    @property
    def atr(self) -> bytes:
        return self._atr

    def transmit(self, apdu: bytes) -> tuple[bytes, int, int]:
        hresult, response = scard.SCardTransmit(self._card, self._protocol, list(apdu))
        if rc(hresult) != SCARD_S_SUCCESS:
            raise pcsc_error(hresult, "talking to the card")
        if not response:
            # vpcd (and some USB readers) report a card pulled mid-command as an empty
            # success; the next call says "not transacted". The caller's reconnect tells.
            raise CardRemovedError("The card stopped answering; it was probably removed")
        if len(response) < 2:
            raise CardCommunicationError("The card sent an answer without a status word")
        return bytes(response[:-2]), response[-2], response[-1]

    def begin_transaction(self) -> None:
        hresult = scard.SCardBeginTransaction(self._card)
        if rc(hresult) != SCARD_S_SUCCESS:
            raise pcsc_error(hresult, "taking exclusive access to the card")
        self._in_transaction = True

    def end_transaction(self) -> None:
        if not self._in_transaction:
            return
        self._in_transaction = False
        hresult = scard.SCardEndTransaction(self._card, scard.SCARD_LEAVE_CARD)
        if rc(hresult) != SCARD_S_SUCCESS:
            # A card pulled out ends the transaction by itself; nothing to release then.
            log.debug("end of transaction reported 0x%08X", rc(hresult))

    def reconnect(self) -> None:
        self._in_transaction = False
        hresult, protocol = scard.SCardReconnect(
            self._card, scard.SCARD_SHARE_SHARED, _PROTOCOLS, scard.SCARD_LEAVE_CARD
        )
        if rc(hresult) != SCARD_S_SUCCESS:
            raise pcsc_error(hresult, "reconnecting to the card")
        self._protocol = protocol
        self._atr = self._read_atr()

    def disconnect(self) -> None:
        try:
            self.end_transaction()
            scard.SCardDisconnect(self._card, scard.SCARD_LEAVE_CARD)
        finally:
            if self._owns_context:
                self._context.release()

    # --- helpers --------------------------------------------------------------------
    def _read_atr(self) -> bytes:
        hresult, _reader, _state, _protocol, atr = scard.SCardStatus(self._card)
        if rc(hresult) != SCARD_S_SUCCESS:
            raise pcsc_error(hresult, "reading the card's answer-to-reset")
        return bytes(atr)

    def __enter__(self) -> PyscardConnection:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.disconnect()
