"""The person: name and contact details, from the lines above the first section.

The name is the largest name-like line near the top (no digits, no "@", one to five
words). Contact details are found by their form anywhere in the header (an address, a
phone number, profile links), then, if missing there, anywhere in the file (a sidebar
layout puts them beside the sections), with less confidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jobwise.adapters.interop.resume_file.lines import TextLine
from jobwise.adapters.interop.resume_file.sections import is_heading_name, normalised
from jobwise.adapters.interop.resume_file.words import is_place, parts_of

# Every repetition is bounded (RFC 5321's lengths): an unbounded one backtracks over a
# long run of "a.a.a." in quadratic time.
EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,6}\.[a-z]{2,24}", re.IGNORECASE
)
PHONE = re.compile(r"(?<![\w/.])(?:\+|\(\+?)?\d[\d\s().\-–]{6,18}\d(?![\w/])")
LINKEDIN = re.compile(
    r"(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/(?:in|pub)/[\w%.-]{1,100}/?", re.I
)
GITHUB = re.compile(r"(?:https?://)?(?:www\.)?github\.com/[\w-]{1,39}/?(?![\w/])", re.I)
URL = re.compile(
    r"(?:https?://|www\.)[^\s,;|·•<>\"']{1,300}|(?<![@\w.])(?:[a-z0-9-]{1,63}\.){1,6}(?:com|dev|"
    r"io|me|net|org|ai|app|co|site|tech|page|xyz|info|blog)(?:/[^\s,;|·•<>\"']{0,300})?(?![\w@])",
    re.IGNORECASE,
)
_HANDLE = re.compile(
    r"\b(github|linkedin)\s*(?:[:：]|://)\s*@?([\w-]{2,100})(?![\w./])", re.IGNORECASE
)
_GITHUB_MARKS = "\uf09b\uf092\uf113"
_LINKEDIN_MARKS = "\uf08c\uf0e1"
_ICON_HANDLE = re.compile(rf"([{_GITHUB_MARKS}{_LINKEDIN_MARKS}])\s*@?([\w-]{{2,100}})(?![\w./@])")
"""FontAwesome's code points for the GitHub and LinkedIn marks (U+F09B, U+F08C...)."""
_ADDRESS = re.compile(
    r"^\d{1,6}[a-z]?\s+[^\W\d][\w.'-]*(?:\s+[\w.'-]+){0,4}(?:,\s*[^,]{2,40}){0,4}$"
)
_SOCIAL = re.compile(
    r"^(?:https?://)?(?:www\.)?(?:twitter|x|facebook|instagram|tiktok|youtube|t\.me|"
    r"stackoverflow|gitlab|bitbucket|medium|dribbble|behance)\.(?:com|me|co)\b",
    re.IGNORECASE,
)
_DATE_LIKE = re.compile(r"^\(?\d{4}\)?\s*[-–]\s*\(?\d{4}\)?$|^\d{1,2}/\d{4}")
_PRIVATE = re.compile("[\ue000-\uf8ff]")
NAME_LINES = 8
DISPLAY = 1.25
"""Of the body's type size: a line this big is display type (a name, a title)."""


@dataclass
class Person:
    fields: dict[str, str] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    rest: list[str] = field(default_factory=list)
    """Header text that is none of the fields (a headline, a second address): kept aside."""

    def put(self, name: str, value: str, confidence: float) -> None:
        if name not in self.fields and value:
            self.fields[name] = value
            self.confidence[name] = confidence


def read_person(header: list[TextLine], everything: list[TextLine]) -> Person:
    person = Person()
    name_line, name = _name_line(header, everything)
    if name_line is not None:
        biggest = max((line.size for line in header[:NAME_LINES]), default=0.0)
        sure = 0.9 if name_line in header and name_line.size >= biggest else 0.7
        person.put("full_name", name, sure)
    for line in header:
        text = line.text
        if line is name_line:
            text = text.partition("\t")[2]
        leftover = _contacts(text, person, 0.95)
        for part in parts_of(leftover.replace(";", " | ")):
            if is_place(part):
                person.put("location", part, 0.7)
            elif _ADDRESS.match(part):  # "1234 Broadway, New York": where they live
                person.put("location", part.rstrip("."), 0.6)
            elif part not in person.rest and not _PRIVATE.fullmatch(part):
                person.rest.append(part)
    for line in everything:  # a sidebar's contact details; a project's link is no website
        _contacts(line.text, person, 0.7, websites=_contact_only(line.text))
    return person


def _contact_only(text: str) -> bool:
    """A line of nothing but addresses and links ("www.jan.com · twitter.com/jan")."""
    rest = URL.sub(" ", EMAIL.sub(" ", _clean(text)))
    return not re.sub(r"[\s|·•,;\t\ue000-\uf8ff]+", "", rest)


def _name_line(header: list[TextLine], everything: list[TextLine]) -> tuple[TextLine | None, str]:
    """The biggest name-like line at the top, or set big anywhere on the first page (a
    sidebar layout prints the name beside its first sections)."""
    body = _body_size(everything)
    display = [
        line
        for line in everything
        if line.page == 1 and line.size >= DISPLAY * body and line not in header
    ]
    lines = header[:NAME_LINES] + display if header else everything[:NAME_LINES] + display
    candidates = [line for line in lines if _name_of(line.text) is not None]
    if not candidates:
        return None, ""
    biggest = max(line.size for line in candidates)
    chosen = next(line for line in candidates if line.size >= biggest)
    at = everything.index(chosen) if chosen in everything else -1
    following = everything[at + 1] if 0 <= at < len(everything) - 1 else None
    if following is not None and abs(following.size - chosen.size) < 0.5:
        both = _name_of(f"{chosen.text} {following.text}")  # "JOHN" over "DOE"
        if both is not None and len(both.split()) <= 4:
            return chosen, both
    return chosen, _name_of(chosen.text) or ""


def _body_size(lines: list[TextLine]) -> float:
    sizes = sorted(line.size for line in lines)
    return sizes[len(sizes) // 2] if sizes else 0.0


def _name_of(text: str) -> str | None:
    """The name a line gives (its first part, "Resume" or "CV" after it dropped), if
    the line is one."""
    text = _clean(text).partition("\t")[0]
    text = re.sub(r"\s*[-–|:]?\s*\b(?:resume|résumé|curriculum vitae|cv)$", "", text, flags=re.I)
    return text if _name_like(text) else None


def _name_like(text: str) -> bool:
    if is_heading_name(text):
        return False
    if not text or any(char.isdigit() for char in text) or "@" in text or "/" in text:
        return False
    if URL.search(text) or len(text) > 60:
        return False
    words = text.split()
    if len(words) > 5:
        return False
    if normalised(text) in {"resume", "curriculum vitae", "cv", "简历", "个人简历"}:
        return False
    return all(word[:1].isalpha() for word in words)


def _contacts(text: str, person: Person, confidence: float, *, websites: bool = True) -> str:
    """Finds the contact details in ``text``; what is left is returned."""
    for match in _ICON_HANDLE.finditer(text):  # FontAwesome's GitHub or LinkedIn mark, a handle
        site = "github.com" if match[1] in _GITHUB_MARKS else "linkedin.com/in"
        name = "github" if match[1] in _GITHUB_MARKS else "linkedin"
        person.put(name, f"https://{site}/{match[2]}", confidence - 0.25)
    text = _clean(_ICON_HANDLE.sub(" ", text))
    for pattern, name, prefix in (
        (EMAIL, "email", ""),
        (LINKEDIN, "linkedin", "https://"),
        (GITHUB, "github", "https://"),
    ):
        for match in pattern.finditer(text):
            value = match.group().rstrip("/.")
            if name != "email" and not value.lower().startswith("http"):
                value = prefix + value
            person.put(name, value, confidence)
        text = pattern.sub(" ", text)
    for match in _HANDLE.finditer(text):  # "GitHub: @posquit0", "LinkedIn: jdoe"
        site = "github.com" if match[1].lower() == "github" else "linkedin.com/in"
        person.put(match[1].lower(), f"https://{site}/{match[2]}", confidence - 0.25)
    text = _HANDLE.sub(" ", text)
    for match in URL.finditer(text) if websites else ():
        value = match.group().rstrip(".),")
        if _SOCIAL.search(value):  # a profile elsewhere is not one's own site
            person.rest.append(value)
            continue
        if not value.lower().startswith("http"):
            value = "https://" + value
        person.put("website", value, confidence - 0.2)
    text = URL.sub(" ", text)
    for match in PHONE.finditer(text):
        value = match.group().strip()
        digits = sum(char.isdigit() for char in value)
        if 7 <= digits <= 15 and not _DATE_LIKE.match(value):
            person.put("phone", value, confidence - 0.05)
            text = text.replace(match.group(), " ")
    return text


def _clean(text: str) -> str:
    """Icons (private-use glyphs) out, spaces single; a column gap stays a tab."""
    return "\t".join(" ".join(part.split()) for part in _PRIVATE.sub(" ", text).split("\t"))
