"""Title, company and location stated only in prose ("I'm recruiting for a Senior Data
Engineer role at Fintrex, a fintech based in London"): the fallback when the header
lines did not name them."""

from __future__ import annotations

import re

from jobwise.domain.postings.places import COMPANY_SUFFIX_RE, clean_location, looks_like_location
from jobwise.domain.postings.roles import has_role, names_a_unit, role_phrase
from jobwise.domain.postings.text import ends_with_abbreviation

PROSE_WINDOW = 3000
"""Only the opening of the body is searched: that is where a posting introduces itself."""

NAME = r"[A-Z0-9][\w&.'’-]*(?:[ ]+(?:[A-Z0-9][\w&.'’-]*|&|of|de)){0,3}"
_TITLE_CUE_RE = re.compile(
    r"\b(?:hiring|looking for|seeking|recruiting for|recruiting|searching for|role of|position of"
    r"|opening for|vacancy for|as (?:an?|our|the)|for (?:an?|our|the)|hire (?:an?|our)"
    r"|need (?:an?|our)|welcome (?:an?|our))[ :]+",
    re.IGNORECASE,
)
JOIN_CUE_RE = re.compile(
    rf"\b(?:[Jj]oin|[Jj]oining)[ ]+(?P<name>{NAME})(?![\w&.'’-])(?![ ]+teams?\b)"
)
"""A company named by an invitation to join it ("Join Acme", not "join our team")."""
NAME_IS_A_RE = re.compile(rf"(?:^|\n)(?P<name>{NAME})[ ]+(?:is|are)[ ]+(?:a|an|the)\b")
"""A line that opens by saying what a company is ("Acme is a fintech ...")."""
_COMPANY_PATTERNS = (
    re.compile(rf"(?:^|[.!?][ ]+|\n)(?P<name>{NAME})[ ]+(?:is|are)[ ]+(?:now[ ]+)?(?:hiring"
               r"|looking for|seeking|recruiting|searching)\b"),
    re.compile(rf"\b(?:role|position|job|opening|vacancy|opportunity)[ ]+(?:at|with)[ ]+"
               rf"(?P<name>{NAME})"),
    re.compile(rf"(?:^|\n)At[ ]+(?P<name>{NAME})[ ]*,"),
    re.compile(rf"\bat[ ]+(?P<name>{NAME}),[ ]+(?:an?|the)[ ]"),
    re.compile(rf"\b(?:team|teams|we|us)[ ]+at[ ]+(?P<name>{NAME})\b"),
    JOIN_CUE_RE,
    re.compile(rf"\b[Ww]e[ ]+(?:founded|started|created|built)[ ]+(?P<name>{NAME})[ ]+to\b"),
    re.compile(rf"\b(?:my client|our client|on behalf of)[ ,]+(?P<name>{NAME})"),
    re.compile(rf"\b(?:[Ww]e are|[Ww]e[’']re)[ ]+(?P<name>{NAME})[ ]*(?:,|[ ]+[-–—])"),
    NAME_IS_A_RE,
)  # fmt: skip
_LOCATION_RE = re.compile(
    r"\b(?:based in|based out of|located in|offices? in(?: the (?:cent(?:er|re)|heart) of)?"
    r"|hub in|(?:from|in|at) our|team in"
    r"|(?:position|role|job) (?:is )?in|relocate to)[ ]+(?P<place>[A-Z][\w.'-]*(?:[ ,]+[A-Z]"
    r"[\w.'-]*){0,3})"
)
_NOT_NAME_WORDS = """we our the this that it you they he she us join about here there what
    who as in at if hi hello a an my your their team company client
    candidates applicants responsibilities requirements benefits role
    position job you're we're i i'm please note apply hiring looking growing
    excited proud"""
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())
"""Sentence openers that a name pattern would otherwise take for a company."""


def title_in(text: str) -> str | None:
    """The first role named after a hiring cue ("looking for an experienced Data Engineer")."""
    window = text[:PROSE_WINDOW]
    for cue in _TITLE_CUE_RE.finditer(window):
        phrase = role_phrase(window[cue.end() : cue.end() + 160])
        if phrase and phrase[:1].isupper():
            return phrase
    return None


def companies_in(text: str, title: str | None = None) -> list[str]:
    """Every company the opening prose names, most telling pattern first."""
    window = text[:PROSE_WINDOW]
    found: list[str] = []
    for pattern in _COMPANY_PATTERNS:
        for match in pattern.finditer(window):
            name = clean_name(match.group("name"))
            if name and (title is None or not in_title(name, title)):
                found.append(name)
    return found


def in_title(name: str, title: str) -> bool:
    """A name inside the title is the title's own word ("Data Platform Engineer": "Data
    Platform is a team of six"), unless the title opens with an organisation's name
    ("Login.gov Senior Policy Lead")."""
    if name not in title:
        return False
    return not title.startswith(name) or names_a_unit(name)


def clean_name(name: str) -> str | None:
    words: list[str] = []
    name = name.strip(" ,'’")
    if not ends_with_abbreviation(name):
        name = name.rstrip(".")
    for word in name.split():
        if word.endswith(("'s", "’s")):
            # "Globex's Payments team": the company is the possessor.
            words.append(word[:-2])
            break
        words.append(word)
        if COMPANY_SUFFIX_RE.fullmatch(word):
            break  # "© 2025 Acme Inc. All rights reserved": the suffix ends the name
    while words and words[-1].lower() in {"&", "of", "de"}:
        words.pop()
    if not words or words[0].lower().strip("'’") in _NOT_NAMES or has_role(" ".join(words)):
        return None
    return " ".join(words)


_SUBJECT_RE = re.compile(
    rf"(?P<name>{NAME})[ ]+(?:is|are|isn[’']t|is not|was|builds|makes|helps|provides|offers"
    r"|develops|creates"
    r"|runs|operates|gives|lets|powers|designs|delivers|has|serves|moves|protects)\b"
)


def company_introduced(about: str) -> str | None:
    """The subject of an "About us" section's first sentence ("Acme Inc. builds rockets")."""
    match = _SUBJECT_RE.match(about.strip())
    return clean_name(match.group("name")) if match else None


def location_in(text: str) -> str | None:
    """A place the prose says the job is in ("a fintech based in London")."""
    for match in _LOCATION_RE.finditer(text[:PROSE_WINDOW]):
        words = match.group("place").split()
        for size in range(len(words), 0, -1):
            place = " ".join(words[:size]).strip(" ,.")
            if looks_like_location(place):
                return clean_location(place)
    return None
