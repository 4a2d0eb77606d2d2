"""Idempotency-Key on creates: a retry replays the first answer; a new body is refused."""

from __future__ import annotations

import asyncio

from tests.integration.auth.conftest import PASSWORD, AppClient, bearer, client, settings

__all__ = ["client", "settings"]

REGISTER = "/api/v1/auth/register"
PROFILES = "/api/v1/profiles"


async def test_a_retried_register_replays_the_first_answer(client: AppClient) -> None:
    body = {"email": "ada@example.com", "password": PASSWORD, "full_name": "Ada"}
    key = {"Idempotency-Key": "signup-1"}
    first = await client.post(REGISTER, json=body, headers=key)
    again = await client.post(REGISTER, json=body, headers=key)

    assert (first.status, again.status) == (201, 201)
    assert await again.json() == await first.json()
    assert again.headers["Idempotent-Replayed"] == "true"


async def test_a_retried_create_gives_the_same_id_and_creates_once(client: AppClient) -> None:
    token = (
        await (
            await client.post(
                REGISTER,
                json={"email": "ada@example.com", "password": PASSWORD, "full_name": "Ada"},
            )
        ).json()
    )["access_token"]
    headers = {**bearer(token), "Idempotency-Key": "profile-1"}
    body = {"personal_info": {"full_name": "Ada"}}

    answers = await asyncio.gather(
        *(client.post(PROFILES, json=body, headers=headers) for _ in range(3))
    )

    ids = {(await a.json())["id"] for a in answers}
    assert [a.status for a in answers] == [201, 201, 201] and len(ids) == 1
    assert {a.headers["Location"] for a in answers} == {f"{PROFILES}/{ids.pop()}"}
    listed = await (await client.get(PROFILES, headers=bearer(token))).json()
    assert listed["total"] == 1


async def test_the_same_key_with_another_body_is_refused(client: AppClient) -> None:
    key = {"Idempotency-Key": "signup-2"}
    await client.post(
        REGISTER,
        headers=key,
        json={"email": "ada@example.com", "password": PASSWORD, "full_name": "Ada"},
    )
    other = await client.post(
        REGISTER,
        headers=key,
        json={"email": "grace@example.com", "password": PASSWORD, "full_name": "Grace"},
    )
    assert other.status == 422
    assert (await other.json())["error"]["code"] == "idempotency_key_reused"


async def test_a_failed_attempt_does_not_keep_the_key(client: AppClient) -> None:
    key = {"Idempotency-Key": "signup-3"}
    bad = await client.post(
        REGISTER,
        headers=key,
        json={"email": "ada@example.com", "password": "weak", "full_name": "Ada"},
    )
    good = await client.post(
        REGISTER,
        headers=key,
        json={"email": "ada@example.com", "password": PASSWORD, "full_name": "Ada"},
    )
    assert (bad.status, good.status) == (422, 201)


async def test_keys_are_per_user(client: AppClient) -> None:
    tokens = []
    for email in ("ada@example.com", "grace@example.com"):
        answer = await client.post(
            REGISTER, json={"email": email, "password": PASSWORD, "full_name": "X"}
        )
        tokens.append((await answer.json())["access_token"])
    body = {"personal_info": {"full_name": "Same"}}
    made = [
        await client.post(PROFILES, json=body, headers={**bearer(t), "Idempotency-Key": "shared"})
        for t in tokens
    ]
    assert len({(await m.json())["id"] for m in made}) == 2
