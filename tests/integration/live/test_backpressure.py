"""A client that stops reading is cut off with 1013; everyone else keeps receiving."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import aiohttp

from jobwise.entrypoints.http.factory import create_app
from jobwise.entrypoints.http.routes.live import LIVE
from jobwise.entrypoints.live.hub import LiveHub
from tests.integration.auth.conftest import MakeClient, register
from tests.integration.live.conftest import LiveUser, live_settings, receive, send
from tests.support.generations import UPDATES_PER_GENERATION
from tests.support.raw_websocket import TEXT, RawWebSocket

QUEUE = 16
MAX_GENERATIONS = 400
"""Far more than the slow client's buffers and queue can hold (some 200 KB)."""


async def test_a_slow_consumer_is_closed_with_1013_and_delays_no_one(
    aiohttp_client: MakeClient, tmp_path: Path, db_name: str, mongo_url: str, mongo: Any
) -> None:
    settings = live_settings(tmp_path, db_name, JOBWISE_LIVE_QUEUE_SIZE=str(QUEUE))
    client = await aiohttp_client(create_app(settings, mongo_url=mongo_url))
    body = await register(client)
    ada = LiveUser(client, body["user"]["id"], body["access_token"], "ada@example.com")
    hub = client.app[LIVE]
    fast = await ada.socket()
    await send(fast, type="subscribe", channel="user")
    await receive(fast)
    slow = await RawWebSocket.connect(
        client.server.host,
        client.server.port,
        f"/api/v1/ws?token={ada.token}",
        receive_buffer=2048,
    )
    await slow.send_json({"type": "subscribe", "channel": "user"})
    heard: list[dict[str, Any]] = []
    arrived = asyncio.Event()
    listening = asyncio.create_task(_collect(fast, heard, arrived))

    generations = []
    while not _one_was_cut(hub, ada.id) and len(generations) < MAX_GENERATIONS:
        generation = ada.generation()
        await generation.run(step=len(generation.plan))
        generations.append(generation)
    cut_after = len(generations)
    for _ in range(3):  # and the rest of the world goes on
        generation = ada.generation()
        await generation.run(step=len(generation.plan))
        generations.append(generation)

    slow_frames = await asyncio.wait_for(slow.frames_until_close(), 30.0)
    await _until(heard, len(generations) * UPDATES_PER_GENERATION, arrived)
    listening.cancel()
    slow.close()

    assert cut_after < MAX_GENERATIONS, "the slow client was never cut off"
    assert slow_frames[-1].close_code == 1013
    slow_updates = [json.loads(f.payload) for f in slow_frames if f.opcode == TEXT]
    assert len(slow_updates) < len(heard)
    for generation in generations:
        mine = [u["seq"] for u in heard if u["generation_id"] == generation.generation_id]
        assert mine == list(range(1, UPDATES_PER_GENERATION + 1))
    await fast.close()


def _one_was_cut(hub: LiveHub, user_id: str) -> bool:
    return any(watcher.ended for watcher in hub.watchers_of(user_id))


async def _collect(
    ws: aiohttp.ClientWebSocketResponse, into: list[dict[str, Any]], arrived: asyncio.Event
) -> None:
    while True:
        message = await receive(ws, wait=60.0)
        if message["type"].startswith("generation."):
            into.append(message)
            arrived.set()


async def _until(heard: list[dict[str, Any]], count: int, arrived: asyncio.Event) -> None:
    async with asyncio.timeout(30.0):
        while len(heard) < count:
            arrived.clear()
            await arrived.wait()
