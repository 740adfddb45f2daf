"""INSZ (rijksregisternummer), BIS numbers and MAGDA test numbers.

A number is ``YYMMDD SSS CC``: CC = 97 - (YYMMDDSSS mod 97), with a ``2``
prepended for births from 2000 on, so the century follows from the checksum.
The month field tells the kind: 0-12 a national-register number (00 = date
unknown), +20 or +40 a BIS number, +60 one of Digitaal Vlaanderen's MAGDA
test personas. Test numbers identify fictitious people: they are only valid in
test mode, so that a test card can never reach a production source.

python-stdnum validates INSZ and BIS numbers; it knows nothing of +60 months,
so test numbers get the same checksum done here. Error messages say what is
wrong, never which number: they end up in logs.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Literal

from stdnum.be import bis as stdnum_bis
from stdnum.be import nn as stdnum_nn
from stdnum.exceptions import ValidationError

from cardreader.errors import InvalidNationalNumberError

InszKind = Literal["insz", "bis", "test"]

_SEPARATORS = str.maketrans("", "", " .-/\t")
_TEST_MONTH_OFFSET = 60
_UNKNOWN_BIRTH = ("000001", "002001", "004001", "006001")


def _digits(text: str) -> str:
    digits = text.strip().translate(_SEPARATORS)
    if len(digits) != 11 or not digits.isascii() or not digits.isdigit():
        raise InvalidNationalNumberError("A national number has 11 digits (YY.MM.DD-SSS.CC).")
    return digits


def _century(digits: str) -> int | None:
    """1900 or 2000 depending on which checksum matches; None when neither does."""
    check = int(digits[9:])
    if 97 - int(digits[:9]) % 97 == check:
        return 1900
    if 97 - int("2" + digits[:9]) % 97 == check:
        return 2000
    return None


def _kind_of_month(month_field: int) -> InszKind | None:
    if 0 <= month_field <= 12:
        return "insz"
    if 20 <= month_field <= 32 or 40 <= month_field <= 52:
        return "bis"
    if _TEST_MONTH_OFFSET <= month_field <= _TEST_MONTH_OFFSET + 12:
        return "test"
    return None


def _checked(text: str) -> tuple[str, InszKind]:
    """Normalise and validate structure and checksum, test numbers included."""
    digits = _digits(text)
    kind = _kind_of_month(int(digits[2:4]))
    if kind is None:
        raise InvalidNationalNumberError("The national number has an impossible month field.")
    if _century(digits) is None:
        raise InvalidNationalNumberError("The national number's check digits are wrong.")
    if kind != "test":
        validator = stdnum_nn if kind == "insz" else stdnum_bis
        try:
            validator.validate(digits)
        except ValidationError as err:
            raise InvalidNationalNumberError(
                f"The {'national' if kind == 'insz' else 'BIS'} number is not valid "
                f"({type(err).__name__})."
            ) from None
    return digits, kind


def validate_insz(text: str, *, test_mode: bool) -> str:
    """The 11 digits of a valid INSZ or BIS number; test numbers only in test mode.

    Accepts ``YY.MM.DD-SSS.CC`` and spaces. Raises ``InvalidNationalNumberError``.
    """
    digits, kind = _checked(text)
    if kind == "test" and not test_mode:
        raise InvalidNationalNumberError(
            "This is a MAGDA test number (month + 60) of a fictitious person; "
            "it is refused outside test mode."
        )
    return digits


def is_test_number(insz: str) -> bool:
    """True for a well-formed MAGDA test number (month + 60, valid checksum)."""
    try:
        return _checked(insz)[1] == "test"
    except InvalidNationalNumberError:
        return False


def insz_kind(insz: str) -> InszKind:
    """``insz``, ``bis`` or ``test``; raises ``InvalidNationalNumberError`` when invalid."""
    return _checked(insz)[1]


def birth_date_from_insz(insz: str) -> dt.date | None:
    """The birth date the number encodes, or None when it encodes an unknown date."""
    digits, kind = _checked(insz)
    century = _century(digits)
    assert century is not None  # _checked made sure
    if digits[:6] in _UNKNOWN_BIRTH:
        return None
    month_field = int(digits[2:4])
    month = month_field - _TEST_MONTH_OFFSET if kind == "test" else month_field % 20
    day = int(digits[4:6])
    year = century + int(digits[:2])
    if month == 0 or day == 0 or day > calendar.monthrange(year, month)[1]:
        return None
    return dt.date(year, month, day)


def sex_from_insz(insz: str) -> Literal["M", "F"] | None:
    """Odd serial = male, even = female; None for a BIS number with month + 20.

    Official specimen cards contradict their own tag 0D, so callers must not
    treat a mismatch as an error.
    """
    digits, _kind = _checked(insz)
    if 20 <= int(digits[2:4]) <= 32:
        return None
    return "M" if int(digits[6:9]) % 2 else "F"


def format_insz(insz: str) -> str:
    """``YY.MM.DD-SSS.CC``; raises ``InvalidNationalNumberError`` unless 11 digits."""
    d = _digits(insz)
    return f"{d[0:2]}.{d[2:4]}.{d[4:6]}-{d[6:9]}.{d[9:11]}"


def mask_insz(insz: str) -> str:
    """``YY.MM.DD-xxx.xx`` for screens and logs; never fails and never leaks a bad input."""
    try:
        d = _digits(insz)
    except InvalidNationalNumberError:
        return "xx.xx.xx-xxx.xx"
    return f"{d[0:2]}.{d[2:4]}.{d[4:6]}-xxx.xx"
