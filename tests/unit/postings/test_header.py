"""Title, company, location, remote and employment type from the top of a paste."""

from __future__ import annotations

import pytest

from jobwise.domain.postings import parse_posting
from jobwise.domain.postings.labels import Field, read_labels
from jobwise.domain.postings.places import clean_location, looks_like_location, workplace_of

BODY = """
Requirements
- 3+ years of Python
- Strong SQL
"""


def _parse(top: str) -> tuple[str | None, str | None, str | None, bool, str | None]:
    parsed = parse_posting(top + "\n" + BODY)
    return (
        parsed.title,
        parsed.company,
        parsed.location,
        parsed.remote,
        parsed.employment_type,
    )


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        (
            "Job Title: Data Engineer\nCompany: Acme Corp\nLocation: Leeds, UK\n"
            "Salary: £50k\nEmployment Type: Permanent",
            ("Data Engineer", "Acme Corp", "Leeds, UK", False, "full-time"),
        ),
        (
            "Position: Backend Developer\nEmployer: Globex\nBased in: Porto, Portugal\n"
            "Compensation: €50,000",
            ("Backend Developer", "Globex", "Porto, Portugal", False, None),
        ),
        (
            "Role: Site Reliability Engineer\nOrganisation: Initech\nLocation: Remote (US)\n"
            "Type: Contract",
            ("Site Reliability Engineer", "Initech", "US", True, "contract"),
        ),
        (
            "**Position:** QA Engineer\n**Organization:** Hooli\n**Location:** Austin, TX",
            ("QA Engineer", "Hooli", "Austin, TX", False, None),
        ),
        (
            "Title: iOS Developer | Company: Pied Piper | Location: Berlin (Hybrid)",
            ("iOS Developer", "Pied Piper", "Berlin", False, None),
        ),
    ],
)
def test_labelled_header_lines(top: str, expected: tuple[object, ...]) -> None:
    assert _parse(top) == expected


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        (
            "Senior Data Engineer at Acme\nAcme · Berlin, Germany (Hybrid)",
            ("Senior Data Engineer", "Acme", "Berlin, Germany", False, None),
        ),
        (
            "Senior Backend Engineer\nAcme · Berlin, Germany (Hybrid)\n3 days ago · 87 applicants",
            ("Senior Backend Engineer", "Acme", "Berlin, Germany", False, None),
        ),
        (
            "Acme\nProduct Designer\nUnited States · 1 week ago · Over 100 applicants\n"
            "Remote\nFull-time",
            ("Product Designer", "Acme", "United States", True, "full-time"),
        ),
        (
            "Data Analyst\n- job post\nHarbor Health\n4.1 out of 5 stars\nAustin, TX 78701\n"
            "$80,000 - $95,000 a year - Full-time",
            ("Data Analyst", "Harbor Health", "Austin, TX", False, "full-time"),
        ),
        (
            "Support Engineer\nGlobex 3.9 ★\nHybrid work in Denver, CO",
            ("Support Engineer", "Globex", "Denver, CO", False, None),
        ),
        (
            "iOS Engineer - Lumen Health - New York, NY",
            ("iOS Engineer", "Lumen Health", "New York, NY", False, None),
        ),
        (
            "Software Engineer - Backend - Acme - Remote (US)",
            ("Software Engineer - Backend", "Acme", "US", True, None),
        ),
        (
            "Staff SRE | Globex | Toronto, ON",
            ("Staff SRE", "Globex", "Toronto, ON", False, None),
        ),
        (
            "Brightwave is hiring a QA Automation Engineer!",
            ("QA Automation Engineer", "Brightwave", None, False, None),
        ),
        (
            "Join Initech as a Senior Product Manager",
            ("Senior Product Manager", "Initech", None, False, None),
        ),
        (
            "Registered Nurse - Med/Surg (Nights)\nSt. Brigid Medical Center\nSpokane, WA",
            ("Registered Nurse - Med/Surg (Nights)", "St. Brigid Medical Center", "Spokane, WA",
             False, None),
        ),
        (
            "Backend Engineer (m/f/d)\nAcme GmbH\nMunich, Germany",
            ("Backend Engineer", "Acme GmbH", "Munich, Germany", False, None),
        ),
        (
            "Machine Learning Engineer (Contract)\nRemote - EMEA",
            ("Machine Learning Engineer", None, "EMEA", True, "contract"),
        ),
        (
            "[HIRING] Remote Python Developer (Django) - $50-70/hr - Contract",
            ("Python Developer (Django)", None, "Remote", True, "contract"),
        ),
    ],
)  # fmt: skip
def test_top_line_layouts(top: str, expected: tuple[object, ...]) -> None:
    assert _parse(top) == expected


def test_title_company_and_place_from_prose() -> None:
    text = (
        "Hi Sam,\n\nI'm recruiting for a Senior Data Engineer role at Fintrex, a Series B "
        "fintech based in London. It's a 12-month contract role.\n" + BODY
    )
    parsed = parse_posting(text)
    assert (parsed.title, parsed.company, parsed.location) == (
        "Senior Data Engineer",
        "Fintrex",
        "London",
    )
    assert parsed.employment_type == "contract"


def test_company_from_an_about_heading() -> None:
    parsed = parse_posting("Platform Engineer\n\nAbout Ledgerly\nLedgerly builds things.\n" + BODY)
    assert parsed.company == "Ledgerly"


@pytest.mark.parametrize(
    ("text", "remote"),
    [
        ("Engineer\nAcme · Berlin (Remote)", True),
        ("Engineer\nAcme · Remote (US)", True),
        ("Engineer\nAcme · Remote - EMEA", True),
        ("Engineer\nLocation: Fully remote (UK)", True),
        ("Engineer\nRemote: Yes", True),
        ("Engineer\nWorkplace type: Remote", True),
        ("Engineer\n\nThis is a fully remote position open to candidates in Canada.", True),
        ("Engineer\n\nWe are a remote-first team spread over 11 countries.", True),
        ("Engineer\nAcme · Berlin, Germany (Hybrid)", False),
        ("Engineer\nAcme · Paris (On-site)", False),
        ("Engineer\nLocation: London (hybrid, 3 days in the office)", False),
        ("Engineer\nRemote: No", False),
        ("Engineer\nWork Location: In person", False),
        ("Engineer\n\nThis is a hybrid role: 2 days a week in our Leeds office.", False),
        ("Engineer\n\nWe are remote-first, but this is a hybrid role based in Oslo.", False),
        ("Engineer\n\nYou will design hybrid cloud architectures.", False),
        ("Engineer\n\nYou will support our remote sensing scientists.", False),
        ("Engineer\nAcme · Austin, TX", False),
    ],
)
def test_remote_hybrid_and_on_site(text: str, remote: bool) -> None:
    assert parse_posting(text + "\n" + BODY).remote is remote


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Berlin, Germany (Hybrid)", "Berlin, Germany"),
        ("Remote (US)", "US"),
        ("Remote - EMEA", "EMEA"),
        ("United States (Remote)", "United States"),
        ("Hybrid work in Austin, TX 78701", "Austin, TX"),
        ("Remote in Denver, CO", "Denver, CO"),
        ("London or Remote (UK)", "London"),
        ("Remote, UK-based (occasional travel to Leeds)", "UK"),
        ("Tokyo, Japan (Shibuya)", "Tokyo, Japan"),
        ("Remote", "Remote"),
    ],
)
def test_location_cleaning(text: str, place: str) -> None:
    assert looks_like_location(text)
    assert clean_location(text) == place


@pytest.mark.parametrize(
    "text", ["Acme Corp", "Senior Engineer", "Acme Labs", "Full-time", "Apply now", "Stripe"]
)
def test_not_places(text: str) -> None:
    assert not looks_like_location(text)


def test_workplace_words() -> None:
    assert workplace_of("Hybrid remote in Austin, TX") == "hybrid"
    assert workplace_of("On-site") == "onsite"
    assert workplace_of("Remote (US)") == "remote"
    assert workplace_of("Berlin") is None


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Employment Type: Full-time, Permanent", "full-time"),
        ("Job type: Part-time", "part-time"),
        ("Contract type: Fixed-term (24 months)", "contract"),
        ("Type: Internship", "internship"),
        ("Employment: Temporary", "temporary"),
    ],
)
def test_employment_type_labels(line: str, kind: str) -> None:
    assert parse_posting(f"Analyst\n{line}\n{BODY}").employment_type == kind


def test_employment_type_from_prose_and_title() -> None:
    assert parse_posting("Data Science Intern\n" + BODY).employment_type == "internship"
    prose = "Engineer\n\nThis is a 6-month contract role, outside IR35.\n" + BODY
    assert parse_posting(prose).employment_type == "contract"
    mentions = "Engineer\n\nYou will mentor interns and review contracts.\n" + BODY
    assert parse_posting(mentions).employment_type is None


def test_label_values_on_the_next_line() -> None:
    labels = read_labels(["Pay", "$120,000 - $145,000 a year", "Job type", "Full-time"])
    assert labels.values[Field.SALARY] == "$120,000 - $145,000 a year"
    assert labels.values[Field.TYPE] == "Full-time"
    assert labels.used == {0, 1, 2, 3}


def test_a_sentence_after_a_label_is_not_a_value() -> None:
    labels = read_labels(["Role: You will lead a team of engineers building our platform."])
    assert Field.TITLE not in labels.values


def test_unresolved_names_what_is_missing() -> None:
    parsed = parse_posting("Security Engineer\nLocation: Remote - EMEA\n" + BODY)
    assert parsed.unresolved() == ["company"]
    assert parse_posting("").unresolved() == [
        "title",
        "company",
        "location",
        "requirements",
        "skills",
    ]
