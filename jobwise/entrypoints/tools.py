"""Running one event-history tool (``events``, ``replay``, ``export-events``, ...) to its end.

A tool works beside a running ``serve`` on its database, or alone on the embedded one
for as long as it runs; it never runs projections of its own.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

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
