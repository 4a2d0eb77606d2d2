"""``/api/v1/documents``: the generated documents. For now, the PDF download that a
generation's ``pdf_url`` points at (the full Documents API builds on the same read model)."""

from __future__ import annotations

from typing import Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict

from jobwise.app.api import Api
from jobwise.app.auth import current_user
from jobwise.app.errors import NotFound
from jobwise.app.keys import RUNTIME
from jobwise.rendering import DocumentType, ExportFormat, download_name, format_info
from jobwise.storage import StoredFileNotFoundError
from queries.documents import get_document

PREFIX = "/api/v1/documents"
TAGS = ["documents"]


class DownloadQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["pdf"] = "pdf"


def add_document_routes(api: Api) -> None:
    @api.route(
        "GET",
        f"{PREFIX}/{{document_id}}/download",
        query=DownloadQuery,
        auth=True,
        tags=TAGS,
        errors=[404, 422],
        media_type="application/pdf",
        summary="Download a document of mine as a file (the PDF its generation rendered)",
    )
    async def download_document(request: web.Request, query: DownloadQuery) -> web.Response:
        runtime = request.app[RUNTIME]
        document_id = request.match_info["document_id"]
        document = await get_document(runtime.database, current_user(request).user_id, document_id)
        if document is None:
            raise NotFound("Document not found.", details={"document_id": document_id})
        try:
            content = await runtime.documents.files.get(document["pdf"]["key"])
        except StoredFileNotFoundError:
            raise NotFound(
                "The document's file is missing from storage.",
                details={"document_id": document_id},
            ) from None
        fmt = ExportFormat(query.format)
        name = download_name(
            document["candidate_name"],
            document.get("company"),
            DocumentType(document["document_type"]),
            fmt,
        )
        return web.Response(
            body=content,
            content_type=format_info(fmt).media_type,
            headers={"Content-Disposition": name.content_disposition()},
        )
