"""``GET /api/v1/me/export``: a user's data as a ZIP, complete, theirs alone, and limited."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest

from jobwise.entrypoints.http.routes.data_export import EXPORT_SLOTS
from tests.integration.documents.conftest import Made, make_document, raw
from tests.integration.generations.conftest import Seeker

pytestmark = pytest.mark.slow  # documents are generated, their PDFs printed by Chromium

EXPORT = "/api/v1/me/export"


async def export(seeker: Seeker) -> tuple[int, dict[str, str], bytes]:
    response = await seeker.client.get(EXPORT, headers=seeker.headers)
    return response.status, dict(response.headers), await response.read()


def read_zip(body: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def loaded(entries: dict[str, bytes], name: str) -> Any:
    return json.loads(entries[name])


async def test_the_export_holds_all_of_the_users_data_and_their_pdfs(
    made: Made, grace: Seeker
) -> None:
    kyle = made.seeker
    await kyle.call("POST", "/saved-jobs", json={"job_id": made.job_id})
    summary = {"professional_summary": "Backend engineer, exported."}
    edited = await kyle.call("PATCH", f"/profiles/{made.profile_id}", json=summary, expect=200)
    theirs = await make_document(grace)

    status, headers, body = await export(kyle)

    assert status == 200
    assert headers["Content-Type"] == "application/zip"
    assert headers["Content-Disposition"].startswith("attachment; filename=")
    entries = read_zip(body)
    assert {"README.txt", "manifest.json", "account.json", "events.jsonl"} <= set(entries)
    account = loaded(entries, "account.json")
    assert account["_id"] == kyle.id and "password_hash" not in account
    assert [p["_id"] for p in loaded(entries, "profiles.json")] == [made.profile_id]
    assert [j["_id"] for j in loaded(entries, "jobs.json")] == [made.job_id]
    versions = loaded(entries, "profile_versions.json")
    numbers = [v["version"] for v in versions if v["profile_id"] == made.profile_id]
    assert numbers == sorted(set(numbers)) and numbers[-1] == edited["version"] > 1
    last = versions[-1]["profile"]
    assert last["professional_summary"] == "Backend engineer, exported."
    assert versions[0]["profile"]["professional_summary"] != last["professional_summary"]
    assert [g["_id"] for g in loaded(entries, "generations.json")] == [made.generation_id]
    assert [d["_id"] for d in loaded(entries, "documents.json")] == [made.document_id]
    assert [s["job_id"] for s in loaded(entries, "saved_jobs.json")] == [made.job_id]
    events = [json.loads(line) for line in entries["events.jsonl"].splitlines()]
    streams = {event["stream_id"] for event in events}
    assert {made.profile_id, made.job_id, made.generation_id, made.document_id} <= streams
    assert [e["position"] for e in events] == sorted(e["position"] for e in events)
    assert all(e["data"].get("password_hash") in (None, "[redacted]") for e in events)
    manifest = loaded(entries, "manifest.json")
    assert manifest["counts"]["events"] == len(events)
    assert manifest["pdfs"] == [f"documents/{made.document_id}.pdf"]

    # The other user's data is nowhere in it.
    for other_id in (grace.id, theirs.document_id, theirs.job_id, theirs.profile_id):
        assert all(other_id.encode() not in content for content in entries.values())

    # The PDF is the one a download gives.
    got, _headers, pdf = await raw(kyle, "GET", f"/{made.document_id}/download?format=pdf")
    assert got == 200 and entries[f"documents/{made.document_id}.pdf"] == pdf


async def test_an_export_needs_a_signed_in_user(made: Made) -> None:
    response = await made.seeker.client.get(EXPORT)
    assert response.status == 401
    assert (await response.json())["error"]["code"]


@pytest.mark.env(JOBWISE_EXPORTS_PER_HOUR="2")
async def test_exports_past_the_hourly_allowance_are_refused(made: Made, grace: Seeker) -> None:
    kyle = made.seeker
    for _ in range(2):
        assert (await export(kyle))[0] == 200
    status, headers, body = await export(kyle)
    assert status == 429
    assert int(headers["Retry-After"]) > 0
    error = json.loads(body)["error"]
    assert error["code"] == "rate_limited" and error["details"]["per_hour"] == 2
    # The allowance is each user's own.
    assert (await export(grace))[0] == 200


@pytest.mark.env(JOBWISE_EXPORT_CONCURRENCY="1")
async def test_an_export_while_every_slot_is_busy_is_refused_for_now(kyle: Seeker) -> None:
    slots = kyle.client.app[EXPORT_SLOTS]
    async with slots:  # the one slot, taken as a running export takes it
        status, headers, body = await export(kyle)
    assert status == 503 and int(headers["Retry-After"]) > 0
    assert json.loads(body)["error"]["code"] == "overloaded"
    # The refusal spent none of the hourly allowance, and the slot serves the next.
    assert (await export(kyle))[0] == 200


async def test_the_export_is_in_the_openapi_document(kyle: Seeker) -> None:
    document = await (await kyle.client.get("/openapi.json")).json()
    operation = document["paths"][EXPORT]["get"]
    assert "security" in operation
    assert "application/zip" in operation["responses"]["200"]["content"]
    assert {"401", "429", "503"} <= set(operation["responses"])
