"""Stage 1, ``analyzing_job``: what the job asks for, read from its read-model document.

The posting parser (``jobwise.domain.postings``) and the skill taxonomy (``jobwise.domain.skills``)
already did the reading when the job was saved: this stage reuses their output
(``parsed_keywords``, the sections) and only parses ``raw_text`` again when the
document lacks them (a job typed in by hand, an old document). On top it reads the
seniority, the years asked for, how the posting spells each skill, and its must-haves
and nice-to-haves: skills, licences, certifications, degrees and years of experience
(``qualifications``), which the match score weighs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from jobwise.domain.postings import parse_posting
from jobwise.domain.postings.keywords import classify_skills
from jobwise.domain.postings.roles import clean_title, split_parentheticals
from jobwise.domain.skills import SkillTaxonomy, default_taxonomy
from jobwise.domain.writing.models import JobAnalysis, Seniority
from jobwise.domain.writing.qualifications import read_qualifications
from jobwise.domain.writing.terms import word_stems

MAX_YEARS = 30
"""A larger "N years" is a company age or a typo, not a requirement."""

# Most specific first: "Senior Staff Engineer" is principal-level, "Lead" beats "Senior".
_SENIORITY: tuple[tuple[Seniority, re.Pattern[str]], ...] = (
    ("executive", re.compile(r"\b(?:head of|director|vp|vice president|chief|cto|cio|ciso)\b")),
    ("principal", re.compile(r"\b(?:principal|staff|distinguished|architect)\b")),
    ("lead", re.compile(r"\b(?:lead|leader|engineering manager|team manager)\b")),
    ("senior", re.compile(r"\b(?:senior|sr\.?|iii|mid-senior)\b")),
    ("mid", re.compile(r"\b(?:mid|mid-level|intermediate|ii)\b")),
    ("junior", re.compile(r"\b(?:junior|jr\.?|entry[- ]level|graduate|new grad)\b")),
    ("intern", re.compile(r"\b(?:intern|internship|trainee|apprentice)\b")),
)
_LEVEL_LINE = re.compile(r"\b(entry|mid|senior|mid-senior|director|executive)[ -]level\b", re.I)
_LEVEL_OF: dict[str, Seniority] = {
    "entry": "junior", "mid": "mid", "senior": "senior", "mid-senior": "senior",
    "director": "executive", "executive": "executive",
}  # fmt: skip
_SENIORITY_WORDS = re.compile(
    r"\b(?:senior|sr\.?|junior|jr\.?|lead|principal|staff|mid-level|entry-level|intern)\b\s*",
    re.IGNORECASE,
)
_YEARS = re.compile(
    r"\b(\d{1,2})\s*(?:\+|plus)?\s*(?:(?:-|–|to)\s*\d{1,2}\s*)?\+?\s*years?\b", re.I
)


class JobInput(BaseModel):
    """The fields of a job document this stage reads; anything else is ignored."""

    model_config = ConfigDict(extra="ignore")

    id: str | None = None
    title: str = ""
    company: str | None = None
    location: str | None = None
    description: str = ""
    requirements: list[str] = Field(default_factory=list)
    nice_to_have: list[str] = Field(default_factory=list)
    responsibilities: list[str] = Field(default_factory=list)
    raw_text: str | None = None
    parsed_keywords: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("title", "description", mode="before")
    @classmethod
    def _text(cls, value: Any) -> str:
        return "" if value is None else str(value)

    @field_validator("requirements", "nice_to_have", "responsibilities", mode="before")
    @classmethod
    def _lines(cls, value: Any) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            return [line.strip() for line in value.splitlines() if line.strip()]
        return [str(line).strip() for line in value if str(line).strip()]

    @field_validator("parsed_keywords", mode="before")
    @classmethod
    def _keywords(cls, value: Any) -> dict[str, list[str]]:
        if not isinstance(value, Mapping):
            return {}
        return {
            k: [str(s) for s in (value.get(k) or [])] for k in ("required", "preferred", "skills")
        }


def analyze_job(
    job: Mapping[str, Any] | JobInput, taxonomy: SkillTaxonomy | None = None
) -> JobAnalysis:
    """The job analysis of one job document (as ``GET /api/v1/jobs/{id}`` answers)."""
    skills = taxonomy or default_taxonomy()
    given = job if isinstance(job, JobInput) else JobInput.model_validate(dict(job))
    filled = _fill_from_raw_text(given, skills)
    keywords = _keywords(filled, skills)
    title = " ".join(filled.title.split())
    required = keywords["required"]
    preferred = [s for s in keywords["preferred"] if s not in required]
    other = [s for s in keywords["skills"] if s not in required and s not in preferred]
    if not required and not preferred:
        # A posting without requirement sections: every skill it names is asked for.
        required, other = other, []
    text = _all_text(filled)
    must_haves, nice_to_haves = read_qualifications(
        filled.requirements,
        filled.nice_to_have,
        [*_sentences(filled.description), *filled.responsibilities],
        required,
        preferred,
        skills,
    )
    return JobAnalysis(
        job_id=filled.id,
        title=title,
        role=role_of(title),
        company=(filled.company or "").strip() or None,
        location=(filled.location or "").strip() or None,
        seniority=seniority_of(title, text),
        years_required=years_required(filled.requirements),
        required_skills=required,
        preferred_skills=preferred,
        other_skills=other,
        spellings=_spellings(text, skills),
        requirements=filled.requirements,
        nice_to_have=filled.nice_to_have,
        responsibilities=filled.responsibilities,
        title_terms=word_stems(_SENIORITY_WORDS.sub(" ", title)),
        must_haves=must_haves,
        nice_to_haves=nice_to_haves,
    )


def _sentences(text: str) -> list[str]:
    """The description's lines and sentences: where "must hold an RN licence" may stand."""
    return [s.strip() for s in re.split(r"\n+|(?<=[.!?])\s+", text) if s.strip()]


def _fill_from_raw_text(job: JobInput, taxonomy: SkillTaxonomy) -> JobInput:
    """Sections and keywords the document lacks, read from its pasted text."""
    missing_sections = not (job.requirements or job.nice_to_have or job.responsibilities)
    missing_keywords = not any(job.parsed_keywords.values())
    if not job.raw_text or not (missing_sections or missing_keywords or not job.title):
        return job
    parsed = parse_posting(job.raw_text, taxonomy)
    updates: dict[str, Any] = {}
    if not job.title and parsed.title:
        updates["title"] = parsed.title
    if not job.company and parsed.company:
        updates["company"] = parsed.company
    if missing_sections:
        updates.update(
            requirements=parsed.requirements,
            nice_to_have=parsed.nice_to_have,
            responsibilities=parsed.responsibilities,
            description=job.description or parsed.description,
        )
    if missing_keywords:
        updates["parsed_keywords"] = parsed.parsed_keywords.model_dump()
    return job.model_copy(update=updates)


def _keywords(job: JobInput, taxonomy: SkillTaxonomy) -> dict[str, list[str]]:
    if any(job.parsed_keywords.values()):
        return {k: job.parsed_keywords.get(k, []) for k in ("required", "preferred", "skills")}
    found = classify_skills(
        taxonomy,
        required_items=job.requirements,
        preferred_items=job.nice_to_have,
        everything="\n".join([job.title, *job.responsibilities, job.description]),
    )
    return found.model_dump()


def _all_text(job: JobInput) -> str:
    parts = [job.title, job.description, *job.requirements, *job.nice_to_have]
    parts.extend(job.responsibilities)
    return "\n".join([*parts, job.raw_text or ""])


def role_of(title: str) -> str:
    """ "Senior Backend Engineer (Python)" -> "Backend Engineer"."""
    bare, _ = split_parentheticals(clean_title(title))
    return " ".join(_SENIORITY_WORDS.sub(" ", bare).split()).strip(" ,-–") or bare


def seniority_of(title: str, text: str = "") -> Seniority | None:
    """The level the title names, else the "X-level" the posting states, else None."""
    lowered = title.casefold()
    for level, pattern in _SENIORITY:
        if pattern.search(lowered):
            return level
    stated = _LEVEL_LINE.search(text)
    return _LEVEL_OF[stated.group(1).lower()] if stated else None


def years_required(requirements: list[str]) -> int | None:
    """The largest "N+ years" (or "N-M years", read as N) the requirements ask for."""
    # One space between words: _YEARS's optional spaces then cannot backtrack (a run of
    # thousands of spaces after a digit took seconds per thousand).
    lines = [" ".join(line.split()) for line in requirements]
    found = [int(m.group(1)) for line in lines for m in _YEARS.finditer(line)]
    plausible = [years for years in found if 0 < years <= MAX_YEARS]
    return max(plausible) if plausible else None


def _spellings(text: str, taxonomy: SkillTaxonomy) -> dict[str, str]:
    """Each skill's first spelling in the posting, when it is a true alias ("Postgres").

    A mere case variant ("python") is not kept: the canonical name reads better and
    an ATS matches case-insensitively.
    """
    spellings: dict[str, str] = {}
    for mention in taxonomy.mentions(text):
        written = " ".join(text[mention.start : mention.end].split())
        soft = taxonomy.category_of(mention.name) == "soft"
        if mention.name not in spellings and not soft and _is_alias_name(written, mention.name):
            spellings[mention.name] = written
        spellings.setdefault(mention.name, mention.name)
    return {name: written for name, written in spellings.items() if written != name}


def _is_alias_name(written: str, canonical: str) -> bool:
    """A name fit for a skills list: capitalised, no longer than the canonical one
    ("Postgres", "Golang"), not prose ("written communication", "CI/CD pipelines")."""
    if written.casefold() == canonical.casefold() or not written[:1].isupper():
        return False
    return len(written.split()) <= len(canonical.split())
