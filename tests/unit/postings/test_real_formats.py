"""Formats real postings use: markdown residue, one-line forum headers, pay written the way
forums and other countries write it, and how the job is worked.

The lines here are written after the shapes found in ``tests/data/real_postings``; each
case fails on the parser as it was before that corpus (see the commit history).
"""

from __future__ import annotations

import pytest

from jobwise.domain.postings import parse_posting
from jobwise.domain.postings.employment import arrangement_in_body
from jobwise.domain.postings.pipe_header import read_pipe_header
from jobwise.domain.postings.salary import find_salary, parse_salary
from jobwise.domain.postings.text import plain_markdown


@pytest.mark.parametrize(
    ("line", "plain"),
    [
        ("# [Data Platform Engineer](https://jobs.example/apply/123)", "# Data Platform Engineer"),
        ('## [Engineer](https://x.example/j/1 "Engineer")', "## Engineer"),
        ("Company: `Berlin`", "Company: Berlin"),
        ("Design the **Golang** based API", "Design the Golang based API"),
        ("#### **Location:**Toronto, Canada", "#### Location:Toronto, Canada"),
        ("![Image 1: Acme logo](https://cdn.example/logo.png)", ""),
        ("[Overview](https://a.example)[Apply](https://b.example)", ""),
        (
            "See [our blog](https://a.example) and [docs](https://b.example).",
            "See our blog and docs.",
        ),
        ("{{< ingress >}}", ""),
        ("<!--more-->", ""),
        ("Apply [here](../apply).", "Apply here."),
    ],
)
def test_markdown_is_reduced_to_its_words(line: str, plain: str) -> None:
    assert plain_markdown(line) == plain


def test_a_wholly_bold_line_keeps_its_wrapper_as_a_heading() -> None:
    assert plain_markdown("**In this role, you will:**") == "**In this role, you will:**"


def test_a_markdown_link_heading_is_the_title() -> None:
    parsed = parse_posting(
        "# [Senior Frontend Engineer, Payments - Onsite (Denver, CO)](https://jobs.example/9)\n"
        "\nAbout the role\nYou will build the checkout in React and TypeScript.\n"
    )
    assert parsed.title == "Senior Frontend Engineer, Payments"
    assert parsed.location == "Denver, CO"
    assert parsed.work_arrangement == "onsite"


@pytest.mark.parametrize(
    ("line", "title", "company", "location", "workplace", "pay"),
    [
        (
            "Acme Robotics | Platform Engineer | Austin, TX | ONSITE | $90-130K",
            "Platform Engineer",
            "Acme Robotics",
            "Austin, TX",
            "onsite",
            "$90-130K",
        ),
        (
            "Brightlane | Germany (Berlin / Hamburg) | HYBRID | Backend Developer | ca. EUR 70,000"
            " | https://brightlane.example/jobs",
            "Backend Developer",
            "Brightlane",
            "Germany (Berlin / Hamburg)",
            "hybrid",
            "ca. EUR 70,000",
        ),
        (
            "Cologne, Germany | UMH | Product Engineer | Full-time | 55 - 85k EUR | ONSITE",
            "Product Engineer",
            "UMH",
            "Cologne, Germany",
            "onsite",
            "55 - 85k EUR",
        ),
        (
            "Sectigo | Manager, Software Development | HYBRID (Canada) Ottawa | $142k - $165k CAD",
            "Manager, Software Development",
            "Sectigo",
            "Ottawa, Canada",
            "hybrid",
            "$142k - $165k CAD",
        ),
        (
            "Spruce (London/Bristol, UK) — Lead Full Stack Engineer — £85–120k + equity — Hybrid",
            "Lead Full Stack Engineer",
            "Spruce",
            "London/Bristol, UK",
            "hybrid",
            "£85–120k + equity",
        ),
        (
            "AI Model Assessment Specialist | REMOTE | Contract | $22 - $70/hr",
            "AI Model Assessment Specialist",
            None,
            "Remote",
            "remote",
            "$22 - $70/hr",
        ),
    ],
)
def test_one_line_headers_in_any_order(
    line: str,
    title: str,
    company: str | None,
    location: str,
    workplace: str,
    pay: str,
) -> None:
    header = read_pipe_header(line)
    assert header is not None
    assert (header.title, header.company, header.location) == (title, company, location)
    assert (header.workplace, header.pay) == (workplace, pay)


def test_a_header_whose_segment_looks_like_a_label_is_still_a_header() -> None:
    parsed = parse_posting(
        "Deep Core | Founding Engineer | REMOTE (CANADA) | Full Time | Salary: $105,000 - "
        "$125,000 CAD + 1% equity\n\nWe build geologic modelling software in Python.\n"
    )
    assert (parsed.title, parsed.company, parsed.employment_type) == (
        "Founding Engineer",
        "Deep Core",
        "full-time",
    )
    assert parsed.remote and parsed.work_arrangement == "remote"
    assert parsed.salary_range is not None
    assert (parsed.salary_range.min, parsed.salary_range.max) == (105_000, 125_000)
    assert parsed.salary_range.currency == "CAD"


def test_the_header_line_that_runs_into_prose() -> None:
    parsed = parse_posting(
        "ASBL | Mobile Engineers | Hyderabad, India | ONSITE | 35-90L INR We're a fast-growing "
        "proptech company in India, using technology to build homes.\n"
    )
    assert (parsed.title, parsed.company, parsed.location) == (
        "Mobile Engineers",
        "ASBL",
        "Hyderabad, India",
    )
    assert parsed.salary_range is not None
    assert (parsed.salary_range.min, parsed.salary_range.max) == (3_500_000, 9_000_000)
    assert "fast-growing proptech" in parsed.description


def test_not_a_header_three_bars_of_prose_are_rare_but_a_title_line_is_not_split() -> None:
    assert read_pipe_header("Senior Engineer - Payments") is None
    assert read_pipe_header("Python | SQL") is None
    # En dashes join a title's parts ("ML Engineer contract – fintech – London"); only bars
    # and spaced em dashes separate a forum header's fields.
    assert read_pipe_header("ML Engineer contract – fintech, London – £650/day") is None


@pytest.mark.parametrize(
    ("text", "low", "high", "currency", "period"),
    [
        ("$90-130K", 90_000, 130_000, "USD", "year"),
        ("$170-190K base + equity", 170_000, 190_000, "USD", "year"),
        ("£85–120k + equity", 85_000, 120_000, "GBP", "year"),
        ("SEK 500 000 kr~700 000 kr", 500_000, 700_000, "SEK", "year"),
        ("35-90L INR", 3_500_000, 9_000_000, "INR", "year"),
        ("10 000-15 000 PLN + VAT (B2B)", 10_000, 15_000, "PLN", "month"),
        ("6000 zł - 9000 zł", 6_000, 9_000, "PLN", "month"),
        ("$4K–6K USD/mo", 4_000, 6_000, "USD", "month"),
        ("€48–60k/yr", 48_000, 60_000, "EUR", "year"),
        (
            "between € 2,651 (scale 9) and € 3,997 (scale 10 Dutch Universities) gross per month",
            2_651,
            3_997,
            "EUR",
            "month",
        ),
    ],
)
def test_pay_as_real_postings_write_it(
    text: str, low: float, high: float, currency: str, period: str
) -> None:
    salary = parse_salary(text)
    assert salary is not None
    assert (salary.min, salary.max, salary.currency, salary.period) == (
        low,
        high,
        currency,
        period,
    )


@pytest.mark.parametrize(
    "line",
    [
        "CONTRACT (Inside IR35 £Day rate) | Principal Engineer",  # IR35 is not 35
        "Salary: $300 - $90,000",  # a max far above its min is a misreading
        "Salary: £90k - £60",  # a max below its min likewise
    ],
)
def test_a_doubtful_figure_is_no_salary(line: str) -> None:
    assert find_salary([(0, line)]) is None


def test_the_two_ends_of_a_range_labelled_apart() -> None:
    parsed = parse_posting(
        'title: "Login.gov: Data Analyst"\nlocation: Anywhere in the U.S. (remote)\n'
        "min_payrange: $ 143,736\nmax_payrange: $ 191,900\n\nYou will analyse data.\n"
    )
    assert (parsed.title, parsed.company) == ("Data Analyst", "Login.gov")
    assert parsed.salary_range is not None
    assert (parsed.salary_range.min, parsed.salary_range.max) == (143_736, 191_900)
    assert parsed.work_arrangement == "remote"


def test_a_specific_post_title_beats_a_pages_title() -> None:
    parsed = parse_posting(
        "---\ntitle: Developer job description\n---\n\nPOST TITLE:   Developer\n"
        "LOCATION:     London\nTYPE OF POSTING: 24 Month Fixed Term Appointment. The post is"
        " fixed term to cover a finite piece of work, and it may be extended afterwards.\n"
    )
    assert (parsed.title, parsed.location, parsed.employment_type) == (
        "Developer",
        "London",
        "contract",
    )


@pytest.mark.parametrize(
    ("text", "arrangement"),
    [
        ("This hybrid role offers flexibility, with 2 days in our Grantham office.", "hybrid"),
        ("We've adopted a hybrid\napproach, with teams in the office four days a week.", "hybrid"),
        ("You will be required to be onsite for the majority of the time.", "onsite"),
        ("Flexible, remote-friendly working conditions.", "remote"),
        ("You can work fully remote, from the Stockholm office, or anywhere.", "remote"),
        ("We build remote sensing software.", None),
    ],
)
def test_how_prose_says_the_job_is_worked(text: str, arrangement: str | None) -> None:
    assert arrangement_in_body(text) == arrangement


def test_a_header_remote_narrowed_to_hybrid_by_the_body_is_hybrid() -> None:
    parsed = parse_posting(
        "PayPlan | Platform Specialist | Grantham, UK | Remote | 50,000 GBP / year\n\n"
        "This hybrid role offers flexibility, with 2 days in our Grantham office.\n"
    )
    assert (parsed.work_arrangement, parsed.remote) == ("hybrid", False)


def test_benefits_are_a_list_of_items_or_the_sentence_stating_them() -> None:
    listed = parse_posting(
        "Backend Engineer\nAcme\n\nBenefits:\n- Pension scheme\n- 30 days holiday\n"
    )
    stated = parse_posting(
        "Backend Engineer\nAcme\n\nWe build things.\n\n33 days holiday + 30 days/year working"
        " abroad. Nursery benefits.\n"
    )
    none = parse_posting("Backend Engineer\nAcme\n\nWe build things in Python.\n")
    assert listed.benefits == ["Pension scheme", "30 days holiday"]
    assert stated.benefits == ["33 days holiday + 30 days/year working abroad. Nursery benefits."]
    assert none.benefits == []
