"""The length model: how many printed lines a document takes, and how many fit a page.

A page of the default template (A4 or US Letter, 0.75 in margins, 10.5 pt body text)
holds ``LINES_PER_PAGE`` lines of about ``CHARS_PER_LINE`` characters. Each kind of
Markdown line costs:

==========================  =================================================
the name (``# ``)           2 lines (large type)
a section (``## ``)         1.5 lines (heading plus the space above it)
an entry (``### ``)         1 line, plus 0.5 of space once the entry ends
a bullet, a paragraph       its characters / ``CHARS_PER_LINE``, rounded up
                            (a bullet's marker and indent count as 3 characters)
a blank line                nothing (spacing is in the costs above)
==========================  =================================================

The same costs choose what fits (``compiling_profile``) and check a finished or
hand-edited document (the ATS length check), so the two always agree. The figures
are conservative: a document the model calls one page may print a little shorter.

Templates differ in type and spacing, so a page holds a different number of these
lines in each (``TEMPLATE_LINES``, measured by printing the real resumes of
``tests/data/generation`` tailored to seven postings in every template: the largest
count that still printed on one page at the template's own spacing, less a line or
two for the model's error). A document chosen to fit its template prints at the
spacing the template was designed with, in one pass, rather than being squeezed by
the renderer's fitting ladder (which prints once per rung it tries).
"""

from __future__ import annotations

import math

LINES_PER_PAGE = 50
TEMPLATE_LINES = {"classic": 44, "technical": 46}
"""Templates that hold fewer lines than ``LINES_PER_PAGE`` (modern and compact hold it)."""
CHARS_PER_LINE = 95
NAME_LINES = 2.0
SECTION_LINES = 1.5
ENTRY_LINES = 1.0
ENTRY_GAP = 0.5
BULLET_INDENT = 3


def text_lines(text: str, indent: int = 0) -> float:
    """Printed lines of one paragraph (at least one)."""
    return float(max(1, math.ceil((len(text.strip()) + indent) / CHARS_PER_LINE)))


def bullet_lines(text: str) -> float:
    return text_lines(text, BULLET_INDENT)


def lines_per_page(template: str | None = None) -> int:
    return TEMPLATE_LINES.get(template or "", LINES_PER_PAGE)


def budget(max_pages: int, template: str | None = None) -> int:
    return max_pages * lines_per_page(template)


def markdown_lines(markdown: str) -> float:
    """Printed lines of a document in the generator's Markdown format."""
    total = 0.0
    in_entry = False
    for raw in markdown.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("### "):
            total += ENTRY_GAP if in_entry else 0.0
            total += ENTRY_LINES
            in_entry = True
        elif line.startswith("## "):
            total += (ENTRY_GAP if in_entry else 0.0) + SECTION_LINES
            in_entry = False
        elif line.startswith("# "):
            total += NAME_LINES
        elif line.startswith(("- ", "* ")):
            total += bullet_lines(line[2:])
        else:
            total += text_lines(line)
    return total + (ENTRY_GAP if in_entry else 0.0)


def pages(lines: float, template: str | None = None) -> float:
    return lines / lines_per_page(template)
