"""PDF: print the template's HTML with the warm browser, fit it, finish it, check it."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable

from pypdf import PdfReader

from jobwise.adapters.rendering.browser import PageSession, WarmBrowser
from jobwise.adapters.rendering.formats import PageSize
from jobwise.adapters.rendering.layout import FIT_LADDER, PAGES
from jobwise.adapters.rendering.models import FitAttempt, FitReport
from jobwise.adapters.rendering.ports import PdfPrinter, PrintedPdf

_FONTS_READY = "document.fonts.ready.then(() => document.fonts.status)"


class ChromiumPdfPrinter:
    """A ``PdfPrinter`` on the process's ``WarmBrowser``."""

    def __init__(self, browser: WarmBrowser) -> None:
        self.browser = browser

    async def print_pdf(self, html: str, page_size: PageSize) -> PrintedPdf:
        async def job(session: PageSession) -> tuple[bytes, tuple[str, ...]]:
            await session.page.set_content(html, wait_until="load")
            # Local fonts load asynchronously too: print only once every face is ready,
            # or the first document after a launch can come out in a fallback font.
            await session.page.evaluate(_FONTS_READY)
            pdf = await session.page.pdf(
                width=f"{PAGES[page_size].width_in}in",
                height=f"{PAGES[page_size].height_in}in",
                prefer_css_page_size=True,
                print_background=True,
                display_header_footer=False,
                tagged=True,
                outline=True,
            )
            return pdf, tuple(session.blocked_requests)

        content, blocked = await self.browser.run(job)
        pages = await asyncio.to_thread(count_pages, content)
        return PrintedPdf(content=content, page_count=pages, blocked_requests=blocked)


def count_pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


async def print_fitted(
    printer: PdfPrinter,
    html_at: Callable[[int], Awaitable[str]],
    page_size: PageSize,
    max_pages: int | None,
) -> tuple[PrintedPdf, FitReport]:
    """Print at the template's own spacing; if that runs past ``max_pages``, climb the
    fitting ladder (tighter gaps, then smaller type and margins) until it fits or the
    last rung is reached. The report says which rung was used and whether it fitted."""
    attempts: list[FitAttempt] = []
    printed: PrintedPdf | None = None
    for rung in FIT_LADDER:
        printed = await printer.print_pdf(await html_at(rung.level), page_size)
        attempts.append(FitAttempt(level=rung.level, page_count=printed.page_count))
        if max_pages is None or printed.page_count <= max_pages:
            break
    assert printed is not None  # the ladder has at least one rung
    report = FitReport(
        max_pages=max_pages,
        page_count=printed.page_count,
        level=attempts[-1].level,
        fitted=max_pages is None or printed.page_count <= max_pages,
        attempts=tuple(attempts),
    )
    return printed, report
