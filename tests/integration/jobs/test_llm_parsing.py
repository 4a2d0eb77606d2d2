"""The opt-in LLM pass: the real ``openai`` client against a fake OpenAI-compatible server.

It runs only when asked, only for a posting the rules could not fully read, at
most ``JOBWISE_LLM_PARSES_PER_HOUR`` times per user, and any failure leaves the
deterministic parse in place.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from jobwise.settings import Settings, load_settings
from tests.integration.jobs.conftest import POSTING, User
from tests.support.fake_openai import FakeOpenAI, Reply

API_KEY = "sk-test-jobs-0123456789"
VAGUE = (
    "hey! toothly makes scheduling software for dental clinics.\n"
    "we need a backend developer to help us grow, ideally in or near Leeds.\n"
    "you would mostly write python (django) and look after our postgres database.\n"
    "drop us a line if that sounds fun\n"
)
ANSWER = {
    "title": "Backend Developer",
    "company": "Toothly",
    "location": "Leeds",
    "remote": False,
    "employment_type": None,
    "salary": None,
    "requirements": ["Python with Django", "Looking after a Postgres database"],
    "nice_to_have": [],
    "responsibilities": ["Help us grow"],
    "benefits": [],
}


@pytest.fixture
async def fake_llm() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI(api_key=API_KEY) as fake:
        yield fake


@pytest.fixture
def settings(tmp_path: Path, db_name: str, fake_llm: FakeOpenAI) -> Settings:
    return load_settings(
        {
            "JOBWISE_DATA_DIR": str(tmp_path),
            "MONGODB_DB": db_name,
            "OPENAI_API_KEY": API_KEY,
            "OPENAI_BASE_URL": fake_llm.base_url,
            "OPENAI_MODEL": "jobwise-test-model",
            "JOBWISE_LLM_PARSES_PER_HOUR": "2",
        }
    )


async def _vague_job(user: User, **more: Any) -> dict[str, Any]:
    return await user.new_job(raw_text=VAGUE, parse_with_llm=True, **more)


async def test_the_rules_alone_leave_the_vague_posting_unresolved(
    ada: User, fake_llm: FakeOpenAI
) -> None:
    job = await ada.new_job(raw_text=VAGUE)

    assert {"company", "requirements"} <= set(job["parsing"]["unresolved"])
    assert job["parsing"]["llm"] is None
    assert fake_llm.requests == []  # opt-in: nothing was sent


async def test_llm_fills_what_the_rules_missed(ada: User, fake_llm: FakeOpenAI) -> None:
    fake_llm.script(ANSWER)

    job = await _vague_job(ada)

    assert job["parsing"]["method"] == "llm" and job["parsing"]["llm"] == "used"
    assert job["company"] == "Toothly"
    assert job["requirements"] == ANSWER["requirements"]
    assert job["parsed_keywords"]["required"][:3] == ["Python", "Django", "PostgreSQL"]
    request = fake_llm.last
    assert request.bearer == API_KEY
    assert request.model == "jobwise-test-model"
    assert request.response_format is not None
    assert request.response_format["json_schema"]["name"] == "job_posting"
    assert request.message("user") == VAGUE


async def test_a_company_the_posting_never_names_is_not_taken(
    ada: User, fake_llm: FakeOpenAI
) -> None:
    fake_llm.script({**ANSWER, "company": "Invented Dental Holdings"})

    job = await _vague_job(ada)

    assert job["company"] != "Invented Dental Holdings"
    assert job["requirements"] == ANSWER["requirements"]


async def test_a_salary_the_posting_never_states_is_not_taken(
    ada: User, fake_llm: FakeOpenAI
) -> None:
    invented = {"text": "£90,000", "min": 90000, "max": 90000, "currency": "GBP"}
    fake_llm.script({**ANSWER, "salary": invented, "employment_type": "Gig"})

    job = await _vague_job(ada)

    assert job["salary_range"] is None
    assert job["employment_type"] is None
    assert job["company"] == "Toothly"


@pytest.mark.parametrize(
    "replies",
    [
        (Reply.error(500), Reply.error(500)),
        (Reply.malformed(),),
        ("this is not json at all",),
        ({"requirements": "should be a list"},),
        (Reply.error(401),),
    ],
    ids=["server-error", "malformed-body", "not-json", "off-schema", "bad-key"],
)
async def test_any_llm_failure_keeps_the_deterministic_parse(
    ada: User, fake_llm: FakeOpenAI, replies: tuple[Any, ...]
) -> None:
    plain = await ada.new_job(raw_text=VAGUE)
    fake_llm.script(*replies)

    job = await _vague_job(ada)

    assert job["parsing"] == {**plain["parsing"], "llm": "failed"}
    assert job["parsing"]["method"] == "rules"
    for field in ("title", "company", "location", "requirements", "parsed_keywords"):
        assert job[field] == plain[field], field


async def test_a_clear_posting_is_not_sent(ada: User, fake_llm: FakeOpenAI) -> None:
    job = await ada.new_job(raw_text=POSTING, parse_with_llm=True)

    assert job["parsing"] == {"method": "rules", "llm": "not_needed", "unresolved": []}
    assert fake_llm.requests == []


async def test_llm_reads_are_rate_limited_per_user(
    ada: User, grace: User, fake_llm: FakeOpenAI
) -> None:
    fake_llm.default = ANSWER

    outcomes = [(await _vague_job(ada))["parsing"]["llm"] for _ in range(3)]

    assert outcomes == ["used", "used", "rate_limited"]
    assert len(fake_llm.completions) == 2
    assert (await _vague_job(grace))["parsing"]["llm"] == "used"
