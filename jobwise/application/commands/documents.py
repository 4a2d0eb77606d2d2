"""Document commands: edit a document (a new version), delete it with its files."""

from __future__ import annotations

from dataclasses import dataclass

from jobwise.adapters.offloop import OffLoop
from jobwise.adapters.rendering import DocumentType, markdown_to_html
from jobwise.adapters.rendering.exporter import DocumentExporter
from jobwise.application.messagebus import Handler
from jobwise.application.repository import Repository, metadata_for
from jobwise.domain.document import Document
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


HANDLERS: dict[type, Handler] = {
    EditDocument: edit_document,
    DeleteDocument: delete_document,
}
