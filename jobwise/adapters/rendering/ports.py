"""The ports of the rendering package: what the Documents API and the worker depend on.

Adapters: ``ChromiumPdfPrinter`` (a ``PdfPrinter`` on the warm browser) and
``Renderer`` (a ``DocumentRenderer`` for all five formats). Tests and other callers
may substitute their own.
"""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, ConfigDict

from jobwise.adapters.rendering.formats import PageSize
from jobwise.adapters.rendering.models import RenderedDocument, RenderRequest


class PrintedPdf(BaseModel):
    """One HTML page printed by a browser, before metadata and checks."""

    model_config = ConfigDict(frozen=True)

    content: bytes
    page_count: int
    blocked_requests: tuple[str, ...] = ()
    """Network requests the page attempted; all were refused."""


class PdfPrinter(Protocol):
    async def print_pdf(self, html: str, page_size: PageSize) -> PrintedPdf:
        """Print one standalone HTML page; the page must not reach the network."""
        ...


class DocumentRenderer(Protocol):
    async def render(self, request: RenderRequest) -> RenderedDocument:
        """The file for ``request``; a PDF carries its fit report and parse check."""
        ...
