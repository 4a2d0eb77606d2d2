"""The audit trail a user may read: the events of the streams they own, in log order.

Ownership comes from the streams read model (who started each stream), so the
query never scans the event log by user; the log is read by position (and a time
span by the timeline), filtered as ``EventFilter`` says, within the caller's streams.
"""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from jobwise.adapters.eventstore.sealing import EventOpener
from jobwise.application.queries.event_filter import EventFilter, EventPage, filtered_events
from jobwise.projections.streams import STREAMS


async def audit_events(
    database: AsyncDatabase[Any], opener: EventOpener, user_id: str, chosen: EventFilter
) -> EventPage | None:
    """A page of the caller's events that ``chosen`` names; with its ``stream_id``,
    that stream's only (None when it is not the caller's)."""
    if chosen.stream_id is not None:
        if not await _owns(database, user_id, chosen.stream_id):
            return None
        streams = [chosen.stream_id]
    else:
        streams = await _streams_of(database, user_id)
    return await filtered_events(database, opener, chosen, streams=streams)


async def _owns(database: AsyncDatabase[Any], user_id: str, stream_id: str) -> bool:
    summary = await database[STREAMS].find_one({"_id": stream_id}, {"user_id": 1})
    return summary is not None and summary.get("user_id") == user_id


async def _streams_of(database: AsyncDatabase[Any], user_id: str) -> list[str]:
    found = database[STREAMS].find({"user_id": user_id}, {"_id": 1})
    return [str(summary["_id"]) async for summary in found]
