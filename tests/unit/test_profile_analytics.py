"""Profile analytics: graded section scores, the weighted completeness, and recommendations."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from jobwise.application.queries.profile_analytics import (
    SECTION_WEIGHTS,
    ProfileAnalytics,
    analyze,
    is_quantified,
    weighted_score,
)
from jobwise.domain.profile_items import ExperienceFields, with_id

TODAY = date(2025, 6, 15)
TECHNICAL = ["Python", "Go", "PostgreSQL", "Redis", "Docker", "Kubernetes", "AWS", "Terraform"]


def experience(
    company: str,
    start: str,
    end: str | None = None,
    *,
    title: str = "Engineer",
    description: str | None = "Owned the payments backend.",
    achievements: tuple[str, ...] = ("Cut p99 latency by 40%",),
) -> dict[str, Any]:
    fields = ExperienceFields(
        title=title,
        company=company,
        start_date=date.fromisoformat(start),
        end_date=None if end is None else date.fromisoformat(end),
        description=description,
        achievements=list(achievements),
    )
    return with_id(fields, f"exp-{company}")


def project(name: str, *, technologies: tuple[str, ...] = ("Python", "Redis")) -> dict[str, Any]:
    return {
        "id": f"pr-{name}",
        "name": name,
        "description": f"{name}: a tool I built.",
        "technologies": list(technologies),
        "url": f"https://github.com/ada/{name.lower()}",
        "start_date": None,
        "end_date": None,
    }


def complete_profile() -> dict[str, Any]:
    """A profile that scores 100 and gets no recommendations."""
    return {
        "id": "p-1",
        "user_id": "u-1",
        "personal_info": {
            "full_name": "Ada Lovelace",
            "email": "ada@example.com",
            "phone": "+44 20 7946 0000",
            "location": "London, UK",
            "linkedin": "https://linkedin.com/in/ada",
            "github": None,
            "website": None,
        },
        "professional_summary": " ".join(["word"] * 80),
        "skills": {
            "technical": [{"id": f"t{i}", "name": name} for i, name in enumerate(TECHNICAL)],
            "soft": [
                {"id": f"s{i}", "name": n}
                for i, n in enumerate(["Mentoring", "Writing", "Planning"])
            ],
            "languages": [{"id": "l1", "name": "English", "proficiency": "native"}],
            "certifications": [
                {
                    "id": "c1",
                    "name": "CKA",
                    "issuer": "CNCF",
                    "date_obtained": "2023-01-01",
                    "credential_id": None,
                }
            ],
        },
        "experiences": [
            experience("Acme", "2023-01-01", title="Staff Engineer"),
            experience("Initech", "2020-01-01", "2022-12-31"),
            experience("Globex", "2018-01-01", "2019-12-31", achievements=("Hired two engineers",)),
        ],
        "education": [
            {
                "id": "e1",
                "institution": "UCL",
                "degree": "BSc",
                "field_of_study": "Mathematics",
                "start_date": "2014-09-01",
                "end_date": "2017-06-30",
                "gpa": None,
                "honors": [],
            }
        ],
        "projects": [project("Engine"), project("Loom"), project("Notes", technologies=("py",))],
        "custom_fields": {},
        "version": 3,
        "is_active": True,
    }


def with_changes(**changes: Any) -> dict[str, Any]:
    profile = copy.deepcopy(complete_profile())
    profile.update(changes)
    return profile


def recommendations(profile: dict[str, Any]) -> list[str]:
    return analyze(profile, today=TODAY).recommendations


def fired(profile: dict[str, Any], fragment: str) -> list[str]:
    return [text for text in recommendations(profile) if fragment in text]


# -- weights and overall shape -------------------------------------------------------------


def test_the_weights_sum_to_100() -> None:
    assert sum(SECTION_WEIGHTS.values()) == 100
    assert all(weight > 0 for weight in SECTION_WEIGHTS.values())


def test_every_section_is_scored_in_weight_table_order() -> None:
    result = analyze({}, today=TODAY)
    assert list(result.section_scores) == list(SECTION_WEIGHTS)


def test_an_empty_profile_scores_zero_with_every_section_missing() -> None:
    result = analyze({}, today=TODAY)
    assert result.completeness_score == 0
    assert set(result.section_scores.values()) == {0}
    assert result.missing_sections == list(SECTION_WEIGHTS)
    assert "No professional summary" in " ".join(result.recommendations)
    assert "No work experience" in " ".join(result.recommendations)


def test_a_freshly_created_profile_scores_low() -> None:
    profile: dict[str, Any] = {
        "personal_info": {"full_name": "Ada", "email": None},
        "professional_summary": None,
        "skills": {"technical": [], "soft": [], "languages": [], "certifications": []},
        "experiences": [],
        "education": [],
        "projects": [],
    }
    result = analyze(profile, today=TODAY)
    assert result.completeness_score == 3  # 15% of a 20% personal info score
    assert result.missing_sections == list(SECTION_WEIGHTS)[1:]


def test_a_complete_profile_scores_100_with_no_recommendations() -> None:
    result = analyze(complete_profile(), today=TODAY)
    assert result.section_scores == dict.fromkeys(SECTION_WEIGHTS, 100)
    assert result.completeness_score == 100
    assert result.missing_sections == []
    assert result.recommendations == []


def test_the_completeness_score_is_the_weighted_mean() -> None:
    scores = dict.fromkeys(SECTION_WEIGHTS, 0) | {"experiences": 50, "skills": 100}
    assert weighted_score(scores) == 15 + 20
    profile = with_changes(professional_summary=None, projects=[])
    assert analyze(profile, today=TODAY).completeness_score == 100 - 15 - 10


def test_a_section_is_missing_exactly_when_it_scores_zero() -> None:
    result = analyze(with_changes(education=[], professional_summary="  "), today=TODAY)
    assert result.missing_sections == ["professional_summary", "education"]
    zero = [name for name, score in result.section_scores.items() if score == 0]
    assert zero == result.missing_sections


def test_the_analysis_is_deterministic_and_json_serialisable() -> None:
    profile = with_changes(professional_summary="Short.", projects=[project("X", technologies=())])
    first, second = analyze(profile, today=TODAY), analyze(profile, today=TODAY)
    assert first == second
    assert ProfileAnalytics.model_validate_json(first.model_dump_json()) == first


def test_recommendations_follow_the_section_order() -> None:
    texts = recommendations({})
    firsts = [
        texts.index("Add your full name"),
        next(i for i, t in enumerate(texts) if t.startswith("No professional summary")),
        next(i for i, t in enumerate(texts) if t.startswith("No work experience")),
        next(i for i, t in enumerate(texts) if t.startswith("No technical skills")),
        next(i for i, t in enumerate(texts) if t.startswith("No education")),
        next(i for i, t in enumerate(texts) if t.startswith("No projects")),
    ]
    assert firsts == sorted(firsts)


def test_the_model_forbids_unknown_fields() -> None:
    data = analyze({}, today=TODAY).model_dump()
    with pytest.raises(ValidationError):
        ProfileAnalytics.model_validate({**data, "extra": True})


# -- personal info -------------------------------------------------------------------------


def test_personal_info_is_the_share_of_five_checks() -> None:
    info = {"full_name": "Ada", "email": "ada@example.com", "phone": None, "location": " "}
    result = analyze(with_changes(personal_info=info), today=TODAY)
    assert result.section_scores["personal_info"] == 40
    assert result.recommendations[:3] == [
        "Add a phone number",
        "Add your location (city, country): many postings filter on it",
        "Add a LinkedIn or GitHub link",
    ]


@pytest.mark.parametrize("link", ["linkedin", "github", "website"])
def test_any_link_satisfies_the_link_check(link: str) -> None:
    info = complete_profile()["personal_info"] | {"linkedin": None, link: "https://x.example"}
    assert not fired(with_changes(personal_info=info), "LinkedIn or GitHub")


def test_no_link_asks_for_one() -> None:
    info = complete_profile()["personal_info"] | {"linkedin": None}
    assert fired(with_changes(personal_info=info), "LinkedIn or GitHub") == [
        "Add a LinkedIn or GitHub link"
    ]
    assert (
        analyze(with_changes(personal_info=info), today=TODAY).section_scores["personal_info"] == 80
    )


# -- professional summary ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "score"),
    [(0, 0), (5, 40), (19, 40), (20, 70), (49, 70), (50, 100), (120, 100), (121, 80), (201, 60)],
)
def test_summary_length_bands(words: int, score: int) -> None:
    profile = with_changes(professional_summary=" ".join(["word"] * words))
    assert analyze(profile, today=TODAY).section_scores["professional_summary"] == score


def test_no_summary_asks_for_one() -> None:
    assert fired(with_changes(professional_summary=None), "summary") == [
        "No professional summary: add 2-4 sentences on who you are and what you want next"
    ]


def test_a_short_summary_asks_for_more_words() -> None:
    profile = with_changes(professional_summary="Backend engineer who likes queues.")
    assert fired(profile, "summary") == [
        "Your professional summary has 5 words: expand it to 50-120 words"
    ]


def test_a_long_summary_asks_to_tighten() -> None:
    profile = with_changes(professional_summary=" ".join(["word"] * 150))
    assert fired(profile, "summary") == [
        "Your professional summary has 150 words: tighten it to 50-120 words"
    ]


def test_a_summary_on_target_gets_no_advice() -> None:
    assert not fired(complete_profile(), "summary")


# -- experiences ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Cut latency by 40%",
        "Saved $2M a year",
        "Saved €300k",
        "Grew revenue by 3x",
        "Hired two engineers",
        "Served millions of users",
        "Doubled throughput",
        "Reduced costs by forty percent",
    ],
)
def test_quantified_achievements(text: str) -> None:
    assert is_quantified(text)


@pytest.mark.parametrize(
    "text", ["Led the migration", "One of the core maintainers", "Improved reliability"]
)
def test_unquantified_achievements(text: str) -> None:
    assert not is_quantified(text)


def test_experience_is_graded_in_quarters() -> None:
    # One role (1/3 of the count quarter), a description, achievements, none quantified.
    role = experience("Acme", "2022-01-01", achievements=("Led the migration",))
    result = analyze(with_changes(experiences=[role]), today=TODAY)
    assert result.section_scores["experiences"] == round((1 / 3 + 1 + 1 + 0) / 4 * 100)


def test_unquantified_achievements_are_counted() -> None:
    roles = [
        experience("Acme", "2023-01-01", achievements=("Cut costs 30%", "Led the migration")),
        experience(
            "Initech",
            "2020-01-01",
            "2022-12-31",
            achievements=("Hired five engineers", "Ran on-call", "Wrote docs", "Saved $1M"),
        ),
        experience("Globex", "2018-01-01", "2019-12-31", achievements=("Mentored juniors",)),
    ]
    assert fired(with_changes(experiences=roles), "quantify") == [
        "3 of 7 achievements have a number in them: quantify the rest "
        "(%, time saved, users, revenue, team size)"
    ]


def test_a_single_unquantified_achievement_reads_naturally() -> None:
    role = experience("Acme", "2022-01-01", achievements=("Led the migration",))
    assert fired(with_changes(experiences=[role]), "quantify") == [
        "Your only achievement has no number in it: quantify it "
        "(%, time saved, users, revenue, team size)"
    ]


def test_one_quantified_achievement_of_several_is_singular() -> None:
    role = experience("Acme", "2022-01-01", achievements=("Cut costs 30%", "Led the migration"))
    assert fired(with_changes(experiences=[role]), "quantify")[0].startswith(
        "1 of 2 achievements has a number in it"
    )


def test_all_quantified_gets_no_quantify_advice() -> None:
    assert not fired(complete_profile(), "quantify")


def test_a_current_role_without_achievements_is_named() -> None:
    roles = [experience("Acme", "2023-01-01", achievements=())]
    assert fired(with_changes(experiences=roles), "no achievements") == [
        "Your current role (Engineer at Acme) has no achievements: add 2-3 concrete results"
    ]


def test_a_role_ending_after_today_counts_as_current() -> None:
    roles = [experience("Acme", "2023-01-01", "2025-12-31", achievements=())]
    assert fired(with_changes(experiences=roles), "Your current role (Engineer at Acme)")


def test_a_past_role_without_achievements_is_named() -> None:
    roles = [experience("Initech", "2020-01-01", "2022-12-31", title="SRE", achievements=())]
    assert fired(with_changes(experiences=roles), "no achievements") == [
        "Experience as SRE at Initech has no achievements: add 2-3 concrete results"
    ]


def test_a_role_without_a_description_is_named() -> None:
    roles = [
        experience("Acme", "2023-01-01", description=None),
        experience("Initech", "2020-01-01", "2021-01-01"),
    ]
    assert fired(with_changes(experiences=roles), "no description") == [
        "Experience as Engineer at Acme has no description: "
        "add 1-2 sentences on your scope and responsibilities"
    ]


def test_no_experience_asks_for_roles() -> None:
    result = analyze(with_changes(experiences=[]), today=TODAY)
    assert result.section_scores["experiences"] == 0
    assert "experiences" in result.missing_sections
    assert any(text.startswith("No work experience") for text in result.recommendations)


# -- skills --------------------------------------------------------------------------------


def skills(technical: list[str], **others: Any) -> dict[str, Any]:
    base: dict[str, Any] = copy.deepcopy(complete_profile()["skills"])
    base["technical"] = [{"id": f"t{i}", "name": name} for i, name in enumerate(technical)]
    return base | others


def test_a_short_skills_list_asks_for_more() -> None:
    profile = with_changes(skills=skills(["Python", "Go"]), projects=[])
    assert fired(profile, "skills list") == [
        "Your skills list has 2 entries: add the tools you use (aim for 8 or more)"
    ]
    assert analyze(profile, today=TODAY).section_scores["skills"] == round(60 * 2 / 8 + 40)


def test_duplicate_spellings_count_once() -> None:
    profile = with_changes(skills=skills(["JS", "javascript", "JavaScript "]), projects=[])
    assert fired(profile, "skills list") == [
        "Your skills list has 1 entry: add the tools you use (aim for 8 or more)"
    ]


def test_eight_technical_skills_are_enough() -> None:
    assert not fired(complete_profile(), "skills list")


def test_no_technical_skills_asks_for_them() -> None:
    assert fired(with_changes(skills=skills([])), "technical") == [
        "No technical skills: add the tools and technologies you use (aim for 8 or more)"
    ]


def test_project_technologies_missing_from_skills_are_listed() -> None:
    projects = [project("Engine", technologies=("python", "Rust", "Kafka", "rust", "k8s"))]
    assert fired(with_changes(projects=projects), "from your projects") == [
        "2 technologies from your projects are not in your skills: Rust, Kafka"
    ]


def test_a_long_list_of_unlisted_technologies_is_shortened() -> None:
    projects = [project("Engine", technologies=("A1", "A2", "A3", "A4", "A5", "A6", "A7"))]
    assert fired(with_changes(projects=projects), "from your projects") == [
        "7 technologies from your projects are not in your skills: A1, A2, A3, A4, A5 and 2 more"
    ]


def test_one_unlisted_technology_is_singular() -> None:
    projects = [project("Engine", technologies=("Rust",))]
    assert fired(with_changes(projects=projects), "from your projects") == [
        "1 technology from your projects is not in your skills: Rust"
    ]


def test_no_soft_skills_or_languages_ask_for_them() -> None:
    profile = with_changes(skills=skills(TECHNICAL, soft=[], languages=[]))
    assert fired(profile, "soft skills") == [
        "No soft skills: add 2-3 that your experience backs up (e.g. mentoring)"
    ]
    assert fired(profile, "languages") == [
        "Add the languages you speak, with your proficiency in each"
    ]
    assert analyze(profile, today=TODAY).section_scores["skills"] == 70


def test_certifications_alone_keep_skills_from_missing() -> None:
    only_certs = {"technical": [], "soft": [], "languages": [], "certifications": [{"name": "CKA"}]}
    result = analyze(with_changes(skills=only_certs), today=TODAY)
    assert result.section_scores["skills"] == 10
    assert "skills" not in result.missing_sections


# -- education and projects ----------------------------------------------------------------


def test_education_without_a_field_of_study() -> None:
    education = [complete_profile()["education"][0] | {"field_of_study": None}]
    result = analyze(with_changes(education=education), today=TODAY)
    assert result.section_scores["education"] == 70
    assert fired(with_changes(education=education), "field of study") == [
        "Education at UCL has no field of study"
    ]


def test_no_education_asks_for_it() -> None:
    assert fired(with_changes(education=[]), "No education") == [
        "No education: add your degrees, or courses and bootcamps"
    ]


def test_a_bare_project_gets_three_recommendations() -> None:
    bare: dict[str, Any] = {
        "id": "pr",
        "name": "Bare",
        "description": None,
        "technologies": [],
        "url": None,
    }
    result = analyze(with_changes(projects=[bare]), today=TODAY)
    assert result.section_scores["projects"] == round(40 / 3)
    assert [text for text in result.recommendations if "Bare" in text] == [
        "Project Bare has no description: say what it does and your part in it",
        "Project Bare lists no technologies",
        "Project Bare has no link: add a repository or demo URL",
    ]


def test_projects_are_graded_by_count() -> None:
    one = analyze(with_changes(projects=[project("Engine")]), today=TODAY)
    assert one.section_scores["projects"] == round(40 / 3 + 60)
    assert not [text for text in one.recommendations if "Project" in text]


def test_no_projects_asks_for_them() -> None:
    assert fired(with_changes(projects=[]), "No projects") == [
        "No projects: add 1-3 that show the skills you want to be hired for"
    ]


def test_filling_a_section_raises_the_score() -> None:
    bare = analyze(with_changes(projects=[]), today=TODAY).completeness_score
    assert analyze(complete_profile(), today=TODAY).completeness_score > bare
