"""Wiring: the one place that builds the real dependencies and hands them out.

``open_runtime`` opens everything a JobWise process needs (database, event
store, projections, pub/sub) and closes it in reverse order. The app factory
enters it in ``cleanup_ctx``; the CLI tools enter it directly.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from jobwise.adapters.mongo import connect
from jobwise.adapters.pubsub import PubSub, create_pubsub
from jobwise.errors import ServiceUnavailable
from jobwise.eventstore.mongo import MongoEventStore
from jobwise.projecting import Projection, ProjectionRunner, Projector
from jobwise.settings import Settings
from projections import all_projections

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    client: AsyncMongoClient[Any]
    database: AsyncDatabase[Any]
    store: MongoEventStore
    projector: Projector
    pubsub: PubSub
    projections: list[Projection]

    async def read_your_writes(self, position: int) -> None:
        """Return once every read model includes ``position``: a GET after a 201 sees it."""
        if await self.projector.wait_for(position, self.settings.read_your_writes_timeout):
            return
        raise ServiceUnavailable(
            "The change is stored, but the read models are still catching up; "
            "read again shortly (a retry with the same Idempotency-Key is safe).",
            code="read_model_lagging",
            details={"position": position},
        )

    async def readiness(self) -> dict[str, str]:
        """What is not ready, by part: database, pubsub, projections ("ok" when fine)."""
        checks = {"database": "ok", "pubsub": "ok", "projections": "ok"}
        try:
            await self.database.command("ping")
        except PyMongoError as error:
            checks["database"] = f"unreachable: {type(error).__name__}"
        try:
            await self.pubsub.ping()
        except Exception as error:
            checks["pubsub"] = f"unreachable: {type(error).__name__}"
        problems = self.projector.problems()
        if problems:
            checks["projections"] = "; ".join(f"{name} {why}" for name, why in problems.items())
        return checks


@contextlib.asynccontextmanager
async def open_runtime(
    settings: Settings, mongo_url: str, *, run_projections: bool = True
) -> AsyncIterator[Runtime]:
    client, database = connect(mongo_url, settings.mongodb_db)
    try:
        store = await MongoEventStore.open(client, database)
        projections = all_projections()
        projector = Projector([ProjectionRunner(p, store, client, database) for p in projections])
        pubsub = create_pubsub(settings.redis_url)
        try:
            if run_projections:
                await projector.start()
            yield Runtime(settings, client, database, store, projector, pubsub, projections)
        finally:
            await projector.stop()
            await pubsub.close()
            await store.close()
    finally:
        await client.close()
