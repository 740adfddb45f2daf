"""A BELPIC card at APDU level: bytes in, response data + SW1 SW2 out.

Only what a reader of the public files meets is implemented, but that part
behaves like the card, including its awkward corners: three ways to SELECT a
file, ``6C xx`` when Le overshoots the end of a file, ``6B 00`` past the end,
``61 xx`` + GET RESPONSE on request, and a card that is no eID at all. Whatever
bytes arrive, ``process`` answers with a status word; the only exception it
raises is ``CardRemovedError`` when a fault plan pulls the card out, because a
removed card has nobody left to answer.
"""

from __future__ import annotations

import threading
import time

from cardreader.errors import CardRemovedError
from cardreader.simulator.faults import FaultPlan, FaultState
from cardreader.simulator.files import DF_CERT, DF_ID, MF, CardImage, card_image
from cardreader.simulator.profile import CardProfile, load_profile

BELPIC_AID = bytes.fromhex("A00000003029057000AD13100101FF")

SW_OK = b"\x90\x00"
SW_WRONG_LENGTH = b"\x67\x00"
SW_SECURITY = b"\x69\x82"
SW_NO_CURRENT_EF = b"\x69\x86"
SW_CONDITIONS = b"\x69\x85"
SW_WRONG_DATA = b"\x6a\x80"
SW_NOT_FOUND = b"\x6a\x82"
SW_WRONG_P1P2 = b"\x6a\x86"
SW_WRONG_LC = b"\x6a\x87"
SW_OFFSET_PAST_END = b"\x6b\x00"
SW_INS_UNKNOWN = b"\x6d\x00"
SW_CLA_UNKNOWN = b"\x6e\x00"

_KNOWN_CLASSES = frozenset({0x00, 0x80})
_INS_OF_CLASS = {0x00: frozenset({0xA4, 0xB0, 0xC0}), 0x80: frozenset({0xE4})}


class VirtualBelpicCard:
    """One simulated card: its image (files), its selection state and its faults.

    Thread-safe: the vpcd thread and a test may talk to the same card.
    """

    def __init__(
        self, card: CardProfile | CardImage | str, *, faults: FaultPlan | None = None
    ) -> None:
        if isinstance(card, str):
            card = load_profile(card)
        self.image = card if isinstance(card, CardImage) else card_image(card)
        self.faults = FaultState(faults if faults is not None else self.image.profile.faults)
        self._lock = threading.RLock()
        self._removed = False
        self.insertions = 0
        self.apdu_log: list[bytes] = []
        self.reset()

    @property
    def name(self) -> str:
        return self.image.profile.name

    @property
    def atr(self) -> bytes:
        return self.image.atr

    @property
    def removed(self) -> bool:
        return self._removed

    def reset(self) -> None:
        """Power-up state: applet selected (default-selected after reset), MF current, no EF."""
        with self._lock:
            self._power_up()

    def _power_up(self) -> None:
        self._applet_selected = self.image.applet_present
        self._current_df: tuple[int, ...] = (MF,)
        self._current_ef: bytes | None = None
        self._pending: bytes = b""

    def remove(self) -> None:
        """Pull the card out: every later APDU fails with ``CardRemovedError``."""
        self._removed = True

    def insert(self) -> None:
        """Put the (same) card back, powered up afresh; old connections stay dead."""
        self._removed = False
        self.insertions += 1
        self.reset()

    def process(self, apdu: bytes) -> bytes:
        """Answer one command APDU with response data + SW1 SW2."""
        with self._lock:
            if self._removed or self.faults.removal_due():
                self._removed = True
                raise CardRemovedError("the simulated card was removed")
            if self.faults.plan.delay_per_apdu:
                time.sleep(self.faults.plan.delay_per_apdu)
            self.faults.apdus_answered += 1
            self.apdu_log.append(bytes(apdu))
            try:
                return self._dispatch(bytes(apdu))
            except (IndexError, ValueError):
                return SW_WRONG_LENGTH

    # -- dispatch ---------------------------------------------------------------------------

    def _dispatch(self, apdu: bytes) -> bytes:
        if len(apdu) < 4:
            return SW_WRONG_LENGTH
        cla, ins, p1, p2 = apdu[0], apdu[1], apdu[2], apdu[3]
        if cla not in _KNOWN_CLASSES:
            return SW_CLA_UNKNOWN
        if ins not in _INS_OF_CLASS[cla]:
            other = next(c for c in _KNOWN_CLASSES if c != cla)
            return SW_CLA_UNKNOWN if ins in _INS_OF_CLASS[other] else SW_INS_UNKNOWN
        if ins == 0xC0:
            return self._get_response(apdu)
        # Any other command drops data waiting for GET RESPONSE, as on a T=0 card.
        self._pending = b""
        if ins == 0xA4:
            return self._select(p1, p2, apdu)
        if not self._applet_selected:
            return SW_INS_UNKNOWN if self.image.applet_present else SW_NOT_FOUND
        if ins == 0xB0:
            return self._read_binary(p1, p2, apdu)
        return self._get_card_data(p1, p2, apdu)

    @staticmethod
    def _command_data(apdu: bytes) -> bytes | None:
        """The data field of a case-3/4 APDU, or None when Lc does not match the APDU's length."""
        if len(apdu) < 5:
            return None
        lc = apdu[4]
        if lc == 0 or len(apdu) not in (5 + lc, 6 + lc):
            return None
        return apdu[5 : 5 + lc]

    @staticmethod
    def _le(apdu: bytes) -> int | None:
        """Le of a case-2 APDU (00 means 256), or None when the APDU is not 5 bytes long."""
        if len(apdu) != 5:
            return None
        return apdu[4] or 256

    def _with_data(self, data: bytes) -> bytes:
        """Answer with data directly, or park it behind ``61 xx`` on a T=0-style card."""
        if self.faults.plan.t0_get_response and data:
            self._pending = data
            return bytes([0x61, len(data) & 0xFF])
        return data + SW_OK

    # -- commands ---------------------------------------------------------------------------

    def _select(self, p1: int, p2: int, apdu: bytes) -> bytes:
        if p2 not in (0x00, 0x0C):
            return SW_WRONG_P1P2
        data = self._command_data(apdu)
        if data is None:
            return SW_WRONG_LC if len(apdu) > 5 else SW_WRONG_LENGTH
        if p1 == 0x04:
            if data == BELPIC_AID and self.image.applet_present:
                self._applet_selected = True
                self._current_df, self._current_ef = (MF,), None
                return SW_OK
            # Another AID: the BELPIC applet is no longer selected (the reader must re-select).
            self._applet_selected = False
            self._current_df, self._current_ef = (MF,), None
            return SW_NOT_FOUND
        if not self._applet_selected:
            return SW_NOT_FOUND
        if p1 in (0x00, 0x02):
            if len(data) != 2:
                return SW_WRONG_LC
            return self._select_fid(int.from_bytes(data))
        if p1 == 0x08:
            if len(data) % 2 or not data:
                return SW_WRONG_LC
            fids = [int.from_bytes(data[i : i + 2]) for i in range(0, len(data), 2)]
            if fids[0] != MF:
                fids.insert(0, MF)
            return self._select_path(tuple(fids))
        return SW_WRONG_P1P2

    def _select_fid(self, fid: int) -> bytes:
        """Step-by-step selection: the MF, a DF under the MF, or an EF in the current DF."""
        if fid == MF:
            self._current_df, self._current_ef = (MF,), None
            return SW_OK
        if fid in (DF_ID, DF_CERT):
            self._current_df, self._current_ef = (MF, fid), None
            return SW_OK
        if len(self._current_df) == 2:
            return self._select_path((*self._current_df, fid))
        return SW_NOT_FOUND

    def _select_path(self, path: tuple[int, ...]) -> bytes:
        if path in self.image.dedicated_files:
            self._current_df, self._current_ef = path, None
            return SW_OK
        if len(path) == 3:
            content = self.image.files.get((path[0], path[1], path[2]))
            if content is not None:
                self._current_df, self._current_ef = path[:2], content
                return SW_OK
        return SW_NOT_FOUND

    def _read_binary(self, p1: int, p2: int, apdu: bytes) -> bytes:
        if p1 & 0x80:
            return SW_WRONG_P1P2  # short-EF addressing: not used by the eID
        le = self._le(apdu)
        if le is None:
            return SW_WRONG_LENGTH
        if self._current_ef is None:
            return SW_NO_CURRENT_EF
        offset = (p1 << 8) | p2
        content = self._current_ef
        spurious = self.faults.spurious_read_sw(offset)
        if spurious is not None:
            return spurious.to_bytes(2)
        if offset >= len(content):
            return SW_OFFSET_PAST_END
        remaining = len(content) - offset
        if le > remaining:
            if self.faults.plan.end_of_file == "short":
                return self._with_data(content[offset:])
            return bytes([0x6C, remaining])
        return self._with_data(content[offset : offset + le])

    def _get_card_data(self, p1: int, p2: int, apdu: bytes) -> bytes:
        if p1 != 0x00 or p2 not in (0x00, 0x01):
            return SW_WRONG_P1P2
        data = self.image.card_data if p2 == 0x00 else self.image.card_data_extended
        if data is None:
            return SW_WRONG_P1P2
        le = self._le(apdu)
        if le is None:
            return SW_WRONG_LENGTH
        if le != len(data):
            return bytes([0x6C, len(data)])
        return self._with_data(data)

    def _get_response(self, apdu: bytes) -> bytes:
        if not self._pending:
            return SW_CONDITIONS
        le = self._le(apdu)
        if le is None:
            return SW_WRONG_LENGTH
        if le > len(self._pending):
            return bytes([0x6C, len(self._pending)])
        chunk, self._pending = self._pending[:le], self._pending[le:]
        if self._pending:
            return chunk + bytes([0x61, len(self._pending) & 0xFF])
        return chunk + SW_OK
