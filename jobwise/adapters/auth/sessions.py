"""Which sessions are live: a correctly signed token is not enough on its own.

A token stays verifiable after its user is gone (a wiped database in
development, a deactivated account, a token minted with a leaked secret), so
every authenticated request also asks whether its session exists in the
sessions read model, belongs to the token's subject, and whose user is active.
The answer is remembered for a minute per session, so the check costs one
database read per session per process per minute, not one per request.
Revocations do not wait for that minute: ``RevocationCache`` is consulted first.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from cachetools import TTLCache
from pymongo.asynchronous.collection import AsyncCollection

REMEMBER_SECONDS = 60.0
MAX_REMEMBERED = 100_000


class LiveSessions:
    def __init__(
        self,
        sessions: AsyncCollection[Any],
        users: AsyncCollection[Any],
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self._users = users
        self._live: TTLCache[str, str] = TTLCache(MAX_REMEMBERED, REMEMBER_SECONDS, timer=clock)
        """session id -> user id, for a minute from when it was read"""

    async def is_live(self, session_id: str, user_id: str) -> bool:
        known = self._live.get(session_id)
        if known is not None:
            return known == user_id
        if not await self._stored_and_active(session_id, user_id):
            return False
        self._live[session_id] = user_id
        return True

    async def _stored_and_active(self, session_id: str, user_id: str) -> bool:
        session = await self._sessions.find_one({"_id": session_id}, {"user_id": 1, "revoked": 1})
        if session is None or session.get("user_id") != user_id or session.get("revoked"):
            return False
        user = await self._users.find_one({"_id": user_id}, {"is_active": 1})
        return user is not None and bool(user.get("is_active", True))
