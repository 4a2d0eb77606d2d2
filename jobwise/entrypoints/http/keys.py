"""Typed keys for what the app holds."""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web

from jobwise.adapters.eventstore.sealing import SealingEventStore
from jobwise.adapters.offloop import OffLoop
from jobwise.adapters.pubsub import PubSub
from jobwise.adapters.rendering.thumbnails import ThumbnailService
from jobwise.application.messagebus import CommandBus
from jobwise.application.posting_reader import PostingReader
from jobwise.application.processes import GenerationWorker
from jobwise.application.queries.job_search import JobSearchCache
from jobwise.application.queries.read_models import ReadModels
from jobwise.application.resume_drafts import ResumeDrafts
from jobwise.bootstrap import AuthServices, Runtime
from jobwise.projections import Projector
from jobwise.settings import Settings

Readiness = Callable[[], Awaitable[Mapping[str, str | None]]]
"""One entry per dependency: None or "ok" when healthy, else the reason."""
ScrapeHook = Callable[[], Awaitable[None]]
"""Sets series read when ``/metrics`` is scraped (a projection's lag, say)."""

SETTINGS = web.AppKey("settings", Settings)
RUNTIME = web.AppKey("runtime", Runtime)
"""Everything the process opened; routes use the narrower keys below instead."""
BUS = web.AppKey("bus", CommandBus)
"""Where a route sends its command."""
READ_MODELS = web.AppKey("read_models", ReadModels)
"""What a route's query reads."""
THUMBNAILS = web.AppKey("thumbnails", ThumbnailService)
"""The templates' preview images (made once, then kept)."""
WEBSOCKETS = web.AppKey("websockets", weakref.WeakSet[web.WebSocketResponse])
"""Open WebSockets, closed with GOING_AWAY when the server shuts down."""
WORKER = web.AppKey("generation_worker", GenerationWorker)
"""The generation worker running in this process (absent when dedicated workers run)."""

# -- what a few routes need besides the bus and the read models --------------------------
AUTH = web.AppKey("auth", AuthServices)
"""Tokens, revocations, live sessions and the rate limiter: every authenticated request."""
EVENTS = web.AppKey("event_store", SealingEventStore)
"""The log itself, for the queries that replay a stream (a profile's past versions)."""
PROJECTOR = web.AppKey("projector", Projector)
"""The read models' runners: their checkpoints, and the documents they just wrote."""
PUBSUB = web.AppKey("pubsub", PubSub)
"""Where live updates are announced (the live hub listens)."""
OFFLOOP = web.AppKey("offloop", OffLoop)
"""Where CPU-heavy parsing runs, off the event loop."""
RESUME_FILES = web.AppKey("resume_files", ResumeDrafts)
"""Reads uploaded resume files (PDF, DOCX) into drafts, each in a process of its own."""
POSTINGS = web.AppKey("postings", PostingReader)
"""The posting reader, whose skill taxonomy job search matches with."""
JOB_SEARCH = web.AppKey("job_search", JobSearchCache)
"""The users' job search entries, kept in memory while fresh."""
READINESS: web.AppKey[Readiness] = web.AppKey("readiness")
"""What ``/ready`` asks."""
SCRAPE_HOOKS: web.AppKey[dict[str, ScrapeHook]] = web.AppKey("scrape_hooks")
"""What ``/metrics`` runs before answering, by name (for the log when one fails)."""
