"""The audit trail a user may read: the events of the streams they own, in log order.

Ownership comes from the streams read model (who started each stream), so the
query never scans the event log by user; the log is read by stream and position,
which its unique (stream, version) index and position index serve.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.application.queries.history import events_of_streams
from jobwise.domain.events import RecordedEvent
from jobwise.projections.streams import STREAMS


@dataclass(frozen=True)
class AuditPage:
    events: list[RecordedEvent]
    has_more: bool


async def audit_events(
    database: AsyncDatabase[Any],
    user_id: str,
    stream_id: str | None,
    after: int,
    limit: int,
) -> AuditPage | None:
    """Up to ``limit`` of the caller's events after position ``after``; with
    ``stream_id``, that stream's only (None when it is not the caller's)."""
    if stream_id is not None:
        if not await _owns(database, user_id, stream_id):
            return None
        streams = [stream_id]
    else:
        streams = await _streams_of(database, user_id)
    events = await events_of_streams(database, streams, after, limit + 1)
    page = _within_budget(events[:limit])
    return AuditPage(page, has_more=len(events) > len(page))


PAGE_BYTES = 1024 * 1024
"""A page stops once its events' data passes this much JSON (it always holds one), so a
history of large events is paged by size as well as by count."""


def _within_budget(events: list[RecordedEvent]) -> list[RecordedEvent]:
    total = 0
    for count, event in enumerate(events):
        total += len(orjson.dumps(event.data, default=str, option=orjson.OPT_NON_STR_KEYS))
        if total > PAGE_BYTES and count > 0:
            return events[:count]
    return events


async def _owns(database: AsyncDatabase[Any], user_id: str, stream_id: str) -> bool:
    summary = await database[STREAMS].find_one({"_id": stream_id}, {"user_id": 1})
    return summary is not None and summary.get("user_id") == user_id


async def _streams_of(database: AsyncDatabase[Any], user_id: str) -> list[str]:
    found = database[STREAMS].find({"user_id": user_id}, {"_id": 1})
    return [str(summary["_id"]) async for summary in found]
