"""Finishing a PDF by appending a revision: metadata, the CMap repair, hostile values,
and the whole-file rewrite kept for a file that ends in a cross-reference stream."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from jobwise.adapters.rendering.pdf_finish import finish_pdf
from jobwise.adapters.rendering.pdf_revision import last_table_offset
from jobwise.adapters.rendering.textlayer import read_text_layer
from tests.unit.rendering.pdf_bytes import (
    CATALOG,
    HELVETICA,
    PAGES,
    helvetica_page,
    page,
    radical_page,
    stream,
    text,
    with_xref_stream,
)

CHROMIUM_INFO = (
    b"<< /Title (Chromium's title) /Creator (Mozilla/5.0 HeadlessChrome/156.0.0.0)"
    b" /Producer (Skia/PDF m156) /CreationDate (D:20260102030405+00'00') >>"
)


def finish(pdf: bytes, title: str = "Ada Lovelace – Resume", source_text: str = "") -> bytes:
    return finish_pdf(
        pdf, title=title, author="Ada Lovelace", subject="Resume", source_text=source_text
    )


def pypdf_metadata(pdf: bytes) -> dict[str, str]:
    metadata = PdfReader(io.BytesIO(pdf), strict=True).metadata
    assert metadata is not None
    return {key: str(value) for key, value in metadata.items()}


def pdfium_metadata(pdf: bytes) -> dict[str, str]:
    document = pdfium.PdfDocument(pdf)
    try:
        return {key: value for key, value in document.get_metadata_dict().items() if value}
    finally:
        document.close()


def test_the_metadata_is_replaced_and_chromium_s_dates_kept() -> None:
    original = helvetica_page(info=CHROMIUM_INFO)
    finished = finish(original)
    expected = {
        "/Title": "Ada Lovelace – Resume",
        "/Author": "Ada Lovelace",
        "/Subject": "Resume",
        "/Creator": "JobWise",
        "/Producer": "JobWise",
        "/CreationDate": "D:20260102030405+00'00'",
    }
    assert pypdf_metadata(finished) == expected
    assert pdfium_metadata(finished) == {
        key.removeprefix("/"): value for key, value in expected.items()
    }
    assert read_text_layer(finished) == read_text_layer(original)


def test_the_file_is_appended_to_and_chromium_s_info_blanked_in_place() -> None:
    original = helvetica_page(info=CHROMIUM_INFO)
    finished = finish(original)
    assert len(finished) > len(original)
    assert b"HeadlessChrome" not in finished and b"Skia" not in finished
    # Before the old end, only the old Info's entries changed (to spaces): every
    # offset of the old cross-reference table still holds.
    start = original.index(b"6 0 obj")
    end = original.index(b"endobj", start)
    changed = [at for at in range(len(original)) if finished[at] != original[at]]
    assert changed and start < changed[0] and changed[-1] < end
    assert set(finished[changed[0] : changed[-1] + 1]) == {ord(" ")}
    assert finished.count(b"%%EOF") == 2
    assert last_table_offset(finished) is not None


def test_finishing_twice_chains_the_revisions() -> None:
    twice = finish(finish(helvetica_page(info=CHROMIUM_INFO)), title="Second")
    assert pypdf_metadata(twice)["/Title"] == "Second"
    assert pdfium_metadata(twice)["Title"] == "Second"
    assert twice.count(b"%%EOF") == 3


def test_a_file_without_an_info_dictionary_gets_one() -> None:
    finished = finish(helvetica_page())
    assert pypdf_metadata(finished)["/Producer"] == "JobWise"
    assert pdfium_metadata(finished)["Author"] == "Ada Lovelace"


@pytest.mark.parametrize(
    "title",
    [
        "Ada (Lovelace) \\ ) ( >> endobj startxref %%EOF",
        "Line one\nline two\r\n",
        "王小明 – 履歴書 😀 שלום",
        "x" * 200_000,
        "",
    ],
)
def test_hostile_titles_round_trip_exactly(title: str) -> None:
    finished = finish(helvetica_page(info=CHROMIUM_INFO), title=title)
    assert pypdf_metadata(finished)["/Title"] == title
    assert pdfium_metadata(finished).get("Title", "") == title
    assert read_text_layer(finished).pages == ("Ada Lovelace",)


def test_a_radical_look_alike_is_repaired_in_the_revision() -> None:
    original = radical_page()
    assert read_text_layer(original).pages == ("王\u2f29",)
    finished = finish(original)
    assert read_text_layer(finished).pages == ("王小",)  # U+5C0F, the ideograph
    assert pypdf_metadata(finished)["/Producer"] == "JobWise"


def test_a_radical_the_document_contains_is_left_alone() -> None:
    finished = finish(radical_page(), source_text="王\u2f29")
    assert read_text_layer(finished).pages == ("王\u2f29",)


def test_a_file_ending_in_a_cross_reference_stream_is_rewritten_whole() -> None:
    original = with_xref_stream(
        [
            CATALOG,
            PAGES,
            page(b"<< /Font << /F1 4 0 R >> >>", 5),
            HELVETICA,
            stream(text(("F1", b"Ada"))),
        ]
    )
    assert last_table_offset(original) is None
    finished = finish(original)
    assert pypdf_metadata(finished)["/Title"] == "Ada Lovelace – Resume"
    assert read_text_layer(finished).pages == ("Ada",)
