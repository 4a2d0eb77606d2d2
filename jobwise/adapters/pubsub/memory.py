"""Pub/sub inside one process, used when ``REDIS_URL`` is not set."""

from __future__ import annotations

import weakref
from collections.abc import Iterable

from jobwise.adapters.pubsub.base import (
    DEFAULT_INBOX_SIZE,
    InboxSubscription,
    Message,
    PubSubUnavailable,
    decode,
    encode,
)


class _Router:
    """Which open subscriptions want which channel."""

    def __init__(self) -> None:
        self._routes: dict[str, set[MemorySubscription]] = {}

    def attach(self, subscription: MemorySubscription, channels: Iterable[str]) -> None:
        for channel in channels:
            self._routes.setdefault(channel, set()).add(subscription)

    def detach(self, subscription: MemorySubscription, channels: Iterable[str]) -> None:
        for channel in channels:
            subscribers = self._routes.get(channel)
            if subscribers is None:
                continue
            subscribers.discard(subscription)
            if not subscribers:
                del self._routes[channel]

    def detach_everywhere(self, subscription: MemorySubscription) -> None:
        self.detach(subscription, list(self._routes))

    def subscribers(self, channel: str) -> tuple[MemorySubscription, ...]:
        # A copy: delivering must not be disturbed by (un)subscribes it triggers.
        return tuple(self._routes.get(channel, ()))


class MemorySubscription(InboxSubscription):
    def __init__(self, hub: InProcessPubSub, channels: Iterable[str], *, inbox_size: int) -> None:
        super().__init__(channels, inbox_size=inbox_size, on_drop=hub.count_drop)
        self._hub = hub

    async def _start(self) -> None:
        self._hub.check_open()
        self._hub.router.attach(self, self._wanted)

    async def _stop(self) -> None:
        self._hub.router.detach_everywhere(self)

    async def _subscribe(self, channels: list[str]) -> None:
        self._hub.router.attach(self, channels)

    async def _unsubscribe(self, channels: list[str]) -> None:
        self._hub.router.detach(self, channels)


class InProcessPubSub:
    """Every subscription has its own bounded inbox, so publishing never waits.

    When a consumer falls ``inbox_size`` messages behind, its oldest message is
    dropped and counted (``dropped``). That is acceptable because pub/sub only
    carries hints: a client that missed a live update re-reads the event store.
    """

    def __init__(self, *, inbox_size: int = DEFAULT_INBOX_SIZE) -> None:
        self.router = _Router()
        self._inbox_size = inbox_size
        self._subscriptions: weakref.WeakSet[MemorySubscription] = weakref.WeakSet()
        self._dropped = 0
        self._closed = False

    @property
    def dropped(self) -> int:
        return self._dropped

    def count_drop(self) -> None:
        self._dropped += 1

    def check_open(self) -> None:
        if self._closed:
            raise PubSubUnavailable("the in-process pub/sub is closed")

    async def publish(self, channel: str, message: Message) -> None:
        self.check_open()
        text = encode(message)
        for subscription in self.router.subscribers(channel):
            # Decoded per subscriber, so none can alter what another receives.
            subscription.deliver(channel, decode(text))

    def subscribe(self, *channels: str) -> MemorySubscription:
        self.check_open()
        subscription = MemorySubscription(self, channels, inbox_size=self._inbox_size)
        self._subscriptions.add(subscription)
        return subscription

    async def ping(self) -> None:
        self.check_open()

    async def close(self) -> None:
        self._closed = True
        for subscription in list(self._subscriptions):
            await subscription.close()
