"""Live-update tests: the real app on a real port, real WebSocket and SSE clients."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from jobwise.bootstrap import Runtime
from jobwise.entrypoints.http.factory import create_app
from jobwise.entrypoints.http.keys import RUNTIME
from jobwise.settings import Settings, load_settings
from tests.integration.auth.conftest import AppClient, MakeClient, register
from tests.support.generations import Generation
from tests.support.settings import app_env

WAIT = 15.0
"""Upper bound of any one wait for a message: a hang fails the test, it never times it."""


@dataclass
class LiveUser:
    client: AppClient
    id: str
    token: str
    email: str

    @property
    def runtime(self) -> Runtime:
        return self.client.app[RUNTIME]

    def generation(self, **kwargs: Any) -> Generation:
        runtime = self.runtime
        return Generation(runtime.store, runtime.updates, self.id, **kwargs)

    async def socket(self, *, token: bool = True) -> aiohttp.ClientWebSocketResponse:
        """A WebSocket, authenticated by ``?token=`` unless ``token`` is False."""
        path = f"/api/v1/ws?token={self.token}" if token else "/api/v1/ws"
        ws = await self.client.ws_connect(path)
        if token:
            hello = await receive(ws)
            assert hello["type"] == "authenticated", hello
        return ws


def live_settings(tmp_path: Path, db_name: str, **env: str) -> Settings:
    """No generation worker: these tests write a generation's events themselves, as a
    worker would, to drive every path of the live machinery (one test in
    ``test_real_generation.py`` watches the real worker instead)."""
    return load_settings(app_env(tmp_path, db_name, JOBWISE_WORKER_CONCURRENCY="0", **env))


@pytest.fixture
def settings(settings_env: dict[str, str]) -> Settings:
    # No worker, as in live_settings; a test's own @pytest.mark.env comes on top.
    return load_settings({"JOBWISE_WORKER_CONCURRENCY": "0", **settings_env})


@pytest.fixture
async def client(
    aiohttp_client: MakeClient, settings: Settings, mongo_url: str, mongo: Any
) -> AppClient:
    return await aiohttp_client(create_app(settings, mongo_url=mongo_url))


MakeUser = Callable[..., Awaitable[LiveUser]]


@pytest.fixture
def make_user(client: AppClient) -> MakeUser:
    counter = iter(range(1000))

    async def make(on: AppClient | None = None) -> LiveUser:
        target = on or client
        email = f"user{next(counter)}@example.com"
        body = await register(target, email=email)
        return LiveUser(target, body["user"]["id"], body["access_token"], email)

    return make


async def receive(ws: aiohttp.ClientWebSocketResponse, wait: float = WAIT) -> dict[str, Any]:
    """The next JSON message; fails on a close or when nothing comes within ``wait``."""
    message = await asyncio.wait_for(ws.receive(), wait)
    assert message.type is aiohttp.WSMsgType.TEXT, (message.type, message.data, message.extra)
    body: dict[str, Any] = json.loads(message.data)
    return body


async def send(ws: aiohttp.ClientWebSocketResponse, **message: Any) -> None:
    await ws.send_str(json.dumps(message))


async def updates_until_done(
    ws: aiohttp.ClientWebSocketResponse, generations: int = 1, wait: float = WAIT
) -> list[dict[str, Any]]:
    """Update messages until ``generations`` have sent their last one (others are skipped)."""
    updates: list[dict[str, Any]] = []
    finished = 0
    while finished < generations:
        message = await receive(ws, wait)
        if message["type"].startswith("generation."):
            updates.append(message)
            if message["type"] != "generation.progress":
                finished += 1
    return updates


async def closed_with(ws: aiohttp.ClientWebSocketResponse, wait: float = WAIT) -> int | None:
    """Read until the server closes; the close code."""
    while True:
        message = await asyncio.wait_for(ws.receive(), wait)
        if message.type in (
            aiohttp.WSMsgType.CLOSE,
            aiohttp.WSMsgType.CLOSING,
            aiohttp.WSMsgType.CLOSED,
        ):
            return ws.close_code


def seqs(updates: list[dict[str, Any]], generation_id: str | None = None) -> list[int]:
    return [u["seq"] for u in updates if generation_id in (None, u["generation_id"])]
