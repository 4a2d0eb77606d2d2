"""``If-Match``: the version a write expects its resource to be at."""

from __future__ import annotations

from aiohttp import web

from jobwise.domain.errors import InvalidRequest
from jobwise.entrypoints.http.params import MAX_VERSION


def if_match(request: web.Request) -> int | None:
    """The version number in ``If-Match`` (quotes and ``W/`` tolerated), or None."""
    raw = request.headers.get("If-Match")
    if raw is None or raw.strip() == "*":  # "*": any current version will do
        return None
    cleaned = raw.strip().removeprefix("W/").strip('"')
    # Length before int(): int() of a 5,000-digit string raises rather than answering.
    number = cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= 10
    if not number or not 1 <= int(cleaned) <= MAX_VERSION:
        raise InvalidRequest(
            "If-Match must be a version number.",
            code="invalid_if_match",
            details={"if_match": raw[:50]},
        )
    return int(cleaned)


def expected_version(request: web.Request, in_body: int | None) -> int | None:
    """``expected_version`` from the body wins over ``If-Match``."""
    return in_body if in_body is not None else if_match(request)
