"""A document's structure as the renderers see it: name, contact, sections, entries.

The Markdown reader (``reading.py``) builds it once; the HTML templates, the DOCX
writer and the plain-text writer all render this one structure, so every format
shows the same content in the same order.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class Span(BaseModel):
    """A run of text with one style."""

    model_config = ConfigDict(frozen=True)

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None


Line = tuple[Span, ...]
"""One visual line: a Markdown line break (soft or hard) starts a new one, because in a
resume a new source line means a new line (``**Technical:** ...`` under Skills)."""


def line_text(line: Line) -> str:
    return "".join(span.text for span in line)


class Paragraph(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: Literal["paragraph"] = "paragraph"
    lines: tuple[Line, ...]


class ListItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    lines: tuple[Line, ...]
    depth: int = 0
    """0 for a top-level bullet; nested lists are flattened with their depth kept."""


class BulletList(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: Literal["list"] = "list"
    ordered: bool = False
    items: tuple[ListItem, ...]


Block = Paragraph | BulletList


class Entry(BaseModel):
    """A ``### `` heading with what follows it: one job, degree or project.

    Renderers keep an entry in one piece (``break-inside: avoid`` in the PDF).
    """

    model_config = ConfigDict(frozen=True)

    heading: Line
    meta: Line | None = None
    """The line right after the heading: place and dates (``London · Jan 2020 to Present``)."""
    blocks: tuple[Block, ...] = ()

    @property
    def title(self) -> str:
        return line_text(self.heading)


class Section(BaseModel):
    """A ``## `` heading (Summary, Experience, ...) with its text and entries."""

    model_config = ConfigDict(frozen=True)

    title: str
    blocks: tuple[Block, ...] = ()
    """Text before the first entry (a summary paragraph, the skill lines)."""
    entries: tuple[Entry, ...] = ()


class ResumeDocument(BaseModel):
    """A resume or cover letter read from its Markdown.

    A cover letter has no sections: its date, salutation, body and closing are
    ``body`` paragraphs.
    """

    model_config = ConfigDict(frozen=True)

    name: str
    contact: tuple[Line, ...] = ()
    """The contact paragraph's items (split at `` · ``, or `` | `` in a hand edit), in order."""
    body: tuple[Block, ...] = ()
    """Blocks between the contact line and the first section (all of a cover letter)."""
    sections: tuple[Section, ...] = ()

    @property
    def is_letter(self) -> bool:
        return not self.sections

    @property
    def section_titles(self) -> list[str]:
        return [section.title for section in self.sections if section.title]

    @property
    def entry_titles(self) -> list[str]:
        return [entry.title for section in self.sections for entry in section.entries]
