"""Entries of a dated section (experience, education, projects): where each begins, its
head (the lines naming it) and its body (bullets and prose), then what the head says.

An entry begins at a head line (not a bullet, not indented prose) after the previous
entry's body, or at a second dated head line, or at a bold head after a dated one. A
line set further right than the entry's head, or marked with a bullet, is body; an
unmarked body line after a full-width one continues it (a wrapped bullet).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass, field
from datetime import date

from jobwise.adapters.interop.resume_file.dates import DateSpan, find_range
from jobwise.adapters.interop.resume_file.lines import FULL_WIDTH, TextLine
from jobwise.adapters.interop.resume_file.words import (
    DASHES,
    DEGREE_WORDS,
    SCHOOL_WORDS,
    head_parts_of,
    is_place,
    org_score,
    role_score,
    split_list,
)

PROSE_WORDS = 9
_LABEL = re.compile(r"^(?:dates?|period|duration|location|place|where|when)\s*:\s*", re.I)
"""A head's own labels ("Date: 2005 – 2010", "Location: Palo Alto, CA")."""
DISCIPLINE = re.compile(
    r"\b(?:science|sciences|engineering|studies|mathematics|physics|economics|business|arts|"
    r"design|management|medicine|law|chemistry|biology|history|psychology|informatics|"
    r"computing|finance|accounting|marketing|education|philosophy|linguistics|statistics)\b",
    re.IGNORECASE,
)
"""What a field of study is called ("Computer Science"), not a campus ("Berkeley")."""
RIGHT_COLUMN = 0.7
"""Of the widest line's right end."""
_URL = re.compile(r"(?:https?://|www\.)\S+|(?:github|gitlab)\.com/\S+", re.IGNORECASE)
_GPA = re.compile(
    r"\b(?:GPA|CGPA|Grade)\s*[:\-]?\s*(\d+(?:[.,]\d+)?(?:\s*/\s*\d+(?:[.,]\d+)?)?)", re.I
)
_TECH_LABEL = re.compile(
    r"^(?:technologies|tech(?:nology)? stack|stack|tools|built with|tech)\s*[:：]\s*", re.I
)


@dataclass
class Entry:
    head: list[TextLine] = field(default_factory=list)
    body: list[TextLine] = field(default_factory=list)
    dates: DateSpan | None = None


def group(lines: list[TextLine], widest: float) -> list[Entry]:
    """``widest``: where the file's longest lines end (its right margin)."""
    entries: list[Entry] = []
    entry = Entry()
    for line in _heads_marked_as_items(lines):
        dates = find_range(line.text)
        if _set_right(line, widest, dates) and (entry.head or entry.body):
            # A right column's place and dates, written after the entry's left column.
            if dates is not None and entry.dates is not None and entry.body:
                entries.append(entry)
                entry = Entry()
            entry.head.append(line)
            entry.dates = entry.dates or dates
            continue
        if _is_body(line, entry, dates):
            if entry.body and _continues(entry.body[-1], line, widest):
                last = entry.body[-1]
                entry.body[-1] = _joined(last, line)
            else:
                entry.body.append(line)
            continue
        if _starts_entry(line, entry, dates):
            entries.append(entry)
            entry = Entry()
        entry.head.append(line)
        if entry.dates is None and dates is not None:
            entry.dates = dates
    entries.append(entry)
    return [entry for entry in entries if entry.head or entry.body]


def _set_right(line: TextLine, widest: float, dates: DateSpan | None) -> bool:
    """A short line that starts in the page's right third: a place or dates set flush
    right in a column of their own."""
    if not widest or line.x < RIGHT_COLUMN * widest or len(line.text.split()) > 6:
        return False
    return dates is not None or is_place(line.text) or place_like(line.text)


def _heads_marked_as_items(lines: list[TextLine]) -> list[TextLine]:
    """ "• Google<tab>Mountain View, CA" over an indented "Software Engineer<tab>2016 –
    Present": a template that bullets its entries; the bullet does not make it body."""
    unmarked = list(lines)
    for index, (line, below) in enumerate(itertools.pairwise(lines)):
        stands_out = line.bold or line.size > below.size + 0.5  # not one more bullet
        if not line.marked or below.marked or below.x <= line.x or not stands_out:
            continue
        dates = find_range(below.text)
        if dates is not None and find_range(line.text) is None:
            unmarked[index] = dataclasses.replace(line, marked=False)
    return unmarked


def _is_body(line: TextLine, entry: Entry, dates: DateSpan | None) -> bool:
    if dates is not None and dates.start is not None:  # a bulleted "Role<tab>2019 – 2021"
        return False
    if line.marked:
        return True
    if entry.head and line.x > entry.head[0].x + max(line.size, 4.0) * 0.5 and not line.bold:
        return True  # indented, even if it names a year ("visitors in 2014")
    if line.bold or line.heading or dates is not None:
        return False
    return bool(entry.head) and (
        len(line.text.split()) >= PROSE_WORDS or line.text.rstrip().endswith(".")
    )


def _starts_entry(line: TextLine, entry: Entry, dates: DateSpan | None) -> bool:
    if not entry.head:
        return bool(entry.body)
    if entry.body:
        return True
    if entry.dates is not None and dates is not None:
        return True
    # "Title, Company" (bold) over its dates, then the next bold title: a new entry; a
    # bold line under a head that is its dates alone belongs to it.
    stands_out = (line.bold and not entry.head[-1].bold) or line.size > entry.head[-1].size * 1.08
    return entry.dates is not None and len(entry.head) >= 2 and stands_out


def _continues(previous: TextLine, line: TextLine, widest: float) -> bool:
    if line.marked or previous.right == 0.0:
        return False
    return previous.right >= FULL_WIDTH * widest or line.text[:1].islower()


def _joined(first: TextLine, second: TextLine) -> TextLine:
    text = (
        first.text[:-1] + second.text if first.text.endswith("-") else f"{first.text} {second.text}"
    )
    return TextLine(
        text=text,
        page=first.page,
        size=first.size,
        bold=first.bold,
        x=first.x,
        right=second.right,
        marked=first.marked,
        gap_before=first.gap_before,
    )


def head_lines(entry: Entry, dashes: bool = True) -> list[tuple[list[str], bool]]:
    """Each head line's parts, the date range taken out, and whether it held the dates."""
    lines: list[tuple[list[str], bool]] = []
    removed = False
    for line in entry.head:
        text, dated = line.text, False
        if not removed and entry.dates is not None:
            found = find_range(text)
            if found is not None and found == entry.dates:
                start, end = found.where
                text, dated, removed = text[:start] + "\t" + text[end:], True, True
        parts = [
            piece
            for part in head_parts_of(text, dashes)
            for piece in _bracketed(_LABEL.sub("", part))
        ]
        parts = [kept for part in parts if (kept := _unbracketed(part))]
        lines.append((parts, dated))
    return lines


def _unbracketed(part: str) -> str:
    """The part without brackets that hang off it or enclose it ("(Remote)", "Acme)" once
    a split took its opening one); a closing bracket that closes one in the part stays:
    "Ontario Pension Plan (HOOPP)"."""
    part = part.strip()
    while part[:1] in ("(", "[") and part.count(part[0]) > part.count(_CLOSING[part[0]]):
        part = part[1:].strip()
    while part[-1:] in (")", "]") and part.count(part[-1]) > part.count(_OPENING[part[-1]]):
        part = part[:-1].strip()
    while len(part) >= 2 and _CLOSING.get(part[0]) == part[-1] and _balanced(part[1:-1], part[0]):
        part = part[1:-1].strip()
    return part


_CLOSING = {"(": ")", "[": "]"}
_OPENING = {")": "(", "]": "["}


def _balanced(text: str, opening: str) -> bool:
    """No closing bracket in ``text`` before its opening one: "(a) (b)" is not enclosed."""
    depth = 0
    for char in text:
        if char == opening:
            depth += 1
        elif char == _CLOSING[opening]:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _bracketed(part: str) -> list[str]:
    """ "Engineer (University of Bremen)": a role and, in brackets, where (an organisation,
    a school, a web address or a place: "Acme Ltd. (Toronto, Canada)"); other brackets
    stay ("Engineer (Military Service)")."""
    match = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", part)
    if match is None:
        return [part]
    inner = match[2]
    where = (
        org_score(inner)
        or SCHOOL_WORDS.search(inner)
        or re.search(r"\w\.[a-z]{2,}$", inner)
        or is_place(inner)
    )
    return [match[1], inner] if where else [part]


def head_parts(entry: Entry, dashes: bool = True) -> list[str]:
    return [part for parts, _ in head_lines(entry, dashes) for part in parts]


def body_texts(entry: Entry) -> tuple[list[str], list[str]]:
    """(bullets, prose) of the entry's body."""
    bullets: list[str] = []
    prose: list[str] = []
    for line in entry.body:
        if line.marked or (entry.head and line.x > entry.head[0].x + 2):
            bullets.append(line.text)
        else:
            prose.append(line.text)
    return bullets, prose


# -- experience ---------------------------------------------------------------------------


@dataclass
class Read:
    fields: dict[str, object] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    aside: list[str] = field(default_factory=list)
    """Head text that fits no field: kept in the description, nothing is lost."""

    def put(self, name: str, value: object, confidence: float) -> None:
        if value not in (None, "", []):
            self.fields[name] = value
            self.confidence[name] = confidence


def put_dates(read: Read, dates: DateSpan | None, *, single_is_end: bool = True) -> None:
    if dates is None:
        return
    sure = 0.9 if dates.precise else 0.8
    read.put("start_date", _iso(dates.start), sure)
    if dates.start is None and not single_is_end:
        read.put("start_date", _iso(dates.end), 0.5)
        if not dates.season:
            return
    read.put("end_date", _iso(dates.end), sure)
    if dates.current:
        read.put("is_current", True, sure)
        read.confidence["end_date"] = sure


def read_experience(entry: Entry) -> Read:
    read = Read()
    put_dates(read, entry.dates, single_is_end=False)  # a role's one date is when it began
    lines = head_lines(entry)
    places = [part for parts, _ in lines for part in parts if is_place(part)]
    if not places:  # "Dunamu Inc.<tab>Seoul, S.Korea" over "Engineer<tab>2023 – 2024"
        places = [parts[-1] for parts, _ in lines if len(parts) == 2 and place_like(parts[-1])][:1]
    if places:
        read.put("location", places[0], 0.75)
    else:
        place = _place_beside_dates(lines)
        if place is not None:
            read.put("location", place, 0.6)
            places.append(place)
    rest = []
    for part in (part for parts, _ in lines for part in parts if part not in places):
        named, place = peel_place(part)
        if place is not None and "location" not in read.fields:
            read.put("location", place, 0.7)
            part = named
        rest.append(part)
    title, company, sure, aside = _title_and_company(rest)
    read.put("title", title, sure)
    read.put("company", company, sure)
    read.aside.extend(aside)
    bullets, prose = body_texts(entry)
    read.put("achievements", bullets, 0.85)
    read.put("description", "\n".join([*aside, *prose]) or None, 0.7)
    return read


def peel_place(text: str) -> tuple[str, str | None]:
    """ "Alpha Engineering Firm, Oakland, Ohio, USA" is a name and where it is."""
    name, dash, place = text.rpartition(" – ")
    if not dash:
        name, dash, place = text.rpartition(" - ")
    if dash and name and is_place(place):  # "Nexus AI – San Francisco, CA"
        return name.strip(), place.strip()
    pieces = [piece.strip() for piece in text.split(",")]
    for size in (3, 2):
        if len(pieces) > size and is_place(", ".join(pieces[-size:])):
            return ", ".join(pieces[:-size]), ", ".join(pieces[-size:])
    return text, None


def place_like(part: str) -> bool:
    """ "Seoul, S.Korea": a short comma-joined run of capitalised words."""
    words = part.replace(",", " ").split()
    return (
        "," in part
        and len(words) <= 4
        and not role_score(part)
        and not org_score(part)
        and all(word[:1].isupper() for word in words)
    )


def _place_beside_dates(lines: list[tuple[list[str], bool]]) -> str | None:
    """ "Berlin · 2019 – 2021" under (or after) "Engineer, Acme": a short part beside the
    dates, when another part already names the role and the employer, is where it was."""
    named = [part for parts, dated in lines if not dated for part in parts]
    beside = [part for parts, dated in lines if dated for part in parts]
    if lines and lines[0][1] and beside:  # one line: "Engineer, Acme<tab>Berlin · 2019 – 2021"
        named, beside = [beside[0], *named], beside[1:]
    both = len(named) >= 2 or (len(named) == 1 and ("," in named[0] or " at " in named[0]))
    if not both or len(beside) != 1:
        return None
    part = beside[0]
    return part if len(part.split()) <= 4 and not role_score(part) else None


def _title_and_company(parts: list[str]) -> tuple[str | None, str | None, float, list[str]]:
    if not parts:
        return None, None, 0.0, []
    first = parts[0]
    at = re.match(r"^(.+?)\s+(?:at|@)\s+(.+)$", first)
    if len(parts) == 1 and at:
        return at[1], at[2], 0.9, []
    if len(parts) == 1:
        pieces = [piece.strip() for piece in first.split(",")]
        if len(pieces) >= 2:
            parts = [pieces[0], ", ".join(pieces[1:])]
        if len(parts) == 1:
            return (parts[0], None, 0.5, []) if role_score(parts[0]) else (None, parts[0], 0.4, [])
    a, b, aside = parts[0], parts[1], parts[2:]
    # A role word weighs more than an organisation's ("Software Engineer" is a role).
    a_role = 2 * role_score(a) - org_score(a)
    b_role = 2 * role_score(b) - org_score(b)
    if a_role > b_role:
        return a, b, 0.85, aside
    if b_role > a_role:
        return b, a, 0.85, aside
    return a, b, 0.5, aside


# -- education ----------------------------------------------------------------------------


def read_education(entry: Entry) -> Read:
    read = Read()
    put_dates(read, entry.dates)
    # "Master Project - PrIMA" is one name; "B.S. - Stanford University" two.
    parts = [piece for part in head_parts(entry, dashes=False) for piece in _dashed_school(part)]
    pieces: list[str] = []
    for part in parts:
        if is_place(part):
            read.put("location", part, 0.7)
            continue
        gpa = _GPA.search(part)
        if gpa:
            read.put("gpa", gpa[1][:20], 0.85)
            part = (part[: gpa.start()] + part[gpa.end() :]).strip(" ,;:")
            if not part:
                continue
        for piece in _school_split(part):
            if is_place(piece):
                read.put("location", piece, 0.7)
            else:
                pieces.append(piece)
    school = next((piece for piece in pieces if SCHOOL_WORDS.search(piece)), None)
    degree = next(
        (piece for piece in pieces if piece != school and DEGREE_WORDS.search(piece)), None
    )
    others = [piece for piece in pieces if piece not in (school, degree)]
    bullets, prose = body_texts(entry)
    if school is None:  # "Major in X, University A, New York, USA." below the degree
        school = _school_in(bullets + prose)
        if school is not None:
            read.put("institution", school, 0.6)
    if school is None and others and (degree is not None or len(others) > 1):
        school = others.pop(0)
        read.put("institution", school, 0.5)
    elif "institution" not in read.fields:  # none: the entry before names it
        read.put("institution", school, 0.85)
    if degree is None and others:
        degree = others.pop(0)
        read.put("degree", degree, 0.5)
    elif degree is not None:
        name, study = _degree_and_field(degree)
        read.put("degree", name, 0.85)
        read.put("field_of_study", study, 0.7)
    subject = next((piece for piece in others if DISCIPLINE.search(piece)), None)
    if subject is not None and "field_of_study" not in read.fields:
        read.put("field_of_study", subject, 0.6)  # "PhD, Princeton University, Computer Science"
        others.remove(subject)
    for text in bullets + prose:
        found = [piece for piece in _school_split(text.rstrip(".")) if SCHOOL_WORDS.search(piece)]
        if found:
            read.put("institution", found[0], 0.6)
            break
    for text in bullets + prose:
        gpa = _GPA.search(text)
        if gpa and "gpa" not in read.fields:
            read.put("gpa", gpa[1][:20], 0.8)
    read.put("honors", [*others, *bullets, *prose], 0.6)
    return read


def _dashed_school(part: str) -> list[str]:
    pieces = [piece.strip() for piece in DASHES.split(part)]
    if len(pieces) > 1 and any(SCHOOL_WORDS.search(piece) or is_place(piece) for piece in pieces):
        return [piece for piece in pieces if piece]
    return [part]


def _school_in(texts: list[str]) -> str | None:
    for text in texts:
        for piece in _school_split(text.rstrip(".")):
            if SCHOOL_WORDS.search(piece):
                return piece
    return None


def _school_split(part: str) -> list[str]:
    """ "BSc Mathematics, University of London" is two pieces; "University of California,
    Berkeley" is one."""
    pieces = [piece.strip() for piece in part.split(",") if piece.strip()]
    lead = DEGREE_WORDS.match(pieces[0]) if pieces else None
    if lead and SCHOOL_WORDS.search(pieces[0][lead.end() :]):  # "PhD Princeton University"
        pieces[:1] = [pieces[0][: lead.end()].strip(), pieces[0][lead.end() :].strip()]
        return [pieces[0], *_school_split(", ".join(pieces[1:]))]
    if len(pieces) < 2:
        return pieces
    degree_at = [i for i, piece in enumerate(pieces) if DEGREE_WORDS.search(piece)]
    school_at = [i for i, piece in enumerate(pieces) if SCHOOL_WORDS.search(piece)]
    if degree_at and school_at and degree_at[0] != school_at[0]:
        cut = max(degree_at[0], school_at[0])
        return [", ".join(pieces[:cut]), *_school_split(", ".join(pieces[cut:]))]
    if school_at and not degree_at:  # "Major in X, University B, Los Angeles, USA."
        at = school_at[-1]
        place = ", ".join(pieces[at + 1 :])
        before = ", ".join(pieces[:at])
        if place and (is_place(place) or DISCIPLINE.search(place)):
            return [*([before] if before else []), pieces[at], place]
    return [part]


def _degree_and_field(text: str) -> tuple[str, str | None]:
    match = re.match(r"^(.+?)\s+(?:in|of)\s+(.+)$", text)
    if match and DEGREE_WORDS.search(match[1]) and not re.search(r"\bof\b", match[1]):
        if match[1].lower() in {"bachelor", "master", "doctor", "associate"}:
            inner = re.match(r"^(.+?)\s+in\s+(.+)$", text)
            if inner:
                return inner[1], inner[2]
            return text, None
        return match[1], match[2]
    words = DEGREE_WORDS.match(text)
    if words and words.end() < len(text) and text[words.end()] == " ":
        rest = text[words.end() :].strip(" ,")
        if rest and not re.match(r"^(?:of|in|degree)\b", rest, re.I):
            return text[: words.end()].strip(), rest
    return text, None


# -- projects -----------------------------------------------------------------------------


def read_project(entry: Entry) -> Read:
    read = Read()
    put_dates(read, entry.dates, single_is_end=True)
    parts = head_parts(entry)
    bullets, prose = body_texts(entry)
    url = None
    technologies: list[str] = []
    names: list[str] = []
    for part in parts:
        found = _URL.search(part)
        if found and url is None:
            url = found.group().rstrip(".,)")
            part = (part[: found.start()] + part[found.end() :]).strip(" ,·|")
            if not part:
                continue
        listed = _TECH_LABEL.sub("", part)
        if listed != part or (names and len(split_list(part)) >= 2):
            technologies.extend(split_list(listed))
        else:
            names.append(part)
    body: list[str] = []
    for text in bullets + prose:
        labelled = _TECH_LABEL.match(text)
        if labelled:
            technologies.extend(split_list(text[labelled.end() :]))
            continue
        found = _URL.search(text)
        if found and url is None and found.group() == text.strip():
            url = found.group()
            continue
        body.append(text)
    if names:
        read.put("name", names[0], 0.8)
    if url is not None:
        read.put("url", url if url.lower().startswith("http") else f"https://{url}", 0.85)
    read.put("technologies", technologies, 0.75)
    read.put("description", "\n".join([*names[1:], *body]) or None, 0.7)
    return read


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None
