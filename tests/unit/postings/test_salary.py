"""Salary figures as postings write them, and the figures that are not salaries."""

from __future__ import annotations

import pytest

from jobwise.domain.postings.models import Period, SalaryRange
from jobwise.domain.postings.money import number
from jobwise.domain.postings.salary import find_salary, parse_salary


def _find(line: str, dollar: str = "USD") -> SalaryRange | None:
    return find_salary([(0, line)], dollar=dollar)


WHOLE = None
"""The salary's text is the whole line."""


@pytest.mark.parametrize(
    ("line", "text", "low", "high", "currency", "period"),
    [
        ("$120,000 - $145,000 a year", WHOLE, 120_000, 145_000, "USD", "year"),
        ("£60k–£75k", WHOLE, 60_000, 75_000, "GBP", "year"),
        ("140.000 - 170.000 EUR", WHOLE, 140_000, 170_000, "EUR", "year"),
        ("€85,000 – €105,000", WHOLE, 85_000, 105_000, "EUR", "year"),
        ("$150K-$190K CAD", WHOLE, 150_000, 190_000, "CAD", "year"),
        ("$45 - $60 an hour", WHOLE, 45, 60, "USD", "hour"),
        ("USD 90,000 to 110,000 per annum", WHOLE, 90_000, 110_000, "USD", "year"),
        ("up to £50,000", WHOLE, None, 50_000, "GBP", "year"),
        ("from €4.500 per month", WHOLE, 4_500, None, "EUR", "month"),
        ("₹18,00,000 - ₹25,00,000 per annum", WHOLE, 1_800_000, 2_500_000, "INR", "year"),
        ("CTC 18-25 LPA", "18-25 LPA", 1_800_000, 2_500_000, "INR", "year"),
        ("£60-75k", WHOLE, 60_000, 75_000, "GBP", "year"),
        ("£550/day outside IR35", "£550/day", 550, 550, "GBP", "day"),
        ("Day rate: £500 - £600", "£500 - £600", 500, 600, "GBP", "day"),
        ("$28.50/hr", WHOLE, 28.5, 28.5, "USD", "hour"),
        ("CHF 110'000 – 130'000 p.a.", WHOLE, 110_000, 130_000, "CHF", "year"),
        ("€1.800 per month", WHOLE, 1_800, 1_800, "EUR", "month"),
        ("DKK 55,000 - 65,000 per month", WHOLE, 55_000, 65_000, "DKK", "month"),
        ("¥8,000,000 - ¥12,000,000 per year", WHOLE, 8e6, 12e6, "JPY", "year"),
        ("between 100 000 and 120 000 SEK", WHOLE, 1e5, 1.2e5, "SEK", "year"),
        ("The base pay range is $140k+", "$140k+", 140_000, None, "USD", "year"),
        ("$95,000", WHOLE, 95_000, 95_000, "USD", "year"),
        ("£38,205 to £44,263 per annum", WHOLE, 38_205, 44_263, "GBP", "year"),
        ("$45 - $60", WHOLE, 45, 60, "USD", None),
    ],
)
def test_salary_forms(
    line: str,
    text: str | None,
    low: float | None,
    high: float | None,
    currency: str,
    period: Period | None,
) -> None:
    salary = _find(line)
    expected = SalaryRange(
        text=text or line,
        min=low,
        max=high,
        currency=currency,
        period=period,
    )
    assert salary == expected


@pytest.mark.parametrize(
    "line",
    [
        "401(k) with 4% match",
        "5+ years of experience with Python",
        "Join a $2B company on a mission",
        "We raised $50 million in our Series B",
        "We offer a $1,000 learning budget",
        "$2,500 annual learning budget",
        "£1,000 training budget annually",
        "$100 monthly wellness stipend",
        "Manage a portfolio of 60 accounts ($20K-$100K ARR each)",
        "See how you compare to over 100 other applicants. Try Premium for $0",
        "Night shift differential of $6/hour",
        "We serve 40,000 customers in 12 countries",
        "Expected hours: 40 per week",
        "Founded in 2012, we have 1,200 employees",
    ],
)
def test_figures_that_are_not_salaries(line: str) -> None:
    assert _find(line) is None


def test_add_ons_after_the_range_do_not_hide_it() -> None:
    salary = _find("- $160,000 - $195,000 base salary, plus equity")
    assert salary is not None and (salary.min, salary.max) == (160_000, 195_000)
    salary = _find("CHF 120'000 – 140'000 p.a. plus bonus")
    assert salary is not None and salary.max == 140_000


def test_the_most_salary_like_figure_wins() -> None:
    lines = list(
        enumerate(
            [
                "We raised $30M and serve 5,000 clients.",
                "Perks: a $1,500 home office budget.",
                "The salary range for this role is $130,000 - $150,000.",
                "You may also earn $5,000 in referral bonuses.",
            ]
        )
    )
    salary = find_salary(lines)
    assert salary is not None and (salary.min, salary.max) == (130_000, 150_000)


def test_header_lines_are_favoured() -> None:
    lines = [(0, "£550/day"), (1, "Rates vary; past contractors earned £400 per day")]
    salary = find_salary(lines, favoured=frozenset({0}))
    assert salary is not None and salary.min == 550


def test_a_bare_dollar_follows_the_place() -> None:
    salary = _find("$120,000 - $140,000", dollar="CAD")
    assert salary is not None and salary.currency == "CAD"
    explicit = _find("US$120,000 - US$140,000", dollar="CAD")
    assert explicit is not None and explicit.currency == "USD"


def test_labelled_values_trust_the_label() -> None:
    salary = parse_salary("90,000 - 110,000")
    assert salary is not None and salary.currency is None and salary.period == "year"
    assert parse_salary("Competitive, depending on experience") is None
    assert parse_salary("DOE") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("120,000", 120_000),
        ("140.000", 140_000),
        ("4.500", 4_500),
        ("18,00,000", 1_800_000),
        ("1.234,56", 1_234.56),
        ("1,234.56", 1_234.56),
        ("4.5", 4.5),
        ("45.50", 45.5),
        ("110'000", 110_000),
        ("120000", 120_000),
    ],
)
def test_number_reading(text: str, value: float) -> None:
    assert number(text) == value
