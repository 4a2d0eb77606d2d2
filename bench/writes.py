"""The write path (issue 10): each figure beside its yardstick, measured in the same run.

Against the real app in its own process (``bench.auth_server``, as ``jobwise serve``
runs it), on the embedded SecantusDB the run started:

* **yardstick**: a transaction of one ``insert_one`` and one ``update_one`` from
  this process (one client, sequential), the least a write that stores an event and
  updates a view can cost;
* **one client**: a component POST, a PATCH and a 5 KB job paste, sequentially:
  p50 against 4 times the yardstick;
* **16 clients on one profile, no If-Match**: each adds a project and removes it
  again, in a loop: every answer must be a 2xx (a lost race is never the caller's);
* **32 clients**: ``GET /auth/me`` against a ``find_one`` of the user's document by
  ``_id`` with the same concurrency (≥ 70 %, p99 < 25 ms);
* **rebuild**: a realistic log (users, profiles with items and edits, pasted jobs,
  saved jobs; 100k events, 10k with ``--quick``) written straight through the domain
  and the event store, then every projection rebuilt: events/s each (≥ 2,000), and
  ``verify`` clean afterwards.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from bench.auth import auth_server, hammer
from bench.common import Figure, Settings, mongo, percentile, summary_ms
from bench.cpu import CpuMeter
from bench.profiles import realistic_profile
from jobwise.adapters.eventstore.mongo import MongoEventStore
from jobwise.application.posting_reader import PostingReader
from jobwise.application.repository import Repository
from jobwise.domain.events import EventMetadata, new_id
from jobwise.domain.job import Job
from jobwise.domain.profile import Profile
from jobwise.domain.saved_job import SavedJob, saved_job_id
from jobwise.domain.skills import default_taxonomy
from jobwise.domain.user import User
from jobwise.projections import all_projections
from jobwise.projections.maintenance import rebuild, verify
from jobwise.projections.users import USERS

DATABASE = "bench_writes"
YARDSTICK_DATABASE = "bench_yardstick"
REBUILD_DATABASE = "bench_rebuild"
API = "/api/v1"
PASTE = (Path(__file__).parent / "data" / "posting_5kb.txt").read_text()
TIMES_YARDSTICK = 4.0
SHARE = 0.7
P99_MS = 25.0
REBUILD_RATE = 2_000.0
ONE_PROFILE_WRITERS = 16
GET_TASKS = 32
Record = Callable[[Figure], None]
Json = dict[str, Any]


def _goal(target: str, met: bool, **extra: Any) -> Json:
    return {"target": target, "met": met, **extra}


# --- the yardstick -------------------------------------------------------------------


async def transaction_p50(url: str, rounds: int) -> float:
    """Seconds, p50, of a transaction holding one insert and one update."""
    async with mongo(url, YARDSTICK_DATABASE) as (client, db):
        await db.yardstick.insert_one({"_id": "counter", "n": 0})
        took: list[float] = []
        for n in range(rounds):
            started = time.perf_counter()
            async with client.start_session() as session, await session.start_transaction():
                await db.yardstick_events.insert_one({"n": n, "data": "x" * 500}, session=session)
                await db.yardstick.update_one(
                    {"_id": "counter"}, {"$inc": {"n": 1}}, session=session
                )
            took.append(time.perf_counter() - started)
        await client.drop_database(YARDSTICK_DATABASE)
    return percentile(took, 0.5)


# --- one client ------------------------------------------------------------------------


async def _call(session: aiohttp.ClientSession, method: str, url: str, body: Any) -> Json:
    async with session.request(method, url, json=body) as response:
        answer: Json = await response.json()
        if response.status >= 300:
            raise RuntimeError(f"{method} {url} answered {response.status}: {answer}")
    return answer


async def _timed(rounds: int, step: Callable[[int], Awaitable[None]]) -> list[float]:
    took: list[float] = []
    for n in range(rounds):
        started = time.perf_counter()
        await step(n)
        took.append(time.perf_counter() - started)
    return took


async def one_client_figures(
    session: aiohttp.ClientSession, base: str, rounds: int, yardstick: float, server: str
) -> list[Figure]:
    profile = await _call(session, "POST", f"{base}{API}/profiles", realistic_profile(1))
    profiles = [profile["id"]]

    added = [0]

    async def add_project(n: int) -> None:
        # A profile holds 100 projects (a realistic one starts with a few): move on early.
        if added[0] == 60:
            fresh = await _call(session, "POST", f"{base}{API}/profiles", realistic_profile(n))
            profiles.append(fresh["id"])
            added[0] = 0
        added[0] += 1
        url = f"{base}{API}/profiles/{profiles[-1]}/projects"
        await _call(session, "POST", url, {"name": f"project {n}", "technologies": ["Go"]})

    async def patch(n: int) -> None:
        url = f"{base}{API}/profiles/{profile['id']}"
        await _call(session, "PATCH", url, {"professional_summary": f"Summary number {n}."})

    async def paste(n: int) -> None:
        await _call(session, "POST", f"{base}{API}/jobs", {"source": f"s{n}", "raw_text": PASTE})

    figures = []
    for key, label, step in (
        ("component_post", "POST /profiles/{id}/projects", add_project),
        ("patch", "PATCH /profiles/{id}", patch),
        ("job_paste", "POST /jobs, a 5 KB paste", paste),
    ):
        await _timed(max(5, rounds // 10), step)  # warm up
        took = await _timed(rounds, step)
        p50 = percentile(took, 0.5)
        ratio = p50 / yardstick if yardstick else 0.0
        figures.append(
            Figure(
                f"write_one_client_{key}",
                f"{label}, one client, latency p50",
                server,
                p50 * 1000,
                "ms",
                extra=_goal(
                    f"<= {TIMES_YARDSTICK:.0f}x txn",
                    ratio <= TIMES_YARDSTICK,
                    times_yardstick=round(ratio, 2),
                    **summary_ms(took),
                ),
            )
        )
    return figures


# --- sixteen writers on one profile ----------------------------------------------------


async def one_profile_figure(
    session: aiohttp.ClientSession, base: str, seconds: float, server: str
) -> Figure:
    profile = await _call(session, "POST", f"{base}{API}/profiles", realistic_profile(2))
    projects = f"{base}{API}/profiles/{profile['id']}/projects"
    took: list[float] = []
    errors: dict[int, int] = {}
    deadline = time.perf_counter() + seconds

    async def request(method: str, url: str, body: Any = None) -> Json | None:
        started = time.perf_counter()
        async with session.request(method, url, json=body) as response:
            answer = await response.json() if response.status != 204 else None
            took.append(time.perf_counter() - started)
            if response.status >= 300:
                errors[response.status] = errors.get(response.status, 0) + 1
                return None
        return answer

    async def writer(n: int) -> None:
        while time.perf_counter() < deadline:
            view = await request("POST", projects, {"name": f"w{n}"})
            if view is None:
                continue
            mine = [p["id"] for p in view["projects"] if p["name"] == f"w{n}"]
            for project_id in mine:
                await request("DELETE", f"{projects}/{project_id}")

    started = time.perf_counter()
    await asyncio.gather(*(writer(n) for n in range(ONE_PROFILE_WRITERS)))
    elapsed = time.perf_counter() - started
    failed = sum(errors.values())
    return Figure(
        "write_one_profile_errors",
        f"{ONE_PROFILE_WRITERS} clients adding/removing projects on one profile "
        "without If-Match: errors",
        server,
        failed,
        "errors",
        count=len(took),
        seconds=elapsed,
        extra=_goal(
            "0 errors",
            failed == 0,
            writes=len(took),
            writes_per_s=len(took) / elapsed if elapsed else 0.0,
            by_status=errors,
            **summary_ms(took),
        ),
    )


# --- GET /auth/me against find_one -----------------------------------------------------


async def find_one_rate(url: str, user_id: str, seconds: float) -> tuple[float, list[float]]:
    async with mongo(url, DATABASE) as (_client, db):
        users = db[USERS]
        took: list[float] = []
        deadline = time.perf_counter() + seconds

        async def task() -> None:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                await users.find_one({"_id": user_id})
                took.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(task() for _ in range(GET_TASKS)))
        return len(took) / (time.perf_counter() - started), took


async def me_figures(
    url: str, base: str, token: str, pid: int, seconds: int, server: str
) -> list[Figure]:
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        me = await _call(session, "GET", f"{base}{API}/auth/me", None)
    await hammer(f"{base}{API}/auth/me", headers, 1, pid)
    load = await hammer(f"{base}{API}/auth/me", headers, seconds, pid)
    await find_one_rate(url, me["id"], 1)
    rate, took = await find_one_rate(url, me["id"], seconds)
    share = load.rate / rate if rate else 0.0
    return [
        Figure(
            "write_me_share",
            f"GET /auth/me req/s ({load.tool}) as a share of find_one's ({GET_TASKS} tasks)",
            server,
            share * 100,
            "% of find_one",
            extra=_goal(
                f">= {SHARE:.0%} of find_one",
                share >= SHARE,
                me_rps=load.rate,
                find_one_rps=rate,
                find_one_p99_ms=percentile(took, 0.99) * 1000,
                failures=load.failures,
            ),
        ),
        Figure(
            "write_me_p99",
            "GET /auth/me latency p99 (under load)",
            server,
            load.p99_ms,
            "ms",
            extra=_goal(f"< {P99_MS:.0f} ms", load.p99_ms < P99_MS, p50_ms=load.p50_ms),
        ),
    ]


# --- rebuild on a realistic log ----------------------------------------------------------


async def realistic_log(store: MongoEventStore, events: int) -> int:
    """Write about ``events`` events as the app would: per user, a registration, a few
    logins, a realistic profile and edits to it, pasted jobs and board entries."""
    repository = Repository(store)
    reader = PostingReader(default_taxonomy())
    reading = await reader.read_text(PASTE, user_id="bench", use_llm=False)

    async def one_user(n: int) -> None:
        meta = EventMetadata(user_id=f"user-{n}")
        user = User.register(f"user-{n}", f"user{n}@example.com", f"User {n}", "x" * 60)
        for _login in range(3):
            user.start_session(new_id(), new_id(), _far_future())
        await repository.save(user, meta)
        body = realistic_profile(n)
        components = {c: body[c] for c in ("experiences", "education", "projects")}
        components["skills"] = body["skills"]
        profile = Profile.create(
            new_id(),
            f"user-{n}",
            body["personal_info"],
            body["professional_summary"],
            body["custom_fields"],
            components,
            True,
        )
        await repository.save(profile, meta)
        for edit in range(5):
            profile.update({"professional_summary": f"Edited summary {edit} of user {n}."})
            await repository.save(profile, meta)
        for j in range(3):
            job = Job.create(new_id(), f"user-{n}", "active", {"source": f"s{j}"}, PASTE)
            job.record_parse(
                reading.method, reading.fields, reading.parsed_keywords, reading.unresolved
            )
            await repository.save(job, meta)
            entry = await repository.load(SavedJob, saved_job_id(f"user-{n}", job.id))
            entry.save(f"user-{n}", job.id, "interested", None)
            await repository.save(entry, meta)

    n = 0
    while await store.head_position() < events:
        await asyncio.gather(*(one_user(i) for i in range(n, n + 8)))
        n += 8
    return await store.head_position()


def _far_future() -> datetime:
    return datetime.now(UTC) + timedelta(days=7)


async def rebuild_figures(
    url: str, settings: Settings, meter: CpuMeter, server: str
) -> list[Figure]:
    events = 10_000 if settings.quick else 100_000
    figures: list[Figure] = []
    async with mongo(url, REBUILD_DATABASE) as (client, db):
        store = await MongoEventStore.open(client, db, follow_changes=False)
        try:
            print(f"  [{server}] writing a realistic log of ~{events:,} events ...", flush=True)
            head = await realistic_log(store, events)
            slowest = float("inf")
            rates: dict[str, float] = {}
            total_seconds = 0.0
            for projection in all_projections():
                meter.start()
                started = time.perf_counter()
                await rebuild(projection, store, client, db)
                seconds = time.perf_counter() - started
                meter.stop()
                total_seconds += seconds
                rates[projection.name] = head / seconds
                slowest = min(slowest, head / seconds)
            differences = await verify(all_projections(), store, client, db)
        finally:
            await store.close()
            await client.drop_database(REBUILD_DATABASE)
    figures.append(
        Figure(
            "write_rebuild_slowest",
            f"rebuild, {head:,}-event realistic log: the slowest projection",
            server,
            slowest,
            "events/s",
            count=head,
            seconds=total_seconds,
            extra=_goal(
                f">= {REBUILD_RATE:,.0f} /s, verify clean",
                slowest >= REBUILD_RATE and not differences,
                per_projection={k: round(v) for k, v in rates.items()},
                all_projections_seconds=round(total_seconds, 1),
                verify_differences=len(differences),
            ),
        )
    )
    return figures


# --- the group -------------------------------------------------------------------------


async def write_figures(
    url: str, settings: Settings, db_meter: CpuMeter, server: str, record: Record
) -> None:
    rounds = 60 if settings.quick else 300
    seconds = 3 if settings.quick else 10
    yardstick = await transaction_p50(url, rounds)
    record(
        Figure(
            "write_yardstick_txn",
            "yardstick: a transaction of one insert_one and one update_one, p50",
            server,
            yardstick * 1000,
            "ms",
        )
    )
    async with auth_server(url, database=DATABASE) as running:
        base = f"http://127.0.0.1:{running.app_port}"
        headers = {"Authorization": f"Bearer {running.token}"}
        connector = aiohttp.TCPConnector(limit=ONE_PROFILE_WRITERS + 4)
        async with aiohttp.ClientSession(headers=headers, connector=connector) as session:
            for figure in await one_client_figures(session, base, rounds, yardstick, server):
                record(figure)
            record(await one_profile_figure(session, base, float(seconds), server))
        for figure in await me_figures(
            url, base, running.token, running.process.pid, seconds, server
        ):
            record(figure)
    for figure in await rebuild_figures(url, settings, db_meter, server):
        record(figure)
    print(f"  load average: {os.getloadavg()}", flush=True)
