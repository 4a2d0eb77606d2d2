"""Erasures that started and did not finish (a crash midway): what resuming reads."""

from __future__ import annotations

from typing import Any

from pymongo import DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.adapters.eventstore.mongo import EVENTS_COLLECTION
from jobwise.domain.erasure import AccountErased, erasure_stream

_FIRST, _PAST_LAST = erasure_stream(""), erasure_stream("")[:-1] + "."
"""Every erasure stream id sorts in [``erasure-``, ``erasure.``): a range on the
``(stream_id, version)`` index, not a scan of the log."""


async def unfinished_erasures(database: AsyncDatabase[Any]) -> list[str]:
    """The ids of users whose erasure started and has no ``AccountErased`` yet."""
    events = database[EVENTS_COLLECTION]
    started = events.find(
        {"stream_id": {"$gte": _FIRST, "$lt": _PAST_LAST}, "version": 1},
        {"stream_id": 1},
    )
    unfinished: list[str] = []
    async for first in started:
        last = await events.find_one(
            {"stream_id": first["stream_id"]}, {"type": 1}, sort=[("version", DESCENDING)]
        )
        if last is not None and last["type"] != AccountErased.topic:
            unfinished.append(first["stream_id"].removeprefix(_FIRST))
    return unfinished
