"""A PDF's text layer and fonts, read by PDFium (pypdfium2), as an ATS's parser reads them.

PDFium is C++: a 2-page resume reads in a few milliseconds, where pypdf's pure-Python
content-stream parser took about 150 ms. Its text matches pypdf's character for
character on every PDF the test suite prints (tests/integration/rendering/
test_text_layer.py compares them); only the spacing differs, which the check ignores.
Two of PDFium's habits are undone here:

* a hyphen ending a line comes back as its soft-hyphen mark (U+FFFE) with the line
  break dropped: it is put back as the ``-`` and line break the page shows;
* a page PDFium takes for vertical text gets its lines from the glyphs' positions
  instead (``glyph_lines``).

PDFium is not thread-safe: call this from one thread of a process (the renderer runs
it in an ``OffLoop`` worker process, which runs one task at a time).
"""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
from pydantic import BaseModel, ConfigDict

from jobwise.adapters.rendering import pdfium_calls as c
from jobwise.adapters.rendering.glyph_lines import by_position, lines_misread

_HYPHEN_MARK = "\ufffe"


class UnreadablePdfError(ValueError):
    """PDFium cannot open the bytes as a PDF."""


class TextLayer(BaseModel):
    """What a parser gets from the PDF: each page's text, and the fonts it cannot trust."""

    model_config = ConfigDict(frozen=True)

    pages: tuple[str, ...]
    unembedded_fonts: tuple[str, ...] = ()
    """Sorted base font names (``/Helvetica``) of the fonts text is drawn in that the
    file does not carry; Type 3 fonts count as embedded (their glyphs are in the file)."""


def read_text_layer(pdf: bytes) -> TextLayer:
    """Every page's text (lines ``\\n``-separated) and the unembedded fonts."""
    document = _open(pdf)
    try:
        pages: list[str] = []
        fonts: set[c.Handle] = set()
        for index in range(len(document)):
            page = document[index]
            try:
                pages.append(_page_text(page))
                fonts |= _fonts(c.handle(page))
            finally:
                page.close()
        unembedded = {_font_name(font) for font in fonts if not c.font_is_embedded(font)}
        return TextLayer(pages=tuple(pages), unembedded_fonts=tuple(sorted(unembedded)))
    finally:
        document.close()


def extract_pages(pdf: bytes) -> list[str]:
    """The text layer, page by page."""
    return list(read_text_layer(pdf).pages)


def count_pages(pdf: bytes) -> int:
    document = _open(pdf)
    try:
        return len(document)
    finally:
        document.close()


def _open(pdf: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as error:
        raise UnreadablePdfError(str(error)) from error


def _page_text(page: pdfium.PdfPage) -> str:
    textpage = page.get_textpage()
    try:
        text: str = textpage.get_text_range()
        if lines_misread(c.handle(textpage), text):
            return by_position(c.handle(textpage))
    finally:
        textpage.close()
    return text.replace("\r\n", "\n").replace(_HYPHEN_MARK, "-\n")


def _fonts(page: c.Handle) -> set[c.Handle]:
    """The fonts of the page's text objects, form XObjects' included (a plain loop: a
    page holds thousands of objects, one per run of glyphs)."""
    fonts: set[c.Handle] = set()
    forms: list[c.Handle] = []
    for index in range(c.count_objects(page)):
        item = c.get_object(page, index)
        font = c.text_object_font(item)
        if font:
            fonts.add(font)
        elif c.count_form_objects(item) > 0:
            forms.append(item)
    while forms:
        form = forms.pop()
        for index in range(c.count_form_objects(form)):
            item = c.get_form_object(form, index)
            font = c.text_object_font(item)
            if font:
                fonts.add(font)
            elif c.count_form_objects(item) > 0:
                forms.append(item)
    return fonts


def _font_name(font: c.Handle) -> str:
    size = c.base_font_name(font, None, 0)
    if size <= 1:
        return "(unnamed)"
    buffer = ctypes.create_string_buffer(size)
    c.base_font_name(font, buffer, size)
    return "/" + buffer.value.decode("utf-8", errors="replace")
