"""The compact profile the generator writes from (``GET /profiles/{id}/summary``).

A pure function of the profile read-model document and ``today``: no database, no
clock. Dates come in as ISO ``YYYY-MM-DD`` strings (or ``date``/``datetime`` values)
and go out as ``date`` values, which ``model_dump(mode="json")`` writes as ISO strings.

Durations are counted in whole calendar months, since that is the precision a
resume shows ("Mar 2021 - Jun 2023"); see ``duration_months``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from jobwise.domain.characters import clean_text
from jobwise.domain.skills import default_taxonomy

LINK_FIELDS = ("linkedin", "github", "website")
"""The personal_info fields that are links, in the order the summary lists them."""


class _View(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ContactSummary(_View):
    email: str | None = None
    phone: str | None = None
    location: str | None = None
    links: dict[str, str] = Field(default_factory=dict)
    """Only the links that are set, keyed ``linkedin``/``github``/``website`` in that order."""


class ExperienceSummary(_View):
    title: str
    company: str
    location: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    is_current: bool
    duration_months: int = Field(ge=0)
    description: str | None = None
    achievements: list[str] = Field(default_factory=list)


class EducationSummary(_View):
    institution: str
    degree: str
    field_of_study: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    gpa: str | None = None
    honors: list[str] = Field(default_factory=list)


class ProjectSummary(_View):
    name: str
    description: str | None = None
    technologies: list[str] = Field(default_factory=list)
    """Canonical names, de-duplicated."""
    url: str | None = None


class LanguageSummary(_View):
    name: str
    proficiency: str | None = None


class ProfileSummary(_View):
    profile_id: str | None = None
    profile_version: int | None = None
    """The profile version summarised: a generation can record exactly what it used."""
    name: str | None = None
    contact: ContactSummary
    summary: str | None = None
    experiences: list[ExperienceSummary] = Field(default_factory=list)
    total_experience_months: int = Field(ge=0)
    """Months covered by at least one role: overlapping roles are not counted twice."""
    education: list[EducationSummary] = Field(default_factory=list)
    projects: list[ProjectSummary] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list)
    """Technical skills then project technologies: canonical names, no duplicates."""
    soft_skills: list[str] = Field(default_factory=list)
    languages: list[LanguageSummary] = Field(default_factory=list)
    certifications: list[str] = Field(default_factory=list)


# -- canonical skill names ---------------------------------------------------------------


def _collapse(text: str) -> str:
    return " ".join(text.split())


def canonical_skill(name: str) -> str:
    """One skill name, canonical by the shared skill taxonomy (``jobwise.domain.skills``).

    Case and whitespace runs are ignored: ``" k8s "`` -> ``"Kubernetes"``, ``"go"`` ->
    ``"Go"``, ``"react  native"`` -> ``"React Native"``. Unknown names keep their
    spelling, trimmed with inner whitespace collapsed.
    """
    return default_taxonomy().normalize(name)


def canonical_skills(names: Iterable[str]) -> list[str]:
    """Canonical names in first-seen order, de-duplicated case-insensitively.

    The first spelling wins: ``["React", "react", "JS", "javascript"]`` ->
    ``["React", "JavaScript"]``. Blank names are dropped.
    """
    return _dedupe(canonical_skill(name) for name in names)


def _dedupe(names: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    kept: list[str] = []
    for name in names:
        key = name.casefold()
        if name and key not in seen:
            seen.add(key)
            kept.append(name)
    return kept


# -- dates and durations ------------------------------------------------------------------


def to_date(value: Any) -> date | None:
    """An ISO ``YYYY-MM-DD`` string (or a date/datetime, or None) as a ``date``."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def role_months(start: date | None, end: date | None, *, today: date) -> tuple[int, int] | None:
    """The role's calendar months as an inclusive ``(first, last)`` month index, or None.

    The rule: both the start month and the end month count, the day of the month is
    ignored (Jan 2020 - Dec 2020 is 12 months, a role that starts and ends in the same
    month is 1). A role with no end date runs to ``today``; an end date after ``today``
    is cut to ``today`` (only time already worked counts). No start date, or a start
    after the (cut) end, gives None: no months at all.
    """
    if start is None:
        return None
    last_day = today if end is None else min(end, today)
    first, last = _month_index(start), _month_index(last_day)
    return (first, last) if first <= last else None


def duration_months(start: date | None, end: date | None, *, today: date) -> int:
    """Months in one role, by the rule in ``role_months``; never negative."""
    span = role_months(start, end, today=today)
    return 0 if span is None else span[1] - span[0] + 1


def union_months(spans: Iterable[tuple[int, int] | None]) -> int:
    """How many months are covered by at least one of the inclusive month spans."""
    total = 0
    current: tuple[int, int] | None = None
    for first, last in sorted(span for span in spans if span is not None):
        if current is not None and first <= current[1]:
            current = (current[0], max(current[1], last))
            continue
        if current is not None:
            total += current[1] - current[0] + 1
        current = (first, last)
    if current is not None:
        total += current[1] - current[0] + 1
    return total


# -- the summary --------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    """A stripped string, or None when missing or blank; without the characters stored
    text may not hold (a profile stored before the rule: ``jobwise.domain.characters``)."""
    if value is None:
        return None
    stripped = clean_text(str(value)).strip()
    return stripped or None


def _strings(values: Any) -> list[str]:
    return [text for text in (_text(value) for value in values or ()) if text is not None]


def _items(profile: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    return list(profile.get(key) or [])


def _names(items: Iterable[Mapping[str, Any]]) -> list[str]:
    return _strings(item.get("name") for item in items)


def is_current(item: Mapping[str, Any], *, today: date) -> bool:
    """A role is current when flagged so, or when it has no end date or ends after today."""
    end = to_date(item.get("end_date"))
    return bool(item.get("is_current")) or end is None or end > today


def _contact(personal: Mapping[str, Any]) -> ContactSummary:
    links = {field: url for field in LINK_FIELDS if (url := _text(personal.get(field)))}
    return ContactSummary(
        email=_text(personal.get("email")),
        phone=_text(personal.get("phone")),
        location=_text(personal.get("location")),
        links=links,
    )


def _experience(item: Mapping[str, Any], *, today: date) -> ExperienceSummary:
    start, end = to_date(item.get("start_date")), to_date(item.get("end_date"))
    return ExperienceSummary(
        title=_text(item.get("title")) or "",
        company=_text(item.get("company")) or "",
        location=_text(item.get("location")),
        start_date=start,
        end_date=end,
        is_current=is_current(item, today=today),
        duration_months=duration_months(start, end, today=today),
        description=_text(item.get("description")),
        achievements=_strings(item.get("achievements")),
    )


def _education(item: Mapping[str, Any]) -> EducationSummary:
    return EducationSummary(
        institution=_text(item.get("institution")) or "",
        degree=_text(item.get("degree")) or "",
        field_of_study=_text(item.get("field_of_study")),
        start_date=to_date(item.get("start_date")),
        end_date=to_date(item.get("end_date")),
        gpa=_text(item.get("gpa")),
        honors=_strings(item.get("honors")),
    )


def _project(item: Mapping[str, Any]) -> ProjectSummary:
    return ProjectSummary(
        name=_text(item.get("name")) or "",
        description=_text(item.get("description")),
        technologies=canonical_skills(_strings(item.get("technologies"))),
        url=_text(item.get("url")),
    )


def _language(item: Mapping[str, Any]) -> LanguageSummary:
    return LanguageSummary(name=_text(item.get("name")) or "", proficiency=item.get("proficiency"))


def _total_months(experiences: Sequence[ExperienceSummary], *, today: date) -> int:
    return union_months(role_months(e.start_date, e.end_date, today=today) for e in experiences)


def summarize(profile: Mapping[str, Any], *, today: date) -> ProfileSummary:
    """The generation-ready view of one profile read-model document.

    Tolerates missing keys and ``None`` sections (an empty ``{}`` gives an empty summary).
    Items keep the document's order (experiences newest first).
    """
    personal: Mapping[str, Any] = profile.get("personal_info") or {}
    skills: Mapping[str, Any] = profile.get("skills") or {}
    experiences = [_experience(item, today=today) for item in _items(profile, "experiences")]
    projects = [_project(item) for item in _items(profile, "projects")]
    project_technologies = (tech for project in projects for tech in project.technologies)
    return ProfileSummary(
        profile_id=profile.get("id"),
        profile_version=profile.get("version"),
        name=_text(personal.get("full_name")),
        contact=_contact(personal),
        summary=_text(profile.get("professional_summary")),
        experiences=experiences,
        total_experience_months=_total_months(experiences, today=today),
        education=[_education(item) for item in _items(profile, "education")],
        projects=projects,
        skills=canonical_skills([*_names(skills.get("technical") or []), *project_technologies]),
        soft_skills=_dedupe(_collapse(name) for name in _names(skills.get("soft") or [])),
        languages=[_language(item) for item in skills.get("languages") or []],
        certifications=_dedupe(_collapse(n) for n in _names(skills.get("certifications") or [])),
    )
