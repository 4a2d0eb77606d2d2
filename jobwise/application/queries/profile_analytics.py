"""How complete and how strong a master profile is (``GET /profiles/{id}/analytics``).

A pure function of the profile read-model document and ``today``. Each section gets a
graded 0-100 score (not just present/absent); the completeness score is their weighted
mean under ``SECTION_WEIGHTS``. A section scores 0 exactly when it is empty, and the
empty sections are the ``missing_sections``. Recommendations are concrete, computed from
the profile, and always in the same order: section by section in the order of
``SECTION_WEIGHTS``, then item by item in the document's order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from jobwise.domain.profile_summary import canonical_skills, is_current

SECTION_WEIGHTS: dict[str, int] = {
    # Contact details are how a recruiter reaches you and what an ATS parses first,
    # but they are quick to fill in and rarely what separates candidates.
    "personal_info": 15,
    # The summary is the first thing a reader sees and the generator's main source for
    # a cover letter's voice and for tailoring the resume's opening lines.
    "professional_summary": 15,
    # Experience carries most of the evidence a tailored resume is built from: roles,
    # descriptions and (quantified) achievements. The heaviest section.
    "experiences": 30,
    # Skills are what job keyword matching runs on: a thin list caps the match score.
    "skills": 20,
    # Education matters, but a degree is a single fact, often filtered on, rarely decisive.
    "education": 10,
    # Projects strengthen a profile (especially an early-career one) but are optional.
    "projects": 10,
}
"""Section -> weight in the completeness score. The weights sum to 100."""

SUMMARY_WORDS = (50, 120)
"""The target length of a professional summary, in words (roughly 2-4 sentences)."""
TECHNICAL_SKILLS_TARGET = 8
SOFT_SKILLS_TARGET = 3
EXPERIENCES_TARGET = 3
PROJECTS_TARGET = 3
LISTED_NAMES_MAX = 5
"""At most this many names spelled out in one recommendation."""

_NUMBER_WORDS = (
    r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|"
    r"dozens?|half|double|doubled|tripled|quadrupled|twice|thrice|percent"
)
# "one" is left out: it is mostly a pronoun ("one of the...") rather than a measure.
_QUANTIFIED = re.compile(
    r"\d|[%$€£¥₹]|\b(?:" + _NUMBER_WORDS + r")\b",
    re.IGNORECASE,
)


class ProfileAnalytics(BaseModel):
    model_config = ConfigDict(extra="forbid")

    completeness_score: int = Field(ge=0, le=100)
    section_scores: dict[str, int]
    """Each section of ``SECTION_WEIGHTS``, 0-100, in that order."""
    missing_sections: list[str]
    """Sections with nothing in them, in the order of ``SECTION_WEIGHTS``."""
    recommendations: list[str]


@dataclass(frozen=True)
class _Section:
    score: int
    recommendations: list[str]


# -- small helpers -------------------------------------------------------------------------


def is_quantified(text: str) -> bool:
    """Whether an achievement has a measure in it: a digit, %, a currency sign or a number word."""
    return _QUANTIFIED.search(text) is not None


def _percent(value: float) -> int:
    """0..1 as a whole 0..100 percentage, rounding halves up (not to even)."""
    return int(min(max(value, 0.0), 1.0) * 100 + 0.5)


def _share(items: list[Mapping[str, Any]], has: Callable[[Mapping[str, Any]], bool]) -> float:
    return sum(1 for item in items if has(item)) / len(items) if items else 0.0


def _capped(count: int, target: int) -> float:
    return min(count, target) / target


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def _items(container: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    return list(container.get(key) or [])


def _strings(values: Any) -> list[str]:
    return [text for text in (_text(value) for value in values or ()) if text]


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def _named_list(names: list[str]) -> str:
    shown = ", ".join(names[:LISTED_NAMES_MAX])
    hidden = len(names) - LISTED_NAMES_MAX
    return f"{shown} and {hidden} more" if hidden > 0 else shown


def _role(item: Mapping[str, Any]) -> str:
    title, company = _text(item.get("title")), _text(item.get("company"))
    return f"{title} at {company}" if title and company else title or company or "a role"


# -- sections ------------------------------------------------------------------------------


def _personal_info(profile: Mapping[str, Any]) -> _Section:
    """Share of five checks: name, email, phone, location, and at least one link."""
    info: Mapping[str, Any] = profile.get("personal_info") or {}
    has_link = any(_text(info.get(key)) for key in ("linkedin", "github", "website"))
    checks = [
        (bool(_text(info.get("full_name"))), "Add your full name"),
        (bool(_text(info.get("email"))), "Add an email address so recruiters can reach you"),
        (bool(_text(info.get("phone"))), "Add a phone number"),
        (
            bool(_text(info.get("location"))),
            "Add your location (city, country): many postings filter on it",
        ),
        (has_link, "Add a LinkedIn or GitHub link"),
    ]
    passed = sum(1 for ok, _ in checks if ok)
    return _Section(_percent(passed / len(checks)), [advice for ok, advice in checks if not ok])


def _summary_length_score(words: int) -> int:
    """Length bands around the 50-120 word target: on target 100, shorter or longer less."""
    low, high = SUMMARY_WORDS
    if words == 0:
        return 0
    if words < 20:
        return 40
    if words < low:
        return 70
    if words <= high:
        return 100
    return 80 if words <= 200 else 60


def _professional_summary(profile: Mapping[str, Any]) -> _Section:
    words = len(_text(profile.get("professional_summary")).split())
    low, high = SUMMARY_WORDS
    advice: list[str] = []
    if words == 0:
        advice.append(
            "No professional summary: add 2-4 sentences on who you are and what you want next"
        )
    elif words < low:
        advice.append(
            f"Your professional summary has {_plural(words, 'word')}: "
            f"expand it to {low}-{high} words"
        )
    elif words > high:
        advice.append(
            f"Your professional summary has {words} words: tighten it to {low}-{high} words"
        )
    return _Section(_summary_length_score(words), advice)


def _achievement_advice(item: Mapping[str, Any], *, today: date) -> str:
    if is_current(item, today=today):
        return f"Your current role ({_role(item)}) has no achievements: add 2-3 concrete results"
    return f"Experience as {_role(item)} has no achievements: add 2-3 concrete results"


def _experience_item_advice(item: Mapping[str, Any], *, today: date) -> list[str]:
    advice: list[str] = []
    if not _text(item.get("description")):
        advice.append(
            f"Experience as {_role(item)} has no description: "
            "add 1-2 sentences on your scope and responsibilities"
        )
    if not _strings(item.get("achievements")):
        advice.append(_achievement_advice(item, today=today))
    return advice


def _quantify_advice(quantified: int, total: int) -> str:
    measures = "(%, time saved, users, revenue, team size)"
    if total == 1:
        return f"Your only achievement has no number in it: quantify it {measures}"
    verb = "has a number in it" if quantified == 1 else "have a number in them"
    return f"{quantified} of {total} achievements {verb}: quantify the rest {measures}"


def _experiences(profile: Mapping[str, Any], *, today: date) -> _Section:
    """Four equal quarters: how many roles (3 is full), the share with a description,
    the share with achievements, and the share of all achievements that are quantified."""
    items = _items(profile, "experiences")
    if not items:
        return _Section(
            0, ["No work experience: add your roles, newest first, with what you achieved"]
        )
    achievements = [text for item in items for text in _strings(item.get("achievements"))]
    quantified = sum(1 for text in achievements if is_quantified(text))
    parts = (
        _capped(len(items), EXPERIENCES_TARGET),
        _share(items, lambda item: bool(_text(item.get("description")))),
        _share(items, lambda item: bool(_strings(item.get("achievements")))),
        quantified / len(achievements) if achievements else 0.0,
    )
    advice = [text for item in items for text in _experience_item_advice(item, today=today)]
    if quantified < len(achievements):
        advice.append(_quantify_advice(quantified, len(achievements)))
    return _Section(_percent(sum(parts) / len(parts)), advice)


def _skills(profile: Mapping[str, Any]) -> _Section:
    """Technical skills 60 (8 or more is full), soft skills 20 (3 is full), a language 10,
    a certification 10."""
    skills: Mapping[str, Any] = profile.get("skills") or {}
    technical = canonical_skills(_strings(s.get("name") for s in _items(skills, "technical")))
    soft = _items(skills, "soft")
    languages = _items(skills, "languages")
    certifications = _items(skills, "certifications")
    score = (
        60 * _capped(len(technical), TECHNICAL_SKILLS_TARGET)
        + 20 * _capped(len(soft), SOFT_SKILLS_TARGET)
        + 10 * bool(languages)
        + 10 * bool(certifications)
    )
    advice = _skills_advice(profile, technical, has_soft=bool(soft), has_languages=bool(languages))
    return _Section(_percent(score / 100), advice)


def _skills_advice(
    profile: Mapping[str, Any], technical: list[str], *, has_soft: bool, has_languages: bool
) -> list[str]:
    advice: list[str] = []
    if not technical:
        advice.append(
            "No technical skills: add the tools and technologies you use (aim for "
            f"{TECHNICAL_SKILLS_TARGET} or more)"
        )
    elif len(technical) < TECHNICAL_SKILLS_TARGET:
        advice.append(
            f"Your skills list has {_plural(len(technical), 'entry', 'entries')}: add the tools "
            f"you use (aim for {TECHNICAL_SKILLS_TARGET} or more)"
        )
    unlisted = _unlisted_technologies(profile, technical)
    if unlisted:
        advice.append(
            f"{_plural(len(unlisted), 'technology', 'technologies')} from your projects "
            f"{'is' if len(unlisted) == 1 else 'are'} not in your skills: {_named_list(unlisted)}"
        )
    if not has_soft:
        advice.append("No soft skills: add 2-3 that your experience backs up (e.g. mentoring)")
    if not has_languages:
        advice.append("Add the languages you speak, with your proficiency in each")
    return advice


def _unlisted_technologies(profile: Mapping[str, Any], technical: Iterable[str]) -> list[str]:
    listed = {name.casefold() for name in technical}
    used = canonical_skills(
        tech
        for project in _items(profile, "projects")
        for tech in _strings(project.get("technologies"))
    )
    return [name for name in used if name.casefold() not in listed]


def _education(profile: Mapping[str, Any]) -> _Section:
    """70 for at least one entry, plus 30 times the share that name a field of study."""
    items = _items(profile, "education")
    if not items:
        return _Section(0, ["No education: add your degrees, or courses and bootcamps"])
    with_field = _share(items, lambda item: bool(_text(item.get("field_of_study"))))
    advice = [
        f"Education at {_text(item.get('institution')) or 'an institution'} has no field of study"
        for item in items
        if not _text(item.get("field_of_study"))
    ]
    return _Section(_percent(0.7 + 0.3 * with_field), advice)


def _project_advice(item: Mapping[str, Any]) -> list[str]:
    name = _text(item.get("name")) or "(unnamed)"
    advice: list[str] = []
    if not _text(item.get("description")):
        advice.append(f"Project {name} has no description: say what it does and your part in it")
    if not _strings(item.get("technologies")):
        advice.append(f"Project {name} lists no technologies")
    if not _text(item.get("url")):
        advice.append(f"Project {name} has no link: add a repository or demo URL")
    return advice


def _projects(profile: Mapping[str, Any]) -> _Section:
    """How many (3 is full) 40, share with technologies 30, with a URL 20, with a description 10."""
    items = _items(profile, "projects")
    if not items:
        return _Section(0, ["No projects: add 1-3 that show the skills you want to be hired for"])
    score = (
        0.4 * _capped(len(items), PROJECTS_TARGET)
        + 0.3 * _share(items, lambda item: bool(_strings(item.get("technologies"))))
        + 0.2 * _share(items, lambda item: bool(_text(item.get("url"))))
        + 0.1 * _share(items, lambda item: bool(_text(item.get("description"))))
    )
    return _Section(_percent(score), [text for item in items for text in _project_advice(item)])


# -- the analysis --------------------------------------------------------------------------


def _sections(profile: Mapping[str, Any], *, today: date) -> dict[str, _Section]:
    sections = {
        "personal_info": _personal_info(profile),
        "professional_summary": _professional_summary(profile),
        "experiences": _experiences(profile, today=today),
        "skills": _skills(profile),
        "education": _education(profile),
        "projects": _projects(profile),
    }
    return {name: sections[name] for name in SECTION_WEIGHTS}


def weighted_score(section_scores: Mapping[str, int]) -> int:
    """The completeness score: the ``SECTION_WEIGHTS``-weighted mean of the section scores."""
    total = sum(SECTION_WEIGHTS[name] * section_scores.get(name, 0) for name in SECTION_WEIGHTS)
    return _percent(total / (100 * sum(SECTION_WEIGHTS.values())))


def analyze(profile: Mapping[str, Any], *, today: date) -> ProfileAnalytics:
    """Score one profile read-model document and say what to improve.

    ``today`` decides which roles are current (no end date, or one still to come).
    Tolerates missing keys and ``None`` sections: ``{}`` scores 0 with every section missing.
    """
    sections = _sections(profile, today=today)
    scores = {name: section.score for name, section in sections.items()}
    return ProfileAnalytics(
        completeness_score=weighted_score(scores),
        section_scores=scores,
        missing_sections=[name for name, score in scores.items() if score == 0],
        recommendations=[text for section in sections.values() for text in section.recommendations],
    )
