"""Quantities a resume sentence states, normalised for the fabrication guard: what is a
quantity (and what, like "Python 3.11" or "p99", is not), its value and unit, the noun it
counts, the spans a sentence gives as one change, and that reading stays linear."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobwise.domain.writing.quantities import Quantity, quantities_in, ranges_in, same_quantity


def _only(text: str) -> Quantity:
    found = quantities_in(text)
    assert len(found) == 1, found
    return found[0]


def _summary(text: str) -> list[tuple[float, str]]:
    return [(quantity.value, quantity.unit) for quantity in quantities_in(text)]


# --- numbers, scales, currencies -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "written"),
    [
        ("Processed 2,000 claims a day.", 2000, "", "2,000"),
        ("Cut onboarding to 1.5 sprints.", 1.5, "", "1.5"),
        ("Grew the list to 3.2k subscribers.", 3200, "", "3.2k"),
        ("Reached 2M monthly readers.", 2_000_000, "", "2M"),
        ("Served 1.2 million patients.", 1_200_000, "", "1.2 million"),
        ("Indexed 3 billion rows.", 3_000_000_000, "", "3 billion"),
        ("Indexed 5 thousand rows.", 5000, "", "5 thousand"),
        ("Raised $2.5M in seed funding.", 2_500_000, "$", "$2.5M"),
        ("Saved €40k a year.", 40_000, "€", "€40k"),
        ("Won a £3,000 grant.", 3000, "£", "£3,000"),
        ("Closed deals worth USD 40,000 each.", 40_000, "$", "USD 40,000"),
        ("Closed deals worth 40,000 USD each.", 40_000, "$", "40,000 USD"),
        ("Raised $ 5 million for the shelter.", 5_000_000, "$", "$ 5 million"),
        ("Grew revenue 40% year on year.", 40, "%", "40%"),
        ("Grew revenue 40 % year on year.", 40, "%", "40 %"),
        ("Grew revenue 40 percent year on year.", 40, "%", "40 percent"),
        ("Grew revenue 40 per cent year on year.", 40, "%", "40 per cent"),
        ("Grew revenue forty percent year on year.", 40, "%", "forty percent"),
        ("Lifted retention 5 pp in a year.", 5, "pp", "5 pp"),
        ("Lifted retention 5 percentage points in a year.", 5, "pp", "5 percentage points"),
        ("Made builds 10x faster.", 10, "x", "10x"),
        ("Made builds 10× faster.", 10, "x", "10×"),
        ("Made builds 10X faster.", 10, "x", "10X"),
        ("Made builds 10-fold faster.", 10, "x", "10-fold"),
        ("Made builds tenfold faster.", 10, "x", "tenfold"),
        ("Made builds ten times faster.", 10, "x", "ten times"),
        ("Doubled throughput.", 2, "x", "Doubled"),
        ("We tripled sales.", 3, "x", "tripled"),
        ("We quadrupled sign-ups.", 4, "x", "quadrupled"),
        ("We halved churn.", 50, "%", "halved"),
        ("Cut costs in half.", 50, "%", "in half"),
        ("Cut costs by half.", 50, "%", "half"),
        ("Automated half of the checks.", 50, "%", "half"),
        ("Reduced incidents by a third.", 33.333333, "%", "a third"),
        ("Automated one third of the checks.", 33.333333, "%", "one third"),
        ("Automated a third of the checks.", 33.333333, "%", "a third"),
        ("Automated two thirds of the checks.", 66.666667, "%", "two thirds"),
        ("Automated two-thirds of the checks.", 66.666667, "%", "two-thirds"),
        ("Cut costs by a quarter.", 25, "%", "a quarter"),
        ("Automated a quarter of the checks.", 25, "%", "a quarter"),
        ("Automated one quarter of the checks.", 25, "%", "one quarter"),
        ("Automated three quarters of the checks.", 75, "%", "three quarters"),
        ("Hired twenty-five nurses.", 25, "", "twenty-five"),
        ("Hired twenty five nurses.", 25, "", "twenty five"),
        ("Hired a hundred nurses.", 100, "", "a hundred"),
        ("Hired two hundred nurses.", 200, "", "two hundred"),
        ("Hired one hundred and twenty nurses.", 120, "", "one hundred and twenty"),
        ("Hired a thousand nurses.", 1000, "", "a thousand"),
        ("Reached three million readers.", 3_000_000, "", "three million"),
        ("Hired a dozen nurses.", 12, "", "a dozen"),
        ("Hired half a dozen nurses.", 6, "", "half a dozen"),
        ("Hired a couple of nurses.", 2, "", "a couple of"),
        ("Ran a couple of weeks of trials.", 2, "week", "a couple of weeks"),
        ("Taught for a decade.", 10, "year", "a decade"),
        ("Taught for two decades.", 20, "year", "two decades"),
        ("Had zero outages.", 0, "", "zero"),
    ],
)
def test_a_quantity_is_read_and_normalised(
    text: str, value: float, unit: str, written: str
) -> None:
    quantity = _only(text)
    assert (quantity.value, quantity.unit, quantity.written) == (value, unit, written)
    assert text[quantity.start : quantity.end] == written


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Cut p99 latency to 6 milliseconds.", 6, "ms"),
        ("Cut p99 latency to 6 msec.", 6, "ms"),
        ("Cut p99 latency to 6ms.", 6, "ms"),
        ("Cut boot time to 45 seconds.", 45, "s"),
        ("Cut boot time to 45 secs.", 45, "s"),
        ("Cut boot time to 45 sec.", 45, "s"),
        ("Cut boot time to 45s.", 45, "s"),
        ("Cut deploys to 90 minutes.", 90, "min"),
        ("Cut deploys to 90 mins.", 90, "min"),
        ("Cut deploys to 90min.", 90, "min"),
        ("Cut reports to 6 hours.", 6, "h"),
        ("Cut reports to 6 hrs.", 6, "h"),
        ("Cut reports to 6 hr.", 6, "h"),
        ("Cut reports to 6h.", 6, "h"),
        ("Shipped in 3 days.", 3, "day"),
        ("Shipped in 3 weeks.", 3, "week"),
        ("Shipped in 3 months.", 3, "month"),
        ("Taught for 3 years.", 3, "year"),
        ("Taught for 3 yrs.", 3, "year"),
        ("Taught for 1 yr.", 1, "year"),
        ("Moved 512 KB pages.", 512, "KB"),
        ("Moved 40 MB files.", 40, "MB"),
        ("Moved 500GB of logs.", 500, "GB"),
        ("Moved 1.2 TB of logs.", 1.2, "TB"),
        ("Moved 3 petabytes of logs.", 3, "PB"),
        ("Ran a 30-day trial.", 30, "day"),
        ("Taught for 5+ years.", 5, "year"),
        ("Grew sign-ups 40+% in spring.", 40, "%"),
    ],
)
def test_units_take_their_canonical_names(text: str, value: float, unit: str) -> None:
    quantity = _only(text)
    assert (quantity.value, quantity.unit) == (value, unit)


# --- the noun a quantity counts ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written", "measure"),
    [
        ("Managed 14 engineers across two sites.", "14", "engineers"),
        ("Reached 10 million users.", "10 million", "users"),
        ("Closed 40% of tickets within a day.", "40%", "tickets"),
        ("Closed 40% of the tickets within a day.", "40%", "tickets"),
        ("Led a team of fourteen engineers.", "fourteen", "engineers"),
        ("Led the team of 14.", "14", ""),
        ("Served 10 million monthly active users.", "10 million", "monthly active users"),
        ("Ran 5 production services.", "5", "production services"),
        ("Built 3 cross-functional squads.", "3", "cross-functional squads"),
        ("Grew to 10k+ subscribers.", "10k", "subscribers"),
        ("Made builds 40% faster.", "40%", ""),
        ("Cut latency by 40% for checkout.", "40%", ""),
        ("Led a 12-person team.", "12", "person team"),
        ("Brought in $2M of revenue.", "$2M", "revenue"),
        ("Had 6 hours of downtime.", "6 hours", "downtime"),
        ("Met 3 times a week.", "3", "times"),
        ("Hired one engineer.", "one", "engineer"),
        ("Resized 400+ EC2 instances.", "400", "ec2 instances"),
        ("Mentored 6 junior engineers who led 2 teams.", "6", "junior engineers"),
        ("Kept 3 daily reports.", "3", "daily reports"),
        ("Ran roughly 3 audits.", "3", "audits"),
        ("Ran 3 quickly.", "3", ""),
    ],
)
def test_the_noun_that_follows_is_the_measure(text: str, written: str, measure: str) -> None:
    (quantity,) = [found for found in quantities_in(text) if found.written == written]
    assert quantity.measure == measure


# --- years -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Joined in 2019.", [(2019, True)]),
        ("In 2019 revenue grew.", [(2019, True)]),
        ("Onboarded 2019 users.", [(2019, False)]),
        ("Worked there 2019–2021.", [(2019, True), (2021, True)]),
        ("Worked there from 2019 to 2021.", [(2019, True), (2021, True)]),
        ("Founded in 1949 and sold 1949 units.", [(1949, False), (1949, False)]),
        ("Raised $2019 at the bake sale.", [(2019, False)]),
        ("Shipped 2,019 parcels.", [(2019, False)]),
        ("Worked on the 2020 census.", [(2020, True)]),
        ("Promoted in mid-2019.", [(2019, True)]),
    ],
)
def test_four_digit_years_are_years_unless_they_count(
    text: str, expected: list[tuple[float, bool]]
) -> None:
    assert [(found.value, found.is_year) for found in quantities_in(text)] == expected


# --- what is not a quantity --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Migrated the platform to Python 3.11.",
        "Built a Web 2.0 portal.",
        "Upgraded services to Java 8.",
        "Upgraded services to Java 17.",
        "Ported the app to Angular 2.",
        "Runs on Node.js 18.",
        "Stored assets in S3 behind EC2.",
        "Watched p99 closely.",
        "Held an H1B visa.",
        "Beat the Q3 target.",
        "Provided 24/7 support.",
        "Call +1 555 123 4567 today.",
        "Call (555) 123-4567 today.",
        "Call 555-123-4567 today.",
        "Started on 2024-03-01.",
        "Started on 03/01/2024.",
        "Released v2.3.1 and 1.2.3.",
        "Finished 3rd and then 1st.",
        "Came first, then second, then third.",
        "Closed tickets in a quarter.",
        "Reported each quarter.",
        "Ranked #1 in the region.",
        "One of the founders.",
        "Ran one-on-one coaching.",
        "Was the one engineer on call.",
        "Cleared a double-digit backlog.",
        "Started on June 15.",
        "Account 12345678901234567890 was closed.",
        "Set up 2FA and 5G.",
        "Liked the music of the 1990s.",
        "Served 10s of millions of readers.",
        "Built on GPT-4 with SHA-256 hashes.",
        "Held an H-1B visa through COVID-19.",
    ],
)
def test_versions_codes_dates_and_ordinals_are_not_quantities(text: str) -> None:
    assert quantities_in(text) == []


def test_a_version_rule_yields_to_a_unit_or_a_plural_count() -> None:
    assert _summary("Moved 40 services to Python 3.11 and cut costs 20%.") == [
        (40, ""),
        (20, "%"),
    ]
    assert _summary("Sold to Fortune 500 companies.") == [(500, "")]
    assert _summary("Between 5 and 10 engineers joined.") == [(5, ""), (10, "")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hired 12.", [(12, "")]),
        ("Led 14 across two sites.", [(14, ""), (2, "")]),
        ("• Managed 9 on call.", [(9, "")]),
        ("Python 3.11 rollout done.", []),
        ("Shipped it. Python 3.12 next.", []),
        ("Shipped it. Kotlin 2 next.", [(2, "")]),  # the rule's known cost, at an opening
        ("We moved to Kotlin 2 fast.", []),
        ("We moved to iOS 17 fast.", []),
    ],
)
def test_a_sentence_opening_capital_is_not_a_product_name(
    text: str, expected: list[tuple[float, str]]
) -> None:
    assert _summary(text) == expected


def test_a_calendar_quarter_is_not_a_share_but_counts_as_a_number() -> None:
    assert _summary("Grew for three quarters in a row.") == [(3, "")]
    assert _summary("Automated three quarters of the checks.") == [(75, "%")]


def test_offsets_point_into_the_text_given() -> None:
    text = "Cut p99 latency from 820 ms to 6 ms for 14 engineers."
    for quantity in quantities_in(text):
        assert text[quantity.start : quantity.end] == quantity.written
    assert [quantity.written for quantity in quantities_in(text)] == ["820 ms", "6 ms", "14"]


# --- ranges ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        ("Cut latency from 820 ms to 6 ms.", (820, "ms"), (6, "ms")),
        ("Cut latency 820ms → 6ms.", (820, "ms"), (6, "ms")),
        ("Cut latency 820 ms -> 6 ms.", (820, "ms"), (6, "ms")),
        ("Cut reports from 6 hours to 45 seconds.", (6, "h"), (45, "s")),
        ("Cut reports 6 hours to 45 seconds.", (6, "h"), (45, "s")),
        ("Grew between 5 and 10 engineers.", (5, ""), (10, "")),
        ("Improved margins 30–40%.", (30, "%"), (40, "%")),
        ("Improved margins 30-40%.", (30, "%"), (40, "%")),
        ("Cut lead time from 2 to 5 days.", (2, "day"), (5, "day")),
        ("Raised $5–10M.", (5_000_000, "$"), (10_000_000, "$")),
        ("Grew from 5 to 10 million users.", (5_000_000, ""), (10_000_000, "")),
        ("Grew from 500 to 2 million users.", (500, ""), (2_000_000, "")),
        ("Grew from 2x to 3x.", (2, "x"), (3, "x")),
        ("Grew between five and ten engineers.", (5, ""), (10, "")),
        ("Hired between one hundred and two hundred nurses.", (100, ""), (200, "")),
        ("Scaled from 1 to 2 decades of data.", (10, "year"), (20, "year")),
        ("Worked there 2019–2021.", (2019, ""), (2021, "")),
    ],
)
def test_a_change_or_span_is_one_range_sharing_its_unit(
    text: str, first: tuple[float, str], second: tuple[float, str]
) -> None:
    ((low, high),) = ranges_in(text)
    assert (low.value, low.unit) == first
    assert (high.value, high.unit) == second


def test_a_range_shares_its_measure_and_quantities_in_agrees() -> None:
    ((low, high),) = ranges_in("Grew the team from 5 to 12 engineers.")
    assert (low.measure, high.measure) == ("engineers", "engineers")
    assert quantities_in("Grew the team from 5 to 12 engineers.") == [low, high]


@pytest.mark.parametrize(
    "text",
    [
        "Cut latency by 40% to 120 ms.",  # a change and where it landed, not a span
        "Grew the team by 3 to 12 engineers.",
        "Assigned 3 engineers to 12 projects.",
        "Saved 5 hours - 10 engineers joined.",
        "Grew 5 and 10 engineers.",  # "and" without "between"
        "Grew revenue 40% to $2.5M.",
        "Worked there 2019 to 5 clients.",
        "Grew from 5 to\n10 engineers.",
        "Shipped 3 apps — 2 of them native.",
    ],
)
def test_quantities_that_are_not_one_span_are_not_paired(text: str) -> None:
    assert ranges_in(text) == []


# --- comparing ---------------------------------------------------------------------------


def _quantity(value: float, unit: str) -> Quantity:
    return Quantity(value, unit, "", 0, 0, "")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (_quantity(40, "%"), _quantity(40, "%"), True),
        (_quantity(40, "%"), _quantity(60, "%"), False),
        (_quantity(40, "%"), _quantity(40, "pp"), False),
        (_quantity(40, "%"), _quantity(40, ""), False),
        (_quantity(40, ""), _quantity(40, "pp"), False),
        (_quantity(10, "x"), _quantity(10, ""), False),
        (_quantity(14, ""), _quantity(14, ""), True),
        (_quantity(6, "ms"), _quantity(6, ""), True),
        (_quantity(6, ""), _quantity(6, "$"), True),
        (_quantity(6, "ms"), _quantity(6, "s"), False),
        (_quantity(33.333333, "%"), _quantity(33.3333334, "%"), True),
        (_quantity(33.333333, "%"), _quantity(33.3334, "%"), False),
    ],
)
def test_same_quantity_needs_one_value_and_a_compatible_unit(
    a: Quantity, b: Quantity, same: bool
) -> None:
    assert same_quantity(a, b) is same
    assert same_quantity(b, a) is same


def test_written_forms_of_one_quantity_compare_equal() -> None:
    written = ["40%", "40 %", "forty percent", "40 per cent"]
    first = _only(f"Grew {written[0]}.")
    for form in written[1:]:
        assert same_quantity(first, _only(f"Grew {form}."))
    assert same_quantity(_only("Made it 10x faster."), _only("Made it tenfold faster."))
    assert not same_quantity(_only("Grew 40%."), _only("Grew 60%."))


# --- linear time and robustness ---------------------------------------------------------

_RANDOM = random.Random(7)
_ADVERSARIAL = {
    "commas": "1," * 100_000,
    "hyphenated tens": "twenty-" * 30_000,
    "open ranges": "from 1 to " * 20_000,
    "random digits and letters": "".join(
        _RANDOM.choice("0123456789abcxkM ,.-%$/") for _ in range(200_000)
    ),
    "one long number": "9" * 200_000,
    "dotted": "1." * 100_000,
    "plus signs": "+1 " * 66_000,
    "hyphen chain": "1-" * 100_000,
    "word chain": "5 " + "a-" * 100_000,
    "hundreds": "one hundred and " * 12_000,
    "currency": "$1M " * 50_000,
    "spaces": "1" + " " * 200_000,
}


def _seconds(read: Callable[[str], object], text: str) -> float:
    started = time.perf_counter()
    read(text)
    return time.perf_counter() - started


@pytest.mark.parametrize("read", [quantities_in, ranges_in])
@pytest.mark.parametrize("text", _ADVERSARIAL.values(), ids=_ADVERSARIAL.keys())
def test_a_long_adversarial_text_is_read_in_linear_time(
    read: Callable[[str], object], text: str
) -> None:
    # Linear, not fast: ten times the text may take at most 40 times as long as a tenth
    # of it (linear code takes about 10x, quadratic about 100x). Timing the two on a
    # loaded machine is noisy, so each is the best of three runs, and a tenth read in
    # under 30 ms counts as 30 ms (clock noise on tiny times cannot fail the test).
    whole = min(_seconds(read, text) for _ in range(3))
    tenth = min(_seconds(read, text[: len(text) // 10]) for _ in range(3))
    assert whole < 40 * max(tenth, 0.03), (whole, tenth)


_SENTENCE_PARTS = st.sampled_from(
    [
        "1", "2,000", "3.2k", "$", "€", "%", " ", "-", "–", "→", "x", "ms", "from", "to",
        "between", "and", "a", "third", "quarter", "half", "of", "dozen", "twenty", "five",
        "hundred", "million", "2019", "Python", "3.11", "/", "+", "(", ")", "#", "'", "\n",
        "engineers", "times", "per", "cent", "fold", "by", "in", "one", ".", ",", "s",
    ]
)  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(_SENTENCE_PARTS, max_size=30).map("".join) | st.text(max_size=80))
def test_reading_never_fails_and_offsets_hold(text: str) -> None:
    found = quantities_in(text)
    for quantity in found:
        assert text[quantity.start : quantity.end] == quantity.written
        assert quantity.written
    starts = [quantity.start for quantity in found]
    assert starts == sorted(starts)
    for low, high in ranges_in(text):
        assert low.end <= high.start
        assert low in found and high in found
