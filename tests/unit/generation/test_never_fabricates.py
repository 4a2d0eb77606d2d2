"""Property: whatever the profile and the job, the offline writer states only profile facts."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobwise.domain.profile_summary import summarize
from jobwise.domain.writing import (
    GenerationOptions,
    analyze_job,
    compile_profile,
    validate,
    write_offline,
)
from jobwise.domain.writing.facts import ProfileFacts, numbers_in
from jobwise.domain.writing.markdown import long_date, read
from tests.unit.generation.material import TODAY, posting

QUOTE = re.compile(r'"([^"]+)"')
SKILLS = ["Python", "Go", "PostgreSQL", "Kubernetes", "React", "AWS", "Terraform", "Kafka", "SQL"]
VERBS = ["Cut", "Built", "Led", "Grew", "Contributed to", "Migrated", "Reduced"]
THINGS = ["latency", "the billing service", "costs", "the data platform", "onboarding time"]
JOBS = [
    "01-linkedin-backend-berlin.txt",
    "03-labelled-devops-london.txt",
    "06-markdown-frontend.txt",
    "posting-gitlab-it-sre.txt",
]
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=9)
company = st.builds(lambda a, b: f"{a.title()} {b.title()}", words, words)
achievement = st.builds(
    lambda verb, thing, number, unit, skill: f"{verb} {thing} by {number}{unit} using {skill}",
    st.sampled_from(VERBS),
    st.sampled_from(THINGS),
    st.integers(min_value=2, max_value=950),
    st.sampled_from(["%", "", "k", " users"]),
    st.sampled_from(SKILLS),
)


@st.composite
def experiences(draw: st.DrawFn) -> list[dict[str, Any]]:
    roles = []
    year = 2025
    for index in range(draw(st.integers(min_value=1, max_value=6))):
        length = draw(st.integers(min_value=1, max_value=4))
        start = year - length
        roles.append(
            {
                "id": f"e{index}",
                "title": draw(
                    st.sampled_from(["Engineer", "Senior Engineer", "Analyst", "Developer"])
                ),
                "company": draw(company),
                "start_date": date(start, draw(st.integers(1, 12)), 1).isoformat(),
                "end_date": None if index == 0 else date(year, 1, 1).isoformat(),
                "is_current": index == 0,
                "achievements": draw(st.lists(achievement, min_size=0, max_size=6)),
            }
        )
        year = start
    return roles


@st.composite
def profiles(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "id": "p",
        "personal_info": {"full_name": "Pat Example", "email": "pat@example.com"},
        "skills": {
            "technical": [
                {"id": f"s{i}", "name": s}
                for i, s in enumerate(draw(st.lists(st.sampled_from(SKILLS), unique=True)))
            ],
            "soft": [], "languages": [], "certifications": [],
        },
        "experiences": draw(experiences()),
        "education": [],
        "projects": [],
    }  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    document=profiles(),
    job=st.sampled_from(JOBS),
    kind=st.sampled_from(["resume", "cover_letter"]),
    pages=st.sampled_from([1, 2]),
)
def test_the_offline_writer_never_fabricates(
    document: dict[str, Any], job: str, kind: str, pages: int
) -> None:
    summary = summarize(document, today=TODAY)
    analysis = analyze_job(posting(job))
    options = GenerationOptions(max_pages=pages)  # type: ignore[arg-type]
    compiled = compile_profile(summary, analysis, options, today=TODAY, kind=kind)  # type: ignore[arg-type]
    markdown = write_offline(kind, compiled, analysis, options).markdown  # type: ignore[arg-type]
    facts = ProfileFacts.of(summary)
    dated = long_date(TODAY)  # the letter's date line is today's, not a profile fact
    body = [
        line
        for line in read(markdown)
        if line.kind not in ("name", "contact", "meta") and line.text != dated
    ]
    posting_text = " ".join(posting(job)["raw_text"].split()).casefold()
    for line in body:
        # What the letter quotes from the posting, and the posting's title, are the job's.
        own = QUOTE.sub(
            lambda m: "" if m.group(1).casefold() in posting_text else m.group(0), line.text
        )
        own = own.replace(analysis.title, "")
        for written, number in numbers_in(own):
            assert facts.has_number(number), (written, line.text)
    employers = {e["company"] for e in document["experiences"]}
    for line in read(markdown):
        if line.kind == "entry" and line.section == "Experience":
            assert line.text.rsplit(", ", 1)[1] in employers
    report = validate(markdown, kind, summary, analysis, options)  # type: ignore[arg-type]
    assert report.removed == [], report.removed
    assert report.markdown == markdown


def test_an_employer_named_like_a_skill_claims_no_skill() -> None:
    """Found by the property above: employer "Aaa Dns" was read as a DNS claim and the
    cover letter's sentence naming it removed."""
    document = {
        "id": "p",
        "personal_info": {"full_name": "Pat Example", "email": "pat@example.com"},
        "skills": {
            "technical": [{"id": "s0", "name": "Python"}],
            "soft": [], "languages": [], "certifications": [],
        },
        "experiences": [
            {
                "id": "e0", "title": "Engineer", "company": "Aaa Dns",
                "start_date": "2022-01-01", "end_date": None, "is_current": True,
                "achievements": ["Built the billing service using Python"],
            }
        ],
        "education": [], "projects": [],
    }  # fmt: skip
    summary = summarize(document, today=TODAY)
    analysis = analyze_job(posting(JOBS[0]))
    options = GenerationOptions()
    for kind in ("resume", "cover_letter"):
        compiled = compile_profile(summary, analysis, options, today=TODAY, kind=kind)  # type: ignore[arg-type]
        markdown = write_offline(kind, compiled, analysis, options).markdown  # type: ignore[arg-type]
        assert "Aaa Dns" in markdown
        report = validate(markdown, kind, summary, analysis, options)  # type: ignore[arg-type]
        assert report.removed == [], report.removed


def test_two_stints_with_one_title_at_one_employer_keep_their_own_bullets() -> None:
    """Found by the property above: both entries read "Engineer, Aaa Aaa", and the
    second one's own "Led ..." was judged against the first stint's achievements."""
    stint = {"title": "Engineer", "company": "Aaa Aaa"}
    document = {
        "id": "p",
        "personal_info": {"full_name": "Pat Example", "email": "pat@example.com"},
        "skills": {"technical": [], "soft": [], "languages": [], "certifications": []},
        "experiences": [
            {
                **stint, "id": "e0", "start_date": "2024-01-01", "end_date": None,
                "is_current": True, "achievements": ["Cut latency by 2% using Python"],
            },
            {
                **stint, "id": "e1", "start_date": "2023-01-01", "end_date": "2024-01-01",
                "is_current": False, "achievements": ["Led latency by 2% using Python"],
            },
        ],
        "education": [], "projects": [],
    }  # fmt: skip
    summary = summarize(document, today=TODAY)
    analysis = analyze_job(posting(JOBS[0]))
    options = GenerationOptions(max_pages=1)
    compiled = compile_profile(summary, analysis, options, today=TODAY, kind="resume")
    markdown = write_offline("resume", compiled, analysis, options).markdown
    assert "Led latency by 2% using Python" in markdown
    report = validate(markdown, "resume", summary, analysis, options)
    assert report.removed == [], report.removed


def test_two_achievements_alike_but_for_a_unit_are_each_their_own() -> None:
    """Found by the property above: "by 157% using Python" and "by 157 using Python" in
    two stints as "Engineer, Aaa Aaa"; the letter told the second, and the guard read it
    as an edit of the first and took it out ("157 belongs to another achievement")."""
    stint = {"title": "Engineer", "company": "Aaa Aaa"}
    document = {
        "id": "p",
        "personal_info": {"full_name": "Pat Example", "email": "pat@example.com"},
        "skills": {"technical": [], "soft": [], "languages": [], "certifications": []},
        "experiences": [
            {
                **stint, "id": "e0", "start_date": "2024-01-01", "end_date": None,
                "is_current": True, "achievements": ["Cut latency by 157% using Python"],
            },
            {
                **stint, "id": "e1", "start_date": "2023-01-01", "end_date": "2024-01-01",
                "is_current": False, "achievements": ["Cut latency by 157 using Python"],
            },
        ],
        "education": [], "projects": [],
    }  # fmt: skip
    summary = summarize(document, today=TODAY)
    analysis = analyze_job(posting(JOBS[0]))
    for kind in ("resume", "cover_letter"):
        options = GenerationOptions(max_pages=1)
        compiled = compile_profile(summary, analysis, options, today=TODAY, kind=kind)  # type: ignore[arg-type]
        markdown = write_offline(kind, compiled, analysis, options).markdown  # type: ignore[arg-type]
        assert "157 using Python" in markdown, markdown
        report = validate(markdown, kind, summary, analysis, options)  # type: ignore[arg-type]
        assert report.removed == [], report.removed
