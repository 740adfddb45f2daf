"""Serve a simulated card to vpcd, the virtual reader driver of pcscd (vsmartcard).

This is how the real PC/SC stack is tested without hardware: pcscd loads vpcd,
vpcd listens on TCP (35963 for "Virtual PCD 00 00"), and the card emulator is
the TCP *client*. Connected = card inserted; closing the socket = card removed.
Frames both ways are a 2-byte big-endian length and a payload. A 1-byte payload
from vpcd is a control message (00 power off, 01 power on, 02 reset: no reply;
04 get ATR: reply with the ATR); anything longer is an APDU, answered with
data + SW1 SW2.

Two lessons from pcsc-test-stack.md are built in: TCP_QUICKACK is set again
after *every* receive (vpcd writes length and payload separately; without it
the kernel's delayed ACK costs ~44 ms per APDU), and connecting is retried for
as long as pcscd (hence vpcd) is not up yet.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import struct
import threading
import time

from cardreader.errors import CardRemovedError
from cardreader.simulator.card import VirtualBelpicCard
from cardreader.simulator.faults import FaultPlan

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 35963

CTRL_POWER_OFF = 0x00
CTRL_POWER_ON = 0x01
CTRL_RESET = 0x02
CTRL_GET_ATR = 0x04

_log = logging.getLogger(__name__)
_POLL_SECONDS = 0.2


class _PeerClosed(Exception):
    """vpcd closed the connection (pcscd stopped or restarted)."""


def _quickack(sock: socket.socket) -> None:
    quickack = getattr(socket, "TCP_QUICKACK", None)
    if quickack is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, quickack, 1)


def _recv_exact(sock: socket.socket, size: int, stop: threading.Event) -> bytes:
    """Read exactly ``size`` bytes, re-arming TCP_QUICKACK after every receive."""
    data = bytearray()
    while len(data) < size:
        if stop.is_set():
            raise _PeerClosed
        try:
            chunk = sock.recv(size - len(data))
        except TimeoutError:
            continue
        _quickack(sock)
        if not chunk:
            raise _PeerClosed
        data += chunk
    return bytes(data)


def encode_frame(payload: bytes) -> bytes:
    """vpcd framing: 2-byte big-endian length, then the payload."""
    return struct.pack(">H", len(payload)) + payload


def answer(card: VirtualBelpicCard, message: bytes) -> bytes | None:
    """What the card says to one vpcd message; None when vpcd expects no reply.

    Raises ``CardRemovedError`` when a fault plan pulls the card out.
    """
    if len(message) == 1:
        control = message[0]
        if control == CTRL_GET_ATR:
            return card.atr
        if control in (CTRL_POWER_ON, CTRL_RESET, CTRL_POWER_OFF):
            card.reset()
        return None
    return card.process(message)


class VpcdCardServer:
    """A thread that keeps a card 'inserted' in a vpcd reader until removed or stopped."""

    def __init__(
        self,
        card: VirtualBelpicCard | None,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        *,
        retry_seconds: float = 0.1,
    ) -> None:
        self._card = card
        self.host = host
        self.port = port
        self.retry_seconds = retry_seconds
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self.connected = threading.Event()
        self.sessions = 0  # how many times vpcd accepted us (tests: reconnect after restart)

    @property
    def card(self) -> VirtualBelpicCard | None:
        return self._card

    def start(self) -> VpcdCardServer:
        if self._thread is not None:
            raise RuntimeError("vpcd card server already started")
        self._thread = threading.Thread(
            target=self._run, name=f"vpcd-card-{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Remove the card and end the thread."""
        self._stop.set()
        self._wake.set()
        self._close()
        if self._thread is not None:
            self._thread.join(timeout)

    def remove(self) -> None:
        """Take the card out: the socket closes, vpcd reports the reader empty."""
        with self._lock:
            self._card = None
        self._close()

    def insert(self, card: VirtualBelpicCard) -> None:
        """Put a card in (replacing any): the thread connects to vpcd again."""
        self.remove()
        card.insert()
        with self._lock:
            self._card = card
        self._wake.set()

    def wait_connected(self, timeout: float = 5.0) -> bool:
        return self.connected.wait(timeout)

    def _close(self) -> None:
        with self._lock:
            sock, self._sock = self._sock, None
        self.connected.clear()
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _connect(self) -> socket.socket | None:
        try:
            sock = socket.create_connection((self.host, self.port), timeout=1.0)
        except OSError:
            return None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        _quickack(sock)
        sock.settimeout(_POLL_SECONDS)
        return sock

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                card = self._card
            if card is None:
                self._wake.wait(_POLL_SECONDS)
                self._wake.clear()
                continue
            sock = self._connect()
            if sock is None:  # vpcd (pcscd) not up yet: retry (pitfall 4)
                self._stop.wait(self.retry_seconds)
                continue
            with self._lock:
                if self._card is not card or self._stop.is_set():
                    sock.close()
                    continue
                self._sock = sock
            self.sessions += 1
            self.connected.set()
            self._serve(sock, card)
            self._close()

    def _serve(self, sock: socket.socket, card: VirtualBelpicCard) -> None:
        try:
            while not self._stop.is_set() and self._card is card:
                (length,) = struct.unpack(">H", _recv_exact(sock, 2, self._stop))
                message = _recv_exact(sock, length, self._stop)
                reply = answer(card, message)
                if reply is not None:
                    sock.sendall(encode_frame(reply))
        except CardRemovedError:
            with self._lock:
                if self._card is card:
                    self._card = None
        except (_PeerClosed, OSError) as exc:
            # vpcd went away (pcscd stopped) or we closed the socket: retry if a card is in.
            _log.debug("vpcd connection ended: %s", type(exc).__name__)


def serve_forever(
    profile: str,
    port: int = DEFAULT_PORT,
    host: str = DEFAULT_HOST,
    *,
    faults: FaultPlan | None = None,
) -> None:
    """Blocking: keep ``profile``'s card inserted in vpcd until Ctrl-C (CLI ``serve-vpcd``)."""
    server = VpcdCardServer(VirtualBelpicCard(profile, faults=faults), host, port).start()
    try:
        while True:
            time.sleep(1.0)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
