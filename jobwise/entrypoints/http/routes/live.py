"""Live updates over HTTP: the WebSocket ``/api/v1/ws`` and the SSE stream of one generation.

Both are operations of ``routes`` (so they are in the OpenAPI document);
``install_live`` runs the process's ``LiveHub`` for as long as the app runs.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator

from aiohttp import web
from pydantic import BaseModel, Field

from jobwise.adapters.auth.tokens import TokenInvalid
from jobwise.application.queries.generations import owns_generation
from jobwise.domain.errors import (
    FieldProblem,
    Forbidden,
    InvalidInput,
    NotFoundError,
    Throttled,
    Unauthenticated,
)
from jobwise.entrypoints.http.api import Routes
from jobwise.entrypoints.http.auth import charge_rate_limit, verified_claims
from jobwise.entrypoints.http.keys import (
    AUTH,
    EVENTS,
    PUBSUB,
    READ_MODELS,
    SETTINGS,
    WEBSOCKETS,
)
from jobwise.entrypoints.http.middleware import origin_allowed
from jobwise.entrypoints.live.hub import LiveHub
from jobwise.entrypoints.live.protocol import TOO_MANY_SOCKETS, UNAUTHORIZED
from jobwise.entrypoints.live.sse import stream_generation
from jobwise.entrypoints.live.websocket import (
    Authenticate,
    AuthRefused,
    Identity,
    SocketPolicy,
    serve_websocket,
)

LIVE = web.AppKey("live", LiveHub)
TAGS = ["live updates"]
MAX_SEQ = 2**53

WS_DESCRIPTION = """\
Upgrades to a WebSocket that carries the caller's generation progress as it happens.

**Authenticate** with `?token=<access token>` or, within 5 seconds, a first message
`{"type": "auth", "token": "..."}`. A bad, expired or revoked token closes the socket
with code **4401**; no first message in time closes it with **4408**. Send another
`auth` message before the token expires to keep the socket (it is closed with 4401
when its token expires); a logout ends the socket at once, on every server.

**Client messages** (JSON text, at most 4 KiB each; a larger one closes with 1009):

* `{"type": "subscribe", "generation_id": "<id>", "after": 3}`: every update with
  `seq` > `after` (default 0: all of them) from the event store, then the live ones,
  with nothing lost or repeated at the seam. Answered `{"type": "subscribed", ...}`
  first; another user's (or an unknown) generation answers an `error` with code
  `not_found`.
* `{"type": "subscribe", "channel": "user"}`: every generation of the caller's as it
  runs (one started after you joined, from its first update).
* `{"type": "unsubscribe", "generation_id": "<id>"}` or `{"type": "unsubscribe",
  "channel": "user"}`; `{"type": "ping"}` answers `{"type": "pong"}`.

**Server messages**: `generation.progress` (`generation_id, seq, stage, stage_status,
percent, status, at`), `generation.completed` (`..., status, result {document_id,
pdf_url, match_score, ats_score}`), `generation.failed` (`..., status, error {code,
message}`); `authenticated`, `subscribed`, `unsubscribed`, `pong`; and `{"type":
"error", "error": {"code", "message", "details"}}` for a message the server cannot
act on (`malformed_json`, `unknown_type`, `invalid_message`, `not_found`,
`too_many_subscriptions`, `unavailable`); the socket stays open.

`seq` rises by one per update of a generation. Keep the last `seq` of each generation
and subscribe with `after` when you reconnect.

**Limits and close codes**: 20 sockets per user per server (4429), 100 subscriptions
per socket (`too_many_subscriptions`), binary frames (1003). A client that reads too
slowly for its queue of unsent updates is closed with **1013**: reconnect and
subscribe with `after`. The server pings every 30 s (a client that does not pong is
dropped) and closes every socket with 1001 when it shuts down.
"""

SSE_DESCRIPTION = """\
The updates of one generation as Server-Sent Events: `id:` is the update's `seq`,
`event:` its type (`generation.progress`, `generation.completed`, `generation.failed`),
`data:` the same JSON message as on the WebSocket. Every update after `Last-Event-ID`
(or `?after=`; neither: from the first) is replayed from the event store, then the
live ones follow. A comment line keeps the stream alive every 15 s. The stream ends
after the generation's last update; asked again after it, the answer is 204 (which
tells a browser's EventSource to stop reconnecting).

Authenticate with `Authorization: Bearer <token>`, or with `?token=` where the client
cannot send headers (a browser's EventSource). A revoked session's stream ends at once.
"""


class EventsQuery(BaseModel):
    after: int | None = Field(
        default=None, ge=0, le=MAX_SEQ, description="The last seq already seen (Last-Event-ID wins)"
    )
    token: str | None = Field(
        default=None, max_length=4096, description="Access token, for clients without headers"
    )


routes = Routes()


def install_live(app: web.Application) -> None:
    """Run the hub alongside the runtime (after it: the hub uses what it opened)."""
    app.cleanup_ctx.append(_hub)
    # First, before the factory's own GOING_AWAY pass: each stream's handler closes
    # it with a full closing handshake, all of them at once.
    app.on_shutdown.insert(0, _end_streams)


async def _hub(app: web.Application) -> AsyncIterator[None]:
    hub = LiveHub(app[PUBSUB], app[EVENTS])
    app[AUTH].revocations.on_revoked(hub.revoked)
    await hub.start()
    app[LIVE] = hub
    try:
        yield
    finally:
        await hub.stop()


async def _end_streams(app: web.Application) -> None:
    hub = app.get(LIVE)
    if hub is not None:
        await hub.shutdown()


@routes.route(
    "GET",
    "/api/v1/ws",
    status=101,
    media_type="application/json",
    tags=TAGS,
    errors=[400, 403],
    summary="Live updates over a WebSocket (subscribe to generations or to all of mine)",
    description=WS_DESCRIPTION,
)
async def live_websocket(request: web.Request) -> web.StreamResponse:
    settings = request.app[SETTINGS]
    # A page on another site must not ride a user's browser into this socket (the
    # token travels in the URL or a message, not a cookie, but the check costs nothing).
    if not origin_allowed(request, settings.cors_origins):
        raise Forbidden(
            "A page from this Origin may not open a live-update socket; allow it in CORS_ORIGINS.",
            code="origin_not_allowed",
        )
    policy = SocketPolicy(
        sockets_per_user=settings.live_sockets_per_user, queue_size=settings.live_queue_size
    )
    return await serve_websocket(
        request,
        request.app[LIVE],
        policy,
        _authenticator(request.app),
        functools.partial(_owns, request.app),
        on_open=request.app[WEBSOCKETS].add,
    )


@routes.route(
    "GET",
    "/api/v1/generations/{generation_id}/events",
    query=EventsQuery,
    media_type="text/event-stream",
    tags=TAGS,
    errors=[401, 404, 422, 429],
    summary="One generation's updates as Server-Sent Events (id: seq; Last-Event-ID resumes)",
    description=SSE_DESCRIPTION,
)
async def generation_events(request: web.Request, query: EventsQuery) -> web.StreamResponse:
    claims = await verified_claims(request.app, _token(request, query))
    await charge_rate_limit(request.app, claims.sub)
    generation_id = request.match_info["generation_id"]
    if not await _owns(request.app, claims.sub, generation_id):
        raise NotFoundError("Generation not found.", details={"generation_id": generation_id})
    return await stream_generation(
        request,
        request.app[LIVE],
        claims.sub,
        claims.sid,
        generation_id,
        _resume_after(request, query),
        request.app[SETTINGS].live_queue_size,
    )


def _token(request: web.Request, query: EventsQuery) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    if query.token:
        return query.token
    raise Unauthenticated(
        "Send an access token: Authorization: Bearer <token> (or ?token=).", challenge="Bearer"
    )


def _resume_after(request: web.Request, query: EventsQuery) -> int:
    raw = request.headers.get("Last-Event-ID")
    if raw is None or not raw.strip():
        return query.after or 0
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or int(text) > MAX_SEQ:
        raise InvalidInput(
            None,
            [
                FieldProblem(
                    "Last-Event-ID",
                    "must be a seq: a whole number, 0 or more",
                    "int_parsing",
                    "header",
                )
            ],
        )
    return int(text)


def _authenticator(app: web.Application) -> Authenticate:
    async def authenticate(token: str) -> Identity:
        try:
            claims = await verified_claims(app, token)
            await charge_rate_limit(app, claims.sub)
        except TokenInvalid as invalid:
            raise AuthRefused(UNAUTHORIZED, invalid.code) from None
        except Throttled:
            raise AuthRefused(TOO_MANY_SOCKETS, "rate_limited") from None
        return Identity(claims.sub, claims.sid, claims.exp)

    return authenticate


async def _owns(app: web.Application, user_id: str, generation_id: str) -> bool:
    return await owns_generation(app[READ_MODELS].database, app[EVENTS], user_id, generation_id)
