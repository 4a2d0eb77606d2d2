"""Profile tests: the real app, a fresh database, and a signed-up user per test."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.auth.conftest import AppClient, bearer, client, register, settings

__all__ = ["client", "settings"]


class User:
    """A signed-up user and a client that speaks for them."""

    def __init__(self, client: AppClient, token: str, user_id: str) -> None:
        self.client = client
        self.headers = bearer(token)
        self.id = user_id

    async def call(
        self,
        method: str,
        path: str,
        *,
        expect: int | None = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> Any:
        response = await self.client.request(
            method, f"/api/v1/profiles{path}", headers={**self.headers, **(headers or {})}, **kwargs
        )
        body = await response.json() if response.status != 204 else None
        if expect is not None:
            assert response.status == expect, body
        return body


@pytest.fixture
async def ada(client: AppClient) -> User:
    body = await register(client, email="ada@example.com")
    return User(client, body["access_token"], body["user"]["id"])


@pytest.fixture
async def grace(client: AppClient) -> User:
    body = await register(client, email="grace@example.com", full_name="Grace Hopper")
    return User(client, body["access_token"], body["user"]["id"])


def experience(title: str = "Engineer", start: str = "2020-01-01", **more: Any) -> dict[str, Any]:
    return {"title": title, "company": "Acme", "start_date": start, **more}


def new_profile(**more: Any) -> dict[str, Any]:
    return {"personal_info": {"full_name": "Ada Lovelace", "email": "ada@example.com"}, **more}
