"""ETags on versioned resources, conditional GETs, and no caching of personal data."""

from __future__ import annotations

import pytest

from tests.integration.auth.conftest import PASSWORD, AppClient, client, register, settings
from tests.integration.users import ApiUser

__all__ = ["client", "settings"]


@pytest.fixture
async def ada(client: AppClient) -> ApiUser:
    body = await register(client, email="ada@example.com")
    return ApiUser(client, body["access_token"], body["user"]["id"])


async def test_versioned_resources_carry_their_version_as_etag(ada: ApiUser) -> None:
    profile = await ada.call(
        "POST", "/profiles", expect=201, json={"personal_info": {"full_name": "A"}}
    )
    job = await ada.call(
        "POST", "/jobs", expect=201, json={"source": "x", "title": "T", "company": "C"}
    )
    saved = await ada.call("POST", "/saved-jobs", expect=201, json={"job_id": job["id"]})
    for path in (f"/profiles/{profile['id']}", f"/jobs/{job['id']}", f"/saved-jobs/{saved['id']}"):
        response = await ada.client.get(f"/api/v1{path}", headers=ada.headers)
        body = await response.json()
        assert response.headers["ETag"] == f'"{body["version"]}"'
        assert response.headers["Cache-Control"] == "no-store"

        unchanged = await ada.client.get(
            f"/api/v1{path}", headers={**ada.headers, "If-None-Match": response.headers["ETag"]}
        )
        assert unchanged.status == 304
        assert unchanged.headers["ETag"] == response.headers["ETag"]
        assert await unchanged.read() == b""
        changed = await ada.client.get(
            f"/api/v1{path}", headers={**ada.headers, "If-None-Match": '"999"'}
        )
        assert changed.status == 200


async def test_the_etag_is_what_if_match_takes_back(ada: ApiUser) -> None:
    profile = await ada.call(
        "POST", "/profiles", expect=201, json={"personal_info": {"full_name": "A"}}
    )
    path = f"/api/v1/profiles/{profile['id']}"
    etag = (await ada.client.get(path, headers=ada.headers)).headers["ETag"]

    first = await ada.client.patch(
        path, json={"professional_summary": "one"}, headers={**ada.headers, "If-Match": etag}
    )
    assert first.status == 200
    assert first.headers["ETag"] == '"2"'
    stale = await ada.client.patch(
        path, json={"professional_summary": "two"}, headers={**ada.headers, "If-Match": etag}
    )
    assert stale.status == 409


async def test_token_answers_are_never_stored(client: AppClient) -> None:
    await register(client, email="ada@example.com")
    login = await client.post(
        "/api/v1/auth/login", json={"email": "ada@example.com", "password": PASSWORD}
    )
    assert login.headers["Cache-Control"] == "no-store"
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": (await login.json())["refresh_token"]}
    )
    assert refreshed.status == 200
    assert refreshed.headers["Cache-Control"] == "no-store"
    assert refreshed.headers["X-Content-Type-Options"] == "nosniff"
    assert (
        "aiohttp" not in refreshed.headers["Server"] and "Python" not in refreshed.headers["Server"]
    )
