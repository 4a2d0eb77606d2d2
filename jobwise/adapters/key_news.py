"""News of destroyed keys between processes, so none keeps opening an erased user's data.

A hint, like every pub/sub message here: a process that misses it drops the key from
its cache within a minute anyway (``Keyring``), and the key itself is gone from the
database already.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from jobwise.adapters.keys import Keyring
from jobwise.adapters.pubsub import PubSub, PubSubUnavailable, Subscription
from jobwise.tasks import cancel_and_wait

log = logging.getLogger(__name__)

CHANNEL = "keys.destroyed"


class KeyNews:
    def __init__(self, pubsub: PubSub, keyring: Keyring) -> None:
        self._pubsub = pubsub
        self._keyring = keyring
        self._subscription: Subscription | None = None
        self._task: asyncio.Task[None] | None = None

    async def destroyed(self, owner: str) -> None:
        """Tell every process that ``owner``'s key is gone (this one knows already)."""
        try:
            await self._pubsub.publish(CHANNEL, {"owner": owner})
        except PubSubUnavailable:
            log.warning("pub/sub is down: other processes drop the key within a minute")

    async def start(self) -> None:
        self._subscription = self._pubsub.subscribe(CHANNEL)
        with contextlib.suppress(PubSubUnavailable):
            await self._subscription.open()
        self._task = asyncio.create_task(self._listen(), name="key-news")

    async def stop(self) -> None:
        if self._task is not None:
            await cancel_and_wait([self._task])
        if self._subscription is not None:
            await self._subscription.close()

    async def _listen(self) -> None:
        assert self._subscription is not None
        async for _channel, message in self._subscription:
            owner = message.get("owner")
            if isinstance(owner, str):
                self._keyring.forget(owner)
