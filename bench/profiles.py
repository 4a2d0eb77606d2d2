"""Profiles: ``GET /profiles/{id}`` against a bare ``find_one``, and component-POST latency.

Both against the real app (``create_app``) in its own process (``bench.auth_server``,
as ``jobwise serve`` runs it: INFO logging with the access log, the per-user rate
limiter on but set very high), on the embedded SecantusDB the suite started:

* **read**: one realistic profile (5 experiences with achievements, 2 education,
  4 projects, 15 skills) is fetched by ``wrk`` over ``CONNECTIONS`` connections,
  authenticated with a Bearer token. Next to it, in this process (not the app's),
  ``FIND_ONE_TASKS`` tasks run a plain ``find_one({"_id": id})`` on the
  ``profiles`` read model for the same document with pymongo's AsyncMongoClient:
  the ceiling the route is compared with;
* **write**: ``POST_WORKERS`` aiohttp workers, each on a profile of its own (so no
  two ever race on one stream), add one skill per request with ``If-Match``. A
  worker moves to a fresh realistic profile after ``ADDS_PER_PROFILE`` adds, which
  keeps each profile under its 100-items limit and its stream (which every command
  replays) at a realistic length: 27 events at creation, at most 27 + 50.
"""

from __future__ import annotations

import asyncio
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bench.auth import Load, auth_server, hammer
from bench.common import Figure, Settings, mongo, percentile, summary_ms
from bench.cpu import CpuMeter
from jobwise.projections.profiles import PROFILES as PROFILES_COLLECTION

PREFIX = "/api/v1/profiles"
DATABASE = "bench_profiles"
FIND_ONE_TASKS = 32
POST_WORKERS = 16
ADDS_PER_PROFILE = 50
"""Skills added to one profile (15 to 65 of the 100 allowed) before moving to the next."""
EVENTS_AT_CREATION = 27
"""ProfileCreated and one event per item (5 + 2 + 4 + 15); the user's first profile
(the one read) has a ProfileActivated too, the written ones do not."""
CREATE_CONCURRENCY = 8
Record = Callable[[Figure], None]
Json = dict[str, Any]


@dataclass(frozen=True)
class Plan:
    get_seconds: int
    warmup_seconds: int
    post_seconds: float
    post_warmup_seconds: float

    @classmethod
    def make(cls, settings: Settings) -> Plan:
        if settings.quick:
            return cls(get_seconds=3, warmup_seconds=1, post_seconds=3.0, post_warmup_seconds=1.0)
        return cls(get_seconds=10, warmup_seconds=2, post_seconds=10.0, post_warmup_seconds=2.0)


# --- a realistic profile -----------------------------------------------------------------


_LOREM = (
    "Designed and ran services that handle millions of requests a day, mentored "
    "engineers, and worked closely with product and operations on reliability. "
)


def _experience(i: int) -> Json:
    start_year = 2012 + 2 * i
    current = i == 4
    return {
        "title": ["Junior Developer", "Developer", "Senior Developer", "Tech Lead", "Staff"][i]
        + " Engineer",
        "company": f"Company {i} GmbH",
        "location": "Berlin, Germany",
        "start_date": f"{start_year}-03-01",
        **({} if current else {"end_date": f"{start_year + 2}-02-28"}),
        "description": _LOREM * 2,
        "achievements": [
            f"Cut p99 latency of service {i}-{a} by 40% by reworking its data access"
            for a in range(4)
        ],
    }


def realistic_profile(n: int) -> Json:
    """A ``POST /profiles`` body: 5 experiences, 2 education, 4 projects, 15 skills."""
    technical = ["Python", "asyncio", "aiohttp", "MongoDB", "PostgreSQL", "Docker", "Kubernetes"]
    technical += ["Terraform", "Linux", "Go"]
    skills: list[Json] = [{"category": "technical", "name": name} for name in technical]
    skills += [{"category": "soft", "name": name} for name in ("Mentoring", "Communication")]
    skills += [
        {"category": "language", "name": "German", "proficiency": "native"},
        {"category": "language", "name": "English", "proficiency": "fluent"},
        {
            "category": "certification",
            "name": "AWS Solutions Architect",
            "issuer": "Amazon Web Services",
            "date_obtained": "2021-06-15",
            "credential_id": "AWS-SA-123456",
        },
    ]
    return {
        "personal_info": {
            "full_name": f"Bench Person {n}",
            "email": f"person-{n}@example.com",
            "phone": "+49 30 1234567",
            "location": "Berlin, Germany",
            "linkedin": f"https://www.linkedin.com/in/bench-person-{n}",
            "github": f"https://github.com/bench-person-{n}",
            "website": "https://example.com",
        },
        "professional_summary": _LOREM * 4,
        "custom_fields": {"notice_period": "3 months", "remote": True},
        "experiences": [_experience(i) for i in range(5)],
        "education": [
            {
                "institution": f"University {i}",
                "degree": ["BSc", "MSc"][i],
                "field_of_study": "Computer Science",
                "start_date": f"{2006 + 3 * i}-10-01",
                "end_date": f"{2009 + 3 * i}-09-30",
                "gpa": "1.3",
                "honors": ["Dean's list", "Best thesis award"],
            }
            for i in range(2)
        ],
        "projects": [
            {
                "name": f"Open source project {i}",
                "description": _LOREM,
                "technologies": ["Python", "asyncio", "MongoDB", "Docker"],
                "url": f"https://github.com/bench-person-{n}/project-{i}",
                "start_date": f"{2018 + i}-01-01",
                "end_date": f"{2019 + i}-06-30",
            }
            for i in range(4)
        ],
        "skills": skills,
    }


async def create_profile(session: aiohttp.ClientSession, base: str, n: int) -> Json:
    """Create realistic profile ``n``; return the view the app answered."""
    async with session.post(f"{base}{PREFIX}", json=realistic_profile(n)) as response:
        answer: Json = await response.json()
        if response.status != 201:
            raise RuntimeError(f"POST {PREFIX} answered {response.status}: {answer}")
    return answer


async def _get_bytes(session: aiohttp.ClientSession, url: str) -> int:
    async with session.get(url) as response:
        body = await response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {url} answered {response.status}: {body[:500]!r}")
    return len(body)


# --- the yardstick: find_one by _id ------------------------------------------------------


@dataclass(frozen=True)
class FindOne:
    count: int
    seconds: float
    took: list[float]
    cpu_client: float
    cpu_db: float

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


async def find_one_load(url: str, profile_id: str, seconds: float, db_meter: CpuMeter) -> FindOne:
    """``FIND_ONE_TASKS`` tasks, each ``find_one({"_id": profile_id})`` in a loop."""
    async with mongo(url, DATABASE) as (_client, db):
        collection = db[PROFILES_COLLECTION]
        if await collection.find_one({"_id": profile_id}) is None:
            raise RuntimeError(f"profile {profile_id} is not in {PROFILES_COLLECTION}")
        took: list[float] = []
        deadline = time.perf_counter() + seconds

        async def task() -> None:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                await collection.find_one({"_id": profile_id})
                took.append(time.perf_counter() - started)

        db_meter.start()
        started = time.perf_counter()
        await asyncio.gather(*(task() for _ in range(FIND_ONE_TASKS)))
        elapsed = time.perf_counter() - started
        share = db_meter.stop()
    return FindOne(len(took), elapsed, took, share.client, share.server)


# --- component POSTs ---------------------------------------------------------------------


@dataclass
class PostLoad:
    took: list[float] = field(default_factory=list)
    failures: int = 0
    profiles_started: int = 0
    created_mid_run: int = 0
    by_position: dict[str, list[float]] = field(default_factory=dict)


@dataclass
class Worker:
    """One client's current profile and its own supply of fresh ones."""

    profile_id: str = ""
    version: int = 0
    adds: int = ADDS_PER_PROFILE
    fresh: list[Json] = field(default_factory=list)


class Poster:
    """``POST_WORKERS`` clients, each adding one skill at a time to a profile of its own."""

    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        self.session = session
        self.base = base
        self.workers = [Worker() for _ in range(POST_WORKERS)]
        self._created = 0

    async def stock(self, per_worker: int) -> None:
        """Give every worker ``per_worker`` fresh profiles (created now, not timed)."""
        need = [(w, per_worker - len(w.fresh)) for w in self.workers]
        jobs = [w for w, missing in need for _ in range(max(0, missing))]
        limit = asyncio.Semaphore(CREATE_CONCURRENCY)

        async def one(worker: Worker) -> None:
            async with limit:
                worker.fresh.append(await self._create())

        await asyncio.gather(*(one(w) for w in jobs))

    async def _create(self) -> Json:
        self._created += 1
        return await create_profile(self.session, self.base, 1000 + self._created)

    async def run(self, seconds: float) -> PostLoad:
        load = PostLoad()
        deadline = time.perf_counter() + seconds
        await asyncio.gather(*(self._loop(w, deadline, load) for w in self.workers))
        return load

    async def _loop(self, worker: Worker, deadline: float, load: PostLoad) -> None:
        while time.perf_counter() < deadline:
            if worker.adds >= ADDS_PER_PROFILE:
                if not worker.fresh:  # ran out: make one, outside the timed request
                    load.created_mid_run += 1
                    worker.fresh.append(await self._create())
                view = worker.fresh.pop()
                worker.profile_id, worker.version, worker.adds = view["id"], view["version"], 0
                load.profiles_started += 1
            await self._add_skill(worker, load)

    async def _add_skill(self, worker: Worker, load: PostLoad) -> None:
        url = f"{self.base}{PREFIX}/{worker.profile_id}/skills"
        body = {"name": f"Skill {worker.adds}"}
        headers = {"If-Match": str(worker.version)}
        started = time.perf_counter()
        async with self.session.post(url, json=body, headers=headers) as response:
            answer = await response.read()
            took = time.perf_counter() - started
            if response.status != 201:
                load.failures += 1
                print(f"  WARNING: POST skills answered {response.status}: {answer[:200]!r}")
                worker.adds = ADDS_PER_PROFILE  # move on to a fresh profile
                return
        worker.version += 1
        worker.adds += 1
        load.took.append(took)
        bucket = "adds_1_10" if worker.adds <= 10 else "adds_41_50" if worker.adds > 40 else ""
        if bucket:
            load.by_position.setdefault(bucket, []).append(took)


async def post_figures(
    base: str, token: str, plan: Plan, server_pid: int, db_meter: CpuMeter, server: str
) -> list[Figure]:
    headers = {"Authorization": f"Bearer {token}"}
    connector = aiohttp.TCPConnector(limit=POST_WORKERS + CREATE_CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:
        poster = Poster(session, base)
        await poster.stock(1)
        warm = await poster.run(plan.post_warmup_seconds)
        rate = len(warm.took) / plan.post_warmup_seconds
        # Enough fresh profiles for the measured run (with a margin), made beforehand.
        per_worker = math.ceil(1.5 * rate * plan.post_seconds / POST_WORKERS / ADDS_PER_PROFILE)
        await poster.stock(per_worker)
        app_meter = CpuMeter(server_pid)
        app_meter.start()
        db_meter.start()
        started = time.perf_counter()
        load = await poster.run(plan.post_seconds)
        elapsed = time.perf_counter() - started
        app_cpu, db_cpu = app_meter.stop(), db_meter.stop()
    summary = summary_ms(load.took)
    extra: Json = {
        "tool": f"aiohttp client, {POST_WORKERS} workers, one profile each",
        "requests": len(load.took),
        "failures": load.failures,
        "req_per_s": len(load.took) / elapsed if elapsed else 0.0,
        **summary,
        "p50_ms_by_add": {k: percentile(v, 0.5) * 1000 for k, v in load.by_position.items()},
        "stream_events": f"{EVENTS_AT_CREATION}..{EVENTS_AT_CREATION + ADDS_PER_PROFILE}",
        "profiles_started": load.profiles_started,
        "profiles_created_mid_run": load.created_mid_run,
        "app_cores": app_cpu.server,
        "db_cores": db_cpu.server,
        "app_cpu_ms_per_post": _cpu_ms(app_cpu.server, len(load.took), elapsed),
        "db_cpu_ms_per_post": _cpu_ms(db_cpu.server, len(load.took), elapsed),
        "bench_cores": app_cpu.client,
        "load_average": os.getloadavg(),
    }
    if load.failures:
        print(f"  WARNING: {load.failures} failed skill POSTs", flush=True)
    label = f"POST /profiles/{{id}}/skills, {POST_WORKERS} clients, own profiles"
    return [
        Figure(
            f"profile_post_{name}",
            f"{label}, latency {name}",
            server,
            summary[f"{name}_ms"],
            "ms",
            count=len(load.took) if name == "p99" else 0,
            seconds=elapsed if name == "p99" else 0.0,
            extra=extra if name == "p99" else {},
        )
        for name in ("p50", "p99")
    ]


def _cpu_ms(cores: float, count: int, seconds: float) -> float:
    """CPU milliseconds per operation, from cores kept busy over ``seconds``."""
    return cores * seconds * 1000 / count if count else 0.0


# --- the read: GET vs find_one -----------------------------------------------------------


def get_figures(
    load: Load, find_one: FindOne, db_cores: float, body_bytes: int, server: str
) -> list[Figure]:
    label = "GET /profiles/{id}, realistic profile"
    find_summary = summary_ms(find_one.took)
    rate = Figure(
        "profile_get_rps",
        f"{label} ({load.tool})",
        server,
        load.rate,
        "req/s",
        count=load.requests,
        seconds=load.seconds,
        cpu=load.cpu,
        extra={
            "tool": load.tool,
            "requests": load.requests,
            "failures": load.failures,
            "p50_ms": load.p50_ms,
            "p99_ms": load.p99_ms,
            "body_bytes": body_bytes,
            "db_cores": db_cores,
            "app_cpu_ms_per_request": _cpu_ms(load.cpu.server, load.requests, load.seconds),
            "db_cpu_ms_per_request": _cpu_ms(db_cores, load.requests, load.seconds),
            "cpu": "cl = wrk + bench process, srv = the app's process (bench.auth_server)",
        },
    )
    latencies = [
        Figure(f"profile_get_{name}", f"{label}, latency {name} (under load)", server, value, "ms")
        for name, value in (("p50", load.p50_ms), ("p99", load.p99_ms))
    ]
    bare = Figure(
        "profile_find_one_rps",
        f"find_one by _id, same document ({FIND_ONE_TASKS} tasks, AsyncMongoClient)",
        server,
        find_one.rate,
        "req/s",
        count=find_one.count,
        seconds=find_one.seconds,
        extra={
            **find_summary,
            "client_cores": find_one.cpu_client,
            "db_cores": find_one.cpu_db,
            "client_cpu_ms_per_op": _cpu_ms(find_one.cpu_client, find_one.count, find_one.seconds),
            "db_cpu_ms_per_op": _cpu_ms(find_one.cpu_db, find_one.count, find_one.seconds),
        },
    )
    share = load.rate / find_one.rate if find_one.rate else 0.0
    ratio = Figure(
        "profile_get_share",
        "GET /profiles/{id} req/s as a share of find_one's",
        server,
        share * 100,
        "% of find_one",
        extra={"load_average": os.getloadavg()},
    )
    return [rate, *latencies, bare, ratio]


async def profile_figures(
    url: str, settings: Settings, db_meter: CpuMeter, server: str, record: Record
) -> None:
    """All profile figures, recorded as they land."""
    plan = Plan.make(settings)
    async with auth_server(url, database=DATABASE) as running:
        base = f"http://127.0.0.1:{running.app_port}"
        bearer = {"Authorization": f"Bearer {running.token}"}
        async with aiohttp.ClientSession(headers=bearer) as session:
            view = await create_profile(session, base, 0)
            get_url = f"{base}{PREFIX}/{view['id']}"
            body_bytes = await _get_bytes(session, get_url)
        pid = running.process.pid
        await hammer(get_url, bearer, plan.warmup_seconds, pid)
        db_meter.start()
        load = await hammer(get_url, bearer, plan.get_seconds, pid)
        db_cores = db_meter.stop().server
        if load.failures:
            print(f"  WARNING: {load.failures} failed GETs", flush=True)
        await find_one_load(url, view["id"], plan.warmup_seconds, db_meter)
        find_one = await find_one_load(url, view["id"], plan.get_seconds, db_meter)
        for figure in get_figures(load, find_one, db_cores, body_bytes, server):
            record(figure)
        for figure in await post_figures(base, running.token, plan, pid, db_meter, server):
            record(figure)
