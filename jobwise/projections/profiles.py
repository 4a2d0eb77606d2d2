"""Profiles: the full nested profile, one document each.

Dated components (experiences, education, projects) are newest first, as a resume
shows them; skills keep the user's order within each group.

``evolve`` is the whole read-model logic as a pure function of (document,
event), so the same code serves the live projection and ``GET
/profiles/{id}?version=N``, which replays a profile's own events up to N.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pymongo import ASCENDING, IndexModel

from jobwise.domain.events import DomainEvent, RecordedEvent
from jobwise.domain.profile import (
    COMPONENT_OF,
    ComponentItemAdded,
    ComponentItemRemoved,
    ComponentItemUpdated,
    CustomFieldsUpdated,
    PersonalInfoUpdated,
    ProfileActivated,
    ProfileCreated,
    ProfileDeleted,
    ProfileEvent,
    SkillsReordered,
    SummaryUpdated,
)
from jobwise.projections.projection import Projection, ViewBatch

PROFILES = "profiles"
SKILL_GROUPS = {
    "technical": "technical",
    "soft": "soft",
    "language": "languages",
    "certification": "certifications",
}
SKILL_FIELDS = {
    "technical": ("id", "name"),
    "soft": ("id", "name"),
    "languages": ("id", "name", "proficiency"),
    "certifications": ("id", "name", "issuer", "date_obtained", "credential_id"),
}
Document = dict[str, Any]


class ProfilesProjection(Projection):
    name = "profiles"
    version = 2  # 2: skills in the user's order (they were newest first)
    collections = {
        PROFILES: [
            IndexModel([("user_id", ASCENDING), ("is_active", ASCENDING)], name="user_active")
        ],
    }

    def wants(self, event: RecordedEvent) -> bool:
        return event.stream_type == "profile"

    def keys(self, event: RecordedEvent) -> Iterable[tuple[str, str]]:
        return [(PROFILES, event.stream_id)]

    async def apply(self, event: RecordedEvent, views: ViewBatch) -> None:
        typed = DomainEvent.from_recorded(event)
        document = evolve(await views.get(PROFILES, event.stream_id), typed, event)
        if document is None:
            views.delete(PROFILES, event.stream_id)
            return
        if isinstance(typed, ProfileActivated):
            await _deactivate_others(views, typed.user_id, event.stream_id)
        views.put(PROFILES, document)


async def _deactivate_others(views: ViewBatch, user_id: str, active_id: str) -> None:
    for other_id in await views.find_ids(PROFILES, "user_id", user_id):
        other = await views.get(PROFILES, other_id)
        if other_id != active_id and other is not None and other["is_active"]:
            views.put(PROFILES, {**other, "is_active": False})


def evolve(
    document: Document | None, event: DomainEvent, recorded: RecordedEvent
) -> Document | None:
    """The profile document after ``event`` (None once deleted)."""
    if isinstance(event, ProfileCreated):
        return _created(event, recorded)
    if document is None or isinstance(event, ProfileDeleted):
        return None
    document = {**document, "updated_at": recorded.recorded_at}
    if isinstance(event, ProfileEvent):
        document["version"] = event.revision
    if isinstance(event, PersonalInfoUpdated):
        document["personal_info"] = event.personal_info
    elif isinstance(event, SummaryUpdated):
        document["professional_summary"] = event.professional_summary
    elif isinstance(event, CustomFieldsUpdated):
        document["custom_fields"] = event.custom_fields
    elif isinstance(event, ProfileActivated):
        document["is_active"] = True
    elif isinstance(event, (ComponentItemAdded, ComponentItemUpdated, ComponentItemRemoved)):
        _change_component(document, COMPONENT_OF[event.topic], event)
    elif isinstance(event, SkillsReordered):
        document["skills"] = _reorder_skills(document["skills"], event.item_ids)
    return document


def _created(event: ProfileCreated, recorded: RecordedEvent) -> Document:
    return {
        "_id": event.profile_id,
        "id": event.profile_id,
        "user_id": event.user_id,
        "personal_info": event.personal_info,
        "professional_summary": event.professional_summary,
        "skills": {group: [] for group in SKILL_FIELDS},
        "experiences": [],
        "education": [],
        "projects": [],
        "custom_fields": event.custom_fields,
        "version": event.revision,
        "is_active": False,
        "created_at": recorded.recorded_at,
        "updated_at": recorded.recorded_at,
    }


def _change_component(
    document: Document,
    component: str,
    event: ComponentItemAdded | ComponentItemUpdated | ComponentItemRemoved,
) -> None:
    item_id = event.item_id if isinstance(event, ComponentItemRemoved) else event.item["id"]
    if component == "skills":
        document["skills"] = _change_skill(document["skills"], item_id, event)
        return
    kept = [item for item in document[component] if item["id"] != item_id]
    if not isinstance(event, ComponentItemRemoved):
        kept.append(event.item)
    document[component] = newest_first(kept)


def _change_skill(
    groups: dict[str, list[Document]],
    item_id: str,
    event: ComponentItemAdded | ComponentItemUpdated | ComponentItemRemoved,
) -> dict[str, list[Document]]:
    """Skills in the user's order: a new one goes last in its group, a changed one stays
    where it is (or moves last into its new group)."""
    if isinstance(event, ComponentItemRemoved):
        return {g: [s for s in items if s["id"] != item_id] for g, items in groups.items()}
    group = SKILL_GROUPS[event.item.get("category", "technical")]
    shown = {field: event.item.get(field) for field in SKILL_FIELDS[group]}
    changed = {
        g: [s for s in items if s["id"] != item_id or g == group] for g, items in groups.items()
    }
    place = [s["id"] for s in changed[group]]
    if item_id in place:
        changed[group][place.index(item_id)] = shown
    else:
        changed[group].append(shown)
    return changed


def _reorder_skills(groups: dict[str, list[Document]], ids: list[str]) -> dict[str, list[Document]]:
    rank = {item_id: n for n, item_id in enumerate(ids)}
    return {
        group: sorted(items, key=lambda s: rank.get(s["id"], len(rank)))
        for group, items in groups.items()
    }


def newest_first(items: list[Document]) -> list[Document]:
    # ISO dates sort as text; undated items go last, in the order they came.
    dated = sorted(
        (i for i in items if i.get("start_date")), key=lambda i: i["start_date"], reverse=True
    )
    return dated + [i for i in items if not i.get("start_date")]
