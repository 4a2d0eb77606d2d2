"""The document Markdown (``/work/notes/document-format.md``): writing it, reading it back,
and its plain text.

Reading is line by line and forgiving, so a user's hand edit that strays from the
format still reads, with less structure: every line gets a ``kind`` and knows the
section and entry it sits in. ``markdown_to_text`` is the plain-text export.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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

# Links and emphasis are read by hand, not by regular expressions: the patterns they
# replace (``\[([^\]]+)\]\(([^)]+)\)`` and a lazy ``(\*\*|__)(.+?)\1``) rescan the
# rest of the line from every ``[`` or ``*`` that never closes, so a line of 199,000
# ``[`` took minutes. Each scan below only moves forward: linear in the line's length,
# with the same matches as those patterns (tests/unit/generation/test_markdown_inline.py).


def _plain_inline(text: str) -> str:
    """One line's text without link and emphasis syntax: ``[a](u)`` is "a (u)"."""
    return _plain_emphasis(_plain_links(text)).replace("\\", "")


def _plain_links(text: str) -> str:
    """Every ``[text](target)`` (neither part empty) as "text (target)", leftmost first."""
    out: list[str] = []
    done = 0
    close = paren = -1  # The next "]" and ")" found so far: each search resumes past them.
    start = text.find("[")
    while start != -1:
        if close <= start:
            close = text.find("]", start + 1)
            if close == -1:
                break  # No "]" after this "[", so none after any later one either.
        if close > start + 1 and text.startswith("(", close + 1):
            if paren < close + 2:
                paren = text.find(")", close + 2)
                if paren == -1:
                    break
            if paren > close + 2:
                out.append(text[done:start])
                out.append(f"{text[start + 1 : close]} ({text[close + 2 : paren]})")
                done = paren + 1
                start = text.find("[", done)
                continue
        start = text.find("[", start + 1)
    out.append(text[done:])
    return "".join(out)


def _is_word(char: str) -> bool:
    """What ``\\w`` matches in a ``str`` pattern."""
    return char.isalnum() or char == "_"


class _Next:
    """The first position at or after a point where a test holds; asked with points that
    never decrease, it looks at each position at most once."""

    def __init__(self, text: str, test: Callable[[str, int], bool]) -> None:
        self._text, self._test = text, test
        self._found = -1
        self._searched_to = 0

    def at_or_after(self, point: int) -> int:
        if self._found >= point:
            return self._found
        position = max(point, self._searched_to)
        while position < len(self._text) and not self._test(self._text, position):
            position += 1
        self._searched_to = position
        self._found = position if position < len(self._text) else -1
        return self._found if self._found >= point else -1


def _pair(delimiter: str) -> Callable[[str, int], bool]:
    return lambda text, at: text.startswith(delimiter, at)


def _closes_star(text: str, at: int) -> bool:
    """A ``*`` that can end single-star emphasis: no space before, no word or ``*`` after."""
    after = text[at + 1 : at + 2]
    return text[at] == "*" and not text[at - 1].isspace() and not (after == "*" or _is_word(after))


def _opens_star(text: str, at: int) -> bool:
    before, after = text[at - 1 : at] if at else "", text[at + 1 : at + 2]
    return not (before == "*" or _is_word(before)) and after != "" and not after.isspace()


def _plain_emphasis(text: str) -> str:
    """``**a**``, ``__a__`` and ``*a*`` as their text, matched as the pattern
    ``(\\*\\*|__)(.+?)\\1|(?<![\\w*])\\*(?!\\s)(.+?)(?<!\\s)\\*(?![\\w*])`` would match them."""
    pairs = {"**": _Next(text, _pair("**")), "__": _Next(text, _pair("__"))}
    star_ends = _Next(text, _closes_star)
    out: list[str] = []
    done = at = 0
    while at < len(text):
        end, inner = -1, ""
        delimiter = text[at : at + 2]
        if delimiter in pairs and (end := pairs[delimiter].at_or_after(at + 3)) != -1:
            inner, end = text[at + 2 : end], end + 2
        elif (
            text[at] == "*"
            and _opens_star(text, at)
            and (end := star_ends.at_or_after(at + 2)) != -1
        ):
            inner, end = text[at + 1 : end], end + 1
        if end == -1:
            at += 1
            continue
        out.append(text[done:at])
        out.append(inner)
        done = at = end
    out.append(text[done:])
    return "".join(out)


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
