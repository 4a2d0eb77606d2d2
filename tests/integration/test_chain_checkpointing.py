"""``serve`` signs the chain's head on its own, when the head moved."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from jobwise.adapters.eventstore.chain_scan import ChainScanner, scan
from jobwise.adapters.eventstore.checkpoints import CheckpointCheck, load_or_create_key
from jobwise.domain.chain_checkpoint import CHECKPOINT_STREAM
from jobwise.domain.events import NewEvent
from jobwise.entrypoints.http.factory import create_app
from jobwise.entrypoints.http.keys import EVENTS
from jobwise.settings import load_settings

AppClient = TestClient[web.Request, web.Application]
MakeClient = Callable[..., Awaitable[AppClient]]


@pytest.mark.env(JOBWISE_CHAIN_CHECKPOINT_SECONDS="0.1")
async def test_serve_checkpoints_the_moved_head_and_only_then(
    aiohttp_client: MakeClient, settings_env: dict[str, str], mongo_url: str, mongo: Any
) -> None:
    settings = load_settings(settings_env)
    client = await aiohttp_client(create_app(settings, mongo_url=mongo_url))
    store = client.app[EVENTS]
    written = await store.append("s-1", [NewEvent(type="Noted")], 0, stream_type="note")

    assert await store.wait_beyond(written.last_position, 20.0) > written.last_position
    await asyncio.sleep(0.5)  # several more periods: the head is the checkpoint, none more

    assert len(await store.read_stream(CHECKPOINT_STREAM)) == 1
    key = load_or_create_key(settings.data_dir / "chain-key.pem")
    checks = CheckpointCheck(key.public_key())
    _, broken = await scan(store.stored_events(0), ChainScanner(checkpoints=checks))  # type: ignore[attr-defined]
    assert broken is None and checks.checked == 1
