"""The export formats, page sizes and document types a rendering request can name."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class ExportFormat(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    HTML = "html"
    MD = "md"
    TXT = "txt"


class PageSize(StrEnum):
    LETTER = "letter"
    A4 = "a4"


class DocumentType(StrEnum):
    RESUME = "resume"
    COVER_LETTER = "cover_letter"


class FormatInfo(BaseModel):
    """One export format as ``GET /documents/export-formats`` lists it."""

    model_config = ConfigDict(frozen=True)

    format: ExportFormat
    media_type: str
    extension: str
    """Without the dot."""
    description: str
    binary: bool


EXPORT_FORMATS: dict[ExportFormat, FormatInfo] = {
    info.format: info
    for info in (
        FormatInfo(
            format=ExportFormat.PDF,
            media_type="application/pdf",
            extension="pdf",
            description="PDF with a text layer an applicant-tracking system can read",
            binary=True,
        ),
        FormatInfo(
            format=ExportFormat.DOCX,
            media_type=("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            extension="docx",
            description="Word document with real headings and lists, editable",
            binary=True,
        ),
        FormatInfo(
            format=ExportFormat.HTML,
            media_type="text/html; charset=utf-8",
            extension="html",
            description="Standalone HTML page, styles inline, no external references",
            binary=False,
        ),
        FormatInfo(
            format=ExportFormat.MD,
            media_type="text/markdown; charset=utf-8",
            extension="md",
            description="The document's Markdown, as stored",
            binary=False,
        ),
        FormatInfo(
            format=ExportFormat.TXT,
            media_type="text/plain; charset=utf-8",
            extension="txt",
            description="Plain text without Markdown syntax",
            binary=False,
        ),
    )
}


def export_formats() -> list[FormatInfo]:
    """The five formats, in the contract's order."""
    return list(EXPORT_FORMATS.values())


def format_info(fmt: ExportFormat | str) -> FormatInfo:
    return EXPORT_FORMATS[ExportFormat(fmt)]
