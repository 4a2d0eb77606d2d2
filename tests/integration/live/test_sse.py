"""``GET /api/v1/generations/{id}/events``: the same updates as Server-Sent Events."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp

from jobwise.domain.generation_updates import update_message
from tests.integration.auth.conftest import bearer
from tests.integration.live.conftest import WAIT, LiveUser, MakeUser
from tests.support.generations import UPDATES_PER_GENERATION


async def read_events(
    response: aiohttp.ClientResponse, count: int | None = None
) -> list[dict[str, Any]]:
    """Parse events until the server ends the stream (or ``count`` have come)."""
    events: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    while count is None or len(events) < count:
        line = await asyncio.wait_for(response.content.readline(), WAIT)
        if not line:
            return events
        text = line.decode().rstrip("\n")
        if text == "":
            if current:
                events.append(current)
            current = {}
        elif text.startswith(":"):
            continue  # a keep-alive comment
        else:
            field, _, value = text.partition(": ")
            current[field] = json.loads(value) if field == "data" else value
    return events


def path(generation_id: str) -> str:
    return f"/api/v1/generations/{generation_id}/events"


async def test_the_stream_carries_every_update_with_seq_as_id_then_ends(
    make_user: MakeUser,
) -> None:
    ada = await make_user()
    generation = ada.generation()
    await generation.append(3)
    response = await ada.client.get(path(generation.generation_id), headers=bearer(ada.token))
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/event-stream")
    reading = asyncio.create_task(read_events(response))
    await generation.run()

    events = await reading

    assert [int(e["id"]) for e in events] == list(range(1, UPDATES_PER_GENERATION + 1))
    assert [e["event"] for e in events] == [e["data"]["type"] for e in events]
    stored = await ada.runtime.store.read_stream(generation.generation_id)
    assert [e["data"] for e in events] == [m for m in map(update_message, stored) if m]


async def test_last_event_id_resumes_right_after_it(make_user: MakeUser) -> None:
    ada = await make_user()
    generation = ada.generation()
    await generation.append(6)
    response = await ada.client.get(
        path(generation.generation_id), headers={**bearer(ada.token), "Last-Event-ID": "4"}
    )
    reading = asyncio.create_task(read_events(response))
    await generation.run()

    events = await reading

    assert [int(e["id"]) for e in events] == list(range(5, UPDATES_PER_GENERATION + 1))


async def test_after_the_last_update_a_reconnect_is_told_204(make_user: MakeUser) -> None:
    ada = await make_user()
    generation = ada.generation()
    await generation.run()
    last = str(UPDATES_PER_GENERATION)

    done = await ada.client.get(
        path(generation.generation_id), headers={**bearer(ada.token), "Last-Event-ID": last}
    )
    tail = await ada.client.get(
        path(generation.generation_id), headers={**bearer(ada.token), "Last-Event-ID": "11"}
    )

    assert done.status == 204
    assert [int(e["id"]) for e in await read_events(tail)] == [UPDATES_PER_GENERATION]


async def test_a_token_in_the_query_serves_clients_without_headers(make_user: MakeUser) -> None:
    ada = await make_user()
    generation = ada.generation()
    await generation.run()
    response = await ada.client.get(f"{path(generation.generation_id)}?token={ada.token}&after=10")
    assert response.status == 200
    assert [int(e["id"]) for e in await read_events(response)] == [11, 12]


async def test_refusals_are_json_errors(make_user: MakeUser) -> None:
    ada, bob = await make_user(), await make_user()
    generation = ada.generation()
    await generation.append(2)
    gid = generation.generation_id

    anonymous = await ada.client.get(path(gid))
    forged = await ada.client.get(path(gid), headers=bearer("nope"))
    foreign = await bob.client.get(path(gid), headers=bearer(bob.token))
    unknown = await ada.client.get(path("no-such-id"), headers=bearer(ada.token))
    bad_resume = await ada.client.get(
        path(gid), headers={**bearer(ada.token), "Last-Event-ID": "four"}
    )

    assert anonymous.status == 401
    assert forged.status == 401
    assert foreign.status == 404
    assert (await foreign.json())["error"]["code"] == "not_found"
    assert unknown.status == 404
    assert bad_resume.status == 422


async def test_logout_ends_the_stream(make_user: MakeUser) -> None:
    ada = await make_user()
    generation = ada.generation()
    await generation.append(2)
    response = await ada.client.get(path(generation.generation_id), headers=bearer(ada.token))
    first = await read_events(response, 2)
    await _logout(ada)

    rest = await read_events(response)  # ends although the generation is not over

    assert [int(e["id"]) for e in first] == [1, 2]
    assert rest == []


async def _logout(user: LiveUser) -> None:
    response = await user.client.post("/api/v1/auth/logout", headers=bearer(user.token))
    assert response.status == 204
