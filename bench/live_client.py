"""``python -m bench.live_client``: the receiving side of the live bench, in its own process.

Reads one JSON object from stdin, one of:

* ``{"mode": "websocket", "url", "tokens": [...], "per_token", "subscribe"}``: opens
  ``per_token`` WebSockets per token (on the user channel when ``subscribe``);
* ``{"mode": "redis", "url", "channels": [...], "per_channel"}``: opens ``per_channel``
  Redis subscriber connections per channel (redis.asyncio, as the server reads its
  own subscription), the bare pub/sub the live figures are compared with.

Prints ``{"ready": n}`` once all are open (and subscribed), then records the wall-clock
time each update arrives, the same way for both. When stdin closes it prints
``{"receipts": [[gid, seq, t], ...], "closed": n}`` and exits.
"""

from __future__ import annotations

import asyncio
import contextlib
import resource
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import aiohttp
import orjson
from redis.asyncio import Redis
from redis.asyncio.client import PubSub

OPEN_AT_ONCE = 200
Receipts = list[list[Any]]
Opened = tuple[int, Callable[[], int]]
"""How many connections are open, and a count of those closed since."""
T = TypeVar("T")


def received(text: str | bytes, receipts: Receipts) -> None:
    """Record an update's arrival (both modes decode the same JSON the same way)."""
    body = orjson.loads(text)
    if body.get("type", "").startswith("generation."):
        receipts.append([body["generation_id"], body["seq"], time.time()])


async def in_batches(open_one: Callable[[str], Awaitable[T]], names: list[str]) -> list[T]:
    """``open_one`` for every name, ``OPEN_AT_ONCE`` at a time (a burst of thousands of
    connects overflows the listen backlog)."""
    opened: list[T] = []
    for start in range(0, len(names), OPEN_AT_ONCE):
        opened += await asyncio.gather(*map(open_one, names[start : start + OPEN_AT_ONCE]))
    return opened


# -- WebSockets ---------------------------------------------------------------------------


async def open_socket(
    session: aiohttp.ClientSession, url: str, token: str, subscribe: bool
) -> aiohttp.ClientWebSocketResponse:
    ws = await session.ws_connect(f"{url}?token={token}", autoping=True, heartbeat=None)
    await ws.receive_json()  # authenticated
    if subscribe:
        await ws.send_json({"type": "subscribe", "channel": "user"})
        await ws.receive_json()  # subscribed
    return ws


async def listen(ws: aiohttp.ClientWebSocketResponse, receipts: Receipts) -> None:
    async for message in ws:
        if message.type is not aiohttp.WSMsgType.TEXT:
            break
        received(message.data, receipts)


@contextlib.asynccontextmanager
async def websockets(plan: dict[str, Any], receipts: Receipts) -> AsyncIterator[Opened]:
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        wanted = [t for t in plan["tokens"] for _ in range(plan["per_token"])]
        sockets = await in_batches(
            lambda token: open_socket(session, plan["url"], token, plan["subscribe"]), wanted
        )
        listeners = [asyncio.create_task(listen(ws, receipts)) for ws in sockets]
        try:
            yield len(sockets), lambda: sum(1 for ws in sockets if ws.closed)
        finally:
            for task in listeners:
                task.cancel()
            await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)


# -- bare Redis pub/sub -------------------------------------------------------------------


async def open_subscriber(client: Redis, channel: str) -> PubSub:
    pubsub = client.pubsub()
    await pubsub.subscribe(channel)
    while True:  # confirmed: from now on a publish reaches this connection
        message = await pubsub.get_message(timeout=None)
        if message is not None and message["type"] == "subscribe":
            return pubsub


async def listen_redis(pubsub: PubSub, receipts: Receipts) -> None:
    while True:
        message = await pubsub.get_message(timeout=None)
        if message is not None and message["type"] == "message":
            received(message["data"], receipts)


@contextlib.asynccontextmanager
async def subscribers(plan: dict[str, Any], receipts: Receipts) -> AsyncIterator[Opened]:
    # decode_responses as the server's client has it: the same work per message.
    wanted = [c for c in plan["channels"] for _ in range(plan["per_channel"])]
    client = Redis.from_url(plan["url"], decode_responses=True, max_connections=len(wanted) + 1)
    opened = await in_batches(lambda channel: open_subscriber(client, channel), wanted)
    listeners = [asyncio.create_task(listen_redis(p, receipts)) for p in opened]
    try:
        yield len(opened), lambda: sum(1 for task in listeners if task.done())
    finally:
        for task in listeners:
            task.cancel()
        await asyncio.gather(*listeners, return_exceptions=True)
        await asyncio.gather(*(p.aclose() for p in opened), return_exceptions=True)
        await client.aclose()


async def main() -> None:
    plan = orjson.loads(sys.stdin.readline())
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    receipts: Receipts = []
    connections = websockets if plan["mode"] == "websocket" else subscribers
    async with connections(plan, receipts) as (opened, count_closed):
        print(orjson.dumps({"ready": opened}).decode(), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        closed = count_closed()
    print(orjson.dumps({"receipts": receipts, "closed": closed}).decode(), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
