"""Typed keys for what the app holds."""

from __future__ import annotations

import weakref

from aiohttp import web

from jobwise.application.messagebus import CommandBus
from jobwise.application.processes import GenerationWorker
from jobwise.application.queries.read_models import ReadModels
from jobwise.bootstrap import Runtime
from jobwise.settings import Settings

SETTINGS = web.AppKey("settings", Settings)
RUNTIME = web.AppKey("runtime", Runtime)
"""Everything the process opened; routes use the narrower keys below instead."""
BUS = web.AppKey("bus", CommandBus)
"""Where a route sends its command."""
READ_MODELS = web.AppKey("read_models", ReadModels)
"""What a route's query reads."""
WEBSOCKETS = web.AppKey("websockets", weakref.WeakSet[web.WebSocketResponse])
"""Open WebSockets, closed with GOING_AWAY when the server shuts down."""
WORKER = web.AppKey("generation_worker", GenerationWorker)
"""The generation worker running in this process (absent when dedicated workers run)."""
