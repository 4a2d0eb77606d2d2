"""Profile commands through the bus on the in-memory store."""

from __future__ import annotations

import asyncio

import pytest

from jobwise.application.commands.profiles import (
    AddItems,
    ChangeProfile,
    CreateProfile,
    DeleteProfile,
    RemoveItem,
)
from jobwise.domain.errors import NotFoundError, StaleVersion
from tests.unit.commands.conftest import Fast

ADA, GRACE = "user-ada", "user-grace"


async def create(fast: Fast, user: str = ADA, **components: list[dict[str, object]]) -> str:
    written = await fast.handle(
        CreateProfile(user, {"full_name": "Ada Lovelace"}, components=components)
    )
    return str(written.profile_id)


async def test_a_first_profile_is_created_active(fast: Fast) -> None:
    profile = await create(fast, skills=[{"category": "technical", "name": "Python"}])
    assert await fast.types(profile) == ["ProfileCreated", "SkillAdded", "ProfileActivated"]
    second = await create(fast)
    assert await fast.types(second) == ["ProfileCreated"]


async def test_a_stale_version_is_refused_with_the_current_one(fast: Fast) -> None:
    profile = await create(fast)
    await fast.handle(ChangeProfile(ADA, profile, {"professional_summary": "one"}, 1))
    with pytest.raises(StaleVersion) as stale:
        await fast.handle(ChangeProfile(ADA, profile, {"professional_summary": "two"}, 1))
    assert stale.value.details["current_version"] == 2


async def test_another_users_profile_is_not_found(fast: Fast) -> None:
    profile = await create(fast)
    with pytest.raises(NotFoundError):
        await fast.handle(ChangeProfile(GRACE, profile, {"professional_summary": "mine"}))
    with pytest.raises(NotFoundError):
        await fast.handle(RemoveItem(ADA, profile, "projects", "no-such-item"))


async def test_concurrent_writers_without_a_version_all_land(fast: Fast) -> None:
    profile = await create(fast)
    adds = [AddItems(ADA, profile, "projects", [{"name": f"p{n}"}]) for n in range(16)]
    await asyncio.gather(*(fast.handle(add) for add in adds))
    assert (await fast.types(profile)).count("ProjectAdded") == 16


async def test_one_command_is_one_revision_however_many_events(fast: Fast) -> None:
    profile = await create(fast)
    items = [{"name": "a"}, {"name": "b"}, {"name": "c"}]
    await fast.handle(AddItems(ADA, profile, "projects", items))
    revisions = [e.data["revision"] for e in await fast.store.read_stream(profile)]
    assert revisions == [1, 1, 2, 2, 2]


async def test_deleting_the_active_profile_activates_the_latest_other(fast: Fast) -> None:
    first, second, third = await create(fast), await create(fast), await create(fast)
    await fast.handle(ChangeProfile(ADA, second, {"professional_summary": "touched"}))
    await fast.handle(DeleteProfile(ADA, first))
    assert (await fast.types(second))[-1] == "ProfileActivated"
    assert "ProfileActivated" not in await fast.types(third)
