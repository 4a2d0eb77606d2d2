"""A posting's must-haves and nice-to-haves: skills, licences, certifications, degrees, years.

Read deterministically (regular expressions over the posting's own lines, no model):

- every line of the requirements is a must-have, a line of the preferred section a
  nice-to-have; inside a line, a clause marked "preferred", "a plus", "an asset", "would
  be advantageous" is a nice-to-have, one marked "(required)" a must-have, wherever it is;
- lines elsewhere (the description, the responsibilities) count only when they say
  "required" or "must", and then only for credentials, degrees and years: a skill a
  duty names is not a requirement;
- the skills are the taxonomy's (``JobAnalysis.required_skills`` / ``preferred_skills``,
  as the posting reader classified them); a skill that is a certification ("BLS") is
  read as the certification.

Each line is cut into clauses (at ";", at a sentence end, at "and a ...") so that "A
relevant degree is required and a higher degree (PhD or MSc) would be advantageous" gives
a must-have degree and a nice-to-have Master's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from jobwise.domain.skills import SkillTaxonomy
from jobwise.domain.writing.credentials import (
    DEGREE_LEVELS,
    credentials_in,
    degree_levels,
    fields_of_degree,
    states_in,
)
from jobwise.domain.writing.models import Qualification

MAX_YEARS = 30
TAIL_CHARS = 160
"""How far after "N years" its area is looked for: an area is a few words."""
_PREFERRED = re.compile(
    r"\b(?:an?|big|huge|strong|definite|real|important)[ ]+(?:plus|bonus|advantage|asset)\b"
    r"|\bpluses\b|\b(?:bonus|plus)(?:[ ]+points?)?[ ]*(?:if|for|:)|\(plus\)|\badvantageous\b"
    r"|\bnice[- ]to[- ]have\b|\bpreferred\b|\bpreferably\b|\bdesir(?:ed|able)\b|\bideally\b"
    r"|\bbeneficial\b|\boptional\b|\bwould be (?:nice|great|helpful)\b|\bis an asset\b"
    r"|\bnot (?:required|essential|mandatory)\b|\bhelpful\b|\bappreciated\b|\bwelcome\b",
    re.IGNORECASE,
)
"""The posting reader's preference markers (``jobwise.domain.postings.keywords``), and "asset"."""
_REQUIRED = re.compile(r"\b(?:required|requires?|must|mandatory|essential)\b", re.I)
_ASKED_IN_PROSE = re.compile(
    r"\b(?:seek(?:s|ing)?|looking for|recruit|successful candidate|ideal candidates?"
    r"|will be subject to|candidates? (?:will|should) (?:have|hold|be))\b",
    re.I,
)
"""Prose that asks of the candidate without saying "must": "seeking to recruit an
experienced history teacher", "the successful candidate will be subject to enhanced DBS
disclosure"; a posting with no requirements list asks this way."""
_EXPERIENCED = re.compile(
    r"\ban?\s+experienced\s+(?:and\s+(?:\w+\s+)?\w+\s+)?(?P<role>[^.,;:()]{3,80})", re.I
)
"""An "experienced X" the posting seeks: at least a year as an X ("an experienced and highly
committed KS3 & 4 history teacher")."""
LANGUAGES = (
    "English", "French", "Spanish", "German", "Italian", "Portuguese", "Dutch", "Polish",
    "Ukrainian", "Russian", "Arabic", "Hebrew", "Turkish", "Hindi", "Urdu", "Bengali",
    "Mandarin", "Cantonese", "Chinese", "Japanese", "Korean", "Vietnamese", "Tagalog",
    "Swedish", "Norwegian", "Danish", "Finnish", "Greek", "Czech", "Romanian", "Hungarian",
)  # fmt: skip
_LANGUAGE = re.compile(
    r"\b(?P<name>" + "|".join(LANGUAGES) + r")\b(?=[^.;]*\b(?:language|speak\w*|spoken"
    r"|written|fluen\w*|command|proficien\w*|native|communicat\w*|skills)\b)"
    r"|\b(?:fluen\w*|proficien\w*|command|speak\w*) (?:in |of )?(?:\w+ )?(?P<after>"
    + "|".join(LANGUAGES)
    + r")\b"
)
"""A language asked as one ("very good command of English", "Polish language", "excellent
English communication skills"), not a subject ("English teacher")."""
_CONDITION = re.compile(
    r"\b(?:hours|shifts?|schedule|remote(?:ly)?|on-?site|in[- ]person|in the office|office"
    r"|days? a (?:week|month)|relocat\w*|travel|commut\w*|maternity cover|part-time"
    r"|full-time|night shift|weekends?|time ?zone|PST|EST|CET)\b",
    re.I,
)
"""Where and when the work is done: a line that asks only this is a condition of the job."""
_ROLE_END = re.compile(r"\s(?:to|who|with|for|at|in|that|which|and|or)\s", re.I)
_MARKER_ONLY = re.compile(
    r"(?:preferred|required|a plus|plus|nice to have|desired|optional|mandatory|must|ideally"
    r"|flexible|an asset|essential)",
    re.I,
)
_CLAUSES = re.compile(
    r";|(?<=[a-z0-9)])\.\s+(?=[A-Z])|,?\s+(?:and|but|while|whereas)\s+(?=(?:an?|the)\s)", re.I
)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15,
}  # fmt: skip
_YEARS = re.compile(
    r"\b(?P<n>\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")\s*(?:\+|plus)?\s*"
    r"(?:(?:-|–|to)\s*\d{1,2}\s*)?\+?\s*(?:or more\s+)?years?\b(?:['’]s?)?",
    re.I,
)
_NOT_EXPERIENCE = re.compile(
    r"^\W*(?:initial\s+)?(?:commitment|contract|appointment|term|ago|old|of age|warranty)\b", re.I
)
_FILLER = frozenset({
    "of", "in", "as", "with", "at", "on", "a", "an", "the", "professional", "relevant",
    "related", "proven", "hands-on", "hands", "commercial", "work", "working", "industry",
    "progressive", "direct", "full-time", "paid", "solid", "practical", "demonstrated",
    "prior", "previous", "recent", "post-graduate", "post", "graduate", "total", "overall",
    "minimum", "least", "experience", "experienced", "including",
})  # fmt: skip
_AREA_CUT = re.compile(
    r"[;(:)]|\.(?=\s|$)|,\s+(?:at least|of which|with|and|where|mostly|\d)"
    r"|\s\d{1,2}\+?\s*years?\b"
    r"|\s(?:including|such as|preferably|ideally|or equivalent)\s"
)
_DANGLING = frozenset(
    {"and", "or", "in", "with", "of", "as", "a", "an", "the", "on", "at", "least", "using"}
)
_AREA_END = re.compile(r"[.;,(:]|\s(?:including|and/or|such as|preferably|ideally|or equivalent)\s")
_LICENCE_WORDS = re.compile(
    r"licen[cs]|licensure|certificat|credential|registration|registered|active|current"
    r"|valid|unencumbered|hold|holds|possess",
    re.I,
)
_GENERIC_CREDENTIAL = re.compile(
    r"(?P<name>(?:\b[A-Z][\w+&/-]*\s+){1,4})(?P<kind>certification|certificate|licen[cs]e)\b"
)
_ABOUT_EXPERIENCE = re.compile(
    r"\W*(?:prior |previous )?(?:experience|knowledge|familiarity|understanding)\b", re.I
)
_MULTISTATE = re.compile(r"\b(?:multi-?state|compact|NLC)\b", re.I)
_CREDENTIAL_FILLER = frozenset({
    "valid", "current", "active", "unencumbered", "state", "relevant", "any", "a", "an", "the",
})  # fmt: skip
_FIELD_AFTER = re.compile(
    r"(?:degree|diploma|bachelor['’]?s?|master['’]?s?|associate['’]?s?|doctorate|ph\.?d|bsc|msc"
    r"|\bba|\bbs|\bma|\bms)\.?\s+(?:degree\s+)?(?:of\s+(?:science|arts)\s+)?(?:in|of)\s+"
    r"(?P<fields>[^.;()]+)",
    re.I,
)
_FIELD_END = re.compile(
    r"\s+(?:from|at|with|is|are|would|preferred|required|and/or|or (?:a )?related|or equivalent"
    r"|or similar|or other)\b|,?\s+(?:or|and) (?:a )?(?:related|equivalent|similar)\b",
    re.I,
)
_FIELD_SPLIT = re.compile(r",\s*(?:or\s+|and\s+)?|\s+or\s+|\s+and\s+|\s*/\s*", re.I)
_PROGRAM_FIELD = re.compile(r"\b(?:accredited\s+)?(?P<field>[a-z]+)\s+(?:program|school)\b", re.I)
_NOT_FIELDS = frozenset({
    "related", "field", "equivalent", "similar", "relevant", "accredited", "a", "an", "the",
    "any", "degree", "other",
})  # fmt: skip


def read_qualifications(
    requirements: Iterable[str],
    nice_to_have: Iterable[str],
    other_lines: Iterable[str],
    required_skills: Iterable[str],
    preferred_skills: Iterable[str],
    taxonomy: SkillTaxonomy,
) -> tuple[list[Qualification], list[Qualification]]:
    """(must-haves, nice-to-haves), each in the posting's order, each thing once."""
    found: list[Qualification] = []
    for line in requirements:
        found.extend(_read_line(line, preferred_by_default=False))
    for line in nice_to_have:
        found.extend(_read_line(line, preferred_by_default=True))
    for line in other_lines:
        if _asks(line):
            found.extend(_read_line(line, preferred_by_default=False, only=True))
    lines = [*requirements, *nice_to_have]
    found.extend(_skills(required_skills, True, taxonomy, lines))
    found.extend(_skills(preferred_skills, False, taxonomy, lines))
    return _split(found)


def _asks(text: str) -> bool:
    return any(p.search(text) for p in (_REQUIRED, _PREFERRED, _ASKED_IN_PROSE))


def _split(found: list[Qualification]) -> tuple[list[Qualification], list[Qualification]]:
    """Each thing once: a must-have wins over the same nice-to-have, the first reading
    of it over later ones."""
    must: dict[tuple[str, str], Qualification] = {}
    nice: dict[tuple[str, str], Qualification] = {}
    for item in found:
        key = (item.kind, item.text.casefold())
        (must if item.required else nice).setdefault(key, item)
    return list(must.values()), [q for key, q in nice.items() if key not in must]


def _skills(
    names: Iterable[str], required: bool, taxonomy: SkillTaxonomy, lines: list[str]
) -> list[Qualification]:
    """Each skill with the first requirement line that names it: the match score counts a
    line as one requirement ("Python, API calls and JSON"), as a reader does."""
    named_in = _lines_naming(lines, taxonomy)
    kept: list[Qualification] = []
    for name in names:
        named = credentials_in(name)
        if named:
            kept.extend(
                Qualification(kind=c.kind, text=c.name, required=required, line=name) for c in named
            )
            continue
        soft = taxonomy.category_of(name) == "soft"
        line = named_in.get(name.casefold(), "")
        kept.append(Qualification(kind="skill", text=name, required=required, soft=soft, line=line))
    return kept


def _lines_naming(lines: list[str], taxonomy: SkillTaxonomy) -> dict[str, str]:
    """Case-folded skill name -> the first line naming it."""
    found: dict[str, str] = {}
    for line in lines:
        for mention in taxonomy.mentions(line):
            found.setdefault(mention.name.casefold(), line.strip())
    return found


def _read_line(line: str, *, preferred_by_default: bool, only: bool = False) -> list[Qualification]:
    """Credentials, degrees and years of one line (skills come from the taxonomy)."""
    found: list[Qualification] = []
    # One space between words: the patterns' runs of optional spaces then stay linear.
    for clause in _CLAUSES.split(" ".join(line.split())):
        judged = _without_asides(clause)
        if only and not _asks(judged):
            continue
        required = _is_required(judged, preferred_by_default)
        years = _years(clause) or _experienced(clause)
        read = [*_credentials(clause), *_degrees(clause), *years, *_languages(clause)]
        for item in read:
            found.append(item.model_copy(update={"required": required, "line": line.strip()}))
    if not found and not only and _CONDITION.search(line):
        # Nothing to check but where or when one works: the candidate accepts it by applying.
        condition = Qualification(
            kind="condition",
            text=line.strip(),
            line=line.strip(),
            required=not preferred_by_default,
        )
        found.append(condition)
    return found


def _languages(clause: str) -> list[Qualification]:
    names = (m.group("name") or m.group("after") for m in _LANGUAGE.finditer(clause))
    return [Qualification(kind="language", text=name) for name in dict.fromkeys(names)]


def _is_required(judged: str, preferred_by_default: bool) -> bool:
    """ "(required)" wins, then a preference marker, then "must"/"required", then the
    section the line stands in."""
    if re.search(r"\(required\)", judged, re.I):
        return True
    if _PREFERRED.search(judged):
        return False
    return bool(_REQUIRED.search(judged)) or not preferred_by_default


def _without_asides(clause: str) -> str:
    """The clause without its parentheses, unless one only says "(preferred)"/"(required)":
    in "A degree (preferably Computer Science) is required" the preference is the field's."""

    def keep(match: re.Match[str]) -> str:
        return match.group(0) if _MARKER_ONLY.fullmatch(match.group(1).strip()) else " "

    return re.sub(r"\(([^()]*)\)", keep, clause)


# -- credentials ----------------------------------------------------------------------------


def _credentials(clause: str) -> list[Qualification]:
    found: list[Qualification] = []
    about_experience = _ABOUT_EXPERIENCE.match(clause) is not None
    for credential in credentials_in(clause):
        if credential.kind == "licence" and (about_experience or not _LICENCE_WORDS.search(clause)):
            # "experience as a Registered Nurse" asks for years, "experience with transferring
            # nursing licenses" for a skill: neither for the licence itself
            continue
        states = _states(clause) if credential.kind == "licence" else []
        found.append(Qualification(kind=credential.kind, text=credential.name, subjects=states))
    if found:
        return found
    for match in _GENERIC_CREDENTIAL.finditer(clause):
        words = [w for w in match.group("name").split() if w.casefold() not in _CREDENTIAL_FILLER]
        if words:
            kind = "licence" if match.group("kind").casefold().startswith("licen") else None
            name = " ".join(words)
            found.append(
                Qualification(kind=kind or "certification", text=f"{name} {match.group('kind')}")
            )
    return found


def _states(clause: str) -> list[str]:
    """The US states a licence must be from; none when a multistate (compact) licence will
    do, as a profile rarely says whether its licence is one."""
    return [] if _MULTISTATE.search(clause) else states_in(clause)


# -- degrees --------------------------------------------------------------------------------


def _degrees(clause: str) -> list[Qualification]:
    levels = degree_levels(clause)
    if not levels or re.search(r"\b(?:degree of|high degree|some degree|to a degree)\b", clause):
        return []
    if levels == [1] and not re.search(
        r"degree|diploma|program|school|college|universit", clause, re.I
    ):
        return []
    level = min(levels)
    fields = _fields(clause)
    text = DEGREE_LEVELS[level] + (f" in {' or '.join(fields)}" if fields else "")
    return [Qualification(kind="degree", text=text, degree_level=level, subjects=fields)]


def _fields(clause: str) -> list[str]:
    fields: list[str] = list(fields_of_degree(clause))
    after = _FIELD_AFTER.search(clause)
    if after:
        written = _FIELD_END.split(after.group("fields"))[0]
        for part in _FIELD_SPLIT.split(written):
            words = [w for w in part.split() if w.casefold() not in _NOT_FIELDS]
            if words and len(words) <= 4 and words[0][:1].isalpha():
                fields.append(" ".join(_capital(w) for w in words).strip(" ,"))
    program = _PROGRAM_FIELD.search(clause)
    if program and program.group("field").casefold() not in _NOT_FIELDS:
        fields.append(program.group("field").capitalize())
    return list(dict.fromkeys(f for f in fields if f))


def _capital(word: str) -> str:
    """ "nursing" -> "Nursing"; "HCI", "eCommerce" as written."""
    return word[:1].upper() + word[1:] if word.islower() else word


# -- years ----------------------------------------------------------------------------------


def _years(clause: str) -> list[Qualification]:
    found: list[Qualification] = []
    for match in _YEARS.finditer(clause):
        written = match.group("n").casefold()
        years = int(written) if written.isdigit() else _NUMBER_WORDS[written]
        head, tail = clause[: match.start()], clause[match.end() : match.end() + TAIL_CHARS]
        if not 0 < years <= MAX_YEARS or head.rstrip().endswith("-"):
            continue
        if not _asks_experience(head, tail) or _about_others(clause, head):
            continue
        area, shown = _area(tail)
        unit = "year" if years == 1 else "years"
        found.append(
            Qualification(
                kind="years",
                text=f"{years} {unit} of {shown}",
                years=years,
                subjects=[area] if area else [],
            )
        )
    return found


def _experienced(clause: str) -> list[Qualification]:
    """ "seeking an experienced history teacher": a year as one, in the role's words."""
    match = _EXPERIENCED.search(clause)
    if match is None or not _ASKED_IN_PROSE.search(clause[: match.start()]):
        return []
    role = _trimmed(_ROLE_END.split(" " + match.group("role") + " ")[0].split())
    if not role:
        return []
    return [Qualification(kind="years", text=f"experience as {role}", years=1, subjects=[role])]


def _about_others(clause: str, head: str) -> bool:
    """ "N years" inside parentheses of a clause that asks for no experience itself:
    "overseeing junior developers (those with 1-2 years experience)" is about them."""
    inside = head.count("(") > head.count(")")
    return inside and not re.search(r"\bexperience", _without_asides(clause), re.I)


def _asks_experience(head: str, tail: str) -> bool:
    """Whether "N years" is an amount of experience, not a contract's term ("for a maximum
    of three years on a temporary contract") or a company's age."""
    near = _AREA_END.split(" " + tail + " ")[0].split()
    first = near[0].casefold() if near else ""
    if re.search(r"\bexperienc", " ".join(near[:8]), re.I):
        return True
    if not near:
        return re.search(r"\bexperience\b", head, re.I) is not None
    if first.endswith("ing") or first in ("in", "as", "with", "leading", "managing"):
        return True
    return (
        first == "of"
        and len(near) <= 5
        and not re.search(
            r"contract|appointment|commitment|age\b|warranty|service", " ".join(near), re.I
        )
    )


def _area(tail: str) -> tuple[str, str]:
    """The area of the years asked (its telling words) and how to show the ask:
    "of ICU experience" -> ("ICU", "ICU experience"); "of experience in acute care" ->
    ("acute care", "experience in acute care"); "shipping Rails in production" ->
    ("shipping Rails production", "experience shipping Rails in production")."""
    words = _AREA_CUT.split(tail)[0].split()
    lowered = [w.casefold().strip(",.") for w in words]
    if "experience" in lowered:
        at = lowered.index("experience")
        ahead = [w for w in words[:at] if w.casefold().strip(",") not in _FILLER]
        if ahead:
            area = " ".join(ahead[:6])
            return area, f"{area} experience"
        words = words[at + 1 :]
    else:
        words = words[1:] if lowered[:1] == ["of"] else words
    shown = _trimmed(words[:10])
    area = " ".join(w for w in shown.split() if w.casefold() not in _FILLER)
    return area, f"experience {shown}".strip()


def _trimmed(words: list[str]) -> str:
    """The words without a dangling "and", "or", "in" or comma at the end."""
    while words and words[-1].casefold().strip(",") in _DANGLING:
        words = words[:-1]
    return " ".join(words).strip(" ,-–)")
