"""The master profile: a user's career record, kept as fine-grained events.

Every accepted command raises the profile's ``revision`` (the API's
``version``) by exactly one, however many events it records: a bulk add of
three experiences is one append of three events, all carrying the same
revision. Component items keep a stable id for their whole life.
"""

from __future__ import annotations

from typing import Any

import orjson

from jobwise.domain.aggregate import Aggregate, check_access
from jobwise.domain.errors import FieldProblem, InvalidInput, NotFoundError
from jobwise.domain.events import DomainEvent, new_id
from jobwise.domain.profile_items import ITEMS_MAX

STREAM_TYPE = "profile"
COMPONENTS = ("experiences", "education", "projects", "skills")
CUSTOM_FIELDS_MAX_BYTES = 64 * 1024
"""``custom_fields`` as compact UTF-8 JSON may take at most this much."""
PROFILE_MAX_BYTES = 2 * 1024 * 1024
"""A whole profile as compact JSON may take at most this much: its read-model document
must stay far below the database's 16 MB, or one user's profile could jam a projection."""


class ProfileEvent(DomainEvent, abstract=True):
    revision: int
    """The profile version this event belongs to (one per accepted command)."""


class ProfileCreated(ProfileEvent, topic="ProfileCreated"):
    profile_id: str
    user_id: str
    personal_info: dict[str, Any]
    professional_summary: str | None = None
    custom_fields: dict[str, Any] = {}


class PersonalInfoUpdated(ProfileEvent, topic="PersonalInfoUpdated"):
    personal_info: dict[str, Any]


class SummaryUpdated(ProfileEvent, topic="SummaryUpdated"):
    professional_summary: str | None


class CustomFieldsUpdated(ProfileEvent, topic="CustomFieldsUpdated"):
    custom_fields: dict[str, Any]


class ProfileActivated(ProfileEvent, topic="ProfileActivated"):
    user_id: str


class ProfileDeleted(ProfileEvent, topic="ProfileDeleted"):
    user_id: str


class ComponentItemAdded(ProfileEvent, abstract=True):
    item: dict[str, Any]


class ComponentItemUpdated(ProfileEvent, abstract=True):
    item: dict[str, Any]


class ComponentItemRemoved(ProfileEvent, abstract=True):
    item_id: str


class ExperienceAdded(ComponentItemAdded, topic="ExperienceAdded"): ...


class ExperienceUpdated(ComponentItemUpdated, topic="ExperienceUpdated"): ...


class ExperienceRemoved(ComponentItemRemoved, topic="ExperienceRemoved"): ...


class EducationAdded(ComponentItemAdded, topic="EducationAdded"): ...


class EducationUpdated(ComponentItemUpdated, topic="EducationUpdated"): ...


class EducationRemoved(ComponentItemRemoved, topic="EducationRemoved"): ...


class ProjectAdded(ComponentItemAdded, topic="ProjectAdded"): ...


class ProjectUpdated(ComponentItemUpdated, topic="ProjectUpdated"): ...


class ProjectRemoved(ComponentItemRemoved, topic="ProjectRemoved"): ...


class SkillAdded(ComponentItemAdded, topic="SkillAdded"): ...


class SkillUpdated(ComponentItemUpdated, topic="SkillUpdated"): ...


class SkillRemoved(ComponentItemRemoved, topic="SkillRemoved"): ...


class SkillsReordered(ProfileEvent, topic="SkillsReordered"):
    """The user's own order of the skills (shown grouped, each group in this order)."""

    item_ids: list[str]


COMPONENT_EVENTS: dict[
    str, tuple[type[ComponentItemAdded], type[ComponentItemUpdated], type[ComponentItemRemoved]]
] = {
    "experiences": (ExperienceAdded, ExperienceUpdated, ExperienceRemoved),
    "education": (EducationAdded, EducationUpdated, EducationRemoved),
    "projects": (ProjectAdded, ProjectUpdated, ProjectRemoved),
    "skills": (SkillAdded, SkillUpdated, SkillRemoved),
}
COMPONENT_OF: dict[str, str] = {
    kind.topic: component for component, kinds in COMPONENT_EVENTS.items() for kind in kinds
}
"""The component each item event's topic changes."""


class Profile(Aggregate):
    stream_type = STREAM_TYPE
    id_field = "profile_id"
    events = (
        ProfileCreated,
        PersonalInfoUpdated,
        SummaryUpdated,
        CustomFieldsUpdated,
        ProfileActivated,
        ProfileDeleted,
        *(kind for kinds in COMPONENT_EVENTS.values() for kind in kinds),
        SkillsReordered,
    )

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.user_id = ""
        self.revision = 0
        self.deleted = False
        self.personal_info: dict[str, Any] = {}
        self.professional_summary: str | None = None
        self.custom_fields: dict[str, Any] = {}
        self.items: dict[str, dict[str, dict[str, Any]]] = {c: {} for c in COMPONENTS}

    @property
    def exists(self) -> bool:
        return self.version > 0 and not self.deleted

    # -- commands ----------------------------------------------------------------

    @property
    def current_version(self) -> int:
        return self.revision

    @property
    def change_revision(self) -> int:
        """The revision every event of the change being made carries: one past the stored
        revision, however many methods the command calls (the first event moves
        ``revision`` there already)."""
        return self.revision if self.pending_events() else self.revision + 1

    @property
    def size_bytes(self) -> int:
        """The profile's size as compact JSON: what its read-model document roughly takes."""
        return json_size(
            [self.personal_info, self.professional_summary, self.custom_fields, self.items]
        )

    @classmethod
    def create(
        cls,
        profile_id: str,
        user_id: str,
        personal_info: dict[str, Any],
        professional_summary: str | None,
        custom_fields: dict[str, Any],
        components: dict[str, list[dict[str, Any]]],
        activate: bool,
    ) -> Profile:
        profile = cls(profile_id)
        profile.record(
            ProfileCreated(
                revision=1,
                profile_id=profile_id,
                user_id=user_id,
                personal_info=personal_info,
                professional_summary=professional_summary,
                custom_fields=custom_fields,
            )
        )
        _check_custom_fields(custom_fields)
        for component, items in components.items():
            profile._add_items(component, items, revision=1)
        if activate:
            profile.record(ProfileActivated(revision=1, user_id=user_id))
        profile._check_size()
        return profile

    def check(self, user_id: str, expected_revision: int | None) -> None:
        """Refuse another user's profile as not found, and a stale ``If-Match``."""
        check_access(
            "Profile",
            "profile_id",
            self.id,
            visible=self.exists and self.user_id == user_id,
            expected=expected_revision,
            current=self.revision,
        )

    def update(self, changes: dict[str, Any]) -> None:
        """Apply the given top-level fields (personal_info, summary, custom fields, active)."""
        revision = self.change_revision
        if "personal_info" in changes and changes["personal_info"] != self.personal_info:
            self.record(
                PersonalInfoUpdated(revision=revision, personal_info=changes["personal_info"])
            )
        summary = changes.get("professional_summary", self.professional_summary)
        if "professional_summary" in changes and summary != self.professional_summary:
            self.record(SummaryUpdated(revision=revision, professional_summary=summary))
        if "custom_fields" in changes and changes["custom_fields"] != self.custom_fields:
            _check_custom_fields(changes["custom_fields"])
            self.record(
                CustomFieldsUpdated(revision=revision, custom_fields=changes["custom_fields"])
            )
        if changes.get("is_active"):
            self.record(ProfileActivated(revision=revision, user_id=self.user_id))
        self._check_size()

    def add_items(self, component: str, items: list[dict[str, Any]]) -> list[str]:
        ids = self._add_items(component, items, revision=self.change_revision)
        self._check_size()
        return ids

    def update_item(self, component: str, item_id: str, fields: dict[str, Any]) -> None:
        self._existing(component, item_id)
        updated = COMPONENT_EVENTS[component][1]
        self.record(updated(revision=self.change_revision, item={"id": item_id, **fields}))
        self._check_size()

    def remove_item(self, component: str, item_id: str) -> None:
        self._existing(component, item_id)
        removed = COMPONENT_EVENTS[component][2]
        self.record(removed(revision=self.change_revision, item_id=item_id))

    def replace_items(self, component: str, items: list[dict[str, Any]]) -> list[str]:
        """Make ``component`` hold exactly ``items``, in their order: an item whose ``id`` is
        stored is kept (and updated if it differs), any other is added, and stored items
        left out are removed. Returns the ids, in order."""
        added, updated, removed = COMPONENT_EVENTS[component]
        revision = self.change_revision
        stored = self.items[component]
        kept: list[str] = []
        for given in items:
            fields = {k: v for k, v in given.items() if k != "id"}
            item_id = given.get("id")
            if item_id in stored and item_id not in kept:
                if stored[item_id] != {"id": item_id, **fields}:
                    self.record(updated(revision=revision, item={"id": item_id, **fields}))
            else:
                item_id = new_id()
                self.record(added(revision=revision, item={"id": item_id, **fields}))
            kept.append(item_id)
        for gone in [item_id for item_id in stored if item_id not in kept]:
            self.record(removed(revision=revision, item_id=gone))
        if component == "skills" and list(self.items["skills"]) != kept:
            self.record(SkillsReordered(revision=revision, item_ids=kept))
        self._check_size()
        return kept

    def delete(self) -> None:
        self.record(ProfileDeleted(revision=self.change_revision, user_id=self.user_id))

    def _add_items(self, component: str, items: list[dict[str, Any]], revision: int) -> list[str]:
        if len(self.items[component]) + len(items) > ITEMS_MAX:
            raise InvalidInput(
                f"A profile holds at most {ITEMS_MAX} {component}.",
                [FieldProblem(component, f"at most {ITEMS_MAX} items", "too_many")],
            )
        added = COMPONENT_EVENTS[component][0]
        ids = []
        for given in items:
            item_id = new_id()  # a new item's id is ours to give, whatever it came with
            fields = {k: v for k, v in given.items() if k != "id"}
            self.record(added(revision=revision, item={"id": item_id, **fields}))
            ids.append(item_id)
        return ids

    def _check_size(self) -> None:
        # Checked after recording, on the state the change would leave: nothing is
        # saved when it fails, since the handler never gets to append.
        if self.size_bytes > PROFILE_MAX_BYTES:
            raise too_large("profile", PROFILE_MAX_BYTES)

    def _existing(self, component: str, item_id: str) -> None:
        if item_id not in self.items[component]:
            raise NotFoundError(
                f"No such item in {component}.", details={"profile_id": self.id, "item_id": item_id}
            )

    # -- state -------------------------------------------------------------------

    def apply(self, event: DomainEvent) -> None:
        if isinstance(event, ProfileEvent):
            self.revision = event.revision
        super().apply(event)

    def when_ProfileCreated(self, event: ProfileCreated) -> None:
        self.user_id = event.user_id
        self.personal_info = event.personal_info
        self.professional_summary = event.professional_summary
        self.custom_fields = event.custom_fields

    def when_PersonalInfoUpdated(self, event: PersonalInfoUpdated) -> None:
        self.personal_info = event.personal_info

    def when_SummaryUpdated(self, event: SummaryUpdated) -> None:
        self.professional_summary = event.professional_summary

    def when_CustomFieldsUpdated(self, event: CustomFieldsUpdated) -> None:
        self.custom_fields = event.custom_fields

    def when_ProfileActivated(self, event: ProfileActivated) -> None:
        """Which profile is active is the read model's (a user's choice among profiles)."""

    def when_ProfileDeleted(self, event: ProfileDeleted) -> None:
        self.deleted = True

    def _put_item(self, event: ComponentItemAdded | ComponentItemUpdated) -> None:
        self.items[COMPONENT_OF[event.topic]][event.item["id"]] = event.item

    def _remove_item(self, event: ComponentItemRemoved) -> None:
        self.items[COMPONENT_OF[event.topic]].pop(event.item_id, None)

    # One handler per topic, shared by the four components.
    when_ExperienceAdded = when_ExperienceUpdated = _put_item
    when_EducationAdded = when_EducationUpdated = _put_item
    when_ProjectAdded = when_ProjectUpdated = _put_item
    when_SkillAdded = when_SkillUpdated = _put_item
    when_ExperienceRemoved = when_EducationRemoved = _remove_item
    when_ProjectRemoved = when_SkillRemoved = _remove_item

    def when_SkillsReordered(self, event: SkillsReordered) -> None:
        self.items["skills"] = in_order(self.items["skills"], event.item_ids)


def in_order(items: dict[str, dict[str, Any]], ids: list[str]) -> dict[str, dict[str, Any]]:
    """``items`` in the order of ``ids``; any not named keep their place after them."""
    ordered = {item_id: items[item_id] for item_id in ids if item_id in items}
    ordered.update((item_id, item) for item_id, item in items.items() if item_id not in ordered)
    return ordered


def json_size(value: Any) -> int:
    return len(orjson.dumps(value, default=str, option=orjson.OPT_NON_STR_KEYS))


def _check_custom_fields(custom_fields: dict[str, Any]) -> None:
    if json_size(custom_fields) > CUSTOM_FIELDS_MAX_BYTES:
        raise too_large("custom_fields", CUSTOM_FIELDS_MAX_BYTES)


def too_large(field: str, limit: int) -> InvalidInput:
    message = f"at most {limit // 1024} KiB as JSON"
    return InvalidInput(
        f"{field} is too large: {message}.",
        [FieldProblem(field, message, "too_large")],
        details={"max_bytes": limit},
    )
