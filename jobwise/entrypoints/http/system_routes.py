"""``/health`` (the process is up), ``/ready`` (its dependencies are live) and ``/status``
(how far each read model has come, for operators).

``/health`` is declared on its own (``liveness``): a ``jobwise worker``'s metrics port
answers it too, with none of what ``/ready`` and ``/status`` read."""

from __future__ import annotations

import logging
from typing import Literal

from aiohttp import web
from pydantic import BaseModel

from jobwise.application.queries.status import Status, projection_status
from jobwise.domain.errors import Unavailable
from jobwise.entrypoints.http.api import Routes
from jobwise.entrypoints.http.keys import EVENTS, PROJECTOR, READINESS, Readiness
from jobwise.entrypoints.http.operator import require_operator

log = logging.getLogger("jobwise.http")
TAGS = ["system"]


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Ready(BaseModel):
    status: Literal["ready"] = "ready"
    checks: dict[str, str]


liveness = Routes()


@liveness.route("GET", "/health", response=Health, tags=TAGS, summary="Liveness")
async def health(request: web.Request) -> Health:
    # Deliberately checks nothing: it answers whether the process serves HTTP.
    return Health()


routes = Routes()
routes.include(liveness)


@routes.route("GET", "/ready", response=Ready, tags=TAGS, summary="Readiness", errors=[503])
async def ready(request: web.Request) -> Ready:
    checks = await _run_checks(request.app[READINESS])
    if any(value != "ok" for value in checks.values()):
        raise Unavailable(
            "Not ready: " + ", ".join(k for k, v in checks.items() if v != "ok"),
            code="not_ready",
            details={"checks": checks},
        )
    return Ready(checks=checks)


@routes.route(
    "GET",
    "/status",
    response=Status,
    tags=TAGS,
    summary="Event store head and each projection's checkpoint and lag (operators only)",
    description=(
        "Answered on loopback, or with `Authorization: Bearer <JOBWISE_OPERATOR_TOKEN>`; "
        "403 `forbidden` otherwise."
    ),
    errors=[403],
)
async def status(request: web.Request) -> Status:
    require_operator(request)
    return await projection_status(request.app[EVENTS], request.app[PROJECTOR])


async def _run_checks(readiness: Readiness) -> dict[str, str]:
    try:
        raw = await readiness()
    except Exception as exc:
        # A crashing probe means "not ready", not a 500 that hides which part failed.
        log.exception("readiness check failed")
        return {"readiness": f"error: {type(exc).__name__}"}
    return {name: "ok" if value in (None, "ok") else str(value) for name, value in raw.items()}
