"""``current_user``: who is calling, checked on every authenticated route.

The check is cheap on purpose: a signature check, an in-memory revocation
lookup, a session check remembered for a minute (``LiveSessions``) and a
rate-limit hit. Most requests read no database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from aiohttp import web

from jobwise.adapters.auth.tokens import Claims, TokenInvalid
from jobwise.domain.errors import Throttled, Unauthenticated
from jobwise.entrypoints.http.keys import AUTH, SETTINGS


@dataclass(frozen=True)
class CurrentUser:
    user_id: str
    session_id: str


CURRENT_USER = web.RequestKey("current_user", CurrentUser)


class SessionRevokedError(TokenInvalid):
    code, message = "session_revoked", "This session has ended; log in again."


class SessionUnknownError(TokenInvalid):
    code, message = "session_unknown", "This token's session or account no longer exists."


async def authenticate(request: web.Request) -> None:
    """The ``Api`` auth hook: sets ``current_user(request)`` or raises 401/429."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated(
            "Send an access token: Authorization: Bearer <token>.", challenge="Bearer"
        )
    claims = await verified_claims(request.app, token.strip())
    await charge_rate_limit(request.app, claims.sub)
    request[CURRENT_USER] = CurrentUser(claims.sub, claims.sid)


async def charge_rate_limit(app: web.Application, user_id: str) -> None:
    """Count one request of ``user_id``; ``RateLimited`` past their allowance."""
    limit = app[SETTINGS].rate_limit_per_minute
    decision = await app[AUTH].limiter.hit(f"user:{user_id}", limit, 60.0)
    if not decision.allowed:
        retry_after = max(1, math.ceil(decision.retry_after))
        raise Throttled(
            "Too many requests; slow down.", retry_after, details={"limit_per_minute": limit}
        )


async def verified_claims(app: web.Application, token: str) -> Claims:
    """The claims of a genuine access token whose session is live and not revoked.

    ``authenticate``'s checks, shared with the live-update streams, whose token
    may come in a query or a WebSocket message. Raises ``TokenInvalid`` (and its kinds).
    """
    auth = app[AUTH]
    claims = auth.tokens.decode(token, "access")
    if auth.revocations.is_revoked(claims.sid):
        raise SessionRevokedError()
    if not await auth.sessions.is_live(claims.sid, claims.sub):
        # Signed, but its session or user is gone (or never was): no one to act for.
        raise SessionUnknownError()
    return claims


def current_user(request: web.Request) -> CurrentUser:
    user: CurrentUser | None = request.get(CURRENT_USER)
    if user is None:
        raise Unauthenticated()  # a route declared without auth=True asked for a user
    return user
