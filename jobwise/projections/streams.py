"""Streams: who owns each event stream, recorded once, from its first event.

It answers "which streams belong to this user" for audits without scanning the
event log. Only a stream's first event is read (ownership never changes), so
the writes to a stream after its first cost this projection nothing, and no
write waits for it but the one that starts a stream.
"""

from __future__ import annotations

from collections.abc import Iterable

from pymongo import ASCENDING, DESCENDING, IndexModel

from jobwise.domain.events import RecordedEvent
from jobwise.projections.projection import Projection, ViewBatch

STREAMS = "streams"


class StreamsProjection(Projection):
    name = "streams"
    version = 2  # 2: ownership only, from the first event (1 also counted every event)
    collections = {
        STREAMS: [
            IndexModel([("user_id", ASCENDING), ("created_at", DESCENDING)], name="user_recent"),
        ]
    }

    def wants(self, event: RecordedEvent) -> bool:
        return event.version == 1

    def keys(self, event: RecordedEvent) -> Iterable[tuple[str, str]]:
        return [(STREAMS, event.stream_id)]

    async def apply(self, event: RecordedEvent, views: ViewBatch) -> None:
        views.put(
            STREAMS,
            {
                "_id": event.stream_id,
                "stream_type": event.stream_type,
                "user_id": event.metadata.user_id,
                "first_position": event.position,
                "created_at": event.recorded_at,
            },
        )
