"""The in-memory projection runner the unit tests use builds what MongoDB's runner builds.

One history (every command a read model follows) is copied, event for event, into the
MongoDB event store; then every projection is run over it twice, by ``ProjectionRunner``
into real collections and by ``MemoryRunner`` into memory, and each view is compared
document by document. Were they to differ, the unit tests of the read models would be
testing something other than what the app serves.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.adapters.eventstore.mongo import MongoEventStore
from jobwise.domain.events import NewEvent
from jobwise.projections import ProjectionRunner, all_projections
from tests.support.projections import MemoryRunner
from tests.unit.commands.conftest import Fast
from tests.unit.projections.scenario import everything

Mongo = tuple[AsyncMongoClient[Any], AsyncDatabase[Any]]


@pytest.fixture
async def store(mongo: Mongo) -> AsyncIterator[MongoEventStore]:
    opened = await MongoEventStore.open(*mongo)
    yield opened
    await opened.close()


async def test_the_memory_runner_builds_the_documents_mongodbs_runner_builds(
    store: MongoEventStore, mongo: Mongo
) -> None:
    fast = Fast()
    await everything(fast)
    for event in await fast.store.read_all(0, 10_000):
        copy = NewEvent(type=event.type, data=event.data, event_id=event.event_id)
        await store.append(
            event.stream_id,
            [copy],
            event.version - 1,
            stream_type=event.stream_type,
            metadata=event.metadata,
        )
    head = await store.head_position()

    for projection in all_projections():
        # Small batches on MongoDB: documents are read back from the database, not
        # only from the runner's cache of what it wrote.
        runner = ProjectionRunner(projection, store, *mongo, batch_size=7)
        await runner.prepare()
        await runner.run_until(head)
        memory = await MemoryRunner(type(projection)()).catch_up(store)
        for logical, physical in runner.physical.items():
            stored = {d["_id"]: d async for d in mongo[1][physical].find({})}
            assert stored, f"{projection.name}.{logical} is empty: the test proves nothing"
            assert memory.view(logical) == stored, f"{projection.name}.{logical} differs"
