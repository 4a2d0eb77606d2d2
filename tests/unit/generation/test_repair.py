"""Stage 4 repairs instead of gutting: each rule of ``jobwise.domain.writing.repair``, pinned.

Drafts are written here as a model would write them (Markdown the LLM writer renders),
for a real profile and a real posting (``material``); the model, where one is asked
again, is the real ``openai`` client against the local fake server.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator

import pytest

from jobwise.adapters.llm import OpenAILanguageModel
from jobwise.domain.profile_summary import ProfileSummary
from jobwise.domain.writing import analyze_job, compile_profile, write_offline
from jobwise.domain.writing.models import (
    CompiledProfile,
    DocumentKind,
    Draft,
    GenerationOptions,
    JobAnalysis,
)
from jobwise.domain.writing.repair import check_draft, sections
from tests.support.fake_openai import FakeOpenAI
from tests.support.lying_model import LyingModel
from tests.unit.generation.material import PAIRS, TODAY, posting, profile

NAME = "kyle-oliver"
OPTIONS = GenerationOptions()


@functools.cache
def inputs(kind: DocumentKind) -> tuple[ProfileSummary, JobAnalysis, CompiledProfile]:
    summary = profile(NAME)
    analysis = analyze_job(posting(PAIRS[NAME]))
    return summary, analysis, compile_profile(summary, analysis, OPTIONS, today=TODAY, kind=kind)


async def check(markdown: str, kind: DocumentKind = "resume", model=None):  # type: ignore[no-untyped-def]
    summary, analysis, compiled = inputs(kind)
    draft = Draft(kind=kind, markdown=markdown, writer="llm", word_count=len(markdown.split()))
    return await check_draft(
        draft, kind=kind, compiled=compiled, profile=summary, analysis=analysis,
        options=OPTIONS, model=model,
    )  # fmt: skip


def offline(kind: DocumentKind) -> str:
    _, analysis, compiled = inputs(kind)
    return write_offline(kind, compiled, analysis, OPTIONS).markdown


def with_section(markdown: str, key: str, body: str) -> str:
    """``markdown`` with the body of its ``key`` section replaced."""
    parts = sections(markdown)
    for part in parts:
        if part.key == key:
            part.lines = ["", body, ""]
    return "\n\n".join(p.text() for p in parts if p.heading or p.lines) + "\n"


async def test_a_summary_left_empty_gets_the_built_in_one() -> None:
    lying = with_section(
        offline("resume"), "summary", "Holds an active Texas RN license. Fluent in Spanish."
    )
    report = await check(lying)
    summary = next(s for s in sections(report.markdown) if s.key == "summary")
    assert not summary.empty
    assert "Texas" not in report.markdown and "Spanish" not in report.markdown
    actions = {r.action for r in report.removed}
    assert {"removed", "restored"} <= actions
    assert report.status == "needs_review"


async def test_an_employer_the_model_misnamed_is_put_back() -> None:
    resume = offline("resume")
    real = "Kinetic Vision"
    assert real in resume
    misnamed = resume.replace(real, "Kinetik Visionary Labs")
    report = await check(misnamed)
    assert real in report.markdown
    assert "Kinetik Visionary Labs" not in report.markdown
    restored = [r for r in report.removed if r.action == "restored"]
    assert any(real in r.what for r in restored), report.removed


async def test_no_heading_is_left_without_content() -> None:
    resume = offline("resume") + "\n## Certifications\n- PALS Provider\n- PMP\n"
    report = await check(resume)
    assert "PALS" not in report.markdown and "## Certifications" not in report.markdown


async def test_a_letter_paragraph_taken_out_whole_is_replaced_by_the_built_in_one() -> None:
    letter = offline("cover_letter")
    paragraphs = letter.split("\n\n")
    hello = next(i for i, p in enumerate(paragraphs) if p.startswith("Dear "))
    paragraphs[hello + 2] = (
        "I spent three years at Globex Corporation. I hold a PMP and a security clearance."
    )
    report = await check("\n\n".join(paragraphs), kind="cover_letter")
    assert "Globex" not in report.markdown and "clearance" not in report.markdown
    body = report.markdown.split("\n\n")
    assert len(body) == len(paragraphs)  # the paragraph was replaced, not dropped
    assert any(r.action == "restored" and r.replacement for r in report.removed)


async def test_a_sentence_pointing_back_at_a_removed_one_keeps_its_facts_not_the_pointer() -> None:
    letter = offline("cover_letter")
    paragraphs = letter.split("\n\n")
    hello = next(i for i, p in enumerate(paragraphs) if p.startswith("Dear "))
    paragraphs[hello + 2] = (
        "I was Principal Engineer at Globex Corporation. "
        "In the same role, I ensured consistent and stable changes for a large community "
        "of 1.2 Million players."
    )
    report = await check("\n\n".join(paragraphs), kind="cover_letter")
    assert "In the same role" not in report.markdown
    assert "I ensured consistent and stable changes" in report.markdown


@pytest.fixture
async def fake() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI() as server:
        yield server


@pytest.fixture
async def model(fake: FakeOpenAI) -> AsyncIterator[OpenAILanguageModel]:
    llm = OpenAILanguageModel("sk-test", "gpt-4o-mini", base_url=fake.base_url, max_retries=0)
    try:
        yield llm
    finally:
        await llm.aclose()


async def test_the_model_is_asked_once_more_with_the_unsupported_claims(
    fake: FakeOpenAI, model: OpenAILanguageModel
) -> None:
    liar, honest = LyingModel("invented_licence"), LyingModel(None)
    fake.responder = liar
    summary, analysis, compiled = inputs("resume")
    from jobwise.domain.writing import write_with_llm

    draft = await write_with_llm(model, "resume", compiled, analysis, OPTIONS)
    assert liar.marker and liar.marker in draft.markdown
    fake.responder = honest  # the second answer leaves the lie out
    report = await check_draft(
        draft, kind="resume", compiled=compiled, profile=summary, analysis=analysis,
        options=OPTIONS, model=model,
    )  # fmt: skip
    asked = fake.requests[-1].message("user") or ""
    assert "UNSUPPORTED:" in asked and liar.marker in asked
    assert liar.marker not in report.markdown
    assert report.removed and all(r.action == "rewritten" for r in report.removed)
    assert report.status == "needs_review"


async def test_a_model_that_lies_again_is_asked_only_once(
    fake: FakeOpenAI, model: OpenAILanguageModel
) -> None:
    fake.responder = LyingModel("invented_licence")
    summary, analysis, compiled = inputs("resume")
    from jobwise.domain.writing import write_with_llm

    draft = await write_with_llm(model, "resume", compiled, analysis, OPTIONS)
    before = len(fake.requests)
    report = await check_draft(
        draft, kind="resume", compiled=compiled, profile=summary, analysis=analysis,
        options=OPTIONS, model=model,
    )  # fmt: skip
    assert len(fake.requests) == before + 1
    assert "Texas" not in report.markdown and report.status == "needs_review"
