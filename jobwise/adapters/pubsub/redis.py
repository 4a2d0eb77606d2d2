"""Pub/sub across processes through Redis (``REDIS_URL``).

Redis pub/sub is fire and forget: a message published while a subscriber is
disconnected is lost to it. That is fine here because every message is a hint
whose truth lives in the event store; what matters is that a subscription heals
itself after an outage and keeps yielding.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import socket
import sys
import weakref
from collections.abc import Callable, Iterable
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import PubSub as RedisClientPubSub
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import RedisError
from tenacity import AsyncRetrying, retry_if_exception_type

from jobwise.adapters.pubsub.base import (
    DEFAULT_INBOX_SIZE,
    InboxSubscription,
    Message,
    PubSubUnavailable,
    decode,
    encode,
)
from jobwise.adapters.redis_pool import pooled_client

log = logging.getLogger(__name__)

# What a dropped or refused connection looks like from redis-py and asyncio.
_LOST = (RedisError, OSError, TimeoutError)

RECONNECT_FIRST_DELAY = 0.05
RECONNECT_MAX_DELAY = 2.0


def _client(url: str, timeout: float) -> Redis:
    # Short, few retries: they smooth over a stale pooled connection after a
    # Redis restart, yet publishing to a Redis that is down fails in well under
    # a second instead of redis-py's default multi-second backoff.
    return pooled_client(
        url,
        timeout=timeout,
        decode_responses=True,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        socket_keepalive=True,
        socket_keepalive_options=_keepalive_options(),
        retry=Retry(ExponentialBackoff(cap=0.25, base=0.05), retries=2),
    )


def _keepalive_options() -> dict[int, int]:
    # A subscription mostly waits; without tuned keepalives a server that
    # vanished without closing the socket would go unnoticed for hours.
    if sys.platform == "linux":
        return {socket.TCP_KEEPIDLE: 30, socket.TCP_KEEPINTVL: 10, socket.TCP_KEEPCNT: 3}
    return {}


class RedisSubscription(InboxSubscription):
    """One Redis connection in subscribe mode, drained by a reader task.

    The reader owns reconnection: when the connection drops it retries with
    backoff and resubscribes to whatever channels are wanted at that moment.
    """

    def __init__(
        self,
        client: Redis,
        channels: Iterable[str],
        *,
        inbox_size: int,
        timeout: float,
        on_drop: Callable[[], None],
    ) -> None:
        super().__init__(channels, inbox_size=inbox_size, on_drop=on_drop)
        self._client = client
        self._timeout = timeout
        self._pubsub: RedisClientPubSub | None = None
        """The live connection; None while disconnected."""
        self._confirmed: set[str] = set()
        self._waiters: dict[str, asyncio.Future[None]] = {}
        # Serialises (re)connecting with add/remove, so a reconnect never
        # resubscribes a stale channel set half-way through a change.
        self._lock = asyncio.Lock()
        self._reader: asyncio.Task[None] | None = None
        self.reconnects = 0

    @property
    def connected(self) -> bool:
        return self._pubsub is not None

    async def _start(self) -> None:
        # Opening fails fast when Redis is down; only later outages are healed.
        async with self._lock:
            self._pubsub = await self._connect()
        self._spawn_reader(recover_first=False)

    async def _stop(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        await self._disconnect()

    async def _subscribe(self, channels: list[str]) -> None:
        async with self._lock:
            if self._pubsub is None:
                return  # the reconnect subscribes to everything wanted
            waiters = [self._waiter(channel) for channel in channels]
            try:
                await self._pubsub.subscribe(*channels)
                async with asyncio.timeout(self._timeout):
                    await asyncio.gather(*waiters)
            except _LOST as error:
                log.warning(
                    "subscribing to %s failed (%s); reconnecting", channels, _describe(error)
                )
                await self._reconnect_now()

    async def _unsubscribe(self, channels: list[str]) -> None:
        self._confirmed.difference_update(channels)
        async with self._lock:
            if self._pubsub is None:
                return
            try:
                await self._pubsub.unsubscribe(*channels)
            except _LOST as error:
                # Harmless: a reconnect will not resubscribe to unwanted channels,
                # and ``deliver`` already ignores them.
                log.warning("unsubscribing from %s failed (%s)", channels, _describe(error))

    async def _connect(self) -> RedisClientPubSub:
        """A connection subscribed to every wanted channel, confirmed by Redis."""
        pubsub = self._client.pubsub()
        try:
            async with asyncio.timeout(self._timeout):
                await self._subscribe_all(pubsub)
        except BaseException as error:
            # Also on cancellation (close() during a reconnect): never leak it.
            await _close_quietly(pubsub)
            if isinstance(error, _LOST):
                raise PubSubUnavailable(f"cannot subscribe to redis: {_describe(error)}") from error
            raise
        return pubsub

    async def _subscribe_all(self, pubsub: RedisClientPubSub) -> None:
        # Connect even with no channels, so a dead server is noticed now.
        await pubsub.connect()  # type: ignore[no-untyped-call]  # untyped in redis-py
        channels = set(self._wanted)
        if channels:
            await pubsub.subscribe(*channels)
        # Only after Redis confirms is a message published elsewhere guaranteed
        # to reach us; callers rely on that to read the store without gaps.
        while not channels <= self._confirmed:
            self._handle(await pubsub.get_message(timeout=None))

    async def _disconnect(self) -> None:
        # Deliberately without the lock: an add() holding it while it waits for
        # a confirmation that will never come must be woken now, not time out.
        pubsub, self._pubsub = self._pubsub, None
        self._confirmed.clear()
        for waiter in self._waiters.values():
            # "Stop waiting", not "confirmed": the reconnect will subscribe.
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()
        if pubsub is not None:
            await _close_quietly(pubsub)

    def _spawn_reader(self, *, recover_first: bool) -> None:
        if self._state == "closed":
            return  # closed while an add() was forcing a reconnect
        self._reader = asyncio.create_task(
            self._read_forever(recover_first), name="redis-subscription"
        )
        self._reader.add_done_callback(self._reader_done)

    async def _reconnect_now(self) -> None:
        """Rebuild the connection from scratch with every wanted channel.

        Needed after a failed SUBSCRIBE: redis-py may heal the old connection by
        itself, but it would only resubscribe the channels it had accepted.
        """
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        self._spawn_reader(recover_first=True)

    async def _read_forever(self, recover_first: bool) -> None:
        if recover_first:
            await self._recover()
        while True:
            try:
                await self._pump()
            except _LOST as error:
                log.warning("redis subscription lost (%s); reconnecting", _describe(error))
            await self._recover()

    async def _pump(self) -> None:
        pubsub = self._pubsub
        if pubsub is None:
            return
        while True:
            self._handle(await pubsub.get_message(timeout=None))

    async def _recover(self) -> None:
        """Reconnect, for as long as it takes: a pause before each try, growing."""
        await self._disconnect()
        await asyncio.sleep(_reconnect_pause(0))
        retrying = AsyncRetrying(
            retry=retry_if_exception_type(PubSubUnavailable),
            wait=lambda state: _reconnect_pause(state.attempt_number),
        )
        await retrying(self._reconnect)
        self.reconnects += 1
        log.info("redis subscription restored: %s", sorted(self._wanted))

    async def _reconnect(self) -> None:
        async with self._lock:
            self._pubsub = await self._connect()

    def _handle(self, message: dict[str, Any] | None) -> None:
        if message is None:
            return
        kind, channel = message.get("type"), message.get("channel")
        if not isinstance(channel, str):
            return
        if kind == "subscribe":
            self._confirmed.add(channel)
            waiter = self._waiters.pop(channel, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(None)
        elif kind == "message":
            self._deliver_raw(channel, message.get("data"))

    def _deliver_raw(self, channel: str, data: object) -> None:
        if not isinstance(data, str):
            return
        try:
            payload = decode(data)
        except ValueError:
            # Someone else published on our channel; skip it rather than die.
            log.warning("ignoring a message on %s that is not a JSON object", channel)
            return
        self.deliver(channel, payload)

    def _waiter(self, channel: str) -> asyncio.Future[None]:
        waiter = self._waiters.get(channel)
        if waiter is None or waiter.done():
            waiter = asyncio.get_running_loop().create_future()
            self._waiters[channel] = waiter
        return waiter

    def _reader_done(self, task: asyncio.Task[None]) -> None:
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            # A bug, not an outage: surface it to the consumer instead of hanging.
            log.error("redis subscription reader crashed", exc_info=error)
            self.fail(error)


class RedisPubSub:
    """Pub/sub over one shared connection pool; each subscription holds one connection.

    ``timeout`` bounds every round trip to Redis: publish, ping, and the wait
    for a subscription to be confirmed.
    """

    def __init__(
        self, url: str, *, inbox_size: int = DEFAULT_INBOX_SIZE, timeout: float = 2.0
    ) -> None:
        self._client = _client(url, timeout)
        self._inbox_size = inbox_size
        self._timeout = timeout
        self._subscriptions: weakref.WeakSet[RedisSubscription] = weakref.WeakSet()
        self._dropped = 0
        self._closed = False

    @property
    def dropped(self) -> int:
        return self._dropped

    def _count_drop(self) -> None:
        self._dropped += 1

    async def publish(self, channel: str, message: Message) -> None:
        self._check_open()
        text = encode(message)
        try:
            async with asyncio.timeout(self._timeout):
                await self._client.publish(channel, text)
        except _LOST as error:
            raise PubSubUnavailable(f"cannot publish to {channel!r}: {_describe(error)}") from error

    def subscribe(self, *channels: str) -> RedisSubscription:
        self._check_open()
        subscription = RedisSubscription(
            self._client,
            channels,
            inbox_size=self._inbox_size,
            timeout=self._timeout,
            on_drop=self._count_drop,
        )
        self._subscriptions.add(subscription)
        return subscription

    async def ping(self) -> None:
        self._check_open()
        try:
            async with asyncio.timeout(self._timeout):
                await self._client.ping()
        except _LOST as error:
            raise PubSubUnavailable(f"redis does not answer PING: {_describe(error)}") from error

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for subscription in list(self._subscriptions):
            await subscription.close()
        await self._client.aclose()

    def _check_open(self) -> None:
        if self._closed:
            raise PubSubUnavailable("the redis pub/sub is closed")


async def _close_quietly(pubsub: RedisClientPubSub) -> None:
    # The connection is usually already broken; closing it must not raise.
    with contextlib.suppress(*_LOST):
        await pubsub.aclose()  # type: ignore[no-untyped-call,unused-ignore]  # untyped before redis-py 6


def _describe(error: BaseException) -> str:
    # redis-py's messages alone can be bare ("Connection closed by server.").
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _reconnect_pause(failures: int) -> float:
    """Doubling from the first delay to the cap; jittered, so many subscriptions do not
    all hit a restarted Redis at once."""
    delay = min(RECONNECT_FIRST_DELAY * 2.0**failures, RECONNECT_MAX_DELAY)
    return delay * random.uniform(0.5, 1.5)
