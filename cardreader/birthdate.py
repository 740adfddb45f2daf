"""The birth date of tag 0C, as printed on Dutch, French and German cards.

The card stores the date as text in the card's language (``21 DEC 1981``,
``02 MARS 1975``, ``03.MÄR.1990``) and real cards deviate: a padded month
(``21 DEC  1981``), a stray dot (``23.SEP. 1982``), a bare year (``1984``) or a
blank month when the national register does not know it. A partial date is a
real answer, not an error, so this module never raises: what it cannot read
it leaves as None next to the raw text, and the clerk sees the raw text.
"""

from __future__ import annotations

import calendar
import re
import unicodedata

from cardreader.models import BirthDate

#: Month abbreviations of the three languages (and the accented spellings some
#: writers use), upper case, without dots.
_MONTHS: dict[str, int] = {
    # Dutch
    "JAN": 1, "FEB": 2, "MAAR": 3, "MRT": 3, "APR": 4, "MEI": 5, "JUN": 6,
    "JUL": 7, "AUG": 8, "SEP": 9, "OKT": 10, "NOV": 11, "DEC": 12,
    # French
    "FEV": 2, "FÉV": 2, "MARS": 3, "AVR": 4, "MAI": 5, "JUIN": 6, "JUIL": 7,
    "AOUT": 8, "AOÛT": 8, "SEPT": 9, "OCT": 10, "DÉC": 12,
    # German
    "MÄR": 3, "MAR": 3, "MAE": 3, "MAER": 3, "DEZ": 12,
}  # fmt: skip

# day? separator month? separator year; the month may be blank or absent.
_PATTERN = re.compile(
    r"^(?:(?P<day>\d{1,2})[\s.\-/]*)?(?P<month>[^\d\s.\-/]+)?[\s.\-/]*(?P<year>\d{4})$"
)


def _month_number(word: str) -> int | None:
    key = unicodedata.normalize("NFC", word).upper().strip(". ")
    return _MONTHS.get(key)


def parse_birth_date(raw: str | bytes) -> BirthDate:
    """Read tag 0C; unknown parts are None and ``raw`` keeps the card's text."""
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    unparsed = BirthDate(raw=text)
    match = _PATTERN.match(unicodedata.normalize("NFC", text).strip())
    if match is None:
        return unparsed

    year = int(match["year"])
    if not 1800 <= year <= 2200:
        return unparsed
    month = _month_number(match["month"]) if match["month"] else None
    if match["month"] and month is None:
        # A word we do not know is not a blank month: do not guess a day either.
        return BirthDate(raw=text, year=year)
    day = int(match["day"]) if match["day"] else None
    if day is not None and (day == 0 or day > 31):
        day = None
    if day is not None and month is not None and day > calendar.monthrange(year, month)[1]:
        day = None
    return BirthDate(raw=text, year=year, month=month, day=day)
