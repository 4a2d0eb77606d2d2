"""Fitting to max_pages, and entries that never split across a page break."""

from __future__ import annotations

import pytest

from jobwise.adapters.rendering import (
    ExportFormat,
    PageSize,
    Renderer,
    RenderRequest,
    read_markdown,
)
from jobwise.adapters.rendering.document import BulletList, line_text
from tests.integration.rendering.pdf_reading import pages_text, squash
from tests.unit.rendering.fixtures import fixture


async def test_a_three_page_resume_fits_two_pages(renderer: Renderer) -> None:
    request = RenderRequest(markdown=fixture("long_resume"), format=ExportFormat.PDF)
    unfitted = await renderer.render(request)
    assert unfitted.page_count == 3
    fitted = await renderer.render(request.model_copy(update={"max_pages": 2}))
    assert fitted.fit is not None and fitted.fit.fitted and fitted.fit.level > 0
    assert fitted.page_count == 2 and fitted.fit.attempts[0].page_count == 3
    assert fitted.check is not None and fitted.check.passed


async def test_a_document_that_cannot_fit_says_so(renderer: Renderer) -> None:
    out = await renderer.render(
        RenderRequest(markdown=fixture("overlong_resume"), format=ExportFormat.PDF, max_pages=2)
    )
    assert out.fit is not None and not out.fit.fitted
    assert out.fit.level == 3 and len(out.fit.attempts) == 4
    assert out.page_count is not None and out.page_count > 2
    assert out.check is not None and not out.check.passed
    [finding] = [f for f in out.check.findings if f.code == "too_many_pages"]
    assert finding.details == {"page_count": out.page_count, "max_pages": 2}


def _page_of(pages: list[str], text: str, start: int = 0) -> int:
    found = [n for n in range(start, len(pages)) if squash(text) in pages[n]]
    assert found, f"{text!r} is on no page"
    return found[0]


@pytest.mark.parametrize("page_size", [PageSize.LETTER, PageSize.A4])
@pytest.mark.parametrize("template", ["classic", "modern", "compact", "technical"])
async def test_no_entry_is_split_across_pages(
    renderer: Renderer, template: str, page_size: PageSize
) -> None:
    markdown = fixture("long_resume")  # ten entries, each heading unique
    out = await renderer.render(
        RenderRequest(
            markdown=markdown, format=ExportFormat.PDF, template=template, page_size=page_size
        )
    )
    pages = pages_text(out.content)
    assert len(pages) >= 2
    moved = 0
    for entry in read_markdown(markdown).sections[1].entries:
        heading_page = _page_of(pages, entry.title)
        bullets = entry.blocks[-1]
        assert isinstance(bullets, BulletList)
        last = line_text(bullets.items[-1].lines[-1])
        # The last bullet is on the heading's page, after the heading.
        after_heading = pages[heading_page].split(squash(entry.title), 1)[1]
        assert squash(last) in after_heading, (entry.title, heading_page)
        moved += heading_page > 0 and pages[heading_page].find(squash(entry.title)) < 40
    assert moved >= 1  # at least one entry went to the top of a new page whole
