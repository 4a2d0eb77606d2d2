"""The hash chain over the log: what each stored event's hashes cover, and link checks.

Each event's ``hash`` is SHA-256 over a canonical form of the event exactly as
stored (the data may be ciphertext; the chain proves what the database holds),
including ``prev_hash`` (the event before it in the global order) and
``stream_prev_hash`` (the event before it in its stream). Altering, deleting or
reordering any event therefore breaks a link that a scan can name.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import orjson

from jobwise.domain.events import EventMetadata, RecordedEvent


def _normalise(value: Any) -> Any:
    # Datetimes as BSON keeps them (UTC, milliseconds), so a hash taken before the
    # database round trip equals the one taken from what comes back.
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        aware = aware.astimezone(UTC)
        return aware.replace(microsecond=aware.microsecond // 1000 * 1000).isoformat()
    raise TypeError(f"cannot hash {type(value).__name__}")


def _metadata(metadata: EventMetadata | dict[str, Any]) -> dict[str, Any]:
    if isinstance(metadata, dict):
        return {k: v for k, v in metadata.items() if v is not None}
    return metadata.model_dump(exclude_none=True)


def event_hash(
    *,
    position: int,
    stream_id: str,
    stream_type: str,
    version: int,
    event_id: str,
    type: str,
    data: dict[str, Any],
    metadata: EventMetadata | dict[str, Any],
    recorded_at: datetime,
    prev_hash: str | None,
    stream_prev_hash: str | None,
) -> str:
    canonical = {
        "position": position,
        "stream_id": stream_id,
        "stream_type": stream_type,
        "version": version,
        "event_id": event_id,
        "type": type,
        "data": data,
        "metadata": _metadata(metadata),
        "recorded_at": recorded_at,
        "prev_hash": prev_hash,
        "stream_prev_hash": stream_prev_hash,
    }
    encoded = orjson.dumps(
        canonical,
        default=_normalise,
        option=orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS,
    )
    return hashlib.sha256(encoded).hexdigest()


def recompute(event: RecordedEvent) -> str:
    """The hash the event should carry, from its stored fields."""
    return event_hash(
        position=event.position,
        stream_id=event.stream_id,
        stream_type=event.stream_type,
        version=event.version,
        event_id=event.event_id,
        type=event.type,
        data=event.data,
        metadata=event.metadata,
        recorded_at=event.recorded_at,
        prev_hash=event.prev_hash,
        stream_prev_hash=event.stream_prev_hash,
    )
