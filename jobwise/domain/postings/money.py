"""Money tokens: "$120,000", "£60k", "140.000 EUR", "₹18,00,000", "18 LPA".

Every pattern here is bounded (no nested unbounded repetition), so a 50,000-character
line of digits and commas is scanned in linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CODES = "USD|CAD|AUD|NZD|SGD|HKD|GBP|EUR|INR|CHF|SEK|NOK|DKK|PLN|CZK|JPY|CNY|BRL|ZAR|MXN|AED|ILS"
_SYMBOLS = {
    "$": None,
    "US$": "USD",
    "C$": "CAD",
    "CA$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "NZ$": "NZD",
    "S$": "SGD",
    "HK$": "HKD",
    "R$": "BRL",
    "£": "GBP",
    "€": "EUR",
    "₹": "INR",
    "¥": "JPY",
    "RS": "INR",
    "RS.": "INR",
}

AMOUNT_RE = re.compile(
    r"(?P<pre>(?:US|CA|AU|NZ|HK|[CASR])?\$|[£€₹¥]|(?<![A-Za-z])(?:" + CODES + r"|Rs\.?|RS\.?)"
    r"(?![A-Za-z]))?[ ]?"
    r"(?P<num>(?<![\w.,])\d{1,9}(?:(?:[,.'’]|[ ](?=\d{3}(?![\d.,]\d)(?!\d)))\d{2,3}){0,4}"
    r"(?:[.,]\d{1,2})?(?![\d]))"
    r"(?:[ ]?(?P<mult>[kK](?![A-Za-z])|lakhs?|lacs?|LPA|L(?![A-Za-z])|crores?|[cC]r(?![A-Za-z]))"
    r"|[ ]?(?P<big>(?:[mM](?:n|m|illion)?|[bB](?:n|illion)?)(?![A-Za-z])))?"
    r"(?P<plus>\+)?"
    r"(?:[ ]?(?P<post>[€£]|zł|kr\b|(?<![A-Za-z])(?:" + CODES + r")(?![A-Za-z])))?"
)

_MULTIPLIERS = {"k": 1_000.0, "lakh": 100_000.0, "lac": 100_000.0, "l": 100_000.0}


@dataclass(frozen=True, slots=True)
class Amount:
    start: int
    end: int
    value: float
    multiplied: bool
    big: bool
    """Millions or billions ("$2B company"): never a salary."""
    plus: bool
    symbol: str | None
    code: str | None
    lakh: bool
    factor: float = 1.0
    """The multiplier written after the number ("k" 1,000, "L" 100,000), 1.0 when none."""


def amounts(line: str, limit: int = 200) -> list[Amount]:
    """The numbers in the line (at most ``limit``) with the currency and multiplier around them."""
    found: list[Amount] = []
    for match in AMOUNT_RE.finditer(line):
        if len(found) >= limit:
            break
        value = number(match.group("num"))
        if value is None:
            continue
        mult = (match.group("mult") or "").lower()
        factor = _factor(mult)
        pre = match.group("pre") or ""
        symbol, code = _currency(pre.upper().strip(), (match.group("post") or "").strip())
        found.append(
            Amount(
                start=match.start(),
                end=match.end(),
                value=value * factor,
                multiplied=factor != 1.0,
                big=match.group("big") is not None,
                plus=match.group("plus") is not None,
                symbol=symbol,
                code=code,
                lakh=factor >= 100_000.0,
                factor=factor,
            )
        )
    return found


def _factor(mult: str) -> float:
    if not mult:
        return 1.0
    if mult.startswith("cr"):
        return 10_000_000.0
    if mult == "lpa":
        return 100_000.0
    return _MULTIPLIERS.get(mult.rstrip("s"), 1.0)


def _currency(pre: str, post: str) -> tuple[str | None, str | None]:
    """(symbol as written, ISO code if one is certain)."""
    if post in ("€", "£"):
        return post, _SYMBOLS[post]
    if post in ("zł", "kr"):
        # "zł" is only ever the złoty; "kr" is Swedish, Norwegian or Danish, so only a
        # code written beside it says which ("SEK 500 000 kr").
        return post, "PLN" if post == "zł" else (pre if pre in ("SEK", "NOK", "DKK") else None)
    code = post or (pre if pre in CODES.split("|") else None)
    if pre in _SYMBOLS:
        return pre, code or _SYMBOLS[pre]
    return (pre or None), code


def number(text: str) -> float | None:
    """Read "120,000", "140.000", "18,00,000", "1.234,56", "4.5" and "110'000" as numbers.

    A separator followed by exactly three digits groups thousands (Indian lakh groups of
    two lead into a final group of three); one followed by one or two digits is a decimal
    point.
    """
    cleaned = text.replace(" ", "").replace("'", "").replace("’", "")
    last = max(cleaned.rfind(","), cleaned.rfind("."))
    if last < 0:
        return float(cleaned)
    tail = cleaned[last + 1 :]
    head = cleaned[:last].replace(",", "").replace(".", "")
    if len(tail) == 3 and not ("," in cleaned and "." in cleaned and cleaned[last] == "."):
        return float(head + tail)
    if len(tail) <= 2:
        return float(f"{head}.{tail}")
    return float(head + tail)
