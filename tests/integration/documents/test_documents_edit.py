"""Editing: each edit a new version_number, the earlier ones readable; If-Match; and the
inputs a hostile or careless client sends."""

from __future__ import annotations

import pytest

from tests.integration.documents.conftest import Made, raw
from tests.integration.generations.conftest import Seeker, assert_read_models_rebuild_identically


async def test_each_edit_is_a_new_version_and_the_old_ones_stay_readable(made: Made) -> None:
    kyle, path = made.seeker, f"/documents/{made.document_id}"
    original = await kyle.call("GET", path, expect=200)
    edited_markdown = original["content_markdown"].replace("## Summary", "## Profile", 1)
    assert edited_markdown != original["content_markdown"]

    second = await kyle.call("PUT", path, expect=200, json={"content_markdown": edited_markdown})
    assert (second["version_number"], second["current_version_number"]) == (2, 2)
    assert second["content_markdown"] == edited_markdown and second["title"] == original["title"]
    assert "Profile" in second["content_html"] and "Profile" in second["content_text"]
    assert second["version"] == original["version"] + 1

    third = await kyle.call("PUT", path, expect=200, json={"title": "  For Safespring  "})
    assert (third["version_number"], third["title"]) == (3, "For Safespring")
    assert third["content_markdown"] == edited_markdown and third["versions"] == [1, 2, 3]

    v1 = await kyle.call("GET", f"{path}?version=1", expect=200)
    assert v1["content_markdown"] == original["content_markdown"]
    assert (v1["version_number"], v1["current_version_number"]) == (1, 3)
    assert v1["title"] == original["title"] and v1["content_html"] == original["content_html"]
    assert v1["pdf_url"].endswith("format=pdf&version=1")
    v2 = await kyle.call("GET", f"{path}?version=2", expect=200)
    assert (v2["content_markdown"], v2["title"]) == (edited_markdown, original["title"])
    current = await kyle.call("GET", path, expect=200)
    assert (current["version_number"], current["title"]) == (3, "For Safespring")
    assert await kyle.call("GET", f"{path}?version=3", expect=200) == current

    # The same content again changes nothing: no new version.
    same = await kyle.call("PUT", path, expect=200, json={"title": "For Safespring"})
    assert (same["version_number"], same["version"]) == (3, current["version"])

    missing = await kyle.call("GET", f"{path}?version=4", expect=404)
    assert missing["error"]["code"] == "version_not_found"
    assert missing["error"]["details"]["current_version_number"] == 3
    for bad in ("0", "-1", "99999999999999999999", "two", "1.5"):
        answer = await kyle.call("GET", f"{path}?version={bad}", expect=422)
        assert answer["error"]["details"]["fields"][0]["field"] == "version"

    await assert_read_models_rebuild_identically(kyle.client)


async def test_if_match_must_name_the_current_version(made: Made) -> None:
    kyle, path = made.seeker, f"/documents/{made.document_id}"
    response = await kyle.client.get(f"/api/v1{path}", headers=kyle.headers)
    etag = response.headers["ETag"]

    first = await kyle.call(
        "PUT", path, expect=200, json={"title": "One"}, headers={"If-Match": etag}
    )
    stale = await kyle.call(
        "PUT", path, expect=409, json={"title": "Two"}, headers={"If-Match": etag}
    )
    assert stale["error"]["code"] == "version_conflict"
    assert stale["error"]["details"]["current_version"] == first["version"]
    in_body = {"title": "Two", "expected_version": first["version"] - 1}
    assert (await kyle.call("PUT", path, expect=409, json=in_body))["error"]["code"] == (
        "version_conflict"
    )
    fresh = {"If-Match": f'"{first["version"]}"'}
    assert (await kyle.call("PUT", path, expect=200, json={"title": "Two"}, headers=fresh))[
        "version_number"
    ] == 3
    # A stale DELETE deletes nothing.
    await kyle.call("DELETE", path, expect=409, headers={"If-Match": etag})
    await kyle.call("GET", path, expect=200)
    bad = await kyle.call("PUT", path, expect=400, json={"title": "x"}, headers={"If-Match": "abc"})
    assert bad["error"]["code"] == "invalid_if_match"


async def test_hostile_and_careless_edits_are_refused_and_nothing_changes(made: Made) -> None:
    kyle, path = made.seeker, f"/documents/{made.document_id}"
    before = await kyle.call("GET", path, expect=200)

    def fields(answer: dict[str, object]) -> list[str]:
        error = answer["error"]
        assert isinstance(error, dict)
        return [f["field"] for f in error["details"]["fields"]]

    nul = await kyle.call("PUT", path, expect=422, json={"content_markdown": "# Kyle\x00 Oliver"})
    assert fields(nul) == ["content_markdown"] and "U+0000" in str(nul)
    bell = await kyle.call("PUT", path, expect=422, json={"title": "ding\x07"})
    assert fields(bell) == ["title"]
    assert fields(await kyle.call("PUT", path, expect=422, json={})) == ["body"]
    assert fields(await kyle.call("PUT", path, expect=422, json={"content_markdown": ""})) == [
        "content_markdown"
    ]
    assert fields(await kyle.call("PUT", path, expect=422, json={"title": "t" * 301})) == ["title"]
    assert fields(await kyle.call("PUT", path, expect=422, json={"content_markdown": "  \n "})) == [
        "content_markdown"
    ]
    too_long = "# Kyle Oliver\n\n" + "word " * 50_000  # 250,000 characters, under 1 MiB
    assert fields(
        await kyle.call("PUT", path, expect=422, json={"content_markdown": too_long})
    ) == ["content_markdown"]
    assert fields(await kyle.call("PUT", path, expect=422, json={"content": "x"})) == ["content"]

    five_mb = "# Kyle Oliver\n\n" + "x" * (5 * 1024 * 1024)
    status, _headers, body = await raw(
        kyle, "PUT", f"/{made.document_id}", json={"content_markdown": five_mb}
    )
    assert status == 413 and b"payload_too_large" in body

    # Tabs, newlines and any script are text like any other.
    kept = before["content_markdown"] + "\n\tÅsa · 王小明 · ✓\r\n"
    after = await kyle.call("PUT", path, expect=200, json={"content_markdown": kept})
    assert after["content_markdown"] == kept and after["version_number"] == 2
    assert (await kyle.call("GET", f"{path}?version=1", expect=200))["content_markdown"] == (
        before["content_markdown"]
    )


@pytest.mark.slow
async def test_a_generation_result_follows_its_document(made: Made, grace: Seeker) -> None:
    kyle, path = made.seeker, f"/documents/{made.document_id}"
    current = await kyle.call("GET", path, expect=200)
    edited = current["content_markdown"] + "\nEdited by hand.\n"
    await kyle.call("PUT", path, expect=200, json={"content_markdown": edited})
    assert (await kyle.result(made.generation_id))["content_markdown"] == edited
    await grace.call("PUT", path, expect=404, json={"title": "mine now"})
