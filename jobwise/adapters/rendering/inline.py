"""How a line of styled spans becomes HTML (the templates' ``inline`` and ``lines`` filters)."""

from __future__ import annotations

from markupsafe import Markup, escape

from jobwise.adapters.rendering.document import Line


def inline_html(line: Line) -> Markup:
    """One line's spans as escaped HTML (bold, italic, code, links)."""
    parts: list[str] = []
    for span in line:
        html = str(escape(span.text))
        if span.code:
            html = f"<code>{html}</code>"
        if span.italic:
            html = f"<em>{html}</em>"
        if span.bold:
            html = f"<strong>{html}</strong>"
        if span.href:
            html = f'<a href="{escape(span.href)}">{html}</a>'
        parts.append(html)
    return Markup("".join(parts))


def lines_html(lines: tuple[Line, ...]) -> Markup:
    """Lines joined by ``<br>``: a new source line is a new line on the page."""
    return Markup("<br>\n").join(inline_html(line) for line in lines)
