"""The production topology on one machine, and two of its processes killed mid-run.

Debian's nginx in front of three ``jobwise serve`` processes that run no generation
worker, two ``jobwise worker`` processes, one Redis and one database (a database of its
own on the test session's SecantusDB). The client talks to nginx only, which spreads
requests round robin over the three, with no sticky sessions; ``X-Upstream`` (added by
the test's nginx) says which one answered.

* The journey: an account, a profile, a job, a generation posted to one API process and
  watched live on a WebSocket that another one holds, its PDF downloaded from the third.
* The crash: six generations run while one worker (rendering one of them) and the API
  process holding that one's watching socket get SIGKILL. The clients reconnect through
  nginx and resume with ``after``; the other worker takes the orphaned generation over
  once its lease expires. Every generation completes exactly once, every client sees
  each update exactly once, and ``jobwise verify`` finds the read models equal to a
  rebuild.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import signal
import subprocess
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.adapters.eventstore.sealing import EventOpener
from jobwise.adapters.keys import KEYS_COLLECTION, Keyring, MongoKeyStorage
from jobwise.adapters.mongo import connect
from jobwise.application.processes.leases import COLLECTION as LEASES
from jobwise.application.queries.history import events_of_stream
from jobwise.domain.events import RecordedEvent, topics_of
from jobwise.domain.generation import (
    GenerationCancelled,
    GenerationCompleted,
    GenerationFailed,
    GenerationNeedsReview,
)
from jobwise.domain.generation_updates import STAGES
from tests.e2e.conftest import (
    Serve,
    jobwise_env,
    run_jobwise,
    shared_env,
    start_serve,
    start_worker,
    stopped,
)
from tests.support.live_client import WAIT, create, open_socket, register, until_done
from tests.support.nginx import PROBE, Nginx, UpstreamTrace, served_by
from tests.support.redis_server import RedisServer

pytestmark = pytest.mark.redis

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"
API_NAMES = ("api-1", "api-2", "api-3")
WORKERS = {"victim": "1", "survivor": "3"}
"""Each worker's concurrency. The victim runs one generation at a time and is killed
while it renders that one's PDF: then it is in no transaction (a process killed inside
one leaves it open, and the store's appends wait for it: see ``crash``)."""
PROXY_ADDRESS = "127.0.0.2"
"""nginx's address towards the API processes: the only one they trust."""
CLIENT_ADDRESS = "127.0.0.3"
"""The client's: what the API processes must record, read from nginx's X-Forwarded-For."""
FORGED_ADDRESS = "198.51.100.7"
LEASE_SECONDS = "3"
TEMPLATES = ("classic", "modern", "compact", "technical", "classic", "modern")
"""One generation of the crash per entry."""
BOUND = 60.0
"""Seconds the test waits for anything before it fails (a bound, not a measurement)."""
READ_MODEL_BOUND = 150.0
"""For the read models after the crash: an API process killed inside a projection's
transaction leaves it open, and the others' projections wait for the database to drop
it (60 s, MongoDB's and SecantusDB's transaction lifetime)."""
MAX_CONNECTIONS = 10
"""Connections one watching client may need (a killed API process costs it one)."""
ENDINGS = topics_of(
    GenerationCompleted, GenerationNeedsReview, GenerationFailed, GenerationCancelled
)


# -- the cluster --------------------------------------------------------------------------


@dataclass
class Cluster:
    proxy: Nginx
    apis: dict[str, Serve]
    """By the address nginx knows them by (``127.0.0.1:<port>``, its ``$upstream_addr``)."""
    workers: dict[str, subprocess.Popen[bytes]]
    """By name (``WORKERS``)."""
    env: dict[str, str]
    root: Path

    def logs(self) -> str:
        """The tail of every process's output, for a failure to show."""
        tails = [f"--- nginx ---\n{self.proxy.log_tail()}"]
        for path in sorted(self.root.glob("*/*.log")):
            text = path.read_text(errors="replace")[-1500:]
            tails.append(f"--- {path.relative_to(self.root)} ---\n{text}")
        return "\n".join(tails)


@pytest.fixture
def cluster(tmp_path: Path, mongo_url: str) -> Iterator[Cluster]:
    with RedisServer() as redis:
        shared = shared_env(
            mongo_url,
            redis.url,
            JOBWISE_TRUSTED_PROXIES=PROXY_ADDRESS,
            JOBWISE_GENERATION_LEASE_SECONDS=LEASE_SECONDS,
            JOBWISE_GENERATIONS_PER_HOUR="1000",
        )
        # Every process starts at once: on two cores that halves the wait.
        apis: list[Serve] = []
        workers: dict[str, subprocess.Popen[bytes]] = {}
        try:
            for name in API_NAMES:
                data = tmp_path / name / "data"
                env = env_for(tmp_path, name, shared)
                apis.append(start_serve(data, env=env, args=["--no-worker"]))
            for name, concurrency in WORKERS.items():
                env = env_for(tmp_path, name, shared, JOBWISE_WORKER_CONCURRENCY=concurrency)
                workers[name] = start_worker(tmp_path / name / "data", env, "worker")
            for api in apis:
                api.wait_ready(embedded=False)
            upstreams = {f"127.0.0.1:{api.port}": api for api in apis}
            with Nginx(tmp_path / "nginx", list(upstreams), bind_address=PROXY_ADDRESS) as proxy:
                yield Cluster(proxy, upstreams, workers, shared, tmp_path)
        finally:
            # All asked at once, then waited for: they stop side by side.
            running = [a.process for a in apis] + list(workers.values())
            for process in running:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for api in apis:
                api.terminate()
            for worker in workers.values():
                stopped(worker)


def env_for(root: Path, name: str, shared: dict[str, str], **more: str) -> dict[str, str]:
    return jobwise_env(root / name / "data", **{**shared, **more})


# -- the client ---------------------------------------------------------------------------


@dataclass
class Client:
    """One user's client, which knows only the proxy's address."""

    session: aiohttp.ClientSession
    base: str
    trace: UpstreamTrace
    token: str = ""
    _labels: Iterator[int] = field(default_factory=itertools.count)

    async def post(self, path: str, body: Any) -> tuple[Any, str]:
        """The created thing, and the API process that created it."""
        async with self.session.post(
            f"{self.base}/api/v1{path}", json=body, headers=self._auth()
        ) as answer:
            assert answer.status in (200, 201), await answer.text()
            return await answer.json(), served_by(answer.headers)

    async def get(self, path: str) -> tuple[bytes, str]:
        async with self.session.get(f"{self.base}{path}", headers=self._auth()) as answer:
            assert answer.status == 200, await answer.text()
            return await answer.read(), served_by(answer.headers)

    async def socket(self, **subscribe: Any) -> tuple[aiohttp.ClientWebSocketResponse, str]:
        """A live-update socket through the proxy, and the API process that holds it."""
        label = f"socket-{next(self._labels)}"
        ws = await open_socket(
            self.session, self.base, self.token, query={PROBE: label}, **subscribe
        )
        return ws, self.trace.by_label[label]

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
async def client(cluster: Cluster) -> AsyncIterator[Client]:
    trace = UpstreamTrace()
    # From an address of its own, which nginx writes into X-Forwarded-For.
    connector = aiohttp.TCPConnector(local_addr=(CLIENT_ADDRESS, 0))
    async with aiohttp.ClientSession(connector=connector, trace_configs=[trace.config()]) as s:
        yield Client(s, cluster.proxy.base, trace)


@pytest.fixture
async def database(cluster: Cluster) -> AsyncIterator[AsyncDatabase[Any]]:
    mongo_client, opened = connect(cluster.env["MONGODB_URL"], cluster.env["MONGODB_DB"])
    try:
        yield opened
    finally:
        await mongo_client.close()


# -- the test -----------------------------------------------------------------------------


# The read models' bound (a killed API process's open transaction) on top of the rest.
@pytest.mark.timeout(300)
async def test_a_journey_through_nginx_then_a_kill_9_of_an_api_and_a_worker_loses_nothing(
    cluster: Cluster, client: Client, database: AsyncDatabase[Any]
) -> None:
    user_id, client.token = await register(
        client.session, client.base, headers={"X-Forwarded-For": FORGED_ADDRESS}
    )
    profile_id, job_id = await profile_and_job(client)
    await journey(client, cluster, profile_id, job_id)
    watchers, orphan = await crash(client, cluster, database, profile_id, job_id)

    for watcher in watchers:
        check_generation(
            watcher, await events_of_stream(database, opener_on(database), watcher.generation_id)
        )
    # The orphan was finished by the survivor, on a later attempt.
    events = await events_of_stream(database, opener_on(database), orphan)
    last_start = [e for e in events if e.type == "StageStarted"][-1].data
    assert last_start["attempt"] >= 2, last_start
    assert pid_of(last_start["worker_id"]) == cluster.workers["survivor"].pid, last_start
    await addresses_recorded(database, user_id)
    await read_models_agree(client, cluster, [w.generation_id for w in watchers])


async def profile_and_job(client: Client) -> tuple[str, str]:
    resume = json.loads((DATA / "generation" / "resume-kyle-oliver.json").read_text("utf-8"))
    posting = DATA / "real_postings" / "09-safespring-2026-senior-backend-engineer.txt"
    profile = await create(
        client.session, client.base, "/profiles/import", client.token,
        {"format": "json-resume", "data": resume},
    )  # fmt: skip
    job = await create(
        client.session, client.base, "/jobs", client.token,
        {"source": "web", "raw_text": posting.read_text()},
    )  # fmt: skip
    return profile["id"], job["id"]


async def journey(client: Client, cluster: Cluster, profile_id: str, job_id: str) -> None:
    """Posted to one API process, watched on another, downloaded from the third."""
    sockets = await sockets_on_two_apis(client, len(cluster.apis))
    created, posted_to = await client.post(
        "/generations/resume", {"profile_id": profile_id, "job_id": job_id}
    )
    watched_on = next(api for api in sockets if api != posted_to)
    try:
        updates = await until_done(sockets[watched_on])
    finally:
        for ws in sockets.values():
            await ws.close()
    assert {u["generation_id"] for u in updates} == {created["id"]}
    assert [u["seq"] for u in updates] == list(range(1, len(updates) + 1))
    assert updates[-1]["type"] == "generation.completed", updates[-1]

    (third,) = set(cluster.apis) - {posted_to, watched_on}
    document_id = updates[-1]["result"]["document_id"]
    # The PDF the worker stored is every API process's: the third serves it as stored.
    exported = await answered_by(
        third, lambda: client.post(f"/documents/{document_id}/export", {"format": "pdf"})
    )
    assert exported["cached"] is True, exported
    pdf = await answered_by(third, lambda: client.get(updates[-1]["result"]["pdf_url"]))
    assert pdf.startswith(b"%PDF-"), pdf[:20]


async def sockets_on_two_apis(
    client: Client, apis: int
) -> dict[str, aiohttp.ClientWebSocketResponse]:
    """Sockets on the user's channel, opened through the proxy until two API processes
    hold one each (round robin: a few tries)."""
    held: dict[str, aiohttp.ClientWebSocketResponse] = {}
    for _ in range(3 * apis):
        ws, api = await client.socket(channel="user")
        if api in held:
            await ws.close()
        else:
            held[api] = ws
        if len(held) == 2:
            return held
    raise AssertionError(f"{3 * apis} sockets through nginx all went to {list(held)}")


async def answered_by(api: str, call: Callable[[], Awaitable[tuple[Any, str]]]) -> Any:
    """``call()`` (a request through the proxy) again until ``api`` answers it."""
    answered = []
    for _ in range(9):
        body, by = await call()
        if by == api:
            return body
        answered.append(by)
    raise AssertionError(f"nine requests through nginx, none to {api}: {answered}")


# -- the crash ----------------------------------------------------------------------------


@dataclass
class Watcher:
    """One client watching one generation as ``examples/watch_generation.py`` does:
    through the proxy, resuming after the last seq it saw whenever its connection ends."""

    generation_id: str
    updates: list[dict[str, Any]] = field(default_factory=list)
    upstreams: list[str] = field(default_factory=list)
    """The API process of each of its connections, in order."""

    @property
    def done(self) -> bool:
        return bool(self.updates) and self.updates[-1]["type"] != "generation.progress"

    @property
    def rendering(self) -> bool:
        """Its last update says the PDF is being made (the longest stage by far)."""
        last = self.updates[-1] if self.updates else {}
        return last.get("stage") == "exporting" and last.get("stage_status") == "started"

    async def run(self, client: Client) -> None:
        for _ in range(MAX_CONNECTIONS):
            after = self.updates[-1]["seq"] if self.updates else 0
            try:
                ws, api = await client.socket(generation_id=self.generation_id, after=after)
            except (aiohttp.ClientError, aiohttp.WSMessageTypeError):
                # A handshake or a first message that met the API process dying: again.
                await asyncio.sleep(0.2)
                continue
            self.upstreams.append(api)
            try:
                await self._read(ws)
            finally:
                await ws.close()
            if self.done:
                return
        raise AssertionError(f"{MAX_CONNECTIONS} connections and no end: {self.upstreams}")

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        while not self.done:
            message = await ws.receive(timeout=WAIT)
            if message.type is not aiohttp.WSMsgType.TEXT:
                return  # closed, or the connection broke: reconnect
            update = json.loads(message.data)
            assert update["type"].startswith("generation."), update
            self.updates.append(update)


async def crash(
    client: Client,
    cluster: Cluster,
    database: AsyncDatabase[Any],
    profile_id: str,
    job_id: str,
) -> tuple[list[Watcher], str]:
    """Six generations; SIGKILL to the victim worker while it renders one of them, and
    to the API process whose socket watches that one. The watchers, and the generation
    the victim left unfinished.

    The victim is killed between transactions on purpose. A process killed inside one
    (the worker's appends of more than one event are transactions) leaves it open until
    the database's transaction lifetime drops it: 60 s on MongoDB, and on SecantusDB
    only once a later transaction command comes after that; every append of every
    process waits behind it meanwhile (they all write the next position)."""
    watchers = []
    for template in TEMPLATES:
        created, _ = await client.post(
            "/generations/resume",
            {"profile_id": profile_id, "job_id": job_id, "options": {"template": template}},
        )
        watchers.append(Watcher(created["id"]))
    watching = [asyncio.create_task(watcher.run(client)) for watcher in watchers]
    try:
        orphan, api = await rendering_on_victim(cluster, database, watchers)
        kill(cluster.workers["victim"])
        kill(cluster.apis[api].process)
        assert not await ended(database, orphan), "the victim finished it before it was killed"
        done, _ = await asyncio.wait(watching, timeout=BOUND)
        assert len(done) == len(watching), f"watchers still waiting\n{cluster.logs()}"
        for task in done:
            task.result()
    finally:
        for task in watching:
            task.cancel()
    # The orphan's watcher lost its API process, came back through nginx to another one.
    (moved,) = [w for w in watchers if w.generation_id == orphan]
    assert moved.upstreams[0] == api and len(moved.upstreams) > 1, moved.upstreams
    assert api not in moved.upstreams[1:], moved.upstreams
    return watchers, orphan


async def rendering_on_victim(
    cluster: Cluster, database: AsyncDatabase[Any], watchers: list[Watcher]
) -> tuple[str, str]:
    """Wait until the victim renders a generation whose watcher is on its first
    connection; that generation, and the watcher's API process."""
    victim = cluster.workers["victim"].pid
    by_id = {w.generation_id: w for w in watchers}
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline:
        leases = database[LEASES].find({"_id": {"$in": list(by_id)}, "done": {"$ne": True}})
        async for lease in leases:
            watcher = by_id[lease["_id"]]
            mine = pid_of(lease["owner"]) == victim
            if mine and watcher.rendering and len(watcher.upstreams) == 1:
                return watcher.generation_id, watcher.upstreams[0]
        await asyncio.sleep(0.02)
    raise AssertionError(f"the victim was never seen rendering\n{cluster.logs()}")


async def ended(database: AsyncDatabase[Any], generation_id: str) -> bool:
    events = await events_of_stream(database, opener_on(database), generation_id)
    return any(event.type in ENDINGS for event in events)


def opener_on(database: AsyncDatabase[Any]) -> EventOpener:
    """Opens events as the cluster's processes sealed them (keys in its database)."""
    return EventOpener(Keyring(MongoKeyStorage(database[KEYS_COLLECTION])))


def kill(process: subprocess.Popen[bytes]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def pid_of(worker_id: str) -> int:
    """A worker id is ``<host>-<pid>-<random>`` (``generation_worker.new_worker_id``)."""
    return int(worker_id.rsplit("-", 2)[1])


# -- what must hold -----------------------------------------------------------------------


def check_generation(watcher: Watcher, events: list[RecordedEvent]) -> None:
    """Completed exactly once; the client saw every update exactly once, in order; each
    run (attempt) of it went through the stages in order, and only the last finished."""
    updates = [event for event in events if "seq" in event.data]
    seqs = [event.data["seq"] for event in updates]
    assert seqs == list(range(1, len(updates) + 1)), seqs
    assert [u["seq"] for u in watcher.updates] == seqs, (watcher.upstreams, watcher.updates)
    assert watcher.updates[-1]["type"] == "generation.completed", watcher.updates[-1]
    assert [e.type for e in events if e.type in ENDINGS] == ["GenerationCompleted"]
    assert updates[-1].type == "GenerationCompleted"
    assert [e.type for e in events].count("DocumentProduced") == 1

    runs: dict[int, list[tuple[str, str]]] = {}
    attempt = 0
    for event in updates[1:-1]:
        if event.type == "StageStarted":
            assert event.data["attempt"] >= attempt, "a run of an older attempt wrote again"
            attempt = event.data["attempt"]
        runs.setdefault(attempt, []).append((event.type, event.data["stage"]))
    *interrupted, last = runs.values()
    assert last == every_stage(len(STAGES)), last
    for run in interrupted:
        # A run cut short: the stages in order from the first, the last one maybe unfinished.
        assert run in (every_stage(len(run) // 2), every_stage(len(run) // 2 + 1)[:-1]), run


def every_stage(count: int) -> list[tuple[str, str]]:
    return [
        (kind, stage) for stage in STAGES[:count] for kind in ("StageStarted", "StageCompleted")
    ]


async def addresses_recorded(database: AsyncDatabase[Any], user_id: str) -> None:
    """The API processes recorded the client's address from nginx's X-Forwarded-For:
    not nginx's own, and not what the client forged in the header."""
    events = await events_of_stream(database, opener_on(database), user_id)
    addresses = {(event.metadata.model_extra or {}).get("ip") for event in events}
    assert addresses == {CLIENT_ADDRESS}, addresses


async def read_models_agree(client: Client, cluster: Cluster, generation_ids: list[str]) -> None:
    """Every read model shows the end, and equals a rebuild from the event log."""
    deadline = time.monotonic() + READ_MODEL_BOUND
    for generation_id in generation_ids:
        while True:
            body, _ = await client.get(f"/api/v1/generations/{generation_id}")
            status = json.loads(body)["status"]
            if status != "generating" or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.1)  # the read model trails the event log a moment
        assert status == "completed", body
    verify_dir = cluster.root / "verify" / "data"
    verify_dir.mkdir(parents=True)
    verified = await asyncio.to_thread(
        run_jobwise, verify_dir, "verify", env=jobwise_env(verify_dir, **cluster.env)
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
