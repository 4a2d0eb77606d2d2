"""Document commands: edit a document (a new version), delete it with its files, and
render it: an export to a format (stored once, then served), a download of that file,
an HTML preview.

Every rendering reads the document itself (its stream, never a view that may trail it)
and is rendered under the document's own scope (``storage.scoped_key``): an unchanged
version in a format and template is rendered once and then served from the file store.
No path ever comes from a request: storage keys are made from the document's id and a
hash of what is rendered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from jobwise.adapters.offloop import OffLoop
from jobwise.adapters.rendering import (
    DEFAULT_TEMPLATE,
    DocumentType,
    DownloadName,
    ExportFormat,
    PageSize,
    RenderRequest,
    download_name,
    markdown_to_html,
)
from jobwise.adapters.rendering.exporter import DocumentExporter, StoredExport
from jobwise.adapters.rendering.paper import page_size_named
from jobwise.adapters.storage import StoredFileNotFoundError
from jobwise.application.messagebus import Handler
from jobwise.application.repository import Repository, metadata_for
from jobwise.domain.document import Document
from jobwise.domain.errors import not_found
from jobwise.domain.writing import DocumentKind
from jobwise.domain.writing.markdown import markdown_to_text


@dataclass(frozen=True)
class EditDocument:
    user_id: str
    document_id: str
    title: str | None = None
    content_markdown: str | None = None
    expected_version: int | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class DeleteDocument:
    user_id: str
    document_id: str
    expected_version: int | None = None
    request_id: str | None = None


async def edit_document(command: EditDocument, repository: Repository, offloop: OffLoop) -> int:
    """The document's ``version_number`` after the edit (unchanged if nothing changed).

    Rendering 200,000 characters of Markdown takes seconds: it runs off the event loop
    (``offloop``), within its budget, while the stream waits for it.
    """

    async def change(document: Document) -> int:
        document.check(command.user_id, command.expected_version)
        markdown = command.content_markdown
        source = document.content_markdown if markdown is None else markdown
        html, text = await offloop.run(derived, source, document.template, document.document_type)
        document.edit(
            title=command.title, content_markdown=markdown, content_html=html, content_text=text
        )
        return document.version_number

    return await repository.change_awaiting(
        Document,
        command.document_id,
        change,
        metadata_for(command.user_id, command.request_id),
        expected_version=command.expected_version,
    )


def derived(markdown: str, template: str, document_type: str) -> tuple[str, str]:
    """A version's HTML and text, derived exactly as the generation derived version 1's."""
    html = markdown_to_html(markdown, template=template, document_type=DocumentType(document_type))
    return html, markdown_to_text(markdown)


async def delete_document(
    command: DeleteDocument, repository: Repository, document_exporter: DocumentExporter
) -> int:
    """Delete the document, then every file stored for it; how many files there were.

    The event first: once it is stored, nothing serves the document, and a failure
    while deleting files leaves unreachable files, never a document without them.
    """

    def change(document: Document) -> None:
        document.check(command.user_id, command.expected_version)
        document.delete()

    await repository.change(
        Document,
        command.document_id,
        change,
        metadata_for(command.user_id, command.request_id),
        expected_version=command.expected_version,
    )
    return await document_exporter.delete_scope(command.document_id)


# -- renderings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportDocument:
    """Render a version of a document to a format; None: the document's own (its current
    version, its template, the paper it was generated on)."""

    user_id: str
    document_id: str
    format: ExportFormat
    template: str | None = None
    page_size: PageSize | None = None
    version: int | None = None


@dataclass(frozen=True)
class DownloadDocument(ExportDocument):
    """An export, and the stored file's bytes."""


@dataclass(frozen=True)
class PreviewDocument:
    """One HTML page: a version of a document of the user's (``document_id``), or
    ``content_markdown`` as given, titled as ``document_type``."""

    user_id: str
    document_id: str | None = None
    content_markdown: str | None = None
    template: str | None = None
    page_size: PageSize | None = None
    version: int | None = None
    document_type: DocumentKind = "resume"


@dataclass(frozen=True)
class DocumentExport:
    """What an export did: the stored file, and what was rendered."""

    document_id: str
    stored: StoredExport
    template: str
    page_size: PageSize
    version_number: int
    name: DownloadName
    """The file's name for a download (candidate, company, kind, extension)."""


@dataclass(frozen=True)
class DocumentFile:
    export: DocumentExport
    content: bytes


def render_request(
    markdown: str,
    fmt: ExportFormat,
    *,
    template: str,
    page_size: PageSize,
    document_type: DocumentKind,
    max_pages: int | None,
    expected_keywords: Iterable[str],
) -> RenderRequest:
    """The one way a document's rendering is asked for: the generation's PDF and every
    later export alike. The request is the rendering's cache key, so an export of the
    unchanged document in its own template and paper finds the generation's PDF stored
    (page limit and parse-check keywords included) instead of printing it again."""
    return RenderRequest(
        markdown=markdown,
        format=fmt,
        template=template,
        page_size=page_size,
        document_type=DocumentType(document_type),
        max_pages=max_pages,
        expected_keywords=tuple(expected_keywords),
    )


async def export_document(
    command: ExportDocument, repository: Repository, document_exporter: DocumentExporter
) -> DocumentExport:
    """The stored file of the version in the format, template and paper asked for,
    rendered if need be."""
    document = await _mine(repository, command.user_id, command.document_id)
    number, markdown = document.markdown_of(command.version)
    template = command.template or document.template
    page_size = command.page_size or page_size_named(document.page_size)
    request = render_request(
        markdown,
        command.format,
        template=template,
        page_size=page_size,
        document_type=document.document_type,
        max_pages=document.max_pages,
        expected_keywords=document.expected_keywords,
    )
    stored = await document_exporter.export(request, scope=document.id)
    kind = DocumentType(document.document_type)
    name = download_name(document.candidate_name, document.company, kind, command.format)
    return DocumentExport(document.id, stored, template, page_size, number, name)


async def download_document(
    command: DownloadDocument, repository: Repository, document_exporter: DocumentExporter
) -> DocumentFile:
    exported = await export_document(command, repository, document_exporter)
    try:
        content = await document_exporter.store.get(exported.stored.key)
    except StoredFileNotFoundError:  # deleted with its document in the meantime
        raise not_found("Document", "document_id", command.document_id) from None
    return DocumentFile(exported, content)


async def preview_document(
    command: PreviewDocument, repository: Repository, offloop: OffLoop
) -> str:
    """The page's HTML. Seconds of CPU for the largest Markdown: off the event loop,
    within its budget (``offloop``)."""
    markdown, template, page_size = command.content_markdown or "", command.template, None
    kind = command.document_type
    if command.document_id is not None:
        document = await _mine(repository, command.user_id, command.document_id)
        _, markdown = document.markdown_of(command.version)
        template = template or document.template
        page_size = page_size_named(document.page_size)
        kind = document.document_type
    return await offloop.run(
        markdown_to_html,
        markdown,
        template=template or DEFAULT_TEMPLATE,
        page_size=command.page_size or page_size or PageSize.LETTER,
        document_type=DocumentType(kind),
    )


async def _mine(repository: Repository, user_id: str, document_id: str) -> Document:
    """The user's document, as its stream has it; refused (not found) otherwise."""
    document = await repository.load(Document, document_id)
    document.check(user_id)
    return document


HANDLERS: dict[type, Handler] = {
    EditDocument: edit_document,
    DeleteDocument: delete_document,
    ExportDocument: export_document,
    DownloadDocument: download_document,
    PreviewDocument: preview_document,
}
