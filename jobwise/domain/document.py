"""A document: a generated resume or cover letter, its content, and its rendered PDF.

``content_markdown`` is the canonical content (``notes/document-format.md``); the HTML
and the text are rendered from it, and so is the PDF, stored in the file store under
``pdf.key``. A document is created by a generation's last stage, at ``version_number``
1. An edit (``DocumentEdited``) makes the next ``version_number``, with its own content;
earlier versions stay readable. A deleted document (``DocumentDeleted``) is gone for its
owner as for everyone: every command on it answers not found.

Two version counters: ``version`` is the stream's (what ``If-Match`` names, as for every
other resource), ``version_number`` counts the contents (1, 2, 3...).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from jobwise.domain.aggregate import Aggregate, check_access
from jobwise.domain.characters import text_problem
from jobwise.domain.errors import FieldProblem, InvalidInput, NotFoundError
from jobwise.domain.events import DomainEvent
from jobwise.domain.writing.models import DocumentKind

STREAM_TYPE = "document"


class PdfFacts(BaseModel):
    """The stored PDF of a document version."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    """Its file-store key (never a path; see ``jobwise.adapters.storage``)."""
    size_bytes: int = Field(ge=0)
    page_count: int = Field(ge=0)
    template: str
    parse_passed: bool
    """Whether the PDF's text layer read back as the document (``rendering.checks``)."""
    findings: list[str] = Field(default_factory=list)
    """The parse check's finding codes, when any."""
    fit_level: int = 0
    """The renderer's fitting rung used to keep to ``max_pages`` (0: as designed)."""


class DocumentCreated(DomainEvent, topic="DocumentCreated"):
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
    max_pages: int | None = None
    """The page limit the PDF was fitted to (every export of the document keeps it)."""
    expected_keywords: list[str] = Field(default_factory=list)
    """The skills the PDF's parse check looks for (part of a rendering's cache key, so an
    export of the unchanged document finds the PDF the generation stored)."""


class DocumentEdited(DomainEvent, topic="DocumentEdited"):
    """A new version of the document's content (or title), written by its owner."""

    document_id: str
    version_number: int
    title: str
    content_markdown: str
    content_html: str
    content_text: str


class DocumentDeleted(DomainEvent, topic="DocumentDeleted"):
    document_id: str


MAX_TITLE = 300
MAX_MARKDOWN = 200_000
"""Characters: a resume is a few thousand; this leaves room and keeps rendering bounded."""


def unrenderable(text: str, *, single_line: bool = False) -> str | None:
    """Why ``text`` cannot be a document's content (or, ``single_line``, its title), or
    None: the one character rule of all stored text (``jobwise.domain.characters``)."""
    return text_problem(text, single_line=single_line)


class Document(Aggregate):
    stream_type = STREAM_TYPE
    id_field = "document_id"
    events = (DocumentCreated, DocumentEdited, DocumentDeleted)

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.user_id = ""
        self.generation_id = ""
        self.document_type: DocumentKind = "resume"
        self.version_number = 0
        self.content_markdown = ""
        self.candidate_name = ""
        self.company: str | None = None
        self.title = ""
        self.template = ""
        self.pdf: PdfFacts | None = None
        self.deleted = False
        self.markdowns: dict[int, str] = {}
        """Every version's Markdown, by ``version_number`` (exports of earlier ones)."""
        self.page_size: str | None = None
        """The paper it was generated on (None: before the paper was chosen)."""
        self.max_pages: int | None = None
        self.expected_keywords: tuple[str, ...] = ()

    @property
    def exists(self) -> bool:
        return self.version > 0 and not self.deleted

    @classmethod
    def create(cls, created: DocumentCreated) -> Document:
        document = cls(created.document_id)
        document.record(created)
        return document

    def check(self, user_id: str, expected_version: int | None = None) -> None:
        """Refuse a missing, deleted or someone else's document as not found, and a stale
        ``expected_version`` as a conflict."""
        check_access(
            "Document",
            "document_id",
            self.id,
            visible=self.exists and self.user_id == user_id,
            expected=expected_version,
            current=self.version,
        )

    def edit(
        self,
        *,
        title: str | None,
        content_markdown: str | None,
        content_html: str,
        content_text: str,
    ) -> bool:
        """Record the next version; False (nothing recorded) when nothing would change.

        ``content_html``/``content_text`` are ``content_markdown`` (or, when only the
        title changes, the current content) rendered by the caller.
        """
        new_title = self.title if title is None else title.strip()
        markdown = self.content_markdown if content_markdown is None else content_markdown
        problems = _problems(new_title, markdown)
        if problems:
            raise InvalidInput("The document cannot be saved like this.", problems)
        if new_title == self.title and markdown == self.content_markdown:
            return False
        self.record(
            DocumentEdited(
                document_id=self.id,
                version_number=self.version_number + 1,
                title=new_title,
                content_markdown=markdown,
                content_html=content_html,
                content_text=content_text,
            )
        )
        return True

    def markdown_of(self, number: int | None) -> tuple[int, str]:
        """Version ``number``'s ``version_number`` and Markdown (None: the current one)."""
        chosen = self.version_number if number is None else number
        if chosen not in self.markdowns:
            raise version_not_found(self.id, chosen, self.version_number)
        return chosen, self.markdowns[chosen]

    def delete(self) -> None:
        self.record(DocumentDeleted(document_id=self.id))

    def when_DocumentCreated(self, event: DocumentCreated) -> None:
        self.user_id = event.user_id
        self.generation_id = event.generation_id
        self.document_type = event.document_type
        self.version_number = event.version_number
        self.content_markdown = event.content_markdown
        self.candidate_name = event.candidate_name
        self.company = event.company
        self.title = event.title
        self.template = event.template
        self.pdf = event.pdf
        self.markdowns[event.version_number] = event.content_markdown
        self.page_size = event.parameters.get("page_size")
        self.max_pages = event.max_pages
        self.expected_keywords = tuple(event.expected_keywords)

    def when_DocumentEdited(self, event: DocumentEdited) -> None:
        self.version_number = event.version_number
        self.title = event.title
        self.content_markdown = event.content_markdown
        self.markdowns[event.version_number] = event.content_markdown

    def when_DocumentDeleted(self, event: DocumentDeleted) -> None:
        self.deleted = True


def version_not_found(document_id: str, number: int, current: int) -> NotFoundError:
    return NotFoundError(
        "The document has no such version.",
        code="version_not_found",
        details={"document_id": document_id, "version": number, "current_version_number": current},
    )


def _problems(title: str, markdown: str) -> list[FieldProblem]:
    problems = []
    if not title:
        problems.append(FieldProblem("title", "The title may not be empty."))
    elif len(title) > MAX_TITLE:
        problems.append(FieldProblem("title", f"At most {MAX_TITLE} characters."))
    elif (why := unrenderable(title, single_line=True)) is not None:
        problems.append(FieldProblem("title", why, "unrenderable_text"))
    if not markdown.strip():
        problems.append(FieldProblem("content_markdown", "The content may not be empty."))
    elif len(markdown) > MAX_MARKDOWN:
        problems.append(FieldProblem("content_markdown", f"At most {MAX_MARKDOWN} characters."))
    elif (why := unrenderable(markdown)) is not None:
        problems.append(FieldProblem("content_markdown", why, "unrenderable_text"))
    return problems
