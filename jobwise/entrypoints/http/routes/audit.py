"""``/api/v1/audit``: the caller's own event history, as the event store holds it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiohttp import web
from pydantic import BaseModel, Field

from jobwise.application.queries.audit import audit_events
from jobwise.application.queries.event_filter import EventFilter, EventTypes, Identifier, Moment
from jobwise.application.queries.history import redacted
from jobwise.domain.errors import NotFoundError
from jobwise.domain.events import RecordedEvent
from jobwise.entrypoints.http.api import Routes, validate
from jobwise.entrypoints.http.auth import current_user
from jobwise.entrypoints.http.keys import EVENTS, READ_MODELS
from jobwise.entrypoints.http.params import MAX_LIMIT, Position

PREFIX = "/api/v1/audit"
TAGS = ["audit"]


class AuditQuery(BaseModel):
    stream_id: Identifier | None = Field(
        default=None, description="One of my streams (a job's id, ...)"
    )
    since: Moment | None = Field(
        default=None, description="Recorded at or after: ISO 8601, or a time ago (2h, 7d)"
    )
    until: Moment | None = Field(
        default=None, description="Recorded at or before: ISO 8601, or a time ago (2h, 7d)"
    )
    types: EventTypes = Field(
        default_factory=list, alias="type", description="Event types (repeat, or comma list)"
    )
    request_id: Identifier | None = Field(default=None, description="One request's events")
    after: Position = Field(default=0, description="Only events after this position")
    limit: int = Field(default=20, ge=1, le=MAX_LIMIT)


class AuditEvent(BaseModel):
    position: int
    stream_id: str
    stream_type: str
    version: int
    type: str
    data: dict[str, Any]
    recorded_at: datetime
    metadata: dict[str, Any]


class AuditPage(BaseModel):
    items: list[AuditEvent]
    limit: int
    after: int
    next_after: int | None = Field(
        description="Pass as `after` for the next page; null when there is no more"
    )


routes = Routes()


@routes.route(
    "GET",
    f"{PREFIX}/events",
    query=AuditQuery,
    response=AuditPage,
    auth=True,
    tags=TAGS,
    errors=[404, 422],
    summary="My events in log order, filtered by time, type, stream or request id "
    "(never anyone else's)",
)
async def my_events(request: web.Request, query: AuditQuery) -> AuditPage:
    # Validated again as a whole: a span whose since is after its until is a 422 too.
    chosen = validate(EventFilter, query.model_dump(), "query")
    page = await audit_events(
        request.app[READ_MODELS].database,
        request.app[EVENTS].opener,
        current_user(request).user_id,
        chosen,
    )
    if page is None:
        raise NotFoundError("Stream not found.", details={"stream_id": query.stream_id})
    items = [_shown(event) for event in page.events]
    return AuditPage(items=items, limit=query.limit, after=query.after, next_after=page.next_after)


def _shown(event: RecordedEvent) -> AuditEvent:
    return AuditEvent(
        position=event.position,
        stream_id=event.stream_id,
        stream_type=event.stream_type,
        version=event.version,
        type=event.type,
        data=redacted(event.data),
        recorded_at=event.recorded_at,
        metadata=event.metadata.model_dump(exclude_none=True),
    )
