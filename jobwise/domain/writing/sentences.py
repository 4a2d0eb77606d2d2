"""Sentences of a draft's prose, for the guard to judge one at a time.

A full stop ends a sentence unless it ends an abbreviation: a title ("Dr.", "Sr."), a
place ("St. Luke's", "Mt."), a company form ("Inc.", "Co."), a Latin short form ("e.g.",
"i.e."), an initial ("J. Smith") or an initialism ("U.S."). Splitting there would judge
"St." and "Luke's Hospital" apart, and removing one half would leave nonsense.
"""

from __future__ import annotations

import re

# After the stop and any closing quote or bracket, before a capital or an opening one.
_BOUNDARY = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[A-Z\"“(])")
_LAST_WORD = re.compile(r"(\S+)$")
ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "rev", "hon", "gen",
        "col", "capt", "lt", "sgt", "inc", "co", "corp", "ltd", "llc", "dept", "univ",
        "no", "nos", "vs", "etc", "e.g", "i.e", "cf", "approx", "est", "jan", "feb", "mar",
        "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    }
)  # fmt: skip
"""Words that end with a full stop without ending a sentence (case-folded, no last stop)."""


def split_sentences(text: str) -> list[str]:
    """``text`` cut at sentence ends, each piece stripped; abbreviations never end one."""
    pieces: list[str] = []
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        before = text[start : boundary.start()]
        if before.endswith(".") and not before.endswith("..") and _is_abbreviation(before):
            continue
        pieces.append(text[start : boundary.start()].strip())
        start = boundary.end()
    pieces.append(text[start:].strip())
    return [piece for piece in pieces if piece]


def _is_abbreviation(before: str) -> bool:
    found = _LAST_WORD.search(before[-40:])
    if found is None:
        return False
    word = found.group(1).lstrip('("“').rstrip(".")
    if len(word) == 1 and word.isalpha() and word.isupper():
        return True  # an initial: "J. Smith"
    if "." in word and all(part.isalpha() and len(part) <= 2 for part in word.split(".")):
        return True  # an initialism: "U.S.", "e.g.", "Ph.D."
    return word.casefold() in ABBREVIATIONS
