"""Shared pieces: settings, the figures we record, sample events, servers and clients."""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from bench.cpu import CpuMeter, CpuShare
from jobwise.adapters.embedded import EmbeddedServer, start_embedded
from jobwise.adapters.eventstore.mongo import MongoEventStore
from jobwise.adapters.mongo import connect
from jobwise.domain.events import EventMetadata, NewEvent

Mongo = tuple[AsyncMongoClient[Any], AsyncDatabase[Any]]
SYNC_ON = "sync on"
SYNC_OFF = "sync off"


@dataclass(frozen=True)
class Settings:
    quick: bool
    measure_seconds: float
    lag_seconds: float
    lag_rate: int
    lag_max_wait: float
    rebuild_events: int
    rebuild_max_seconds: float
    fill_streams: int
    fill_writers: int
    read_events: int
    page_size: int

    @classmethod
    def make(cls, quick: bool) -> Settings:
        return cls(
            quick=quick,
            measure_seconds=1.5 if quick else 5.0,
            lag_seconds=5.0 if quick else 20.0,
            lag_rate=50,
            lag_max_wait=5.0,
            rebuild_events=10_000 if quick else 100_000,
            rebuild_max_seconds=30.0 if quick else 75.0,
            fill_streams=1_000 if quick else 5_000,
            fill_writers=250,
            read_events=10_000 if quick else 20_000,
            page_size=500,
        )


@dataclass
class Figure:
    """One measured number, with what it was measured on."""

    key: str
    label: str
    server: str
    value: float
    unit: str
    count: int = 0
    seconds: float = 0.0
    cpu: CpuShare | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Throughput:
    count: int
    seconds: float
    cpu: CpuShare

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def figure(self, key: str, label: str, server: str, unit: str) -> Figure:
        """This throughput as a reported figure: its rate, with what it was measured on."""
        return Figure(
            key=key,
            label=label,
            server=server,
            value=self.rate,
            unit=unit,
            count=self.count,
            seconds=self.seconds,
            cpu=self.cpu,
        )


def sample_data(n: int) -> dict[str, Any]:
    """An event payload of a typical size: a few scalar fields and a short list."""
    return {
        "job_id": f"job-{n:08d}",
        "title": "Senior Python Developer",
        "company": "Acme Widgets GmbH",
        "salary": 72_000 + n % 1000,
        "tags": ["python", "asyncio", "mongodb"],
    }


def sample_metadata(n: int) -> EventMetadata:
    return EventMetadata(
        user_id=f"user-{n % 97}", correlation_id=f"corr-{n:08d}", request_id=f"req-{n:08d}"
    )


def sample_event(n: int) -> NewEvent:
    return NewEvent(type="JobSaved", data=sample_data(n))


def sample_document(n: int) -> dict[str, Any]:
    """A plain document shaped like a stored event, for the insert_one yardstick."""
    return {
        "stream_id": f"plain-{n % 1000}",
        "stream_type": "job",
        "version": n // 1000 + 1,
        "event_id": f"evt-{n:012d}",
        "type": "JobSaved",
        "data": sample_data(n),
        "metadata": sample_metadata(n).model_dump(exclude_none=True),
        "recorded_at": datetime.now(UTC),
    }


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (0 < fraction <= 1); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary_ms(values: list[float]) -> dict[str, float]:
    """p50/p99/max/mean of seconds, in milliseconds."""
    return {
        "p50_ms": percentile(values, 0.50) * 1000,
        "p99_ms": percentile(values, 0.99) * 1000,
        "max_ms": max(values, default=0.0) * 1000,
        "mean_ms": (statistics.fmean(values) if values else 0.0) * 1000,
    }


@contextlib.contextmanager
def embedded(sync_on_commit: bool) -> Iterator[EmbeddedServer]:
    """SecantusDB on disk in a fresh temporary directory, stopped (and removed) on exit."""
    with tempfile.TemporaryDirectory(prefix="jobwise-bench-") as data_dir:
        server = start_embedded(Path(data_dir), sync_on_commit=sync_on_commit)
        try:
            yield server
        finally:
            server.stop()


@contextlib.asynccontextmanager
async def mongo(url: str, database: str) -> AsyncIterator[Mongo]:
    client, db = connect(url, database)
    try:
        yield client, db
    finally:
        await client.close()


@contextlib.asynccontextmanager
async def event_store(
    client: AsyncMongoClient[Any], db: AsyncDatabase[Any]
) -> AsyncIterator[MongoEventStore]:
    # As `jobwise serve` opens it on the embedded server: one writer process, no change stream.
    store = await MongoEventStore.open(client, db, follow_changes=False)
    try:
        yield store
    finally:
        await store.close()


async def run_for(
    seconds: float, workers: int, step: Callable[[int, int], Awaitable[None]], meter: CpuMeter
) -> Throughput:
    """Run ``workers`` tasks, each awaiting ``step(worker, i)`` in a loop, for ``seconds``."""
    start = time.perf_counter()
    deadline = start + seconds
    meter.start()

    async def loop(worker: int) -> int:
        done = 0
        while time.perf_counter() < deadline:
            await step(worker, done)
            done += 1
        return done

    counts = await asyncio.gather(*(loop(w) for w in range(workers)))
    elapsed = time.perf_counter() - start
    return Throughput(sum(counts), elapsed, meter.stop())
