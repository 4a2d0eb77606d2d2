"""A generation through the real HTTP API, with the offline writer and a real Chromium.

Profiles are real JSON Resumes and jobs real pasted postings (``tests/data``), so what is
checked is what a user would get: a tailored document, scored, rendered and stored.
"""

from __future__ import annotations

import asyncio
import io
import re

import pytest
from pypdf import PdfReader

from jobwise.adapters.pubsub.publisher import CHANNEL
from jobwise.domain.generation_updates import STAGES, update_message
from jobwise.domain.writing.markdown import markdown_to_text
from jobwise.entrypoints.http.keys import RUNTIME
from tests.integration.auth.conftest import AppClient
from tests.integration.generations.conftest import (
    Seeker,
    assert_read_models_rebuild_identically,
    events_of,
)

BACKEND = "09-safespring-2026-senior-backend-engineer"
UUID = re.compile(r"[0-9a-f-]{36}")


async def test_a_resume_goes_through_five_stages_to_a_tailored_scored_pdf(
    client: AppClient, kyle: Seeker
) -> None:
    profile = await kyle.profile_from("kyle-oliver")
    job = await kyle.job_from(BACKEND)

    response = await client.post(
        "/api/v1/generations/resume",
        json={"profile_id": profile, "job_id": job},
        headers=kyle.headers,
    )
    created = await response.json()

    assert response.status == 201, created
    assert response.headers["Location"] == f"/api/v1/generations/{created['id']}"
    assert UUID.fullmatch(created["id"]) and created["generation_id"] == created["id"]
    assert (created["status"], created["document_type"]) == ("pending", "resume")
    assert (created["profile_id"], created["job_id"], created["profile_version"]) == (
        profile,
        job,
        1,
    )
    assert created["progress"]["percent"] == 0
    assert [s["name"] for s in created["progress"]["stages"]] == list(STAGES)

    done = await kyle.wait_done(created["id"])

    assert done["status"] == "completed", done
    assert done["progress"]["percent"] == 100
    for stage in done["progress"]["stages"]:
        assert (stage["status"], stage["attempt"]) == ("completed", 1)
        assert stage["duration_ms"] >= 0 and stage["completed_at"] >= stage["started_at"]
    analyzed = done["progress"]["stages"][0]["summary"]
    assert analyzed["title"] == "Senior Backend Engineer" and analyzed["required_skills"]
    assert 0 < done["match_score"] <= 100 and 0 < done["ats_score"] <= 100
    document_id = done["result"]["document_id"]
    assert done["result"]["pdf_url"] == f"/api/v1/documents/{document_id}/download?format=pdf"

    result = await kyle.result(created["id"])
    markdown = result["content_markdown"]
    assert markdown.startswith("# Kyle Oliver\n")
    assert "56kyleoliver@gmail.com" in markdown.splitlines()[1]  # contact block first
    assert [line for line in markdown.splitlines() if line.startswith("## ")][:2] == [
        "## Summary",
        "## Experience",
    ]
    summary = markdown.split("## Summary\n", 1)[1].split("\n", 1)[0]
    # The summary once ended "Brings a record of delivered work to the Senior Backend
    # Engineer role at Safespring": filler that put the target company in the candidate's
    # history. It now names only the candidate's own titles, skills and work.
    assert "Safespring" not in summary and "Software Developer" in summary
    assert result["content_text"] == markdown_to_text(markdown)
    assert "<html" in result["content_html"] and "Kyle Oliver" in result["content_html"]
    matched = done["progress"]["stages"][3]["summary"]["keywords"]["matched"]
    assert matched and all(skill.casefold() in markdown.casefold() for skill in matched)

    pdf = await client.get(result["pdf_url"], headers=kyle.headers)
    body = await pdf.read()
    assert pdf.status == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith("attachment; filename=")
    assert "Kyle_Oliver" in pdf.headers["Content-Disposition"]
    assert body.startswith(b"%PDF") and len(body) == result["pdf_size_bytes"]
    text = " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(body)).pages)
    assert "Kyle Oliver" in text and "EXPERIENCE" in text.upper()
    assert len(PdfReader(io.BytesIO(body)).pages) == result["pdf_page_count"] == 1

    await assert_read_models_rebuild_identically(client)


@pytest.mark.slow
async def test_the_generation_stream_follows_the_shared_spec(
    client: AppClient, kyle: Seeker
) -> None:
    profile = await kyle.profile_from("kyle-oliver")
    job = await kyle.job_from(BACKEND)
    created = await kyle.generate(profile, job)
    await kyle.wait_done(created["id"])

    events = await events_of(client, created["id"])

    assert {e["stream_type"] for e in events} == {"generation"}
    assert {e["metadata"]["user_id"] for e in events} == {kyle.id}
    updates = [e for e in events if "seq" in e["data"]]
    assert [e["data"]["seq"] for e in updates] == list(range(1, len(updates) + 1))
    kinds = [e["type"] for e in events]
    assert kinds[0] == "GenerationRequested" and kinds[-1] == "GenerationCompleted"
    assert kinds.count("StageStarted") == kinds.count("StageCompleted") == 5
    assert "DocumentProduced" in kinds and "seq" not in events[kinds.index("DocumentProduced")]
    started = [e["data"] for e in events if e["type"] == "StageStarted"]
    assert [s["stage"] for s in started] == list(STAGES)
    assert {(s["attempt"], bool(s["worker_id"])) for s in started} == {(1, True)}
    recorded = await client.app[RUNTIME].store.read_stream(created["id"])
    messages = [m for m in map(update_message, recorded) if m is not None]
    assert [m["seq"] for m in messages] == list(range(1, len(updates) + 1))
    assert messages[-1]["type"] == "generation.completed"
    assert messages[-1]["result"]["document_id"] == recorded[-1].data["document_id"]


async def test_a_cover_letter_names_the_company_and_role_in_250_to_400_words(
    kyle: Seeker,
) -> None:
    profile = await kyle.profile_from("kyle-oliver")
    job = await kyle.job_from(BACKEND)
    created = await kyle.generate(profile, job, kind="cover_letter", tone="concise")

    done = await kyle.wait_done(created["id"])
    result = await kyle.result(created["id"])

    assert (done["status"], done["document_type"]) == ("completed", "cover_letter")
    text = result["content_text"]
    assert 250 <= len(text.split()) <= 400
    assert "Safespring" in text and "Senior Backend Engineer" in text
    assert "## " not in result["content_markdown"]
    paragraphs = [part for part in text.split("\n\n") if part.strip()]
    salutation = next(i for i, part in enumerate(paragraphs) if part.startswith("Dear "))
    body = paragraphs[salutation + 1 : -2]
    assert 3 <= len(body) <= 4, body
    assert paragraphs[-2].endswith(",") and paragraphs[-1].strip() == "Kyle Oliver"


@pytest.mark.slow
async def test_options_choose_the_template_sections_and_emphasis(kyle: Seeker) -> None:
    profile = await kyle.profile_from("thomas-davis")
    job = await kyle.job_from("posting-unsplash-senior-frontend")
    created = await kyle.generate(
        profile,
        job,
        template="modern",
        max_pages=2,
        emphasis_keywords=["Redis"],
        include_sections=["experience", "skills"],
    )

    done = await kyle.wait_done(created["id"])
    result = await kyle.result(created["id"])

    assert done["status"] == "completed" and done["options"]["template"] == "modern"
    headings = [line for line in result["content_markdown"].splitlines() if line[:3] == "## "]
    assert headings == ["## Experience", "## Skills"]
    skills = result["content_markdown"].split("**Technical:** ", 1)[1].split("\n")[0].split(", ")
    # The posting's matches lead (its spelling), then the emphasised skill, then the rest.
    assert skills[:3] == ["React", "TypeScript", "Node"]
    assert skills.index("Redis") < skills.index("Ruby")
    assert "font-family" in result["content_html"]


@pytest.mark.slow
async def test_what_the_worker_recorded_is_what_a_rebuild_gives(
    client: AppClient, kyle: Seeker
) -> None:
    profile = await kyle.profile_from("craig-gardener")
    job = await kyle.job_from("posting-gitlab-it-sre")
    first = await kyle.generate(profile, job)
    second = await kyle.generate(profile, job, kind="cover_letter")
    for created in (first, second):
        await kyle.wait_done(created["id"])
    await kyle.call("POST", f"/generations/{first['id']}/feedback", json={"rating": 5})

    await assert_read_models_rebuild_identically(client)


async def test_every_update_of_a_run_rings_the_live_doorbell_in_order(
    client: AppClient, kyle: Seeker
) -> None:
    profile = await kyle.profile_from("kyle-oliver")
    job = await kyle.job_from(BACKEND)
    async with client.app[RUNTIME].pubsub.subscribe(CHANNEL) as doorbell:
        created = await kyle.generate(profile, job)
        done = await kyle.wait_done(created["id"])
        heard = []
        async with asyncio.timeout(10):
            while len(heard) < done["seq"]:
                _, message = await anext(doorbell)
                if message["generation_id"] == created["id"]:
                    heard.append(message)

    assert [m["seq"] for m in heard] == list(range(1, done["seq"] + 1))
    assert {m["user_id"] for m in heard} == {kyle.id}
    assert [m["percent"] for m in heard if m["type"] == "generation.progress"][-1] == 100
    assert heard[-1]["type"] == "generation.completed"
    assert heard[-1]["result"] == done["result"]
