"""The bodies, queries and answers of ``/api/v1/documents`` (the OpenAPI schemas), and
the URLs the answers carry (events and views keep ids; links are made here)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Self
from urllib.parse import urlencode

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from jobwise.adapters.rendering import ExportFormat, FormatInfo, PageSize
from jobwise.application.commands.documents import DocumentExport
from jobwise.domain.document import MAX_MARKDOWN, MAX_TITLE, unrenderable
from jobwise.domain.writing import DocumentKind
from jobwise.entrypoints.http.params import MAX_VERSION, ExpectedVersion, PageQuery
from jobwise.entrypoints.http.routes.generation_shapes import TEMPLATE_NAMES, _known_template

PREFIX = "/api/v1/documents"
Id = Annotated[str, StringConstraints(min_length=1, max_length=100)]
VersionNumber = Annotated[
    int, Field(ge=1, le=MAX_VERSION, description="A version_number of the document")
]
TEMPLATE_HELP = f"One of {', '.join(TEMPLATE_NAMES)} (default: the document's own)"
PAGE_SIZE_HELP = "a4 or letter (default: the document's own, chosen when it was generated)"


def _renderable(text: str | None, info: ValidationInfo) -> str | None:
    one_line = info.field_name == "title"
    if text is not None and (why := unrenderable(text, single_line=one_line)) is not None:
        raise ValueError(why)
    return text


# -- requests ----------------------------------------------------------------------------


class DocumentQuery(PageQuery):
    model_config = ConfigDict(extra="forbid")

    job_id: Id | None = None
    profile_id: Id | None = None
    document_type: DocumentKind | None = None


class VersionQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: VersionNumber | None = Field(
        default=None, description="An earlier version_number to read (default: the current)"
    )


class EditDocumentRequest(BaseModel):
    """A new version: new Markdown, a new title, or both."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, min_length=1, max_length=MAX_TITLE)
    content_markdown: str | None = Field(default=None, min_length=1, max_length=MAX_MARKDOWN)
    expected_version: ExpectedVersion = None

    _text = field_validator("title", "content_markdown")(_renderable)

    @model_validator(mode="after")
    def _something(self) -> Self:
        if self.title is None and self.content_markdown is None:
            raise ValueError("give content_markdown, title or both")
        return self


class ExportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: ExportFormat
    template: str | None = Field(default=None, description=TEMPLATE_HELP)
    page_size: PageSize | None = Field(default=None, description=PAGE_SIZE_HELP)
    version: VersionNumber | None = Field(
        default=None, description="The version_number to export (default: the current)"
    )

    _template = field_validator("template")(_known_template)


class DownloadQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: ExportFormat = ExportFormat.PDF
    template: str | None = Field(default=None, description=TEMPLATE_HELP)
    page_size: PageSize | None = Field(default=None, description=PAGE_SIZE_HELP)
    version: VersionNumber | None = None

    _template = field_validator("template")(_known_template)


class PreviewRequest(BaseModel):
    """Exactly one of ``document_id`` (one of mine) and ``content_markdown``."""

    model_config = ConfigDict(extra="forbid")

    document_id: Id | None = None
    content_markdown: str | None = Field(default=None, min_length=1, max_length=MAX_MARKDOWN)
    template: str | None = Field(default=None, description=TEMPLATE_HELP)
    page_size: PageSize | None = Field(
        default=None, description=f"{PAGE_SIZE_HELP}; Letter for content_markdown"
    )
    version: VersionNumber | None = Field(
        default=None, description="With document_id: the version_number to show"
    )
    document_type: DocumentKind = Field(
        default="resume", description="With content_markdown: how to title the page"
    )

    _template = field_validator("template")(_known_template)
    _text = field_validator("content_markdown")(_renderable)

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.document_id is None) == (self.content_markdown is None):
            raise ValueError("give exactly one of document_id and content_markdown")
        if self.version is not None and self.document_id is None:
            raise ValueError("version goes with document_id")
        return self


# -- answers -----------------------------------------------------------------------------


class PdfView(BaseModel):
    """The PDF the generation stored for version 1."""

    size_bytes: int
    page_count: int
    template: str
    parse_passed: bool
    findings: list[str]
    fit_level: int


class DocumentSummary(BaseModel):
    id: str
    user_id: str
    generation_id: str
    profile_id: str
    profile_version: int = Field(description="The profile's version the document was made from")
    job_id: str
    document_type: DocumentKind
    title: str
    candidate_name: str
    company: str | None
    template: str
    version_number: int = Field(description="The content's version: 1, then +1 per edit")
    ats_score: float
    version: int = Field(description="The resource's version (ETag; If-Match takes it back)")
    created_at: datetime
    updated_at: datetime


class DocumentView(DocumentSummary):
    content_markdown: str
    content_html: str
    content_text: str
    current_version_number: int = Field(description="The newest version_number")
    versions: list[int] = Field(description="Every version_number that can be read")
    parameters: dict[str, Any]
    ats_score_details: list[dict[str, Any]]
    pdf: PdfView
    pdf_url: str
    """Downloads this version as a PDF."""


class DocumentList(BaseModel):
    items: list[DocumentSummary]
    total: int
    limit: int
    offset: int


class ExportView(BaseModel):
    format: ExportFormat
    media_type: str
    download_url: str
    size_bytes: int
    page_count: int | None = Field(default=None, description="PDF only")
    template: str
    page_size: PageSize
    version_number: int
    cached: bool = Field(description="True when the file was stored already: nothing rendered")


class ExportFormatList(BaseModel):
    items: list[FormatInfo]
    total: int


# -- shaping -----------------------------------------------------------------------------


def download_url(document_id: str, query: dict[str, Any]) -> str:
    return f"{PREFIX}/{document_id}/download?{urlencode(query)}"


def document_view(document: dict[str, Any]) -> DocumentView:
    """A document at one of its versions (``document_at``), with that version's PDF link."""
    number = document["version_number"]
    pdf_url = download_url(document["id"], {"format": "pdf", "version": number})
    return DocumentView.model_validate({**document, "pdf_url": pdf_url})


def export_view(exported: DocumentExport, page_size_asked: PageSize | None) -> ExportView:
    """The answer to an export: its download link names what was rendered (the paper
    only when asked for: else the download finds the document's own)."""
    stored = exported.stored
    query: dict[str, Any] = {
        "format": stored.format.value,
        "template": exported.template,
        "version": exported.version_number,
    }
    if page_size_asked is not None:
        query["page_size"] = exported.page_size.value
    return ExportView(
        format=stored.format,
        media_type=stored.media_type,
        download_url=download_url(exported.document_id, query),
        size_bytes=stored.size_bytes,
        page_count=stored.page_count,
        template=exported.template,
        page_size=exported.page_size,
        version_number=exported.version_number,
        cached=stored.cached,
    )
