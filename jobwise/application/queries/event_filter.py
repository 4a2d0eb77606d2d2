"""Which events an audit asks for, and the one query that finds them.

``jobwise events`` and ``GET /api/v1/audit/events`` share ``EventFilter``: a time span
(``since``/``until``, ISO 8601 or relative such as ``2h``), event types, one stream,
one user, one request id, and a cursor (``after`` a position). The log is read in
position order over the position index; a time span first becomes a position range
through the ``Timeline`` (a bisection, never a scan of the whole log), then the range
is filtered exactly. Types, users and request ids have no index of their own (each
would cost every append a write): they filter the range the position index walks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import orjson
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pymongo import ASCENDING
from pymongo.asynchronous.cursor import AsyncCursor
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.adapters.eventstore.mongo import EVENTS_COLLECTION, from_document
from jobwise.adapters.eventstore.sealing import EventOpener
from jobwise.adapters.eventstore.timeline import PositionRange, Timeline
from jobwise.domain.characters import OneLine
from jobwise.domain.events import RecordedEvent, utc_now

MAX_POSITION = 2**53 - 1
MAX_TYPES = 50
MAX_LIMIT = 10_000
MAX_AGO = timedelta(days=36_600)
"""A relative time reaches back at most a century: further is a typo (or an overflow)."""
PAGE_BYTES = 1024 * 1024
"""A page stops once its events' data passes this much JSON (it always holds one), so a
history of large events is paged by size as well as by count."""

_RELATIVE = re.compile(r"(\d{1,12})\s*([smhdw])")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}
_HOW = "an ISO 8601 time (2026-03-01T14:00:00Z) or a time ago (90s, 30m, 2h, 7d, 1w)"


def parse_moment(text: str, now: datetime | None = None) -> datetime:
    """``text`` as an aware UTC time: ISO 8601 (naive means UTC) or a time before ``now``."""
    value = text.strip()
    if not value or len(value) > 64:
        raise ValueError(f"expected {_HOW}")
    relative = _RELATIVE.fullmatch(value)
    if relative is not None:
        seconds = int(relative.group(1)) * _SECONDS[relative.group(2)]
        if seconds > MAX_AGO.total_seconds():  # compared first: a timedelta would overflow
            raise ValueError(f"{value} reaches back more than a century")
        return (now or utc_now()) - timedelta(seconds=seconds)
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValueError(f"not a time: {value[:64]!r}; expected {_HOW}") from None


def _moment(value: Any) -> Any:
    return parse_moment(value) if isinstance(value, str) else value


def _type_names(value: Any) -> Any:
    """``--type A --type B,C`` and ``?type=A&type=B,C`` alike: one flat list."""
    given = [value] if isinstance(value, str) else value
    if not isinstance(given, list | tuple):
        return value
    names = [part.strip() for item in given for part in str(item).split(",")]
    return [name for name in names if name]


Moment = Annotated[datetime, BeforeValidator(_moment)]
EventType = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")]
EventTypes = Annotated[list[EventType], BeforeValidator(_type_names), Field(max_length=MAX_TYPES)]
Identifier = Annotated[str, Field(min_length=1, max_length=200), OneLine]


class EventFilter(BaseModel):
    """What to list: every condition given must hold; ``after``/``limit`` page it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    since: Moment | None = Field(default=None, description="Recorded at or after this time")
    until: Moment | None = Field(default=None, description="Recorded at or before this time")
    types: EventTypes = Field(default_factory=list, description="Only these event types")
    stream_id: Identifier | None = Field(default=None, description="Only this stream")
    user_id: Identifier | None = Field(
        default=None, description="Only what this user did, or what was done to their stream"
    )
    request_id: Identifier | None = Field(default=None, description="Only this request's events")
    after: int = Field(default=0, ge=0, le=MAX_POSITION, description="After this position")
    limit: int = Field(default=100, ge=1, le=MAX_LIMIT)

    @model_validator(mode="after")
    def _span_in_order(self) -> EventFilter:
        if self.since is not None and self.until is not None and self.since > self.until:
            raise ValueError("since is later than until")
        return self


@dataclass(frozen=True)
class EventPage:
    events: list[RecordedEvent]
    next_after: int | None
    """Pass as ``after`` for the next page; None when there is no more."""


async def filtered_events(
    database: AsyncDatabase[Any],
    opener: EventOpener,
    chosen: EventFilter,
    *,
    streams: Sequence[str] | None = None,
) -> EventPage:
    """One page of the events ``chosen`` names, in log order; with ``streams``, only
    events of those streams (an audit's caller sees only their own)."""
    span = None
    if chosen.since is not None or chosen.until is not None:
        span = await Timeline(database[EVENTS_COLLECTION]).span(chosen.since, chosen.until)
    query = _query(chosen, span, streams)
    if query is None:
        return EventPage([], None)
    cursor = database[EVENTS_COLLECTION].find(query).sort("position", ASCENDING)
    found = await recorded(cursor.limit(chosen.limit + 1))
    page = _within_budget(found[: chosen.limit])
    more = len(found) > len(page)
    opened = await opener.open_all(page)  # sealed data opens; an erased user's stays empty
    return EventPage(opened, page[-1].position if more and page else None)


async def recorded(cursor: AsyncCursor[Any]) -> list[RecordedEvent]:
    """The one place raw event documents become ``RecordedEvent`` for audits."""
    return [from_document(document) async for document in cursor]


def _query(
    chosen: EventFilter, span: PositionRange | None, streams: Sequence[str] | None
) -> dict[str, Any] | None:
    """The database query, or None when nothing can match."""
    positions: dict[str, int] = {"$gt": chosen.after}
    query: dict[str, Any] = {"position": positions}
    if span is not None:
        if span.empty:
            return None
        positions["$gt"] = max(chosen.after, span.after)
        positions["$lte"] = span.through
        times: dict[str, datetime] = {}
        if chosen.since is not None:
            times["$gte"] = chosen.since
        if chosen.until is not None:
            times["$lte"] = chosen.until
        query["recorded_at"] = times
    if chosen.types:
        query["type"] = chosen.types[0] if len(chosen.types) == 1 else {"$in": chosen.types}
    if chosen.request_id is not None:
        query["metadata.request_id"] = chosen.request_id
    if chosen.user_id is not None:
        query["$or"] = [{"metadata.user_id": chosen.user_id}, {"stream_id": chosen.user_id}]
    return _within_streams(query, chosen.stream_id, streams)


def _within_streams(
    query: dict[str, Any], stream_id: str | None, streams: Sequence[str] | None
) -> dict[str, Any] | None:
    if streams is not None and stream_id is not None and stream_id not in streams:
        return None
    if stream_id is not None:
        query["stream_id"] = stream_id
    elif streams is not None:
        if not streams:
            return None
        query["stream_id"] = streams[0] if len(streams) == 1 else {"$in": list(streams)}
    return query


def _within_budget(events: list[RecordedEvent]) -> list[RecordedEvent]:
    total = 0
    for count, event in enumerate(events):
        total += len(orjson.dumps(event.data, default=str, option=orjson.OPT_NON_STR_KEYS))
        if total > PAGE_BYTES and count > 0:
            return events[:count]
    return events
