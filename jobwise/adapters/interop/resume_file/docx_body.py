"""A DOCX story's paragraphs (the body's, a page header's) in reading order, each with
the runs Word shows in it.

python-docx sees only the runs that are a paragraph's own children and the paragraphs
that are a story's: a resume built from one of Word's templates keeps its sections in
content controls, its contact details in text boxes, and an edited one its words in
tracked insertions. So the XML is walked here: block content (paragraphs, tables cell by
cell, content controls), and in a paragraph every run that shows, whatever holds it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import cast

from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.run import CT_R
from docx.oxml.xmlchemy import BaseOxmlElement

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _R, _TBL, _TR, _TC = qn("w:p"), qn("w:r"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_TEXT_BOX = qn("w:txbxContent")
_FALLBACK = f"{_MC}Fallback"

_BLOCK_WRAPPERS = frozenset({qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")})
"""Hold paragraphs, tables, rows or cells as if they were their parent's own: a content
control (the sections of Word's resume templates), custom XML markup."""

_RUN_WRAPPERS = _BLOCK_WRAPPERS | {
    qn("w:ins"),  # a tracked insertion shows; a deletion (w:del, w:moveFrom) does not
    qn("w:moveTo"),
    qn("w:hyperlink"),
    qn("w:smartTag"),
    qn("w:fldSimple"),
    qn("w:dir"),
    qn("w:bdo"),
    f"{_MC}AlternateContent",
    f"{_MC}Choice",  # its mc:Fallback is the same content again, for older readers
}
"""Hold runs inside a paragraph; whatever is not one of these and not a run is left out."""


@dataclass(frozen=True, slots=True)
class DocxParagraph:
    element: CT_P
    runs: tuple[CT_R, ...]
    """The runs that show, in order: tracked insertions in, deletions out."""
    texts: tuple[str, ...]
    """Each run's text, read once (python-docx reads a run's text by an XPath query:
    a paragraph of 300,000 runs took 12 s when it was read three times over). Tabs as
    ``\\t`` and line breaks as ``\\n``."""

    @property
    def text(self) -> str:
        return "".join(self.texts)


def story_paragraphs(story: BaseOxmlElement) -> Iterator[DocxParagraph]:
    """The paragraphs of block content: a body, a header, a table cell, a text box."""
    for child in _children(story):
        if child.tag == _P:
            yield from _paragraph(cast(CT_P, child))
        elif child.tag == _TBL:
            yield from _table(child)
        elif child.tag in _BLOCK_WRAPPERS:
            yield from story_paragraphs(child)


def _paragraph(element: CT_P) -> Iterator[DocxParagraph]:
    """The paragraph, then the paragraphs of the text boxes anchored in it."""
    runs = tuple(_runs(element))
    yield DocxParagraph(element, runs, tuple(run.text for run in runs))
    for box in _text_boxes(runs):
        yield from story_paragraphs(box)


def _runs(container: BaseOxmlElement) -> Iterator[CT_R]:
    for child in _children(container):
        if child.tag == _R:
            yield cast(CT_R, child)
        elif child.tag in _RUN_WRAPPERS:
            yield from _runs(child)


def _text_boxes(runs: Iterable[BaseOxmlElement]) -> Iterator[BaseOxmlElement]:
    """Each text box once: a DrawingML box comes with a VML copy in mc:Fallback."""
    for element in runs:
        for child in _children(element):
            if child.tag == _TEXT_BOX:
                yield child  # a box in this box is found when its paragraphs are read
            elif child.tag != _FALLBACK:
                yield from _text_boxes([child])


def _table(table: BaseOxmlElement) -> Iterator[DocxParagraph]:
    """Cell by cell, row by row; a cell merged over several rows once, in its first."""
    for row in _wrapped(table, _TR):
        for cell in _wrapped(row, _TC):
            if not _continues_a_merge(cell):
                yield from story_paragraphs(cell)


def _wrapped(parent: BaseOxmlElement, tag: str) -> Iterator[BaseOxmlElement]:
    """The children with ``tag``, a content control's among them (a row or cell can be)."""
    for child in _children(parent):
        if child.tag == tag:
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _wrapped(child, tag)


def _continues_a_merge(cell: BaseOxmlElement) -> bool:
    """A cell under the first of a vertical merge (or after the first of a legacy
    horizontal one): Word shows the first cell's text over all of them, and this one's
    is empty or stale."""
    properties = cell.find(qn("w:tcPr"))
    if properties is None:
        return False
    for merge in (properties.find(qn("w:vMerge")), properties.find(qn("w:hMerge"))):
        if merge is not None and merge.get(qn("w:val")) != "restart":
            return True
    return False


def _children(element: BaseOxmlElement) -> Iterator[BaseOxmlElement]:
    # Elements only: comments and processing instructions have no string tag.
    for child in element.iterchildren():
        if isinstance(child.tag, str):
            yield child
