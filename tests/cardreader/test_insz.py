"""INSZ, BIS and MAGDA test numbers: checksum in both centuries, kinds, test mode."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cardreader.errors import InvalidNationalNumberError
from cardreader.insz import (
    birth_date_from_insz,
    format_insz,
    insz_kind,
    is_test_number,
    mask_insz,
    sex_from_insz,
    validate_insz,
)


def with_checksum(first_nine: str, *, born_2000s: bool = False) -> str:
    base = int(("2" if born_2000s else "") + first_nine)
    return f"{first_nine}{97 - base % 97:02d}"


MAGDA_TEST_NUMBERS = ["01700462685", "62691699717"]  # from the MAGDA test personas


def test_known_valid_numbers() -> None:
    assert validate_insz("85073003328", test_mode=False) == "85073003328"
    assert validate_insz("17073003384", test_mode=False) == "17073003384"  # born 2017
    assert insz_kind("85073003328") == "insz"


def test_accepts_printed_form_and_spaces() -> None:
    assert validate_insz("85.07.30-033.28", test_mode=False) == "85073003328"
    assert validate_insz(" 85 07 30 033 28 ", test_mode=False) == "85073003328"


def test_checksum_in_both_centuries() -> None:
    old = with_checksum("550312123")
    new = with_checksum("050312123", born_2000s=True)
    assert validate_insz(old, test_mode=False) == old
    assert validate_insz(new, test_mode=False) == new
    assert birth_date_from_insz(old) == dt.date(1955, 3, 12)
    assert birth_date_from_insz(new) == dt.date(2005, 3, 12)


@pytest.mark.parametrize("bad", ["85073003329", "85073003327", "00000000000"])
def test_wrong_checksum_is_refused(bad: str) -> None:
    with pytest.raises(InvalidNationalNumberError):
        validate_insz(bad, test_mode=True)


@pytest.mark.parametrize(
    "bad", ["", "8507300332", "850730033288", "85O73003328", "abc", "٨٥٠٧٣٠٠٣٣٢٨"]
)
def test_not_eleven_digits_is_refused(bad: str) -> None:
    with pytest.raises(InvalidNationalNumberError):
        validate_insz(bad, test_mode=True)


def test_unknown_month_and_day_are_valid_without_birth_date() -> None:
    month_unknown = with_checksum("600000123")
    day_unknown = with_checksum("600400123")
    assert validate_insz(month_unknown, test_mode=False) == month_unknown
    assert validate_insz(day_unknown, test_mode=False) == day_unknown
    assert birth_date_from_insz(month_unknown) is None
    assert birth_date_from_insz(day_unknown) is None


def test_bis_numbers_month_plus_20_and_plus_40() -> None:
    plus20 = with_checksum("752315001")
    plus40 = with_checksum("754315002")
    assert insz_kind(plus20) == "bis"
    assert insz_kind(plus40) == "bis"
    assert insz_kind("98472899765") == "bis"
    assert birth_date_from_insz(plus20) == dt.date(1975, 3, 15)
    assert birth_date_from_insz(plus40) == dt.date(1975, 3, 15)
    assert sex_from_insz(plus20) is None  # +20: sex unknown
    assert sex_from_insz(plus40) == "F"


@pytest.mark.parametrize("month", ["13", "19", "33", "39", "53", "59", "73", "99"])
def test_impossible_month_fields(month: str) -> None:
    with pytest.raises(InvalidNationalNumberError):
        validate_insz(with_checksum(f"80{month}01001"), test_mode=True)


@pytest.mark.parametrize("number", MAGDA_TEST_NUMBERS)
def test_magda_test_numbers_only_in_test_mode(number: str) -> None:
    assert validate_insz(number, test_mode=True) == number
    assert is_test_number(number)
    assert insz_kind(number) == "test"
    with pytest.raises(InvalidNationalNumberError, match="test number"):
        validate_insz(number, test_mode=False)


def test_test_number_details() -> None:
    assert birth_date_from_insz("01700462685") == dt.date(2001, 10, 4)
    assert birth_date_from_insz("62691699717") == dt.date(1962, 9, 16)
    assert sex_from_insz("62691699717") == "M"


def test_test_number_with_bad_checksum_is_not_a_test_number() -> None:
    assert not is_test_number("01700462684")
    with pytest.raises(InvalidNationalNumberError):
        validate_insz("01700462684", test_mode=True)


def test_real_numbers_are_not_test_numbers() -> None:
    assert not is_test_number("85073003328")
    assert not is_test_number("garbage")


def test_sex_from_serial() -> None:
    assert sex_from_insz("85073003328") == "M"  # 033 odd
    assert sex_from_insz(with_checksum("850730034")) == "F"


def test_format_and_mask() -> None:
    assert format_insz("85073003328") == "85.07.30-033.28"
    assert format_insz("85.07.30-033.28") == "85.07.30-033.28"
    assert mask_insz("85073003328") == "85.07.30-xxx.xx"
    assert mask_insz("not a number") == "xx.xx.xx-xxx.xx"
    with pytest.raises(InvalidNationalNumberError):
        format_insz("123")


def test_errors_never_contain_the_number() -> None:
    for bad, mode in [("85073003329", True), ("62691699717", False), ("85133003328", True)]:
        with pytest.raises(InvalidNationalNumberError) as info:
            validate_insz(bad, test_mode=mode)
        assert bad not in str(info.value)
        assert bad[:6] not in str(info.value)


@given(st.text(max_size=20))
def test_any_text_gives_digits_or_the_package_error(text: str) -> None:
    try:
        result = validate_insz(text, test_mode=True)
    except InvalidNationalNumberError:
        return
    assert len(result) == 11 and result.isdigit()


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31)),
    st.integers(min_value=1, max_value=997),
    st.sampled_from([0, 20, 40, 60]),
)
def test_generated_numbers_round_trip_their_birth_date(
    born: dt.date, serial: int, offset: int
) -> None:
    first_nine = f"{born.year % 100:02d}{born.month + offset:02d}{born.day:02d}{serial:03d}"
    number = with_checksum(first_nine, born_2000s=born.year >= 2000)
    assert validate_insz(number, test_mode=True) == number
    assert birth_date_from_insz(number) == born
    assert is_test_number(number) == (offset == 60)
    assert insz_kind(number) == {0: "insz", 20: "bis", 40: "bis", 60: "test"}[offset]
