"""The parse check's former reader, pypdf, kept as the reference PDFium is compared with.

This is the code ``checks.py`` ran before the check moved to PDFium (``textlayer``):
each page's ``extract_text()``, and the fonts of each page's ``/Resources`` whose
descriptor has no font file.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from jobwise.adapters.rendering.textlayer import TextLayer


def pypdf_text_layer(pdf: bytes) -> TextLayer:
    reader = PdfReader(io.BytesIO(pdf))
    pages = tuple(page.extract_text() or "" for page in reader.pages)
    return TextLayer(pages=pages, unembedded_fonts=tuple(sorted(set(_unembedded(reader)))))


def _unembedded(reader: PdfReader) -> Iterator[str]:
    for page in reader.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        for reference in fonts.get_object().values() if fonts is not None else ():
            font = reference.get_object()
            if isinstance(font, DictionaryObject) and not _is_embedded(font):
                yield str(font.get("/BaseFont", "(unnamed)"))


def _is_embedded(font: DictionaryObject) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True
    if font.get("/Subtype") == "/Type0":
        descendants = font["/DescendantFonts"].get_object()
        font = descendants[0].get_object() if isinstance(descendants, ArrayObject) else font
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
