"""Projection figures: lag behind a steady append rate, and a full rebuild."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from bench.common import (
    Figure,
    Mongo,
    Settings,
    event_store,
    percentile,
    sample_event,
    sample_metadata,
    summary_ms,
)
from bench.cpu import CpuMeter
from jobwise.adapters.eventstore.mongo import MongoEventStore
from jobwise.projections.maintenance import rebuild
from jobwise.projections.runner import CHECKPOINTS, ProjectionRunner, Projector
from jobwise.projections.streams import STREAMS, StreamsProjection

_LAG_STREAMS = 100


@dataclass
class LagSamples:
    append_seconds: list[float] = field(default_factory=list)
    lag_seconds: list[float] = field(default_factory=list)
    """In the order appends were made: the log grows along the list."""
    positions: list[int] = field(default_factory=list)
    timeouts: int = 0
    failures: int = 0

    def by_quarter(self) -> list[float]:
        """Lag p50 (ms) per quarter of the run, in log order: does lag grow with the log?"""
        ordered = [lag for _, lag in sorted(zip(self.positions, self.lag_seconds, strict=True))]
        size = max(1, len(ordered) // 4)
        quarters = [ordered[i * size : (i + 1) * size] for i in range(4)]
        return [percentile(q, 0.5) * 1000 for q in quarters if q]


async def _append_and_wait(
    store: MongoEventStore, runner: ProjectionRunner, n: int, max_wait: float, out: LagSamples
) -> None:
    began = time.perf_counter()
    try:
        result = await store.append(
            f"lag-{n % _LAG_STREAMS}",
            [sample_event(n)],
            n // _LAG_STREAMS,
            stream_type="job",
            metadata=sample_metadata(n),
        )
    except Exception:
        out.failures += 1
        return
    appended = time.perf_counter()
    reached = await runner.wait_for(result.last_position, max_wait)
    out.append_seconds.append(appended - began)
    if reached:
        out.lag_seconds.append(time.perf_counter() - appended)
        out.positions.append(result.last_position)
    else:
        out.timeouts += 1


async def _steady_appends(
    store: MongoEventStore, runner: ProjectionRunner, settings: Settings, out: LagSamples
) -> float:
    """Start one append every 1/rate s on an absolute schedule; returns the achieved rate."""
    total = int(settings.lag_seconds * settings.lag_rate)
    tasks: list[asyncio.Task[None]] = []
    start = time.perf_counter()
    for n in range(total):
        await asyncio.sleep(max(0.0, start + n / settings.lag_rate - time.perf_counter()))
        tasks.append(
            asyncio.create_task(_append_and_wait(store, runner, n, settings.lag_max_wait, out))
        )
    achieved = total / (time.perf_counter() - start)
    await asyncio.gather(*tasks)
    return achieved


async def projection_lag(
    mongo_pair: Mongo, settings: Settings, meter: CpuMeter, server: str
) -> Figure:
    client, db = mongo_pair
    samples = LagSamples()
    async with event_store(client, db) as store:
        runner = ProjectionRunner(StreamsProjection(), store, client, db)
        projector = Projector([runner])
        await projector.start()
        try:
            meter.start()
            achieved = await _steady_appends(store, runner, settings, samples)
            cpu = meter.stop()
        finally:
            await projector.stop()
    lag = summary_ms(samples.lag_seconds)
    return Figure(
        key="projection_lag",
        label=f"projection lag @ {settings.lag_rate} appends/s (p50)",
        server=server,
        value=lag["p50_ms"],
        unit="ms",
        count=len(samples.lag_seconds),
        seconds=settings.lag_seconds,
        cpu=cpu,
        extra={
            **lag,
            "achieved_rate": achieved,
            "p50_ms_by_quarter": samples.by_quarter(),
            "timeouts": samples.timeouts,
            "append_failures": samples.failures,
            "append_latency": summary_ms(samples.append_seconds),
        },
    )


def lag_p99_figure(lag: Figure) -> Figure:
    return Figure(
        key="projection_lag_p99",
        label=f"projection lag @ {lag.extra['achieved_rate']:.0f} appends/s (p99)",
        server=lag.server,
        value=lag.extra["p99_ms"],
        unit="ms",
        count=lag.count,
        seconds=lag.seconds,
        cpu=lag.cpu,
    )


async def rebuild_streams(
    mongo_pair: Mongo, store: MongoEventStore, meter: CpuMeter, server: str, max_seconds: float
) -> Figure:
    """``maintenance.rebuild`` of StreamsProjection, stopped after ``max_seconds`` if need be.

    A stopped rebuild's progress is its checkpoint (moved atomically with each batch), so
    the rate stays exact: events applied / seconds spent.
    """
    client, db = mongo_pair
    target = await store.head_position()
    meter.start()
    start = time.perf_counter()
    try:
        reached = await asyncio.wait_for(
            rebuild(StreamsProjection(), store, client, db), max_seconds
        )
    except TimeoutError:
        reached = await _checkpoint(db)
    seconds = time.perf_counter() - start
    cpu = meter.stop()
    complete = reached >= target
    return Figure(
        key="rebuild",
        label=(
            f"rebuild StreamsProjection, {target:,}-event log"
            + ("" if complete else f" (stopped at {max_seconds:.0f} s)")
        ),
        server=server,
        value=reached / seconds,
        unit="events/s",
        count=reached,
        seconds=seconds,
        cpu=cpu,
        extra={
            "log_size": target,
            "complete": complete,
            "stream_summaries": await db[STREAMS].count_documents({}),
        },
    )


async def _checkpoint(db: AsyncDatabase[Any]) -> int:
    checkpoint = await db[CHECKPOINTS].find_one({"_id": StreamsProjection.name})
    return int(checkpoint["position"]) if checkpoint else 0
