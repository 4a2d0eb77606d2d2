"""The PDFium functions the text layer calls in loops, typed with plain pointers.

pypdfium2's own bindings type each handle as a distinct pointer class; converting one
costs microseconds a call, and a resume's pages hold thousands of text objects. These
are the same C functions (same library, same addresses) declared with ``c_void_p``.
PDFium is not thread-safe: call them from one thread of a process.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import Any

import pypdfium2.raw as pdfium_c

Handle = int
"""A PDFium handle (page, text page, page object, font) as a plain address."""


def _plain(function: Any, restype: Any, *argtypes: Any) -> Callable[..., Any]:
    address = ctypes.cast(function, ctypes.c_void_p).value
    assert address is not None  # a function pypdfium2 loaded has an address
    prototype: Callable[..., Any] = ctypes.CFUNCTYPE(restype, *argtypes)(address)
    return prototype


def handle(item: Any) -> Handle:
    """The address behind a pypdfium2 object (``PdfPage``, ``PdfTextPage``)."""
    return ctypes.cast(item.raw, ctypes.c_void_p).value or 0


_VOID, _INT = ctypes.c_void_p, ctypes.c_int
_DOUBLE = ctypes.POINTER(ctypes.c_double)
RectF = pdfium_c.FS_RECTF

count_objects = _plain(pdfium_c.FPDFPage_CountObjects, _INT, _VOID)
get_object = _plain(pdfium_c.FPDFPage_GetObject, _VOID, _VOID, _INT)
count_form_objects = _plain(pdfium_c.FPDFFormObj_CountObjects, _INT, _VOID)
get_form_object = _plain(pdfium_c.FPDFFormObj_GetObject, _VOID, _VOID, ctypes.c_ulong)
text_object_font = _plain(pdfium_c.FPDFTextObj_GetFont, _VOID, _VOID)
font_is_embedded = _plain(pdfium_c.FPDFFont_GetIsEmbedded, _INT, _VOID)
base_font_name = _plain(
    pdfium_c.FPDFFont_GetBaseFontName, ctypes.c_size_t, _VOID, ctypes.c_char_p, ctypes.c_size_t
)
count_chars = _plain(pdfium_c.FPDFText_CountChars, _INT, _VOID)
char_unicode = _plain(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint, _VOID, _INT)
char_index = _plain(pdfium_c.FPDFText_GetCharIndexFromTextIndex, _INT, _VOID, _INT)
char_origin = _plain(pdfium_c.FPDFText_GetCharOrigin, _INT, _VOID, _INT, _DOUBLE, _DOUBLE)
char_advance_box = _plain(
    pdfium_c.FPDFText_GetLooseCharBox, _INT, _VOID, _INT, ctypes.POINTER(RectF)
)
