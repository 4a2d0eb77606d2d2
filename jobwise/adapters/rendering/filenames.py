"""Download file names: ``Content-Disposition: attachment`` that every browser accepts.

The name is built from the candidate, the company and the document type, never taken
as given: an ASCII fallback (``filename=``, letters, digits, ``_`` and ``-`` only) and
the UTF-8 original (``filename*=``, RFC 5987 percent-encoding) for names like 王小明.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict

from jobwise.adapters.rendering.formats import DocumentType, ExportFormat, format_info

MAX_STEM = 120
_TYPE_WORDS = {DocumentType.RESUME: "Resume", DocumentType.COVER_LETTER: "Cover_Letter"}
_RFC5987_SAFE = "!#$&+-.^_`|~"


class DownloadName(BaseModel):
    model_config = ConfigDict(frozen=True)

    ascii: str
    """Only ``[A-Za-z0-9_.-]``: safe in any header, any file system."""
    utf8: str
    """Letters and digits of any script kept; everything else an underscore."""

    def content_disposition(self) -> str:
        header = f'attachment; filename="{self.ascii}"'
        if self.utf8 != self.ascii:
            header += f"; filename*=UTF-8''{quote(self.utf8, safe=_RFC5987_SAFE)}"
        return header


def _words(text: str, *, ascii_only: bool) -> list[str]:
    if ascii_only:
        folded = unicodedata.normalize("NFKD", text)
        text = "".join(char for char in folded if not unicodedata.combining(char))
        return re.findall(r"[A-Za-z0-9]+", text)
    text = unicodedata.normalize("NFC", text)
    return re.findall(r"[^\W_]+", text)


def _stem(parts: list[str], *, ascii_only: bool) -> str:
    words = [word for part in parts for word in _words(part, ascii_only=ascii_only)]
    return "_".join(words)[:MAX_STEM].strip("_")


def download_name(
    candidate: str,
    company: str | None,
    document_type: DocumentType,
    fmt: ExportFormat,
) -> DownloadName:
    """``Ada_Lovelace_Engine_Co_Resume.pdf`` (and its UTF-8 twin)."""
    kind = _TYPE_WORDS[document_type]
    extension = format_info(fmt).extension
    parts = [candidate, company or ""]
    ascii_stem = _stem(parts, ascii_only=True)
    utf8_stem = _stem(parts, ascii_only=False)
    return DownloadName(
        ascii=f"{ascii_stem}_{kind}.{extension}" if ascii_stem else f"{kind}.{extension}",
        utf8=f"{utf8_stem}_{kind}.{extension}" if utf8_stem else f"{kind}.{extension}",
    )


def content_disposition(
    candidate: str, company: str | None, document_type: DocumentType, fmt: ExportFormat
) -> str:
    return download_name(candidate, company, document_type, fmt).content_disposition()
