"""Section headings in their many spellings, and the items under them."""

from __future__ import annotations

import pytest

from jobwise.domain.postings.headings import Kind, classify_heading
from jobwise.domain.postings.sections import items_of, split_sections

SPELLINGS: list[tuple[str, Kind]] = [
    ("Requirements", Kind.REQUIRED),
    ("Qualifications", Kind.REQUIRED),
    ("Minimum qualifications", Kind.REQUIRED),
    ("Basic Qualifications", Kind.REQUIRED),
    ("Must have", Kind.REQUIRED),
    ("Must-haves", Kind.REQUIRED),
    ("You have", Kind.REQUIRED),
    ("What you bring", Kind.REQUIRED),
    ("What you'll bring", Kind.REQUIRED),
    ("What we're looking for", Kind.REQUIRED),
    ("What We’re Looking For", Kind.REQUIRED),
    ("Your profile", Kind.REQUIRED),
    ("Key requirements", Kind.REQUIRED),
    ("Skills & experience", Kind.REQUIRED),
    ("About you", Kind.REQUIRED),
    ("Who you are", Kind.REQUIRED),
    ("Essential criteria", Kind.REQUIRED),
    ("Desired Candidate Profile", Kind.REQUIRED),
    ("Nice to have", Kind.PREFERRED),
    ("Nice-to-haves", Kind.PREFERRED),
    ("Preferred", Kind.PREFERRED),
    ("Preferred qualifications", Kind.PREFERRED),
    ("Bonus", Kind.PREFERRED),
    ("Bonus points", Kind.PREFERRED),
    ("Good to have", Kind.PREFERRED),
    ("Pluses", Kind.PREFERRED),
    ("Desirable criteria", Kind.PREFERRED),
    ("It would be great if you also have", Kind.PREFERRED),
    ("Benefits", Kind.BENEFITS),
    ("Perks", Kind.BENEFITS),
    ("What we offer", Kind.BENEFITS),
    ("We offer", Kind.BENEFITS),
    ("Why join us?", Kind.BENEFITS),
    ("What's in it for you?", Kind.BENEFITS),
    ("Compensation and benefits", Kind.BENEFITS),
    ("Responsibilities", Kind.RESPONSIBILITIES),
    ("Key job responsibilities", Kind.RESPONSIBILITIES),
    ("Roles and Responsibilities", Kind.RESPONSIBILITIES),
    ("What you'll do", Kind.RESPONSIBILITIES),
    ("What you will be doing", Kind.RESPONSIBILITIES),
    ("Your tasks", Kind.RESPONSIBILITIES),
    ("Your role", Kind.RESPONSIBILITIES),
    ("The role", Kind.RESPONSIBILITIES),
    ("Day to day", Kind.RESPONSIBILITIES),
    ("Duties", Kind.RESPONSIBILITIES),
    ("In this role you will", Kind.RESPONSIBILITIES),
    ("About us", Kind.ABOUT_COMPANY),
    ("About the company", Kind.ABOUT_COMPANY),
    ("Who we are", Kind.ABOUT_COMPANY),
    ("About the role", Kind.ABOUT_ROLE),
    ("About the job", Kind.ABOUT_ROLE),
    ("Full job description", Kind.ABOUT_ROLE),
    ("How to apply", Kind.OTHER),
    ("Job details", Kind.OTHER),
]


def _forms(text: str) -> list[str]:
    """The same heading as people paste it: plain, colon, lower, CAPS, markdown, bold."""
    return [
        text,
        f"{text}:",
        text.lower(),
        text.upper(),
        f"## {text}",
        f"**{text}**",
        f"**{text}:**",
        f"  {text} :  ",
    ]


@pytest.mark.parametrize(("text", "kind"), SPELLINGS, ids=[text for text, _ in SPELLINGS])
def test_heading_spellings(text: str, kind: Kind) -> None:
    for form in _forms(text):
        heading = classify_heading(form)
        assert heading is not None, form
        assert heading.kind is kind, form


@pytest.mark.parametrize(
    "line",
    [
        "Requirements gathering with stakeholders across the business",
        "Experience with one of:",
        "Python",
        "AWS",
        "REST APIs",
        "Role: Senior Backend Engineer",
        "Experience: 5-8 years",
        "We offer flexible hours to all of our employees and a great team.",
        "- Benefits administration for 2,000 employees",
        "",
    ],
)
def test_content_lines_are_not_headings(line: str) -> None:
    assert classify_heading(line) is None


def test_about_a_named_company() -> None:
    heading = classify_heading("About Ledgerly")
    assert heading is not None and heading.kind is Kind.ABOUT_COMPANY
    assert heading.name == "Ledgerly"


def test_unknown_bold_heading_ends_the_section_before_it() -> None:
    heading = classify_heading("**Our Engineering Culture**")
    assert heading is not None and heading.kind is Kind.OTHER and not heading.known


def test_heading_with_its_items_on_the_same_line() -> None:
    heading = classify_heading("Requirements: Python; SQL; Docker")
    assert heading is not None and heading.kind is Kind.REQUIRED
    assert heading.inline == "Python; SQL; Docker"
    assert items_of([heading.inline]) == ["Python", "SQL", "Docker"]


@pytest.mark.parametrize(
    "marker", ["-", "*", "•", "·", "–", "—", "▪", "➢", "✓", "1.", "1)", "a)", "(a)", "(i)", "+"]
)
def test_bullet_markers(marker: str) -> None:
    lines = [f"{marker} Five years of Python", f"{marker} Strong SQL"]
    assert items_of(lines) == ["Five years of Python", "Strong SQL"]


def test_glyph_bullets_without_a_space() -> None:
    assert items_of(["•Python", "•Go"]) == ["Python", "Go"]


def test_numbers_and_bold_are_not_bullets() -> None:
    assert items_of(["-5 degrees in the freezer", "**Strong SQL** skills"]) == [
        "-5 degrees in the freezer",
        "Strong SQL skills",
    ]


def test_wrapped_continuation_lines_join_their_bullet() -> None:
    lines = [
        "  • Build and operate our developer platform on Kubernetes,",
        "    including self-service environments",
        "  • Work with Security to implement",
        "    FINMA requirements in the platform",
        "  • Scripting in Bash or",
        "Python",
    ]
    assert items_of(lines) == [
        "Build and operate our developer platform on Kubernetes, including self-service "
        "environments",
        "Work with Security to implement FINMA requirements in the platform",
        "Scripting in Bash or Python",
    ]


def test_lines_without_bullets_are_items() -> None:
    lines = ["Build dashboards in Tableau", "Write SQL queries", "Present findings"]
    assert items_of(lines) == lines


def test_semicolon_paragraph_is_split() -> None:
    paragraph = (
        "7+ years as a DBA in production; deep Oracle expertise including RMAN; "
        "3+ years administering PostgreSQL; strong SQL and PL/SQL."
    )
    assert items_of([paragraph]) == [
        "7+ years as a DBA in production",
        "deep Oracle expertise including RMAN",
        "3+ years administering PostgreSQL",
        "strong SQL and PL/SQL.",
    ]


def test_prose_paragraph_is_split_into_sentences() -> None:
    paragraph = (
        "You have five years of Python experience and have shipped production services at "
        "scale. You know SQL well, e.g. Postgres, and can model data for analytics. "
        "Experience with Kafka is a plus."
    )
    assert items_of([paragraph]) == [
        "You have five years of Python experience and have shipped production services at scale.",
        "You know SQL well, e.g. Postgres, and can model data for analytics.",
        "Experience with Kafka is a plus.",
    ]


def test_hard_wrapped_paragraph_is_one_item() -> None:
    lines = [
        "at least three years of Android with Kotlin; experience with",
        "Jetpack Compose; offline storage with Room or",
        "SQLite",
    ]
    assert items_of(lines, hard_wrapped=True) == [
        "at least three years of Android with Kotlin",
        "experience with Jetpack Compose",
        "offline storage with Room or SQLite",
    ]


def test_a_list_of_names_is_one_item() -> None:
    assert items_of(["Experience with Python, Go, Java, and Rust"]) == [
        "Experience with Python, Go, Java, and Rust"
    ]


def test_lead_ins_and_trailing_prose_are_not_items() -> None:
    lines = [
        "We'd love to hear from you if you have:",
        "- Python",
        "- SQL",
        "",
        "Acme is an equal opportunity employer and welcomes everyone.",
        "Best,",
        "Tom",
    ]
    assert items_of(lines) == ["Python", "SQL"]


def test_split_sections_in_order() -> None:
    lines = [
        "Senior Engineer",
        "Acme · Berlin",
        "About the job",
        "Acme builds things.",
        "Responsibilities",
        "- Build",
        "Requirements:",
        "- Python",
        "Nice to have",
        "- Go",
        "Benefits",
        "- Holidays",
    ]
    sections = split_sections(lines)
    assert [section.kind for section in sections] == [
        Kind.PREAMBLE,
        Kind.ABOUT_ROLE,
        Kind.RESPONSIBILITIES,
        Kind.REQUIRED,
        Kind.PREFERRED,
        Kind.BENEFITS,
    ]
    assert sections[0].texts == ["Senior Engineer", "Acme · Berlin"]
    assert sections[3].heading == "Requirements"


def test_inline_section_ends_at_the_blank_line() -> None:
    lines = [
        "What we hope you have: Kotlin; Jetpack Compose; Room.",
        "",
        "It would be a bonus if you have used Firebase.",
        "",
        "Send your CV to jobs@example.com.",
    ]
    kinds = [(section.kind, section.texts) for section in split_sections(lines)]
    assert kinds[1][0] is Kind.REQUIRED
    assert kinds[2][0] is Kind.PREFERRED
    assert kinds[3][0] is Kind.OTHER


def test_indeed_profile_insights_are_not_requirements() -> None:
    lines = [
        "Profile insights",
        "Skills",
        "SQL",
        "Do you have experience in SQL?",
        "Job details",
        "Qualifications",
        "- Advanced SQL",
    ]
    required = [s for s in split_sections(lines) if s.kind is Kind.REQUIRED]
    assert len(required) == 1 and required[0].texts == ["- Advanced SQL"]


def test_a_prose_wish_list_without_a_heading() -> None:
    lines = [
        "We build scheduling software.",
        "",
        "You'd be a good fit if you have several years of Django, are comfortable with "
        "PostgreSQL, have integrated payment APIs, and can work independently.",
        "",
        "Rate is $50-70/hr.",
    ]
    sections = split_sections(lines)
    required = [s for s in sections if s.kind is Kind.REQUIRED]
    assert len(required) == 1
    assert len(items_of(required[0].texts)) == 4
