"""Why a resume file cannot be read, in words the uploader can act on."""

from __future__ import annotations


class UnreadableResume(ValueError):
    """The file cannot become a draft. ``reason`` is what a client branches on:
    ``not_pdf``, ``not_docx``, ``unsupported``, ``encrypted``, ``malformed``, ``no_text``,
    ``too_large``, ``too_complex`` (it took more time or memory than any resume needs)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
