"""Audit filters on a large log: ``python -m bench.audit_filters [--events 100000]``.

Prints the time of each ``jobwise events`` filter on a log of N events (written as raw
documents, the store's own shape, one event each 10 ms): ``--since`` over the last 1%
through the timeline (bisection on the position index) against a plain ``recorded_at``
query (no index on it: a scan), one ``--stream``, and a rare ``--type`` (no index: a
scan in position order).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.common import embedded, mongo
from jobwise.adapters.eventstore.mongo import EVENTS_COLLECTION, MongoEventStore, to_document
from jobwise.adapters.eventstore.sealing import EventOpener
from jobwise.adapters.keys import Keyring, MemoryKeyStorage
from jobwise.application.queries.event_filter import EventFilter, filtered_events
from jobwise.domain.events import EventMetadata, RecordedEvent

START = datetime(2026, 1, 1, tzinfo=UTC)
STREAMS = 1_000
RARE_EVERY = 10_000
ROUNDS = 5


def _event(position: int) -> dict[str, Any]:
    rare = position % RARE_EVERY == 0
    return to_document(
        RecordedEvent(
            position=position,
            stream_id=f"stream-{position % STREAMS}",
            stream_type="job",
            version=position // STREAMS + 1,
            event_id=f"event-{position}",
            type="BenchRare" if rare else "BenchEdited",
            data={"n": position, "text": "x" * 200},
            metadata=EventMetadata(user_id=f"user-{position % 97}"),
            recorded_at=START + timedelta(milliseconds=10 * position),
        )
    )


async def _fill(database: Any, count: int) -> None:
    await MongoEventStore(None, database).ensure_indexes()  # type: ignore[arg-type]
    for first in range(1, count + 1, 5_000):
        last = min(count, first + 4_999)
        await database[EVENTS_COLLECTION].insert_many([_event(p) for p in range(first, last + 1)])


async def _timed(work: Callable[[], Awaitable[int]]) -> tuple[float, int]:
    times, found = [], 0
    for _ in range(ROUNDS):
        started = time.perf_counter()
        found = await work()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, found


async def run(count: int) -> None:
    with embedded(sync_on_commit=False) as server:
        async with mongo(server.url, "bench_audit") as (_client, database):
            started = time.perf_counter()
            await _fill(database, count)
            print(f"filled {count:,} events in {time.perf_counter() - started:.1f} s")
            since = START + timedelta(milliseconds=10 * int(count * 0.99))
            events = database[EVENTS_COLLECTION]
            opener = EventOpener(Keyring(MemoryKeyStorage()))  # the bench's events are unsealed

            async def page(**given: Any) -> int:
                chosen = EventFilter(limit=10_000, **given)
                return len((await filtered_events(database, opener, chosen)).events)

            async def plain() -> int:
                cursor = events.find({"recorded_at": {"$gte": since}}).sort("position", 1)
                return len([d async for d in cursor])

            cases: list[tuple[str, Callable[[], Awaitable[int]]]] = [
                ("--since last 1% (timeline)", lambda: page(since=since)),
                ("--since last 1% (plain recorded_at query)", plain),
                ("--stream (one of 1,000)", lambda: page(stream_id="stream-7")),
                ("--type rare (1 in 10,000)", lambda: page(types=["BenchRare"])),
            ]
            for label, work in cases:
                median_ms, found = await _timed(work)
                print(f"{label:<45} {median_ms:9.1f} ms  ({found:,} events, median of {ROUNDS})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    asyncio.run(run(parser.parse_args().events))


if __name__ == "__main__":
    main()
