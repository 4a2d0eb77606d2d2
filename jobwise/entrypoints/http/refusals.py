"""The one table from the domain's refusals to HTTP: a status per kind of error.

Everything below the edge raises ``jobwise.domain.errors``, the request reader and the
routes included; nothing else knows a status code. A subclass takes its nearest listed
ancestor's status.
"""

from __future__ import annotations

from aiohttp import web

from jobwise.domain.errors import (
    BodyTooLarge,
    BodyTooSlow,
    DomainError,
    Forbidden,
    InvalidInput,
    InvalidRequest,
    NotFoundError,
    Overloaded,
    RuleViolation,
    StaleVersion,
    Throttled,
    Unauthenticated,
    Unavailable,
    UnsupportedBody,
)
from jobwise.projections import ReadModelsLagging

Refusal = DomainError | ReadModelsLagging
"""What the layers below the app refuse with: a ``code``, a ``message``, ``details``."""

STATUS_OF: dict[type[Exception], int] = {
    InvalidRequest: 400,
    BodyTooSlow: 408,
    BodyTooLarge: 413,
    UnsupportedBody: 415,
    Forbidden: 403,
    Unavailable: 503,
    InvalidInput: 422,
    NotFoundError: 404,
    StaleVersion: 409,
    RuleViolation: 409,
    Unauthenticated: 401,
    Throttled: 429,
    ReadModelsLagging: 503,
    Overloaded: 503,
}


def status_of(error: Refusal) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS_OF:
            return STATUS_OF[kind]
    return 400


def refusal_response(error: Refusal) -> web.Response:
    headers: dict[str, str] = {}
    if isinstance(error, Throttled | Overloaded):
        headers["Retry-After"] = str(error.retry_after)
    if isinstance(error, Unauthenticated) and error.challenge:
        headers["WWW-Authenticate"] = error.challenge
    body = {"error": {"code": error.code, "message": error.message, "details": error.details}}
    return web.json_response(body, status=status_of(error), headers=headers)
