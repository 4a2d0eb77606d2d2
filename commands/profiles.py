"""Profile commands: create, change, add/update/remove component items, delete.

Every handler loads the profile from its stream, lets the aggregate check the
caller and ``If-Match``, appends with the loaded stream version (so two
concurrent writers cannot both win) and returns once the read model has it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from commands.saving import ReadYourWrites, metadata_for, save
from jobwise.domain.events import new_id
from jobwise.domain.profile import Profile
from jobwise.errors import VersionConflict
from jobwise.eventstore import ConcurrencyError, EventStore
from jobwise.messagebus import Handler

ActiveProfileOf = Callable[[str], Awaitable[str | None]]


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
    await _save(profile, store, read_your_writes, command.user_id, command.request_id)
    return ProfileWritten(profile.id)


async def change_profile(
    command: ChangeProfile, store: EventStore, read_your_writes: ReadYourWrites
) -> ProfileWritten:
    profile = await _load(store, command.profile_id, command.user_id, command.expected_version)
    profile.update(command.changes)
    await _save(profile, store, read_your_writes, command.user_id, command.request_id)
    return ProfileWritten(profile.id)


async def add_items(
    command: AddItems, store: EventStore, read_your_writes: ReadYourWrites
) -> ProfileWritten:
    profile = await _load(store, command.profile_id, command.user_id, command.expected_version)
    ids = profile.add_items(command.component, command.items)
    await _save(profile, store, read_your_writes, command.user_id, command.request_id)
    return ProfileWritten(profile.id, ids)


async def update_item(
    command: UpdateItem, store: EventStore, read_your_writes: ReadYourWrites
) -> ProfileWritten:
    profile = await _load(store, command.profile_id, command.user_id, command.expected_version)
    profile.update_item(command.component, command.item_id, command.fields)
    await _save(profile, store, read_your_writes, command.user_id, command.request_id)
    return ProfileWritten(profile.id, [command.item_id])


async def remove_item(
    command: RemoveItem, store: EventStore, read_your_writes: ReadYourWrites
) -> ProfileWritten:
    profile = await _load(store, command.profile_id, command.user_id, command.expected_version)
    profile.remove_item(command.component, command.item_id)
    await _save(profile, store, read_your_writes, command.user_id, command.request_id)
    return ProfileWritten(profile.id)


async def delete_profile(
    command: DeleteProfile, store: EventStore, read_your_writes: ReadYourWrites
) -> ProfileWritten:
    profile = await _load(store, command.profile_id, command.user_id, command.expected_version)
    profile.delete()
    await _save(profile, store, read_your_writes, command.user_id, command.request_id)
    return ProfileWritten(profile.id)


async def _load(
    store: EventStore, profile_id: str, user_id: str, expected_version: int | None
) -> Profile:
    profile = Profile.from_history(profile_id, await store.read_stream(profile_id))
    profile.check(user_id, expected_version)
    return profile


async def _save(
    profile: Profile,
    store: EventStore,
    read_your_writes: ReadYourWrites,
    user_id: str,
    request_id: str | None,
) -> None:
    try:
        await save(profile, store, read_your_writes, metadata_for(user_id, request_id))
    except ConcurrencyError:
        current = Profile.from_history(profile.id, await store.read_stream(profile.id))
        raise VersionConflict(
            details={"profile_id": profile.id, "current_version": current.revision}
        ) from None


HANDLERS: dict[type, Handler] = {
    CreateProfile: create_profile,
    ChangeProfile: change_profile,
    AddItems: add_items,
    UpdateItem: update_item,
    RemoveItem: remove_item,
    DeleteProfile: delete_profile,
}
