"""The employer of a careers page that names it only in passing: in prose ("Join Acme",
"At Acme we ...", "Acme offers ..."), in its footer ("© 2025 Acme Inc.") or in its links
("careers.acme.com/...", "jobs.lever.co/acme/...", "boards.greenhouse.io/acme").

Such a page can name other companies too ("like joining Google in 1999"): of the names it
introduces as an employer, the one it mentions most is its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import chain, islice

from jobwise.domain.postings.sentences import JOIN_CUE_RE, NAME, NAME_IS_A_RE, clean_name, in_title

MAX_CANDIDATES = 20
"""Names weighed at most: a page introduces its employer a few times, not hundreds. The
cues and links are scanned lazily and the scan stops at this many names."""

_CUES = (
    re.compile(rf"\b[Ww]hy (?:you should |you['’]ll want to )?join[ ]+(?P<name>{NAME})"),
    JOIN_CUE_RE,
    re.compile(rf"\b[Aa]t[ ]+(?P<name>{NAME}),?[ ]+we\b"),
    re.compile(r"\b[Aa]s[ ]+(?P<name>[A-Z0-9][\w&.-]{0,40})['’]s[ ]+[A-Z]"),
    NAME_IS_A_RE,
    re.compile(rf"(?:^|[.!?][ ]+|\n)(?P<name>{NAME})[ ]+(?:offers|provides|partners with"
               r"|was founded|is on a mission|is hiring|is looking for)\b"),
    # One optional space between the parts, never two runs side by side: "© 2025" and a
    # long run of spaces would otherwise be split every way before the name fails.
    re.compile(rf"(?:©|\([Cc]\)|\b[Cc]opyright)[ ]?(?:©[ ]?)?(?:\d{{4}}(?:[ ]?[-–][ ]?\d{{4}})?"
               rf",?[ ]?)?(?P<name>{NAME})"),
)  # fmt: skip
_HOSTED = (
    # careers.acme.com, jobs.acme.io, acme.com/careers
    re.compile(r"\b(?:careers|jobs|work)\.(?P<slug>[a-z0-9-]{2,40})\.[a-z]{2,6}\b", re.I),
    re.compile(r"\b(?:www\.)?(?P<slug>[a-z0-9-]{2,40})\.[a-z]{2,6}/(?:careers|jobs)\b", re.I),
    # applicant-tracking boards: the company is the first path segment or the subdomain
    re.compile(
        r"\b(?:jobs\.lever\.co|boards\.greenhouse\.io|job-boards\.greenhouse\.io"
        r"|jobs\.ashbyhq\.com|apply\.workable\.com|jobs\.smartrecruiters\.com)/(?P<slug>[\w-]{2,40})",
        re.I,
    ),
    re.compile(
        r"\b(?P<slug>[a-z0-9-]{2,40})\.(?:workable\.com|bamboohr\.com|recruitee\.com|breezy\.hr"
        r"|teamtailor\.com|applytojob\.com|freshteam\.com|personio\.(?:de|com))\b",
        re.I,
    ),
)
_BOARD_WORDS = frozenset(
    {"www", "jobs", "careers", "boards", "apply", "job-boards", "embed", "lever", "greenhouse",
     "ashbyhq", "workable", "smartrecruiters", "bamboohr", "recruitee", "breezy", "teamtailor",
     "applytojob", "freshteam", "personio", "linkedin", "indeed", "glassdoor"}
)  # fmt: skip
"""Hosts and path words that name the board, not the company it hosts."""


def company_named(
    text: str, raw: str = "", named: Iterable[str] = (), title: str | None = None
) -> str | None:
    """The employer ``text`` introduces, weighed with the names already found in its
    opening (``named``), or the one its links are hosted for (``raw`` is the paste as
    pasted, link targets included). A name inside ``title`` is the title's own word (see
    ``sentences.in_title``)."""
    introduced = (name for name in _introduced(text) if title is None or not in_title(name, title))
    candidates = list(islice(chain(named, introduced), MAX_CANDIDATES))
    if not candidates:
        candidates = list(islice(_hosted(raw or text, text), MAX_CANDIDATES))
    if not candidates:
        return None
    counts = {name: mentions(name, text) for name in dict.fromkeys(candidates)}
    return max(counts, key=lambda name: (counts[name], -candidates.index(name)))


def _introduced(text: str) -> Iterable[str]:
    for pattern in _CUES:
        for match in pattern.finditer(text):
            name = clean_name(match.group("name"))
            if name:
                yield name


def _hosted(raw: str, text: str) -> Iterable[str]:
    for pattern in _HOSTED:
        for match in pattern.finditer(raw):
            slug = match.group("slug")
            if slug.lower() not in _BOARD_WORDS:
                yield _as_written(slug, text)


def _as_written(slug: str, text: str) -> str:
    """ "acme-payments" as the posting spells it ("Acme Payments"), or capitalised."""
    words = slug.replace("_", "-").split("-")
    spelled = r"[ -]?".join(re.escape(word) for word in words)
    spaced = re.compile(rf"\b{spelled}\b", re.IGNORECASE)
    written = spaced.search(text)
    if written is not None and written.group()[:1].isupper():
        return written.group()
    return " ".join(word.capitalize() for word in words)


def mentions(name: str, text: str) -> int:
    """How often ``text`` names ``name`` as written, as a whole name ("Acme", not "Acmes")."""
    pattern = re.compile(rf"(?<![\w&]){re.escape(name)}(?![\w&])")
    return sum(1 for _ in pattern.finditer(text))
