"""Reading documents: one by id, for its owner."""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from projections.documents import DOCUMENTS

Document = dict[str, Any]


async def get_document(
    database: AsyncDatabase[Any], user_id: str, document_id: str
) -> Document | None:
    """The caller's document, or None (another user's is as good as missing)."""
    document = await database[DOCUMENTS].find_one({"_id": document_id})
    return document if document is not None and document["user_id"] == user_id else None
