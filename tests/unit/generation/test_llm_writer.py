"""The LLM writer through the real ``OpenAILanguageModel`` against ``FakeOpenAI`` (real HTTP),
and the fabrication guard on what a misbehaving model writes."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from jobwise.adapters.llm import OpenAILanguageModel
from jobwise.domain.writing import (
    GenerationOptions,
    analyze_job,
    compile_profile,
    validate,
    write_offline,
    write_with_llm,
)
from tests.support.fake_openai import FakeOpenAI, Reply
from tests.unit.generation.material import PAIRS, TODAY, posting, profile

RESUME = "craig-gardener"


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


def inputs():  # type: ignore[no-untyped-def]
    summary = profile(RESUME)
    analysis = analyze_job(posting(PAIRS[RESUME]))
    return summary, analysis, compile_profile(summary, analysis, today=TODAY)


def lying_resume() -> dict[str, Any]:
    """A resume answer that invents, inflates and upgrades (Craig's real facts otherwise)."""
    return {
        "summary": "Lead Full-Stack Developer with 1 year of experience in GitLab, AWS and GCP.",
        "experiences": [
            {"title": "Lead Full-Stack Developer", "company": "Domain7",
             "dates": "Nov 2019 – Feb 2020",
             "bullets": [
                 "Built testing and deployment pipelines with Google Cloud Build, integrating "
                 "DevSecOps practices to ensure secure and reliable code deployment.",
                 "Cut deployment time by 60% with Google Cloud Build pipelines.",
             ]},
            {"title": "Senior Developer", "company": "Catch Digital",
             "dates": "Sep 2019 – Oct 2019",
             "bullets": ["Led the Salford University website project, developing custom modules "
                         "and enhancing CI/CD workflows."]},
            {"title": "Site Reliability Engineer", "company": "GitLab",
             "dates": "Jan 2017 – Aug 2018", "bullets": ["Ran GitLab.com on Kubernetes."]},
            {"title": "Platform Engineer", "company": "Initech Cloud Services",
             "dates": "Jan 2015 – Dec 2016", "bullets": ["Automated everything."]},
        ],
        "skills": ["GitLab", "Terraform", "Kubernetes", "Ansible"],
        "certifications": ["Drupal 7 Grand Master"],
    }  # fmt: skip


async def test_a_lying_model_is_caught_by_the_guard(
    fake: FakeOpenAI, model: OpenAILanguageModel
) -> None:
    summary, analysis, compiled = inputs()
    fake.script(
        Reply.json(
            lying_resume(),
            usage={"prompt_tokens": 900, "completion_tokens": 300, "total_tokens": 1200},
        )
    )
    draft = await write_with_llm(model, "resume", compiled, analysis)
    assert draft.writer == "llm" and not draft.fell_back
    assert draft.token_usage.total_tokens == 1200
    assert "Initech Cloud Services" in draft.markdown  # the draft is what the model said

    report = validate(draft.markdown, "resume", summary, analysis)
    assert report.status == "needs_review"
    removed = {r.what: r for r in report.removed}
    assert "why" in removed["Platform Engineer, Initech Cloud Services"].model_dump()
    assert "not in the profile" in removed["Platform Engineer, Initech Cloud Services"].why
    assert "company applied to" in removed["Site Reliability Engineer, GitLab"].why
    inflated = removed["Cut deployment time by 60% with Google Cloud Build pipelines."]
    assert "60%" in inflated.why and inflated.where.endswith("Lead Full-Stack Developer, Domain7")
    upgraded = removed[
        "Led the Salford University website project, developing custom modules and enhancing "
        "CI/CD workflows."
    ]
    assert "lead role" in upgraded.why
    assert removed["Ansible"].where == "Skills"
    cleaned = report.markdown
    for fabricated in (
        "Initech",
        "60%",
        "Ansible",
        "Led the Salford",
        "Site Reliability Engineer, GitLab",
    ):
        assert fabricated not in cleaned
    assert "### Lead Full-Stack Developer, Domain7" in cleaned
    assert "Built testing and deployment pipelines" in cleaned


async def test_an_inflated_metric_is_put_back_as_the_profile_has_it(
    fake: FakeOpenAI, model: OpenAILanguageModel
) -> None:
    summary = profile("thomas-davis")
    analysis = analyze_job(posting(PAIRS["thomas-davis"]))
    compiled = compile_profile(summary, analysis, today=TODAY)
    answer = {
        "summary": "Senior Javascript Developer with React and Node.",
        "experiences": [
            {"title": "Co-Founder", "company": "Drone Hire", "dates": "Jan 2013 – Present",
             "bullets": ["The site and blog combined have managed to receive over "
                         "400,000 visitors in 2014."]},
        ],
    }  # fmt: skip
    fake.script(answer)
    draft = await write_with_llm(model, "resume", compiled, analysis)
    report = validate(draft.markdown, "resume", summary, analysis)
    [change] = report.removed
    assert change.action == "replaced"
    assert "400,000" in change.what and "200,000" in (change.replacement or "")
    assert "over 200,000 visitors" in report.markdown


async def test_the_prompt_carries_the_job_and_the_profile(
    fake: FakeOpenAI, model: OpenAILanguageModel
) -> None:
    _, analysis, compiled = inputs()
    fake.script(lying_resume())
    await write_with_llm(model, "resume", compiled, analysis, GenerationOptions(tone="bold"))
    request = fake.last
    user, system = request.message("user") or "", request.message("system") or ""
    job = json.loads(user.split("JOB:\n", 1)[1].split("\n\nCANDIDATE:", 1)[0])
    assert job["title"] == "IT Site Reliability Engineer" and job["company"] == "GitLab"
    assert "Terraform" in job["required_skills"]
    candidate = json.loads(user.split("CANDIDATE:\n", 1)[1].split("\n\nREQUEST:", 1)[0])
    assert [e["company"] for e in candidate["experiences"]][:2] == ["Domain7", "Catch Digital"]
    assert "Employed GitLab CI" in candidate["experiences"][1]["achievements"][0]
    assert "never invent an employer" in system and "bold" in system
    schema = request.response_format["json_schema"]  # type: ignore[index]
    assert schema["name"] == "resume"
    assert set(schema["schema"]["required"]) >= {"summary", "experiences"}


async def test_transient_errors_are_retried_with_backoff(
    fake: FakeOpenAI, model: OpenAILanguageModel
) -> None:
    _, analysis, compiled = inputs()
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    fake.script(Reply.error(503), Reply.error(429), lying_resume())
    draft = await write_with_llm(model, "resume", compiled, analysis, sleep=sleep, backoff=0.5)
    assert draft.writer == "llm"
    assert waits == [0.5, 1.0]
    assert len(fake.completions) == 3


async def test_retries_are_bounded_then_the_offline_writer_answers(
    fake: FakeOpenAI, model: OpenAILanguageModel
) -> None:
    _, analysis, compiled = inputs()

    async def sleep(seconds: float) -> None:
        return None

    fake.script(Reply.error(503), Reply.error(503), Reply.error(503), Reply.error(503))
    draft = await write_with_llm(model, "cover_letter", compiled, analysis, sleep=sleep)
    assert len(fake.completions) == 3
    assert draft.writer == "offline" and draft.fell_back
    assert "built-in writer" in draft.recommendations[0]
    offline = write_offline("cover_letter", compiled, analysis)
    assert draft.markdown == offline.markdown


@pytest.mark.parametrize(
    "reply",
    [
        Reply.error(401),
        Reply.json({"paragraphs": ["only one"]}),
        Reply.refused(),
        Reply.malformed(),
    ],
    ids=["auth", "off-schema", "refused", "malformed"],
)
async def test_any_other_failure_falls_back_at_once(
    fake: FakeOpenAI, model: OpenAILanguageModel, reply: Reply
) -> None:
    _, analysis, compiled = inputs()
    fake.script(reply)
    draft = await write_with_llm(model, "cover_letter", compiled, analysis)
    assert draft.fell_back and draft.writer == "offline"
    assert len(fake.completions) == 1
    assert draft.recommendations


async def test_a_cover_letter_from_the_model_is_rendered_and_validated(
    fake: FakeOpenAI, model: OpenAILanguageModel
) -> None:
    summary, analysis, compiled = inputs()
    paragraphs = [
        "I am applying for the IT Site Reliability Engineer role at GitLab.",
        "As Senior Developer at Catch Digital, I employed GitLab CI to streamline deployments.",
        "I worked at GitLab for three years running GitLab.com.",
        "As Head of Platform at Capgemini, I ran 40 Kubernetes clusters.",
    ]
    fake.script({"paragraphs": paragraphs, "closing": "Sincerely,"})
    draft = await write_with_llm(model, "cover_letter", compiled, analysis)
    report = validate(draft.markdown, "cover_letter", summary, analysis)
    whys = " | ".join(r.why for r in report.removed)
    assert "GitLab as a past employer" in whys
    assert "not Head of Platform" in whys
    assert "I employed GitLab CI" in report.markdown
    assert "worked at GitLab" not in report.markdown
