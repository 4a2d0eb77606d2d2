"""The event history, as audits and ``jobwise events`` read it."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.adapters.eventstore.mongo import EVENTS_COLLECTION, from_document
from jobwise.adapters.eventstore.sealing import EventOpener, SealingEventStore
from jobwise.adapters.keys import EmailStreams
from jobwise.domain.events import RecordedEvent
from jobwise.domain.user import normalize_email

SECRET_FIELDS = frozenset({"password_hash"})


def redacted(data: dict[str, Any]) -> dict[str, Any]:
    """Event data fit to show a person: stored secrets (hashes) are masked."""
    return {k: "[redacted]" if k in SECRET_FIELDS else v for k, v in data.items()}


async def find_user_id(store: SealingEventStore, email: str) -> str | None:
    """The id of the live account registered with ``email`` (case-insensitive), from the
    address's reservation stream (an erased account's address leads nowhere)."""
    return await EmailStreams(store.keyring).holder(store, normalize_email(email))


async def events_for_user(
    database: AsyncDatabase[Any],
    opener: EventOpener,
    user_id: str,
    after: int = 0,
    limit: int | None = None,
) -> list[RecordedEvent]:
    """Everything the user did, and everything done to the user's own stream, in order."""
    query = {
        "$or": [{"metadata.user_id": user_id}, {"stream_id": user_id}],
        "position": {"$gt": after},
    }
    cursor = database[EVENTS_COLLECTION].find(query).sort("position", ASCENDING)
    if limit:
        cursor = cursor.limit(limit)
    return await opener.open_all([from_document(document) async for document in cursor])


async def events_of_stream(
    database: AsyncDatabase[Any],
    opener: EventOpener,
    stream_id: str,
    after: int = 0,
    limit: int | None = None,
) -> list[RecordedEvent]:
    found = await events_of_streams(database, [stream_id], after, limit)
    return await opener.open_all(found)


async def events_of_streams(
    database: AsyncDatabase[Any], stream_ids: list[str], after: int = 0, limit: int | None = None
) -> list[RecordedEvent]:
    """The events of these streams after position ``after``, in log order."""
    if not stream_ids:
        return []
    # One id is an equality on the (stream_id, version) index; $in with many is slower there.
    streams = stream_ids[0] if len(stream_ids) == 1 else {"$in": stream_ids}
    cursor = database[EVENTS_COLLECTION].find({"stream_id": streams, "position": {"$gt": after}})
    cursor = cursor.sort("position", ASCENDING)
    if limit:
        cursor = cursor.limit(limit)
    return [from_document(document) async for document in cursor]


async def last_position(database: AsyncDatabase[Any], stream_id: str) -> int | None:
    """The log position of the stream's newest event (None: no such stream)."""
    last = await database[EVENTS_COLLECTION].find_one(
        {"stream_id": stream_id}, {"position": 1}, sort=[("version", DESCENDING)]
    )
    return None if last is None else int(last["position"])
