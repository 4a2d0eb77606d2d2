"""``/api/v1/jobs``: job postings, typed in or pasted, searched and filtered."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from aiohttp import web
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from jobwise.application.commands.jobs import CreateJob, DeleteJob, UpdateJob
from jobwise.application.queries.jobs import MAX_TERMS, JobFilter, get_job, list_jobs, search_terms
from jobwise.domain.characters import SingleLine
from jobwise.domain.errors import NotFoundError
from jobwise.domain.job import JobStatus, WorkArrangement, benefits_list
from jobwise.domain.postings.models import ParsedKeywords, SalaryRange
from jobwise.domain.postings.salary import parse_salary
from jobwise.entrypoints.http.api import Reply, Routes
from jobwise.entrypoints.http.auth import current_user
from jobwise.entrypoints.http.keys import BUS, JOB_SEARCH, POSTINGS, READ_MODELS
from jobwise.entrypoints.http.middleware import request_id_for
from jobwise.entrypoints.http.params import ExpectedVersion, PageQuery
from jobwise.entrypoints.http.preconditions import expected_version, if_match
from jobwise.entrypoints.http.shapes import text_or

PREFIX = "/api/v1/jobs"
TAGS = ["jobs"]
RAW_TEXT_MAX = 50_000
NEVER_NULL = ("source", "status", "remote", "requirements", "nice_to_have", "responsibilities")
"""Fields an update may change but not blank out (a job always has them)."""
Lines = Field(default=None, max_length=200)
RawText = Annotated[str, StringConstraints(strip_whitespace=False)]
"""Kept exactly as pasted: it is the source every parse is read from."""


# -- shapes ------------------------------------------------------------------------


SALARY_TEXT_MAX = 200


class SalaryRangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: SingleLine = Field(min_length=1, max_length=SALARY_TEXT_MAX)
    # Numbers past 64 bits and 1e999 are refused with every body (eventstore.storable);
    # these refuse "inf" and "NaN" sent as text too: a salary is a finite number.
    min: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    max: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    currency: str | None = Field(default=None, pattern=r"^[A-Za-z]{3}$")
    period: Literal["year", "month", "week", "day", "hour"] | None = None


class JobFields(BaseModel):
    """The fields a user may type; each one given overrides what the parser reads."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: SingleLine | None = Field(default=None, min_length=1, max_length=200)
    company: SingleLine | None = Field(default=None, max_length=200)
    location: SingleLine | None = Field(default=None, max_length=200)
    remote: bool | None = Field(
        default=None, description='Sets work_arrangement "remote" (true) or clears it (false)'
    )
    work_arrangement: WorkArrangement | None = Field(
        default=None,
        description="onsite, hybrid or remote; sets remote. Sent with a remote that "
        "disagrees (remote true, hybrid) it is refused with 422",
    )
    employment_type: SingleLine | None = Field(default=None, max_length=50)
    description: str | None = Field(default=None, max_length=RAW_TEXT_MAX)
    requirements: list[str] | None = Lines
    nice_to_have: list[str] | None = Lines
    responsibilities: list[str] | None = Lines
    benefits: list[str] | None = Field(
        default=None,
        max_length=200,
        description="A list of items; text is split into items as a pasted section is",
    )
    salary_range: text_or(SalaryRangeIn, SALARY_TEXT_MAX) | None = Field(  # type: ignore[valid-type]
        default=None,
        description='An object, or text such as "$120,000 - $145,000 a year" (parsed)',
    )
    date_posted: date | None = None
    application_deadline: date | None = None

    @field_validator("benefits", mode="before")
    @classmethod
    def _benefits_as_list(cls, value: Any) -> Any:
        if isinstance(value, str) and len(value) > 10_000:
            raise ValueError("at most 10000 characters")
        return benefits_list(value)

    @field_validator("requirements", "nice_to_have", "responsibilities", "benefits")
    @classmethod
    def _short_lines(cls, lines: list[str] | None) -> list[str] | None:
        if lines is None:
            return None
        cleaned = [line.strip() for line in lines]
        if any(not line or len(line) > 2_000 for line in cleaned):
            raise ValueError("each line must hold 1 to 2000 characters")
        return cleaned


def _not_blank(cls: type[BaseModel], raw_text: str | None) -> str | None:
    if raw_text is not None and not raw_text.strip():
        raise ValueError("raw_text is empty; paste the posting or leave raw_text out")
    return raw_text


class CreateJobRequest(JobFields):
    source: SingleLine = Field(
        min_length=1, max_length=100, description="Where it came from: linkedin, indeed, ..."
    )
    raw_text: RawText | None = Field(
        default=None, max_length=RAW_TEXT_MAX, description="The posting as pasted; parsed"
    )
    status: JobStatus = "active"
    parse_with_llm: bool = Field(
        default=False, description="Let a configured LLM help with an ambiguous posting"
    )

    _raw_text_not_blank = field_validator("raw_text")(classmethod(_not_blank))

    @model_validator(mode="after")
    def _something_to_go_on(self) -> CreateJobRequest:
        if self.raw_text is None and self.title is None:
            raise ValueError("give raw_text (a pasted posting) or at least a title")
        return self


class UpdateJobRequest(JobFields):
    """Only the fields sent change; new ``raw_text`` is parsed again (null removes it)."""

    source: SingleLine | None = Field(default=None, min_length=1, max_length=100)
    raw_text: RawText | None = Field(default=None, max_length=RAW_TEXT_MAX)
    status: JobStatus | None = None
    parse_with_llm: bool = False
    expected_version: ExpectedVersion = None

    _raw_text_not_blank = field_validator("raw_text")(classmethod(_not_blank))

    @field_validator(*NEVER_NULL, mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may not be null; leave the field out to keep it as it is")
        return value


class Parsing(BaseModel):
    method: Literal["rules", "llm", "fields"]
    llm: str | None = None
    unresolved: list[str] = []


class JobView(BaseModel):
    id: str
    user_id: str
    source: str
    status: JobStatus
    title: str | None
    company: str | None
    location: str | None
    remote: bool
    work_arrangement: WorkArrangement | None
    employment_type: str | None
    description: str | None
    requirements: list[str]
    nice_to_have: list[str]
    responsibilities: list[str]
    benefits: list[str]
    salary_range: SalaryRange | None
    date_posted: date | None
    application_deadline: date | None
    raw_text: str | None
    parsed_keywords: ParsedKeywords
    parsing: Parsing | None
    version: int
    created_at: datetime
    updated_at: datetime


class JobList(BaseModel):
    items: list[JobView]
    total: int
    limit: int
    offset: int


class JobListQuery(PageQuery):
    model_config = ConfigDict(str_strip_whitespace=True)

    status: JobStatus | None = None
    source: str | None = Field(default=None, min_length=1, max_length=100)
    q: str | None = Field(
        default=None,
        max_length=200,
        description="Up to 8 words (or quoted phrases) that must all occur in the title, "
        "company, location, description, requirements or skills",
    )
    remote: bool | None = None
    work_arrangement: WorkArrangement | None = None
    sort: Literal["created_at", "-created_at"] = "-created_at"

    @field_validator("q")
    @classmethod
    def _few_terms(cls, q: str | None) -> str | None:
        if q is not None and len(search_terms(q)) > MAX_TERMS:
            raise ValueError(f"at most {MAX_TERMS} words or quoted phrases")
        return q


# -- routes --------------------------------------------------------------------------

routes = Routes()


@routes.route(
    "POST",
    PREFIX,
    body=CreateJobRequest,
    response=JobView,
    status=201,
    auth=True,
    tags=TAGS,
    errors=[422, 503],
    summary="Save a job: paste the posting (raw_text) or type its fields",
)
async def create_job(request: web.Request, body: CreateJobRequest) -> Reply:
    fields = _typed_fields(body, exclude={"raw_text", "status", "parse_with_llm"})
    job_id = await request.app[BUS].handle(
        CreateJob(
            user_id=current_user(request).user_id,
            fields={k: v for k, v in fields.items() if v is not None},
            raw_text=body.raw_text,
            status=body.status,
            parse_with_llm=body.parse_with_llm,
            request_id=request_id_for(request),
        )
    )
    view = await _view(request, job_id)
    return Reply(view, headers={"Location": f"{PREFIX}/{job_id}"}, status=201)


@routes.route(
    "GET",
    PREFIX,
    query=JobListQuery,
    response=JobList,
    auth=True,
    tags=TAGS,
    errors=[422],
    summary="My jobs: filter by status, source, remote, work_arrangement; search with q",
)
async def list_my_jobs(request: web.Request, query: JobListQuery) -> JobList:
    filters = JobFilter(
        query.status, query.source, query.remote, query.q, query.sort, query.work_arrangement
    )
    documents, total = await list_jobs(
        request.app[READ_MODELS].database,
        current_user(request).user_id,
        filters,
        query.limit,
        query.offset,
        request.app[POSTINGS].taxonomy,
        request.app[JOB_SEARCH],
    )
    return JobList(
        items=[JobView.model_validate(d) for d in documents],
        total=total,
        limit=query.limit,
        offset=query.offset,
    )


@routes.route(
    "GET",
    f"{PREFIX}/{{job_id}}",
    response=JobView,
    auth=True,
    tags=TAGS,
    errors=[404],
    summary="A job",
)
async def read_job(request: web.Request) -> JobView:
    return await _view(request, request.match_info["job_id"])


@routes.route(
    "PUT",
    f"{PREFIX}/{{job_id}}",
    body=UpdateJobRequest,
    response=JobView,
    auth=True,
    tags=TAGS,
    errors=[404, 409, 422, 503],
    summary="Change a job's fields or status; new raw_text is parsed again",
)
async def update_job(request: web.Request, body: UpdateJobRequest) -> JobView:
    sent = body.model_fields_set
    changes = _typed_fields(
        body, exclude={"raw_text", "status", "parse_with_llm", "expected_version"}
    )
    job_id = await request.app[BUS].handle(
        UpdateJob(
            user_id=current_user(request).user_id,
            job_id=request.match_info["job_id"],
            changes={k: v for k, v in changes.items() if k in sent},
            raw_text=body.raw_text,
            raw_text_given="raw_text" in sent,
            status=body.status,
            parse_with_llm=body.parse_with_llm,
            expected_version=expected_version(request, body.expected_version),
            request_id=request_id_for(request),
        )
    )
    return await _view(request, job_id)


@routes.route(
    "DELETE",
    f"{PREFIX}/{{job_id}}",
    status=204,
    auth=True,
    tags=TAGS,
    errors=[404, 409],
    summary="Delete a job for good (its history keeps a JobDeleted)",
)
async def delete_job(request: web.Request) -> None:
    await request.app[BUS].handle(
        DeleteJob(
            current_user(request).user_id,
            request.match_info["job_id"],
            if_match(request),
            request_id_for(request),
        )
    )


def _typed_fields(body: JobFields, exclude: set[str]) -> dict[str, Any]:
    """The body's job fields, JSON-ready, with a salary given as text parsed."""
    fields = body.model_dump(mode="json", exclude=exclude)
    if isinstance(body.salary_range, str):
        parsed = parse_salary(body.salary_range) or SalaryRange(text=body.salary_range)
        fields["salary_range"] = parsed.model_dump(mode="json")
    return fields


async def _view(request: web.Request, job_id: str) -> JobView:
    document = await get_job(
        request.app[READ_MODELS].database, current_user(request).user_id, job_id
    )
    if document is None:
        raise NotFoundError("Job not found.", details={"job_id": job_id})
    return JobView.model_validate(document)
