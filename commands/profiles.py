"""Profile commands: create, change, add/update/remove component items, delete.

Every handler loads the profile from its stream, lets the aggregate check the
caller and ``If-Match``, appends with the loaded stream version (so two
concurrent writers cannot both win) and returns once the read model has it. A
writer that named no version and lost a race tries again on the fresh profile.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from commands.saving import ReadYourWrites, last_writer_wins, metadata_for, save
from jobwise.domain.events import new_id
from jobwise.domain.profile import Profile
from jobwise.errors import VersionConflict
from jobwise.eventstore import ConcurrencyError, EventStore
from jobwise.messagebus import Handler

ActiveProfileOf = Callable[[str], Awaitable[str | None]]
LatestProfileOf = Callable[[str, str], Awaitable[str | None]]
"""(user, excluding) -> the user's most recently updated other profile, if any."""
T = TypeVar("T")


@dataclass(frozen=True)
class CreateProfile:
    user_id: str
    personal_info: dict[str, Any]
    professional_summary: str | None = None
    custom_fields: dict[str, Any] = field(default_factory=dict)
    components: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    request_id: str | None = None


@dataclass(frozen=True)
class ChangeProfile:
    user_id: str
    profile_id: str
    changes: dict[str, Any]
    expected_version: int | None = None
    request_id: str | None = None
    components: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Components replaced whole (PUT): items matched to the stored ones by ``id``."""


@dataclass(frozen=True)
class AddItems:
    user_id: str
    profile_id: str
    component: str
    items: list[dict[str, Any]]
    expected_version: int | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class UpdateItem:
    user_id: str
    profile_id: str
    component: str
    item_id: str
    fields: dict[str, Any]
    expected_version: int | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class RemoveItem:
    user_id: str
    profile_id: str
    component: str
    item_id: str
    expected_version: int | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class DeleteProfile:
    user_id: str
    profile_id: str
    expected_version: int | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class ProfileWritten:
    profile_id: str
    item_ids: list[str] = field(default_factory=list)


async def create_profile(
    command: CreateProfile,
    store: EventStore,
    read_your_writes: ReadYourWrites,
    active_profile_of: ActiveProfileOf,
) -> ProfileWritten:
    # The first profile a user makes becomes the active one.
    activate = await active_profile_of(command.user_id) is None
    profile = Profile.create(
        new_id(),
        command.user_id,
        command.personal_info,
        command.professional_summary,
        command.custom_fields,
        command.components,
        activate,
    )
    await save(profile, store, read_your_writes, metadata_for(command.user_id, command.request_id))
    return ProfileWritten(profile.id)


async def change_profile(
    command: ChangeProfile, store: EventStore, read_your_writes: ReadYourWrites
) -> ProfileWritten:
    def change(profile: Profile) -> None:
        profile.update(command.changes)
        for component, items in command.components.items():
            profile.replace_items(component, items)

    await _write(command, store, read_your_writes, change)
    return ProfileWritten(command.profile_id)


async def add_items(
    command: AddItems, store: EventStore, read_your_writes: ReadYourWrites
) -> ProfileWritten:
    ids = await _write(
        command, store, read_your_writes, lambda p: p.add_items(command.component, command.items)
    )
    return ProfileWritten(command.profile_id, ids)


async def update_item(
    command: UpdateItem, store: EventStore, read_your_writes: ReadYourWrites
) -> ProfileWritten:
    await _write(
        command,
        store,
        read_your_writes,
        lambda p: p.update_item(command.component, command.item_id, command.fields),
    )
    return ProfileWritten(command.profile_id, [command.item_id])


async def remove_item(
    command: RemoveItem, store: EventStore, read_your_writes: ReadYourWrites
) -> ProfileWritten:
    await _write(
        command,
        store,
        read_your_writes,
        lambda p: p.remove_item(command.component, command.item_id),
    )
    return ProfileWritten(command.profile_id)


async def delete_profile(
    command: DeleteProfile,
    store: EventStore,
    read_your_writes: ReadYourWrites,
    active_profile_of: ActiveProfileOf,
    latest_profile_of: LatestProfileOf,
) -> ProfileWritten:
    was_active = await active_profile_of(command.user_id) == command.profile_id
    await _write(command, store, read_your_writes, lambda p: p.delete())
    if was_active:
        # A user with profiles always has an active one: the most recently updated.
        successor = await latest_profile_of(command.user_id, command.profile_id)
        if successor is not None:
            activate = ChangeProfile(
                command.user_id, successor, {"is_active": True}, request_id=command.request_id
            )
            await _write(activate, store, read_your_writes, lambda p: p.update(activate.changes))
    return ProfileWritten(command.profile_id)


class _ProfileWrite(Protocol):
    @property
    def user_id(self) -> str: ...
    @property
    def profile_id(self) -> str: ...
    @property
    def expected_version(self) -> int | None: ...
    @property
    def request_id(self) -> str | None: ...


async def _write(
    command: _ProfileWrite,
    store: EventStore,
    read_your_writes: ReadYourWrites,
    change: Callable[[Profile], T],
) -> T:
    """Load the caller's profile, ``change`` it, save: retried on a lost race unless the
    caller named a version; a stale one is a 409 with the profile's current version."""

    async def attempt() -> T:
        profile = Profile.from_history(
            command.profile_id, await store.read_stream(command.profile_id)
        )
        profile.check(command.user_id, command.expected_version)
        result = change(profile)
        await save(
            profile, store, read_your_writes, metadata_for(command.user_id, command.request_id)
        )
        return result

    try:
        return await last_writer_wins(attempt, command.expected_version)
    except ConcurrencyError:
        current = Profile.from_history(
            command.profile_id, await store.read_stream(command.profile_id)
        )
        raise VersionConflict(
            details={"profile_id": command.profile_id, "current_version": current.revision}
        ) from None


HANDLERS: dict[type, Handler] = {
    CreateProfile: create_profile,
    ChangeProfile: change_profile,
    AddItems: add_items,
    UpdateItem: update_item,
    RemoveItem: remove_item,
    DeleteProfile: delete_profile,
}
