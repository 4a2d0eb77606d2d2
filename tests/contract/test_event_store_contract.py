"""The event store contract, run against every store: in-memory and MongoDB, each also
through the sealing store (every event sealed under a user's key, and opened again)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

import pytest
from pymongo import AsyncMongoClient, monitoring

from jobwise.adapters.eventstore import (
    AppendResult,
    ConcurrencyError,
    EventStore,
    PartialIdempotentAppend,
    UnstorableEvent,
)
from jobwise.adapters.eventstore.memory import InMemoryEventStore
from jobwise.adapters.eventstore.mongo import MongoEventStore
from jobwise.adapters.eventstore.sealing import SealingEventStore
from jobwise.adapters.keys import KEYS_COLLECTION, Keyring, MongoKeyStorage, memory_keyring
from jobwise.adapters.mongo import connect
from jobwise.domain.events import EventMetadata, NewEvent, RecordedEvent
from jobwise.metrics import REGISTRY

StoreFactory = Callable[[], Awaitable[EventStore]]
APPENDS = "jobwise_event_store_append_duration_seconds_count"
CONFLICTS = "jobwise_event_store_append_conflicts_total"


class SealingForOneUser(SealingEventStore):
    """The sealing store, with every append caused by one user (so every event is sealed
    and opened again): the same contract must hold through it."""

    async def append(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        expected_version: int,
        *,
        stream_type: str,
        metadata: EventMetadata | None = None,
    ) -> AppendResult:
        caused = metadata or EventMetadata(user_id="the-user")
        return await super().append(
            stream_id, events, expected_version, stream_type=stream_type, metadata=caused
        )


@pytest.fixture(params=["memory", "mongo", "sealed memory", "sealed mongo"])
async def open_store(
    request: pytest.FixtureRequest, mongo_url: str, db_name: str
) -> AsyncIterator[StoreFactory]:
    """Opens stores on one shared log; with MongoDB, each as a separate client, like a process.
    The sealed ones share one keyring (the keys collection, with MongoDB)."""
    opened: list[EventStore] = []
    clients: list[Any] = []
    shared_memory = InMemoryEventStore()
    shared_keys = memory_keyring()

    async def factory() -> EventStore:
        if request.param == "memory":
            return shared_memory
        if request.param == "sealed memory":
            return SealingForOneUser(shared_memory, shared_keys)
        client, database = connect(mongo_url, db_name)
        clients.append(client)
        store: EventStore = await MongoEventStore.open(client, database)
        opened.append(store)
        if request.param == "sealed mongo":
            store = SealingForOneUser(store, Keyring(MongoKeyStorage(database[KEYS_COLLECTION])))
        return store

    yield factory
    for store in opened:
        await store.close()
    for index, client in enumerate(clients):
        if index == 0:
            await client.drop_database(db_name)
        await client.close()


def event(kind: str = "Happened", **data: Any) -> NewEvent:
    return NewEvent(type=kind, data=data)


async def test_append_then_read_back_in_order(open_store: StoreFactory) -> None:
    store = await open_store()
    result = await store.append("s-1", [event(n=1), event(n=2)], 0, stream_type="thing")
    await store.append("s-2", [event(n=3)], 0, stream_type="thing")

    assert (result.version, result.first_position, result.last_position) == (2, 1, 2)
    stream = await store.read_stream("s-1")
    assert [(e.version, e.data["n"]) for e in stream] == [(1, 1), (2, 2)]
    everything = await store.read_all(0)
    assert [e.position for e in everything] == [1, 2, 3]
    assert [e.stream_id for e in everything] == ["s-1", "s-1", "s-2"]
    assert await store.head_position() == 3


async def test_events_keep_type_data_metadata_and_time(open_store: StoreFactory) -> None:
    store = await open_store()
    meta = EventMetadata(user_id="u-1", correlation_id="c-1", request_id="r-1")
    await store.append("s-1", [event("Created", name="x")], 0, stream_type="thing", metadata=meta)

    (recorded,) = await store.read_stream("s-1")
    assert recorded.type == "Created"
    assert recorded.data == {"name": "x"}
    assert recorded.stream_type == "thing"
    assert recorded.metadata.user_id == "u-1"
    assert recorded.metadata.correlation_id == "c-1"
    assert recorded.metadata.request_id == "r-1"
    assert recorded.recorded_at.tzinfo is not None


async def test_read_stream_between_versions(open_store: StoreFactory) -> None:
    store = await open_store()
    await store.append("s-1", [event(n=i) for i in range(1, 6)], 0, stream_type="thing")

    assert [e.version for e in await store.read_stream("s-1", after_version=2)] == [3, 4, 5]
    assert [e.version for e in await store.read_stream("s-1", 1, to_version=3)] == [2, 3]
    assert await store.read_stream("unknown") == []


async def test_read_all_pages_by_position(open_store: StoreFactory) -> None:
    store = await open_store()
    for n in range(7):
        await store.append(f"s-{n}", [event(n=n)], 0, stream_type="thing")

    assert [e.position for e in await store.read_all(2, limit=3)] == [3, 4, 5]
    assert [e.position for e in await store.read_all(5, limit=10)] == [6, 7]
    assert await store.read_all(7) == []


async def test_a_duplicate_version_raises_a_conflict(open_store: StoreFactory) -> None:
    store = await open_store()
    await store.append("s-1", [event()], 0, stream_type="thing")

    with pytest.raises(ConcurrencyError) as raised:
        await store.append("s-1", [event()], 0, stream_type="thing")
    assert raised.value.code == "version_conflict"
    assert len(await store.read_stream("s-1")) == 1


async def test_appends_are_timed_and_conflicts_counted(
    open_store: StoreFactory, request: pytest.FixtureRequest
) -> None:
    store = await open_store()
    label = {"store": request.node.callspec.params["open_store"].removeprefix("sealed ")}

    def now(name: str) -> float:
        return REGISTRY.get_sample_value(name, label) or 0.0

    timed, conflicts = now(APPENDS), now(CONFLICTS)
    await store.append("s-1", [event()], 0, stream_type="thing")
    with pytest.raises(ConcurrencyError):
        await store.append("s-1", [event()], 0, stream_type="thing")

    assert (now(APPENDS) - timed, now(CONFLICTS) - conflicts) == (2, 1)


async def test_an_expected_version_ahead_of_the_stream_raises(open_store: StoreFactory) -> None:
    store = await open_store()
    await store.append("s-1", [event()], 0, stream_type="thing")

    with pytest.raises(ConcurrencyError):
        await store.append("s-1", [event()], 5, stream_type="thing")
    with pytest.raises(ConcurrencyError):
        await store.append("never-written", [event()], 1, stream_type="thing")
    assert await store.head_position() == 1


async def test_an_idempotent_re_append_writes_nothing(open_store: StoreFactory) -> None:
    store = await open_store()
    events = [event(n=1), event(n=2)]
    first = await store.append("s-1", events, 0, stream_type="thing")
    await store.append("s-2", [event()], 0, stream_type="thing")

    again = await store.append("s-1", events, 0, stream_type="thing")

    assert again.replayed
    assert (again.first_position, again.last_position, again.version) == (
        first.first_position,
        first.last_position,
        first.version,
    )
    assert await store.head_position() == 3
    assert len(await store.read_stream("s-1")) == 2


async def test_a_single_event_retry_is_idempotent_too(open_store: StoreFactory) -> None:
    store = await open_store()
    once = event(n=1)
    await store.append("s-1", [once], 0, stream_type="thing")
    again = await store.append("s-1", [once], 0, stream_type="thing")
    assert again.replayed and again.last_position == 1
    assert await store.head_position() == 1


async def test_a_partial_overlap_is_an_error_and_writes_nothing(open_store: StoreFactory) -> None:
    store = await open_store()
    stored = event(n=1)
    await store.append("s-1", [stored], 0, stream_type="thing")

    with pytest.raises(PartialIdempotentAppend):
        await store.append("s-1", [stored, event(n=2)], 1, stream_type="thing")
    assert await store.head_position() == 1
    assert len(await store.read_stream("s-1")) == 1


async def test_several_events_in_one_append_are_atomic(open_store: StoreFactory) -> None:
    store = await open_store()
    taken = event(n=0)
    await store.append("other", [taken], 0, stream_type="thing")

    # The third event reuses a stored id: the append must leave no trace at all.
    with pytest.raises((PartialIdempotentAppend, ValueError)):
        await store.append("s-1", [event(n=1), event(n=2), taken], 0, stream_type="thing")

    assert await store.read_stream("s-1") == []
    assert await store.head_position() == 1
    written = await store.append("s-1", [event(n=1), event(n=2)], 0, stream_type="thing")
    assert (written.first_position, written.last_position) == (2, 3)


async def test_concurrent_appends_at_one_version_have_one_winner(
    open_store: StoreFactory,
) -> None:
    stores = [await open_store() for _ in range(4)]
    await stores[0].append("s-1", [event()], 0, stream_type="thing")

    outcomes = await asyncio.gather(
        *(s.append("s-1", [event(by=i)], 1, stream_type="thing") for i, s in enumerate(stores)),
        return_exceptions=True,
    )

    assert sum(not isinstance(o, BaseException) for o in outcomes) == 1
    assert all(isinstance(o, ConcurrencyError) for o in outcomes if isinstance(o, BaseException))
    assert [e.version for e in await stores[0].read_stream("s-1")] == [1, 2]


async def test_subscribe_catches_up_then_follows(open_store: StoreFactory) -> None:
    store = await open_store()
    await store.append("s-1", [event(n=1), event(n=2)], 0, stream_type="thing")
    seen: list[int] = []

    async def follow() -> None:
        async for recorded in store.subscribe(after_position=1):
            seen.append(recorded.position)
            if recorded.position == 4:
                return

    follower = asyncio.create_task(follow())
    await asyncio.sleep(0.05)
    await store.append("s-2", [event(n=3)], 0, stream_type="thing")
    await store.append("s-2", [event(n=4)], 1, stream_type="thing")
    async with asyncio.timeout(10):
        await follower
    assert seen == [2, 3, 4]


WRITERS = 4
EVENTS_PER_WRITER = 200


@pytest.mark.slow
async def test_concurrent_writers_and_a_live_follower_see_every_event_once_in_order(
    open_store: StoreFactory,
) -> None:
    """4 writers on separate clients x 200 events, one follower reading all the while."""
    writers = [await open_store() for _ in range(WRITERS)]
    follower_store = await open_store()
    seen: list[RecordedEvent] = []
    progressed = asyncio.Event()

    async def follow() -> None:
        async for recorded in follower_store.subscribe(after_position=0, batch=50):
            seen.append(recorded)
            progressed.set()

    async def write(store: EventStore, writer: int) -> None:
        for n in range(EVENTS_PER_WRITER):
            # Mostly single-event appends, every fourth a two-event transaction; 5 streams each.
            stream = f"w{writer}-s{n % 5}"
            version = len(await store.read_stream(stream))
            batch = [event(w=writer, n=n)] if n % 4 else [event(w=writer, n=n), event(w=writer)]
            await store.append(stream, batch, version, stream_type="thing")

    follower = asyncio.create_task(follow())
    await asyncio.gather(*(write(store, i) for i, store in enumerate(writers)))
    expected = await writers[0].head_position()
    assert expected == WRITERS * EVENTS_PER_WRITER * 5 // 4
    async with asyncio.timeout(30):
        while len(seen) < expected:
            await progressed.wait()
            progressed.clear()
    await asyncio.sleep(0.1)  # anything extra (a repeat) would arrive now
    follower.cancel()

    positions = [e.position for e in seen]
    assert positions == list(range(1, expected + 1)), "skipped, repeated or out of order"
    assert len({e.event_id for e in seen}) == expected
    for writer in range(WRITERS):
        for stream in range(5):
            versions = [e.version for e in seen if e.stream_id == f"w{writer}-s{stream}"]
            assert versions == list(range(1, len(versions) + 1))


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"custom": {"bad\x00key": 1}}, "/custom/bad\\u0000key"),
        ({"custom": [{"$where": "1"}]}, "/custom/0/$where"),
        ({"a.b": 1}, "/a.b"),
        ({"custom": {"n": [1, 2**63]}}, "/custom/n/1"),
        ({"custom": {"n": -(2**63) - 1}}, "/custom/n"),
        ({"score": float("inf")}, "/score"),
    ],
)
async def test_an_unstorable_event_is_refused_alone_and_stores_nothing(
    open_store: StoreFactory, data: dict[str, Any], path: str
) -> None:
    store = await open_store()
    bad = store.append("bad", [event(**data)], 0, stream_type="thing")
    goods = [store.append(f"good-{n}", [event(n=n)], 0, stream_type="thing") for n in range(5)]

    outcomes = await asyncio.gather(bad, *goods, return_exceptions=True)

    assert isinstance(outcomes[0], UnstorableEvent)
    assert outcomes[0].problem.path == path
    assert all(not isinstance(o, BaseException) for o in outcomes[1:]), outcomes
    assert await store.read_stream("bad") == []
    assert await store.head_position() == 5


async def test_nesting_beyond_the_limit_is_refused(open_store: StoreFactory) -> None:
    store = await open_store()
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(300):
        node["k"] = {}
        node = node["k"]
    with pytest.raises(UnstorableEvent, match="nested deeper"):
        await store.append("deep", [event(tree=deep)], 0, stream_type="thing")
    assert await store.head_position() == 0


async def test_an_append_the_database_refuses_fails_alone_in_its_batch(
    mongo_url: str, db_name: str
) -> None:
    """A document over the 16 MB BSON limit fails inside the write, not before it: the
    appends queued in the same batch must still be stored."""
    client, database = connect(mongo_url, db_name)
    store = await MongoEventStore.open(client, database)
    try:
        too_large = event(blob="x" * (17 * 1024 * 1024))
        appends = [
            store.append("before", [event(n=1)], 0, stream_type="thing"),
            store.append("huge", [too_large], 0, stream_type="thing"),
            store.append("after-1", [event(n=2)], 0, stream_type="thing"),
            store.append("after-2", [event(n=3), event(n=4)], 0, stream_type="thing"),
        ]
        outcomes = await asyncio.gather(*appends, return_exceptions=True)

        assert isinstance(outcomes[1], Exception), outcomes[1]
        assert [o for i, o in enumerate(outcomes) if i != 1 and isinstance(o, Exception)] == []
        stored = await store.read_all(0)
        assert sorted(e.stream_id for e in stored) == ["after-1", "after-2", "after-2", "before"]
        assert [e.position for e in stored] == [1, 2, 3, 4]
    finally:
        await store.close()
        await client.drop_database(db_name)
        await client.close()


class _RangeReads(monitoring.CommandListener):
    """Counts the log's range reads (``read_all``'s query) a client sends."""

    def __init__(self) -> None:
        self.count = 0

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        command = event.command
        if event.command_name == "find" and command.get("find") == "events":
            position = command.get("filter", {}).get("position")
            self.count += isinstance(position, dict) and "$gt" in position

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


async def test_followers_asking_at_once_for_another_process_events_share_one_read(
    mongo_url: str, db_name: str
) -> None:
    # Another process's append wakes every follower of this one together (each
    # projection, the live hub): the events are read from the database once.
    writer_client, writer_database = connect(mongo_url, db_name)
    writer = await MongoEventStore.open(writer_client, writer_database)
    reads = _RangeReads()
    client: AsyncMongoClient[Any] = AsyncMongoClient(
        mongo_url, tz_aware=True, event_listeners=[reads]
    )
    try:
        for n in range(20):
            await writer.append(f"s-{n}", [event(n=n)], 0, stream_type="thing")
        reader = await MongoEventStore.open(client, client[db_name], follow_changes=False)
        try:
            before = reads.count
            pages = await asyncio.gather(*(reader.read_all(0, 500) for _ in range(8)))
            assert reads.count - before == 1
            for page in pages:
                assert [e.position for e in page] == list(range(1, 21))
                assert [e.data["n"] for e in page] == list(range(20))
        finally:
            await reader.close()
    finally:
        await writer.close()
        await writer_client.drop_database(db_name)
        await writer_client.close()
        await client.close()


async def _scan_store(store: EventStore) -> tuple[int, object]:
    from jobwise.adapters.eventstore.chain_scan import scan

    scanner, broken = await scan(store.stored_events(0, batch=3))  # type: ignore[attr-defined]
    return scanner.count, broken


async def test_events_are_hash_chained_globally_and_per_stream(open_store: StoreFactory) -> None:
    store = await open_store()
    await store.append("s-1", [event(n=1), event(n=2)], 0, stream_type="thing")
    await store.append("s-2", [event(n=3)], 0, stream_type="thing")
    await store.append("s-1", [event(n=4)], 2, stream_type="thing")

    first, second, third, fourth = await store.read_all(0)
    assert first.prev_hash is None and first.stream_prev_hash is None
    assert second.prev_hash == first.hash and second.stream_prev_hash == first.hash
    assert third.prev_hash == second.hash and third.stream_prev_hash is None
    assert fourth.prev_hash == third.hash and fourth.stream_prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash, fourth.hash}) == 4
    assert await _scan_store(store) == (4, None)


async def test_concurrent_writers_keep_one_unbroken_chain(open_store: StoreFactory) -> None:
    writers = [await open_store() for _ in range(3)]

    async def write(store: EventStore, name: str) -> None:
        for n in range(8):
            await store.append(f"{name}-{n % 3}", [event(n=n)], n // 3, stream_type="thing")

    await asyncio.gather(*(write(s, f"w{i}") for i, s in enumerate(writers)))

    assert await _scan_store(writers[0]) == (24, None)


async def test_a_store_imports_another_s_log_exactly_and_resumes(
    open_store: StoreFactory,
) -> None:
    from jobwise.adapters.eventstore.base import ImportConflict

    source = InMemoryEventStore()
    await source.append("s-1", [event(n=1), event(n=2)], 0, stream_type="thing")
    await source.append("s-2", [event(n=3)], 0, stream_type="thing")
    log = [e async for e in source.stored_events(0)]
    target = await open_store()

    assert await target.import_recorded(log[:2]) == 2  # type: ignore[attr-defined]
    assert await target.import_recorded(log) == 1  # type: ignore[attr-defined]
    assert [e async for e in target.stored_events(0)] == log  # type: ignore[attr-defined]
    assert await target.head_position() == 3
    altered = log[2].model_copy(update={"data": {"n": 99}})
    with pytest.raises(ImportConflict):
        await target.import_recorded([altered])  # type: ignore[attr-defined]
    await target.append("s-2", [event(n=4)], 1, stream_type="thing")
    assert await _scan_store(target) == (4, None)
