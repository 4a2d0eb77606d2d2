"""``create_app()``: the aiohttp application, with its resources in ``cleanup_ctx``."""

from __future__ import annotations

import asyncio
import functools
import logging
import weakref
from collections.abc import AsyncIterator, Callable

from aiohttp import WSCloseCode, web

from jobwise import __version__
from jobwise.adapters.interop.resume_file.sandbox import ResumeFileReader
from jobwise.adapters.rendering import WarmBrowser
from jobwise.application.queries.read_models import ReadModels
from jobwise.application.queries.status import record_projection_lag
from jobwise.application.resume_drafts import ResumeDrafts
from jobwise.bootstrap import Runtime, open_runtime, resume_erasures, start_generation_worker
from jobwise.entrypoints.http import metrics_routes, system_routes
from jobwise.entrypoints.http.api import Api
from jobwise.entrypoints.http.auth import authenticate
from jobwise.entrypoints.http.checkpointing import install_checkpointing
from jobwise.entrypoints.http.clients import TRUSTED_PROXIES, TrustedProxies
from jobwise.entrypoints.http.docs import add_docs_routes
from jobwise.entrypoints.http.idempotency import COLLECTION as IDEMPOTENCY_KEYS
from jobwise.entrypoints.http.idempotency import IDEMPOTENCY, IdempotentRequests, Produce
from jobwise.entrypoints.http.keys import (
    AUTH,
    BUS,
    EVENTS,
    JOB_SEARCH,
    OFFLOOP,
    POSTINGS,
    PROJECTOR,
    PUBSUB,
    READ_MODELS,
    READINESS,
    RESUME_FILES,
    RUNTIME,
    SCRAPE_HOOKS,
    SETTINGS,
    THUMBNAILS,
    WEBSOCKETS,
    WORKER,
    ScrapeHook,
)
from jobwise.entrypoints.http.middleware import middlewares, stamp_prepared_response
from jobwise.entrypoints.http.routes import (
    account,
    audit,
    auth,
    data_export,
    documents,
    generations,
    jobs,
    live,
    profiles,
    saved_jobs,
)
from jobwise.entrypoints.logs import configure_logging
from jobwise.entrypoints.web import add_web_routes
from jobwise.settings import Settings
from jobwise.tasks import cancel_and_wait

log = logging.getLogger(__name__)
ERASURE_SWEEP_SECONDS = 300.0
"""How often ``serve`` looks for erasures that stopped midway, and finishes them."""

TITLE = "JobWise API"


def create_app(
    settings: Settings,
    *,
    mongo_url: str,
    browser: WarmBrowser | None = None,
    warm_browser: bool = False,
) -> web.Application:
    """The app; ``browser`` shares a Chromium the caller owns (tests), else it has its own,
    launched with the first document or, with ``warm_browser`` (``jobwise serve``), at start."""
    configure_logging(settings)
    app = web.Application(
        middlewares=middlewares(settings), client_max_size=settings.max_body_bytes
    )
    app[SETTINGS] = settings
    app[TRUSTED_PROXIES] = TrustedProxies.parse(settings.trusted_proxies)
    app[WEBSOCKETS] = weakref.WeakSet()
    app.on_response_prepare.append(stamp_prepared_response)
    app.cleanup_ctx.append(_runtime(settings, mongo_url, browser, warm_browser))
    install_checkpointing(app)
    app.on_shutdown.append(_close_websockets)

    api = Api(
        auth=authenticate,
        creates=_remember_creates,
        max_body_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
        body_timeout=settings.body_timeout,
    )
    api.include(system_routes.routes)
    api.include(metrics_routes.routes)
    api.include(auth.routes)
    api.include(profiles.routes)
    api.include(jobs.routes)
    api.include(saved_jobs.routes)
    api.include(generations.routes)
    api.include(documents.routes)
    api.include(audit.routes)
    api.include(data_export.routes)
    api.include(account.routes)
    data_export.install_data_export(app)
    api.include(live.routes)
    live.install_live(app)
    # First of all: running generations get the whole drain to finish in.
    app.on_shutdown.insert(0, _begin_draining_worker)
    api.register(app)
    add_docs_routes(app, api, title=TITLE, version=__version__)
    add_web_routes(app)
    return app


def _runtime(
    settings: Settings, mongo_url: str, browser: WarmBrowser | None, warm_browser: bool
) -> Callable[[web.Application], AsyncIterator[None]]:
    async def runtime(app: web.Application) -> AsyncIterator[None]:
        async with open_runtime(settings, mongo_url, browser=browser) as opened:
            app[RUNTIME] = opened
            app[BUS] = opened.bus
            app[READ_MODELS] = ReadModels(opened.database, opened.read_your_writes)
            app[AUTH] = opened.auth
            app[EVENTS] = opened.store
            app[PROJECTOR] = opened.projector
            app[PUBSUB] = opened.pubsub
            app[OFFLOOP] = opened.offloop
            app[POSTINGS] = opened.postings
            app[RESUME_FILES] = ResumeDrafts(
                ResumeFileReader(),
                opened.language_model,
                opened.auth.limiter,
                settings.llm_parses_per_hour,
            )
            app[JOB_SEARCH] = opened.job_search
            app[READINESS] = opened.readiness
            app[THUMBNAILS] = opened.documents.thumbnails
            app[IDEMPOTENCY] = IdempotentRequests(opened.database[IDEMPOTENCY_KEYS])
            await app[IDEMPOTENCY].ensure_indexes()
            hooks: dict[str, ScrapeHook] = {
                "projection lag": functools.partial(
                    record_projection_lag, opened.store, opened.projector
                )
            }
            app[SCRAPE_HOOKS] = hooks
            await _resume_erasures(opened)
            resuming = asyncio.create_task(_resume_erasures_forever(opened), name="erasures")
            # The generation worker runs beside the API unless dedicated workers do.
            worker = None
            if settings.worker_concurrency > 0:
                worker = await start_generation_worker(opened)
                app[WORKER] = worker
                hooks["generations queued"] = worker.record_queue
                if warm_browser:
                    opened.documents.warm_up()
            try:
                yield
            finally:
                await cancel_and_wait([resuming])
                if worker is not None:
                    await worker.stop()  # drained since on_shutdown: waits for its end

    return runtime


async def _resume_erasures(runtime: Runtime) -> None:
    # An erasure a crash interrupted is finished before anyone is served; one that
    # fails again is logged and left for the next start or ``jobwise resume-erasures``.
    try:
        resumed = await resume_erasures(runtime)
    except Exception:
        log.exception("could not finish the interrupted erasures")
        return
    if resumed:
        log.info("finished %d interrupted erasure(s)", len(resumed))


async def _resume_erasures_forever(runtime: Runtime) -> None:
    while True:
        await asyncio.sleep(ERASURE_SWEEP_SECONDS)
        await _resume_erasures(runtime)


async def _remember_creates(request: web.Request, produce: Produce) -> web.StreamResponse:
    return await request.app[IDEMPOTENCY].run(request, produce)


async def _close_websockets(app: web.Application) -> None:
    open_sockets = app[WEBSOCKETS]
    for socket in [*open_sockets]:
        await socket.close(code=WSCloseCode.GOING_AWAY, message=b"server shutting down")


async def _begin_draining_worker(app: web.Application) -> None:
    """The worker takes no new generation from now on and lets the running ones finish
    while requests in flight do (``JOBWISE_DRAIN_SECONDS``), then hands the rest over."""
    worker = app.get(WORKER)
    if worker is not None:
        worker.begin_stop()
