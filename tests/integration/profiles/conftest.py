"""Profile tests: the real app, a fresh database, and a signed-up user per test."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.auth.conftest import AppClient, client, register, settings
from tests.integration.users import ApiUser

__all__ = ["client", "settings"]


class User(ApiUser):
    """A signed-up user whose calls go to ``/api/v1/profiles``."""

    def __init__(self, client: AppClient, token: str, user_id: str) -> None:
        super().__init__(client, token, user_id, prefix="/api/v1/profiles")


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
