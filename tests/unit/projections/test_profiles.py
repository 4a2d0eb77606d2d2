"""The profiles read model: the whole nested profile, newest-first history, one active."""

from __future__ import annotations

from typing import Any

from jobwise.application.commands.profiles import (
    AddItems,
    ChangeProfile,
    DeleteProfile,
    RemoveItem,
    UpdateItem,
)
from jobwise.projections.profiles import PROFILES, ProfilesProjection
from tests.support.projections import MemoryRunner, assert_rebuilds_alike, following, project
from tests.unit.commands.conftest import Fast
from tests.unit.projections.scenario import ADA, GRACE, new_job, new_profile


def held(title: str, start: str | None) -> dict[str, Any]:
    return {"title": title, "company": "Analytical Engines", "start_date": start}


async def profiles(fast: Fast) -> MemoryRunner:
    return await project(ProfilesProjection(), fast.store)


async def test_a_new_profile_is_the_whole_document(fast: Fast) -> None:
    profile = await new_profile(fast, ADA, skills=[{"category": "language", "name": "French"}])
    history = await fast.store.read_stream(profile)

    document = (await profiles(fast)).get(PROFILES, profile)

    skill_id = history[1].data["item"]["id"]
    assert document == {
        "_id": profile,
        "id": profile,
        "user_id": ADA,
        "personal_info": {"full_name": "Ada Lovelace"},
        "professional_summary": "Analyst.",
        "skills": {
            "technical": [],
            "soft": [],
            "languages": [{"id": skill_id, "name": "French", "proficiency": None}],
            "certifications": [],
        },
        "experiences": [],
        "education": [],
        "projects": [],
        "custom_fields": {},
        "version": 1,
        "is_active": True,  # a user's first profile
        "created_at": history[0].recorded_at,
        "updated_at": history[-1].recorded_at,
    }


async def test_top_level_changes_move_the_version(fast: Fast) -> None:
    profile = await new_profile(fast)
    changes = {
        "personal_info": {"full_name": "Ada King"},
        "professional_summary": "Countess.",
        "custom_fields": {"motto": "Poetical science"},
    }
    await fast.handle(ChangeProfile(ADA, profile, changes))

    document = (await profiles(fast)).get(PROFILES, profile)

    assert {name: document[name] for name in changes} == changes
    assert document["version"] == 2
    last = (await fast.store.read_stream(profile))[-1]
    assert document["updated_at"] == last.recorded_at


async def test_dated_items_are_newest_first_and_undated_last(fast: Fast) -> None:
    profile = await new_profile(fast)
    items = [held("First", "2015-01-01"), held("Undated", None), held("Latest", "2021-06-01")]
    ids = (await fast.handle(AddItems(ADA, profile, "experiences", items))).item_ids
    runner = await profiles(fast)
    titles = [e["title"] for e in runner.get(PROFILES, profile)["experiences"]]
    assert titles == ["Latest", "First", "Undated"]

    await fast.handle(UpdateItem(ADA, profile, "experiences", ids[0], held("First", "2023-01-01")))
    await fast.handle(RemoveItem(ADA, profile, "experiences", ids[2]))
    await runner.catch_up(fast.store)

    experiences = runner.get(PROFILES, profile)["experiences"]
    assert [(e["id"], e["start_date"]) for e in experiences] == [
        (ids[0], "2023-01-01"),
        (ids[1], None),
    ]
    assert runner.get(PROFILES, profile)["version"] == 4


async def test_skills_keep_the_users_order_within_their_group(fast: Fast) -> None:
    given = [{"category": "technical", "name": name} for name in ("Python", "Go", "SQL")]
    profile = await new_profile(fast, skills=given)
    runner = await profiles(fast)
    technical = runner.get(PROFILES, profile)["skills"]["technical"]
    python, go, sql = (skill["id"] for skill in technical)
    assert [s["name"] for s in technical] == ["Python", "Go", "SQL"]

    # A changed skill stays in its place; one moved to another group goes last there.
    await fast.handle(
        UpdateItem(ADA, profile, "skills", go, {"category": "technical", "name": "Golang"})
    )
    await fast.handle(
        UpdateItem(ADA, profile, "skills", python, {"category": "soft", "name": "Python"})
    )
    await runner.catch_up(fast.store)
    skills = runner.get(PROFILES, profile)["skills"]
    assert [s["name"] for s in skills["technical"]] == ["Golang", "SQL"]
    assert skills["soft"] == [{"id": python, "name": "Python"}]

    # A whole list put back in another order is that order.
    reordered = [
        {"id": sql, "category": "technical", "name": "SQL"},
        {"id": go, "category": "technical", "name": "Golang"},
    ]
    await fast.handle(ChangeProfile(ADA, profile, {}, components={"skills": reordered}))
    await runner.catch_up(fast.store)
    assert [s["id"] for s in runner.get(PROFILES, profile)["skills"]["technical"]] == [sql, go]
    assert runner.get(PROFILES, profile)["skills"]["soft"] == []  # left out: removed


async def test_activating_one_profile_deactivates_the_users_others_only(fast: Fast) -> None:
    first, second = await new_profile(fast, ADA), await new_profile(fast, ADA)
    graces = await new_profile(fast, GRACE)
    runner = await profiles(fast)
    active = {pid: d["is_active"] for pid, d in runner.view(PROFILES).items()}
    assert active == {first: True, second: False, graces: True}

    await fast.handle(ChangeProfile(ADA, second, {"is_active": True}))
    await runner.catch_up(fast.store)

    active = {pid: d["is_active"] for pid, d in runner.view(PROFILES).items()}
    assert active == {first: False, second: True, graces: True}


async def test_a_deleted_profile_goes_and_the_latest_other_becomes_active(fast: Fast) -> None:
    first, second, third = [await new_profile(fast) for _ in range(3)]
    await fast.handle(ChangeProfile(ADA, second, {"professional_summary": "Touched."}))
    runner = await profiles(fast)

    await fast.handle(DeleteProfile(ADA, first))
    await runner.catch_up(fast.store)

    view = runner.view(PROFILES)
    assert first not in view
    assert (view[second]["is_active"], view[third]["is_active"]) == (True, False)


async def test_other_streams_are_not_read(fast: Fast) -> None:
    await new_job(fast)
    profile = await new_profile(fast)
    runner = await profiles(fast)
    assert list(runner.view(PROFILES)) == [profile]
    wanted = [e for e in await fast.store.read_all(0, 100) if ProfilesProjection().wants(e)]
    assert {e.stream_id for e in wanted} == {profile}


async def test_a_rebuild_gives_the_same_profiles(fast: Fast) -> None:
    async with following(ProfilesProjection(), fast.store) as live:
        first = await new_profile(fast, skills=[{"category": "soft", "name": "Tact"}])
        second = await new_profile(fast)
        ids = (await fast.handle(AddItems(ADA, first, "projects", [{"name": "Engine"}]))).item_ids
        await fast.handle(ChangeProfile(ADA, second, {"is_active": True}))
        await fast.handle(RemoveItem(ADA, first, "projects", ids[0]))
        await fast.handle(ChangeProfile(ADA, first, {"professional_summary": "Back."}))
        await fast.handle(DeleteProfile(ADA, second))
    await assert_rebuilds_alike(live, fast.store)
