"""The values the generation stages pass along, each JSON-serialisable.

Every stage output has ``summary()``: the few fields a progress event shows (the
worker records one per stage), always plain JSON.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from jobwise.domain.language_model import TokenUsage

DocumentKind = Literal["resume", "cover_letter"]
Tone = Literal["professional", "concise", "bold"]
Seniority = Literal["intern", "junior", "mid", "senior", "lead", "principal", "executive"]
QualificationKind = Literal[
    "skill", "licence", "certification", "degree", "years", "language", "condition"
]
"""``language``: a language the posting asks one to speak ("very good command of English");
``condition``: where or when the work is done ("in person in Edmonton", "PST hours"), which
a candidate accepts by applying."""
SECTION_NAMES = ("summary", "experience", "projects", "skills", "education", "certifications")
"""The resume sections ``include_sections`` may name (case-insensitive)."""


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class GenerationOptions(_Value):
    """What the user asked for, as the API takes it."""

    template: str = "classic"
    """Only the renderer reads it; kept here so one object carries every option."""
    tone: Tone = "professional"
    max_pages: Literal[1, 2] = 1
    emphasis_keywords: list[str] = Field(default_factory=list, max_length=30)
    """Skills to push forward when the candidate has them (treated like requirements)."""
    include_sections: list[str] = Field(default_factory=list)
    """Resume sections to show (see ``SECTION_NAMES``); empty: all. The contact block
    and the current role are always shown."""
    page_size: Literal["auto", "a4", "letter"] = "auto"
    """The paper: ``auto`` is Letter for a job (else a candidate) in the United States or
    Canada, A4 elsewhere, Letter when neither place is known
    (``jobwise.adapters.rendering.paper``)."""

    def shows(self, section: str) -> bool:
        wanted = {name.strip().casefold() for name in self.include_sections}
        return not wanted or section in wanted or section == "experience"


# -- stage 1: analyzing_job -----------------------------------------------------------


class Qualification(_Value):
    """One thing the posting asks of a candidate, read from its requirement lines."""

    kind: QualificationKind
    text: str
    """Short and readable: "RN licence", "BLS", "Bachelor's degree in Nursing",
    "1 year of ICU experience", "Python"."""
    required: bool = True
    """A must-have; False: a nice-to-have ("preferred", "a plus", a Preferred section)."""
    line: str = ""
    """The posting's line it was read from."""
    years: int | None = None
    """For ``years``: how many years are asked."""
    degree_level: int | None = None
    """For ``degree``: 0 school diploma, 1 associate or any degree, 2 bachelor, 3 master,
    4 doctorate (``jobwise.domain.writing.credentials.DEGREE_LEVELS``)."""
    subjects: list[str] = Field(default_factory=list)
    """A degree's fields ("Nursing", "Computer Science") or the area of the years asked
    ("ICU", "acute care"); empty: any field, any experience."""
    soft: bool = False
    """A soft skill ("Communication"): anyone can claim it, so it weighs less."""


class JobAnalysis(_Value):
    job_id: str | None = None
    title: str = ""
    """As the posting names it: the role the documents are written for."""
    role: str = ""
    """The title without seniority words or parentheticals ("Backend Engineer")."""
    company: str | None = None
    location: str | None = None
    seniority: Seniority | None = None
    years_required: int | None = None
    """The largest "N+ years" the requirements ask for."""
    required_skills: list[str] = Field(default_factory=list)
    """Canonical skill names (``jobwise.domain.skills``), in the posting's order."""
    preferred_skills: list[str] = Field(default_factory=list)
    other_skills: list[str] = Field(default_factory=list)
    """Named elsewhere in the posting (responsibilities, description)."""
    spellings: dict[str, str] = Field(default_factory=dict)
    """Canonical name -> the posting's own spelling ("PostgreSQL" -> "Postgres")."""
    requirements: list[str] = Field(default_factory=list)
    nice_to_have: list[str] = Field(default_factory=list)
    responsibilities: list[str] = Field(default_factory=list)
    title_terms: list[str] = Field(default_factory=list)
    """Stemmed words of the title, for matching the candidate's past titles."""
    must_haves: list[Qualification] = Field(default_factory=list)
    """What the posting requires: skills, licences, certifications, degrees, years."""
    nice_to_haves: list[Qualification] = Field(default_factory=list)
    """What it only prefers."""

    @property
    def keywords(self) -> list[str]:
        """Every skill the posting asks for: required first, then preferred."""
        return [*self.required_skills, *self.preferred_skills]

    def spelled(self, skill: str) -> str:
        return self.spellings.get(skill, skill)

    def summary(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "company": self.company,
            "seniority": self.seniority,
            "required_skills": self.required_skills,
            "preferred_skills": self.preferred_skills,
        }


# -- stage 2: compiling_profile -------------------------------------------------------


class RankedAchievement(_Value):
    text: str
    score: float
    skills: list[str] = Field(default_factory=list)
    """The job's keywords this achievement names (canonical)."""


class RankedExperience(_Value):
    index: int
    """Position in ``ProfileSummary.experiences``."""
    title: str
    company: str
    location: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    is_current: bool = False
    description: str | None = None
    """The role's own description: shown only for a role without achievements."""
    score: float
    achievements: list[RankedAchievement] = Field(default_factory=list)
    """The ones chosen, most relevant first."""
    dropped_achievements: int = 0


class RankedProject(_Value):
    name: str
    description: str | None = None
    technologies: list[str] = Field(default_factory=list)
    url: str | None = None
    score: float


SkillKind = Literal["required", "preferred", "emphasis", "related", "other"]


class SkillMatch(_Value):
    name: str
    """Canonical."""
    shown_as: str
    """The posting's spelling when the job names it, else the candidate's."""
    kind: SkillKind


class CompiledEducation(_Value):
    degree: str
    institution: str
    field_of_study: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    honors: list[str] = Field(default_factory=list)
    gpa: str | None = None


class CompiledProfile(_Value):
    """What goes on the page, chosen and ordered for one job."""

    name: str
    email: str | None = None
    phone: str | None = None
    location: str | None = None
    links: list[str] = Field(default_factory=list)
    current_title: str | None = None
    years_of_experience: int = 0
    experiences: list[RankedExperience] = Field(default_factory=list)
    """Chosen roles, newest first."""
    projects: list[RankedProject] = Field(default_factory=list)
    skills: list[SkillMatch] = Field(default_factory=list)
    """Matches first (required, emphasis, preferred), then related, then the rest."""
    soft_skills: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    """Written out: "English (native)"."""
    education: list[CompiledEducation] = Field(default_factory=list)
    certifications: list[str] = Field(default_factory=list)
    own_summary: str | None = None
    """The candidate's own professional summary, as written."""
    dropped_experiences: int = 0
    estimated_lines: float = 0.0
    line_budget: int = 0
    max_pages: Literal[1, 2] = 1
    as_of: date

    @property
    def matched_skills(self) -> list[SkillMatch]:
        return [s for s in self.skills if s.kind in ("required", "emphasis", "preferred")]

    def summary(self) -> dict[str, Any]:
        return {
            "experiences": len(self.experiences),
            "dropped_experiences": self.dropped_experiences,
            "matched_skills": [s.name for s in self.matched_skills],
            "estimated_pages": round(
                self.estimated_lines / max(self.line_budget, 1) * self.max_pages, 2
            ),
        }


# -- stage 3: generating_content ------------------------------------------------------


class Draft(_Value):
    kind: DocumentKind
    markdown: str
    writer: Literal["offline", "llm"]
    model: str | None = None
    token_usage: TokenUsage = Field(default_factory=TokenUsage)
    fell_back: bool = False
    """The LLM was asked and failed; the offline writer wrote this instead."""
    recommendations: list[str] = Field(default_factory=list)
    employers: list[str] = Field(default_factory=list)
    """The employers the draft lists, for a quick look; validation re-reads the Markdown."""
    skills: list[str] = Field(default_factory=list)
    """The skills the draft claims (canonical)."""
    word_count: int = 0

    def summary(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "writer": self.writer,
            "fell_back": self.fell_back,
            "word_count": self.word_count,
            "total_tokens": self.token_usage.total_tokens,
        }


# -- stage 4: validating_quality ------------------------------------------------------


class Removal(_Value):
    """One thing the fabrication guard took out (or put back as the profile has it)."""

    what: str
    where: str
    """The section and entry: "Experience > Engineer, Acme", "Summary", "Skills"."""
    why: str
    action: Literal["removed", "replaced", "restored", "rewritten"] = "removed"
    replacement: str | None = None


class AtsCheck(_Value):
    name: str
    """A stable identifier for programs; never shown to a user (``label`` is)."""
    weight: int
    passed: bool
    score: float = Field(ge=0.0, le=1.0)
    message: str
    """A sentence for the user: what was found and, when it failed, what to change."""
    label: str = ""
    """What the check looks at, in words a user reads ("Contact details at the top")."""


class QualificationMatch(_Value):
    """One of the posting's qualifications, checked against the profile and the document."""

    qualification: Qualification
    met: bool
    have: str | None = None
    """What the candidate has for it, in words: "BSN, Nursing", "3 years", "listed"."""
    in_document: bool = False
    """The document itself shows it (else only the profile does, or nothing does)."""


class KeywordCoverage(_Value):
    required: list[str] = Field(default_factory=list)
    """Every skill the posting asks for (required, then preferred)."""
    matched: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    qualifications: list[QualificationMatch] = Field(default_factory=list)
    """Every must-have, then every nice-to-have, checked (what ``match_score`` weighs)."""


class ValidationReport(_Value):
    status: Literal["passed", "needs_review"]
    markdown: str
    """The cleaned document: what the guard removed is gone."""
    removed: list[Removal] = Field(default_factory=list)
    match_score: float = Field(ge=0, le=100)
    keywords: KeywordCoverage
    ats_score: float = Field(ge=0, le=100)
    ats_score_details: list[AtsCheck] = Field(default_factory=list)
    recommendations: list[str] = Field(default_factory=list)

    @property
    def needs_review(self) -> bool:
        return self.status == "needs_review"

    def summary(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "removed": len(self.removed),
            "match_score": self.match_score,
            "ats_score": self.ats_score,
        }
