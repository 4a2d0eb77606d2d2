"""Find the pay in a posting: "$120,000 - $145,000 a year", "£60k–£75k", "up to £50,000".

Every money-looking number is a candidate; candidates that are not pay ("401(k)",
"5+ years", "$2B company", "a $1,000 learning budget") are dropped by their context, and
the most salary-like of the rest wins (a labelled line, a range, a stated period).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from jobwise.domain.postings.models import Period, SalaryRange
from jobwise.domain.postings.money import Amount, amounts

# "$130K/yr - $160K/yr" repeats the period after the first figure.
_RANGE_SEP_RE = re.compile(
    r"(?:[ ]?\([^()]{1,40}\))?(?:[ ]?/[ ]?(?:yr|year|hr|hour|h|mo|month|day|d|wk|week))?"
    r"[ ]?(?:-{1,2}|–|—|~|to|and|bis)[ ]?",
    re.IGNORECASE,
)
_FILLER = r"(?:[ ,]*(?:gross|base|brutto|net|salary|pre-tax|before tax|\+ ?super|plus super))?"
_PERIODS: tuple[tuple[Period, str], ...] = (
    (
        "year",
        r"(?:an?|per|/|each) ?(?:year|yr|annum|anno)\b|p\.? ?a\.?(?![a-z])|annual(?:ly)?\b"
        r"|yearly\b|lpa\b",
    ),
    ("month", r"(?:an?|per|/|each) ?(?:month|mo|mth)\b|monthly\b|p\.? ?c?\.? ?m\.?(?![a-z])"),
    ("week", r"(?:an?|per|/|each) ?(?:week|wk)\b|weekly\b|p\.? ?w\.?(?![a-z])"),
    ("day", r"(?:an?|per|/|each) ?day\b|daily\b|/ ?d\b|p\.? ?d\.?(?![a-z])|day rate\b"),
    ("hour", r"(?:an?|per|/|each) ?(?:hour|hr|h)\b|hourly\b|p\.? ?h\.?(?![a-z])"),
)
_PERIOD_AFTER_RE = re.compile(
    _FILLER + r"[ ]?(?:" + "|".join(f"(?P<{name}>{pattern})" for name, pattern in _PERIODS) + ")",
    re.IGNORECASE,
)
_PERIOD_BEFORE: tuple[tuple[Period, re.Pattern[str]], ...] = (
    ("day", re.compile(r"\b(?:day|daily) rate\b|\bper day\b", re.IGNORECASE)),
    ("hour", re.compile(r"\bhourly\b|\bper hour\b", re.IGNORECASE)),
    ("month", re.compile(r"\bmonthly\b|\bper month\b", re.IGNORECASE)),
    ("week", re.compile(r"\bweekly\b", re.IGNORECASE)),
    ("year", re.compile(r"\bannual\b|\byearly\b|\bper annum\b|\bper year\b", re.IGNORECASE)),
)
_MAX_ONLY_RE = re.compile(
    r"(?:\bup ?to|\bmax(?:imum)?\.?(?: of)?|\bnot more than|\bno more than)[ :]*$", re.IGNORECASE
)
_MIN_ONLY_RE = re.compile(
    r"(?:\bfrom|\bstarting (?:at|from)|\bat least|\bmin(?:imum)?\.?(?: of)?|\bstarts at)[ :]*$",
    re.IGNORECASE,
)
_BETWEEN_RE = re.compile(r"\bbetween[ ]*$", re.IGNORECASE)
_POSITIVE_RE = re.compile(
    r"\b(?:salary|salaries|compensation|pay|paying|pays|remuneration|rate|ote|base|wages?|ctc"
    r"|package|earn|earning|stipend|range|gehalt)\b",
    re.IGNORECASE,
)
# Money that is not pay: what the company raised or earns, or a perk the amount names.
_NEGATIVE_BEFORE_RE = re.compile(
    r"\b(?:raised|raise|raising|funding|funded|series [a-f]|valuation|valued|revenue|arr"
    r"|turnover|invested|investment|spend|spent|donat\w*|worth|savings|processed|process"
    r"|processing|manage|managing|budgets? of|reimburse\w*|stipend of|allowance of|bonus of"
    r"|credits? of|prizes?|grants? of|differential of|learning|training|wellness)\b",
    re.IGNORECASE,
)
_NEGATIVE_AFTER_RE = re.compile(
    r"(?![ ]*(?:plus|\+|and|&|with)\b)[ ]*(?:[A-Za-z-]+[ ]){0,3}?(?:budget|stipend|allowance"
    r"|bonus|credits?|reimbursement|vouchers?|grants?|fund|funding|match|prizes?|gifts?|arr"
    r"|revenue|gmv|turnover|valuation|series|spend|savings|per employee|differential)s?\b",
    re.IGNORECASE,
)
_CAP_BEFORE_RE = re.compile(
    r"\b(?:pay (?:system|scale|schedule|plan)|salary cap|pay cap|statutory (?:cap|limit|maximum)"
    r"|maximum (?:salary|pay|rate) (?:available|allowed|permitted|payable))\b[^.]{0,40}$",
    re.IGNORECASE,
)
"""The cap of a pay system ("the maximum salary available for the GS pay system is
$183,500") says what no job in it can pay, not what this one does."""
_PAY_AFTER_RE = re.compile(r"[ ]*(?:base|salary|ote|gross|brutto|pay)\b", re.IGNORECASE)
_NOT_MONEY_AFTER_RE = re.compile(
    r"[ ]?\+?[ ]?(?:years?|yrs?|months?|days?|weeks?|hours?|people|employees|engineers|%|percent"
    r"|x\b|countries|offices|\(k\))",
    re.IGNORECASE,
)
_OPEN_NOTE_RE = re.compile(r"[ ]?\([^()]{0,40}")
_LEADING_NOTE_RE = re.compile(r"[ ]?\([^()]{1,60}\)")
"""A note between the figure and its period: "€ 3,997 (scale 10) gross per month"."""
MAX_SPREAD = 5.0
"""A range whose top is more than this times its bottom is a misreading, not a salary."""
MAX_CANDIDATES = 200
"""A posting states its pay a few times at most; this bounds the work on a table of figures."""
_YEARLY_FROM = {"INR": 200_000.0, "JPY": 1_000_000.0}
_MONTHLY_BELOW = {
    "PLN": 60_000.0,
    "CZK": 300_000.0,
    "HUF": 4_000_000.0,
    "RON": 50_000.0,
    "BRL": 60_000.0,
}
"""Where pay is quoted by the month: a figure below this, with no period, is monthly
("10 000-15 000 PLN + VAT (B2B)")."""


@dataclass(frozen=True, slots=True)
class _Candidate:
    salary: SalaryRange
    score: int
    order: int


def parse_salary(text: str, *, dollar: str = "USD") -> SalaryRange | None:
    """The salary in a labelled value ("Salary: £60k–£75k"), trusting the label."""
    best = _best(_candidates(text, 0, labelled=True, favoured=True, dollar=dollar))
    return best.salary if best else None


def find_salary(
    lines: Iterable[tuple[int, str]],
    *,
    favoured: frozenset[int] = frozenset(),
    dollar: str = "USD",
) -> SalaryRange | None:
    """The most salary-like figure among (index, line) pairs; favoured lines are the header."""
    candidates: list[_Candidate] = []
    for index, line in lines:
        if len(candidates) >= MAX_CANDIDATES:
            break
        if any(char.isdigit() for char in line):
            candidates.extend(
                _candidates(line, index, labelled=False, favoured=index in favoured, dollar=dollar)
            )
    best = _best(candidates)
    return best.salary if best else None


def _best(candidates: list[_Candidate]) -> _Candidate | None:
    if not candidates:
        return None
    return max(candidates, key=lambda candidate: (candidate.score, -candidate.order))


def _candidates(
    line: str, index: int, *, labelled: bool, favoured: bool, dollar: str
) -> list[_Candidate]:
    found = [amount for amount in amounts(line) if amount.value > 0]
    out: list[_Candidate] = []
    position = 0
    while position < len(found):
        first = found[position]
        partner = _range_partner(line, found, position)
        second = found[partner] if partner is not None else None
        position = (partner if partner is not None else position) + 1
        candidate = _judge(line, first, second, labelled=labelled, dollar=dollar)
        if candidate is not None:
            score = candidate[1] + (1 if favoured else 0)
            out.append(_Candidate(candidate[0], score, index * 1000 + first.start))
    return out


def _range_partner(line: str, found: list[Amount], position: int) -> int | None:
    """The index of the amount that closes a range opened at ``position``; a figure in a
    note between the two ("€ 2,651 (scale 9) and € 3,997") is stepped over."""
    first = found[position]
    for partner in (position + 1, position + 2):
        if partner >= len(found):
            return None
        between = line[first.end : found[partner].start]
        if _RANGE_SEP_RE.fullmatch(between):
            return partner
        if not _OPEN_NOTE_RE.fullmatch(between):
            return None
    return None


def _judge(
    line: str, first: Amount, second: Amount | None, *, labelled: bool, dollar: str
) -> tuple[SalaryRange, int] | None:
    last = second or first
    before = line[max(0, first.start - 60) : first.start]
    note = _LEADING_NOTE_RE.match(line, last.end, last.end + 90)
    skipped = note.end() - last.end if note else 0
    after = line[last.end + skipped : last.end + skipped + 30]
    parts = (first, second) if second else (first,)
    if any(part.big for part in parts) or _CAP_BEFORE_RE.search(before):
        return None
    period_match = _PERIOD_AFTER_RE.match(after)
    rest = after[period_match.end() :] if period_match else after
    positive = labelled or bool(_POSITIVE_RE.search(before) or _PAY_AFTER_RE.match(after))
    if not positive and _not_pay(before[-40:], rest):
        return None
    currency = _currency_of(parts, dollar)
    if currency is None and not positive and not last.lakh:
        return None
    if currency is None and _NOT_MONEY_AFTER_RE.match(after):
        return None
    low, high = _bounds(first, second, before)
    if low is not None and high is not None and not low <= high <= low * MAX_SPREAD:
        # "$90-130K" read as 130,000 to 9,000,000, or a max below the min: a misreading,
        # and a wrong salary is worse than none.
        return None
    top = max(value for value in (low, high) if value is not None)
    if second is None and period_match is None and not positive and top < 10_000:
        return None
    period = _period(period_match, before, last, currency or "", top)
    end = last.end + (skipped + period_match.end() if period_match else 0)
    start = _span_start(before, first)
    salary = SalaryRange(
        text=line[start:end].strip(" ,;:"),
        min=low,
        max=high,
        currency=currency or ("INR" if last.lakh else None),
        period=period,
    )
    score = 3 * positive + 2 * (second is not None) + 2 * (period_match is not None)
    return salary, score + (currency is not None)


def _not_pay(before: str, rest: str) -> bool:
    return bool(_NEGATIVE_BEFORE_RE.search(before) or _NEGATIVE_AFTER_RE.match(rest))


def _bounds(first: Amount, second: Amount | None, before: str) -> tuple[float | None, float | None]:
    if second is not None:
        low = first.value
        if second.multiplied and not first.multiplied and first.value < 1000:
            # "£60-75k" and "18-25 LPA": the multiplier is written once, for both ends.
            low = first.value * second.factor
        return low, second.value
    if _MAX_ONLY_RE.search(before):
        return None, first.value
    if _MIN_ONLY_RE.search(before) or first.plus:
        return first.value, None
    return first.value, first.value


def _span_start(before: str, first: Amount) -> int:
    for pattern in (_MAX_ONLY_RE, _MIN_ONLY_RE, _BETWEEN_RE):
        match = pattern.search(before)
        if match:
            return first.start - (len(before) - match.start())
    return first.start


def _currency_of(parts: tuple[Amount, ...], dollar: str) -> str | None:
    codes = [part.code for part in parts if part.code]
    if codes:
        return codes[-1] if any(part.symbol == "$" for part in parts) else codes[0]
    if any(part.symbol == "$" for part in parts):
        return dollar
    return None


def _period(
    match: re.Match[str] | None, before: str, last: Amount, currency: str, top: float
) -> Period | None:
    if match is not None:
        for name, _ in _PERIODS:
            if match.group(name):
                return name
    for name, pattern in _PERIOD_BEFORE:
        if pattern.search(before):
            return name
    if last.lakh:
        return "year"
    if top < _MONTHLY_BELOW.get(currency, 0.0):
        return "month"
    # Unstated but unmistakable: nobody is paid 60,000 a month or an hour.
    return "year" if top >= _YEARLY_FROM.get(currency, 10_000.0) else None
