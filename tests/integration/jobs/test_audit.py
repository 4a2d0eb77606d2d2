"""The audit trail: a user reads their own events, in log order, and nobody else's."""

from __future__ import annotations

from tests.integration.jobs.conftest import User


async def test_a_streams_events_come_in_order_with_metadata(ada: User) -> None:
    job = await ada.typed_job()
    await ada.call("PUT", f"/jobs/{job['id']}", expect=200, json={"status": "archived"})

    page = await ada.call("GET", f"/audit/events?stream_id={job['id']}", expect=200)

    types = [e["type"] for e in page["items"]]
    assert types == ["JobCreated", "JobParsed", "JobStatusChanged"]
    positions = [e["position"] for e in page["items"]]
    assert positions == sorted(positions)
    assert [e["version"] for e in page["items"]] == [1, 2, 3]
    first = page["items"][0]
    assert first["stream_id"] == job["id"] and first["stream_type"] == "job"
    assert first["metadata"]["user_id"] == ada.id
    assert first["data"]["fields"]["title"] == job["title"]
    assert page["next_after"] is None


async def test_paging_with_after_and_limit(ada: User) -> None:
    job = await ada.typed_job()
    for status in ("draft", "archived", "active"):
        await ada.call("PUT", f"/jobs/{job['id']}", expect=200, json={"status": status})
    path = f"/audit/events?stream_id={job['id']}&limit=2"

    first = await ada.call("GET", path, expect=200)
    second = await ada.call("GET", f"{path}&after={first['next_after']}", expect=200)
    third = await ada.call("GET", f"{path}&after={second['next_after']}", expect=200)

    seen = [e["version"] for page in (first, second, third) for e in page["items"]]
    assert seen == [1, 2, 3, 4, 5]
    assert third["next_after"] is None


async def test_without_stream_id_every_stream_of_mine_and_secrets_masked(
    ada: User, grace: User
) -> None:
    await ada.typed_job()
    await grace.typed_job()

    page = await ada.call("GET", "/audit/events?limit=100", expect=200)

    assert {e["metadata"].get("user_id") for e in page["items"]} == {ada.id}
    registered = next(e for e in page["items"] if e["type"] == "UserRegistered")
    assert registered["data"]["password_hash"] == "[redacted]"
    assert "JobCreated" in {e["type"] for e in page["items"]}


async def test_another_users_stream_is_not_found(ada: User, grace: User) -> None:
    job = await ada.typed_job()

    answer = await grace.call("GET", f"/audit/events?stream_id={job['id']}", expect=404)

    assert answer["error"]["code"] == "not_found"
    await grace.call("GET", f"/audit/events?stream_id={ada.id}", expect=404)
    await grace.call("GET", "/audit/events?stream_id=no-such-stream", expect=404)


async def test_bad_audit_parameters_are_422(ada: User) -> None:
    for query in ("limit=0", "limit=101", "after=-1", "after=x"):
        await ada.call("GET", f"/audit/events?{query}", expect=422)
