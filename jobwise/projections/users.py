"""Users and their sessions, as queries and the per-request checks read them.

No password hash is projected: only login needs it, and login reads the
user's own stream.
"""

from __future__ import annotations

from collections.abc import Iterable

from pymongo import ASCENDING, IndexModel

from jobwise.domain.events import DomainEvent, RecordedEvent, topics_of
from jobwise.domain.quota import GenerationCounted, GenerationRefunded
from jobwise.domain.user import (
    PasswordChanged,
    SessionRefreshed,
    SessionRevoked,
    SessionStarted,
    TierChanged,
    UserRegistered,
)
from jobwise.projections.projection import Projection, ViewBatch

USERS = "users"
SESSIONS = "sessions"

_SESSION_EVENTS = (SessionStarted, SessionRefreshed, SessionRevoked)
_QUOTA_EVENTS = topics_of(GenerationCounted, GenerationRefunded)


class UsersProjection(Projection):
    name = "users"
    version = 1
    collections = {
        # Not unique here: the email reservation stream is what enforces uniqueness,
        # and a projection must never be able to jam on a duplicate.
        USERS: [IndexModel([("email_normalized", ASCENDING)], name="email")],
        SESSIONS: [
            IndexModel([("user_id", ASCENDING)], name="user"),
            IndexModel([("revoked", ASCENDING), ("revoked_at", ASCENDING)], name="revoked"),
        ],
    }
    handles = (
        topics_of(UserRegistered, PasswordChanged, TierChanged, *_SESSION_EVENTS) | _QUOTA_EVENTS
    )

    def keys(self, event: RecordedEvent) -> Iterable[tuple[str, str]]:
        if event.type in _QUOTA_EVENTS:
            return [(USERS, event.data["user_id"])]
        keys = [(USERS, event.stream_id)]
        if "session_id" in event.data:
            keys.append((SESSIONS, event.data["session_id"]))
        return keys

    async def apply(self, event: RecordedEvent, views: ViewBatch) -> None:
        typed = DomainEvent.from_recorded(event)
        if isinstance(typed, GenerationCounted | GenerationRefunded):
            await _count_generation(typed, views)
            return
        if isinstance(typed, UserRegistered):
            views.put(USERS, _new_user(typed, event))
            return
        user = await views.get(USERS, event.stream_id)
        if user is None:
            return
        user["updated_at"] = event.recorded_at
        if isinstance(typed, TierChanged):
            user["subscription_tier"] = typed.subscription_tier.value
            user["generations_limit"] = typed.generations_limit
        views.put(USERS, user)
        if isinstance(typed, _SESSION_EVENTS):
            await _apply_session(typed, event, views)


def _new_user(registered: UserRegistered, event: RecordedEvent) -> dict[str, object]:
    return {
        "_id": registered.user_id,
        "email": registered.email,
        "email_normalized": registered.email.strip().lower(),
        "full_name": registered.full_name,
        "is_active": True,
        "is_verified": False,
        "subscription_tier": registered.subscription_tier.value,
        "generations_used": 0,
        "generations_period": event.recorded_at.strftime("%Y-%m"),
        "generations_limit": registered.generations_limit,
        "created_at": event.recorded_at,
        "updated_at": event.recorded_at,
    }


async def _count_generation(
    typed: GenerationCounted | GenerationRefunded, views: ViewBatch
) -> None:
    """``generations_used`` of the month: counted at request, given back on a refund."""
    user = await views.get(USERS, typed.user_id)
    if user is None:
        return
    if isinstance(typed, GenerationCounted):
        if user.get("generations_period") != typed.period:
            user["generations_period"], user["generations_used"] = typed.period, 0
        user["generations_used"] += 1
    elif user.get("generations_period") == typed.period:
        user["generations_used"] = max(0, user["generations_used"] - 1)
    views.put(USERS, user)


async def _apply_session(
    typed: SessionStarted | SessionRefreshed | SessionRevoked,
    event: RecordedEvent,
    views: ViewBatch,
) -> None:
    if isinstance(typed, SessionStarted):
        views.put(
            SESSIONS,
            {
                "_id": typed.session_id,
                "user_id": event.stream_id,
                "revoked": False,
                "revoked_reason": None,
                "revoked_at": None,
                "expires_at": typed.expires_at,
                "started_at": event.recorded_at,
                "refreshed_at": None,
                "ip": event.metadata.model_extra.get("ip") if event.metadata.model_extra else None,
            },
        )
        return
    session = await views.get(SESSIONS, typed.session_id)
    if session is None:
        return
    if isinstance(typed, SessionRefreshed):
        session["refreshed_at"] = event.recorded_at
        session["expires_at"] = typed.expires_at
    else:
        session.update(revoked=True, revoked_reason=typed.reason, revoked_at=event.recorded_at)
    views.put(SESSIONS, session)
