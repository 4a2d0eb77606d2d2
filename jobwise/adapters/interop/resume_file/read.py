"""One call from a file's bytes to its draft (pure, synchronous, in the caller's process)."""

from __future__ import annotations

from typing import Literal

from jobwise.adapters.interop.resume_file.docx_lines import read_docx_lines
from jobwise.adapters.interop.resume_file.pdf_lines import read_pdf_lines
from jobwise.adapters.interop.resume_file.reader import ResumeDraft, read_resume


def read_file(data: bytes, file_format: Literal["pdf", "docx"]) -> ResumeDraft:
    lines = read_pdf_lines(data) if file_format == "pdf" else read_docx_lines(data)
    return read_resume(lines, file_format)
