"""``python -m cardreader``: list readers, read a card, parse dump files, serve a virtual card.

For support staff and scripts as much as for developers: the JSON keys are
stable, every failure is one line on stderr with a distinct exit code (see
``cardreader.errors``), and no path ends in a traceback. Simulated profiles are
fictitious people and imply test mode (test national numbers, test roots).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cardreader.connection import CardConnection
from cardreader.errors import CardDataError, CardReaderError, NoReaderError
from cardreader.models import CardFiles, CheckResult, EidReading

EXIT_USAGE = 2
EXIT_INTERNAL = 1
EXIT_INTERRUPTED = 130


def _check(result: CheckResult) -> str:
    return result.status.value


def reading_to_json(reading: EidReading) -> dict[str, Any]:
    """The stable JSON shape of a reading (keys documented in the README)."""
    identity, address, ver = reading.identity, reading.address, reading.verification
    birth = identity.birth_date.date
    return {
        "national_number": identity.national_number,
        "surname": identity.surname,
        "given_names": identity.given_names,
        "third_initial": identity.third_initial,
        "birth_date": birth.isoformat() if birth else None,
        "birth_date_raw": identity.birth_date.raw,
        "birth_place": identity.birth_place,
        "sex": identity.sex.value,
        "nationality": identity.nationality,
        "document_type": identity.document_type.value,
        "document_type_code": identity.document_type_code,
        "card_number": identity.card_number,
        "validity_start": _iso(identity.validity_start),
        "validity_end": _iso(identity.validity_end),
        "issuing_municipality": identity.issuing_municipality,
        "special_status": identity.special_status,
        "address": (
            {
                "street_and_number": address.street_and_number,
                "postal_code": address.postal_code,
                "municipality": address.municipality,
            }
            if address
            else None
        ),
        "verification": {
            "identity_signature": _check(ver.identity_signature),
            "address_signature": _check(ver.address_signature),
            "photo_hash": _check(ver.photo_hash),
            "basic_key_hash": _check(ver.basic_key_hash),
            "rrn_chain": _check(ver.rrn_chain),
            "validity": ver.validity.value,
            "life_cycle": ver.life_cycle.value,
            "verdict": ver.verdict.value,
            "reasons": list(ver.reasons),
        },
        "applet_version": (
            f"{reading.card_data.applet_version >> 4}.{reading.card_data.applet_version & 0xF}"
            if reading.card_data
            else None
        ),
        # Tags this version does not know (future cards), kept raw: tag and value in hex.
        "unknown_tags": {
            f"{tag:02X}": value.hex().upper() for tag, value in identity.unknown_tags.items()
        },
        "address_unknown_tags": (
            {f"{tag:02X}": value.hex().upper() for tag, value in address.unknown_tags.items()}
            if address
            else {}
        ),
        "photo_bytes": len(reading.files.photo) if reading.files.photo else None,
        "reader": reading.reader,
        "apdu_count": reading.apdu_count,
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def reading_to_text(reading: EidReading) -> str:
    """A short human-readable summary, verdict first because that is what matters."""
    data = reading_to_json(reading)
    ver = data["verification"]
    lines = [
        f"Verdict:          {ver['verdict']}",
        f"National number:  {data['national_number']}",
        f"Name:             {data['given_names']} {data['surname']}",
        f"Born:             {data['birth_date'] or data['birth_date_raw']}",
        f"Sex:              {data['sex']}",
        f"Nationality:      {data['nationality']}",
        f"Document:         {data['document_type']} no. {data['card_number']}",
        f"Valid:            {data['validity_start']} to {data['validity_end']} ({ver['validity']})",
    ]
    if ver["life_cycle"] == "not_personalised":
        lines.append("Card state:       NOT ACTIVATED (not personalised)")
    if data["unknown_tags"]:
        lines.append(f"Unknown tags:     {', '.join(data['unknown_tags'])} (kept raw)")
    if data["address"]:
        a = data["address"]
        lines.append(
            f"Address:          {a['street_and_number']}, {a['postal_code']} {a['municipality']}"
        )
    lines.append(
        "Checks:           "
        + ", ".join(
            f"{k.replace('_', ' ')} {ver[k].replace('_', ' ')}"
            for k in (
                "identity_signature",
                "address_signature",
                "photo_hash",
                "basic_key_hash",
                "rrn_chain",
            )
        )
    )
    lines += [f"  - {reason}" for reason in ver["reasons"]]
    if reading.reader:
        lines.append(f"Reader:           {reading.reader} ({reading.apdu_count} APDUs)")
    return "\n".join(lines)


# --- commands ------------------------------------------------------------------------


def _cmd_readers(args: argparse.Namespace) -> int:
    from cardreader.readers import list_readers

    infos = list_readers()
    if not infos:  # an error like any other: one line on stderr, its own exit code
        raise NoReaderError("No smart-card reader is connected")
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "name": i.name,
                        "state": i.state.value,
                        "atr": i.atr.hex().upper(),
                        "detail": i.detail,
                    }
                    for i in infos
                ],
                indent=2,
            )
        )
    else:
        for i in infos:
            extra = f"  ATR {i.atr.hex(' ').upper()}" if i.atr else ""
            detail = f"  ({i.detail})" if i.detail and i.state.value == "unavailable" else ""
            print(f"{i.name}: {i.state.value.replace('_', ' ')}{extra}{detail}")
    return 0


def _print_reading(reading: EidReading, as_json: bool) -> None:
    if as_json:
        print(json.dumps(reading_to_json(reading), indent=2, ensure_ascii=False))
    else:
        print(reading_to_text(reading))


def _cmd_read(args: argparse.Namespace) -> int:
    from cardreader.reading import load_trust, read_eid

    connection: CardConnection
    if args.simulated:
        from cardreader.simulator.inprocess import SimulatedReader
        from cardreader.simulator.profile import load_profile

        connection = SimulatedReader(load_profile(args.simulated).name)
        test_mode = True
    else:
        from cardreader.readers import open_eid

        connection = open_eid(args.reader)
        test_mode = args.trust_test_roots
    try:
        reading = read_eid(
            connection,
            photo=args.photo,
            trust=load_trust(test_roots=test_mode),
            test_mode=test_mode,
        )
    finally:
        connection.disconnect()
    _print_reading(reading, args.json)
    return 0


def _read_dump(path: Path | None, what: str) -> bytes | None:
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise CardDataError(f"Cannot read the {what} file '{path}': {reason}") from None


def _rrn_certificate_dump(path: Path | None) -> bytes | None:
    """The certificate file as the card holds it: DER, or PEM converted to DER.

    A file that is neither is an unreadable input (exit code of ``CardDataError``),
    not evidence that the card was altered.
    """
    data = _read_dump(path, "RRN certificate")
    if data is None:
        return None
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    if data.lstrip().startswith(b"-----BEGIN"):
        try:
            return x509.load_pem_x509_certificate(data).public_bytes(Encoding.DER)
        except ValueError:
            raise CardDataError(f"The RRN certificate file '{path}' is not a certificate") from None
    if not any(data):
        return data  # a blank certificate file, as Kids-ID cards have: verification says so
    from cardreader.integrity import load_rrn_certificate

    try:
        load_rrn_certificate(data)  # as verification will read it: DER, zero padding allowed
    except CardDataError:
        raise CardDataError(f"The RRN certificate file '{path}' is not a certificate") from None
    return data


def _cmd_parse(args: argparse.Namespace) -> int:
    from cardreader.reading import load_trust, reading_from_files

    identity = _read_dump(args.identity, "identity")
    assert identity is not None
    files = CardFiles(
        identity=identity,
        identity_signature=_read_dump(args.identity_signature, "identity signature"),
        address=_read_dump(args.address, "address"),
        address_signature=_read_dump(args.address_signature, "address signature"),
        rrn_certificate=_rrn_certificate_dump(args.rrn_cert),
        photo=_read_dump(args.photo, "photo"),
        card_data=_read_dump(args.card_data, "card data"),
        basic_public_key=_read_dump(args.basic_key, "basic public key"),
    )
    if files.card_data is not None:
        from cardreader.parse import parse_card_data

        parse_card_data(files.card_data)  # a wrong file is exit 17, not "card data unknown"
    test_mode = args.trust_test_roots
    reading = reading_from_files(files, trust=load_trust(test_roots=test_mode), test_mode=test_mode)
    _print_reading(reading, args.json)
    return 0


def _cmd_serve_vpcd(args: argparse.Namespace) -> int:
    from cardreader.simulator.profile import load_profile
    from cardreader.simulator.vpcd import serve_forever

    load_profile(args.profile)  # a bad name fails here, with its own message
    print(f"Serving profile '{args.profile}' to vpcd on port {args.port}; Ctrl-C stops.")
    sys.stdout.flush()
    serve_forever(args.profile, port=args.port, host=args.host)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m cardreader",
        description="Read and verify Belgian eID cards (PC/SC or simulated).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("readers", help="list readers and what is in them")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_readers)

    p = sub.add_parser("read", help="read and verify the eID")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--reader", metavar="NAME", help="this reader (default: find the eID)")
    where.add_argument(
        "--simulated", metavar="PROFILE", help="a simulated card (implies test mode)"
    )
    p.add_argument("--photo", action="store_true", help="read the photo too")
    p.add_argument("--json", action="store_true", help="JSON output (stable keys)")
    p.add_argument(
        "--trust-test-roots",
        action="store_true",
        help="test mode: trust the simulator's test roots, accept test national numbers",
    )
    p.set_defaults(func=_cmd_read)

    p = sub.add_parser("parse", help="parse and verify files dumped from a card")
    p.add_argument("--identity", type=Path, required=True, metavar="FILE")
    p.add_argument("--identity-signature", type=Path, metavar="FILE")
    p.add_argument("--address", type=Path, metavar="FILE")
    p.add_argument("--address-signature", type=Path, metavar="FILE")
    p.add_argument("--rrn-cert", type=Path, metavar="FILE")
    p.add_argument("--photo", type=Path, metavar="FILE")
    p.add_argument("--card-data", type=Path, metavar="FILE", help="the 28 bytes of GET CARD DATA")
    p.add_argument(
        "--basic-key", type=Path, metavar="FILE", help="basic public key file (applet 1.8)"
    )
    p.add_argument("--trust-test-roots", action="store_true")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_parse)

    p = sub.add_parser("serve-vpcd", help="serve a simulated card to vpcd until Ctrl-C")
    p.add_argument("profile", metavar="PROFILE")
    p.add_argument("--port", type=int, default=35963)
    p.add_argument("--host", default="127.0.0.1")
    p.set_defaults(func=_cmd_serve_vpcd)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except CardReaderError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as err:  # the promise is "never a traceback"
        print(f"error: unexpected failure ({type(err).__name__})", file=sys.stderr)
        return EXIT_INTERNAL
