"""Throttling, the per-user rate limit, bad input, and what never reaches a log."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from jobwise.entrypoints.http.factory import create_app
from jobwise.entrypoints.http.keys import RUNTIME
from jobwise.settings import load_settings
from tests.integration.auth.conftest import PASSWORD, AppClient, MakeClient, bearer, register

LOGIN = "/api/v1/auth/login"


async def login(client: AppClient, email: str, password: str) -> Any:
    return await client.post(LOGIN, json={"email": email, "password": password})


async def test_five_failures_lock_an_account_with_retry_after(client: AppClient) -> None:
    await register(client)
    for _ in range(5):
        assert (await login(client, "ada@example.com", "Wrong-Pass-1")).status == 401

    locked = await login(client, "ada@example.com", PASSWORD)  # even the right password

    assert locked.status == 429
    assert (await locked.json())["error"]["code"] == "rate_limited"
    assert 1 <= int(locked.headers["Retry-After"]) <= 30


@pytest.mark.slow
async def test_a_success_resets_the_accounts_failures(client: AppClient) -> None:
    await register(client)
    for _ in range(4):
        await login(client, "ada@example.com", "Wrong-Pass-1")
    assert (await login(client, "ada@example.com", PASSWORD)).status == 200

    throttle = client.app[RUNTIME].auth.login_throttle
    assert (await throttle.check("account:ada@example.com")).remaining == 5


@pytest.mark.slow
async def test_a_user_gets_the_configured_requests_per_minute(
    aiohttp_client: MakeClient, tmp_path: Path, db_name: str, mongo_url: str, mongo: Any
) -> None:
    settings = load_settings(
        {
            "JOBWISE_DATA_DIR": str(tmp_path),
            "MONGODB_DB": db_name,
            "JOBWISE_RATE_LIMIT_PER_MINUTE": "3",
        }
    )
    client = await aiohttp_client(create_app(settings, mongo_url=mongo_url))
    token = (await register(client))["access_token"]
    statuses = [
        (await client.get("/api/v1/auth/me", headers=bearer(token))).status for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    limited = await client.get("/api/v1/auth/me", headers=bearer(token))
    assert 1 <= int(limited.headers["Retry-After"]) <= 60


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("Sh0rt", "8"),
        ("alllowercase1", "upper"),
        ("ALLUPPERCASE1", "lower"),
        ("NoDigitsHere", "digit"),
        ("A1a" * 400, "1024"),
    ],
)
async def test_the_password_policy_names_the_problem(
    client: AppClient, password: str, problem: str
) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": "ada@example.com", "password": password, "full_name": "Ada"},
    )
    assert response.status == 422
    fields = (await response.json())["error"]["details"]["fields"]
    assert any(f["field"] == "password" and problem in f["message"] for f in fields), fields


@pytest.mark.parametrize(
    "body",
    [
        {"email": {"$ne": None}, "password": PASSWORD, "full_name": "A"},
        {"email": "ada@example.com", "password": {"$gt": ""}, "full_name": "A"},
        {"email": ["ada@example.com"], "password": PASSWORD, "full_name": "A"},
        {"email": "ada@example.com", "password": PASSWORD},
        {"email": "ada@example.com", "password": PASSWORD, "full_name": "A", "admin": True},
        {"email": "not-an-email", "password": PASSWORD, "full_name": "A"},
        {"email": "ada@example.com", "password": PASSWORD, "full_name": "A" * 201},
        {"email": "a" * 300 + "@example.com", "password": PASSWORD, "full_name": "A"},
        {"email": "ada@example.com", "password": 12345678, "full_name": "A"},
    ],
)
async def test_bad_registrations_get_a_422_naming_the_field(
    client: AppClient, body: dict[str, Any]
) -> None:
    response = await client.post("/api/v1/auth/register", json=body)
    assert response.status == 422
    error = (await response.json())["error"]
    assert error["code"] == "validation_error"
    assert error["details"]["fields"]


async def test_operator_objects_cannot_reach_a_login_query(client: AppClient) -> None:
    await register(client)
    response = await client.post(LOGIN, json={"email": {"$ne": None}, "password": {"$ne": None}})
    assert response.status == 422
    fields = {f["field"] for f in (await response.json())["error"]["details"]["fields"]}
    assert fields == {"email", "password"}


async def test_non_json_unknown_routes_and_wrong_methods(client: AppClient) -> None:
    not_json = await client.post(LOGIN, data="email=a", headers={"Content-Type": "text/plain"})
    broken = await client.post(LOGIN, data="{", headers={"Content-Type": "application/json"})
    unknown = await client.get("/api/v1/auth/nope")
    wrong_method = await client.get(LOGIN)
    assert (not_json.status, broken.status, unknown.status, wrong_method.status) == (
        415,
        400,
        404,
        405,
    )
    for response in (not_json, broken, unknown, wrong_method):
        assert set((await response.json())["error"]) == {"code", "message", "details"}


async def test_no_password_or_token_is_ever_logged(
    client: AppClient, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    body = await register(client)
    await login(client, "ada@example.com", "Wrong-Pass-1")
    await client.post("/api/v1/auth/refresh", json={"refresh_token": body["refresh_token"]})
    await client.get("/api/v1/auth/me", headers=bearer(body["access_token"]))
    await client.get(f"/api/v1/auth/me?token={body['access_token']}")
    await client.post("/api/v1/auth/logout", headers=bearer(body["access_token"]))

    logged = caplog.text + "".join(str(r.__dict__) for r in caplog.records)
    logged += "".join(capsys.readouterr())
    assert "POST /api/v1/auth/login" in logged  # the access log did run
    for secret in (PASSWORD, "Wrong-Pass-1", body["access_token"], body["refresh_token"]):
        assert secret not in logged
