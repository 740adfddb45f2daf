"""Fault injection: each fault fires when planned, once where promised, and never otherwise."""

from __future__ import annotations

import time

import pytest
from pydantic import ValidationError

from cardreader.errors import CardRemovedError
from cardreader.simulator import files as simfiles
from cardreader.simulator.card import VirtualBelpicCard
from cardreader.simulator.faults import FaultPlan

IDENTITY_PATH = bytes.fromhex("00A4080C063F00DF014031")
PHOTO_PATH = bytes.fromhex("00A4080C063F00DF014035")


def read(card: VirtualBelpicCard, offset: int, le: int) -> bytes:
    return card.process(bytes([0x00, 0xB0, offset >> 8, offset & 0xFF, le & 0xFF]))


def test_removed_after_n_apdus_then_reads_again_once_put_back() -> None:
    card = VirtualBelpicCard("be-adult-ec-18", faults=FaultPlan(remove_after_apdus=3))
    for _ in range(3):
        assert card.process(IDENTITY_PATH) == b"\x90\x00"
    with pytest.raises(CardRemovedError):
        card.process(IDENTITY_PATH)
    assert card.removed
    with pytest.raises(CardRemovedError):
        card.process(IDENTITY_PATH)
    card.insert()
    for _ in range(10):
        assert card.process(IDENTITY_PATH) == b"\x90\x00"


def test_removal_after_zero_apdus_fails_the_first_command() -> None:
    card = VirtualBelpicCard("be-adult-rsa-17", faults=FaultPlan(remove_after_apdus=0))
    with pytest.raises(CardRemovedError):
        card.process(IDENTITY_PATH)


@pytest.mark.parametrize("status", [0x6B00, 0x6986])
def test_spurious_error_fires_once_on_the_kth_mid_file_read(status: int) -> None:
    card = VirtualBelpicCard(
        "be-adult-ec-18", faults=FaultPlan(spurious_read_error_at=2, spurious_sw=status)
    )
    photo = card.image.files[simfiles.PHOTO]
    card.process(PHOTO_PATH)
    assert read(card, 0, 252)[-2:] == b"\x90\x00"  # offset 0: never spurious
    assert read(card, 252, 252)[-2:] == b"\x90\x00"  # 1st mid-file read
    assert read(card, 504, 252) == status.to_bytes(2)  # 2nd: the fault
    assert read(card, 504, 252) == photo[504:756] + b"\x90\x00"  # retry works
    assert read(card, 756, 252)[-2:] == b"\x90\x00"  # and it does not come back
    assert read(card, 504, 252)[-2:] == b"\x90\x00"


def test_slow_card_delays_every_apdu() -> None:
    card = VirtualBelpicCard("be-adult-ec-18", faults=FaultPlan(delay_per_apdu=0.05))
    started = time.monotonic()
    for _ in range(3):
        card.process(IDENTITY_PATH)
    assert time.monotonic() - started >= 0.15


def test_profile_can_carry_its_faults() -> None:
    card = VirtualBelpicCard("flaky-t0-rsa-17")
    assert card.faults.plan.t0_get_response
    card.process(IDENTITY_PATH)
    assert read(card, 0, 16)[0] == 0x61


def test_explicit_plan_overrides_the_profiles() -> None:
    card = VirtualBelpicCard("flaky-t0-rsa-17", faults=FaultPlan())
    card.process(IDENTITY_PATH)
    assert read(card, 0, 16)[-2:] == b"\x90\x00"


@pytest.mark.parametrize(
    "bad",
    [{"remove_after_apdus": -1}, {"delay_per_apdu": -0.1}, {"end_of_file": "eof"}, {"x": 1}],
)
def test_bad_fault_plans_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        FaultPlan.model_validate(bad)
