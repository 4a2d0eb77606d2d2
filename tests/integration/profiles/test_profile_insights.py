"""Analytics and the generation summary, through the API."""

from __future__ import annotations

from tests.integration.profiles.conftest import User, experience, new_profile


async def test_analytics_score_a_sparse_profile_low_and_say_what_to_do(ada: User) -> None:
    profile = await ada.call(
        "POST",
        "",
        expect=201,
        json=new_profile(
            experiences=[experience("Engineer", achievements=["Shipped the API"])],
            skills=[{"name": "Python"}, {"name": "Go"}],
        ),
    )

    analytics = await ada.call("GET", f"/{profile['id']}/analytics", expect=200)

    assert 0 < analytics["completeness_score"] < 60
    assert "professional_summary" in analytics["missing_sections"]
    assert set(analytics["section_scores"]) >= {"personal_info", "experiences", "skills"}
    advice = " ".join(analytics["recommendations"])
    assert "summary" in advice.lower()
    assert "2 entries" in advice
    assert "quantify" in advice.lower()


async def test_summary_is_compact_with_durations_and_canonical_skills(ada: User) -> None:
    profile = await ada.call(
        "POST",
        "",
        expect=201,
        json=new_profile(
            experiences=[experience("Engineer", "2020-01-01", end_date="2020-12-31")],
            skills=[{"name": "JS"}, {"name": "javascript"}, {"name": "k8s"}],
        ),
    )

    summary = await ada.call("GET", f"/{profile['id']}/summary", expect=200)

    assert summary["experiences"][0]["duration_months"] == 12
    assert sorted(summary["skills"]) == ["JavaScript", "Kubernetes"]


async def test_insights_of_another_users_profile_are_not_found(ada: User, grace: User) -> None:
    profile = await ada.call("POST", "", expect=201, json=new_profile())
    await grace.call("GET", f"/{profile['id']}/analytics", expect=404)
    await grace.call("GET", f"/{profile['id']}/summary", expect=404)
