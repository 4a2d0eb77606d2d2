"""Which sessions were revoked: checked on every authenticated request, so it is in memory.

A revocation reaches every process at once through pub/sub. Pub/sub is not
the source of truth: each process also loads recent revocations from the
sessions read model at start and every few seconds, so a missed message only
delays a revocation, never loses it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import PyMongoError

from jobwise.adapters.pubsub import PubSub, PubSubUnavailable, Subscription
from jobwise.domain.events import utc_now
from jobwise.tasks import cancel_and_wait

log = logging.getLogger(__name__)

CHANNEL = "auth.revocations"
RELOAD_SECONDS = 5.0


class RevocationCache:
    def __init__(
        self, pubsub: PubSub, sessions: AsyncCollection[Any], *, remember_for: timedelta
    ) -> None:
        self._pubsub = pubsub
        self._sessions = sessions
        self._remember_seconds = remember_for.total_seconds()
        self._revoked: dict[str, float] = {}
        self._subscription: Subscription | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._listeners: list[Callable[[str], None]] = []

    def on_revoked(self, listener: Callable[[str], None]) -> None:
        """Call ``listener(session_id)`` when a session becomes known as revoked, however
        it is learnt (here, from pub/sub, or from the periodic reload): open live-update
        streams of that session are ended at once."""
        self._listeners.append(listener)

    def is_revoked(self, session_id: str) -> bool:
        return session_id in self._revoked

    async def revoke(self, session_id: str) -> None:
        self._remember(session_id)
        try:
            await self._pubsub.publish(CHANNEL, {"session_id": session_id})
        except PubSubUnavailable:
            log.warning("pub/sub is down: other processes learn of a revocation on reload")

    async def start(self) -> None:
        # Subscribe before loading, so nothing revoked in between is missed.
        self._subscription = self._pubsub.subscribe(CHANNEL)
        with contextlib.suppress(PubSubUnavailable):
            await self._subscription.open()
        await self._reload()
        self._tasks = [
            asyncio.create_task(self._listen(), name="revocations-listen"),
            asyncio.create_task(self._reload_forever(), name="revocations-reload"),
        ]

    async def stop(self) -> None:
        await cancel_and_wait(self._tasks)
        if self._subscription is not None:
            await self._subscription.close()

    async def _listen(self) -> None:
        assert self._subscription is not None
        async for _channel, message in self._subscription:
            session_id = message.get("session_id")
            if isinstance(session_id, str):
                self._remember(session_id)

    async def _reload_forever(self) -> None:
        while True:
            await asyncio.sleep(RELOAD_SECONDS)
            try:
                await self._reload()
            except PyMongoError as error:
                log.warning("could not reload revocations: %s", error)

    async def _reload(self) -> None:
        since = utc_now() - timedelta(seconds=self._remember_seconds)
        found = self._sessions.find({"revoked": True, "revoked_at": {"$gte": since}}, {"_id": 1})
        async for session in found:
            self._remember(session["_id"])
        self._forget_old()

    def _remember(self, session_id: str) -> None:
        known = session_id in self._revoked
        # After this long every access token of the session has expired anyway.
        self._revoked[session_id] = time.monotonic() + self._remember_seconds
        if not known:
            for listener in self._listeners:
                listener(session_id)

    def _forget_old(self) -> None:
        now = time.monotonic()
        for session_id in [s for s, until in self._revoked.items() if until < now]:
            del self._revoked[session_id]
