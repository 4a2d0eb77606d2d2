"""Live updates across processes: two real ``jobwise serve`` on one database and one Redis.

The serves run no generation worker. One test posts a real generation to A and
has a real ``jobwise worker`` process run it while a client on B watches; the
others script a generation's events from this test's process (through the event
store and the update publisher of a runtime on the same database and Redis, as a
worker writes them), to stop Redis at chosen moments.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from jobwise.bootstrap import Runtime, open_runtime
from jobwise.domain.generation_updates import STAGES
from jobwise.settings import load_settings
from tests.e2e.conftest import Serve, jobwise_env, shared_env, start_serve, start_worker, stopped
from tests.support.generations import UPDATES_PER_GENERATION, Generation
from tests.support.live_client import WAIT, create, open_socket, register, until_done
from tests.support.redis_server import RedisServer

pytestmark = pytest.mark.redis

EVERY_SEQ = list(range(1, UPDATES_PER_GENERATION + 1))
README = Path(__file__).resolve().parents[2] / "README.md"
CLIENT = README.parent / "examples" / "watch_generation.py"
DATA = Path(__file__).resolve().parents[1] / "data"
REAL_POSTING = "09-safespring-2026-senior-backend-engineer.txt"


@dataclass
class Cluster:
    a: Serve
    b: Serve
    redis: RedisServer
    env: dict[str, str]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, mongo_url: str) -> Iterator[Cluster]:
    root = tmp_path_factory.mktemp("live-cluster")
    with RedisServer() as redis:
        shared = shared_env(mongo_url, redis.url)
        serves = [
            start_serve(
                root / name,
                env=jobwise_env(root / name, **shared),
                log_name=name,
                args=["--no-worker"],
            )
            for name in ("a", "b")
        ]
        try:
            for serve in serves:
                serve.wait_ready(embedded=False)
            yield Cluster(serves[0], serves[1], redis, shared)
        finally:
            for serve in serves:
                serve.terminate()


@pytest.fixture
async def worker(cluster: Cluster, tmp_path: Path) -> AsyncIterator[Runtime]:
    """The process that writes generations (as the generation worker will)."""
    settings = load_settings({**cluster.env, "JOBWISE_DATA_DIR": str(tmp_path)})
    async with open_runtime(settings, cluster.env["MONGODB_URL"], run_projections=False) as rt:
        yield rt


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as opened:
        yield opened


async def test_a_client_on_b_sees_a_generation_written_elsewhere_from_first_to_last(
    cluster: Cluster, worker: Runtime, session: aiohttp.ClientSession
) -> None:
    user_id, token = await register(session, cluster.a.base)
    on_b = await open_socket(session, cluster.b.base, token, channel="user")
    on_a = await open_socket(session, cluster.a.base, token, channel="user")
    generation = Generation(worker.store, worker.updates, user_id)

    await generation.run(step=2)

    for ws in (on_b, on_a):
        updates = await until_done(ws)
        assert [u["seq"] for u in updates] == EVERY_SEQ
        assert {u["generation_id"] for u in updates} == {generation.generation_id}
        assert updates[-1]["type"] == "generation.completed"
        await ws.close()


async def test_a_generation_posted_on_a_and_run_by_a_worker_is_seen_on_b(
    cluster: Cluster, session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    """Three processes: the API that took the request, the worker that ran it, and the
    API the watching client is connected to."""
    _user_id, token = await register(session, cluster.a.base)
    resume = json.loads((DATA / "generation" / "resume-kyle-oliver.json").read_text("utf-8"))
    posting = (
        DATA / "real_postings" / "09-safespring-2026-senior-backend-engineer.txt"
    ).read_text()
    a = cluster.a.base
    profile = await create(
        session, a, "/profiles/import", token, {"format": "json-resume", "data": resume}
    )
    job = await create(session, a, "/jobs", token, {"source": "web", "raw_text": posting})
    on_b = await open_socket(session, cluster.b.base, token, channel="user")
    worker_dir = tmp_path / "worker" / "data"
    worker_env = jobwise_env(worker_dir, **{**cluster.env, "JOBWISE_WORKER_CONCURRENCY": "1"})
    worker = start_worker(worker_dir, worker_env)
    try:
        created = await create(
            session, a, "/generations/resume", token,
            {"profile_id": profile["id"], "job_id": job["id"]},
        )  # fmt: skip
        updates = await until_done(on_b)
    finally:
        assert stopped(worker) == 0
    assert {u["generation_id"] for u in updates} == {created["id"]}
    assert [u["seq"] for u in updates] == list(range(1, len(updates) + 1))
    assert updates[-1]["type"] == "generation.completed", updates[-1]
    stages = [(u["stage"], u["stage_status"]) for u in updates if u.get("stage")]
    assert [stage for stage, status in stages if status == "completed"] == list(STAGES)
    await on_b.close()


async def test_clients_end_with_the_full_sequence_when_redis_restarts_mid_generation(
    cluster: Cluster, worker: Runtime, session: aiohttp.ClientSession
) -> None:
    user_id, token = await register(session, cluster.b.base)
    generation = Generation(worker.store, worker.updates, user_id)
    await generation.append(2)
    by_id = await open_socket(
        session, cluster.a.base, token, generation_id=generation.generation_id, after=0
    )
    on_channel = await open_socket(session, cluster.b.base, token, channel="user")
    try:
        await generation.append(3)
        cluster.redis.stop()
        await generation.append(4)  # announced to no one
        cluster.redis.start()
        await generation.run()
    finally:
        cluster.redis.start()

    assert [u["seq"] for u in await until_done(by_id)] == EVERY_SEQ
    assert [u["seq"] for u in await until_done(on_channel)] == list(range(3, 13))
    for ws in (by_id, on_channel):
        await ws.close()


async def test_a_logout_on_a_closes_the_sessions_socket_on_b_with_4401(
    cluster: Cluster, session: aiohttp.ClientSession
) -> None:
    _user_id, token = await register(session, cluster.a.base)
    on_b = await open_socket(session, cluster.b.base, token, channel="user")
    async with session.post(
        f"{cluster.a.base}/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"}
    ) as response:
        assert response.status == 204
    message = await on_b.receive(timeout=WAIT)
    assert message.type is aiohttp.WSMsgType.CLOSE
    assert on_b.close_code == 4401


async def test_the_readme_client_runs_as_written(
    cluster: Cluster, worker: Runtime, session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    section = README.read_text(encoding="utf-8").split("## Live updates", 1)[1]
    assert f"`{CLIENT.relative_to(README.parent)}`" in section, "the section lost its client"
    user_id, token = await register(session, cluster.a.base)
    generation = Generation(worker.store, worker.updates, user_id)
    await generation.append(5)  # some of it done before the client starts
    api = f"http://127.0.0.1:{cluster.b.port}/api/v1"  # another serve than the writer's
    client = await asyncio.create_subprocess_exec(
        sys.executable, str(CLIENT), token, generation.generation_id, api,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        await generation.run(step=3)
        out, err = await asyncio.wait_for(client.communicate(), WAIT)
    finally:
        if client.returncode is None:
            client.kill()
            await client.wait()

    assert client.returncode == 0, err.decode()
    lines = out.decode().splitlines()
    assert [int(line.split()[0]) for line in lines] == EVERY_SEQ
    assert lines[-1].split()[1] == "generation.completed"
