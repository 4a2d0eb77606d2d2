"""Account commands through the bus on the in-memory store."""

from __future__ import annotations

import asyncio

import pytest

from jobwise.adapters.auth.tokens import TokenInvalid
from jobwise.application.commands.auth import (
    Client,
    EmailTaken,
    LogIn,
    LogOut,
    RefreshSession,
    RegisterUser,
)
from jobwise.domain.errors import Throttled, Unauthenticated
from tests.unit.commands.conftest import Fast

PASSWORD = "Correct-Horse-9"
HOME = Client(ip="203.0.113.7")


async def test_registering_reserves_the_email_and_starts_a_session(fast: Fast) -> None:
    issued = await fast.handle(RegisterUser("Ada@Example.com", PASSWORD, "Ada", HOME))
    assert await fast.types(issued.user_id) == ["UserRegistered", "SessionStarted"]
    with pytest.raises(EmailTaken):
        await fast.handle(RegisterUser("ada@example.com", PASSWORD, "Other Ada", HOME))


async def test_concurrent_guesses_get_five_checks(fast: Fast) -> None:
    await fast.handle(RegisterUser("ada@example.com", PASSWORD, "Ada", HOME))
    guesses = [fast.handle(LogIn("ada@example.com", f"Wrong-{n}", HOME)) for n in range(20)]
    outcomes = await asyncio.gather(*guesses, return_exceptions=True)
    assert sum(isinstance(o, Unauthenticated) for o in outcomes) == 5
    assert sum(isinstance(o, Throttled) for o in outcomes) == 15
    with pytest.raises(Throttled):
        await fast.handle(LogIn("ada@example.com", PASSWORD, HOME))


async def test_a_reused_refresh_token_ends_the_session(fast: Fast) -> None:
    issued = await fast.handle(RegisterUser("ada@example.com", PASSWORD, "Ada", HOME))
    fresh = await fast.handle(RefreshSession(issued.tokens.refresh_token, HOME))
    with pytest.raises(TokenInvalid):
        await fast.handle(RefreshSession(issued.tokens.refresh_token, HOME))
    assert (await fast.types(issued.user_id))[-1] == "SessionRevoked"
    with pytest.raises(TokenInvalid):
        await fast.handle(RefreshSession(fresh.tokens.refresh_token, HOME))


async def test_logging_out_revokes_at_once(fast: Fast) -> None:
    issued = await fast.handle(RegisterUser("ada@example.com", PASSWORD, "Ada", HOME))
    claims = fast.tokens.decode(issued.tokens.access_token, "access")
    await fast.handle(LogOut(issued.user_id, claims.sid, HOME))
    assert fast.revocations.is_revoked(claims.sid)
    assert (await fast.types(issued.user_id))[-1] == "SessionRevoked"
