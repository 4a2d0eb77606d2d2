"""Live updates: append-to-receipt latency with 1,000 sockets beside a bare Redis pub/sub
round trip at the same fan-out, memory per idle socket, 5,000 held.

Five processes, as production runs with Redis: the app (``bench.live_server``, with
``REDIS_URL`` set to a ``redis-server`` started here on a free port, and
``MONGODB_URL``), the generation "worker" (this process: its own event store and update
publisher on that Redis), the WebSocket clients and the Redis subscribers (two
``bench.live_client`` processes), and Redis. Every update therefore crosses processes:
worker -> store and Redis -> app -> sockets.

* **live**: ``SOCKETS`` sockets (``USERS`` users, each socket on its user channel)
  while generations run: each user's generation is appended one event at a time, as
  the worker does, through the store and the update publisher. Latency is the
  wall-clock time from just before an append to the client's receipt of that update
  (same machine, same clock), over every update and every socket that received it;
  "acknowledged" counts from the append's return instead.
* **the yardstick**: the same fan-out on bare Redis pub/sub. ``SOCKETS`` subscriber
  connections (redis.asyncio, as the app reads its own), one channel per user with
  that user's share of the connections on it; this process publishes the same
  messages (the JSON the update publisher sent) on the same schedule (each at its
  append's offset from the start of its round), and latency is from just before the
  publish to receipt. One publish reaching ten subscribers through Redis is exactly
  what one update reaching a user's ten sockets is through the app.
* The two alternate, ``ROUNDS`` rounds each after one uncounted round of each (the
  publishers' connection pools fill, caches warm), every connection of both open
  throughout, so a burst of load from elsewhere on the machine falls on both alike.
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
from collections.abc import AsyncIterator, Callable, Iterator
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
from jobwise.adapters.redis_pool import pooled_client
from jobwise.domain.events import EventMetadata, NewEvent
from jobwise.domain.generation_updates import update_message
from tests.support.generations import Generation
from tests.support.redis_server import RedisServer

Record = Callable[[Figure], None]
USERS = 100
SOCKETS = 1000
IDLE_SOCKETS = 5000
ROUNDS = 3
APPEND_PAUSE = 0.02
"""Seconds between one user's appends: stages arrive one after another, not all at once."""
GOAL_RATIO = 3.0
"""The live p99 may be at most this many times the bare Redis round trip's."""
SETTLE_SECONDS = 1.0
"""After a round, for its last receipts; after the last, twice this."""
DATABASE = "bench_live"

Key = tuple[str, int]
"""(generation id, seq): one update."""


@dataclass(frozen=True)
class Plan:
    users: int
    sockets: int
    idle: int
    rounds: int

    @classmethod
    def make(cls, settings: Settings) -> Plan:
        if settings.quick:
            return cls(users=20, sockets=200, idle=1000, rounds=2)
        return cls(users=USERS, sockets=SOCKETS, idle=IDLE_SOCKETS, rounds=ROUNDS)

    @property
    def per_user(self) -> int:
        return self.sockets // self.users


@dataclass
class Sent:
    """When each update's append (or publish) started and returned."""

    started: dict[Key, float] = field(default_factory=dict)
    acknowledged: dict[Key, float] = field(default_factory=dict)
    user_of: dict[Key, int] = field(default_factory=dict)

    def mark(self, key: Key, user: int, started: float, acknowledged: float) -> None:
        self.started[key], self.acknowledged[key], self.user_of[key] = started, acknowledged, user


class CpuWatch:
    """CPU seconds of several processes over the phases of one kind, as cores kept busy."""

    def __init__(self, pids: dict[str, int]) -> None:
        self._pids = pids
        self._wall = 0.0
        self._seconds = dict.fromkeys(pids, 0.0)

    def _now(self) -> dict[str, float]:
        # Own CPU only (the bench process is the parent of all the others), but the
        # database's with its children.
        return {
            name: process_seconds(pid, descendants=name == "database")
            for name, pid in self._pids.items()
        }

    @contextlib.contextmanager
    def watching(self) -> Iterator[None]:
        began, wall = self._now(), time.perf_counter()
        yield
        self._wall += time.perf_counter() - wall
        for name, seconds in self._now().items():
            self._seconds[name] += seconds - began[name]

    def cores(self) -> dict[str, float]:
        return {name: round(s / self._wall, 2) for name, s in self._seconds.items() if self._wall}

    def per(self, count: int) -> dict[str, float]:
        """CPU microseconds per item of ``count``: unlike latency, hardly moved by other
        work on the machine."""
        return {name: round(s / count * 1e6) for name, s in self._seconds.items() if count}


@dataclass
class Phase:
    """One kind of round (live or bare Redis), over all its rounds."""

    name: str
    cpu: CpuWatch
    sent: Sent = field(default_factory=Sent)
    seconds: float = 0.0
    load_averages: list[float] = field(default_factory=list)
    """The one-minute load average at the end of each round."""
    latencies: list[float] = field(default_factory=list)
    acknowledged: list[float] = field(default_factory=list)
    connections: int = 0
    expected: int = 0
    cut_off: int = 0

    def settle(self, opened: int, result: dict[str, Any], fan_out: int) -> None:
        """Match the receipts the clients reported with what was sent."""
        sent = self.sent
        receipts = [(g, s, t) for g, s, t in result["receipts"] if (g, s) in sent.started]
        self.latencies = [t - sent.started[(g, s)] for g, s, t in receipts]
        self.acknowledged = [t - sent.acknowledged[(g, s)] for g, s, t in receipts]
        self.connections, self.expected = opened, len(sent.started) * fan_out
        self.cut_off = result["closed"]

    @property
    def load(self) -> float:
        return max(self.load_averages, default=0.0)

    def summary(self) -> dict[str, Any]:
        return {
            "connections": self.connections,
            "to_receipt": summary_ms(self.latencies),
            "acknowledged_to_receipt": summary_ms(self.acknowledged),
            # The append's own time (for Redis: the publish's round trip), once per update.
            "until_acknowledged": summary_ms(
                [self.sent.acknowledged[key] - at for key, at in self.sent.started.items()]
            ),
            "receipts": len(self.latencies),
            "expected_receipts": self.expected,
            "cut_off": self.cut_off,
            "cpu_cores": self.cpu.cores(),
            "cpu_us_per_update": self.cpu.per(len(self.sent.started)),
            "load_average_each_round": self.load_averages,
        }


# -- the client processes -------------------------------------------------------------


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


# -- a live round ---------------------------------------------------------------------


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
            sent.mark((generation.generation_id, data["seq"]), user, started, acknowledged)
        # Announced as Repository.save does it, after the append returned.
        await publisher.appended("generation", result)
        await asyncio.sleep(APPEND_PAUSE)


async def _messages(store: EventStore, after: int) -> tuple[dict[Key, str], int]:
    """What the update publisher sent for each update after position ``after``, as JSON
    text; and the last position read."""
    found: dict[Key, str] = {}
    position = after
    while events := await store.read_all(position, 1000):
        for event in events:
            position = event.position
            message = update_message(event)
            if message is not None:
                body = {**message, "user_id": event.metadata.user_id}
                found[(event.stream_id, message["seq"])] = orjson.dumps(body).decode()
    return found, position


@dataclass
class Worker:
    """This process as the generation worker: its store and its doorbell."""

    store: EventStore
    publisher: UpdatePublisher
    user_ids: list[str]
    position: int = 0

    async def round(self, phase: Phase) -> tuple[Sent, dict[Key, str]]:
        """One generation per user, timed; what each update's message was."""
        sent = Sent()
        started = time.perf_counter()
        with phase.cpu.watching():
            await asyncio.gather(
                *(
                    _generation(self.store, self.publisher, n, user_id, sent)
                    for n, user_id in enumerate(self.user_ids)
                )
            )
            await asyncio.sleep(SETTLE_SECONDS)
        phase.seconds += time.perf_counter() - started
        phase.load_averages.append(round(os.getloadavg()[0], 2))
        phase.sent.started.update(sent.started)
        phase.sent.acknowledged.update(sent.acknowledged)
        messages, self.position = await _messages(self.store, self.position)
        return sent, messages


# -- a bare Redis round: the same messages on the same schedule -----------------------


async def _publish_user(
    client: Redis, channel: str, schedule: list[tuple[float, Key, str]], sent: Sent, user: int
) -> None:
    for at, key, text in schedule:
        await asyncio.sleep(max(0.0, at - time.time()))
        started = time.time()
        await client.publish(channel, text)
        sent.mark(key, user, started, time.time())


async def redis_round(
    client: Redis, live: Sent, messages: dict[Key, str], channels: list[str], phase: Phase
) -> None:
    first = min(live.started.values())
    began = time.time()
    by_user: defaultdict[int, list[tuple[float, Key, str]]] = defaultdict(list)
    for key, at in sorted(live.started.items(), key=lambda item: item[1]):
        by_user[live.user_of[key]].append((began + at - first, key, messages[key]))
    started = time.perf_counter()
    with phase.cpu.watching():
        await asyncio.gather(
            *(_publish_user(client, channels[u], s, phase.sent, u) for u, s in by_user.items())
        )
        await asyncio.sleep(SETTLE_SECONDS)
    phase.seconds += time.perf_counter() - started
    phase.load_averages.append(round(os.getloadavg()[0], 2))


# -- both, alternating ----------------------------------------------------------------


async def latency_phases(
    mongo_url: str, redis_url: str, app: dict[str, Any], plan: Plan, pids: dict[str, int]
) -> tuple[Phase, Phase]:
    channels = [f"bench-live-{n}" for n in range(plan.users)]
    sockets = {
        "mode": "websocket",
        "url": f"ws://127.0.0.1:{app['port']}/api/v1/ws",
        "tokens": app["tokens"],
        "per_token": plan.per_user,
        "subscribe": True,
    }
    subscribers = {
        "mode": "redis",
        "url": redis_url,
        "channels": channels,
        "per_channel": plan.per_user,
    }
    pubsub = RedisPubSub(redis_url)
    # Built as the worker's own publisher builds its client: the same work per publish.
    publisher_client = pooled_client(redis_url, timeout=2.0, decode_responses=True)
    async with (
        mongo(mongo_url, DATABASE) as pair,
        event_store(*pair) as store,
        clients(sockets) as (opened_sockets, socket_process, socket_result),
        clients(subscribers) as (opened_subscribers, redis_process, redis_result),
    ):
        live = Phase("live", CpuWatch({**pids, "clients": socket_process.pid}))
        bare = Phase("bare_redis", CpuWatch({**pids, "clients": redis_process.pid}))
        worker = Worker(store, UpdatePublisher(pubsub, store), app["user_ids"])
        worker.position = await store.head_position()
        # A round of each first, not counted: both sides open their pools' connections
        # (a hundred publishers at once) and warm their caches here, not in the figures.
        warm_up = [Phase(p.name, CpuWatch({})) for p in (live, bare)]
        for live_phase, bare_phase in [warm_up] + [[live, bare]] * plan.rounds:
            sent, messages = await worker.round(live_phase)
            await redis_round(publisher_client, sent, messages, channels, bare_phase)
        await asyncio.sleep(SETTLE_SECONDS)
    await publisher_client.aclose()
    await pubsub.close()
    live.settle(opened_sockets, socket_result, plan.per_user)
    bare.settle(opened_subscribers, redis_result, plan.per_user)
    return live, bare


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
                    f"{what} {name}, {phase.connections} {noun} (load {phase.load:.2f})",
                    server,
                    percentile(values, fraction) * 1000,
                    "ms",
                    count=len(values),
                    seconds=phase.seconds,
                )
            )
    bare_p99 = percentile(bare.latencies, 0.99)
    for key, values, what in (
        ("live_vs_redis_p99", live.latencies, "live append->receipt p99 / bare Redis p99"),
        ("live_ack_vs_redis_p99", live.acknowledged, "live acknowledged->receipt p99 / bare"),
    ):
        ratio = percentile(values, 0.99) / bare_p99 if bare_p99 else float("inf")
        judged = key == "live_vs_redis_p99"
        extra: dict[str, Any] = {"live": live.summary(), "bare_redis": bare.summary()}
        if judged:
            extra |= {"target": f"<= {GOAL_RATIO:.0f}x", "met": ratio <= GOAL_RATIO}
        figures.append(Figure(key, what, server, ratio, "x", extra=extra if judged else {}))
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
            live, bare = await latency_phases(url, redis.url, app, plan, pids)
            for figure in latency_figures(live, bare, server):
                record(figure)
            for figure in await idle_figures(app, plan, server):
                record(figure)
