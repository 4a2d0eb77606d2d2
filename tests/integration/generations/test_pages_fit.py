"""The length model against the real templates: a one-page resume chosen for a template
prints on one page at that template's own spacing, in one pass (no fitting rung tried)."""

from __future__ import annotations

import pytest

from jobwise.adapters.rendering import (
    ChromiumPdfPrinter,
    ExportFormat,
    Renderer,
    RenderRequest,
    WarmBrowser,
    list_templates,
)
from jobwise.domain.writing import GenerationOptions, analyze_job, compile_profile, write_offline
from tests.unit.generation.material import PAIRS, TODAY, posting, profile

pytestmark = pytest.mark.slow  # every test here prints PDFs with Chromium


@pytest.mark.parametrize("template", [t.name for t in list_templates()])
async def test_a_one_page_resume_prints_on_one_page_as_the_template_was_designed(
    warm_browser: WarmBrowser, template: str
) -> None:
    renderer = Renderer(ChromiumPdfPrinter(warm_browser))
    options = GenerationOptions(template=template, max_pages=1)
    for resume, job in PAIRS.items():
        analysis = analyze_job(posting(job))
        compiled = compile_profile(profile(resume), analysis, options, today=TODAY)
        markdown = write_offline("resume", compiled, analysis, options).markdown

        printed = await renderer.render(
            RenderRequest(
                markdown=markdown, format=ExportFormat.PDF, template=template, max_pages=1
            )
        )

        assert printed.fit is not None
        assert (printed.page_count, printed.fit.level) == (1, 0), (resume, printed.fit)
