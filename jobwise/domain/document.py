"""A document: a generated resume or cover letter, its content, and its rendered PDF.

``content_markdown`` is the canonical content (``notes/document-format.md``); the HTML
and the text are rendered from it, and so is the PDF, stored in the file store under
``pdf.key``. A document is created by a generation's last stage, at ``version_number``
1. (The Documents API adds edits as new version numbers, exports and deletion.)
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from jobwise.domain.aggregate import Aggregate, check_access
from jobwise.domain.events import DomainEvent
from jobwise.generation.models import DocumentKind

STREAM_TYPE = "document"


class PdfFacts(BaseModel):
    """The stored PDF of a document version."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    """Its file-store key (never a path; see ``jobwise.storage``)."""
    size_bytes: int = Field(ge=0)
    page_count: int = Field(ge=0)
    template: str
    parse_passed: bool
    """Whether the PDF's text layer read back as the document (``rendering.checks``)."""
    findings: list[str] = Field(default_factory=list)
    """The parse check's finding codes, when any."""
    fit_level: int = 0
    """The renderer's fitting rung used to keep to ``max_pages`` (0: as designed)."""


class DocumentCreated(DomainEvent):
    document_id: str
    user_id: str
    generation_id: str
    profile_id: str
    profile_version: int
    job_id: str
    document_type: DocumentKind
    version_number: int = 1
    title: str
    candidate_name: str
    company: str | None = None
    template: str
    parameters: dict[str, Any] = Field(default_factory=dict)
    """The options the document was generated with, and who wrote it (offline, a model)."""
    content_markdown: str
    content_html: str
    content_text: str
    ats_score: float
    ats_score_details: list[dict[str, Any]] = Field(default_factory=list)
    pdf: PdfFacts


class Document(Aggregate):
    stream_type = STREAM_TYPE
    id_field = "document_id"

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.user_id = ""
        self.generation_id = ""
        self.document_type: DocumentKind = "resume"
        self.version_number = 0
        self.content_markdown = ""
        self.candidate_name = ""
        self.company: str | None = None
        self.pdf: PdfFacts | None = None

    @property
    def exists(self) -> bool:
        return self.version > 0

    @classmethod
    def create(cls, created: DocumentCreated) -> Document:
        document = cls(created.document_id)
        document.record(created)
        return document

    def check(self, user_id: str) -> None:
        """Refuse a missing or someone else's document as not found."""
        check_access(
            "Document",
            "document_id",
            self.id,
            visible=self.exists and self.user_id == user_id,
            expected=None,
            current=self.version,
        )

    def when_DocumentCreated(self, event: DocumentCreated) -> None:
        self.user_id = event.user_id
        self.generation_id = event.generation_id
        self.document_type = event.document_type
        self.version_number = event.version_number
        self.content_markdown = event.content_markdown
        self.candidate_name = event.candidate_name
        self.company = event.company
        self.pdf = event.pdf
