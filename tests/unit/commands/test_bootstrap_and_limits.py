"""One bootstrap for every tier, and the allowances the handlers enforce.

The rules (registrations an hour per address, generations an hour per user, the
tier's monthly generations) live in the handlers, not in the wiring: the bus
``bootstrap()`` builds enforces them with nothing else around it.
"""

from __future__ import annotations

import pytest

from jobwise.application.commands.auth import Client, RegisterUser
from jobwise.application.commands.generations import RequestGeneration
from jobwise.application.commands.jobs import CreateJob
from jobwise.application.commands.profiles import CreateProfile, DeleteProfile
from jobwise.application.limits import Limits
from jobwise.application.messagebus import CommandBus
from jobwise.bootstrap import bootstrap
from jobwise.domain.errors import Throttled
from jobwise.domain.events import utc_now
from jobwise.domain.quota import period_of, quota_stream

PASSWORD = "Correct-Horse-9"


async def _user(bus: CommandBus, n: int = 0, ip: str = "203.0.113.7") -> str:
    issued = await bus.handle(RegisterUser(f"u{n}@example.com", PASSWORD, "Ada", Client(ip=ip)))
    return str(issued.user_id)


async def _ready_to_generate(bus: CommandBus) -> tuple[str, str, str]:
    user_id = await _user(bus)
    profile = await bus.handle(CreateProfile(user_id, {"full_name": "Ada Lovelace"}))
    job = await bus.handle(CreateJob(user_id, {"source": "x", "title": "Engineer"}))
    return user_id, profile.profile_id, str(job)


def test_an_unknown_dependency_is_refused_at_once() -> None:
    with pytest.raises(TypeError, match="registration_limit"):
        bootstrap(registration_limit=None)


async def test_the_bare_bus_works_on_its_in_process_defaults() -> None:
    bus = bootstrap()
    user_id = await _user(bus)
    first = await bus.handle(CreateProfile(user_id, {"full_name": "Ada"}))
    second = await bus.handle(CreateProfile(user_id, {"full_name": "Ada B"}))
    directory = bus.dependencies["profile_directory"]
    # The directory read from the log: the first profile is the active one...
    assert await directory.active_profile_of(user_id) == first.profile_id
    # ...and deleting it activates the other (ProfileActivated recorded on it).
    await bus.handle(DeleteProfile(user_id, first.profile_id))
    assert await directory.active_profile_of(user_id) == second.profile_id
    store = bus.dependencies["store"]
    assert "ProfileActivated" in [e.type for e in await store.read_stream(second.profile_id)]


async def test_registrations_past_the_hourly_allowance_of_an_address_are_refused() -> None:
    bus = bootstrap(limits=Limits(registrations_per_hour=2))
    await _user(bus, 1)
    await _user(bus, 2)
    with pytest.raises(Throttled) as refused:
        await _user(bus, 3)
    assert refused.value.details["per_hour"] == 2
    await _user(bus, 4, ip="198.51.100.9")  # another address has its own allowance


async def test_generations_past_the_hourly_allowance_of_a_user_are_refused() -> None:
    bus = bootstrap(limits=Limits(generations_per_hour=1))
    user_id, profile_id, job_id = await _ready_to_generate(bus)
    await bus.handle(RequestGeneration(user_id, profile_id, job_id, "resume"))
    with pytest.raises(Throttled, match="At most 1 generations an hour"):
        await bus.handle(RequestGeneration(user_id, profile_id, job_id, "resume"))


async def test_the_monthly_limit_is_the_users_tier_as_the_log_tells_it() -> None:
    bus = bootstrap()
    user_id, profile_id, job_id = await _ready_to_generate(bus)
    await bus.handle(RequestGeneration(user_id, profile_id, job_id, "cover_letter"))
    store = bus.dependencies["store"]
    [counted] = await store.read_stream(quota_stream(user_id, period_of(utc_now())))
    assert counted.data["limit"] == 10  # the free tier's monthly generations
