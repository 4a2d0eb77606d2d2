"""Live updates: append-to-receipt latency with 1,000 sockets, memory per idle socket, 5,000 held.

The app runs in this process on a real port (``create_app``, its hub and store
as in production, in-process pub/sub); the clients run in another process
(``bench.live_client``), so they do not share the server's event loop or cores.

* **latency**: ``SOCKETS`` sockets (``USERS`` users, each socket on its user
  channel) while generations run: each user's generation is appended one event
  at a time, as the worker does, through the store and the update publisher.
  Latency is the wall-clock time from just before an append to the client's
  receipt of that update (same machine, same clock), over every update and
  every socket that received it.
* **idle sockets**: ``IDLE_SOCKETS`` authenticated sockets, nothing flowing; the
  server process's RSS before and after, divided by the count.
"""

from __future__ import annotations

import asyncio
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import orjson

from bench.auth import register, serving
from bench.common import Figure, Settings, percentile, summary_ms
from bench.cpu import CpuMeter
from bench.server_process import ROOT
from jobwise.domain.events import EventMetadata, NewEvent
from jobwise.entrypoints.http.factory import create_app
from jobwise.entrypoints.http.keys import RUNTIME
from jobwise.settings import load_settings
from tests.support.generations import Generation

Record = Callable[[Figure], None]
USERS = 100
SOCKETS = 1000
IDLE_SOCKETS = 5000
APPEND_PAUSE = 0.02
"""Seconds between one user's appends: stages arrive one after another, not all at once."""


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def _clients(url: str, tokens: list[str], per_token: int, subscribe: bool) -> Any:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.live_client",
        cwd=ROOT, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        limit=2**28,
    )  # fmt: skip
    assert process.stdin is not None and process.stdout is not None
    plan = {"url": url, "tokens": tokens, "per_token": per_token, "subscribe": subscribe}
    process.stdin.write(orjson.dumps(plan) + b"\n")
    await process.stdin.drain()
    ready = orjson.loads(await asyncio.wait_for(process.stdout.readline(), 600))
    return process, ready["ready"]


async def _finish(process: Any) -> dict[str, Any]:
    process.stdin.close()
    result: dict[str, Any] = orjson.loads(await asyncio.wait_for(process.stdout.readline(), 300))
    await process.wait()
    return result


Sent = dict[tuple[str, int], tuple[float, float]]
"""(generation, seq) -> (wall clock before the append, after it was acknowledged)."""


async def _generation(runtime: Any, user_id: str, sent: Sent) -> None:
    generation = Generation(runtime.store, runtime.updates, user_id)
    while not generation.done:
        kind, data = generation.plan[generation.version]
        started = time.time()
        result = await generation.store.append(
            generation.generation_id,
            [NewEvent(type=kind, data=data)],
            generation.version,
            stream_type="generation",
            metadata=EventMetadata(user_id=user_id),
        )
        acknowledged = time.time()
        generation.version = result.version
        if "seq" in data:
            sent[(generation.generation_id, data["seq"])] = (started, acknowledged)
        # Announced as Repository.save does it, after the append returned.
        await runtime.updates.appended("generation", result)
        await asyncio.sleep(APPEND_PAUSE)


async def live_figures(
    url: str, settings: Settings, meter: CpuMeter, server: str, record: Record
) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    users = 20 if settings.quick else USERS
    sockets = 200 if settings.quick else SOCKETS
    idle = 1000 if settings.quick else IDLE_SOCKETS
    with tempfile.TemporaryDirectory(prefix="jobwise-bench-live-") as data_dir:
        app_settings = load_settings(
            {
                "JOBWISE_DATA_DIR": data_dir,
                "MONGODB_DB": "bench_live",
                "JOBWISE_RATE_LIMIT_PER_MINUTE": "10000000",
                "JOBWISE_REGISTRATIONS_PER_HOUR": "1000000",
                "JOBWISE_LIVE_SOCKETS_PER_USER": str(idle // users + 1),
                "JOBWISE_LOG_LEVEL": "WARNING",
                # The bench writes the generations' events itself, timing each append; a
                # real worker would pick the same generations up and race it.
                "JOBWISE_WORKER_CONCURRENCY": "0",
            }
        )
        app = create_app(app_settings, mongo_url=url)
        async with serving(app) as port, aiohttp.ClientSession() as session:
            base = f"http://127.0.0.1:{port}"
            runtime = app[RUNTIME]
            tokens = await asyncio.gather(*(register(session, base, n) for n in range(users)))
            user_ids = [runtime.auth.tokens.decode(t, "access").sub for t in tokens]
            ws_url = f"ws://127.0.0.1:{port}/api/v1/ws"

            process, opened = await _clients(ws_url, list(tokens), sockets // users, True)
            sent: Sent = {}
            started = time.perf_counter()
            await asyncio.gather(*(_generation(runtime, u, sent) for u in user_ids))
            await asyncio.sleep(2.0)  # the last receipts
            seconds = time.perf_counter() - started
            result = await _finish(process)
            receipts = [r for r in result["receipts"] if (r[0], r[1]) in sent]
            from_append = [t - sent[(gid, seq)][0] for gid, seq, t in receipts]
            from_ack = [t - sent[(gid, seq)][1] for gid, seq, t in receipts]
            extra = {
                "append_to_receipt": summary_ms(from_append),
                "acknowledged_to_receipt": summary_ms(from_ack),
                "sockets": opened,
                "updates": len(sent),
                "receipts": len(receipts),
                "expected_receipts": len(sent) * (sockets // users),
                "cut_off": result["closed"],
                "goal_p99_ms": 50,
                "load_average_during": list(os.getloadavg()),
            }
            for key, values, what in (
                ("append", from_append, "append->receipt"),
                ("ack", from_ack, "append acknowledged->receipt"),
            ):
                for name, fraction in (("p50", 0.50), ("p99", 0.99)):
                    record(
                        Figure(
                            f"live_{key}_latency_{name}",
                            f"live update {what} {name}, {opened} sockets",
                            server,
                            percentile(values, fraction) * 1000,
                            "ms",
                            count=len(values),
                            seconds=seconds,
                            extra=extra,
                        )
                    )

            before = _rss_kib()
            process, held = await _clients(ws_url, list(tokens), idle // users, False)
            await asyncio.sleep(1.0)
            after = _rss_kib()
            result = await _finish(process)
            per_socket = (after - before) * 1024 / max(1, held)
            limits = {"ulimit_n": [soft, hard], "cores": os.cpu_count(), "goal_bytes": 30 * 1024}
            record(
                Figure(
                    "live_idle_socket_bytes",
                    f"live idle socket memory (server RSS growth / {held} sockets)",
                    server,
                    per_socket,
                    "B",
                    count=held,
                    extra={**limits, "rss_before_kib": before, "rss_after_kib": after},
                )
            )
            record(
                Figure(
                    "live_idle_sockets_held",
                    "live idle sockets held at once",
                    server,
                    held - result["closed"],
                    "sockets",
                    count=held,
                    extra=limits,
                )
            )
