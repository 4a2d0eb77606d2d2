"""Deleting an account through the bus, on the in-memory store: crypto-shredding."""

from __future__ import annotations

import json

import pytest

from jobwise.adapters.keys import Keyring
from jobwise.application.commands.account import DeleteAccount
from jobwise.application.commands.auth import Client, LogIn, RefreshSession, RegisterUser
from jobwise.application.commands.profiles import CreateProfile
from jobwise.domain.erasure import (
    AccountErasedError,
    WrongPassword,
    erasure_stream,
    is_erased,
)
from jobwise.domain.errors import Throttled, Unauthenticated
from jobwise.domain.events import EventMetadata, RecordedEvent
from jobwise.domain.profile import Profile
from jobwise.domain.user import EmailReserved, User, email_stream
from tests.unit.commands.conftest import Fast

PASSWORD = "Correct-Horse-9"
HOME = Client(ip="203.0.113.7", user_agent="Firefox/140 (Ada's laptop)")
SECRETS = ("ada@example.com", "Ada Lovelace", "Analytical Engine", "203.0.113.7", "Ada's laptop")


async def ada_with_a_profile(fast: Fast) -> str:
    issued = await fast.handle(RegisterUser("Ada@Example.com", PASSWORD, "Ada Lovelace", HOME))
    await fast.handle(
        CreateProfile(
            issued.user_id,
            {"full_name": "Ada Lovelace", "email": "ada@example.com"},
            "Wrote the first program, for the Analytical Engine.",
        )
    )
    return str(issued.user_id)


async def everything_stored(fast: Fast) -> list[RecordedEvent]:
    return await fast.raw.read_all(0, 10_000)


def stored_text(events: list[RecordedEvent]) -> str:
    return "\n".join(json.dumps(e.model_dump(mode="json"), ensure_ascii=False) for e in events)


async def test_personal_data_is_sealed_in_the_log_and_opens_through_the_store(fast: Fast) -> None:
    user_id = await ada_with_a_profile(fast)
    raw = stored_text(await everything_stored(fast))
    for secret in SECRETS:
        assert secret not in raw  # neither the data, the address nor the stream ids
    user = await fast.repository.load(User, user_id)
    assert (user.email, user.full_name) == ("Ada@Example.com", "Ada Lovelace")
    (registered, *_rest) = await fast.store.read_stream(user_id)
    assert registered.metadata.model_extra == {"ip": "203.0.113.7", "user_agent": HOME.user_agent}


async def test_deleting_erases_the_account_and_frees_the_address(fast: Fast) -> None:
    user_id = await ada_with_a_profile(fast)
    issued = await fast.handle(LogIn("ada@example.com", PASSWORD, HOME))
    await fast.handle(DeleteAccount(user_id, PASSWORD, HOME))

    assert await fast.types(erasure_stream(user_id)) == ["AccountErasureStarted", "AccountErased"]
    opened = await fast.store.read_all(0, 10_000)
    mine = [e for e in opened if e.metadata.user_id == user_id]
    kept = {"AccountErasureStarted", "EmailReleased", "AccountErased"}
    assert all(is_erased(e) for e in mine if e.type not in kept)
    assert all(e.data == {} for e in mine if e.type not in kept)
    text = stored_text(opened)
    for secret in SECRETS:
        assert secret not in text
    with pytest.raises(Unauthenticated):
        await fast.handle(LogIn("ada@example.com", PASSWORD, HOME))
    with pytest.raises(Unauthenticated):
        await fast.handle(RefreshSession(issued.tokens.refresh_token, HOME))
    again = await fast.handle(RegisterUser("ada@example.com", PASSWORD, "Ada, again", HOME))
    assert again.user_id != user_id


async def test_nothing_more_can_be_written_for_an_erased_user(fast: Fast) -> None:
    user_id = await ada_with_a_profile(fast)
    await fast.handle(DeleteAccount(user_id, PASSWORD, HOME))
    with pytest.raises(AccountErasedError):
        await fast.handle(CreateProfile(user_id, {"full_name": "Ghost"}, "Back from the dead"))
    await fast.handle(DeleteAccount(user_id, "any password", HOME))  # done already: no-op
    assert await fast.types(erasure_stream(user_id)) == ["AccountErasureStarted", "AccountErased"]


async def test_an_erased_stream_loads_as_empty_at_its_own_version(fast: Fast) -> None:
    user_id = await ada_with_a_profile(fast)
    (profile_stream,) = {
        e.stream_id for e in await everything_stored(fast) if e.stream_type == "profile"
    }
    before = await fast.repository.load(Profile, profile_stream)
    await fast.handle(DeleteAccount(user_id, PASSWORD, HOME))
    after = await fast.repository.load(Profile, profile_stream)
    assert after.version == before.version
    assert after.personal_info == {}


async def test_a_wrong_password_erases_nothing_and_five_lock_the_deletion(fast: Fast) -> None:
    user_id = await ada_with_a_profile(fast)
    for attempt in range(5):
        with pytest.raises(WrongPassword):
            await fast.handle(DeleteAccount(user_id, f"Wrong-Horse-{attempt}", HOME))
    with pytest.raises(Throttled):
        await fast.handle(DeleteAccount(user_id, PASSWORD, HOME))
    assert await fast.types(erasure_stream(user_id)) == []
    assert (await fast.handle(LogIn("ada@example.com", PASSWORD, HOME))).user_id == user_id


async def test_another_users_data_stays_readable(fast: Fast) -> None:
    ada = await ada_with_a_profile(fast)
    bob = await fast.handle(RegisterUser("bob@example.com", PASSWORD, "Bob Babbage", HOME))
    await fast.handle(DeleteAccount(ada, PASSWORD, HOME))
    user = await fast.repository.load(User, bob.user_id)
    assert user.full_name == "Bob Babbage"
    assert (await fast.handle(LogIn("bob@example.com", PASSWORD, HOME))).user_id == bob.user_id


async def test_an_interrupted_erasure_finishes_when_run_again(fast: Fast) -> None:
    user_id = await ada_with_a_profile(fast)
    eraser = fast.bus.dependencies["account_eraser"]
    keyring: Keyring = fast.bus.dependencies["keyring"]
    await eraser.start(user_id, "email-h-unknown", None)  # crashed right after this
    assert await keyring.key_to_open(user_id) is not None
    assert await eraser.run(user_id)
    assert await keyring.key_to_open(user_id) is None
    assert await fast.types(erasure_stream(user_id)) == ["AccountErasureStarted", "AccountErased"]
    assert await eraser.run(user_id)  # once more: nothing new
    assert await fast.types(erasure_stream(user_id)) == ["AccountErasureStarted", "AccountErased"]


async def test_a_retried_deletion_finishes_one_that_stopped_midway(fast: Fast) -> None:
    user_id = await ada_with_a_profile(fast)
    eraser = fast.bus.dependencies["account_eraser"]
    await eraser.start(user_id, "email-h-unknown", None)
    await fast.bus.dependencies["keyring"].destroy(user_id)  # then the process died
    await fast.handle(DeleteAccount(user_id, PASSWORD, HOME))
    assert await fast.types(erasure_stream(user_id)) == ["AccountErasureStarted", "AccountErased"]


async def test_an_account_from_before_sealing_is_erased_for_every_reader(fast: Fast) -> None:
    """Its events were stored in the clear (and its address names its stream): they stay
    in the log, but open as erased, and the address is free again."""
    user_id, hasher = "legacy-ada", fast.bus.dependencies["hasher"]
    metadata = EventMetadata(user_id=user_id)
    reserved = EmailReserved(email="ada@example.com", user_id=user_id)
    await fast.raw.append(email_stream("ada@example.com"), [reserved.to_new_event()], 0,
                          stream_type="email_reservation", metadata=metadata)  # fmt: skip
    user = User.register(user_id, "ada@example.com", "Ada Lovelace", await hasher.hash(PASSWORD))
    await fast.raw.append(user_id, [e.to_new_event() for e in user.pending_events()], 0,
                          stream_type="user", metadata=metadata)  # fmt: skip
    assert (await fast.handle(LogIn("ada@example.com", PASSWORD, HOME))).user_id == user_id

    await fast.handle(DeleteAccount(user_id, PASSWORD, HOME))

    assert all(is_erased(e) for e in await fast.store.read_stream(user_id))
    with pytest.raises(Unauthenticated):
        await fast.handle(LogIn("ada@example.com", PASSWORD, HOME))
    again = await fast.handle(RegisterUser("ada@example.com", PASSWORD, "Ada, again", HOME))
    assert again.user_id != user_id
