"""The document Markdown (``/work/notes/document-format.md``): writing it, reading it back,
and its plain text.

Reading is line by line and forgiving, so a user's hand edit that strays from the
format still reads, with less structure: every line gets a ``kind`` and knows the
section and entry it sits in. ``markdown_to_text`` is the plain-text export.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

SEPARATOR = " · "
DASH = "–"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LineKind = Literal[
    "name", "contact", "section", "entry", "meta", "bullet", "label", "text", "blank"
]
_LABEL = re.compile(r"^\*\*([^*]+?):?\*\*:?\s*(.*)$")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")


# -- writing ------------------------------------------------------------------------------


def month_year(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def date_range(start: date | None, end: date | None, *, current: bool = False) -> str:
    """ "Jan 2020 – Present", "Mar 2017 – Dec 2019"; "" without a start."""
    if start is None:
        return ""
    last = "Present" if current or end is None else month_year(end)
    return f"{month_year(start)} {DASH} {last}"


def year_range(start: date | None, end: date | None) -> str:
    """Education: "2013 – 2016", "2013 – Present"."""
    if start is None:
        return str(end.year) if end else ""
    return f"{start.year} {DASH} {end.year if end else 'Present'}"


def join(*parts: str | None) -> str:
    return SEPARATOR.join(part.strip() for part in parts if part and part.strip())


def one_line(text: str) -> str:
    """Inner newlines and whitespace runs collapsed: one Markdown line."""
    return " ".join(text.split())


def long_date(day: date) -> str:
    """The cover letter's date line: "30 November 2026"."""
    return f"{day.day} {day:%B %Y}"


# -- reading ------------------------------------------------------------------------------


@dataclass
class Line:
    index: int
    kind: LineKind
    text: str
    """The content without its Markdown marker ("# ", "- ", ...)."""
    raw: str
    section: str = ""
    """The ``##`` heading it sits under ("" before any)."""
    entry: str = ""
    """The ``###`` heading it sits under ("" outside entries)."""
    label: str = ""
    """For ``label`` lines: the bold label ("Technical")."""


def read(markdown: str) -> list[Line]:
    """Every line of the document, classified (see ``LineKind``)."""
    lines: list[Line] = []
    section = entry = ""
    seen_name = seen_contact = after_entry = False
    for index, raw in enumerate(markdown.splitlines()):
        stripped = raw.strip()
        kind: LineKind
        text, label = stripped, ""
        if not stripped:
            kind = "blank"
        elif stripped.startswith("### "):
            kind, text, entry, after_entry = (
                "entry",
                stripped[4:].strip(),
                stripped[4:].strip(),
                True,
            )
        elif stripped.startswith("## "):
            kind, text = "section", stripped[3:].strip()
            section, entry, after_entry = text, "", False
        elif stripped.startswith("# ") and not seen_name:
            kind, text, seen_name = "name", stripped[2:].strip(), True
        elif (match := _BULLET.match(raw)) is not None:
            kind, text, after_entry = "bullet", match.group(1).strip(), False
        elif (match := _LABEL.match(stripped)) is not None:
            kind, label, text, after_entry = "label", match.group(1).strip(), match.group(2), False
        elif seen_name and not seen_contact and not section and _is_first_text(lines):
            kind, seen_contact = "contact", True
        elif after_entry:
            kind, after_entry = "meta", False
        else:
            kind = "text"
        lines.append(Line(index, kind, text, raw, section, entry, label))
    return lines


def _is_first_text(lines: list[Line]) -> bool:
    return all(line.kind in ("name", "blank") for line in lines)


def write(lines: list[Line]) -> str:
    """The document again from (possibly edited) lines, blank runs collapsed."""
    out: list[str] = []
    for line in lines:
        if line.kind == "blank" and (not out or out[-1] == ""):
            continue
        out.append("" if line.kind == "blank" else line.raw.rstrip())
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def sections(lines: list[Line]) -> list[str]:
    return [line.text for line in lines if line.kind == "section"]


# -- plain text ---------------------------------------------------------------------------

_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")


def _plain_inline(text: str) -> str:
    text = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)
    return _EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", text).replace("\\", "")


def markdown_to_text(markdown: str) -> str:
    """The plain-text export: the same content without Markdown syntax.

    Headings become lines of their own (a blank line before each section), bullets stay
    "- ", bold labels lose their asterisks. It is also what word counts are taken from.
    """
    out: list[str] = []
    for line in read(markdown):
        if line.kind == "blank":
            if out and out[-1] != "":
                out.append("")
            continue
        if line.kind == "section" and out and out[-1] != "":
            out.append("")
        if line.kind == "section":
            out.append(line.text)
        elif line.kind == "bullet":
            out.append(f"- {_plain_inline(line.text)}")
        elif line.kind == "label":
            out.append(f"{line.label}: {_plain_inline(line.text)}")
        else:
            out.append(_plain_inline(line.text))
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def word_count(markdown: str) -> int:
    return len(markdown_to_text(markdown).split())
