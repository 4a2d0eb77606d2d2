"""``DELETE /api/v1/me`` on the real app and database: refusals, races, other processes."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from jobwise.domain.erasure import erasure_stream, is_erased
from jobwise.entrypoints.http.factory import create_app
from jobwise.entrypoints.http.keys import RUNTIME
from jobwise.projections.maintenance import verify
from jobwise.settings import load_settings
from tests.integration.auth.conftest import PASSWORD, AppClient, MakeClient, bearer, register
from tests.support.redis_server import RedisServer


async def delete(client: AppClient, token: str, body: Any) -> tuple[int, Any]:
    response = await client.delete("/api/v1/me", json=body, headers=bearer(token))
    return response.status, (await response.json() if response.status != 204 else None)


async def with_a_profile(client: AppClient) -> dict[str, Any]:
    body = await register(client)
    profile = {"personal_info": {"full_name": "Ada Lovelace", "email": "ada@example.com"}}
    created = await client.post(
        "/api/v1/profiles", json=profile, headers=bearer(body["access_token"])
    )
    assert created.status == 201, await created.text()
    return body


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"password": "Wrong-Horse-1"}, 403, "wrong_password"),
        ({"password": "Wrong\x00Horse\x01"}, 422, "validation_error"),
        ({"password": ""}, 422, "validation_error"),
        ({"password": "x" * 200_000}, 422, "validation_error"),
        ({"password": PASSWORD, "user_id": "someone-else"}, 422, "validation_error"),
        ({"password": 10**400}, 422, "validation_error"),
        ({}, 422, "validation_error"),
    ],
)
async def test_refusals_erase_nothing(
    client: AppClient, body: dict[str, Any], status: int, code: str
) -> None:
    account = await with_a_profile(client)
    answer = await delete(client, account["access_token"], body)
    assert answer[0] == status and answer[1]["error"]["code"] == code, answer
    me = await client.get("/api/v1/auth/me", headers=bearer(account["access_token"]))
    assert me.status == 200


async def test_no_token_no_deletion(client: AppClient) -> None:
    response = await client.delete("/api/v1/me", json={"password": PASSWORD})
    assert response.status == 401


async def test_five_wrong_passwords_lock_the_deletion(client: AppClient) -> None:
    account = await with_a_profile(client)
    for attempt in range(5):
        wrong = await delete(client, account["access_token"], {"password": f"Wrong-{attempt}"})
        assert wrong[0] == 403
    locked = await delete(client, account["access_token"], {"password": PASSWORD})
    assert locked[0] == 429 and locked[1]["error"]["code"] == "rate_limited"


async def test_a_deleted_account_is_gone_and_the_views_equal_a_rebuild(client: AppClient) -> None:
    ada = await with_a_profile(client)
    grace = await register(client, email="grace@example.com", full_name="Grace Hopper")
    assert await delete(client, ada["access_token"], {"password": PASSWORD}) == (204, None)

    for path in ("/api/v1/auth/me", "/api/v1/profiles"):
        assert (await client.get(path, headers=bearer(ada["access_token"]))).status == 401
    login = {"email": "ada@example.com", "password": PASSWORD}
    assert (await client.post("/api/v1/auth/login", json=login)).status == 401
    me = await client.get("/api/v1/auth/me", headers=bearer(grace["access_token"]))
    assert (await me.json())["full_name"] == "Grace Hopper"

    runtime = client.app[RUNTIME]
    ada_id = ada["user"]["id"]
    assert await runtime.database["users"].count_documents({"_id": ada_id}) == 0
    assert await runtime.database["profiles"].count_documents({"user_id": ada_id}) == 0
    assert await runtime.database["sessions"].count_documents({"user_id": ada_id}) == 0
    differences = await verify(runtime.projections, runtime.store, runtime.client, runtime.database)
    assert [d.describe() for d in differences] == []
    again = await client.post(
        "/api/v1/auth/register",
        json={"email": "ADA@example.com", "password": PASSWORD, "full_name": "Ada II"},
    )
    assert again.status == 201


async def test_simultaneous_deletions_erase_once(client: AppClient) -> None:
    ada = await with_a_profile(client)
    answers = await asyncio.gather(
        *(delete(client, ada["access_token"], {"password": PASSWORD}) for _ in range(6))
    )
    statuses = [status for status, _ in answers]
    # Each attempt counts as a guess until its password is checked (as logins do): a
    # sixth at once may be refused, never erase twice.
    assert 204 in statuses and set(statuses) <= {204, 401, 429}, answers
    store = client.app[RUNTIME].store
    kinds = [e.type for e in await store.read_stream(erasure_stream(ada["user"]["id"]))]
    assert kinds == ["AccountErasureStarted", "AccountErased"]


@pytest.mark.redis
async def test_another_process_stops_opening_the_data_at_once(
    aiohttp_client: MakeClient, tmp_path: Path, db_name: str, mongo_url: str, mongo: Any
) -> None:
    with RedisServer() as redis:
        env = {"JOBWISE_DATA_DIR": str(tmp_path), "MONGODB_DB": db_name, "REDIS_URL": redis.url}
        first = await aiohttp_client(create_app(load_settings(env), mongo_url=mongo_url))
        second = await aiohttp_client(create_app(load_settings(env), mongo_url=mongo_url))
        ada = await with_a_profile(first)
        user_id = ada["user"]["id"]
        elsewhere = second.app[RUNTIME].store
        (registered, *_) = await elsewhere.read_stream(user_id)  # its key is now cached there
        assert registered.data["full_name"] == "Ada Lovelace"

        assert await delete(first, ada["access_token"], {"password": PASSWORD}) == (204, None)

        for _ in range(100):  # pub/sub delivers in milliseconds; the bound is generous
            if all(is_erased(e) for e in await elsewhere.read_stream(user_id)):
                break
            await asyncio.sleep(0.05)
        assert all(is_erased(e) for e in await elsewhere.read_stream(user_id))
