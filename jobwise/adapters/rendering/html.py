"""A document as HTML: the Markdown read into its structure, rendered by a template.

The result is one standalone page: styles in a ``<style>`` element, fonts named from
the machine (never fetched), no script, no image, no external reference. It is the
HTML export, the ``POST /preview`` answer, and what Chromium prints to PDF.
"""

from __future__ import annotations

from markupsafe import Markup

from jobwise.adapters.rendering.document import ResumeDocument
from jobwise.adapters.rendering.formats import DocumentType, PageSize
from jobwise.adapters.rendering.layout import fit_level, page_css
from jobwise.adapters.rendering.reading import read_markdown
from jobwise.adapters.rendering.templates import (
    DEFAULT_TEMPLATE,
    check_page_size,
    environment,
    get_template_info,
)

GENERATOR = "JobWise"


def document_title(document: ResumeDocument, document_type: DocumentType) -> str:
    kind = "Cover Letter" if document_type is DocumentType.COVER_LETTER else "Resume"
    return f"{document.name} \u2013 {kind}" if document.name else kind


def render_html(
    document: ResumeDocument,
    *,
    template: str = DEFAULT_TEMPLATE,
    page_size: PageSize = PageSize.LETTER,
    fit: int = 0,
    title: str | None = None,
    document_type: DocumentType = DocumentType.RESUME,
) -> str:
    """The whole page for ``document`` in ``template`` at fitting rung ``fit``."""
    info = get_template_info(template)
    check_page_size(info, page_size)
    page = environment().get_template(f"{info.name}.html.j2")
    return page.render(
        doc=document,
        template=info.name,
        title=title or document_title(document, document_type),
        author=document.name,
        generator=GENERATOR,
        page_css=Markup(page_css(page_size, info.margins, fit_level(fit))),
        fit=fit_level(fit).level,
    )


def markdown_to_html(
    markdown: str,
    *,
    template: str = DEFAULT_TEMPLATE,
    page_size: PageSize = PageSize.LETTER,
    document_type: DocumentType = DocumentType.RESUME,
) -> str:
    """``POST /preview``: the Markdown rendered into the template, as one HTML page."""
    return render_html(
        read_markdown(markdown),
        template=template,
        page_size=page_size,
        document_type=document_type,
    )
