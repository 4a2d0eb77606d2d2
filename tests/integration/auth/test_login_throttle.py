"""Login throttling under concurrency, per account and per client address, and the
registration allowance per address."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import jwt
import pytest

from jobwise.entrypoints.http.factory import create_app
from jobwise.entrypoints.http.keys import RUNTIME, SETTINGS
from jobwise.settings import load_settings
from tests.integration.auth.conftest import PASSWORD, AppClient, MakeClient, bearer, register

LOGIN = "/api/v1/auth/login"


@pytest.fixture
async def proxied(
    aiohttp_client: MakeClient, tmp_path: Path, db_name: str, mongo_url: str, mongo: Any
) -> AppClient:
    """The app behind a trusted proxy on loopback, with low per-address thresholds."""
    settings = load_settings(
        {
            "JOBWISE_DATA_DIR": str(tmp_path),
            "MONGODB_DB": db_name,
            "JOBWISE_TRUSTED_PROXIES": "127.0.0.1, ::1",
            "JOBWISE_LOGIN_FAILURES_PER_ADDRESS": "8",
            "JOBWISE_REGISTRATIONS_PER_HOUR": "3",
        }
    )
    return await aiohttp_client(create_app(settings, mongo_url=mongo_url))


async def login(client: AppClient, email: str, password: str, address: str | None = None) -> Any:
    headers = {"X-Forwarded-For": address} if address else {}
    return await client.post(LOGIN, json={"email": email, "password": password}, headers=headers)


async def test_a_burst_of_guesses_gets_exactly_five_checks(client: AppClient) -> None:
    await register(client)
    guesses = [login(client, "ada@example.com", f"Wrong-Pass-{n}") for n in range(40)]
    statuses = [response.status for response in await asyncio.gather(*guesses)]

    assert statuses.count(401) == 5
    assert statuses.count(429) == 35
    assert (await login(client, "ada@example.com", PASSWORD)).status == 429


async def test_one_mistyping_user_does_not_lock_out_a_colleague(proxied: AppClient) -> None:
    await register(proxied, email="ada@example.com", password=PASSWORD)
    await register(proxied, email="grace@example.com", password=PASSWORD)
    for _ in range(5):
        assert (await login(proxied, "ada@example.com", "Wrong-Pass-1", "10.1.1.1")).status == 401
    assert (await login(proxied, "ada@example.com", PASSWORD, "10.1.1.1")).status == 429
    assert (await login(proxied, "grace@example.com", PASSWORD, "10.1.1.1")).status == 200


async def test_an_address_has_its_own_higher_threshold(proxied: AppClient) -> None:
    await register(proxied, email="victim@example.com", password=PASSWORD)
    for n in range(8):
        response = await login(proxied, f"guess{n}@example.com", "Wrong-Pass-1", "10.6.6.6")
        assert response.status == 401
    locked = await login(proxied, "victim@example.com", PASSWORD, "10.6.6.6")
    assert locked.status == 429
    assert "Retry-After" in locked.headers
    # Another client behind the same proxy is another address.
    assert (await login(proxied, "victim@example.com", PASSWORD, "10.2.2.2")).status == 200
    # A forged hop to the left of the proxy's own entry changes nothing.
    forged = await login(proxied, "victim@example.com", PASSWORD, "10.2.2.2, 10.6.6.6")
    assert forged.status == 429


@pytest.mark.slow
async def test_successful_logins_do_not_count_against_their_address(proxied: AppClient) -> None:
    await register(proxied, email="ada@example.com", password=PASSWORD)
    for _ in range(12):
        assert (await login(proxied, "ada@example.com", PASSWORD, "10.3.3.3")).status == 200


@pytest.mark.env(JOBWISE_LOGIN_FAILURES_PER_ADDRESS="100")
async def test_the_forwarded_header_of_an_untrusted_peer_is_ignored(client: AppClient) -> None:
    """Without trusted proxies, X-Forwarded-For is the client's own claim: not believed."""
    body = await register(client, email="ada@example.com", password=PASSWORD)
    await login(client, "ada@example.com", "Wrong-Pass-1", "10.9.9.9")
    throttle = client.app[RUNTIME].auth.address_throttle
    assert (await throttle.check("ip:10.9.9.9")).remaining == 100
    assert (await throttle.check("ip:127.0.0.1")).remaining == 99
    me = await client.get("/api/v1/auth/me", headers=bearer(body["access_token"]))
    assert (await me.json())["email"] == "ada@example.com"


async def test_registrations_are_limited_per_address(proxied: AppClient) -> None:
    for n in range(3):
        response = await proxied.post(
            "/api/v1/auth/register",
            json={"email": f"user{n}@example.com", "password": PASSWORD, "full_name": "U"},
            headers={"X-Forwarded-For": "10.4.4.4"},
        )
        assert response.status == 201
    refused = await proxied.post(
        "/api/v1/auth/register",
        json={"email": "user9@example.com", "password": PASSWORD, "full_name": "U"},
        headers={"X-Forwarded-For": "10.4.4.4"},
    )
    assert refused.status == 429
    assert (await refused.json())["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600
    elsewhere = await proxied.post(
        "/api/v1/auth/register",
        json={"email": "user9@example.com", "password": PASSWORD, "full_name": "U"},
        headers={"X-Forwarded-For": "10.5.5.5"},
    )
    assert elsewhere.status == 201


async def test_a_signed_token_for_a_user_who_does_not_exist_is_401(client: AppClient) -> None:
    body = await register(client)
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    key = client.app[SETTINGS].jwt_secret_key.get_secret_value()
    for changed in ({"sub": "00000000-0000-4000-8000-000000000000"}, {"sid": "no-such-session"}):
        forged = jwt.encode({**claims, **changed}, key, algorithm="HS256")
        for method, path, json_body in (
            ("GET", "/api/v1/auth/me", None),
            ("POST", "/api/v1/profiles", {"personal_info": {"full_name": "Ghost"}}),
        ):
            response = await client.request(method, path, json=json_body, headers=bearer(forged))
            assert response.status == 401, (changed, path)
            assert (await response.json())["error"]["code"] == "session_unknown"
    assert (await client.get("/api/v1/auth/me", headers=bearer(body["access_token"]))).status == 200
