"""Hand-made eID files for the tests: a fictitious person, built with ``encode_tlv``.

The national number is a MAGDA-style test number (month + 60, valid checksum).
"""

from __future__ import annotations

from collections.abc import Mapping

from cardreader.tlv import encode_tlv

TEST_INSZ = "62691699717"

IDENTITY_TAGS: dict[int, bytes] = {
    0x01: b"592123456789",
    0x02: bytes(range(16)),
    0x03: b"01.02.2020",
    0x04: b"01.02.2030",
    0x05: b"Gent",
    0x06: TEST_INSZ.encode(),
    0x07: "Specimen-Ödül".encode(),
    0x08: b"Alice Marie",
    0x09: b"J",
    0x0A: b"Belg",
    0x0B: b"Gent",
    0x0C: b"16 SEP 1962",
    0x0D: b"F",
    0x0F: b"1",
    0x10: b"0",
}


def identity_file(
    overrides: Mapping[int, bytes | None] | None = None, *, version: bytes | None = None
) -> bytes:
    """An identity file; an override of None removes the tag."""
    tags = dict(IDENTITY_TAGS)
    for tag, value in (overrides or {}).items():
        if value is None:
            tags.pop(tag, None)
        else:
            tags[tag] = value
    pairs = ([(0x00, version)] if version is not None else []) + sorted(tags.items())
    return encode_tlv(pairs)


def address_file(
    street: str = "Botermarkt 1",
    postal_code: str = "9000",
    municipality: str = "Gent",
    *,
    version: bytes | None = None,
    size: int = 117,
) -> bytes:
    pairs = ([(0x00, version)] if version is not None else []) + [
        (0x01, street.encode()),
        (0x02, postal_code.encode()),
        (0x03, municipality.encode()),
    ]
    return encode_tlv(pairs, pad_to=size)
