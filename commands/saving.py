"""Saving an aggregate: the one way every handler appends what it recorded."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from jobwise.domain.aggregate import Aggregate
from jobwise.domain.events import EventMetadata
from jobwise.eventstore import EventStore

ReadYourWrites = Callable[[int], Awaitable[None]]
"""Returns once every read model includes the given position."""


async def save(
    aggregate: Aggregate,
    store: EventStore,
    read_your_writes: ReadYourWrites,
    metadata: EventMetadata,
) -> None:
    """Append the aggregate's new events at the version it was loaded at, then wait for
    the read models, so the caller's next read sees the change. Raises
    ``ConcurrencyError`` if someone else wrote to the stream meanwhile."""
    events = [event.to_new_event() for event in aggregate.pending_events()]
    if not events:
        return
    written = await store.append(
        aggregate.id,
        events,
        aggregate.loaded_version,
        stream_type=aggregate.stream_type,
        metadata=metadata,
    )
    aggregate.mark_saved()
    await read_your_writes(written.last_position)


def metadata_for(user_id: str, request_id: str | None) -> EventMetadata:
    """Who asked, and in which request: what every user command's events carry."""
    return EventMetadata(user_id=user_id, request_id=request_id, correlation_id=request_id)
