"""The BELPIC command layer: from a raw ``CardConnection`` to the card's files, as read.

Works on any ``CardConnection`` (pcscd, the in-process simulator, a test double)
so that every recovery path below is exercised without hardware. Recovery is
bounded everywhere: a flaky reader gets a few retries, never an endless loop,
and a card that changes under us (reset, pulled and re-inserted) is read again
from the start so that a reading is always one coherent snapshot of one card.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from cardreader import apdu
from cardreader.connection import CardConnection
from cardreader.errors import (
    ApduError,
    CardCommunicationError,
    CardDataError,
    CardReaderError,
    CardRemovedError,
    CardResetError,
    NotAnEidError,
)
from cardreader.models import CardFiles
from cardreader.tlv import parse_tlv

__all__ = [
    "BelpicCard",
    "BelpicOptions",
    "CardResetError",  # lives in cardreader.errors; re-exported for older imports
    "FileMissingError",
    "der_total_length",
    "read_card_files",
    "rsa_signature_length",
]

log = logging.getLogger(__name__)

CARD_DATA_LENGTH = 28
APPLET_VERSION_INDEX = 21  # 0-based byte of GET CARD DATA: 0x17 = 1.7, 0x18 = 1.8
MAX_GET_RESPONSES = 64  # 64 * 256 bytes: far more than any BELPIC answer
MAX_WRONG_LE_RESENDS = 2


class FileMissingError(ApduError):
    """SELECT FILE answered 'not found' even after re-selecting the applet."""


@dataclass(frozen=True)
class BelpicOptions:
    """Tuning knobs; the defaults follow eid-mw except where noted."""

    chunk: int = apdu.READ_CHUNK  # Le=00 (256): RSA-2048 signatures fit one READ BINARY
    fallback_chunk: int = apdu.FALLBACK_READ_CHUNK  # after a reader refuses ``chunk`` (6700)
    read_retries: int = 2  # extra attempts on a spurious 6B00 / 6986 before concluding EOF
    wrong_le_pause: float = 0.0  # seconds; old v1.0/v1.1 cards want 0.01-0.05
    reread_on_reset: int = 2  # whole-card re-reads after a reset before giving up
    # 503B, the root certificate on the card: verification never uses it (the trust
    # store holds the roots), and reading it costs four APDUs on every card.
    root_certificate: bool = False
    guess_lengths: bool = True  # ask files of a known usual size for exactly that size first


class BelpicCard:
    """Commands to one BELPIC applet; counts every APDU it sends (``apdu_count``)."""

    def __init__(self, connection: CardConnection, options: BelpicOptions | None = None) -> None:
        self.connection = connection
        self.options = options or BelpicOptions()
        self.apdu_count = 0
        self._chunk = self.options.chunk

    # --- transport with T=0 handling -------------------------------------------------
    def _transmit(self, command: bytes) -> tuple[bytes, int, int]:
        self.apdu_count += 1
        return self.connection.transmit(command)

    def exchange(self, command: bytes) -> tuple[bytes, int]:
        """Send ``command``; follow ``6C xx`` and ``61 xx``; return (all data, final SW)."""
        data, sw1, sw2 = self._transmit(command)
        resends = 0
        while sw1 == apdu.SW1_WRONG_LE and resends < MAX_WRONG_LE_RESENDS:
            resends += 1
            if self.options.wrong_le_pause:
                time.sleep(self.options.wrong_le_pause)
            data, sw1, sw2 = self._transmit(apdu.with_le(command, sw2))
        collected = bytearray(data)
        responses = 0
        while sw1 == apdu.SW1_MORE_DATA:
            responses += 1
            if responses > MAX_GET_RESPONSES:
                raise CardCommunicationError("The card keeps announcing more data (61xx loop)")
            data, sw1, sw2 = self._transmit(apdu.get_response(sw2))
            if sw1 == apdu.SW1_WRONG_LE:
                data, sw1, sw2 = self._transmit(apdu.get_response(sw2))
            collected += data
        return bytes(collected), apdu.sw_of(sw1, sw2)

    # --- applet -------------------------------------------------------------------
    def select_applet(self) -> None:
        """Select the BELPIC applet; any refusal means this is not a Belgian eID."""
        _, sw = self.exchange(apdu.select_applet())
        if sw != apdu.SW_OK:
            raise NotAnEidError(f"This card is not a Belgian eID (applet not found, SW {sw:04X})")

    def get_card_data(self) -> bytes:
        """The 28 bytes of GET CARD DATA; failure or a wrong length means not an eID."""
        data, sw = self.exchange(apdu.get_card_data())
        if sw in apdu.APPLET_LOST_SWS:
            self.select_applet()
            data, sw = self.exchange(apdu.get_card_data())
        if sw != apdu.SW_OK or len(data) != CARD_DATA_LENGTH:
            raise NotAnEidError(
                f"This card is not a Belgian eID (GET CARD DATA refused, SW {sw:04X})"
            )
        return data

    def card_data_of_selected_applet(self) -> bytes:
        """GET CARD DATA, selecting the applet first only when it is not selected.

        The applet is default-selected after a reset, so usually the first
        command already answers; any refusal leads to an explicit SELECT, whose
        failure means the card is not an eID.
        """
        data, sw = self.exchange(apdu.get_card_data())
        if sw == apdu.SW_OK and len(data) == CARD_DATA_LENGTH:
            return data
        self.select_applet()
        return self.get_card_data()

    # --- files --------------------------------------------------------------------
    def select_file(self, path: bytes) -> None:
        """SELECT FILE by path; re-selects the applet once if the card seems to have lost it."""
        _, sw = self.exchange(apdu.select_file_by_path(path))
        if sw in apdu.APPLET_LOST_SWS:
            self.select_applet()
            _, sw = self.exchange(apdu.select_file_by_path(path))
        if sw == apdu.SW_FILE_NOT_FOUND:
            raise FileMissingError(f"File {path.hex().upper()} not on the card", sw >> 8, sw & 0xFF)
        if sw != apdu.SW_OK:
            raise ApduError(f"Selecting file {path.hex().upper()} failed", sw >> 8, sw & 0xFF)

    def read_binary_file(
        self,
        path: bytes,
        *,
        der: bool = False,
        expected: int | None = None,
        guess: int | None = None,
        complete: Callable[[bytes], bool] | None = None,
    ) -> bytes:
        """Select ``path`` and read it to the end, chunk by chunk.

        End of file is a short answer, or ``6B00`` after the first chunk. Flaky
        readers also produce a spurious ``6B00``/``6986`` mid-file: the only way
        to tell it from a real end is to re-select and ask again, a bounded
        number of times; a real end keeps answering ``6B00``.

        Chunks are 256 bytes (Le=00); a reader that refuses that (``6700``, or a
        failed transmit) gets ``fallback_chunk`` (252, eid-mw's size) from then on.

        With ``der`` (zero-padded certificate files) the DER header in the first
        chunk gives the length: the rest is asked for with the exact Le, so no
        padding is transferred and no ``6C`` round trip is needed. Content that
        is not a DER SEQUENCE (an all-zero Kids-ID file) is read whole.

        ``expected`` is a length known beforehand (an RSA signature file is
        exactly as long as the key's modulus): asked for exactly, for the same
        reason; a card that holds less answers ``6C`` and is believed.

        ``guess`` is the file's usual size, not a certainty: the first READ asks
        for exactly that many bytes. A smaller file answers ``6C`` (or short) as
        always; an answer that fills the guess ends the file only when
        ``complete`` says so from the content itself (TLV padding reached, a
        whole DER element followed by zeros, a hash that matches), otherwise
        reading simply goes on. A guess that is too large costs nothing (the
        card answers ``6C`` as it would anyway); one that is too small costs a
        READ more, or the end-of-file probing when the file ends exactly there.
        """
        self.select_file(path)
        content = bytearray()
        total: int | None = expected
        guessing = total is None and guess is not None and guess > 0 and complete is not None
        retries_left = self.options.read_retries
        while True:
            offset = len(content)
            if total is not None and offset >= total:
                return bytes(content[:total])
            chunk = self._chunk
            if total is not None:
                want = min(chunk, total - offset)
            elif guessing and offset == 0:
                want = min(chunk, guess or chunk)
            else:
                want = chunk
            try:
                data, sw = self.exchange(apdu.read_binary(offset, want))
            except CardCommunicationError:
                # Some readers cannot carry a 258-byte answer and fail the transmit
                # itself: the card is fine, ask for smaller chunks (once).
                if want <= self.options.fallback_chunk:
                    raise
                self._chunk = self.options.fallback_chunk
                log.debug("a %d-byte READ BINARY failed: using %d", want, self._chunk)
                continue
            if sw == apdu.SW_OK:
                content += data
                retries_left = self.options.read_retries
                if der and offset == 0:
                    total = der_total_length(bytes(content))
                if len(data) < want or not data:
                    return bytes(content if total is None else content[:total])
                if guessing and offset == 0 and complete is not None and complete(bytes(content)):
                    return bytes(content)
                continue
            if sw == apdu.SW_WRONG_LENGTH and want > self.options.fallback_chunk:
                self._chunk = self.options.fallback_chunk
                log.debug("reader refused a %d-byte READ BINARY: using %d", want, self._chunk)
                continue
            if sw in (apdu.SW_OFFSET_BEYOND_EOF, apdu.SW_COMMAND_NOT_ALLOWED):
                if retries_left > 0:
                    retries_left -= 1
                    log.debug("SW %04X at offset %d: re-select and retry", sw, offset)
                    self.select_file(path)
                    continue
                if sw == apdu.SW_OFFSET_BEYOND_EOF and offset > 0:
                    return bytes(content)
            raise ApduError(
                f"Reading file {path.hex().upper()} failed at offset {offset}", sw >> 8, sw & 0xFF
            )

    def read_optional_file(
        self,
        path: bytes,
        *,
        certificate: bool = False,
        expected: int | None = None,
        guess: int | None = None,
        complete: Callable[[bytes], bool] | None = None,
    ) -> bytes | None:
        try:
            return self.read_binary_file(
                path, der=certificate, expected=expected, guess=guess, complete=complete
            )
        except FileMissingError:
            return None

    # --- the whole card -------------------------------------------------------------
    def read_files_once(self, *, photo: bool = False) -> CardFiles:
        """Every file the reading needs, in one pass (no reset handling here).

        The applet is default-selected after a reset, so the first command (GET
        CARD DATA) goes straight to it; only a refusal leads to an explicit
        applet SELECT. Files whose usual size follows from what was already
        read are asked for with that size (``read_binary_file``'s ``guess``),
        which saves the ``6C`` round trip per file without trusting the guess.
        """
        card_data = self.card_data_of_selected_applet()
        applet = card_data[APPLET_VERSION_INDEX]
        guesses = self.options.guess_lengths
        try:
            identity = self.read_binary_file(apdu.PATH_IDENTITY)
        except FileMissingError as err:
            raise NotAnEidError("This card has no eID identity file") from err
        # The RRN certificate first: its key tells how long the signature files are.
        rrn_certificate = self.read_optional_file(apdu.PATH_RRN_CERTIFICATE, certificate=True)
        sizes = signature_file_sizes(rrn_certificate)
        signature_guess = sizes.longest_der if guesses else None
        identity_signature = self.read_optional_file(
            apdu.PATH_IDENTITY_SIGNATURE,
            expected=sizes.exact,
            guess=signature_guess,
            complete=der_then_zeros,
        )
        address = self.read_optional_file(
            apdu.PATH_ADDRESS,
            guess=ADDRESS_FILE_SIZE.get(applet) if guesses else None,
            complete=tlv_then_padding,
        )
        address_signature = self.read_optional_file(
            apdu.PATH_ADDRESS_SIGNATURE,
            expected=sizes.exact,
            guess=signature_guess,
            complete=der_then_zeros,
        )
        root_certificate = None
        if self.options.root_certificate:
            root_certificate = self.read_optional_file(apdu.PATH_ROOT_CERTIFICATE, certificate=True)
        basic_public_key = None
        key_hash = basic_key_hash(identity)
        if applet >= 0x18 or key_hash is not None:  # the signed identity decides too
            key_hash = key_hash if guesses else None
            basic_public_key = self.read_optional_file(
                apdu.PATH_BASIC_PUBLIC_KEY,
                guess=BASIC_PUBLIC_KEY_SIZE if key_hash else None,
                complete=lambda data: hashlib.sha384(data).digest() == key_hash,
            )
        photo_file = self.read_optional_file(apdu.PATH_PHOTO) if photo else None
        return CardFiles(
            atr=self.connection.atr,
            card_data=card_data,
            identity=identity,
            identity_signature=identity_signature,
            address=address,
            address_signature=address_signature,
            rrn_certificate=rrn_certificate,
            root_certificate=root_certificate,
            basic_public_key=basic_public_key,
            photo=photo_file,
        )


# Usual sizes (eid-card.md): the address file is zero-padded to a size fixed per
# applet; the basic public key of applet 1.8 is a P-384 SubjectPublicKeyInfo, 120
# bytes of DER. A guess is only ever a first Le: see ``read_binary_file``.
ADDRESS_FILE_SIZE: Final[Mapping[int, int]] = MappingProxyType({0x17: 117, 0x18: 121})
BASIC_PUBLIC_KEY_SIZE: Final = 120
_TAG_BASIC_KEY_HASH: Final = 0x1A


@dataclass(frozen=True)
class SignatureFileSizes:
    """What the RRN key tells about the signature files before they are read."""

    exact: int | None = None  # RSA: a signature is exactly as long as the modulus
    longest_der: int | None = None  # EC: the longest DER ECDSA signature of the curve


def signature_file_sizes(certificate: bytes | None) -> SignatureFileSizes:
    """Signature file sizes implied by the key of the RRN ``certificate`` (unknown: empty)."""
    if not certificate or der_total_length(certificate) is None:
        return SignatureFileSizes()
    try:
        key = parse_certificate(certificate).public_key()
    except (ValueError, UnsupportedAlgorithm):
        return SignatureFileSizes()
    if isinstance(key, rsa.RSAPublicKey) and key.key_size % 8 == 0 and key.key_size <= 2048:
        return SignatureFileSizes(exact=key.key_size // 8)
    if isinstance(key, ec.EllipticCurvePublicKey):
        return SignatureFileSizes(longest_der=longest_ecdsa_der(key.curve.key_size))
    return SignatureFileSizes()


def rsa_signature_length(certificate: bytes | None) -> int | None:
    """Byte length of signatures made with the RSA key of ``certificate``; None otherwise."""
    return signature_file_sizes(certificate).exact


def longest_ecdsa_der(key_bits: int) -> int:
    """Longest DER ``SEQUENCE { INTEGER r, INTEGER s }`` on a ``key_bits`` curve (P-384: 104)."""
    integer = 2 + (key_bits + 7) // 8 + 1  # header, value, and a 00 when the top bit is set
    content = 2 * integer
    return content + (2 if content < 0x80 else 3)


@functools.lru_cache(maxsize=16)
def parse_certificate(der: bytes) -> x509.Certificate:
    """The certificate at the start of ``der`` (padding ignored), cached on the exact bytes.

    Every card of a period carries the same RRN certificate: parse it once.
    Raises ``ValueError`` for bytes that are no certificate (not cached).
    """
    length = der_total_length(der)
    return x509.load_der_x509_certificate(der if length is None else der[:length])


def der_then_zeros(data: bytes) -> bool:
    """True when ``data`` is one whole DER SEQUENCE followed by zero padding only."""
    length = der_total_length(data)
    return length is not None and length <= len(data) and not any(data[length:])


def tlv_then_padding(data: bytes) -> bool:
    """True when the BELPIC TLV in ``data`` ends in zero padding inside ``data``.

    That is: walking the TLV from the start reaches a 00 tag (after the first
    position) and every byte from there on is zero, so nothing past ``data``
    can belong to the file's content.
    """
    pos, end = 0, len(data)
    while pos < end:
        if data[pos] == 0x00 and pos > 0:
            return not any(data[pos:])
        pos += 1
        length = 0
        while True:
            if pos >= end:
                return False
            byte = data[pos]
            pos += 1
            length += byte
            if byte != 0xFF:
                break
        pos += length
    return False


def basic_key_hash(identity: bytes) -> bytes | None:
    """Tag 1A of the identity file (SHA-384 of the basic public key), if it parses."""
    try:
        value = parse_tlv(identity).get(_TAG_BASIC_KEY_HASH)
    except CardDataError:
        return None
    return value if value is not None and len(value) == 48 else None


def der_total_length(data: bytes) -> int | None:
    """Header + content length of the DER SEQUENCE at the start of ``data``, if it is one."""
    if len(data) < 2 or data[0] != 0x30:
        return None
    first = data[1]
    if first < 0x80:
        return 2 + first
    count = first & 0x7F
    if not 1 <= count <= 3 or len(data) < 2 + count:
        return None
    return 2 + count + int.from_bytes(data[2 : 2 + count], "big")


def read_card_files(
    connection: CardConnection, *, photo: bool = False, options: BelpicOptions | None = None
) -> tuple[CardFiles, int]:
    """Read all files inside one PC/SC transaction; returns (files, APDUs sent).

    On a reset or a broken transaction the card may still be there (another
    program reset it, or it was pulled and pushed back): reconnect and read
    everything again, a bounded number of times. If reconnecting fails, the
    card is gone and the caller gets ``CardRemovedError``.
    """
    card = BelpicCard(connection, options)
    attempts_left = card.options.reread_on_reset
    while True:
        try:
            connection.begin_transaction()
            try:
                files = card.read_files_once(photo=photo)
            finally:
                _end_quietly(connection)
            return files, card.apdu_count
        except CardRemovedError as err:
            if attempts_left <= 0:
                raise
            attempts_left -= 1
            try:
                connection.reconnect()
            except CardReaderError:
                raise err from None
            log.info("card reset during the read: reading it again")


def _end_quietly(connection: CardConnection) -> None:
    try:
        connection.end_transaction()
    except CardReaderError:
        log.debug("ending the transaction failed; the card is probably gone")
