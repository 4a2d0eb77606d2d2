"""Previews, another user's documents (404 on every route), and deletion with its files."""

from __future__ import annotations

import pytest

from jobwise.entrypoints.http.keys import RUNTIME
from tests.integration.documents.conftest import Made, raw, stored_keys
from tests.integration.generations.conftest import Seeker, assert_read_models_rebuild_identically

MARKDOWN = (
    "# Ada Lovelace\n\nada@example.com\n\n## Experience\n\n- Wrote <script>alert(1)</script>\n"
)

pytestmark = pytest.mark.slow  # every test here exports documents through Chromium


async def test_a_preview_is_one_html_page_of_a_document_or_of_markdown(made: Made) -> None:
    kyle = made.seeker
    status, headers, body = await raw(
        kyle, "POST", "/preview", json={"document_id": made.document_id, "template": "modern"}
    )
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8", body
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    page = body.decode()
    assert page.startswith("<!DOCTYPE html>") and "Kyle Oliver" in page

    status, headers, body = await raw(
        kyle, "POST", "/preview", json={"content_markdown": MARKDOWN, "template": "compact"}
    )
    page = body.decode()
    assert status == 200 and "Ada Lovelace" in page
    assert "<script>" not in page and "&lt;script&gt;" in page  # typed text stays text

    current = await kyle.call("GET", f"/documents/{made.document_id}", expect=200)
    edited = current["content_markdown"].replace("# Kyle Oliver", "# Kyle A. Oliver", 1)
    await kyle.call("PUT", f"/documents/{made.document_id}", json={"content_markdown": edited})
    _status, _headers, now = await raw(
        kyle, "POST", "/preview", json={"document_id": made.document_id}
    )
    _status, _headers, then = await raw(
        kyle, "POST", "/preview", json={"document_id": made.document_id, "version": 1}
    )
    assert b"Kyle A. Oliver" in now and b"Kyle A. Oliver" not in then

    for bad in (
        {"template": "modern"},
        {"document_id": made.document_id, "content_markdown": MARKDOWN},
        {"content_markdown": MARKDOWN, "template": "fancy"},
        {"document_id": made.document_id, "template": "../../etc/passwd"},
        {"content_markdown": "# A\x00"},
        {"content_markdown": MARKDOWN, "version": 1},
        {"document_id": made.document_id, "version": 0},
    ):
        answer = await kyle.call("POST", "/documents/preview", expect=422, json=bad)
        assert answer["error"]["code"] == "validation_error"
    missing = await kyle.call(
        "POST",
        "/documents/preview",
        expect=404,
        json={"document_id": made.document_id, "version": 9},
    )
    assert missing["error"]["code"] == "version_not_found"


async def test_another_users_document_is_not_found_on_every_route(
    made: Made, grace: Seeker
) -> None:
    kyle, doc = made.seeker, made.document_id
    nobody = "00000000-0000-4000-8000-000000000000"
    for document_id in (doc, nobody):
        calls = [
            ("GET", f"/{document_id}", None),
            ("GET", f"/{document_id}?version=1", None),
            ("PUT", f"/{document_id}", {"title": "taken"}),
            ("POST", f"/{document_id}/export", {"format": "pdf"}),
            ("GET", f"/{document_id}/download?format=pdf", None),
            ("GET", f"/{document_id}/download?format=md", None),
            ("POST", "/preview", {"document_id": document_id}),
            ("DELETE", f"/{document_id}", None),
        ]
        for method, path, body in calls:
            status, _headers, answer = await raw(grace, method, path, json=body)
            assert status == 404, (method, path, answer)
            assert b'"not_found"' in answer.replace(b'": "', b'":"') or b"not_found" in answer
            assert b"Kyle" not in answer
    # Nothing of Kyle's moved.
    mine = await kyle.call("GET", f"/documents/{doc}", expect=200)
    assert (mine["version_number"], mine["title"]) != (2, "taken")
    assert mine["version_number"] == 1


async def test_deleting_a_document_deletes_every_file_and_version_of_it(
    made: Made, grace: Seeker
) -> None:
    kyle, client, doc = made.seeker, made.seeker.client, made.document_id
    path = f"/documents/{doc}"
    saved = await kyle.call("POST", "/saved-jobs", expect=201, json={"job_id": made.job_id})
    assert saved["document_ids"] == [doc]
    current = await kyle.call("GET", path, expect=200)
    await kyle.call(
        "PUT", path, json={"content_markdown": current["content_markdown"] + "\nMore.\n"}
    )
    for fmt in ("docx", "html", "md", "txt", "pdf"):
        await kyle.call("POST", f"{path}/export", expect=200, json={"format": fmt})
    await kyle.call("POST", f"{path}/export", expect=200, json={"format": "pdf", "version": 1})
    keys = await stored_keys(client, doc)
    # v1's PDF (the generation's) and v2's five formats, each with its manifest.
    assert len(keys) == 12, keys
    other = await grace.call("GET", "/documents", expect=200)  # Grace has nothing to lose here
    assert other["total"] == 0

    status, _headers, body = await raw(kyle, "DELETE", f"/{doc}")
    assert (status, body) == (204, b"")
    assert await stored_keys(client, doc) == []
    files = client.app[RUNTIME].documents.files
    assert not any([await files.exists(key) for key in keys])

    await kyle.call("GET", path, expect=404)
    await kyle.call("GET", f"{path}?version=1", expect=404)
    await kyle.call("PUT", path, expect=404, json={"title": "back"})
    await kyle.call("POST", f"{path}/export", expect=404, json={"format": "pdf"})
    await kyle.call("GET", f"{path}/download?format=pdf", expect=404)
    await kyle.call("DELETE", path, expect=404)
    assert (await kyle.call("GET", "/documents", expect=200))["total"] == 0
    assert (await kyle.call("GET", f"/saved-jobs/{saved['id']}", expect=200))["document_ids"] == []
    gone = await kyle.call("GET", f"/generations/{made.generation_id}/result", expect=409)
    assert gone["error"]["code"] == "no_result"
    versions = client.app[RUNTIME].database["document_versions"]
    assert await versions.count_documents({"document_id": doc}) == 0

    await assert_read_models_rebuild_identically(client)
