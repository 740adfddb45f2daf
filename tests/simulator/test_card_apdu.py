"""The virtual BELPIC card at APDU level: every command, every error, as a reader meets them."""

from __future__ import annotations

import pytest

from cardreader.simulator import files as simfiles
from cardreader.simulator.card import VirtualBelpicCard
from cardreader.simulator.faults import FaultPlan

AID = bytes.fromhex("A00000003029057000AD13100101FF")
SELECT_AID = bytes.fromhex("00A4040C0F") + AID
IDENTITY_PATH = bytes.fromhex("00A4080C063F00DF014031")
IDENTITY_PATH_NO_MF = bytes.fromhex("00A4080C04DF014031")


def sw(response: bytes) -> int:
    return int.from_bytes(response[-2:])


def read(card: VirtualBelpicCard, offset: int, le: int) -> bytes:
    return card.process(bytes([0x00, 0xB0, offset >> 8, offset & 0xFF, le & 0xFF]))


def read_whole_file(card: VirtualBelpicCard, chunk: int) -> bytes:
    """Read the selected file the way a reader does: chunks, following 6Cxx, until 6B00 / short."""
    out = b""
    while True:
        response = read(card, len(out), chunk)
        if sw(response) == 0x6B00:
            return out
        if response[-2] == 0x6C:
            response = read(card, len(out), response[-1])
        assert sw(response) == 0x9000
        out += response[:-2]
        if len(response) - 2 < (chunk or 256):
            return out


@pytest.fixture
def card() -> VirtualBelpicCard:
    return VirtualBelpicCard("be-adult-ec-18")


@pytest.fixture
def identity(card: VirtualBelpicCard) -> bytes:
    return card.image.files[simfiles.IDENTITY]


@pytest.mark.parametrize("p2", [0x0C, 0x00])
def test_select_applet_by_aid(card: VirtualBelpicCard, p2: int) -> None:
    assert card.process(bytes([0x00, 0xA4, 0x04, p2, 0x0F]) + AID) == b"\x90\x00"


def test_select_unknown_aid_deselects_the_applet_until_it_is_selected_again(
    card: VirtualBelpicCard,
) -> None:
    assert sw(card.process(bytes.fromhex("00A4040C05A000000003"))) == 0x6A82
    assert sw(card.process(IDENTITY_PATH)) == 0x6A82
    assert sw(read(card, 0, 0)) == 0x6D00
    assert sw(card.process(SELECT_AID)) == 0x9000
    assert sw(card.process(IDENTITY_PATH)) == 0x9000


@pytest.mark.parametrize(
    "selects",
    [
        [IDENTITY_PATH],
        [IDENTITY_PATH_NO_MF],
        [
            bytes.fromhex("00A4020C023F00"),
            bytes.fromhex("00A4020C02DF01"),
            bytes.fromhex("00A4020C024031"),
        ],
        [bytes.fromhex("00A4000C02DF01"), bytes.fromhex("00A4020C024031")],
    ],
    ids=["path-with-3F00", "path-without-3F00", "step-by-step", "df-then-ef"],
)
def test_three_select_styles_reach_the_identity_file(
    card: VirtualBelpicCard, identity: bytes, selects: list[bytes]
) -> None:
    for command in selects:
        assert card.process(command) == b"\x90\x00"
    assert read_whole_file(card, 252) == identity


def test_select_with_p2_00_and_trailing_le_is_accepted(card: VirtualBelpicCard) -> None:
    assert sw(card.process(bytes.fromhex("00A4080006 3F00DF014031 00".replace(" ", "")))) == 0x9000


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("00A4080C063F00DF019999", 0x6A82),  # no such EF
        ("00A4080C043F00DF02", 0x6A82),  # no such DF
        ("00A4020C024031", 0x6A82),  # EF not in the current DF (MF after reset)
        ("00A4080C063F00DF0140", 0x6A87),  # Lc says 6, 5 bytes follow
        ("00A4080C053F00DF0140", 0x6A87),  # odd path length
        ("00A4020C033F00DF", 0x6A87),  # FID of 3 bytes
        ("00A4090C04DF014031", 0x6A86),  # P1 09 not supported
        ("00A4080404DF014031", 0x6A86),  # bad P2
        ("00A4080C", 0x6700),  # no Lc
    ],
)
def test_select_errors(card: VirtualBelpicCard, command: str, expected: int) -> None:
    assert sw(card.process(bytes.fromhex(command))) == expected


@pytest.mark.parametrize("chunk", [252, 255, 248, 0])
def test_read_binary_chunks_reassemble_every_file(card: VirtualBelpicCard, chunk: int) -> None:
    for path, content in card.image.files.items():
        select = bytes([0x00, 0xA4, 0x08, 0x0C, 0x06]) + b"".join(f.to_bytes(2) for f in path)
        assert card.process(select) == b"\x90\x00"
        assert read_whole_file(card, chunk) == content, f"{path[2]:04X} with Le={chunk}"


def test_read_binary_le_00_means_256(card: VirtualBelpicCard) -> None:
    photo = card.image.files[simfiles.PHOTO]
    card.process(bytes.fromhex("00A4080C063F00DF014035"))
    response = read(card, 0, 0)
    assert response == photo[:256] + b"\x90\x00"


def test_read_past_the_end_is_6b00_and_overshoot_is_6cxx(
    card: VirtualBelpicCard, identity: bytes
) -> None:
    card.process(IDENTITY_PATH)
    assert read(card, len(identity), 10) == b"\x6b\x00"
    assert read(card, len(identity) + 300, 10) == b"\x6b\x00"
    assert read(card, len(identity) - 7, 252) == bytes([0x6C, 7])
    assert read(card, len(identity) - 7, 7) == identity[-7:] + b"\x90\x00"


def test_read_binary_errors(card: VirtualBelpicCard) -> None:
    assert sw(read(card, 0, 10)) == 0x6986  # no EF selected yet
    card.process(IDENTITY_PATH)
    assert sw(card.process(bytes.fromhex("00B08100 10".replace(" ", "")))) == 0x6A86  # SFI
    assert sw(card.process(bytes.fromhex("00B00000"))) == 0x6700  # no Le
    assert sw(card.process(bytes.fromhex("00B0000001 AA".replace(" ", "")))) == 0x6700


def test_selecting_a_df_drops_the_current_ef(card: VirtualBelpicCard) -> None:
    card.process(IDENTITY_PATH)
    card.process(bytes.fromhex("00A4020C02DF00"))
    assert sw(read(card, 0, 10)) == 0x6986


def test_get_card_data_28_bytes_on_both_applets() -> None:
    for profile, version in (("be-adult-rsa-17", 0x17), ("be-adult-ec-18", 0x18)):
        card = VirtualBelpicCard(profile)
        response = card.process(bytes.fromhex("80E400001C"))
        assert sw(response) == 0x9000 and len(response) == 30
        assert response[21] == version and response[27] == 0x0F
        assert response[:16] == simfiles.chip_number(card.image.profile.identity)  # type: ignore[arg-type]


def test_get_card_data_p2_01_only_on_applet_18() -> None:
    ec = VirtualBelpicCard("be-adult-ec-18").process(bytes.fromhex("80E400011F"))
    assert sw(ec) == 0x9000 and len(ec) == 33 and ec[28] == 3
    rsa = VirtualBelpicCard("be-adult-rsa-17").process(bytes.fromhex("80E400011F"))
    assert sw(rsa) == 0x6A86


def test_get_card_data_wrong_le_answers_6cxx(card: VirtualBelpicCard) -> None:
    assert card.process(bytes.fromhex("80E4000000")) == b"\x6c\x1c"
    assert card.process(bytes.fromhex("80E4000110")) == b"\x6c\x1f"
    assert sw(card.process(bytes.fromhex("80E4010000"))) == 0x6A86


def test_not_personalised_card_reports_its_life_cycle() -> None:
    response = VirtualBelpicCard("not-personalised-ec-18").process(bytes.fromhex("80E400001C"))
    assert response[27] == 0x07


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("00200001", 0x6D00),  # VERIFY: not implemented
        ("0084000008", 0x6D00),  # GET CHALLENGE
        ("B0B0000010", 0x6E00),  # unknown class
        ("FF00000000", 0x6E00),
        ("00E400001C", 0x6E00),  # GET CARD DATA needs CLA 80
        ("80B0000010", 0x6E00),  # READ BINARY needs CLA 00
        ("80", 0x6700),
        ("", 0x6700),
    ],
)
def test_unknown_commands(card: VirtualBelpicCard, command: str, expected: int) -> None:
    assert sw(card.process(bytes.fromhex(command))) == expected


def test_get_response_without_pending_data(card: VirtualBelpicCard) -> None:
    assert sw(card.process(bytes.fromhex("00C0000010"))) == 0x6985


def test_t0_get_response_hands_out_data_in_pieces(identity: bytes) -> None:
    card = VirtualBelpicCard("be-adult-ec-18", faults=FaultPlan(t0_get_response=True))
    card.process(IDENTITY_PATH)
    assert read(card, 0, 200) == b"\x61\xc8"
    first = card.process(bytes.fromhex("00C0000064"))  # 100 of the 200
    assert first == identity[:100] + b"\x61\x64"
    assert card.process(bytes.fromhex("00C00000FF")) == b"\x6c\x64"
    assert card.process(bytes.fromhex("00C0000064")) == identity[100:200] + b"\x90\x00"
    assert sw(card.process(bytes.fromhex("00C0000010"))) == 0x6985


def test_another_command_drops_pending_get_response_data() -> None:
    card = VirtualBelpicCard("be-adult-ec-18", faults=FaultPlan(t0_get_response=True))
    card.process(IDENTITY_PATH)
    read(card, 0, 50)
    card.process(IDENTITY_PATH)
    assert sw(card.process(bytes.fromhex("00C0000032"))) == 0x6985


def test_short_answer_at_end_of_file_variant(identity: bytes) -> None:
    card = VirtualBelpicCard("be-adult-ec-18", faults=FaultPlan(end_of_file="short"))
    card.process(IDENTITY_PATH)
    assert read(card, len(identity) - 7, 252) == identity[-7:] + b"\x90\x00"


def test_not_an_eid_refuses_the_applet() -> None:
    card = VirtualBelpicCard("not-an-eid")
    assert card.atr != VirtualBelpicCard("be-adult-ec-18").atr
    assert sw(card.process(SELECT_AID)) == 0x6A82
    assert sw(card.process(IDENTITY_PATH)) == 0x6A82
    assert sw(card.process(bytes.fromhex("80E400001C"))) == 0x6A82


def test_atr_follows_the_applet_version() -> None:
    assert VirtualBelpicCard("be-adult-rsa-17").atr == bytes.fromhex("3B9813400AA503010101AD1311")
    assert VirtualBelpicCard("be-adult-ec-18").atr.startswith(bytes.fromhex("3B7F96000080318065"))


def test_reset_restores_the_power_up_state(card: VirtualBelpicCard) -> None:
    card.process(bytes.fromhex("00A4040C05A000000003"))  # applet lost
    card.reset()
    assert card.process(IDENTITY_PATH) == b"\x90\x00"
    card.reset()
    assert sw(read(card, 0, 10)) == 0x6986  # no EF after reset
