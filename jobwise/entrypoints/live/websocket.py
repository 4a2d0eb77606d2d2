"""``GET /api/v1/ws``: one WebSocket client of the live updates, from handshake to close.

The socket is accepted first and authenticated second (``?token=`` or a first
``auth`` message within ``AUTH_SECONDS``), so a refusal is a close code a
browser can read (4401), not an HTTP status it cannot. Auth and ownership are
passed in (``Authenticate``, ``OwnsGeneration``): this module knows the
protocol, not where users and generations are kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

from jobwise.adapters.eventstore import EventStore
from jobwise.entrypoints.live.frames import text_frame
from jobwise.entrypoints.live.hub import LiveHub
from jobwise.entrypoints.live.protocol import (
    AUTH_SECONDS,
    AUTH_TIMEOUT,
    HEARTBEAT_SECONDS,
    MAX_MESSAGE_BYTES,
    MAX_SUBSCRIPTIONS,
    PONG,
    TOO_MANY_SOCKETS,
    UNAUTHORIZED,
    UNSUPPORTED_DATA,
    AuthMessage,
    ClientMessage,
    PingMessage,
    ProtocolError,
    SubscribeMessage,
    UnsubscribeMessage,
    authenticated_message,
    error_message,
    parse_client_message,
    subscription_message,
)
from jobwise.entrypoints.live.updates import Update
from jobwise.entrypoints.live.watcher import Outgoing, Watcher
from jobwise.metrics import LIVE_CONNECTIONS

log = logging.getLogger(__name__)

SEND_BUFFER_BYTES = 32 * 1024
"""The kernel send buffer of a live socket (Linux doubles it). Left to autotuning it
grows to megabytes, which would let a client that stopped reading pile up that
much before its queue ever fills; updates are small, so this costs no speed."""
CLOSE_GRACE_SECONDS = 5.0
"""How long a closing handshake may take before the connection is simply dropped
(a client that stopped reading never answers it)."""


@dataclass(frozen=True)
class Identity:
    user_id: str
    session_id: str
    expires_at: datetime


class AuthRefused(Exception):
    """The token cannot be used: the socket is closed with ``close_code``."""

    def __init__(self, close_code: int, reason: str) -> None:
        super().__init__(reason)
        self.close_code = close_code
        self.reason = reason


Authenticate = Callable[[str], Awaitable[Identity]]
"""Who a token acts for, or ``AuthRefused``."""
OwnsGeneration = Callable[[str, str], Awaitable[bool]]
"""(user id, generation id) -> may that user watch it."""


@dataclass(frozen=True)
class SocketPolicy:
    sockets_per_user: int
    queue_size: int


class SocketWatcher(Watcher):
    def __init__(
        self,
        ws: web.WebSocketResponse,
        request: web.Request,
        identity: Identity,
        store: EventStore,
        queue_size: int,
    ) -> None:
        super().__init__(identity.user_id, identity.session_id, store, queue_size=queue_size)
        self.ws = ws
        self._transport = request.transport
        _bound_send_buffer(request)
        self._expiry: asyncio.TimerHandle | None = None
        self.closing: asyncio.Future[tuple[int, str]] = asyncio.get_running_loop().create_future()
        """Set by ``close``: the code and reason the handler closes the socket with."""
        self.expire_at(identity.expires_at)

    def expire_at(self, expires_at: datetime) -> None:
        """End the socket with 4401 when its token expires (a new ``auth`` moves this)."""
        if self._expiry is not None:
            self._expiry.cancel()
        delay = max(0.0, (expires_at - datetime.now(UTC)).total_seconds())
        loop = asyncio.get_running_loop()
        self._expiry = loop.call_later(delay, self.end, UNAUTHORIZED, "token_expired")

    async def write(self, item: Outgoing) -> None:
        await self.ws.send_str(item if isinstance(item, str) else item.text)

    def write_now(self, item: Outgoing) -> bool:
        # Straight to the transport, the frame built once per update (frames.py), when
        # nothing is buffered on it: the same bytes aiohttp's writer would produce, and,
        # frames being written whole and in call order, never interleaved with its own
        # (pings, the close). A socket that is closing, or still has bytes waiting for
        # the network, takes the writer task's path, which waits for the network.
        transport = self._transport
        if (
            self.ws.closed
            or transport is None
            or transport.is_closing()
            or transport.get_write_buffer_size()
        ):
            return False
        transport.write(item.frame if isinstance(item, Update) else text_frame(item.encode()))
        return True

    def backlog_bytes(self) -> int:
        transport = self._transport
        return (
            0 if transport is None or transport.is_closing() else transport.get_write_buffer_size()
        )

    def close(self, code: int, reason: str) -> None:
        # The handler closes the socket itself: closing it from here, under a pending
        # receive, would drop the connection before the client's close reply.
        if self._expiry is not None:
            self._expiry.cancel()
        if not self.closing.done():
            self.closing.set_result((code, reason))

    async def close_now(self, code: int, reason: str) -> None:
        """The closing handshake, or a dropped connection if it does not finish in time."""
        try:
            async with asyncio.timeout(CLOSE_GRACE_SECONDS):
                await self.ws.close(code=code, message=reason.encode()[:123])
        except (TimeoutError, ConnectionError):
            if self._transport is not None:
                self._transport.abort()
        except asyncio.CancelledError:
            # aiohttp cancels a socket's reader when the client drops the connection
            # right after its close reply: the socket is closed, nothing to do.
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise


class LiveSocket:
    """The conversation on one authenticated socket."""

    def __init__(
        self,
        watcher: SocketWatcher,
        hub: LiveHub,
        authenticate: Authenticate,
        owns: OwnsGeneration,
    ) -> None:
        self.watcher = watcher
        self._hub = hub
        self._authenticate = authenticate
        self._owns = owns

    async def handle(self, text: str) -> None:
        try:
            await self._handle(parse_client_message(text))
        except ProtocolError as error:
            self.watcher.send(error.to_message())

    async def _handle(self, message: ClientMessage) -> None:
        if isinstance(message, PingMessage):
            self.watcher.send(PONG)
        elif isinstance(message, AuthMessage):
            await self._reauthenticate(message.token)
        elif isinstance(message, SubscribeMessage):
            await self._subscribe(message)
        elif isinstance(message, UnsubscribeMessage):
            self._unsubscribe(message)

    async def _reauthenticate(self, token: str) -> None:
        try:
            identity = await self._authenticate(token)
        except AuthRefused as refused:
            self.watcher.end(refused.close_code, refused.reason)
            return
        watcher = self.watcher
        if identity.user_id != watcher.user_id:
            raise ProtocolError("invalid_message", "A socket stays with the user it opened as.")
        old_session, watcher.session_id = watcher.session_id, identity.session_id
        self._hub.moved_session(watcher, old_session)
        watcher.expire_at(identity.expires_at)
        watcher.send(authenticated_message(identity.user_id, identity.expires_at))

    async def _subscribe(self, message: SubscribeMessage) -> None:
        watcher = self.watcher
        generation_id = message.generation_id
        already = (
            watcher.subscribed_to(generation_id)
            if generation_id is not None
            else watcher.user_channel_since is not None
        )
        if not already and watcher.subscriptions >= MAX_SUBSCRIPTIONS:
            raise ProtocolError(
                "too_many_subscriptions",
                "Too many subscriptions on this socket; unsubscribe first or use the user channel.",
                {"max": MAX_SUBSCRIPTIONS},
            )
        if generation_id is None:
            # Joined at the store's head, not the follower's position, which may lag:
            # what was stored before the join is not this subscription's to send.
            watcher.join_user_channel(await self._hub.store.head_position())
            watcher.send(subscription_message("subscribed", None))
            return
        if not await self._owns(watcher.user_id, generation_id):
            raise ProtocolError(
                "not_found", "Generation not found.", {"generation_id": generation_id}
            )
        watcher.send(subscription_message("subscribed", generation_id, message.after))
        if not await watcher.subscribe(generation_id, message.after):
            raise ProtocolError(
                "unavailable",
                "The history could not be read just now; updates will follow when it can.",
                {"generation_id": generation_id},
            )

    def _unsubscribe(self, message: UnsubscribeMessage) -> None:
        if message.generation_id is None:
            self.watcher.leave_user_channel()
        else:
            self.watcher.unsubscribe(message.generation_id)
        self.watcher.send(subscription_message("unsubscribed", message.generation_id))


async def serve_websocket(
    request: web.Request,
    hub: LiveHub,
    policy: SocketPolicy,
    authenticate: Authenticate,
    owns: OwnsGeneration,
    on_open: Callable[[web.WebSocketResponse], None] = lambda ws: None,
) -> web.WebSocketResponse:
    # No permessage-deflate, though browsers ask for it: updates are a few hundred bytes
    # of JSON, and compressing would cost every socket a deflate context (some 90 KiB
    # resident from its first message on, 256 KiB reserved) and a compression per socket
    # per update, where an uncompressed update is framed once for all of them.
    ws = web.WebSocketResponse(
        heartbeat=HEARTBEAT_SECONDS, max_msg_size=MAX_MESSAGE_BYTES, compress=False
    )
    await ws.prepare(request)
    # Every open socket, authenticated yet or not: each holds a connection.
    with LIVE_CONNECTIONS.labels("websocket").track_inprogress():
        on_open(ws)
        await _serve_open(ws, request, hub, policy, authenticate, owns)
    return ws


async def _serve_open(
    ws: web.WebSocketResponse,
    request: web.Request,
    hub: LiveHub,
    policy: SocketPolicy,
    authenticate: Authenticate,
    owns: OwnsGeneration,
) -> None:
    identity = await _first_identity(ws, request.query.get("token"), authenticate)
    if identity is None:
        return
    if _sockets_of(hub, identity.user_id) >= policy.sockets_per_user:
        await _close(ws, TOO_MANY_SOCKETS, "too_many_sockets")
        return
    watcher = SocketWatcher(ws, request, identity, hub.store, policy.queue_size)
    hub.attach(watcher)
    conversation = asyncio.create_task(
        _converse(ws, LiveSocket(watcher, hub, authenticate, owns)), name="live-socket"
    )
    try:
        watcher.send(authenticated_message(identity.user_id, identity.expires_at))
        either: list[asyncio.Future[Any]] = [conversation, watcher.closing]
        await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
    finally:
        if not conversation.done():
            conversation.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await conversation
        watcher.end(ws.close_code or 1000, "")
        await watcher.stopped()
        code, reason = watcher.closing.result()
        try:
            if not ws.closed:
                await watcher.close_now(code, reason)
        finally:
            hub.detach(watcher)


async def _converse(ws: web.WebSocketResponse, socket: LiveSocket) -> None:
    async for message in ws:
        if message.type is WSMsgType.TEXT:
            await socket.handle(message.data)
        elif message.type is WSMsgType.BINARY:
            socket.watcher.end(UNSUPPORTED_DATA, "send JSON text messages")
            return


def _bound_send_buffer(request: web.Request) -> None:
    sock = request.transport.get_extra_info("socket") if request.transport else None
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER_BYTES)


def _sockets_of(hub: LiveHub, user_id: str) -> int:
    return sum(isinstance(w, SocketWatcher) for w in hub.watchers_of(user_id))


async def _first_identity(
    ws: web.WebSocketResponse, token: str | None, authenticate: Authenticate
) -> Identity | None:
    if not token:
        token = await _auth_message(ws)
        if token is None:
            return None
    try:
        return await authenticate(token)
    except AuthRefused as refused:
        await _close(ws, refused.close_code, refused.reason)
        return None


async def _auth_message(ws: web.WebSocketResponse) -> str | None:
    """The token of the first message, which must be ``auth`` and come in time."""
    try:
        async with asyncio.timeout(AUTH_SECONDS):
            message = await ws.receive()
    except TimeoutError:
        await _close(ws, AUTH_TIMEOUT, "authenticate within 5 seconds")
        return None
    if message.type is not WSMsgType.TEXT:
        if message.type is WSMsgType.BINARY:
            await _close(ws, UNSUPPORTED_DATA, "send JSON text messages")
        return None
    try:
        parsed = parse_client_message(message.data)
    except ProtocolError as error:
        await ws.send_str(error.to_message())
        parsed = None
    if not isinstance(parsed, AuthMessage):
        if parsed is not None:
            await ws.send_str(error_message("unauthorized", "Authenticate first."))
        await _close(ws, UNAUTHORIZED, "authenticate first")
        return None
    return parsed.token


async def _close(ws: web.WebSocketResponse, code: int, reason: str) -> None:
    with contextlib.suppress(TimeoutError, ConnectionError):
        async with asyncio.timeout(CLOSE_GRACE_SECONDS):
            await ws.close(code=code, message=reason.encode()[:123])
