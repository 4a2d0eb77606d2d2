"""Reading the application board: entries, one page at a time, and counts per status.

An entry is read with ``document_ids``: the caller's documents made for its job.
"""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from jobwise.application.queries.documents import document_ids_by_job
from jobwise.application.queries.pages import newest_first
from jobwise.domain.saved_job import SAVED_JOB_STATUSES
from jobwise.projections.saved_jobs import SAVED_JOBS

Document = dict[str, Any]


async def get_saved_job(
    database: AsyncDatabase[Any], user_id: str, entry_id: str
) -> Document | None:
    document = await database[SAVED_JOBS].find_one({"_id": entry_id})
    return document if document is not None and document["user_id"] == user_id else None


async def list_saved_jobs(
    database: AsyncDatabase[Any], user_id: str, status: str | None, limit: int, offset: int
) -> tuple[list[Document], int]:
    """The caller's entries, most recently changed first."""
    query: Document = {"user_id": user_id}
    if status is not None:
        query["status"] = status
    return await newest_first(
        database[SAVED_JOBS], query, by="updated_at", limit=limit, offset=offset
    )


async def saved_job_with_documents(
    database: AsyncDatabase[Any], user_id: str, entry_id: str
) -> Document | None:
    document = await get_saved_job(database, user_id, entry_id)
    if document is None:
        return None
    made = await document_ids_by_job(database, user_id, [document["job_id"]])
    return {**document, "document_ids": made[document["job_id"]]}


async def board_page(
    database: AsyncDatabase[Any], user_id: str, status: str | None, limit: int, offset: int
) -> tuple[list[Document], int]:
    """``list_saved_jobs``, each entry with its job's documents."""
    documents, total = await list_saved_jobs(database, user_id, status, limit, offset)
    made = await document_ids_by_job(database, user_id, (d["job_id"] for d in documents))
    return [{**d, "document_ids": made[d["job_id"]]} for d in documents], total


async def board_counts(database: AsyncDatabase[Any], user_id: str) -> dict[str, int]:
    """How many entries sit in each status column (every status present, zeros too)."""
    counts: dict[str, int] = dict.fromkeys(SAVED_JOB_STATUSES, 0)
    async for entry in database[SAVED_JOBS].find({"user_id": user_id}, {"status": 1}):
        counts[entry["status"]] += 1
    return counts
