"""Tag 0C birth dates in the three languages and the real-world variants."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cardreader.birthdate import parse_birth_date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Dutch
        ("01 JAN 1990", (1990, 1, 1)),
        ("14 MAAR 1975", (1975, 3, 14)),
        ("09 MEI 2001", (2001, 5, 9)),
        ("31 OKT 1966", (1966, 10, 31)),
        # French
        ("28 FEV 1980", (1980, 2, 28)),
        ("02 MARS 1975", (1975, 3, 2)),
        ("15 AVR 1999", (1999, 4, 15)),
        ("03 JUIN 2010", (2010, 6, 3)),
        ("04 JUIL 1961", (1961, 7, 4)),
        ("15 AOUT 1950", (1950, 8, 15)),
        ("30 SEPT 1985", (1985, 9, 30)),
        # German, dotted, MÄR in UTF-8
        ("03.MÄR.1990", (1990, 3, 3)),
        ("24.DEZ.2003", (2003, 12, 24)),
        ("01.MAI.1970", (1970, 5, 1)),
        # real variants
        ("21 DEC  1981", (1981, 12, 21)),
        ("23.SEP. 1982", (1982, 9, 23)),
        ("1984", (1984, None, None)),
        ("15      1984", (1984, None, 15)),
        ("  07 NOV 1944 ", (1944, 11, 7)),
        ("29 FEB 2000", (2000, 2, 29)),
    ],
)
def test_parses(raw: str, expected: tuple[int | None, int | None, int | None]) -> None:
    parsed = parse_birth_date(raw)
    assert (parsed.year, parsed.month, parsed.day) == expected
    assert parsed.raw == raw


def test_utf8_bytes_from_the_card() -> None:
    parsed = parse_birth_date("12.MÄR.1960".encode())
    assert parsed.date == dt.date(1960, 3, 12)
    assert parsed.raw == "12.MÄR.1960"


def test_full_date_only_when_all_parts_are_known() -> None:
    assert parse_birth_date("21 DEC  1981").date == dt.date(1981, 12, 21)
    assert parse_birth_date("1984").date is None
    assert parse_birth_date("15      1984").date is None


@pytest.mark.parametrize("raw", ["", "   ", "unknown", "21 DEC", "31/12/81", "1 2 3 4", "\x00\x00"])
def test_unparseable_gives_raw_and_nothing_else(raw: str) -> None:
    parsed = parse_birth_date(raw)
    assert (parsed.year, parsed.month, parsed.day) == (None, None, None)
    assert parsed.raw == raw


def test_impossible_day_is_dropped_not_raised() -> None:
    parsed = parse_birth_date("30 FEB 1990")
    assert (parsed.year, parsed.month, parsed.day) == (1990, 2, None)
    assert parsed.date is None
    assert parse_birth_date("00 JAN 1990").day is None


def test_unknown_month_word_keeps_only_the_year() -> None:
    parsed = parse_birth_date("12 FOO 1980")
    assert (parsed.year, parsed.month, parsed.day) == (1980, None, None)


@given(st.text(max_size=40))
def test_never_raises_and_date_is_consistent(raw: str) -> None:
    parsed = parse_birth_date(raw)
    assert parsed.raw == raw
    if parsed.year is not None and parsed.month is not None and parsed.day is not None:
        assert isinstance(parsed.date, dt.date)


@given(st.binary(max_size=40))
def test_never_raises_on_bytes(raw: bytes) -> None:
    parse_birth_date(raw)
