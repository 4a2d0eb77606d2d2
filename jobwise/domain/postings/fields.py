"""Settle title, company, location, workplace and employment type from every source.

Sources in order of trust: labelled lines ("Location: Berlin"), then the header lines at
the top of the paste, then headings ("About Acme"), then prose ("a role at Fintrex").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from jobwise.domain.postings.companies import company_named
from jobwise.domain.postings.employment import (
    arrangement_in_body,
    employment_type_in_body,
    employment_type_of,
)
from jobwise.domain.postings.header import Top, read_top
from jobwise.domain.postings.labels import Field, Labels, read_workplace
from jobwise.domain.postings.pipe_header import segments_of
from jobwise.domain.postings.places import clean_location, workplace_of
from jobwise.domain.postings.roles import clean_title, has_role
from jobwise.domain.postings.sections import Kind, Section
from jobwise.domain.postings.sentences import (
    companies_in,
    company_introduced,
    location_in,
    title_in,
)


@dataclass(slots=True)
class Identity:
    title: str | None = None
    company: str | None = None
    location: str | None = None
    remote: bool = False
    work_arrangement: str | None = None
    employment_type: str | None = None
    pay: str | None = None
    """Pay stated in a one-line header, trusted like a labelled salary."""
    header_lines: set[int] = field(default_factory=set)
    """Lines that only said these things, left out of the description."""


def header_region(lines: list[str], sections: list[Section]) -> list[tuple[int, str]]:
    """Lines before the first content section; unknown bold/markdown headings count as lines."""
    region: list[tuple[int, str]] = []
    for section in sections:
        if section.kind not in (Kind.PREAMBLE, Kind.OTHER):
            break
        if section.heading_index is not None and section.kind is Kind.OTHER:
            if section.known:
                continue
            region.append((section.heading_index, lines[section.heading_index]))
        region.extend(section.lines)
    return region


def resolve(
    lines: list[str],
    sections: list[Section],
    labels: Labels,
    body: Callable[[set[int]], str],
    is_skill: Callable[[str], bool],
    raw: str = "",
) -> Identity:
    """``body(excluded)`` is the posting's prose without the given lines; ``raw`` is the
    paste as pasted (its link targets can name the company)."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    region = [
        (i, line)
        for i, line in header_region(lines, sections)
        if i not in labels.used or (i == first and _pipe_header_at(lines, i))
    ]
    subject = labels.values.get(Field.SUBJECT)
    if subject is not None:
        region.insert(0, (labels.lines[Field.SUBJECT], subject))
    top = read_top(region, is_skill, "\n".join(lines))
    found = Identity(header_lines=labels.used | top.used)
    text = body(found.header_lines)
    found.title = _title(labels, top, text)
    found.company = _company(labels, top, sections, text, found.title, raw)
    if found.company is None and top.after_title and found.title == top.title:
        found.title, found.company = top.after_title
    found.location = _location(labels, top, text)
    found.work_arrangement = _arrangement(labels, top, text)
    found.remote = found.work_arrangement == "remote"
    found.employment_type = _employment_type(labels, top, found.title, text)
    found.pay = top.pay
    if found.location is None and found.remote:
        found.location = "Remote"
    return found


def _pipe_header_at(lines: list[str], index: int) -> bool:
    """The paste's first line (``index``) is a one-line header even when a segment of it
    looks like a label ("| Salary: $105,000 - $125,000 CAD |"): the header reader reads it
    whole."""
    return segments_of(lines[index]) is not None


_PAGE_WORDS = frozenset({"careers", "career", "jobs", "job board", "job openings", "openings"})


def labelled_title(value: str) -> tuple[str, str | None]:
    """A title label's value as (title, company it names).

    "Login.gov: Data Analyst" (organisation, then role) and "Copywriter | Careers | VML"
    (a page title: role, site section, company) both name the company too.
    """
    parts = [part.strip() for part in value.split(" | ") if part.strip()]
    if len(parts) > 1:
        title = next((part for part in parts if has_role(part)), parts[0])
        rest = [part for part in parts if part != title]
        named = [part for part in rest if part.lower() not in _PAGE_WORDS]
        section = len(named) < len(rest)
        return title, (named[-1] if named and section else None)
    head, colon, tail = value.partition(": ")
    if colon and has_role(tail) and not has_role(head) and len(head.split()) <= 4:
        return tail, head
    return value, None


def _title(labels: Labels, top: Top, text: str) -> str | None:
    labelled = labels.values.get(Field.TITLE)
    if labelled:
        return clean_title(labelled_title(labelled)[0]) or None
    return top.title or title_in(text)


def _company(
    labels: Labels, top: Top, sections: list[Section], text: str, title: str | None, raw: str
) -> str | None:
    labelled = labels.values.get(Field.COMPANY)
    if labelled:
        return labelled.strip(" ,;")
    if top.company:
        return top.company
    in_title = labelled_title(labels.values.get(Field.TITLE) or "")[1]
    if in_title:
        return in_title
    named = next((section.name for section in sections if section.name), None)
    named = named or company_named(text, raw, companies_in(text, title), title)
    return named or _introduced(sections)


def _introduced(sections: list[Section]) -> str | None:
    about = next((s for s in sections if s.kind is Kind.ABOUT_COMPANY and s.heading), None)
    lines = [line for line in about.texts if line.strip()] if about else []
    return company_introduced(lines[0]) if lines else None


def _location(labels: Labels, top: Top, text: str) -> str | None:
    labelled = labels.values.get(Field.LOCATION)
    place = clean_location(labelled) if labelled else ""
    if place and place != "Remote":
        return place
    return top.location or location_in(text) or (place or None)


def _arrangement(labels: Labels, top: Top, text: str) -> str | None:
    """Labels, then the header, then prose. A header's "Remote" that the body narrows to
    "This hybrid role ... 2 days in our office" is hybrid: the specific statement wins."""
    said = labels.values.get(Field.WORKPLACE)
    located = labels.values.get(Field.LOCATION)
    stated = next(
        (
            workplace
            for workplace in (
                read_workplace(said) if said else None,
                workplace_of(located) if located else None,
                top.workplace,
            )
            if workplace is not None
        ),
        None,
    )
    in_body = arrangement_in_body(text)
    if stated is None or (stated == "remote" and in_body == "hybrid"):
        return in_body
    return stated


def _employment_type(labels: Labels, top: Top, title: str | None, text: str) -> str | None:
    labelled = labels.values.get(Field.TYPE)
    return (
        (employment_type_of(labelled) if labelled else None)
        or top.employment_type
        or (employment_type_of(title) if title else None)
        or employment_type_in_body(text)
    )
