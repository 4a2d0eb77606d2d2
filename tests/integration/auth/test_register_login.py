"""Registering and logging in: the account, its password, its email."""

from __future__ import annotations

import asyncio
from collections import Counter

from jobwise.application.queries.history import events_for_user
from jobwise.entrypoints.http.keys import RUNTIME
from tests.integration.auth.conftest import PASSWORD, AppClient, bearer, register


async def test_register_answers_the_user_and_a_token_pair(client: AppClient) -> None:
    body = await register(client)

    assert set(body) == {"user", "access_token", "refresh_token", "token_type", "expires_in"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    user = body["user"]
    assert user["email"] == "ada@example.com"
    assert user["full_name"] == "Ada Lovelace"
    assert (user["subscription_tier"], user["generations_used"], user["generations_limit"]) == (
        "free",
        0,
        10,
    )
    assert user["is_active"] and not user["is_verified"]
    assert "password" not in str(body["user"]) and "hash" not in str(body["user"])

    me = await client.get("/api/v1/auth/me", headers=bearer(body["access_token"]))
    assert me.status == 200
    assert (await me.json())["id"] == user["id"]


async def test_login_with_the_right_password_opens_a_new_session(client: AppClient) -> None:
    registered = await register(client)
    response = await client.post(
        "/api/v1/auth/login", json={"email": "ADA@Example.com", "password": PASSWORD}
    )
    assert response.status == 200
    body = await response.json()
    assert body["user"]["id"] == registered["user"]["id"]
    assert body["refresh_token"] != registered["refresh_token"]


async def test_unknown_email_and_wrong_password_look_the_same(client: AppClient) -> None:
    await register(client)
    wrong = await client.post(
        "/api/v1/auth/login", json={"email": "ada@example.com", "password": "Wrong-Pass-1"}
    )
    unknown = await client.post(
        "/api/v1/auth/login", json={"email": "nobody@example.com", "password": PASSWORD}
    )
    assert wrong.status == unknown.status == 401
    assert (await wrong.json())["error"] == (await unknown.json())["error"]


async def test_email_is_unique_whatever_its_case(client: AppClient) -> None:
    await register(client, email="ada@example.com")
    again = await client.post(
        "/api/v1/auth/register",
        json={"email": "  ADA@EXAMPLE.COM ", "password": PASSWORD, "full_name": "Other"},
    )
    assert again.status == 409
    assert (await again.json())["error"]["code"] == "email_taken"


async def test_twenty_simultaneous_registrations_of_one_email_give_one_account(
    client: AppClient,
) -> None:
    async def attempt(n: int) -> int:
        response = await client.post(
            "/api/v1/auth/register",
            json={"email": "race@example.com", "password": PASSWORD, "full_name": f"Racer {n}"},
        )
        if response.status == 409:
            assert (await response.json())["error"]["code"] == "email_taken"
        return response.status

    statuses = Counter(await asyncio.gather(*(attempt(n) for n in range(20))))
    assert statuses == Counter({201: 1, 409: 19})
    users = client.app[RUNTIME].database["users"]
    assert await users.count_documents({"email_normalized": "race@example.com"}) == 1


async def test_a_long_unicode_password_counts_in_full(client: AppClient) -> None:
    password = ("Pässwörd-Ünïcödé-9-" * 6)[:100]
    assert len(password.encode()) > 72
    await register(client, password=password)
    changed_late = password[:95] + "X" + password[96:]

    ok = await client.post(
        "/api/v1/auth/login", json={"email": "ada@example.com", "password": password}
    )
    late = await client.post(
        "/api/v1/auth/login", json={"email": "ada@example.com", "password": changed_late}
    )
    assert (ok.status, late.status) == (200, 401)


async def test_the_account_story_is_in_the_event_history(client: AppClient) -> None:
    body = await register(client)
    await client.post("/api/v1/auth/logout", headers=bearer(body["access_token"]))
    runtime = client.app[RUNTIME]

    history = await events_for_user(runtime.database, runtime.store.opener, body["user"]["id"])

    kinds = [e.type for e in history]
    assert kinds == ["EmailReserved", "UserRegistered", "SessionStarted", "SessionRevoked"]
    registered = history[1]
    assert registered.metadata.user_id == body["user"]["id"]
    assert (registered.metadata.model_extra or {}).get("ip") == "127.0.0.1"
    assert PASSWORD not in str([e.data for e in history])
    assert registered.data["password_hash"].startswith("$argon2id$")


async def test_simultaneous_logins_to_one_account_all_get_a_session(client: AppClient) -> None:
    await register(client)

    async def attempt() -> int:
        response = await client.post(
            "/api/v1/auth/login", json={"email": "ada@example.com", "password": PASSWORD}
        )
        return response.status

    assert await asyncio.gather(*(attempt() for _ in range(4))) == [200] * 4
