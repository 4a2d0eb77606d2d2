"""``/api/v1/saved-jobs``: the application tracker, a kanban board of saved jobs."""

from __future__ import annotations

from datetime import datetime

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from jobwise.application.commands.saved_jobs import ChangeSavedJob, RemoveSavedJob, SaveJob
from jobwise.application.queries.saved_jobs import (
    board_counts,
    board_page,
    saved_job_with_documents,
)
from jobwise.domain.errors import NotFoundError
from jobwise.domain.saved_job import SavedJobStatus
from jobwise.entrypoints.http.api import Reply, Routes
from jobwise.entrypoints.http.auth import current_user
from jobwise.entrypoints.http.keys import BUS, READ_MODELS
from jobwise.entrypoints.http.middleware import request_id_for
from jobwise.entrypoints.http.params import ExpectedVersion, PageQuery
from jobwise.entrypoints.http.preconditions import expected_version, if_match

PREFIX = "/api/v1/saved-jobs"
TAGS = ["saved-jobs"]
Notes = Field(default=None, max_length=10_000)


class SaveJobRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    job_id: str = Field(min_length=1, max_length=100)
    status: SavedJobStatus = "interested"
    notes: str | None = Notes


class ChangeSavedJobRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: SavedJobStatus | None = Field(
        default=None,
        description="Forward along interested, applied, interviewing, offer; "
        "rejected or closed from any open status",
    )
    notes: str | None = Notes
    expected_version: ExpectedVersion = None


class JobHeadline(BaseModel):
    title: str | None
    company: str | None
    location: str | None


class TimelineStep(BaseModel):
    status: SavedJobStatus
    at: datetime


class SavedJobView(BaseModel):
    id: str
    user_id: str
    job_id: str
    status: SavedJobStatus
    notes: str | None
    job: JobHeadline
    timeline: list[TimelineStep]
    saved_at: datetime
    applied_at: datetime | None
    updated_at: datetime
    version: int
    document_ids: list[str] = Field(
        default_factory=list,
        description="My documents made for this job (GET /documents/{id}), oldest first",
    )


class SavedJobList(BaseModel):
    items: list[SavedJobView]
    total: int
    limit: int
    offset: int


class SavedJobQuery(PageQuery):
    status: SavedJobStatus | None = None


class BoardStats(BaseModel):
    total: int
    by_status: dict[SavedJobStatus, int]


routes = Routes()


@routes.route(
    "POST",
    PREFIX,
    body=SaveJobRequest,
    response=SavedJobView,
    status=201,
    auth=True,
    tags=TAGS,
    errors=[404, 409, 422],
    summary="Put a job on my board (once per job: a second save answers 409)",
)
async def save_job(request: web.Request, body: SaveJobRequest) -> Reply:
    entry_id = await request.app[BUS].handle(
        SaveJob(
            current_user(request).user_id,
            body.job_id,
            body.status,
            body.notes,
            request_id_for(request),
        )
    )
    try:
        view = await _view(request, entry_id)
    except NotFoundError:
        # The job was deleted while it was being saved: the board never shows it.
        raise NotFoundError("Job not found.", details={"job_id": body.job_id}) from None
    return Reply(view, headers={"Location": f"{PREFIX}/{entry_id}"}, status=201)


@routes.route(
    "GET",
    PREFIX,
    query=SavedJobQuery,
    response=SavedJobList,
    auth=True,
    tags=TAGS,
    errors=[422],
    summary="My board, most recently changed first",
)
async def list_board(request: web.Request, query: SavedJobQuery) -> SavedJobList:
    documents, total = await board_page(
        request.app[READ_MODELS].database,
        current_user(request).user_id,
        query.status,
        query.limit,
        query.offset,
    )
    return SavedJobList(
        items=[SavedJobView.model_validate(d) for d in documents],
        total=total,
        limit=query.limit,
        offset=query.offset,
    )


@routes.route(
    "GET",
    f"{PREFIX}/stats",
    response=BoardStats,
    auth=True,
    tags=TAGS,
    summary="How many saved jobs sit in each status (a kanban board's columns)",
)
async def board_stats(request: web.Request) -> BoardStats:
    counts = await board_counts(request.app[READ_MODELS].database, current_user(request).user_id)
    return BoardStats(total=sum(counts.values()), by_status=counts)


@routes.route(
    "GET",
    f"{PREFIX}/{{saved_job_id}}",
    response=SavedJobView,
    auth=True,
    tags=TAGS,
    errors=[404],
    summary="One saved job, with its status timeline",
)
async def read_saved_job(request: web.Request) -> SavedJobView:
    return await _view(request, request.match_info["saved_job_id"])


@routes.route(
    "PATCH",
    f"{PREFIX}/{{saved_job_id}}",
    body=ChangeSavedJobRequest,
    response=SavedJobView,
    auth=True,
    tags=TAGS,
    errors=[404, 409, 422],
    summary="Move a saved job to another status, or change its notes",
)
async def change_saved_job(request: web.Request, body: ChangeSavedJobRequest) -> SavedJobView:
    entry_id = await request.app[BUS].handle(
        ChangeSavedJob(
            user_id=current_user(request).user_id,
            saved_job_id=request.match_info["saved_job_id"],
            status=body.status,
            notes=body.notes,
            notes_given="notes" in body.model_fields_set,
            expected_version=expected_version(request, body.expected_version),
            request_id=request_id_for(request),
        )
    )
    return await _view(request, entry_id)


@routes.route(
    "DELETE",
    f"{PREFIX}/{{saved_job_id}}",
    status=204,
    auth=True,
    tags=TAGS,
    errors=[404, 409],
    summary="Take a job off my board (the job itself stays)",
)
async def remove_saved_job(request: web.Request) -> None:
    await request.app[BUS].handle(
        RemoveSavedJob(
            current_user(request).user_id,
            request.match_info["saved_job_id"],
            if_match(request),
            request_id_for(request),
        )
    )


async def _view(request: web.Request, entry_id: str) -> SavedJobView:
    document = await saved_job_with_documents(
        request.app[READ_MODELS].database, current_user(request).user_id, entry_id
    )
    if document is None:
        raise NotFoundError("Saved job not found.", details={"saved_job_id": entry_id})
    return SavedJobView.model_validate(document)
