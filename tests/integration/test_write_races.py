"""Many writers on one resource: without If-Match every write lands, in some order, and
every change is kept; with If-Match exactly one writer per version wins."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from jobwise.entrypoints.http.factory import create_app
from jobwise.settings import Settings
from tests.integration.auth.conftest import AppClient, MakeClient, client, register, settings
from tests.integration.users import ApiUser

__all__ = ["client", "settings"]

WRITERS = 16
PROFILE = {"personal_info": {"full_name": "A"}}
JOB = {"source": "x", "title": "T", "company": "C"}


@pytest.fixture
async def ada(client: AppClient) -> ApiUser:
    body = await register(client, email="ada@example.com")
    return ApiUser(client, body["access_token"], body["user"]["id"])


async def send(ada: ApiUser, method: str, path: str, body: Any, **headers: str) -> int:
    response = await ada.client.request(
        method, f"/api/v1{path}", json=body, headers={**ada.headers, **headers}
    )
    await response.read()
    return response.status


async def test_sixteen_writers_on_one_profile_all_land(ada: ApiUser) -> None:
    profile = await ada.call(
        "POST", "/profiles", expect=201, json={"personal_info": {"full_name": "A"}}
    )
    path = f"/profiles/{profile['id']}/projects"
    statuses = await asyncio.gather(
        *(send(ada, "POST", path, {"name": f"project {n}"}) for n in range(WRITERS))
    )
    assert statuses == [201] * WRITERS
    after = await ada.call("GET", f"/profiles/{profile['id']}", expect=200)
    assert sorted(p["name"] for p in after["projects"]) == sorted(
        f"project {n}" for n in range(WRITERS)
    )
    assert after["version"] == 1 + WRITERS


async def test_sixteen_writers_on_one_job_all_land(ada: ApiUser) -> None:
    job = await ada.call(
        "POST", "/jobs", expect=201, json={"source": "x", "title": "T", "company": "C"}
    )
    statuses = await asyncio.gather(
        *(
            send(ada, "PUT", f"/jobs/{job['id']}", {"requirements": [f"skill {n}"]})
            for n in range(WRITERS)
        )
    )
    assert statuses == [200] * WRITERS
    history = await ada.call("GET", f"/audit/events?stream_id={job['id']}&limit=100", expect=200)
    updates = [e for e in history["items"] if e["type"] == "JobUpdated"]
    assert sorted(e["data"]["changes"]["requirements"][0] for e in updates) == sorted(
        f"skill {n}" for n in range(WRITERS)
    )


async def test_sixteen_writers_on_one_saved_job_all_land(ada: ApiUser) -> None:
    job = await ada.call(
        "POST", "/jobs", expect=201, json={"source": "x", "title": "T", "company": "C"}
    )
    saved = await ada.call("POST", "/saved-jobs", expect=201, json={"job_id": job["id"]})
    statuses = await asyncio.gather(
        *(
            send(ada, "PATCH", f"/saved-jobs/{saved['id']}", {"notes": f"note {n}"})
            for n in range(WRITERS)
        )
    )
    assert statuses == [200] * WRITERS
    after = await ada.call("GET", f"/saved-jobs/{saved['id']}", expect=200)
    assert after["version"] == 1 + WRITERS  # every note change is an event, none lost


@pytest.mark.parametrize("conditional", ["If-Match", "expected_version"])
async def test_with_a_version_exactly_one_writer_wins(ada: ApiUser, conditional: str) -> None:
    profile = await ada.call(
        "POST", "/profiles", expect=201, json={"personal_info": {"full_name": "A"}}
    )
    path = f"/profiles/{profile['id']}"

    def attempt(n: int) -> Any:
        if conditional == "If-Match":
            return send(
                ada, "PATCH", path, {"professional_summary": f"v{n}"}, **{"If-Match": '"1"'}
            )
        return send(ada, "PATCH", path, {"professional_summary": f"v{n}", "expected_version": 1})

    statuses = await asyncio.gather(*(attempt(n) for n in range(WRITERS)))
    assert sorted(statuses) == [200] + [409] * (WRITERS - 1)
    assert (await ada.call("GET", path, expect=200))["version"] == 2


async def test_writers_in_two_processes_on_one_profile_all_land(
    ada: ApiUser, aiohttp_client: MakeClient, settings: Settings, mongo_url: str
) -> None:
    """Two apps on one database (two processes' worth of locks and caches): a race lost to
    the other app is retried on the fresh profile, never answered 409."""
    other = await aiohttp_client(create_app(settings, mongo_url=mongo_url))
    twin = ApiUser(other, ada.headers["Authorization"].split()[1], ada.id)
    profile = await ada.call("POST", "/profiles", expect=201, json=PROFILE)
    path = f"/profiles/{profile['id']}/projects"
    statuses = await asyncio.gather(
        *(send((ada, twin)[n % 2], "POST", path, {"name": f"p{n}"}) for n in range(WRITERS))
    )
    assert statuses == [201] * WRITERS
    after = await ada.call("GET", f"/profiles/{profile['id']}", expect=200)
    assert len(after["projects"]) == WRITERS and after["version"] == 1 + WRITERS
