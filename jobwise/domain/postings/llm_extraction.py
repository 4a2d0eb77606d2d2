"""Asking a language model to read a posting the rules could not fully read.

The model only fills the gaps: a field the deterministic parse found is kept.
Its answer is checked before use: it must fit the schema, and a title,
company, location or salary must actually occur in the pasted text (a model
that invents an employer or a pay range is worse than no answer). Skills are
never taken from the model's say-so: the taxonomy finds them in the sections
it identified.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jobwise.domain.language_model import LanguageModel, LanguageModelError
from jobwise.domain.postings.keywords import classify_skills
from jobwise.domain.postings.models import (
    ParsedKeywords,
    ParsedPosting,
    SalaryRange,
    WorkArrangement,
)
from jobwise.domain.skills import SkillTaxonomy

MAX_PROMPT_CHARS = 20_000
EMPLOYMENT_TYPES = frozenset({"full-time", "part-time", "contract", "internship", "temporary"})
SYSTEM_PROMPT = (
    "You extract structured fields from a job posting pasted by a job seeker. "
    "Answer with one JSON object that fits the given schema. Copy values from the "
    "posting; never invent a title, company, location or salary, and give the "
    "salary's text exactly as written. Use null for a "
    "field the posting does not state, and empty lists for missing sections. "
    "work_arrangement is remote, hybrid or onsite as the posting states it (null when it "
    "does not); remote is true only for remote roles (including remote within a region), "
    "false for on-site or hybrid ones."
)


class LlmSalary(BaseModel):
    text: str
    min: float | None = None
    max: float | None = None
    currency: str | None = Field(default=None, max_length=3)
    period: str | None = None


class LlmPosting(BaseModel):
    """The shape the model must answer in (sent to it as a JSON schema)."""

    model_config = ConfigDict(extra="ignore")

    title: str | None = Field(default=None, max_length=200)
    company: str | None = Field(default=None, max_length=200)
    location: str | None = Field(default=None, max_length=200)
    remote: bool | None = None
    work_arrangement: WorkArrangement | None = None
    employment_type: str | None = Field(default=None, max_length=50)
    salary: LlmSalary | None = None
    requirements: list[str] = Field(default=[], max_length=60)
    nice_to_have: list[str] = Field(default=[], max_length=60)
    responsibilities: list[str] = Field(default=[], max_length=60)
    benefits: list[str] = Field(default=[], max_length=60)


async def extract_with_llm(
    model: LanguageModel, raw_text: str, parsed: ParsedPosting, taxonomy: SkillTaxonomy
) -> ParsedPosting:
    """``parsed`` with its gaps filled from the model's reading of ``raw_text``.

    Raises ``LanguageModelError`` when the model fails or answers off-schema.
    """
    completion = await model.complete_json(
        system=SYSTEM_PROMPT,
        user=raw_text[:MAX_PROMPT_CHARS],
        schema=LlmPosting.model_json_schema(),
        schema_name="job_posting",
    )
    try:
        answer = LlmPosting.model_validate(completion.data)
    except ValidationError as error:
        raise LanguageModelError(
            "bad_response", f"answer does not fit the posting schema: {error.error_count()} errors"
        ) from None
    return merge(parsed, answer, raw_text, taxonomy)


def merge(
    parsed: ParsedPosting, answer: LlmPosting, raw_text: str, taxonomy: SkillTaxonomy
) -> ParsedPosting:
    folded = raw_text.casefold()
    gaps: dict[str, Any] = {}
    for name in ("title", "company", "location"):
        value = getattr(answer, name)
        if not getattr(parsed, name) and value and value.strip().casefold() in folded:
            gaps[name] = value.strip()
    employment = (answer.employment_type or "").strip().lower()
    if not parsed.employment_type and employment in EMPLOYMENT_TYPES:
        gaps["employment_type"] = employment
    salary = answer.salary
    if parsed.salary_range is None and salary is not None and salary.text.casefold() in folded:
        gaps["salary_range"] = _salary(salary)
    gaps.update(_arrangement_gap(parsed, answer, located="location" in gaps))
    for name in ("requirements", "nice_to_have", "responsibilities"):
        if not getattr(parsed, name) and getattr(answer, name):
            gaps[name] = [line.strip() for line in getattr(answer, name) if line.strip()]
    if not parsed.benefits and answer.benefits:
        gaps["benefits"] = [b.strip() for b in answer.benefits if b.strip()]
    merged = parsed.model_copy(update=gaps)
    return merged.model_copy(update={"parsed_keywords": _keywords(merged, taxonomy)})


def _arrangement_gap(parsed: ParsedPosting, answer: LlmPosting, located: bool) -> dict[str, Any]:
    """The model's arrangement when the rules found none; ``remote`` always agrees with it.

    A bare ``remote`` answer is taken only with the location it came with, as before.
    """
    if parsed.work_arrangement is not None:
        return {}
    if answer.work_arrangement is not None:
        return {
            "work_arrangement": answer.work_arrangement,
            "remote": answer.work_arrangement == "remote",
        }
    if answer.remote is not None and located:
        return {"remote": answer.remote, "work_arrangement": "remote" if answer.remote else None}
    return {}


def _salary(salary: LlmSalary) -> SalaryRange | None:
    period = salary.period if salary.period in ("year", "month", "week", "day", "hour") else None
    currency = salary.currency.upper() if salary.currency else None
    return SalaryRange(
        text=salary.text, min=salary.min, max=salary.max, currency=currency, period=period
    )


def _keywords(merged: ParsedPosting, taxonomy: SkillTaxonomy) -> ParsedKeywords:
    found = classify_skills(
        taxonomy,
        required_items=merged.requirements,
        preferred_items=merged.nice_to_have,
        everything="\n".join([*merged.responsibilities, merged.description]),
    )
    # Whatever the rules found stays found.
    previous = merged.parsed_keywords
    required = _unique([*previous.required, *found.required])
    preferred = [s for s in _unique([*previous.preferred, *found.preferred]) if s not in required]
    return ParsedKeywords(
        required=required,
        preferred=preferred,
        skills=_unique([*previous.skills, *required, *preferred, *found.skills]),
    )


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))
