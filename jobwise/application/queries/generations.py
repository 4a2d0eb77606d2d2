"""Reading generations: one by id, as requested, its document, the caller's list, and the
unfinished ones (for workers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.adapters.eventstore import EventStore
from jobwise.adapters.eventstore.sealing import EventOpener
from jobwise.application.queries.documents import document_of
from jobwise.application.queries.history import events_of_stream
from jobwise.application.queries.pages import mine_where, newest_first
from jobwise.application.queries.read_models import ReadModels
from jobwise.domain.events import DomainEvent
from jobwise.domain.generation import (
    RUNNING,
    WITH_DOCUMENT,
    GenerationRequested,
    no_result,
    not_ready,
)
from jobwise.domain.generation_updates import GENERATION_STREAM
from jobwise.projections.generations import GENERATIONS, requested_document

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


async def requested_generation(
    database: AsyncDatabase[Any], opener: EventOpener, generation_id: str
) -> Document:
    """The generation as it was requested (pending), whatever a worker has done since:
    built from its first event as the read model builds its first state."""
    (first,) = await events_of_stream(database, opener, generation_id, limit=1)
    requested = DomainEvent.from_recorded(first)
    assert isinstance(requested, GenerationRequested)
    return requested_document(requested, first)


async def generation_document(
    read_models: ReadModels, user_id: str, generation: Document
) -> Document:
    """The document of the caller's ``generation``; refused (409) until it has one."""
    status = generation["status"]
    if status in RUNNING:
        raise not_ready(generation["id"], status)
    if status not in WITH_DOCUMENT or generation["document_id"] is None:
        raise no_result(generation["id"], status)
    # Written before the generation ended; ``document_of`` waits for a documents view
    # that trails the generations view by a moment.
    document = await document_of(read_models, user_id, generation["document_id"])
    if document is None:
        raise no_result(generation["id"], status)
    return document


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


async def count_unfinished_generations(database: AsyncDatabase[Any]) -> int:
    """How many generations the read model shows pending or generating."""
    return await database[GENERATIONS].count_documents({"status": {"$in": list(RUNNING)}})


async def owns_generation(
    database: AsyncDatabase[Any], store: EventStore, user_id: str, generation_id: str
) -> bool:
    """Whose generation is it: the one check every live subscription makes.

    The ``generations`` read model may lag an append by a moment, so a generation it
    does not know yet is looked up in the store (its first event's owner), the truth,
    rather than refused. Another user's generation and an unknown id look alike to the
    caller: both are ``False``.
    """
    viewed = await database[GENERATIONS].find_one({"_id": generation_id}, {"user_id": 1})
    if viewed is not None:
        return bool(viewed.get("user_id") == user_id)
    first = await store.read_stream(generation_id, 0, 1)
    if not first:
        return False
    return bool(first[0].stream_type == GENERATION_STREAM and first[0].metadata.user_id == user_id)
