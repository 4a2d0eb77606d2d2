"""PDFium's reading of what Chromium never prints: other fonts, forms, a split hyphen."""

from __future__ import annotations

from jobwise.adapters.rendering import ExpectedText, check_pdf
from jobwise.adapters.rendering.textlayer import count_pages, read_text_layer
from tests.unit.rendering.pdf_bytes import (
    CATALOG,
    HELVETICA,
    PAGES,
    classic,
    form_page,
    helvetica_page,
    page,
    stream,
    text,
    type3_page,
)
from tests.unit.rendering.pypdf_reference import pypdf_text_layer


def test_an_unembedded_font_is_a_finding_in_either_reader() -> None:
    pdf = helvetica_page()
    assert read_text_layer(pdf) == pypdf_text_layer(pdf)
    assert read_text_layer(pdf).unembedded_fonts == ("/Helvetica",)
    check = check_pdf(pdf, ExpectedText(name="Ada Lovelace"))
    assert not check.passed
    [finding] = check.findings
    assert (finding.code, finding.details) == ("font_not_embedded", {"font": "/Helvetica"})


def test_a_type3_font_counts_as_embedded_in_either_reader() -> None:
    pdf = type3_page()
    assert read_text_layer(pdf).unembedded_fonts == ("/Helvetica-Bold",)
    assert pypdf_text_layer(pdf).unembedded_fonts == ("/Helvetica-Bold",)


def test_a_font_used_only_inside_a_form_is_seen() -> None:
    """pypdf's walk looked only at each page's own font resources and missed it."""
    pdf = form_page()
    assert read_text_layer(pdf).pages == ("Ada Lovelace",)
    assert read_text_layer(pdf).unembedded_fonts == ("/Helvetica",)
    assert pypdf_text_layer(pdf).unembedded_fonts == ()


def test_a_hyphen_ending_a_line_reads_as_printed() -> None:
    """PDFium gives its soft-hyphen mark and drops the break; both are put back."""
    pdf = classic(
        [
            CATALOG,
            PAGES,
            page(b"<< /Font << /F1 4 0 R >> >>", 5),
            HELVETICA,
            stream(text(("F1", b"I designed the event-"), ("F1", b"sourced ledger"))),
        ]
    )
    assert read_text_layer(pdf).pages == ("I designed the event-\nsourced ledger",)
    assert read_text_layer(pdf).pages == pypdf_text_layer(pdf).pages


def test_pages_are_counted() -> None:
    assert count_pages(helvetica_page()) == 1
