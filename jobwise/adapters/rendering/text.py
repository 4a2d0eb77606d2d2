"""Plain text: the document without Markdown syntax.

Headings are lines of their own, bullets start with ``- ``, bold and italics are
plain, and a link keeps its address (``GitHub (https://github.com/ada)``) since
there is nothing to click in a text file.
"""

from __future__ import annotations

from jobwise.adapters.rendering.document import Block, Line, ResumeDocument, Section, line_text


def plain_line(line: Line) -> str:
    parts: list[str] = []
    for span in line:
        parts.append(span.text)
        address = span.href.removeprefix("mailto:").removeprefix("tel:") if span.href else ""
        if address and address != span.text:
            parts.append(f" ({span.href})")
    return "".join(parts)


def _block_lines(block: Block) -> list[str]:
    if block.kind == "paragraph":
        return [plain_line(line) for line in block.lines]
    out: list[str] = []
    for number, item in enumerate(block.items, start=1):
        marker = f"{number}. " if block.ordered else "- "
        indent = "  " * item.depth
        first, *rest = [plain_line(line) for line in item.lines]
        out.append(f"{indent}{marker}{first}")
        out.extend(f"{indent}{' ' * len(marker)}{line}" for line in rest)
    return out


def _section_lines(section: Section) -> list[str]:
    out: list[str] = [section.title] if section.title else []
    for block in section.blocks:
        out.extend(_block_lines(block))
    for entry in section.entries:
        out.append("")
        out.append(line_text(entry.heading))
        if entry.meta:
            out.append(plain_line(entry.meta))
        for block in entry.blocks:
            out.extend(_block_lines(block))
    return out


def render_text(document: ResumeDocument) -> str:
    paragraphs: list[list[str]] = []
    head = [document.name] if document.name else []
    if document.contact:
        head.append(" \u00b7 ".join(plain_line(item) for item in document.contact))
    paragraphs.append(head)
    paragraphs.extend(_block_lines(block) for block in document.body)
    paragraphs.extend(_section_lines(section) for section in document.sections)
    return "\n\n".join("\n".join(lines) for lines in paragraphs if lines) + "\n"
