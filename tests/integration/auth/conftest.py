"""Auth tests run against the real app on a real port, one fresh database each."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from jobwise.entrypoints.http.factory import create_app
from jobwise.settings import Settings, load_settings

AppClient = TestClient[web.Request, web.Application]
MakeClient = Callable[..., Awaitable[AppClient]]

PASSWORD = "Correct-Horse-9"


@pytest.fixture
def settings(settings_env: dict[str, str]) -> Settings:
    return load_settings(settings_env)


@pytest.fixture
async def client(
    aiohttp_client: MakeClient, settings: Settings, mongo_url: str, mongo: Any
) -> AppClient:
    return await aiohttp_client(create_app(settings, mongo_url=mongo_url))


async def register(
    client: AppClient,
    email: str = "ada@example.com",
    password: str = PASSWORD,
    full_name: str = "Ada Lovelace",
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": password, "full_name": full_name},
    )
    assert response.status == 201, await response.text()
    body: dict[str, Any] = await response.json()
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
