"""A wake-up for followers: "the head has moved to N"."""

from __future__ import annotations

import asyncio
import contextlib


class HeadSignal:
    """Remembers the highest position announced and wakes everyone waiting below it.

    It never carries events: a woken follower reads them from the store, so a
    missed or duplicated notification costs latency, never correctness.
    """

    def __init__(self, head: int = 0) -> None:
        self.head = head
        self._changed = asyncio.Condition()

    async def announce(self, position: int) -> None:
        if position <= self.head:
            return
        async with self._changed:
            self.head = max(self.head, position)
            self._changed.notify_all()

    async def wait_beyond(self, position: int, max_wait: float) -> int:
        if self.head > position:
            return self.head
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(max_wait), self._changed:
                await self._changed.wait_for(lambda: self.head > position)
        return self.head
