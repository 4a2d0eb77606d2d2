"""A client of the real API over aiohttp: an account, the calls that create things, and
the live-update WebSocket, against any base URL (a ``serve``, or a proxy in front of
several).
"""

from __future__ import annotations

import secrets
from typing import Any

import aiohttp

WAIT = 30.0
"""Seconds a client waits for the next message before the test fails."""
PASSWORD = "Correct-Horse-9"


async def register(
    session: aiohttp.ClientSession,
    base: str,
    full_name: str = "Ada Lovelace",
    headers: dict[str, str] | None = None,
) -> tuple[str, str]:
    """A new account: its user id and access token."""
    email = f"live-{secrets.token_hex(4)}@example.com"
    async with session.post(
        f"{base}/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "full_name": full_name},
        headers=headers,
    ) as response:
        assert response.status == 201, await response.text()
        body = await response.json()
    return body["user"]["id"], body["access_token"]


async def create(
    session: aiohttp.ClientSession, base: str, path: str, token: str, body: Any
) -> Any:
    """``POST /api/v1{path}``, which must answer 201; its body."""
    async with session.post(
        f"{base}/api/v1{path}", json=body, headers={"Authorization": f"Bearer {token}"}
    ) as answer:
        assert answer.status == 201, await answer.text()
        return await answer.json()


async def open_socket(
    session: aiohttp.ClientSession,
    base: str,
    token: str,
    *,
    query: dict[str, str] | None = None,
    **subscribe: Any,
) -> aiohttp.ClientWebSocketResponse:
    """A live-update socket, authenticated and (with ``subscribe``) subscribed; ``query``:
    more of the URL's query (which the server ignores), to tell a connection apart."""
    ws = await session.ws_connect(f"{base}/api/v1/ws", params={"token": token, **(query or {})})
    assert (await ws.receive_json(timeout=WAIT))["type"] == "authenticated"
    if subscribe:
        await ws.send_json({"type": "subscribe", **subscribe})
        assert (await ws.receive_json(timeout=WAIT))["type"] == "subscribed"
    return ws


async def until_done(ws: aiohttp.ClientWebSocketResponse) -> list[dict[str, Any]]:
    """The generation updates the socket receives, up to the first that ends one."""
    updates = []
    while True:
        message = await ws.receive_json(timeout=WAIT)
        if message["type"].startswith("generation."):
            updates.append(message)
            if message["type"] != "generation.progress":
                return updates
