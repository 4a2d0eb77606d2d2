"""Hand-built resume lines for the reader's tests, and the check that the reader invents
nothing: every string it puts in a draft is text of the file."""

from __future__ import annotations

from typing import Any

from jobwise.adapters.interop.resume_file.lines import TextLine
from jobwise.adapters.interop.resume_file.reader import ResumeDraft

BODY = 10.0
LEFT = 50.0
RIGHT_MARGIN = 560.0


def line(
    text: str,
    *,
    size: float = BODY,
    bold: bool = False,
    x: float = LEFT,
    right: float = 0.0,
    marked: bool = False,
    heading: bool = False,
    gap: float = 0.0,
    page: int = 1,
) -> TextLine:
    """A line as the PDF reader gives it; its right end from its length unless given."""
    return TextLine(
        text=text,
        page=page,
        size=size,
        bold=bold,
        x=x,
        right=right or min(RIGHT_MARGIN, x + 0.5 * size * len(text)),
        marked=marked,
        heading=heading,
        gap_before=gap,
    )


def name(text: str = "Jane Doe") -> TextLine:
    return line(text, size=20.0)


def heading(text: str) -> TextLine:
    return line(text, size=12.0, bold=True, gap=1.0)


def bullet(text: str) -> TextLine:
    return line(text, x=LEFT + 10, marked=True)


# Values the reader writes in its own words: ISO dates, a proficiency level, a flag.
_OWN_WORDS = {"start_date", "end_date", "date_obtained", "proficiency", "is_current"}
_PREFIX = "https://"


def _flat(text: str) -> str:
    return " ".join(text.split())


def strings_of(value: Any, key: str = "") -> list[tuple[str, str]]:
    """(key, text) for every string the draft holds, but those in the reader's words."""
    if key in _OWN_WORDS:
        return []
    if isinstance(value, str):
        # The stash's section for head text that fits no field is titled by the reader.
        return [] if (key, value) == ("title", "header") else [(key, value)]
    if isinstance(value, dict):
        return [found for name, inner in value.items() for found in strings_of(inner, name)]
    if isinstance(value, list):
        return [found for inner in value for found in strings_of(inner, key)]
    return []


def invented(draft: ResumeDraft, lines: list[TextLine]) -> list[tuple[str, str]]:
    """The draft's strings that are not text of ``lines`` (a joined multi-line value may
    span lines; a link may have gained ``https://``)."""
    text = _flat(" ".join(line.text for line in lines))
    found: list[tuple[str, str]] = []
    for key, value in strings_of(draft.draft):
        for piece in value.split("\n"):
            piece = _flat(piece)
            if piece.startswith(_PREFIX) and piece not in text:
                piece = piece[len(_PREFIX) :]
            if piece not in text and piece not in text.replace("- ", ""):
                found.append((key, piece))
    return found


def assert_nothing_invented(draft: ResumeDraft, lines: list[TextLine]) -> None:
    assert invented(draft, lines) == [], draft.draft
