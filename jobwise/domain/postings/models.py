"""What the posting parser returns: plain, frozen values the API layer can store as they are."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Period = Literal["year", "month", "week", "day", "hour"]
WorkArrangement = Literal["onsite", "hybrid", "remote"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SalaryRange(_Frozen):
    """A pay figure or range as the posting states it.

    ``text`` keeps the original span so a client can show exactly what was written;
    the numbers are normalised to full units ("£60k" is 60000.0) for sorting and filters.
    """

    text: str
    min: float | None = None
    max: float | None = None
    currency: str | None = None
    period: Period | None = None


class ParsedKeywords(_Frozen):
    """Canonical skill names, split by the section they were found in."""

    required: list[str] = Field(default_factory=list)
    preferred: list[str] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list)


class ParsedPosting(_Frozen):
    """The structured fields a careful reader would take from a pasted job posting."""

    title: str | None = None
    company: str | None = None
    location: str | None = None
    remote: bool = False
    work_arrangement: WorkArrangement | None = None
    """How the job is worked, when the posting says; ``remote`` is this == "remote"."""
    employment_type: str | None = None
    salary_range: SalaryRange | None = None
    requirements: list[str] = Field(default_factory=list)
    nice_to_have: list[str] = Field(default_factory=list)
    responsibilities: list[str] = Field(default_factory=list)
    benefits: list[str] = Field(default_factory=list)
    """The benefits section's items, or the one sentence that states them."""
    description: str = ""
    parsed_keywords: ParsedKeywords = Field(default_factory=ParsedKeywords)

    def unresolved(self) -> list[str]:
        """The key fields the parser could not find.

        A posting with several of these missing is ambiguous enough that the caller
        may want a second opinion (an LLM) before trusting the parse.
        """
        missing: list[str] = []
        if not self.title:
            missing.append("title")
        if not self.company:
            missing.append("company")
        if not self.location:
            missing.append("location")
        if not self.requirements:
            missing.append("requirements")
        if not self.parsed_keywords.skills:
            missing.append("skills")
        return missing
