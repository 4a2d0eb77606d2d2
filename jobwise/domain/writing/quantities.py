"""Every quantity a sentence of a resume or cover letter states, normalised so the
fabrication guard can hold it against the candidate's profile ("forty percent" is 40%,
"$2.5M" is 2,500,000 dollars, "tenfold" is 10x, "a third of" is 33.333333%).

The text is cut into tokens once (one regular expression whose every repetition needs a
separator, so it cannot backtrack more than a character), then read left to right: each
token is tried as the start of a quantity with a lookahead of a few tokens at most, so
the whole reading is linear in the text.

The measure is the noun phrase right after the quantity (after "of" and "the", "our", ...
for a share: "40% of the tickets"): up to three words that are not function words,
comparatives ("faster") or adverbs, ending at the first plural ("10 million monthly
active users"). A range ("from 2 to 5 days", "30–40%", "$5–10M", "between 5 and 10
engineers") shares its unit, scale and measure with the end that lacks one, in both
``quantities_in`` and ``ranges_in``.

What is deliberately not a quantity:

- digits glued to letters other than a known unit or scale ("S3", "EC2", "p99", "H1B",
  "Q3", "3rd", "2FA", "24x7"), ordinals ("first", "third" alone);
- digits joined to digits by "/" ("24/7", "03/01/2024"), chains of three or more joined by
  "-" ("2024-03-01", "555-123-4567"), a pair joined by "-" where one has a leading zero
  ("2024-03"), dotted chains ("1.2.3"), phone numbers ("+1 555 123 4567", "(555) 123-4567"),
  runs of more than 15 digits (identifiers), numbers after "#" (ranks, issue numbers),
  numbers hyphenated onto a capitalised name ("GPT-4", "COVID-19", "SHA-256");
- versions, by one small rule: a number right after a capitalised (or dotted) word that
  is not a month or a function word ("Python 3.11", "Java 17", "Angular 2", "Node.js 18")
  is a version when it carries no unit and no scale; a whole number is still a count when
  a plural noun follows ("Fortune 500 companies") or when the word is only capitalised
  because it starts the sentence ("Hired 12", "Led 14"). A year is never a version;
- a day of the month ("June 15", "15 June").
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import NamedTuple

# --- the public answer ----------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    """One quantity as written, with its normalised value and canonical unit."""

    value: float
    unit: str
    written: str
    start: int
    end: int
    measure: str
    is_year: bool = False


def quantities_in(text: str) -> list[Quantity]:
    """Every quantity ``text`` states, in order. A range shares its unit and scale
    ("30–40%": 30 is 30%; "$5–10M": 5 is 5,000,000), as ``ranges_in`` reads it."""
    reader = _Reader(text)
    return [reader.quantity(found) for found in reader.found]


def ranges_in(text: str) -> list[tuple[Quantity, Quantity]]:
    """Pairs a sentence states as one change or span: "from 820 ms to 6 ms", "820ms → 6ms",
    "6 hours to 45 seconds", "between 5 and 10 engineers", "30–40%" (the unit shared),
    "from 2 to 5 days" (the unit given once applies to both)."""
    reader = _Reader(text)
    return [(reader.quantity(first), reader.quantity(second)) for first, second in reader.ranges]


def same_quantity(a: Quantity, b: Quantity) -> bool:
    """Equal values (to 1e-6) and the same unit; a bare count ("" unit) equals a
    quantity with a unit of the same value only when neither is a percentage or a ratio."""
    if abs(a.value - b.value) > 1e-6:
        return False
    if a.unit == b.unit:
        return True
    if a.unit and b.unit:
        return False
    return (a.unit or b.unit) not in _SHARES


# --- vocabulary -----------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SHARES = frozenset({"%", "pp", "x"})
_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_MULTIPLIER_WORDS = frozenset({*_SCALE_WORDS, "hundred"})
_NUMBER_WORDS = frozenset({*_SMALL, *_TENS, *_SCALE_WORDS, "hundred", "dozen"})
_FOLD_HEADS = {**_SMALL, **_TENS, "hundred": 100, "thousand": 1000}
_GLUED_SCALES = {"k": 1e3, "m": 1e6, "mm": 1e6, "b": 1e9, "bn": 1e9}
"""Glued scales: "m" is a million as in "$2m" (minutes are written "min")."""


def _units(names: str, unit: str, multiplier: float = 1.0) -> dict[str, tuple[str, float]]:
    return dict.fromkeys(names.split(), (unit, multiplier))


_TIME_UNITS = {
    **_units("ms msec msecs millisecond milliseconds", "ms"),
    **_units("s sec secs second seconds", "s"),
    **_units("min mins minute minutes", "min"),
    **_units("h hr hrs hour hours", "h"),
    **_units("day days", "day"),
    **_units("week weeks", "week"),
    **_units("month months", "month"),
    **_units("year years yr yrs", "year"),
    **_units("decade decades", "year", 10.0),
}
_DATA_UNITS = {
    **_units("kb kilobyte kilobytes", "KB"),
    **_units("mb megabyte megabytes", "MB"),
    **_units("gb gigabyte gigabytes", "GB"),
    **_units("tb terabyte terabytes", "TB"),
    **_units("pb petabyte petabytes", "PB"),
}
_UNIT_WORDS = {
    **_TIME_UNITS,
    **_DATA_UNITS,
    **_units("percent", "%"),
    **_units("pp p.p", "pp"),
    **_units("usd dollars", "$"),
    **_units("eur euros", "€"),
    **_units("gbp", "£"),
}
"""Units written as a word after a number, keyed by the lower-cased word."""
_GLUED_UNITS = {
    word: _UNIT_WORDS[word]
    for word in _words("ms msec s sec secs min mins h hr hrs yr yrs kb mb gb tb pb pp percent")
}
_GLUED_UNITS["x"] = ("x", 1.0)
_SIGNS = {"%": "%", "×": "x"}
_CURRENCY_SIGNS = {"$": "$", "€": "€", "£": "£"}
_CURRENCY_CODES = {"usd": "$", "eur": "€", "gbp": "£"}
_FAMILIES = {unit: "time" for unit, _ in _TIME_UNITS.values()} | {
    unit: "data" for unit, _ in _DATA_UNITS.values()
}
_RATIO_VERBS = {
    **_units("double doubled doubles doubling", "x", 2.0),
    **_units("triple tripled triples tripling", "x", 3.0),
    **_units("quadruple quadrupled quadruples quadrupling", "x", 4.0),
    **_units("halved halving", "%", 50.0),
}
_STARTERS = frozenset({*_SMALL, *_TENS, *_RATIO_VERBS, *_CURRENCY_CODES, "a", "an", "half", "in"})
"""The words a quantity written in words can start with ("tenfold" aside)."""
_NEEDS_NEXT = {
    "a": _words("dozen couple decade third quarter hundred thousand million billion trillion"),
    "in": _words("half"),
}
_NEEDS_NEXT["an"] = _NEEDS_NEXT["a"]
_FREQUENCY_AFTER = _words("a an per each every daily weekly monthly yearly annually")
"""After "times", these make it a count of occurrences ("3 times a week"), not a ratio."""
_MONTHS = _words(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_SENTENCE_OPENERS = frozenset({".", "!", "?", ":", ";", "•", "*", "-", "–", "—", "(", '"', "“"})
_NOT_NAMES = _MONTHS | _words("usd eur gbp top over under about nearly almost around")
"""Capitalised words a number after which is still a quantity ("Over 40", "USD 40,000")."""
_DETERMINERS = _words("the our my their its his her your all these those")
_STOP = _words(
    """a an the this that these those each every all some any both either neither no not
    our my their his her its your of in on at by for from to with within without across
    over under into onto per via through between among after before during since until
    about around than as like toward towards upon off out up down and or but nor so yet
    while whereas because if when where which who whom whose i we you he she it they me
    us them is are was were be been being has have had do does did will would can could
    should may might must shall more less fewer faster slower higher lower better worse
    cheaper quicker smaller larger bigger greater longer shorter earlier later sooner also
    only just very too ago now then there here again always sometimes perhaps besides
    unless overall respectively grew rose fell saw led ran won built made took gave went
    came became began brought got kept left met paid sold sent spent wrote drove cut set
    put times"""
)
"""Words that end a measure phrase: function words, comparatives, common past tenses."""
_ARROWS = frozenset({"-", "–", "→", "⟶", "⇒", "- >", "= >"})
_CONNECTORS = _ARROWS | {"to", "down to", "up to", "and"}
"""What joins the two ends of a span ("from 5 to 10", "30–40%", "820ms → 6ms")."""
_HOW_OFTEN = _words("hourly daily nightly weekly monthly quarterly yearly")
_IRREGULAR_PLURALS = _words(
    "people staff children men women personnel data media criteria feet teeth"
)

# --- tokens ---------------------------------------------------------------------------

_TOKEN = re.compile(
    r"(?P<num>[0-9]+(?:[.,][0-9]+)*)(?P<suffix>\w*)|(?P<word>\w+(?:\.\w+)*)|(?P<punct>\S)"
)
_DIGIT = re.compile(r"\d")
_LITERAL = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")
_PHONE = re.compile(
    r"(?<![\w+])\+[0-9]{1,3}(?:[ .-]\(?[0-9]{1,4}\)?){2,5}(?!\w)"
    r"|(?<!\w)\([0-9]{2,4}\)[ .-]?[0-9]{3,4}[ .-][0-9]{3,4}(?!\w)"
)
"""International ("+44 20 7946 0958") and bracketed ("(555) 123-4567") phone numbers:
every repetition starts with a separator, so a failed match gives back a few digits only."""
_MAX_DIGITS = 15


class _Token(NamedTuple):
    text: str
    lower: str
    start: int
    end: int
    kind: str  # "num" (digits, maybe a suffix), "word", "mixed" (letters, digits), "punct"
    gap: int  # before it: 0 nothing, 1 spaces, 2 a line break
    digits: str = ""  # of a "num": "2,000", "3.2"
    suffix: str = ""  # of a "num": "k" in "3.2k", "ms" in "820ms"


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    previous_end = 0
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        gap = 0 if start == previous_end else 2 if text.find("\n", previous_end, start) >= 0 else 1
        previous_end = end
        written = match.group()
        kind = match.lastgroup
        if kind == "suffix":
            digits, suffix = match.group("num", "suffix")
            tokens.append(_Token(written, written, start, end, "num", gap, digits, suffix))
            continue
        if kind == "word" and not written.isalpha() and _DIGIT.search(written):
            kind = "mixed"
        lower = written if kind == "punct" else written.lower()
        tokens.append(_Token(written, lower, start, end, kind or "punct", gap))
    return tokens


def _may_start(token: _Token) -> bool:
    """Whether a quantity can start at ``token`` (checked first: most tokens cannot)."""
    if token.kind == "num":
        return True
    if token.kind == "punct":
        return token.text in _CURRENCY_SIGNS
    return token.lower in _STARTERS or token.lower.endswith("fold")


def _plural(word: str) -> bool:
    if word in _IRREGULAR_PLURALS:
        return True
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


# --- reading --------------------------------------------------------------------------


@dataclass(slots=True)
class _Found:
    """A quantity being read: token indices, the number as written and what scales it."""

    first: int
    last: int
    number: float
    multiplier: float = 1.0
    unit: str = ""
    measure: str = ""
    reach: int = -1  # the last token read with it, its measure included
    is_year: bool = False


class _Reader:
    """Reads ``text`` once: ``found`` holds its quantities, ``ranges`` the linked pairs."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.blocked = self._blocked()
        self.found: list[_Found] = []
        index = 0
        while index < len(self.tokens):
            found = self._read_at(index) if _may_start(self.tokens[index]) else None
            if found is None:
                index += 1
                continue
            self.found.append(found)
            index = max(found.reach, found.last) + 1
        self.ranges = self._link_ranges()

    def quantity(self, found: _Found) -> Quantity:
        start, end = self.tokens[found.first].start, self.tokens[found.last].end
        value = round(found.number * found.multiplier, 6)
        written = self.text[start:end]
        return Quantity(value, found.unit, written, start, end, found.measure, found.is_year)

    # token helpers

    def _lower(self, index: int) -> str:
        return self.tokens[index].lower if 0 <= index < len(self.tokens) else ""

    def _next_is(self, index: int, *words: str) -> bool:
        """Whether token ``index + 1`` is one of ``words``, on the same line."""
        return self._next_in(index, words)

    def _next_in(self, index: int, words: Collection[str]) -> bool:
        following = index + 1
        return (
            following < len(self.tokens)
            and self.tokens[following].gap < 2
            and self.tokens[following].lower in words
        )

    def _previous_is(self, index: int, *words: str) -> bool:
        return self._previous_in(index, words)

    def _previous_in(self, index: int, words: Collection[str]) -> bool:
        return index > 0 and self.tokens[index].gap < 2 and self.tokens[index - 1].lower in words

    def _joined_hyphen(self, index: int) -> bool:
        """Whether token ``index`` is a "-" glued to the tokens either side of it."""
        tokens = self.tokens
        return (
            0 < index < len(tokens) - 1
            and tokens[index].text == "-"
            and tokens[index].gap == 0
            and tokens[index + 1].gap == 0
        )

    # what is never a quantity

    def _blocked(self) -> list[bool]:
        blocked = [False] * len(self.tokens)
        self._block_phones(blocked)
        numbers = [index for index, token in enumerate(self.tokens) if token.kind == "num"]
        self._block_chains(blocked, numbers)
        for index in numbers:
            if self.tokens[index].gap == 0 and self._lower(index - 1) in ("#", "'"):
                blocked[index] = True  # "#1" is a rank, "'90s" a decade
            blocked[index] = blocked[index] or self._hyphenated_name(index)
        return blocked

    def _hyphenated_name(self, index: int) -> bool:
        """Whether a number is part of the capitalised name it is hyphenated onto ("GPT-4",
        "COVID-19", "H-1B", "SHA-256"); a lower-case prefix keeps it ("mid-2019")."""
        if index < 2 or not self._joined_hyphen(index - 1):
            return False
        name = self.tokens[index - 2]
        return name.kind == "mixed" or (name.kind == "word" and not name.text.islower())

    def _block_phones(self, blocked: list[bool]) -> None:
        index = 0
        for match in _PHONE.finditer(self.text):
            while index < len(self.tokens) and self.tokens[index].end <= match.start():
                index += 1
            while index < len(self.tokens) and self.tokens[index].start < match.end():
                blocked[index] = True
                index += 1

    def _block_chains(self, blocked: list[bool], numbers: list[int]) -> None:
        """Digits joined by "/" or "-" without spaces: dates, "24/7", phone numbers."""
        done = -1
        for index in numbers:
            if index <= done:
                continue
            chain, slashed = [index], False
            while self._joined_number(chain[-1]):
                slashed = slashed or self.tokens[chain[-1] + 1].text == "/"
                chain.append(chain[-1] + 2)
            if slashed or len(chain) > 2 or (len(chain) == 2 and self._zero_led(chain)):
                for member in chain:
                    blocked[member] = True
            done = chain[-1]

    def _joined_number(self, index: int) -> bool:
        """Whether a "/" or "-" glues the number at ``index`` to a number after it."""
        tokens = self.tokens
        return (
            index + 2 < len(tokens)
            and tokens[index + 1].text in ("/", "-")
            and tokens[index + 1].gap == 0
            and tokens[index + 2].gap == 0
            and tokens[index + 2].kind == "num"
        )

    def _zero_led(self, chain: list[int]) -> bool:
        return any(self.tokens[member].digits[:1] == "0" for member in chain)

    # one quantity at a token

    def _read_at(self, index: int) -> _Found | None:
        token = self.tokens[index]
        if token.kind == "num":
            return self._numeral(index)
        if token.text in _CURRENCY_SIGNS or token.lower in _CURRENCY_CODES:
            return self._currency(index)
        if token.kind == "word":
            return self._worded(index)
        return None

    def _number(self, index: int) -> tuple[float, float, str] | None:
        """The number of a "num" token: its value, glued scale and glued unit."""
        token = self.tokens[index]
        if self.blocked[index] or len(token.digits) > 2 * _MAX_DIGITS:
            return None
        digits = token.digits
        if not digits.isdigit() and _LITERAL.fullmatch(digits) is None:
            return None
        whole = digits if digits.isdigit() else digits.split(".")[0].replace(",", "")
        if len(whole) > 1 and whole[0] == "0":
            return None  # "007", "03": codes and dates, not amounts
        if len(digits) - digits.count(",") - digits.count(".") > _MAX_DIGITS:
            return None  # an account or order number
        suffix = token.suffix.lower()
        number = float(digits.replace(",", ""))
        if not suffix:
            return number, 1.0, ""
        if suffix in _GLUED_UNITS and not (suffix == "s" and self._plural_number(index)):
            unit, multiplier = _GLUED_UNITS[suffix]
            return number, multiplier, unit
        if suffix in _GLUED_SCALES:
            return number, _GLUED_SCALES[suffix], ""
        return None

    def _plural_number(self, index: int) -> bool:
        """Whether an "s" makes a number plural, not seconds: a decade of the calendar
        ("1990s", "the 80s") or a rough count ("10s of millions")."""
        digits = self.tokens[index].digits
        if not digits.isdigit() or digits[-1] != "0":
            return False
        if self._next_is(index, "of"):
            return True
        return len(digits) == 4 or (len(digits) == 2 and self._previous_is(index, "the"))

    def _numeral(self, index: int) -> _Found | None:
        read = self._number(index)
        if read is None:
            return None
        number, multiplier, unit = read
        found = _Found(index, index, number, multiplier, unit)
        self._tail(found, scaled=multiplier != 1.0 or bool(unit))
        if self._plain(found) and not self._settle_plain(found):
            return None
        return found

    def _settle_plain(self, found: _Found) -> bool:
        """A number written alone is a year, a count, or (False) no quantity at all."""
        if self._year_shaped(found):
            self._decide_year(found)
            return True
        return not self._calendar_or_version(found)

    def _currency(self, index: int) -> _Found | None:
        token = self.tokens[index]
        after = index + 1
        if after >= len(self.tokens) or self.tokens[after].gap == 2:
            return None
        if self.tokens[after].kind != "num":
            return None
        read = self._number(after)
        if read is None or read[2]:
            return None
        unit = _CURRENCY_SIGNS.get(token.text) or _CURRENCY_CODES[token.lower]
        found = _Found(index, after, read[0], read[1], unit)
        self._scale_word(found, scaled=read[1] != 1.0)
        self._measure_into(found)
        return found

    def _tail(self, found: _Found, *, scaled: bool) -> None:
        """What may follow a number: a scale word, "dozen", a unit, a "+", a measure."""
        if not self._may_continue(found.last):
            return
        self._scale_word(found, scaled=scaled)
        if self._next_is(found.last, "dozen"):
            found.multiplier *= 12
            found.last += 1
        if not found.unit:
            self._unit_into(found)
        if found.measure == "":
            self._measure_into(found)

    def _may_continue(self, index: int) -> bool:
        """Whether the token after ``index`` can be part of a quantity's tail (most
        often it cannot, and a number-heavy text is read faster for knowing it)."""
        following = index + 1
        if following >= len(self.tokens) or self.tokens[following].gap == 2:
            return False
        token = self.tokens[following]
        if token.kind in ("word", "mixed") or token.text in _SIGNS:
            return True
        return token.gap == 0 and token.text in ("-", "+")  # "10-fold", "10k+"

    def _scale_word(self, found: _Found, *, scaled: bool) -> None:
        if not scaled and self._next_in(found.last, _SCALE_WORDS):
            found.multiplier *= _SCALE_WORDS[self.tokens[found.last + 1].lower]
            found.last += 1

    def _unit_into(self, found: _Found) -> None:
        after = found.last + 1
        if after >= len(self.tokens) or self.tokens[after].gap == 2:
            return
        if self._joined_hyphen(after) or self._plus(after):  # "10-fold", "30-day", "5+ years"
            after += 1
        word = self.tokens[after].lower
        if word in _SIGNS:
            found.unit, found.last = _SIGNS[word], after
        elif word in _UNIT_WORDS:
            unit, multiplier = _UNIT_WORDS[word]
            found.unit, found.multiplier, found.last = unit, found.multiplier * multiplier, after
        elif word == "fold":
            found.unit, found.last = "x", after
        elif word == "per" and self._next_is(after, "cent"):
            found.unit, found.last = "%", after + 1
        elif word == "percentage" and self._next_is(after, "points", "point"):
            found.unit, found.last = "pp", after + 1
        elif word == "times":
            self._times_into(found, after)

    def _times_into(self, found: _Found, times: int) -> None:
        """Ratio or count: "ten times" is 10x; "3 times a week" counts occurrences."""
        if self._next_in(times, _FREQUENCY_AFTER):
            found.measure, found.reach = "times", times
        else:
            found.unit, found.last = "x", times

    def _measure_into(self, found: _Found) -> None:
        start = max(found.last, found.reach) + 1
        start += self._plus(start)  # "10k+ users"
        measure, last = self._measure(start)
        if measure:
            found.measure, found.reach = measure, last

    def _measure(self, start: int) -> tuple[str, int]:
        """The noun phrase (1-3 words) at ``start``, after an optional "of" (and "the",
        "our", ...) or a glued hyphen ("12-person team"), and its last token. It ends at
        its first plural ("14 engineers", "monthly active users")."""
        index = self._measure_start(start)
        words: list[tuple[str, int]] = []
        while len(words) < 3 and self._noun_like(index):
            word, end = self._compound(index)
            words.append((word, end))
            index = end + 1
            if _plural(word.rsplit("-", 1)[-1]):
                break
        else:  # no plural: a trailing participle is a verb ("$2M revenue generated")
            while words and words[-1][0].endswith(("ed", "ing")):
                words.pop()
        if not words:
            return "", start - 1
        return " ".join(word for word, _ in words), words[-1][1]

    def _measure_start(self, start: int) -> int:
        if self._lower(start) == "of" and self.tokens[start].gap == 1:
            after = start + 1
            determiner = self._lower(after) in _DETERMINERS and self.tokens[after].gap == 1
            return after + determiner
        if self._joined_hyphen(start) and self.tokens[start + 1].kind == "word":
            return start + 1
        return start

    def _plus(self, index: int) -> bool:
        """Whether token ``index`` is a "+" glued to the number before it, with more after."""
        tokens = self.tokens
        return (
            index + 1 < len(tokens)
            and tokens[index].text == "+"
            and tokens[index].gap == 0
            and tokens[index + 1].gap < 2
        )

    def _noun_like(self, index: int) -> bool:
        if index >= len(self.tokens):
            return False
        token = self.tokens[index]
        if not (token.gap == 1 or self._joined_hyphen(index - 1)):
            return False
        if token.kind == "mixed":  # a name with digits in it: "400 EC2 instances"
            return token.text[0].isalpha() and token.text.isalnum()
        if token.kind != "word" or not token.text.isalpha() or token.lower in _NUMBER_WORDS:
            return False
        if token.lower.endswith("ly"):  # an adverb ("roughly"), unless it says how often
            return token.lower in _HOW_OFTEN
        return token.lower not in _STOP

    def _compound(self, index: int) -> tuple[str, int]:
        """A word and up to two parts hyphenated onto it ("cross-functional")."""
        word, end = self.tokens[index].lower, index
        for _ in range(2):
            if not (self._joined_hyphen(end + 1) and self.tokens[end + 2].kind == "word"):
                break
            part = self.tokens[end + 2]
            if not part.text.isalpha() or part.lower in _NUMBER_WORDS:
                break
            word, end = f"{word}-{part.lower}", end + 2
        return word, end

    # years, versions, days of the month

    def _plain(self, found: _Found) -> bool:
        """A number written alone: no suffix, unit, scale or sign."""
        token = self.tokens[found.first]
        return (
            token.kind == "num"
            and not token.suffix
            and found.first == found.last
            and not found.unit
            and found.multiplier == 1.0
        )

    def _year_shaped(self, found: _Found) -> bool:
        digits = self.tokens[found.first].digits
        return len(digits) == 4 and digits.isdigit() and 1950 <= int(digits) <= 2099

    def _calendar_or_version(self, found: _Found) -> bool:
        """A day of the month ("June 15") or a version ("Python 3.11", "Java 17")."""
        index, token = found.first, self.tokens[found.first]
        if token.digits.isdigit() and int(token.digits) <= 31 and self._beside_month(index):
            return True
        if index == 0 or token.gap != 1 or not self._product_name(self.tokens[index - 1]):
            return False
        if "." in token.digits:
            return True
        if self._opens_sentence(index - 1) and self.tokens[index - 1].text[1:].islower():
            return False  # "Hired 12": a capital that only starts the sentence
        return not _plural(found.measure.rsplit(" ", 1)[-1])

    def _opens_sentence(self, index: int) -> bool:
        if index == 0 or self.tokens[index].gap == 2:
            return True
        return self.tokens[index - 1].text in _SENTENCE_OPENERS

    def _beside_month(self, index: int) -> bool:
        return self._previous_in(index, _MONTHS) or self._next_in(index, _MONTHS)

    @staticmethod
    def _product_name(token: _Token) -> bool:
        if token.kind != "word" or token.lower in _STOP or token.lower in _NOT_NAMES:
            return False
        return "." in token.text or any(char.isupper() for char in token.text)

    def _decide_year(self, found: _Found) -> None:
        """1950-2099 as four digits is a year unless a plural noun follows ("2019 users")."""
        if found.measure and _plural(found.measure.rsplit(" ", 1)[-1]):
            return
        found.is_year, found.measure, found.reach = True, "", found.last

    # quantities written in words

    def _worded(self, index: int) -> _Found | None:
        word = self.tokens[index].lower
        if word not in _STARTERS and not word.endswith("fold"):
            return None
        if word in _NEEDS_NEXT and not self._next_in(index, _NEEDS_NEXT[word]):
            return None  # "a", "in": most often no quantity at all
        if word in _RATIO_VERBS and not self._joined_hyphen(index + 1):
            unit, number = _RATIO_VERBS[word]
            verb = _Found(index, index, number, unit=unit)
            self._measure_into(verb)
            return verb
        for reader in (self._fold, self._half, self._fraction, self._phrase, self._counted):
            found = reader(index)
            if found is not None:
                return found
        return None

    def _fold(self, index: int) -> _Found | None:
        """A ratio in one word: "tenfold", "twofold", "hundredfold"."""
        word = self.tokens[index].lower
        if not word.endswith("fold") or word[:-4] not in _FOLD_HEADS:
            return None
        found = _Found(index, index, float(_FOLD_HEADS[word[:-4]]), unit="x")
        self._measure_into(found)
        return found

    def _half(self, index: int) -> _Found | None:
        """Half as a share: "half of", "by half", "in half" (50%); or "half a dozen" (6)."""
        word = self.tokens[index].lower
        if word == "in" and self._next_is(index, "half"):
            found = _Found(index, index + 1, 50.0, unit="%")
        elif word != "half":
            return None
        elif self._next_is(index, "a") and self._next_is(index + 1, "dozen"):
            found = _Found(index, index + 2, 6.0)
            self._tail(found, scaled=True)
            return found
        elif self._next_is(index, "of") or self._previous_is(index, "by"):
            found = _Found(index, index, 50.0, unit="%")
        else:
            return None
        self._measure_into(found)
        return found

    def _fraction(self, index: int) -> _Found | None:
        """A share: "one third", "two thirds", "a third of", "by a quarter", "three quarters of";
        a quarter is a share only with "of" or "by" (else it is a calendar quarter)."""
        count = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3}.get(self.tokens[index].lower)
        part = index + 1 + self._joined_hyphen(index + 1)
        if count is None or part >= len(self.tokens) or self.tokens[part].gap == 2:
            return None
        word = self.tokens[part].lower
        if self._joined_hyphen(part + 1):
            return None  # "one third-party vendor"
        if word in ("third", "thirds") and count < 3:
            share = 100 * count / 3
            needs_context = self.tokens[index].lower in ("a", "an")
        elif word in ("quarter", "quarters") and count != 2:
            share, needs_context = 25.0 * count, True
        elif word == "half" and count == 1 and self.tokens[index].lower == "one":
            share, needs_context = 50.0, False
        else:
            return None
        if needs_context and not (self._next_is(part, "of") or self._previous_is(index, "by")):
            return None
        found = _Found(index, part, share, unit="%")
        self._measure_into(found)
        return found

    def _phrase(self, index: int) -> _Found | None:
        """A set phrase: "a dozen" (12), "a couple of" (2), "a decade" (10 years)."""
        if self.tokens[index].lower not in ("a", "an"):
            return None
        if self._next_is(index, "dozen"):
            found = _Found(index, index + 1, 12.0)
        elif self._next_is(index, "couple") and self._next_is(index + 1, "of"):
            found = _Found(index, index + 2, 2.0)
        elif self._next_is(index, "decade"):
            found = _Found(index, index + 1, 1.0, 10.0, "year")
        else:
            return None
        self._tail(found, scaled=True)
        return found

    def _counted(self, index: int) -> _Found | None:
        """A number in words: "fourteen", "twenty-five", "two hundred", "a million"."""
        if self._pronoun_one(index):
            return None
        read = self._word_number(index)
        if read is None:
            return None
        number, last, scaled = read
        found = _Found(index, last, number)
        self._tail(found, scaled=scaled)
        return found

    def _pronoun_one(self, index: int) -> bool:
        """Whether this "one" counts nothing: "one of the", "the one", "one-on-one"."""
        if self.tokens[index].lower != "one":
            return False
        return (
            self._next_is(index, "of")
            or self._previous_is(index, "the", "this", "that", "any", "every", "each", "no")
            or self._joined_hyphen(index + 1)
            or self._joined_hyphen(index - 1)
        )

    def _word_number(self, index: int) -> tuple[float, int, bool] | None:
        """Value, last token and whether a scale word was read, of a number in words."""
        read = self._below_hundred(index)
        word = self.tokens[index].lower
        if read is None:
            if word not in ("a", "an") or not self._next_in(index, _MULTIPLIER_WORDS):
                return None
            read = (1.0, index)
        number, last = read
        if self._next_is(last, "hundred"):
            number, last = number * 100, last + 1
            rest = self._rest_of_hundreds(last)
            if rest is not None:
                number, last = number + rest[0], rest[1]
        if self._next_in(last, _SCALE_WORDS):
            return number * _SCALE_WORDS[self.tokens[last + 1].lower], last + 1, True
        return number, last, False

    def _rest_of_hundreds(self, hundred: int) -> tuple[float, int] | None:
        """The rest after "hundred": "(and) twenty-five", unless it starts the next number of a
        pair ("between one hundred and two hundred")."""
        start = hundred + 1 + self._next_is(hundred, "and")
        if start >= len(self.tokens) or self.tokens[start].gap == 2:
            return None
        read = self._below_hundred(start)
        if read is None or self._next_in(read[1], _MULTIPLIER_WORDS):
            return None
        return read

    def _below_hundred(self, index: int) -> tuple[float, int] | None:
        word = self.tokens[index].lower
        if word in _SMALL:
            return float(_SMALL[word]), index
        if word not in _TENS:
            return None
        unit_at = index + 1 + self._joined_hyphen(index + 1)
        if unit_at < len(self.tokens) and self.tokens[unit_at].gap < 2:
            unit = _SMALL.get(self.tokens[unit_at].lower, 0)
            if 1 <= unit <= 9:
                return float(_TENS[word] + unit), unit_at
        return float(_TENS[word]), index

    # ranges

    def _link_ranges(self) -> list[tuple[_Found, _Found]]:
        pairs: list[tuple[_Found, _Found]] = []
        for first, second in zip(self.found, self.found[1:], strict=False):
            after = max(first.last, first.reach) + 1
            if not 0 < second.first - after <= 2:
                continue
            if self._linked(first, second, self.tokens[after : second.first]):
                _share(first, second)
                pairs.append((first, second))
        return pairs

    def _linked(self, first: _Found, second: _Found, between: list[_Token]) -> bool:
        """Whether ``between`` joins two quantities into one span: "from A to B", "A to B"
        (not "by A to B"), "between A and B", "A–B", "A → B"."""
        words = between[0].lower if len(between) == 1 else f"{between[0].lower} {between[1].lower}"
        if words not in _CONNECTORS or self.tokens[second.first].gap == 2:
            return False
        if any(token.gap == 2 for token in between):
            return False
        opener = self._lower(first.first - 1)
        if words == "and":
            joined = opener == "between"
        elif words in _ARROWS:  # "A-B" with nothing between: "30–40%", not "5 hours - 10"
            joined = first.reach <= first.last and (len(between) == 1 or between[1].gap == 0)
        elif opener == "from":
            joined = True
        else:
            joined = words == "to" and opener != "by" and not _unit_only(first, second)
        return joined and _compatible(first, second)


def _unit_only(first: _Found, second: _Found) -> bool:
    """Whether only the first has a unit ("40% to 12"): without a "from", no span."""
    return bool(first.unit) and not second.unit


def _family(unit: str) -> str:
    return _FAMILIES.get(unit, unit)


def _compatible(first: _Found, second: _Found) -> bool:
    """Two quantities that can be the ends of one span: both years or neither, units of
    one family, one measure; a unit shared only onto a side that measures nothing."""
    if first.is_year != second.is_year:
        return False
    if first.unit and second.unit and _family(first.unit) != _family(second.unit):
        return False
    if first.measure and second.measure and first.measure != second.measure:
        return False
    if first.unit and not second.unit and second.measure:
        return False
    return not (second.unit and not first.unit and first.measure)


def _share(first: _Found, second: _Found) -> None:
    """The unit, scale and measure written once apply to both ends ("30–40%",
    "$5–10M", "between 5 and 10 engineers"); a scale only onto a smaller first number."""
    if second.unit and not first.unit:
        first.unit = second.unit
    elif first.unit and not second.unit:
        second.unit = first.unit
    if second.multiplier != 1.0 and first.multiplier == 1.0 and first.number <= second.number:
        first.multiplier = second.multiplier
    if not first.measure:
        first.measure = second.measure
    elif not second.measure:
        second.measure = first.measure
