"""Labelled header lines: "Job Title: ...", "**Location:** Berlin", "Salary | Type" rows.

Also the label-then-value layout of Indeed's "Job details" block ("Pay" on one line,
"$120,000 - $145,000 a year" on the next).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from jobwise.domain.postings.employment import employment_type_of
from jobwise.domain.postings.places import looks_like_location, place_in, workplace_of


class Field(StrEnum):
    TITLE = "title"
    COMPANY = "company"
    LOCATION = "location"
    SALARY = "salary"
    SALARY_MIN = "salary_min"
    SALARY_MAX = "salary_max"
    TYPE = "employment_type"
    WORKPLACE = "workplace"
    SUBJECT = "subject"


_LABEL_NAMES: tuple[tuple[Field, str], ...] = (
    (
        Field.TITLE,
        "job title|title|position|position title|role|role title|job|job role|vacancy"
        "|job position|opening|job name|post|role name|post title",
    ),
    (
        Field.COMPANY,
        "company|company name|employer|organisation|organization|org|hiring company"
        "|hiring organisation|hiring organization|brand|unit division|agency|hiring agency",
    ),
    (
        Field.LOCATION,
        "location|locations|job location|based in|based|office|office location|work location"
        "|city|place of work|duty station|location s|where",
    ),
    (
        Field.SALARY,
        "salary|salary range|compensation|pay|pay range|base salary|base pay|rate|day rate"
        "|daily rate|hourly rate|remuneration|package|ote|wage|stipend|ctc|salary band"
        "|compensation range|annual salary|salary scale|pay band|pay range salary",
    ),
    (Field.SALARY_MIN, "min payrange|min pay|min salary|salary min|minimum salary|pay min"),
    (Field.SALARY_MAX, "max payrange|max pay|max salary|salary max|maximum salary|pay max"),
    (
        Field.TYPE,
        "employment type|job type|type|contract type|contract|employment|work type"
        "|position type|engagement|engagement type|employment status|job status|hours|time type"
        "|type of posting|type of position|type of appointment|appointment type|work schedule",
    ),
    (
        Field.WORKPLACE,
        "remote|workplace|workplace type|work model|work arrangement|work setup|working model"
        "|location type|remote policy|remote work|work mode|work style|arrangement"
        "|remote option|remote status|on site remote",
    ),
    (Field.SUBJECT, "subject|re|fwd|fw"),
)
_LABELS: dict[str, Field] = {
    name: kind for kind, names in _LABEL_NAMES for name in names.split("|")
}
# Indeed's job-details block puts these labels alone on a line, the value below them.
_BARE_LABELS = frozenset(
    {"pay", "job type", "location", "locations", "salary", "work location", "company", "time type"}
)

_LABEL_RE = re.compile(
    r"[ ]*(?:#{1,6}[ ]+)?(?:[-*•·][ ]+)?(?:\*\*|__)?"
    r"(?P<label>[A-Za-z][A-Za-z_ /&()'.-]{0,30}?)[ ]*(?:\*\*|__)?"
    r"[ ]*[:：][ ]*(?:\*\*|__)?[ ]*(?P<value>.*)"
)
_SEGMENT_SPLIT_RE = re.compile(r"[ ]+[|•·][ ]+")
_KEY_RE = re.compile(r"[^a-z]+")
MAX_LABEL_LINE = 160


@dataclass(slots=True)
class Labels:
    values: dict[Field, str] = field(default_factory=dict)
    lines: dict[Field, int] = field(default_factory=dict)
    """Where each value was found."""
    used: set[int] = field(default_factory=set)
    """Indices of the lines that were labels, so the description can leave them out."""
    specific: dict[Field, bool] = field(default_factory=dict)
    """Whether the value came from a specific label ("Post title:", not "title:")."""


def label_key(label: str) -> str:
    return _KEY_RE.sub(" ", label.lower()).strip()


def read_labels(lines: list[str]) -> Labels:
    """The first acceptable value of every labelled field, and the lines that held them."""
    found = Labels()
    for index, whole in enumerate(lines):
        line = _first_sentence(whole)
        if not line.strip() or len(line) > MAX_LABEL_LINE:
            continue
        for kind, stated, used in _pairs(line, index) or _bare(lines, index):
            value = _place_of(stated) if kind is Field.LOCATION else stated
            if _acceptable(kind, value):
                if kind not in found.values or _more_specific(kind, line, found):
                    found.values[kind] = value
                    found.lines[kind] = used[-1]
                    found.specific[kind] = _specific(line)
                found.used.update(used)
    return found


def _pairs(line: str, index: int) -> list[tuple[Field, str, list[int]]]:
    """Labelled values on one line; "Location: Berlin | Type: Full-time" holds two."""
    pairs: list[tuple[Field, str, list[int]]] = []
    for segment in _SEGMENT_SPLIT_RE.split(line):
        match = _LABEL_RE.fullmatch(segment)
        if match is None:
            continue
        kind = _LABELS.get(label_key(match.group("label")))
        value = _unquoted(match.group("value").strip(" *_").strip())
        if kind is not None and value:
            pairs.append((kind, value, [index]))
    return pairs


def _first_sentence(line: str) -> str:
    """ "TYPE OF POSTING: 2 year FTA with possibility of extension. The post will be ...":
    a long labelled line is read up to its first full stop."""
    if len(line) <= MAX_LABEL_LINE:
        return line
    end = line.find(". ", 0, MAX_LABEL_LINE)
    return line[:end] if end > 0 else line


_PLACE_WORDS = frozenset(
    {"in", "the", "of", "or", "and", "de", "remote", "hybrid", "onsite", "on-site", "only"}
)
"""Lower-case words a list of places and workplaces is written with."""


def _place_of(value: str) -> str:
    """ "Los Angeles, California preferred but servicing the West Coast": the place a
    location label's phrase names. A value of names ("Washington, D.C., Remote", "Anywhere
    in the U.S. (remote)") is kept whole: it is the place."""
    if looks_like_location(value) or not _is_phrase(value):
        return value
    return place_in(value) or value


def _is_phrase(value: str) -> bool:
    """Whether the value has ordinary words ("distance", "preferred"), not only names."""
    words = (word.strip("()[],.;:") for word in value.split())
    return any(word[:1].islower() and word.lower() not in _PLACE_WORDS for word in words)


def _unquoted(value: str) -> str:
    """A front-matter value without its YAML quotes: '"Backend developer "'."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip()
    return value


def _bare(lines: list[str], index: int) -> list[tuple[Field, str, list[int]]]:
    """ "Pay" alone on a line, its value on the next non-blank line."""
    key = label_key(lines[index].rstrip(":： "))
    if key not in _BARE_LABELS:
        return []
    for following in range(index + 1, min(index + 3, len(lines))):
        value = lines[following].strip()
        if value:
            if len(value) > (MAX_LABEL_LINE if _LABELS[key] is Field.LOCATION else 100):
                return []
            return [(_LABELS[key], value, [index, following])]
    return []


_GENERIC_TITLE_RE = re.compile(r"[ ]*(?:#{1,6}[ ]+)?(?:\*\*|__)?title[ ]*(?:\*\*|__)?[ ]*:", re.I)


def _specific(line: str) -> bool:
    return _GENERIC_TITLE_RE.match(line) is None


def _more_specific(kind: Field, line: str, found: Labels) -> bool:
    """A page's front matter says "title: Developer job description"; the vacancy below
    it says "POST TITLE: Developer". The specific label names the job."""
    return kind is Field.TITLE and not found.specific.get(kind, True) and _specific(line)


def _acceptable(kind: Field, value: str) -> bool:
    """A value that fits its label; a long sentence after "Role:" is prose, not a title."""
    words = value.split()
    if kind is Field.TITLE:
        return len(words) <= 12 and not value.endswith(".")
    if kind is Field.COMPANY:
        return len(words) <= 8 and len(value) <= 80
    if kind is Field.LOCATION:
        return looks_like_location(value) or (len(words) <= 6 and value[:1].isupper())
    if kind is Field.TYPE:
        return employment_type_of(value) is not None
    if kind is Field.WORKPLACE:
        answer = value.lower().strip(" .!")
        return workplace_of(value) is not None or answer.startswith(("yes", "no", "ok"))
    return True


def read_workplace(value: str) -> str | None:
    """ "Remote: Yes" is remote, "Remote: No" on-site; otherwise the words say."""
    answer = value.lower().strip(" .!")
    if answer.startswith(("yes", "ok")):
        return "remote"
    if answer.startswith("no"):
        return "onsite"
    return workplace_of(value)
