"""``GET /api/v1/me/export``: all of the caller's data and documents, as one ZIP.

The archive is built into a temporary file (``data_archive``), then streamed to the
client in chunks, so neither step holds the whole export in memory. Each user may
export ``JOBWISE_EXPORTS_PER_HOUR`` times an hour (429), and each process builds at
most ``JOBWISE_EXPORT_CONCURRENCY`` at once (503): an export is heavy on purpose-free
resources (disk, CPU), and a flood of them must not starve the API.
"""

from __future__ import annotations

import asyncio
import tempfile
from typing import IO

from aiohttp import web

from jobwise.application.limits import HOUR
from jobwise.domain.errors import Overloaded, Throttled
from jobwise.entrypoints.http.api import Routes
from jobwise.entrypoints.http.auth import current_user
from jobwise.entrypoints.http.data_archive import write_export
from jobwise.entrypoints.http.keys import AUTH, EVENTS, READ_MODELS, RUNTIME, SETTINGS

PATH = "/api/v1/me/export"
TAGS = ["account"]
CHUNK = 256 * 1024
BUSY_RETRY_AFTER = 30
"""Seconds a client refused for want of an export slot is told to wait."""

EXPORT_SLOTS = web.AppKey("export_slots", asyncio.Semaphore)
"""This process's exports in progress, bounded by ``JOBWISE_EXPORT_CONCURRENCY``."""

routes = Routes()


@routes.route(
    "GET",
    PATH,
    auth=True,
    tags=TAGS,
    errors=[429, 503],
    media_type="application/zip",
    summary="Download all my data (account, profiles, jobs, documents, events) as a ZIP",
)
async def export_my_data(request: web.Request) -> web.StreamResponse:
    user_id = current_user(request).user_id
    slots = _slots(request.app)
    if slots.locked():
        raise Overloaded(
            "Too many data exports are being prepared; try again shortly.", BUSY_RETRY_AFTER
        )
    await _spend_export(request, user_id)
    async with slots:
        target = await asyncio.to_thread(tempfile.TemporaryFile)
        try:
            database = request.app[READ_MODELS].database
            files = request.app[RUNTIME].documents.files
            await write_export(target, database, request.app[EVENTS].opener, files, user_id)
            return await _send(request, target, user_id)
        finally:
            await asyncio.to_thread(target.close)


async def _spend_export(request: web.Request, user_id: str) -> None:
    per_hour = request.app[SETTINGS].exports_per_hour
    decision = await request.app[AUTH].limiter.hit(f"exports:{user_id}", per_hour, HOUR)
    if not decision.allowed:
        raise Throttled(
            f"At most {per_hour} data exports an hour; try again later.",
            int(decision.retry_after_header),
            details={"per_hour": per_hour},
        )


async def _send(request: web.Request, source: IO[bytes], user_id: str) -> web.StreamResponse:
    size = await asyncio.to_thread(source.seek, 0, 2)
    await asyncio.to_thread(source.seek, 0)
    response = web.StreamResponse(
        headers={
            "Content-Type": "application/zip",
            "Content-Disposition": f'attachment; filename="jobwise-data-{user_id}.zip"',
            "Content-Length": str(size),
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        }
    )
    await response.prepare(request)
    while chunk := await asyncio.to_thread(source.read, CHUNK):
        await response.write(chunk)
    await response.write_eof()
    return response


def _slots(app: web.Application) -> asyncio.Semaphore:
    return app[EXPORT_SLOTS]


def install_data_export(app: web.Application) -> None:
    """Give the app its export slots (before it starts: its state is fixed then)."""
    app[EXPORT_SLOTS] = asyncio.Semaphore(app[SETTINGS].export_concurrency)
