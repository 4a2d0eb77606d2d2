"""DOCX through python-docx: real Word structure, so it stays editable.

The name is the Title style, sections are Heading 1, entries Heading 2, bullets the
List Bullet styles (List Number for numbered lists), and a line break in the Markdown
is a line break in the paragraph. Fonts are Word's common ones (Times New Roman,
Arial, Courier New), which LibreOffice replaces by the metric-compatible Liberation
fonts. Each entry's paragraphs are kept together (Word's "keep with next"), as the
PDF keeps an entry on one page.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from docx import Document as new_document
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Inches, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from jobwise.adapters.rendering.document import Block, Entry, Line, ResumeDocument
from jobwise.adapters.rendering.formats import PageSize
from jobwise.adapters.rendering.layout import PAGES
from jobwise.adapters.rendering.templates import get_template_info


@dataclass(frozen=True)
class WordLook:
    body_font: str
    heading_font: str
    size_pt: float
    accent: RGBColor
    centred_head: bool = False


_LOOKS = {
    "classic": WordLook("Times New Roman", "Times New Roman", 11, RGBColor(0, 0, 0), True),
    "modern": WordLook("Arial", "Arial", 10.5, RGBColor(0x1F, 0x4E, 0x79)),
    "compact": WordLook("Arial", "Arial", 9.5, RGBColor(0, 0, 0)),
    "technical": WordLook("Arial", "Courier New", 10, RGBColor(0x0B, 0x3D, 0x2E)),
}
_MUTED = RGBColor(0x44, 0x44, 0x44)


@dataclass(frozen=True)
class DocxMetadata:
    title: str
    author: str
    subject: str
    keywords: str = ""


def render_docx(
    document: ResumeDocument,
    *,
    template: str,
    page_size: PageSize,
    metadata: DocxMetadata,
) -> bytes:
    info = get_template_info(template)
    look = _LOOKS[info.name]
    word = new_document()
    _page_setup(word, page_size, info.margins.vertical, info.margins.horizontal)
    _styles(word, look)
    _header(word, document, look)
    for block in document.body:
        _block(word, block)
    for section in document.sections:
        if section.title:
            word.add_heading(section.title, level=1)
        for block in section.blocks:
            _block(word, block)
        for entry in section.entries:
            _entry(word, entry)
    _properties(word, metadata)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _page_setup(word: Document, page_size: PageSize, vertical: float, horizontal: float) -> None:
    page = PAGES[page_size]
    for section in word.sections:
        section.page_width = Inches(page.width_in)
        section.page_height = Inches(page.height_in)
        section.top_margin = section.bottom_margin = Inches(vertical)
        section.left_margin = section.right_margin = Inches(horizontal)


def _styles(word: Document, look: WordLook) -> None:
    styles = word.styles
    normal = styles["Normal"]
    normal.font.name = look.body_font
    normal.font.size = Pt(look.size_pt)
    normal.paragraph_format.space_after = Pt(2)
    sizes = {"Title": 2.0, "Heading 1": 1.12, "Heading 2": 1.0}
    for name, factor in sizes.items():
        style = styles[name]
        style.font.name = look.heading_font
        style.font.size = Pt(round(look.size_pt * factor, 1))
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = look.accent if name != "Heading 2" else RGBColor(0, 0, 0)
        _theme_fonts_off(style.element)
        style.paragraph_format.space_before = Pt(8 if name == "Heading 1" else 4)
        style.paragraph_format.space_after = Pt(2)


def _theme_fonts_off(style_element: BaseOxmlElement) -> None:
    """Drop the theme font references, or Word keeps showing Calibri Light."""
    fonts = style_element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    if fonts is not None:
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)


def _header(word: Document, document: ResumeDocument, look: WordLook) -> None:
    if document.name:
        title = word.add_paragraph(document.name, style="Title")
        if look.centred_head:
            title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if document.contact:
        contact = word.add_paragraph()
        for index, item in enumerate(document.contact):
            if index:
                contact.add_run(" \u00b7 ")
            _spans(contact, item)
        if look.centred_head:
            contact.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _entry(word: Document, entry: Entry) -> None:
    paragraphs = [word.add_heading("", level=2)]
    _spans(paragraphs[0], entry.heading)
    if entry.meta:
        meta = word.add_paragraph()
        for run in _spans(meta, entry.meta):
            run.italic = True
            run.font.color.rgb = _MUTED
        paragraphs.append(meta)
    for block in entry.blocks:
        paragraphs.extend(_block(word, block))
    for paragraph in paragraphs[:-1]:
        paragraph.paragraph_format.keep_with_next = True


def _block(word: Document, block: Block) -> list[DocxParagraph]:
    if block.kind == "paragraph":
        paragraph = word.add_paragraph()
        _lines(paragraph, block.lines)
        return [paragraph]
    made: list[DocxParagraph] = []
    for item in block.items:
        base = "List Number" if block.ordered else "List Bullet"
        style = base if item.depth == 0 else f"{base} {min(item.depth + 1, 3)}"
        paragraph = word.add_paragraph(style=style)
        _lines(paragraph, item.lines)
        made.append(paragraph)
    return made


def _lines(paragraph: DocxParagraph, lines: tuple[Line, ...]) -> None:
    for index, line in enumerate(lines):
        if index:
            paragraph.add_run().add_break()
        _spans(paragraph, line)


def _spans(paragraph: DocxParagraph, line: Line) -> list[Run]:
    runs: list[Run] = []
    for span in line:
        run = paragraph.add_run(span.text)
        if span.href:
            _hyperlink(paragraph, run, span.href)
        run.bold = True if span.bold else None
        run.italic = True if span.italic else None
        if span.code:
            run.font.name = "Courier New"
        runs.append(run)
    return runs


def _hyperlink(paragraph: DocxParagraph, run: Run, href: str) -> None:
    """Wrap ``run`` in a ``w:hyperlink`` to ``href`` (python-docx has no call for it)."""
    relation = paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    run._r.addprevious(link)
    link.append(run._r)
    run.font.underline = True


def _properties(word: Document, metadata: DocxMetadata) -> None:
    properties = word.core_properties
    properties.title = metadata.title
    properties.author = metadata.author
    properties.subject = metadata.subject
    properties.keywords = metadata.keywords
    properties.comments = "Made with JobWise"
    properties.last_modified_by = "JobWise"
