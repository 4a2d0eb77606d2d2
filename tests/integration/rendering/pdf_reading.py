"""Reading rendered PDFs back in tests."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from jobwise.adapters.rendering import extract_pages


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pages_text(pdf: bytes) -> list[str]:
    return [squash(page) for page in extract_pages(pdf)]


def page_sizes(pdf: bytes) -> set[tuple[int, int]]:
    reader = PdfReader(io.BytesIO(pdf))
    return {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages}
