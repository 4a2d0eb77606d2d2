"""``GET /api/v1/generations/{id}/events``: one generation's updates as Server-Sent Events.

The same stream as a WebSocket subscription (same watcher, same seam between
replay and live): ``id:`` is the ``seq``, ``event:`` the message type, ``data:``
the message. ``Last-Event-ID`` resumes after that seq, so a browser's
EventSource reconnects without losing or repeating anything. A keep-alive
comment goes out every 15 s. After the generation's last update the stream
ends; a reconnect after it answers 204, which tells EventSource to stop.
"""

from __future__ import annotations

import asyncio
import contextlib

from aiohttp import web
from aiohttp_sse import EventSourceResponse

from jobwise.adapters.eventstore import EventStore
from jobwise.entrypoints.live.hub import LiveHub
from jobwise.entrypoints.live.updates import Update, updates_after
from jobwise.entrypoints.live.watcher import Outgoing, Watcher
from jobwise.metrics import LIVE_CONNECTIONS

KEEPALIVE_SECONDS = 15.0
SEND_TIMEOUT_SECONDS = 30.0
"""A write that stalls this long (a client that stopped reading) ends the stream."""


class StreamWatcher(Watcher):
    def __init__(
        self,
        response: EventSourceResponse,
        user_id: str,
        session_id: str,
        store: EventStore,
        queue_size: int,
    ) -> None:
        super().__init__(user_id, session_id, store, queue_size=queue_size)
        self._response = response
        self.transport: asyncio.Transport | None = None
        self.done = asyncio.Event()
        self.close_code: int | None = None

    async def write(self, item: Outgoing) -> None:
        if isinstance(item, Update):
            await self._response.send(item.text, id=str(item.seq), event=item.type)
            if item.terminal:
                self.done.set()

    def close(self, code: int, reason: str) -> None:
        self.close_code = code
        self.done.set()

    def backlog_bytes(self) -> int:
        transport = self.transport
        return (
            0 if transport is None or transport.is_closing() else transport.get_write_buffer_size()
        )


async def finished_without_news(store: EventStore, generation_id: str, after: int) -> bool:
    """True if the generation has ended and nothing after ``after`` is left to send."""
    updates = await updates_after(store, generation_id, 0)
    return bool(updates) and updates[-1].terminal and updates[-1].seq <= after


async def stream_generation(
    request: web.Request,
    hub: LiveHub,
    user_id: str,
    session_id: str,
    generation_id: str,
    after: int,
    queue_size: int,
) -> web.StreamResponse:
    if await finished_without_news(hub.store, generation_id, after):
        return web.Response(status=204)
    response = EventSourceResponse(
        ping_interval=KEEPALIVE_SECONDS, send_timeout=SEND_TIMEOUT_SECONDS, sep="\n"
    )
    await response.prepare(request)
    watcher = StreamWatcher(response, user_id, session_id, hub.store, queue_size)
    watcher.transport = request.transport
    hub.attach(watcher)
    connections = LIVE_CONNECTIONS.labels("sse")
    connections.inc()
    try:
        await watcher.subscribe(generation_id, after)
        disconnected = asyncio.ensure_future(response.wait())
        ended = asyncio.ensure_future(watcher.done.wait())
        try:
            await asyncio.wait([disconnected, ended], return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (disconnected, ended):
                task.cancel()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(SEND_TIMEOUT_SECONDS):
                await watcher.flushed()
    finally:
        connections.dec()
        hub.detach(watcher)
        watcher.end(1000, "")
        await watcher.stopped()
        with contextlib.suppress(RuntimeError):
            response.stop_streaming()
    return response
