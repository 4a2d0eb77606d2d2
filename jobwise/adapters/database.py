"""Where the database is: ``MONGODB_URL``, or the embedded SecantusDB on the data dir."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from jobwise.adapters.embedded import (
    DataDirBusy,
    EmbeddedError,
    lock_data_dir,
    published_address,
    retire_stale_server,
    start_embedded,
)
from jobwise.settings import Settings


@contextlib.contextmanager
def serving_database(settings: Settings) -> Iterator[str]:
    """For ``jobwise serve``: own the data dir and its embedded server while serving.

    Must run on the main thread: the child is told to die with the thread that
    started it (``PR_SET_PDEATHSIG``), which should be the process itself.
    """
    if settings.mongodb_url:
        yield settings.mongodb_url
        return
    lock = lock_data_dir(settings.data_dir)
    try:
        retire_stale_server(settings.data_dir)
        server = start_embedded(settings.data_dir, sync_on_commit=settings.db_sync_on_commit)
        try:
            server.publish()
            yield server.url
        finally:
            server.stop()
    finally:
        lock.release()


@contextlib.contextmanager
def tool_database(settings: Settings) -> Iterator[str]:
    """For the CLI tools: the running server's database, or a short-lived embedded one."""
    if settings.mongodb_url:
        yield settings.mongodb_url
        return
    try:
        with serving_database(settings) as url:
            yield url
    except DataDirBusy:
        running = published_address(settings.data_dir)
        if running is None:
            raise EmbeddedError(
                f"data dir {settings.data_dir} is locked but its server does not answer"
            ) from None
        yield running
