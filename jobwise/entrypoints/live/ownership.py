"""Whose generation is it: the one check every live subscription makes.

It reads the ``generations`` read model. That model may lag an append by a
moment, so a generation it does not know yet is looked up in the store (its
first event's owner), the truth, rather than refused. Another user's generation
and an unknown id look alike to the caller: both are ``not_found``.
"""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from jobwise.adapters.eventstore import EventStore
from jobwise.domain.generation_updates import GENERATION_STREAM
from jobwise.projections.generations import GENERATIONS


async def owns_generation(
    database: AsyncDatabase[Any], store: EventStore, user_id: str, generation_id: str
) -> bool:
    viewed = await database[GENERATIONS].find_one({"_id": generation_id}, {"user_id": 1})
    if viewed is not None:
        return bool(viewed.get("user_id") == user_id)
    first = await store.read_stream(generation_id, 0, 1)
    if not first:
        return False
    return bool(first[0].stream_type == GENERATION_STREAM and first[0].metadata.user_id == user_id)
