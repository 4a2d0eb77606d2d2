"""``parse_posting``: a pasted job posting in, structured fields out.

Deterministic and pure (no clock, no I/O): the same paste always gives the same parse,
so a stored parse can be recomputed and compared. The stages live in their own modules:
``text`` (lines, bullets, noise), ``sections`` and ``headings``, ``labels`` and
``header`` and ``fields`` (title, company, place), ``salary``, ``keywords``.
"""

from __future__ import annotations

import re

from jobwise.domain.postings.fields import Identity, resolve
from jobwise.domain.postings.keywords import classify_skills
from jobwise.domain.postings.labels import Field, Labels, read_labels
from jobwise.domain.postings.models import ParsedPosting, SalaryRange
from jobwise.domain.postings.places import dollar_currency
from jobwise.domain.postings.salary import find_salary, parse_salary
from jobwise.domain.postings.sections import (
    Kind,
    Section,
    benefits_sentence,
    is_hard_wrapped,
    items_of,
    split_sections,
)
from jobwise.domain.postings.text import MAX_CHARS, bullet_of, is_noise, split_lines
from jobwise.domain.skills.taxonomy import SkillTaxonomy, default_taxonomy

_BLANK_RUN_RE = re.compile(r"\n{3,}")


def parse_posting(raw_text: str, taxonomy: SkillTaxonomy | None = None) -> ParsedPosting:
    """Parse a pasted posting; fields the text does not state are None or empty."""
    skills = taxonomy or default_taxonomy()
    lines = ["" if is_noise(line) else line for line in split_lines(raw_text)]
    sections = split_sections(lines)
    labels = read_labels(lines)

    def body(excluded: set[int]) -> str:
        return _tidy("\n".join(line for i, line in enumerate(lines) if i not in excluded))

    identity = resolve(
        lines, sections, labels, body, lambda text: text in skills, raw_text[:MAX_CHARS]
    )
    description = body(identity.header_lines)
    header = identity.header_lines
    wrapped = is_hard_wrapped(lines)
    required = _items(sections, Kind.REQUIRED, header, wrapped)
    preferred = _items(sections, Kind.PREFERRED, header, wrapped)
    benefits = _items(sections, Kind.BENEFITS, header, wrapped)
    return ParsedPosting(
        title=identity.title,
        company=identity.company,
        location=identity.location,
        remote=identity.remote,
        work_arrangement=identity.work_arrangement,
        employment_type=identity.employment_type,
        salary_range=_salary(lines, _labelled_pay(labels), identity, wrapped),
        requirements=required,
        nice_to_have=preferred,
        responsibilities=_items(sections, Kind.RESPONSIBILITIES, header, wrapped),
        benefits=list(dict.fromkeys(benefits)) or _as_list(benefits_sentence(lines)),
        description=description,
        parsed_keywords=classify_skills(
            skills,
            required_items=required,
            preferred_items=preferred,
            # Header lines are left out of the description, not out of the skills: a forum
            # header's "| Typescript, Vue, Nuxt |" segment is the stack.
            everything="\n".join([identity.title or "", *_lines_at(lines, header), description]),
        ),
    )


def _items(sections: list[Section], kind: Kind, header: set[int], wrapped: bool) -> list[str]:
    """The items of every section of this kind, without lines that were header fields."""
    return [
        item
        for section in sections
        if section.kind is kind
        for item in items_of(
            [line for i, line in section.lines if i not in header], hard_wrapped=wrapped
        )
    ]


def _labelled_pay(labels: Labels) -> str | None:
    """ "Salary: ..." or, in records that keep the ends apart, "min_payrange: $ 143,736" and
    "max_payrange: $ 191,900" read as one range."""
    stated = labels.values.get(Field.SALARY)
    low, high = labels.values.get(Field.SALARY_MIN), labels.values.get(Field.SALARY_MAX)
    if not stated and low and high:
        return f"{low} - {high}"
    return stated


def _salary(
    lines: list[str], labelled: str | None, identity: Identity, wrapped: bool
) -> SalaryRange | None:
    """A labelled salary first, then one the header states ("| €55-80K |"); otherwise the
    most salary-like figure, header lines favoured."""
    dollar = dollar_currency(identity.location)
    for stated in (labelled, identity.pay):
        parsed = parse_salary(stated, dollar=dollar) if stated else None
        if parsed is not None:
            return parsed
    favoured = frozenset(identity.header_lines)
    units = _paragraph_lines(lines) if wrapped else list(enumerate(lines))
    return find_salary(units, favoured=favoured, dollar=dollar)


def _paragraph_lines(lines: list[str]) -> list[tuple[int, str]]:
    """Hard-wrapped prose joined back into its sentences ("€ 3,997 (scale 10 Dutch" /
    "Universities) gross per month"); a bullet starts a new unit, so two list items never
    read as one range."""
    units: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        continues = units and line.strip() and lines[index - 1].strip()
        if continues and not bullet_of(line)[0]:
            start, text = units[-1]
            units[-1] = (start, f"{text} {line.strip()}")
        elif line.strip():
            units.append((index, line))
    return units


def _lines_at(lines: list[str], indices: set[int]) -> list[str]:
    return [lines[i] for i in sorted(indices)]


def _as_list(sentence: str | None) -> list[str]:
    return [sentence] if sentence else []


def _tidy(text: str) -> str:
    return _BLANK_RUN_RE.sub("\n\n", "\n".join(line.rstrip() for line in text.split("\n"))).strip()
