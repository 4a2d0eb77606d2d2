"""``/api/v1/documents``: the generated documents, their versions, exports and previews.

Reads are queries on the documents view; edits, deletes and every rendering (export,
download, preview) are commands: the handlers in ``jobwise.application.commands.documents``
render through the file store, exactly as the generation did.
"""

from __future__ import annotations

from aiohttp import web

from jobwise.adapters.rendering import export_formats, format_info
from jobwise.application.commands.documents import (
    DeleteDocument,
    DocumentFile,
    DownloadDocument,
    EditDocument,
    ExportDocument,
    PreviewDocument,
)
from jobwise.application.queries.documents import (
    Document,
    DocumentFilter,
    document_at,
    document_of,
    list_documents,
)
from jobwise.domain.errors import not_found
from jobwise.entrypoints.http.api import Routes
from jobwise.entrypoints.http.auth import current_user
from jobwise.entrypoints.http.keys import BUS, READ_MODELS
from jobwise.entrypoints.http.middleware import request_id_for
from jobwise.entrypoints.http.preconditions import expected_version, if_match
from jobwise.entrypoints.http.routes.document_shapes import (
    PREFIX,
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
    document_view,
    export_view,
)

TAGS = ["documents"]
PREVIEW_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"
"""A preview is a page of user text served from the API's origin: it may style itself,
never run or fetch anything."""

routes = Routes()

# The fixed paths first: "/export-formats" is no document id.


@routes.route(
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


@routes.route(
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
    html = await request.app[BUS].handle(
        PreviewDocument(
            current_user(request).user_id,
            body.document_id,
            body.content_markdown,
            body.template,
            body.page_size,
            body.version,
            body.document_type,
        )
    )
    return web.Response(
        text=html, content_type="text/html", headers={"Content-Security-Policy": PREVIEW_POLICY}
    )


@routes.route(
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
        request.app[READ_MODELS].database,
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


@routes.route(
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
    return document_view(await document_at(request.app[READ_MODELS], document, query.version))


@routes.route(
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
    await request.app[BUS].handle(
        EditDocument(
            user_id=current_user(request).user_id,
            document_id=document_id,
            title=body.title,
            content_markdown=body.content_markdown,
            expected_version=expected_version(request, body.expected_version),
            request_id=request_id_for(request),
        )
    )
    document = await _mine(request, document_id)
    return document_view(await document_at(request.app[READ_MODELS], document, None))


@routes.route(
    "DELETE",
    f"{PREFIX}/{{document_id}}",
    status=204,
    auth=True,
    tags=TAGS,
    errors=[404, 409],
    summary="Delete a document of mine, every version and every stored file of it",
)
async def delete_document(request: web.Request) -> None:
    await request.app[BUS].handle(
        DeleteDocument(
            current_user(request).user_id,
            request.match_info["document_id"],
            if_match(request),
            request_id_for(request),
        )
    )


@routes.route(
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
    exported = await request.app[BUS].handle(
        ExportDocument(
            current_user(request).user_id,
            request.match_info["document_id"],
            body.format,
            body.template,
            body.page_size,
            body.version,
        )
    )
    return export_view(exported, body.page_size)


@routes.route(
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
    found: DocumentFile = await request.app[BUS].handle(
        DownloadDocument(
            current_user(request).user_id,
            request.match_info["document_id"],
            query.format,
            query.template,
            query.page_size,
            query.version,
        )
    )
    return web.Response(
        body=found.content,
        headers={
            "Content-Type": format_info(query.format).media_type,
            "Content-Disposition": found.export.name.content_disposition(),
            "X-Content-Type-Options": "nosniff",
        },
    )


async def _mine(request: web.Request, document_id: str) -> Document:
    document = await document_of(
        request.app[READ_MODELS], current_user(request).user_id, document_id
    )
    if document is None:
        raise not_found("Document", "document_id", document_id)
    return document
