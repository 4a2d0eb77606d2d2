"""``/health`` (the process is up) and ``/ready`` (its dependencies are live)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Literal

from aiohttp import web
from pydantic import BaseModel

from jobwise.domain.errors import Unavailable
from jobwise.entrypoints.http.api import Api

Readiness = Callable[[web.Request], Awaitable[Mapping[str, str | None]]]
"""Returns one entry per dependency: None or "ok" when healthy, else the reason."""

log = logging.getLogger("jobwise.http")


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Ready(BaseModel):
    status: Literal["ready"] = "ready"
    checks: dict[str, str]


def add_system_routes(api: Api, readiness: Readiness) -> None:
    @api.route("GET", "/health", response=Health, tags=["system"], summary="Liveness")
    async def health(request: web.Request) -> Health:
        # Deliberately checks nothing: it answers whether the process serves HTTP.
        return Health()

    @api.route("GET", "/ready", response=Ready, tags=["system"], summary="Readiness", errors=[503])
    async def ready(request: web.Request) -> Ready:
        checks = await _run_checks(readiness, request)
        if any(value != "ok" for value in checks.values()):
            raise Unavailable(
                "Not ready: " + ", ".join(k for k, v in checks.items() if v != "ok"),
                code="not_ready",
                details={"checks": checks},
            )
        return Ready(checks=checks)


async def _run_checks(readiness: Readiness, request: web.Request) -> dict[str, str]:
    try:
        raw = await readiness(request)
    except Exception as exc:
        # A crashing probe means "not ready", not a 500 that hides which part failed.
        log.exception("readiness check failed")
        return {"readiness": f"error: {type(exc).__name__}"}
    return {name: "ok" if value in (None, "ok") else str(value) for name, value in raw.items()}
