"""The one-line header of a forum post: "Acme Robotics | Platform Engineer | Austin, TX |
ONSITE | $90-130K", in any order of fields.

Hacker News "Who is hiring" posts (and many forum and Slack posts copied from them) open
with such a line. Each segment between the bars (or between spaced em dashes) is
classified on its own as a link, pay, arrangement, employment type, place, title or
company; what is none of these (a tech stack, "VISA", "Polish language required") is left
alone. The company is the first unclassified segment, which is where posters put it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jobwise.domain.postings.employment import employment_type_of
from jobwise.domain.postings.money import amounts
from jobwise.domain.postings.places import clean_location, looks_like_location, workplace_of
from jobwise.domain.postings.roles import has_role, split_parentheticals

MIN_SEGMENTS = 3
MAX_HEADER_CHARS = 400
"""A header line is read up to here; past it the post's prose has begun on the same line."""

_BAR_SPLIT_RE = re.compile(r"[ ]*\|[ ]*")
_DASH_SPLIT_RE = re.compile(r"[ ]+—[ ]+")
_LINK_RE = re.compile(
    r"^(?:https?://\S+|(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:com|io|ai|app|co|org|net|dev|tech|so"
    r"|xyz|gg|eu|uk|de|fr|nl|se|in|ca|us|me|run|sh|work|jobs|law|bio|health|energy)(?:/\S*)?)$",
    re.IGNORECASE,
)
_FOOTNOTE_RE = re.compile(r"[ ]*\[\d{1,2}\]")
_URL_IN_RE = re.compile(r"[ ]*\(?https?://\S+\)?")
_MONEY_RE = re.compile(
    r"[$£€₹¥][ ]?\d|\d[ ]?(?:k|K|L|LPA)\b|\b(?:USD|EUR|GBP|CAD|AUD|INR|CHF|SEK|NOK|DKK|PLN)\b"
    r"|/(?:hr|hour|yr|year|mo|month)\b"
)
_PROSE_START_RE = re.compile(
    r"[ ](?=(?:We|We're|We’re|Our|At|I'm|I’m|Hi|Hey|Hello|The|This|Join|Looking)\b[ ,'’])"
)
_WORKPLACE_ONLY_RE = re.compile(
    r"^(?:(?:fully|100%|primarily|mostly)[ ]+)?(?:remote|onsite|on[- ]site|hybrid|in[- ]office)"
    r"(?:[ ]*[-–,/][ ]*(?:remote|onsite|on[- ]site|hybrid))*\b[ ]*",
    re.IGNORECASE,
)
_COUNTRY_FIRST_RE = re.compile(r"^\(([^()]{2,40})\)[ ]*(\S.{1,40})$")


@dataclass(slots=True)
class PipeHeader:
    title: str | None = None
    company: str | None = None
    location: str | None = None
    workplace: str | None = None
    employment_type: str | None = None
    pay: str | None = None
    prose_follows: bool = False
    """The post's first sentence began on the header line itself."""


def segments_of(line: str) -> list[str] | None:
    """The header's segments, or None when the line is not such a header."""
    head = line.strip()[:MAX_HEADER_CHARS]
    for splitter in (_BAR_SPLIT_RE, _DASH_SPLIT_RE):
        parts = [part.strip() for part in splitter.split(head)]
        parts = [part for part in parts if part]
        if len(parts) >= MIN_SEGMENTS:
            return parts
    return None


def read_pipe_header(line: str) -> PipeHeader | None:
    parts = segments_of(line)
    if parts is None:
        return None
    header = PipeHeader()
    last = parts[-1]
    prose = _PROSE_START_RE.search(last)
    if prose is not None and len(last) > 40:
        parts[-1] = last[: prose.start()].strip()
        header.prose_follows = True
    unclassified: list[int] = []
    for index, part in enumerate(parts):
        text = _FOOTNOTE_RE.sub("", part).strip()
        if text and not _classify(text, header):
            unclassified.append(index)
    for index in unclassified:
        name = _company_name(_URL_IN_RE.sub("", _FOOTNOTE_RE.sub("", parts[index])), header)
        if name:
            header.company = name
            break
    return header if header.title or header.company else None


def _classify(text: str, header: PipeHeader) -> bool:
    """Record what the segment states; False when it is none of the known kinds."""
    if _LINK_RE.match(text):
        return True
    if _MONEY_RE.search(text) and any(amount.value > 0 for amount in amounts(text)):
        header.pay = header.pay or text
        return True
    kind = employment_type_of(text) if len(text.split()) <= 6 and not has_role(text) else None
    if kind is not None:
        # "Fulltime, Onsite": a segment may state the type and the arrangement together.
        header.employment_type = header.employment_type or kind
    workplace = workplace_of(text)
    if workplace is not None and _place_with_workplace(text, workplace, header):
        return True
    if kind is not None:
        return True
    if looks_like_location(text):
        # "Germany (Berlin / Hamburg)": the bracket names places too, so it stays.
        places_noted = any(looks_like_location(n) for n in split_parentheticals(text)[1])
        header.location = header.location or (text if places_noted else clean_location(text))
        return True
    if has_role(text) and len(text.split()) <= 14 and header.title is None:
        header.title = text
        return True
    return False


def _place_with_workplace(text: str, workplace: str, header: PipeHeader) -> bool:
    """ "REMOTE (US)", "Calgary, Canada (Hybrid)", "HYBRID (Canada) Ottawa", "ONSITE Oslo".

    The first arrangement stated wins ("Remote | 2 days in office per month" is remote).
    """
    rest = _WORKPLACE_ONLY_RE.sub("", text).strip()
    place = clean_location(text)
    country_first = _COUNTRY_FIRST_RE.match(rest)
    if country_first is not None:
        place = f"{country_first.group(2).strip()}, {country_first.group(1).strip()}"
    if rest and not looks_like_location(place) and has_role(rest):
        return False
    header.workplace = header.workplace or workplace
    if place and place != "Remote" and looks_like_location(place):
        header.location = header.location or place
    elif place == "Remote" and header.location is None:
        header.location = "Remote"
    return True


def _company_name(text: str, header: PipeHeader) -> str | None:
    """ "Spruce (London/Bristol, UK)": the company, its place in brackets."""
    name, notes = split_parentheticals(text.strip())
    places = [note for note in notes if looks_like_location(note)]
    if places:
        if header.location in (None, "Remote"):
            header.location = clean_location(places[0])
        return name or None
    words = text.split()
    if not words or len(words) > 12 or text[:1].islower():
        return None
    return text.strip(" ,;:-–—")
