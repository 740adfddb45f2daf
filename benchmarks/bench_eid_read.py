"""How long does reading and verifying an eID take through the real PC/SC stack?

pyscard → pcscd → vpcd → the simulator, served from a process of its own as a
card in a hardware reader would be: its Python work does not share this
interpreter with the reading (``--card-in-thread`` serves it from a thread of
this process instead, as the tests do; that adds ~60 us to every APDU and makes
the figures noisier, for both sides alike).
Ours: find the eID among the readers, read card data, identity, address, both
signatures and the RRN certificate (and the basic key on 1.8), parse and verify:
the default reading, as the counter application does it.
Theirs: the PyPI package ``pythonbeid`` reading identity and address of the
same virtual card in the same reader, without any verification. Both are timed
end to end, from connecting to the card until the data is in hand, alternated
(A B, B A, ...) after a warm-up, each from the same (powered) card state.

    .venv/bin/python benchmarks/bench_eid_read.py [--runs 50] [--profile NAME]

Starts pcscd (without debug logging) when it is not running, and stops it again.
"""

from __future__ import annotations

import argparse
import multiprocessing
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from smartcard import scard  # noqa: E402

from cardreader import apdu  # noqa: E402
from cardreader.readers import open_eid  # noqa: E402
from cardreader.reading import load_trust, read_eid  # noqa: E402
from cardreader.simulator.card import VirtualBelpicCard  # noqa: E402
from cardreader.simulator.profile import CardProfile, load_profile  # noqa: E402
from cardreader.simulator.vpcd import VpcdCardServer  # noqa: E402
from tests.pcsc.conftest import READER_0, wait_for_reader  # noqa: E402
from tests.pcsc.pcscd_process import PID_FILE, Pcscd  # noqa: E402

GOAL_MS = 60.0


_DUTCH_TO_FRENCH_MONTH = {
    "FEB": "FEV", "MAAR": "MARS", "APR": "AVR", "MEI": "MAI", "JUN": "JUIN",
    "JUL": "JUIL", "AUG": "AOUT", "OKT": "OCT",
}  # fmt: skip


def pythonbeid_friendly(name: str) -> CardProfile:
    """The profile as a French-language card with a third given-name initial.

    pythonbeid's parser takes the first 13 TLV fields by position (so a missing
    optional tag such as 09 shifts everything) and knows French month names
    only. Both changes keep the card authentic: the simulator signs what it holds.
    """
    profile = load_profile(name)
    identity = profile.identity
    if identity is None:
        return profile
    day, month, year = [*identity.birth_date.split(), "", "", ""][:3]
    birth = f"{day} {_DUTCH_TO_FRENCH_MONTH.get(month, month)} {year}"
    update = {"birth_date": birth, "third_initial": identity.third_initial or "J"}
    return profile.model_copy(update={"identity": identity.model_copy(update=update)})


# What ours reads for a verified reading (besides GET CARD DATA), as pythonbeid paths.
_SAME_FILES = [
    list(path)
    for path in (
        apdu.PATH_IDENTITY,
        apdu.PATH_RRN_CERTIFICATE,
        apdu.PATH_IDENTITY_SIGNATURE,
        apdu.PATH_ADDRESS,
        apdu.PATH_ADDRESS_SIGNATURE,
    )
]


def pythonbeid_read_file(reader: Any, path: list[int]) -> list[int]:
    """One whole file through pythonbeid's own commands, the way its photo reader loops.

    Its photo loop has no answer to a file that ends on a 256-byte boundary (the
    card says 6B00, its transmit raises): that is taken as the end of the file.
    """
    from pythonbeid.exceptions import APDUError  # type: ignore[import-untyped]

    reader._select_file(path)
    content: list[int] = []
    offset_high = 0
    while True:
        try:
            data, sw1, _sw2 = reader._read_binary(offset_high, 0x00, 0x00)
        except APDUError:
            return content
        if sw1 != 0x90:
            return content
        content.extend(data)
        if len(data) < 256:
            return content
        offset_high += 1


def serve_card(profile: str, ready: Any) -> None:
    """Child process: keep the (pythonbeid-friendly) card inserted until terminated."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # run the ``finally`` below
    server = VpcdCardServer(VirtualBelpicCard(pythonbeid_friendly(profile))).start()
    ready.set()
    try:
        while True:
            time.sleep(1.0)
    finally:
        server.stop()


class CardProcess:
    """The virtual card served from its own process (see the module docstring)."""

    def __init__(self, profile: str) -> None:
        context = multiprocessing.get_context("spawn")
        ready = context.Event()
        self.process = context.Process(
            target=serve_card, args=(profile, ready), name="vpcd-card", daemon=True
        )
        self.process.start()
        if not ready.wait(30.0):
            self.stop()
            raise RuntimeError("the card process did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(5.0)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))
    return ordered[index]


def timed_interleaved(
    actions: list[Callable[[], object]],
    runs: int,
    warmup: int,
    settle: Callable[[], object] = lambda: None,
) -> list[list[float]]:
    """Run the actions in turn, ``runs`` times each: load on the machine hits both alike.

    The order alternates (A B, B A, ...) so that neither side always runs right
    after the other, and ``settle`` (untimed) runs before every timed action so
    that each starts from the same card state.
    """
    for _ in range(warmup):
        for action in actions:
            settle()
            action()
    times: list[list[float]] = [[] for _ in actions]
    order = list(range(len(actions)))
    for run in range(runs):
        for index in order if run % 2 == 0 else order[::-1]:
            settle()
            start = time.perf_counter()
            actions[index]()
            times[index].append((time.perf_counter() - start) * 1000)
    return times


def spread(times: list[float]) -> str:
    return (
        f"  median {statistics.median(times):.1f} ms   p95 {percentile(times, 0.95):.1f} ms"
        f"   min {min(times):.1f} ms"
    )


def ratios(ours: list[float], theirs: list[float]) -> str:
    """Ratio of the medians, and the median of run-by-run ratios (pairs ran back to back,
    so this one is steadier when the machine's load drifts)."""
    paired = statistics.median(a / b for a, b in zip(ours, theirs, strict=True))
    median = statistics.median(ours) / statistics.median(theirs)
    return f"  ratio ours/theirs: {median:.2f}   paired: {paired:.2f}"


def count_pythonbeid_apdus(reader_class: Any, action: Callable[[], object]) -> int:
    """How many APDUs ``action`` sends through pythonbeid (one untimed run)."""
    sent = 0
    original = reader_class._send_apdu

    def counting(self: Any, command: list[int]) -> Any:
        nonlocal sent
        sent += 1
        return original(self, command)

    reader_class._send_apdu = counting
    try:
        action()
    finally:
        reader_class._send_apdu = original
    return sent


def pcscd_logs_apdus() -> bool:
    """True when the pcscd we reuse was started with debug or APDU logging (tests do that)."""
    try:
        pid = int(PID_FILE.read_text().strip("\x00\n "))
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\x00")
    except (OSError, ValueError):
        return False
    return any(arg in (b"--debug", b"-d", b"--apdu", b"-a") for arg in args)


class PoweredCard:
    """Puts the card back in the state pcscd leaves a freshly inserted card in: powered.

    pyscard's object layer (so pythonbeid) disconnects with SCARD_UNPOWER_CARD,
    we disconnect with SCARD_LEAVE_CARD: without this, whoever runs after
    pythonbeid pays the card's power-up (a cold reset through vpcd) in its own
    time. Untimed, before every timed read, for both sides alike.
    """

    def __init__(self, reader: str) -> None:
        self.reader = reader
        hresult, self.context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hresult != scard.SCARD_S_SUCCESS:
            raise RuntimeError("no PC/SC context for the benchmark")

    def __call__(self) -> None:
        hresult, card, _protocol = scard.SCardConnect(
            self.context, self.reader, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_T0
        )
        if hresult == scard.SCARD_S_SUCCESS:
            scard.SCardDisconnect(card, scard.SCARD_LEAVE_CARD)

    def transmit_cost(self, runs: int) -> tuple[float, float]:
        """Median microseconds of one APDU through pcscd + vpcd: a short answer
        (GET CARD DATA, 28 bytes) and a long one (READ BINARY of 256 bytes)."""
        hresult, card, protocol = scard.SCardConnect(
            self.context, self.reader, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_T0
        )
        if hresult != scard.SCARD_S_SUCCESS:
            raise RuntimeError("cannot connect to the benchmark card")

        def median_us(command: bytes) -> float:
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                scard.SCardTransmit(card, protocol, list(command))
                times.append((time.perf_counter() - start) * 1e6)
            return statistics.median(times)

        try:
            short = median_us(apdu.get_card_data())
            scard.SCardTransmit(card, protocol, list(apdu.select_file_by_path(apdu.PATH_PHOTO)))
            long = median_us(apdu.read_binary(0, 256))
        finally:
            scard.SCardDisconnect(card, scard.SCARD_LEAVE_CARD)
        return short, long

    def close(self) -> None:
        scard.SCardReleaseContext(self.context)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--profile", default="be-adult-rsa-17")
    parser.add_argument(
        "--card-in-thread",
        action="store_true",
        help="serve the card from a thread of this process (as the tests do)",
    )
    args = parser.parse_args()

    trust = load_trust(test_roots=True)
    apdus: list[int] = []
    verdicts: set[str] = set()

    def ours() -> None:
        connection = open_eid()
        try:
            reading = read_eid(connection, trust=trust, test_mode=True)
        finally:
            connection.disconnect()
        apdus.append(reading.apdu_count)
        verdicts.add(reading.verification.verdict.value)

    from pythonbeid import CardReader  # type: ignore[import-untyped]
    from pythonbeid import card_reader as pythonbeid_module  # type: ignore[import-untyped]

    def theirs() -> None:
        with CardReader() as reader:  # reader 0: the card is served there
            reader.read_informations(photo=False)

    def theirs_same_files() -> None:
        # The same files a verified read needs, read by pythonbeid's own select and
        # READ BINARY code (its photo loop: 256-byte chunks until a short answer).
        with CardReader() as reader:
            for path in _SAME_FILES:
                pythonbeid_read_file(reader, path)

    def theirs_io_only() -> None:
        # pythonbeid's own card I/O (the same APDUs read_informations sends), without
        # its parser, which assumes tags 01-0D all present and French month names.
        with CardReader() as reader:
            reader._read_data(pythonbeid_module._FILE_ID)
            reader._read_data(pythonbeid_module._FILE_ADDRESS)

    daemon = Pcscd(Path(tempfile.gettempdir()) / "bench-pcscd.log", debug=False)
    daemon.ensure()
    if daemon.reused and pcscd_logs_apdus():
        print("warning: the running pcscd logs every APDU (--debug/--apdu): figures are inflated")
    server: VpcdCardServer | CardProcess
    if args.card_in_thread:
        server = VpcdCardServer(VirtualBelpicCard(pythonbeid_friendly(args.profile))).start()
    else:
        server = CardProcess(args.profile)
    try:
        wait_for_reader(READER_0, present=True)
        their_note = "identity + address only, no verification"
        their_action = theirs
        try:
            theirs()
        except ValueError as err:  # its parser; a result worth printing, not a crash
            print(f"pythonbeid cannot parse this card ({err}); timing its card I/O only")
            their_note = "its card I/O for identity + address, no parsing, no verification"
            their_action = theirs_io_only
        their_apdus = count_pythonbeid_apdus(CardReader, their_action)
        same_files_apdus = count_pythonbeid_apdus(CardReader, theirs_same_files)
        powered = PoweredCard(READER_0)
        try:
            our_ms, their_ms, same_ms = timed_interleaved(
                [ours, their_action, theirs_same_files], args.runs, args.warmup, settle=powered
            )
            short_us, long_us = powered.transmit_cost(runs=200)
        finally:
            powered.close()
    finally:
        server.stop()
        daemon.close()

    our_median = statistics.median(our_ms)
    print(f"profile:            {args.profile}")
    print(f"runs:               {args.runs} (after {args.warmup} warm-up), interleaved")
    where = "a thread of this process" if args.card_in_thread else "its own process"
    print(f"virtual card:       served to vpcd from {where}")
    print(
        f"one APDU round trip (raw SCardTransmit): {short_us:.0f} us with a 28-byte answer,"
        f" {long_us:.0f} us with 256 bytes (medians)"
    )
    print(f"ours:               {apdus[-1]} APDUs, verified ({', '.join(sorted(verdicts))})")
    print(spread(our_ms))
    print(f"pythonbeid:         {their_apdus} APDUs, {their_note}")
    print(spread(their_ms))
    print(ratios(our_ms, their_ms))
    print(f"pythonbeid, same files as ours: {same_files_apdus} APDUs, no verification")
    print(spread(same_ms))
    print(ratios(our_ms, same_ms))
    print(
        f"round trips alone, at least: ours {apdus[-1]} x {short_us:.0f} us ="
        f" {apdus[-1] * short_us / 1000:.1f} ms, pythonbeid {their_apdus} x {short_us:.0f} us ="
        f" {their_apdus * short_us / 1000:.1f} ms"
    )
    print(f"goal median <= {GOAL_MS:.0f} ms: {'met' if our_median <= GOAL_MS else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
