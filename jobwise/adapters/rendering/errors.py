"""What can go wrong while rendering a document, as plain exceptions (never HTTP errors)."""

from __future__ import annotations


class RenderingError(Exception):
    """A document could not be rendered; the message says why, for humans."""


class UnknownTemplateError(RenderingError):
    """No template has this name."""

    def __init__(self, name: str, known: tuple[str, ...]) -> None:
        super().__init__(f"unknown template {name!r}; known: {', '.join(known)}")
        self.name = name
        self.known = known


class UnsupportedPageSizeError(RenderingError):
    """The template does not offer this page size."""


class BrowserError(RenderingError):
    """Chromium could not be started, or failed twice on the same document."""
