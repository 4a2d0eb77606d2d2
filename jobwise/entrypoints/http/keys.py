"""Typed keys for what the app holds."""

from __future__ import annotations

import weakref

from aiohttp import web

from jobwise.application.processes import GenerationWorker
from jobwise.bootstrap import Runtime
from jobwise.settings import Settings

SETTINGS = web.AppKey("settings", Settings)
RUNTIME = web.AppKey("runtime", Runtime)
WEBSOCKETS = web.AppKey("websockets", weakref.WeakSet[web.WebSocketResponse])
"""Open WebSockets, closed with GOING_AWAY when the server shuts down."""
WORKER = web.AppKey("generation_worker", GenerationWorker)
"""The generation worker running in this process (absent when dedicated workers run)."""
