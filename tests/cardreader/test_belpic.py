"""The BELPIC command layer against the in-process simulated card, faults included.

Expected file contents come from the simulator's card image (what the card
holds), never from constants in this file: the reader must return exactly what
the card stores, whatever path (6C, 61, spurious errors, resets) it took.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest
from smartcard.Exceptions import CardConnectionException, NoCardException
from smartcard.pcsc.PCSCExceptions import EstablishContextException

from cardreader import apdu, transport
from cardreader.belpic import (
    APPLET_VERSION_INDEX,
    BelpicCard,
    BelpicOptions,
    CardResetError,
    der_total_length,
    read_card_files,
)
from cardreader.errors import (
    CardCommunicationError,
    CardReaderError,
    CardRemovedError,
    NoCardError,
    NoReaderError,
    NotAnEidError,
    ServiceUnavailableError,
)
from cardreader.errors import CardResetError as CardResetErrorFromErrors
from cardreader.models import CardFiles, CheckStatus, Verdict
from cardreader.reading import load_trust, reading_from_files
from cardreader.simulator import files as simfiles
from cardreader.simulator.card import VirtualBelpicCard
from cardreader.simulator.faults import FaultPlan
from cardreader.simulator.inprocess import SimulatedReader
from cardreader.simulator.profile import load_profile, profile_names
from cardreader.transport import pcsc_error, pyscard_error


class CardOnWire:
    """A ``CardConnection`` straight onto a ``VirtualBelpicCard`` (no reader in between).

    ``reset_at`` makes the n-th transmit fail once as a card reset (another
    program resetting the card): the transport's ``SCARD_W_RESET_CARD``.
    """

    def __init__(self, card: VirtualBelpicCard, *, reset_at: int | None = None) -> None:
        self.card = card
        self.transmits = 0
        self.reset_at = reset_at
        self.reconnects = 0
        self.transactions = 0

    @property
    def reader_name(self) -> str:
        return "wire"

    @property
    def atr(self) -> bytes:
        return self.card.atr

    def transmit(self, command: bytes) -> tuple[bytes, int, int]:
        self.transmits += 1
        if self.reset_at is not None and self.transmits == self.reset_at:
            self.card.reset()
            raise CardResetError("The card was reset by another program")
        answer = self.card.process(command)
        return answer[:-2], answer[-2], answer[-1]

    def begin_transaction(self) -> None:
        self.transactions += 1

    def end_transaction(self) -> None:
        pass

    def reconnect(self) -> None:
        if self.card.removed:
            raise CardRemovedError("The card was removed")
        self.reconnects += 1
        self.card.reset()

    def disconnect(self) -> None:
        pass


EID_PROFILES = [n for n in profile_names() if load_profile(n).kind == "eid"]
NOT_EID_PROFILES = [n for n in profile_names() if load_profile(n).kind != "eid"]


def der_only(padded: bytes | None) -> bytes | None:
    """Certificates are read up to the end of their DER object (the rest is padding)."""
    if padded is None:
        return None
    length = der_total_length(padded)
    if length is None:  # an empty (all-zero) certificate file is read whole
        return padded
    assert not any(padded[length:]), "precondition: only zeros after the DER object"
    return padded[:length]


def expected_files(card: VirtualBelpicCard, *, root: bool) -> dict[str, bytes | None]:
    f = card.image.files
    return {
        "identity": f[simfiles.IDENTITY],
        "identity_signature": f.get(simfiles.IDENTITY_SIGNATURE),
        "address": f.get(simfiles.ADDRESS),
        "address_signature": f.get(simfiles.ADDRESS_SIGNATURE),
        "rrn_certificate": der_only(f.get(simfiles.RRN_CERT)),
        "root_certificate": der_only(f.get(simfiles.ROOT_CERT)) if root else None,
        "basic_public_key": f.get(simfiles.BASIC_PUBLIC_KEY)
        if card.image.card_data[21] >= 0x18
        else None,
        "card_data": card.image.card_data,
    }


def assert_files_match(files: CardFiles, card: VirtualBelpicCard, *, root: bool = False) -> None:
    """``root``: the reading was asked for the root certificate too (not by default)."""
    for name, content in expected_files(card, root=root).items():
        assert getattr(files, name) == content, name
    assert files.atr == card.atr


def plain_card(profile: str, **faults: object) -> VirtualBelpicCard:
    base = load_profile(profile).faults.model_dump()
    base.update(faults)
    return VirtualBelpicCard(profile, faults=FaultPlan(**base))


@pytest.mark.parametrize("root", [False, True], ids=["default", "with-root-cert"])
@pytest.mark.parametrize("profile", EID_PROFILES)
def test_every_eid_profile_reads_exactly_what_the_card_holds(profile: str, root: bool) -> None:
    card = VirtualBelpicCard(profile)
    wire = CardOnWire(card)
    files, count = read_card_files(wire, photo=True, options=BelpicOptions(root_certificate=root))
    assert_files_match(files, card, root=root)
    assert files.photo == card.image.files[simfiles.PHOTO]
    assert count == len(card.apdu_log) == wire.transmits
    assert wire.transactions == 1


def test_photo_is_only_read_when_asked() -> None:
    card = VirtualBelpicCard("be-adult-ec-18")
    files, _ = read_card_files(CardOnWire(card))
    assert files.photo is None
    path = apdu.select_file_by_path(apdu.PATH_PHOTO)
    assert path not in card.apdu_log


@pytest.mark.parametrize("profile", NOT_EID_PROFILES)
def test_a_card_without_the_applet_is_not_an_eid(profile: str) -> None:
    with pytest.raises(NotAnEidError):
        read_card_files(CardOnWire(VirtualBelpicCard(profile)))


@pytest.mark.parametrize("end_of_file", ["6c", "short"])
@pytest.mark.parametrize("chunk", [252, 248, 200])
def test_end_of_file_by_6c_or_short_answer(end_of_file: str, chunk: int) -> None:
    card = plain_card("be-adult-rsa-17", end_of_file=end_of_file)
    files, _ = read_card_files(CardOnWire(card), options=BelpicOptions(chunk=chunk))
    assert_files_match(files, card)
    log = card.apdu_log
    resent_with_exact_le = [
        (a, b)
        for a, b in itertools.pairwise(log)
        if a[1] == b[1] == 0xB0 and a[2:4] == b[2:4] and a[4] != b[4]
    ]
    assert bool(resent_with_exact_le) == (end_of_file == "6c")


def test_wrong_le_on_get_card_data_is_resent_with_the_card_s_length() -> None:
    card = VirtualBelpicCard("be-adult-ec-18")
    belpic = BelpicCard(CardOnWire(card))
    data, sw = belpic.exchange(bytes.fromhex("80E4000010"))
    assert sw == apdu.SW_OK
    assert data == card.image.card_data
    assert card.apdu_log[-1] == bytes.fromhex("80E400001C")


@pytest.mark.parametrize("profile", ["be-adult-ec-18", "be-adult-rsa-17"])
def test_t0_get_response_gives_the_same_files(profile: str) -> None:
    card = plain_card(profile, t0_get_response=True)
    files, count = read_card_files(CardOnWire(card))
    assert_files_match(files, card)
    assert any(a[:2] == b"\x00\xc0" for a in card.apdu_log)
    _plain, plain_count = read_card_files(CardOnWire(VirtualBelpicCard(profile)))
    assert count > plain_count


@pytest.mark.parametrize("sw", [0x6B00, 0x6986])
@pytest.mark.parametrize("at", [1, 2, 3])
def test_spurious_mid_file_error_is_retried_not_taken_for_eof(sw: int, at: int) -> None:
    # With the root certificate there are three mid-file reads (two of them in it).
    card = plain_card("be-adult-ec-18", spurious_read_error_at=at, spurious_sw=sw)
    files, _ = read_card_files(CardOnWire(card), options=BelpicOptions(root_certificate=True))
    assert card.faults.spurious_fired
    assert_files_match(files, card, root=True)


def test_real_end_of_file_at_a_chunk_boundary_is_eof_after_bounded_retries() -> None:
    # RSA signature files are 256 bytes: with 256-byte chunks the end shows as
    # 6B00 at the boundary, which must end the file (not loop, not fail).
    card = VirtualBelpicCard("be-adult-rsa-17")
    signature = card.image.files[simfiles.IDENTITY_SIGNATURE]
    assert len(signature) == 256, "precondition: an RSA-2048 signature file"
    options = BelpicOptions(chunk=256, read_retries=2)
    belpic = BelpicCard(CardOnWire(card), options)
    assert belpic.read_binary_file(apdu.PATH_IDENTITY_SIGNATURE) == signature
    past_end = apdu.read_binary(256, 256)
    assert card.apdu_log.count(past_end) == 1 + options.read_retries


def test_rsa_signatures_are_read_with_the_key_length() -> None:
    card = VirtualBelpicCard("be-adult-rsa-17")
    files, _ = read_card_files(CardOnWire(card), options=BelpicOptions(chunk=256))
    assert_files_match(files, card)
    for path in (apdu.PATH_IDENTITY_SIGNATURE, apdu.PATH_ADDRESS_SIGNATURE):
        # one READ BINARY of the whole file, no probing past its end
        assert commands_after_select(card.apdu_log, path) == [apdu.read_binary(0, 256)]


def commands_after_select(log: list[bytes], path: bytes) -> list[bytes]:
    """The APDUs sent between SELECT FILE ``path`` and the next SELECT."""
    start = log.index(apdu.select_file_by_path(path)) + 1
    end = next((i for i in range(start, len(log)) if log[i][1] == 0xA4), len(log))
    return log[start:end]


def test_certificates_are_read_without_their_padding() -> None:
    card = VirtualBelpicCard("be-adult-ec-18")
    files, _ = read_card_files(CardOnWire(card))
    padded = card.image.files[simfiles.RRN_CERT]
    assert files.rrn_certificate is not None
    assert len(files.rrn_certificate) < len(padded)
    assert padded.startswith(files.rrn_certificate)
    assert not any(padded[len(files.rrn_certificate) :])
    with_root, _ = read_card_files(CardOnWire(card), options=BelpicOptions(root_certificate=True))
    root_padded = card.image.files[simfiles.ROOT_CERT]
    assert with_root.root_certificate is not None
    assert len(with_root.root_certificate) < len(root_padded)
    assert root_padded.startswith(with_root.root_certificate)


def test_the_root_certificate_is_not_read_unless_asked() -> None:
    """Verification never uses the card's root certificate (the trust store holds the
    roots): a default reading leaves it out and saves its SELECT and READs."""
    card = VirtualBelpicCard("be-adult-rsa-17")
    files, count = read_card_files(CardOnWire(card))
    assert files.root_certificate is None
    assert not any(c[1] == 0xA4 and c[-2:] == b"\x50\x3b" for c in card.apdu_log)
    _, with_root = read_card_files(
        CardOnWire(VirtualBelpicCard("be-adult-rsa-17")),
        options=BelpicOptions(root_certificate=True),
    )
    assert (count, with_root) == (14, 18)


def test_error_on_first_chunk_is_an_error() -> None:
    card = VirtualBelpicCard("be-adult-ec-18")
    belpic = BelpicCard(CardOnWire(card))
    belpic.select_applet()
    belpic.get_card_data()
    with pytest.raises(CardCommunicationError):
        # the MF itself cannot be read: no current EF
        belpic.read_binary_file(bytes.fromhex("3F00DF01"))


@pytest.mark.parametrize("after", [0, 1, 2, 5, 12, 15])
def test_card_removed_after_n_apdus_raises_card_removed(after: int) -> None:
    card = plain_card("be-adult-ec-18", remove_after_apdus=after)
    with pytest.raises(CardRemovedError) as info:
        read_card_files(CardOnWire(card))
    message = str(info.value)
    assert "\n" not in message
    assert load_profile("be-adult-ec-18").identity.national_number not in message  # type: ignore[union-attr]


@pytest.mark.parametrize("reset_at", [1, 4, 10, 16])  # 16: the last APDU of the read
def test_reset_mid_read_rereads_the_whole_card(reset_at: int) -> None:
    card = VirtualBelpicCard("be-adult-ec-18")
    wire = CardOnWire(card, reset_at=reset_at)
    files, count = read_card_files(wire)
    assert_files_match(files, card)
    assert wire.reconnects == 1
    assert wire.transactions == 2
    # the second pass started from GET CARD DATA again (the reset at the
    # first transmit swallowed the first one before it reached the card)
    assert card.apdu_log.count(apdu.get_card_data()) == (2 if reset_at > 1 else 1)
    assert count == wire.transmits


def test_resets_are_bounded() -> None:
    class AlwaysReset(CardOnWire):
        def transmit(self, command: bytes) -> tuple[bytes, int, int]:
            raise CardResetError("The card was reset by another program")

    wire = AlwaysReset(VirtualBelpicCard("be-adult-ec-18"))
    with pytest.raises(CardRemovedError):
        read_card_files(wire, options=BelpicOptions(reread_on_reset=3))
    assert wire.reconnects == 3


def test_slow_card_is_read_completely() -> None:
    card = plain_card("be-adult-rsa-17", delay_per_apdu=0.01)
    files, count = read_card_files(CardOnWire(card))
    assert_files_match(files, card)
    assert count >= 10


def test_endless_more_data_is_cut_off() -> None:
    class Chatty(CardOnWire):
        def transmit(self, command: bytes) -> tuple[bytes, int, int]:
            self.transmits += 1
            return b"\x00", 0x61, 0x01

    wire = Chatty(VirtualBelpicCard("be-adult-ec-18"))
    with pytest.raises(CardCommunicationError):
        BelpicCard(wire).exchange(apdu.get_card_data())
    assert wire.transmits < 100


def test_card_reset_error_lives_in_errors_and_is_re_exported() -> None:
    assert CardResetError is CardResetErrorFromErrors
    assert issubclass(CardResetError, CardRemovedError)


def test_a_reader_refusing_256_byte_answers_gets_252_byte_chunks() -> None:
    class SmallBuffer(CardOnWire):
        refused = 0

        def transmit(self, command: bytes) -> tuple[bytes, int, int]:
            if command[1] == 0xB0 and command[4] == 0x00:  # READ BINARY, Le=00 (256)
                self.transmits += 1
                self.refused += 1
                return b"", 0x67, 0x00
            return super().transmit(command)

    card = VirtualBelpicCard("be-adult-rsa-17")
    wire = SmallBuffer(card)
    files, count = read_card_files(wire)
    assert_files_match(files, card)
    assert wire.refused == 1  # once refused, never asked again
    assert count == wire.transmits
    assert apdu.read_binary(0, 252) in card.apdu_log


def test_a_reader_failing_256_byte_transmits_gets_252_byte_chunks() -> None:
    class ShortBuffer(CardOnWire):
        failed = 0

        def transmit(self, command: bytes) -> tuple[bytes, int, int]:
            if command[1] == 0xB0 and command[4] == 0x00:
                self.transmits += 1
                self.failed += 1
                raise CardCommunicationError("The card reader reported an error (0x80100008)")
            return super().transmit(command)

    card = VirtualBelpicCard("be-adult-ec-18")
    wire = ShortBuffer(card)
    files, _ = read_card_files(wire, photo=True)
    assert_files_match(files, card)
    assert files.photo == card.image.files[simfiles.PHOTO]
    assert wire.failed == 1


def card_with_files(profile: str, **changes: bytes) -> VirtualBelpicCard:
    """``profile``'s card with some files replaced (keys: names in ``simulator.files``)."""
    image = VirtualBelpicCard(profile).image
    files = dict(image.files)
    for name, content in changes.items():
        files[getattr(simfiles, name.upper())] = content
    return VirtualBelpicCard(dataclasses.replace(image, files=files))


def verdict_of(files: CardFiles) -> Verdict:
    reading = reading_from_files(
        files, trust=load_trust(test_roots=True), today=dt.date(2026, 1, 1), test_mode=True
    )
    return reading.verification.verdict


@pytest.mark.parametrize("profile", ["be-adult-rsa-17", "be-adult-ec-18"])
@pytest.mark.parametrize("size_change", [-9, +20])
def test_an_address_file_of_another_size_is_still_read_whole(
    profile: str, size_change: int
) -> None:
    # The usual size (117 / 121) is only a first Le: a shorter file answers 6C, and
    # content running past the usual size (no padding inside it) is read on.
    address = VirtualBelpicCard(profile).image.files[simfiles.ADDRESS]
    content = address.rstrip(b"\x00")
    if size_change < 0:
        changed = content + bytes(len(address) + size_change - len(content))
    else:  # a longer street: the TLV itself runs past the usual size
        changed = bytes([content[0], content[1] + len(address) + size_change - len(content)])
        changed += content[2:] + b"x" * (len(address) + size_change - len(content))
    card = card_with_files(profile, address=changed)
    files, _ = read_card_files(CardOnWire(card))
    assert files.address == changed


def test_padding_past_the_usual_sizes_is_not_needed_for_verification() -> None:
    # Longer zero padding than the usual sizes: the content (TLV, DER signature,
    # hashed key) is complete within the usual size, so reading stops there and
    # every check still passes.
    image = VirtualBelpicCard("be-adult-ec-18").image.files
    padded = {
        "address": image[simfiles.ADDRESS] + bytes(11),
        "identity_signature": image[simfiles.IDENTITY_SIGNATURE] + bytes(24),
        "address_signature": image[simfiles.ADDRESS_SIGNATURE] + bytes(24),
    }
    card = card_with_files("be-adult-ec-18", **padded)
    files, _ = read_card_files(CardOnWire(card))
    for name, content in padded.items():
        assert content.startswith(getattr(files, name)), name
        assert not any(content[len(getattr(files, name)) :]), name
    assert verdict_of(files) is Verdict.AUTHENTIC


def test_a_padded_basic_key_file_is_read_whole_unless_the_hash_vouches_for_less() -> None:
    key = VirtualBelpicCard("be-adult-ec-18").image.files[simfiles.BASIC_PUBLIC_KEY]
    card = card_with_files("be-adult-ec-18", basic_public_key=key + bytes(8))
    files, _ = read_card_files(CardOnWire(card))
    assert files.basic_public_key == key  # tag 1A hashes exactly these 120 bytes
    assert verdict_of(files) is Verdict.AUTHENTIC
    other = bytes(range(130))  # not what tag 1A hashes: read whole, then found wrong
    card = card_with_files("be-adult-ec-18", basic_public_key=other)
    files, _ = read_card_files(CardOnWire(card))
    assert files.basic_public_key == other
    assert verdict_of(files) is Verdict.NOT_AUTHENTIC


@pytest.mark.parametrize("profile", ["be-adult-rsa-17", "be-adult-ec-18"])
def test_guessing_saves_apdus_and_reads_the_same_files(profile: str) -> None:
    plain = VirtualBelpicCard(profile)
    guessed_files, guessed = read_card_files(CardOnWire(plain))
    card = VirtualBelpicCard(profile)
    files, unguessed = read_card_files(CardOnWire(card), options=BelpicOptions(guess_lengths=False))
    assert files == guessed_files
    assert guessed < unguessed


# --- PC/SC return codes and pyscard exceptions → cardreader.errors (no pcscd needed) ---


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (0x8010001D, ServiceUnavailableError),
        (0x8010001E, ServiceUnavailableError),
        (0x80100013, NoReaderError),
        (0x80100009, NoReaderError),
        (0x80100069, CardRemovedError),
        (0x80100016, CardRemovedError),
        (0x80100068, CardResetError),
        (0x8010000C, NoCardError),
        (0x80100066, CardCommunicationError),
        (0x80100001, CardCommunicationError),
    ],
)
def test_pcsc_return_codes_map_to_card_errors(
    code: int, expected: type[Exception], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transport, "service_answers", lambda: True)
    for hresult in (code, code - (1 << 32)):  # pyscard hands them over signed or unsigned
        err = pcsc_error(hresult, "talking to the card")
        assert type(err) is expected
        assert f"0x{code:08X}" in str(err) and "\n" not in str(err)


@pytest.mark.parametrize(
    ("service_up", "expected"), [(True, NoReaderError), (False, ServiceUnavailableError)]
)
def test_communication_error_is_told_apart_by_asking_the_service(
    service_up: bool, expected: type[Exception], monkeypatch: pytest.MonkeyPatch
) -> None:
    """0x80100013 is a reader unplugged, or pcscd dead under the call: the service decides."""
    monkeypatch.setattr(transport, "service_answers", lambda: service_up)
    assert type(pcsc_error(0x80100013, "reading")) is expected


def test_service_answers_is_false_without_a_service(tmp_path: Path) -> None:
    """Really asked (no stand-in): libpcsclite pointed at a socket nobody listens on."""
    script = "from cardreader.transport import service_answers; print(service_answers())"
    env = {**os.environ, "PCSCLITE_CSOCK_NAME": str(tmp_path / "no-pcscd.comm")}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.strip() == "False", out.stderr


def test_pyscard_exceptions_map_to_card_errors() -> None:
    cases: list[tuple[Exception, type[CardReaderError]]] = [
        (EstablishContextException(0x8010001D - (1 << 32)), ServiceUnavailableError),
        (CardConnectionException("gone", hresult=0x80100069 - (1 << 32)), CardRemovedError),
        (NoCardException("no card", hresult=-1), NoCardError),
    ]
    for exc, expected in cases:
        assert type(pyscard_error(exc, "reading")) is expected


@pytest.mark.parametrize("with_key", [True, False])
def test_a_card_claiming_an_older_applet_still_proves_its_basic_key(with_key: bool) -> None:
    """GET CARD DATA is not signed; the identity file's basic-key hash (tag 1A) is.

    A 1.8 card that claims applet 1.7 is still asked for its basic key, and without a
    key matching the hash it cannot be called authentic.
    """
    genuine = VirtualBelpicCard("be-adult-ec-18").image
    claimed = bytearray(genuine.card_data)
    claimed[APPLET_VERSION_INDEX] = 0x17
    files = dict(genuine.files)
    if not with_key:
        del files[simfiles.BASIC_PUBLIC_KEY]
    card = VirtualBelpicCard(dataclasses.replace(genuine, card_data=bytes(claimed), files=files))
    read, _ = read_card_files(SimulatedReader(card), options=BelpicOptions(root_certificate=False))
    reading = reading_from_files(read, test_mode=True)
    if with_key:
        assert read.basic_public_key == genuine.files[simfiles.BASIC_PUBLIC_KEY]
        assert reading.verification.basic_key_hash.status is CheckStatus.VALID
        assert reading.verification.verdict is Verdict.AUTHENTIC
    else:
        assert reading.verification.basic_key_hash.status is CheckStatus.NOT_CHECKED
        assert reading.verification.verdict is Verdict.NOT_VERIFIABLE
