"""The pub/sub contract: the same cases against the in-process and Redis adapters.

The Redis cases run against a real ``redis-server`` this module starts on its
own port (never a system Redis). Every wait is bounded, so nothing can hang.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from redis.asyncio.client import PubSub as RedisClientPubSub
from redis.exceptions import ConnectionError as RedisConnectionError

from jobwise.adapters.pubsub import (
    Delivery,
    InProcessPubSub,
    PubSub,
    PubSubUnavailable,
    RedisPubSub,
    Subscription,
    create_pubsub,
)
from tests.support.redis_server import RedisServer

WAIT = 15.0
"""Upper bound for anything that should happen "soon"."""
QUIET = 0.2
"""How long silence must last to count as "nothing was delivered"."""
BURST = 300
"""Operations at once: more than a Redis client pool holds connections by default."""

Factory = Callable[[], PubSub]


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with RedisServer() as server:
        yield server


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def make_pubsub(request: pytest.FixtureRequest) -> AsyncIterator[Factory]:
    """A factory: each call is a new adapter, as if in another process; all closed after."""
    made: list[PubSub] = []
    if request.param == "redis":
        url = request.getfixturevalue("redis_server").url

        def make() -> PubSub:
            made.append(RedisPubSub(url))
            return made[-1]
    else:
        # In-process pub/sub cannot cross processes: one hub stands for "the process".
        hub = InProcessPubSub()

        def make() -> PubSub:
            made.append(hub)
            return hub

    yield make
    for pubsub in {id(p): p for p in made}.values():
        await pubsub.close()


@pytest.fixture
async def redis_pubsub(redis_server: RedisServer) -> AsyncIterator[RedisPubSub]:
    pubsub = RedisPubSub(redis_server.url, timeout=5.0)
    yield pubsub
    await pubsub.close()


async def receive(subscription: Subscription, count: int = 1) -> list[Delivery]:
    async with asyncio.timeout(WAIT):
        return [await anext(subscription) for _ in range(count)]


async def assert_silent(subscription: Subscription) -> None:
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(QUIET):
            await anext(subscription)


async def publish_until_received(
    pubsub: RedisPubSub, sub: Subscription, channel: str = "jobs"
) -> None:
    """Probe until the subscription is back: what was sent before it resubscribed is lost."""
    async with asyncio.timeout(15):
        while True:
            try:
                await pubsub.publish(channel, {"n": "probe"})
                async with asyncio.timeout(QUIET):
                    await anext(sub)
                    return
            except (PubSubUnavailable, TimeoutError):
                await asyncio.sleep(0.05)


async def receive_until(sub: Subscription, wanted: Delivery) -> None:
    async with asyncio.timeout(WAIT):
        async for delivery in sub:
            if delivery == wanted:
                return
            assert delivery == ("jobs", {"n": "probe"})


# -- the contract, for both adapters -------------------------------------------------


async def test_publish_then_receive(make_pubsub: Factory) -> None:
    pubsub = make_pubsub()
    async with pubsub.subscribe("jobs") as sub:
        await pubsub.publish("jobs", {"id": "j1", "tags": ["a", "b"], "n": 1.5})
        assert await receive(sub) == [("jobs", {"id": "j1", "tags": ["a", "b"], "n": 1.5})]


async def test_every_subscriber_gets_every_message_in_order(make_pubsub: Factory) -> None:
    pubsub = make_pubsub()
    async with pubsub.subscribe("jobs") as first, pubsub.subscribe("jobs") as second:
        for n in range(50):
            await pubsub.publish("jobs", {"n": n})
        expected = [("jobs", {"n": n}) for n in range(50)]
        assert await receive(first, 50) == expected
        assert await receive(second, 50) == expected


async def test_a_burst_of_concurrent_publishes_all_arrive(make_pubsub: Factory) -> None:
    # More at once than a Redis client pool holds connections (redis-py's default is
    # 100): the burst waits for a free connection instead of failing.
    pubsub = make_pubsub()
    async with pubsub.subscribe("jobs") as sub:
        await asyncio.gather(*(pubsub.publish("jobs", {"n": n}) for n in range(BURST)))
        received = await receive(sub, BURST)
        assert sorted(message["n"] for _channel, message in received) == list(range(BURST))


async def test_a_handler_takes_every_message_in_order_and_nothing_is_queued(
    make_pubsub: Factory,
) -> None:
    pubsub = make_pubsub()
    got: list[Delivery] = []
    all_in = asyncio.Event()

    def take(channel: str, message: dict[str, Any]) -> None:
        got.append((channel, message))
        if len(got) == 20:
            all_in.set()

    subscription = pubsub.subscribe("jobs")
    subscription.deliver_to(take)
    async with subscription:
        for n in range(20):
            await pubsub.publish("jobs", {"n": n})
        async with asyncio.timeout(WAIT):
            await all_in.wait()
        assert got == [("jobs", {"n": n}) for n in range(20)]
        await assert_silent(subscription)


async def test_a_handler_that_fails_on_one_message_still_gets_the_next(
    make_pubsub: Factory,
) -> None:
    pubsub = make_pubsub()
    got: list[int] = []
    second = asyncio.Event()

    def take(_channel: str, message: dict[str, Any]) -> None:
        if message["n"] == 1:
            raise RuntimeError("a bug in the consumer")
        got.append(message["n"])
        second.set()

    subscription = pubsub.subscribe("jobs")
    subscription.deliver_to(take)
    async with subscription:
        await pubsub.publish("jobs", {"n": 1})
        await pubsub.publish("jobs", {"n": 2})
        async with asyncio.timeout(WAIT):
            await second.wait()
    assert got == [2]


async def test_channels_are_isolated(make_pubsub: Factory) -> None:
    pubsub = make_pubsub()
    async with pubsub.subscribe("user:1") as one, pubsub.subscribe("user:2") as two:
        await pubsub.publish("user:1", {"for": 1})
        await pubsub.publish("user:2", {"for": 2})
        assert await receive(one) == [("user:1", {"for": 1})]
        assert await receive(two) == [("user:2", {"for": 2})]
        await assert_silent(one)
        await assert_silent(two)


async def test_add_and_remove_channels_while_open(make_pubsub: Factory) -> None:
    pubsub = make_pubsub()
    async with pubsub.subscribe() as sub:
        await sub.add("a", "b")
        assert sub.channels == {"a", "b"}
        await pubsub.publish("b", {"n": 1})
        assert await receive(sub) == [("b", {"n": 1})]

        await sub.remove("a")
        await pubsub.publish("a", {"n": 2})
        # Publishes are ordered, so the marker arriving first proves "a" was skipped.
        await pubsub.publish("b", {"n": 3})
        assert await receive(sub) == [("b", {"n": 3})]
        await assert_silent(sub)


async def test_closed_subscription_receives_nothing_and_ends(make_pubsub: Factory) -> None:
    pubsub = make_pubsub()
    async with pubsub.subscribe("jobs") as kept, pubsub.subscribe("jobs") as leaving:
        await leaving.close()
        await pubsub.publish("jobs", {"n": 1})
        assert await receive(kept) == [("jobs", {"n": 1})]
        with pytest.raises(StopAsyncIteration):
            await receive(leaving)


async def test_close_wakes_a_waiting_consumer(make_pubsub: Factory) -> None:
    pubsub = make_pubsub()
    async with pubsub.subscribe("jobs") as sub:

        async def consume() -> list[Delivery]:
            return [delivery async for delivery in sub]

        consumer = asyncio.create_task(consume())
        await asyncio.sleep(0.05)
        await sub.close()
        async with asyncio.timeout(WAIT):
            assert await consumer == []


async def test_subscriptions_in_other_processes_see_each_other(make_pubsub: Factory) -> None:
    here, there = make_pubsub(), make_pubsub()
    async with (
        here.subscribe("revocations") as sub_here,
        there.subscribe("revocations") as sub_there,
    ):
        await here.publish("revocations", {"jti": "t1"})
        await there.publish("revocations", {"jti": "t2"})
        expected = [("revocations", {"jti": "t1"}), ("revocations", {"jti": "t2"})]
        assert await receive(sub_here, 2) == expected
        assert await receive(sub_there, 2) == expected


async def test_messages_must_be_json(make_pubsub: Factory) -> None:
    pubsub = make_pubsub()
    with pytest.raises(TypeError):
        await pubsub.publish("jobs", {"when": object()})


async def test_ping_when_healthy_and_refusal_after_close(make_pubsub: Factory) -> None:
    pubsub = make_pubsub()
    await pubsub.ping()
    await pubsub.close()
    with pytest.raises(PubSubUnavailable):
        await pubsub.ping()
    with pytest.raises(PubSubUnavailable):
        await pubsub.publish("jobs", {"n": 1})
    with pytest.raises(PubSubUnavailable):
        pubsub.subscribe("jobs")


async def test_factory_picks_the_adapter() -> None:
    assert isinstance(create_pubsub(None), InProcessPubSub)
    assert isinstance(create_pubsub(""), InProcessPubSub)
    redis = create_pubsub("redis://127.0.0.1:1/0")  # nothing connects until used
    assert isinstance(redis, RedisPubSub)
    await redis.close()


# -- in-process only: a slow consumer never holds anyone up -------------------------


async def test_overflow_drops_the_oldest_and_counts() -> None:
    pubsub = InProcessPubSub(inbox_size=3)
    async with pubsub.subscribe("jobs") as slow, pubsub.subscribe("jobs") as fast:
        for n in range(5):
            await pubsub.publish("jobs", {"n": n})
            assert await receive(fast) == [("jobs", {"n": n})]
        assert await receive(slow, 3) == [("jobs", {"n": n}) for n in (2, 3, 4)]
        assert (slow.dropped, fast.dropped, pubsub.dropped) == (2, 0, 2)
    await pubsub.close()


# -- Redis only: outages ------------------------------------------------------------


@pytest.mark.slow  # stops and restarts the Redis server
@pytest.mark.redis
@pytest.mark.parametrize("outage", [0.0, 1.5], ids=["blip", "outage"])
async def test_subscription_recovers_after_redis_restart(
    redis_server: RedisServer, redis_pubsub: RedisPubSub, outage: float
) -> None:
    async with redis_pubsub.subscribe("jobs") as sub:
        await redis_pubsub.publish("jobs", {"n": "before"})
        assert await receive(sub) == [("jobs", {"n": "before"})]
        try:
            redis_server.stop()
            await asyncio.sleep(outage)
            async with asyncio.timeout(WAIT):
                await sub.add("late")  # while down: recorded, subscribed on recovery
        finally:
            redis_server.start()
        await publish_until_received(redis_pubsub, sub)
        # Pub/sub is fire and forget, so only messages after recovery count.
        await redis_pubsub.publish("late", {"n": "after"})
        await receive_until(sub, ("late", {"n": "after"}))
        # A blip may be healed inside redis-py; a real outage goes through our reconnect.
        assert sub.reconnects >= (1 if outage else 0)


@pytest.mark.slow  # stops and restarts the Redis server
@pytest.mark.redis
async def test_ping_and_publish_fail_while_redis_is_down(
    redis_server: RedisServer, redis_pubsub: RedisPubSub
) -> None:
    await redis_pubsub.ping()
    try:
        redis_server.stop()
        with pytest.raises(PubSubUnavailable):
            await redis_pubsub.ping()
        with pytest.raises(PubSubUnavailable):
            await redis_pubsub.publish("jobs", {"n": 1})
        with pytest.raises(PubSubUnavailable):
            await redis_pubsub.subscribe("jobs").open()
    finally:
        redis_server.start()
    await redis_pubsub.ping()
    await redis_pubsub.publish("jobs", {"n": 2})


@pytest.mark.slow  # stops and restarts the Redis server
@pytest.mark.redis
async def test_closing_during_an_outage_is_prompt(
    redis_server: RedisServer, redis_pubsub: RedisPubSub
) -> None:
    sub = redis_pubsub.subscribe("jobs")
    await sub.open()
    try:
        redis_server.stop()
        await asyncio.sleep(0.3)  # the reader is now retrying with backoff
        async with asyncio.timeout(WAIT):
            await sub.close()
    finally:
        redis_server.start()
    with pytest.raises(StopAsyncIteration):
        await receive(sub)


@pytest.mark.redis
async def test_a_failed_subscribe_rebuilds_the_connection(
    redis_pubsub: RedisPubSub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """redis-py could heal the old connection without the channel; we must not rely on it."""
    async with redis_pubsub.subscribe("jobs") as sub:
        original = RedisClientPubSub.subscribe

        async def fail_once(self: RedisClientPubSub, *args: Any, **kwargs: Any) -> None:
            monkeypatch.setattr(RedisClientPubSub, "subscribe", original)
            raise RedisConnectionError("injected")

        monkeypatch.setattr(RedisClientPubSub, "subscribe", fail_once)
        await sub.add("late")
        await publish_until_received(redis_pubsub, sub, "late")
        assert sub.reconnects == 1
