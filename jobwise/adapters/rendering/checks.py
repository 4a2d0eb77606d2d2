"""The parse self-check: read the PDF back as an applicant-tracking system would.

PDFium reads the text layer and the fonts (``textlayer``); the check then asks what a
screener's parser needs: the candidate's name (first on page 1: the contact block comes
first), every section heading, every matched skill, no glyph that failed to map to text
(``(cid:NN)`` or U+FFFD), every font embedded, and no more pages than allowed. Each failure is a
``Finding``; nothing here raises for a bad PDF, and nothing passes silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from pydantic import BaseModel, ConfigDict

from jobwise.adapters.rendering.models import Finding, ParseCheck
from jobwise.adapters.rendering.textlayer import TextLayer, UnreadablePdfError, read_text_layer

_SPACE = re.compile(r"\s+")


class ExpectedText(BaseModel):
    """What the text layer must contain."""

    model_config = ConfigDict(frozen=True)

    name: str
    headings: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    max_pages: int | None = None


def normalise(text: str) -> str:
    """Case- and spacing-blind, but not NFKC: a radical look-alike must still fail."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip().casefold()


def _squeezed(text: str) -> str:
    return _SPACE.sub("", text)


def _contains(haystack: str, needle: str) -> bool:
    """Found with its spacing, or without any (an extractor may add or drop spaces where
    runs of text join, around CJK above all)."""
    wanted = normalise(needle)
    return wanted in haystack or _squeezed(wanted) in _squeezed(haystack)


def check_pdf(
    pdf: bytes, expected: ExpectedText, *, blocked_requests: Iterable[str] = ()
) -> ParseCheck:
    try:
        layer = read_text_layer(pdf)
    except UnreadablePdfError as error:
        finding = Finding(
            code="unreadable_pdf", severity="error", message=f"The PDF cannot be read: {error}"
        )
        return ParseCheck(passed=False, page_count=0, findings=(finding,))
    return judge(layer, expected, blocked_requests=blocked_requests)


def judge(
    layer: TextLayer, expected: ExpectedText, *, blocked_requests: Iterable[str] = ()
) -> ParseCheck:
    """The findings on a text layer (whichever extractor read it)."""
    pages = list(layer.pages)
    findings = [
        *_text_findings(pages, expected),
        *_glyph_findings("\n".join(pages)),
        *_page_findings(len(pages), expected.max_pages),
        *(_font_finding(name) for name in layer.unembedded_fonts),
        *(_blocked_finding(url) for url in blocked_requests),
    ]
    return ParseCheck(
        passed=not any(f.severity == "error" for f in findings),
        page_count=len(pages),
        findings=tuple(findings),
        text_chars=sum(len(page) for page in pages),
    )


def _text_findings(pages: list[str], expected: ExpectedText) -> Iterator[Finding]:
    text = normalise("\n".join(pages))
    if not text:
        yield Finding(code="no_text_layer", severity="error", message="The PDF has no text.")
        return
    yield from _name_findings(pages, text, expected.name)
    for heading in expected.headings:
        if not _contains(text, heading):
            yield Finding(
                code="heading_missing",
                severity="error",
                message=f"The section heading {heading!r} is not in the text layer.",
                details={"heading": heading},
            )
    for keyword in expected.keywords:
        if not _contains(text, keyword):
            yield Finding(
                code="keyword_missing",
                severity="error",
                message=f"The matched skill {keyword!r} is not in the text layer.",
                details={"keyword": keyword},
            )


def _name_findings(pages: list[str], text: str, name: str) -> Iterator[Finding]:
    if not name.strip():
        yield Finding(
            code="name_missing", severity="error", message="The document has no `# Name` heading."
        )
        return
    if not _contains(text, name):
        yield Finding(
            code="name_missing",
            severity="error",
            message=f"The name {name!r} is not in the text layer.",
            details={"name": name},
        )
        return
    first_line = next((line for line in pages[0].splitlines() if line.strip()), "")
    if not _contains(normalise(first_line), name):
        yield Finding(
            code="name_not_first",
            severity="warning",
            message="The name is not the first text on page 1; parsers expect the contact block.",
            details={"first_line": first_line},
        )


def _glyph_findings(text: str) -> Iterator[Finding]:
    cids = re.findall(r"\(cid:\d+\)", text)
    if cids:
        yield Finding(
            code="cid_glyphs",
            severity="error",
            message=f"{len(cids)} glyphs have no text mapping (they read as (cid:NN)).",
            details={"count": len(cids)},
        )
    bad = text.count("\ufffd")
    if bad:
        yield Finding(
            code="replacement_glyphs",
            severity="error",
            message=f"{bad} characters read as U+FFFD (unmappable glyphs).",
            details={"count": bad},
        )


def _page_findings(page_count: int, max_pages: int | None) -> Iterator[Finding]:
    if max_pages is not None and page_count > max_pages:
        yield Finding(
            code="too_many_pages",
            severity="error",
            message=f"{page_count} pages; at most {max_pages} allowed.",
            details={"page_count": page_count, "max_pages": max_pages},
        )


def _font_finding(name: str) -> Finding:
    return Finding(
        code="font_not_embedded",
        severity="error",
        message=f"The font {name} is not embedded; a reader may substitute or lose glyphs.",
        details={"font": name},
    )


def _blocked_finding(url: str) -> Finding:
    return Finding(
        code="blocked_request",
        severity="warning",
        message="The page asked for a network resource, which was refused.",
        details={"url": url[:300]},
    )
