"""Which of a user's profiles is active, and which was touched last.

Two handlers ask (the first profile becomes the active one; deleting the active one
activates the most recently updated). A deployment answers from the profiles read
model; the in-process bus, which runs no projection, answers from the log itself,
reading it as the profiles projection does.
"""

from __future__ import annotations

from typing import Any, Protocol

from pymongo.asynchronous.database import AsyncDatabase

from jobwise.adapters.eventstore import EventStore
from jobwise.application.queries.profiles import most_recently_updated
from jobwise.domain.erasure import is_erased
from jobwise.domain.profile import ProfileActivated, ProfileCreated, ProfileDeleted
from jobwise.projections.profiles import PROFILES


class ProfileDirectory(Protocol):
    async def active_profile_of(self, user_id: str) -> str | None: ...

    async def latest_profile_of(self, user_id: str, excluding: str) -> str | None: ...


class ReadModelProfiles:
    def __init__(self, database: AsyncDatabase[Any]) -> None:
        self._database = database

    async def active_profile_of(self, user_id: str) -> str | None:
        found = await self._database[PROFILES].find_one(
            {"user_id": user_id, "is_active": True}, {"_id": 1}
        )
        return None if found is None else str(found["_id"])

    async def latest_profile_of(self, user_id: str, excluding: str) -> str | None:
        return await most_recently_updated(self._database, user_id, excluding)


class LoggedProfiles:
    """The answers read from the whole log: for the in-process bus (tests, tools), where
    the log is small and no projection runs."""

    def __init__(self, store: EventStore) -> None:
        self._store = store

    async def active_profile_of(self, user_id: str) -> str | None:
        return (await self._profiles(user_id))[1]

    async def latest_profile_of(self, user_id: str, excluding: str) -> str | None:
        touched, _ = await self._profiles(user_id)
        others = {pid: at for pid, at in touched.items() if pid != excluding}
        return max(others, key=others.__getitem__) if others else None

    async def _profiles(self, user_id: str) -> tuple[dict[str, int], str | None]:
        """The user's live profiles by the position that last touched them, and the active one."""
        touched: dict[str, int] = {}
        active: str | None = None
        owners: dict[str, str] = {}
        for event in await self._store.read_all(0, max(1, await self._store.head_position())):
            if event.stream_type != "profile" or is_erased(event):
                continue
            if event.type == ProfileCreated.topic:
                owners[event.stream_id] = event.data["user_id"]
            if owners.get(event.stream_id) != user_id:
                continue
            touched[event.stream_id] = event.position
            if event.type == ProfileActivated.topic:
                active = event.stream_id
            if event.type == ProfileDeleted.topic:
                touched.pop(event.stream_id)
                active = None if active == event.stream_id else active
        return touched, active
