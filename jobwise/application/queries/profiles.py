"""Reading profiles: the read model for the present, the event log for the past."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.adapters.eventstore import EventStore
from jobwise.domain.events import DomainEvent
from jobwise.domain.profile import ProfileCreated, ProfileEvent
from jobwise.projections import Projector
from jobwise.projections.profiles import PROFILES, evolve

Document = dict[str, Any]


class ProfileVersion(BaseModel):
    version: int
    at: datetime
    event_types: list[str]


async def get_profile(
    database: AsyncDatabase[Any], user_id: str, profile_id: str
) -> Document | None:
    """The caller's profile, or None (another user's profile is as good as missing)."""
    # By _id alone, owner checked here: a plain key lookup is the cheapest read there is.
    document = await database[PROFILES].find_one({"_id": profile_id})
    return _shown(document) if document is not None and document["user_id"] == user_id else None


async def profile_as_written(
    database: AsyncDatabase[Any],
    projector: Projector,
    user_id: str,
    profile_id: str,
    wrote: bool,
) -> Document | None:
    """The profile as a write of this process just left it (``wrote``: it changed).

    The profiles projection of this process holds the document it wrote, and the
    write waited for it, so no read is needed; a write that changed nothing reads
    the database.
    """
    if wrote:
        held = _shown(projector.written(PROFILES, profile_id))
        if held is not None and held["user_id"] == user_id:
            return held
    return await get_profile(database, user_id, profile_id)


async def active_profile(database: AsyncDatabase[Any], user_id: str) -> Document | None:
    return _shown(await database[PROFILES].find_one({"user_id": user_id, "is_active": True}))


async def most_recently_updated(
    database: AsyncDatabase[Any], user_id: str, excluding: str
) -> str | None:
    """The id of the user's most recently updated profile other than ``excluding``."""
    found = await database[PROFILES].find_one(
        {"user_id": user_id, "_id": {"$ne": excluding}},
        {"_id": 1},
        sort=[("updated_at", DESCENDING)],
    )
    return None if found is None else str(found["_id"])


async def list_profiles(
    database: AsyncDatabase[Any], user_id: str, limit: int, offset: int
) -> tuple[list[Document], int]:
    collection = database[PROFILES]
    total = await collection.count_documents({"user_id": user_id})
    cursor = collection.find({"user_id": user_id}).sort("created_at", ASCENDING)
    found = [_shown(d) async for d in cursor.skip(offset).limit(limit)]
    return [d for d in found if d is not None], total


async def profile_at_version(
    store: EventStore, user_id: str, profile_id: str, version: int
) -> Document | None:
    """The profile exactly as it was at ``version``, replayed from its own events."""
    document: Document | None = None
    for recorded in await store.read_stream(profile_id):
        event = DomainEvent.from_recorded(recorded)
        if isinstance(event, ProfileCreated) and event.user_id != user_id:
            return None
        if isinstance(event, ProfileEvent) and event.revision > version:
            break
        document = evolve(document, event, recorded)
    if document is None or document["version"] != version:
        return None
    return _shown(document)


async def profile_versions(
    store: EventStore, user_id: str, profile_id: str
) -> list[ProfileVersion] | None:
    versions: dict[int, ProfileVersion] = {}
    for recorded in await store.read_stream(profile_id):
        event = DomainEvent.from_recorded(recorded)
        if isinstance(event, ProfileCreated) and event.user_id != user_id:
            return None
        if not isinstance(event, ProfileEvent):
            continue
        entry = versions.setdefault(
            event.revision,
            ProfileVersion(version=event.revision, at=recorded.recorded_at, event_types=[]),
        )
        entry.event_types.append(recorded.type)
    return list(versions.values()) or None


def _shown(document: Document | None) -> Document | None:
    if document is None:
        return None
    return {k: v for k, v in document.items() if k != "_id"}
