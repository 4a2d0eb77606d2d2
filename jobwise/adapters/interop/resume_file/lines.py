"""A resume file as the reader sees it: lines of text with what the page shows of them."""

from __future__ import annotations

from dataclasses import dataclass

COLUMN_GAP = "\t"
"""Put between two runs of one line set far apart (a date set flush right, a second
column): the reader treats it as a field separator, never as a word space."""

FULL_WIDTH = 0.88
"""Of the file's widest line: a line reaching this far was wrapped, not ended."""


@dataclass(frozen=True, slots=True)
class TextLine:
    text: str
    """The line's words, single-spaced; far-apart runs joined by ``COLUMN_GAP``."""
    page: int
    """From 1."""
    size: float = 0.0
    """Type size in points (a DOCX paragraph without one: its style's, or the document's
    default)."""
    bold: bool = False
    """Most of its characters are set bold (or the paragraph is a heading style)."""
    x: float = 0.0
    """Where the line starts, in points from the left edge; DOCX: its indentation."""
    right: float = 0.0
    """Where it ends; 0 when unknown (DOCX)."""
    marked: bool = False
    """It is a list item: a bullet glyph starts it, or the DOCX paragraph is numbered."""
    heading: bool = False
    """The file itself says so (a DOCX heading or title style)."""
    gap_before: float = 0.0
    """Space above it, in multiples of its own size (0: unknown, or first on a page)."""
