"""The compact, generation-ready profile: durations, the experience union, canonical skills."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from jobwise.domain.profile_items import (
    EducationFields,
    ExperienceFields,
    ProjectFields,
    with_id,
)
from jobwise.domain.profile_summary import (
    ProfileSummary,
    canonical_skill,
    canonical_skills,
    duration_months,
    role_months,
    summarize,
    union_months,
)

TODAY = date(2025, 6, 15)


def experience(
    start: str, end: str | None = None, *, title: str = "Engineer", company: str = "Acme"
) -> dict[str, Any]:
    """A stored experience item, shaped by the real validated model."""
    fields = ExperienceFields(
        title=title,
        company=company,
        start_date=date.fromisoformat(start),
        end_date=None if end is None else date.fromisoformat(end),
        description="Built things.",
        achievements=["Cut latency by 40%"],
    )
    return with_id(fields, f"exp-{company}-{start}")


def rich_profile() -> dict[str, Any]:
    return {
        "id": "p-1",
        "user_id": "u-1",
        "personal_info": {
            "full_name": "Ada Lovelace",
            "email": "ada@example.com",
            "phone": "+44 20 7946 0000",
            "location": "London, UK",
            "linkedin": None,
            "github": "https://github.com/ada",
            "website": "https://ada.dev",
        },
        "professional_summary": "  Backend engineer who likes event sourcing.  ",
        "skills": {
            "technical": [
                {"id": "s1", "name": "Python"},
                {"id": "s2", "name": " JS "},
                {"id": "s3", "name": "k8s"},
                {"id": "s4", "name": "React   Native"},
            ],
            "soft": [{"id": "s5", "name": "Mentoring"}, {"id": "s6", "name": "mentoring"}],
            "languages": [
                {"id": "l1", "name": "English", "proficiency": "native"},
                {"id": "l2", "name": "French", "proficiency": None},
            ],
            "certifications": [
                {
                    "id": "c1",
                    "name": "AWS Solutions Architect",
                    "issuer": "Amazon",
                    "date_obtained": "2023-05-01",
                    "credential_id": "X-1",
                }
            ],
        },
        "experiences": [
            experience("2023-03-01", title="Staff Engineer", company="Acme"),
            experience("2020-01-10", "2023-03-31", title="Engineer", company="Initech"),
        ],
        "education": [
            with_id(
                EducationFields(
                    institution="UCL",
                    degree="BSc",
                    field_of_study="Mathematics",
                    start_date=date(2016, 9, 1),
                    end_date=date(2019, 6, 30),
                    gpa=None,
                    honors=["First class"],
                ),
                "e1",
            )
        ],
        "projects": [
            with_id(
                ProjectFields(
                    name="Engine",
                    description="An analytical engine.",
                    technologies=["python", "Golang", "postgres", "Redis", "GO"],
                    url="https://github.com/ada/engine",
                ),
                "pr1",
            )
        ],
        "custom_fields": {},
        "version": 7,
        "is_active": True,
    }


# -- canonical names ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("JS", "JavaScript"),
        ("Javascript", "JavaScript"),
        ("javascript", "JavaScript"),
        ("TS", "TypeScript"),
        ("k8s", "Kubernetes"),
        ("Postgres", "PostgreSQL"),
        ("postgresql", "PostgreSQL"),
        ("Golang", "Go"),
        ("node", "Node.js"),
        ("nodejs", "Node.js"),
        ("Node.JS", "Node.js"),
        ("py", "Python"),
        ("PYTHON", "Python"),
        ("gcp", "GCP"),
        ("Google   Cloud", "GCP"),
        ("aws", "AWS"),
        # beyond the old stop-gap table: the whole shared taxonomy applies
        ("  react \t native \n", "React Native"),
        ("sklearn", "scikit-learn"),
        ("node js", "Node.js"),
        ("Amazon Web Services", "AWS"),
        ("spark", "Apache Spark"),
    ],
)
def test_known_aliases_map_to_one_canonical_name(raw: str, canonical: str) -> None:
    assert canonical_skill(raw) == canonical


def test_unknown_names_are_trimmed_and_collapsed_but_keep_their_spelling() -> None:
    assert canonical_skill("  Event \t Storming \n") == "Event Storming"
    assert canonical_skill("in-house ORM-lite") == "in-house ORM-lite"


def test_canonical_skills_dedupes_case_insensitively_keeping_the_first_spelling() -> None:
    names = ["React", "react", "JS", "javascript", "REACT", "Docker", "docker "]
    assert canonical_skills(names) == ["React", "JavaScript", "Docker"]


def test_canonical_skills_drops_blank_names() -> None:
    assert canonical_skills(["", "   ", "Go"]) == ["Go"]


# -- durations ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2020, 1, 1), date(2020, 12, 31), 12),  # a calendar year
        (date(2020, 1, 31), date(2020, 12, 1), 12),  # days of the month are ignored
        (date(2021, 5, 3), date(2021, 5, 20), 1),  # same month: 1, not 0
        (date(2019, 11, 1), date(2020, 2, 1), 4),  # across a year boundary
        (date(2020, 1, 1), None, 66),  # current role: Jan 2020 .. Jun 2025
        (date(2025, 6, 1), None, 1),  # started this month
        (date(2020, 1, 1), date(2030, 1, 1), 66),  # an end after today is cut to today
        (date(2025, 9, 1), None, 0),  # starts in the future: never negative
        (date(2020, 6, 1), date(2020, 1, 1), 0),  # end before start: never negative
        (None, date(2020, 1, 1), 0),  # no start: nothing to count
    ],
)
def test_duration_months_counts_both_end_months(
    start: date | None, end: date | None, months: int
) -> None:
    assert duration_months(start, end, today=TODAY) == months


def test_role_months_is_an_inclusive_month_span() -> None:
    span = role_months(date(2020, 1, 5), date(2020, 3, 5), today=TODAY)
    assert span is not None
    assert span[1] - span[0] == 2
    assert role_months(date(2026, 1, 1), None, today=TODAY) is None


def _span(start: str, end: str) -> tuple[int, int] | None:
    return role_months(date.fromisoformat(start), date.fromisoformat(end), today=TODAY)


def test_union_months_does_not_double_count_overlaps() -> None:
    first = _span("2020-01-01", "2020-12-31")  # 12
    overlapping = _span("2020-07-01", "2021-06-30")  # 12, 6 of them shared
    assert union_months([first, overlapping]) == 18


def test_union_months_counts_a_shared_month_once() -> None:
    # Leaving in June and starting in June: June is one month, not two.
    assert (
        union_months([_span("2020-01-01", "2020-06-10"), _span("2020-06-20", "2020-12-31")]) == 12
    )


def test_union_months_handles_contained_disjoint_and_unordered_spans() -> None:
    spans = [
        _span("2022-01-01", "2022-03-31"),  # 3, disjoint
        _span("2018-01-01", "2019-12-31"),  # 24
        _span("2018-06-01", "2018-08-31"),  # inside the previous one
        None,  # a role with no months
    ]
    assert union_months(spans) == 27
    assert union_months([]) == 0


# -- the summary ---------------------------------------------------------------------------


def test_an_empty_profile_gives_an_empty_summary() -> None:
    summary = summarize({}, today=TODAY)
    assert summary.name is None
    assert summary.contact.links == {}
    assert (summary.experiences, summary.projects, summary.education) == ([], [], [])
    assert (summary.skills, summary.languages, summary.certifications) == ([], [], [])
    assert summary.total_experience_months == 0


def test_none_sections_are_tolerated() -> None:
    profile = {"personal_info": None, "skills": None, "experiences": None, "projects": None}
    assert summarize(profile, today=TODAY).skills == []


def test_name_contact_and_summary_text() -> None:
    summary = summarize(rich_profile(), today=TODAY)
    assert summary.profile_id == "p-1"
    assert summary.profile_version == 7
    assert summary.name == "Ada Lovelace"
    assert summary.contact.email == "ada@example.com"
    assert summary.contact.location == "London, UK"
    assert summary.contact.links == {
        "github": "https://github.com/ada",
        "website": "https://ada.dev",
    }
    assert summary.summary == "Backend engineer who likes event sourcing."


def test_experiences_keep_their_order_and_get_durations() -> None:
    summary = summarize(rich_profile(), today=TODAY)
    current, past = summary.experiences
    assert (current.title, current.company, current.is_current) == ("Staff Engineer", "Acme", True)
    assert current.start_date == date(2023, 3, 1)
    assert current.end_date is None
    assert current.duration_months == 28  # Mar 2023 .. Jun 2025
    assert (past.company, past.is_current, past.duration_months) == ("Initech", False, 39)
    assert past.achievements == ["Cut latency by 40%"]


def test_total_experience_is_the_union_of_the_roles() -> None:
    # Initech Jan 2020 .. Mar 2023 and Acme Mar 2023 .. Jun 2025 share March 2023.
    summary = summarize(rich_profile(), today=TODAY)
    assert summary.total_experience_months == 39 + 28 - 1


def test_a_role_ending_after_today_is_current() -> None:
    profile = {"experiences": [experience("2024-01-01", "2025-12-31")]}
    role = summarize(profile, today=TODAY).experiences[0]
    assert role.is_current is True
    assert role.duration_months == 18  # Jan 2024 .. Jun 2025: only time worked so far


def test_a_current_role_grows_with_today() -> None:
    profile = {"experiences": [experience("2025-01-01")]}
    assert summarize(profile, today=date(2025, 1, 1)).total_experience_months == 1
    assert summarize(profile, today=date(2026, 1, 1)).total_experience_months == 13


def test_date_values_are_accepted_as_well_as_iso_strings() -> None:
    profile = {
        "experiences": [
            {
                "title": "Engineer",
                "company": "Acme",
                "start_date": date(2024, 1, 1),
                "end_date": date(2024, 6, 30),
                "is_current": False,
            }
        ]
    }
    assert summarize(profile, today=TODAY).experiences[0].duration_months == 6


def test_skills_are_one_flat_canonical_deduplicated_list() -> None:
    summary = summarize(rich_profile(), today=TODAY)
    # technical skills first, then project technologies not yet listed
    assert summary.skills == [
        "Python",
        "JavaScript",
        "Kubernetes",
        "React Native",
        "Go",
        "PostgreSQL",
        "Redis",
    ]
    assert summary.projects[0].technologies == ["Python", "Go", "PostgreSQL", "Redis"]


def test_languages_soft_skills_and_certifications_stay_separate() -> None:
    summary = summarize(rich_profile(), today=TODAY)
    assert [(lang.name, lang.proficiency) for lang in summary.languages] == [
        ("English", "native"),
        ("French", None),
    ]
    assert summary.soft_skills == ["Mentoring"]
    assert summary.certifications == ["AWS Solutions Architect"]
    assert "English" not in summary.skills


def test_education_and_projects_are_compact() -> None:
    summary = summarize(rich_profile(), today=TODAY)
    (degree,) = summary.education
    assert (degree.institution, degree.degree, degree.field_of_study) == (
        "UCL",
        "BSc",
        "Mathematics",
    )
    assert degree.end_date == date(2019, 6, 30)
    (project,) = summary.projects
    assert (project.name, project.url) == ("Engine", "https://github.com/ada/engine")


def test_the_summary_is_json_serialisable_and_round_trips() -> None:
    summary = summarize(rich_profile(), today=TODAY)
    data = json.loads(summary.model_dump_json())
    assert data["experiences"][0]["start_date"] == "2023-03-01"
    assert ProfileSummary.model_validate(data) == summary


def test_the_summary_model_forbids_unknown_fields() -> None:
    data = summarize({}, today=TODAY).model_dump()
    with pytest.raises(ValidationError):
        ProfileSummary.model_validate({**data, "surprise": 1})
