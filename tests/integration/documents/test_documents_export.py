"""Exports and downloads: five formats, the right headers, the right bytes, and an
unchanged document never rendered twice (seen in the exporter's counts, not in time)."""

from __future__ import annotations

import io
import re

import docx
import pytest
from pypdf import PdfReader

from jobwise.adapters.rendering import extract_pages
from jobwise.entrypoints.http.keys import RUNTIME
from tests.integration.documents.conftest import Made, raw, stored_keys

pytestmark = pytest.mark.slow  # every test here prints PDFs with Chromium

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SAFE_NAME = re.compile(r'attachment; filename="([A-Za-z0-9_.-]+)"')


async def test_each_format_downloads_as_itself_with_a_safe_file_name(made: Made) -> None:
    kyle = made.seeker
    document = await kyle.call("GET", f"/documents/{made.document_id}", expect=200)
    headings = [
        line[3:] for line in document["content_markdown"].splitlines() if line.startswith("## ")
    ]
    company = document["company"]
    assert headings and company

    files: dict[str, bytes] = {}
    for fmt, media_type in (
        ("pdf", "application/pdf"),
        ("docx", DOCX),
        ("html", "text/html; charset=utf-8"),
        ("md", "text/markdown; charset=utf-8"),
        ("txt", "text/plain; charset=utf-8"),
    ):
        status, headers, body = await raw(kyle, "GET", f"/{made.document_id}/download?format={fmt}")
        assert status == 200, body[:300]
        assert headers["Content-Type"] == media_type
        named = SAFE_NAME.match(headers["Content-Disposition"])
        assert named is not None, headers["Content-Disposition"]
        company_words = "_".join(re.findall(r"[A-Za-z0-9]+", company))
        assert named.group(1) == f"Kyle_Oliver_{company_words}_Resume.{fmt}"
        files[fmt] = body

    pdf = files["pdf"]
    assert pdf.startswith(b"%PDF")
    assert "Kyle Oliver" in extract_pages(pdf)[0]
    assert PdfReader(io.BytesIO(pdf)).metadata.producer == "JobWise"  # type: ignore[union-attr]

    word = docx.Document(io.BytesIO(files["docx"]))
    styled = [(p.style.name if p.style else "", p.text) for p in word.paragraphs]
    assert styled[0] == ("Title", "Kyle Oliver")
    assert [text for style, text in styled if style == "Heading 1"] == headings

    html = files["html"].decode()
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html and "Kyle Oliver" in html
    assert not re.search(r"<(script|link|img|iframe)\b|src=|@import", html)  # standalone

    assert files["md"].decode() == document["content_markdown"].rstrip("\n") + "\n"
    text = files["txt"].decode()
    assert text.startswith("Kyle Oliver") and "## " not in text and "**" not in text
    for heading in headings:
        assert heading.casefold() in text.casefold()

    for bad in ("exe", "PDF", "../../etc/passwd", ""):
        status, _headers, body = await raw(
            kyle, "GET", f"/{made.document_id}/download?format={bad}"
        )
        assert status == 422 and b'"field": "format"' in body.replace(b'":"', b'": "'), body
    status, _headers, _body = await raw(
        kyle, "GET", f"/{made.document_id}/download?format=pdf&template=../x"
    )
    assert status == 422


async def test_an_unchanged_document_is_rendered_once_and_an_edit_renders_anew(made: Made) -> None:
    kyle, client = made.seeker, made.seeker.client
    stats = client.app[RUNTIME].documents.exporter.stats
    path = f"/documents/{made.document_id}/export"
    rendered = stats.rendered

    # The PDF the generation stored is what the export finds: nothing printed again.
    pdf = await kyle.call("POST", path, expect=200, json={"format": "pdf"})
    assert (pdf["format"], pdf["media_type"], pdf["cached"]) == ("pdf", "application/pdf", True)
    assert pdf["page_count"] >= 1 and pdf["size_bytes"] > 10_000 and pdf["version_number"] == 1
    assert pdf["download_url"] == (
        f"/api/v1/documents/{made.document_id}/download?format=pdf&template=classic&version=1"
    )
    status, _headers, body = await raw(kyle, "GET", pdf["download_url"].split("/documents", 1)[1])
    assert status == 200 and len(body) == pdf["size_bytes"]
    assert stats.rendered == rendered

    first = await kyle.call("POST", path, expect=200, json={"format": "docx"})
    assert (first["cached"], first["page_count"]) == (False, None) and first["size_bytes"] > 0
    assert stats.rendered == rendered + 1
    again = await kyle.call("POST", path, expect=200, json={"format": "docx"})
    await raw(kyle, "GET", f"/{made.document_id}/download?format=docx")
    assert again["cached"] is True and again["size_bytes"] == first["size_bytes"]
    assert stats.rendered == rendered + 1

    other = await kyle.call("POST", path, expect=200, json={"format": "pdf", "template": "modern"})
    assert (other["cached"], other["template"]) == (False, "modern")
    assert stats.rendered == rendered + 2
    keys_before_edit = set(await stored_keys(client, made.document_id))

    current = await kyle.call("GET", f"/documents/{made.document_id}", expect=200)
    edited = current["content_markdown"].replace("## Summary", "## About me", 1)
    await kyle.call("PUT", f"/documents/{made.document_id}", json={"content_markdown": edited})
    new = await kyle.call("POST", path, expect=200, json={"format": "pdf"})
    assert (new["cached"], new["version_number"]) == (False, 2)
    assert new["download_url"].endswith("version=2")
    assert stats.rendered == rendered + 3
    assert set(await stored_keys(client, made.document_id)) > keys_before_edit  # new files
    status, _headers, body = await raw(kyle, "GET", f"/{made.document_id}/download?format=pdf")
    assert status == 200 and "about me" in " ".join(extract_pages(body)).casefold()
    # Version 1 is still there, as it was, and still not rendered again.
    status, _headers, body = await raw(
        kyle, "GET", f"/{made.document_id}/download?format=pdf&version=1"
    )
    assert status == 200 and "about me" not in " ".join(extract_pages(body)).casefold()
    assert stats.rendered == rendered + 3

    for bad in (
        {"format": "exe"},
        {"format": "pdf", "template": "fancy"},
        {},
        {"format": "pdf", "version": 0},
    ):
        await kyle.call("POST", path, expect=422, json=bad)
    gone = await kyle.call("POST", path, expect=404, json={"format": "pdf", "version": 3})
    assert gone["error"]["code"] == "version_not_found"


async def test_the_export_formats_are_listed_with_their_media_types(made: Made) -> None:
    listed = await made.seeker.call("GET", "/documents/export-formats", expect=200)
    assert [(f["format"], f["media_type"]) for f in listed["items"]] == [
        ("pdf", "application/pdf"),
        ("docx", DOCX),
        ("html", "text/html; charset=utf-8"),
        ("md", "text/markdown; charset=utf-8"),
        ("txt", "text/plain; charset=utf-8"),
    ]
    assert listed["total"] == 5
