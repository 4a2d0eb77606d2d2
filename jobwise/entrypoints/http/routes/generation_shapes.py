"""The bodies, queries and answers of ``/api/v1/generations`` (the OpenAPI schemas), and
the URLs the answers carry (events and views keep ids; links are made here)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from jobwise.adapters.rendering import TemplateInfo, list_templates
from jobwise.adapters.rendering.paper import PageSizeChoice
from jobwise.domain.characters import OneLine
from jobwise.domain.generation import Status, not_ready
from jobwise.domain.generation_updates import pdf_url
from jobwise.domain.writing import DocumentKind
from jobwise.domain.writing.models import SECTION_NAMES, QualificationKind, Tone
from jobwise.entrypoints.http.params import PageQuery

PREFIX = "/api/v1/generations"
Section = Literal["summary", "experience", "projects", "skills", "education", "certifications"]
Keyword = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), OneLine
]
Id = Annotated[str, StringConstraints(min_length=1, max_length=100)]
TEMPLATE_NAMES = tuple(template.name for template in list_templates())
assert set(SECTION_NAMES) == set(Section.__args__)  # type: ignore[attr-defined]
PAGE_SIZE_HELP = (
    "a4, letter, or auto: Letter for a job in the United States or Canada, A4 for a job "
    "elsewhere; when the job's location names no known place, the candidate's decides "
    "(neither known: Letter)"
)


# -- requests ----------------------------------------------------------------------------


def _known_template(name: str | None) -> str | None:
    if name is not None and name not in TEMPLATE_NAMES:
        raise ValueError(f"unknown template; choose one of {', '.join(TEMPLATE_NAMES)}")
    return name


class OptionsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    template: str = Field(default="classic", description=f"One of {', '.join(TEMPLATE_NAMES)}")
    tone: Tone = "professional"
    max_pages: Literal[1, 2] = 1
    emphasis_keywords: list[Keyword] = Field(
        default_factory=list,
        max_length=30,
        description="Skills to put forward when the profile has them",
    )
    include_sections: list[Section] = Field(
        default_factory=list,
        description="Resume sections to show (empty: all); the current role always shows",
    )
    page_size: PageSizeChoice = Field(default="auto", description=PAGE_SIZE_HELP)

    _template = field_validator("template")(_known_template)


class OptionsChange(BaseModel):
    """Options to change on regenerate; those left out are the parent's."""

    model_config = ConfigDict(extra="forbid")

    template: str | None = None
    tone: Tone | None = None
    max_pages: Literal[1, 2] | None = None
    emphasis_keywords: list[Keyword] | None = Field(default=None, max_length=30)
    include_sections: list[Section] | None = None
    page_size: PageSizeChoice | None = None

    _template = field_validator("template")(_known_template)


class GenerationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    profile_id: Id
    job_id: Id
    options: OptionsIn = Field(default_factory=OptionsIn)


class RegenerateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    options: OptionsChange = Field(default_factory=OptionsChange)


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rating: int = Field(ge=1, le=5, strict=True)
    comment: str | None = Field(default=None, max_length=5000)


class GenerationQuery(PageQuery):
    job_id: str | None = Field(default=None, max_length=100)
    status: Status | None = None
    document_type: DocumentKind | None = None


# -- responses ---------------------------------------------------------------------------


class OptionsView(BaseModel):
    template: str
    tone: Tone
    max_pages: int
    emphasis_keywords: list[str]
    include_sections: list[str]
    page_size: PageSizeChoice = "auto"
    """``auto`` for a generation asked for before the option existed."""


class StageView(BaseModel):
    name: str
    status: Literal["pending", "started", "completed", "failed", "cancelled"]
    started_at: datetime | None
    completed_at: datetime | None
    duration_ms: int | None
    attempt: int | None
    summary: dict[str, Any] | None


class ProgressView(BaseModel):
    stage: str | None
    percent: int
    stages: list[StageView]


class ResultLink(BaseModel):
    document_id: str
    pdf_url: str
    match_score: float
    ats_score: float


class ErrorView(BaseModel):
    code: str
    message: str


class RemovedView(BaseModel):
    """One repair: what the draft said, where, why the profile does not back it, and
    what was done (removed; replaced by the profile's words; restored from the profile;
    rewritten by the model when asked again)."""

    what: str
    where: str
    why: str
    action: Literal["removed", "replaced", "restored", "rewritten"] = "removed"
    replacement: str | None = None


class FeedbackView(BaseModel):
    rating: int
    comment: str | None
    at: datetime


class GenerationView(BaseModel):
    id: str
    generation_id: str
    user_id: str
    status: Status
    document_type: DocumentKind
    profile_id: str
    profile_version: int
    job_id: str
    parent_id: str | None
    options: OptionsView
    progress: ProgressView
    match_score: float | None
    ats_score: float | None
    result: ResultLink | None
    removed: list[RemovedView] = Field(
        description="What the fabrication guard took out (a needs_review generation)"
    )
    error: ErrorView | None
    error_message: str | None
    feedback: FeedbackView | None
    seq: int = Field(description="The last update's seq (live updates resume after it)")
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None


class GenerationList(BaseModel):
    items: list[GenerationView]
    total: int
    limit: int
    offset: int


class ResultView(BaseModel):
    generation_id: str
    status: Status
    document_id: str
    content_text: str
    content_markdown: str
    content_html: str
    pdf_url: str
    pdf_size_bytes: int
    pdf_page_count: int
    match_score: float
    ats_score: float


class AtsCheckView(BaseModel):
    name: str = Field(description="A stable identifier for programs; not for display")
    weight: int
    passed: bool
    score: float
    message: str
    label: str = Field(
        default="", description='What the check looks at, for display ("Contact details")'
    )


class AskedView(BaseModel):
    """One thing the posting asks, as the match score read it."""

    kind: QualificationKind
    text: str = Field(description='Short and readable: "RN licence", "3 years of ICU experience"')
    required: bool = Field(description="A must-have; false: a nice-to-have")
    line: str = Field(default="", description="The posting's line it was read from")
    years: int | None = None
    degree_level: int | None = Field(
        default=None, description="0 school, 1 associate or any, 2 bachelor, 3 master, 4 doctorate"
    )
    subjects: list[str] = Field(
        default_factory=list, description="A degree's fields, the years' area, a licence's states"
    )
    soft: bool = False


class QualificationView(BaseModel):
    """One must-have or nice-to-have, checked against the profile and the document."""

    qualification: AskedView
    met: bool = Field(description="The profile meets it (what the match score weighs)")
    have: str | None = Field(default=None, description='What the candidate has: "3 years"')
    in_document: bool = Field(default=False, description="The document itself shows it")


class KeywordsView(BaseModel):
    required: list[str]
    matched: list[str]
    missing: list[str]
    qualifications: list[QualificationView] = Field(
        default_factory=list,
        description="Every must-have, then every nice-to-have, checked: what the match score "
        "weighs (empty for generations validated before it was read)",
    )


class AnalyticsView(BaseModel):
    generation_id: str
    match_score: float
    ats_score: float
    ats_score_details: list[AtsCheckView]
    keywords: KeywordsView
    recommendations: list[str]
    removed: list[RemovedView]
    token_usage: int = Field(description="LLM tokens used (0 with the built-in writer)")
    generation_time_seconds: float | None
    validated_at: datetime | None = Field(description="When POST /validate last ran")


class TemplateView(TemplateInfo):
    thumbnail_url: str = Field(description="A PNG of page 1 of a sample resume in it")


class TemplateList(BaseModel):
    items: list[TemplateView]
    total: int


# -- shaping -----------------------------------------------------------------------------

View = dict[str, Any]


def generation_view(generation: View) -> GenerationView:
    """A generation as its view holds it, its result with the PDF's link."""
    result = generation.get("result")
    if result is not None:
        result = {**result, "pdf_url": pdf_url(result["document_id"])}
    return GenerationView.model_validate({**generation, "result": result})


def result_view(generation: View, document: View) -> ResultView:
    return ResultView(
        generation_id=generation["id"],
        status=generation["status"],
        document_id=document["id"],
        content_text=document["content_text"],
        content_markdown=document["content_markdown"],
        content_html=document["content_html"],
        pdf_url=pdf_url(document["id"]),
        pdf_size_bytes=document["pdf"]["size_bytes"],
        pdf_page_count=document["pdf"]["page_count"],
        match_score=generation["match_score"],
        ats_score=generation["ats_score"],
    )


def analytics_view(generation: View) -> AnalyticsView:
    """The quality report; refused (409 not_ready) until the validation stage ran."""
    if generation["keywords"] is None:
        raise not_ready(generation["id"], generation["status"])
    return AnalyticsView(
        generation_id=generation["id"],
        match_score=generation["match_score"],
        ats_score=generation["ats_score"],
        ats_score_details=generation["ats_score_details"],
        keywords=generation["keywords"],
        recommendations=generation["recommendations"],
        removed=generation["removed"],
        token_usage=generation["token_usage"],
        generation_time_seconds=generation["generation_time_seconds"],
        validated_at=generation["validated_at"],
    )


def template_list() -> TemplateList:
    templates = [
        TemplateView(
            **template.model_dump(),
            thumbnail_url=f"{PREFIX}/templates/{template.name}/thumbnail",
        )
        for template in list_templates()
    ]
    return TemplateList(items=templates, total=len(templates))
