"""A DOCX's lines: its paragraphs in reading order (the page header's first, then the
body, tables cell by cell), each with what Word says of it: a heading or title style,
bold runs, its type size, a numbered (bulleted) paragraph.

The file is a ZIP: before python-docx parses anything, the archive is checked (entries,
sizes counted while inflating, not taken from its headers), so a bomb is refused early.
python-docx's XML parser resolves no entities.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from jobwise.adapters.interop.resume_file.errors import UnreadableResume
from jobwise.adapters.interop.resume_file.lines import COLUMN_GAP, TextLine

MAX_ENTRIES = 2_000
MAX_XML_BYTES = 20 * 1024 * 1024
"""The document's XML parts together, inflated; a long resume's is about 200 KB."""
MAX_PARAGRAPHS = 20_000
_HEADING_STYLES = ("heading", "title", "subtitle")


def read_docx_lines(data: bytes) -> list[TextLine]:
    _check_archive(data)
    try:
        document = Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds on a damaged package
        raise UnreadableResume(
            "malformed", "The DOCX file is damaged and cannot be read."
        ) from None
    lines: list[TextLine] = []
    for paragraph in _paragraphs(document):
        lines.extend(_lines(paragraph))
        if len(lines) >= MAX_PARAGRAPHS:
            break
    if not any(line.text for line in lines):
        raise UnreadableResume("no_text", "The DOCX file has no text to read.")
    return lines


def _check_archive(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UnreadableResume("not_docx", "The file is not a DOCX document.") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise UnreadableResume("too_complex", "The DOCX file holds too many parts.")
        names = {entry.filename for entry in entries}
        if "word/document.xml" not in names:
            raise UnreadableResume("not_docx", "The file is a ZIP but not a DOCX document.")
        if any(entry.flag_bits & 0x1 for entry in entries):
            raise UnreadableResume("encrypted", "The DOCX file is encrypted.")
        total = 0
        for entry in entries:
            if not entry.filename.endswith((".xml", ".rels")):
                continue
            try:
                with archive.open(entry) as part:
                    while chunk := part.read(64 * 1024):
                        total += len(chunk)
                        if total > MAX_XML_BYTES:
                            raise UnreadableResume(
                                "too_large", "The DOCX file's text inflates past 20 MB."
                            )
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
                raise UnreadableResume(
                    "malformed", "The DOCX file is damaged and cannot be read."
                ) from None


def _paragraphs(document: DocxDocument) -> Iterator[Paragraph]:
    for section in document.sections[:1]:
        if not section.header.is_linked_to_previous:
            yield from section.header.paragraphs
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document._body)
        elif child.tag == qn("w:tbl"):
            yield from _table_paragraphs(Table(child, document._body))


def _table_paragraphs(table: Table) -> Iterator[Paragraph]:
    seen: set[int] = set()
    for row in table.rows:
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell repeats in every row and column it spans
                continue
            seen.add(id(cell._tc))
            yield from cell.paragraphs
            for inner in cell.tables:
                yield from _table_paragraphs(inner)


def _lines(paragraph: Paragraph) -> Iterator[TextLine]:
    """One line per line break the paragraph holds (a soft break is a new line too)."""
    line = _line(paragraph)
    for text in paragraph.text.replace("\t", COLUMN_GAP).split("\n"):
        text = " ".join(text.split(" ")).strip()
        if text:
            yield TextLine(
                text=text,
                page=1,
                size=line.size,
                bold=line.bold,
                x=line.x,
                marked=line.marked,
                heading=line.heading,
            )


def _line(paragraph: Paragraph) -> TextLine:
    """The paragraph's features, on an empty line."""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    runs = [run for run in paragraph.runs if run.text.strip()]
    letters = sum(len(run.text) for run in runs) or 1
    bold_letters = sum(len(run.text) for run in runs if _is_bold(run, paragraph))
    sizes = [run.font.size.pt for run in runs if run.font.size is not None]
    size = max(sizes) if sizes else _style_size(paragraph)
    properties = paragraph._p.pPr
    numbered = properties is not None and properties.numPr is not None
    numbered = numbered or "list" in style.lower()
    indent = paragraph.paragraph_format.left_indent
    return TextLine(
        text="",
        page=1,
        size=size,
        bold=bold_letters >= 0.6 * letters,
        x=indent.pt if indent is not None else 0.0,
        marked=numbered,
        heading=style.lower().startswith(_HEADING_STYLES),
    )


def _is_bold(run: object, paragraph: Paragraph) -> bool:
    bold = getattr(run, "bold", None)
    if bold is not None:
        return bool(bold)
    style = paragraph.style
    while style is not None:
        if style.font.bold is not None:
            return bool(style.font.bold)
        style = style.base_style
    return False


def _style_size(paragraph: Paragraph) -> float:
    style = paragraph.style
    while style is not None:
        if style.font.size is not None:
            return float(style.font.size.pt)
        style = style.base_style
    return 0.0
