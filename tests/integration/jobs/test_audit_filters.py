"""``/audit/events`` filters: time, type, request id, paging, and their refusals."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from tests.integration.jobs.conftest import User


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def test_filter_by_type_comma_or_repeated(ada: User) -> None:
    job = await ada.typed_job()
    await ada.call("PUT", f"/jobs/{job['id']}", expect=200, json={"status": "archived"})

    comma = await ada.call("GET", "/audit/events?type=JobCreated,JobStatusChanged", expect=200)
    repeated = await ada.call(
        "GET", "/audit/events?type=JobCreated&type=JobStatusChanged", expect=200
    )

    assert [e["type"] for e in comma["items"]] == ["JobCreated", "JobStatusChanged"]
    assert repeated["items"] == comma["items"]


async def test_filter_by_time_span(ada: User) -> None:
    first = await ada.typed_job("First")
    await asyncio.sleep(0.05)
    middle = datetime.now(UTC)
    await asyncio.sleep(0.05)
    second = await ada.typed_job("Second")

    later = await ada.call("GET", f"/audit/events?since={quote(middle.isoformat())}", expect=200)
    earlier = await ada.call("GET", f"/audit/events?until={quote(middle.isoformat())}", expect=200)
    recent = await ada.call("GET", "/audit/events?since=1h&type=JobCreated", expect=200)

    assert {e["stream_id"] for e in later["items"]} == {second["id"]}
    assert all(_at(e["recorded_at"]) >= middle for e in later["items"])
    assert first["id"] in {e["stream_id"] for e in earlier["items"]}
    assert second["id"] not in {e["stream_id"] for e in earlier["items"]}
    assert [e["stream_id"] for e in recent["items"]] == [first["id"], second["id"]]
    future = quote((middle + timedelta(days=1)).isoformat())
    assert (await ada.call("GET", f"/audit/events?since={future}", expect=200))["items"] == []


async def test_filter_by_request_id(ada: User) -> None:
    await ada.typed_job("Before")
    response = await ada.client.post(
        "/api/v1/jobs",
        headers={**ada.headers, "X-Request-ID": "audit-req-1"},
        json={"source": "linkedin", "title": "Tagged", "company": "Globex"},
    )
    assert response.status == 201

    page = await ada.call("GET", "/audit/events?request_id=audit-req-1", expect=200)

    assert page["items"] and {e["metadata"]["request_id"] for e in page["items"]} == {"audit-req-1"}


async def test_pages_of_a_filter_follow_the_cursor(ada: User) -> None:
    for title in ("A", "B", "C"):
        await ada.typed_job(title)
    path = "/audit/events?type=JobCreated&limit=2"

    first = await ada.call("GET", path, expect=200)
    second = await ada.call("GET", f"{path}&after={first['next_after']}", expect=200)

    assert len(first["items"]) == 2 and len(second["items"]) == 1
    assert second["next_after"] is None
    titles = [e["data"]["fields"]["title"] for p in (first, second) for e in p["items"]]
    assert titles == ["A", "B", "C"]


async def test_filters_never_reach_another_users_events(ada: User, grace: User) -> None:
    job = await ada.typed_job()

    await grace.call("GET", f"/audit/events?stream_id={job['id']}&since=1h", expect=404)
    page = await grace.call("GET", "/audit/events?type=JobCreated&since=1d", expect=200)

    assert page["items"] == []


async def test_bad_filter_values_are_422_naming_the_field(ada: User) -> None:
    cases = {
        "since=yesterday": "since",
        "until=2026-13-01": "until",
        "since=99999999999999d": "since",
        "type=Job%00Created": "type",
        "type=" + ",".join(f"T{i}" for i in range(60)): "type",
        "request_id=" + "r" * 300: "request_id",
        "stream_id=a%01b": "stream_id",
        "since=2026-03-02&until=2026-03-01": "query",
    }
    for query, field in cases.items():
        answer = await ada.call("GET", f"/audit/events?{query}", expect=422)
        assert answer["error"]["code"] == "validation_error", query
        assert field in str(answer["error"]), (query, answer)
