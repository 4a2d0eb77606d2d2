"""The real app on a real port: readiness, read-your-writes, graceful shutdown."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession, WSCloseCode, WSMsgType, web
from aiohttp.test_utils import TestClient, TestServer

from jobwise.bootstrap import open_runtime
from jobwise.domain.events import NewEvent
from jobwise.entrypoints.http.factory import create_app
from jobwise.entrypoints.http.keys import RUNTIME, WEBSOCKETS
from jobwise.projections.streams import STREAMS
from jobwise.settings import Settings, load_settings
from tests.integration.auth.conftest import register
from tests.support.redis_server import RedisServer

AppClient = TestClient[web.Request, web.Application]
MakeClient = Callable[..., Awaitable[AppClient]]


@pytest.fixture
def settings(settings_env: dict[str, str]) -> Settings:
    return load_settings(settings_env)


@pytest.fixture
async def client(
    aiohttp_client: MakeClient, settings: Settings, mongo_url: str, mongo: Any
) -> AppClient:
    return await aiohttp_client(create_app(settings, mongo_url=mongo_url))


async def test_ready_when_database_pubsub_and_projections_are_live(client: AppClient) -> None:
    response = await client.get("/ready")
    assert response.status == 200
    body = await response.json()
    assert body == {
        "status": "ready",
        "checks": {"database": "ok", "pubsub": "ok", "projections": "ok"},
    }
    assert response.headers["X-Request-ID"]
    assert (await client.get("/health")).status == 200


@pytest.mark.redis
async def test_not_ready_names_pubsub_when_redis_is_down(
    aiohttp_client: MakeClient, tmp_path: Path, db_name: str, mongo_url: str, mongo: Any
) -> None:
    with RedisServer() as redis:
        settings = load_settings(
            {"JOBWISE_DATA_DIR": str(tmp_path), "MONGODB_DB": db_name, "REDIS_URL": redis.url}
        )
        client = await aiohttp_client(create_app(settings, mongo_url=mongo_url))
        assert (await client.get("/ready")).status == 200

        redis.stop()
        response = await client.get("/ready")

        assert response.status == 503
        error = (await response.json())["error"]
        assert error["code"] == "not_ready"
        assert error["details"]["checks"]["pubsub"].startswith("unreachable")
        assert error["details"]["checks"]["database"] == "ok"
        assert "pubsub" in error["message"]


async def test_a_read_right_after_a_write_sees_it_every_time(client: AppClient) -> None:
    token = (await register(client))["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    created = await client.post(
        "/api/v1/profiles", json={"personal_info": {"full_name": "Ada"}}, headers=headers
    )
    path = f"/api/v1/profiles/{(await created.json())['id']}"
    for cycle in range(20):
        patched = await client.patch(
            path, json={"professional_summary": f"cycle {cycle}"}, headers=headers
        )
        assert patched.status == 200
        read = await (await client.get(path, headers=headers)).json()
        assert (read["professional_summary"], read["version"]) == (f"cycle {cycle}", cycle + 2)
        owner = await client.app[RUNTIME].database[STREAMS].find_one({"_id": read["id"]})
        assert owner is not None and owner["user_id"] == read["user_id"]


async def test_status_shows_each_projections_position_and_lag(client: AppClient) -> None:
    runtime = client.app[RUNTIME]
    written = await runtime.store.append("s-1", [NewEvent(type="Ticked")], 0, stream_type="t")
    await runtime.read_your_writes(written.last_position)

    response = await client.get("/status")

    assert response.status == 200
    body = await response.json()
    assert body["head_position"] == written.last_position
    streams = next(p for p in body["projections"] if p["name"] == "streams")
    assert streams == {"name": "streams", "version": 2, "position": 1, "lag": 0}


@pytest.mark.parametrize(
    ("environment", "headers", "status"),
    [
        # Behind a trusted proxy the client is the forwarded address, not the proxy's.
        ({"JOBWISE_TRUSTED_PROXIES": "127.0.0.1"}, {"X-Forwarded-For": "203.0.113.9"}, 403),
        (
            {"JOBWISE_TRUSTED_PROXIES": "127.0.0.1", "JOBWISE_OPERATOR_TOKEN": "op-" + "s" * 30},
            {"X-Forwarded-For": "203.0.113.9", "Authorization": "Bearer op-" + "s" * 30},
            200,
        ),
        (
            {"JOBWISE_TRUSTED_PROXIES": "127.0.0.1", "JOBWISE_OPERATOR_TOKEN": "op-" + "s" * 30},
            {"X-Forwarded-For": "203.0.113.9", "Authorization": "Bearer op-" + "t" * 30},
            403,
        ),
        # A proxy on this machine that is not trusted relays someone: not this machine.
        ({}, {"X-Forwarded-For": "203.0.113.9"}, 403),
        ({}, {}, 200),
        # A trusted proxy relaying a client on this machine; a garbage header is no client.
        ({"JOBWISE_TRUSTED_PROXIES": "127.0.0.1"}, {"X-Forwarded-For": "127.0.0.1"}, 200),
        ({"JOBWISE_TRUSTED_PROXIES": "127.0.0.1"}, {"X-Forwarded-For": "not-an-ip"}, 403),
    ],
)
async def test_status_is_for_operators_on_loopback_or_with_the_operator_token(
    aiohttp_client: MakeClient,
    tmp_path: Path,
    db_name: str,
    mongo_url: str,
    mongo: Any,
    environment: dict[str, str],
    headers: dict[str, str],
    status: int,
) -> None:
    settings = load_settings(
        {"JOBWISE_DATA_DIR": str(tmp_path), "MONGODB_DB": db_name, **environment}
    )
    client = await aiohttp_client(create_app(settings, mongo_url=mongo_url))

    response = await client.get("/status", headers=headers)

    assert response.status == status
    body = await response.json()
    if status == 403:
        assert body["error"]["code"] == "forbidden"
        assert "head_position" not in str(body)
    else:
        assert "head_position" in body


async def test_a_closed_runtime_leaves_no_password_hashing_threads(
    settings: Settings, mongo_url: str, mongo: Any
) -> None:
    before = set(threading.enumerate())
    async with open_runtime(settings, mongo_url) as runtime:
        await runtime.auth.hasher.hash("Correct-Horse-9")  # starts a hashing thread
        started = [t for t in set(threading.enumerate()) - before if t.name.startswith("password")]
        assert started
    # A runtime per app, apps per test: threads left behind would pile up for the run.
    assert [t for t in started if t.is_alive()] == []


async def test_open_websockets_are_closed_going_away_on_shutdown(
    settings: Settings, mongo_url: str, mongo: Any
) -> None:
    app = create_app(settings, mongo_url=mongo_url)

    async def socket(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=10)
        await ws.prepare(request)
        request.app[WEBSOCKETS].add(ws)
        async for _ in ws:
            pass
        return ws

    app.router.add_get("/test-socket", socket)
    server = TestServer(app)
    await server.start_server()
    async with ClientSession() as session:
        ws = await session.ws_connect(server.make_url("/test-socket"))
        closing = asyncio.create_task(server.close())
        async with asyncio.timeout(10):
            message = await ws.receive()
            await closing
    assert message.type == WSMsgType.CLOSE
    assert ws.close_code == WSCloseCode.GOING_AWAY


async def test_openapi_lists_the_resources_with_their_conventions(client: AppClient) -> None:
    document = await (await client.get("/openapi.json")).json()

    paths = document["paths"]
    for path in (
        "/api/v1/auth/register",
        "/api/v1/auth/me",
        "/api/v1/profiles",
        "/api/v1/profiles/{profile_id}/experiences/{item_id}",
        "/api/v1/profiles/{profile_id}/export",
        "/api/v1/profiles/import",
    ):
        assert path in paths, path
    register = paths["/api/v1/auth/register"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in register["parameters"])
    assert "security" in paths["/api/v1/auth/me"]["get"]
    assert "security" not in paths["/api/v1/auth/login"]["post"]
