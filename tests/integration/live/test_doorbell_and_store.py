"""Pub/sub is a doorbell, the store the truth: lost and repeated doorbells, a Redis restart."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from jobwise.adapters.eventstore.mongo import MongoEventStore
from jobwise.adapters.pubsub import InProcessPubSub, PubSub, PubSubUnavailable, RedisPubSub
from jobwise.adapters.pubsub.publisher import CHANNEL, UpdatePublisher
from jobwise.entrypoints.http.factory import create_app
from jobwise.entrypoints.live.hub import LiveHub
from jobwise.entrypoints.live.watcher import Outgoing, Watcher
from tests.integration.auth.conftest import MakeClient, register
from tests.integration.live.conftest import (
    LiveUser,
    live_settings,
    receive,
    send,
    seqs,
    updates_until_done,
)
from tests.support.generations import UPDATES_PER_GENERATION, Generation
from tests.support.redis_server import RedisServer

EVERY_SEQ = list(range(1, UPDATES_PER_GENERATION + 1))


class Recorder(Watcher):
    """A watcher that keeps what it is sent."""

    def __init__(self, user_id: str, store: MongoEventStore) -> None:
        super().__init__(user_id, "session", store, queue_size=1000)
        self.received: list[dict[str, Any]] = []
        self.changed = asyncio.Event()

    async def write(self, item: Outgoing) -> None:
        self.received.append(json.loads(item if isinstance(item, str) else item.text))
        self.changed.set()

    def close(self, code: int, reason: str) -> None:
        pass

    async def until(self, count: int, wait: float = 15.0) -> list[int]:
        async with asyncio.timeout(wait):
            while len(self.received) < count:
                self.changed.clear()
                await self.changed.wait()
        return [message["seq"] for message in self.received]


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with RedisServer() as server:
        yield server


@pytest.fixture
async def store(mongo: Any) -> AsyncIterator[MongoEventStore]:
    opened = await MongoEventStore.open(*mongo)
    yield opened
    await opened.close()


@contextlib.asynccontextmanager
async def doorbell_only(
    pubsub: PubSub, store: MongoEventStore
) -> AsyncIterator[tuple[LiveHub, Recorder]]:
    """A hub without the store follower (only the doorbell and the resyncs it triggers
    can deliver) and Ada's watcher on it; all stopped and closed afterwards."""
    hub = LiveHub(pubsub, store, follow_store=False)
    await hub.start()
    watcher = Recorder("ada", store)
    hub.attach(watcher)
    try:
        yield hub, watcher
    finally:
        hub.detach(watcher)
        await hub.stop()
        await pubsub.close()


async def test_a_missed_doorbell_is_made_good_from_the_store(store: MongoEventStore) -> None:
    pubsub = InProcessPubSub()
    async with doorbell_only(pubsub, store) as (hub, watcher):
        watcher.join_user_channel(hub.position)
        generation = Generation(store, UpdatePublisher(pubsub, store), "ada")
        await generation.append(4)  # seq 1..4, announced
        assert await watcher.until(4) == [1, 2, 3, 4]
        await generation.append(3, announce=False)  # seq 5..7: their doorbells are lost
        await generation.append(1)  # seq 8 rings: 5..7 are missing, so they are read back
        assert await watcher.until(8) == [1, 2, 3, 4, 5, 6, 7, 8]
        await generation.run()
        assert await watcher.until(UPDATES_PER_GENERATION) == EVERY_SEQ


async def test_a_doorbell_rung_twice_delivers_once(store: MongoEventStore) -> None:
    pubsub = InProcessPubSub()
    async with doorbell_only(pubsub, store) as (_hub, watcher):
        publisher = UpdatePublisher(pubsub, store)
        generation = Generation(store, publisher, "ada")
        await generation.append(2)
        assert await watcher.subscribe(generation.generation_id, 0)
        stored = await store.read_stream(generation.generation_id)
        await publisher.publish(stored)  # the same two updates announced again
        await generation.run()
        assert await watcher.until(UPDATES_PER_GENERATION) == EVERY_SEQ
        await asyncio.sleep(0.1)  # anything extra would have arrived by now
        assert len(watcher.received) == UPDATES_PER_GENERATION


@pytest.mark.redis
async def test_the_doorbell_alone_recovers_from_a_redis_restart(
    store: MongoEventStore, redis_server: RedisServer
) -> None:
    pubsub = RedisPubSub(redis_server.url, timeout=5.0)
    async with doorbell_only(pubsub, store) as (hub, watcher):
        watcher.join_user_channel(hub.position)
        generation = Generation(store, UpdatePublisher(pubsub, store), "ada")
        try:
            await generation.append(4)
            assert await watcher.until(4) == [1, 2, 3, 4]
            redis_server.stop()
            await generation.append(4)  # announced into the void
            redis_server.start()
            await _until_the_doorbell_works(pubsub, hub)
            await generation.run()
            assert await watcher.until(UPDATES_PER_GENERATION) == EVERY_SEQ
        finally:
            redis_server.start()


async def _until_the_doorbell_works(pubsub: PubSub, hub: LiveHub) -> None:
    heard = hub.heard
    async with asyncio.timeout(15.0):
        while hub.heard == heard:
            probe = {"generation_id": "probe", "seq": 1, "type": "probe", "user_id": "nobody"}
            with contextlib.suppress(PubSubUnavailable):  # Redis still starting
                await pubsub.publish(CHANNEL, probe)
            await asyncio.sleep(0.05)


@pytest.mark.slow
@pytest.mark.redis
async def test_clients_end_with_the_full_sequence_across_a_redis_restart(
    aiohttp_client: MakeClient,
    tmp_path: Path,
    db_name: str,
    mongo_url: str,
    mongo: Any,
    redis_server: RedisServer,
) -> None:
    settings = live_settings(tmp_path, db_name, REDIS_URL=redis_server.url)
    client = await aiohttp_client(create_app(settings, mongo_url=mongo_url))
    body = await register(client)
    ada = LiveUser(client, body["user"]["id"], body["access_token"], "ada@example.com")
    on_channel = await ada.socket()
    await send(on_channel, type="subscribe", channel="user")
    await receive(on_channel)
    generation = ada.generation()
    await generation.append(1)
    by_id = await ada.socket()
    await send(by_id, type="subscribe", generation_id=generation.generation_id)
    await receive(by_id)
    try:
        await generation.append(3)
        redis_server.stop()
        await generation.append(4)  # while Redis is down
        redis_server.start()
        await generation.run()
        ended_during_outage = ada.generation()
        redis_server.stop()
        await ended_during_outage.run()  # a whole generation nobody rang for
    finally:
        redis_server.start()

    assert seqs(await updates_until_done(by_id)) == EVERY_SEQ
    heard = await updates_until_done(on_channel, generations=2)
    assert seqs(heard, generation.generation_id) == EVERY_SEQ
    assert seqs(heard, ended_during_outage.generation_id) == EVERY_SEQ
    for ws in (on_channel, by_id):
        await ws.close()
