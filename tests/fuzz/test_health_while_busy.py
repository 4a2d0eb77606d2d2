"""``/health`` answers within 100 ms while the worst text is being read.

Issue 18: ``PUT /documents/{id}`` with 199,000 ``[`` froze the whole server for 5.6
minutes (the plain-text export's link pattern rescanned the line from every ``[``, on
the event loop). The server here is the real ``jobwise serve`` in its own process, so
the client that measures shares neither its event loop nor its GIL: each ``/health`` is
timed on the client's monotonic clock while heavy requests are in flight.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.e2e.conftest import Serve, jobwise_env, start_serve
from tests.fuzz.inputs import SIZE
from tests.integration.generations.conftest import posting, resume

pytestmark = pytest.mark.fuzz

HEALTH_LIMIT = 0.100
"""The issue's figure: what a load balancer's health check may wait."""
HEALTH_TIMEOUT = 5.0
"""A frozen loop shows as one /health this slow; the test stops there, it does not wait."""
HEAVY_TIMEOUT = 90.0
MIN_SAMPLES = 10
POLL_SECONDS = 0.05
ROUNDS = 5
PASSWORD = "Correct-Horse-9"


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Serve]:
    data_dir = tmp_path / "data"
    serve = start_serve(data_dir, env=jobwise_env(data_dir))
    try:
        await asyncio.to_thread(serve.wait_ready)
        yield serve
    finally:
        await asyncio.to_thread(serve.terminate)


async def _call(
    http: aiohttp.ClientSession, method: str, path: str, token: str, expect: int, **kw: Any
) -> Any:
    headers = {"Authorization": f"Bearer {token}"}
    async with http.request(method, f"/api/v1{path}", headers=headers, **kw) as response:
        body = await response.json()
        assert response.status == expect, body
        return body


async def _document(http: aiohttp.ClientSession) -> tuple[str, str]:
    """A bearer token and the id of a generated resume of that user's."""
    account = {"email": "ada@example.com", "password": PASSWORD, "full_name": "Ada Lovelace"}
    async with http.post("/api/v1/auth/register", json=account) as response:
        token: str = (await response.json())["access_token"]
    imported = {"format": "json-resume", "data": resume("kyle-oliver")}
    profile = await _call(http, "POST", "/profiles/import", token, 201, json=imported)
    pasted = {
        "source": "company site",
        "raw_text": posting("09-safespring-2026-senior-backend-engineer"),
    }
    job = await _call(http, "POST", "/jobs", token, 201, json=pasted)
    asked = {"profile_id": profile["id"], "job_id": job["id"], "options": {}}
    generation = await _call(http, "POST", "/generations/resume", token, 201, json=asked)
    async with asyncio.timeout(90):
        while True:
            state = await _call(http, "GET", f"/generations/{generation['id']}", token, 200)
            if state["status"] not in ("pending", "generating"):
                return token, state["result"]["document_id"]
            await asyncio.sleep(0.1)


async def _heavy(
    http: aiohttp.ClientSession, token: str, document_id: str, round_: int
) -> list[int]:
    """The worst inputs at once: the issue's PUT, and a preview of the slowest Markdown."""
    worst = f"# Ada {round_}\n\n" + "[" * (SIZE - 12)
    lines = f"# Ada {round_}\n\n" + "[\n" * ((SIZE - 12) // 2)
    headers = {"Authorization": f"Bearer {token}"}
    timeout = aiohttp.ClientTimeout(total=HEAVY_TIMEOUT)

    async def send(method: str, path: str, body: dict[str, Any]) -> int:
        url = f"/api/v1/documents{path}"
        async with http.request(method, url, json=body, headers=headers, timeout=timeout) as sent:
            await sent.read()
            return sent.status

    return list(
        await asyncio.gather(
            send("PUT", f"/{document_id}", {"content_markdown": worst}),
            send("POST", "/preview", {"content_markdown": lines}),
        )
    )


class ClientStalls:
    """When this (the measuring) process was not running: its own loop's ticks, 5 ms
    apart, seen late. A ``/health`` slow only because the client was descheduled says
    nothing about the server, so that time is taken off its latency."""

    def __init__(self) -> None:
        self.gaps: list[tuple[float, float]] = []
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> ClientStalls:
        self._task = asyncio.create_task(self._tick())
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _tick(self) -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(0.005)
            now = time.monotonic()
            if now - last > 0.015:
                self.gaps.append((last + 0.005, now))
            last = now

    def within(self, start: float, end: float) -> float:
        return sum(max(0.0, min(end, b) - max(start, a)) for a, b in self.gaps)


async def _health_latencies(
    http: aiohttp.ClientSession, heavy: asyncio.Task[Any], stalls: ClientStalls
) -> list[float]:
    """Each ``/health`` round trip's seconds, the client's own stalls taken off, polled
    until ``heavy`` ends (or one is slow)."""
    timeout = aiohttp.ClientTimeout(total=HEALTH_TIMEOUT)
    latencies: list[float] = []
    while not heavy.done():
        started = time.monotonic()
        try:
            async with http.get("/health", timeout=timeout) as response:
                await response.read()
                assert response.status == 200
        except TimeoutError:
            latencies.append(time.monotonic() - started)
            break  # The loop is frozen: no need to wait minutes for it.
        ended = time.monotonic()
        await asyncio.sleep(0.01)  # a stall at the very end shows in the next tick
        latencies.append(ended - started - stalls.within(started, ended))
        if latencies[-1] >= HEALTH_LIMIT:
            break
        await asyncio.sleep(POLL_SECONDS)
    return latencies


async def _round(http: aiohttp.ClientSession, token: str, document_id: str, round_: int) -> str:
    """ "" when every ``/health`` beside the heavy requests took under 100 ms, else why not."""
    heavy = asyncio.create_task(_heavy(http, token, document_id, round_))
    await asyncio.sleep(0.05)  # the bodies are sent: the server is reading them
    async with ClientStalls() as stalls:
        latencies = await _health_latencies(http, heavy, stalls)
    if not heavy.done():
        heavy.cancel()
        return f"/health took {max(latencies) * 1000:.0f} ms ({len(latencies)} calls)"
    assert await heavy == [200, 200]
    # Enough calls landed while the heavy requests ran for the bound to mean something.
    assert len(latencies) >= MIN_SAMPLES, latencies
    slowest = max(latencies)
    return f"/health took {slowest * 1000:.0f} ms" if slowest >= HEALTH_LIMIT else ""


async def test_health_answers_within_100_ms_while_the_worst_markdown_is_read(
    served: Serve,
) -> None:
    """Up to five rounds, and one must have every ``/health`` under 100 ms: a machine
    whose cores are shared deschedules any process now and then (an idle asyncio loop
    saw 160 ms gaps here at load 9 on 2 cores). A frozen loop fails every round."""
    failures: list[str] = []
    async with aiohttp.ClientSession(base_url=served.base) as http:
        token, document_id = await _document(http)
        for round_ in range(ROUNDS):
            failed = await _round(http, token, document_id, round_)
            if not failed:
                return
            failures.append(failed)
    pytest.fail(f"/health was slow beside the worst input in every round: {failures}")
