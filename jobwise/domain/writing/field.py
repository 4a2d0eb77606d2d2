"""Which of the candidate's roles are in the field of the target job, and for how long.

A recruiter reads "Data Analyst with 11 years of experience" as 11 years of analysis;
nine of them spent teaching is not that. So the years a document states count only the
roles in the job's field, by one simple rule:

    a role is in the field when its title shares a word with the job's role (seniority
    and generic job nouns such as "engineer" or "manager" left out; "Front-end" and
    "Frontend" are one word), or when its title, description or achievements name a
    skill the posting names (soft skills such as Communication, which every job names,
    do not count).

Skills match by name, not by kinship: a React developer's roles are not in the field of a
Vue.js posting unless they share a title word or another named skill.

Months are the union of those roles' calendar months (overlaps count once) and years
are their floor (83 months are 6 years, never 7). Under one year, or when the job names
neither role words nor skills (the field cannot be told), no count is stated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date

from jobwise.domain.profile_summary import ExperienceSummary, role_months, union_months
from jobwise.domain.skills import SkillTaxonomy, default_taxonomy
from jobwise.domain.writing.models import JobAnalysis
from jobwise.domain.writing.terms import skills_in, stems, word_stems

GENERIC_TITLE_WORDS = frozenset(
    stems(
        [
            "engineer", "developer", "manager", "specialist", "associate", "assistant",
            "officer", "consultant", "head", "member", "representative", "coordinator",
            "remote", "contract", "contractor", "freelance", "part", "time", "full", "ii",
            "iii", "iv", "hybrid", "intern", "internship", "level", "entry",
        ]
    )
)  # fmt: skip
"""Words many unrelated titles share: "Store Manager" is not in a "Product Manager" field."""


def role_words(analysis: JobAnalysis) -> set[str]:
    """The stems that say which field the job is in ("analyst", "data", "nurs")."""
    return title_words(analysis.role or analysis.title)


def title_words(title: str) -> set[str]:
    """The stems of a title that can tell a field, hyphenated words joined ("frontend")."""
    joined = re.sub(r"(?<=[^\W\d_])-(?=[^\W\d_])", "", title)
    return set(word_stems(joined)) - GENERIC_TITLE_WORDS


def field_skills(analysis: JobAnalysis, taxonomy: SkillTaxonomy | None = None) -> set[str]:
    """The job's skills that tell its field: every skill the posting names but soft ones."""
    skills = taxonomy or default_taxonomy()
    named = [*analysis.keywords, *analysis.other_skills]
    return {s for s in named if skills.category_of(s) != "soft"}


def can_tell_field(analysis: JobAnalysis, taxonomy: SkillTaxonomy | None = None) -> bool:
    return bool(role_words(analysis) or field_skills(analysis, taxonomy))


def in_field(
    title: str,
    texts: Iterable[str],
    analysis: JobAnalysis,
    taxonomy: SkillTaxonomy | None = None,
) -> bool:
    """Whether a role with this title and these texts is in the job's field (see above)."""
    skills = taxonomy or default_taxonomy()
    if role_words(analysis) & title_words(title):
        return True
    wanted = field_skills(analysis, skills)
    said = "\n".join([title, *texts])
    return bool(wanted and wanted & set(skills_in(said, skills)))


def field_roles(
    experiences: Sequence[ExperienceSummary],
    analysis: JobAnalysis,
    taxonomy: SkillTaxonomy | None = None,
) -> list[ExperienceSummary]:
    return [
        role
        for role in experiences
        if in_field(role.title, [role.description or "", *role.achievements], analysis, taxonomy)
    ]


def field_years(
    experiences: Sequence[ExperienceSummary],
    analysis: JobAnalysis,
    *,
    today: date,
    taxonomy: SkillTaxonomy | None = None,
) -> int:
    """Whole years in the job's field; 0 when under a year or the field cannot be told."""
    if not can_tell_field(analysis, taxonomy):
        return 0
    roles = field_roles(experiences, analysis, taxonomy)
    months = union_months(role_months(r.start_date, r.end_date, today=today) for r in roles)
    return months // 12
