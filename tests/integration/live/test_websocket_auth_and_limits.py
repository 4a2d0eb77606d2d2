"""The WebSocket's doors: authentication, revocation, expiry, limits and bad input."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import aiohttp
import pytest

from jobwise.adapters.auth.tokens import TokenService
from jobwise.entrypoints.live import websocket as live_websocket
from jobwise.entrypoints.live.protocol import MAX_MESSAGE_BYTES, MAX_SUBSCRIPTIONS
from tests.integration.auth.conftest import bearer
from tests.integration.live.conftest import (
    LiveUser,
    MakeUser,
    closed_with,
    receive,
    send,
)


async def test_a_bad_token_in_the_query_closes_with_4401(make_user: MakeUser) -> None:
    ada = await make_user()
    ws = await ada.client.ws_connect("/api/v1/ws?token=not-a-token")
    assert await closed_with(ws) == 4401
    assert ws.close_code == 4401


async def test_a_token_in_a_first_auth_message_opens_the_socket(make_user: MakeUser) -> None:
    ada = await make_user()
    ws = await ada.socket(token=False)
    await send(ws, type="auth", token=ada.token)
    hello = await receive(ws)
    assert hello["type"] == "authenticated"
    assert hello["user_id"] == ada.id
    await send(ws, type="ping")
    assert await receive(ws) == {"type": "pong"}
    await ws.close()


async def test_a_bad_token_in_the_auth_message_closes_with_4401(make_user: MakeUser) -> None:
    ada = await make_user()
    ws = await ada.socket(token=False)
    await send(ws, type="auth", token=ada.token[:-4] + "AAAA")
    assert await closed_with(ws) == 4401


async def test_anything_but_auth_first_is_refused_with_4401(make_user: MakeUser) -> None:
    ada = await make_user()
    ws = await ada.socket(token=False)
    await send(ws, type="subscribe", channel="user")
    told = await receive(ws)
    assert told["error"]["code"] == "unauthorized"
    assert await closed_with(ws) == 4401


async def test_no_auth_message_in_time_closes_with_4408(
    make_user: MakeUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live_websocket, "AUTH_SECONDS", 0.3)
    ada = await make_user()
    ws = await ada.socket(token=False)
    assert await closed_with(ws) == 4408


async def test_logout_closes_the_sessions_sockets_with_4401_at_once(make_user: MakeUser) -> None:
    ada = await make_user()
    other_session = await _login(ada)
    ws = await ada.socket()
    stays = await ada.client.ws_connect(f"/api/v1/ws?token={other_session}")
    await receive(stays)
    await send(ws, type="subscribe", channel="user")
    await receive(ws)

    response = await ada.client.post("/api/v1/auth/logout", headers=bearer(ada.token))
    assert response.status == 204

    assert await closed_with(ws) == 4401
    assert ws.close_code == 4401
    # Another session of the same user is untouched.
    await send(stays, type="ping")
    assert await receive(stays) == {"type": "pong"}
    await stays.close()


async def test_refresh_token_reuse_ends_the_session_and_its_sockets(make_user: MakeUser) -> None:
    ada = await make_user()
    login = await ada.client.post(
        "/api/v1/auth/login", json={"email": ada.email, "password": "Correct-Horse-9"}
    )
    pair = await login.json()
    ws = await ada.client.ws_connect(f"/api/v1/ws?token={pair['access_token']}")
    await receive(ws)
    for _ in range(2):  # the second use of one refresh token is a theft signal
        await ada.client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert await closed_with(ws) == 4401


@pytest.mark.slow
async def test_a_socket_closes_with_4401_when_its_token_expires_unless_renewed(
    make_user: MakeUser,
) -> None:
    ada = await make_user()
    secret = ada.runtime.settings.jwt_secret_key.get_secret_value()
    short = TokenService(secret, access_ttl=timedelta(seconds=2))
    claims = ada.runtime.auth.tokens.decode(ada.token, "access")
    renewed = await ada.client.ws_connect(
        f"/api/v1/ws?token={short.issue_pair(ada.id, claims.sid).access_token}"
    )
    expiring = await ada.client.ws_connect(
        f"/api/v1/ws?token={short.issue_pair(ada.id, claims.sid).access_token}"
    )
    await receive(renewed)
    await receive(expiring)
    await send(renewed, type="auth", token=ada.token)  # a fresh, long-lived token
    assert (await receive(renewed))["type"] == "authenticated"

    assert await closed_with(expiring) == 4401
    await send(renewed, type="ping")
    assert await receive(renewed) == {"type": "pong"}
    await renewed.close()


async def test_a_socket_cannot_be_renewed_as_another_user(make_user: MakeUser) -> None:
    ada, bob = await make_user(), await make_user()
    ws = await ada.socket()
    await send(ws, type="auth", token=bob.token)
    assert (await receive(ws))["error"]["code"] == "invalid_message"
    await ws.close()


@pytest.mark.env(JOBWISE_LIVE_SOCKETS_PER_USER="2")
async def test_sockets_per_user_are_limited(make_user: MakeUser) -> None:
    ada = await make_user()
    first, second = await ada.socket(), await ada.socket()

    third = await ada.client.ws_connect(f"/api/v1/ws?token={ada.token}")
    assert await closed_with(third) == 4429
    await first.close()
    replacement = await ada.socket()  # a closed socket frees its place
    for ws in (second, replacement):
        await ws.close()


async def test_subscriptions_per_socket_are_limited(make_user: MakeUser) -> None:
    ada = await make_user()
    generations = [ada.generation() for _ in range(MAX_SUBSCRIPTIONS + 1)]
    for generation in generations:
        await generation.append(1, announce=False)
    ws = await ada.socket()
    for generation in generations[:MAX_SUBSCRIPTIONS]:
        await send(ws, type="subscribe", generation_id=generation.generation_id)
        assert (await receive(ws))["type"] == "subscribed"
        assert (await receive(ws))["seq"] == 1

    await send(ws, type="subscribe", generation_id=generations[-1].generation_id)
    refused = await receive(ws)
    await send(ws, type="subscribe", generation_id=generations[0].generation_id, after=1)
    again = await receive(ws)  # resubscribing to one it has is no new subscription

    assert refused["error"]["code"] == "too_many_subscriptions"
    assert refused["error"]["details"] == {"max": MAX_SUBSCRIPTIONS}
    assert again["type"] == "subscribed"
    await ws.close()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("{not json", "malformed_json"),
        ("[1, 2]", "malformed_json"),
        ('{"type": "dance"}', "unknown_type"),
        ("{}", "unknown_type"),
        ('{"type": "subscribe"}', "invalid_message"),
        ('{"type": "subscribe", "channel": "user", "generation_id": "x"}', "invalid_message"),
        ('{"type": "subscribe", "generation_id": "x", "after": -1}', "invalid_message"),
        ('{"type": "subscribe", "channel": "everyone"}', "invalid_message"),
        ('{"type": "ping", "extra": 1}', "invalid_message"),
    ],
)
async def test_bad_messages_answer_an_error_and_the_socket_stays(
    make_user: MakeUser, raw: str, code: str
) -> None:
    ada = await make_user()
    ws = await ada.socket()
    await ws.send_str(raw)
    told = await receive(ws)
    assert told["type"] == "error"
    assert told["error"]["code"] == code
    await send(ws, type="ping")
    assert await receive(ws) == {"type": "pong"}
    await ws.close()


async def test_a_message_over_4_kib_closes_with_1009(make_user: MakeUser) -> None:
    ada = await make_user()
    ws = await ada.socket()
    await send(ws, type="ping", pad="x" * MAX_MESSAGE_BYTES)
    assert await closed_with(ws) == 1009


async def test_a_binary_message_closes_with_1003(make_user: MakeUser) -> None:
    ada = await make_user()
    ws = await ada.socket()
    await ws.send_bytes(b'{"type": "ping"}')
    assert await closed_with(ws) == 1003


async def test_the_server_pings_and_drops_a_client_that_never_pongs(
    make_user: MakeUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live_websocket, "HEARTBEAT_SECONDS", 0.4)
    ada = await make_user()
    ws = await ada.client.ws_connect(f"/api/v1/ws?token={ada.token}", autoping=False)
    seen: list[aiohttp.WSMsgType] = []
    while True:
        message = await asyncio.wait_for(ws.receive(), 10.0)
        seen.append(message.type)
        if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            break
    assert aiohttp.WSMsgType.PING in seen
    assert ws.closed


async def test_every_socket_is_closed_with_going_away_on_shutdown(make_user: MakeUser) -> None:
    ada = await make_user()
    sockets = [await ada.socket() for _ in range(3)]
    await send(sockets[0], type="subscribe", channel="user")
    await receive(sockets[0])

    closing = asyncio.create_task(ada.client.server.close())
    codes = [await closed_with(ws) for ws in sockets]
    await closing

    assert codes == [1001, 1001, 1001]


async def _login(user: LiveUser) -> str:
    response = await user.client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": "Correct-Horse-9"}
    )
    assert response.status == 200, await response.text()
    token: str = (await response.json())["access_token"]
    return token


async def test_a_page_from_another_site_cannot_open_a_socket(make_user: MakeUser) -> None:
    ada = await make_user()
    path = f"/api/v1/ws?token={ada.token}"
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await ada.client.ws_connect(path, headers={"Origin": "https://evil.example"})
    assert refused.value.status == 403
    for origin in ("https://evil.example", "null", "http://[", f"http://{ada.client.host}.evil"):
        answer = await ada.client.get(path, headers={"Origin": origin})
        assert answer.status == 403, origin
        assert (await answer.json())["error"]["code"] == "origin_not_allowed"


async def test_the_web_client_own_origin_and_non_browsers_may_open_a_socket(
    make_user: MakeUser,
) -> None:
    ada = await make_user()
    own = f"http://{ada.client.host}:{ada.client.port}"
    for headers in ({"Origin": own}, {}):
        ws = await ada.client.ws_connect(f"/api/v1/ws?token={ada.token}", headers=headers)
        assert (await receive(ws))["type"] == "authenticated"
        await ws.close()


@pytest.mark.env(CORS_ORIGINS="https://app.example")
async def test_an_origin_listed_in_cors_origins_may_open_a_socket(make_user: MakeUser) -> None:
    ada = await make_user()
    path = f"/api/v1/ws?token={ada.token}"
    ws = await ada.client.ws_connect(path, headers={"Origin": "https://app.example"})
    assert (await receive(ws))["type"] == "authenticated"
    await ws.close()
    with pytest.raises(aiohttp.WSServerHandshakeError):
        await ada.client.ws_connect(path, headers={"Origin": "https://b.example"})
