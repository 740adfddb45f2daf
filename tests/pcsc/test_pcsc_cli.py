"""The CLI against the real PC/SC stack: reader listing, reader choice, exit codes."""

from __future__ import annotations

import json

import pytest

from cardreader.errors import NoCardError, NoReaderError
from cardreader.monitor import (
    CardInserted,
    CardRemoved,
    ReaderAdded,
    ServiceState,
    SimulatedMonitor,
)
from cardreader.simulator.inprocess import SimulatedReaderBank
from cardreader.simulator.profile import load_profile
from tests.cardreader.test_cli import STABLE_KEYS, assert_one_line_error, run_cli
from tests.pcsc.conftest import READER_0, READER_1, ServeCard

pytestmark = pytest.mark.pcsc


def test_readers_lists_both_vpcd_readers_with_their_state(serve_card: ServeCard) -> None:
    serve_card("not-an-eid", READER_0)
    serve_card("be-adult-ec-18", READER_1)
    result = run_cli("readers", "--json")
    assert result.returncode == 0, result.stderr
    states = {r["name"]: r["state"] for r in json.loads(result.stdout)}
    assert states == {READER_0: "not_an_eid", READER_1: "eid_present"}
    human = run_cli("readers")
    assert f"{READER_1}: eid present" in human.stdout


def test_read_finds_the_eid_and_reports_the_reader(serve_card: ServeCard) -> None:
    serve_card("be-adult-rsa-17", READER_1)
    result = run_cli("read", "--json", "--trust-test-roots")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data.keys() >= STABLE_KEYS
    assert data["reader"] == READER_1
    identity = load_profile("be-adult-rsa-17").identity
    assert identity is not None
    assert data["national_number"] == identity.national_number
    assert data["verification"]["verdict"] == "authentic"


def test_read_errors_through_pcscd(serve_card: ServeCard) -> None:
    assert_one_line_error(run_cli("read"), NoCardError.exit_code)
    assert_one_line_error(run_cli("read", "--reader", "No Such Reader"), NoReaderError.exit_code)
    serve_card("be-adult-ec-18", READER_1)
    assert_one_line_error(run_cli("read", "--reader", READER_0), NoCardError.exit_code)


def test_simulated_monitor_speaks_the_same_events() -> None:
    # No pcscd involved; kept here next to the pcscd monitor tests it mirrors.
    bank = SimulatedReaderBank(("Sim A", "Sim B"))
    events: list[object] = []
    card = bank.insert("be-adult-ec-18", "Sim B")
    with SimulatedMonitor(bank, events.append) as monitor:
        bank.remove("Sim B")
        bank.insert(card, "Sim A")
        assert monitor.snapshot().readers == {"Sim A": True, "Sim B": False}
    bank.remove("Sim A")  # after stop: not reported
    assert events == [
        ServiceState(True),
        ReaderAdded("Sim A"),
        ReaderAdded("Sim B"),
        CardInserted("Sim B", card.atr),
        CardRemoved("Sim B"),
        CardInserted("Sim A", card.atr),
    ]
