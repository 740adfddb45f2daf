"""Command APDUs of the BELPIC applet and the status words we act on.

Kept apart from the command layer so that tests, the simulator's tests and the
benchmark can build the exact bytes a reader sends without a card in sight.
Only short APDUs exist on the eID: every length fits in one byte.
"""

from __future__ import annotations

from typing import Final

BELPIC_AID: Final = bytes.fromhex("A00000003029057000AD13100101FF")

# Status words (SW1, SW2 joined as one int).
SW_OK: Final = 0x9000
SW_WRONG_LENGTH: Final = 0x6700
SW_FILE_NOT_FOUND: Final = 0x6A82
SW_WRONG_P1P2: Final = 0x6A86
SW_INS_NOT_SUPPORTED: Final = 0x6D00
SW_OFFSET_BEYOND_EOF: Final = 0x6B00
SW_COMMAND_NOT_ALLOWED: Final = 0x6986
SW_NOT_ACTIVATED: Final = 0x6985
SW_SELECTED_FILE_INVALIDATED: Final = 0x6283

SW1_MORE_DATA: Final = 0x61  # 61 xx: xx bytes waiting for GET RESPONSE (T=0)
SW1_WRONG_LE: Final = 0x6C  # 6C xx: resend the same command with Le = xx

# SWs after which the applet may have lost its selection: re-select and retry.
APPLET_LOST_SWS: Final = frozenset({SW_FILE_NOT_FOUND, SW_WRONG_P1P2, SW_INS_NOT_SUPPORTED})

READ_CHUNK: Final = 256  # Le=00: the most one short READ BINARY can return
FALLBACK_READ_CHUNK: Final = 252  # eid-mw's chunk, for readers that refuse 256-byte answers


def sw_of(sw1: int, sw2: int) -> int:
    return (sw1 << 8) | sw2


def select_applet(aid: bytes = BELPIC_AID) -> bytes:
    """SELECT by AID, no FCI wanted (P2=0C)."""
    return bytes([0x00, 0xA4, 0x04, 0x0C, len(aid)]) + aid


def get_card_data(*, with_pin_tries: bool = False) -> bytes:
    """GET CARD DATA: 28 bytes everywhere; the 31-byte form only exists on applet 1.8."""
    return bytes([0x80, 0xE4, 0x00, 0x01, 0x1F]) if with_pin_tries else bytes.fromhex("80E400001C")


def select_file_by_path(path: bytes) -> bytes:
    """SELECT FILE by absolute path from the MF (``3F00`` included), no FCI wanted."""
    return bytes([0x00, 0xA4, 0x08, 0x0C, len(path)]) + path


def read_binary(offset: int, length: int) -> bytes:
    """READ BINARY at ``offset`` (15 bits); ``length`` 256 is encoded as Le=00."""
    if not 0 <= offset <= 0x7FFF:
        raise ValueError("READ BINARY offset out of range")
    if not 1 <= length <= 256:
        raise ValueError("READ BINARY length out of range")
    return bytes([0x00, 0xB0, offset >> 8, offset & 0xFF, length & 0xFF])


def get_response(length: int) -> bytes:
    """GET RESPONSE for T=0 (``61 xx``); xx=00 means 256 bytes."""
    return bytes([0x00, 0xC0, 0x00, 0x00, length & 0xFF])


def with_le(apdu: bytes, le: int) -> bytes:
    """The same case-2 command with another Le (answer to ``6C xx``)."""
    return apdu[:4] + bytes([le & 0xFF])


# File paths (from the MF).
PATH_IDENTITY: Final = bytes.fromhex("3F00DF014031")
PATH_IDENTITY_SIGNATURE: Final = bytes.fromhex("3F00DF014032")
PATH_ADDRESS: Final = bytes.fromhex("3F00DF014033")
PATH_ADDRESS_SIGNATURE: Final = bytes.fromhex("3F00DF014034")
PATH_PHOTO: Final = bytes.fromhex("3F00DF014035")
PATH_BASIC_PUBLIC_KEY: Final = bytes.fromhex("3F00DF014040")
PATH_RRN_CERTIFICATE: Final = bytes.fromhex("3F00DF00503C")
PATH_ROOT_CERTIFICATE: Final = bytes.fromhex("3F00DF00503B")
