"""The user aggregate's session rules, and how the month resets the generation count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from jobwise.application.queries.history import redacted
from jobwise.application.queries.users import to_view
from jobwise.domain.user import (
    RefreshRefused,
    SessionRevoked,
    Tier,
    TierChanged,
    User,
)

LATER = datetime(2026, 12, 1, tzinfo=UTC)


def user_with_session() -> User:
    user = User.register("u-1", "ada@example.com", "Ada", "$argon2id$hash")
    user.start_session("s-1", "jti-1", LATER)
    user.mark_saved()
    return user


def test_a_refresh_rotates_the_sessions_token() -> None:
    user = user_with_session()
    user.refresh_session("s-1", "jti-1", "jti-2", LATER + timedelta(days=1))
    assert user.sessions["s-1"].refresh_jti == "jti-2"


def test_presenting_an_old_refresh_token_revokes_the_session() -> None:
    user = user_with_session()
    user.refresh_session("s-1", "jti-1", "jti-2", LATER)
    user.mark_saved()

    with pytest.raises(RefreshRefused, match="refresh_token_reused"):
        user.refresh_session("s-1", "jti-1", "jti-3", LATER)

    (revoked,) = user.pending_events()
    assert isinstance(revoked, SessionRevoked) and revoked.reason == "refresh_token_reused"
    assert user.sessions["s-1"].revoked
    with pytest.raises(RefreshRefused, match="session_revoked"):
        user.refresh_session("s-1", "jti-2", "jti-4", LATER)


def test_an_unknown_session_cannot_refresh() -> None:
    with pytest.raises(RefreshRefused, match="unknown_session"):
        user_with_session().refresh_session("nope", "jti-1", "jti-2", LATER)


def test_revoking_twice_records_once() -> None:
    user = user_with_session()
    user.revoke_session("s-1", "logout")
    user.revoke_session("s-1", "logout")
    assert len(user.pending_events()) == 1


def test_tiers_carry_their_monthly_generation_limits() -> None:
    user = user_with_session()
    user.change_tier(Tier.ENTERPRISE)
    user.change_tier(Tier.ENTERPRISE)
    (changed,) = user.pending_events()
    assert isinstance(changed, TierChanged) and changed.generations_limit is None


def test_generations_used_starts_again_each_calendar_month() -> None:
    document = {
        "_id": "u-1",
        "email": "a@b.co",
        "full_name": "A",
        "is_active": True,
        "is_verified": False,
        "subscription_tier": "free",
        "generations_used": 7,
        "generations_period": "2026-11",
        "generations_limit": 10,
        "created_at": LATER,
        "updated_at": LATER,
    }
    assert to_view(document, now=datetime(2026, 11, 30, tzinfo=UTC)).generations_used == 7
    assert to_view(document, now=datetime(2026, 12, 1, tzinfo=UTC)).generations_used == 0


def test_shown_history_masks_password_hashes() -> None:
    assert redacted({"email": "a@b.co", "password_hash": "$argon2id$x"}) == {
        "email": "a@b.co",
        "password_hash": "[redacted]",
    }
