"""The users read model: each account, its monthly generations, and its sessions."""

from __future__ import annotations

import pytest

from jobwise.adapters.auth.tokens import TokenInvalid
from jobwise.application.commands.auth import LogIn, LogOut, RefreshSession
from jobwise.application.commands.generations import DeleteGeneration, RequestGeneration
from jobwise.application.repository import metadata_for
from jobwise.domain.user import SessionRefreshed, Tier, User
from jobwise.projections.users import SESSIONS, USERS, UsersProjection
from tests.support.projections import MemoryRunner, assert_rebuilds_alike, following, project
from tests.unit.commands.conftest import Fast
from tests.unit.projections.scenario import (
    HOME,
    PASSWORD,
    failed,
    new_job,
    new_profile,
    register,
    session_of,
)


async def users(fast: Fast) -> MemoryRunner:
    return await project(UsersProjection(), fast.store)


async def test_a_registered_user_is_projected_without_the_password(fast: Fast) -> None:
    issued = await register(fast, " Ada@Example.COM ")
    registered = (await fast.store.read_stream(issued.user_id))[0]
    at = registered.recorded_at

    user = (await users(fast)).get(USERS, issued.user_id)

    assert user == {
        "_id": issued.user_id,
        "email": "Ada@Example.COM",
        "email_normalized": "ada@example.com",
        "full_name": "Ada",
        "is_active": True,
        "is_verified": False,
        "subscription_tier": "free",
        "generations_used": 0,
        "generations_period": at.strftime("%Y-%m"),
        "generations_limit": 10,
        "created_at": at,
        "updated_at": user["updated_at"],
    }
    assert user["updated_at"] >= at  # moved on by the session the registration started


async def test_a_session_is_started_refreshed_and_revoked(fast: Fast) -> None:
    issued = await register(fast)
    session_id = session_of(fast, issued)
    runner = await users(fast)
    started = runner.get(SESSIONS, session_id)
    assert started["user_id"] == issued.user_id
    assert (started["revoked"], started["refreshed_at"], started["ip"]) == (
        False,
        None,
        HOME.ip,
    )

    await fast.handle(RefreshSession(issued.tokens.refresh_token, HOME))
    await runner.catch_up(fast.store)
    refreshed_event = (await fast.store.read_stream(issued.user_id))[-1]
    refreshed = runner.get(SESSIONS, session_id)
    assert refreshed["refreshed_at"] == refreshed_event.recorded_at
    expires_at = SessionRefreshed.model_validate(refreshed_event.data).expires_at
    assert refreshed["expires_at"] == expires_at
    assert refreshed["started_at"] == started["started_at"]

    await fast.handle(LogOut(issued.user_id, session_id, HOME))
    await runner.catch_up(fast.store)
    revoked_event = (await fast.store.read_stream(issued.user_id))[-1]
    revoked = runner.get(SESSIONS, session_id)
    assert (revoked["revoked"], revoked["revoked_reason"]) == (True, "logout")
    assert revoked["revoked_at"] == revoked_event.recorded_at
    assert runner.get(USERS, issued.user_id)["updated_at"] == revoked_event.recorded_at


async def test_a_reused_refresh_token_revokes_its_session(fast: Fast) -> None:
    issued = await register(fast)
    await fast.handle(RefreshSession(issued.tokens.refresh_token, HOME))
    with pytest.raises(TokenInvalid):
        await fast.handle(RefreshSession(issued.tokens.refresh_token, HOME))
    revoked = (await users(fast)).get(SESSIONS, session_of(fast, issued))
    assert revoked["revoked"] is True
    assert (
        revoked["revoked_reason"]
        == (await fast.store.read_stream(issued.user_id))[-1].data["reason"]
    )


async def test_each_login_is_its_own_session_of_its_user(fast: Fast) -> None:
    ada, grace = await register(fast), await register(fast, "grace@example.com")
    again = await fast.handle(LogIn("ada@example.com", PASSWORD, HOME))

    sessions = (await users(fast)).view(SESSIONS)

    owners = {sid: s["user_id"] for sid, s in sessions.items()}
    assert owners == {
        session_of(fast, ada): ada.user_id,
        session_of(fast, again): ada.user_id,
        session_of(fast, grace): grace.user_id,
    }


async def test_a_tier_change_sets_the_tier_and_its_limit(fast: Fast) -> None:
    issued = await register(fast)
    await fast.repository.change(
        User, issued.user_id, lambda u: u.change_tier(Tier.ENTERPRISE), metadata_for("admin", None)
    )
    user = (await users(fast)).get(USERS, issued.user_id)
    assert (user["subscription_tier"], user["generations_limit"]) == ("enterprise", None)


async def test_generations_are_counted_and_given_back_when_they_make_nothing(
    fast: Fast,
) -> None:
    ada = (await register(fast)).user_id
    profile, job = await new_profile(fast, ada), await new_job(fast, ada)
    runner = await users(fast)

    await fast.handle(RequestGeneration(ada, profile, job, "resume"))
    cancelled = await fast.handle(RequestGeneration(ada, profile, job, "resume"))
    broken = await fast.handle(RequestGeneration(ada, profile, job, "resume"))
    await runner.catch_up(fast.store)
    assert runner.get(USERS, ada)["generations_used"] == 3

    await fast.handle(DeleteGeneration(ada, cancelled))
    await failed(fast, broken, ada)
    await runner.catch_up(fast.store)
    assert runner.get(USERS, ada)["generations_used"] == 1


async def test_a_rebuild_gives_the_same_users_and_sessions(fast: Fast) -> None:
    async with following(UsersProjection(), fast.store) as live:
        issued = await register(fast)
        await register(fast, "grace@example.com")
        await fast.handle(RefreshSession(issued.tokens.refresh_token, HOME))
        await fast.handle(LogOut(issued.user_id, session_of(fast, issued), HOME))
        profile, job = await new_profile(fast, issued.user_id), await new_job(fast, issued.user_id)
        asked = await fast.handle(RequestGeneration(issued.user_id, profile, job, "resume"))
        await fast.handle(DeleteGeneration(issued.user_id, asked))
    await assert_rebuilds_alike(live, fast.store)
