"""The values that cross the rendering package's boundary: requests, results, findings."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Literal

import orjson
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from jobwise.adapters.rendering.formats import DocumentType, ExportFormat, PageSize, format_info
from jobwise.adapters.rendering.templates import DEFAULT_TEMPLATE
from jobwise.adapters.rendering.version import RENDERER_VERSION
from jobwise.domain.characters import clean_text

Cleaned = Annotated[str, AfterValidator(clean_text)]
"""Text as stored, without what the character rule refuses (``jobwise.domain.characters``):
a document stored before the rule still renders, in every format, the Markdown too."""


class RenderRequest(BaseModel):
    """Everything that decides a rendered file's bytes (and so its cache key)."""

    model_config = ConfigDict(frozen=True)

    markdown: Cleaned
    format: ExportFormat
    template: str = DEFAULT_TEMPLATE
    page_size: PageSize = PageSize.LETTER
    document_type: DocumentType = DocumentType.RESUME
    max_pages: int | None = Field(default=None, ge=1, le=20)
    title: Cleaned | None = None
    """PDF/DOCX title; default: the name, an en dash and "Resume" (or "Cover Letter")."""
    author: Cleaned | None = None
    """Default: the ``# name`` of the Markdown."""
    expected_keywords: tuple[Cleaned, ...] = ()
    """The matched skills the PDF's text layer must contain (the parse check)."""

    def cache_key(self) -> str:
        """Hash of everything that changes the output, including the renderer's version.

        An unchanged document asked for again maps to the same key, so it is served
        from storage instead of being rendered again.
        """
        material = {"renderer": RENDERER_VERSION, **self.model_dump(mode="json")}
        encoded = orjson.dumps(material, option=orjson.OPT_SORT_KEYS)
        return hashlib.sha256(encoded).hexdigest()


Severity = Literal["error", "warning"]


class Finding(BaseModel):
    """One thing the parse check found wrong with a PDF; the caller records it."""

    model_config = ConfigDict(frozen=True)

    code: str
    """``name_missing``, ``name_not_first``, ``heading_missing``, ``keyword_missing``,
    ``cid_glyphs``, ``replacement_glyphs``, ``too_many_pages``, ``font_not_embedded``,
    ``no_text_layer``, ``unreadable_pdf`` or ``blocked_request``."""
    severity: Severity
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class ParseCheck(BaseModel):
    """What an applicant-tracking system would read from the PDF, judged."""

    model_config = ConfigDict(frozen=True)

    passed: bool
    """No finding of severity ``error``."""
    page_count: int
    findings: tuple[Finding, ...] = ()
    text_chars: int = 0


class FitAttempt(BaseModel):
    model_config = ConfigDict(frozen=True)

    level: int
    page_count: int


class FitReport(BaseModel):
    """How the PDF was fitted to ``max_pages``, and whether it could be."""

    model_config = ConfigDict(frozen=True)

    max_pages: int | None
    page_count: int
    level: int
    """The fitting rung used (0: the template as designed)."""
    fitted: bool
    attempts: tuple[FitAttempt, ...]


class RenderedDocument(BaseModel):
    """A rendered file with what is known about it."""

    model_config = ConfigDict(frozen=True)

    format: ExportFormat
    content: bytes
    cache_key: str
    page_count: int | None = None
    fit: FitReport | None = None
    check: ParseCheck | None = None
    """PDF only: the parse self-check. ``check.passed`` False is a validation finding."""

    @property
    def media_type(self) -> str:
        return format_info(self.format).media_type

    @property
    def extension(self) -> str:
        return format_info(self.format).extension

    @property
    def size_bytes(self) -> int:
        return len(self.content)
