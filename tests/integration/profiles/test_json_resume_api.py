"""JSON Resume in and out through the API, and the round trip."""

from __future__ import annotations

from typing import Any

from jobwise.adapters.interop.json_resume import JsonResume
from tests.integration.profiles.conftest import User, experience, new_profile

RESUME: dict[str, Any] = {
    "basics": {
        "name": "Ada Lovelace",
        "label": "Analyst",
        "email": "ada@example.com",
        "phone": "+44 20 0000 0000",
        "url": "https://ada.example.com",
        "summary": "First programmer.",
        "location": {"city": "London", "countryCode": "GB"},
        "profiles": [{"network": "GitHub", "username": "ada", "url": "https://github.com/ada"}],
    },
    "work": [
        {
            "name": "Analytical Engine Co",
            "position": "Programmer",
            "startDate": "1842-03",
            "endDate": "1843-09",
            "highlights": ["Wrote the first algorithm, 25 pages of notes"],
        }
    ],
    "education": [
        {
            "institution": "Home",
            "area": "Mathematics",
            "studyType": "Tutoring",
            "startDate": "1830",
            "endDate": "1835",
        }
    ],
    "projects": [{"name": "Note G", "keywords": ["Bernoulli numbers"], "startDate": "1843-01-01"}],
    "skills": [{"name": "Technical skills", "keywords": ["Mathematics", "Python"]}],
    "languages": [{"language": "French", "fluency": "Fluent"}],
    "volunteer": [{"organization": "Royal Society", "position": "Guest"}],
    "interests": [{"name": "Poetry"}],
}


def normalised(resume: dict[str, Any]) -> dict[str, Any]:
    model = JsonResume.model_validate(resume)
    dumped: dict[str, Any] = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    return dumped


async def test_import_then_export_gives_the_resume_back(ada: User) -> None:
    created = await ada.call(
        "POST", "/import", expect=201, json={"format": "json-resume", "data": RESUME}
    )
    assert created["personal_info"]["full_name"] == "Ada Lovelace"
    assert created["experiences"][0]["company"] == "Analytical Engine Co"
    assert created["skills"]["languages"][0]["proficiency"] == "fluent"

    exported = await ada.call("GET", f"/{created['id']}/export?format=json-resume", expect=200)

    assert normalised(exported) == normalised(RESUME)


async def test_export_import_export_is_stable(ada: User) -> None:
    profile = await ada.call(
        "POST",
        "",
        expect=201,
        json=new_profile(
            professional_summary="Engineer.",
            experiences=[experience("Lead", "2021-02-01", achievements=["Cut costs 20%"])],
            skills=[{"name": "Go"}, {"category": "soft", "name": "Mentoring"}],
        ),
    )
    first = await ada.call("GET", f"/{profile['id']}/export", expect=200)
    again = await ada.call(
        "POST", "/import", expect=201, json={"format": "json-resume", "data": first}
    )
    second = await ada.call("GET", f"/{again['id']}/export", expect=200)
    assert normalised(second) == normalised(first)
    assert first["work"][0]["highlights"] == ["Cut costs 20%"]


async def test_a_bad_resume_or_format_is_a_422(ada: User, grace: User) -> None:
    no_name = await ada.call(
        "POST", "/import", expect=422, json={"format": "json-resume", "data": {"basics": {}}}
    )
    assert no_name["error"]["code"] == "validation_error"
    await ada.call("POST", "/import", expect=422, json={"format": "europass", "data": {}})
    await ada.call(
        "POST",
        "/import",
        expect=422,
        json={"format": "json-resume", "data": {"work": "not a list"}},
    )
    profile = await ada.call("POST", "", expect=201, json=new_profile())
    await grace.call("GET", f"/{profile['id']}/export", expect=404)


async def test_an_imported_summary_has_the_same_bound_as_a_typed_one(ada: User) -> None:
    longest = "Analyst. " * 555 + "Ends"  # 4,999 characters
    for summary, status in ((longest, 201), (longest + "!!", 422), ("[" * 200_000, 422)):
        resume = {**RESUME, "basics": {**RESUME["basics"], "summary": summary}}
        answer = await ada.call(
            "POST", "/import", expect=status, json={"format": "json-resume", "data": resume}
        )
        if status == 422:
            (problem,) = answer["error"]["details"]["fields"]
            assert problem["field"] == "data.basics.summary"
        # POST /profiles draws the line at the same length.
        typed = {**new_profile(), "professional_summary": summary}
        await ada.call("POST", "", expect=status, json=typed)
