"""One card reading, start to finish: files → parsed models → verification → ``EidReading``.

The same function serves a real reader and the simulator, so the simulator
tests the exact path a clerk's card takes. Verification never raises: a card
whose signatures do not match still yields a reading, with a verdict that says
so; only an unusable national number stops the reading, because everything
downstream (sources, log) is keyed on it.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from cardreader.belpic import BelpicOptions, read_card_files
from cardreader.connection import CardConnection
from cardreader.errors import CardDataError
from cardreader.insz import validate_insz
from cardreader.integrity import verify
from cardreader.models import Address, CardData, CardFiles, CheckResult, EidReading
from cardreader.parse import parse_address, parse_card_data, parse_identity
from cardreader.trust import TrustStore


class CachingTrustStore(TrustStore):
    """A trust store that remembers chain checks of RRN certificates it has seen.

    Every card signed in the same period carries the same national-register
    certificate, so a counter checks one certificate against its root over and
    over (an ECDSA P-384 verification, about 1 ms). The answer depends only on
    the certificate's exact bytes, the roots (fixed per store) and the day, so
    it is cached under exactly those: a different certificate is checked anew.
    """

    _CACHE_SIZE = 64

    def __init__(
        self,
        roots: Iterable[x509.Certificate],
        *,
        test_roots: Iterable[x509.Certificate] = (),
    ) -> None:
        super().__init__(roots, test_roots=test_roots)
        self._checked: OrderedDict[tuple[bytes, dt.date], CheckResult] = OrderedDict()
        self._lock = threading.Lock()

    def check_issued(self, cert: x509.Certificate, *, today: dt.date) -> CheckResult:
        key = (cert.public_bytes(serialization.Encoding.DER), today)
        with self._lock:
            if key in self._checked:
                self._checked.move_to_end(key)
                return self._checked[key]
        result = super().check_issued(cert, today=today)
        with self._lock:
            self._checked[key] = result
            while len(self._checked) > self._CACHE_SIZE:
                self._checked.popitem(last=False)
        return result


def load_trust(
    *,
    test_roots: bool,
    production_roots_dir: Path | None = None,
    test_roots_dir: Path | None = None,
) -> TrustStore:
    """The production Belgian roots, plus test roots only when asked (a caching store).

    Without ``production_roots_dir``: the roots shipped in ``resources/trust`` (the
    simulator's test root when ``test_roots``). With it: ``TrustStore.load`` on the
    given directories (``test_roots_dir`` None = no test roots; a test root outside
    test mode is refused).
    """
    if production_roots_dir is None:
        return CachingTrustStore.default(test_mode=test_roots)
    return CachingTrustStore.load(production_roots_dir, test_roots_dir, test_mode=test_roots)


def read_eid(
    connection: CardConnection,
    *,
    photo: bool = False,
    trust: TrustStore | None = None,
    today: dt.date | None = None,
    test_mode: bool = False,
    options: BelpicOptions | None = None,
) -> EidReading:
    """Read, parse and verify the eID on ``connection`` (which stays connected).

    ``test_mode`` accepts MAGDA-style test national numbers (month + 60) and,
    when no ``trust`` is given, trusts the test roots; outside test mode such a
    number raises ``InvalidNationalNumberError``.
    """
    files, apdu_count = read_card_files(connection, photo=photo, options=options)
    return reading_from_files(
        files,
        trust=trust,
        today=today,
        test_mode=test_mode,
        reader=connection.reader_name,
        apdu_count=apdu_count,
    )


def reading_from_files(
    files: CardFiles,
    *,
    trust: TrustStore | None = None,
    today: dt.date | None = None,
    test_mode: bool = False,
    reader: str = "",
    apdu_count: int = 0,
) -> EidReading:
    """Parse and verify files already read (from a card or from dump files)."""
    identity = parse_identity(files.identity)
    validate_insz(identity.national_number, test_mode=test_mode)
    address: Address | None = parse_address(files.address) if files.address else None
    card_data: CardData | None = None
    if files.card_data is not None:
        try:
            card_data = parse_card_data(files.card_data)
        except CardDataError:
            card_data = None  # verification reports what it cannot check
    store = trust if trust is not None else load_trust(test_roots=test_mode)
    verification = verify(files, card_data, trust=store, today=today or dt.date.today())
    return EidReading(
        files=files,
        card_data=card_data,
        identity=identity,
        address=address,
        verification=verification,
        reader=reader,
        apdu_count=apdu_count,
    )
