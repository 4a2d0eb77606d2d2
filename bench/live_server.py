"""``python -m bench.live_server``: the app the live bench's sockets connect to, in its own process.

Set up as production runs it beside Redis: ``REDIS_URL`` (pub/sub between processes)
and ``MONGODB_URL`` (so its store follows other processes' appends through a change
stream, as on a replica set). It runs no generation worker: the bench process plays
the worker, appending each generation's events and ringing the Redis doorbell, so
every update crosses from one process to another as it does with dedicated workers
or several API processes.

It registers ``--users`` users, prints one JSON line (``port``, ``pid``, ``tokens``,
``user_ids``) and serves until its stdin is closed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
from collections.abc import Sequence
from pathlib import Path

import aiohttp
import orjson

from bench.auth import register, serving
from jobwise.entrypoints.http.factory import create_app
from jobwise.entrypoints.http.keys import RUNTIME
from jobwise.settings import load_settings


async def serve(args: argparse.Namespace) -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    settings = load_settings(
        {
            "JOBWISE_DATA_DIR": str(args.data_dir),
            "MONGODB_URL": args.mongo_url,
            "MONGODB_DB": args.database,
            "REDIS_URL": args.redis_url,
            "JOBWISE_RATE_LIMIT_PER_MINUTE": "10000000",
            "JOBWISE_REGISTRATIONS_PER_HOUR": "1000000",
            "JOBWISE_LIVE_SOCKETS_PER_USER": str(args.sockets_per_user),
            "JOBWISE_LOG_LEVEL": "WARNING",
            "JOBWISE_WORKER_CONCURRENCY": "0",
        }
    )
    app = create_app(settings, mongo_url=args.mongo_url)
    async with serving(app) as port, aiohttp.ClientSession() as session:
        base = f"http://127.0.0.1:{port}"
        tokens = await asyncio.gather(*(register(session, base, n) for n in range(args.users)))
        decode = app[RUNTIME].auth.tokens.decode
        ready = {
            "port": port,
            "pid": os.getpid(),
            "tokens": list(tokens),
            "user_ids": [decode(token, "access").sub for token in tokens],
        }
        print(orjson.dumps(ready).decode(), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.live_server", description=__doc__)
    parser.add_argument("--mongo-url", required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--sockets-per-user", type=int, required=True)
    args = parser.parse_args(argv)
    asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
