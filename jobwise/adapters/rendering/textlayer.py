"""A PDF's text layer and fonts, read by PDFium (pypdfium2), as an ATS's parser reads them.

PDFium is C++: a 2-page resume reads in a few milliseconds, where pypdf's pure-Python
content-stream parser took about 150 ms. Its text matches pypdf's character for
character on every PDF the test suite prints (tests/integration/rendering/
test_text_layer.py compares them); only the spacing differs, which the check ignores.
Two of PDFium's habits are undone here:

* a hyphen ending a line comes back as its soft-hyphen mark (U+FFFE) with the line
  break dropped: it is put back as the ``-`` and line break the page shows;
* PDFium guesses each page's writing direction from how much of its width and height
  text objects cover. A short page of short lines with dates set flush right, printed
  glyph by glyph (Chromium positions each glyph on its own in some templates), reads
  as vertical text: one character a line, word spaces lost. Such a page is read again
  from the characters' positions (``_by_position``).

PDFium is not thread-safe: call this from one thread of a process (the renderer runs
it in an ``OffLoop`` worker process, which runs one task at a time).
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pydantic import BaseModel, ConfigDict

_HYPHEN_MARK = "\ufffe"
"""What PDFium gives for a hyphen it takes to be a line-end hyphenation."""
_HYPHEN_CODES = (0xFFFE, 0x02)
"""The same mark, read one character at a time."""
_BREAKS = (0x0A, 0x0D)
_SPACE_GAP = 0.15
"""Of a glyph's line height (about 1.15 em): a wider gap before it is a word space
(a space is about a quarter of an em wide)."""
_LINE_SHIFT = 0.5
"""Of a glyph's line height: a baseline this far from the line's starts a new line."""


class UnreadablePdfError(ValueError):
    """PDFium cannot open the bytes as a PDF."""


class TextLayer(BaseModel):
    """What a parser gets from the PDF: each page's text, and the fonts it cannot trust."""

    model_config = ConfigDict(frozen=True)

    pages: tuple[str, ...]
    unembedded_fonts: tuple[str, ...] = ()
    """Sorted base font names (``/Helvetica``) of the fonts text is drawn in that the
    file does not carry; Type 3 fonts count as embedded (their glyphs are in the file)."""


def _plain(function: Any, restype: Any, *argtypes: Any) -> Callable[..., Any]:
    """The same C function typed with plain pointers: pypdfium2's typed pointers cost
    microseconds a call, and a resume's pages hold thousands of text objects."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    assert address is not None  # a function pypdfium2 loaded has an address
    prototype: Callable[..., Any] = ctypes.CFUNCTYPE(restype, *argtypes)(address)
    return prototype


_VOID = ctypes.c_void_p
_count_objects = _plain(pdfium_c.FPDFPage_CountObjects, ctypes.c_int, _VOID)
_get_object = _plain(pdfium_c.FPDFPage_GetObject, _VOID, _VOID, ctypes.c_int)
_count_form_objects = _plain(pdfium_c.FPDFFormObj_CountObjects, ctypes.c_int, _VOID)
_get_form_object = _plain(pdfium_c.FPDFFormObj_GetObject, _VOID, _VOID, ctypes.c_ulong)
_text_object_font = _plain(pdfium_c.FPDFTextObj_GetFont, _VOID, _VOID)
_is_embedded = _plain(pdfium_c.FPDFFont_GetIsEmbedded, ctypes.c_int, _VOID)
_base_font_name = _plain(
    pdfium_c.FPDFFont_GetBaseFontName, ctypes.c_size_t, _VOID, ctypes.c_char_p, ctypes.c_size_t
)
_count_chars = _plain(pdfium_c.FPDFText_CountChars, ctypes.c_int, _VOID)
_unicode = _plain(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint, _VOID, ctypes.c_int)
_is_generated = _plain(pdfium_c.FPDFText_IsGenerated, ctypes.c_int, _VOID, ctypes.c_int)
_DOUBLE = ctypes.POINTER(ctypes.c_double)
_origin = _plain(
    pdfium_c.FPDFText_GetCharOrigin, ctypes.c_int, _VOID, ctypes.c_int, _DOUBLE, _DOUBLE
)
_advance_box = _plain(
    pdfium_c.FPDFText_GetLooseCharBox,
    ctypes.c_int,
    _VOID,
    ctypes.c_int,
    ctypes.POINTER(pdfium_c.FS_RECTF),
)


def read_text_layer(pdf: bytes) -> TextLayer:
    """Every page's text (lines ``\\n``-separated) and the unembedded fonts."""
    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as error:
        raise UnreadablePdfError(str(error)) from error
    try:
        pages: list[str] = []
        fonts: set[int] = set()
        for index in range(len(document)):
            page = document[index]
            try:
                pages.append(_page_text(page))
                fonts.update(_fonts(_handle(page)))
            finally:
                page.close()
        unembedded = sorted({_font_name(font) for font in fonts if not _is_embedded(font)})
        return TextLayer(pages=tuple(pages), unembedded_fonts=tuple(unembedded))
    finally:
        document.close()


def extract_pages(pdf: bytes) -> list[str]:
    """The text layer, page by page."""
    return list(read_text_layer(pdf).pages)


def count_pages(pdf: bytes) -> int:
    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as error:
        raise UnreadablePdfError(str(error)) from error
    try:
        return len(document)
    finally:
        document.close()


def _page_text(page: pdfium.PdfPage) -> str:
    textpage = page.get_textpage()
    try:
        text: str = textpage.get_text_range().replace("\r\n", "\n")
        if _read_as_vertical(text):
            return _by_position(_handle(textpage))
    finally:
        textpage.close()
    return text.replace(_HYPHEN_MARK, "-\n")


def _handle(item: pdfium.PdfPage | pdfium.PdfTextPage) -> int:
    return ctypes.cast(item.raw, ctypes.c_void_p).value or 0


def _read_as_vertical(text: str) -> bool:
    """One glyph a line, on most lines: PDFium took the page for vertical text."""
    lines = [line for line in text.split("\n") if line.strip()]
    return len(lines) >= 3 and sum(len(line.strip()) == 1 for line in lines) * 2 > len(lines)


def _by_position(textpage: int) -> str:
    """The page's text from its glyphs' positions, PDFium's line breaks ignored: a new
    line where the baseline moves, a space where a glyph starts well past the end of the
    previous one's advance."""
    lines: list[list[str]] = [[]]
    x, y, box = ctypes.c_double(), ctypes.c_double(), pdfium_c.FS_RECTF()
    baseline = end = 0.0
    for index in range(_count_chars(textpage)):
        code = _unicode(textpage, index)
        if code in _BREAKS or not _origin(textpage, index, ctypes.byref(x), ctypes.byref(y)):
            continue
        _advance_box(textpage, index, ctypes.byref(box))
        size = box.top - box.bottom  # the line height: the font's size as printed
        line = lines[-1]
        if line and abs(y.value - baseline) > _LINE_SHIFT * size:
            line = []
            lines.append(line)
        elif line and x.value - end > _SPACE_GAP * size and line[-1] != " ":
            line.append(" ")
        if not line:
            baseline = y.value
        line.append("-" if code in _HYPHEN_CODES else chr(code))
        end = box.right
    return "\n".join(" ".join("".join(line).split()) for line in lines if "".join(line).strip())


def _fonts(page: int) -> set[int]:
    """The fonts of the page's text objects, form XObjects' included (a plain loop: a
    page holds thousands of objects, one per run of glyphs)."""
    fonts: set[int] = set()
    forms: list[int] = []
    for index in range(_count_objects(page)):
        item = _get_object(page, index)
        font = _text_object_font(item)
        if font:
            fonts.add(font)
        elif _count_form_objects(item) > 0:
            forms.append(item)
    while forms:
        form = forms.pop()
        for index in range(_count_form_objects(form)):
            item = _get_form_object(form, index)
            font = _text_object_font(item)
            if font:
                fonts.add(font)
            elif _count_form_objects(item) > 0:
                forms.append(item)
    return fonts


def _font_name(font: int) -> str:
    size = _base_font_name(font, None, 0)
    if size <= 1:
        return "(unnamed)"
    buffer = ctypes.create_string_buffer(size)
    _base_font_name(font, buffer, size)
    return "/" + buffer.value.decode("utf-8", errors="replace")
