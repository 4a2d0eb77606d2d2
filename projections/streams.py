"""Streams: one summary document per event stream (who owns it, how far it got).

It answers "which streams belong to this user" for audits and for
``jobwise events --user``, without scanning the event log.
"""

from __future__ import annotations

from collections.abc import Iterable

from pymongo import ASCENDING, DESCENDING, IndexModel

from jobwise.domain.events import RecordedEvent
from jobwise.projecting import Projection, ViewBatch

STREAMS = "streams"


class StreamsProjection(Projection):
    name = "streams"
    version = 1
    collections = {
        STREAMS: [
            IndexModel([("user_id", ASCENDING), ("updated_at", DESCENDING)], name="user_recent"),
        ]
    }

    def keys(self, event: RecordedEvent) -> Iterable[tuple[str, str]]:
        return [(STREAMS, event.stream_id)]

    async def apply(self, event: RecordedEvent, views: ViewBatch) -> None:
        summary = await views.get(STREAMS, event.stream_id) or {
            "_id": event.stream_id,
            "stream_type": event.stream_type,
            "user_id": None,
            "event_count": 0,
            "first_position": event.position,
            "created_at": event.recorded_at,
        }
        summary["user_id"] = summary["user_id"] or event.metadata.user_id
        summary["version"] = event.version
        summary["event_count"] += 1
        summary["last_position"] = event.position
        summary["last_event_type"] = event.type
        summary["updated_at"] = event.recorded_at
        views.put(STREAMS, summary)
