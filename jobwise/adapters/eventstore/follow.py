"""Catch up, then follow: the one subscription loop both stores share."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol

from jobwise.domain.events import RecordedEvent


class _Followable(Protocol):
    async def read_all(self, after_position: int = 0, limit: int = 1000) -> list[RecordedEvent]: ...

    async def wait_beyond(self, position: int, max_wait: float) -> int: ...


async def follow(
    store: _Followable, after_position: int, batch: int = 500, idle_wait: float = 1.0
) -> AsyncIterator[RecordedEvent]:
    """Yield every event after ``after_position`` in order, forever.

    Events are always read by position from the store; the store's head signal
    only says when to look again. Because positions become visible strictly in
    order (see ``MongoEventStore``), reading ``position > last seen`` never skips.
    """
    position = after_position
    while True:
        events = await store.read_all(position, batch)
        for event in events:
            yield event
            position = event.position
        if len(events) < batch:
            await store.wait_beyond(position, idle_wait)
