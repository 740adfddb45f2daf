"""A real pcscd with the vpcd virtual readers, and simulated cards served to them.

The whole stack is real: pyscard → libpcsclite → pcscd → vpcd → TCP → the
simulator's ``VpcdCardServer`` thread. pcscd is started once per session (or an
already running one is reused) and stopped at the end if we started it. When
pcscd cannot run here the tests skip, except under ``LOKET_REQUIRE_PCSC=1``
(CI), where that is a failure.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from smartcard import scard

from cardreader.simulator.card import VirtualBelpicCard
from cardreader.simulator.vpcd import VpcdCardServer
from tests.pcsc.pcscd_process import VPCD_READERS, Pcscd, PcscdUnavailable

READER_0, READER_1 = VPCD_READERS
PORTS = {READER_0: 35963, READER_1: 35964}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.pcsc)


@pytest.fixture(scope="session")
def pcscd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pcscd]:
    log = tmp_path_factory.mktemp("pcscd") / "pcscd.log"
    daemon = Pcscd(log)
    try:
        daemon.ensure()
    except PcscdUnavailable as err:
        daemon.close()
        if os.environ.get("LOKET_REQUIRE_PCSC") == "1":
            pytest.fail(f"pcscd is required (LOKET_REQUIRE_PCSC=1) but: {err}")
        pytest.skip(f"pcscd not available: {err}")
    try:
        yield daemon
    finally:
        daemon.close()


def wait_for_reader(reader: str, *, present: bool, timeout: float = 5.0) -> None:
    """Block until pcscd reports ``reader`` PRESENT (or EMPTY): pcscd lags the socket by ~400 ms."""
    want = scard.SCARD_STATE_PRESENT if present else scard.SCARD_STATE_EMPTY
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        hresult, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hresult != scard.SCARD_S_SUCCESS:
            time.sleep(0.05)
            continue
        try:
            current = scard.SCARD_STATE_UNAWARE
            while time.monotonic() < deadline:
                ms = max(1, int((deadline - time.monotonic()) * 1000))
                hresult, states = scard.SCardGetStatusChange(ctx, min(ms, 500), [(reader, current)])
                if hresult == scard.SCARD_S_SUCCESS:
                    _, event_state, _ = states[0]
                    if event_state & want and not (
                        present and event_state & scard.SCARD_STATE_MUTE
                    ):
                        return
                    current = event_state & ~scard.SCARD_STATE_CHANGED
                elif (hresult & 0xFFFFFFFF) != 0x8010000A:  # not a plain timeout
                    break
        finally:
            scard.SCardReleaseContext(ctx)
    raise AssertionError(f"{reader} did not become {'PRESENT' if present else 'EMPTY'}")


ServeCard = Callable[..., VpcdCardServer]


@pytest.fixture
def serve_card(pcscd: Pcscd) -> Iterator[ServeCard]:
    """``serve_card(card_or_profile, reader=READER_0)``: a card in a vpcd reader, seen PRESENT.

    Every card served is removed at the end and the reader seen EMPTY again, so
    the next test starts from empty readers (pcscd lags removal by ~400 ms).
    """
    servers: list[tuple[VpcdCardServer, str]] = []

    def serve(
        card: VirtualBelpicCard | str, reader: str = READER_0, *, wait: bool = True
    ) -> VpcdCardServer:
        virtual = VirtualBelpicCard(card) if isinstance(card, str) else card
        server = VpcdCardServer(virtual, port=PORTS[reader]).start()
        servers.append((server, reader))
        if wait:
            wait_for_reader(reader, present=True)
        return server

    for reader in VPCD_READERS:
        wait_for_reader(reader, present=False)
    try:
        yield serve
    finally:
        for server, _ in servers:
            server.stop()
        for reader in {r for _, r in servers}:
            wait_for_reader(reader, present=False)
