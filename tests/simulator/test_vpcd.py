"""The vpcd client against a real TCP peer that speaks vpcd's side of the protocol.

No pcscd here (another suite owns the machine's only pcscd): the peer below is a
plain listening socket doing what vpcd does: accept the card's connection, send
length-prefixed control bytes and APDUs, read length-prefixed answers.
"""

from __future__ import annotations

import socket
import struct
import time
from collections.abc import Iterator

import pytest

from cardreader.simulator import files as simfiles
from cardreader.simulator.card import VirtualBelpicCard
from cardreader.simulator.faults import FaultPlan
from cardreader.simulator.vpcd import VpcdCardServer, encode_frame

SELECT_IDENTITY = bytes.fromhex("00A4080C063F00DF014031")


class VpcdPeer:
    """vpcd's side: listens, accepts one card connection at a time."""

    def __init__(self, port: int = 0) -> None:
        self.listener = socket.create_server(("127.0.0.1", port))
        self.listener.settimeout(5.0)
        self.port = self.listener.getsockname()[1]
        self.conn: socket.socket | None = None

    def accept(self, timeout: float = 5.0) -> None:
        self.listener.settimeout(timeout)
        self.conn, _ = self.listener.accept()
        self.conn.settimeout(5.0)

    def _recv_exact(self, size: int) -> bytes:
        assert self.conn is not None
        data = b""
        while len(data) < size:
            chunk = self.conn.recv(size - len(data))
            if not chunk:
                raise ConnectionError("card closed the connection")
            data += chunk
        return data

    def send(self, payload: bytes) -> None:
        assert self.conn is not None
        # vpcd writes the length and the payload separately (pitfall 1).
        self.conn.sendall(struct.pack(">H", len(payload)))
        self.conn.sendall(payload)

    def request(self, payload: bytes) -> bytes:
        self.send(payload)
        (length,) = struct.unpack(">H", self._recv_exact(2))
        return self._recv_exact(length)

    def card_gone(self) -> bool:
        """True when the card side closed the socket (= card removed)."""
        assert self.conn is not None
        try:
            return self.conn.recv(1) == b""
        except OSError:
            return True

    def drop(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def close(self) -> None:
        self.drop()
        self.listener.close()


@pytest.fixture
def peer() -> Iterator[VpcdPeer]:
    p = VpcdPeer()
    try:
        yield p
    finally:
        p.close()


def started(card: VirtualBelpicCard | None, port: int) -> VpcdCardServer:
    return VpcdCardServer(card, "127.0.0.1", port, retry_seconds=0.02).start()


def test_framing_control_bytes_and_apdus(peer: VpcdPeer) -> None:
    card = VirtualBelpicCard("be-adult-ec-18")
    server = started(card, peer.port)
    try:
        peer.accept()
        assert peer.request(b"\x04") == card.atr
        peer.send(b"\x01")  # power on: no reply
        peer.send(b"\x02")  # reset: no reply
        assert peer.request(SELECT_IDENTITY) == b"\x90\x00"
        identity = card.image.files[simfiles.IDENTITY]
        assert peer.request(bytes.fromhex("00B0000010")) == identity[:16] + b"\x90\x00"
        peer.send(b"\x00")  # power off: no reply, card forgets its selection
        assert peer.request(bytes.fromhex("00B0000010")) == b"\x69\x86"
        assert peer.request(b"\x04") == card.atr  # still answers presence polls
    finally:
        server.stop()


def test_socket_options_against_delayed_ack(peer: VpcdPeer) -> None:
    server = started(VirtualBelpicCard("be-adult-rsa-17"), peer.port)
    try:
        peer.accept()
        assert peer.request(b"\x04")
        sock = server._sock  # the card side's socket (private: only the test looks)
        assert sock is not None
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        server.stop()


def test_full_file_read_over_the_wire(peer: VpcdPeer) -> None:
    card = VirtualBelpicCard("be-adult-ec-18")
    server = started(card, peer.port)
    try:
        peer.accept()
        peer.request(bytes.fromhex("00A4080C063F00DF014035"))
        photo = b""
        while True:
            answer = peer.request(bytes([0x00, 0xB0, len(photo) >> 8, len(photo) & 0xFF, 252]))
            if answer[0] == 0x6C:
                answer = peer.request(
                    bytes([0x00, 0xB0, len(photo) >> 8, len(photo) & 0xFF, answer[1]])
                )
            assert answer[-2:] == b"\x90\x00"
            photo += answer[:-2]
            if len(answer) - 2 < 252:
                break
        assert photo == card.image.files[simfiles.PHOTO]
    finally:
        server.stop()


def test_retries_until_vpcd_listens() -> None:
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens on this port now: like pcscd not started yet
    server = started(VirtualBelpicCard("be-adult-ec-18"), port)
    try:
        time.sleep(0.3)
        assert not server.connected.is_set()
        late = VpcdPeer(port)
        try:
            late.accept()
            assert late.request(b"\x04") == server.card.atr  # type: ignore[union-attr]
        finally:
            late.close()
    finally:
        server.stop()


def test_remove_closes_the_socket_and_insert_connects_again(peer: VpcdPeer) -> None:
    server = started(VirtualBelpicCard("be-adult-ec-18"), peer.port)
    try:
        peer.accept()
        assert peer.request(SELECT_IDENTITY) == b"\x90\x00"
        server.remove()
        assert peer.card_gone()
        peer.drop()
        assert server.card is None
        other = VirtualBelpicCard("be-adult-rsa-17")
        server.insert(other)
        peer.accept()
        assert peer.request(b"\x04") == other.atr
        assert server.sessions == 2
    finally:
        server.stop()


def test_fault_removal_closes_the_socket(peer: VpcdPeer) -> None:
    card = VirtualBelpicCard("be-adult-ec-18", faults=FaultPlan(remove_after_apdus=2))
    server = started(card, peer.port)
    try:
        peer.accept()
        assert peer.request(SELECT_IDENTITY) == b"\x90\x00"
        assert peer.request(SELECT_IDENTITY) == b"\x90\x00"
        peer.send(SELECT_IDENTITY)
        assert peer.card_gone()
        assert server.card is None
    finally:
        server.stop()


def test_reconnects_when_vpcd_drops_the_connection(peer: VpcdPeer) -> None:
    server = started(VirtualBelpicCard("be-adult-ec-18"), peer.port)
    try:
        peer.accept()
        assert peer.request(b"\x04")
        peer.drop()  # pcscd restarted: vpcd's end goes away, the card is still 'inserted'
        peer.accept()
        assert peer.request(SELECT_IDENTITY) == b"\x90\x00"
        assert server.sessions == 2
    finally:
        server.stop()


def test_stop_ends_the_thread_promptly(peer: VpcdPeer) -> None:
    server = started(VirtualBelpicCard("be-adult-ec-18"), peer.port)
    peer.accept()
    started_at = time.monotonic()
    server.stop()
    assert time.monotonic() - started_at < 2.0
    assert server._thread is not None and not server._thread.is_alive()
    assert peer.card_gone()


def test_encode_frame() -> None:
    assert encode_frame(b"\x90\x00") == b"\x00\x02\x90\x00"
    assert encode_frame(bytes(300))[:2] == b"\x01\x2c"
