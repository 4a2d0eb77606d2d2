"""PDFs from every template, read back through their text layer (pypdf)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from jobwise.adapters.rendering import (
    DocumentType,
    ExportFormat,
    PageSize,
    Renderer,
    RenderRequest,
    list_templates,
    read_markdown,
)
from tests.integration.rendering.pdf_reading import page_sizes, pages_text, squash
from tests.unit.rendering.fixtures import fixture

TEMPLATES = [t.name for t in list_templates()]
POINTS = {PageSize.LETTER: (612, 792), PageSize.A4: (595, 842)}


@pytest.mark.parametrize("page_size", [PageSize.LETTER, PageSize.A4])
@pytest.mark.parametrize("template", TEMPLATES)
async def test_every_template_prints_a_resume_that_passes_the_parse_check(
    renderer: Renderer, template: str, page_size: PageSize
) -> None:
    markdown = fixture("ada_resume")
    out = await renderer.render(
        RenderRequest(
            markdown=markdown,
            format=ExportFormat.PDF,
            template=template,
            page_size=page_size,
            max_pages=2,
            expected_keywords=("Python", "Kubernetes", "PostgreSQL", "gRPC"),
        )
    )
    assert out.check is not None and out.check.passed, out.check
    assert out.check.findings == ()
    assert page_sizes(out.content) == {POINTS[page_size]}
    text = " ".join(pages_text(out.content))
    assert text.startswith("Ada Lovelace ada@example.com")  # the contact block first
    for entry in read_markdown(markdown).entry_titles:
        assert entry in text


@pytest.mark.parametrize("template", TEMPLATES)
async def test_every_template_prints_a_cover_letter(renderer: Renderer, template: str) -> None:
    out = await renderer.render(
        RenderRequest(
            markdown=fixture("cover_letter"),
            format=ExportFormat.PDF,
            template=template,
            document_type=DocumentType.COVER_LETTER,
            max_pages=1,
        )
    )
    assert out.check is not None and out.check.passed, out.check
    assert out.page_count == 1
    text = pages_text(out.content)[0]
    assert text.startswith("Ada Lovelace")
    assert "Dear Hiring Manager," in text and text.endswith("Sincerely, Ada Lovelace")
    metadata = PdfReader(io.BytesIO(out.content)).metadata
    assert metadata is not None and metadata.title == "Ada Lovelace – Cover Letter"


async def test_a_real_json_resume_sample_passes_the_parse_check(renderer: Renderer) -> None:
    out = await renderer.render(
        RenderRequest(
            markdown=fixture("jsonresume_sample"),
            format=ExportFormat.PDF,
            template="modern",
            expected_keywords=("Javascript", "GIF", "Chrome Extension"),
        )
    )
    assert out.check is not None and out.check.passed, out.check
    text = " ".join(pages_text(out.content))
    assert "Weisman Scores™" in text and "“length-limited” conversation!" in text


@pytest.mark.parametrize("template", TEMPLATES)
async def test_a_cjk_name_prints_and_extracts_as_the_same_characters(
    renderer: Renderer, template: str
) -> None:
    out = await renderer.render(
        RenderRequest(markdown=fixture("cjk_resume"), format=ExportFormat.PDF, template=template)
    )
    assert out.check is not None and out.check.passed, out.check
    text = " ".join(pages_text(out.content))
    assert text.startswith("王小明")  # U+5C0F, not the look-alike radical U+2F29
    for written in (
        "字节跳动",
        "株式会社メルカリ",
        "検索の応答時間を半分に短縮",
        "한국어",
        "清华大学",
    ):
        assert written in squash(text).replace(" ", "") or written in text
    assert not any(0x2E80 <= ord(ch) <= 0x2FDF for ch in text)


async def test_pdf_metadata_names_title_author_and_jobwise(renderer: Renderer) -> None:
    out = await renderer.render(
        RenderRequest(markdown=fixture("ada_resume"), format=ExportFormat.PDF, template="technical")
    )
    metadata = PdfReader(io.BytesIO(out.content)).metadata
    assert metadata is not None
    assert metadata.title == "Ada Lovelace – Resume"
    assert metadata.author == "Ada Lovelace"
    assert metadata.producer == "JobWise" and metadata.creator == "JobWise"
    assert metadata.subject == "Resume"


async def test_a_missing_skill_and_an_overlong_document_are_findings(renderer: Renderer) -> None:
    out = await renderer.render(
        RenderRequest(
            markdown=fixture("long_resume"),
            format=ExportFormat.PDF,
            template="classic",
            expected_keywords=("Python", "COBOL"),
        )
    )
    assert out.check is not None and not out.check.passed
    missing = [f for f in out.check.findings if f.code == "keyword_missing"]
    assert [f.details["keyword"] for f in missing] == ["COBOL"]
