"""A4 and Letter on real renders: the PDF's MediaBox, the DOCX's section, and the length
model (calibrated on Letter) still right on A4, which is taller and a little narrower."""

from __future__ import annotations

import io

import docx
import pytest
from docx.shared import Mm

from jobwise.adapters.rendering import ExportFormat, PageSize, Renderer, RenderRequest
from jobwise.adapters.rendering.paper import page_size_for
from jobwise.domain.writing import GenerationOptions, analyze_job, compile_profile, write_offline
from tests.integration.rendering.pdf_reading import page_sizes
from tests.unit.generation.material import PAIRS, TODAY, posting, profile
from tests.unit.rendering.fixtures import fixture

pytestmark = pytest.mark.slow  # every test here prints PDFs with Chromium

POINTS = {PageSize.A4: (595, 842), PageSize.LETTER: (612, 792)}


@pytest.mark.parametrize(
    ("job", "candidate", "paper"),
    [("Berlin, Germany", "Austin, TX", PageSize.A4), (None, "Toronto, ON", PageSize.LETTER)],
)
async def test_the_chosen_paper_is_the_printed_one(
    renderer: Renderer, job: str | None, candidate: str, paper: PageSize
) -> None:
    chosen = page_size_for(job, candidate)
    request = RenderRequest(
        markdown=fixture("ada_resume"), format=ExportFormat.PDF, page_size=chosen
    )

    printed = await renderer.render(request)
    word = await renderer.render(request.model_copy(update={"format": ExportFormat.DOCX}))

    assert chosen is paper
    assert page_sizes(printed.content) == {POINTS[paper]}
    section = docx.Document(io.BytesIO(word.content)).sections[0]
    width, height = (Mm(210), Mm(297)) if paper is PageSize.A4 else (Mm(215.9), Mm(279.4))
    assert section.page_width is not None and section.page_height is not None
    assert abs(section.page_width - width) < Mm(0.5)
    assert abs(section.page_height - height) < Mm(0.5)


async def test_a_one_page_resume_chosen_for_letter_prints_on_one_a4_page(
    renderer: Renderer,
) -> None:
    """The length model need not know the paper: what it fits on Letter fits A4 at the
    template's own spacing (classic holds the fewest lines, so it is the one to try)."""
    options = GenerationOptions(template="classic", max_pages=1, page_size="a4")
    for resume, job in PAIRS.items():
        analysis = analyze_job(posting(job))
        compiled = compile_profile(profile(resume), analysis, options, today=TODAY)
        markdown = write_offline("resume", compiled, analysis, options).markdown

        printed = await renderer.render(
            RenderRequest(
                markdown=markdown,
                format=ExportFormat.PDF,
                template="classic",
                page_size=PageSize.A4,
                max_pages=1,
            )
        )

        assert printed.fit is not None
        assert (printed.page_count, printed.fit.level) == (1, 0), (resume, printed.fit)
        assert page_sizes(printed.content) == {POINTS[PageSize.A4]}
