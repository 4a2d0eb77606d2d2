"""Dates and date ranges as resumes print them.

"Jan 2020 – Present", "January 2020 - Dec 2021", "06/2018 – 05/2020", "2019.06 ~ 2021.08",
"2015 – 2019", "2020-03 to now", "2019年6月 – 至今", "Summer 2019", "May 2019" (one date).
A month is read as its first day; a year alone as 1 January, and ``precise`` says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january", "janv", "janvier", "ene", "enero"),
            ("feb", "february", "febr", "fév", "fev", "février"),
            ("mar", "march", "mär", "mars", "marzo"),
            ("apr", "april", "avr", "avril", "abr", "abril"),
            ("may", "mai", "mayo"),
            ("jun", "june", "juin", "junio", "juni"),
            ("jul", "july", "juil", "juillet", "julio", "juli"),
            ("aug", "august", "août", "aout", "ago", "agosto"),
            ("sep", "sept", "september", "septembre", "septiembre"),
            ("oct", "october", "octobre", "octubre", "okt", "oktober"),
            ("nov", "november", "novembre", "noviembre"),
            ("dec", "december", "décembre", "dic", "diciembre", "dez", "dezember"),
        ],
        start=1,
    )
    for name in names
}
_SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
_MONTH_WORD = "|".join(
    sorted((re.escape(m) for m in {**_MONTHS, **_SEASONS}), key=len, reverse=True)
)
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_ONE = (
    rf"(?:(?:{_MONTH_WORD})\.?,?\s+(?:\d{{1,2}},?\s+)?{_YEAR}"  # Jan 2020, Sept. 2019, May 3, 2019
    rf"|(?:0?[1-9]|1[0-2])\s*[/.]\s*{_YEAR}"  # 06/2018, 6.2018
    rf"|{_YEAR}\s*[-/.]\s*(?:0?[1-9]|1[0-2])(?!\d)"  # 2018-06, 2018.06, 2018/6
    rf"|{_YEAR}\s*年\s*(?:(?:0?[1-9]|1[0-2])\s*月)?"  # 2019年6月
    rf"|'\d\d"  # '19
    rf"|{_YEAR})"
)
_OPEN = r"(?:present|current|currently|now|today|ongoing|date|至今|现在|今|present\s+day)"
_DASH = r"(?:\s*[-–—‐‑~～至]{1,2}\s*|\s+(?:to|until|till|bis|à|a|and)\s+)"
RANGE = re.compile(
    rf"(?<![\w/.])(?P<start>{_ONE}){_DASH}(?P<end>{_ONE}|{_OPEN})(?![\w/])"
    rf"|(?<![\w/.])(?P<since>(?:since|from|depuis)\s+{_ONE})(?![\w/])",
    re.IGNORECASE,
)
# A lone date is no group of a phone number: "512-555-2010", "+86 138 2019 0000".
SINGLE = re.compile(rf"(?<![\w/.+-])(?<!\d\s)(?<!\d\)\s){_ONE}(?![\w/])(?!\s\d)", re.IGNORECASE)
_YEAR_ONLY = re.compile(rf"^{_YEAR}$")


@dataclass(frozen=True, slots=True)
class DateSpan:
    start: date | None
    end: date | None
    current: bool
    where: tuple[int, int]
    """The characters of the text it was read from."""
    precise: bool
    """Months were printed (not only years)."""
    season: bool = False
    """A lone "Summer 2022": a span within that season, begun and ended."""


def find_range(text: str) -> DateSpan | None:
    """The first date range in ``text``, else its last single date (an end: "May 2019"
    beside a degree is when it was finished), else None."""
    match = RANGE.search(text)
    if match:
        if match["since"]:
            since = re.sub(r"^\w+\s+", "", match["since"])
            return DateSpan(read_date(since), None, True, match.span(), _precise(since))
        start = read_date(match["start"])
        end_text = match["end"]
        current = re.fullmatch(_OPEN, end_text.strip(), re.IGNORECASE) is not None
        end = None if current else read_date(end_text, like=match["start"])
        if start is None:
            return None
        if end is not None and end < start:
            return None
        return DateSpan(start, end, current, match.span(), _precise(match["start"]))
    singles = list(SINGLE.finditer(text))
    if not singles:
        return None
    last = singles[-1]
    when = read_date(last.group())
    if when is None:
        return None
    season = last.group().split()[0].lower() in _SEASONS
    return DateSpan(None, when, False, last.span(), _precise(last.group()), season)


def read_date(text: str, like: str | None = None) -> date | None:
    """``like`` is the range's start: "Summer 2012 and 2013" ends in the summer of 2013."""
    text = text.strip().lower().rstrip(".,")
    season = like.strip().split()[0].lower() if like and like.strip() else ""
    if season in _SEASONS and _YEAR_ONLY.match(text):
        return _made(int(text), _SEASONS[season])
    if text.startswith("'"):
        year = 2000 + int(text[1:]) if int(text[1:]) < 50 else 1900 + int(text[1:])
        return date(year, 1, 1)
    han = re.fullmatch(r"(\d{4})\s*年\s*(?:(\d{1,2})\s*月)?", text)
    if han:
        return _made(int(han[1]), int(han[2] or 1))
    numeric = re.fullmatch(r"(\d{1,2})\s*[/.]\s*(\d{4})", text)
    if numeric:
        return _made(int(numeric[2]), int(numeric[1]))
    iso = re.fullmatch(r"(\d{4})\s*[-/.]\s*(\d{1,2})", text)
    if iso:
        return _made(int(iso[1]), int(iso[2]))
    if _YEAR_ONLY.match(text):
        return _made(int(text), 1)
    words = re.fullmatch(r"([^\W\d]+)\.?,?\s+(?:(\d{1,2}),?\s+)?(\d{4})", text)
    if words:
        month = _MONTHS.get(words[1]) or _SEASONS.get(words[1])
        if month is not None:
            day = int(words[2]) if words[2] else 1
            return _made(int(words[3]), month, day)
    return None


def _made(year: int, month: int, day: int = 1) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _precise(text: str) -> bool:
    return not _YEAR_ONLY.match(text.strip())
