"""The ``DocumentRenderer`` adapter: one request in, one file out, in any of five formats.

PDF: the template's HTML printed by the ``PdfPrinter`` (fitted to ``max_pages``),
then metadata set and the text layer repaired (``pdf_finish``), then read back and
judged (``checks``), finishing and checking in one trip to a worker process (the PDF
crosses the process boundary once each way). The findings come back as data in
``RenderedDocument.check``; the caller records them with the document, so the check
runs before the answer: it takes milliseconds (PDFium), and deferring it would leave
a document without its verdict. Every CPU-bound step (reading the Markdown, the
template, the text, python-docx, pypdf, PDFium) runs off the event loop through the
process's ``OffLoop``: a few at a time, each within its time budget.
"""

from __future__ import annotations

import time

from pydantic import BaseModel, ConfigDict

from jobwise.adapters.offloop import OffLoop
from jobwise.adapters.rendering.checks import ExpectedText, check_pdf
from jobwise.adapters.rendering.document import ResumeDocument
from jobwise.adapters.rendering.errors import RenderingError
from jobwise.adapters.rendering.formats import DocumentType, ExportFormat
from jobwise.adapters.rendering.html import document_title, render_html
from jobwise.adapters.rendering.models import ParseCheck, RenderedDocument, RenderRequest
from jobwise.adapters.rendering.pdf import print_fitted
from jobwise.adapters.rendering.pdf_finish import finish_pdf
from jobwise.adapters.rendering.ports import PdfPrinter
from jobwise.adapters.rendering.reading import read_markdown
from jobwise.adapters.rendering.templates import check_page_size, get_template_info
from jobwise.adapters.rendering.text import render_text
from jobwise.adapters.rendering.word import DocxMetadata, render_docx
from jobwise.metrics import PDF_RENDER_SECONDS

_SUBJECTS = {DocumentType.RESUME: "Resume", DocumentType.COVER_LETTER: "Cover letter"}


class Renderer:
    """Renders every format; PDF needs a printer (``ChromiumPdfPrinter``). Pass the
    runtime's ``offloop`` (else the renderer has one of its own)."""

    def __init__(
        self, pdf_printer: PdfPrinter | None = None, *, offloop: OffLoop | None = None
    ) -> None:
        self.pdf_printer = pdf_printer
        self.offloop = offloop or OffLoop()

    async def render(self, request: RenderRequest) -> RenderedDocument:
        check_page_size(get_template_info(request.template), request.page_size)
        key = request.cache_key()
        if request.format is ExportFormat.PDF:
            started = time.perf_counter()
            document, first_page = await self.offloop.run(read_for_pdf, request)
            rendered = await self._pdf(request, document, first_page, key)
            # Rendered PDFs only: a refusal (no printer, a page size the template lacks)
            # takes no time worth a bucket.
            PDF_RENDER_SECONDS.observe(time.perf_counter() - started)
            return rendered
        content = await self.offloop.run(render_other, request)
        return RenderedDocument(format=request.format, content=content, cache_key=key)

    async def _pdf(
        self, request: RenderRequest, document: ResumeDocument, first_page: str, key: str
    ) -> RenderedDocument:
        if self.pdf_printer is None:
            raise RenderingError("PDF needs a browser: this renderer has no PDF printer")

        async def html_at(level: int) -> str:
            if level == 0:
                return first_page
            return await self.offloop.run(page_html, request, document, level)

        printed, fit = await print_fitted(
            self.pdf_printer, html_at, request.page_size, request.max_pages
        )
        finished, check = await self.offloop.run(
            finish_and_check,
            printed.content,
            metadata=PdfMetadata(
                title=_title(request, document),
                author=_author(request, document),
                subject=_SUBJECTS[request.document_type],
                source_text=request.markdown,
            ),
            expected=ExpectedText(
                name=document.name,
                headings=tuple(document.section_titles),
                keywords=request.expected_keywords,
                max_pages=request.max_pages,
            ),
            blocked_requests=printed.blocked_requests,
        )
        return RenderedDocument(
            format=ExportFormat.PDF,
            content=finished,
            cache_key=key,
            page_count=printed.page_count,
            fit=fit,
            check=check,
        )


class PdfMetadata(BaseModel):
    """What ``finish_pdf`` writes into the PDF besides what Chromium printed."""

    model_config = ConfigDict(frozen=True)

    title: str
    author: str
    subject: str
    source_text: str
    """The Markdown: radical look-alikes it really contains stay in the text layer."""


def finish_and_check(
    pdf: bytes,
    *,
    metadata: PdfMetadata,
    expected: ExpectedText,
    blocked_requests: tuple[str, ...],
) -> tuple[bytes, ParseCheck]:
    """The finished PDF and its parse check (in a worker process: one trip for both)."""
    finished = finish_pdf(pdf, **metadata.model_dump())
    return finished, check_pdf(finished, expected, blocked_requests=blocked_requests)


def _title(request: RenderRequest, document: ResumeDocument) -> str:
    return request.title or document_title(document, request.document_type)


def _author(request: RenderRequest, document: ResumeDocument) -> str:
    return request.author or document.name


def read_for_pdf(request: RenderRequest) -> tuple[ResumeDocument, str]:
    """The document and its page at the template's own spacing (in a worker process:
    one trip for both, the page being what is printed first)."""
    document = read_markdown(request.markdown)
    return document, page_html(request, document, 0)


def render_other(request: RenderRequest) -> bytes:
    """Any format but PDF, from the Markdown (in a worker process: seconds of CPU)."""
    if request.format is ExportFormat.MD:
        return request.markdown.rstrip("\n").encode() + b"\n"
    document = read_markdown(request.markdown)
    if request.format is ExportFormat.TXT:
        return render_text(document).encode()
    if request.format is ExportFormat.HTML:
        return page_html(request, document, 0).encode()
    return render_docx(
        document,
        template=request.template,
        page_size=request.page_size,
        metadata=DocxMetadata(
            title=_title(request, document),
            author=_author(request, document),
            subject=_SUBJECTS[request.document_type],
            keywords=", ".join(request.expected_keywords),
        ),
    )


def page_html(request: RenderRequest, document: ResumeDocument, fit: int) -> str:
    """The template's page for ``document`` at fitting rung ``fit``."""
    return render_html(
        document,
        template=request.template,
        page_size=request.page_size,
        fit=fit,
        title=_title(request, document),
        document_type=request.document_type,
    )
