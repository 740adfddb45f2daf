"""Which readers are there, what is in them, and which one holds the eID.

A clerk's PC has more readers than the one on the desk (Windows Hello, TPM
virtual cards, a keyboard reader, the vpcd pair on a test machine), so the eID
is found by looking at *every* reader: first by ATR, then by asking the card
itself (applet SELECT + GET CARD DATA). "Reader 0" is never assumed. An unknown
ATR that answers like an eID counts too: the next card generation will have one.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from smartcard import scard

from cardreader.belpic import BelpicCard
from cardreader.errors import (
    CardReaderError,
    NoCardError,
    NoReaderError,
    NotAnEidError,
    ServiceUnavailableError,
)
from cardreader.transport import SCARD_S_SUCCESS, PcscContext, PyscardConnection, pcsc_error, rc

# Known eID ATRs (eid-card.md); the 1.x-1.7 family is matched with commons-eid's mask.
_KNOWN_EID_ATRS = frozenset(
    bytes.fromhex(h)
    for h in (
        "3B9813400AA503010101AD1311",
        "3B9894400AA503010101AD1310",
        "3B989440FFA503010101AD1310",
        "3B7F96000080318065B085040120120FFF829000",
        "3B989540FFD000480101AD1321",
    )
)
_APPLET_18_PREFIX = bytes.fromhex("3B7F96000080318065B085")


class ReaderState(StrEnum):
    EMPTY = "empty"
    CARD_PRESENT = "card_present"  # a card, not (yet) identified
    EID_PRESENT = "eid_present"
    NOT_AN_EID = "not_an_eid"
    UNAVAILABLE = "unavailable"  # mute card, in exclusive use, reader gone


@dataclass(frozen=True)
class ReaderInfo:
    name: str
    state: ReaderState
    atr: bytes = b""
    detail: str = ""  # why, when the state needs explaining; never personal data


def atr_looks_like_eid(atr: bytes) -> bool:
    """True for a known eID ATR or one matching the 1.x-1.7 mask ``3B98xx40xxxxxxxx0101AD131x``."""
    if atr in _KNOWN_EID_ATRS or atr.startswith(_APPLET_18_PREFIX):
        return True
    return (
        len(atr) == 13
        and atr[0] == 0x3B
        and atr[1] == 0x98
        and atr[3] == 0x40
        and atr[8:12] == b"\x01\x01\xad\x13"
        and atr[12] & 0xF0 == 0x10
    )


def reader_presence(context: PcscContext, names: Sequence[str]) -> dict[str, bytes | None]:
    """Per reader: the ATR of the card in it, or None when empty. No card is touched."""
    if not names:
        return {}
    hresult, states = scard.SCardGetStatusChange(
        context.handle, 0, [(name, scard.SCARD_STATE_UNAWARE) for name in names]
    )
    if rc(hresult) != SCARD_S_SUCCESS:
        raise pcsc_error(hresult, "asking the readers' state")
    result: dict[str, bytes | None] = {}
    for name, event_state, atr in states:
        present = (
            event_state & scard.SCARD_STATE_PRESENT and not event_state & scard.SCARD_STATE_MUTE
        )
        result[str(name)] = bytes(atr) if present else None
    return result


def probe_eid(connection: PyscardConnection) -> None:
    """Raise ``NotAnEidError`` unless the card answers applet SELECT and GET CARD DATA."""
    card = BelpicCard(connection)
    connection.begin_transaction()
    try:
        card.select_applet()
        card.get_card_data()
    finally:
        connection.end_transaction()


def list_readers(context: PcscContext | None = None, *, probe: bool = True) -> list[ReaderInfo]:
    """All readers with what they hold; ``probe`` asks each card whether it is an eID."""
    own = context is None
    ctx = context if context is not None else PcscContext()
    try:
        names = ctx.list_readers()
        presence = reader_presence(ctx, names)
        infos = []
        for name in names:
            atr = presence.get(name)
            if atr is None:
                infos.append(ReaderInfo(name, ReaderState.EMPTY))
            elif not probe:
                infos.append(ReaderInfo(name, ReaderState.CARD_PRESENT, atr))
            else:
                infos.append(_probed(ctx, name, atr))
        return infos
    finally:
        if own:
            ctx.release()


def _probed(ctx: PcscContext, name: str, atr: bytes) -> ReaderInfo:
    try:
        with PyscardConnection(name, ctx) as conn:
            probe_eid(conn)
    except NotAnEidError:
        return ReaderInfo(name, ReaderState.NOT_AN_EID, atr, "the card is not a Belgian eID")
    except CardReaderError as err:
        return ReaderInfo(name, ReaderState.UNAVAILABLE, atr, str(err))
    return ReaderInfo(name, ReaderState.EID_PRESENT, atr)


def resolve_reader_name(names: Sequence[str], wanted: str) -> str:
    """The reader called ``wanted``: exact name first, else the one name containing it."""
    if wanted in names:
        return wanted
    matches = [n for n in names if wanted.casefold() in n.casefold()]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NoReaderError(f"No reader named '{wanted}' is connected")
    raise NoReaderError(f"Several readers match '{wanted}': give the full name")


_shared_lock = threading.Lock()
_shared: PcscContext | None = None


def shared_context() -> PcscContext:
    """One long-lived PC/SC context for reads (establishing one costs about a millisecond)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = PcscContext()
        return _shared


def _forget_shared(ctx: PcscContext) -> None:
    global _shared
    with _shared_lock:
        if _shared is ctx:
            _shared = None
    ctx.release()


def open_eid(reader: str | None = None, context: PcscContext | None = None) -> PyscardConnection:
    """A connection to the eID: in ``reader`` when given, else found among all readers.

    Without ``context`` a shared long-lived one is used; after a pcscd restart
    it is dead (every call says "no service"), so it is replaced once and the
    search repeated: a restart between two reads costs nothing but that retry.
    """
    if context is not None:
        return _open_eid(reader, context)
    ctx = shared_context()
    try:
        return _open_eid(reader, ctx)
    except ServiceUnavailableError:
        _forget_shared(ctx)
    return _open_eid(reader, shared_context())


def _open_eid(reader: str | None, ctx: PcscContext) -> PyscardConnection:
    """A connection to the eID: in ``reader`` when given, else found among all readers.

    Readers whose ATR looks like an eID are tried first, then every other card;
    the first card that answers like an eID (applet SELECT + GET CARD DATA)
    wins. A lone card with an eID ATR is not probed: the read itself starts with
    those two commands. The connection is returned open (the caller disconnects
    it), which saves a second connect.
    """
    names = ctx.list_readers()
    if not names:
        raise NoReaderError("No smart-card reader is connected")
    if reader is not None:
        names = [resolve_reader_name(names, reader)]
    presence = reader_presence(ctx, names)
    with_card = [(n, atr) for n, atr in presence.items() if atr is not None]
    if not with_card:
        where = f"reader '{names[0]}'" if reader is not None else "any reader"
        raise NoCardError(f"There is no card in {where}")
    with_card.sort(key=lambda item: not atr_looks_like_eid(item[1]))
    # One card with an eID ATR: nothing to choose, and the read starts with the
    # same applet SELECT + GET CARD DATA (NotAnEidError there), so skip the probe.
    trust_atr = len(with_card) == 1 and atr_looks_like_eid(with_card[0][1])
    last_error: CardReaderError = NotAnEidError("The card is not a Belgian eID")
    for name, _atr in with_card:
        try:
            conn = PyscardConnection(name, ctx)
        except CardReaderError as err:
            last_error = err
            continue
        try:
            if not trust_atr:
                probe_eid(conn)
        except CardReaderError as err:
            conn.disconnect()
            last_error = err
            continue
        return conn
    if len(with_card) > 1 and isinstance(last_error, NotAnEidError):
        raise NotAnEidError("None of the cards in the readers is a Belgian eID")
    raise last_error
