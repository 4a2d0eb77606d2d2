"""Event store figures: appends (1 writer, 8 writers on one store, 8 stores), read_all, fill."""

from __future__ import annotations

import asyncio
import contextlib
import time

from bench.common import (
    Figure,
    Mongo,
    Settings,
    event_store,
    mongo,
    run_for,
    sample_event,
    sample_metadata,
)
from bench.cpu import CpuMeter
from jobwise.adapters.eventstore.mongo import MongoEventStore

_STREAMS_PER_WRITER = 50
"""Each writer cycles over its own streams, so new and existing streams both occur."""


class StreamCursor:
    """Hands out (stream, expected_version) for one writer's own streams."""

    def __init__(self, prefix: str, streams: int) -> None:
        self._prefix = prefix
        self._versions = [0] * streams

    def next(self, i: int) -> tuple[str, int]:
        slot = i % len(self._versions)
        version = self._versions[slot]
        self._versions[slot] += 1
        return f"{self._prefix}-{slot}", version


async def append_one(store: MongoEventStore, cursor: StreamCursor, n: int) -> int:
    stream, expected = cursor.next(n)
    result = await store.append(
        stream, [sample_event(n)], expected, stream_type="job", metadata=sample_metadata(n)
    )
    return result.last_position


async def appends_one_store(
    mongo_pair: Mongo, settings: Settings, meter: CpuMeter, server: str, writers: int
) -> Figure:
    async with event_store(*mongo_pair) as store:
        cursors = [StreamCursor(f"w{writers}x{w}", _STREAMS_PER_WRITER) for w in range(writers)]

        async def step(worker: int, i: int) -> None:
            await append_one(store, cursors[worker], i)

        measured = await run_for(settings.measure_seconds, writers, step, meter)
    label = "1 writer, sequential" if writers == 1 else f"{writers} tasks on ONE store"
    return measured.figure(
        f"append_{writers}_one_store", f"append 1 event ({label})", server, "events/s"
    )


async def appends_separate_stores(
    url: str, database: str, settings: Settings, meter: CpuMeter, server: str, writers: int
) -> Figure:
    """Each writer its own client and store: how separate processes contend for positions."""
    async with contextlib.AsyncExitStack() as stack:
        stores = [
            await stack.enter_async_context(
                event_store(*await stack.enter_async_context(mongo(url, database)))
            )
            for _ in range(writers)
        ]
        cursors = [StreamCursor(f"sep{w}", _STREAMS_PER_WRITER) for w in range(writers)]

        async def step(worker: int, i: int) -> None:
            await append_one(stores[worker], cursors[worker], i)

        measured = await run_for(settings.measure_seconds, writers, step, meter)
    return measured.figure(
        f"append_{writers}_own_stores",
        f"append 1 event ({writers} stores, each own client)",
        server,
        "events/s",
    )


async def fill(store: MongoEventStore, first: int, count: int, settings: Settings) -> float:
    """Append events ``first .. first+count-1`` as single-event appends; returns the seconds.

    Event ``k`` goes to stream ``k % streams`` at version ``k // streams + 1``; each
    stream belongs to one writer task, so versions are always the expected ones.
    """
    streams, writers = settings.fill_streams, settings.fill_writers
    start = time.perf_counter()

    async def writer(w: int) -> None:
        for k in range(first, first + count):
            stream = k % streams
            if stream % writers != w:
                continue
            await store.append(
                f"fill-{stream}",
                [sample_event(k)],
                k // streams,
                stream_type="job",
                metadata=sample_metadata(stream),
            )

    await asyncio.gather(*(writer(w) for w in range(writers)))
    return time.perf_counter() - start


def fill_figure(first: int, events: int, seconds: float, settings: Settings, server: str) -> Figure:
    return Figure(
        key=f"fill_from_{first}",
        label=f"fill {first:,}..{first + events:,}: {settings.fill_writers} tasks on ONE store",
        server=server,
        value=events / seconds,
        unit="events/s",
        count=events,
        seconds=seconds,
        extra={"streams": settings.fill_streams, "writers": settings.fill_writers},
    )


async def first_page_cost(store: MongoEventStore, page_size: int, server: str) -> Figure:
    """One ``read_all`` page from the start of the log: does a page cost grow with the log?"""
    log_size = await store.head_position()
    start = time.perf_counter()
    page = await store.read_all(0, page_size)
    seconds = time.perf_counter() - start
    return Figure(
        key=f"read_all_page_at_{log_size}",
        label=f"one read_all page of {len(page)}, log of {log_size:,}",
        server=server,
        value=seconds * 1000,
        unit="ms",
        count=len(page),
        seconds=seconds,
    )


async def read_all_pages(
    store: MongoEventStore, events: int, page_size: int, meter: CpuMeter, server: str
) -> Figure:
    meter.start()
    start = time.perf_counter()
    position = read = 0
    while read < events:
        page = await store.read_all(position, min(page_size, events - read))
        if not page:
            break
        read += len(page)
        position = page[-1].position
    seconds = time.perf_counter() - start
    return Figure(
        key="read_all",
        label=f"read_all, pages of {page_size}",
        server=server,
        value=read / seconds,
        unit="events/s",
        count=read,
        seconds=seconds,
        cpu=meter.stop(),
    )
