"""Title, company, location and workplace from the first lines of a paste.

Job boards put these in a few short lines before the body: LinkedIn's
"Title / Company · City (Hybrid) · 3 days ago", Indeed's "Title / Company 4.1 ★ /
Austin, TX / $120,000 a year - Full-time", careers pages' "Title - Company - City",
"Title at Company" and "Company is hiring a Title". Each candidate line (or each part of
a line split at " · ", " | " or " - ") is classified as place, employment type,
workplace, title or company; the title is the first line that names a role.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from jobwise.domain.postings.companies import mentions
from jobwise.domain.postings.employment import employment_type_of
from jobwise.domain.postings.pipe_header import PipeHeader, read_pipe_header
from jobwise.domain.postings.places import (
    COMPANY_SUFFIX_RE,
    clean_location,
    looks_like_location,
    workplace_of,
)
from jobwise.domain.postings.roles import (
    SPECIALTY,
    clean_title,
    has_role,
    names_a_unit,
    role_phrase,
    split_parentheticals,
)
from jobwise.domain.postings.text import bullet_of, ends_with_abbreviation, strip_markdown

MAX_CANDIDATES = 12
_PART_SPLIT_RE = re.compile(r"[ ]+(?:[·•|]|[-–—]{1,2})[ ]+|[ ]*[·•|][ ]*(?=[A-Z0-9])")
_GREETING_RE = re.compile(r"^(?:hi|hello|hey|dear|greetings|good (?:morning|afternoon))\b", re.I)
_AT_RE = re.compile(r"(?P<title>.{3,90}?)[ ]+(?:at|@)[ ]+(?P<rest>[A-Z0-9].{0,120})")
_HIRING_RE = re.compile(
    r"(?P<company>[A-Z0-9][\w&.,'’ -]{0,50}?)[ ]+(?:is|are)[ ]+(?:now[ ]+)?(?:hiring|looking for"
    r"|seeking|recruiting(?: for)?|searching for)[: ]+(?P<rest>.{3,160})"
)
_JOIN_RE = re.compile(
    r"(?i:join)[ ]+(?P<company>[A-Z0-9][\w&.'’ -]{0,40}?)[ ]+as[ ]+(?P<rest>.{3,120})"
)
_RATING_RE = re.compile(
    r"[ ]*(?:[-–|·]?[ ]*\d(?:[.,]\d)?[ ]*(?:★|☆|stars?|out of 5 stars?)|\(\d[\d,]* reviews?\)"
    r"|[ ]+\d\.\d)[ ]*$",
    re.IGNORECASE,
)
_META_RE = re.compile(
    r"(?:reposted|posted|active)?[ ]*\d+\+?[ ]+(?:minutes?|hours?|days?|weeks?|months?)[ ]+ago"
    r"|(?:over[ ]+)?\d[\d,]*[ ]+(?:applicants?|clicks?|people clicked apply)|promoted"
    r"|(?:entry|mid|senior|mid-senior|executive|director|internship|associate)[ -]level"
    r"|be an early applicant|actively recruiting|easy apply|just posted|new|urgently hiring"
    r"|no longer accepting applications|\d+ (?:of \d+ )?skills? match.*|via .{1,30}"
    r"|\d{1,2}\+?[ ]*(?:years?|yrs?)(?: of experience)?",
    re.IGNORECASE,
)
_TAG_RE = re.compile(r"^(?:\[[^\]]{1,20}\][ ]*)+")
"""Forum tags before a title: "[HIRING]", "[Remote]"."""
_SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+){2,}")
"""A page's address slug ("ien-registered-nurse-emergency-room-austin-tx"): page chrome
that some sites print above the title, never a title or a company."""
_ABBREVIATION_RE = re.compile(r"[A-Z]{2,6}")
_LEADING_WORKPLACE_RE = re.compile(r"^(?:fully |100% )?(remote|hybrid)[ ]+(?=\S)", re.IGNORECASE)
_MONEY_RE = re.compile(r"[$£€₹¥]\s?\d|\d\s?(?:k|K)\b|\b(?:USD|EUR|GBP|CAD|AUD|INR|CHF)\b")
_SENTENCE_RE = re.compile(r"\b(?:we|you|our|your|is|are|will|was|were|have|has)\b", re.I)


@dataclass(slots=True)
class Top:
    title: str | None = None
    company: str | None = None
    location: str | None = None
    workplace: str | None = None
    employment_type: str | None = None
    pay: str | None = None
    """The pay as a one-line header states it ("€55-80K"), read as a labelled salary."""
    after_title: tuple[str, str] | None = None
    """("Senior Backend Engineer", "Acme") for "Senior Backend Engineer - Acme" where the
    posting names "Acme" only there: the title joined it as a team, but with no other
    company named it is the employer (see ``fields``)."""
    used: set[int] = field(default_factory=set)


def candidate_lines(
    lines: list[tuple[int, str]], slugs: set[int] | None = None
) -> list[tuple[int, str]]:
    """The short lines at the top, before the first paragraph of prose or a greeting;
    page slugs are left out (and their indices added to ``slugs``)."""
    found: list[tuple[int, str]] = []
    for index, raw in lines:
        text = _TAG_RE.sub("", strip_markdown(bullet_of(raw)[1])) if raw.strip() else ""
        if not text:
            continue
        if len(text) <= 110 and _SLUG_RE.fullmatch(text):
            if slugs is not None:
                slugs.add(index)
            continue
        words = text.split()
        if _GREETING_RE.match(text) or len(text) > 110 or (len(words) >= 10 and text[-1] in ".!"):
            break
        found.append((index, text))
        if len(found) >= MAX_CANDIDATES:
            break
    return found


def read_top(lines: list[tuple[int, str]], is_skill: Callable[[str], bool], paste: str = "") -> Top:
    """Header fields from the candidate lines (see ``candidate_lines``), or from a forum
    post's one-line header ("Acme | Platform Engineer | Austin, TX | ONSITE | $90-130K").

    ``paste`` is the whole posting: a name after the title ("Engineer - Event Platform")
    is the company only if the posting names it again (see ``_team_of_title``).
    """
    top = Top()
    first = next(((i, strip_markdown(raw)) for i, raw in lines if raw.strip()), None)
    piped = read_pipe_header(first[1]) if first else None
    if first is not None and piped is not None:
        return _from_pipe_header(first[0], piped, top)
    candidates = candidate_lines(lines, top.used)
    for index, text in candidates[:3]:
        if _one_line_forms(text, top):
            top.used.add(index)
            break
    if top.title is None:
        _pick_title(candidates, top, is_skill, paste)
    for index, text in candidates:
        if index not in top.used and _describe_line(text, top):
            top.used.add(index)
    if top.company is not None:
        top.after_title = None  # a company line below names the employer
    return top


def _from_pipe_header(index: int, piped: PipeHeader, top: Top) -> Top:
    if piped.title:
        top.title = _set_title_notes(piped.title, top)
    top.company = piped.company
    top.location = top.location or piped.location
    top.workplace = piped.workplace or top.workplace
    top.employment_type = piped.employment_type or top.employment_type
    top.pay = piped.pay
    if not piped.prose_follows:
        top.used.add(index)
    return top


def _one_line_forms(text: str, top: Top) -> bool:
    """ "Acme is hiring a Title", "Join Acme as a Title", "Title at Acme · Berlin"."""
    for pattern in (_HIRING_RE, _JOIN_RE):
        match = pattern.fullmatch(text)
        if match is not None:
            title = role_phrase(match.group("rest"))
            company = match.group("company").strip()
            if title and not _SENTENCE_RE.search(company):
                top.title, top.company = title, company
                return True
    match = _AT_RE.fullmatch(text)
    if match is None or not has_role(match.group("title")):
        return False
    top.title = _set_title_notes(match.group("title"), top)
    parts = _parts(match.group("rest"))
    top.company = _strip_rating(parts[0])
    for part in parts[1:]:
        _describe_part(part, top)
    return True


def _pick_title(
    candidates: list[tuple[int, str]], top: Top, is_skill: Callable[[str], bool], paste: str
) -> None:
    pick = next(((i, t) for i, t in candidates[:6] if _title_like(t) and has_role(t)), None)
    if pick is None:
        pick = next(((i, t) for i, t in candidates[:2] if _title_like(t)), None)
    if pick is None:
        return
    index, text = pick
    parts = _parts(text)
    if len(parts) > 1 and _company_below(candidates, index, parts):
        parts = [text]
    at = next((i for i, part in enumerate(parts) if has_role(part)), 0)
    title, rest = parts[at], parts[at + 1 :]
    for lead in reversed(parts[:at]):
        # "Acme - Senior Engineer" names the company first; "IEN - Registered Nurse" (the
        # posting spells out "Internationally Educated Nurse (IEN)") qualifies the role;
        # "Globex - Berlin, Germany - Senior Engineer" puts the place between them.
        if _states_terms(lead):
            _describe_part(lead, top)
        elif top.company is None and _company_like(lead) and not _role_abbreviation(lead, paste):
            top.company = _strip_rating(lead)
        else:
            title = f"{lead} - {title}"
    while rest and (_joins_title(rest[0], is_skill) or _team_of_title(rest, paste)):
        part = rest.pop(0)
        # Only the title's last part can be the employer's name ("Engineer - Acme").
        top.after_title = (title, part) if _organisation_like(part) else None
        title = f"{title} - {part}"
    top.title = _set_title_notes(title, top)
    if top.after_title is not None:
        top.after_title = (_set_title_notes(top.after_title[0], Top()), top.after_title[1])
    top.used.add(index)
    for part in rest:
        _describe_part(part, top)


def _company_below(candidates: list[tuple[int, str]], index: int, parts: list[str]) -> bool:
    """ "Registered Nurse - Med/Surg" above a company line ("Acme Health · Austin, TX ·
    Hybrid"): the dash is the title's own."""
    if any(looks_like_location(part) or _MONEY_RE.search(part) for part in parts[1:]):
        return False
    below = [text for i, text in candidates if i > index][:1]
    if not below:
        return False
    head, *others = _parts(below[0])
    return (
        _company_like(head)
        and not looks_like_location(head)
        and all(_states_terms(other) for other in others)
    )


def _states_terms(part: str) -> bool:
    """A header part that says where or how the job is worked, or what it pays."""
    return bool(
        looks_like_location(part)
        or workplace_of(part)
        or employment_type_of(part)
        or _MONEY_RE.search(part)
        or _META_RE.fullmatch(part)
    )


def _team_of_title(rest: list[str], paste: str) -> bool:
    """ "Senior Python Engineer - Event Platform", "Registered Nurse – Critical Care (ICU)":
    a name after the title that the posting never mentions again is the title's team or
    unit, not the employer, which a posting names in its body. "Title - Company - City"
    keeps its company, as does a name with a company suffix ("Acme GmbH")."""
    part = rest[0]
    if not paste or _states_terms(part) or COMPANY_SUFFIX_RE.fullmatch(part.split()[-1]):
        return False
    if any(looks_like_location(later) for later in rest[1:]):
        return False
    name = split_parentheticals(part)[0] or part
    return mentions(name, paste) < 2


def _organisation_like(part: str) -> bool:
    """ "Acme", "Globex Health": a name, not a team's or unit's ("Event Platform",
    "Critical Care (ICU)")."""
    name, notes = split_parentheticals(part)
    return not notes and _company_like(name) and not names_a_unit(name)


def _role_abbreviation(part: str, paste: str) -> bool:
    """ "IEN" where the posting spells out "Internationally Educated Nurse (IEN)": the
    initials of a phrase that names a role."""
    if not _ABBREVIATION_RE.fullmatch(part):
        return False
    start = paste.find(f"({part})")
    while start >= 0:
        words = paste[max(0, start - 120) : start].split()[-len(part) :]
        initials = "".join(word[:1] for word in words).upper()
        if initials == part and has_role(" ".join(words)):
            return True
        start = paste.find(f"({part})", start + 1)
    return False


def _joins_title(part: str, is_skill: Callable[[str], bool]) -> bool:
    """ "Software Engineer - Backend" and "Developer - Python": the part is the title's."""
    lowered = split_parentheticals(part)[0].lower()
    return lowered in SPECIALTY or lowered.endswith(" team") or is_skill(lowered)


def _set_title_notes(text: str, top: Top) -> str:
    """Clean a title, moving "(Remote)" or "(Contract)" notes into their own fields."""
    title, notes = split_parentheticals(clean_title(text))
    leading = _LEADING_WORKPLACE_RE.match(title)
    if leading and has_role(title[leading.end() :]):
        # "Remote Python Developer": the workplace, then the title.
        top.workplace = top.workplace or leading.group(1).lower()
        title = title[leading.end() :]
    kept: list[str] = []
    for note in notes:
        workplace = workplace_of(note)
        kind = employment_type_of(note)
        if workplace or kind:
            top.workplace = top.workplace or workplace
            top.employment_type = top.employment_type or kind
            if workplace and looks_like_location(note) and clean_location(note) != "Remote":
                top.location = top.location or clean_location(note)
        else:
            kept.append(f"({note})")
    return clean_title(" ".join([title, *kept]))


def _describe_line(text: str, top: Top) -> bool:
    """Classify every part of a header line; True if the line was header material."""
    fields = _comma_fields(text)
    if fields:
        # A line of terms: a name in it is the company only where names go, first.
        named = [fields[0], *(field for field in fields[1:] if _states_terms(field))]
        return any([_describe_part(field, top) for field in named])
    parts = _parts(text)
    described = [_describe_part(part, top) for part in parts]
    return any(described) or bool(_META_RE.fullmatch(text))


def _describe_part(part: str, top: Top) -> bool:
    part = part.strip()
    if not part or _META_RE.fullmatch(part) or _MONEY_RE.search(part):
        return bool(part)
    kind = employment_type_of(part)
    if kind and len(part.split()) <= 4:
        top.employment_type = top.employment_type or kind
        return True
    if looks_like_location(part):
        top.workplace = top.workplace or workplace_of(part)
        place = clean_location(part)
        # A bare "Remote" line holds the place only until a real place turns up.
        if place and top.location in (None, "Remote"):
            top.location = place
        return True
    if top.company is None and _company_like(part):
        top.company = _strip_rating(part)
        return True
    return False


def _comma_fields(text: str) -> list[str] | None:
    """ "Roswell, New Mexico, $64,000 - $79,000 a year, Full-time" and "Remote, $70k - $95k,
    Full-time or contract": a line of terms separated by commas, a place's own comma kept.
    None unless at least two of the fields state terms."""
    pieces = [piece.strip() for piece in text.split(", ") if piece.strip()]
    if len(pieces) < 3 or looks_like_location(text):
        return None
    fields: list[str] = []
    for piece in pieces:
        joined = f"{fields[-1]}, {piece}" if fields else ""
        if fields and not _states_terms(fields[-1]) and looks_like_location(joined):
            fields[-1] = joined
        else:
            fields.append(piece)
    stated = sum(_states_terms(field) for field in fields)
    return fields if stated >= 2 and len(fields) > 1 else None


def _parts(text: str) -> list[str]:
    return [part.strip() for part in _PART_SPLIT_RE.split(text) if part.strip()]


def _strip_rating(text: str) -> str:
    return _RATING_RE.sub("", text).strip(" -–|·")


def _title_like(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= 14
        and not text.endswith((".", "?"))
        and text[:1].isalnum()
        and "@" not in text
        and "http" not in text.lower()
        and not looks_like_location(_parts(text)[0])
    )


def _company_like(text: str) -> bool:
    name = _strip_rating(text)
    words = name.split()
    if not words or len(words) > 6 or len(name) > 60 or not name[:1].isalnum():
        return False
    if ":" in name or (name.endswith((".", "!", "?")) and not ends_with_abbreviation(name)):
        return False
    if "©" in name or name.lower().startswith("copyright"):
        return False  # a footer names the company inside it (see ``companies``)
    lower = [w for w in words if w[:1].islower() and w not in {"of", "and", "the", "for", "&"}]
    return not lower and not has_role(name) and not _SENTENCE_RE.search(name)
