"""Profile answers are the stored read-model documents, served as they are: each must be
exactly what validating it into the declared response model and dumping it gives."""

from __future__ import annotations

from typing import Any

from jobwise.entrypoints.http.routes.profile_shapes import ProfileList, ProfileView
from tests.integration.profiles.conftest import User, experience, new_profile

RICH = new_profile(
    professional_summary="Builds things.",
    custom_fields={"notice": "3 months", "nested": {"a": [1, 2.5, None, True]}},
    experiences=[experience(achievements=["Cut costs 20%"]), experience("Lead", "2023-02-01")],
    education=[
        {"institution": "UCL", "degree": "BSc", "start_date": "2010-10-01", "honors": ["First"]}
    ],
    projects=[{"name": "engine", "technologies": ["Rust"], "url": "https://example.com/e"}],
    skills={
        "technical": ["Python"],
        "soft": ["Writing"],
        "languages": [{"name": "French", "proficiency": "fluent"}],
        "certifications": [{"name": "CKA", "issuer": "CNCF", "date_obtained": "2023-05-01"}],
    },
)


def assert_is_the_model(body: dict[str, Any], model: type[ProfileView | ProfileList]) -> None:
    assert model.model_validate(body).model_dump(mode="json", by_alias=True) == body


async def test_every_profile_answer_is_exactly_its_response_model(ada: User) -> None:
    created = await ada.call("POST", "", expect=201, json=RICH)
    pid = created["id"]
    answers = [
        created,
        await ada.call("GET", f"/{pid}", expect=200),
        await ada.call("GET", "/me", expect=200),
        await ada.call("GET", f"/{pid}?version=1", expect=200),
        await ada.call("PATCH", f"/{pid}", expect=200, json={"professional_summary": "x"}),
        await ada.call("POST", f"/{pid}/skills", expect=201, json={"name": "Go"}),
        await ada.call("PUT", f"/{pid}", expect=200, json=created),
    ]
    for body in answers:
        assert_is_the_model(body, ProfileView)
    assert_is_the_model(await ada.call("GET", "", expect=200), ProfileList)
