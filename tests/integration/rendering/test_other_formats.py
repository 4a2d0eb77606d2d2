"""DOCX, HTML, Markdown and text exports; the preview; thumbnails; the export cache."""

from __future__ import annotations

import asyncio
import io
import re
import struct
from pathlib import Path

import docx
import pytest
from docx.shared import Inches

from jobwise.adapters.rendering import (
    ExportFormat,
    PageSize,
    Renderer,
    RenderRequest,
    UnknownTemplateError,
    WarmBrowser,
    list_templates,
    markdown_to_html,
)
from jobwise.adapters.rendering.exporter import DocumentExporter
from jobwise.adapters.rendering.thumbnails import ThumbnailService
from jobwise.adapters.storage import LocalFileStore, MemoryFileStore
from tests.unit.rendering.fixtures import fixture


@pytest.mark.parametrize("template", ["classic", "technical"])
async def test_docx_has_heading_styles_and_list_paragraphs(
    renderer: Renderer, template: str
) -> None:
    out = await renderer.render(
        RenderRequest(
            markdown=fixture("ada_resume"),
            format=ExportFormat.DOCX,
            template=template,
            page_size=PageSize.A4,
        )
    )
    document = docx.Document(io.BytesIO(out.content))
    styled = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    assert styled[0] == ("Title", "Ada Lovelace")
    assert styled[1][1].startswith("ada@example.com · +44 20 7946 0000")
    sections = [text for style, text in styled if style == "Heading 1"]
    assert sections == [
        "Summary",
        "Experience",
        "Projects",
        "Skills",
        "Education",
        "Certifications",
    ]
    entries = [text for style, text in styled if style == "Heading 2"]
    assert entries[0] == "Senior Backend Engineer, Engine Co" and len(entries) == 4
    bullets = [text for style, text in styled if style == "List Bullet"]
    assert bullets[0] == "Cut p99 latency of the payments API by 40% by moving hot paths to Go"
    assert len(bullets) == 7
    skills = next(p for p in document.paragraphs if p.text.startswith("Technical:"))
    assert skills.runs[0].bold and "\n" in skills.text  # label bold, lines kept as lines
    page = document.sections[0]
    assert page.page_width is not None and abs(page.page_width - Inches(210 / 25.4)) < 1000
    assert document.core_properties.author == "Ada Lovelace"
    assert document.core_properties.title == "Ada Lovelace – Resume"


async def test_docx_of_a_hand_edit_keeps_nested_and_numbered_lists(renderer: Renderer) -> None:
    out = await renderer.render(
        RenderRequest(markdown=fixture("hand_edited"), format=ExportFormat.DOCX)
    )
    styles = {p.style.name for p in docx.Document(io.BytesIO(out.content)).paragraphs if p.style}
    assert {"List Bullet", "List Bullet 2", "List Number"} <= styles


async def test_html_is_standalone_with_no_external_reference(renderer: Renderer) -> None:
    out = await renderer.render(
        RenderRequest(markdown=fixture("hand_edited"), format=ExportFormat.HTML, template="modern")
    )
    html = out.content.decode()
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    for external in ("<link", "<script", "src=", "@import", "url(", "<img", "<iframe"):
        assert external not in html.lower(), external
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # typed text, shown as text
    assert '<h1 class="name">Grace Hopper</h1>' in html
    assert "<table" not in html


def test_preview_is_the_template_page_and_refuses_unknown_templates() -> None:
    html = markdown_to_html(fixture("ada_resume"), template="compact")
    assert "template-compact" in html and "<h2>Experience</h2>" in html
    with pytest.raises(UnknownTemplateError):
        markdown_to_html("# A\n", template="fancy")


async def test_text_export_has_no_markdown_syntax(renderer: Renderer) -> None:
    out = await renderer.render(
        RenderRequest(markdown=fixture("ada_resume"), format=ExportFormat.TXT)
    )
    text = out.content.decode()
    assert text.startswith("Ada Lovelace\nada@example.com · ")
    assert not re.search(r"^#|\*\*|\]\(|^\s*[*+] ", text, re.MULTILINE)
    assert "\nExperience\n" in text and "\n- Cut p99 latency" in text
    assert "Technical: Python, Go" in text


async def test_markdown_export_is_the_document_as_stored(renderer: Renderer) -> None:
    markdown = fixture("cjk_resume")
    out = await renderer.render(RenderRequest(markdown=markdown, format=ExportFormat.MD))
    assert out.content.decode() == markdown.rstrip("\n") + "\n"


async def test_thumbnails_are_pngs_rendered_once(browser: WarmBrowser) -> None:
    store = MemoryFileStore()
    service = ThumbnailService(browser, store)
    for info in list_templates():
        before = browser.stats.documents
        png = await service.thumbnail(info.name)
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert struct.unpack(">II", png[16:24]) == (408, 528)
        assert await service.thumbnail(info.name) == png
        assert browser.stats.documents == before + 1  # the second call rendered nothing
    # a new service on the same store (a restart) reads the stored PNG
    again = ThumbnailService(browser, store)
    before = browser.stats.documents
    await again.thumbnail("classic")
    assert browser.stats.documents == before


async def test_an_unchanged_document_is_not_rendered_again(
    renderer: Renderer, browser: WarmBrowser, tmp_path: Path
) -> None:
    store = LocalFileStore(tmp_path)
    exporter = DocumentExporter(renderer, store)
    request = RenderRequest(markdown=fixture("ada_resume"), format=ExportFormat.PDF, max_pages=1)
    first = await exporter.export(request)
    assert not first.cached and first.page_count == 1 and first.check and first.check.passed
    before = browser.stats.documents
    second = await exporter.export(request)
    assert second.cached and second.key == first.key and second.size_bytes == first.size_bytes
    assert browser.stats.documents == before
    assert (await store.get(first.key)).startswith(b"%PDF-")
    edited = request.model_copy(update={"markdown": request.markdown + "\n- One more line\n"})
    third = await exporter.export(edited)
    assert not third.cached and third.key != first.key


async def test_identical_exports_at_once_render_once(
    renderer: Renderer, browser: WarmBrowser
) -> None:
    exporter = DocumentExporter(renderer, MemoryFileStore())
    request = RenderRequest(markdown=fixture("cover_letter"), format=ExportFormat.PDF)
    before = browser.stats.documents
    results = await asyncio.gather(*(exporter.export(request) for _ in range(5)))
    assert len({r.key for r in results}) == 1
    assert browser.stats.documents == before + 1
