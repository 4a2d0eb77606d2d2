"""Live updates: append-to-receipt latency with 1,000 sockets beside a bare Redis pub/sub
round trip at the same fan-out, memory per idle socket, 5,000 held.

Four processes, as production runs with Redis: the app (``bench.live_server``, with
``REDIS_URL`` set to a ``redis-server`` started here on a free port), the generation
"worker" (this process: its own event store and update publisher on that Redis), the
clients (``bench.live_client``), and Redis. Every update therefore crosses processes:
worker -> store and Redis -> app -> sockets.

* **latency**: ``SOCKETS`` sockets (``USERS`` users, each socket on its user channel)
  while generations run: each user's generation is appended one event at a time, as
  the worker does, through the store and the update publisher. Latency is the
  wall-clock time from just before an append to the client's receipt of that update
  (same machine, same clock), over every update and every socket that received it.
* **the yardstick**: the same fan-out on bare Redis pub/sub. ``SOCKETS`` subscriber
  connections (redis.asyncio in the client process, as the app reads its own), one
  channel per user with that user's share of the connections on it; this process
  publishes the same messages (the JSON the update publisher sent) on the same
  schedule (each at its append's offset from the start), and latency is from just
  before the publish to receipt. One publish reaching ten subscribers through Redis
  is exactly what one update reaching a user's ten sockets is through the app.
  The goal is the ratio of the two p99s.
* **idle sockets**: ``IDLE_SOCKETS`` authenticated sockets, nothing flowing; the app
  process's RSS before and after, divided by the count.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import sys
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from redis.asyncio import Redis

from bench.common import Figure, Settings, event_store, mongo, percentile, summary_ms
from bench.cpu import CpuMeter, process_seconds
from bench.server_process import ROOT, server_process
from jobwise.adapters.eventstore import EventStore
from jobwise.adapters.pubsub import RedisPubSub
from jobwise.adapters.pubsub.publisher import UpdatePublisher
from jobwise.domain.events import EventMetadata, NewEvent
from jobwise.domain.generation_updates import update_message
from tests.support.generations import Generation
from tests.support.redis_server import RedisServer

Record = Callable[[Figure], None]
USERS = 100
SOCKETS = 1000
IDLE_SOCKETS = 5000
APPEND_PAUSE = 0.02
"""Seconds between one user's appends: stages arrive one after another, not all at once."""
GOAL_RATIO = 3.0
"""The live p99 may be at most this many times the bare Redis round trip's."""
LAST_RECEIPTS_SECONDS = 2.0
DATABASE = "bench_live"

Key = tuple[str, int]
"""(generation id, seq): one update."""


@dataclass(frozen=True)
class Plan:
    users: int
    sockets: int
    idle: int

    @classmethod
    def make(cls, settings: Settings) -> Plan:
        if settings.quick:
            return cls(users=20, sockets=200, idle=1000)
        return cls(users=USERS, sockets=SOCKETS, idle=IDLE_SOCKETS)

    @property
    def per_user(self) -> int:
        return self.sockets // self.users


@dataclass
class Sent:
    """When each update's append (or publish) started and was acknowledged."""

    started: dict[Key, float] = field(default_factory=dict)
    acknowledged: dict[Key, float] = field(default_factory=dict)
    user_of: dict[Key, int] = field(default_factory=dict)


@dataclass
class Phase:
    """One measured phase: latencies, what it ran with, what the machine was doing."""

    connections: int
    latencies: list[float]
    acknowledged: list[float]
    expected: int
    cut_off: int
    seconds: float
    cpu_cores: dict[str, float]
    load_average: list[float]

    def summary(self) -> dict[str, Any]:
        return {
            "connections": self.connections,
            "to_receipt": summary_ms(self.latencies),
            "acknowledged_to_receipt": summary_ms(self.acknowledged),
            "receipts": len(self.latencies),
            "expected_receipts": self.expected,
            "cut_off": self.cut_off,
            "cpu_cores": self.cpu_cores,
            "load_average_after": self.load_average,
        }


# -- the other processes --------------------------------------------------------------


@contextlib.asynccontextmanager
async def clients(plan: dict[str, Any]) -> AsyncIterator[tuple[int, Any, dict[str, Any]]]:
    """``bench.live_client`` with ``plan``: yields (connections open, process, result),
    the result filled in once the block ends (the clients report on closing)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.live_client",
        cwd=ROOT, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        limit=2**28,
    )  # fmt: skip
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(orjson.dumps(plan) + b"\n")
    await process.stdin.drain()
    ready = orjson.loads(await asyncio.wait_for(process.stdout.readline(), 600))
    result: dict[str, Any] = {}
    try:
        yield ready["ready"], process, result
    finally:
        process.stdin.close()
        line = await asyncio.wait_for(process.stdout.readline(), 300)
        await process.wait()
        result.update(orjson.loads(line) if line else {"receipts": [], "closed": 0})


class CpuWatch:
    """CPU seconds of several processes over a phase, as cores kept busy."""

    def __init__(self, pids: dict[str, int]) -> None:
        self._pids = pids
        self._began = time.perf_counter()
        self._seconds = self._now()

    def _now(self) -> dict[str, float]:
        # Own CPU only: the bench process is the parent of all the others.
        return {
            name: process_seconds(pid, descendants=name == "database")
            for name, pid in self._pids.items()
        }

    def cores(self) -> dict[str, float]:
        wall = time.perf_counter() - self._began
        now = self._now()
        return {name: round((now[name] - self._seconds[name]) / wall, 2) for name in now}


# -- the live path --------------------------------------------------------------------


async def _generation(
    store: EventStore, publisher: UpdatePublisher, user: int, user_id: str, sent: Sent
) -> None:
    generation = Generation(store, publisher, user_id)
    while not generation.done:
        kind, data = generation.plan[generation.version]
        started = time.time()
        result = await store.append(
            generation.generation_id,
            [NewEvent(type=kind, data=data)],
            generation.version,
            stream_type="generation",
            metadata=EventMetadata(user_id=user_id),
        )
        acknowledged = time.time()
        generation.version = result.version
        if "seq" in data:
            key = (generation.generation_id, data["seq"])
            sent.started[key], sent.acknowledged[key] = started, acknowledged
            sent.user_of[key] = user
        # Announced as Repository.save does it, after the append returned.
        await publisher.appended("generation", result)
        await asyncio.sleep(APPEND_PAUSE)


async def _messages(store: EventStore) -> dict[Key, str]:
    """What the update publisher sent for each update, as JSON text."""
    found: dict[Key, str] = {}
    position = 0
    while events := await store.read_all(position, 1000):
        for event in events:
            position = event.position
            message = update_message(event)
            if message is not None:
                body = {**message, "user_id": event.metadata.user_id}
                found[(event.stream_id, message["seq"])] = orjson.dumps(body).decode()
    return found


def _phase(
    opened: int,
    sent: Sent,
    result: dict[str, Any],
    fan_out: int,
    seconds: float,
    cores: dict[str, float],
) -> Phase:
    receipts = [(gid, seq, t) for gid, seq, t in result["receipts"] if (gid, seq) in sent.started]
    return Phase(
        connections=opened,
        latencies=[t - sent.started[(gid, seq)] for gid, seq, t in receipts],
        acknowledged=[t - sent.acknowledged[(gid, seq)] for gid, seq, t in receipts],
        expected=len(sent.started) * fan_out,
        cut_off=result["closed"],
        seconds=seconds,
        cpu_cores=cores,
        load_average=[round(x, 2) for x in os.getloadavg()],
    )


async def live_phase(
    mongo_url: str, redis_url: str, app: dict[str, Any], plan: Plan, pids: dict[str, int]
) -> tuple[Phase, Sent, dict[Key, str]]:
    ws_url = f"ws://127.0.0.1:{app['port']}/api/v1/ws"
    wanted = {"mode": "websocket", "url": ws_url, "tokens": app["tokens"]}
    sent = Sent()
    pubsub = RedisPubSub(redis_url)
    async with mongo(mongo_url, DATABASE) as pair, event_store(*pair) as store:
        async with clients({**wanted, "per_token": plan.per_user, "subscribe": True}) as (
            opened,
            process,
            result,
        ):
            cpu = CpuWatch({**pids, "clients": process.pid})
            started = time.perf_counter()
            publisher = UpdatePublisher(pubsub, store)
            await asyncio.gather(
                *(
                    _generation(store, publisher, n, user_id, sent)
                    for n, user_id in enumerate(app["user_ids"])
                )
            )
            await asyncio.sleep(LAST_RECEIPTS_SECONDS)
            seconds, cores = time.perf_counter() - started, cpu.cores()
        await pubsub.close()
        messages = await _messages(store)
    phase = _phase(opened, sent, result, plan.per_user, seconds, cores)
    return phase, sent, messages


# -- the yardstick: bare Redis pub/sub, same fan-out, same messages, same schedule -------


async def _publish_user(
    client: Redis, channel: str, schedule: list[tuple[float, Key, str]], sent: Sent
) -> None:
    for at, key, text in schedule:
        await asyncio.sleep(max(0.0, at - time.time()))
        sent.started[key] = time.time()
        await client.publish(channel, text)
        sent.acknowledged[key] = time.time()


async def redis_phase(
    redis_url: str, live: Sent, messages: dict[Key, str], plan: Plan, pids: dict[str, int]
) -> Phase:
    channels = [f"bench-live-{n}" for n in range(plan.users)]
    sent = Sent()
    first = min(live.started.values())
    client = Redis.from_url(redis_url, decode_responses=True)
    wanted = {"mode": "redis", "url": redis_url, "channels": channels, "per_channel": plan.per_user}
    async with clients(wanted) as (opened, process, result):
        cpu = CpuWatch({**pids, "clients": process.pid})
        began = time.time()
        by_user: defaultdict[int, list[tuple[float, Key, str]]] = defaultdict(list)
        for key, at in sorted(live.started.items(), key=lambda item: item[1]):
            by_user[live.user_of[key]].append((began + at - first, key, messages[key]))
        started = time.perf_counter()
        await asyncio.gather(
            *(_publish_user(client, channels[u], s, sent) for u, s in by_user.items())
        )
        await asyncio.sleep(LAST_RECEIPTS_SECONDS)
        seconds, cores = time.perf_counter() - started, cpu.cores()
    await client.aclose()
    return _phase(opened, sent, result, plan.per_user, seconds, cores)


# -- figures --------------------------------------------------------------------------


def latency_figures(live: Phase, bare: Phase, server: str) -> list[Figure]:
    figures = []
    for key, values, what, phase, noun in (
        ("live_append_latency", live.latencies, "live update append->receipt", live, "sockets"),
        ("live_ack_latency", live.acknowledged, "live acknowledged->receipt", live, "sockets"),
        ("live_redis_latency", bare.latencies, "bare Redis publish->receipt", bare, "subscribers"),
    ):
        for name, fraction in (("p50", 0.50), ("p99", 0.99)):
            figures.append(
                Figure(
                    f"{key}_{name}",
                    f"{what} {name}, {phase.connections} {noun} (load {phase.load_average[0]:.2f})",
                    server,
                    percentile(values, fraction) * 1000,
                    "ms",
                    count=len(values),
                    seconds=phase.seconds,
                )
            )
    live_p99 = percentile(live.latencies, 0.99)
    bare_p99 = percentile(bare.latencies, 0.99)
    ratio = live_p99 / bare_p99 if bare_p99 else float("inf")
    figures.append(
        Figure(
            "live_vs_redis_p99",
            "live append->receipt p99 / bare Redis p99",
            server,
            ratio,
            "x",
            extra={
                "target": f"<= {GOAL_RATIO:.0f}x",
                "met": ratio <= GOAL_RATIO,
                "live": live.summary(),
                "bare_redis": bare.summary(),
            },
        )
    )
    return figures


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def idle_figures(app: dict[str, Any], plan: Plan, server: str) -> list[Figure]:
    ws_url = f"ws://127.0.0.1:{app['port']}/api/v1/ws"
    before = _rss_kib(app["pid"])
    wanted = {"mode": "websocket", "url": ws_url, "tokens": app["tokens"], "subscribe": False}
    async with clients({**wanted, "per_token": plan.idle // plan.users}) as (held, _p, result):
        await asyncio.sleep(1.0)
        after = _rss_kib(app["pid"])
    per_socket = (after - before) * 1024 / max(1, held)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    limits = {"ulimit_n": [soft, hard], "cores": os.cpu_count(), "goal_bytes": 30 * 1024}
    return [
        Figure(
            "live_idle_socket_bytes",
            f"live idle socket memory (app RSS growth / {held} sockets)",
            server,
            per_socket,
            "B",
            count=held,
            extra={**limits, "rss_before_kib": before, "rss_after_kib": after},
        ),
        Figure(
            "live_idle_sockets_held",
            "live idle sockets held at once",
            server,
            held - result["closed"],
            "sockets",
            count=held,
            extra=limits,
        ),
    ]


async def live_figures(
    url: str, settings: Settings, meter: CpuMeter, server: str, record: Record
) -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    plan = Plan.make(settings)
    with RedisServer() as redis:
        args = [
            "--redis-url", redis.url,
            "--users", str(plan.users),
            "--sockets-per-user", str(plan.idle // plan.users + 1),
        ]  # fmt: skip
        async with server_process("bench.live_server", url, DATABASE, args) as (app, _process):
            pids = {"app": app["pid"], "bench": os.getpid(), "database": meter.server_pid}
            if redis.pid is not None:
                pids["redis"] = redis.pid
            live, sent, messages = await live_phase(url, redis.url, app, plan, pids)
            bare = await redis_phase(redis.url, sent, messages, plan, pids)
            for figure in latency_figures(live, bare, server):
                record(figure)
            for figure in await idle_figures(app, plan, server):
                record(figure)
