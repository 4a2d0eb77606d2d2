"""Rendering: a document's Markdown into PDF, DOCX, HTML, Markdown and plain text.

Entry points:

* ``Renderer(ChromiumPdfPrinter(WarmBrowser())).render(RenderRequest(...))`` gives a
  ``RenderedDocument`` (bytes, page count, fit report, parse check);
* ``markdown_to_html(markdown, template=...)`` is the ``POST /preview`` page;
* ``list_templates()`` and ``export_formats()`` are the catalogues;
* ``download_name(...)`` builds the ``Content-Disposition`` file name;
* ``DocumentExporter`` renders through a ``FileStore`` and skips unchanged documents;
* ``ThumbnailService`` renders a template's preview PNG once and keeps it.
"""

from jobwise.rendering.browser import BrowserSettings, BrowserStats, WarmBrowser
from jobwise.rendering.checks import ExpectedText, check_pdf, extract_pages
from jobwise.rendering.document import ResumeDocument
from jobwise.rendering.errors import (
    BrowserError,
    RenderingError,
    UnknownTemplateError,
    UnsupportedPageSizeError,
)
from jobwise.rendering.filenames import DownloadName, content_disposition, download_name
from jobwise.rendering.formats import (
    DocumentType,
    ExportFormat,
    FormatInfo,
    PageSize,
    export_formats,
    format_info,
)
from jobwise.rendering.html import markdown_to_html, render_html
from jobwise.rendering.models import (
    Finding,
    FitReport,
    ParseCheck,
    RenderedDocument,
    RenderRequest,
)
from jobwise.rendering.pdf import ChromiumPdfPrinter
from jobwise.rendering.ports import DocumentRenderer, PdfPrinter, PrintedPdf
from jobwise.rendering.reading import read_markdown
from jobwise.rendering.renderer import Renderer
from jobwise.rendering.templates import DEFAULT_TEMPLATE, TemplateInfo, list_templates
from jobwise.rendering.text import render_text
from jobwise.rendering.version import RENDERER_VERSION

__all__ = [
    "DEFAULT_TEMPLATE",
    "RENDERER_VERSION",
    "BrowserError",
    "BrowserSettings",
    "BrowserStats",
    "ChromiumPdfPrinter",
    "DocumentRenderer",
    "DocumentType",
    "DownloadName",
    "ExpectedText",
    "ExportFormat",
    "Finding",
    "FitReport",
    "FormatInfo",
    "PageSize",
    "ParseCheck",
    "PdfPrinter",
    "PrintedPdf",
    "RenderRequest",
    "RenderedDocument",
    "Renderer",
    "RenderingError",
    "ResumeDocument",
    "TemplateInfo",
    "UnknownTemplateError",
    "UnsupportedPageSizeError",
    "WarmBrowser",
    "check_pdf",
    "content_disposition",
    "download_name",
    "export_formats",
    "extract_pages",
    "format_info",
    "list_templates",
    "markdown_to_html",
    "read_markdown",
    "render_html",
    "render_text",
]
