"""JSON Resume interop: export and import are pure, validate, and round-trip both ways."""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest
from pydantic import ValidationError

from jobwise.adapters.interop.json_resume import (
    ImportedProfile,
    JsonResume,
    JsonResumeImportError,
    Work,
    export_profile,
    import_profile,
    proficiency_from,
)
from jobwise.domain.profile_items import (
    EducationFields,
    ExperienceFields,
    PersonalInfo,
    ProjectFields,
    SkillFields,
    with_id,
)
from jobwise.domain.storable import find_unstorable, unescape_keys

SKILL_GROUPS = {
    "technical": ("technical", ("name",)),
    "soft": ("soft", ("name",)),
    "language": ("languages", ("name", "proficiency")),
    "certification": ("certifications", ("name", "issuer", "date_obtained", "credential_id")),
}


def profile_from(imported: ImportedProfile) -> dict[str, Any]:
    """The read-model document the profile projection would hold after this import."""
    ids = (f"item-{n}" for n in itertools.count(1))
    skills: dict[str, list[dict[str, Any]]] = {group: [] for group, _ in SKILL_GROUPS.values()}
    for skill in imported.skills:
        fields = skill.model_dump(mode="json")
        group, kept = SKILL_GROUPS[fields["category"]]
        skills[group].append({"id": next(ids), **{name: fields[name] for name in kept}})
    return {
        "id": "profile-1",
        "user_id": "user-1",
        "personal_info": imported.personal_info.model_dump(mode="json"),
        "professional_summary": imported.professional_summary,
        "skills": skills,
        "experiences": [with_id(item, next(ids)) for item in imported.experiences],
        "education": [with_id(item, next(ids)) for item in imported.education],
        "projects": [with_id(item, next(ids)) for item in imported.projects],
        "custom_fields": copy.deepcopy(imported.custom_fields),
        "version": 1,
        "is_active": True,
        "created_at": "2024-05-01T10:00:00Z",
        "updated_at": "2024-05-01T10:00:00Z",
    }


def normalised(resume: JsonResume) -> dict[str, Any]:
    return resume.model_dump(mode="json", exclude_none=True, by_alias=True)


def without_ids(value: Any) -> Any:
    """A profile's comparable content: no ids, timestamps or custom_fields stash."""
    if isinstance(value, dict):
        skip = {"id", "user_id", "version", "created_at", "updated_at", "custom_fields"}
        return {key: without_ids(item) for key, item in value.items() if key not in skip}
    if isinstance(value, list):
        return [without_ids(item) for item in value]
    return value


def rich_resume() -> dict[str, Any]:
    """A realistic resume using every section, partial dates and a few oddities."""
    return {
        "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
        "basics": {
            "name": "Ada Moreno",
            "label": "Backend Engineer",
            "image": "https://example.com/ada.jpg",
            "email": "ada@example.com",
            "phone": "+49 30 1234567",
            "url": "https://ada.dev",
            "summary": "Backend engineer who likes event sourcing and boring deploys.",
            "location": {
                "address": "Torstraße 1",
                "postalCode": "10119",
                "city": "Berlin",
                "countryCode": "DE",
                "region": "Berlin",
            },
            "profiles": [
                {"network": "Twitter", "username": "ada", "url": "https://twitter.com/ada"},
                {
                    "network": "LinkedIn",
                    "username": "adamoreno",
                    "url": "https://www.linkedin.com/in/adamoreno",
                },
                {"network": "github", "username": "ada-m", "url": "https://github.com/ada-m"},
            ],
        },
        "work": [
            {
                "name": "Streamly",
                "position": "Senior Backend Engineer",
                "url": "https://streamly.example",
                "location": "Berlin",
                "description": "Video streaming start-up",
                "startDate": "2021-03",
                "summary": "Owns the event store and the billing projections.",
                "highlights": ["Cut p99 latency by 40%", "Led the Postgres → Mongo migration"],
            },
            {
                "name": "Old Corp",
                "position": "Intern",
                "summary": "A summer, no dates remembered.",
            },
            {
                "name": "Datapipe",
                "position": "Software Engineer",
                "startDate": "2017",
                "endDate": "2021-02-28",
                "highlights": [],
            },
        ],
        "volunteer": [
            {
                "organization": "Code Club",
                "position": "Mentor",
                "url": "https://codeclub.example",
                "startDate": "2019-09",
                "summary": "Teaching kids Python.",
                "highlights": ["Ran 40 sessions"],
            }
        ],
        "education": [
            {
                "institution": "TU Berlin",
                "url": "https://tu.berlin",
                "area": "Computer Science",
                "studyType": "Master of Science",
                "startDate": "2015-10",
                "endDate": "2017-09",
                "score": "1.3",
                "courses": ["DB301 - Distributed Databases"],
            },
            {
                "institution": "Universidad de Sevilla",
                "area": "Mathematics",
                "studyType": "Bachelor",
                "startDate": "2011",
                "endDate": "2015",
            },
        ],
        "awards": [
            {
                "title": "Hackathon winner",
                "date": "2019-05-12",
                "awarder": "Berlin Hack",
                "summary": "Best use of open data.",
            },
            {"title": "Graduated with distinction", "date": "2017-09", "awarder": "TU Berlin"},
            {"title": "Dean's list", "awarder": "Universidad de Sevilla"},
        ],
        "certificates": [
            {
                "name": "AWS Certified Developer",
                "date": "2022-01",
                "issuer": "Amazon Web Services",
                "url": "https://www.credly.com/badges/abc-123",
            },
            {"name": "CKAD (Credential ID: LF-9xk2)", "date": "2023", "issuer": "CNCF"},
        ],
        "publications": [
            {
                "name": "Projections at scale",
                "publisher": "Some Conf",
                "releaseDate": "2022-06",
                "url": "https://conf.example/talk",
                "summary": "Talk on rebuilding read models.",
            }
        ],
        "skills": [
            {"name": "Backend", "level": "Master", "keywords": ["Python", "Go", "PostgreSQL"]},
            {"name": "Docker", "level": "Advanced"},
            {"name": "Soft skills", "keywords": ["Mentoring", "Writing"]},
        ],
        "languages": [
            {"language": "Spanish", "fluency": "Native speaker"},
            {"language": "English", "fluency": "Full professional proficiency"},
            {"language": "German", "fluency": "B1"},
            {"language": "Klingon", "fluency": "Qapla'"},
        ],
        "interests": [{"name": "Climbing", "keywords": ["bouldering"]}],
        "references": [{"name": "Grace H.", "reference": "Ada ships."}],
        "projects": [
            {
                "name": "eventide",
                "description": "A tiny event store",
                "highlights": ["500 GitHub stars"],
                "keywords": ["Python", "asyncio"],
                "startDate": "2020-01",
                "url": "https://github.com/ada-m/eventide",
                "roles": ["Maintainer"],
                "entity": "Personal",
                "type": "application",
            },
            {"name": "retro", "url": "gopher://retro.example", "endDate": "2018"},
        ],
        "meta": {
            "canonical": "https://ada.dev/resume.json",
            "version": "v1.0.0",
            "lastModified": "2024-04-01T10:00:00",
        },
        "x-theme": {"name": "elegant", "color": "teal"},
    }


def rich_profile() -> dict[str, Any]:
    """A profile made in JobWise (no import behind it), with every field used."""
    return {
        "id": "p-7",
        "user_id": "u-7",
        "personal_info": {
            "full_name": "Sam Lee",
            "email": "sam@example.org",
            "phone": "+1 555 0100",
            "location": "Toronto, Canada",
            "linkedin": "https://linkedin.com/in/samlee",
            "github": "https://github.com/samlee",
            "website": "https://samlee.ca",
        },
        "professional_summary": "Data engineer.",
        "skills": {
            "technical": [{"id": "s1", "name": "Python"}, {"id": "s2", "name": "Spark"}],
            "soft": [{"id": "s3", "name": "Leadership"}],
            "languages": [
                {"id": "s4", "name": "English", "proficiency": "native"},
                {"id": "s5", "name": "French", "proficiency": "conversational"},
                {"id": "s6", "name": "Korean", "proficiency": "basic"},
                {"id": "s7", "name": "Latin", "proficiency": None},
            ],
            "certifications": [
                {
                    "id": "s8",
                    "name": "GCP Data Engineer",
                    "issuer": "Google",
                    "date_obtained": "2022-03-15",
                    "credential_id": "G-123",
                },
                {
                    "id": "s9",
                    "name": "Databricks Associate",
                    "issuer": "Databricks",
                    "date_obtained": None,
                    "credential_id": "https://credentials.databricks.com/42",
                },
            ],
        },
        "experiences": [
            {
                "id": "e1",
                "title": "Data Engineer",
                "company": "Maple Bank",
                "location": "Toronto",
                "start_date": "2020-06-01",
                "end_date": None,
                "is_current": True,
                "description": "Batch and streaming pipelines.",
                "achievements": ["Moved 200 jobs to Spark"],
            },
            {
                "id": "e2",
                "title": "Analyst",
                "company": "Shopz",
                "location": None,
                "start_date": "2018-01-15",
                "end_date": "2020-05-31",
                "is_current": False,
                "description": None,
                "achievements": [],
            },
        ],
        "education": [
            {
                "id": "d1",
                "institution": "University of Toronto",
                "degree": "BSc",
                "field_of_study": "Statistics",
                "start_date": "2014-09-01",
                "end_date": "2018-06-01",
                "gpa": "3.8",
                "honors": ["Dean's List", "Summa cum laude"],
            },
            {
                "id": "d2",
                "institution": "University of Toronto",
                "degree": "MSc",
                "field_of_study": None,
                "start_date": "2023-09-01",
                "end_date": None,
                "gpa": None,
                "honors": ["Graduate fellowship"],
            },
        ],
        "projects": [
            {
                "id": "j1",
                "name": "pipewatch",
                "description": "Lineage for Spark jobs",
                "technologies": ["Scala", "Spark"],
                "url": "https://github.com/samlee/pipewatch",
                "start_date": "2021-01-01",
                "end_date": "2021-12-31",
            }
        ],
        "custom_fields": {"hobbies": ["chess"]},
        "version": 12,
        "is_active": True,
        "created_at": "2024-01-01T00:00:00Z",
        "updated_at": "2024-02-01T00:00:00Z",
    }


# --------------------------------------------------------------------------- the schema


@pytest.mark.parametrize("value", ["2020", "2020-03", "2020-03-31"])
def test_dates_may_be_partial(value: str) -> None:
    assert Work(startDate=value).startDate == value


@pytest.mark.parametrize("value", ["2020-13", "2021-02-30", "March 2020", "20", "2020-3"])
def test_dates_must_be_real_iso_dates(value: str) -> None:
    with pytest.raises(ValidationError):
        Work(startDate=value)


def test_an_empty_date_means_no_date() -> None:
    assert Work(endDate="").endDate is None


def test_unknown_top_level_keys_are_kept_and_sub_objects_are_typed() -> None:
    resume = JsonResume.model_validate(rich_resume())
    assert resume.model_extra == {"x-theme": {"name": "elegant", "color": "teal"}}
    assert resume.basics is not None and resume.basics.location is not None
    assert resume.basics.location.city == "Berlin"
    with pytest.raises(ValidationError):
        JsonResume.model_validate({"work": [{"highlights": "not a list"}]})


# --------------------------------------------------------------------------- export


def test_export_of_a_profile_made_here() -> None:
    resume = export_profile(rich_profile())
    document = normalised(resume)
    JsonResume.model_validate(document)  # what we write, we can read

    assert document["basics"] == {
        "name": "Sam Lee",
        "email": "sam@example.org",
        "phone": "+1 555 0100",
        "url": "https://samlee.ca",
        "summary": "Data engineer.",
        "location": {"address": "Toronto, Canada"},
        "profiles": [
            {"network": "LinkedIn", "url": "https://linkedin.com/in/samlee"},
            {"network": "GitHub", "url": "https://github.com/samlee"},
        ],
    }
    assert document["work"][0] == {
        "name": "Maple Bank",
        "position": "Data Engineer",
        "location": "Toronto",
        "startDate": "2020-06-01",
        "summary": "Batch and streaming pipelines.",
        "highlights": ["Moved 200 jobs to Spark"],
    }
    assert document["work"][1]["endDate"] == "2020-05-31"
    assert document["education"][0] == {
        "institution": "University of Toronto",
        "studyType": "BSc",
        "area": "Statistics",
        "startDate": "2014-09-01",
        "endDate": "2018-06-01",
        "score": "3.8",
    }
    assert document["awards"] == [
        {"title": "Dean's List", "awarder": "University of Toronto", "date": "2018-06-01"},
        {"title": "Summa cum laude", "awarder": "University of Toronto", "date": "2018-06-01"},
        {"title": "Graduate fellowship", "awarder": "University of Toronto"},
    ]
    assert document["projects"] == [
        {
            "name": "pipewatch",
            "description": "Lineage for Spark jobs",
            "keywords": ["Scala", "Spark"],
            "url": "https://github.com/samlee/pipewatch",
            "startDate": "2021-01-01",
            "endDate": "2021-12-31",
        }
    ]
    assert document["skills"] == [
        {"name": "Technical skills", "keywords": ["Python", "Spark"]},
        {"name": "Soft skills", "keywords": ["Leadership"]},
    ]
    assert document["languages"] == [
        {"language": "English", "fluency": "Native speaker"},
        {"language": "French", "fluency": "Conversational"},
        {"language": "Korean", "fluency": "Basic"},
        {"language": "Latin"},
    ]
    assert document["certificates"] == [
        {
            "name": "GCP Data Engineer (Credential ID: G-123)",
            "issuer": "Google",
            "date": "2022-03-15",
        },
        {
            "name": "Databricks Associate",
            "issuer": "Databricks",
            "url": "https://credentials.databricks.com/42",
        },
    ]
    # Nothing invented: sections the profile has nothing for are absent.
    assert not {"volunteer", "publications", "interests", "references", "meta"} & set(document)


def test_export_of_an_empty_profile_is_just_basics() -> None:
    profile = {"personal_info": {"full_name": "Solo"}, "skills": {}, "custom_fields": {}}
    assert normalised(export_profile(profile)) == {"basics": {"name": "Solo"}}


@pytest.mark.parametrize(
    "stash",
    [
        {"slots": "garbage"},
        {"slots": {"work": [{"entry": {"startDate": "last year"}}]}},
        "not even a dict",
    ],
)
def test_a_damaged_stash_does_not_break_the_export(stash: Any) -> None:
    # custom_fields are editable by the user; the profile itself must still export.
    profile = rich_profile()
    profile["custom_fields"] = {"json_resume": stash}
    assert normalised(export_profile(profile)) == normalised(export_profile(rich_profile()))


# --------------------------------------------------------------------------- import


def test_import_of_a_rich_resume_gives_valid_items() -> None:
    imported = import_profile(JsonResume.model_validate(rich_resume()))
    info = imported.personal_info.model_dump(mode="json")
    experiences = [item.model_dump(mode="json") for item in imported.experiences]
    education = [item.model_dump(mode="json") for item in imported.education]
    projects = [item.model_dump(mode="json") for item in imported.projects]
    skills = [item.model_dump(mode="json") for item in imported.skills]

    # Each part is shaped for the domain models, as the profile commands will take them.
    PersonalInfo(**info)
    for item in experiences:
        ExperienceFields(**item)
    for item in education:
        EducationFields(**item)
    for item in projects:
        ProjectFields(**item)
    for item in skills:
        SkillFields(**item)

    assert info == {
        "full_name": "Ada Moreno",
        "email": "ada@example.com",
        "phone": "+49 30 1234567",
        "location": "Torstraße 1, Berlin, Berlin, 10119, DE",
        "linkedin": "https://www.linkedin.com/in/adamoreno",
        "github": "https://github.com/ada-m",
        "website": "https://ada.dev",
    }
    assert (imported.professional_summary or "").startswith("Backend engineer")
    assert experiences == [
        {
            "title": "Senior Backend Engineer",
            "company": "Streamly",
            "location": "Berlin",
            "start_date": "2021-03-01",
            "end_date": None,
            "is_current": True,
            "description": "Owns the event store and the billing projections.",
            "achievements": ["Cut p99 latency by 40%", "Led the Postgres → Mongo migration"],
        },
        {
            "title": "Software Engineer",
            "company": "Datapipe",
            "location": None,
            "start_date": "2017-01-01",
            "end_date": "2021-02-28",
            "is_current": False,
            "description": None,
            "achievements": [],
        },
    ]
    assert [(e["degree"], e["start_date"], e["end_date"], e["honors"]) for e in education] == [
        ("Master of Science", "2015-10-01", "2017-09-01", ["Graduated with distinction"]),
        ("Bachelor", "2011-01-01", "2015-01-01", ["Dean's list"]),
    ]
    assert education[0]["gpa"] == "1.3" and education[0]["field_of_study"] == "Computer Science"
    # A url that is not http(s) is set aside, not a reason to drop the project.
    assert [(p["name"], p["url"], p["technologies"]) for p in projects] == [
        ("eventide", "https://github.com/ada-m/eventide", ["Python", "asyncio"]),
        ("retro", None, []),
    ]
    by_category = {
        category: [(s["name"], s["proficiency"]) for s in skills if s["category"] == category]
        for category in ("technical", "soft", "language")
    }
    assert by_category == {
        "technical": [("Python", None), ("Go", None), ("PostgreSQL", None), ("Docker", None)],
        "soft": [("Mentoring", None), ("Writing", None)],
        "language": [
            ("Spanish", "native"),
            ("English", "fluent"),
            ("German", "conversational"),
            ("Klingon", None),
        ],
    }
    certificates = [s for s in skills if s["category"] == "certification"]
    assert [(c["name"], c["date_obtained"], c["credential_id"]) for c in certificates] == [
        ("AWS Certified Developer", "2022-01-01", "https://www.credly.com/badges/abc-123"),
        ("CKAD", "2023-01-01", "LF-9xk2"),
    ]


def test_import_keeps_what_does_not_fit_in_custom_fields() -> None:
    imported = import_profile(JsonResume.model_validate(rich_resume()))
    # Stored with escaped keys ("$schema" cannot be stored as it is), read back as it was.
    assert find_unstorable(imported.custom_fields) is None
    assert "~2schema" in imported.custom_fields["json_resume"]["verbatim"]
    stash = unescape_keys(imported.custom_fields["json_resume"])
    assert set(stash["verbatim"]) == {
        "$schema",
        "volunteer",
        "publications",
        "interests",
        "references",
        "meta",
        "x-theme",
    }
    assert stash["basics"]["extra"] == {
        "label": "Backend Engineer",
        "image": "https://example.com/ada.jpg",
    }
    # The work entry without a start date is kept whole, in its place, and reported.
    assert stash["slots"]["work"][1] == {
        "entry": {
            "name": "Old Corp",
            "position": "Intern",
            "summary": "A summer, no dates remembered.",
        }
    }
    assert imported.notes == [
        "work[1].start_date: Input should be a valid date (kept in custom_fields)"
    ]
    # The original precision of a partial date is remembered.
    assert stash["slots"]["work"][0]["originals"] == {"startDate": "2021-03"}
    # A general award stays an award.
    assert stash["slots"]["awards"][0]["entry"]["title"] == "Hackathon winner"


def test_a_non_http_website_is_set_aside_not_refused() -> None:
    resume = JsonResume.model_validate(
        {"basics": {"name": "Kim", "url": "ftp://kim.example", "email": "not-an-email"}}
    )
    imported = import_profile(resume)
    assert imported.personal_info.website is None
    assert imported.personal_info.email is None
    assert imported.custom_fields["json_resume"]["basics"]["extra"] == {
        "url": "ftp://kim.example",
        "email": "not-an-email",
    }
    assert normalised(export_profile(profile_from(imported))) == normalised(resume)


def test_a_resume_without_a_name_is_refused() -> None:
    with pytest.raises(JsonResumeImportError, match=r"basics\.name"):
        import_profile(JsonResume.model_validate({"work": []}))


@pytest.mark.parametrize(
    ("fluency", "proficiency"),
    [
        ("Native speaker", "native"),
        ("Native or bilingual proficiency", "native"),
        ("Fluent", "fluent"),
        ("Full professional proficiency", "fluent"),
        ("Professional working proficiency", "fluent"),
        ("C1", "fluent"),
        ("Limited working proficiency", "conversational"),
        ("Intermediate", "conversational"),
        ("Elementary proficiency", "basic"),
        ("A2", "basic"),
        ("some", None),
        (None, None),
    ],
)
def test_fluency_wording(fluency: str | None, proficiency: str | None) -> None:
    assert proficiency_from(fluency) == proficiency


# --------------------------------------------------------------------------- round trips


def test_resume_to_profile_to_resume_is_lossless() -> None:
    resume = JsonResume.model_validate(rich_resume())
    again = export_profile(profile_from(import_profile(resume)))
    assert normalised(again) == normalised(resume)
    assert again.model_extra == {"x-theme": {"name": "elegant", "color": "teal"}}


def test_empty_sections_stay_empty_and_absent_ones_absent() -> None:
    resume = JsonResume.model_validate(
        {"basics": {"name": "Ed", "profiles": []}, "work": [], "interests": [], "skills": []}
    )
    again = export_profile(profile_from(import_profile(resume)))
    assert normalised(again) == normalised(resume)


def test_profile_to_resume_to_profile_keeps_every_field() -> None:
    profile = rich_profile()
    back = profile_from(import_profile(export_profile(profile)))
    expected = without_ids(profile)
    assert without_ids(back) == expected


def test_twice_round_the_loop_changes_nothing() -> None:
    resume = JsonResume.model_validate(rich_resume())
    once = export_profile(profile_from(import_profile(resume)))
    twice = export_profile(profile_from(import_profile(once)))
    assert normalised(twice) == normalised(resume)


# --------------------------------------------------------------------------- edits after an import


def imported_profile() -> dict[str, Any]:
    return profile_from(import_profile(JsonResume.model_validate(rich_resume())))


def test_an_edited_date_is_exported_as_it_is_now() -> None:
    profile = imported_profile()
    profile["experiences"][0].update(end_date="2024-06-30", is_current=False)
    profile["experiences"][1]["start_date"] = "2016-05-01"
    work = normalised(export_profile(profile))["work"]
    assert (work[0]["startDate"], work[0]["endDate"]) == ("2021-03", "2024-06-30")
    assert work[0]["url"] == "https://streamly.example"  # what we do not model stays
    assert work[2]["startDate"] == "2016-05-01"  # no longer "2017": that meant 2017-01-01


def test_deleted_items_leave_and_added_items_join_at_the_end() -> None:
    profile = imported_profile()
    del profile["experiences"][0]
    profile["experiences"].append(
        {
            "id": "new",
            "title": "Staff Engineer",
            "company": "Nimbus",
            "location": None,
            "start_date": "2024-07-01",
            "end_date": None,
            "is_current": True,
            "description": None,
            "achievements": [],
        }
    )
    profile["education"][0]["honors"] = []
    profile["skills"]["soft"].append({"id": "n2", "name": "Negotiation"})
    profile["skills"]["technical"] = [
        s for s in profile["skills"]["technical"] if s["name"] != "Go"
    ]
    document = normalised(export_profile(profile))
    assert [(w["name"], w.get("startDate")) for w in document["work"]] == [
        ("Old Corp", None),
        ("Datapipe", "2017"),
        ("Nimbus", "2024-07-01"),
    ]
    assert [a["title"] for a in document["awards"]] == ["Hackathon winner", "Dean's list"]
    assert document["skills"] == [
        {"name": "Backend", "level": "Master", "keywords": ["Python", "PostgreSQL"]},
        {"name": "Docker", "level": "Advanced"},
        {"name": "Soft skills", "keywords": ["Mentoring", "Writing", "Negotiation"]},
    ]


def test_a_changed_proficiency_replaces_the_original_wording() -> None:
    profile = imported_profile()
    english = profile["skills"]["languages"][1]
    assert english["proficiency"] == "fluent"
    languages = normalised(export_profile(profile))["languages"]
    assert languages[1]["fluency"] == "Full professional proficiency"
    english["proficiency"] = "native"
    languages = normalised(export_profile(profile))["languages"]
    assert languages[1] == {"language": "English", "fluency": "Native speaker"}


def test_entries_that_cannot_be_items_keep_their_place() -> None:
    resume = JsonResume.model_validate(
        {
            "basics": {"name": "X", "profiles": [{"network": "GitHub", "username": "x"}]},
            "work": [
                {"name": "A", "position": "Dev", "startDate": "2020", "endDate": "2019"},
                {"company": "Legacy", "position": "Dev", "startDate": "2018"},  # old schema
                {"name": "B", "position": "Dev", "startDate": "2015", "endDate": "2016"},
                {"name": "B", "position": "Dev", "startDate": "2017", "endDate": ""},
            ],
            "education": [{"institution": "U", "area": "CS", "startDate": "2010"}],
            "awards": [{"title": "Prize", "awarder": "U"}],
            "skills": [{"name": "Web", "keywords": ["HTML", ""]}, {"name": "Python"}],
        }
    )
    imported = import_profile(resume)
    assert imported.personal_info.github is None  # a username alone is not a link
    assert [(e.company, e.is_current) for e in imported.experiences] == [
        ("B", False),
        ("B", True),
    ]
    assert imported.education == []
    assert [s.name for s in imported.skills] == ["Python"]
    assert [note.split(":")[0] for note in imported.notes] == [
        "work[0].end_date",
        "work[1].company",
        "education[0].degree",
        "skills[0].name",
    ]
    # An empty endDate was read as "no end date" already, so this is what comes back.
    assert normalised(export_profile(profile_from(imported))) == normalised(resume)
