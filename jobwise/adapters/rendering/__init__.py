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

from jobwise.adapters.rendering.browser import BrowserSettings, BrowserStats, WarmBrowser
from jobwise.adapters.rendering.checks import ExpectedText, check_pdf
from jobwise.adapters.rendering.document import ResumeDocument
from jobwise.adapters.rendering.errors import (
    BrowserError,
    RenderingError,
    UnknownTemplateError,
    UnsupportedPageSizeError,
)
from jobwise.adapters.rendering.filenames import DownloadName, content_disposition, download_name
from jobwise.adapters.rendering.formats import (
    DocumentType,
    ExportFormat,
    FormatInfo,
    PageSize,
    export_formats,
    format_info,
)
from jobwise.adapters.rendering.html import markdown_to_html, render_html
from jobwise.adapters.rendering.models import (
    Finding,
    FitReport,
    ParseCheck,
    RenderedDocument,
    RenderRequest,
)
from jobwise.adapters.rendering.pdf import ChromiumPdfPrinter
from jobwise.adapters.rendering.ports import DocumentRenderer, PdfPrinter, PrintedPdf
from jobwise.adapters.rendering.reading import read_markdown
from jobwise.adapters.rendering.renderer import Renderer
from jobwise.adapters.rendering.templates import DEFAULT_TEMPLATE, TemplateInfo, list_templates
from jobwise.adapters.rendering.text import render_text
from jobwise.adapters.rendering.textlayer import extract_pages
from jobwise.adapters.rendering.version import RENDERER_VERSION

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
