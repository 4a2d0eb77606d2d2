"""Every kind of lie a language model tells, through the real pipeline, must not survive it.

The lying model (``tests/support/lying_model.py``) answers the real prompt over real HTTP
(``FakeOpenAI`` and ``OpenAILanguageModel``) with a truthful resume or cover letter plus
one lie; ``write_with_llm`` renders it and ``check_draft`` (stage 4) checks and repairs
it. For each lie kind, document kind and real profile/posting pair, the final document
must: not contain the lie; keep every true line (or the profile achievement it restates);
leave no section heading empty; say ``needs_review`` and list what it repaired; still name
every real employer of the last ten years the truthful answer named. A truthful answer,
"Sr." for "Senior" included, passes untouched.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest

from jobwise.adapters.llm import OpenAILanguageModel
from jobwise.domain.profile_summary import ProfileSummary
from jobwise.domain.writing import GenerationOptions, analyze_job, compile_profile, write_with_llm
from jobwise.domain.writing.llm_writer import (
    LlmCoverLetter,
    LlmResume,
    render_cover_letter,
    render_resume,
)
from jobwise.domain.writing.models import CompiledProfile, DocumentKind, JobAnalysis
from jobwise.domain.writing.repair import check_draft
from tests.support.fake_openai import FakeOpenAI
from tests.support.lying_model import (
    BY_NAME,
    LIES,
    LyingModel,
    Told,
    TrueLine,
    abbreviate_senior,
    field_of,
    truthful_letter,
    truthful_resume,
)
from tests.unit.generation.material import PAIRS, TODAY, posting, profile

NAMES = ("thomas-davis", "craig-gardener")
"""Two real pairs whose posting names its company (so "the company applied to" lies fit)."""
KINDS: tuple[DocumentKind, ...] = ("resume", "cover_letter")
RECENT = date(TODAY.year - 10, TODAY.month, TODAY.day)
CASES = [
    pytest.param(lie.name, kind, name, id=f"{lie.name}-{kind}-{name}")
    for lie in LIES
    for kind in KINDS
    if lie.fits(kind)
    for name in NAMES
]


@pytest.fixture(scope="module")
async def fake() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI() as server:
        yield server


@pytest.fixture(scope="module")
async def llm(fake: FakeOpenAI) -> AsyncIterator[OpenAILanguageModel]:
    model = OpenAILanguageModel("sk-test", "gpt-4o-mini", base_url=fake.base_url, max_retries=0)
    try:
        yield model
    finally:
        await model.aclose()


@functools.cache
def inputs(name: str) -> tuple[ProfileSummary, JobAnalysis, CompiledProfile]:
    summary = profile(name)
    analysis = analyze_job(posting(PAIRS[name]))
    return summary, analysis, compile_profile(summary, analysis, today=TODAY)


def fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def render(answer: dict[str, Any], kind: DocumentKind, compiled: CompiledProfile) -> str:
    if kind == "resume":
        return render_resume(LlmResume.model_validate(answer), compiled)
    return render_cover_letter(LlmCoverLetter.model_validate(answer), compiled)


async def run(
    fake: FakeOpenAI, llm: OpenAILanguageModel, liar: LyingModel, kind: DocumentKind, name: str
) -> tuple[str, Any]:
    """The draft's Markdown and the stage-4 report for what ``liar`` answers."""
    fake.reset()
    fake.responder = liar
    summary, analysis, compiled = inputs(name)
    options = GenerationOptions()
    draft = await write_with_llm(llm, kind, compiled, analysis, options)
    assert draft.writer == "llm" and not draft.fell_back, draft.recommendations
    report = await check_draft(
        draft,
        kind=kind,
        compiled=compiled,
        profile=summary,
        analysis=analysis,
        options=options,
        model=llm,
    )
    return draft.markdown, report


def lost_truths(truths: list[TrueLine], final: str, told: Told | None) -> list[str]:
    """True lines gone from ``final`` (the lie's own line, and the one it edited, aside)."""
    aside = {fold(told.sentence), fold(told.replaced or "")} if told else set()
    folded = fold(final)
    return [
        line.text
        for line in truths
        if fold(line.text) not in aside
        and fold(line.text) not in folded
        and not (line.source and fold(line.source).rstrip(".") in folded)
    ]


def empty_sections(markdown: str) -> list[str]:
    """``## `` headings with nothing under them before the next one (or the end)."""
    lines = [line.strip() for line in markdown.splitlines() if line.strip()]
    return [
        line
        for index, line in enumerate(lines)
        if line.startswith("## ")
        and (index + 1 == len(lines) or lines[index + 1].startswith(("## ", "# ")))
    ]


def recent_employers(compiled: CompiledProfile, truthful_markdown: str) -> list[str]:
    """Employers of the last ten years the truthful document names."""
    return [
        role.company
        for role in compiled.experiences
        if (role.is_current or role.end_date is None or role.end_date >= RECENT)
        and fold(role.company) in fold(truthful_markdown)
    ]


@pytest.mark.parametrize(("lie", "kind", "name"), CASES)
async def test_no_lie_survives_the_pipeline(
    fake: FakeOpenAI, llm: OpenAILanguageModel, lie: str, kind: DocumentKind, name: str
) -> None:
    liar = LyingModel(lie)
    drafted, report = await run(fake, llm, liar, kind, name)
    told = liar.told[0]
    _, _, compiled = inputs(name)
    truthful = render(liar.truthful, kind, compiled)
    # The lie is really told, and really new: otherwise the case proves nothing.
    assert fold(told.marker) in fold(drafted)
    assert fold(told.marker) not in fold(truthful)

    final = report.markdown
    problems = []
    if fold(told.marker) in fold(final):
        problems.append(f"the lie is still there: {told.marker!r}")
    lost = lost_truths(liar.truths, final, told)
    if lost:
        problems.append(f"true lines were removed: {lost}")
    empty = empty_sections(final)
    if empty:
        problems.append(f"sections left empty: {empty}")
    if report.status != "needs_review" or not report.removed:
        problems.append(f"status {report.status!r} with {len(report.removed)} repairs")
    missing = [e for e in recent_employers(compiled, truthful) if fold(e) not in fold(final)]
    if missing:
        problems.append(f"real recent employers gone: {missing}")
    assert not problems, "\n".join([*problems, "--- final document:", final])


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", NAMES)
async def test_the_truth_passes_untouched(
    fake: FakeOpenAI, llm: OpenAILanguageModel, kind: DocumentKind, name: str
) -> None:
    liar = LyingModel(None)
    drafted, report = await run(fake, llm, liar, kind, name)
    assert liar.told == []
    assert report.removed == [], [r.model_dump() for r in report.removed]
    assert report.status == "passed"
    assert lost_truths(liar.truths, report.markdown, None) == []
    assert fold(report.markdown) == fold(drafted)


@pytest.mark.parametrize("name", NAMES)
async def test_sr_for_senior_in_a_heading_is_no_lie(
    fake: FakeOpenAI, llm: OpenAILanguageModel, name: str
) -> None:
    liar = LyingModel(None, tweak=abbreviate_senior)
    drafted, report = await run(fake, llm, liar, "resume", name)
    abbreviated = [line for line in drafted.splitlines() if line.startswith("### Sr. ")]
    assert abbreviated, "the profile has a Senior title to abbreviate"
    assert report.removed == [], [r.model_dump() for r in report.removed]
    assert report.status == "passed"
    for heading in abbreviated:
        assert heading in report.markdown


def test_there_are_at_least_45_kinds_of_lie_in_both_documents() -> None:
    assert len({lie.name for lie in LIES}) == len(LIES) >= 45
    assert sum(lie.fits("resume") for lie in LIES) >= 45
    assert sum(lie.fits("cover_letter") for lie in LIES) >= 40


@pytest.mark.parametrize("name", NAMES)
async def test_the_inventive_model_tells_five_lies_the_same_way_for_a_seed(
    fake: FakeOpenAI, llm: OpenAILanguageModel, name: str
) -> None:
    first, second = LyingModel.inventive(seed=7), LyingModel.inventive(seed=7)
    drafted, _ = await run(fake, llm, first, "resume", name)
    await run(fake, llm, second, "resume", name)
    assert [t.lie for t in first.told] == [t.lie for t in second.told]
    assert len({t.lie for t in first.told[:5]}) == 5
    assert any(fold(t.marker) in fold(drafted) for t in first.told[:5])


# -- the lying model itself, on candidates the real material lacks ------------------------------


def candidate(title: str, skills: list[str], *achievements: str) -> dict[str, Any]:
    """A prompt's CANDIDATE part: two roles, one degree."""
    return {
        "current_title": title,
        "years_of_experience": 6,
        "experiences": [
            {"title": title, "company": "Mercy General", "location": "Austin",
             "start_date": "2022-03-01", "end_date": None, "is_current": True,
             "description": "", "achievements": list(achievements[:2])},
            {"title": title, "company": "Lakeside Health", "location": None,
             "start_date": "2019-06-01", "end_date": "2022-02-01", "is_current": False,
             "description": "", "achievements": list(achievements[2:])},
        ],
        "skills": skills,
        "education": [{"degree": "Bachelor of Science", "institution": "Texas State University",
                       "field_of_study": "Nursing", "start_date": "2015-09-01",
                       "end_date": "2019-05-01"}],
        "certifications": ["BLS"],
        "languages": [],
        "own_summary": None,
    }  # fmt: skip


NURSE = candidate(
    "Registered Nurse",
    ["Patient Care", "Triage", "Epic"],
    "Reduced medication errors from 12 to 3 per quarter on a 30-bed ward.",
    "Trained new nurses on the Epic charting system.",
    "Contributed to a falls-prevention programme across the unit.",
)
TEACHER = candidate(
    "Mathematics Teacher",
    ["Curriculum Design", "Classroom Management", "Google Classroom"],
    "Raised pass rates from 61% to 84% in two years.",
    "Designed a new algebra course for year 9 students.",
    "Contributed to the school's tutoring scheme.",
)
ENGINEER = candidate(
    "Senior Engineer",
    ["Python", "PostgreSQL", "AWS"],
    "Cut p99 latency from 820 ms to 6 ms by rewriting the cache.",
    "Migrated billing to PostgreSQL with no downtime.",
    "Contributed to the data platform.",
)
JOB = {"title": "Nurse Manager", "company": "St. David's Medical Center", "required_skills": []}


@pytest.mark.parametrize(
    ("person", "field"),
    [(NURSE, "nursing"), (TEACHER, "teaching"), (ENGINEER, "software")],
    ids=["nurse", "teacher", "engineer"],
)
@pytest.mark.parametrize("kind", KINDS)
def test_every_lie_fits_every_field_of_work(
    person: dict[str, Any], field: str, kind: DocumentKind
) -> None:
    assert field_of(person) == field
    write = truthful_resume if kind == "resume" else truthful_letter
    truthful = write(person, JOB)
    header = inputs(NAMES[0])[2]  # only its name and contact lines are rendered
    for lie in (lie for lie in LIES if lie.fits(kind)):
        answer = copy.deepcopy(truthful)
        told = lie.apply(answer, person, JOB)
        document = fold(render(answer, kind, header))
        assert fold(told.marker) in document, lie.name
        assert fold(told.sentence) in document, lie.name
        assert fold(told.marker) in fold(told.sentence), lie.name
        assert fold(told.marker) not in fold(render(truthful, kind, header)), lie.name


def test_the_lies_use_the_candidates_own_words() -> None:
    def told(name: str, person: dict[str, Any], kind: DocumentKind = "resume") -> Told:
        write = truthful_resume if kind == "resume" else truthful_letter
        return BY_NAME[name].apply(write(person, JOB), person, JOB)

    assert told("number_borrowed", ENGINEER).marker == "reaching 6 ms"
    assert told("metric_inflated", ENGINEER).marker == "8200"
    assert told("unit_swapped", ENGINEER).marker == "820 s"
    assert told("title_upgrade_heading", NURSE).marker == "Nurse Manager, Mercy General"
    assert told("title_upgrade_heading", ENGINEER).marker == "Principal Engineer, Mercy General"
    assert told("invented_certification_entry", NURSE).marker == "PALS Provider"
    assert told("degree_abbreviation", NURSE).marker == "MSN-prepared nurse"
    assert told("invented_licence", NURSE).marker == "active Texas RN license"
    assert told("lead_claim", TEACHER).sentence == "Led the school's tutoring scheme."
    assert told("tenure_in_words", ENGINEER, "cover_letter").marker == (
        "During my four years at Lakeside Health"
    )
    degree = told("degree_upgraded", NURSE)
    assert degree.replaced == "Bachelor of Science in Nursing, Texas State University"
    assert degree.sentence == "Masters in Nursing, Texas State University"
