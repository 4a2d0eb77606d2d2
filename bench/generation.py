"""Generation: a resume from POST to completed with its PDF, 20 users at once, memory.

The app runs with its worker in its own process (``bench.generation_server``, as
``jobwise serve`` runs), on the embedded SecantusDB the suite started; this process is
the client, over HTTP, polling ``GET /generations/{id}`` every ``POLL`` seconds:

* **latency**: one offline resume at a time, ``POST /generations/resume`` until the
  generation reads ``completed`` (five stages done, the PDF rendered and stored);
* **concurrent**: ``CONCURRENT`` users each request one at the same moment; all must
  complete; the wall time for all and each one's latency;
* **memory**: ``Plan.soak`` generations run by a ``jobwise worker`` process of its own
  (beside an API process without a worker): its RSS and its Chromium's after a
  warm-up and after the soak, the CPU time one generation costs, and the API
  process's RSS growth (its projections keep recent read-model documents).

Every generation is of a profile of its own (a realistic one, with its own name), so
no PDF is served from the export cache: each one is really rendered. The posting is a
real one (``tests/data/real_postings``). Goals beside each figure: p50 < ``P50_MS``,
p99 < ``P99_MS``, all ``CONCURRENT`` completed, worker RSS growth < ``RSS_GROWTH_MB``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench.auth import PASSWORD
from bench.common import Figure, Settings, summary_ms
from bench.profiles import realistic_profile
from bench.server_process import ROOT, server_process
from jobwise.adapters.rendering.processes import descendants, rss_bytes

POSTING = (
    ROOT / "tests" / "data" / "real_postings" / "09-safespring-2026-senior-backend-engineer.txt"
)
API = "/api/v1"
POLL = 0.05
CONCURRENT = 20
PER_USER = 10
"""A free user's generations a month."""
P50_MS = 1500.0
P99_MS = 3000.0
RSS_GROWTH_MB = 50.0
SERVER = "app+worker"
MB = 1024 * 1024
Record = Callable[[Figure], None]


@dataclass(frozen=True)
class Plan:
    warmup: int
    sequential: int
    soak: int
    soak_clients: int

    @classmethod
    def make(cls, settings: Settings) -> Plan:
        if settings.quick:
            return cls(warmup=3, sequential=15, soak=60, soak_clients=4)
        return cls(warmup=5, sequential=50, soak=300, soak_clients=4)


@dataclass
class Seat:
    """One user's token and job, and how many generations it has left this month."""

    token: str
    job_id: str
    left: int = PER_USER


@dataclass
class Client:
    session: aiohttp.ClientSession
    base: str
    numbers: itertools.count[int] = field(default_factory=itertools.count)
    seats: list[Seat] = field(default_factory=list)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def call(self, method: str, path: str, token: str | None, body: Any = None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with self.session.request(
            method, self.base + API + path, json=body, headers=headers
        ) as response:
            answer = await response.json()
            if response.status >= 300:
                raise RuntimeError(f"{method} {path} answered {response.status}: {answer}")
            return answer

    async def seat(self) -> Seat:
        """A user with a generation left this month (registered as needed)."""
        async with self.lock:
            for seat in self.seats:
                if seat.left > 0:
                    seat.left -= 1
                    return seat
            seat = await self.new_user()
            seat.left -= 1
            self.seats.append(seat)
            return seat

    async def new_user(self) -> Seat:
        """A new user with the real posting saved as a job."""
        n = next(self.numbers)
        body = {"email": f"gen-{n}@example.com", "password": PASSWORD, "full_name": "Bench"}
        token = (await self.call("POST", "/auth/register", None, body))["access_token"]
        posting = {"source": "bench", "raw_text": POSTING.read_text(encoding="utf-8")}
        job = await self.call("POST", "/jobs", token, posting)
        return Seat(token, job["id"])

    async def prepared(self, seat: Seat | None = None) -> tuple[Seat, str]:
        """A seat and a profile of its own (so no two generations render the same PDF)."""
        chosen = seat or await self.seat()
        body = realistic_profile(next(self.numbers))
        profile = await self.call("POST", "/profiles", chosen.token, body)
        return chosen, str(profile["id"])

    async def generate(self, seat: Seat, profile_id: str) -> float:
        """POST a resume and poll until it completes; the seconds it took."""
        body = {"profile_id": profile_id, "job_id": seat.job_id}
        started = time.perf_counter()
        created = await self.call("POST", "/generations/resume", seat.token, body)
        while True:
            current = await self.call("GET", f"/generations/{created['id']}", seat.token)
            if current["status"] not in ("pending", "generating"):
                break
            await asyncio.sleep(POLL)
        took = time.perf_counter() - started
        if current["status"] != "completed" or current["result"] is None:
            raise RuntimeError(f"generation ended {current['status']}: {current['error']}")
        return took


@contextlib.asynccontextmanager
async def generation_server(
    url: str, database: str = "bench_generation", *, worker: bool = True
) -> AsyncIterator[tuple[int, int]]:
    """``python -m bench.generation_server``: (port, pid); stopped by closing its stdin."""
    extra = [] if worker else ["--no-worker"]
    async with server_process("bench.generation_server", url, database, extra) as (ready, _):
        yield int(ready["app_port"]), int(ready["pid"])


@contextlib.asynccontextmanager
async def dedicated_worker(url: str, database: str) -> AsyncIterator[int]:
    """``jobwise worker`` on the same database, as deployed for scale; its pid."""
    with tempfile.TemporaryDirectory(prefix="jobwise-bench-worker-") as data_dir:
        env = {
            **os.environ,
            "MONGODB_URL": url,
            "MONGODB_DB": database,
            "JOBWISE_DATA_DIR": data_dir,
            "JOBWISE_LOG_LEVEL": "WARNING",
        }
        log_path = Path(data_dir) / "worker.log"
        with log_path.open("wb") as log:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "jobwise.entrypoints.cli",
                "worker",
                cwd=ROOT,
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
            )
        try:
            # It says so on stderr once it runs (imports and Chromium take a few seconds).
            async with asyncio.timeout(60):
                while b"jobwise worker" not in log_path.read_bytes():
                    if process.returncode is not None:
                        raise RuntimeError(f"jobwise worker failed: {log_path.read_text()}")
                    await asyncio.sleep(0.2)
            yield process.pid
        finally:
            if process.returncode is None:
                process.terminate()
            try:
                await asyncio.wait_for(process.wait(), timeout=30)
            except TimeoutError:
                process.kill()
                await process.wait()


def _judged(figure: Figure, target: str, met: bool) -> Figure:
    figure.extra.update({"target": target, "met": met})
    print(f"      goal {target}: {'met' if met else 'MISSED'}", flush=True)
    return figure


def _cpu_seconds(pid: int) -> float:
    """CPU time of the app's process and every descendant (Chromium's too), reaped
    children included: what the generations cost, whatever else the machine runs."""
    total = 0
    for one in (pid, *descendants(pid)):
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return total / os.sysconf("SC_CLK_TCK")


def _memory(pid: int) -> tuple[float, float]:
    """(the app process's RSS, its children's: Chromium and Playwright's driver), in MB."""
    return rss_bytes(pid) / MB, sum(rss_bytes(child) for child in descendants(pid)) / MB


async def _latency(client: Client, plan: Plan, record: Record) -> None:
    for _ in range(plan.warmup):  # Chromium's launch and first-use costs stay out
        await client.generate(*await client.prepared())
    took = []
    for _ in range(plan.sequential):
        seat, profile = await client.prepared()
        took.append(await client.generate(seat, profile))
    summary = summary_ms(took)
    label = "offline resume, POST to completed with the PDF"
    for name, goal in (("p50", P50_MS), ("p99", P99_MS)):
        figure = Figure(
            f"generation_{name}",
            f"{label}, {name}",
            SERVER,
            summary[f"{name}_ms"],
            "ms",
            count=len(took),
            extra=summary if name == "p99" else {},
        )
        record(figure)
        _judged(figure, f"< {goal:.0f} ms", figure.value < goal)


async def _concurrent(client: Client, record: Record) -> None:
    # Users of their own, each with a profile and the job, made before the clock starts.
    ready = [await client.prepared(await client.new_user()) for _ in range(CONCURRENT)]
    started = time.perf_counter()
    outcomes = await asyncio.gather(
        *(client.generate(seat, profile) for seat, profile in ready), return_exceptions=True
    )
    wall = time.perf_counter() - started
    took = [o for o in outcomes if isinstance(o, float)]
    completed = Figure(
        "generation_20_users_completed",
        f"{CONCURRENT} users at once: generations completed",
        SERVER,
        float(len(took)),
        "of 20",
        count=CONCURRENT,
        seconds=wall,
        extra={"errors": [repr(o) for o in outcomes if not isinstance(o, float)][:3]},
    )
    record(completed)
    _judged(completed, f"all {CONCURRENT}", len(took) == CONCURRENT)
    spread = summary_ms(took)
    for key, label, value in (
        ("generation_20_users_wall", "wall time for all", wall * 1000),
        ("generation_20_users_p50", "each, p50", spread["p50_ms"]),
        ("generation_20_users_p99", "each, p99", spread["p99_ms"]),
    ):
        record(Figure(key, f"{CONCURRENT} users at once: {label}", SERVER, value, "ms"))


async def _soak(url: str, plan: Plan, record: Record) -> None:
    """``Plan.soak`` generations run by a ``jobwise worker`` of its own, beside an API
    process without a worker: the worker's memory is then the worker's alone (the API
    process also holds the projections' caches of recent read-model documents)."""
    database = "bench_generation_soak"
    async with (
        generation_server(url, database, worker=False) as (port, api_pid),
        dedicated_worker(url, database) as pid,
        aiohttp.ClientSession() as session,
    ):
        client = Client(session, f"http://127.0.0.1:{port}")
        for _ in range(plan.warmup * 2):  # first-use caches (taxonomy, templates) fill here
            await client.generate(*await client.prepared())
        worker_before, browser_before = _memory(pid)
        api_before, _ = _memory(api_pid)
        cpu_before = _cpu_seconds(pid)
        remaining = iter(range(plan.soak))

        async def one_client() -> None:
            for _ in remaining:
                await client.generate(*await client.prepared())

        started = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(plan.soak_clients)))
        seconds = time.perf_counter() - started
        cpu = _cpu_seconds(pid) - cpu_before
        worker_after, browser_after = _memory(pid)
        api_after, _ = _memory(api_pid)
    record(
        Figure(
            "generation_cpu_each",
            "CPU time per generation (worker and its Chromium, all cores)",
            SERVER,
            cpu / plan.soak * 1000,
            "ms",
            count=plan.soak,
            seconds=seconds,
            extra={"note": "what one generation costs, whatever else the machine runs"},
        )
    )
    for key, who, before, after in (
        ("generation_rss_worker", "jobwise worker process", worker_before, worker_after),
        ("generation_rss_browser", "worker's Chromium (children)", browser_before, browser_after),
        ("generation_rss_api", "API process (projection caches)", api_before, api_after),
    ):
        growth = Figure(
            key,
            f"RSS growth of the {who} over {plan.soak} generations",
            SERVER,
            after - before,
            "MB",
            count=plan.soak,
            seconds=seconds,
            extra={"before_mb": before, "after_mb": after},
        )
        record(growth)
        if key == "generation_rss_worker":
            _judged(growth, f"< {RSS_GROWTH_MB:.0f} MB", growth.value < RSS_GROWTH_MB)


async def generation_figures(url: str, settings: Settings, record: Record) -> None:
    plan = Plan.make(settings)
    async with generation_server(url) as (port, _pid), aiohttp.ClientSession() as session:
        client = Client(session, f"http://127.0.0.1:{port}")
        await _latency(client, plan, record)
        await _concurrent(client, record)
    await _soak(url, plan, record)
