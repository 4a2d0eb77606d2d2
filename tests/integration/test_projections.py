"""Projections over a real MongoDB-wire server: exactly-once, restartable, verifiable."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import AsyncIterator, Iterable
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.adapters.eventstore.mongo import MongoEventStore
from jobwise.domain.events import EventMetadata, NewEvent, RecordedEvent
from jobwise.projections import Projection, ProjectionRunner, Projector, ViewBatch
from jobwise.projections.maintenance import rebuild, verify
from jobwise.projections.streams import STREAMS, StreamsProjection

Mongo = tuple[AsyncMongoClient[Any], AsyncDatabase[Any]]


class TallyProjection(Projection):
    """Counts every event per stream: applying one twice, or skipping one, shows at once."""

    name = "tally"
    version = 1
    collections = {"tallies": []}

    def keys(self, event: RecordedEvent) -> Iterable[tuple[str, str]]:
        return [("tallies", event.stream_id)]

    async def apply(self, event: RecordedEvent, views: ViewBatch) -> None:
        tally = await views.get("tallies", event.stream_id) or {"_id": event.stream_id, "n": 0}
        tally["n"] += 1
        tally["positions"] = [*tally.get("positions", []), event.position]
        views.put("tallies", tally)
        if event.position % 7 == 0:
            await asyncio.sleep(0)  # a place for a kill to land mid-batch


class StallingTally(TallyProjection):
    """The tally, stuck at one event until cancelled: an interruption at a known point."""

    def __init__(self, at: int, stalled: asyncio.Event) -> None:
        self.at = at
        self.stalled = stalled

    async def apply(self, event: RecordedEvent, views: ViewBatch) -> None:
        if event.position == self.at:
            self.stalled.set()
            await asyncio.Event().wait()
        await super().apply(event, views)


@pytest.fixture
async def store(mongo: Mongo) -> AsyncIterator[MongoEventStore]:
    opened = await MongoEventStore.open(*mongo)
    yield opened
    await opened.close()


async def write_events(store: MongoEventStore, count: int, streams: int = 10) -> None:
    for n in range(count):
        stream = f"s-{n % streams}"
        version = n // streams
        meta = EventMetadata(user_id=f"u-{n % streams % 3}")
        await store.append(
            stream,
            [NewEvent(type="Ticked", data={"n": n})],
            version,
            stream_type="ticker",
            metadata=meta,
        )


async def tallies(database: AsyncDatabase[Any], collection: str = "tallies") -> dict[str, int]:
    return {d["_id"]: d["n"] async for d in database[collection].find({})}


async def test_streams_projection_records_each_streams_owner_once(
    store: MongoEventStore, mongo: Mongo
) -> None:
    client, database = mongo
    projector = Projector([ProjectionRunner(StreamsProjection(), store, client, database)])
    await projector.start()
    try:
        await write_events(store, 12, streams=4)
        assert await projector.wait_for(await store.head_position(), 10)
    finally:
        await projector.stop()

    summary = await database[STREAMS].find_one({"_id": "s-1"})
    assert summary is not None
    assert summary["user_id"] == "u-1"
    assert summary["first_position"] == 2
    assert await database[STREAMS].count_documents({}) == 4


class BusyCount(Projection):
    """A millisecond of work per event on the event loop, and nothing that awaits."""

    name = "busy"
    version = 1
    collections = {"busy": []}

    def __init__(self) -> None:
        self.applied = 0

    def keys(self, event: RecordedEvent) -> Iterable[tuple[str, str]]:
        return []

    async def apply(self, event: RecordedEvent, views: ViewBatch) -> None:
        busy_until = time.perf_counter() + 0.001
        while time.perf_counter() < busy_until:
            pass
        self.applied += 1
        views.put("busy", {"_id": "all", "n": self.applied})


async def test_a_long_batch_lets_the_event_loop_run_others_meanwhile(
    store: MongoEventStore, mongo: Mongo
) -> None:
    # 140 events at 1 ms each are one batch: the process's other tasks (requests, live
    # updates) must get turns while it is applied, not wait for all of it.
    await write_events(store, 140)
    projection = BusyCount()
    runner = ProjectionRunner(projection, store, *mongo)
    await runner.prepare()
    seen: set[int] = set()

    async def watch() -> None:
        while True:
            seen.add(projection.applied)
            await asyncio.sleep(0)

    watcher = asyncio.create_task(watch())
    await runner.run_until(await store.head_position())
    watcher.cancel()

    assert len({n for n in seen if 0 < n < 140}) >= 10  # turns taken mid-batch
    stored = await mongo[1]["busy"].find_one({"_id": "all"})
    assert stored is not None and stored["n"] == 140


async def test_wait_for_gives_up_after_its_timeout(store: MongoEventStore, mongo: Mongo) -> None:
    runner = ProjectionRunner(TallyProjection(), store, *mongo)
    await runner.prepare()
    assert not await runner.wait_for(5, 0.05)


async def test_a_projection_killed_mid_run_and_restarted_equals_a_full_rebuild(
    store: MongoEventStore, mongo: Mongo
) -> None:
    client, database = mongo
    await write_events(store, 400)
    chance = random.Random(7)
    head = await store.head_position()

    # Kill the runner at random moments, then start a fresh one, until it is done.
    kills = 0
    for _ in range(30):
        runner = ProjectionRunner(TallyProjection(), store, client, database, batch_size=25)
        await runner.prepare()
        if runner.position >= head:
            break
        task = asyncio.create_task(runner.run_until(head))
        await asyncio.sleep(chance.uniform(0.0, 0.02))
        if task.cancel():
            kills += 1
        with contextlib.suppress(asyncio.CancelledError):
            await task
    else:
        runner = ProjectionRunner(TallyProjection(), store, client, database, batch_size=25)
        await runner.prepare()
        await runner.run_until(head)

    assert kills >= 3, "the runner was never killed mid-run: the test proves nothing"
    counted = await tallies(database)
    assert sum(counted.values()) == 400
    assert set(counted.values()) == {40}
    assert await verify([TallyProjection()], store, client, database) == []


async def test_two_processes_running_one_projection_apply_each_event_once(
    store: MongoEventStore, mongo: Mongo, mongo_url: str, db_name: str
) -> None:
    client, database = mongo
    other_client = AsyncMongoClient(mongo_url, tz_aware=True)
    try:
        await write_events(store, 300)
        head = await store.head_position()
        runners = [
            ProjectionRunner(TallyProjection(), store, client, database, batch_size=20),
            ProjectionRunner(
                TallyProjection(), store, other_client, other_client[db_name], batch_size=20
            ),
        ]
        for runner in runners:
            await runner.prepare()
        async with asyncio.timeout(60):
            await asyncio.gather(*(r.run_until(head) for r in runners))
    finally:
        await other_client.close()

    assert sum((await tallies(database)).values()) == 300


async def test_a_new_projection_version_rebuilds_from_scratch(
    store: MongoEventStore, mongo: Mongo
) -> None:
    client, database = mongo
    await write_events(store, 20)
    first = ProjectionRunner(TallyProjection(), store, client, database)
    await first.prepare()
    await first.run_until(20)
    await database["tallies"].update_many({}, {"$set": {"n": -1}})  # what the old code left

    class TallyV2(TallyProjection):
        version = 2

    second = ProjectionRunner(TallyV2(), store, client, database)
    await second.prepare()
    assert second.position == 0
    await second.run_until(20)
    assert set((await tallies(database)).values()) == {2}


async def test_rebuild_can_be_interrupted_and_run_again(
    store: MongoEventStore, mongo: Mongo
) -> None:
    client, database = mongo
    await write_events(store, 200)
    stalled = asyncio.Event()
    interrupted = asyncio.create_task(
        rebuild(StallingTally(at=150, stalled=stalled), store, client, database)
    )
    await stalled.wait()  # mid-replay for sure, however fast the replay is
    interrupted.cancel()
    with pytest.raises(asyncio.CancelledError):
        await interrupted

    reached = await rebuild(TallyProjection(), store, client, database)

    assert reached == 200
    assert sum((await tallies(database)).values()) == 200
    assert await verify([TallyProjection()], store, client, database) == []


async def test_verify_reports_a_view_that_drifted(store: MongoEventStore, mongo: Mongo) -> None:
    client, database = mongo
    await write_events(store, 30)
    await rebuild(StreamsProjection(), store, client, database)
    await database[STREAMS].update_one({"_id": "s-3"}, {"$set": {"user_id": "mallory"}})
    await database[STREAMS].delete_one({"_id": "s-4"})

    differences = await verify([StreamsProjection()], store, client, database)

    described = sorted(d.describe() for d in differences)
    assert len(described) == 2
    assert "user_id: live='mallory' rebuilt='u-0'" in described[0]
    assert "missing from the live view" in described[1]
    assert "verify__streams" not in await database.list_collection_names()


class BrokenProjection(Projection):
    name = "broken"
    version = 1
    collections = {"broken": []}

    async def apply(self, event: RecordedEvent, views: ViewBatch) -> None:
        raise RuntimeError("a bug in a handler")


async def test_a_failing_projection_is_reported_and_keeps_its_checkpoint(
    store: MongoEventStore, mongo: Mongo
) -> None:
    client, database = mongo
    await write_events(store, 3)
    runner = ProjectionRunner(BrokenProjection(), store, client, database)
    projector = Projector([runner])
    await projector.start()
    try:
        async with asyncio.timeout(10):
            while runner.failure is None:  # noqa: ASYNC110 - a plain attribute, no event to await
                await asyncio.sleep(0.01)
        assert "failing: a bug in a handler" in projector.problems()["broken"]
        assert runner.position == 0
        assert not await projector.wait_for(3, 0.05)
    finally:
        await projector.stop()
