"""The generation API's rules, on an app whose own worker is off (as when dedicated
``jobwise worker`` processes run): what is refused, what waits for the end, quotas,
idempotency, cancel and delete. Where a run is needed, a worker is started beside it."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from jobwise.domain.events import EventMetadata
from jobwise.domain.user import Tier, User
from jobwise.entrypoints.http.keys import RUNTIME
from jobwise.settings import Settings, load_settings
from tests.integration.auth.conftest import AppClient
from tests.integration.generations.conftest import (
    Seeker,
    assert_read_models_rebuild_identically,
    env,
    events_of,
    worker_in,
)

BACKEND = "09-safespring-2026-senior-backend-engineer"


@pytest.fixture
def settings(tmp_path: Path, db_name: str) -> Settings:
    return load_settings(
        env(tmp_path, db_name, JOBWISE_WORKER_CONCURRENCY="0", JOBWISE_GENERATIONS_PER_HOUR="50")
    )


async def ready(seeker: Seeker, resume: str = "kyle-oliver") -> tuple[str, str]:
    return await seeker.profile_from(resume), await seeker.job_from(BACKEND)


async def test_only_my_own_profile_and_job_can_be_used(kyle: Seeker, grace: Seeker) -> None:
    profile, job = await ready(kyle)
    her_profile, her_job = await ready(grace, "thomas-davis")

    for body, field in (
        ({"profile_id": her_profile, "job_id": job}, "profile_id"),
        ({"profile_id": profile, "job_id": her_job}, "job_id"),
        ({"profile_id": "no-such-profile", "job_id": job}, "profile_id"),
        ({"profile_id": profile, "job_id": "no-such-job"}, "job_id"),
    ):
        refused = await kyle.call("POST", "/generations/resume", expect=404, json=body)
        assert refused["error"]["code"] == "not_found"
        assert field in refused["error"]["details"]

    listed = await kyle.call("GET", "/generations", expect=200)
    assert listed["total"] == 0
    assert (await kyle.me())["generations_used"] == 0  # a refused request costs nothing


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"profile_id": "p"}, "job_id"),
        ({"profile_id": "p", "job_id": "j", "options": {"template": "fancy"}}, "options.template"),
        ({"profile_id": "p", "job_id": "j", "options": {"max_pages": 3}}, "options.max_pages"),
        ({"profile_id": "p", "job_id": "j", "options": {"tone": "angry"}}, "options.tone"),
        ({"profile_id": "p", "job_id": "j", "options": {"colour": "red"}}, "options.colour"),
        (
            {"profile_id": "p", "job_id": "j", "options": {"include_sections": ["hobbies"]}},
            "options.include_sections.0",
        ),
        (
            {"profile_id": "p", "job_id": "j", "options": {"emphasis_keywords": ["x"] * 31}},
            "options.emphasis_keywords",
        ),
        ({"profile_id": "p", "job_id": "j", "extra": 1}, "extra"),
    ],
)
async def test_malformed_requests_are_refused_naming_the_field(
    kyle: Seeker, body: dict[str, Any], field: str
) -> None:
    refused = await kyle.call("POST", "/generations/cover-letter", expect=422, json=body)
    assert field in [f["field"] for f in refused["error"]["details"]["fields"]]


async def test_before_the_end_result_and_analytics_are_not_ready_then_cancel_refunds(
    kyle: Seeker,
) -> None:
    profile, job = await ready(kyle)
    created = await kyle.generate(profile, job)
    gid = created["id"]
    assert (await kyle.me())["generations_used"] == 1

    for method, path, body in (
        ("GET", "result", None),
        ("GET", "analytics", None),
        ("POST", "validate", None),
        ("POST", "feedback", {"rating": 5}),
    ):
        refused = await kyle.call(method, f"/generations/{gid}/{path}", expect=409, json=body)
        assert refused["error"]["code"] == "not_ready", path

    await kyle.call("DELETE", f"/generations/{gid}", expect=204)

    cancelled = await kyle.generation(gid)
    assert cancelled["status"] == "cancelled"
    assert cancelled["error"] == {"code": "cancelled", "message": "Cancelled by the user."}
    assert (await kyle.me())["generations_used"] == 0  # no document, no charge
    refused = await kyle.call("GET", f"/generations/{gid}/result", expect=409)
    assert refused["error"]["code"] == "no_result"

    await kyle.call("DELETE", f"/generations/{gid}", expect=204)  # now deletes it
    await kyle.call("GET", f"/generations/{gid}", expect=404)
    await kyle.call("DELETE", f"/generations/{gid}", expect=404)
    assert (await kyle.call("GET", "/generations", expect=200))["total"] == 0


@pytest.mark.slow
async def test_a_worker_started_later_runs_what_was_requested_while_none_ran(
    client: AppClient, kyle: Seeker
) -> None:
    profile, job = await ready(kyle)
    waiting = [await kyle.generate(profile, job, kind=kind) for kind in ("resume", "cover_letter")]
    await asyncio.sleep(0.3)
    assert {(await kyle.generation(g["id"]))["status"] for g in waiting} == {"pending"}

    async with worker_in(client):
        finished = [await kyle.wait_done(g["id"]) for g in waiting]

    assert {f["status"] for f in finished} == {"completed"}


async def test_a_job_deleted_before_the_run_fails_it_clearly_and_refunds(
    client: AppClient, kyle: Seeker
) -> None:
    profile, job = await ready(kyle)
    created = await kyle.generate(profile, job)
    await kyle.call("DELETE", f"/jobs/{job}", expect=204)

    async with worker_in(client):
        failed = await kyle.wait_done(created["id"])

    assert failed["status"] == "failed"
    assert failed["error"]["code"] == "job_unavailable"
    assert failed["error_message"] == "The job was deleted before its document was written."
    assert failed["progress"]["stages"][0]["status"] == "failed"
    # The worker's refund does not wait for the read models: read once they have it.
    runtime = client.app[RUNTIME]
    await runtime.read_your_writes(await runtime.store.head_position())
    assert (await kyle.me())["generations_used"] == 0


@pytest.mark.slow
async def test_a_retried_request_with_its_idempotency_key_makes_one_generation(
    kyle: Seeker,
) -> None:
    profile, job = await ready(kyle)
    body = {"profile_id": profile, "job_id": job}
    headers = {**kyle.headers, "Idempotency-Key": "resume-for-safespring"}

    answers = await asyncio.gather(
        *(
            kyle.client.post("/api/v1/generations/resume", json=body, headers=headers)
            for _ in range(3)
        )
    )

    assert [a.status for a in answers] == [201, 201, 201]
    assert len({(await a.json())["id"] for a in answers}) == 1
    assert sum(a.headers.get("Idempotent-Replayed") == "true" for a in answers) == 2
    assert (await kyle.me())["generations_used"] == 1
    other = await kyle.client.post(
        "/api/v1/generations/resume",
        json={**body, "options": {"tone": "bold"}},
        headers=headers,
    )
    assert other.status == 422
    assert (await other.json())["error"]["code"] == "idempotency_key_reused"


async def test_the_monthly_limit_admits_exactly_ten_even_at_once(kyle: Seeker) -> None:
    profile, job = await ready(kyle)
    body = {"profile_id": profile, "job_id": job}

    answers = await asyncio.gather(
        *(
            kyle.client.post("/api/v1/generations/resume", json=body, headers=kyle.headers)
            for _ in range(13)
        )
    )

    statuses = sorted(a.status for a in answers)
    assert statuses == [201] * 10 + [429] * 3
    refused = [a for a in answers if a.status == 429]
    for answer in refused:
        error = (await answer.json())["error"]
        assert error["code"] == "quota_exceeded"
        assert int(answer.headers["Retry-After"]) == error["details"]["retry_after"] > 0
        assert error["details"]["generations_limit"] == 10
    me = await kyle.me()
    assert (me["generations_used"], me["generations_limit"]) == (10, 10)


async def test_enterprise_is_unlimited(client: AppClient, kyle: Seeker) -> None:
    runtime = client.app[RUNTIME]
    await runtime.repository.change(
        User, kyle.id, lambda user: user.change_tier(Tier.ENTERPRISE), EventMetadata()
    )
    profile, job = await ready(kyle)

    for _ in range(12):
        await kyle.generate(profile, job)

    me = await kyle.me()
    assert (me["subscription_tier"], me["generations_limit"], me["generations_used"]) == (
        "enterprise",
        None,
        12,
    )


@pytest.mark.slow
async def test_feedback_validate_regenerate_and_delete_a_finished_one(
    client: AppClient, kyle: Seeker
) -> None:
    profile, job = await ready(kyle)
    async with worker_in(client):
        first = await kyle.wait_done((await kyle.generate(profile, job))["id"])
        gid = first["id"]

        rated = await kyle.call(
            "POST", f"/generations/{gid}/feedback", expect=200, json={"rating": 4, "comment": "ok"}
        )
        assert (rated["feedback"]["rating"], rated["feedback"]["comment"]) == (4, "ok")
        await kyle.call("POST", f"/generations/{gid}/feedback", expect=422, json={"rating": 6})

        analytics = await kyle.call("GET", f"/generations/{gid}/analytics", expect=200)
        again = await kyle.call("POST", f"/generations/{gid}/validate", expect=200)
        assert analytics["validated_at"] is None and again["validated_at"] is not None
        assert again["match_score"] == analytics["match_score"]
        assert {c["name"] for c in again["ats_score_details"]} >= {"contact_first", "length"}
        assert sum(c["weight"] for c in again["ats_score_details"]) == 100

        await kyle.call(
            "PATCH",
            f"/profiles/{profile}",
            expect=200,
            json={"professional_summary": "Backend developer who builds Python services."},
        )
        child = await kyle.call(
            "POST", f"/generations/{gid}/regenerate", expect=201, json={"options": {"tone": "bold"}}
        )
        assert (child["parent_id"], child["profile_version"]) == (gid, 2)
        assert (child["options"]["tone"], child["options"]["template"]) == ("bold", "classic")
        assert (await kyle.wait_done(child["id"]))["status"] == "completed"

    kinds = [e["type"] for e in await events_of(client, gid)]
    assert kinds[-2:] == ["FeedbackGiven", "ValidationRerun"]
    await kyle.call("DELETE", f"/generations/{gid}", expect=204)
    await kyle.call("GET", f"/generations/{gid}", expect=404)
    # The document stays: documents have a life of their own.
    pdf = await client.get(first["result"]["pdf_url"], headers=kyle.headers)
    assert pdf.status == 200
    await assert_read_models_rebuild_identically(client)


async def test_another_users_generation_and_document_are_not_found(
    client: AppClient, kyle: Seeker, grace: Seeker
) -> None:
    profile, job = await ready(kyle)
    async with worker_in(client):
        done = await kyle.wait_done((await kyle.generate(profile, job))["id"])
    gid = done["id"]

    for method, path, body in (
        ("GET", f"/generations/{gid}", None),
        ("GET", f"/generations/{gid}/result", None),
        ("GET", f"/generations/{gid}/analytics", None),
        ("POST", f"/generations/{gid}/feedback", {"rating": 1}),
        ("POST", f"/generations/{gid}/validate", None),
        ("POST", f"/generations/{gid}/regenerate", {}),
        ("DELETE", f"/generations/{gid}", None),
    ):
        await grace.call(method, path, expect=404, json=body)
    pdf = await client.get(done["result"]["pdf_url"], headers=grace.headers)
    assert pdf.status == 404
    assert (await kyle.generation(gid))["status"] == "completed"


async def test_the_list_filters_by_job_status_and_type(kyle: Seeker) -> None:
    profile, job = await ready(kyle)
    other_job = await kyle.job_from("03-bright-backend-developer")
    first = await kyle.generate(profile, job)
    await kyle.generate(profile, job, kind="cover_letter")
    await kyle.generate(profile, other_job)
    await kyle.call("DELETE", f"/generations/{first['id']}", expect=204)

    async def total(query: str) -> int:
        listed: dict[str, Any] = await kyle.call("GET", f"/generations?{query}", expect=200)
        return int(listed["total"])

    assert await total("") == 3
    assert await total(f"job_id={job}") == 2
    assert await total("status=cancelled") == 1
    assert await total("status=pending&document_type=resume") == 1
    assert await total("document_type=cover_letter") == 1
    page = await kyle.call("GET", "/generations?limit=2&offset=2", expect=200)
    assert (len(page["items"]), page["total"]) == (1, 3)
    await kyle.call("GET", "/generations?status=lost", expect=422)


async def test_the_templates_are_listed(kyle: Seeker) -> None:
    listed = await kyle.call("GET", "/generations/templates", expect=200)
    assert [t["name"] for t in listed["items"]] == ["classic", "modern", "compact", "technical"]
    assert all(t["ats_safe"] for t in listed["items"]) and listed["total"] == 4
