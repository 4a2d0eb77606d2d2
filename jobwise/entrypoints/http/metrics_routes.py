"""``GET /metrics``: this process's Prometheus series, for operators only.

Protected as ``/status`` is (``require_operator``: a client on loopback, or
``Authorization: Bearer <JOBWISE_OPERATOR_TOKEN>``; 403 otherwise): route names,
traffic and queue depths are harmless to a user but useful to someone mapping the
system. Served in Prometheus's classic text format (``text/plain; version=0.0.4``),
which every Prometheus reads; no content negotiation, so no client-chosen format or
escaping reaches the encoder.

A few figures are read when scraped rather than kept up to date: a projection's lag
and the generations waiting for a worker. The process registers what reads them under
``SCRAPE_HOOKS``; each is bounded in time, and one that fails is logged and leaves
its series as last read, so a scrape never fails for it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from aiohttp import web
from prometheus_client import generate_latest

from jobwise.entrypoints.http.api import Routes
from jobwise.entrypoints.http.keys import SCRAPE_HOOKS, ScrapeHook
from jobwise.entrypoints.http.operator import require_operator
from jobwise.metrics import REGISTRY

log = logging.getLogger("jobwise.http")
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
"""Prometheus's classic text format, which ``generate_latest`` writes."""
HOOK_SECONDS = 5.0
"""How long a scrape waits for one hook (Prometheus gives a scrape 10 s by default)."""

routes = Routes()


@routes.route(
    "GET",
    "/metrics",
    tags=["system"],
    summary="This process's Prometheus metrics (operators only)",
    description=(
        "The Prometheus text exposition format. Answered on loopback, or with "
        "`Authorization: Bearer <JOBWISE_OPERATOR_TOKEN>`; 403 `forbidden` otherwise."
    ),
    errors=[403],
    media_type="text/plain; version=0.0.4",
)
async def metrics(request: web.Request) -> web.Response:
    require_operator(request)
    hooks = request.app.get(SCRAPE_HOOKS)
    await run_hooks(hooks or {})
    # Off the event loop: a few thousand series take tens of milliseconds to write
    # (measured: 77-131 ms for 7,300 lines on a loaded machine), time no request waits.
    body = await asyncio.to_thread(generate_latest, REGISTRY)
    return web.Response(
        body=body,
        headers={"Content-Type": CONTENT_TYPE, "Cache-Control": "no-store"},
    )


async def run_hooks(hooks: Mapping[str, ScrapeHook]) -> None:
    for name, hook in hooks.items():
        try:
            async with asyncio.timeout(HOOK_SECONDS):
                await hook()
        except Exception as error:  # TimeoutError, a database away: the rest still answers
            log.warning("metrics: %s could not be read: %s", name, type(error).__name__)
