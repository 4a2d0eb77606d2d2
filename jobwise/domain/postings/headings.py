"""Recognise section headings ("Requirements", "## What you'll do", "NICE TO HAVE:") and their kind.

Two tiers keep headings apart from content. A line whose whole text is a known heading
phrase is a heading however it is formatted, because pastes from job boards lose their
bold and their colons. A line that merely contains a heading word must also look like a
heading (markdown, bold, ALL CAPS or a trailing colon), so a bullet such as
"Requirements gathering with stakeholders" stays content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jobwise.domain.postings.heading_phrases import (
    INLINE_KINDS,
    LEAD_IN_OK,
    LOOSE,
    STRICT_RE,
    Kind,
)
from jobwise.domain.postings.text import strip_markdown

__all__ = ["Heading", "Kind", "classify_heading", "heading_key"]


@dataclass(frozen=True, slots=True)
class Heading:
    kind: Kind
    text: str
    inline: str = ""
    """Content written on the heading's own line ("Requirements: Python, SQL")."""
    name: str | None = None
    """The company named by an "About Acme" heading."""
    known: bool = True
    """False for a line that is a heading only by its formatting ("## Acme Labs")."""


_KEY_DROP_RE = re.compile(r"[’'`´]")
_KEY_SPLIT_RE = re.compile(r"[^0-9a-z]+")
_ABOUT_NAME_RE = re.compile(
    r"(?i:about|why(?: (?:you should |you[’']ll want to )?join| work (?:at|for|with))?)"
    r" ([A-Z0-9][^:]{0,40})"
)
_ABOUT_STOP = frozenset({"you", "the", "this", "us", "our", "me", "working", "it"})
_TRAILING = " :：-–—?!.|"
# A colon line ending in one of these is a lead-in to a list ("Experience with one of:").
_LEAD_IN_WORDS = (
    "of with in to for and or the a an following include including like as are is be on by"
)
_LEAD_IN_ENDS = frozenset(_LEAD_IN_WORDS.split())
# "Role: Senior Engineer" is a header field, not a responsibilities section.
_LABEL_HEADS = frozenset({"role", "position", "job", "title", "type", "experience", "profile"})
MAX_HEADING_CHARS = 90


def heading_key(text: str) -> str:
    """Lower-case words only: "What You’ll Do:" becomes "what you ll do"."""
    lowered = _KEY_DROP_RE.sub(" ", text.lower()).replace("&", " and ").replace("+", " and ")
    return " ".join(_KEY_SPLIT_RE.split(lowered)).strip()


def classify_heading(line: str) -> Heading | None:
    """The heading this line is, or None when it is content."""
    stripped = line.strip()
    if len(stripped) > 160:
        return _inline(stripped)
    if not stripped:
        return None
    text = strip_markdown(stripped)
    formatted = text.rstrip(":： ") != stripped.rstrip(":： ")
    whole = text.rstrip(_TRAILING).strip()
    if whole and len(whole) <= MAX_HEADING_CHARS:
        heading = _whole_line(whole, formatted, text.endswith((":", "：")))
        if heading is not None:
            return heading
    return _inline(text)


def _whole_line(text: str, formatted: bool, colon: bool) -> Heading | None:
    key = heading_key(text)
    words = key.split()
    if not words or text.endswith(".") or len(words) > 9:
        return None
    kind = _strict_kind(key)
    if kind is not None:
        return Heading(kind, text)
    named = _about_name(text, key)
    if named is not None:
        return named
    caps = text.isupper() and len(words) >= 2 and sum(c.isalpha() for c in text) >= 10
    if not (formatted or caps or colon) or len(words) > 8:
        return None
    if not (formatted or caps) and words[-1] in _LEAD_IN_ENDS and not LEAD_IN_OK.search(key):
        return None
    for kind, pattern in LOOSE:
        if pattern.search(key):
            return Heading(kind, text)
    # An unknown heading in strong formatting still ends the section before it;
    # a plain "Experience with one of:" lead-in does not.
    if caps or ((formatted or colon) and _title_case(text)):
        return Heading(Kind.OTHER, text, known=False)
    return None


def _strict_kind(key: str) -> Kind | None:
    for kind, pattern in STRICT_RE.items():
        if pattern.fullmatch(key):
            return kind
    return None


def _about_name(text: str, key: str) -> Heading | None:
    """ "About Acme" and "Why Acme?" headings name the company."""
    match = _ABOUT_NAME_RE.fullmatch(text.rstrip(_TRAILING))
    if match is None or len(key.split()) > 6:
        return None
    name = match.group(1).strip()
    if name.split()[0].lower() in _ABOUT_STOP:
        return None
    kind = Kind.ABOUT_COMPANY if key.startswith("about") else Kind.BENEFITS
    return Heading(kind, text, name=name)


def _title_case(text: str) -> bool:
    words = [word for word in text.rstrip(":：").split() if word[:1].isalpha() and len(word) > 3]
    return bool(words) and all(word[:1].isupper() for word in words)


def _inline(text: str) -> Heading | None:
    """ "Requirements: Python, SQL and AWS." is a heading with its first item on the same line."""
    head, sep, rest = text.partition(":")
    if not sep or not rest.strip() or len(head) > 50:
        return None
    head = strip_markdown(head).rstrip(_TRAILING)
    key = heading_key(head)
    kind = _strict_kind(key) if key not in _LABEL_HEADS else None
    if kind not in INLINE_KINDS or kind is None:
        return None
    return Heading(kind, head, inline=rest.strip().strip("*_").strip())
