"""Every refusal JobWise makes, in one hierarchy and in its own words: no HTTP here.

Aggregates, command handlers, queries and the request reader raise these; the one
table in ``jobwise.entrypoints.http.refusals`` maps each kind to a status and the
contract's error body. Every error carries a snake_case ``code`` (what a client
branches on), a message for people, and ``details`` (what a client may show or act on).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


class DomainError(Exception):
    code: str = "domain_error"
    message: str = "The request was refused."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.message = message or type(self).message
        super().__init__(self.message)
        if code is not None:
            self.code = code
        self.details = details or {}

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in a worker process (``OffLoop``) and re-raised in the server: rebuilt
        # from its state, since a subclass's ``__init__`` may not take its ``args``.
        return (_restore, (type(self), self.args, self.__dict__))


def _restore(kind: type[DomainError], args: tuple[Any, ...], state: dict[str, Any]) -> DomainError:
    error = kind.__new__(kind)
    error.args = args
    error.__dict__.update(state)
    return error


class NotFoundError(DomainError):
    """The thing does not exist, or is not the caller's (a stranger learns nothing)."""

    code = "not_found"


class StaleVersion(DomainError):
    """The caller expected another version of the thing than the current one."""

    code = "version_conflict"


class RuleViolation(DomainError):
    """The command conflicts with the thing's state (already saved, a backward move...)."""

    code = "conflict"


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str
    type: str = "value_error"
    location: str = "body"


class InvalidInput(DomainError):
    """Values the command carries break a rule; each bad field is named."""

    code = "validation_error"
    message = "Some fields are not valid."

    def __init__(
        self,
        message: str | None,
        problems: list[FieldProblem],
        *,
        details: dict[str, Any] | None = None,
    ) -> None:
        fields = [asdict(problem) for problem in problems]
        super().__init__(message, details={"fields": fields, **(details or {})})
        self.problems = problems


class UnreadableFile(InvalidInput):
    """An uploaded file cannot be read as what it claims to be (encrypted, scanned,
    damaged, too complex); ``reason`` in the details says which."""

    code = "unreadable_file"

    def __init__(self, reason: str, message: str, field: str = "file") -> None:
        super().__init__(
            message, [FieldProblem(field, message, reason)], details={"reason": reason}
        )
        self.reason = reason


class Unauthenticated(DomainError):
    """The caller could not be told apart from a stranger: bad credentials, a bad token."""

    code = "unauthorized"
    message = "Authentication is required."
    challenge: str | None = None
    """What a 401 answers in ``WWW-Authenticate`` (RFC 6750 for bearer tokens)."""

    def __init__(self, message: str | None = None, *, challenge: str | None = None) -> None:
        super().__init__(message)
        if challenge is not None:
            self.challenge = challenge


class Forbidden(DomainError):
    """The caller is known, and this is not theirs to do (an operator's tool)."""

    code = "forbidden"
    message = "This is not yours to see."


class Throttled(DomainError):
    """Too many attempts; ``retry_after`` seconds until the next may succeed."""

    code = "rate_limited"

    def __init__(
        self,
        message: str,
        retry_after: int,
        *,
        code: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(
            message, code=code, details={"retry_after": retry_after, **(details or {})}
        )
        self.retry_after = retry_after


class Overloaded(DomainError):
    """The work could not be done within its time budget; ``retry_after`` seconds until
    trying again is sensible. Nothing was changed."""

    code = "overloaded"

    def __init__(
        self, message: str, retry_after: int, *, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message, details={"retry_after": retry_after, **(details or {})})
        self.retry_after = retry_after


class Unavailable(DomainError):
    """A part JobWise needs is not ready (the database, pub/sub, the read models)."""

    code = "service_unavailable"
    message = "The service is not ready."


class InvalidRequest(DomainError):
    """The request itself cannot be read: not its values, its form."""

    code = "bad_request"
    message = "The request could not be processed."


class MalformedBody(InvalidRequest):
    code = "malformed_json"
    message = "The request body is not valid JSON."


class BodyTooLarge(InvalidRequest):
    code = "payload_too_large"
    message = "The request body is too large."


class BodyTooSlow(InvalidRequest):
    code = "request_timeout"
    message = "The request took too long to arrive."


class UnsupportedBody(InvalidRequest):
    code = "unsupported_media_type"
    message = "Send the body as application/json."


def not_found(label: str, id_field: str, aggregate_id: str) -> NotFoundError:
    return NotFoundError(f"{label} not found.", details={id_field: aggregate_id})


def stale(id_field: str, aggregate_id: str, expected: int, current: int) -> StaleVersion:
    return StaleVersion(
        "The resource was changed by someone else.",
        details={id_field: aggregate_id, "expected_version": expected, "current_version": current},
    )
