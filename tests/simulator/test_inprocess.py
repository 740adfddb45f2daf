"""The in-process reader: a CardConnection that the real reading code uses unchanged."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from cardreader.belpic import read_card_files
from cardreader.connection import CardConnection
from cardreader.errors import CardRemovedError, NoCardError, NoReaderError, NotAnEidError
from cardreader.reading import read_eid
from cardreader.simulator import files as simfiles
from cardreader.simulator.card import VirtualBelpicCard
from cardreader.simulator.faults import FaultPlan
from cardreader.simulator.inprocess import (
    DEFAULT_READER_NAME,
    REMOVAL_NOTICE_S,
    SimulatedReader,
    SimulatedReaderBank,
)

SELECT_AID = bytes.fromhex("00A4040C0FA00000003029057000AD13100101FF")


def test_simulated_reader_is_a_card_connection() -> None:
    reader = SimulatedReader("be-adult-ec-18")
    assert isinstance(reader, CardConnection)
    assert reader.reader_name == DEFAULT_READER_NAME
    assert reader.atr == VirtualBelpicCard("be-adult-ec-18").atr
    assert reader.transmit(SELECT_AID) == (b"", 0x90, 0x00)


def test_the_belpic_reading_code_reads_the_exact_files() -> None:
    reader = SimulatedReader("be-adult-rsa-17", name="Loket Simulated Reader 3")
    files, count = read_card_files(reader, photo=True)
    image = reader.card.image.files
    assert files.identity == image[simfiles.IDENTITY]
    assert files.address == image[simfiles.ADDRESS]
    assert files.photo == image[simfiles.PHOTO]
    assert files.identity_signature == image[simfiles.IDENTITY_SIGNATURE]
    assert count == len(reader.card.apdu_log)


def test_removal_during_a_read_raises_card_removed() -> None:
    reader = SimulatedReader("be-adult-ec-18", faults=FaultPlan(remove_after_apdus=5))
    with pytest.raises(CardRemovedError):
        read_eid(reader, test_mode=True)


def test_flaky_t0_card_reads_through_the_same_code() -> None:
    reading = read_eid(
        SimulatedReader("flaky-t0-rsa-17"), test_mode=True, today=dt.date(2026, 11, 29)
    )
    assert reading.verification.verdict == "authentic"


def test_not_an_eid_is_reported_as_such() -> None:
    with pytest.raises(NotAnEidError):
        read_eid(SimulatedReader("not-an-eid"), test_mode=True)


def test_disconnected_reader_refuses_commands_and_reconnect_revives_it() -> None:
    reader = SimulatedReader("be-adult-ec-18")
    reader.disconnect()
    with pytest.raises(Exception, match="not connected"):
        reader.transmit(SELECT_AID)
    reader.reconnect()
    assert reader.transmit(SELECT_AID)[1:] == (0x90, 0x00)


def test_bank_insert_remove_and_observers() -> None:
    events: list[tuple[str, str]] = []
    bank = SimulatedReaderBank(("Reader A", "Reader B"))
    bank.add_observer(lambda event, reader: events.append((event, reader)))
    assert bank.list_readers() == ["Reader A", "Reader B"]
    with pytest.raises(NoCardError):
        bank.connect()
    bank.insert("be-adult-ec-18", "Reader B")
    assert bank.readers_with_card() == ["Reader B"]
    connection = bank.connect()
    assert connection.reader_name == "Reader B"
    assert connection.transmit(SELECT_AID)[1:] == (0x90, 0x00)
    bank.remove("Reader B")
    with pytest.raises(CardRemovedError):
        connection.transmit(SELECT_AID)
    with pytest.raises(NoCardError):
        bank.connect("Reader B")
    with pytest.raises(NoReaderError):
        bank.connect("Reader C")
    bank.remove("Reader B")  # already empty: no second event
    assert events == [("inserted", "Reader B"), ("removed", "Reader B")]


def test_old_connection_stays_dead_after_reinsertion() -> None:
    bank = SimulatedReaderBank()
    card = bank.insert("be-adult-rsa-17")
    old = bank.connect()
    bank.remove()
    bank.insert(card)
    with pytest.raises(CardRemovedError):
        old.transmit(SELECT_AID)
    assert bank.connect().transmit(SELECT_AID)[1:] == (0x90, 0x00)


def test_inserting_over_a_card_removes_it_first_and_a_broken_observer_is_harmless() -> None:
    events: list[tuple[str, str]] = []
    bank = SimulatedReaderBank()

    def broken(event: str, reader: str) -> None:
        raise RuntimeError("observer bug")

    bank.add_observer(broken)
    bank.add_observer(lambda event, reader: events.append((event, reader)))
    bank.insert("be-adult-rsa-17")
    bank.insert("be-adult-ec-18")
    assert [e for e, _ in events] == ["inserted", "removed", "inserted"]
    assert bank.card_in(DEFAULT_READER_NAME).name == "be-adult-ec-18"  # type: ignore[union-attr]
    bank.remove_observer(broken)


def test_card_removed_by_fault_is_not_listed_as_present() -> None:
    bank = SimulatedReaderBank()
    bank.insert("be-adult-ec-18", faults=FaultPlan(remove_after_apdus=1))
    connection = bank.connect()
    connection.transmit(SELECT_AID)
    with pytest.raises(CardRemovedError):
        connection.transmit(SELECT_AID)
    assert bank.readers_with_card() == []


def test_card_removed_by_fault_is_reported_to_observers_once() -> None:
    bank = SimulatedReaderBank()
    events: list[tuple[str, str]] = []
    bank.add_observer(lambda event, reader: events.append((event, reader)))
    bank.insert("be-adult-ec-18", faults=FaultPlan(remove_after_apdus=1))
    connection = bank.connect()
    connection.transmit(SELECT_AID)
    for _ in range(2):
        with pytest.raises(CardRemovedError):
            connection.transmit(SELECT_AID)
    assert bank.card_in(DEFAULT_READER_NAME) is None  # at once
    deadline = time.monotonic() + 5
    while len(events) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert events == [("inserted", DEFAULT_READER_NAME), ("removed", DEFAULT_READER_NAME)]
    bank.remove()  # already empty: no second event
    assert len(events) == 2
    bank.insert("be-adult-ec-18")  # the reader takes a card again
    assert events[-1] == ("inserted", DEFAULT_READER_NAME)


def test_a_card_inserted_before_the_removal_notice_comes_after_it() -> None:
    bank = SimulatedReaderBank()
    events: list[str] = []
    bank.add_observer(lambda event, _reader: events.append(event))
    bank.insert("be-adult-ec-18", faults=FaultPlan(remove_after_apdus=0))
    with pytest.raises(CardRemovedError):
        bank.connect().transmit(SELECT_AID)
    bank.insert("be-adult-rsa-17")  # well within the notice delay
    time.sleep(REMOVAL_NOTICE_S * 3)  # the cancelled notice must not fire late
    assert events == ["inserted", "removed", "inserted"]
    assert bank.card_in(DEFAULT_READER_NAME).name == "be-adult-rsa-17"  # type: ignore[union-attr]
