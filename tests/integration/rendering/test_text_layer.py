"""PDFium (the parse check's reader) against pypdf (its former reader) on real renders.

On every fixture in every template and paper, and on generated documents, the two
must read the same characters in the same order on each page (spacing aside: the
check is blind to it), the same unembedded fonts, and the check must give the same
answers from either reading: the verdict, and each finding's code, severity and
details (spacing aside again).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobwise.adapters.rendering import (
    DocumentType,
    ExportFormat,
    PageSize,
    ParseCheck,
    Renderer,
    RenderRequest,
    list_templates,
    read_markdown,
)
from jobwise.adapters.rendering.checks import ExpectedText, judge
from jobwise.adapters.rendering.textlayer import read_text_layer
from tests.unit.rendering.fixtures import fixture
from tests.unit.rendering.pypdf_reference import pypdf_text_layer

TEMPLATES = [t.name for t in list_templates()]
FIXTURES = {
    "ada_resume": None,
    "cjk_resume": None,
    "cover_letter": 1,
    "hand_edited": None,
    "jsonresume_sample": None,
    "long_resume": 2,  # fitted: the ladder's tighter rungs
    "overlong_resume": 2,  # cannot fit: the last rung, past max_pages
}
KEYWORDS = ("Python", "Kubernetes", "PostgreSQL", "gRPC", "COBOL", "Chrome Extension", "清华大学")
"""Some in some fixtures, some in none: both answers are compared."""


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_read_alike(pdf: bytes, expected: ExpectedText) -> None:
    new, old = read_text_layer(pdf), pypdf_text_layer(pdf)
    assert [_squeezed(page) for page in new.pages] == [_squeezed(page) for page in old.pages]
    assert new.unembedded_fonts == old.unembedded_fonts
    assert _answer(judge(new, expected)) == _answer(judge(old, expected))


def _answer(check: ParseCheck) -> tuple[object, ...]:
    """The verdict, each finding's code and severity, and its details spacing aside
    (``name_not_first`` quotes the first line as the reader spaced it)."""
    findings = tuple(
        (f.code, f.severity, {key: _squeezed(str(value)) for key, value in f.details.items()})
        for f in check.findings
    )
    return check.passed, check.page_count, findings


def _expected(markdown: str, max_pages: int | None, keywords: tuple[str, ...]) -> ExpectedText:
    document = read_markdown(markdown)
    return ExpectedText(
        name=document.name,
        headings=tuple(document.section_titles),
        keywords=keywords,
        max_pages=max_pages,
    )


@pytest.mark.parametrize("page_size", [PageSize.LETTER, PageSize.A4])
@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("name", FIXTURES)
async def test_every_fixture_reads_alike_in_both_readers(
    renderer: Renderer, name: str, template: str, page_size: PageSize
) -> None:
    markdown = fixture(name)
    kind = DocumentType.COVER_LETTER if name == "cover_letter" else DocumentType.RESUME
    out = await renderer.render(
        RenderRequest(
            markdown=markdown,
            format=ExportFormat.PDF,
            template=template,
            page_size=page_size,
            document_type=kind,
            max_pages=FIXTURES[name],
        )
    )
    assert_read_alike(out.content, _expected(markdown, FIXTURES[name], KEYWORDS))


async def test_a_short_page_printed_glyph_by_glyph_keeps_its_lines(renderer: Renderer) -> None:
    """PDFium takes this page (short lines, dates flush right, each glyph placed on its
    own) for vertical text; it is read again from the glyphs' positions."""
    out = await renderer.render(
        RenderRequest(markdown=fixture("hand_edited"), format=ExportFormat.PDF, template="compact")
    )
    lines = read_text_layer(out.content).pages[0].splitlines()
    assert lines[:2] == [
        "Grace Hopper",
        "Rear Admiral · grace@example.com · Website · <script>alert(1)</script>",
    ]
    assert out.check is not None and out.check.findings == ()


WORD = st.text(
    alphabet=st.sampled_from(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éüñçøßÅ-&/+.,:()'"
        "王小明字节跳动清华大学検索の応答時間半分短縮한국어メルカリ"
    ),
    min_size=1,
    max_size=14,
).filter(lambda word: any(char.isalnum() for char in word))
LINE = st.lists(WORD, min_size=1, max_size=24).map(" ".join)


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A resume in the document format: a name, a contact line, sections of entries."""
    parts = [f"# {draw(st.lists(WORD, min_size=1, max_size=3).map(' '.join))}", draw(LINE)]
    for _ in range(draw(st.integers(1, 4))):
        parts.append(f"## {draw(st.lists(WORD, min_size=1, max_size=3).map(' '.join))}")
        for _ in range(draw(st.integers(0, 3))):
            parts.append(f"### {draw(LINE)}")
            parts.append(draw(LINE))
            parts.append("\n".join(f"- {line}" for line in draw(st.lists(LINE, max_size=5))))
        parts.append(draw(LINE))
    return "\n\n".join(parts) + "\n"


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(markdown=documents(), template=st.sampled_from(TEMPLATES), word=WORD)
async def test_generated_documents_read_alike_in_both_readers(
    renderer: Renderer, markdown: str, template: str, word: str
) -> None:
    out = await renderer.render(
        RenderRequest(markdown=markdown, format=ExportFormat.PDF, template=template)
    )
    assert_read_alike(out.content, _expected(markdown, 2, (word, "Kubernetes")))
