"""A resume file read with the language model too: the real ``openai`` client against a
fake OpenAI-compatible server, whose model lies; every value it gives must be in the
file, or it is left out and named."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from jobwise.settings import Settings, load_settings
from tests.integration.profiles.conftest import User
from tests.integration.profiles.test_resume_file_import_api import OWN, upload
from tests.support.fake_openai import FakeOpenAI, Reply

API_KEY = "sk-test-resumes-0123456789"
PDF = (OWN / "modern.pdf").read_bytes()
TRUE_AND_FALSE: dict[str, Any] = {
    "personal_info": {
        "full_name": "Ada Lovelace",
        "email": "ada.lovelace@gmail.com",  # a lie: the file says ada@example.com
        "linkedin": "linkedin.com/in/ada",  # a lie: no LinkedIn in the file
    },
    "experiences": [
        {
            "title": "Senior Backend Engineer",
            "company": "Engine Co",
            "location": "London, UK",
            "start": "Jan 2020",
            "end": "Present",
            "achievements": [
                "Cut p99 latency of the payments API by 40% by moving hot paths to Go",
                "Won the company's engineer of the year award",  # a lie
            ],
        },
        {
            "title": "Lead Analyst",  # a lie: the file says Analyst... and "Lead" nowhere
            "company": "Difference Ltd",
            "start": "Mar 2017",
            "end": "Dec 2019",
        },
        {
            "title": "Staff Engineer",  # a whole invented role
            "company": "Globex Corporation",
            "start": "2014",
            "end": "2016",
        },
    ],
    "education": [
        {"institution": "University of Oxford", "degree": "PhD", "start": "2010", "end": "2013"}
    ],
    "projects": [],
    "technical_skills": ["Python", "Terraform", "gRPC"],  # Terraform is not in the file
    "soft_skills": [],
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


async def test_the_model_is_asked_only_when_the_user_asks(ada: User, fake_llm: FakeOpenAI) -> None:
    answer = await upload(ada, PDF, 200)
    assert answer["llm"] is None and answer["reader"] == "rules"
    assert fake_llm.completions == []


async def test_what_the_model_says_and_the_file_does_not_is_left_out(
    ada: User, fake_llm: FakeOpenAI
) -> None:
    rules = await upload(ada, PDF, 200)
    fake_llm.script(TRUE_AND_FALSE)

    answer = await upload(ada, PDF, 200, use_llm="true")

    assert answer["llm"] == "used"
    draft = answer["draft"]
    text = repr(draft)
    for lie in ("gmail", "linkedin", "engineer of the year", "Lead Analyst", "Globex",
                "Staff Engineer", "Oxford", "Terraform"):  # fmt: skip
        assert lie not in text, lie
    assert draft["personal_info"] == rules["draft"]["personal_info"]
    assert [e["company"] for e in draft["experiences"]] == ["Engine Co", "Difference Ltd"]
    assert draft["education"] == rules["draft"]["education"]  # the model's one is not whole
    assert "gRPC" in draft["skills"]["technical"]
    refused = " ".join(answer["notes"])
    assert "Globex Corporation" in refused and "Terraform" in refused
    request = fake_llm.last
    assert request.bearer == API_KEY
    assert "Ada Lovelace" in request.json["messages"][-1]["content"]


async def test_a_true_reading_that_finds_more_improves_the_draft(
    ada: User, fake_llm: FakeOpenAI
) -> None:
    rules = await upload(ada, PDF, 200)
    truthful = {
        **TRUE_AND_FALSE,
        "personal_info": {"full_name": "Ada Lovelace"},
        "experiences": TRUE_AND_FALSE["experiences"][:1],
        "education": [],
        "technical_skills": ["Rust"],  # named in the file, under the project only
    }
    fake_llm.script(truthful)

    answer = await upload(ada, PDF, 200, use_llm="true")

    assert answer["reader"] == "llm"
    assert "Rust" not in rules["draft"]["skills"]["technical"]
    assert answer["draft"]["skills"]["technical"][-1] == "Rust"
    assert answer["confidence"]["skills.technical"] <= 0.7
    # fewer entries than the rules read: the rules' entries stand
    assert answer["draft"]["experiences"] == rules["draft"]["experiences"]


async def test_a_failing_model_leaves_the_rules_draft(ada: User, fake_llm: FakeOpenAI) -> None:
    rules = await upload(ada, PDF, 200)
    fake_llm.script(Reply.error(500, headers={"x-should-retry": "false"}), Reply.malformed())

    failed = await upload(ada, PDF, 200, use_llm="true")
    garbled = await upload(ada, PDF, 200, use_llm="true")

    for answer in (failed, garbled):
        assert answer["llm"] == "failed"
        assert answer["draft"] == rules["draft"]


async def test_the_model_is_asked_at_most_the_hourly_allowance(
    ada: User, grace: User, fake_llm: FakeOpenAI
) -> None:
    fake_llm.default = {"personal_info": {"full_name": "Ada Lovelace"}}
    first = await upload(ada, PDF, 200, use_llm="true")
    second = await upload(ada, PDF, 200, use_llm="true")
    third = await upload(ada, PDF, 200, use_llm="true")
    others = await upload(grace, PDF, 200, use_llm="true")

    assert [first["llm"], second["llm"], third["llm"]] == ["used", "used", "rate_limited"]
    assert others["llm"] == "used"


async def test_what_the_model_copies_past_a_profiles_limits_is_kept_aside(
    ada: User, fake_llm: FakeOpenAI
) -> None:
    # Every value here is in the file (the guard reads it with spaces and line breaks
    # aside), but a profile takes no 300-character skill and no 150 of them, nor a job
    # title of a whole paragraph: the draft must still be one POST /profiles takes.
    rules = await upload(ada, PDF, 200)
    text = "".join(line["text"] for line in rules["lines"])
    paragraph = text[:300]
    pieces = list(dict.fromkeys(text[at : at + 6] for at in range(0, 1800, 6)))[:150]
    fake_llm.script(
        {
            **TRUE_AND_FALSE,
            "personal_info": {"full_name": "Ada Lovelace"},
            "experiences": [
                {**TRUE_AND_FALSE["experiences"][0], "title": paragraph},
                TRUE_AND_FALSE["experiences"][1] | {"title": "Analyst"},
                {**TRUE_AND_FALSE["experiences"][0], "title": "Senior Backend Engineer"},
            ],
            "education": [],
            "technical_skills": [paragraph, *pieces],
        }
    )

    answer = await upload(ada, PDF, 200, use_llm="true")

    assert answer["reader"] == "llm"
    draft = answer["draft"]
    assert sum(len(group) for group in draft["skills"].values()) == 100  # all groups
    assert len(draft["skills"]["languages"]) == 2  # the structured ones kept first
    assert all(len(name) <= 200 for name in draft["skills"]["technical"])
    assert "title" not in draft["experiences"][0]
    kept = draft["custom_fields"]["resume_file"]["sections"]
    assert [paragraph] in [section["lines"] for section in kept]
    assert "experiences.0.title: kept aside; fill it in." in answer["notes"]
    assert len(answer["notes"]) == len(set(answer["notes"]))
    draft["experiences"][0]["title"] = "Senior Backend Engineer"
    await ada.call("POST", "", expect=201, json=draft)
