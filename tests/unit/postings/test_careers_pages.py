"""Careers pages and public-sector adverts (issue 18): a team after the title, a page slug
above it, an employer named only in passing or in a link, requirements under the labels
such adverts use, and the details around them (a pay system's cap, a template's
placeholder, a location label's sentence)."""

from __future__ import annotations

import pytest

from jobwise.domain.postings import parse_posting
from jobwise.domain.postings.places import clean_location
from jobwise.domain.skills.taxonomy import default_taxonomy

BODY = "\nWe build payment rails for Europe.\n\nRequirements\n- 5+ years of Python\n"


@pytest.mark.parametrize(
    "top",
    [
        "Senior Python Engineer - Event Platform\nAcme Payments Inc. · Berlin, Germany (Hybrid)",
        "Senior Python Engineer – Event Platform\nAcme Payments Inc. · Berlin, Germany (Hybrid)",
        "Senior Python Engineer | Event Platform\nAcme Payments Inc. | Berlin, Germany | Hybrid",
        "Senior Python Engineer, Event Platform\nAcme Payments Inc. · Berlin, Germany · Hybrid",
    ],
)
def test_a_team_after_the_title_is_not_the_company(top: str) -> None:
    parsed = parse_posting(top + "\n" + BODY)
    assert parsed.company == "Acme Payments Inc."
    assert parsed.title is not None and parsed.title.startswith("Senior Python Engineer")
    assert "Event Platform" in parsed.title
    assert (parsed.location, parsed.work_arrangement) == ("Berlin, Germany", "hybrid")


def test_a_unit_after_the_title_joins_it_when_the_posting_names_no_such_company() -> None:
    parsed = parse_posting(
        "Registered Nurse – Critical Care (ICU)\n\nLocation\n\nSioux Falls, South Dakota\n\n"
        "Requirements\n\nActive RN license\n"
    )
    assert parsed.title == "Registered Nurse - Critical Care (ICU)"
    assert parsed.company is None
    assert parsed.location == "Sioux Falls, South Dakota"


def test_a_company_after_the_title_stays_the_company_when_the_posting_names_it() -> None:
    parsed = parse_posting(
        "Backend Engineer - Globex\n\nAt Globex, we ship billing software.\n" + BODY
    )
    assert (parsed.title, parsed.company) == ("Backend Engineer", "Globex")


def test_a_company_before_the_title() -> None:
    parsed = parse_posting("Globex - Senior Backend Engineer\nBerlin, Germany\n" + BODY)
    assert (parsed.title, parsed.company, parsed.location) == (
        "Senior Backend Engineer",
        "Globex",
        "Berlin, Germany",
    )


def test_a_page_slug_is_never_the_title() -> None:
    parsed = parse_posting(
        "ien-registered-nurse-emergency-room-austin-tx\nIEN - Registered Nurse Emergency Room\n"
        "Austin, TX\n$75,000 - $84,000 a year\nFull-time\n\n"
        "Flint offers fully sponsored licensing and relocation. We are looking for an "
        "Internationally Educated Nurse (IEN), Registered Nurse (RN) to care for patients.\n"
    )
    assert parsed.title == "IEN - Registered Nurse Emergency Room"
    assert parsed.company == "Flint"
    assert parsed.location == "Austin, TX"
    assert "ien-registered-nurse" not in parsed.description


def test_a_line_of_terms_separated_by_commas() -> None:
    parsed = parse_posting(
        "Nursing Educator - Remote\n\nRemote, $70k - $95k, Full-time or contract, Non-Union\n\n"
        "As Flint’s Nursing Educator, you will coach nurses.\n"
    )
    assert (parsed.title, parsed.company) == ("Nursing Educator", "Flint")
    assert (parsed.employment_type, parsed.work_arrangement) == ("full-time", "remote")


CAREERS_BODY = "Senior Data Engineer\n\nYou will build pipelines in Python.\n"


@pytest.mark.parametrize(
    ("page", "company"),
    [
        (CAREERS_BODY + "\nApply at https://careers.acme.com/jobs/42\n", "Acme"),
        (CAREERS_BODY + "\nhttps://jobs.lever.co/acme-payments/1f2e3d\n", "Acme Payments"),
        (CAREERS_BODY + "\n[Apply](https://boards.greenhouse.io/acme/jobs/9)\n", "Acme"),
        (CAREERS_BODY + "\nAbout Acme\n\nWe make rockets.\n", "Acme"),
        (CAREERS_BODY + "\n© 2025 Acme Inc. All rights reserved.\n", "Acme Inc."),
        (CAREERS_BODY + "\nCopyright © 2019-2025, Globex GmbH\n", "Globex GmbH"),
        (CAREERS_BODY + "\nAcme is hiring across Europe this year.\n", "Acme"),
        (CAREERS_BODY + "\nJoin Acme and help us grow.\n", "Acme"),
        (CAREERS_BODY + "\nat Acme we care about data quality.\n", "Acme"),
        (CAREERS_BODY + "\n## Why you should join Acme\n- Equity\n", "Acme"),
    ],
)
def test_a_careers_page_names_its_company_in_passing(page: str, company: str) -> None:
    assert parse_posting(page).company == company


def test_the_company_a_page_names_most_wins_over_one_it_mentions_in_passing() -> None:
    parsed = parse_posting(
        "Senior Software Engineer\n\nYou'll build something new (like joining Google in "
        "1999).\n\nAt Flint, we move nurses. Flint is remote-first. Flint pays well.\n"
    )
    assert parsed.company == "Flint"


@pytest.mark.parametrize(
    "label",
    [
        "Qualifications",
        "Minimum qualifications",
        "Basic qualifications",
        "What we're looking for",
        "Minimum requirements",
        "Who you are",
        "You have",
        "Must have",
        "Essential criteria",
        "Essential",
        "Person specification",
        "Knowledge, skills and abilities",
        "Specialized experience requirements",
        "Selection criteria",
    ],
)
def test_requirements_under_the_labels_adverts_use(label: str) -> None:
    for heading in (label, f"{label}:", f"## {label}", f"**{label.upper()}**"):
        parsed = parse_posting(
            f"Caseworker\nCity of Springfield\n\n{heading}\n"
            "- Two years of casework experience\n- A valid driving licence\n"
        )
        assert parsed.requirements == [
            "Two years of casework experience",
            "A valid driving licence",
        ], heading


def test_preferred_qualifications_are_the_nice_to_haves() -> None:
    parsed = parse_posting(
        "Caseworker\n\nMinimum qualifications\n- A degree\n\nPreferred qualifications\n- Spanish\n"
    )
    assert (parsed.requirements, parsed.nice_to_have) == (["A degree"], ["Spanish"])


def test_a_pronoun_lead_in_under_a_requirements_heading_opens_its_list() -> None:
    parsed = parse_posting(
        "Designer\n\n## PERSON SPECIFICATION - COMPETENCES/SKILLS REQUIRED\nYou'll:\n\n"
        "* be good at designing information\n* have experience of interface design\n"
    )
    assert parsed.requirements == [
        "be good at designing information",
        "have experience of interface design",
    ]
    assert parsed.responsibilities == []


def test_a_travel_requirement_is_a_detail_not_the_requirements() -> None:
    parsed = parse_posting(
        "Fraud Analyst\n\n**Travel requirement:**\nOccasional travel may be required.\n\n"
        "**Work schedule:**\nFull time.\n"
    )
    assert parsed.requirements == []
    assert parsed.employment_type == "full-time"


def test_a_pay_systems_cap_is_not_the_jobs_pay() -> None:
    parsed = parse_posting(
        "Fraud Analyst\n\nYour salary will be determined upon selection. Please note the "
        "maximum salary available\nfor the GS pay system is $183,500. For details visit OPM.\n"
    )
    assert parsed.salary_range is None


def test_a_template_placeholder_is_no_title() -> None:
    parsed = parse_posting(
        '---\ntitle: "Login.gov: Fraud Analyst"\n---\n\n**Job title:** {{ page.title }}\n'
        "\nYou will fight fraud.\n"
    )
    assert (parsed.title, parsed.company) == ("Fraud Analyst", "Login.gov")


@pytest.mark.parametrize(
    ("stated", "place"),
    [
        ("Seguin, Texas - On-site position with 2nd shift schedule (Monday-Thursday, "
         "4:30pm-3:00am). Overtime as business needs. 10% shift premium included.",
         "Seguin, Texas"),
        ("Los Angeles, California preferred but servicing the West Coast. Willing to "
         "accomodate San Francisco.", "Los Angeles, California"),
        ("Commutable distance from Wilmington, NC", "Wilmington, NC"),
        ("Anywhere in the U.S. (remote)", "Anywhere in the U.S."),
        ("Washington, D.C., Remote", "Washington, D.C."),
    ],
)  # fmt: skip
def test_a_location_label_that_says_more_than_the_place(stated: str, place: str) -> None:
    parsed = parse_posting(f"Maintenance Technician II\n\nLocation\n\n{stated}\n\nDuties\n- Fix\n")
    assert parsed.location == place


def test_a_name_glued_by_an_ampersand_is_not_a_skill() -> None:
    text = "our vendors (BON, JS&A, PrintScan) and AT&T; JS too"
    mentions = default_taxonomy().mentions(text)
    assert [(m.name, text[m.start : m.end]) for m in mentions] == [("JavaScript", "JS")]
    assert mentions[0].start == text.rindex("JS")


def test_skills_glued_by_an_ampersand_are_each_a_skill() -> None:
    found = {m.name for m in default_taxonomy().mentions("Experience with HTML&CSS and SQL")}
    assert {"HTML", "CSS", "SQL"} <= found
    assert {"Python", "Django"} <= {m.name for m in default_taxonomy().mentions("Python&Django")}


def test_a_hybrid_location_label_names_its_office() -> None:
    parsed = parse_posting(
        "Backend Engineer\n\nLocation: Hybrid - 3 days in our Austin office\n\n"
        "Requirements\n- 5+ years of Python\n"
    )
    assert parsed.location == "Austin"


@pytest.mark.parametrize(
    ("top", "company", "place"),
    [
        ("Globex - Berlin, Germany - Senior Backend Engineer", "Globex", "Berlin, Germany"),
        ("Acme Corp - Berlin - Senior Backend Engineer", "Acme Corp", "Berlin"),
    ],
)
def test_a_place_between_the_company_and_the_title_is_the_location(
    top: str, company: str, place: str
) -> None:
    parsed = parse_posting(top + "\n" + BODY)
    assert (parsed.title, parsed.company, parsed.location) == (
        "Senior Backend Engineer",
        company,
        place,
    )


def test_an_organisation_after_the_title_is_the_company_when_nothing_else_names_one() -> None:
    parsed = parse_posting(
        "Senior Backend Engineer - Acme\n\nWe build billing software for clinics.\n\n"
        "Requirements\n- 5+ years of Python\n"
    )
    assert (parsed.title, parsed.company) == ("Senior Backend Engineer", "Acme")


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Data Platform Engineer", "Data Platform is a team of six engineers in Berlin."),
        ("Platform Engineer", "Platform is the team that runs our clusters."),
    ],
)
def test_a_team_named_in_the_title_is_not_the_company(title: str, body: str) -> None:
    parsed = parse_posting(f"{title}\n\n{body}\n\nRequirements\n- 5+ years of Python\n")
    assert parsed.company is None


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Austin office", "Austin office"),
        ("Boston, in office", "Boston"),
        ("Paris, on-site", "Paris"),
    ],
)
def test_a_workplace_word_is_cut_from_a_place_only_as_a_whole_word(text: str, place: str) -> None:
    assert clean_location(text) == place  # "Austin office" once ended "in office": "Aust"
