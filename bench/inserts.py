"""The yardstick: plain ``insert_one`` of an event-sized document on the same server."""

from __future__ import annotations

import itertools

from bench.common import Figure, Mongo, Settings, run_for, sample_document
from bench.cpu import CpuMeter


async def plain_inserts(
    mongo: Mongo, settings: Settings, meter: CpuMeter, server: str, writers: int
) -> Figure:
    _client, db = mongo
    collection = db[f"plain_{writers}"]
    numbers = itertools.count()

    async def insert(_worker: int, _i: int) -> None:
        await collection.insert_one(sample_document(next(numbers)))

    measured = await run_for(settings.measure_seconds, writers, insert, meter)
    who = "1 client, sequential" if writers == 1 else f"{writers} tasks, one client"
    return measured.figure(f"insert_one_{writers}", f"plain insert_one ({who})", server, "docs/s")
