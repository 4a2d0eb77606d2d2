"""Removing an erased user's read models and files (``PersonalViews`` for the erasure).

Every view keyed by or carrying the user's id goes, in every projection's live
collections; so do the files of the user's documents. The views cannot come back: the
events that built them no longer open, and a rebuild skips them.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from jobwise.adapters.rendering.exporter import DocumentExporter
from jobwise.domain.erasure import erasure_stream
from jobwise.projections import all_projections
from jobwise.projections.documents import DOCUMENTS
from jobwise.projections.runner import CHECKPOINTS, IDLE_CHECKPOINT_SECONDS, ReadModelsLagging
from jobwise.projections.streams import STREAMS
from jobwise.projections.users import SESSIONS

SETTLE_SECONDS = 6 * IDLE_CHECKPOINT_SECONDS
"""How long the projections of every process get to store a checkpoint past the key's
destruction (an idle one stores its position within ``IDLE_CHECKPOINT_SECONDS``)."""
SETTLE_POLL_SECONDS = 0.2


class ReadModelViews:
    def __init__(self, database: AsyncDatabase[Any], exporter: DocumentExporter) -> None:
        self._database = database
        self._exporter = exporter

    async def session_ids(self, user_id: str) -> list[str]:
        found = self._database[SESSIONS].find({"user_id": user_id}, {"_id": 1})
        return [str(session["_id"]) async for session in found]

    async def remove(self, user_id: str) -> tuple[int, int]:
        files = 0
        documents = self._database[DOCUMENTS].find({"user_id": user_id}, {"_id": 1})
        async for document in documents:
            files += await self._exporter.delete_scope(str(document["_id"]))
        # The streams the user started name every view keyed by one of them (a job's
        # saved-job headline, its search entry): the index of what to remove, so it
        # goes last, and a resumed run still finds everything a crash left.
        owned = [
            summary["_id"]
            async for summary in self._database[STREAMS].find({"user_id": user_id}, {"_id": 1})
        ]
        mine = {
            "$or": [{"user_id": user_id}, {"_id": user_id}, {"_id": {"$in": owned}}],
            # The erasure's own stream stays listed: it holds no personal data, and a
            # rebuild lists it again (its events stay readable).
            "_id": {"$ne": erasure_stream(user_id)},
        }
        removed = 0
        for collection in _collections():
            removed += (await self._database[collection].delete_many(mine)).deleted_count
        return removed, files

    async def settled(self, position: int) -> None:
        names = [projection.name for projection in all_projections()]
        deadline = time.monotonic() + SETTLE_SECONDS
        while True:
            stored = self._database[CHECKPOINTS].find({"_id": {"$in": names}}, {"position": 1})
            behind = [c async for c in stored if int(c.get("position", 0)) < position]
            if not behind:
                return
            if time.monotonic() >= deadline:
                raise ReadModelsLagging(position)
            await asyncio.sleep(SETTLE_POLL_SECONDS)


def _collections() -> list[str]:
    names = [name for p in all_projections() for name in p.collections]
    return [*(name for name in names if name != STREAMS), STREAMS]
