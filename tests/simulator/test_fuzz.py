"""Whatever bytes arrive, the card answers with a status word and never raises."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cardreader.simulator.card import VirtualBelpicCard
from cardreader.simulator.faults import FaultPlan

_CARDS = {
    name: VirtualBelpicCard(name, faults=faults)
    for name, faults in (
        ("be-adult-ec-18", None),
        ("be-adult-rsa-17", FaultPlan(t0_get_response=True)),
        ("not-an-eid", None),
    )
}

# Mostly well-formed-looking commands (known CLA/INS) so the deep paths are reached too.
_header = st.tuples(
    st.sampled_from([0x00, 0x80, 0x01, 0xFF]),
    st.sampled_from([0xA4, 0xB0, 0xC0, 0xE4, 0x20, 0x00]),
    st.integers(0, 255),
    st.integers(0, 255),
).map(bytes)
_apdus = st.one_of(
    st.binary(max_size=300), st.tuples(_header, st.binary(max_size=40)).map(b"".join)
)


def _well_formed(response: bytes) -> bool:
    return len(response) >= 2 and response[-2] in (
        0x90,
        0x61,
        0x62,
        0x63,
        0x67,
        0x69,
        0x6A,
        0x6B,
        0x6C,
        0x6D,
        0x6E,
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(_CARDS)), commands=st.lists(_apdus, min_size=1, max_size=6))
def test_any_apdu_gets_a_status_word(name: str, commands: list[bytes]) -> None:
    card = _CARDS[name]
    card.reset()
    for command in commands:
        response = card.process(command)
        assert _well_formed(response), (command.hex(), response.hex())
        if response[-2:] != b"\x90\x00" and response[-2] != 0x61:
            assert len(response) == 2, "errors carry no data"
