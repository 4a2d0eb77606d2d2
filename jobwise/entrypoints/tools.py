"""Running one event-history tool (``events``, ``replay``, ``export-events``, ...) to its end.

A tool works beside a running ``serve`` on its database, or alone on the embedded one
for as long as it runs; it never runs projections of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from jobwise.settings import Settings


def run_tool(settings: Settings, work: Any) -> int:
    """``work(runtime)``'s exit code, on the tool's database."""
    # Imported here so that building the CLI's parser (``--help``) loads no application.
    from jobwise.adapters.database import tool_database
    from jobwise.bootstrap import open_runtime
    from jobwise.entrypoints.logs import configure_logging

    configure_logging(settings)
    with tool_database(settings) as mongo_url:

        async def run() -> int:
            async with open_runtime(settings, mongo_url, run_projections=False) as runtime:
                return int(await work(runtime))

        return asyncio.run(run())


@contextlib.contextmanager
def opened_file(name: str, mode: str) -> Iterator[IO[bytes]]:
    """A tool's file argument opened in binary ``mode``: ``-`` is stdin or stdout."""
    if name == "-":
        yield sys.stdout.buffer if "w" in mode else sys.stdin.buffer
        return
    with open(name, mode) as file:
        yield cast(IO[bytes], file)
