"""Read a document's Markdown (``notes/document-format.md``) into a ``ResumeDocument``.

markdown-it-py parses CommonMark with raw HTML off (a ``<script>`` a user types stays
text). The reader then walks the block tokens: ``#`` is the name, the paragraph after
it the contact line, ``##`` a section, ``###`` an entry whose next line is its meta
line. A hand edit that strays from the format still renders: an entry before any
section gets an untitled section, deeper headings become bold lines, images become
their alt text, and a second ``#`` is read as a section.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from jobwise.adapters.rendering.document import (
    Block,
    BulletList,
    Entry,
    Line,
    ListItem,
    Paragraph,
    ResumeDocument,
    Section,
    Span,
)
from jobwise.domain.characters import clean_text

_PARSER = MarkdownIt("commonmark", {"html": False})
_CONTACT_SEPARATOR = re.compile(r"\s+[\u00b7|\u2022]\s+")
_SAFE_LINK = re.compile(r"^(https?:|mailto:|tel:)", re.IGNORECASE)
"""Only links a reader can follow safely survive; anything else keeps its text alone."""


@dataclass
class _Heading:
    level: int
    line: Line


_Element = _Heading | Paragraph | BulletList


def read_markdown(markdown: str) -> ResumeDocument:
    """The document's structure; never fails (any text is some document). Characters
    stored text may not hold (kept by versions before the rule) are dropped here, so no
    format, DOCX above all, ever meets one (``jobwise.domain.characters``)."""
    return _Assembler().build(_elements(_PARSER.parse(clean_text(markdown))))


# --- inline text -------------------------------------------------------------------------


@dataclass
class _Style:
    bold: int = 0
    italic: int = 0
    href: str | None = None


def _inline_lines(children: Sequence[Token]) -> tuple[Line, ...]:
    lines: list[list[Span]] = [[]]
    style = _Style()
    for token in children:
        if token.type in ("softbreak", "hardbreak"):
            lines.append([])
        elif token.type in ("text", "html_inline"):
            lines[-1].append(_span(token.content, style))
        elif token.type == "code_inline":
            lines[-1].append(_span(token.content, style, code=True))
        elif token.type == "image":
            lines[-1].append(_span(token.content, style))
        else:
            _restyle(token, style)
    return tuple(line for line in (_tidy(spans) for spans in lines) if line)


def _restyle(token: Token, style: _Style) -> None:
    if token.type == "strong_open":
        style.bold += 1
    elif token.type == "strong_close":
        style.bold -= 1
    elif token.type == "em_open":
        style.italic += 1
    elif token.type == "em_close":
        style.italic -= 1
    elif token.type == "link_open":
        href = str(token.attrGet("href") or "")
        style.href = href if _SAFE_LINK.match(href) else None
    elif token.type == "link_close":
        style.href = None


def _span(text: str, style: _Style, *, code: bool = False) -> Span:
    return Span(text=text, bold=style.bold > 0, italic=style.italic > 0, code=code, href=style.href)


def _tidy(spans: list[Span]) -> Line:
    """Merge neighbours of one style, trim the line's ends, drop empty spans."""
    merged: list[Span] = []
    for span in spans:
        if merged and _same_style(merged[-1], span):
            merged[-1] = merged[-1].model_copy(update={"text": merged[-1].text + span.text})
        else:
            merged.append(span)
    if merged:
        merged[0] = merged[0].model_copy(update={"text": merged[0].text.lstrip()})
        merged[-1] = merged[-1].model_copy(update={"text": merged[-1].text.rstrip()})
    return tuple(span for span in merged if span.text)


def _same_style(a: Span, b: Span) -> bool:
    return (a.bold, a.italic, a.code, a.href) == (b.bold, b.italic, b.code, b.href)


def _one_line(lines: tuple[Line, ...]) -> Line:
    """A heading's lines joined by spaces (a heading is one line)."""
    joined: list[Span] = []
    for line in lines:
        if joined:
            joined.append(Span(text=" "))
        joined.extend(line)
    return _tidy(joined)


def split_items(line: Line) -> list[Line]:
    """A contact line cut at its separators (`` · ``, `` | ``, `` • ``), styles kept."""
    items: list[list[Span]] = [[]]
    for span in line:
        parts = _CONTACT_SEPARATOR.split(span.text)
        for index, part in enumerate(parts):
            if index:
                items.append([])
            items[-1].append(span.model_copy(update={"text": part}))
    return [tidy for tidy in (_tidy(item) for item in items) if tidy]


# --- block elements ----------------------------------------------------------------------


def _elements(tokens: list[Token]) -> Iterator[_Element]:
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open":
            lines = _inline_lines(tokens[index + 1].children or [])
            yield _Heading(int(token.tag[1:]), _one_line(lines))
            index += 3
        elif token.type == "paragraph_open":
            lines = _inline_lines(tokens[index + 1].children or [])
            if lines:
                yield Paragraph(lines=lines)
            index += 3
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            found: list[_Element] = []
            index = _read_list(tokens, index, found)
            yield from found
        elif token.type in ("fence", "code_block"):
            yield _code_paragraph(token.content)
            index += 1
        else:  # blockquote and hr markers: their paragraphs come through on their own
            index += 1


def _code_paragraph(content: str) -> Paragraph:
    lines = tuple((Span(text=text, code=True),) for text in content.splitlines() if text.strip())
    return Paragraph(lines=lines or ((Span(text=" ", code=True),),))


def _read_list(tokens: list[Token], start: int, out: list[_Element]) -> int:
    """Read the list opening at ``start`` (nested lists flattened); return the index after it."""
    ordered = tokens[start].type == "ordered_list_open"
    items: list[tuple[int, list[Line]]] = []
    depth = 0
    index = start
    while index < len(tokens):
        token = tokens[index]
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            if depth == 0:
                break
        elif token.type == "list_item_open":
            items.append((depth - 1, []))
        elif token.type == "inline" and items:
            items[-1][1].extend(_inline_lines(token.children or []))
        elif token.type in ("fence", "code_block") and items:
            items[-1][1].extend(_code_paragraph(token.content).lines)
        index += 1
    kept = tuple(ListItem(lines=tuple(lines), depth=d) for d, lines in items if lines)
    if kept:
        out.append(BulletList(ordered=ordered, items=kept))
    return index + 1


# --- the document ------------------------------------------------------------------------


@dataclass
class _EntryDraft:
    heading: Line
    meta: Line | None = None
    blocks: list[Block] = field(default_factory=list)

    def freeze(self) -> Entry:
        return Entry(heading=self.heading, meta=self.meta, blocks=tuple(self.blocks))


@dataclass
class _SectionDraft:
    title: str
    blocks: list[Block] = field(default_factory=list)
    entries: list[_EntryDraft] = field(default_factory=list)

    def freeze(self) -> Section:
        return Section(
            title=self.title,
            blocks=tuple(self.blocks),
            entries=tuple(entry.freeze() for entry in self.entries),
        )


class _Assembler:
    def __init__(self) -> None:
        self.name: str | None = None
        self.contact: list[Line] = []
        self.body: list[Block] = []
        self.sections: list[_SectionDraft] = []
        self.awaiting_contact = False
        self.awaiting_meta = False

    def build(self, elements: Iterator[_Element]) -> ResumeDocument:
        for element in elements:
            if isinstance(element, _Heading):
                self._heading(element)
            else:
                self._block(element)
        return ResumeDocument(
            name=self.name or "",
            contact=tuple(self.contact),
            body=tuple(self.body),
            sections=tuple(section.freeze() for section in self.sections),
        )

    def _heading(self, heading: _Heading) -> None:
        text = "".join(span.text for span in heading.line)
        self.awaiting_contact = self.awaiting_meta = False
        if heading.level == 1 and self.name is None:
            self.name = text
            self.awaiting_contact = True
        elif heading.level <= 2:
            self.sections.append(_SectionDraft(title=text))
        elif heading.level == 3:
            if not self.sections:
                self.sections.append(_SectionDraft(title=""))
            self.sections[-1].entries.append(_EntryDraft(heading=heading.line))
            self.awaiting_meta = True
        else:  # ####: a bold line where it stands
            bold = tuple(span.model_copy(update={"bold": True}) for span in heading.line)
            self._block(Paragraph(lines=(bold,)))

    def _block(self, block: Block) -> None:
        if self.awaiting_contact and isinstance(block, Paragraph):
            self.contact = [item for line in block.lines for item in split_items(line)]
            self.awaiting_contact = False
            return
        self.awaiting_contact = False
        if self.awaiting_meta and isinstance(block, Paragraph):
            entry = self.sections[-1].entries[-1]
            entry.meta = block.lines[0]
            self.awaiting_meta = False
            if len(block.lines) > 1:
                entry.blocks.append(Paragraph(lines=block.lines[1:]))
            return
        self.awaiting_meta = False
        self._place(block)

    def _place(self, block: Block) -> None:
        if not self.sections:
            self.body.append(block)
        elif self.sections[-1].entries:
            self.sections[-1].entries[-1].blocks.append(block)
        else:
            self.sections[-1].blocks.append(block)
