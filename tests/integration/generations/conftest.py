"""Generation tests: the real app on a real port, a fresh database, the real worker in the
app, the session's one Chromium, and real resumes and postings no one here wrote."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from jobwise.adapters.rendering import WarmBrowser
from jobwise.application.processes import GenerationWorker, WorkerSettings
from jobwise.bootstrap import build_generation_worker
from jobwise.entrypoints.http.factory import create_app
from jobwise.entrypoints.http.keys import RUNTIME
from jobwise.projections.maintenance import verify
from jobwise.settings import Settings, load_settings
from tests.integration.auth.conftest import AppClient, MakeClient, register
from tests.integration.users import ApiUser
from tests.support.settings import app_env

DATA = Path(__file__).parents[2] / "data"
RESUMES = DATA / "generation"
REAL_POSTINGS = DATA / "real_postings"
DONE_SECONDS = 60.0
RUNNING = ("pending", "generating")


def resume(name: str) -> dict[str, Any]:
    """A JSON Resume from the fixtures (``tests/data/generation/SOURCES.md``)."""
    data: dict[str, Any] = json.loads((RESUMES / f"resume-{name}.json").read_text("utf-8"))
    return data


def posting(name: str) -> str:
    """A pasted posting: ``tests/data/real_postings/<name>.txt`` or the generation ones."""
    for path in (REAL_POSTINGS / f"{name}.txt", RESUMES / f"{name}.txt"):
        if path.exists():
            return path.read_text("utf-8")
    raise FileNotFoundError(name)


def env(tmp_path: Path, db_name: str, **more: str) -> dict[str, str]:
    return app_env(tmp_path, db_name, **more)


@pytest.fixture
def settings(settings_env: dict[str, str]) -> Settings:
    return load_settings(settings_env)


@pytest.fixture
async def client(
    aiohttp_client: MakeClient,
    settings: Settings,
    mongo_url: str,
    mongo: Any,
    warm_browser: WarmBrowser,
) -> AppClient:
    app = create_app(settings, mongo_url=mongo_url, browser=warm_browser)
    return await aiohttp_client(app)


class Seeker(ApiUser):
    """A signed-up job seeker, with shortcuts for profiles, jobs and generations."""

    async def profile_from(self, name: str) -> str:
        """Import one of the real resumes as a profile; its id."""
        body = {"format": "json-resume", "data": resume(name)}
        created = await self.call("POST", "/profiles/import", expect=201, json=body)
        return str(created["id"])

    async def job_from(self, name: str) -> str:
        """Paste one of the real postings as a job; its id."""
        body = {"source": "company site", "raw_text": posting(name)}
        created = await self.call("POST", "/jobs", expect=201, json=body)
        return str(created["id"])

    async def generate(
        self,
        profile_id: str,
        job_id: str,
        kind: str = "resume",
        expect: int | None = 201,
        **options: Any,
    ) -> dict[str, Any]:
        path = "/generations/resume" if kind == "resume" else "/generations/cover-letter"
        body = {"profile_id": profile_id, "job_id": job_id, "options": options}
        answer: dict[str, Any] = await self.call("POST", path, expect=expect, json=body)
        return answer

    async def generation(self, generation_id: str) -> dict[str, Any]:
        answer: dict[str, Any] = await self.call("GET", f"/generations/{generation_id}", expect=200)
        return answer

    async def wait_done(self, generation_id: str, seconds: float = DONE_SECONDS) -> dict[str, Any]:
        """Poll until the generation has ended; its final state."""
        async with asyncio.timeout(seconds):
            while True:
                current = await self.generation(generation_id)
                if current["status"] not in RUNNING:
                    return current
                await asyncio.sleep(0.05)

    async def wait_stage(
        self, generation_id: str, stage: str, seconds: float = DONE_SECONDS
    ) -> dict[str, Any]:
        """Poll until ``stage`` has started."""
        async with asyncio.timeout(seconds):
            while True:
                current = await self.generation(generation_id)
                if current["progress"]["stage"] == stage or current["status"] not in RUNNING:
                    return current
                await asyncio.sleep(0.05)

    async def result(self, generation_id: str) -> dict[str, Any]:
        answer: dict[str, Any] = await self.call(
            "GET", f"/generations/{generation_id}/result", expect=200
        )
        return answer

    async def me(self) -> dict[str, Any]:
        answer: dict[str, Any] = await self.call("GET", "/auth/me", expect=200)
        return answer


async def seeker(client: AppClient, email: str, full_name: str = "Kyle Oliver") -> Seeker:
    body = await register(client, email=email, full_name=full_name)
    return Seeker(client, body["access_token"], body["user"]["id"])


@pytest.fixture
async def kyle(client: AppClient) -> Seeker:
    return await seeker(client, "kyle@example.com")


@pytest.fixture
async def grace(client: AppClient) -> Seeker:
    return await seeker(client, "grace@example.com", "Grace Hopper")


async def events_of(client: AppClient, stream_id: str) -> list[dict[str, Any]]:
    """The stream's events as the store holds them (type, data, metadata)."""
    recorded = await client.app[RUNTIME].store.read_stream(stream_id)
    return [event.model_dump(mode="json") for event in recorded]


async def assert_read_models_rebuild_identically(client: AppClient) -> None:
    runtime = client.app[RUNTIME]
    await runtime.read_your_writes(await runtime.store.head_position())
    differences = await verify(runtime.projections, runtime.store, runtime.client, runtime.database)
    assert differences == []


@contextlib.asynccontextmanager
async def worker_in(
    client: AppClient, worker_id: str | None = None, **settings: Any
) -> AsyncIterator[GenerationWorker]:
    """A generation worker of its own on the app's runtime (as ``jobwise worker`` runs one),
    stopped on exit."""
    runtime = client.app[RUNTIME]
    chosen = WorkerSettings(**{"lease_seconds": 30.0, "sweep_seconds": 0.5, **settings})
    worker = build_generation_worker(runtime, chosen, worker_id)
    await worker.start()
    try:
        yield worker
    finally:
        await worker.stop()


async def until(condition: Callable[[], object], seconds: float) -> None:
    """Return once ``condition()`` is true; fail (TimeoutError) after ``seconds``."""
    async with asyncio.timeout(seconds):
        while True:
            if condition():
                return
            await asyncio.sleep(0.02)
