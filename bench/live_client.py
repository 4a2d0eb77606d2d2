"""``python -m bench.live_client``: the WebSocket client load of the live bench, in its own process.

Reads one JSON object from stdin: ``{"url", "tokens": [...], "per_token", "subscribe"}``.
Opens ``per_token`` sockets per token (on the user channel when ``subscribe``),
prints ``{"ready": n}`` once all are open, then records the wall-clock time each
update arrives. When stdin closes it prints ``{"receipts": [[gid, seq, t], ...],
"closed": n}`` and exits.
"""

from __future__ import annotations

import asyncio
import resource
import sys
import time
from typing import Any

import aiohttp
import orjson

OPEN_AT_ONCE = 200


async def open_socket(
    session: aiohttp.ClientSession, url: str, token: str, subscribe: bool
) -> aiohttp.ClientWebSocketResponse:
    ws = await session.ws_connect(f"{url}?token={token}", autoping=True, heartbeat=None)
    await ws.receive_json()  # authenticated
    if subscribe:
        await ws.send_json({"type": "subscribe", "channel": "user"})
        await ws.receive_json()  # subscribed
    return ws


async def listen(ws: aiohttp.ClientWebSocketResponse, receipts: list[list[Any]]) -> None:
    async for message in ws:
        if message.type is not aiohttp.WSMsgType.TEXT:
            break
        body = orjson.loads(message.data)
        if body.get("type", "").startswith("generation."):
            receipts.append([body["generation_id"], body["seq"], time.time()])


async def main() -> None:
    plan = orjson.loads(sys.stdin.readline())
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    connector = aiohttp.TCPConnector(limit=0)
    receipts: list[list[Any]] = []
    async with aiohttp.ClientSession(connector=connector) as session:
        wanted = [t for t in plan["tokens"] for _ in range(plan["per_token"])]
        sockets: list[aiohttp.ClientWebSocketResponse] = []
        for start in range(0, len(wanted), OPEN_AT_ONCE):
            batch = wanted[start : start + OPEN_AT_ONCE]
            sockets += await asyncio.gather(
                *(open_socket(session, plan["url"], t, plan["subscribe"]) for t in batch)
            )
        listeners = [asyncio.create_task(listen(ws, receipts)) for ws in sockets]
        print(orjson.dumps({"ready": len(sockets)}).decode(), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        closed = sum(1 for ws in sockets if ws.closed)
        for task in listeners:
            task.cancel()
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    print(orjson.dumps({"receipts": receipts, "closed": closed}).decode(), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
