"""Document commands: edit a document (a new version), delete it with its files."""

from __future__ import annotations

from dataclasses import dataclass

from jobwise.domain.document import Document
from jobwise.generation.markdown import markdown_to_text
from jobwise.messagebus import Handler
from jobwise.rendering import DocumentType, markdown_to_html
from jobwise.rendering.exporter import DocumentExporter
from jobwise.repository import Repository, metadata_for


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


async def edit_document(command: EditDocument, repository: Repository) -> int:
    """The document's ``version_number`` after the edit (unchanged if nothing changed)."""

    def change(document: Document) -> int:
        document.check(command.user_id, command.expected_version)
        markdown = command.content_markdown
        # The HTML and text are derived exactly as the generation derived version 1's.
        source = document.content_markdown if markdown is None else markdown
        html = markdown_to_html(
            source, template=document.template, document_type=DocumentType(document.document_type)
        )
        document.edit(
            title=command.title,
            content_markdown=markdown,
            content_html=html,
            content_text=markdown_to_text(source),
        )
        return document.version_number

    return await repository.change(
        Document,
        command.document_id,
        change,
        metadata_for(command.user_id, command.request_id),
        expected_version=command.expected_version,
    )


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
