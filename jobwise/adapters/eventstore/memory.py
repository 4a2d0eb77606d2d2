"""An in-memory event store with the same behaviour as the MongoDB one, for fast unit tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Sequence

from jobwise.adapters.eventstore.base import (
    AppendResult,
    ConcurrencyError,
    ImportConflict,
    PartialIdempotentAppend,
    check_storable,
    same_stored,
)
from jobwise.adapters.eventstore.follow import follow
from jobwise.adapters.eventstore.measured import measured_append
from jobwise.adapters.eventstore.signal import HeadSignal
from jobwise.adapters.eventstore.stamping import idempotent_replay, stamp
from jobwise.domain.events import EventMetadata, NewEvent, RecordedEvent, utc_now


class InMemoryEventStore:
    def __init__(self) -> None:
        self._events: list[RecordedEvent] = []
        self._streams: dict[str, list[RecordedEvent]] = {}
        self._by_id: dict[str, RecordedEvent] = {}
        self._lock = asyncio.Lock()
        self._signal = HeadSignal()

    async def append(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        expected_version: int,
        *,
        stream_type: str,
        metadata: EventMetadata | None = None,
    ) -> AppendResult:
        if not events:
            raise ValueError("an append needs at least one event")
        check_storable(stream_id, events)
        with measured_append("memory"):
            return await self._append(stream_id, events, expected_version, stream_type, metadata)

    async def _append(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        expected_version: int,
        stream_type: str,
        metadata: EventMetadata | None,
    ) -> AppendResult:
        async with self._lock:
            known = [self._by_id[e.event_id] for e in events if e.event_id in self._by_id]
            if known:
                if len(known) < len(events):
                    raise PartialIdempotentAppend(stream_id, [e.event_id for e in known])
                return idempotent_replay(stream_id, known)
            stream = self._streams.setdefault(stream_id, [])
            if expected_version != len(stream):
                raise ConcurrencyError(stream_id, expected_version, len(stream))
            recorded = stamp(
                stream_id,
                stream_type,
                events,
                first_version=expected_version + 1,
                first_position=len(self._events) + 1,
                metadata=metadata,
                recorded_at=utc_now(),
                prev_hash=self._events[-1].hash if self._events else None,
                stream_prev_hash=stream[-1].hash if stream else None,
            )
            stream.extend(recorded)
            self._events.extend(recorded)
            self._by_id.update((e.event_id, e) for e in recorded)
        await self._signal.announce(recorded[-1].position)
        return AppendResult(
            stream_id, recorded[-1].version, recorded[0].position, recorded[-1].position
        )

    async def read_stream(
        self, stream_id: str, after_version: int = 0, to_version: int | None = None
    ) -> list[RecordedEvent]:
        stream = self._streams.get(stream_id, [])
        return stream[after_version : to_version if to_version is not None else None]

    async def read_all(self, after_position: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        return self._events[after_position : after_position + limit]

    async def head_position(self) -> int:
        return len(self._events)

    def subscribe(self, after_position: int = 0, batch: int = 500) -> AsyncIterator[RecordedEvent]:
        return follow(self, after_position, batch)

    async def wait_beyond(self, position: int, max_wait: float) -> int:
        return await self._signal.wait_beyond(position, max_wait)

    async def stored_events(
        self, after: int = 0, batch: int = 1000
    ) -> AsyncIterator[RecordedEvent]:
        """Every event after ``after`` as stored (hashes included), in position order."""
        position = after
        while chunk := self._events[position : position + batch]:
            for event in chunk:
                yield event
            position += len(chunk)

    async def import_recorded(self, events: Iterable[RecordedEvent]) -> int:
        """Store events exactly as given (positions, ids, hashes); skip those already
        stored, raise ``ImportConflict`` for one that differs. Returns how many were new."""
        added = 0
        async with self._lock:
            for event in events:
                stored = self._by_id.get(event.event_id)
                if stored is None and event.position <= len(self._events):
                    stored = self._events[event.position - 1]
                if stored is not None:
                    if not same_stored(event, stored):
                        raise ImportConflict(event.position, event.event_id, "differs")
                    continue
                if event.position != len(self._events) + 1:
                    raise ImportConflict(event.position, event.event_id, "out of order")
                self._events.append(event)
                self._streams.setdefault(event.stream_id, []).append(event)
                self._by_id[event.event_id] = event
                added += 1
        if added:
            await self._signal.announce(len(self._events))
        return added

    async def close(self) -> None:
        return None
