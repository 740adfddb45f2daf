"""The BELPIC tag-length-value encoding of the identity and address files.

The eID does not use BER-TLV: a tag is one byte and a length is one byte, except
that a length byte of 0xFF means "255 more, read another length byte" (``FF x``
is 255 + x, ``FF FF x`` is 510 + x). This follows Fedict eid-mw and cardpeek;
commons-eid reads lengths 0x80-0xFE as a 7-bit continuation scheme, which gives
other answers for long values, so we do not follow it.

Files are zero-padded to a fixed size, and tag 00 (the file structure version on
applet 1.8) only ever comes first: a 00 tag anywhere else marks the padding and
ends the file. Whatever the card sends, the parser raises only
``CardDataError``: a damaged card must give the clerk a message, not a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from cardreader.errors import CardDataError

_LENGTH_CONTINUES = 0xFF
PADDING_TAG = 0x00


def parse_tlv(data: bytes) -> dict[int, bytes]:
    """Split a BELPIC file into an ordered ``{tag: value}`` mapping.

    Padding (a 00 tag after the first position) ends the file, and a file of
    zero bytes only is empty. A value running
    past the end of the data, a missing length byte or a tag seen twice raise
    ``CardDataError``; messages name offsets and tags, never values.
    """
    items: dict[int, bytes] = {}
    pos = 0
    end = len(data)
    if not data.strip(b"\x00"):
        return items  # an empty file, all padding (Kids cards, unused address)
    while pos < end:
        tag = data[pos]
        if tag == PADDING_TAG and pos > 0:
            break
        pos += 1
        length = 0
        while True:
            if pos >= end:
                raise CardDataError(f"TLV data ends inside the length of tag {tag:02X}")
            byte = data[pos]
            pos += 1
            length += byte
            if byte != _LENGTH_CONTINUES:
                break
        if pos + length > end:
            raise CardDataError(
                f"TLV value of tag {tag:02X} is truncated "
                f"({length} bytes announced, {end - pos} left)"
            )
        if tag in items:
            raise CardDataError(f"TLV tag {tag:02X} appears twice")
        items[tag] = bytes(data[pos : pos + length])
        pos += length
    return items


def _encode_length(length: int) -> bytes:
    out = bytearray()
    while length >= _LENGTH_CONTINUES:
        out.append(_LENGTH_CONTINUES)
        length -= _LENGTH_CONTINUES
    out.append(length)
    return bytes(out)


def encode_tlv(
    items: Mapping[int, bytes] | Iterable[tuple[int, bytes]], *, pad_to: int | None = None
) -> bytes:
    """Build a BELPIC file from ``(tag, value)`` pairs, the inverse of ``parse_tlv``.

    Used by the card simulator. Tag 00 is allowed only first (anywhere else the
    card reader would take it for padding). ``pad_to`` appends zero bytes up to a
    fixed file size, as the real address file has.
    """
    pairs = list(items.items()) if isinstance(items, Mapping) else list(items)
    out = bytearray()
    seen: set[int] = set()
    for index, (tag, value) in enumerate(pairs):
        if not 0 <= tag <= 0xFF:
            raise ValueError(f"TLV tag {tag} does not fit in one byte")
        if tag == PADDING_TAG and index > 0:
            raise ValueError("TLV tag 00 may only come first (it would read as padding)")
        if tag in seen:
            raise ValueError(f"TLV tag {tag:02X} given twice")
        seen.add(tag)
        out.append(tag)
        out += _encode_length(len(value))
        out += value
    if pairs == [(PADDING_TAG, b"")]:
        raise ValueError("A lone empty tag 00 reads as an empty, all-padding file")
    if pad_to is not None:
        if pad_to < len(out):
            raise ValueError(f"TLV data is {len(out)} bytes, longer than pad_to={pad_to}")
        out += bytes(pad_to - len(out))
    return bytes(out)
