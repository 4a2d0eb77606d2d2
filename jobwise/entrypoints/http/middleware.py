"""Request id, access log, CORS and error middlewares.

Order matters (the first in the list is the outermost):

1. request id - outermost, so every response, errors and 404s included, carries it
   and every log line written while handling the request can find it;
2. metrics - times every request by its route's pattern, with the final status;
3. access log - sees the final status after errors were turned into responses;
4. CORS - adds its headers to error responses too, so browsers can read them;
5. errors - innermost, turns every exception into the contract's error body.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from jobwise.domain.errors import DomainError
from jobwise.entrypoints.http.refusals import refusal_response
from jobwise.logcontext import log_context
from jobwise.metrics import (
    HTTP_REQUEST_SECONDS,
    HTTP_REQUESTS_IN_FLIGHT,
    UNMATCHED_ROUTE,
    method_label,
    status_class,
)
from jobwise.projections import ReadModelsLagging
from jobwise.settings import Settings

API_PREFIX = "/api/"
SERVER_NAME = "JobWise"
REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_KEY = web.RequestKey("request_id", str)
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

CORS_ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
CORS_ALLOW_HEADERS = (
    "Authorization, Content-Type, If-Match, Idempotency-Key, Last-Event-ID, X-Request-ID"
)
CORS_EXPOSE_HEADERS = "X-Request-ID, Retry-After, Location"
CORS_MAX_AGE = "600"

# Codes for statuses aiohttp raises on its own; others get a snake_case reason.
_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
}
# Headers of an aiohttp HTTPException worth keeping on the JSON error we answer with.
_KEEP_HEADERS = frozenset({"allow", "retry-after", "www-authenticate", "location"})

http_log = logging.getLogger("jobwise.http")
access_log = logging.getLogger("jobwise.access")


def middlewares(settings: Settings) -> list[Middleware]:
    """The HTTP middlewares in the order ``web.Application(middlewares=...)`` wants."""
    return [
        request_id_middleware,
        metrics_middleware,
        access_log_middleware,
        cors_middleware(settings.cors_origins),
        errors_middleware,
    ]


# --- headers every response gets ------------------------------------------------------
# Middlewares record the headers a request's response must carry; they are applied
# when the middleware gets the response back or, for streamed responses (SSE,
# WebSocket) that send their headers earlier, by the on_response_prepare hook.

_STAMP_KEY = web.RequestKey("jobwise_response_headers", dict[str, str])


def _stamp(request: web.Request) -> dict[str, str]:
    headers: dict[str, str] = request.setdefault(_STAMP_KEY, {})
    return headers


def apply_response_headers(request: web.Request, response: web.StreamResponse) -> None:
    if not response.prepared:
        _apply(request, response)


def _apply(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in request.get(_STAMP_KEY, {}).items():
        if name == "Vary":
            if value not in response.headers.getall("Vary", []):
                response.headers.add(name, value)
        else:
            response.headers.setdefault(name, value)


async def stamp_prepared_response(request: web.Request, response: web.StreamResponse) -> None:
    """``app.on_response_prepare`` hook: every response, streamed ones included, gets the
    request's stamped headers and the safety headers.

    It runs inside ``prepare`` (``response.prepared`` is already true) but before
    the headers are written, so it may still change them."""
    _apply(request, response)
    add_safety_headers(response, private=request.path.startswith(API_PREFIX))


def add_safety_headers(response: web.StreamResponse, *, private: bool) -> None:
    """Headers no response goes without.

    The ``Server`` header names no versions; nothing is content-sniffed; and API
    answers hold personal data or tokens, so no cache may keep them unless the
    route says otherwise (RFC 6749 §5.1 requires ``no-store`` for tokens).
    """
    response.headers["Server"] = SERVER_NAME
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if private:
        response.headers.setdefault("Cache-Control", "no-store")


# --- request id -----------------------------------------------------------------------


def request_id_for(request: web.Request) -> str:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    return offered if _SANE_REQUEST_ID.fullmatch(offered) else str(uuid.uuid4())


@web.middleware
async def request_id_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    rid = request_id_for(request)
    request[REQUEST_ID_KEY] = rid
    _stamp(request)[REQUEST_ID_HEADER] = rid
    with log_context(request_id=rid):
        response = await handler(request)
        apply_response_headers(request, response)
        return response


# --- metrics --------------------------------------------------------------------------


@web.middleware
async def metrics_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every request timed under its route's pattern (``/api/v1/jobs/{job_id}``), never
    its path: one series per route, however many ids (or junk paths) clients send."""
    started = time.perf_counter()
    status = 499  # the client went away mid-request (cancellation), as the access log says
    with HTTP_REQUESTS_IN_FLIGHT.track_inprogress():
        try:
            response = await handler(request)
            status = response.status
            return response
        finally:
            HTTP_REQUEST_SECONDS.labels(
                route_label(request), method_label(request.method), status_class(status)
            ).observe(time.perf_counter() - started)


def route_label(request: web.Request) -> str:
    """The matched route's pattern, or one fixed label when none matched (404, 405)."""
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else UNMATCHED_ROUTE


# --- access log -----------------------------------------------------------------------


@web.middleware
async def access_log_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    started = time.perf_counter()
    status = 499  # what we log if the client goes away mid-request (cancellation)
    try:
        response = await handler(request)
        status = response.status
        return response
    finally:
        duration_ms = round((time.perf_counter() - started) * 1000, 2)
        # Only the path: query strings can carry tokens (the WebSocket ?token=).
        access_log.info(
            "%s %s %s %.2fms",
            request.method,
            request.path,
            status,
            duration_ms,
            extra={
                "method": request.method,
                "path": request.path,
                "status": status,
                "duration_ms": duration_ms,
                "request_id": request.get(REQUEST_ID_KEY),
            },
        )


# --- CORS -----------------------------------------------------------------------------


def cors_middleware(origins: Iterable[str]) -> Middleware:
    # By hand, not aiohttp-cors: that one works per registered route (no headers on a
    # 404), answers a preflight 200 rather than 204, and refuses one with a text 403.
    allowed = frozenset(origins)

    @web.middleware
    async def cors(request: web.Request, handler: Handler) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        if origin is None:
            return await handler(request)
        # The answer depends on Origin; caches must not serve one origin's to another.
        _stamp(request)["Vary"] = "Origin"
        ok = origin in allowed or "*" in allowed
        response: web.StreamResponse
        if ok:
            _stamp(request).update(_cors_headers(origin))
        if _is_preflight(request):
            response = _preflight() if ok else _preflight_denied()
        else:
            response = await handler(request)
        apply_response_headers(request, response)
        return response

    return cors


def origin_allowed(request: web.Request, origins: Iterable[str]) -> bool:
    """Whether a browser page from the request's ``Origin`` may open this connection.

    No ``Origin``: not a browser (or not cross-site), allowed. Else the page's own
    host (the web client at ``/``, whatever scheme a proxy terminated) or one of
    ``CORS_ORIGINS`` (``*``: any)."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    allowed = frozenset(origins)
    if "*" in allowed or origin in allowed:
        return True
    try:
        page_host = urlsplit(origin).netloc
    except ValueError:  # "http://[": not an origin a browser sends
        return False
    return page_host.lower() == request.host.lower()


def _is_preflight(request: web.Request) -> bool:
    return request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers


def _cors_headers(origin: str) -> dict[str, str]:
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Expose-Headers": CORS_EXPOSE_HEADERS,
    }


def _preflight() -> web.Response:
    return web.Response(
        status=204,
        headers={
            "Access-Control-Allow-Methods": CORS_ALLOW_METHODS,
            "Access-Control-Allow-Headers": CORS_ALLOW_HEADERS,
            "Access-Control-Max-Age": CORS_MAX_AGE,
        },
    )


def _preflight_denied() -> web.Response:
    # No CORS headers: the browser then refuses the real request.
    return error_response(403, "origin_not_allowed", "This origin may not call the API.")


# --- errors ---------------------------------------------------------------------------


@web.middleware
async def errors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except (DomainError, ReadModelsLagging) as exc:
        return refusal_response(exc)
    except web.HTTPException as exc:
        return _from_http_exception(exc)
    except Exception:
        # The traceback goes to the log (with the request id), never to the client.
        http_log.exception(
            "unhandled error in %s %s",
            request.method,
            request.path,
            extra={"request_id": request.get(REQUEST_ID_KEY)},
        )
        return error_response(500, "internal_error", "Something went wrong on our side.")


def error_response(
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> web.Response:
    body = {"error": {"code": code, "message": message, "details": details or {}}}
    return web.json_response(body, status=status, headers=headers)


def _from_http_exception(exc: web.HTTPException) -> web.Response:
    kept = {k: v for k, v in exc.headers.items() if k.lower() in _KEEP_HEADERS}
    if exc.status < 400:
        # Redirects and the like: pass them on as plain responses (returning the
        # exception object itself is deprecated in aiohttp).
        return web.Response(status=exc.status, reason=exc.reason, headers=kept)
    code = _STATUS_CODES.get(exc.status) or _snake(exc.reason)
    message = exc.reason if exc.text is None else exc.text.removeprefix(f"{exc.status}: ")
    return error_response(exc.status, code, message, headers=kept)


def _snake(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "error"
