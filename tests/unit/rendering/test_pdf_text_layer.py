"""The text-layer repair (radical look-alikes) and the parse check, on PDFs made here."""

from __future__ import annotations

import io

from pypdf import PdfWriter

from jobwise.adapters.rendering import ExpectedText, check_pdf
from jobwise.adapters.rendering.pdf_finish import parse_to_unicode, repair_to_unicode

CMAP = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<00> <FF>
endcodespacerange
2 beginbfchar
<3A> <738B>
<B5> <2F29>
endbfchar
1 beginbfrange
<40> <42> <2F00>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def test_cmap_mappings_are_read_from_chars_and_ranges() -> None:
    assert parse_to_unicode(CMAP) == [
        ("3A", "王"),
        ("B5", "\u2f29"),
        ("40", "\u2f00"),
        ("41", "\u2f01"),
        ("42", "\u2f02"),
    ]


def test_radical_look_alikes_are_mapped_to_the_ideographs() -> None:
    repaired = repair_to_unicode(CMAP, keep=set())
    assert repaired is not None
    assert parse_to_unicode(repaired) == [
        ("3A", "王"),
        ("B5", "小"),  # U+5C0F, not the Kangxi radical U+2F29
        ("40", "一"),
        ("41", "丨"),
        ("42", "丶"),
    ]
    assert repaired.startswith(b"/CIDInit") and repaired.rstrip().endswith(b"end")


def test_a_radical_the_document_really_contains_is_kept() -> None:
    repaired = repair_to_unicode(CMAP, keep={"\u2f29"})
    assert repaired is not None
    assert ("B5", "\u2f29") in parse_to_unicode(repaired)


def test_nothing_to_repair_returns_none() -> None:
    plain = CMAP.replace(b"<2F29>", b"<5C0F>").replace(b"<2F00>", b"<4E00>")
    assert repair_to_unicode(plain, keep=set()) is None


def _blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_without_text_is_a_finding_not_a_pass() -> None:
    check = check_pdf(_blank_pdf(3), ExpectedText(name="Ada Lovelace", max_pages=2))
    assert not check.passed and check.page_count == 3
    assert {f.code for f in check.findings} == {"no_text_layer", "too_many_pages"}


def test_garbage_is_an_unreadable_pdf_finding() -> None:
    check = check_pdf(b"%PDF-1.7 this is not a pdf", ExpectedText(name="Ada"))
    assert not check.passed
    assert [f.code for f in check.findings] == ["unreadable_pdf"]
