"""Cut a posting into headed sections (the items of a section are ``items.items_of``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jobwise.domain.postings.headings import Heading, Kind, classify_heading, heading_key
from jobwise.domain.postings.items import is_hard_wrapped, items_of
from jobwise.domain.postings.text import tidy

__all__ = [
    "Heading",
    "Kind",
    "Section",
    "benefits_sentence",
    "is_hard_wrapped",
    "items_of",
    "split_sections",
]


@dataclass(slots=True)
class Section:
    kind: Kind
    heading: str | None = None
    name: str | None = None
    heading_index: int | None = None
    known: bool = True
    """False when the heading is a heading by formatting alone (see ``Heading.known``)."""
    lines: list[tuple[int, str]] = field(default_factory=list)
    """(index in the paste, line) pairs, so header lines can be told apart later."""
    filled: bool = False
    """Whether the section holds a line of text (not only blanks): a flag, so a long
    section is not rescanned for every line added to it."""

    @property
    def texts(self) -> list[str]:
        return [line for _, line in self.lines]


def split_sections(lines: list[str]) -> list[Section]:
    """Sections in order; everything before the first heading is the PREAMBLE.

    A heading with its content on the same line ("Requirements: Python; SQL.") heads one
    paragraph only: the blank line after it ends the section, as e-mails are written.
    """
    sections = [Section(Kind.PREAMBLE)]
    inline_open = False
    for index, line in enumerate(lines):
        current = sections[-1]
        if not line.strip():
            if inline_open and current.lines:
                sections.append(Section(Kind.OTHER))
                inline_open = False
            current.lines.append((index, line))
            continue
        heading = classify_heading(line)
        if heading is not None and (_absorbed(current, heading) or _lead_in(current, heading)):
            heading = None
        if heading is None and _opens_wish_list(current, lines, index):
            sections.append(Section(Kind.REQUIRED, lines=[(index, line)], filled=True))
            inline_open = True
            continue
        if heading is None:
            headless = current.kind is Kind.OTHER and current.heading is None
            if headless and not current.filled:
                current.kind = _paragraph_kind(line)
                inline_open = current.kind is Kind.PREFERRED
            current.lines.append((index, line))
            current.filled = True
            continue
        sections.append(_start(heading, index))
        inline_open = bool(heading.inline)
    return sections


def _start(heading: Heading, index: int) -> Section:
    section = Section(heading.kind, heading.text, heading.name, index, heading.known)
    if heading.inline:
        section.lines.append((index, heading.inline))
        section.filled = True
    return section


_LEAD_INS = frozenset(
    {"you ll", "you will", "you d", "you would", "you should", "you must", "you have", "you are",
     "you", "we", "we ll", "we will", "you ll be", "you will be", "you ll have", "you will have"}
)  # fmt: skip
_LISTS = (Kind.REQUIRED, Kind.PREFERRED, Kind.RESPONSIBILITIES, Kind.BENEFITS)


def _lead_in(current: Section, heading: Heading) -> bool:
    """ "PERSON SPECIFICATION - SKILLS REQUIRED" then "You'll:" then the list: a bare
    pronoun lead-in right under a list's heading opens that list, not a new section."""
    return (
        current.kind in _LISTS
        and current.heading is not None
        and not current.filled
        and heading_key(heading.text) in _LEAD_INS
    )


def _absorbed(current: Section, heading: Heading) -> bool:
    """Indeed's "Profile insights" block lists "Skills" and "Education" of the reader's own
    profile: those sub-headings are not the posting's requirements."""
    insights = current.kind is Kind.OTHER and "insights" in (current.heading or "").lower()
    return insights and heading.kind in (Kind.REQUIRED, Kind.PREFERRED)


_PREFERRED_LEAD_RE = re.compile(
    r"(?:it would be|it'?d be|it[’']?s) (?:a )?(?:bonus|plus|great|nice)|bonus (?:points )?if"
    r"|ideally|nice to have|even better if|a plus if",
    re.IGNORECASE,
)


_REQUIRED_LEAD_RE = re.compile(
    r"(?:you[’']?d|you would|you[’']?ll|you will|you[’']?re|you are) (?:be )?(?:a )?(?:good"
    r"|great|strong|perfect|ideal) (?:fit|match)|you[’']?ll thrive (?:here )?if"
    r"|(?:we[’']?re|we are) looking for (?:someone|a person|people|candidates) (?:who|with)"
    r"|the ideal candidate (?:has|will have|brings)|you (?:should|must) have"
    r"|requirements include|to be considered,? you",
    re.IGNORECASE,
)
_PROSE_KINDS = (Kind.PREAMBLE, Kind.OTHER, Kind.ABOUT_ROLE, Kind.ABOUT_COMPANY)


def _opens_wish_list(current: Section, lines: list[str], index: int) -> bool:
    """A prose paragraph that opens like a requirements list ("You'd be a good fit if you
    have ...") in a posting without such a heading above it."""
    starts_paragraph = index == 0 or not lines[index - 1].strip()
    return (
        starts_paragraph
        and current.kind in _PROSE_KINDS
        and _REQUIRED_LEAD_RE.match(lines[index].strip()) is not None
    )


def _paragraph_kind(line: str) -> Kind:
    """A headless paragraph after an inline section: a wish list when it opens like one."""
    return Kind.PREFERRED if _PREFERRED_LEAD_RE.match(line.strip()) else Kind.OTHER


_OFFER_RE = re.compile(
    r"(?:^|[.!?] )(?:(?:The )?[A-Z][\w&.'-]*(?: (?:[A-Z][\w&.'-]*|&|of)){0,3}|We|The company"
    r"|Our company) (?:offers?|provides?)\b|\bbenefits include\b",
)
_PERK_RE = re.compile(
    r"\b(?:pension|insurance|holidays?|vacation|pto|medical|dental|health|leave"
    r"|equity|stock options|bonus|profit[- ]sharing|lunch(?:es)?|nursery|childcare|benefits"
    r"|gym|wellness)\b|\b401\(k\)",
    re.IGNORECASE,
)
PERKS_ALONE = 3
SHORT_PARAGRAPH = 400
"""A short paragraph naming this many different perks is a benefits statement even without
"we offer" ("33 days holiday ... Nursery benefits"); a long one is a company's story."""


def benefits_sentence(lines: list[str]) -> str | None:
    """Benefits stated in a paragraph ("Meridian offers a pension plan and 401(k) ...")
    when the posting has no benefits section; hard-wrapped lines are read as one."""
    for text in _paragraphs(lines):
        perks = {perk.lower() for perk in _PERK_RE.findall(text)}
        alone = len(perks) >= PERKS_ALONE and len(text) <= SHORT_PARAGRAPH
        if alone or (len(perks) >= 2 and _OFFER_RE.search(text)):
            return tidy(text)
    return None


def _paragraphs(lines: list[str]) -> list[str]:
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    return [" ".join(paragraph) for paragraph in paragraphs if paragraph]
