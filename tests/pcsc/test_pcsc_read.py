"""Reading simulated cards through the real PC/SC stack: pyscard → pcscd → vpcd → simulator.

What a card holds is taken from the simulator's card image, and each pcscd
reading is compared with the in-process reading of the same profile: the two
transports must yield the same bytes and the same verdict.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from cardreader.errors import (
    CardReaderError,
    CardRemovedError,
    NoCardError,
    NoReaderError,
    NotAnEidError,
    ServiceUnavailableError,
)
from cardreader.models import Verdict
from cardreader.monitor import (
    CardInserted,
    CardMonitor,
    CardRemoved,
    MonitorEvent,
    ReaderAdded,
    ReaderRemoved,
    ServiceState,
)
from cardreader.readers import ReaderState, atr_looks_like_eid, list_readers, open_eid
from cardreader.reading import read_eid
from cardreader.simulator.card import VirtualBelpicCard
from cardreader.simulator.faults import FaultPlan
from cardreader.simulator.inprocess import SimulatedReader
from cardreader.simulator.profile import load_profile, profile_names
from tests.cardreader.test_cli import assert_one_line_error, run_cli
from tests.pcsc.conftest import READER_0, READER_1, ServeCard, wait_for_reader
from tests.pcsc.pcscd_process import Pcscd

pytestmark = pytest.mark.pcsc

EID_PROFILES = [n for n in profile_names() if load_profile(n).kind == "eid"]
NOT_EID_PROFILES = [n for n in profile_names() if load_profile(n).kind != "eid"]


class EventLog:
    """Collects monitor events from the monitor's thread; waits for a condition."""

    def __init__(self) -> None:
        self.events: list[MonitorEvent] = []
        self._cond = threading.Condition()

    def __call__(self, event: MonitorEvent) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def wait_for(self, wanted: list[MonitorEvent], timeout: float = 8.0) -> None:
        """Until ``wanted`` appears in order (not necessarily adjacent)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not _in_order(self.events, wanted):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"events {wanted} not seen; got {self.events}")
                self._cond.wait(left)

    def since(self, index: int) -> list[MonitorEvent]:
        with self._cond:
            return list(self.events[index:])


def _in_order(events: list[MonitorEvent], wanted: list[MonitorEvent]) -> bool:
    it = iter(events)
    return all(any(e == w for e in it) for w in wanted)


@pytest.mark.parametrize("profile", EID_PROFILES)
def test_every_eid_profile_reads_through_pcscd(serve_card: ServeCard, profile: str) -> None:
    server = serve_card(profile)
    connection = open_eid()
    try:
        reading = read_eid(connection, test_mode=True, photo=True)
    finally:
        connection.disconnect()
    assert reading.reader == READER_0
    card = server.card
    assert card is not None
    identity = load_profile(profile).identity
    assert identity is not None
    assert reading.identity.national_number == identity.national_number
    assert reading.files.atr == card.atr
    local = read_eid(SimulatedReader(VirtualBelpicCard(profile)), test_mode=True, photo=True)
    assert reading.files == local.files.model_copy(update={"atr": card.atr})
    assert reading.verification == local.verification
    assert reading.apdu_count >= 10


@pytest.mark.parametrize("profile", NOT_EID_PROFILES)
def test_a_card_that_is_not_an_eid_is_reported_as_such(serve_card: ServeCard, profile: str) -> None:
    serve_card(profile)
    with pytest.raises(NotAnEidError):
        open_eid()
    with pytest.raises(NotAnEidError):
        open_eid(READER_0)
    states = {i.name: i.state for i in list_readers()}
    assert states[READER_0] is ReaderState.NOT_AN_EID
    assert states[READER_1] is ReaderState.EMPTY


def test_empty_readers_mean_no_card(serve_card: ServeCard) -> None:
    with pytest.raises(NoCardError):
        open_eid()
    assert {i.state for i in list_readers()} == {ReaderState.EMPTY}


def test_card_removed_mid_read_is_a_clear_card_removed_error(serve_card: ServeCard) -> None:
    card = VirtualBelpicCard("be-adult-ec-18", faults=FaultPlan(remove_after_apdus=8))
    serve_card(card)
    connection = open_eid()
    try:
        with pytest.raises(CardRemovedError) as info:
            read_eid(connection, test_mode=True)
    finally:
        connection.disconnect()
    message = str(info.value)
    assert "\n" not in message and "removed" in message.lower()
    identity = load_profile("be-adult-ec-18").identity
    assert identity is not None and identity.national_number not in message


def test_card_in_the_second_reader_is_found(serve_card: ServeCard) -> None:
    serve_card("not-an-eid", READER_0)
    serve_card("be-adult-rsa-17", READER_1)
    connection = open_eid()
    try:
        assert connection.reader_name == READER_1
        reading = read_eid(connection, test_mode=True)
    finally:
        connection.disconnect()
    assert reading.verification.verdict is Verdict.AUTHENTIC
    states = {i.name: i.state for i in list_readers()}
    assert states == {READER_0: ReaderState.NOT_AN_EID, READER_1: ReaderState.EID_PRESENT}


def test_only_the_second_reader_has_a_card(serve_card: ServeCard) -> None:
    serve_card("be-adult-ec-18", READER_1)
    connection = open_eid()
    try:
        assert connection.reader_name == READER_1
    finally:
        connection.disconnect()
    with pytest.raises(NoCardError):
        open_eid(READER_0)
    explicit = open_eid("PCD 00 01")  # a unique part of the name is enough
    explicit.disconnect()


def test_pcscd_restart_between_two_reads(pcscd: Pcscd, serve_card: ServeCard) -> None:
    atr = serve_card("be-adult-ec-18").card.atr  # type: ignore[union-attr]
    log = EventLog()
    with CardMonitor(log, wait_ms=300):
        log.wait_for([ServiceState(True), CardInserted(READER_0, atr)])
        first = open_eid()
        try:
            reading1 = read_eid(first, test_mode=True)
        finally:
            first.disconnect()
        mark = len(log.events)
        pcscd.restart()
        wait_for_reader(READER_0, present=True, timeout=10)
        second = open_eid()
        try:
            reading2 = read_eid(second, test_mode=True)
        finally:
            second.disconnect()
        log.wait_for([ServiceState(False), ServiceState(True), CardInserted(READER_0, atr)])
        after = log.since(mark)
        assert after.index(ServiceState(False)) < after.index(ServiceState(True))
    assert reading2.files == reading1.files
    assert reading2.verification.verdict is Verdict.AUTHENTIC


def test_quick_reinsertion_is_seen_as_removal_then_insertion(serve_card: ServeCard) -> None:
    """Out and back in while the monitor is busy: pcscd shows PRESENT both times.

    The monitor's thread is held inside its first callback while the card goes
    out (pcscd sees EMPTY) and comes back (PRESENT again); the monitor never
    observes the empty reader and must still report removal, then insertion.
    """
    card = VirtualBelpicCard("be-adult-ec-18")
    server = serve_card(card)
    log = EventLog()
    held = threading.Event()
    release = threading.Event()

    def hold_first_insertion(event: MonitorEvent) -> None:
        if isinstance(event, CardInserted) and not held.is_set():
            held.set()
            release.wait(15)

    monitor = CardMonitor(log, wait_ms=300)  # the log hears each event first
    monitor.subscribe(hold_first_insertion)
    with monitor:
        assert held.wait(8)
        server.remove()
        wait_for_reader(READER_0, present=False)
        server.insert(card)
        wait_for_reader(READER_0, present=True)
        mark = len(log.events)
        release.set()
        log.wait_for([CardRemoved(READER_0), CardInserted(READER_0, card.atr)])
        after = log.since(mark)
    assert after.index(CardRemoved(READER_0)) < after.index(CardInserted(READER_0, card.atr))
    connection = open_eid()
    try:
        reading = read_eid(connection, test_mode=True)
    finally:
        connection.disconnect()
    assert reading.verification.verdict is Verdict.AUTHENTIC


def test_monitor_reports_insert_and_remove_in_both_readers(serve_card: ServeCard) -> None:
    log = EventLog()
    with CardMonitor(log, wait_ms=300) as monitor:
        log.wait_for([ServiceState(True)])
        server = serve_card("be-adult-ec-18", READER_1)
        log.wait_for([CardInserted(READER_1, server.card.atr if server.card else b"")])
        assert monitor.snapshot().readers == {READER_0: False, READER_1: True}
        server.remove()
        log.wait_for([CardRemoved(READER_1)])
        assert monitor.snapshot().readers == {READER_0: False, READER_1: False}
    assert all(
        e.reader != READER_0 for e in log.events if isinstance(e, CardInserted | CardRemoved)
    )


def test_unknown_atr_that_answers_like_an_eid_counts(serve_card: ServeCard) -> None:
    # A future card generation: new ATR, same applet. Found by asking the card.
    future = load_profile("be-adult-ec-18").model_copy(
        update={"atr": "3B8F8001804F0CA0000003060300030000000068"}
    )
    card = VirtualBelpicCard(future)
    assert not atr_looks_like_eid(card.atr)
    serve_card("not-an-eid", READER_0)
    serve_card(card, READER_1)
    connection = open_eid()
    try:
        assert connection.reader_name == READER_1
        reading = read_eid(connection, test_mode=True)
    finally:
        connection.disconnect()
    assert reading.files.atr == card.atr
    assert reading.verification.verdict is Verdict.AUTHENTIC


def test_pcscd_stopping_mid_read_says_service_not_running(
    pcscd: Pcscd, serve_card: ServeCard
) -> None:
    """pcscd dies under a read: "service not running", not "no reader" (same PC/SC code)."""
    serve_card(VirtualBelpicCard("be-adult-rsa-17", faults=FaultPlan(delay_per_apdu=0.1)))
    connection = open_eid()
    failure: list[CardReaderError] = []
    started = threading.Event()

    def read() -> None:
        started.set()
        try:
            read_eid(connection, test_mode=True)
        except CardReaderError as err:
            failure.append(err)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        started.wait(5)
        time.sleep(0.35)  # a few slow APDUs into the read
        pcscd.stop()
        reader.join(10)
        assert not reader.is_alive()
    finally:
        pcscd.ensure()
    assert len(failure) == 1 and isinstance(failure[0], ServiceUnavailableError), failure
    assert "not running" in str(failure[0])


def test_readers_gone_and_back(pcscd: Pcscd, serve_card: ServeCard, tmp_path: Path) -> None:
    """pcscd without readers (an empty reader config), then with them again.

    The monitor reports the readers (and the card) gone, stays alive through
    "no reader", and reports them back; the CLI says "no reader" meanwhile.
    """
    atr = serve_card("be-adult-ec-18", READER_1).card.atr  # type: ignore[union-attr]
    log = EventLog()
    with CardMonitor(log, wait_ms=300) as monitor:
        log.wait_for([CardInserted(READER_1, atr)])
        mark = len(log.events)
        empty = tmp_path / "reader.conf.d"
        empty.mkdir()
        try:
            pcscd.restart(config_dir=empty)
            log.wait_for([CardRemoved(READER_1), ReaderRemoved(READER_1), ServiceState(True)])
            assert monitor.snapshot().readers == {}
            assert_one_line_error(run_cli("read"), NoReaderError.exit_code)
            assert_one_line_error(run_cli("readers"), NoReaderError.exit_code)
            assert_one_line_error(run_cli("readers", "--json"), NoReaderError.exit_code)
            with pytest.raises(NoReaderError):
                open_eid()
        finally:
            pcscd.restart()
        log.wait_for([ReaderAdded(READER_0), ReaderAdded(READER_1), CardInserted(READER_1, atr)])
        assert ServiceState(False) in log.since(mark)
    wait_for_reader(READER_1, present=True)
    connection = open_eid()
    connection.disconnect()
