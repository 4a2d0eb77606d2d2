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
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

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
        self._clock = clock
        self._live: OrderedDict[str, tuple[str, float]] = OrderedDict()
        """session id -> (user id, remembered until)"""

    async def is_live(self, session_id: str, user_id: str) -> bool:
        now = self._clock()
        known = self._live.get(session_id)
        if known is not None and known[1] > now:
            return known[0] == user_id
        if not await self._stored_and_active(session_id, user_id):
            self._live.pop(session_id, None)
            return False
        self._live[session_id] = (user_id, now + REMEMBER_SECONDS)
        self._live.move_to_end(session_id)
        if len(self._live) > MAX_REMEMBERED:
            self._live.popitem(last=False)
        return True

    async def _stored_and_active(self, session_id: str, user_id: str) -> bool:
        session = await self._sessions.find_one({"_id": session_id}, {"user_id": 1, "revoked": 1})
        if session is None or session.get("user_id") != user_id or session.get("revoked"):
            return False
        user = await self._users.find_one({"_id": user_id}, {"is_active": 1})
        return user is not None and bool(user.get("is_active", True))
