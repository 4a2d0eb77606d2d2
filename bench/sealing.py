"""Crypto-shredding figures: sealing and opening cost per event, appends and a full read
through the sealing store against the plain one, on the embedded server.

    .venv/bin/python -m bench.sealing [EVENTS]     (default 20000)

The events carry a real resume (tests/data: Thomas Davis's JSON Resume), the size of a
profile import, and metadata with a client address and user agent.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench.common import embedded, event_store, mongo
from jobwise.adapters.eventstore.mongo import MongoEventStore
from jobwise.adapters.eventstore.sealing import SealingEventStore, opened, seal
from jobwise.adapters.keys import KEYS_COLLECTION, Keyring, MongoKeyStorage, memory_keyring
from jobwise.domain.events import EventMetadata, NewEvent, RecordedEvent, utc_now

RESUME = json.loads(
    (Path(__file__).parents[1] / "tests/data/generation/resume-thomas-davis.json").read_text()
)
_USERS = 200
_WRITERS = 8


def resume_event() -> NewEvent:
    return NewEvent(type="ProfileImported", data={"resume": RESUME, "note": "x" * 200})


def metadata(n: int) -> EventMetadata:
    return EventMetadata(
        user_id=f"user-{n % _USERS}", request_id=f"r{n}", ip="203.0.113.7", user_agent="UA/1"
    )


def per_event(count: int) -> None:
    key = bytes(32)
    events = [resume_event() for _ in range(count)]
    started = time.perf_counter()
    sealed = [seal(event, f"s{n}", metadata(n), key) for n, event in enumerate(events)]
    sealing = (time.perf_counter() - started) / count * 1e6
    now = utc_now()
    recorded = [
        RecordedEvent(position=n + 1, stream_id=f"s{n}", stream_type="profile", version=1,
                      event_id=e.event_id, type=e.type, data=e.data,
                      metadata=e.metadata or EventMetadata(), recorded_at=now)
        for n, e in enumerate(sealed)
    ]  # fmt: skip
    started = time.perf_counter()
    for event in recorded:
        opened(event, key)
    opening = (time.perf_counter() - started) / count * 1e6
    size = len(json.dumps(resume_event().data))
    print(f"per event ({size / 1000:.1f} KB of data): seal {sealing:.1f} us, open {opening:.1f} us")


def _writer(
    store: SealingEventStore | MongoEventStore, each: int, latencies: list[float]
) -> Callable[[int], Awaitable[None]]:
    async def write(w: int) -> None:
        for i in range(each):
            n = w * each + i
            began = time.perf_counter()
            await store.append(
                f"p{n}", [resume_event()], 0, stream_type="profile", metadata=metadata(n)
            )
            latencies.append(time.perf_counter() - began)

    return write


async def through_stores(url: str, count: int) -> None:
    for sealed in (False, True):
        name = "sealed" if sealed else "plain"
        async with mongo(url, f"sealing_{name}") as (client, db), event_store(client, db) as raw:
            keyring = Keyring(MongoKeyStorage(db[KEYS_COLLECTION])) if sealed else memory_keyring()
            store = SealingEventStore(raw, keyring) if sealed else raw
            latencies: list[float] = []
            writer = _writer(store, count // _WRITERS, latencies)
            started = time.perf_counter()
            await asyncio.gather(*(writer(w) for w in range(_WRITERS)))
            seconds = time.perf_counter() - started
            head = await store.head_position()
            started = time.perf_counter()
            after = 0
            while batch := await store.read_all(after, 1000):
                after = batch[-1].position
            reading = time.perf_counter() - started
            p50 = statistics.median(latencies) * 1e3
            print(f"{name}: append {head / seconds:,.0f} events/s ({_WRITERS} writers, p50 "
                  f"{p50:.1f} ms); read_all {head / reading:,.0f} events/s")  # fmt: skip


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    per_event(count)
    with embedded(False) as server:
        asyncio.run(through_stores(server.url, count))


if __name__ == "__main__":
    main()
