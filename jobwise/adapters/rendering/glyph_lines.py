"""Lines of a page from its glyphs' positions, for a page PDFium reads as vertical text.

PDFium guesses each page's writing direction from how much of its width and height
text objects cover. A short page of short lines with dates set flush right, printed
glyph by glyph (Chromium places each glyph on its own in some templates), reads as
vertical: a line break between every two glyphs, word spaces lost. ``lines_misread``
spots it (a break PDFium made between two glyphs side by side on one baseline);
``by_position`` then reads the page's lines again: a new line where the baseline
moves, a space where a glyph starts well past the end of the previous one's advance.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

from jobwise.adapters.rendering import pdfium_calls as c

CARRIAGE_RETURN, LINE_FEED = 0x0D, 0x0A
HYPHEN_CODES = (0xFFFE, 0x02)
"""PDFium's mark for a hyphen it takes to be a line-end hyphenation."""
LINE_SHIFT = 0.5
"""Of a glyph's line height: a baseline this far from the line's starts a new line."""
SPACE_GAP = 0.15
"""Of a glyph's line height (about 1.15 em): a wider gap before a glyph is a word space
(a space is about a quarter of an em wide)."""
NEAR = 1.0
"""Of a glyph's line height: a narrower gap joins two glyphs into one line (a column's
gutter, or a date set flush right, is wider)."""


@dataclass(frozen=True)
class Glyph:
    x: float
    """Where the pen stood (the origin)."""
    baseline: float
    right: float
    """Where the glyph's advance ends."""
    height: float
    """Its line height: the type size as printed, about 1.15 em."""

    def beside(self, after: Glyph) -> bool:
        """Does ``after`` follow this glyph on the same line, within about an em?"""
        size = max(self.height, after.height)
        gap = after.x - self.right
        same_line = abs(after.baseline - self.baseline) <= LINE_SHIFT * size
        return same_line and -LINE_SHIFT * size <= gap <= NEAR * size


def glyph(textpage: c.Handle, index: int) -> Glyph | None:
    x, y, box = ctypes.c_double(), ctypes.c_double(), c.RectF()
    if not c.char_origin(textpage, index, ctypes.byref(x), ctypes.byref(y)):
        return None
    if not c.char_advance_box(textpage, index, ctypes.byref(box)):
        return None
    return Glyph(x=x.value, baseline=y.value, right=box.right, height=box.top - box.bottom)


def lines_misread(textpage: c.Handle, text: str) -> bool:
    """Did PDFium put a line break (``\\r\\n`` in ``text``, its text of the whole page)
    between two glyphs that sit side by side on one baseline?"""
    start = text.find("\r\n")
    while start != -1:
        index = c.char_index(textpage, start)
        if index > 0 and c.char_unicode(textpage, index) == CARRIAGE_RETURN:
            after = index + 2 if c.char_unicode(textpage, index + 1) == LINE_FEED else index + 1
            first, second = glyph(textpage, index - 1), glyph(textpage, after)
            if first is not None and second is not None and first.beside(second):
                return True
        start = text.find("\r\n", start + 2)
    return False


def by_position(textpage: c.Handle) -> str:
    """The page's text, lines and spaces from the glyphs' positions alone."""
    lines: list[list[str]] = [[]]
    previous: Glyph | None = None
    line_baseline = 0.0
    for index in range(c.count_chars(textpage)):
        code = c.char_unicode(textpage, index)
        current = glyph(textpage, index) if code not in (CARRIAGE_RETURN, LINE_FEED) else None
        if current is None:
            continue
        line = lines[-1]
        if previous is not None and line:
            size = current.height
            if abs(current.baseline - line_baseline) > LINE_SHIFT * size:
                line = []
                lines.append(line)
            elif current.x - previous.right > SPACE_GAP * size and line[-1] != " ":
                line.append(" ")
        if not line:
            line_baseline = current.baseline
        line.append("-" if code in HYPHEN_CODES else chr(code))
        previous = current
    return "\n".join(" ".join("".join(line).split()) for line in lines if "".join(line).strip())
