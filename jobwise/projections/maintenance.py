"""Rebuild and verify: replaying history into read models on demand.

``rebuild`` resets one projection (views and checkpoint) and replays from 0.
It is safe to interrupt: the checkpoint always matches the views, so a
restarted runner resumes, and running ``rebuild`` again simply starts over.

``verify`` replays every projection into scratch collections (``verify__``
prefix) up to the live checkpoint and compares them document by document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.adapters.eventstore.base import EventStore
from jobwise.projections.projection import Projection
from jobwise.projections.runner import CHECKPOINTS, ProjectionRunner

SCRATCH_PREFIX = "verify__"
REPLAY_BATCH = 2_000
"""Events per transaction when replaying history: a document touched many times in a
batch is written once, and nobody waits on a replay's latency."""
_VERIFY_ATTEMPTS = 3


@dataclass(frozen=True)
class Difference:
    projection: str
    collection: str
    doc_id: Any
    live: dict[str, Any] | None
    rebuilt: dict[str, Any] | None

    def describe(self) -> str:
        if self.live is None:
            return f"{self.projection}.{self.collection} {self.doc_id}: missing from the live view"
        if self.rebuilt is None:
            return f"{self.projection}.{self.collection} {self.doc_id}: not produced by a rebuild"
        fields = sorted(
            k
            for k in self.live.keys() | self.rebuilt.keys()
            if self.live.get(k) != self.rebuilt.get(k)
        )
        changes = ", ".join(
            f"{k}: live={self.live.get(k)!r} rebuilt={self.rebuilt.get(k)!r}" for k in fields
        )
        return f"{self.projection}.{self.collection} {self.doc_id}: {changes}"


async def rebuild(
    projection: Projection,
    store: EventStore,
    client: AsyncMongoClient[Any],
    database: AsyncDatabase[Any],
) -> int:
    """Reset ``projection`` and replay the whole log; returns the position reached."""
    runner = ProjectionRunner(projection, store, client, database, batch_size=REPLAY_BATCH)
    await runner.reset()
    await runner.run_until(await store.head_position())
    return runner.position


async def verify(
    projections: Sequence[Projection],
    store: EventStore,
    client: AsyncMongoClient[Any],
    database: AsyncDatabase[Any],
) -> list[Difference]:
    differences: list[Difference] = []
    for projection in projections:
        differences.extend(await _verify_one(projection, store, client, database))
    return differences


async def _verify_one(
    projection: Projection,
    store: EventStore,
    client: AsyncMongoClient[Any],
    database: AsyncDatabase[Any],
) -> list[Difference]:
    scratch = ProjectionRunner(
        projection, store, client, database, prefix=SCRATCH_PREFIX, batch_size=REPLAY_BATCH
    )
    await scratch.reset()
    try:
        differences: list[Difference] = []
        # The live view may move while we compare; compare again at its new position.
        for _attempt in range(_VERIFY_ATTEMPTS):
            live_position = await _live_position(projection, database)
            await scratch.run_until(live_position)
            differences = await _compare(projection, scratch, database)
            if not differences or live_position == await _live_position(projection, database):
                return differences
        return differences
    finally:
        await scratch.reset()
        await database.drop_collection(SCRATCH_PREFIX + CHECKPOINTS)
        for physical in scratch.physical.values():
            await database.drop_collection(physical)


async def _live_position(projection: Projection, database: AsyncDatabase[Any]) -> int:
    checkpoint = await database[CHECKPOINTS].find_one({"_id": projection.name})
    return int(checkpoint["position"]) if checkpoint else 0


async def _compare(
    projection: Projection, scratch: ProjectionRunner, database: AsyncDatabase[Any]
) -> list[Difference]:
    differences: list[Difference] = []
    for logical in projection.collections:
        live = {d["_id"]: d async for d in database[logical].find({})}
        rebuilt = {d["_id"]: d async for d in database[scratch.physical[logical]].find({})}
        for doc_id in sorted(live.keys() | rebuilt.keys(), key=str):
            if live.get(doc_id) != rebuilt.get(doc_id):
                differences.append(
                    Difference(
                        projection.name, logical, doc_id, live.get(doc_id), rebuilt.get(doc_id)
                    )
                )
    return differences
