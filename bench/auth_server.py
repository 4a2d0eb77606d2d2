"""``python -m bench.auth_server``: the app and a bare JSON handler, for ``bench.auth`` to hammer.

Runs in its own process so the load generator does not share its event loop.
It registers one user, prints one JSON line (``app_port``, ``bare_port``,
``token``, ``pid``) and serves until its stdin is closed. Logging is as in
production (INFO, the access log on every request) and goes to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import aiohttp
import orjson
from aiohttp import web

from bench.auth import app_settings, register, serving
from jobwise.entrypoints.http.factory import create_app


async def bare_handler(_request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


def bare_app() -> web.Application:
    app = web.Application()
    app.router.add_get("/", bare_handler)
    return app


async def serve(mongo_url: str, data_dir: Path, database: str) -> None:
    app = create_app(app_settings(data_dir, database, "INFO"), mongo_url=mongo_url)
    async with serving(app) as app_port, serving(bare_app()) as bare_port:
        async with aiohttp.ClientSession() as session:
            token = await register(session, f"http://127.0.0.1:{app_port}", 0)
        ready = {"app_port": app_port, "bare_port": bare_port, "token": token, "pid": os.getpid()}
        print(orjson.dumps(ready).decode(), flush=True)
        # Serve until the bench closes our stdin (or dies, which closes it too).
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.auth_server", description=__doc__)
    parser.add_argument("--mongo-url", required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--database", required=True)
    args = parser.parse_args(argv)
    asyncio.run(serve(args.mongo_url, args.data_dir, args.database))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
