"""``read_resume``: hand-built lines of a resume into a profile draft. Every case also
checks that nothing is invented (every string of the draft is text of the file)."""

from __future__ import annotations

from typing import Any

from jobwise.adapters.interop.resume_file.lines import TextLine
from jobwise.adapters.interop.resume_file.reader import STASH_KEY, ResumeDraft, read_resume
from tests.unit.interop.resume_lines import (
    RIGHT_MARGIN,
    assert_nothing_invented,
    bullet,
    heading,
    invented,
    line,
    name,
)


def read(lines: list[TextLine]) -> ResumeDraft:
    draft = read_resume(lines, "pdf")
    assert_nothing_invented(draft, lines)
    return draft


def only(draft: ResumeDraft, component: str) -> dict[str, Any]:
    (item,) = draft.draft[component]
    assert isinstance(item, dict)
    return item


# -- the check itself ---------------------------------------------------------------------


def test_the_check_finds_an_invented_value() -> None:
    lines = [name(), heading("Experience"), line("Engineer, Acme\tJan 2020 – Present")]
    draft = read_resume(lines, "pdf")
    draft.draft["experiences"][0]["company"] = "Initech"
    assert invented(draft, lines) == [("company", "Initech")]


# -- the person ---------------------------------------------------------------------------


def test_name_and_contact_details_from_the_header() -> None:
    lines = [
        name(),
        line("jane@example.com | +1 (512) 555-0199 | Austin, TX"),
        line("linkedin.com/in/janedoe · github.com/janedoe"),
        heading("Experience"),
        line("Engineer, Acme\tJan 2020 – Present"),
    ]
    draft = read(lines)
    assert draft.draft["personal_info"] == {
        "full_name": "Jane Doe",
        "email": "jane@example.com",
        "phone": "+1 (512) 555-0199",
        "location": "Austin, TX",
        "linkedin": "https://linkedin.com/in/janedoe",
        "github": "https://github.com/janedoe",
    }
    assert draft.confidence["personal_info.full_name"] >= 0.9
    assert draft.notes == []


def test_no_name_is_noted() -> None:
    draft = read([line("jane@example.com"), heading("Skills"), line("Python, Go")])
    assert "full_name" not in draft.draft["personal_info"]
    assert any(note.startswith("personal_info.full_name") for note in draft.notes)


def test_a_bold_name_right_over_a_heading_stays_a_name() -> None:
    # A short bold line may be the first half of a heading set on two lines, but only in
    # the heading's own size: a 20 pt bold name over a 12 pt bold "Publications" is a
    # name, then a section (not the section "Jane Doe Publications").
    lines = [
        line("Jane Doe", size=20.0, bold=True),
        line("Publications", size=12.0, bold=True),
        line("A paper on caches, SOSP 2019"),
    ]
    draft = read(lines)
    assert draft.confidence["personal_info.full_name"] >= 0.9
    sections = draft.draft["custom_fields"][STASH_KEY]["sections"]
    assert [section["title"] for section in sections] == ["Publications"]


# -- headings -----------------------------------------------------------------------------


def _kinds(draft: ResumeDraft) -> dict[str, int]:
    body = draft.draft
    return {
        "experiences": len(body["experiences"]),
        "education": len(body["education"]),
        "technical": len(body["skills"]["technical"]),
    }


def test_headings_by_name_in_any_case() -> None:
    for experience, education, skills in (
        ("Experience", "Education", "Skills"),
        ("WORK EXPERIENCE", "EDUCATION", "TECHNICAL SKILLS"),
        ("Professional Experience:", "Academic Background", "Core Competencies"),
    ):
        lines = [
            name(),
            heading(experience),
            line("Engineer, Acme\tJan 2020 – Present", bold=True),
            heading(education),
            line("B.S. in Physics, University of Leeds\t2014 – 2018", bold=True),
            heading(skills),
            line("Python, Go"),
        ]
        assert _kinds(read(lines)) == {"experiences": 1, "education": 1, "technical": 2}


def test_a_heading_in_the_margin_beside_its_first_line() -> None:
    lines = [
        name(),
        line("EDUCATION\tFirst American University"),
        line("B.S. in Computer Science\tAug 2015 – May 2019", x=150.0),
    ]
    item = only(read(lines), "education")
    assert item["institution"] == "First American University"
    assert (item["degree"], item["field_of_study"]) == ("B.S.", "Computer Science")


def test_a_heading_on_two_stacked_bold_lines() -> None:
    lines = [
        name(),
        line("jane@example.com"),
        line("RESEARCH", size=12.0, bold=True),
        line("EXPERIENCE", size=12.0, bold=True),
        line("Research Assistant, Vision Lab\tSep 2018 – May 2020", bold=True),
        bullet("Trained models."),
    ]
    item = only(read(lines), "experiences")
    assert (item["title"], item["company"]) == ("Research Assistant", "Vision Lab")
    assert item["achievements"] == ["Trained models."]


def test_a_heading_word_in_an_entry_is_no_heading() -> None:
    lines = [
        name(),
        heading("Experience"),
        line("YMCA\tMar 2015 – Dec 2016", bold=True),
        line("Volunteer"),
        bullet("Coached the under-12 team."),
    ]
    draft = read(lines)
    item = only(draft, "experiences")
    assert (item["title"], item["company"]) == ("Volunteer", "YMCA")
    assert item["achievements"] == ["Coached the under-12 team."]


def test_a_heading_word_set_apart_is_a_heading() -> None:
    lines = [
        name(),
        heading("Experience"),
        line("Engineer, Acme\tJan 2020 – Present", bold=True),
        heading("VOLUNTEER"),
        line("Mentor, Code Club\tJan 2010 – Jan 2011", bold=True),
    ]
    draft = read(lines)
    assert [item["company"] for item in draft.draft["experiences"]] == ["Acme", "Code Club"]


def test_no_heading_at_all_reads_only_the_person() -> None:
    draft = read([name(), line("jane@example.com"), line("Worked at Acme for years")])
    assert draft.draft["experiences"] == []
    assert any("No section headings" in note for note in draft.notes)


# -- experience ---------------------------------------------------------------------------


def test_title_company_place_and_dates_on_one_line() -> None:
    lines = [
        name(),
        heading("Experience"),
        line("Software Engineer, Acme Corp\tAustin, TX · Jan 2020 – Present", bold=True),
        bullet("Built the billing service in Go."),
    ]
    item = only(read(lines), "experiences")
    assert item == {
        "title": "Software Engineer",
        "company": "Acme Corp",
        "location": "Austin, TX",
        "start_date": "2020-01-01",
        "is_current": True,
        "achievements": ["Built the billing service in Go."],
    }


def test_company_and_place_over_title_and_dates() -> None:
    """Jake's template."""
    lines = [
        name(),
        heading("EXPERIENCE"),
        line("Acme Corp\tAustin, TX", bold=True, right=RIGHT_MARGIN),
        line("Software Engineer\tJune 2020 – Present", right=RIGHT_MARGIN),
        bullet("Wrote code for billing."),
        line("Globex\tDallas, TX", bold=True, right=RIGHT_MARGIN),
        line("Data Analyst\tJan 2018 – May 2020", right=RIGHT_MARGIN),
    ]
    draft = read(lines)
    assert [
        (item["title"], item["company"], item["location"], item["start_date"])
        for item in draft.draft["experiences"]
    ] == [
        ("Software Engineer", "Acme Corp", "Austin, TX", "2020-06-01"),
        ("Data Analyst", "Globex", "Dallas, TX", "2018-01-01"),
    ]
    assert draft.draft["experiences"][1]["end_date"] == "2020-05-01"


def test_title_at_company() -> None:
    lines = [
        name(),
        heading("Work Experience"),
        line("Data Analyst at Globex\tMar 2017 – Feb 2019"),
    ]
    item = only(read(lines), "experiences")
    assert (item["title"], item["company"]) == ("Data Analyst", "Globex")
    assert (item["start_date"], item["end_date"]) == ("2017-03-01", "2019-02-01")


def test_a_right_column_written_after_the_body() -> None:
    lines = [
        name(),
        heading("Experience"),
        line("Backend Engineer, Initech", bold=True, right=250.0),
        line("Kept the queue fast.", x=60.0, marked=True, right=250.0),
        line("Austin, TX", x=450.0, right=RIGHT_MARGIN),
        line("Jan 2019 – Dec 2020", x=450.0, right=RIGHT_MARGIN),
    ]
    item = only(read(lines), "experiences")
    assert (item["title"], item["company"], item["location"]) == (
        "Backend Engineer",
        "Initech",
        "Austin, TX",
    )
    assert (item["start_date"], item["end_date"]) == ("2019-01-01", "2020-12-01")
    assert item["achievements"] == ["Kept the queue fast."]


def test_an_experience_without_a_date_is_noted_with_no_confidence() -> None:
    lines = [name(), heading("Experience"), line("Engineer, Acme Corp", bold=True)]
    draft = read(lines)
    item = only(draft, "experiences")
    assert "start_date" not in item
    assert draft.confidence["experiences.0.start_date"] == 0.0
    assert "experiences.0.start_date: not found in the file; fill it in." in draft.notes


def test_a_role_with_a_lone_date_began_then() -> None:
    lines = [name(), heading("Experience"), line("Engineer, Acme\tMay 2021", bold=True)]
    item = only(read(lines), "experiences")
    assert item["start_date"] == "2021-05-01"
    assert "end_date" not in item


# -- education ----------------------------------------------------------------------------


def test_degree_field_gpa_and_dates() -> None:
    lines = [
        name(),
        heading("Education"),
        line("University of Leeds\tSep 2014 – Jun 2018", bold=True),
        line("BSc in Physics, GPA: 3.8/4.0"),
    ]
    item = only(read(lines), "education")
    assert item == {
        "institution": "University of Leeds",
        "degree": "BSc",
        "field_of_study": "Physics",
        "gpa": "3.8/4.0",
        "start_date": "2014-09-01",
        "end_date": "2018-06-01",
    }


def test_a_second_degree_inherits_its_school() -> None:
    lines = [
        name(),
        line("jane@example.com"),
        heading("Education"),
        line("University of Texas at Austin", bold=True),
        line("M.S. in Computer Science\tAug 2019 – May 2021"),
        line("B.S. in Mathematics\tAug 2015 – May 2019"),
    ]
    draft = read(lines)
    assert [
        (item["institution"], item["degree"], item["field_of_study"])
        for item in draft.draft["education"]
    ] == [
        ("University of Texas at Austin", "M.S.", "Computer Science"),
        ("University of Texas at Austin", "B.S.", "Mathematics"),
    ]
    assert draft.confidence["education.1.institution"] < draft.confidence["education.0.institution"]


def test_a_degree_with_only_its_end_asks_for_the_start() -> None:
    lines = [name(), heading("Education"), line("B.A. in History, Yale University\tMay 2019")]
    draft = read(lines)
    item = only(draft, "education")
    assert item["end_date"] == "2019-05-01"
    assert draft.confidence["education.0.start_date"] == 0.0


# -- skills, languages, certifications ----------------------------------------------------


def test_labelled_and_wrapped_skill_lines() -> None:
    lines = [
        name(),
        heading("Skills"),
        line("Programming: Python, Go, TypeScript, SQL"),
        line("Tools: Docker, Kubernetes,"),
        line("Terraform, Git"),
        line("Soft skills: Mentoring, Writing"),
    ]
    skills = read(lines).draft["skills"]
    assert skills["technical"] == [
        "Python",
        "Go",
        "TypeScript",
        "SQL",
        "Docker",
        "Kubernetes",
        "Terraform",
        "Git",
    ]
    assert skills["soft"] == ["Mentoring", "Writing"]


def test_spoken_languages_are_no_programming_languages() -> None:
    lines = [
        name(),
        line("jane@example.com · +1 (512) 555-0199 · Austin, TX", right=RIGHT_MARGIN),
        heading("Skills"),
        line("Languages: Python, Go, Rust"),
        line("Spoken: English, German"),
        line("Fluent in Spanish"),
    ]
    skills = read(lines).draft["skills"]
    assert skills["technical"] == ["Python", "Go", "Rust"]
    assert skills["languages"] == [
        {"name": "English"},
        {"name": "German"},
        {"name": "Spanish", "proficiency": "fluent"},
    ]


def test_a_languages_section_with_levels() -> None:
    lines = [
        name(),
        heading("Languages"),
        line("English (Native)"),
        line("Fluent in Spanish"),
        line("German – B1"),
    ]
    languages = read(lines).draft["skills"]["languages"]
    assert languages == [
        {"name": "English", "proficiency": "native"},
        {"name": "Spanish", "proficiency": "fluent"},
        {"name": "German", "proficiency": "conversational"},
    ]


def test_certifications_with_issuer_and_date() -> None:
    lines = [
        name(),
        heading("Certifications"),
        line("AWS Certified Developer, Amazon Web Services, 2021"),
        line("CKA | Cloud Native Computing Foundation | Mar 2022"),
    ]
    certifications = read(lines).draft["skills"]["certifications"]
    assert certifications == [
        {
            "name": "AWS Certified Developer",
            "issuer": "Amazon Web Services",
            "date_obtained": "2021-01-01",
        },
        {
            "name": "CKA",
            "issuer": "Cloud Native Computing Foundation",
            "date_obtained": "2022-03-01",
        },
    ]


# -- what the profile has no place for ----------------------------------------------------


def test_an_unknown_section_is_kept_and_named_in_the_notes() -> None:
    lines = [
        name(),
        line("jane@example.com"),
        heading("Publications"),
        line("A paper on caches, SOSP 2019"),
        line("Another paper, OSDI 2021"),
    ]
    draft = read(lines)
    assert draft.draft["custom_fields"][STASH_KEY]["sections"] == [
        {
            "title": "Publications",
            "lines": ["A paper on caches, SOSP 2019", "Another paper, OSDI 2021"],
        }
    ]
    assert any("Publications" in note and STASH_KEY in note for note in draft.notes)


def test_lines_as_read_are_returned_with_their_page() -> None:
    lines = [name(), heading("Skills"), line("Python\tGo", page=2)]
    draft = read(lines)
    assert [(shown.page, shown.text) for shown in draft.lines] == [
        (1, "Jane Doe"),
        (1, "Skills"),
        (2, "Python  Go"),
    ]


# -- brackets and semicolons in a head (found on real DOCX resumes) ---------------------


def _head_of(section: str, head: str) -> dict[str, object]:
    lines = [name(), line("jane@example.com"), heading(section), line(head, bold=True)]
    component = "experiences" if section == "Experience" else "education"
    (entry,) = read(lines).draft[component]
    return entry


def test_an_abbreviation_in_brackets_stays_on_the_company() -> None:
    entry = _head_of(
        "Experience", "Analyst, HealthCare of Ontario Pension Plan (HOOPP)\t2020 – 2021"
    )
    assert entry["company"] == "HealthCare of Ontario Pension Plan (HOOPP)"


def test_a_place_in_brackets_is_the_location() -> None:
    entry = _head_of("Experience", "Engineer, Acme Ltd. (Toronto, Canada)\t2020 – 2021")
    assert (entry["company"], entry["location"]) == ("Acme Ltd.", "Toronto, Canada")


def test_a_semicolon_separates_a_degree_from_its_school() -> None:
    entry = _head_of("Education", "PhD, Computer Science; Stanford University\t2010 – 2014")
    assert entry["institution"] == "Stanford University"
