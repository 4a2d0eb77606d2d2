"""Saving an aggregate: the one way every handler appends what it recorded."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from jobwise.domain.aggregate import Aggregate
from jobwise.domain.events import EventMetadata
from jobwise.eventstore import ConcurrencyError, EventStore

ReadYourWrites = Callable[[int], Awaitable[None]]
"""Returns once every read model includes the given position."""
T = TypeVar("T")
ATTEMPTS = 3


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


async def last_writer_wins(attempt: Callable[[], Awaitable[T]], expected_version: int | None) -> T:
    """Run a load-change-save ``attempt``; if the caller named no version, a race lost
    to another writer is retried on the fresh state (it asked for "whatever is there
    now"). With ``If-Match`` the conflict is the caller's to see."""
    for tries_left in reversed(range(ATTEMPTS)):
        try:
            return await attempt()
        except ConcurrencyError:
            if expected_version is not None or tries_left == 0:
                raise
    raise AssertionError("unreachable: the last attempt returns or raises")
