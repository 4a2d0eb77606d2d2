"""Reading generations: one by id, the caller's list, and the unfinished ones (for workers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.application.queries.pages import mine_where, newest_first
from jobwise.domain.generation import RUNNING
from jobwise.projections.generations import GENERATIONS

Document = dict[str, Any]


@dataclass(frozen=True)
class GenerationFilter:
    job_id: str | None = None
    status: str | None = None
    document_type: str | None = None


async def get_generation(
    database: AsyncDatabase[Any], user_id: str, generation_id: str
) -> Document | None:
    """The caller's generation, or None (another user's is as good as missing)."""
    document = await database[GENERATIONS].find_one({"_id": generation_id})
    return document if document is not None and document["user_id"] == user_id else None


async def list_generations(
    database: AsyncDatabase[Any],
    user_id: str,
    filters: GenerationFilter,
    limit: int,
    offset: int,
) -> tuple[list[Document], int]:
    """The caller's generations, newest first."""
    return await newest_first(
        database[GENERATIONS],
        mine_where(user_id, filters),
        by="created_at",
        limit=limit,
        offset=offset,
    )


async def unfinished_generations(database: AsyncDatabase[Any], limit: int) -> list[str]:
    """Ids of generations the read model shows pending or generating, oldest first.

    A hint for the workers' sweep: the read model may trail the store, so a worker that
    claims one of these still checks the generation's own stream before running it.
    """
    cursor = (
        database[GENERATIONS]
        .find({"status": {"$in": list(RUNNING)}}, {"_id": 1})
        .sort("created_at", ASCENDING)
        .limit(limit)
    )
    return [str(document["_id"]) async for document in cursor]
