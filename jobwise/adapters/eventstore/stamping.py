"""Turning new events into recorded ones: shared by every store so they agree exactly."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from jobwise.adapters.eventstore.base import AppendResult
from jobwise.adapters.eventstore.chain import event_hash
from jobwise.domain.events import EventMetadata, NewEvent, RecordedEvent


def stamp(
    stream_id: str,
    stream_type: str,
    events: Sequence[NewEvent],
    *,
    first_version: int,
    first_position: int,
    metadata: EventMetadata | None,
    recorded_at: datetime,
    prev_hash: str | None = None,
    stream_prev_hash: str | None = None,
) -> list[RecordedEvent]:
    """Place events after ``first_position - 1`` (whose hash is ``prev_hash``) and after
    their stream's last event (``stream_prev_hash``), chaining each to the one before."""
    shared = metadata.model_dump(exclude_none=True) if metadata else {}
    recorded: list[RecordedEvent] = []
    for offset, event in enumerate(events):
        merged = _merged(shared, event.metadata)
        position, version = first_position + offset, first_version + offset
        digest = event_hash(
            position=position,
            stream_id=stream_id,
            stream_type=stream_type,
            version=version,
            event_id=event.event_id,
            type=event.type,
            data=event.data,
            metadata=merged,
            recorded_at=recorded_at,
            prev_hash=prev_hash,
            stream_prev_hash=stream_prev_hash,
        )
        recorded.append(
            RecordedEvent(
                position=position,
                stream_id=stream_id,
                stream_type=stream_type,
                version=version,
                event_id=event.event_id,
                type=event.type,
                data=event.data,
                metadata=merged,
                recorded_at=recorded_at,
                hash=digest,
                prev_hash=prev_hash,
                stream_prev_hash=stream_prev_hash,
            )
        )
        prev_hash = stream_prev_hash = digest
    return recorded


def idempotent_replay(stream_id: str, stored: Sequence[RecordedEvent]) -> AppendResult:
    """The answer to an append whose events were all stored already: what the first one got."""
    ordered = sorted(stored, key=lambda e: e.position)
    if any(e.stream_id != stream_id for e in ordered):
        raise ValueError(f"event ids reused across streams ({stream_id})")
    return AppendResult(
        stream_id, ordered[-1].version, ordered[0].position, ordered[-1].position, replayed=True
    )


def _merged(shared: dict[str, object], own: EventMetadata | None) -> EventMetadata:
    """An event's own metadata wins over what the whole append carries."""
    return EventMetadata(**{**shared, **(own.model_dump(exclude_none=True) if own else {})})
