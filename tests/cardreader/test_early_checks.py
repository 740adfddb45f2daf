"""Signature checks started during the read give exactly the verdicts of checks made afterwards."""

from __future__ import annotations

import datetime as dt

import pytest

from cardreader.belpic import read_card_files
from cardreader.early_checks import EarlySignatureChecks
from cardreader.integrity import load_rrn_certificate
from cardreader.models import CheckStatus, Verdict
from cardreader.reading import load_trust, read_eid, reading_from_files
from cardreader.simulator.card import VirtualBelpicCard
from cardreader.simulator.deck import eid_names
from cardreader.simulator.inprocess import SimulatedReader
from tests.cardreader.test_belpic import CardOnWire

TODAY = dt.date(2026, 11, 29)


@pytest.mark.parametrize("name", eid_names())
def test_early_checks_give_the_same_verification_as_checks_afterwards(name: str) -> None:
    trust = load_trust(test_roots=True)
    early = EarlySignatureChecks()
    files, _ = read_card_files(SimulatedReader(name), photo=True, on_file=early.file_read)
    with_early = reading_from_files(
        files, trust=trust, today=TODAY, test_mode=True, verifier_for=early.verifier_for
    )
    afterwards = reading_from_files(files, trust=trust, today=TODAY, test_mode=True)
    assert with_early.verification == afterwards.verification


def test_both_signatures_of_a_card_are_checked_during_the_read() -> None:
    early = EarlySignatureChecks()
    files, _ = read_card_files(SimulatedReader("be-adult-ec-18"), on_file=early.file_read)
    assert early.started == 2
    reading = reading_from_files(
        files,
        trust=load_trust(test_roots=True),
        today=TODAY,
        test_mode=True,
        verifier_for=early.verifier_for,
    )
    assert reading.verification.verdict is Verdict.AUTHENTIC
    assert not early._pending  # both results were taken, none left behind


def test_a_tampered_file_checked_early_is_still_not_authentic() -> None:
    reading = read_eid(SimulatedReader("tampered-identity-ec-18"), test_mode=True, today=TODAY)
    assert reading.verification.identity_signature.status is CheckStatus.INVALID
    assert reading.verification.verdict is Verdict.NOT_AUTHENTIC


def test_a_result_is_only_used_for_the_exact_bytes_it_was_computed_on() -> None:
    early = EarlySignatureChecks()
    files, _ = read_card_files(SimulatedReader("be-adult-rsa-17"), on_file=early.file_read)
    assert files.rrn_certificate is not None and files.identity_signature is not None
    verify = early.verifier_for(load_rrn_certificate(files.rrn_certificate))
    assert verify is not None
    altered = bytes([files.identity[0] ^ 0x01]) + files.identity[1:]
    assert verify(files.identity_signature, altered) is False  # checked anew, not looked up
    assert verify(files.identity_signature, files.identity) is True
    # Used once: asked again, it is checked the ordinary way and still agrees.
    assert verify(files.identity_signature, files.identity) is True


def test_another_certificate_gets_no_early_result() -> None:
    early = EarlySignatureChecks()
    rsa_files, _ = read_card_files(SimulatedReader("be-adult-rsa-17"), on_file=early.file_read)
    ec_files, _ = read_card_files(SimulatedReader("be-adult-ec-18"))
    assert rsa_files.identity_signature is not None and ec_files.rrn_certificate is not None
    verify = early.verifier_for(load_rrn_certificate(ec_files.rrn_certificate))
    assert verify is not None
    # The RSA card's early result must not answer for a check under the EC key.
    assert verify(rsa_files.identity_signature, rsa_files.identity) is False


def test_a_card_reset_after_the_checks_started_is_read_again_and_checked_once() -> None:
    card = VirtualBelpicCard("be-adult-ec-18")
    wire = CardOnWire(card, reset_at=15)
    early = EarlySignatureChecks()
    heard_at: list[tuple[str, int]] = []

    def listen(name: str, content: bytes | None) -> None:
        heard_at.append((name, wire.transmits))
        early.file_read(name, content)

    files, _ = read_card_files(wire, on_file=listen)
    assert wire.reconnects == 1
    # The premise: in the first pass both signatures were read before the reset.
    assert heard_at[4][0] == "address_signature" and heard_at[4][1] < 15
    assert early.started == 2  # the same bytes read again: not checked twice
    reading = reading_from_files(
        files,
        trust=load_trust(test_roots=True),
        today=TODAY,
        test_mode=True,
        verifier_for=early.verifier_for,
    )
    assert reading.verification.verdict is Verdict.AUTHENTIC


def test_a_broken_certificate_starts_nothing_and_verify_reports_it() -> None:
    early = EarlySignatureChecks()
    early.file_read("identity", b"\x01\x02ab")
    early.file_read("rrn_certificate", b"\x30\x82\xff\xff" + b"\x00" * 40)
    early.file_read("identity_signature", b"\x00" * 256)
    assert early.started == 0
