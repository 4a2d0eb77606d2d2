"""The OpenAI path: the real ``openai`` client against the fake OpenAI-compatible server.

The server checks what the prompt carried, and answers as a model might: faithfully,
fabricating (the guard must catch every invention and the generation end needs_review),
failing (the offline writer takes over and says so), or slowly (a cancel stops it).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from jobwise.entrypoints.http.keys import WORKER
from jobwise.settings import Settings, load_settings
from tests.integration.auth.conftest import AppClient
from tests.integration.generations.conftest import Seeker, env, events_of, until
from tests.support.fake_openai import FakeOpenAI, Reply
from tests.support.resume_answers import INVENTED_EMPLOYER, INVENTED_SKILL, resume_answer

pytestmark = pytest.mark.slow  # every test here waits on whole generations with a model server

API_KEY = "sk-test-generation-0123456789"
MODEL = "jobwise-test-model"
BACKEND = "09-safespring-2026-senior-backend-engineer"


@pytest.fixture
async def fake_llm() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI(api_key=API_KEY) as fake:
        yield fake


@pytest.fixture
def settings(tmp_path: Path, db_name: str, fake_llm: FakeOpenAI) -> Settings:
    return load_settings(
        env(
            tmp_path,
            db_name,
            OPENAI_API_KEY=API_KEY,
            OPENAI_BASE_URL=fake_llm.base_url,
            OPENAI_MODEL=MODEL,
        )
    )


async def ready(kyle: Seeker) -> tuple[str, str]:
    return await kyle.profile_from("kyle-oliver"), await kyle.job_from(BACKEND)


async def test_the_model_writes_from_the_job_and_profile_it_was_given(
    kyle: Seeker, fake_llm: FakeOpenAI
) -> None:
    fake_llm.responder = resume_answer
    profile, job = await ready(kyle)

    done = await kyle.wait_done((await kyle.generate(profile, job))["id"])

    assert done["status"] == "completed", done
    request = fake_llm.last
    assert (request.bearer, request.model) == (API_KEY, MODEL)
    assert request.response_format is not None
    assert request.response_format["json_schema"]["name"] == "resume"
    system, user = request.message("system") or "", request.message("user") or ""
    assert "never invent an employer" in system
    for fact in ("Senior Backend Engineer", "Safespring", "NATS", "Kyle Oliver", "Kinetic Vision"):
        assert fact in user, fact
    assert "1.2 Million players" in user  # an achievement, word for word
    writing = done["progress"]["stages"][2]["summary"]
    assert (writing["writer"], writing["model"], writing["fell_back"]) == ("llm", MODEL, False)
    analytics = await kyle.call("GET", f"/generations/{done['id']}/analytics", expect=200)
    assert analytics["token_usage"] == writing["total_tokens"] > 0
    result = await kyle.result(done["id"])
    assert "applying for the Senior Backend Engineer role" in result["content_markdown"]


async def test_every_invention_of_the_model_is_removed_and_listed_for_review(
    client: AppClient, kyle: Seeker, fake_llm: FakeOpenAI
) -> None:
    fake_llm.responder = lambda request: resume_answer(request, fabricate=True)
    profile, job = await ready(kyle)

    done = await kyle.wait_done((await kyle.generate(profile, job))["id"])

    assert done["status"] == "needs_review", done
    removed = " | ".join(f"{r['what']} @ {r['where']}: {r['why']}" for r in done["removed"])
    assert INVENTED_EMPLOYER in removed
    assert "Safespring" in removed  # the company applied to, listed as an employer
    assert "12 Million" in removed or "12 million" in removed.lower()  # 1.2 Million, inflated
    assert INVENTED_SKILL in removed
    markdown = (await kyle.result(done["id"]))["content_markdown"]
    experience = markdown.split("## Experience", 1)[1].split("## ", 1)[0]
    assert INVENTED_EMPLOYER not in markdown and "Safespring" not in experience
    assert "12 Million" not in markdown and INVENTED_SKILL not in markdown
    assert "Kinetic Vision" in markdown  # the real roles stay
    events = await events_of(client, done["id"])
    ended = events[-1]
    assert ended["type"] == "GenerationNeedsReview"
    assert ended["data"]["removed"] == done["removed"]
    assert set(ended["data"]["removed"][0]) == {"what", "where", "why", "action", "replacement"}


async def test_a_model_that_fails_leaves_the_offline_writer_to_do_it_and_says_so(
    kyle: Seeker, fake_llm: FakeOpenAI
) -> None:
    fake_llm.script(Reply.error(401))
    profile, job = await ready(kyle)

    done = await kyle.wait_done((await kyle.generate(profile, job))["id"])

    assert done["status"] == "completed"
    writing = done["progress"]["stages"][2]["summary"]
    assert (writing["writer"], writing["fell_back"]) == ("offline", True)
    analytics = await kyle.call("GET", f"/generations/{done['id']}/analytics", expect=200)
    note = analytics["recommendations"][0]
    assert "could not write this resume" in note and "built-in writer" in note
    assert API_KEY not in note


async def test_a_cancel_stops_the_run_in_the_middle_of_the_model_call(
    client: AppClient, kyle: Seeker, fake_llm: FakeOpenAI
) -> None:
    fake_llm.responder = lambda request: Reply.delay(60, then=resume_answer(request))
    profile, job = await ready(kyle)
    created = await kyle.generate(profile, job)
    writing = await kyle.wait_stage(created["id"], "generating_content")
    assert writing["status"] == "generating"
    await until(lambda: fake_llm.completions, 10)

    await kyle.call("DELETE", f"/generations/{created['id']}", expect=204)

    worker = client.app[WORKER]
    await until(lambda: not worker.running, 5)  # far sooner than the model's 60 s answer
    cancelled = await kyle.generation(created["id"])
    assert cancelled["status"] == "cancelled"
    assert cancelled["progress"]["stages"][2]["status"] == "cancelled"
    events: list[dict[str, Any]] = await events_of(client, created["id"])
    assert events[-1]["type"] == "GenerationCancelled"
    assert events[-1]["data"]["stage"] == "generating_content"
    assert worker.stats.cancelled == 1
    assert (await kyle.me())["generations_used"] == 0
