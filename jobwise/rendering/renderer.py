"""The ``DocumentRenderer`` adapter: one request in, one file out, in any of five formats.

PDF: the template's HTML printed by the ``PdfPrinter`` (fitted to ``max_pages``),
then metadata set and the text layer repaired (``pdf_finish``), then read back and
judged (``checks``). The findings come back as data in ``RenderedDocument.check``;
the caller records them. The CPU-bound steps (pypdf, python-docx) run in threads.
"""

from __future__ import annotations

import asyncio
import functools

from jobwise.rendering.checks import ExpectedText, check_pdf
from jobwise.rendering.document import ResumeDocument
from jobwise.rendering.errors import RenderingError
from jobwise.rendering.formats import DocumentType, ExportFormat
from jobwise.rendering.html import document_title, render_html
from jobwise.rendering.models import RenderedDocument, RenderRequest
from jobwise.rendering.pdf import print_fitted
from jobwise.rendering.pdf_finish import finish_pdf
from jobwise.rendering.ports import PdfPrinter
from jobwise.rendering.reading import read_markdown
from jobwise.rendering.templates import check_page_size, get_template_info
from jobwise.rendering.text import render_text
from jobwise.rendering.word import DocxMetadata, render_docx

_SUBJECTS = {DocumentType.RESUME: "Resume", DocumentType.COVER_LETTER: "Cover letter"}


class Renderer:
    """Renders every format; PDF needs a printer (``ChromiumPdfPrinter``)."""

    def __init__(self, pdf_printer: PdfPrinter | None = None) -> None:
        self.pdf_printer = pdf_printer

    async def render(self, request: RenderRequest) -> RenderedDocument:
        check_page_size(get_template_info(request.template), request.page_size)
        document = read_markdown(request.markdown)
        key = request.cache_key()
        if request.format is ExportFormat.PDF:
            return await self._pdf(request, document, key)
        content = await self._other(request, document)
        return RenderedDocument(format=request.format, content=content, cache_key=key)

    async def _other(self, request: RenderRequest, document: ResumeDocument) -> bytes:
        if request.format is ExportFormat.MD:
            return request.markdown.rstrip("\n").encode() + b"\n"
        if request.format is ExportFormat.TXT:
            return render_text(document).encode()
        if request.format is ExportFormat.HTML:
            return self._html(request, document, 0).encode()
        docx = functools.partial(
            render_docx,
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
        return await asyncio.to_thread(docx)

    def _html(self, request: RenderRequest, document: ResumeDocument, fit: int) -> str:
        return render_html(
            document,
            template=request.template,
            page_size=request.page_size,
            fit=fit,
            title=_title(request, document),
            document_type=request.document_type,
        )

    async def _pdf(
        self, request: RenderRequest, document: ResumeDocument, key: str
    ) -> RenderedDocument:
        if self.pdf_printer is None:
            raise RenderingError("PDF needs a browser: this renderer has no PDF printer")
        printed, fit = await print_fitted(
            self.pdf_printer,
            lambda level: self._html(request, document, level),
            request.page_size,
            request.max_pages,
        )
        finished = await asyncio.to_thread(
            finish_pdf,
            printed.content,
            title=_title(request, document),
            author=_author(request, document),
            subject=_SUBJECTS[request.document_type],
            source_text=request.markdown,
        )
        expected = ExpectedText(
            name=document.name,
            headings=tuple(document.section_titles),
            keywords=request.expected_keywords,
            max_pages=request.max_pages,
        )
        check = await asyncio.to_thread(
            check_pdf, finished, expected, blocked_requests=printed.blocked_requests
        )
        return RenderedDocument(
            format=ExportFormat.PDF,
            content=finished,
            cache_key=key,
            page_count=printed.page_count,
            fit=fit,
            check=check,
        )


def _title(request: RenderRequest, document: ResumeDocument) -> str:
    return request.title or document_title(document, request.document_type)


def _author(request: RenderRequest, document: ResumeDocument) -> str:
    return request.author or document.name
