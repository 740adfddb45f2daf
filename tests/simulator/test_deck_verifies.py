"""Each deck card, read through the real reading code, parses and verifies as its profile says.

Expectations are derived from the profile (tamper, signer, validity dates), not
written per card: a new profile is checked without touching this file.
"""

from __future__ import annotations

import datetime as dt

import pytest

from cardreader.errors import InvalidNationalNumberError
from cardreader.models import ValidityStatus, Verdict
from cardreader.reading import read_eid
from cardreader.simulator.deck import eid_names
from cardreader.simulator.inprocess import SimulatedReader
from cardreader.simulator.profile import load_profile

TODAY = dt.date(2026, 11, 29)


def _card_date(text: str) -> dt.date:
    day, month, year = text.split(".")
    return dt.date(int(year), int(month), int(day))


@pytest.mark.parametrize("name", eid_names())
def test_deck_card_reads_and_verifies_as_expected(name: str) -> None:
    profile = load_profile(name)
    identity = profile.identity
    assert identity is not None and profile.address is not None
    reading = read_eid(SimulatedReader(name), photo=True, test_mode=True, today=TODAY)
    verification = reading.verification

    if profile.tamper:
        assert verification.verdict == Verdict.NOT_AUTHENTIC
    elif profile.signer == "rogue":
        assert verification.verdict in (Verdict.NOT_VERIFIABLE, Verdict.NOT_AUTHENTIC)
    else:
        assert verification.verdict == Verdict.AUTHENTIC, verification.reasons

    if _card_date(identity.validity_end) < TODAY:
        assert verification.validity == ValidityStatus.EXPIRED
    elif _card_date(identity.validity_start) > TODAY:
        assert verification.validity == ValidityStatus.NOT_YET_VALID
    else:
        assert verification.validity == ValidityStatus.VALID

    parsed = reading.identity
    assert parsed.national_number == identity.national_number
    assert parsed.birth_date.raw == identity.birth_date
    assert parsed.document_type_code == int(identity.document_type)
    if "identity" not in profile.tamper:
        assert parsed.surname == identity.surname
    assert set(identity.extra_tags) <= set(parsed.unknown_tags)
    assert reading.address is not None
    if "address" not in profile.tamper:
        assert reading.address.street_and_number == profile.address.street_and_number
    assert reading.address.postal_code == profile.address.postal_code
    assert reading.card_data is not None
    assert reading.card_data.applet_version == (0x17 if profile.applet == "1.7" else 0x18)
    assert reading.card_data.life_cycle == profile.life_cycle


def test_deck_cards_are_refused_outside_test_mode() -> None:
    with pytest.raises(InvalidNationalNumberError):
        read_eid(SimulatedReader("be-adult-ec-18"), test_mode=False, today=TODAY)
