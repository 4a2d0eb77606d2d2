"""``python -m bench.generation_server``: the app and its worker, for ``bench.generation``.

Runs in its own process, as ``jobwise serve`` does (the API, the projections, the worker
and one warm Chromium in one process), so the bench's client never shares its event
loop and the process's memory is the worker's. It prints one JSON line (``app_port``,
``pid``) and serves until its stdin is closed. Request limits are set out of the way:
the bench measures the pipeline, not the limiters.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import orjson

from bench.auth import serving
from jobwise.entrypoints.http.factory import create_app
from jobwise.settings import load_settings

HIGH = "1000000"


async def serve(mongo_url: str, data_dir: Path, database: str, worker: bool) -> None:
    settings = load_settings(
        {
            "JOBWISE_WORKER_CONCURRENCY": "4" if worker else "0",
            "JOBWISE_DATA_DIR": str(data_dir),
            "MONGODB_DB": database,
            "JOBWISE_LOG_LEVEL": "WARNING",
            "JOBWISE_RATE_LIMIT_PER_MINUTE": HIGH,
            "JOBWISE_REGISTRATIONS_PER_HOUR": HIGH,
            "JOBWISE_GENERATIONS_PER_HOUR": HIGH,
        }
    )
    async with serving(create_app(settings, mongo_url=mongo_url, warm_browser=True)) as port:
        print(orjson.dumps({"app_port": port, "pid": os.getpid()}).decode(), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generation_server", description=__doc__)
    parser.add_argument("--mongo-url", required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--no-worker", action="store_true", help="dedicated workers do it")
    args = parser.parse_args(argv)
    asyncio.run(serve(args.mongo_url, args.data_dir, args.database, not args.no_worker))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
