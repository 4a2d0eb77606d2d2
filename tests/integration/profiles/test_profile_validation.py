"""Every validation rule answers 422 naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.profiles.conftest import User, experience, new_profile


def fields_of(body: dict[str, Any]) -> set[str]:
    assert body["error"]["code"] == "validation_error", body
    return {f["field"] for f in body["error"]["details"]["fields"]}


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (experience(end_date="2019-01-01"), "end_date"),
        (experience(is_current=True, end_date="2021-01-01"), "is_current"),
        (experience(is_current=False), "is_current"),
        (experience(title="T" * 201), "title"),
        (experience(company=""), "company"),
        (experience(description="d" * 5001), "description"),
        (experience(start_date="not-a-date"), "start_date"),
        (experience(salary=100), "salary"),
        ({"company": "Acme", "start_date": "2020-01-01"}, "title"),
    ],
)
async def test_experience_rules(ada: User, item: dict[str, Any], field: str) -> None:
    profile = await ada.call("POST", "", expect=201, json=new_profile())
    answer = await ada.call("POST", f"/{profile['id']}/experiences", expect=422, json=item)
    assert field in fields_of(answer)  # one object sent: its fields, as sent
    listed = await ada.call("POST", f"/{profile['id']}/experiences", expect=422, json=[item])
    assert f"0.{field}" in fields_of(listed)


@pytest.mark.parametrize(
    ("personal_info", "field"),
    [
        ({"full_name": "A", "linkedin": "ftp://example.com/me"}, "personal_info.linkedin"),
        ({"full_name": "A", "website": "javascript:alert(1)"}, "personal_info.website"),
        ({"full_name": "A", "email": "not-an-email"}, "personal_info.email"),
        ({"full_name": "A", "phone": "1" * 51}, "personal_info.phone"),
        ({"full_name": "N" * 201}, "personal_info.full_name"),
        ({"full_name": "A", "nickname": "x"}, "personal_info.nickname"),
        ({}, "personal_info.full_name"),
    ],
)
async def test_personal_info_rules(ada: User, personal_info: dict[str, Any], field: str) -> None:
    answer = await ada.call("POST", "", expect=422, json={"personal_info": personal_info})
    assert field in fields_of(answer)


async def test_proficiency_is_one_of_four_words(ada: User) -> None:
    profile = await ada.call("POST", "", expect=201, json=new_profile())
    answer = await ada.call(
        "POST",
        f"/{profile['id']}/skills",
        expect=422,
        json={"category": "language", "name": "French", "proficiency": "expert"},
    )
    assert "proficiency" in fields_of(answer)
    for word in ("native", "fluent", "conversational", "basic"):
        await ada.call(
            "POST",
            f"/{profile['id']}/skills",
            expect=201,
            json={"category": "language", "name": f"L-{word}", "proficiency": word},
        )


async def test_project_urls_must_be_http(ada: User) -> None:
    profile = await ada.call("POST", "", expect=201, json=new_profile())
    answer = await ada.call(
        "POST",
        f"/{profile['id']}/projects",
        expect=422,
        json={"name": "X", "url": "file:///etc/passwd"},
    )
    assert "url" in fields_of(answer)


async def test_at_most_a_hundred_items_per_component(ada: User) -> None:
    profile = await ada.call("POST", "", expect=201, json=new_profile())
    pid = profile["id"]
    over = [{"name": f"Skill {n}"} for n in range(101)]
    too_many = await ada.call("POST", f"/{pid}/skills", expect=422, json=over)
    assert too_many["error"]["details"]["fields"][0]["type"] == "too_long"
    await ada.call("POST", f"/{pid}/skills", expect=201, json=over[:60])
    answer = await ada.call("POST", f"/{pid}/skills", expect=422, json=over[60:])
    assert "skills" in fields_of(answer)
    assert (await ada.call("GET", f"/{pid}"))["version"] == 2


async def test_a_bad_item_in_a_bulk_add_writes_nothing(ada: User) -> None:
    profile = await ada.call("POST", "", expect=201, json=new_profile())
    bulk = [experience("Good"), experience("Bad", end_date="2000-01-01")]
    answer = await ada.call("POST", f"/{profile['id']}/experiences", expect=422, json=bulk)
    assert fields_of(answer) == {"1.end_date"}
    assert (await ada.call("GET", f"/{profile['id']}"))["experiences"] == []


async def test_unknown_fields_and_bad_if_match_are_refused(ada: User) -> None:
    answer = await ada.call("POST", "", expect=422, json=new_profile(favourite_colour="blue"))
    assert "favourite_colour" in fields_of(answer)
    profile = await ada.call("POST", "", expect=201, json=new_profile())
    bad = await ada.call(
        "PATCH",
        f"/{profile['id']}",
        expect=400,
        headers={"If-Match": "latest"},
        json={"professional_summary": "x"},
    )
    assert bad["error"]["code"] == "invalid_if_match"
