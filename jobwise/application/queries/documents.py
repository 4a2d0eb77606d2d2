"""Reading documents: a page of mine, one by id, one version of one, and the ones of a job.

``document_of`` is how the API finds one: it waits, within a bound, for a document the
documents view does not show yet but the log has; ``document_at`` is it at a version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.application.queries.history import last_position
from jobwise.application.queries.pages import mine_where, newest_first
from jobwise.application.queries.read_models import ReadModels
from jobwise.domain.document import version_not_found
from jobwise.projections.documents import CONTENT, DOCUMENTS, VERSIONS, version_id

Document = dict[str, Any]
SUMMARY_LEAVES_OUT = {name: 0 for name in CONTENT if name != "title"} | {
    "ats_score_details": 0,
    "parameters": 0,
}
"""A list shows what a document is, not its content (``GET /documents/{id}`` has it)."""


@dataclass(frozen=True)
class DocumentFilter:
    job_id: str | None = None
    profile_id: str | None = None
    document_type: str | None = None


async def get_document(
    database: AsyncDatabase[Any], user_id: str, document_id: str
) -> Document | None:
    """The caller's document, or None (another user's is as good as missing)."""
    document = await database[DOCUMENTS].find_one({"_id": document_id})
    return document if document is not None and document["user_id"] == user_id else None


async def get_document_version(
    database: AsyncDatabase[Any], user_id: str, document_id: str, version_number: int
) -> Document | None:
    """One version's content (title and the three contents), or None."""
    found = await database[VERSIONS].find_one({"_id": version_id(document_id, version_number)})
    return found if found is not None and found["user_id"] == user_id else None


async def document_of(read_models: ReadModels, user_id: str, document_id: str) -> Document | None:
    """The caller's document, or None.

    A generation's document is written just before the generation ends, and the
    documents view may trail the generations view (or the live update) a moment: on a
    miss, once the view includes everything stored of the document, a miss is a miss.
    """
    database = read_models.database
    document = await get_document(database, user_id, document_id)
    if document is None and (position := await last_position(database, document_id)):
        await read_models.caught_up(position)
        document = await get_document(database, user_id, document_id)
    return document


async def document_at(read_models: ReadModels, document: Document, number: int | None) -> Document:
    """The caller's ``document`` as it was at ``version_number`` ``number`` (None: the
    current one): its content then, and which versions there are."""
    content = await _content(read_models.database, document, number)
    return {
        **document,
        "title": content["title"],
        "content_markdown": content["content_markdown"],
        "content_html": content["content_html"],
        "content_text": content["content_text"],
        "version_number": content["version_number"],
        "current_version_number": document["version_number"],
        "versions": list(range(1, document["version_number"] + 1)),
    }


async def _content(
    database: AsyncDatabase[Any], document: Document, number: int | None
) -> Document:
    if number is None or number == document["version_number"]:
        return document
    found = None
    if number < document["version_number"]:
        found = await get_document_version(database, document["user_id"], document["id"], number)
    if found is None:
        raise version_not_found(document["id"], number, document["version_number"])
    return found


async def list_documents(
    database: AsyncDatabase[Any], user_id: str, chosen: DocumentFilter, limit: int, offset: int
) -> tuple[list[Document], int]:
    """The caller's documents, newest first, without their content."""
    return await newest_first(
        database[DOCUMENTS],
        mine_where(user_id, chosen),
        by="created_at",
        limit=limit,
        offset=offset,
        leave_out=SUMMARY_LEAVES_OUT,
    )


async def document_ids_by_job(
    database: AsyncDatabase[Any], user_id: str, job_ids: Iterable[str]
) -> dict[str, list[str]]:
    """The caller's documents made for each job, oldest first (every job named has a list)."""
    wanted = sorted(set(job_ids))
    found: dict[str, list[str]] = {job_id: [] for job_id in wanted}
    if not wanted:
        return found
    cursor = (
        database[DOCUMENTS]
        .find({"user_id": user_id, "job_id": {"$in": wanted}}, {"job_id": 1})
        .sort([("created_at", ASCENDING), ("_id", ASCENDING)])
    )
    async for document in cursor:
        found[document["job_id"]].append(str(document["_id"]))
    return found
