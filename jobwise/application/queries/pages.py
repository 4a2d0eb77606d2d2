"""One page of a user's read-model documents, newest first, and how many there are."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from pymongo import DESCENDING
from pymongo.asynchronous.collection import AsyncCollection

Document = dict[str, Any]


def mine_where(user_id: str, chosen: Any) -> Document:
    """The query for the user's documents whose fields equal the filter's set ones
    (``chosen`` is a dataclass of optional fields)."""
    return {"user_id": user_id} | {k: v for k, v in asdict(chosen).items() if v is not None}


async def newest_first(
    collection: AsyncCollection[Any],
    query: Document,
    *,
    by: str,
    limit: int,
    offset: int,
    leave_out: Document | None = None,
) -> tuple[list[Document], int]:
    """The page (by ``by``, then ``_id``, both descending: a stable order) and the total."""
    total = await collection.count_documents(query)
    cursor = collection.find(query, leave_out).sort([(by, DESCENDING), ("_id", DESCENDING)])
    return await cursor.skip(offset).limit(limit).to_list(None), total
