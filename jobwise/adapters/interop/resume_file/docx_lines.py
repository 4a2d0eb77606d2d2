"""A DOCX's lines: its paragraphs in reading order (the page header's first, then the
body: tables cell by cell, content controls, tracked insertions, text boxes; see
``docx_body``), each with what Word says of it: a heading or title style, bold runs, its
type size, a numbered (bulleted) paragraph.

The file is a ZIP: before python-docx parses anything, the archive is checked (entries,
the XML parts' sizes counted while inflating, every part's declared size), so a
bomb is refused early. python-docx's XML parser resolves no entities.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.text.run import CT_R
from docx.shared import Length
from docx.styles.style import CharacterStyle
from docx.text.font import Font

from jobwise.adapters.interop.resume_file.docx_body import DocxParagraph, story_paragraphs
from jobwise.adapters.interop.resume_file.errors import UnreadableResume
from jobwise.adapters.interop.resume_file.lines import COLUMN_GAP, TextLine

MAX_ENTRIES = 2_000
MAX_XML_BYTES = 20 * 1024 * 1024
"""The document's XML parts together, inflated; a long resume's is about 200 KB."""
MAX_PACKAGE_BYTES = 64 * 1024 * 1024
"""Every part together, as declared inflated: python-docx holds all of them in memory. An
upload is at most 10 MB and photos barely compress, so a resume stays far below."""
MAX_PARAGRAPHS = 20_000
MAX_STYLE_DEPTH = 16
"""Styles followed from a paragraph's own through those it is based on: Word's own
chains are a few deep, a hostile file's could be thousands."""
DEFAULT_SIZE = 11.0
"""Points, when neither the paragraph's styles nor the document's defaults set one."""
_HEADING_STYLES = ("heading", "title", "subtitle")
_TOO_LARGE = "The DOCX file inflates past the size of any resume."


def read_docx_lines(data: bytes) -> list[TextLine]:
    _check_archive(data)
    document = _opened(data)
    styles = _Styles(document)
    lines: list[TextLine] = []
    for paragraph in _paragraphs(document):
        lines.extend(_lines(paragraph, styles))
        if len(lines) >= MAX_PARAGRAPHS:
            break
    if not any(line.text for line in lines):
        raise UnreadableResume("no_text", "The DOCX file has no text to read.")
    return lines


def _opened(data: bytes) -> DocxDocument:
    try:
        return Document(io.BytesIO(data))
    except MemoryError:
        raise  # the file is too large for the reader, not damaged: the worker says so
    except Exception:  # python-docx raises many kinds on a damaged package
        raise UnreadableResume(
            "malformed", "The DOCX file is damaged and cannot be read."
        ) from None


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
        _check_declared_sizes(entries)
        _check_xml_sizes(archive, entries)


def _check_declared_sizes(entries: list[zipfile.ZipInfo]) -> None:
    """Media parts are not inflated here, so their headers are taken at their word: the
    zipfile module inflates no part past its declared size (a longer one fails its CRC),
    so the declared sizes bound what python-docx will hold. No ratio is judged: a
    mostly blank bitmap packs 100:1 too, and the total alone bounds the memory."""
    total = 0
    for entry in entries:
        total += entry.file_size
        if total > MAX_PACKAGE_BYTES:
            raise UnreadableResume("too_large", _TOO_LARGE)


def _check_xml_sizes(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> None:
    """The XML parts are inflated here, counted as they are: python-docx parses them."""
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


def _paragraphs(document: DocxDocument) -> Iterator[DocxParagraph]:
    for section in document.sections[:1]:
        if not section.header.is_linked_to_previous:
            yield from story_paragraphs(section.header.part.element)
    yield from story_paragraphs(document.element.body)


def _lines(paragraph: DocxParagraph, styles: _Styles) -> Iterator[TextLine]:
    """One line per line break the paragraph holds (a soft break is a new line too)."""
    line = _line(paragraph, styles)
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


def _line(paragraph: DocxParagraph, styles: _Styles) -> TextLine:
    """The paragraph's features, on an empty line."""
    chain = styles.chain(paragraph.element.style)
    name = (chain[0].name if chain else "") or ""
    runs = [
        (run, text)
        for run, text in zip(paragraph.runs, paragraph.texts, strict=True)
        if text.strip()
    ]
    letters = sum(len(text) for _, text in runs) or 1
    bold_letters = sum(len(text) for run, text in runs if _is_bold(run, chain))
    sizes = [run_size.pt for run, _ in runs if (run_size := _run_size(run)) is not None]
    size = max(sizes) if sizes else styles.size(chain)
    properties = paragraph.element.pPr
    numbered = properties is not None and properties.numPr is not None
    numbered = numbered or "list" in name.lower()
    indent = properties.ind_left if properties is not None else None
    return TextLine(
        text="",
        page=1,
        size=size,
        bold=bold_letters >= 0.6 * letters,
        x=indent.pt if indent is not None else 0.0,
        marked=numbered,
        heading=name.lower().startswith(_HEADING_STYLES),
    )


def _run_size(run: CT_R) -> Length | None:
    return Font(run).size


def _is_bold(run: CT_R, chain: list[CharacterStyle]) -> bool:
    bold = Font(run).bold
    if bold is not None:
        return bool(bold)
    for style in chain:
        if style.font.bold is not None:
            return bool(style.font.bold)
    return False


class _Styles:
    """The document's paragraph styles, and its default type size."""

    def __init__(self, document: DocxDocument) -> None:
        self._styles = document.styles
        self._default_size = _default_size(document)
        # By style id: each lookup searches styles.xml, and a file has few styles.
        self._chains: dict[str | None, list[CharacterStyle]] = {}

    def chain(self, style_id: str | None) -> list[CharacterStyle]:
        """The paragraph's style (the default one when it names none or an unknown one),
        then the styles it is based on, ``MAX_STYLE_DEPTH`` at most; each once, as a file
        can base a style on itself."""
        if style_id not in self._chains:
            self._chains[style_id] = self._looked_up(style_id)
        return self._chains[style_id]

    def _looked_up(self, style_id: str | None) -> list[CharacterStyle]:
        chain: list[CharacterStyle] = []
        style = self._styles.get_by_id(style_id, WD_STYLE_TYPE.PARAGRAPH)
        # ``is`` holds: lxml gives one proxy per XML element while it is referenced, and
        # the chain references each one it holds.
        while (
            isinstance(style, CharacterStyle)
            and len(chain) < MAX_STYLE_DEPTH
            and all(style.element is not seen.element for seen in chain)
        ):
            chain.append(style)
            style = style.base_style
        return chain

    def size(self, chain: list[CharacterStyle]) -> float:
        for style in chain:
            if style.font.size is not None:
                return float(style.font.size.pt)
        return self._default_size


def _default_size(document: DocxDocument) -> float:
    """styles.xml's w:docDefaults, in half-points; Word's own default when it has none."""
    values = document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:sz/@w:val")
    try:
        half_points = int(values[0])
    except (IndexError, ValueError):
        return DEFAULT_SIZE
    return half_points / 2 if half_points > 0 else DEFAULT_SIZE
