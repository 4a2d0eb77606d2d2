"""Creating, reading, changing and deleting profiles and their components."""

from __future__ import annotations

import asyncio

from jobwise.entrypoints.http.keys import RUNTIME
from jobwise.projections.maintenance import verify
from tests.integration.profiles.conftest import User, experience, new_profile


async def test_create_with_nested_items_then_read_it_back(ada: User) -> None:
    created = await ada.call(
        "POST",
        "",
        expect=201,
        json=new_profile(
            professional_summary="Analyst.",
            experiences=[
                experience("Junior", "2018-01-01", end_date="2019-12-31"),
                experience("Senior", "2020-01-01"),
            ],
            education=[
                {
                    "institution": "Uni",
                    "degree": "BSc",
                    "start_date": "2014-09-01",
                    "end_date": "2017-06-30",
                }
            ],
            projects=[{"name": "Engine", "technologies": ["Python"]}],
            skills=[
                {"name": "Python"},
                {"category": "language", "name": "French", "proficiency": "fluent"},
            ],
        ),
    )

    assert created["version"] == 1
    assert created["is_active"] is True
    assert [e["title"] for e in created["experiences"]] == ["Senior", "Junior"]
    assert created["experiences"][0]["is_current"] is True
    assert all(e["id"] for e in created["experiences"])
    assert created["skills"]["technical"][0]["name"] == "Python"
    assert created["skills"]["languages"][0]["proficiency"] == "fluent"
    again = await ada.call("GET", f"/{created['id']}", expect=200)
    assert again == created
    assert (await ada.call("GET", "/me", expect=200))["id"] == created["id"]
    listed = await ada.call("GET", "", expect=200)
    assert (listed["total"], listed["items"][0]["id"]) == (1, created["id"])


async def test_each_component_can_be_added_updated_and_removed(ada: User) -> None:
    profile = await ada.call("POST", "", expect=201, json=new_profile())
    pid = profile["id"]
    samples = {
        "experiences": (experience(), {**experience("Lead"), "end_date": "2024-01-01"}),
        "education": (
            {"institution": "Uni", "degree": "BSc", "start_date": "2010-01-01"},
            {"institution": "Uni", "degree": "MSc", "start_date": "2012-01-01"},
        ),
        "projects": ({"name": "One"}, {"name": "Two", "url": "https://example.com"}),
        "skills": ({"name": "Go"}, {"name": "Rust"}),
    }
    version = 1
    for component, (first, changed) in samples.items():
        added = await ada.call("POST", f"/{pid}/{component}", expect=201, json=first)
        version += 1
        assert added["version"] == version
        items = added[component] if component != "skills" else added["skills"]["technical"]
        item_id = items[0]["id"]
        updated = await ada.call("PUT", f"/{pid}/{component}/{item_id}", expect=200, json=changed)
        version += 1
        shown = updated[component] if component != "skills" else updated["skills"]["technical"]
        assert shown[0]["id"] == item_id
        assert shown[0].get("title", shown[0].get("degree", shown[0].get("name"))) in (
            "Lead",
            "MSc",
            "Two",
            "Rust",
        )
        await ada.call("DELETE", f"/{pid}/{component}/{item_id}", expect=204)
        version += 1
        after = await ada.call("GET", f"/{pid}", expect=200)
        remaining = after[component] if component != "skills" else after["skills"]["technical"]
        assert remaining == [] and after["version"] == version


async def test_a_bulk_add_of_three_is_one_version(ada: User) -> None:
    profile = await ada.call("POST", "", expect=201, json=new_profile())
    bulk = [experience(f"Role {n}", f"201{n}-01-01", end_date=f"201{n}-12-31") for n in range(3)]

    added = await ada.call("POST", f"/{profile['id']}/experiences", expect=201, json=bulk)

    assert added["version"] == 2
    assert [e["title"] for e in added["experiences"]] == ["Role 2", "Role 1", "Role 0"]
    versions = await ada.call("GET", f"/{profile['id']}/versions", expect=200)
    assert versions["items"][-1]["event_types"] == ["ExperienceAdded"] * 3


async def test_a_stale_if_match_answers_409_with_the_current_version(ada: User) -> None:
    profile = await ada.call("POST", "", expect=201, json=new_profile())
    pid = profile["id"]
    await ada.call(
        "PATCH",
        f"/{pid}",
        expect=200,
        headers={"If-Match": "1"},
        json={"professional_summary": "First."},
    )

    stale = await ada.call(
        "PATCH",
        f"/{pid}",
        expect=409,
        headers={"If-Match": "1"},
        json={"professional_summary": "Second."},
    )

    assert stale["error"]["code"] == "version_conflict"
    assert stale["error"]["details"]["current_version"] == 2
    in_body = await ada.call(
        "PATCH",
        f"/{pid}",
        expect=409,
        json={"professional_summary": "Third.", "expected_version": 1},
    )
    assert in_body["error"]["code"] == "version_conflict"


async def test_two_concurrent_updates_at_one_version_have_one_winner(ada: User) -> None:
    profile = await ada.call("POST", "", expect=201, json=new_profile())
    pid = profile["id"]

    async def attempt(n: int) -> int:
        response = await ada.client.patch(
            f"/api/v1/profiles/{pid}",
            headers={**ada.headers, "If-Match": "1"},
            json={"professional_summary": f"Writer {n}."},
        )
        return response.status

    statuses = sorted(await asyncio.gather(*(attempt(n) for n in range(2))))
    assert statuses == [200, 409]
    assert (await ada.call("GET", f"/{pid}"))["version"] == 2


async def test_concurrent_updates_without_if_match_all_land(ada: User) -> None:
    profile = await ada.call("POST", "", expect=201, json=new_profile())
    pid = profile["id"]

    answers = await asyncio.gather(
        *(
            ada.client.post(
                f"/api/v1/profiles/{pid}/skills", headers=ada.headers, json={"name": f"Skill {n}"}
            )
            for n in range(3)
        )
    )

    assert [a.status for a in answers] == [201, 201, 201]
    final = await ada.call("GET", f"/{pid}")
    assert final["version"] == 4
    assert len(final["skills"]["technical"]) == 3


async def test_read_your_writes_every_time(ada: User) -> None:
    profile = await ada.call("POST", "", expect=201, json=new_profile())
    pid = profile["id"]
    for cycle in range(20):
        await ada.call(
            "PATCH", f"/{pid}", expect=200, json={"professional_summary": f"Cycle {cycle}."}
        )
        read = await ada.call("GET", f"/{pid}", expect=200)
        assert read["professional_summary"] == f"Cycle {cycle}."


async def test_another_users_profile_is_not_found_for_every_verb(ada: User, grace: User) -> None:
    profile = await ada.call("POST", "", expect=201, json=new_profile(experiences=[experience()]))
    pid, item = profile["id"], profile["experiences"][0]["id"]
    attempts = [
        ("GET", f"/{pid}", None),
        ("GET", f"/{pid}?version=1", None),
        ("GET", f"/{pid}/versions", None),
        ("PUT", f"/{pid}", new_profile()),
        ("PATCH", f"/{pid}", {"is_active": True}),
        ("DELETE", f"/{pid}", None),
        ("POST", f"/{pid}/experiences", experience()),
        ("PUT", f"/{pid}/experiences/{item}", experience()),
        ("DELETE", f"/{pid}/experiences/{item}", None),
    ]
    for method, path, body in attempts:
        answer = (
            await grace.call(method, path, json=body) if body else await grace.call(method, path)
        )
        assert answer["error"]["code"] == "not_found", (method, path)
    assert (await ada.call("GET", f"/{pid}", expect=200))["version"] == 1


async def test_the_profile_as_it_was_at_each_version(ada: User) -> None:
    profile = await ada.call("POST", "", expect=201, json=new_profile(professional_summary="v1"))
    pid = profile["id"]
    await ada.call("PATCH", f"/{pid}", expect=200, json={"professional_summary": "v2"})
    await ada.call("POST", f"/{pid}/experiences", expect=201, json=experience())

    versions = await ada.call("GET", f"/{pid}/versions", expect=200)
    assert [v["version"] for v in versions["items"]] == [1, 2, 3]
    assert versions["items"][1]["event_types"] == ["SummaryUpdated"]
    at_two = await ada.call("GET", f"/{pid}?version=2", expect=200)
    assert (at_two["professional_summary"], at_two["experiences"], at_two["version"]) == (
        "v2",
        [],
        2,
    )
    at_one = await ada.call("GET", f"/{pid}?version=1", expect=200)
    assert at_one["professional_summary"] == "v1"
    await ada.call("GET", f"/{pid}?version=9", expect=404)


async def test_activating_one_profile_deactivates_the_others(ada: User) -> None:
    first = await ada.call("POST", "", expect=201, json=new_profile())
    second = await ada.call("POST", "", expect=201, json=new_profile())
    assert second["is_active"] is False

    await ada.call("PATCH", f"/{second['id']}", expect=200, json={"is_active": True})

    assert (await ada.call("GET", "/me"))["id"] == second["id"]
    assert (await ada.call("GET", f"/{first['id']}"))["is_active"] is False


async def test_deleting_a_profile_forgets_it_but_keeps_its_history(ada: User) -> None:
    profile = await ada.call("POST", "", expect=201, json=new_profile())
    pid = profile["id"]
    await ada.call("DELETE", f"/{pid}", expect=204)
    await ada.call("GET", f"/{pid}", expect=404)
    await ada.call("GET", "/me", expect=404)
    runtime = ada.client.app[RUNTIME]
    assert [e.type for e in await runtime.store.read_stream(pid)][-1] == "ProfileDeleted"


async def test_read_models_equal_a_rebuild_after_profile_activity(ada: User, grace: User) -> None:
    one = await ada.call("POST", "", expect=201, json=new_profile(experiences=[experience()]))
    two = await ada.call("POST", "", expect=201, json=new_profile())
    await ada.call("PATCH", f"/{two['id']}", expect=200, json={"is_active": True})
    await ada.call("POST", f"/{one['id']}/skills", expect=201, json=[{"name": "Go"}])
    await grace.call("POST", "", expect=201, json=new_profile())
    await ada.call("DELETE", f"/{two['id']}", expect=204)
    runtime = ada.client.app[RUNTIME]

    differences = await verify(runtime.projections, runtime.store, runtime.client, runtime.database)
    assert [d.describe() for d in differences] == []
