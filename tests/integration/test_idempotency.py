"""Idempotency-Key on creates: a retry replays the first answer; a new body is refused."""

from __future__ import annotations

import asyncio
import json

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
    key = {"Idempotency-Key": "signup-2", "Content-Type": "application/json"}
    body = {"email": "ada@example.com", "password": PASSWORD, "full_name": "Ada"}
    compact = json.dumps(body, separators=(",", ":"))
    spaced = json.dumps(dict(reversed(body.items())), indent=2)
    first = await client.post(REGISTER, data=compact, headers=key)
    again = await client.post(REGISTER, data=spaced, headers=key)
    assert (first.status, again.status) == (201, 201)
    assert (await again.json())["user"]["id"] == (await first.json())["user"]["id"]
    assert again.headers["Idempotent-Replayed"] == "true"

    changed = await client.post(REGISTER, data=spaced.replace('"Ada"', '"Ada L"'), headers=key)
    assert changed.status == 422
    assert (await changed.json())["error"]["code"] == "idempotency_key_reused"
