"""What a hostile client sends, answered with a 422 in the contract's shape, never a 500,
and never at the cost of anyone else's request."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from tests.integration.auth.conftest import AppClient, client, register, settings
from tests.integration.users import ApiUser

__all__ = ["client", "settings"]

HUGE = str(2**63)
PERSON = {"full_name": "Ada Lovelace"}


@pytest.fixture
async def ada(client: AppClient) -> ApiUser:
    body = await register(client, email="ada@example.com")
    return ApiUser(client, body["access_token"], body["user"]["id"])


@pytest.fixture
async def grace(client: AppClient) -> ApiUser:
    body = await register(client, email="grace@example.com", full_name="Grace Hopper")
    return ApiUser(client, body["access_token"], body["user"]["id"])


def nested(depth: int) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    node = tree
    for _ in range(depth - 1):
        node["k"] = {}
        node = node["k"]
    return tree


def refused_fields(body: dict[str, Any]) -> list[str]:
    assert body["error"]["code"] == "validation_error", body
    return [field["field"] for field in body["error"]["details"]["fields"]]


@pytest.mark.parametrize(
    "custom_fields",
    [
        {"note\x00": "x"},
        {"ok": [{"inner\x00key": 1}]},
        {"$where": "sleep(1000)"},
        {"contact": {"github.com": "ada"}},
        nested(300),
        nested(20),
    ],
    ids=["nul-key", "nested-nul-key", "dollar-key", "dotted-key", "300-deep", "20-deep"],
)
async def test_custom_fields_the_database_cannot_keep_are_422_everywhere(
    ada: ApiUser, custom_fields: dict[str, Any]
) -> None:
    created = await ada.call(
        "POST",
        "/profiles",
        expect=422,
        json={"personal_info": PERSON, "custom_fields": custom_fields},
    )
    assert any(f.startswith("custom_fields") for f in refused_fields(created))
    profile = await ada.call("POST", "/profiles", expect=201, json={"personal_info": PERSON})
    for method in ("PATCH", "PUT"):
        body = {"custom_fields": custom_fields}
        if method == "PUT":
            body["personal_info"] = PERSON
        answer = await ada.call(method, f"/profiles/{profile['id']}", expect=422, json=body)
        assert any(f.startswith("custom_fields") for f in refused_fields(answer))
    unchanged = await ada.call("GET", f"/profiles/{profile['id']}", expect=200)
    assert unchanged["version"] == 1


async def test_an_imported_resume_with_a_nul_key_is_422(ada: ApiUser) -> None:
    resume = {"basics": {"name": "Ada Lovelace"}, "meta": {"bad\x00key": 1}}
    answer = await ada.call(
        "POST", "/profiles/import", expect=422, json={"format": "json-resume", "data": resume}
    )
    assert refused_fields(answer) == ["data.meta.bad\\u0000key"]


async def test_a_json_resume_schema_key_is_kept_and_given_back(ada: ApiUser) -> None:
    schema = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"
    resume = {"$schema": schema, "basics": {"name": "Ada Lovelace"}, "meta": {"a.b": 1}}
    profile = await ada.call(
        "POST", "/profiles/import", expect=201, json={"format": "json-resume", "data": resume}
    )
    exported = await ada.call("GET", f"/profiles/{profile['id']}/export", expect=200)
    assert exported["$schema"] == schema
    assert exported["meta"] == {"a.b": 1}


async def test_custom_fields_and_whole_profiles_have_a_size_limit(ada: ApiUser) -> None:
    profile = await ada.call("POST", "/profiles", expect=201, json={"personal_info": PERSON})
    big = {"notes": "x" * (65 * 1024)}
    answer = await ada.call(
        "PATCH", f"/profiles/{profile['id']}", expect=422, json={"custom_fields": big}
    )
    assert refused_fields(answer) == ["custom_fields"]
    assert answer["error"]["details"]["max_bytes"] == 64 * 1024

    # Items of at most 100 KB each, added until the profile would pass 2 MiB.
    achievements = ["a" * 1000] * 100
    item = {"title": "T", "company": "C", "start_date": "2020-01-01", "achievements": achievements}
    statuses = []
    for _ in range(25):
        response = await ada.client.post(
            f"/api/v1/profiles/{profile['id']}/experiences", json=item, headers=ada.headers
        )
        statuses.append(response.status)
        if response.status == 422:
            assert refused_fields(await response.json()) == ["profile"]
            break
    assert statuses[-1] == 422 and set(statuses[:-1]) == {201}


async def test_one_users_unstorable_writes_never_fail_another_users_writes(
    ada: ApiUser, grace: ApiUser
) -> None:
    profile = await ada.call("POST", "/profiles", expect=201, json={"personal_info": PERSON})
    bad = [
        ada.client.patch(
            f"/api/v1/profiles/{profile['id']}",
            json={"custom_fields": {f"k{n}\x00": n}},
            headers=ada.headers,
        )
        for n in range(40)
    ]
    good = [
        grace.client.post(
            "/api/v1/jobs",
            json={"source": "manual", "title": f"Engineer {n}", "company": "Acme"},
            headers=grace.headers,
        )
        for n in range(40)
    ]
    answers = await asyncio.gather(*bad, *good)
    assert [r.status for r in answers[:40]] == [422] * 40
    assert [r.status for r in answers[40:]] == [201] * 40
    jobs = await grace.call("GET", "/jobs?limit=100", expect=200)
    assert jobs["total"] == 40


@pytest.mark.parametrize(
    "path",
    [
        f"/profiles?offset={HUGE}",
        f"/saved-jobs?offset={HUGE}",
        f"/jobs?offset={HUGE}",
        f"/audit/events?after={HUGE}",
        f"/profiles?limit={HUGE}",
        f"/audit/events?after={'9' * 5000}",
    ],
)
async def test_huge_numbers_in_queries_are_422_with_the_bound(ada: ApiUser, path: str) -> None:
    answer = await ada.call("GET", path, expect=422)
    field = answer["error"]["details"]["fields"][0]
    assert field["location"] == "query"
    assert "less than or equal" in field["message"] or "integer" in field["message"]


async def test_a_huge_version_is_422_not_500(ada: ApiUser) -> None:
    profile = await ada.call("POST", "/profiles", expect=201, json={"personal_info": PERSON})
    await ada.call("GET", f"/profiles/{profile['id']}?version={HUGE}", expect=422)
    for if_match in (HUGE, "9" * 5000, "１"):  # the last is a full-width digit one
        answer = await ada.call(
            "PATCH",
            f"/profiles/{profile['id']}",
            expect=400,
            headers={"If-Match": if_match},
            json={"professional_summary": "x"},
        )
        assert answer["error"]["code"] == "invalid_if_match"


@pytest.mark.parametrize("version", ["1", True, 1.0, 2**63])
async def test_expected_version_is_a_strict_integer(ada: ApiUser, version: object) -> None:
    profile = await ada.call("POST", "/profiles", expect=201, json={"personal_info": PERSON})
    job = await ada.call(
        "POST", "/jobs", expect=201, json={"source": "manual", "title": "T", "company": "C"}
    )
    saved = await ada.call("POST", "/saved-jobs", expect=201, json={"job_id": job["id"]})
    for method, path, body in (
        ("PATCH", f"/profiles/{profile['id']}", {"professional_summary": "x"}),
        ("PUT", f"/jobs/{job['id']}", {"title": "U"}),
        ("PATCH", f"/saved-jobs/{saved['id']}", {"notes": "n"}),
    ):
        answer = await ada.call(
            method, path, expect=422, json={**body, "expected_version": version}
        )
        assert refused_fields(answer) == ["expected_version"]


@pytest.mark.slow
async def test_an_audit_page_of_large_events_is_cut_by_size_and_loses_nothing(
    ada: ApiUser,
) -> None:
    paste = "Senior Engineer\nAcme\n\n" + ("Requirements: Python and Go. " * 1700)[:49_000]
    for n in range(24):
        await ada.call("POST", "/jobs", expect=201, json={"source": f"s{n}", "raw_text": paste})
    seen: list[int] = []
    job_events = 0
    after, pages = 0, 0
    while True:
        page = await ada.call("GET", f"/audit/events?limit=100&after={after}", expect=200)
        pages += 1
        size = sum(len(json.dumps(item["data"])) for item in page["items"])
        assert size < 1024 * 1024 + 120_000, "a page stops soon after 1 MiB of event data"
        seen += [item["position"] for item in page["items"]]
        job_events += sum(item["stream_type"] == "job" for item in page["items"])
        if page["next_after"] is None:
            break
        after = page["next_after"]
    assert pages > 1
    assert seen == sorted(set(seen)), "every event once, in order"
    assert job_events == 48  # JobCreated and JobParsed of each job
