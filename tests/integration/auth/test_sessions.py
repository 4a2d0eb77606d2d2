"""Tokens and sessions: refresh rotation, reuse detection, logout, token checks."""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest

from jobwise.entrypoints.http.factory import create_app
from jobwise.entrypoints.http.keys import RUNTIME
from jobwise.projections.maintenance import verify
from jobwise.settings import Settings, load_settings
from tests.integration.auth.conftest import AppClient, MakeClient, bearer, register
from tests.support.redis_server import RedisServer


async def refresh(client: AppClient, token: str) -> tuple[int, dict[str, Any]]:
    response = await client.post("/api/v1/auth/refresh", json={"refresh_token": token})
    return response.status, await response.json()


async def me_status(client: AppClient, access_token: str) -> int:
    return (await client.get("/api/v1/auth/me", headers=bearer(access_token))).status


async def test_a_refresh_token_works_once(client: AppClient) -> None:
    first = await register(client)
    status, second = await refresh(client, first["refresh_token"])
    assert status == 200
    assert second["access_token"] != first["access_token"]
    assert await me_status(client, second["access_token"]) == 200

    status, third = await refresh(client, second["refresh_token"])
    assert status == 200
    assert await me_status(client, third["access_token"]) == 200


async def test_a_used_refresh_token_revokes_the_whole_session(client: AppClient) -> None:
    first = await register(client)
    _, second = await refresh(client, first["refresh_token"])

    status, body = await refresh(client, first["refresh_token"])  # replayed: stolen?

    assert status == 401
    assert body["error"]["code"] == "invalid_token"
    assert (await refresh(client, second["refresh_token"]))[0] == 401
    assert await me_status(client, second["access_token"]) == 401
    assert await me_status(client, first["access_token"]) == 401


async def test_two_simultaneous_refreshes_have_one_winner(client: AppClient) -> None:
    first = await register(client)
    outcomes = await asyncio.gather(*(refresh(client, first["refresh_token"]) for _ in range(2)))

    statuses = sorted(status for status, _ in outcomes)
    assert statuses == [200, 401]
    winner = next(body for status, body in outcomes if status == 200)
    # Truly at once, the loser lost an append race and the winner's session lives on. If
    # the loser came in just after the winner had stored its rotation, it presented a
    # used token, which ends the session: both are right, and the log says which it was.
    history = await client.app[RUNTIME].store.read_stream(first["user"]["id"])
    reused = any(e.data.get("reason") == "refresh_token_reused" for e in history)
    expected = 401 if reused else 200
    assert (await refresh(client, winner["refresh_token"]))[0] == expected


async def test_logout_stops_the_sessions_tokens_at_once(client: AppClient) -> None:
    body = await register(client)
    other = await client.post(
        "/api/v1/auth/login", json={"email": "ada@example.com", "password": "Correct-Horse-9"}
    )
    other_session = await other.json()

    response = await client.post("/api/v1/auth/logout", headers=bearer(body["access_token"]))

    assert response.status == 204
    refused = await client.get("/api/v1/auth/me", headers=bearer(body["access_token"]))
    assert refused.status == 401
    assert (await refused.json())["error"]["code"] == "session_revoked"
    assert (await refresh(client, body["refresh_token"]))[0] == 401
    assert await me_status(client, other_session["access_token"]) == 200  # other session lives


async def test_me_needs_a_bearer_token(client: AppClient) -> None:
    for headers in ({}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer "}):
        response = await client.get("/api/v1/auth/me", headers=headers)
        assert response.status == 401
        assert (await response.json())["error"]["code"] == "unauthorized"


def _forge(settings: Settings, claims: dict[str, Any], **changes: Any) -> str:
    payload = {**claims, **changes}
    return jwt.encode(payload, settings.jwt_secret_key.get_secret_value(), algorithm="HS256")


async def test_forged_or_misused_tokens_are_refused(client: AppClient, settings: Settings) -> None:
    body = await register(client)
    secret = settings.jwt_secret_key.get_secret_value()
    claims = jwt.decode(body["access_token"], secret, algorithms=["HS256"], audience="jobwise-api")
    header = base64.urlsafe_b64encode(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    unsigned = header.decode().rstrip("=") + "." + body["access_token"].split(".")[1] + "."
    past = int((datetime.now(UTC) - timedelta(hours=2)).timestamp())
    refused = {
        "alg none": unsigned,
        "other algorithm": jwt.encode(claims, secret, algorithm="HS512"),
        "wrong audience": _forge(settings, claims, aud="someone-else"),
        "wrong issuer": _forge(settings, claims, iss="evil"),
        "expired": _forge(settings, claims, iat=past - 3600, exp=past),
        "refresh as access": body["refresh_token"],
        "other secret": jwt.encode(claims, "x" * 48, algorithm="HS256"),
    }
    for why, token in refused.items():
        assert await me_status(client, token) == 401, why
    assert await me_status(client, body["access_token"]) == 200


async def test_an_access_token_is_not_a_refresh_token(client: AppClient) -> None:
    body = await register(client)
    assert (await refresh(client, body["access_token"]))[0] == 401


@pytest.mark.redis
async def test_logout_reaches_another_process_at_once(
    aiohttp_client: MakeClient, tmp_path: Path, db_name: str, mongo_url: str, mongo: Any
) -> None:
    with RedisServer() as redis:
        env = {"JOBWISE_DATA_DIR": str(tmp_path), "MONGODB_DB": db_name, "REDIS_URL": redis.url}
        first = await aiohttp_client(create_app(load_settings(env), mongo_url=mongo_url))
        second = await aiohttp_client(create_app(load_settings(env), mongo_url=mongo_url))
        body = await register(first)
        assert await me_status(second, body["access_token"]) == 200

        assert (
            await first.post("/api/v1/auth/logout", headers=bearer(body["access_token"]))
        ).status == 204

        assert await me_status(second, body["access_token"]) == 401


async def test_read_models_equal_a_full_rebuild_after_account_activity(client: AppClient) -> None:
    first = await register(client)
    await refresh(client, first["refresh_token"])
    await refresh(client, first["refresh_token"])  # reuse: revokes
    await register(client, email="grace@example.com")
    runtime = client.app[RUNTIME]

    differences = await verify(runtime.projections, runtime.store, runtime.client, runtime.database)
    assert [d.describe() for d in differences] == []
