"""The paper rule (``jobwise.adapters.rendering.paper``): Letter in the US and Canada, A4 elsewhere.

The locations are the ones the postings of ``tests/data/postings`` and
``tests/data/real_postings`` state (their location line, or what the parser reads).
"""

from __future__ import annotations

import pytest

from jobwise.adapters.rendering import PageSize
from jobwise.adapters.rendering.paper import document_page_size, page_size_for, paper_of
from jobwise.domain.writing.models import GenerationOptions

A4, LETTER = PageSize.A4, PageSize.LETTER

POSTED_LOCATIONS: list[tuple[str, PageSize]] = [
    ("Berlin, Germany", A4),
    ("Berlin", A4),
    ("London, UK", A4),
    ("London", A4),
    ("Amsterdam, Netherlands", A4),
    ("Amsterdam, The Netherlands", A4),
    ("Manchester, UK", A4),
    ("Manchester, England", A4),
    ("EMEA", A4),
    ("Remote - EMEA", A4),
    ("Bengaluru, Karnataka, India", A4),
    ("Hyderabad, India", A4),
    ("München, Germany", A4),
    ("Cologne, Germany", A4),
    ("Europe", A4),
    ("Remote (Europe)", A4),
    ("Dublin, County Dublin, Ireland", A4),
    ("UK", A4),
    ("Remote (UK)", A4),
    ("Copenhagen", A4),
    ("Utrecht, Netherlands", A4),
    ("Groningen, Netherlands", A4),
    ("Lisbon, Portugal", A4),
    ("Eindhoven, Netherlands", A4),
    ("Singapore", A4),
    ("Vienna, Austria", A4),
    ("Zürich, Switzerland", A4),
    ("Bristol, UK", A4),
    ("Bristol, UK or fully remote (UK)", A4),
    ("London/Bristol, UK", A4),
    ("Sydney NSW", A4),
    ("Cambridge, UK", A4),
    ("Northbridge campus, Cambridge, UK", A4),
    ("Tokyo, Japan", A4),
    ("Tokyo, Japan (Shibuya)", A4),
    ("Gdańsk, Poland", A4),
    ("Gdańsk", A4),
    ("Poland", A4),
    ("Uppsala, Sweden", A4),
    ("Stockholm", A4),
    ("Milan, Italy", A4),
    ("Grantham, UK", A4),
    ("Oslo", A4),
    ("Athens, Greece", A4),
    ("Europe, LatAm, India", A4),
    ("REMOTE (Europe, LatAm, India)", A4),
    ("Nantes,France", A4),
    ("London (South west), England", A4),
    ("London, UK (Hybrid - 2 days per week in office)", A4),
    ("Manchester, UK (hybrid, 3 days in the office)", A4),
    ("Remote, UK-based (occasional travel to Leeds)", A4),
    ("Berlin/REMOTE (EU)", A4),
    ("REMOTE (overlap with Ireland 9–5 GMT)", A4),
    ("REMOTE (LATAM/EU time zones welcome)", A4),
    ("Austin, TX", LETTER),
    ("Toronto, ON", LETTER),
    ("Toronto", LETTER),
    ("Toronto, Canada", LETTER),
    ("Toronto, Remote (Canada). We have an office in Toronto, but are currently working", LETTER),
    ("US", LETTER),
    ("Remote (US)", LETTER),
    ("REMOTE (US)", LETTER),
    ("Remote (US - Most States)", LETTER),
    ("100% remote (US time zones)", LETTER),
    ("New York, NY", LETTER),
    ("San Francisco, CA", LETTER),
    ("Denver, CO", LETTER),
    ("Chicago, IL", LETTER),
    ("Hartford, CT", LETTER),
    ("United States", LETTER),
    ("Spokane, WA", LETTER),
    ("Seattle, WA", LETTER),
    ("Calgary, Canada", LETTER),
    ("CANADA", LETTER),
    ("REMOTE (CANADA)", LETTER),
    ("Ottawa, Canada", LETTER),
    ("Miami, FL", LETTER),
    ("Washington, D.C.", LETTER),
    ("Washington, D.C., Remote", LETTER),
    ("Oakland, CA, United States", LETTER),
    ("Anywhere in the U.S.", LETTER),
    ("Anywhere in the U.S. (remote)", LETTER),
    ("Los Angeles, CA", LETTER),
    ("Los Angeles, California", LETTER),
    ("Roswell, New Mexico", LETTER),
    ("Vancouver, BC", LETTER),
    ("Sioux Falls, South Dakota", LETTER),
    ("California", LETTER),
    ("Seguin, Texas", LETTER),
    ("Wilmington, NC", LETTER),
]


@pytest.mark.parametrize(("location", "paper"), POSTED_LOCATIONS)
def test_a_posted_location_gives_its_countrys_paper(location: str, paper: PageSize) -> None:
    assert paper_of(location) is paper


@pytest.mark.parametrize(
    ("location", "paper"),
    [
        # A state beats a city: the London in Ontario, the Cambridge in Massachusetts.
        ("London, Ontario", LETTER),
        ("London, ON", LETTER),
        ("Cambridge, MA", LETTER),
        ("Victoria, BC", LETTER),
        # A country beats a city named in a note.
        ("London, UK (occasional travel to New York)", A4),
        # A US code that is also a country's yields to a foreign city...
        ("Berlin, DE", A4),
        ("Bangalore, IN", A4),
        ("Perth, WA", A4),
        # ...but not to one a US town is named after, nor when no foreign city is named.
        ("Athens, GA", LETTER),
        ("Indianapolis, IN", LETTER),
        ("Wilmington, DE", LETTER),
        ("Bozeman, MT", LETTER),
        ("Austin TX 78701", LETTER),
        # The first alternative that names a place decides.
        ("Remote - US or UK", LETTER),
        ("London or New York", A4),
        ("US/Canada", LETTER),
        ("Remote (North America)", LETTER),
        # A profile's place, as a JSON Resume import writes it (city, countryCode).
        ("Cincinnati, USA", LETTER),
        ("Melbourne, AU", A4),
        ("Bergen, NO", A4),
        ("Lyon, FR", A4),
        ("Leeds, GB", A4),
    ],
)
def test_the_broadest_place_and_the_first_alternative_decide(
    location: str, paper: PageSize
) -> None:
    assert paper_of(location) is paper


@pytest.mark.parametrize(
    "location",
    [None, "", "Remote", "Worldwide", "Anywhere", "Hybrid", "Join us anywhere", "Springfield"],
)
def test_a_location_naming_no_known_place_decides_nothing(location: str | None) -> None:
    assert paper_of(location) is None


@pytest.mark.parametrize(
    "location", ["İSTANBUL", "İstanbul, Türkiye", "ZÜRICH", "x" * 5000, "((", ", , TX", "/"]
)
def test_any_text_is_read_without_error(location: str) -> None:
    assert paper_of(location) in (A4, LETTER, None)


def test_lowercase_us_and_words_are_not_codes() -> None:
    assert paper_of("work with us remotely") is None
    assert paper_of("Berlin or remote") is A4  # "or" splits, it is no Oregon


@pytest.mark.parametrize(
    ("job", "candidate", "paper"),
    [
        ("Berlin, Germany", "Austin, TX", A4),  # the job's place first
        ("Austin, TX", "London, UK", LETTER),
        ("Remote", "London, UK", A4),  # the job names no place: the candidate's
        (None, "Toronto, ON", LETTER),
        ("Worldwide", "Bengaluru, India", A4),
        ("Remote", None, LETTER),  # neither: Letter, as before
        (None, None, LETTER),
    ],
)
def test_the_jobs_place_then_the_candidates_then_letter(
    job: str | None, candidate: str | None, paper: PageSize
) -> None:
    assert page_size_for(job, candidate) is paper


def test_the_users_choice_overrides_the_rule() -> None:
    assert page_size_for("Berlin, Germany", None, "letter") is LETTER
    assert page_size_for("Austin, TX", "Austin, TX", "a4") is A4
    assert page_size_for("Berlin, Germany", None, "auto") is A4
    assert GenerationOptions().page_size == "auto"
    chosen = GenerationOptions(page_size="a4").page_size
    assert page_size_for("Austin, TX", None, chosen) is A4


def test_a_stored_document_keeps_its_paper_and_an_older_one_is_letter() -> None:
    assert document_page_size({"parameters": {"page_size": "a4"}}) is A4
    assert document_page_size({"parameters": {"page_size": "letter"}}) is LETTER
    assert document_page_size({"parameters": {"tone": "concise"}}) is LETTER
    assert document_page_size({}) is LETTER
