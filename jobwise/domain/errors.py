"""Why the domain refused a command, in the domain's words: no HTTP here.

Aggregates and command handlers raise these; ``jobwise.entrypoints.http.errors`` maps each
kind to a status and the contract's error body, in one table. Every error
carries a snake_case ``code`` (what a client branches on), a message for
people, and ``details`` (what a client may show or act on).
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

    def __init__(
        self, message: str, problems: list[FieldProblem], *, details: dict[str, Any] | None = None
    ) -> None:
        fields = [asdict(problem) for problem in problems]
        super().__init__(message, details={"fields": fields, **(details or {})})
        self.problems = problems


class Unauthenticated(DomainError):
    """The caller could not be told apart from a stranger: bad credentials, a bad token."""

    code = "unauthorized"
    message = "Authentication is required."
    challenge: str | None = None
    """What a 401 answers in ``WWW-Authenticate`` (RFC 6750 for bearer tokens)."""


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


def not_found(label: str, id_field: str, aggregate_id: str) -> NotFoundError:
    return NotFoundError(f"{label} not found.", details={id_field: aggregate_id})


def stale(id_field: str, aggregate_id: str, expected: int, current: int) -> StaleVersion:
    return StaleVersion(
        "The resource was changed by someone else.",
        details={id_field: aggregate_id, "expected_version": expected, "current_version": current},
    )
