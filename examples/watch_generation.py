"""Watch one generation's live updates over the WebSocket, resuming after any drop.

    .venv/bin/python examples/watch_generation.py ACCESS_TOKEN GENERATION_ID [API]

API defaults to http://127.0.0.1:8000/api/v1. Prints one line per update and exits
when the generation ends; a dropped connection resumes right after the last seq seen,
so nothing is lost and nothing is printed twice.
"""

import asyncio
import json
import sys

import aiohttp


async def watch(api: str, token: str, generation_id: str) -> None:
    url = api.replace("http", "ws", 1) + f"/ws?token={token}"
    last_seq = 0  # kept across reconnects: the server resumes right after it
    async with aiohttp.ClientSession() as session:
        while True:
            async with session.ws_connect(url) as ws:
                await ws.send_json(
                    {"type": "subscribe", "generation_id": generation_id, "after": last_seq}
                )
                async for message in ws:
                    update = json.loads(message.data)
                    if update["type"].startswith("generation."):
                        last_seq = update["seq"]
                        stage = update.get("stage") or ""
                        print(update["seq"], update["type"], stage, update["status"])
                        if update["type"] != "generation.progress":
                            return
                    elif update["type"] == "error":
                        sys.exit(update["error"]["message"])
            if ws.close_code in (4401, 4408):
                sys.exit("log in again: the token is expired or revoked")
            await asyncio.sleep(1)  # 1001, 1013, a network blip: resume after last_seq


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    api = sys.argv[3] if len(sys.argv) == 4 else "http://127.0.0.1:8000/api/v1"
    asyncio.run(watch(api.rstrip("/"), sys.argv[1], sys.argv[2]))
