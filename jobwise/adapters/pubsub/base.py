"""What every pub/sub adapter promises, and the pieces both adapters share.

Pub/sub carries *hints* between processes (live updates, token revocations).
It is never the source of truth: anything lost here can be recovered from the
event store, which is why a slow subscriber loses its oldest messages instead
of slowing everyone else down.
"""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any, Protocol, Self

import orjson

log = logging.getLogger(__name__)

Message = dict[str, Any]
Delivery = tuple[str, Message]
"""What a subscription yields: ``(channel, message)``."""
Handler = Callable[[str, Message], None]
"""Takes ``(channel, message)`` as it arrives; must not block."""

DEFAULT_INBOX_SIZE = 1000


class PubSubUnavailable(Exception):
    """The broker cannot be reached (or the adapter is closed); the caller decides what to do."""


class Subscription(Protocol):
    """An open set of channels; ``async with`` it, then ``async for channel, message in it``."""

    @property
    def channels(self) -> frozenset[str]: ...

    @property
    def dropped(self) -> int:
        """Messages this subscription lost because its consumer fell behind."""
        ...

    def deliver_to(self, handler: Handler) -> None:
        """Hand each message to ``handler`` the moment it arrives, in order, instead of
        queueing it for iteration; iteration then yields nothing and only ends (or
        raises) when the subscription does. Call it before ``open``."""
        ...

    async def open(self) -> None:
        """Start receiving; when it returns, messages published from now on arrive."""
        ...

    async def add(self, *channels: str) -> None:
        """Also receive ``channels``; when it returns, their new messages arrive."""
        ...

    async def remove(self, *channels: str) -> None:
        """Stop receiving ``channels``; nothing from them is yielded after it returns."""
        ...

    async def close(self) -> None:
        """Stop receiving; iteration ends. Safe to call twice."""
        ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(self, *exc_info: object) -> None: ...

    def __aiter__(self) -> Self: ...

    async def __anext__(self) -> Delivery: ...


class PubSub(Protocol):
    @property
    def dropped(self) -> int:
        """Messages dropped across all of this adapter's subscriptions."""
        ...

    async def publish(self, channel: str, message: Message) -> None:
        """Send ``message`` as JSON to the channel's current subscribers (fire and forget).

        Raises ``TypeError`` if it is not JSON-serialisable, ``PubSubUnavailable``
        if the broker is unreachable.
        """
        ...

    def subscribe(self, *channels: str) -> Subscription:
        """A subscription to ``channels``; nothing is received until it is opened."""
        ...

    async def ping(self) -> None:
        """Return if healthy, else raise ``PubSubUnavailable`` (the readiness probe)."""
        ...

    async def close(self) -> None:
        """Close every subscription and release connections."""
        ...


def encode(message: Message) -> str:
    # Both adapters serialise, so a message that works in-process works over
    # Redis too, and no two subscribers ever share one mutable dict.
    return orjson.dumps(message).decode()


def decode(raw: str | bytes) -> Message:
    """Parse one published message; ``ValueError`` if it is not a JSON object."""
    message = orjson.loads(raw)
    if not isinstance(message, dict):
        raise ValueError(f"expected a JSON object, got {type(message).__name__}")
    return message


class Inbox:
    """A bounded buffer that never blocks the writer: when full, the oldest entry goes."""

    def __init__(self, maxsize: int, on_drop: Callable[[], None] | None = None) -> None:
        if maxsize < 1:
            raise ValueError("an inbox holds at least one message")
        self._items: deque[Delivery] = deque()
        self._maxsize = maxsize
        self._on_drop = on_drop
        self._ready = asyncio.Event()
        self._closed = False
        self._error: BaseException | None = None
        self.dropped = 0

    def put(self, item: Delivery) -> None:
        if self._closed:
            return
        if len(self._items) >= self._maxsize:
            self._items.popleft()
            self.dropped += 1
            if self._on_drop is not None:
                self._on_drop()
        self._items.append(item)
        self._ready.set()

    def discard(self, channels: Iterable[str]) -> None:
        """Forget buffered messages of channels the consumer no longer wants."""
        gone = set(channels)
        self._items = deque(item for item in self._items if item[0] not in gone)

    async def get(self) -> Delivery:
        """The oldest entry; ``StopAsyncIteration`` (or the failure) once closed."""
        while not self._items:
            if self._closed:
                raise self._error or StopAsyncIteration
            self._ready.clear()
            await self._ready.wait()
        return self._items.popleft()

    def close(self, error: BaseException | None = None) -> None:
        # Pending messages are discarded: a closed subscription yields nothing more.
        self._closed = True
        self._error = error
        self._items.clear()
        self._ready.set()


class InboxSubscription(ABC):
    """The ``Subscription`` behaviour both adapters share; they supply the wiring."""

    def __init__(
        self,
        channels: Iterable[str],
        *,
        inbox_size: int = DEFAULT_INBOX_SIZE,
        on_drop: Callable[[], None] | None = None,
    ) -> None:
        self._wanted: set[str] = set(_checked(channels))
        self._inbox = Inbox(inbox_size, on_drop)
        self._handler: Handler | None = None
        self._state = "new"

    @property
    def channels(self) -> frozenset[str]:
        return frozenset(self._wanted)

    @property
    def dropped(self) -> int:
        return self._inbox.dropped

    @property
    def is_open(self) -> bool:
        return self._state == "open"

    def deliver_to(self, handler: Handler) -> None:
        if self._state != "new":
            raise RuntimeError("choose where messages go before opening the subscription")
        self._handler = handler

    async def open(self) -> None:
        if self._state == "closed":
            raise PubSubUnavailable("this subscription is closed")
        if self._state == "open":
            raise RuntimeError("a subscription can be opened only once")
        await self._start()
        self._state = "open"

    async def add(self, *channels: str) -> None:
        new = [c for c in dict.fromkeys(_checked(channels)) if c not in self._wanted]
        self._wanted.update(new)
        if new and self.is_open:
            await self._subscribe(new)

    async def remove(self, *channels: str) -> None:
        gone = [c for c in dict.fromkeys(channels) if c in self._wanted]
        # Forgetting the channel first is what makes "nothing after remove()"
        # hold even for messages already on the wire.
        self._wanted.difference_update(gone)
        self._inbox.discard(gone)
        if gone and self.is_open:
            await self._unsubscribe(gone)

    async def close(self) -> None:
        if self._state == "closed":
            return
        was_open = self.is_open
        self._state = "closed"
        self._inbox.close()
        if was_open:
            await self._stop()

    def deliver(self, channel: str, message: Message) -> None:
        """Called by the adapter for each incoming message; never blocks."""
        if channel not in self._wanted or not self.is_open:
            return
        if self._handler is None:
            self._inbox.put((channel, message))
            return
        try:
            self._handler(channel, message)
        except Exception:
            # The consumer's bug, not the broker's: the adapter's reader must live on.
            log.exception("a pub/sub handler failed on a message of %s", channel)

    def fail(self, error: BaseException) -> None:
        """End iteration with ``error``: the adapter can no longer feed this subscription.

        ``close()`` is still needed afterwards to release what the adapter holds.
        """
        self._inbox.close(error)

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> Delivery:
        if self._state == "new":
            raise RuntimeError("open the subscription first: async with pubsub.subscribe(...)")
        return await self._inbox.get()

    @abstractmethod
    async def _start(self) -> None:
        """Begin receiving ``self._wanted``."""

    @abstractmethod
    async def _stop(self) -> None:
        """Stop receiving anything and release resources."""

    @abstractmethod
    async def _subscribe(self, channels: list[str]) -> None: ...

    @abstractmethod
    async def _unsubscribe(self, channels: list[str]) -> None: ...


def _checked(channels: Iterable[str]) -> list[str]:
    names = list(channels)
    for name in names:
        if not isinstance(name, str) or not name:
            raise ValueError(f"a channel name is a non-empty string, not {name!r}")
    return names
