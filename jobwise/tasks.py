"""Stopping background tasks for sure."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable


async def cancel_and_wait(tasks: Iterable[asyncio.Task[None]]) -> None:
    """Cancel each task and wait until it has really ended.

    One ``cancel()`` is not always enough on Python 3.11: ``asyncio.wait_for``
    (which PyMongo uses inside) can swallow a cancellation that lands just as
    its inner wait completes, and the task then runs on. So cancel again until
    it is done.
    """
    for task in tasks:
        while not task.done():
            task.cancel()
            await asyncio.wait([task], timeout=1.0)
        with contextlib.suppress(asyncio.CancelledError):
            await task
