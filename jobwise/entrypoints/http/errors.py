"""The HTTP layer's own errors, each with its contract code and status.

Every error a client sees has the shape
``{"error": {"code": "snake_case", "message": "human text", "details": {...}}}``.
These are for what only HTTP knows (a malformed body, a missing token, a
timeout); the domain's refusals are ``jobwise.domain.errors``, mapped to
statuses in ``jobwise.entrypoints.http.refusals``.
"""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    status: int = 400
    code: str = "bad_request"
    message: str = "The request could not be processed."

    def __init__(
        self,
        message: str | None = None,
        *,
        details: dict[str, Any] | None = None,
        code: str | None = None,
        status: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.message = message or type(self).message
        self.details = details or {}
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.headers = headers or {}
        super().__init__(self.message)

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class BadRequest(AppError):
    status, code = 400, "bad_request"


class MalformedJson(AppError):
    status, code, message = 400, "malformed_json", "The request body is not valid JSON."


class Unauthorized(AppError):
    status, code, message = 401, "unauthorized", "Authentication is required."


class NotFound(AppError):
    status, code, message = 404, "not_found", "Not found."


class RequestTimeout(AppError):
    status, code, message = 408, "request_timeout", "The request took too long to arrive."


class Conflict(AppError):
    status, code, message = 409, "conflict", "The request conflicts with the current state."


class PayloadTooLarge(AppError):
    status, code, message = 413, "payload_too_large", "The request body is too large."


class UnsupportedMediaType(AppError):
    status, code, message = 415, "unsupported_media_type", "Send the body as application/json."


class ValidationFailed(AppError):
    status, code, message = 422, "validation_error", "Some fields are not valid."


class RateLimited(AppError):
    status, code, message = 429, "rate_limited", "Too many requests; slow down."


class ServiceUnavailable(AppError):
    status, code, message = 503, "service_unavailable", "The service is not ready."


class Forbidden(AppError):
    status, code, message = 403, "forbidden", "This is not yours to see."
