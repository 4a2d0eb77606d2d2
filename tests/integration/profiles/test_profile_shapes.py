"""A client can send back what it reads: grouped skills, the user's order, a whole-profile
PUT of a GET body, and an active profile that never goes missing."""

from __future__ import annotations

from typing import Any

from tests.integration.profiles.conftest import User, experience, new_profile

GROUPED = {
    "technical": ["Python", {"name": "k8s"}, "Go"],
    "soft": ["Mentoring"],
    "languages": [{"name": "French", "proficiency": "fluent"}],
    "certifications": [{"name": "CKA", "issuer": "CNCF", "date_obtained": "2023-05-01"}],
}


def names(profile: dict[str, Any], group: str) -> list[str]:
    return [skill["name"] for skill in profile["skills"][group]]


async def test_create_takes_skills_in_the_shape_reads_return(ada: User) -> None:
    profile = await ada.call("POST", "", expect=201, json=new_profile(skills=GROUPED))
    assert names(profile, "technical") == ["Python", "k8s", "Go"]
    assert names(profile, "soft") == ["Mentoring"]
    assert profile["skills"]["languages"][0]["proficiency"] == "fluent"
    assert profile["skills"]["certifications"][0]["issuer"] == "CNCF"


async def test_the_flat_list_still_works_and_keeps_its_order(ada: User) -> None:
    flat = [{"name": "Python"}, {"name": "k8s"}, {"category": "soft", "name": "Writing"}]
    profile = await ada.call("POST", "", expect=201, json=new_profile(skills=flat))
    assert names(profile, "technical") == ["Python", "k8s"]
    assert names(profile, "soft") == ["Writing"]


async def test_skills_added_later_go_last(ada: User) -> None:
    profile = await ada.call("POST", "", expect=201, json=new_profile(skills=GROUPED))
    added = await ada.call(
        "POST", f"/{profile['id']}/skills", expect=201, json=[{"name": "Rust"}, {"name": "SQL"}]
    )
    assert names(added, "technical") == ["Python", "k8s", "Go", "Rust", "SQL"]
    rust = added["skills"]["technical"][3]
    renamed = await ada.call(
        "PUT", f"/{profile['id']}/skills/{rust['id']}", expect=200, json={"name": "Rust 2024"}
    )
    assert names(renamed, "technical") == ["Python", "k8s", "Go", "Rust 2024", "SQL"]


async def test_a_get_body_put_back_as_it_is_changes_nothing(ada: User) -> None:
    created = await ada.call(
        "POST",
        "",
        expect=201,
        json=new_profile(skills=GROUPED, experiences=[experience(achievements=["Cut costs 20%"])]),
    )
    read = await ada.call("GET", f"/{created['id']}", expect=200)
    echoed = await ada.call("PUT", f"/{created['id']}", expect=200, json=read)
    assert echoed == read


async def test_put_replaces_components_matching_items_by_id(ada: User) -> None:
    created = await ada.call(
        "POST",
        "",
        expect=201,
        json=new_profile(
            skills=GROUPED, experiences=[experience("First"), experience("Second", "2021-01-01")]
        ),
    )
    body = await ada.call("GET", f"/{created['id']}", expect=200)
    python, k8s, go = body["skills"]["technical"]
    body["skills"]["technical"] = [go, "Zig", python]  # reordered, k8s gone, Zig new
    second, _first = body["experiences"]  # newest first
    second["achievements"] = ["Shipped the thing"]
    body["experiences"] = [second]

    put = await ada.call("PUT", f"/{created['id']}", expect=200, json=body)

    assert names(put, "technical") == ["Go", "Zig", "Python"]
    kept = {skill["name"]: skill["id"] for skill in put["skills"]["technical"]}
    assert (kept["Go"], kept["Python"]) == (go["id"], python["id"])
    assert k8s["id"] not in kept.values()
    assert [(e["id"], e["achievements"]) for e in put["experiences"]] == [
        (second["id"], ["Shipped the thing"])
    ]
    assert put["version"] == body["version"] + 1
    # A component left out of the PUT stays as it was.
    assert names(put, "soft") == ["Mentoring"]
    del body["skills"]
    again = await ada.call("PUT", f"/{created['id']}", expect=200, json=body)
    assert names(again, "technical") == ["Go", "Zig", "Python"]


async def test_an_imported_resume_keeps_its_keyword_order(ada: User) -> None:
    resume = {
        "basics": {"name": "Ada Lovelace"},
        "skills": [{"name": "Backend", "keywords": ["Python", "PostgreSQL", "Go"]}],
    }
    profile = await ada.call(
        "POST", "/import", expect=201, json={"format": "json-resume", "data": resume}
    )
    assert names(profile, "technical")[:3] == ["Python", "PostgreSQL", "Go"]


async def test_a_bad_skill_is_named_as_sent(ada: User) -> None:
    grouped = {"technical": ["Python", {"name": ""}], "languages": [{"name": "F", "level": 1}]}
    answer = await ada.call("POST", "", expect=422, json=new_profile(skills=grouped))
    fields = {f["field"] for f in answer["error"]["details"]["fields"]}
    assert fields == {"skills.technical.1.name", "skills.languages.0.level"}


async def test_deleting_the_active_profile_activates_the_latest_other(ada: User) -> None:
    first = await ada.call("POST", "", expect=201, json=new_profile())
    second = await ada.call("POST", "", expect=201, json=new_profile())
    third = await ada.call("POST", "", expect=201, json=new_profile())
    await ada.call("PATCH", f"/{second['id']}", expect=200, json={"professional_summary": "new"})
    assert (await ada.call("GET", "/me"))["id"] == first["id"]

    await ada.call("DELETE", f"/{first['id']}", expect=204)

    assert (await ada.call("GET", "/me"))["id"] == second["id"]
    listed = await ada.call("GET", "", expect=200)
    assert {p["id"]: p["is_active"] for p in listed["items"]} == {
        second["id"]: True,
        third["id"]: False,
    }
    await ada.call("DELETE", f"/{third['id']}", expect=204)  # not the active one
    assert (await ada.call("GET", "/me"))["id"] == second["id"]
    await ada.call("DELETE", f"/{second['id']}", expect=204)
    await ada.call("GET", "/me", expect=404)
