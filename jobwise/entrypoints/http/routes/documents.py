"""``/api/v1/documents``: the generated documents, their versions, exports and previews.

Every file is rendered through the process's ``DocumentExporter`` under the document's
own scope (``storage.scoped_key``): an unchanged version in a format and template is
rendered once and then served from the file store; an edit is a new version, so new
files; ``DELETE`` deletes every file of the document. No path ever comes from a request:
storage keys are made from the document's id and a hash of what is rendered.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from jobwise.adapters.rendering import (
    DEFAULT_TEMPLATE,
    DocumentType,
    ExportFormat,
    PageSize,
    RenderRequest,
    download_name,
    export_formats,
    format_info,
    markdown_to_html,
)
from jobwise.adapters.rendering.exporter import StoredExport
from jobwise.adapters.rendering.paper import document_page_size
from jobwise.adapters.storage import StoredFileNotFoundError
from jobwise.application.commands.documents import DeleteDocument, EditDocument
from jobwise.application.queries.documents import (
    DocumentFilter,
    get_document,
    get_document_version,
    list_documents,
)
from jobwise.domain.errors import NotFoundError
from jobwise.entrypoints.http.api import Api
from jobwise.entrypoints.http.auth import current_user
from jobwise.entrypoints.http.keys import RUNTIME
from jobwise.entrypoints.http.middleware import request_id_for
from jobwise.entrypoints.http.preconditions import expected_version, if_match
from jobwise.entrypoints.http.routes.document_shapes import (
    DocumentList,
    DocumentQuery,
    DocumentSummary,
    DocumentView,
    DownloadQuery,
    EditDocumentRequest,
    ExportFormatList,
    ExportRequest,
    ExportView,
    PreviewRequest,
    VersionQuery,
)

PREFIX = "/api/v1/documents"
TAGS = ["documents"]
PREVIEW_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"
"""A preview is a page of user text served from the API's origin: it may style itself,
never run or fetch anything."""

Document = dict[str, Any]


def add_document_routes(api: Api) -> None:
    # The fixed paths first: "/export-formats" is no document id.
    @api.route(
        "GET",
        f"{PREFIX}/export-formats",
        response=ExportFormatList,
        auth=True,
        tags=TAGS,
        summary="The formats a document exports to, with their media types",
    )
    async def document_export_formats(request: web.Request) -> ExportFormatList:
        formats = export_formats()
        return ExportFormatList(items=formats, total=len(formats))

    @api.route(
        "POST",
        f"{PREFIX}/preview",
        body=PreviewRequest,
        auth=True,
        tags=TAGS,
        errors=[404, 422, 503],
        media_type="text/html",
        summary="A document of mine, or Markdown as given, in a template: one HTML page",
    )
    async def preview_document(request: web.Request, body: PreviewRequest) -> web.Response:
        if body.document_id is not None:
            document = await _mine(request, body.document_id)
            content = await _content(request, document, body.version)
            markdown = content["content_markdown"]
            template = body.template or document["template"]
            kind = DocumentType(document["document_type"])
            page_size = body.page_size or document_page_size(document)
        else:
            markdown = body.content_markdown or ""
            template = body.template or DEFAULT_TEMPLATE
            kind = DocumentType(body.document_type)
            page_size = body.page_size or PageSize.LETTER
        # Seconds of CPU for the largest Markdown: off the event loop, within a budget.
        html = await request.app[RUNTIME].offloop.run(
            markdown_to_html, markdown, template=template, page_size=page_size, document_type=kind
        )
        return web.Response(
            text=html,
            content_type="text/html",
            headers={"Content-Security-Policy": PREVIEW_POLICY},
        )

    @api.route(
        "GET",
        PREFIX,
        query=DocumentQuery,
        response=DocumentList,
        auth=True,
        tags=TAGS,
        errors=[422],
        summary="My documents, newest first (without their content)",
    )
    async def list_my_documents(request: web.Request, query: DocumentQuery) -> DocumentList:
        found, total = await list_documents(
            request.app[RUNTIME].database,
            current_user(request).user_id,
            DocumentFilter(query.job_id, query.profile_id, query.document_type),
            query.limit,
            query.offset,
        )
        return DocumentList(
            items=[DocumentSummary.model_validate(d) for d in found],
            total=total,
            limit=query.limit,
            offset=query.offset,
        )

    @api.route(
        "GET",
        f"{PREFIX}/{{document_id}}",
        query=VersionQuery,
        response=DocumentView,
        auth=True,
        tags=TAGS,
        errors=[404, 422],
        summary="One document of mine, its current version or an earlier one (?version=N)",
    )
    async def read_document(request: web.Request, query: VersionQuery) -> DocumentView:
        document = await _mine(request, request.match_info["document_id"])
        return await _view(request, document, query.version)

    @api.route(
        "PUT",
        f"{PREFIX}/{{document_id}}",
        body=EditDocumentRequest,
        response=DocumentView,
        auth=True,
        tags=TAGS,
        errors=[404, 409, 422, 503],
        summary="Edit the Markdown and/or the title: a new version_number (earlier ones stay)",
    )
    async def edit_document(request: web.Request, body: EditDocumentRequest) -> DocumentView:
        document_id = request.match_info["document_id"]
        await request.app[RUNTIME].bus.handle(
            EditDocument(
                user_id=current_user(request).user_id,
                document_id=document_id,
                title=body.title,
                content_markdown=body.content_markdown,
                expected_version=expected_version(request, body.expected_version),
                request_id=request_id_for(request),
            )
        )
        return await _view(request, await _mine(request, document_id), None)

    @api.route(
        "DELETE",
        f"{PREFIX}/{{document_id}}",
        status=204,
        auth=True,
        tags=TAGS,
        errors=[404, 409],
        summary="Delete a document of mine, every version and every stored file of it",
    )
    async def delete_document(request: web.Request) -> None:
        await request.app[RUNTIME].bus.handle(
            DeleteDocument(
                current_user(request).user_id,
                request.match_info["document_id"],
                if_match(request),
                request_id_for(request),
            )
        )

    @api.route(
        "POST",
        f"{PREFIX}/{{document_id}}/export",
        body=ExportRequest,
        response=ExportView,
        auth=True,
        tags=TAGS,
        errors=[404, 422, 503],
        summary="Render a version of a document of mine to a format (once; then it is kept)",
    )
    async def export_document(request: web.Request, body: ExportRequest) -> ExportView:
        document = await _mine(request, request.match_info["document_id"])
        content = await _content(request, document, body.version)
        template = body.template or document["template"]
        page_size = body.page_size or document_page_size(document)
        stored = await _export(request, document, content, body.format, template, page_size)
        number = content["version_number"]
        query = {"format": body.format.value, "template": template, "version": number}
        if body.page_size is not None:  # else the download finds the document's own
            query["page_size"] = page_size.value
        return ExportView(
            format=body.format,
            media_type=stored.media_type,
            download_url=f"{PREFIX}/{document['id']}/download?{urlencode(query)}",
            size_bytes=stored.size_bytes,
            page_count=stored.page_count,
            template=template,
            page_size=page_size,
            version_number=number,
            cached=stored.cached,
        )

    @api.route(
        "GET",
        f"{PREFIX}/{{document_id}}/download",
        query=DownloadQuery,
        auth=True,
        tags=TAGS,
        errors=[404, 422, 503],
        media_type="application/octet-stream",
        summary="Download a version of a document of mine as a file (pdf, docx, html, md, txt)",
    )
    async def download_document(request: web.Request, query: DownloadQuery) -> web.Response:
        document = await _mine(request, request.match_info["document_id"])
        content = await _content(request, document, query.version)
        template = query.template or document["template"]
        page_size = query.page_size or document_page_size(document)
        stored = await _export(request, document, content, query.format, template, page_size)
        try:
            data = await request.app[RUNTIME].documents.files.get(stored.key)
        except StoredFileNotFoundError:  # deleted with its document in the meantime
            raise _not_found(document["id"]) from None
        name = download_name(
            document["candidate_name"],
            document.get("company"),
            DocumentType(document["document_type"]),
            query.format,
        )
        return web.Response(
            body=data,
            headers={
                "Content-Type": format_info(query.format).media_type,
                "Content-Disposition": name.content_disposition(),
                "X-Content-Type-Options": "nosniff",
            },
        )


async def _mine(request: web.Request, document_id: str) -> Document:
    runtime, user_id = request.app[RUNTIME], current_user(request).user_id
    document = await get_document(runtime.database, user_id, document_id)
    if document is None:
        # A generation's document is written just before the generation ends, and the
        # documents view may trail the generations view (or the live update) a moment:
        # once it has caught up with everything stored, a miss is a miss.
        await runtime.read_your_writes(await runtime.store.head_position())
        document = await get_document(runtime.database, user_id, document_id)
    if document is None:
        raise _not_found(document_id)
    return document


def _not_found(document_id: str) -> NotFoundError:
    return NotFoundError("Document not found.", details={"document_id": document_id})


async def _content(request: web.Request, document: Document, number: int | None) -> Document:
    """The content of version ``number`` (the current one if None)."""
    if number is None or number == document["version_number"]:
        return document
    found = None
    if number < document["version_number"]:
        found = await get_document_version(
            request.app[RUNTIME].database, document["user_id"], document["id"], number
        )
    if found is None:
        raise NotFoundError(
            "The document has no such version.",
            code="version_not_found",
            details={
                "document_id": document["id"],
                "version": number,
                "current_version_number": document["version_number"],
            },
        )
    return found


async def _view(request: web.Request, document: Document, number: int | None) -> DocumentView:
    content = await _content(request, document, number)
    chosen = content["version_number"]
    return DocumentView.model_validate(
        {
            **document,
            "title": content["title"],
            "content_markdown": content["content_markdown"],
            "content_html": content["content_html"],
            "content_text": content["content_text"],
            "version_number": chosen,
            "current_version_number": document["version_number"],
            "versions": list(range(1, document["version_number"] + 1)),
            "pdf_url": f"{PREFIX}/{document['id']}/download?"
            + urlencode({"format": "pdf", "version": chosen}),
        }
    )


async def _export(
    request: web.Request,
    document: Document,
    content: Document,
    fmt: ExportFormat,
    template: str,
    page_size: PageSize,
) -> StoredExport:
    """The stored file of this version in ``fmt``, ``template`` and ``page_size``,
    rendered if need be.

    The request is the generation's own for version 1 in its template and on its paper
    (page limit and parse-check keywords included), so that PDF is found stored, not
    printed again.
    """
    exporter = request.app[RUNTIME].documents.exporter
    return await exporter.export(
        RenderRequest(
            markdown=content["content_markdown"],
            format=fmt,
            template=template,
            page_size=page_size,
            document_type=DocumentType(document["document_type"]),
            max_pages=document.get("max_pages"),
            expected_keywords=tuple(document.get("expected_keywords") or ()),
        ),
        scope=document["id"],
    )
