"""The small HTTP server of a ``jobwise worker`` with ``--metrics-port``: ``/metrics`` and
``/health``, nothing else.

A worker serves no API, yet Prometheus must scrape each worker process (its series are
its own: the runs it holds, the renders it made). Same middlewares (request id,
metrics, access log, JSON errors), same operator rule for ``/metrics`` as ``serve``,
and the same guarded server (connection caps, JSON answers to malformed requests).
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import AsyncIterator, Sequence

from aiohttp import web

from jobwise.entrypoints.http import metrics_routes
from jobwise.entrypoints.http.api import Api
from jobwise.entrypoints.http.clients import TRUSTED_PROXIES, TrustedProxies
from jobwise.entrypoints.http.keys import SCRAPE_HOOKS, SETTINGS, ScrapeHook
from jobwise.entrypoints.http.middleware import middlewares, stamp_prepared_response
from jobwise.entrypoints.http.server import BACKLOG, ConnectionGuard, GuardedAppRunner
from jobwise.entrypoints.http.system_routes import liveness
from jobwise.settings import Settings

SHUTDOWN_SECONDS = 2.0
"""A scrape is short: stopping waits this long at most for one in flight."""


def metrics_app(settings: Settings, hooks: dict[str, ScrapeHook]) -> web.Application:
    app = web.Application(middlewares=middlewares(settings), client_max_size=1024)
    app[SETTINGS] = settings
    app[TRUSTED_PROXIES] = TrustedProxies.parse(settings.trusted_proxies)
    app[SCRAPE_HOOKS] = hooks
    app.on_response_prepare.append(stamp_prepared_response)
    api = Api(body_timeout=settings.body_timeout)
    api.include(liveness)
    api.include(metrics_routes.routes)
    api.register(app)
    return app


@contextlib.asynccontextmanager
async def serving(
    app: web.Application,
    listeners: Sequence[socket.socket],
    guard: ConnectionGuard,
    keepalive_timeout: float,
) -> AsyncIterator[None]:
    """``app`` served on ``listeners`` (taken with ``server.listen``) for the block."""
    runner = GuardedAppRunner(
        app, guard, keepalive_timeout=keepalive_timeout, shutdown_timeout=SHUTDOWN_SECONDS
    )
    await runner.setup()
    try:
        for listener in listeners:
            await web.SockSite(runner, listener, backlog=BACKLOG).start()
        yield
    finally:
        await runner.cleanup()
