"""Profile commands: create, change, add/update/remove component items, delete.

Every handler changes the profile through the repository: the aggregate checks
the caller and ``If-Match``, the append is made at the loaded stream version,
writers of one profile take turns, and the handler returns once the read model
has the change (see ``jobwise.application.repository`` for the race policy).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from jobwise.application.messagebus import Handler
from jobwise.application.queries.profile_directory import ProfileDirectory
from jobwise.application.repository import Repository, metadata_for
from jobwise.domain.events import new_id
from jobwise.domain.profile import Profile

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
    wrote: bool = True
    """False when the command changed nothing (so nothing was appended)."""


async def create_profile(
    command: CreateProfile, repository: Repository, profile_directory: ProfileDirectory
) -> ProfileWritten:
    # The first profile a user makes becomes the active one.
    activate = await profile_directory.active_profile_of(command.user_id) is None
    profile = Profile.create(
        new_id(),
        command.user_id,
        command.personal_info,
        command.professional_summary,
        command.custom_fields,
        command.components,
        activate,
    )
    await repository.save(profile, metadata_for(command.user_id, command.request_id))
    return ProfileWritten(profile.id)


async def change_profile(command: ChangeProfile, repository: Repository) -> ProfileWritten:
    def change(profile: Profile) -> None:
        profile.update(command.changes)
        for component, items in command.components.items():
            profile.replace_items(component, items)

    _, wrote = await _write(command, repository, change)
    return ProfileWritten(command.profile_id, wrote=wrote)


async def add_items(command: AddItems, repository: Repository) -> ProfileWritten:
    ids, _ = await _write(
        command, repository, lambda p: p.add_items(command.component, command.items)
    )
    return ProfileWritten(command.profile_id, ids)


async def update_item(command: UpdateItem, repository: Repository) -> ProfileWritten:
    _, wrote = await _write(
        command,
        repository,
        lambda p: p.update_item(command.component, command.item_id, command.fields),
    )
    return ProfileWritten(command.profile_id, [command.item_id], wrote)


async def remove_item(command: RemoveItem, repository: Repository) -> ProfileWritten:
    await _write(command, repository, lambda p: p.remove_item(command.component, command.item_id))
    return ProfileWritten(command.profile_id)


async def delete_profile(
    command: DeleteProfile,
    repository: Repository,
    profile_directory: ProfileDirectory,
) -> ProfileWritten:
    was_active = await profile_directory.active_profile_of(command.user_id) == command.profile_id
    await _write(command, repository, lambda p: p.delete())
    if was_active:
        # A user with profiles always has an active one: the most recently updated.
        successor = await profile_directory.latest_profile_of(command.user_id, command.profile_id)
        if successor is not None:
            activate = ChangeProfile(
                command.user_id, successor, {"is_active": True}, request_id=command.request_id
            )
            await _write(activate, repository, lambda p: p.update(activate.changes))
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
    command: _ProfileWrite, repository: Repository, change: Callable[[Profile], T]
) -> tuple[T, bool]:
    """Change the caller's profile: another user's is not found, a stale version a 409.
    Returns what ``change`` returned, and whether anything was written."""

    def checked(profile: Profile) -> tuple[T, bool]:
        profile.check(command.user_id, command.expected_version)
        result = change(profile)
        return result, bool(profile.pending_events())

    return await repository.change(
        Profile,
        command.profile_id,
        checked,
        metadata_for(command.user_id, command.request_id),
        expected_version=command.expected_version,
    )


HANDLERS: dict[type, Handler] = {
    CreateProfile: create_profile,
    ChangeProfile: change_profile,
    AddItems: add_items,
    UpdateItem: update_item,
    RemoveItem: remove_item,
    DeleteProfile: delete_profile,
}
