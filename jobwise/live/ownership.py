"""Whose generation is it: the one check every live subscription makes.

It reads the ``streams`` read model (who started each stream). That model may
lag an append by a moment, so a generation it does not know yet is looked up
in the store (its first event's owner), the truth, rather than refused.
Another user's generation and an unknown id look alike to the caller: both are
``not_found``. When the generations read model exists, this is the one place
to read it instead.
"""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from jobwise.domain.generation_updates import GENERATION_STREAM
from jobwise.eventstore import EventStore
from projections.streams import STREAMS


async def owns_generation(
    database: AsyncDatabase[Any], store: EventStore, user_id: str, generation_id: str
) -> bool:
    summary = await database[STREAMS].find_one(
        {"_id": generation_id}, {"user_id": 1, "stream_type": 1}
    )
    if summary is not None:
        owner, kind = summary.get("user_id"), summary.get("stream_type")
    else:
        first = await store.read_stream(generation_id, 0, 1)
        if not first:
            return False
        owner, kind = first[0].metadata.user_id, first[0].stream_type
    return bool(kind == GENERATION_STREAM and owner == user_id)
