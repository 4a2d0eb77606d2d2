"""Auth: login latency, event-loop stalls while hashing, ``GET /auth/me`` vs a bare handler.

Three measurements of the real app (``create_app``) on a real port, against the
embedded SecantusDB the suite started:

* **login latency**: a few users are registered, then sequential
  ``POST /auth/login`` calls are timed from an aiohttp client (each one an
  argon2id verify, m=19 MiB, t=2, plus the ``SessionStarted`` append and the
  read-your-writes wait);
* **event-loop stall**: while ``CONCURRENT_LOGINS`` logins run at once, a ticker
  in the server's own loop sleeps ``TICK`` seconds and records the actual gap
  between its wake-ups. The same number of verifies is then run *on* the loop
  (passlib called directly inside coroutines), to show what the thread pool saves;
* **throughput**: the app and a bare aiohttp JSON handler run in a separate
  process (``bench.auth_server``) and are hammered the same way, by ``wrk``
  when installed, else by an aiohttp client with the same number of connections.

The app runs with ``JOBWISE_RATE_LIMIT_PER_MINUTE`` set very high, so the
per-user limiter still runs on every request, as in production, but never refuses.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from passlib.hash import argon2  # type: ignore[import-untyped]

from bench.common import Figure, Settings, percentile, summary_ms
from bench.cpu import CpuMeter, CpuShare
from bench.server_process import server_process
from jobwise.entrypoints.http.factory import create_app
from jobwise.settings import Settings as AppSettings
from jobwise.settings import load_settings

PREFIX = "/api/v1/auth"
PASSWORD = "Bench-Passw0rd"
CONCURRENT_LOGINS = 8
USERS = CONCURRENT_LOGINS
"""One user per concurrent login: two logins of one account at once race on its
stream, and the loser answers 409 ``version_conflict``."""
TICK = 0.005
"""The ticker's sleep, in seconds: a gap well above it is time the loop was not running."""
RATE_LIMIT = "10000000"
WRK_THREADS = 2
CONNECTIONS = 32

Record = Callable[[Figure], None]


@dataclass(frozen=True)
class Plan:
    logins: int
    stall_rounds: int
    hammer_seconds: int
    warmup_seconds: int

    @classmethod
    def make(cls, settings: Settings) -> Plan:
        if settings.quick:
            return cls(logins=20, stall_rounds=2, hammer_seconds=3, warmup_seconds=1)
        return cls(logins=100, stall_rounds=4, hammer_seconds=10, warmup_seconds=2)


# --- the app on a real port --------------------------------------------------------------


def app_settings(data_dir: Path, database: str, log_level: str) -> AppSettings:
    return load_settings(
        {
            "JOBWISE_DATA_DIR": str(data_dir),
            "MONGODB_DB": database,
            "JOBWISE_RATE_LIMIT_PER_MINUTE": RATE_LIMIT,
            "JOBWISE_LOG_LEVEL": log_level,
        }
    )


@contextlib.asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[int]:
    """Serve ``app`` on a free loopback port (as ``jobwise serve`` does); yield the port."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port: int = runner.addresses[0][1]
        yield port
    finally:
        await runner.cleanup()


def email_of(n: int) -> str:
    return f"bench-{n}@example.com"


async def register(session: aiohttp.ClientSession, base: str, n: int) -> str:
    """Create user ``n``; return its access token."""
    body = {"email": email_of(n), "password": PASSWORD, "full_name": f"Bench User {n}"}
    async with session.post(f"{base}{PREFIX}/register", json=body) as response:
        answer = await response.json()
        if response.status != 201:
            raise RuntimeError(f"register answered {response.status}: {answer}")
    token: str = answer["access_token"]
    return token


async def log_in(session: aiohttp.ClientSession, base: str, n: int) -> float:
    """Log user ``n`` in; return the seconds it took."""
    body = {"email": email_of(n), "password": PASSWORD}
    started = time.perf_counter()
    async with session.post(f"{base}{PREFIX}/login", json=body) as response:
        await response.read()
        if response.status != 200:
            raise RuntimeError(f"login answered {response.status}: {await response.text()}")
    return time.perf_counter() - started


# --- login latency and event-loop stalls (server in this process) ------------------------


@contextlib.asynccontextmanager
async def ticking() -> AsyncIterator[list[float]]:
    """A task on the running loop that sleeps ``TICK`` and records each actual gap (s)."""
    gaps: list[float] = []

    async def tick() -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(TICK)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    task = asyncio.create_task(tick())
    await asyncio.sleep(0)
    try:
        yield gaps
        await asyncio.sleep(2 * TICK)  # let the gap the last work caused be recorded
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _logins_off_loop(session: aiohttp.ClientSession, base: str, rounds: int) -> int:
    for _ in range(rounds):
        await asyncio.gather(*(log_in(session, base, i % USERS) for i in range(CONCURRENT_LOGINS)))
    return rounds * CONCURRENT_LOGINS


async def _verifies_on_loop(rounds: int) -> tuple[int, float]:
    """The same number of verifies, each called directly in a coroutine; (count, s per verify)."""
    handler = argon2.using(type="ID", memory_cost=19456, rounds=2, parallelism=1)
    hashed = handler.hash(PASSWORD)
    took: list[float] = []

    async def verify() -> None:
        await asyncio.sleep(0)
        started = time.perf_counter()
        if not handler.verify(PASSWORD, hashed):
            raise RuntimeError("argon2 verify failed")
        took.append(time.perf_counter() - started)

    for _ in range(rounds):
        await asyncio.gather(*(verify() for _ in range(CONCURRENT_LOGINS)))
    return len(took), statistics.fmean(took)


def _ms(seconds: float) -> float:
    return seconds * 1000


def _gap_figures(key: str, what: str, gaps: list[float], server: str, **extra: Any) -> list[Figure]:
    shown = {**summary_ms(gaps), "ticks": len(gaps), "tick_ms": _ms(TICK), **extra}
    return [
        Figure(
            f"{key}_{name}",
            f"loop gap {name}, {CONCURRENT_LOGINS} concurrent verifies {what}",
            server,
            _ms(percentile(gaps, fraction)),
            "ms",
            extra=shown if name == "max" else {},
        )
        for name, fraction in (("p99", 0.99), ("max", 1.0))
    ]


async def in_process(url: str, settings: Settings, server: str, record: Record) -> None:
    plan = Plan.make(settings)
    with tempfile.TemporaryDirectory(prefix="jobwise-bench-auth-") as data_dir:
        # WARNING: the access log of hundreds of logins would drown the bench's output.
        app = create_app(app_settings(Path(data_dir), "bench_auth", "WARNING"), mongo_url=url)
        async with serving(app) as port, aiohttp.ClientSession() as session:
            base = f"http://127.0.0.1:{port}"
            for n in range(USERS):
                await register(session, base, n)
            await log_in(session, base, 0)  # warm-up: first-use costs stay out of the figure
            took = [await log_in(session, base, i % USERS) for i in range(plan.logins)]
            summary = summary_ms(took)
            for name in ("p50", "p99"):
                record(
                    Figure(
                        f"login_{name}",
                        f"POST /auth/login latency {name} (sequential, argon2id m=19MiB t=2)",
                        server,
                        summary[f"{name}_ms"],
                        "ms",
                        count=len(took),
                        seconds=sum(took),
                        extra=summary if name == "p99" else {},
                    )
                )

            async with ticking() as idle:
                await asyncio.sleep(0.5)
            idle_max = _ms(max(idle, default=0.0))
            async with ticking() as gaps:
                started = time.perf_counter()
                count = await _logins_off_loop(session, base, plan.stall_rounds)
                seconds = time.perf_counter() - started
            for figure in _gap_figures(
                "loop_gap_off_loop",
                "off the loop (real logins)",
                gaps,
                server,
                logins=count,
                seconds=seconds,
                idle_max_ms=idle_max,
            ):
                record(figure)

            async with ticking() as gaps:
                count, per_verify = await _verifies_on_loop(plan.stall_rounds)
            for figure in _gap_figures(
                "loop_gap_on_loop",
                "ON the loop (passlib direct)",
                gaps,
                server,
                verifies=count,
                verify_ms=_ms(per_verify),
            ):
                record(figure)


# --- throughput: server in its own process, load from wrk or an aiohttp client -----------


@dataclass(frozen=True)
class Load:
    tool: str
    requests: int
    seconds: float
    failures: int
    p50_ms: float
    p99_ms: float
    cpu: CpuShare

    @property
    def rate(self) -> float:
        return (self.requests - self.failures) / self.seconds if self.seconds else 0.0


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _wrk_ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not found:
        raise ValueError(f"unexpected wrk latency {text!r}")
    return float(found.group(1)) * _UNITS_MS[found.group(2)]


def parse_wrk(output: str) -> tuple[int, float, int, float, float]:
    """(requests, seconds, failures, p50 ms, p99 ms) from ``wrk --latency`` output."""
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m),", output)
    if not done:
        raise ValueError(f"unexpected wrk output:\n{output}")
    seconds = _wrk_ms(done.group(2) + done.group(3)) / 1000
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    failures = int(bad.group(1)) if bad else 0
    failures += sum(int(n) for n in errors.groups()) if errors else 0
    # wrk pads a latency in seconds ("1.19s ") to the width of one in ms.
    p50 = re.search(r"^\s+50%\s+(\S+)\s*$", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)\s*$", output, re.MULTILINE)
    if not (p50 and p99):
        raise ValueError(f"no latency distribution in wrk output:\n{output}")
    return int(done.group(1)), seconds, failures, _wrk_ms(p50.group(1)), _wrk_ms(p99.group(1))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


async def _wrk(
    wrk: str, url: str, headers: dict[str, str], seconds: int, wrk_timeout: int | None = None
) -> str:
    command = [wrk, f"-t{WRK_THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    if wrk_timeout is not None:  # wrk's default is 2 s: slower answers count as socket errors
        command += ["--timeout", f"{wrk_timeout}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    process = await asyncio.create_subprocess_exec(
        *command, url, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output, _ = await process.communicate()
    text = output.decode(errors="replace")
    if process.returncode != 0:
        raise RuntimeError(f"wrk exited with {process.returncode}:\n{text}")
    return text


async def _aiohttp_load(
    url: str, headers: dict[str, str], seconds: float
) -> tuple[int, int, list[float]]:
    deadline = time.perf_counter() + seconds
    took: list[float] = []
    failures = 0
    connector = aiohttp.TCPConnector(limit=CONNECTIONS)
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:

        async def worker() -> None:
            nonlocal failures
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                async with session.get(url) as response:
                    await response.read()
                    failures += response.status != 200
                took.append(time.perf_counter() - started)

        await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
    return len(took), failures, took


async def hammer(
    url: str,
    headers: dict[str, str],
    seconds: int,
    server_pid: int,
    wrk_timeout: int | None = None,
) -> Load:
    """``CONNECTIONS`` connections on ``url`` for ``seconds``: wrk if installed, else aiohttp.

    ``wrk_timeout``: wrk's per-request timeout in seconds (None: wrk's default, 2 s).
    """
    wrk = shutil.which("wrk")
    meter = CpuMeter(server_pid)
    children_before = _children_cpu()
    meter.start()
    started = time.perf_counter()
    if wrk:
        requests, elapsed, failures, p50, p99 = parse_wrk(
            await _wrk(wrk, url, headers, seconds, wrk_timeout)
        )
        tool = f"wrk -t{WRK_THREADS} -c{CONNECTIONS}"
    else:
        requests, failures, took = await _aiohttp_load(url, headers, seconds)
        elapsed = time.perf_counter() - started
        p50, p99 = _ms(percentile(took, 0.5)), _ms(percentile(took, 0.99))
        tool = f"aiohttp client, {CONNECTIONS} workers, same 2 cores"
    share = meter.stop()
    wall = time.perf_counter() - started
    wrk_cores = (_children_cpu() - children_before) / wall if wall else 0.0
    cpu = CpuShare(client=share.client + wrk_cores, server=share.server)
    return Load(tool, requests, elapsed, failures, p50, p99, cpu)


@dataclass(frozen=True)
class AuthServer:
    process: asyncio.subprocess.Process
    app_port: int
    bare_port: int
    token: str


@contextlib.asynccontextmanager
async def auth_server(url: str, database: str = "bench_auth_me") -> AsyncIterator[AuthServer]:
    """``python -m bench.auth_server`` in its own process; stopped by closing its stdin."""
    async with server_process("bench.auth_server", url, database) as (ready, process):
        yield AuthServer(process, ready["app_port"], ready["bare_port"], ready["token"])


async def _check(url: str, headers: dict[str, str]) -> None:
    async with aiohttp.ClientSession(headers=headers) as session, session.get(url) as response:
        if response.status != 200:
            raise RuntimeError(f"GET {url} answered {response.status}: {await response.text()}")


def _load_figures(key: str, label: str, load: Load, server: str, db_cores: float) -> list[Figure]:
    extra = {
        "tool": load.tool,
        "requests": load.requests,
        "failures": load.failures,
        "p50_ms": load.p50_ms,
        "p99_ms": load.p99_ms,
        "db_cores": db_cores,
        "cpu": "cl = load generator + bench process, srv = the app's process (bench.auth_server)",
    }
    rate = Figure(
        f"{key}_rps",
        f"{label} ({load.tool})",
        server,
        load.rate,
        "req/s",
        count=load.requests,
        seconds=load.seconds,
        cpu=load.cpu,
        extra=extra,
    )
    latencies = [
        Figure(f"{key}_{name}", f"{label} latency {name} (under load)", server, value, "ms")
        for name, value in (("p50", load.p50_ms), ("p99", load.p99_ms))
    ]
    return [rate, *latencies]


async def throughput(
    url: str, settings: Settings, db_meter: CpuMeter, server: str, record: Record
) -> None:
    plan = Plan.make(settings)
    async with auth_server(url) as running:
        pid = running.process.pid
        me_url = f"http://127.0.0.1:{running.app_port}{PREFIX}/me"
        bare_url = f"http://127.0.0.1:{running.bare_port}/"
        bearer = {"Authorization": f"Bearer {running.token}"}
        await _check(me_url, bearer)
        await _check(bare_url, bearer)
        loads: dict[str, Load] = {}
        db_cores: dict[str, float] = {}
        for key, target in (("bare", bare_url), ("me", me_url)):
            await hammer(target, bearer, plan.warmup_seconds, pid)
            db_meter.start()
            loads[key] = await hammer(target, bearer, plan.hammer_seconds, pid)
            db_cores[key] = db_meter.stop().server
    bare, me = loads["bare"], loads["me"]
    for figure in [
        *_load_figures("auth_me", "GET /auth/me, authenticated", me, server, db_cores["me"]),
        *_load_figures("auth_bare", "bare aiohttp JSON handler", bare, server, db_cores["bare"]),
    ]:
        record(figure)
    if me.failures or bare.failures:
        print(f"  WARNING: failed requests: /me {me.failures}, bare {bare.failures}", flush=True)
    share = me.rate / bare.rate if bare.rate else 0.0
    record(
        Figure(
            "auth_me_share",
            "GET /auth/me req/s as a share of the bare handler's",
            server,
            share * 100,
            "% of bare",
            extra={"load_average": os.getloadavg()},
        )
    )


async def auth_figures(
    url: str, settings: Settings, db_meter: CpuMeter, server: str, record: Record
) -> None:
    """All auth figures, recorded as they land."""
    await in_process(url, settings, server, record)
    await throughput(url, settings, db_meter, server, record)
